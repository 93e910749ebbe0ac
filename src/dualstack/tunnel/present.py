"""The ``--json`` object of ``dualstack tunnel``: the checked parameters and each target's
files (a target that cannot express the tunnel gets its reason instead)."""

from __future__ import annotations

from typing import Any

from dualstack.addr.text import compressed
from dualstack.errors import InputError
from dualstack.tunnel import TARGETS, Tunnel, render
from dualstack.tunnel.model import SixInFour

SCHEMA = "dualstack-tunnel/1"


def parameters(t: Tunnel) -> dict[str, Any]:
    common = {"name": t.name, "mtu": t.mtu, "mtu_reason": t.mtu_reason, "ttl": t.ttl}
    if isinstance(t, SixInFour):
        return {
            "kind": "6in4",
            **common,
            "local": str(t.local),
            "remote": str(t.remote),
            "address": f"{compressed(t.address.ip)}/{t.address.network.prefixlen}",
            "peer": None if t.peer is None else compressed(t.peer),
            "routes": [str(r) for r in t.routes],
        }
    return {
        "kind": "6rd",
        **common,
        "sixrd_prefix": str(t.domain.prefix),
        "ipv4_masklen": t.domain.ipv4_masklen,
        "relay_prefix": str(t.relay_prefix),
        "ce_ipv4": str(t.ipv4),
        "br_ipv4": str(t.br),
        "delegated_prefix": str(t.delegated),
        "address": f"{compressed(t.address.ip)}/{t.address.network.prefixlen}",
        "br_address": compressed(t.br_address),
    }


def tunnel(t: Tunnel, targets: list[str]) -> dict[str, Any]:
    files: dict[str, Any] = {}
    for target in targets:
        try:
            files[target] = render(t, target)
        except InputError as exc:
            files[target] = {"unsupported": str(exc)}
    return {
        "schema": SCHEMA,
        **parameters(t),
        "notes": list(t.notes),
        "targets": files,
    }


__all__ = ["SCHEMA", "TARGETS", "parameters", "tunnel"]
