"""Hostile names from a site file never reach a zone file, a PowerShell script or a table."""

from __future__ import annotations

from pathlib import Path

import pytest

from dualstack.kit import PlanError, build_kit
from dualstack.plan import check
from tests.testdata import CONTRACT

HOSTILE = [
    "ns3\\n$INCLUDE /etc/passwd",
    "ns3\\n$ORIGIN evil.example.",
    "ns3 IN A 192.0.2.66",
    "x'; Remove-Item -Recurse C:\\\\ ; '",
    "x\u2019; Stop-Computer; \u2018",
    "$(Invoke-Expression evil)",
    "<script>alert(1)</script>",
    "a..b",
    "-leading-hyphen",
    "x" * 64,
]


@pytest.mark.parametrize("name", HOSTILE)
@pytest.mark.parametrize("field", ["name", "aliases"])
def test_hostile_names_are_refused_and_nothing_is_written(
    name: str, field: str, tmp_path: Path
) -> None:
    value = f'"{name}"' if field == "name" else f'["{name}"]'
    entry = '\n[[host]]\nname = "evil"\nvlan = 10\nipv4 = "10.1.10.66"\n'
    entry = (
        entry.replace('name = "evil"', f"name = {value}")
        if field == "name"
        else (entry + f"aliases = {value}\n")
    )
    site = tmp_path / "site.toml"
    site.write_text(CONTRACT.read_text() + entry)
    outcome = check(site)
    assert not outcome.ok
    assert any("is not a valid" in f.message for f in outcome.findings)
    with pytest.raises(PlanError):
        build_kit(site, tmp_path / "kit")
    assert not (tmp_path / "kit").exists()


def test_internationalised_names_become_punycode(tmp_path: Path) -> None:
    site = tmp_path / "site.toml"
    site.write_text(
        CONTRACT.read_text() + '\n[[host]]\nname = "drucker-büro"\nvlan = 10\nipv4 = "10.1.10.67"\n'
    )
    written = build_kit(site, tmp_path / "kit")[1].written
    forward = (tmp_path / "kit" / "dns" / "corp.example.net.zone").read_text()
    assert "xn--drucker-bro-1hb" in forward
    assert "büro" not in forward
    assert written
