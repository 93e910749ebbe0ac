"""Windows: ``netsh interface ipv6`` commands for a manual 6in4 tunnel (``v6v4tunnel``, a
plain RFC 4213 tunnel). Windows has no 6rd customer edge of its own."""

from __future__ import annotations

from dualstack.addr.text import compressed
from dualstack.emit.quoting import token
from dualstack.errors import InputError
from dualstack.tunnel.model import SixInFour, SixRdCe


def six_in_four(t: SixInFour) -> str:
    name = token(t.name, "interface name")
    lines = [
        f"rem 6in4 tunnel {name}: {t.local} -> {t.remote} (RFC 4213, IP protocol 41)",
        f"rem MTU {t.mtu}: {t.mtu_reason}",
        f"netsh interface ipv6 add v6v4tunnel interface={name} localaddress={t.local} "
        f"remoteaddress={t.remote}",
        f"netsh interface ipv6 set subinterface interface={name} mtu={t.mtu} store=persistent",
        f"netsh interface ipv6 add address interface={name} "
        f"address={compressed(t.address.ip)}/{t.address.network.prefixlen}",
    ]
    hop = f" nexthop={compressed(t.peer)}" if t.peer is not None else ""
    lines += [
        f"netsh interface ipv6 add route prefix={route} interface={name}{hop}" for route in t.routes
    ]
    return "\r\n".join(lines) + "\r\n"


def six_rd(t: SixRdCe) -> str:
    raise InputError("Windows has no 6rd customer edge: use a router (--target ios, iproute2)")
