"""The one Finding value every checker returns, and the rules that build them.

A rule's id and severity are written once, where the rule is declared; a check then builds a
finding by calling its :class:`Rule` with what it found. Check functions register in a
:class:`RuleBook` with a decorator (``@RULES.check("dns.missing-ptr", Severity.ERROR)``); rules
that are not one function each (the site reader's) are declared in the book with
:meth:`RuleBook.define`. Either way a book refuses a second rule with the same id.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Generic, TypeVar

T = TypeVar("T")


class Severity(StrEnum):
    """How much a finding matters; ordered from worst to mildest."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """One problem found by a check: what rule, about what, what is wrong, and how to fix it.

    ``fix`` is None when there is nothing better to say than the message; ``line`` is the line
    of the input file the subject is written on, where the check knows it.
    """

    rule: str
    severity: Severity
    subject: str
    message: str
    fix: str | None = None
    evidence: tuple[str, ...] = ()  # what the check looked at, one fact a line
    line: int | None = None

    def at_line(self, line: int | None) -> Finding:
        """The same finding, placed on ``line`` of its input."""
        return replace(self, line=line)


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule's identity, bound once: calling it with what was found builds the Finding."""

    id: str
    severity: Severity
    summary: str = ""

    def __call__(
        self,
        subject: str,
        message: str,
        *,
        fix: str | None = None,
        evidence: Iterable[str] = (),
        severity: Severity | None = None,
    ) -> Finding:
        """A finding of this rule; ``severity`` overrides the rule's own for this one case."""
        return Finding(
            rule=self.id,
            severity=severity or self.severity,
            subject=subject,
            message=message,
            fix=fix or None,
            evidence=tuple(evidence),
        )


Check = Callable[[T, Rule], Iterable[Finding]]


class RuleBook(Generic[T]):
    """The rules of one checker, in declaration order; an id may be declared only once."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._rules: dict[str, Rule] = {}
        self._checks: list[tuple[Rule, Check[T]]] = []

    def define(self, rule_id: str, severity: Severity, summary: str = "") -> Rule:
        """Declare a rule that is reported from several places rather than by one function."""
        if rule_id in self._rules:
            raise ValueError(f"{self.kind} {rule_id!r} is already declared")
        rule = Rule(rule_id, severity, summary)
        self._rules[rule_id] = rule
        return rule

    def check(self, rule_id: str, severity: Severity) -> Callable[[Check[T]], Check[T]]:
        """Decorator: register ``func(subject, rule)`` as the check of a new rule; the summary
        is the function's docstring."""

        def add(func: Check[T]) -> Check[T]:
            self._checks.append((self.define(rule_id, severity, func.__doc__ or ""), func))
            return func

        return add

    def run(self, subject: T) -> Iterator[tuple[Rule, list[Finding]]]:
        """Each registered check over ``subject``, with the findings it returned."""
        for rule, func in self._checks:
            yield rule, list(func(subject, rule))

    def __iter__(self) -> Iterator[Rule]:
        return iter(self._rules.values())

    def __getitem__(self, rule_id: str) -> Rule:
        return self._rules[rule_id]

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._rules

    def __len__(self) -> int:
        return len(self._rules)
