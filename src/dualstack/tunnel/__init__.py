"""IPv6 over IPv4 tunnels: a manual 6in4 tunnel (RFC 4213) and a 6rd customer edge (RFC 5969),
checked once (:mod:`.model`) and written for Linux (iproute2 commands, systemd-networkd files),
Windows (netsh) and Cisco IOS.

>>> from ipaddress import IPv4Address, IPv6Interface
>>> from dualstack.tunnel import six_in_four, render
>>> t = six_in_four(IPv4Address("192.0.2.10"), IPv4Address("198.51.100.1"),
...                 IPv6Interface("2001:db8:ff::2/64"))
>>> t.mtu
1480
>>> print(render(t, "iproute2")["sit6in4.sh"].splitlines()[4])
ip tunnel add sit6in4 mode sit local 192.0.2.10 remote 198.51.100.1 ttl 64
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dualstack.errors import InputError
from dualstack.tunnel import ios, iproute2, netsh, networkd
from dualstack.tunnel.model import SixInFour, SixRdCe, six_in_four, six_rd

Tunnel = SixInFour | SixRdCe

# target -> (6in4 renderer, 6rd renderer, file name suffix for single-file targets)
TARGETS: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any], str]] = {
    "iproute2": (iproute2.six_in_four, iproute2.six_rd, ".sh"),
    "networkd": (networkd.six_in_four, networkd.six_rd, ""),
    "windows": (netsh.six_in_four, netsh.six_rd, ".cmd"),
    "ios": (ios.six_in_four, ios.six_rd, ".ios.txt"),
}


def render(tunnel: Tunnel, target: str) -> dict[str, str]:
    """The files of ``tunnel`` for ``target``: {file name: text}."""
    if target not in TARGETS:
        raise InputError(f"target {target!r} is not one of {', '.join(TARGETS)}")
    manual, sixrd, suffix = TARGETS[target]
    out = manual(tunnel) if isinstance(tunnel, SixInFour) else sixrd(tunnel)
    return out if isinstance(out, dict) else {f"{tunnel.name}{suffix}": out}


__all__ = ["TARGETS", "SixInFour", "SixRdCe", "Tunnel", "render", "six_in_four", "six_rd"]
