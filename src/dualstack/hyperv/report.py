"""The doctor's report: findings, and each relevant event explained and tied to the findings
that cause it; rendered as text, Markdown, JSON and one self-contained HTML page."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import timedelta

from dualstack.findings import Finding, Severity
from dualstack.hyperv.events import Event, explain, relevant
from dualstack.hyperv.model import Host
from dualstack.hyperv.rules import check

# Which rules can cause which events: live-migration failures come from the network, role,
# binding-order and migration settings; membership and network events from the networks.
_CAUSES = {
    21111: ("HV-LM", "HV-BIND", "HV-NET", "HV-ROLE"),
    21126: ("HV-LM", "HV-BIND", "HV-NET", "HV-ROLE"),
    21500: ("HV-LM", "HV-BIND", "HV-NET"),
    21501: ("HV-LM", "HV-BIND", "HV-NET"),
    21502: ("HV-LM", "HV-BIND", "HV-NET"),
    21503: ("HV-LM", "HV-BIND", "HV-NET"),
    1135: ("HV-NET", "HV-ROLE", "HV-IPV6", "HV-GW", "HV-DNS"),
    1126: ("HV-NET", "HV-ROLE", "HV-IPV6"),
    1127: ("HV-NET", "HV-ROLE", "HV-IPV6"),
    1129: ("HV-NET", "HV-ROLE", "HV-IPV6"),
    1130: ("HV-NET", "HV-ROLE", "HV-IPV6"),
}


@dataclass(frozen=True)
class EventNote:
    """One relevant event, what it means, and the findings that explain it."""

    host: str
    event: Event
    title: str
    detail: str
    related: tuple[str, ...]  # rule ids
    subject: str | None = None  # the VM, or else the destination node, the event is about


@dataclass(frozen=True)
class Incident:
    """Events about one VM (or destination node) on any node within a few minutes of each
    other: one failed migration seen from both ends."""

    subject: str
    notes: tuple[EventNote, ...]

    @property
    def hosts(self) -> tuple[str, ...]:
        return tuple(sorted({n.host for n in self.notes}))

    @property
    def related(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r for n in self.notes for r in n.related))


INCIDENT_WINDOW = timedelta(minutes=10)


def incidents(notes: tuple[EventNote, ...]) -> tuple[Incident, ...]:
    """Group notes by subject, splitting where more than INCIDENT_WINDOW passes between two."""
    out: list[Incident] = []
    by_subject: dict[str, list[EventNote]] = {}
    for note in sorted(notes, key=lambda n: n.event.time):
        if note.subject:
            by_subject.setdefault(note.subject, []).append(note)
    for subject, group in by_subject.items():
        current = [group[0]]
        for note in group[1:]:
            if note.event.time - current[-1].event.time > INCIDENT_WINDOW:
                out.append(Incident(subject, tuple(current)))
                current = []
            current.append(note)
        out.append(Incident(subject, tuple(current)))
    return tuple(sorted(out, key=lambda i: i.notes[0].event.time))


@dataclass(frozen=True)
class Report:
    hosts: tuple[Host, ...]
    findings: tuple[Finding, ...]
    events: tuple[EventNote, ...]

    @property
    def incidents(self) -> tuple[Incident, ...]:
        return incidents(self.events)

    @property
    def errors(self) -> int:
        return sum(f.severity is Severity.ERROR for f in self.findings)


def build_report(hosts: tuple[Host, ...]) -> Report:
    """Check the cluster and explain every relevant event the nodes logged."""
    findings = tuple(check(hosts))
    names = {h.name for h in hosts}
    notes = []
    for host in hosts:
        for event in relevant(host.events):
            explanation = explain(event)
            if explanation is None:
                continue
            prefixes = _CAUSES.get(event.event_id, ())
            scope = {host.name, explanation.destination} - {None}
            related = []
            for finding in findings:
                if finding.severity is Severity.INFO or not finding.rule.startswith(prefixes):
                    continue
                first = finding.subject.split()[0] if finding.subject else ""
                if (first in scope or first not in names) and finding.rule not in related:
                    related.append(finding.rule)
            subject = explanation.vm or explanation.destination
            notes.append(
                EventNote(
                    host.name,
                    event,
                    explanation.title,
                    explanation.detail,
                    tuple(related),
                    subject,
                )
            )
    notes.sort(key=lambda n: n.event.time)
    return Report(tuple(hosts), findings, tuple(notes))


# ---- renderers ---------------------------------------------------------------------------


def text(report: Report) -> str:
    lines = [
        f"Cluster of {len(report.hosts)} node(s): "
        + ", ".join(f"{h.name} ({'.'.join(map(str, h.os_version))})" for h in report.hosts),
        "",
    ]
    if not report.findings:
        lines.append("No problems found.")
    for f in report.findings:
        lines.append(f"{f.rule} {f.severity.value}: {f.subject}")
        lines.append(f"  {f.message}")
        lines += [f"  - {e}" for e in f.evidence]
        if f.fix:
            lines.append(f"  fix: {f.fix}")
        lines.append("")
    for n in report.events:
        see = f" — see {', '.join(n.related)}" if n.related else ""
        lines.append(
            f"{n.event.event_id} on {n.host} at {n.event.time:%Y-%m-%d %H:%M}: {n.title}{see}"
        )
        lines.append(f"  {n.detail}")
        if n.event.message:
            lines.append(f"  logged: {n.event.message.strip()}")
    for i in report.incidents:
        if len(i.notes) > 1:
            lines.append(
                f"incident {i.subject}: {len(i.notes)} events on {', '.join(i.hosts)} from "
                f"{i.notes[0].event.time:%H:%M} to {i.notes[-1].event.time:%H:%M}"
                + (f" — see {', '.join(i.related)}" if i.related else "")
            )
    return "\n".join(lines).rstrip("\n") + "\n"


def markdown(report: Report) -> str:
    def cell(value: str) -> str:
        from dualstack.emit.quoting import markdown_cell

        return markdown_cell(value)

    lines = ["# Hyper-V cluster network doctor", ""]
    lines += ["| node | OS | collected |", "|---|---|---|"]
    lines += [
        f"| {cell(h.name)} | {cell('.'.join(map(str, h.os_version)))} | "
        f"{cell(h.collected_at.isoformat() if h.collected_at else '')} |"
        for h in report.hosts
    ]
    lines += ["", f"## Findings ({report.errors} error(s))", ""]
    if not report.findings:
        lines.append("No problems found.")
    for f in report.findings:
        lines += [f"### {f.rule} ({f.severity.value}): {cell(f.subject)}", "", cell(f.message), ""]
        lines += [f"- {cell(e)}" for e in f.evidence]
        if f.fix:
            lines += ["", "```powershell", f.fix, "```"]
        lines.append("")
    if report.events:
        lines += ["## Events", "", "| time | node | id | meaning | see |", "|---|---|---|---|---|"]
        lines += [
            f"| {n.event.time:%Y-%m-%d %H:%M} | {cell(n.host)} | {n.event.event_id} | "
            f"{cell(n.title)} | {cell(', '.join(n.related))} |"
            for n in report.events
        ]
    grouped = [i for i in report.incidents if len(i.notes) > 1]
    if grouped:
        lines += ["", "## Incidents", ""]
        lines += [
            f"- {cell(i.subject)}: {len(i.notes)} events on {cell(', '.join(i.hosts))}, "
            f"{i.notes[0].event.time:%Y-%m-%d %H:%M} to {i.notes[-1].event.time:%H:%M}"
            + (f"; see {', '.join(i.related)}" if i.related else "")
            for i in grouped
        ]
    return "\n".join(lines).rstrip("\n") + "\n"


_CSS = """
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:70rem;color:#1d232a}
h1{font-size:1.6rem}h2{margin-top:2rem;border-bottom:1px solid #d0d7de}
.f{border:1px solid #d0d7de;border-left:6px solid #888;border-radius:6px;padding:.6rem 1rem;
margin:.8rem 0}.error{border-left-color:#c62828}.warning{border-left-color:#e3a008}
.info{border-left-color:#1e6fd9}.sev{font-weight:600;text-transform:uppercase;font-size:.8rem}
pre{background:#f6f8fa;padding:.5rem;border-radius:4px;white-space:pre-wrap}
table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:left}
ul.e{color:#57606a;font-size:.9rem}.ok{color:#2e7d32;font-weight:600}
"""


def html_page(report: Report) -> str:
    """One self-contained page (inline CSS, no script, every value escaped)."""
    e = html.escape
    parts = [
        "<!doctype html><html lang=en><meta charset=utf-8>",
        "<title>Hyper-V cluster network doctor</title>",
        f"<style>{_CSS}</style><h1>Hyper-V cluster network doctor</h1>",
        "<table><tr><th>node<th>OS<th>collected<th>source",
    ]
    for h in report.hosts:
        collected = h.collected_at.isoformat() if h.collected_at else ""
        parts.append(
            f"<tr><td>{e(h.name)}<td>{e('.'.join(map(str, h.os_version)))}"
            f"<td>{e(collected)}<td>{e(h.source)}"
        )
    parts.append("</table>")
    counts = {sev: sum(f.severity is sev for f in report.findings) for sev in Severity}
    summary = ", ".join(f"{n} {sev.value}(s)" for sev, n in counts.items())
    parts.append(f"<h2>Findings: {e(summary)}</h2>")
    if not report.findings:
        parts.append("<p class=ok>No problems found.</p>")
    for f in report.findings:
        parts.append(
            f"<div class='f {e(f.severity.value)}' id='{e(f.rule)}'>"
            f"<span class=sev>{e(f.severity.value)}</span> <b>{e(f.rule)}</b> {e(f.subject)}"
            f"<p>{e(f.message)}</p>"
        )
        if f.evidence:
            parts.append("<ul class=e>" + "".join(f"<li>{e(x)}" for x in f.evidence) + "</ul>")
        if f.fix:
            parts.append(f"<pre>{e(f.fix)}</pre>")
        parts.append("</div>")
    if report.events:
        parts.append("<h2>Events</h2><table><tr><th>time<th>node<th>id<th>meaning<th>see")
        for n in report.events:
            links = ", ".join(f"<a href='#{e(r)}'>{e(r)}</a>" for r in n.related)
            parts.append(
                f"<tr><td>{n.event.time:%Y-%m-%d %H:%M}<td>{e(n.host)}<td>{n.event.event_id}"
                f"<td>{e(n.title)}<br><small>{e(n.detail)}</small><td>{links}"
            )
        parts.append("</table>")
    grouped = [i for i in report.incidents if len(i.notes) > 1]
    if grouped:
        parts.append("<h2>Incidents</h2><ul>")
        for i in grouped:
            links = ", ".join(f"<a href='#{e(r)}'>{e(r)}</a>" for r in i.related)
            parts.append(
                f"<li><b>{e(i.subject)}</b>: {len(i.notes)} events on {e(', '.join(i.hosts))}, "
                f"{i.notes[0].event.time:%Y-%m-%d %H:%M} to {i.notes[-1].event.time:%H:%M}"
                + (f"; see {links}" if links else "")
            )
        parts.append("</ul>")
    return "\n".join(parts) + "\n"


__all__ = [
    "EventNote",
    "Incident",
    "Report",
    "build_report",
    "html_page",
    "incidents",
    "markdown",
    "text",
]
