"""Linux with systemd-networkd: a ``.netdev`` (Kind=sit) and a ``.network`` for the tunnel.

The netdev is ``Independent=yes`` (systemd 248 and later): it is created on its own, without a
``Tunnel=`` line in the underlay's .network. networkd has no setting for 6rd's IPv4 common
prefix (iproute2's ``6rd-relay_prefix``): a domain with an IPv4MaskLen needs the iproute2 form.
"""

from __future__ import annotations

from dualstack.addr.text import compressed
from dualstack.emit.quoting import token
from dualstack.errors import InputError
from dualstack.tunnel.model import SixInFour, SixRdCe


def _netdev(name: str, mtu: int, tunnel: list[str]) -> str:
    return (
        "\n".join(
            ["[NetDev]", f"Name={name}", "Kind=sit", f"MTUBytes={mtu}", "", "[Tunnel]", *tunnel]
        )
        + "\n"
    )


def six_in_four(t: SixInFour) -> dict[str, str]:
    name = token(t.name, "interface name")
    netdev = _netdev(
        name, t.mtu, [f"Local={t.local}", f"Remote={t.remote}", f"TTL={t.ttl}", "Independent=yes"]
    )
    network = ["[Match]", f"Name={name}", "", "[Network]"]
    network.append(f"Address={compressed(t.address.ip)}/{t.address.network.prefixlen}")
    for route in t.routes:
        network += ["", "[Route]", f"Destination={route}"]
        if t.peer is not None:
            network.append(f"Gateway={compressed(t.peer)}")
    return {f"{name}.netdev": netdev, f"{name}.network": "\n".join(network) + "\n"}


def six_rd(t: SixRdCe) -> dict[str, str]:
    if t.domain.ipv4_masklen:
        raise InputError(
            f"systemd-networkd cannot set 6rd's IPv4 common prefix ({t.relay_prefix}): use "
            "--target iproute2 for this domain"
        )
    name = token(t.name, "interface name")
    netdev = _netdev(
        name,
        t.mtu,
        [
            f"Local={t.ipv4}",
            f"TTL={t.ttl}",
            f"IPv6RapidDeploymentPrefix={t.domain.prefix}",
            "Independent=yes",
        ],
    )
    network = [
        "[Match]",
        f"Name={name}",
        "",
        "[Network]",
        f"Address={compressed(t.address.ip)}/{t.address.network.prefixlen}",
        "",
        "[Route]",
        f"Gateway={compressed(t.br_address)}",
    ]
    return {f"{name}.netdev": netdev, f"{name}.network": "\n".join(network) + "\n"}
