"""Renderers: one pure module per output target, each registered by name (duplicates refused).

A renderer takes the kit's input (the plan, its zones and their serials) and returns the files
it contributes, as ``{relative path: text}``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from dualstack._registry import Registry
from dualstack.plan.model import Plan
from dualstack.zones.model import Zone
from dualstack.zones.tsig import TsigKey


class Secret(str):
    """File text that holds a secret: the kit writes it readable by its owner only (0600)."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class KitInput:
    plan: Plan
    zones: tuple[Zone, ...]
    serials: Mapping[str, int]  # zone origin -> SOA serial
    ddns_key: TsigKey  # the kit's own key for DHCPv6 DDNS, kept across runs


Renderer = Callable[[KitInput], Mapping[str, str]]
RENDERERS: Registry[Renderer] = Registry("renderer")
register = RENDERERS.register


def renderers() -> dict[str, Renderer]:
    """Every renderer, by name (importing the modules registers them)."""
    from dualstack.emit import (  # noqa: F401  (registration)
        dns_files,
        kea,
        kea4,
        networkd,
        plan_files,
        radvd,
        router,
        sysctl,
        windows_dhcp,
        windows_dns,
        windows_hosts,
    )

    return dict(RENDERERS.items())
