"""How findings are shown on the command line."""

from __future__ import annotations

import sys
from collections.abc import Iterable

from dualstack.findings import Finding


def print_findings(source: str, findings: Iterable[Finding]) -> None:
    """One line per finding on stderr, ``FILE: SUBJECT: severity: message (fix: ...)``."""
    for f in findings:
        fix = f" (fix: {f.fix})" if f.fix else ""
        sys.stderr.write(f"{source}: {f.subject}: {f.severity.value}: {f.message}{fix}\n")
