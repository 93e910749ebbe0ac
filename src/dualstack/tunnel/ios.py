"""Cisco IOS / IOS-XE: a ``Tunnel`` interface in ``tunnel mode ipv6ip`` (manual 6in4) or
``tunnel mode ipv6ip 6rd`` (6rd, IOS 15.1(3)T and IOS-XE 3.1S or later)."""

from __future__ import annotations

from dualstack.addr.text import compressed
from dualstack.tunnel.model import SixInFour, SixRdCe


def _upper(address: object) -> str:
    return str(address).upper()


def six_in_four(t: SixInFour, number: int = 0) -> str:
    lines = [
        f"! 6in4 tunnel {t.name}: {t.local} -> {t.remote} (RFC 4213, IP protocol 41)",
        f"interface Tunnel{number}",
        f" description 6in4 {t.name}",
        " no ip address",
        f" ipv6 address {_upper(compressed(t.address.ip))}/{t.address.network.prefixlen}",
        f" ipv6 mtu {t.mtu}",
        f" tunnel source {t.local}",
        f" tunnel destination {t.remote}",
        f" tunnel ttl {t.ttl}",
        " tunnel mode ipv6ip",
        "!",
    ]
    hop = f" {_upper(compressed(t.peer))}" if t.peer is not None else ""
    lines += [f"ipv6 route {_upper(route)} Tunnel{number}{hop}" for route in t.routes]
    return "\n".join(lines) + "\n"


def six_rd(t: SixRdCe, number: int = 0) -> str:
    lines = [
        f"! 6rd CE {t.name}: {t.ipv4} in 6rd domain {t.domain.prefix} (RFC 5969), delegated "
        f"prefix {t.delegated}",
        f"interface Tunnel{number}",
        f" description 6rd {t.name}",
        " no ip address",
        f" ipv6 address {_upper(compressed(t.address.ip))}/128",
        f" ipv6 mtu {t.mtu}",
        f" tunnel source {t.ipv4}",
        " tunnel mode ipv6ip 6rd",
        f" tunnel 6rd ipv4 prefix-len {t.domain.ipv4_masklen}",
        f" tunnel 6rd prefix {_upper(t.domain.prefix)}",
        "!",
        f"ipv6 route {_upper(t.domain.prefix)} Tunnel{number}",
        f"ipv6 route ::/0 Tunnel{number} {_upper(compressed(t.br_address))}",
        f"! LANs: /64s of {_upper(t.delegated)} on the inside interfaces",
    ]
    return "\n".join(lines) + "\n"
