"""The lock file beside a sequential site: every command that plans the site keeps the subnet
IDs once given, so adding a VLAN never renumbers the others anywhere (not only in ``kit``)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dualstack.kit import build_kit
from dualstack.plan import Plan, check
from dualstack.plan.lock import load_lock, lock_path
from dualstack.zones import build_zones
from dualstack.zones.own import owners

SITE = """
[site]
name = "seq"
domain = "seq.example"
ipv6_prefix = "2001:db8:5e00::/48"
subnet_scheme = "sequential"

[dns]
nameservers = ["ns.example.net."]

[[vlan]]
id = 20
name = "servers"
ipv4 = "10.5.20.0/24"
ipv6 = "static"

[[vlan]]
id = 30
name = "clients"
ipv4 = "10.5.30.0/24"
ipv6 = "slaac"
"""
LOWER = '\n[[vlan]]\nid = 10\nname = "mgmt"\nipv4 = "10.5.10.0/24"\nipv6 = "static"\n'


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dualstack", *args], capture_output=True, text=True, check=False
    )


def planned(site: Path) -> Plan:
    plan = check(site).plan
    assert plan is not None
    return plan


def subnets(site: Path) -> dict[int, int | None]:
    return {v.vlan.id: v.subnet_id for v in planned(site).vlans}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    path = tmp_path / "site.toml"
    path.write_text(SITE)
    return path


def test_without_a_lock_a_lower_vlan_renumbers_the_others(site: Path) -> None:
    assert subnets(site) == {20: 0, 30: 1}
    site.write_text(SITE + LOWER)
    assert subnets(site) == {10: 0, 20: 1, 30: 2}  # what the lock is for


def test_plan_lock_keeps_the_ids_for_every_command(site: Path) -> None:
    done = run("plan", "lock", str(site))
    assert (done.returncode, done.stdout) == (0, f"wrote     {lock_path(site)}\n")
    lock = json.loads(lock_path(site).read_text())
    assert lock == {
        "schema": "dualstack-lock/2",
        "site": "seq",
        "subnets": {"20": 0, "30": 1},
        "managed": [],  # `plan lock` keeps the DNS names the lock has; it publishes none
    }
    site.write_text(SITE + LOWER)
    assert subnets(site) == {10: 2, 20: 0, 30: 1}  # the library's check(), as dns push uses it
    shown = json.loads(run("plan", "show", "--json", str(site)).stdout)
    assert {v["id"]: v["subnet_id"] for v in shown["vlans"]} == {10: 2, 20: 0, 30: 1}
    again = run("plan", "lock", "--json", str(site))
    assert json.loads(again.stdout) == {
        "schema": "dualstack-plan-lock/1",
        "lock": str(lock_path(site)),
        "changed": True,
    }
    assert run("plan", "lock", str(site)).stdout == f"unchanged {lock_path(site)}\n"


def test_the_kit_writes_the_lock_and_reports_it(site: Path, tmp_path: Path) -> None:
    done = run("kit", str(site), "-o", str(tmp_path / "kit"))
    assert done.returncode == 0
    assert done.stdout.splitlines()[-1] == (
        f"wrote     {lock_path(site)} (the subnet IDs and DNS names this site keeps)"
    )
    managed = json.loads(lock_path(site).read_text())["managed"]
    assert managed == sorted(owners(build_zones(planned(site))))
    site.write_text(SITE + LOWER)
    _, result = build_kit(site, tmp_path / "kit")
    assert result.lock == lock_path(site)  # VLAN 10 was added to it
    assert json.loads(lock_path(site).read_text())["subnets"] == {"10": 2, "20": 0, "30": 1}
    doc = json.loads(run("kit", str(site), "-o", str(tmp_path / "kit"), "--json").stdout)
    assert doc["lock"] is None  # nothing changed this time


def test_a_kit_from_before_locks_still_keeps_its_ids(site: Path, tmp_path: Path) -> None:
    build_kit(site, tmp_path / "kit")
    lock_path(site).unlink()  # as a kit written before lock files existed
    site.write_text(SITE + LOWER)
    build_kit(site, tmp_path / "kit")  # reads the old plan.json
    assert subnets(site) == {10: 2, 20: 0, 30: 1}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "unreadable lock file"),
        ('{"schema": "x"}', "not a dualstack-lock/1 or dualstack-lock/2 lock file"),
        ('{"schema": "dualstack-lock/1"}', "not a dualstack-lock/1 lock file (no subnets)"),
        (
            '{"schema": "dualstack-lock/2", "managed": ["relative"]}',
            "managed must be a list of absolute DNS names",
        ),
        (
            '{"schema": "dualstack-lock/1", "subnets": {"ten": 1}}',
            "subnet IDs must be integers keyed by VLAN id",
        ),
    ],
)
def test_a_broken_lock_is_a_one_line_error(site: Path, content: str, message: str) -> None:
    lock_path(site).write_text(content)
    done = run("plan", "show", str(site))
    assert done.returncode == 2
    assert done.stderr.startswith(f"dualstack: error: {lock_path(site)}: {message}")
    assert done.stderr.count("\n") == 1


def test_a_scheme_that_derives_its_ids_gets_no_lock(site: Path) -> None:
    site.write_text(SITE.replace('"sequential"', '"vlan"'))
    done = run("plan", "lock", str(site))
    assert done.stdout == (
        f"{site}: subnet_scheme 'vlan' derives every subnet ID from its VLAN: nothing to lock\n"
    )
    assert not lock_path(site).exists()


def test_a_version_1_lock_is_read_and_upgraded_by_the_next_write(
    site: Path, tmp_path: Path
) -> None:
    old = {"schema": "dualstack-lock/1", "site": "seq", "subnets": {"20": 0, "30": 1}}
    lock_path(site).write_text(json.dumps(old))
    site.write_text(SITE + LOWER)
    assert subnets(site) == {10: 2, 20: 0, 30: 1}  # its IDs hold
    assert load_lock(lock_path(site)).managed == frozenset()  # it owned no DNS names yet
    build_kit(site, tmp_path / "kit")
    lock = json.loads(lock_path(site).read_text())
    assert lock["schema"] == "dualstack-lock/2"
    assert lock["subnets"] == {"10": 2, "20": 0, "30": 1}
    assert lock["managed"] == sorted(owners(build_zones(planned(site))))


def test_the_kit_adds_names_and_never_drops_them(site: Path, tmp_path: Path) -> None:
    build_kit(site, tmp_path / "kit")
    first = set(json.loads(lock_path(site).read_text())["managed"])
    assert "10.20.5.10.in-addr.arpa." not in first  # the site has no host yet
    site.write_text(SITE + '\n[[host]]\nname = "web"\nvlan = 20\nipv4 = "10.5.20.10"\n')
    build_kit(site, tmp_path / "kit")
    second = set(json.loads(lock_path(site).read_text())["managed"])
    assert first < second
    assert {"web.seq.example.", "10.20.5.10.in-addr.arpa."} <= second - first
    site.write_text(SITE)  # the host is gone from the plan; only a push may release its names
    build_kit(site, tmp_path / "kit")
    assert set(json.loads(lock_path(site).read_text())["managed"]) == second


def test_plan_lock_keeps_the_names_a_push_recorded(site: Path) -> None:
    site.write_text(SITE.replace('"sequential"', '"vlan"'))
    names = ["web.seq.example."]
    lock = {"schema": "dualstack-lock/2", "site": "seq", "subnets": {}, "managed": names}
    lock_path(site).write_text(json.dumps(lock, indent=2) + "\n")
    done = run("plan", "lock", str(site))
    assert done.stdout == f"unchanged {lock_path(site)}\n"
    assert json.loads(lock_path(site).read_text()) == lock
