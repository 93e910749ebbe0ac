"""The JSON shapes of the DNS commands: the changes a push makes, and an audit's findings."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from dualstack.findings import Finding
from dualstack.present import finding
from dualstack.zones.push import Pushed, ZonePlan


def push(plans: Iterable[ZonePlan], applied: bool, done: Pushed | None = None) -> dict[str, Any]:
    """``dns push --json``: per zone, the records to add and delete (sent if ``applied``); with
    the whole run (``done``), the names released from the lock and the lock if it changed."""
    doc: dict[str, Any] = {
        "schema": "dualstack-dns-push/1",
        "applied": applied,
        "zones": [
            {
                "zone": p.zone,
                "changes": [
                    {"action": c.action, "owner": c.owner, "type": c.rtype, "value": c.value}
                    for c in p.changes
                ],
            }
            for p in plans
            if p.changes
        ],
    }
    if done is not None:
        doc["released"] = sorted(done.released)
        doc["lock"] = None if done.lock is None else str(done.lock)
        doc["unapplied"] = [
            {"action": c.action, "owner": c.owner, "type": c.rtype, "value": c.value}
            for c in done.unapplied
        ]
    return doc


def push_lines(done: Pushed) -> list[str]:
    """``dns push``'s report: the changes by zone, a summary, and what the lock recorded."""
    lines = []
    for p in done.plans:
        if p.changes:
            lines.append(f"zone {p.zone}")
            lines += [f"  {c}" for c in p.changes]
    verb = "applied" if done.applied else "to apply (run with --apply)"
    zones = sum(1 for p in done.plans if p.changes)
    lines.append(
        f"{done.total} change(s) in {zones} zone(s) {verb}"
        if done.total
        else "nothing to do: the server matches the plan"
    )
    if done.unapplied:
        lines.append(
            f"the server accepted but does not hold {len(done.unapplied)} change(s) "
            "(it ignores a CNAME added beside other data at its name, for one):"
        )
        lines += [f"  {c}" for c in done.unapplied]
    if done.released:
        lines.append(f"released  {len(done.released)} name(s) that hold no managed record now")
    if done.lock is not None:
        lines.append(f"wrote     {done.lock} (the DNS names this site publishes)")
    return lines


def audit(zones: Iterable[str], found: Iterable[Finding]) -> dict[str, Any]:
    """``dns audit --json``: the zones read and every finding."""
    return {
        "schema": "dualstack-dns-audit/1",
        "zones": sorted(zones),
        "findings": [finding(f) for f in found],
    }
