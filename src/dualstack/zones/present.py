"""The JSON shapes of the DNS commands: the changes a push makes, and an audit's findings."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from dualstack.findings import Finding
from dualstack.present import finding
from dualstack.zones.push import ZonePlan


def push(plans: Iterable[ZonePlan], applied: bool) -> dict[str, Any]:
    """``dns push --json``: per zone, the records to add and delete (sent if ``applied``)."""
    return {
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


def audit(zones: Iterable[str], found: Iterable[Finding]) -> dict[str, Any]:
    """``dns audit --json``: the zones read and every finding."""
    return {
        "schema": "dualstack-dns-audit/1",
        "zones": sorted(zones),
        "findings": [finding(f) for f in found],
    }
