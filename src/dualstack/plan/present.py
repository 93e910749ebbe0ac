"""The JSON shapes of the planner's results: the plan, a site check, a written kit."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from dualstack.addr import text
from dualstack.present import finding

if TYPE_CHECKING:
    from pathlib import Path

    from dualstack.kit import KitWrite
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


def kit(outcome: Outcome, result: KitWrite) -> dict[str, Any]:
    """``kit --json``: each file of the kit and whether this run changed it, the files of the
    last kit it removed, the files it moved aside, and the warnings."""
    return {
        "schema": "dualstack-kit/1",
        "files": [{"path": str(w.path), "changed": w.changed} for w in result.written],
        "removed": [str(p) for p in result.removed],
        "moved": [{"path": str(m.path), "to": str(m.to)} for m in result.moved],
        "lock": None if result.lock is None else str(result.lock),
        "findings": [finding(f) for f in outcome.findings],
    }


def lock(path: Path | None, changed: bool) -> dict[str, Any]:
    """``plan lock --json``: the lock file (null when the scheme keeps nothing) and whether
    this run changed it."""
    return {
        "schema": "dualstack-plan-lock/1",
        "lock": None if path is None else str(path),
        "changed": changed,
    }


def kit_lines(site: str, result: KitWrite) -> list[str]:
    """``kit``'s report: a line per file (wrote, unchanged, moved, removed) and a summary."""
    moved = {m.path: m.to for m in result.moved}
    lines = []
    for w in result.written:
        if w.path in moved:
            lines.append(f"moved     {w.path} -> {moved[w.path]} (not as the kit wrote it)")
        lines.append(f"{'wrote    ' if w.changed else 'unchanged'} {w.path}")
    for path in result.removed:
        lines.append(f"removed   {path}")
    for path in sorted(set(moved) - {w.path for w in result.written}):
        lines.append(f"moved     {path} -> {moved[path]} (not as the kit wrote it)")
    changed = sum(w.changed for w in result.written)
    summary = (
        f"kit for {site} in {result.folder}: {changed} file(s) written, "
        f"{len(result.written) - changed} unchanged, {len(result.removed)} removed"
    )
    lines.append(summary + (f", {len(moved)} moved aside" if moved else ""))
    if result.lock is not None:
        lines.append(f"wrote     {result.lock} (the subnet IDs and DNS names this site keeps)")
    return lines


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
                "announces_dns": v.announces_dns,
                "ra": asdict(v.vlan.ra),  # None: the kit's default
                "dhcp": asdict(v.vlan.dhcp),
            }
            for v in value.vlans
        ],
        # the zones the kit serves; a classless one names the /24 zone that must delegate it
        # (its records: dns/parent-<zone>.txt and plan.md)
        "reverse_zones": [
            {"origin": z.origin, "network": z.network.with_prefixlen, "parent": z.parent}
            for z in (*value.reverse.v4, *value.reverse.v6)
        ],
        "interfaces": [
            {
                "host": h.host.name,
                "fqdn": value.fqdn(h.host.name),
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
