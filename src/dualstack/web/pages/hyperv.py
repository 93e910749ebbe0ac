"""Hyper-V: upload every node's collector JSON; the cluster network doctor's report (nodes,
findings with evidence and fix, the events explained and tied to the findings, incidents)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from flask import Blueprint, render_template, request
from werkzeug.datastructures import FileStorage

from dualstack.errors import InputError
from dualstack.findings import Finding, Severity
from dualstack.hyperv.model import Host, parse_host
from dualstack.hyperv.report import Report, build_report

TITLE = "Hyper-V"
ORDER = 60
page = Blueprint("hyperv", __name__)


@dataclass(frozen=True)
class Card:
    """A finding as the page shows it; only the first card of a rule carries the rule as its
    id, so event links land on it and the page's ids stay unique."""

    finding: Finding
    anchor: str | None


def read_upload(file: FileStorage) -> Host:
    """One uploaded collector file, read in memory; every way it can be wrong is an
    InputError naming the file, which the app shows as a page."""
    return parse_host(file.read(), file.filename or "upload")


def uploaded_hosts() -> tuple[Host, ...]:
    """Every chosen file as a node; the same node twice would double every cluster check."""
    files = [f for f in request.files.getlist("hosts") if f.filename]
    if not files:
        raise InputError("choose one or more collector JSON files (one per node)")
    hosts = tuple(read_upload(f) for f in files)
    counts = Counter(h.name for h in hosts)
    twice = sorted(name for name, n in counts.items() if n > 1)
    if twice:
        where = "; ".join(
            f"{name} in {', '.join(h.source for h in hosts if h.name == name)}" for name in twice
        )
        raise InputError(f"the same node was given twice: {where}")
    return hosts


def cards(findings: tuple[Finding, ...]) -> tuple[Card, ...]:
    """The findings in report order, the first of each rule anchored by its rule id."""
    seen: set[str] = set()
    out = []
    for finding in findings:
        out.append(Card(finding, None if finding.rule in seen else finding.rule))
        seen.add(finding.rule)
    return tuple(out)


def summary(report: Report) -> dict[str, int]:
    """How many findings of each severity, worst first (every severity, zeros included)."""
    counts = Counter(f.severity for f in report.findings)
    return {severity.value: counts[severity] for severity in Severity}


@page.route("/hyperv", methods=["GET", "POST"])
def show() -> str:
    if request.method != "POST":
        return render_template("hyperv.html", report=None)
    report = build_report(uploaded_hosts())
    counts = summary(report)
    return render_template(
        "hyperv.html",
        report=report,
        counts=counts,
        problems=counts["error"] + counts["warning"],
        cards=cards(report.findings),
        anchors={f.rule for f in report.findings},
    )
