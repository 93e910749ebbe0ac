"""IPv4 addresses embedded in IPv6 by the transition mechanisms, decoded both ways.

IPv4-mapped and -compatible (RFC 4291), 6to4 (RFC 3056), Teredo (RFC 4380, flags per RFC 5991),
ISATAP (RFC 5214), NAT64 (RFC 6052, every prefix length) and 6rd (RFC 5969).
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv6Address, IPv6Network

from dualstack._value import value
from dualstack.addr.registry import lookup
from dualstack.errors import InputError

NAT64_WELL_KNOWN = IPv6Network("64:ff9b::/96")
NAT64_LENGTHS = (32, 40, 48, 56, 64, 96)
TEREDO_PREFIX = IPv6Network("2001::/32")
SIX_TO_FOUR_PREFIX = IPv6Network("2002::/16")
_U32 = 0xFFFFFFFF
_LOW56 = (1 << 56) - 1
_ZERO_V4 = IPv4Address(0)


@value
class Embedded:
    """An IPv4 address found inside an IPv6 address, and the role it plays there."""

    role: str  # 6to4 | teredo-server | teredo-client | isatap | nat64 | ipv4-mapped | ...
    ipv4: IPv4Address
    prefix: IPv6Network | None = None  # the NAT64 or 6rd prefix it was decoded with


@value
class Teredo:
    """The fields of a Teredo address (RFC 4380 section 4), port and client de-obfuscated."""

    server: IPv4Address
    client: IPv4Address
    port: int
    flags: int

    @property
    def cone(self) -> bool:
        """The C bit: the client was behind a cone NAT when it qualified."""
        return bool(self.flags & 0x8000)

    @property
    def random_bits(self) -> int:
        """The 12 bits RFC 5991 has clients fill at random (the A bits of CRAAAAUG AAAAAAAA)."""
        return ((self.flags >> 8) & 0x3C) << 6 | (self.flags & 0xFF)


@value
class SixRd:
    """A 6rd domain (RFC 5969): the 6rd prefix, IPv4MaskLen, and the IPv4 bits all CEs share."""

    prefix: IPv6Network
    ipv4_masklen: int = 0
    ipv4_common: IPv4Address = _ZERO_V4

    def __post_init__(self) -> None:
        if not 0 <= self.ipv4_masklen <= 32:
            raise InputError(f"6rd IPv4 mask length {self.ipv4_masklen} is out of range 0..32")
        if self.prefix.prefixlen + 32 - self.ipv4_masklen > 64:
            raise InputError(
                f"6rd prefix {self.prefix} with IPv4 mask length {self.ipv4_masklen} leaves "
                "no room in the first 64 bits for the IPv4 suffix"
            )

    @property
    def suffix_bits(self) -> int:
        return 32 - self.ipv4_masklen

    def decode(self, address: IPv6Address) -> IPv4Address | None:
        """The CE's IPv4 address behind a 6rd address, or None if outside the 6rd prefix."""
        if address not in self.prefix:
            return None
        shift = 128 - self.prefix.prefixlen - self.suffix_bits
        bits = (int(address) >> shift) & ((1 << self.suffix_bits) - 1)
        common = int(self.ipv4_common) & ~((1 << self.suffix_bits) - 1) & _U32
        return IPv4Address(common | bits)

    def delegated_prefix(self, ipv4: IPv4Address) -> IPv6Network:
        """The IPv6 prefix a CE with this IPv4 address gets from the 6rd domain."""
        length = self.prefix.prefixlen + self.suffix_bits
        bits = int(ipv4) & ((1 << self.suffix_bits) - 1)
        value = int(self.prefix.network_address) | bits << (128 - length)
        return IPv6Network((value, length))


def _ipv4(value: int) -> IPv4Address:
    return IPv4Address(value & _U32)


def teredo(address: IPv6Address) -> Teredo | None:
    """Decode a Teredo address (2001::/32), or None."""
    value = int(address)
    if value >> 96 != 0x20010000:
        return None
    return Teredo(
        server=_ipv4(value >> 64),
        client=_ipv4(~value),
        port=~(value >> 32) & 0xFFFF,
        flags=(value >> 48) & 0xFFFF,
    )


def sixtofour(address: IPv6Address) -> IPv4Address | None:
    """The IPv4 address of the 6to4 site (2002:V4ADDR::/48), or None."""
    value = int(address)
    return _ipv4(value >> 80) if value >> 112 == 0x2002 else None


def isatap(address: IPv6Address) -> IPv4Address | None:
    """The IPv4 address in an ISATAP interface identifier (``[02]00:5efe:a.b.c.d``), or None."""
    value = int(address)
    return _ipv4(value) if (value >> 32) & 0xFCFFFFFF == 0x00005EFE else None


