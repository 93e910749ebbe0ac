"""``describe``: everything an admin asks of one prefix, as one value.

The usable-host rules follow the RFCs rather than the classic calculators: an IPv4 /31 is a
point-to-point link with two usable addresses and no broadcast (RFC 3021), a /32 is the one
host; IPv6 has no broadcast, so every address of a prefix is usable, including both ends of a
/127 point-to-point link (RFC 6164).
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network

from dualstack.addr import registry
from dualstack.addr.inspect import inspect
from dualstack.addr.parse import ipv4_mask_length, parse_address, parse_ipv4
from dualstack.addr.registry import RegistryEntry
from dualstack.addr.text import compressed, hexadecimal, reverse_pointer
from dualstack.errors import AddressError, quote
from dualstack.net._prefix import (
    IPAddress,
    IPNetwork,
    PrefixLike,
    host_network,
    plain_input,
    prefix_text,
)
from dualstack.net.reverse import ReverseZones, reverse_zones

_MAPPED = IPv6Network("::ffff:0:0/96")


@dataclass(frozen=True, slots=True)
class Boundary:
    """Where a prefix sits against the DNS label size: nibbles (IPv6) or octets (IPv4)."""

    unit: str  # "nibble" or "octet"
    aligned: bool
    enclosing: int  # the nearest boundary at or above the prefix (shorter length)
    enclosed: int  # the nearest boundary at or below it (longer length)


@dataclass(frozen=True, slots=True)
class Description:
    """One prefix (or address with a length) described the way ``dualstack calc`` shows it."""

    input: str
    address: IPAddress
    network: IPNetwork
    broadcast: IPv4Address | None
    first_host: IPAddress
    last_host: IPAddress
    usable_hosts: int
    boundary: Boundary
    types: tuple[str, ...]
    registry: RegistryEntry | None
    reverse: ReverseZones
    ipv4_mapped: IPv4Network | None = None
    notes: tuple[str, ...] = ()

    @property
    def version(self) -> int:
        return self.network.version

    @property
    def prefixlen(self) -> int:
        return self.network.prefixlen

    @property
    def netmask(self) -> IPAddress:
        return self.network.netmask

    @property
    def wildcard(self) -> IPAddress:
        """The Cisco ACL wildcard: the inverted mask."""
        return self.network.hostmask

    @property
    def mask_hex(self) -> str:
        return hexadecimal(self.network.netmask)

    @property
    def addresses(self) -> int:
        return self.network.num_addresses

    @property
    def size_bits(self) -> int:
        """log2 of the address count: the host bits."""
        return self.network.max_prefixlen - self.network.prefixlen

    @property
    def subnets_64(self) -> int | None:
        """How many /64s (SLAAC subnets) the prefix holds; 0 when longer than /64; None for
        IPv4."""
        if self.version == 4:
            return None
        return 1 << (64 - self.prefixlen) if self.prefixlen <= 64 else 0


def boundary(network: IPNetwork) -> Boundary:
    """The nibble (IPv6) or octet (IPv4) boundaries around ``network``'s length."""
    step = 8 if network.version == 4 else 4
    length = network.prefixlen
    down = length // step * step
    up = -(-length // step) * step
    return Boundary("octet" if step == 8 else "nibble", down == length, down, up)


def registry_entry(network: IPNetwork) -> RegistryEntry | None:
    """The most specific special-purpose registry block holding the whole prefix, or None."""
    for entry in registry.lookup_all(network.network_address):
        if entry.network.prefixlen <= network.prefixlen:
            return entry
    return None


def prefix_types(network: IPNetwork) -> tuple[str, ...]:
    """The ``inspect`` type tokens every address of the prefix shares.

    A token true of both the first and the last address holds for the whole prefix (the blocks
    and bit patterns behind the tokens nest like prefixes), so this is the intersection of two
    inspections; ``::/0`` shares none.
    """
    first = inspect(compressed(network.network_address)).types
    if network.num_addresses == 1:
        return first
    last = set(inspect(compressed(network.broadcast_address)).types)
    return tuple(t for t in first if t in last)


def mapped_ipv4(network: IPNetwork) -> IPv4Network | None:
    """The IPv4 prefix an IPv4-mapped IPv6 prefix (``::ffff:0:0/96`` and longer) stands for."""
    if not isinstance(network, IPv6Network) or not network.subnet_of(_MAPPED):
        return None
    return IPv4Network((int(network.network_address) & 0xFFFFFFFF, network.prefixlen - 96))


def _hosts(network: IPNetwork) -> tuple[IPv4Address | None, IPAddress, IPAddress, int, str]:
    """(broadcast, first usable, last usable, usable count, note) for ``network``."""
    first, last, length = network.network_address, network.broadcast_address, network.prefixlen
    n = network.num_addresses
    if isinstance(network, IPv4Network):
        if length == 32:
            return None, first, last, 1, "/32: a host route, the one address"
        if length == 31:
            return None, first, last, 2, "/31: point-to-point, both addresses usable (RFC 3021)"
        return IPv4Address(int(last)), first + 1, last - 1, n - 2, ""
    if length == 128:
        return None, first, last, 1, "/128: a single address"
    if length == 127:
        return None, first, last, 2, "/127: point-to-point, both addresses usable (RFC 6164)"
    return (
        None,
        first,
        last,
        n,
        "no broadcast in IPv6: every address is usable (the first is also the "
        "Subnet-Router anycast, RFC 4291 2.6.1)",
    )


def _read(value: PrefixLike) -> tuple[str, IPAddress, IPNetwork]:
    """(input text, the address given, its network); a bare address is a /32 or /128."""
    if isinstance(value, IPv4Network | IPv6Network):
        return prefix_text(value), value.network_address, value
    if isinstance(value, IPv4Address | IPv6Address):
        return compressed(value), value, host_network(value)
    if not isinstance(value, str):
        raise AddressError(f"expected a prefix, got {type(value).__name__}")
    parsed = plain_input(value)
    network = parsed.network if parsed.prefixlen is not None else host_network(parsed.address)
    assert network is not None
    return value, parsed.address, network


def _bare_ipv4(text: str) -> bool:
    try:
        parsed = parse_address(text)
    except AddressError:
        return False
    return parsed.version == 4 and parsed.prefixlen is None and parsed.port is None


def join_netmask(args: tuple[str, ...]) -> tuple[str, ...]:
    """``ADDRESS NETMASK`` as two words (the ipcalc habit) made one ``ADDRESS/NETMASK``, so
    ``calc 10.0.0.0 255.255.255.0`` is the /24 rather than two /32s. Only two bare IPv4
    addresses qualify, and only when the second is a netmask or a wildcard with first octet 0
    (see :func:`ipv4_mask_length`; 0.0.0.0 stays an address); a second word starting 255. that
    is no contiguous mask is an error, since nobody describes a 255.x host.

    >>> join_netmask(("10.0.0.0", "255.255.255.0"))
    ('10.0.0.0/255.255.255.0',)
    """
    if len(args) != 2 or not (_bare_ipv4(args[0]) and _bare_ipv4(args[1])):
        return args
    address, mask_text = args
    mask = int(parse_ipv4(mask_text.strip()))
    if mask and ipv4_mask_length(mask) is not None:
        return (f"{address.strip()}/{mask_text.strip()}",)
    if mask >> 24 == 0xFF:
        raise AddressError(
            f"{quote(mask_text)} is not a contiguous netmask (read as the mask of {address})"
        )
    return args


def describe(value: PrefixLike) -> Description:
    """Describe ``PREFIX_OR_ADDR/LEN`` (host bits allowed: an interface address), a bare
    address (its /32 or /128), or an IPv4 netmask form such as ``10.0.0.0/255.255.255.0``.

    >>> describe("192.0.2.77/26").reverse.classless
    '64/26.2.0.192.in-addr.arpa.'
    """
    text, address, network = _read(value)
    broadcast, first, last, usable, note = _hosts(network)
    notes = [note] if note else []
    mapped = mapped_ipv4(network)
    if isinstance(network, IPv6Network) and network.prefixlen > 64:
        notes.append(
            "longer than /64: holds no /64, so no SLAAC subnet (RFC 4291 needs 64-bit IIDs)"
        )
    if mapped is not None:
        notes.append(
            f"IPv4-mapped: stands for IPv4 {prefix_text(mapped)} (RFC 4291 2.5.5.2); resolvers "
            "look these addresses up under in-addr.arpa, so those are the reverse zones"
        )
    reverse = reverse_zones(mapped if mapped is not None else network)
    if isinstance(network, IPv4Network) and network.prefixlen == 32:
        notes.append(
            f"its PTR record is {reverse_pointer(network.network_address)} in {reverse.names[0]}"
        )
    return Description(
        input=text,
        address=address,
        network=network,
        broadcast=broadcast,
        first_host=first,
        last_host=last,
        usable_hosts=usable,
        boundary=boundary(network),
        types=prefix_types(network),
        registry=registry_entry(network),
        reverse=reverse,
        ipv4_mapped=mapped,
        notes=tuple(notes),
    )
