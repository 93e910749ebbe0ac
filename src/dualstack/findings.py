"""The one Finding value every checker returns."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How much a finding matters; ordered from worst to mildest."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found by a check: what rule, about what, what is wrong, and how to fix it."""

    rule: str
    severity: Severity
    subject: str
    message: str
    fix: str = ""
    evidence: tuple[str, ...] = ()  # what the check looked at, one fact a line

    def as_dict(self) -> dict[str, str | list[str]]:
        out: dict[str, str | list[str]] = {
            "rule": self.rule,
            "severity": self.severity.value,
            "subject": self.subject,
            "message": self.message,
            "fix": self.fix,
        }
        if self.evidence:
            out["evidence"] = list(self.evidence)
        return out
