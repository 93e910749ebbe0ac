"""Linux, by hand or from a boot script: iproute2 commands (``ip tunnel``, ``ip-tunnel(8)``).

A sit device carries both: a manual tunnel names its remote end; a 6rd tunnel has no remote
and maps each destination inside the 6rd prefix to the IPv4 address embedded in it (the
kernel's ``CONFIG_IPV6_SIT_6RD``).
"""

from __future__ import annotations

from dualstack.addr.text import compressed
from dualstack.emit.quoting import token
from dualstack.tunnel.model import SixInFour, SixRdCe


def six_in_four(t: SixInFour) -> str:
    name = token(t.name, "interface name")
    lines = [
        "#!/bin/sh",
        f"# 6in4 tunnel {name}: {t.local} -> {t.remote} (RFC 4213, IP protocol 41)",
        f"# MTU {t.mtu}: {t.mtu_reason}",
        "set -e",
        f"ip tunnel add {name} mode sit local {t.local} remote {t.remote} ttl {t.ttl}",
        f"ip link set dev {name} mtu {t.mtu} up",
        f"ip -6 address add {compressed(t.address.ip)}/{t.address.network.prefixlen} dev {name}",
    ]
    via = f" via {compressed(t.peer)}" if t.peer is not None else ""
    lines += [f"ip -6 route add {route}{via} dev {name}" for route in t.routes]
    return "\n".join(lines) + "\n"


def six_rd(t: SixRdCe) -> str:
    name = token(t.name, "interface name")
    relay = t.relay_prefix
    lines = [
        "#!/bin/sh",
        f"# 6rd CE {name}: {t.ipv4} in 6rd domain {t.domain.prefix} (RFC 5969), "
        f"delegated prefix {t.delegated}",
        f"# MTU {t.mtu}: {t.mtu_reason}",
        "set -e",
        f"ip tunnel add {name} mode sit local {t.ipv4} ttl {t.ttl}",
        f"ip tunnel 6rd dev {name} 6rd-prefix {t.domain.prefix}"
        + (f" 6rd-relay_prefix {relay}" if relay.prefixlen else ""),
        f"ip link set dev {name} mtu {t.mtu} up",
        f"ip -6 address add {compressed(t.address.ip)}/{t.address.network.prefixlen} dev {name}",
        f"ip -6 route add ::/0 via {compressed(t.br_address)} dev {name}",
        f"# LANs: /64s of {t.delegated} on the inside interfaces (e.g. radvd prefixes)",
    ]
    return "\n".join(lines) + "\n"
