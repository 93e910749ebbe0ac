"""The RFC 7707 reading counts what it claims on a population built to show each pattern."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

np = pytest.importorskip("numpy", reason="numpy is the bulk extra (installed by make test; CI)")

from dualstack.bulk.audit import AuditTally  # noqa: E402
from dualstack.bulk.pipeline import analyse  # noqa: E402
from dualstack.bulk.source import extractor  # noqa: E402

POPULATION = [
    "2001:db8:1::1",  # low-byte
    "2001:db8:1::2",  # low-byte, sequential with ::1
    "2001:db8:1::80",  # embedded-port (HTTP), within 16 of nothing else
    "2001:db8:1::c000:201",  # embedded-ipv4
    "2001:db8:1::",  # zero
    "2001:db8:2:0:21b:21ff:fe01:2345",  # ieee-derived, Intel
    "2001:db8:2:0:8d3a:1f2e:5b6c:9a01",  # randomized
    "2001:db8:2:0:8d3a:1f2e:5b6c:9a0a",  # randomized, sequential with the one above
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
    "2002:c000:22d::1",  # 6to4 (and a low-byte IID)
    "fe80::5efe:c000:22d",  # ISATAP
    "192.0.2.1",
]


def reading():
    tally = AuditTally()
    tally.add(analyse(extractor("list")("\n".join(POPULATION) + "\n", 1)))
    return tally.result()


def test_classes_predictability_and_tunnels() -> None:
    result = reading()
    counts = {c.name: c.count for c in result.classes}
    assert counts == {
        "low-byte": 3,
        "embedded-port": 1,
        "embedded-ipv4": 1,
        "zero": 1,
        "ieee-derived": 1,
        "randomized": 2,
        "isatap": 1,
    }
    assert result.analysed == 10  # the Teredo IID is a tunnel, not a search
    assert result.predictable == 8
    assert result.sequential == 5  # ::, ::1, ::2 of the first /64 and the two random neighbours
    assert result.tunnels == {"teredo": 1, "6to4": 1, "isatap": 1}
    assert [v for v, _ in result.stats.vendors] == ["Intel Corporate [001b21]"]


def test_cli_report_and_json(tmp_path) -> None:
    path = tmp_path / "addresses.txt"
    path.write_text("\n".join(POPULATION) + "\n")
    cli = [sys.executable, "-m", "dualstack", "audit", "addresses", str(path)]
    text = subprocess.run(cli, capture_output=True, text=True, check=True).stdout
    assert "Predictable (at most 2^24 probes per /64): 8 (80.0%)" in text
    assert "Teredo (RFC 4380)" in text
    data = json.loads(
        subprocess.run([*cli, "--json"], capture_output=True, text=True, check=True).stdout
    )
    assert data["predictable"] == 8
    assert data["tunnels"]["teredo"] == 1
