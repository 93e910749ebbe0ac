"""One way to build a finding: rules declare id and severity once; findings are placed on the
line of the site file they are about, for the CLI and the web alike."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dualstack import present
from dualstack.findings import Finding, RuleBook, Severity
from dualstack.hyperv.rules import RULES as HYPERV_RULES
from dualstack.plan import check
from dualstack.plan.rules import RULES as SITE_RULES
from dualstack.zones.audit import RULES as DNS_RULES
from tests.testdata import CONTRACT


def test_finding_is_keyword_only() -> None:
    with pytest.raises(TypeError):
        Finding("x", Severity.ERROR, "s", "m")  # type: ignore[misc]


def test_a_rule_binds_id_and_severity_and_can_be_overridden_once() -> None:
    book: RuleBook[int] = RuleBook("test rule")

    @book.check("T-1", Severity.WARNING)
    def odd(value: int, found):  # type: ignore[no-untyped-def]
        """Odd numbers."""
        if value % 2:
            yield found(str(value), "is odd", evidence=[f"{value} % 2 == 1"])
        if value > 10:
            yield found(str(value), "is big", fix="", severity=Severity.INFO)

    [(rule, findings)] = list(book.run(11))
    assert (rule.id, rule.severity, rule.summary) == ("T-1", Severity.WARNING, "Odd numbers.")
    assert findings == [
        Finding(
            rule="T-1",
            severity=Severity.WARNING,
            subject="11",
            message="is odd",
            evidence=("11 % 2 == 1",),
        ),
        Finding(rule="T-1", severity=Severity.INFO, subject="11", message="is big"),
    ]
    assert findings[1].fix is None  # an empty fix is no fix


def test_a_book_refuses_a_second_rule_with_one_id() -> None:
    book: RuleBook[int] = RuleBook("test rule")
    book.define("T-1", Severity.ERROR)
    with pytest.raises(ValueError, match="test rule 'T-1' is already declared"):
        book.define("T-1", Severity.WARNING)


@pytest.mark.parametrize(
    ("book", "count"), [(HYPERV_RULES, 25), (DNS_RULES, 11), (SITE_RULES, 46)], ids=str
)
def test_every_checker_declares_its_rules_in_one_book(book: RuleBook[object], count: int) -> None:
    assert len(book) == count
    assert all(rule.summary for rule in book)


def test_the_json_shape_of_a_finding_is_the_same_everywhere() -> None:
    f = Finding(rule="r", severity=Severity.ERROR, subject="s", message="m", line=7)
    assert present.finding(f) == {
        "rule": "r",
        "severity": "error",
        "subject": "s",
        "message": "m",
        "fix": None,
        "evidence": [],
        "line": 7,
    }
    assert present.finding_line(f, "site.toml") == "site.toml:7: s: error: m"
    assert present.finding_line(f.at_line(None), "site.toml") == "site.toml: s: error: m"


def _broken(tmp_path: Path) -> tuple[Path, int]:
    """The contract with hv01's IPv4 outside its VLAN; the line of hv01's [[host]] table."""
    bad = tmp_path / "bad.toml"
    bad.write_text(CONTRACT.read_text().replace('ipv4 = "10.1.20.11"', 'ipv4 = "10.1.99.11"'))
    lines = bad.read_text().splitlines()
    return bad, [n for n, text in enumerate(lines, 1) if text == "[[host]]"][2]


def test_plan_findings_carry_their_line(tmp_path: Path) -> None:
    bad, line = _broken(tmp_path)
    [finding] = [f for f in check(bad).findings if f.rule == "host.outside-vlan"]
    assert (finding.subject, finding.line) == ("host[2] (hv01)", line)


def test_plan_check_prints_and_returns_the_line(tmp_path: Path) -> None:
    bad, line = _broken(tmp_path)
    run = [sys.executable, "-m", "dualstack", "plan", "check"]
    text = subprocess.run([*run, str(bad)], capture_output=True, text=True)
    assert text.returncode == 1
    assert text.stderr.startswith(f"{bad}:{line}: host[2] (hv01): error: ipv4 10.1.99.11 ")
    as_json = subprocess.run([*run, "--json", str(bad)], capture_output=True, text=True)
    doc = json.loads(as_json.stdout)
    assert doc["schema"] == "dualstack-plan-check/1"
    [outside] = [f for f in doc["findings"] if f["rule"] == "host.outside-vlan"]
    assert (outside["line"], outside["fix"]) == (line, None)
    assert all(isinstance(f["fix"], str) for f in doc["findings"] if f is not outside)


def test_allocator_findings_are_placed_too(tmp_path: Path) -> None:
    """A finding from planning (not reading) also gets its VLAN's line."""
    site = tmp_path / "s.toml"
    site.write_text(
        CONTRACT.read_text()
        + '\n[[vlan]]\nid = 999\nname = "odd"\nipv4 = "10.9.9.0/24"\nipv6 = "static"\n'
        'ipv6_subnet = "2001:db8:ffff:1::/64"\n'
    )
    [f] = [f for f in check(site).findings if f.rule == "vlan.subnet-outside"]
    last_vlan = max(n for n, t in enumerate(site.read_text().splitlines(), 1) if t == "[[vlan]]")
    assert f.line == last_vlan
