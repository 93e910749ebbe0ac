"""The VLAN and host tables of a plan as rows of text: one source for CSV, Markdown and terminal."""

from __future__ import annotations

from dualstack.addr.text import compressed
from dualstack.plan.model import Plan

VLAN_COLUMNS = ("vlan", "name", "ipv4", "gateway", "ipv6_mode", "ipv6", "ula", "gateway6")
HOST_COLUMNS = (
    "name",
    "interface",
    "role",
    "vlan",
    "ipv4",
    "mac",
    "ipv6_mode",
    "ipv6",
    "ula",
    "aliases",
    "derivation",
)


def _text(value: object | None) -> str:
    return "" if value is None else str(value)


def vlan_rows(plan: Plan) -> list[dict[str, str]]:
    return [
        {
            "vlan": str(v.vlan.id),
            "name": v.vlan.name,
            "ipv4": v.vlan.ipv4.with_prefixlen,
            "gateway": _text(v.vlan.gateway),
            "ipv6_mode": v.vlan.ipv6,
            "ipv6": v.ipv6.with_prefixlen if v.ipv6 else "",
            "ula": v.ula.with_prefixlen if v.ula else "",
            "gateway6": compressed(v.gateway6) if v.gateway6 else "",
        }
        for v in plan.vlans
    ]


def host_rows(plan: Plan) -> list[dict[str, str]]:
    """One row per NIC of every host (a one-NIC host has no interface name)."""
    return [
        {
            "name": h.host.name,
            "interface": _text(h.interface.name),
            "role": h.interface.role,
            "vlan": str(h.interface.vlan),
            "ipv4": _text(h.interface.ipv4),
            "mac": _text(h.interface.mac),
            "ipv6_mode": h.interface.ipv6,
            "ipv6": compressed(h.ipv6) if h.ipv6 else "",
            "ula": compressed(h.ula) if h.ula else "",
            "aliases": " ".join(h.host.aliases),
            "derivation": h.derivation,
        }
        for h in plan.interfaces
    ]
