"""The reverse-zone layout of a plan, laid out once: which zones the kit serves and, for an
IPv4 subnet longer than /24, whether the kit serves its /24 or an RFC 2317 classless zone.

DNS delegates only on label boundaries, so a VLAN of 10.1.50.0/26 has its PTRs in
``50.1.10.in-addr.arpa.``. Two cases, chosen per VLAN (``reverse_parent``, default from
``[dns]``):

- ``"site"`` (the default; private space is the site's own): the kit serves the whole /24
  zone and puts the PTRs in it directly, at their ordinary names. This is the simplest thing
  that resolves. It is what every resolver, ``dig -x`` and Windows DNS (which creates IPv4
  reverse zones only for /8, /16 and /24 network IDs) already expect; several VLANs in one
  /24 simply share the zone; no CNAME indirection to keep in step; and DDNS or an audit finds
  each PTR where RFC 1035 puts it. An RFC 2317 child zone plus CNAMEs in a parent the site
  also serves would add a zone, 2^(32-n) CNAMEs and a way to break, and buy nothing.
- ``"delegated"``: someone else (the ISP, the group's network team) holds the /24. The kit
  serves the RFC 2317 classless zone ``0/26.50.1.10.in-addr.arpa.`` (RFC 2317 section 4's
  ``<first address>/<prefix length>`` form: the label says both where the block starts and
  how long it is, it is what ``dualstack calc`` prints and what BIND takes as is), and the
  kit writes the NS and CNAME records the parent's owner must add (``zones.build``).

IPv6: the site prefix at its nibble boundary (a /45 is eight /48 zones), or one zone per
VLAN /64 with ``[dns] reverse_zones = "vlan"``.
"""

from __future__ import annotations

from collections.abc import Iterable
from ipaddress import IPv4Network, IPv6Network

from dualstack.net.reverse import reverse_zones
from dualstack.plan.model import ReverseLayout, ReverseMap, ReverseZone, Site, VlanPlan

LIMIT = 1 << 16  # zones per prefix: a /8 VLAN is 65,536 /24 zones


def reverse_map(
    site: Site, vlans: Iterable[VlanPlan], layout: ReverseLayout | None = None
) -> ReverseMap:
    """The plan's reverse zones: IPv4 from the VLANs' subnets, IPv6 from the site prefix (or
    each VLAN's /64 with ``layout`` ``"vlan"``; ``layout`` defaults to ``[dns]
    reverse_zones``). Sorted by the prefix each covers."""
    vlans = tuple(vlans)
    v4: dict[str, ReverseZone] = {}
    for v in vlans:
        net = v.vlan.ipv4
        found = reverse_zones(net, LIMIT)
        if found.classless is not None and site.reverse_parent(v.vlan) == "delegated":
            v4[found.classless] = ReverseZone(found.classless, net, found.names[0])
            continue
        for name in found.names:
            v4.setdefault(name, ReverseZone(name, _network(name)))
    per_vlan = (layout or site.dns.reverse_zones) == "vlan"
    v6: dict[str, ReverseZone] = {}
    if per_vlan:
        for v in vlans:
            if v.ipv6 is not None:
                name = reverse_zones(v.ipv6).names[0]
                v6[name] = ReverseZone(name, v.ipv6)
    else:
        for name in reverse_zones(site.info.ipv6_prefix, LIMIT).names:
            v6[name] = ReverseZone(name, _network(name))
    return ReverseMap(
        tuple(sorted(v4.values(), key=_order)),
        tuple(sorted(v6.values(), key=_order)),
    )


def _order(zone: ReverseZone) -> tuple[int, int]:
    return int(zone.network.network_address), zone.network.prefixlen


def _network(origin: str) -> IPv4Network | IPv6Network:
    """The prefix a zone on a label boundary covers: ``50.1.10.in-addr.arpa.`` ->
    10.1.50.0/24, ``0.0.2.1.8.b.d.0.1.0.0.2.ip6.arpa.`` -> 2001:db8:1200::/48."""
    if origin.endswith(".in-addr.arpa."):
        octets = origin.removesuffix(".in-addr.arpa.").split(".")[::-1]
        value = sum(int(o) << (24 - 8 * i) for i, o in enumerate(octets))
        return IPv4Network((value, 8 * len(octets)))
    nibbles = origin.removesuffix(".ip6.arpa.").split(".")[::-1]
    return IPv6Network((int("".join(nibbles).ljust(32, "0"), 16), 4 * len(nibbles)))
