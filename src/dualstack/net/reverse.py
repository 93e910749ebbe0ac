"""The reverse DNS zones that hold a prefix's PTR records.

DNS delegates only on label boundaries: octets under ``in-addr.arpa.``, nibbles (4 bits) under
``ip6.arpa.``. A prefix between boundaries is served by the zones one boundary down (a /50 is
the four /52 zones); an IPv4 prefix longer than /24 lives inside its /24 zone and is delegated
with RFC 2317 classless names (``64/26.2.0.192.in-addr.arpa.``).
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Network, IPv6Network

from dualstack.addr.text import zone_name
from dualstack.errors import InputError

IPNetwork = IPv4Network | IPv6Network

MAX_ZONES = 256

__all__ = [
    "MAX_ZONES",
    "ReverseZones",
    "classless_name",
    "reverse_zones",
    "zone_length",
    "zone_name",
]


@dataclass(frozen=True, slots=True)
class ReverseZones:
    """The zones covering a prefix: the first ``limit`` names, and how many there are."""

    suffix: str  # "in-addr.arpa." or "ip6.arpa."
    zone_length: int  # prefix length of each zone
    names: tuple[str, ...]
    count: int
    classless: str | None = None  # RFC 2317 name, IPv4 /25 to /31

    @property
    def truncated(self) -> bool:
        return self.count > len(self.names)

    @property
    def parent(self) -> str | None:
        """The /24 zone an IPv4 prefix longer than /24 lives in."""
        return self.names[0] if self.zone_length == 24 and self.count == 1 else None


def classless_name(network: IPv4Network) -> str:
    """RFC 2317 section 4's name for a /25 to /31: ``<first octet>/<length>.<c>.<b>.<a>``."""
    if not 24 < network.prefixlen < 32:
        raise InputError(f"RFC 2317 names are for /25 to /31, not /{network.prefixlen}")
    value = int(network.network_address)
    return f"{value & 0xFF}/{network.prefixlen}.{zone_name(value, 24, 4)}"


def zone_length(network: IPNetwork) -> int:
    """The boundary the zones sit on: the prefix length rounded up to an octet or a nibble,
    and for IPv4 never past /24 (longer prefixes live in their /24 zone)."""
    step = 8 if network.version == 4 else 4
    length = -(-network.prefixlen // step) * step
    return min(length, 24) if network.version == 4 else length


def reverse_zones(network: IPNetwork, limit: int = MAX_ZONES) -> ReverseZones:
    """The zones that cover ``network``, at most ``limit`` names (``count`` says how many)."""
    length = zone_length(network)
    first = int(network.network_address)
    bits = network.max_prefixlen
    if length < network.prefixlen:  # IPv4 longer than /24: the enclosing /24
        first &= ~((1 << (bits - length)) - 1)
        count = 1
    else:
        count = 1 << (length - network.prefixlen)
    step = 1 << (bits - length)
    names = tuple(
        zone_name(first + i * step, length, network.version) for i in range(min(count, limit))
    )
    classless = None
    if isinstance(network, IPv4Network) and 24 < network.prefixlen < 32:
        classless = classless_name(network)
    suffix = "in-addr.arpa." if network.version == 4 else "ip6.arpa."
    return ReverseZones(suffix, length, names, count, classless)
