"""The JSON shapes of the planner's results: the plan, a site check, a written kit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from dualstack.addr import text
from dualstack.present import finding

if TYPE_CHECKING:
    from dualstack.kit import Written
    from dualstack.plan import Outcome
    from dualstack.plan.model import Plan


def _str(value: object | None) -> str | None:
    return None if value is None else str(value)


def check(outcome: Outcome) -> dict[str, Any]:
    """``plan check --json``: whether the site can be planned, and every finding with its line."""
    return {
        "schema": "dualstack-plan-check/1",
        "ok": outcome.ok,
        "findings": [finding(f) for f in outcome.findings],
    }


def kit(outcome: Outcome, written: Iterable[Written]) -> dict[str, Any]:
    """``kit --json``: each file of the kit and whether this run changed it, and the warnings."""
    return {
        "schema": "dualstack-kit/1",
        "files": [{"path": str(w.path), "changed": w.changed} for w in written],
        "findings": [finding(f) for f in outcome.findings],
    }


def plan(value: Plan) -> dict[str, Any]:
    """A plan: ``plan show --json``, the kit's plan.json and the web Plan page."""
    site = value.site.info
    return {
        "schema": "dualstack-plan/2",
        "site": {
            "name": site.name,
            "domain": site.domain,
            "ipv6_prefix": site.ipv6_prefix.with_prefixlen,
            "ula_prefix": site.ula_prefix.with_prefixlen if site.ula_prefix else None,
            "subnet_scheme": site.subnet_scheme,
        },
        "vlans": [
            {
                "id": v.vlan.id,
                "name": v.vlan.name,
                "ipv4": v.vlan.ipv4.with_prefixlen,
                "gateway": _str(v.vlan.gateway),
                "ipv6_mode": v.vlan.ipv6,
                "subnet_id": v.subnet_id,
                "ipv6": v.ipv6.with_prefixlen if v.ipv6 else None,
                "ula": v.ula.with_prefixlen if v.ula else None,
                "gateway6": text.compressed(v.gateway6) if v.gateway6 else None,
                "dhcpv6_reservations": v.reservations.with_prefixlen if v.reservations else None,
                "dhcpv6_pool": v.pool.with_prefixlen if v.pool else None,
            }
            for v in value.vlans
        ],
        "interfaces": [
            {
                "host": h.host.name,
                "fqdn": f"{h.host.name}.{site.domain}.",
                "os": h.host.os,
                "interface": h.interface.name,
                "role": h.interface.role,
                "dns": h.interface.dns,
                "vlan": h.interface.vlan,
                "ipv4": _str(h.interface.ipv4),
                "mac": _str(h.interface.mac),
                "ipv6_mode": h.interface.ipv6,
                "ipv6": text.compressed(h.ipv6) if h.ipv6 else None,
                "ula": text.compressed(h.ula) if h.ula else None,
                "aliases": list(h.host.aliases),
                "derivation": h.derivation,
            }
            for h in value.interfaces
        ],
        "notes": [finding(n) for n in value.notes],
    }