def ipv4_mapped(address: IPv6Address) -> IPv4Address | None:
    value = int(address)
    return _ipv4(value) if value >> 32 == 0xFFFF else None


def ipv4_compatible(address: IPv6Address) -> IPv4Address | None:
    """The deprecated ``::a.b.c.d`` form (RFC 4291 2.5.5.1); ``::`` and ``::1`` are not."""
    value = int(address)
    return _ipv4(value) if value >> 32 == 0 and value > 1 else None


def _check_nat64_prefix(prefix: IPv6Network) -> None:
    if prefix.prefixlen not in NAT64_LENGTHS:
        raise InputError(
            f"NAT64 prefix {prefix.with_prefixlen} must be /32, /40, /48, /56, /64 or /96 "
            "(RFC 6052 section 2.2)"
        )
    if prefix.prefixlen < 96 and (int(prefix.network_address) >> 56) & 0xFF:
        raise InputError(f"NAT64 prefix {prefix.with_prefixlen}: bits 64-71 must be zero")


def nat64_extract(
    address: IPv6Address, prefix: IPv6Network = NAT64_WELL_KNOWN
) -> IPv4Address | None:
    """The IPv4 address inside an IPv4-embedded IPv6 address (RFC 6052), or None if ``address``
    is outside ``prefix`` or its reserved bits 64-71 are not zero."""
    _check_nat64_prefix(prefix)
    if address not in prefix:
        return None
    value = int(address)
    if prefix.prefixlen == 96:
        return _ipv4(value)
    if (value >> 56) & 0xFF:
        return None
    without_u = (value >> 64) << 56 | (value & _LOW56)  # 120 bits: the u octet removed
    return _ipv4(without_u >> (88 - prefix.prefixlen))


def nat64_synthesize(ipv4: IPv4Address, prefix: IPv6Network = NAT64_WELL_KNOWN) -> IPv6Address:
    """The IPv4-embedded IPv6 address a DNS64/NAT64 forms for ``ipv4`` (RFC 6052 section 2.2)."""
    _check_nat64_prefix(prefix)
    base = int(prefix.network_address)
    if prefix.prefixlen == 96:
        return IPv6Address(base | int(ipv4))
    spread = int(ipv4) << (88 - prefix.prefixlen)  # placed as if the u octet were absent
    return IPv6Address(base | (spread >> 56) << 64 | (spread & _LOW56))


def nat64_warnings(ipv4: IPv4Address, prefix: IPv6Network = NAT64_WELL_KNOWN) -> tuple[str, ...]:
    """What is wrong with synthesising ``ipv4`` under ``prefix``, short of an error: RFC 6052
    section 3.1 says the well-known prefix MUST NOT represent non-global IPv4 addresses (RFC
    1918 space, the other special-purpose blocks), so a DNS64/NAT64 for those needs a
    network-specific prefix."""
    if prefix != NAT64_WELL_KNOWN:
        return ()
    entry = lookup(ipv4)
    if entry is None or entry.globally_reachable is True:
        return ()
    return (
        f"{NAT64_WELL_KNOWN} must not carry {ipv4}: {entry.network} ({entry.name}) is not "
        "globally reachable, and the well-known prefix is for global IPv4 only (RFC 6052 "
        "section 3.1); use a network-specific prefix (--prefix)",
    )


def embedded_ipv4(
    address: IPv6Address,
    nat64_prefixes: tuple[IPv6Network, ...] = (NAT64_WELL_KNOWN,),
    sixrd: tuple[SixRd, ...] = (),
) -> tuple[Embedded, ...]:
    """Every IPv4 address ``address`` carries, each with its role (a prefix or 6rd domain
    given twice is decoded once)."""
    found: list[Embedded] = []
    mapped = ipv4_mapped(address)
    if mapped is not None:
        return (Embedded("ipv4-mapped", mapped),)
    compatible = ipv4_compatible(address)
    if compatible is not None:
        return (Embedded("ipv4-compatible", compatible),)
    site = sixtofour(address)
    if site is not None:
        found.append(Embedded("6to4", site))
    fields = teredo(address)
    if fields is not None:
        found += [
            Embedded("teredo-server", fields.server),
            Embedded("teredo-client", fields.client),
        ]
    for prefix in dict.fromkeys(nat64_prefixes):
        v4 = nat64_extract(address, prefix)
        if v4 is not None:
            found.append(Embedded("nat64", v4, prefix))
    for domain in dict.fromkeys(sixrd):
        v4 = domain.decode(address)
        if v4 is not None:
            found.append(Embedded("6rd", v4, domain.prefix))
    if fields is None:
        tunnel = isatap(address)
        if tunnel is not None:
            found.append(Embedded("isatap", tunnel))
    return tuple(found)
