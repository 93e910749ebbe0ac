"""The JSON shapes of the Hyper-V doctor: the report (``hyperv check --format json``) and one
explained event (``hyperv events --json``)."""

from __future__ import annotations

from typing import Any

from dualstack.hyperv.events import Event, Explanation
from dualstack.hyperv.report import Report
from dualstack.present import finding


def report(value: Report) -> dict[str, Any]:
    """The whole report: nodes, findings, explained events and the incidents they form."""
    return {
        "schema": "dualstack-hyperv-report/1",
        "hosts": [
            {
                "name": h.name,
                "source": h.source,
                "os_version": ".".join(map(str, h.os_version)),
                "collected_at": h.collected_at.isoformat() if h.collected_at else None,
                "notes": list(h.notes),
            }
            for h in value.hosts
        ],
        "findings": [finding(f) for f in value.findings],
        "events": [
            {
                "host": n.host,
                "time": n.event.time.isoformat(),
                "log": n.event.log,
                "id": n.event.event_id,
                "title": n.title,
                "detail": n.detail,
                "message": n.event.message,
                "related_rules": list(n.related),
            }
            for n in value.events
        ],
        "incidents": [
            {
                "subject": i.subject,
                "hosts": list(i.hosts),
                "first": i.notes[0].event.time.isoformat(),
                "last": i.notes[-1].event.time.isoformat(),
                "events": [n.event.event_id for n in i.notes],
                "related_rules": list(i.related),
            }
            for i in value.incidents
        ],
        "errors": value.errors,
    }


def event(path: str, event: Event, note: Explanation | None) -> dict[str, Any]:
    """One event record from an exported log, with what it means where it is understood."""
    return {
        "schema": "dualstack-hyperv-event/1",
        "file": path,
        "time": event.time.isoformat(),
        "computer": event.computer,
        "log": event.log,
        "provider": event.provider,
        "id": event.event_id,
        "title": note.title if note else None,
        "detail": note.detail if note else None,
        "message": event.message,
        "data": dict(event.data),
    }
