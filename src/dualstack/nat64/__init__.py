"""IPv6-only and IPv6-mostly networks: finding the NAT64 prefix the network uses (RFC 7050)
and comparing it with the plan (:mod:`.discover`)."""

from dualstack.nat64.discover import WELL_KNOWN_IPV4, Discovery, discover, prefixes_in

__all__ = ["WELL_KNOWN_IPV4", "Discovery", "discover", "prefixes_in"]
