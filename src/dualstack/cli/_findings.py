"""How findings are shown on the command line, and the site check every command starts with."""

from __future__ import annotations

import sys
from collections.abc import Iterable

from dualstack.findings import Finding
from dualstack.plan import Plan, check
from dualstack.present import finding_line


def print_findings(source: str, findings: Iterable[Finding]) -> None:
    """One line per finding on stderr, ``FILE:LINE: SUBJECT: severity: message (fix: ...)``."""
    for f in findings:
        sys.stderr.write(finding_line(f, source) + "\n")


def plan_or_exit(site: str) -> Plan:
    """The plan of ``site``; on errors, print every finding and exit 1."""
    outcome = check(site)
    if not outcome.ok or outcome.plan is None:
        print_findings(site, outcome.findings)
        sys.exit(1)
    return outcome.plan
