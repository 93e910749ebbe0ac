"""Tunnels that carry IPv6 over IPv4, as values checked once: a manual 6in4 tunnel (RFC 4213
section 3, "configured tunnelling", IP protocol 41) between a host or router and a router, and
a 6rd customer edge (RFC 5969) whose IPv6 prefix is derived from its IPv4 address.

What each value holds is what every renderer needs (:mod:`.iproute2`, :mod:`.networkd`,
:mod:`.netsh`, :mod:`.ios`), with the derived facts computed here: the MTU and why, the 6rd
delegated prefix and the border relay's IPv6 address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Interface, IPv6Network

from dualstack.addr.embedded import SixRd
from dualstack.errors import InputError

IPV4_HEADER = 20  # bytes the encapsulation adds (RFC 4213 section 3.2)
IPV6_MIN_MTU = 1280  # RFC 8200 section 5
_NAME = re.compile(r"[A-Za-z0-9_.-]{1,15}")  # a Linux interface name (IFNAMSIZ 16, with NUL)
# RFC 1918 and shared address space (RFC 6598): an endpoint there sits behind NAT
_NAT_SPACE = tuple(
    IPv4Network(block)
    for block in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10")
)


@dataclass(frozen=True, slots=True)
class SixInFour:
    """A manual 6in4 tunnel from this end (``local``) to the other (``remote``)."""

    name: str
    local: IPv4Address
    remote: IPv4Address
    address: IPv6Interface  # this end's IPv6 address on the tunnel, with its prefix length
    peer: IPv6Address | None  # the other end's IPv6 address (the routes' next hop)
    routes: tuple[IPv6Network, ...]  # sent into the tunnel: ::/0 from a host, site prefixes
    mtu: int
    ttl: int
    mtu_reason: str
    notes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SixRdCe:
    """A 6rd customer edge: its IPv4 address in a 6rd domain gives its IPv6 prefix."""

    name: str
    domain: SixRd
    ipv4: IPv4Address  # the CE's own (WAN) IPv4 address
    br: IPv4Address  # the domain's border relay
    delegated: IPv6Network  # the CE's prefix: 6rd prefix + the IPv4 suffix bits
    # the CE's address on the tunnel: the first of its delegated prefix, with the 6rd prefix's
    # length, so the whole domain is on the tunnel (CEs reach each other directly)
    address: IPv6Interface
    br_address: IPv6Address  # the relay's 6rd IPv6 address: the CE's default next hop
    mtu: int
    ttl: int
    mtu_reason: str
    notes: tuple[str, ...]

    @property
    def relay_prefix(self) -> IPv4Network:
        """The IPv4 bits every CE of the domain shares (iproute2's ``6rd-relay_prefix``)."""
        return IPv4Network(f"{self.domain.ipv4_common}/{self.domain.ipv4_masklen}", strict=False)


def _name(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise InputError(
            f"tunnel name {name!r}: 1-15 letters, digits, '.', '_' or '-' (a Linux interface name)"
        )
    return name


def _endpoint(address: IPv4Address, what: str) -> list[str]:
    """A tunnel endpoint must be a unicast IPv4 address; private space is allowed (behind NAT)
    and noted."""
    if (
        address.is_multicast
        or address.is_unspecified
        or address.is_loopback
        or address == IPv4Address("255.255.255.255")
        or address.is_link_local
    ):
        raise InputError(f"{what} {address}: a tunnel endpoint must be a unicast IPv4 address")
    if any(address in block for block in _NAT_SPACE):
        return [
            f"{what} {address} is private (RFC 1918/6598) space: behind NAT, the NAT must pass "
            "IP protocol 41 to it (6in4 has no ports to translate), and the far end must know "
            "the public address"
        ]
    return []


def _mtu(mtu: int | None, underlay: int) -> tuple[int, str]:
    if not IPV6_MIN_MTU + IPV4_HEADER <= underlay <= 65535:
        raise InputError(f"underlay MTU {underlay}: expected {IPV6_MIN_MTU + IPV4_HEADER}-65535")
    largest = underlay - IPV4_HEADER
    if mtu is None:
        return largest, (
            f"the {underlay}-byte IPv4 path less the {IPV4_HEADER}-byte IPv4 header each packet "
            "gains (RFC 4213 section 3.2)"
        )
    if not IPV6_MIN_MTU <= mtu <= largest:
        raise InputError(
            f"MTU {mtu}: IPv6 needs at least {IPV6_MIN_MTU} (RFC 8200), and a {underlay}-byte "
            f"IPv4 path carries at most {largest} after the {IPV4_HEADER}-byte header"
        )
    return mtu, "as given"


def _ttl(ttl: int) -> int:
    if not 1 <= ttl <= 255:
        raise InputError(f"TTL {ttl}: expected 1-255")
    return ttl


def six_in_four(
    local: IPv4Address,
    remote: IPv4Address,
    address: IPv6Interface,
    peer: IPv6Address | None = None,
    routes: tuple[IPv6Network, ...] = (IPv6Network("::/0"),),
    name: str = "sit6in4",
    mtu: int | None = None,
    ttl: int = 64,
    underlay_mtu: int = 1500,
) -> SixInFour:
    """A checked manual tunnel. ``routes``: ``::/0`` for a host (host-to-router), the far
    site's prefixes for router-to-router."""
    if local == remote:
        raise InputError(f"local and remote are both {local}: a tunnel needs two ends")
    notes = _endpoint(local, "local") + _endpoint(remote, "remote")
    ip = address.ip
    if ip.is_multicast or ip.is_link_local or ip.is_unspecified or ip.is_loopback:
        raise InputError(f"tunnel address {address}: expected a global or unique-local address")
    if address.network.prefixlen == 128 and peer is not None:
        raise InputError(f"tunnel address {address}: a /128 leaves no room for the peer {peer}")
    if peer is not None:
        if peer == ip:
            raise InputError(f"peer {peer} is this end's own address")
        if peer not in address.network:
            raise InputError(f"peer {peer} is outside this end's prefix {address.network}")
    if not routes:
        raise InputError("no route into the tunnel: give ::/0 (host) or the far site's prefixes")
    size, reason = _mtu(mtu, underlay_mtu)
    return SixInFour(
        _name(name), local, remote, address, peer, routes, size, _ttl(ttl), reason, tuple(notes)
    )


def six_rd(
    domain: SixRd,
    ipv4: IPv4Address,
    br: IPv4Address,
    name: str = "sit6rd",
    mtu: int | None = None,
    ttl: int = 64,
    underlay_mtu: int = 1500,
) -> SixRdCe:
    """A 6rd CE: its delegated prefix from ``ipv4`` (RFC 5969 section 7.1.1), its address on
    the tunnel, and the border relay's 6rd address, its default route's next hop."""
    # private IPv4 is usual inside a provider's 6rd domain (no NAT between CE and BR): the
    # endpoints are checked, their NAT notes are not kept
    _endpoint(ipv4, "CE address")
    _endpoint(br, "border relay")
    notes: list[str] = []
    masklen = domain.ipv4_masklen
    for what, address in (("CE address", ipv4), ("border relay", br)):
        if masklen and int(address) >> (32 - masklen) != int(domain.ipv4_common) >> (32 - masklen):
            raise InputError(
                f"{what} {address} does not share the domain's first {masklen} IPv4 bits "
                f"({domain.ipv4_common}/{masklen})"
            )
    delegated = domain.delegated_prefix(ipv4)
    if delegated.prefixlen > 64:
        raise InputError(f"delegated prefix {delegated}: longer than /64, no LAN fits in it")
    if delegated.prefixlen == 64:
        notes.append(f"the delegated prefix {delegated} is a single /64: room for one LAN only")
    size, reason = _mtu(mtu, underlay_mtu)
    return SixRdCe(
        name=_name(name),
        domain=domain,
        ipv4=ipv4,
        br=br,
        delegated=delegated,
        address=IPv6Interface((int(delegated.network_address) + 1, domain.prefix.prefixlen)),
        br_address=domain.delegated_prefix(br).network_address,
        mtu=size,
        ttl=_ttl(ttl),
        mtu_reason=reason,
        notes=tuple(notes),
    )
