"""plan.md's address selection section: per VLAN, what Linux and Windows hosts try first and
from which source, and the warnings where that is not what a plan assumes. The outcomes are the
selection model's (checked against the real glibc in tests/test_select_glibc_lab.py)."""

from __future__ import annotations

from pathlib import Path

from dualstack.plan.selection import outlook, surprises
from dualstack.selection import read_policy, select
from tests.testdata import site_kit

SITE = """
[site]
name = "lab"
domain = "lab.example"
ipv6_prefix = "2001:db8:77::/48"
ula_prefix = "fd00:77::/48"

[dns]
nameservers = ["ns1.lab.example."]
ddns = false

[[vlan]]
id = 20
name = "servers"
ipv4 = "10.0.20.0/24"
gateway = "10.0.20.1"
ipv6 = "static"

[[vlan]]
id = 30
name = "guests"
ipv4 = "10.0.30.0/24"
gateway = "10.0.30.1"
ipv6 = "slaac"
ula = false

[[vlan]]
id = 40
name = "storage"
ipv4 = "10.0.40.0/24"
ipv6 = "static"

[[host]]
name = "ns1"
vlan = 20
ipv4 = "10.0.20.53"
ipv6 = "static"
"""


def test_outcomes_per_vlan_and_system(tmp_path: Path) -> None:
    kit, plan = site_kit(tmp_path, SITE)
    views = {v.vlan.vlan.id: v.outcomes for v in outlook(plan)}
    servers = views[20]
    assert servers[("Linux", "internet")].kind == "global IPv6"
    assert str(servers[("Linux", "internet")].source) == "2001:db8:77:20::100"
    assert servers[("Windows", "internet")].kind == "global IPv6"
    assert servers[("Linux", "ula")].kind == "ULA"  # glibc: ULA precedence 40 above IPv4's 10
    assert str(servers[("Linux", "ula")].source) == "fd00:77:0:20::100"
    assert servers[("Windows", "ula")].kind == "IPv4"  # RFC 6724: fc00::/7 at 3, IPv4 at 35
    # no ULA on the guest VLAN: Linux hosts' global source does not match a ULA's label
    assert views[30][("Linux", "ula")].kind == "IPv4"
    assert views[30][("Linux", "ula")].decision.rule == 5
    assert views[40] == {}  # no router, no gateway: nothing is reachable off the link

    report = (kit / "plan.md").read_text()
    section = report.split("## Which address hosts will use (RFC 6724)")[1].split("\n## ")[0]
    assert "| 20 servers | global IPv6 from 2001:db8:77:20::100 |" in section
    assert "| 40 storage | no route | no route | no route | no route |" in section
    notes = surprises(plan, outlook(plan))
    windows = sorted(n for n in notes if "Windows hosts reach a service" in n)
    assert len(windows) == 2
    assert windows[0].startswith("VLANs 20 (servers): ")
    assert "destination rule 6, prefer higher precedence: precedence 35 against 3" in windows[0]
    assert "netsh interface ipv6 add prefixpolicy fd00:77::/48 45 13" in windows[0]
    assert windows[1].startswith("VLANs 30 (guests): ")
    assert "destination rule 5" in windows[1]
    assert "no ULA /64 (ula = false)" in windows[1]
    linux = [n for n in notes if "Linux hosts reach a service" in n]
    assert len(linux) == 1
    assert linux[0].startswith("VLANs 30 (guests): ")
    for note in notes:
        assert f"- {note}" in section


def test_the_suggested_windows_prefix_policy_does_make_the_ula_win(tmp_path: Path) -> None:
    """The fix plan.md gives, applied to Windows' default table, puts the ULA first."""
    _, plan = site_kit(tmp_path, SITE)
    view = next(v for v in outlook(plan) if v.vlan.vlan.id == 20)
    default = (Path(__file__).parent / "fixtures" / "selection" / "netsh-default.txt").read_text()
    added = default.replace("        50      0  ::1/128", "        50      0  ::1/128\n"
                            "        45     13  fd00:77::/48")  # fmt: skip
    policy = read_policy(added, "netsh")
    from dualstack.plan.selection import ula_service, vlan_host

    chosen = select(ula_service(plan, view.vlan) or [], vlan_host(view.vlan), policy)
    first = chosen.destinations[0].destination
    assert str(first.address).startswith("fd00:77:")
    assert first.source is not None
    assert str(first.source.address) == "fd00:77:0:20::100"
