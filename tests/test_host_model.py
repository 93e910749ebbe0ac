"""Hosts with an operating system and several NICs (tests/data/contracts/site-interfaces.toml):
each NIC is planned on its own VLAN, only NICs meant for DNS are published, and an address the
OS picks by itself is published nowhere."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from ipaddress import IPv4Address, IPv6Address, IPv6Network

import pytest

from dualstack.addr.mac import Mac
from dualstack.addr.slaac import eui64_address, stable_address
from dualstack.addr.text import reverse_pointer
from dualstack.plan import check, check_checked, read_site
from dualstack.plan.model import InterfacePlan, Plan
from dualstack.zones import build_zones
from tests.testdata import CONTRACT, INTERFACES_CONTRACT


@pytest.fixture(scope="module")
def plan() -> Plan:
    outcome = check(INTERFACES_CONTRACT)
    assert outcome.ok, [f.message for f in outcome.findings]
    assert outcome.plan is not None
    return outcome.plan


def nic(plan: Plan, host: str, name: str | None) -> InterfacePlan:
    return next(i for i in plan.interfaces if i.host.name == host and i.interface.name == name)


def records(plan: Plan) -> set[tuple[str, str, str]]:
    return {(r.owner, r.rtype, r.value) for z in build_zones(plan) for r in z.records}


def test_the_contract_is_accepted_as_it_is(plan: Plan) -> None:
    hosts = {h.name: h for h in plan.site.hosts}
    assert [i.name for i in hosts["hv01"].interfaces] == [
        "Management",
        "LiveMigration",
        "Cluster",
        "iSCSI-A",
    ]
    assert [i.role for i in hosts["hv01"].interfaces] == [
        "management",
        "live-migration",
        "cluster",
        "iscsi",
    ]
    assert [i.dns for i in hosts["hv01"].interfaces] == [True, False, False, False]
    assert (hosts["hv01"].os, hosts["web01"].os, hosts["kiosk1"].os) == (
        "windows",
        "linux",
        "other",
    )
    assert len(plan.interfaces) == 13


def test_each_nic_is_planned_on_its_own_vlan(plan: Plan) -> None:
    management = nic(plan, "hv01", "Management")
    assert management.ipv6 == eui64_address(
        IPv6Network("2001:db8:1300:10::/64"), Mac.parse("00:15:5d:0a:20:01")
    )
    migration = nic(plan, "hv01", "LiveMigration")
    assert migration.ipv6 == IPv6Address("2001:db8:1300:40::21")
    assert nic(plan, "hv01", "iSCSI-A").ipv6 is None  # VLAN 300 is IPv4-only
    web = nic(plan, "web01", None)
    assert web.ipv6 == stable_address(
        IPv6Network("2001:db8:1300:10::/64"),
        IPv6Address("2001:db8:aaaa:bbbb:1:2:3:4"),
        Mac.parse("52:54:00:3a:20:31"),
    )


def test_only_nics_meant_for_dns_are_published(plan: Plan) -> None:
    held = records(plan)
    fqdn = "hv01.corp.example.net."
    assert (fqdn, "AAAA", str(nic(plan, "hv01", "Management").ipv6)) in held
    assert (fqdn, "A", "10.2.10.21") in held
    published = {value for owner, _, value in held if owner == fqdn}
    assert published == {"10.2.10.21", str(nic(plan, "hv01", "Management").ipv6)}
    pointed = {owner for owner, rtype, value in held if rtype == "PTR" and value == fqdn}
    lm = nic(plan, "hv01", "LiveMigration").ipv6
    assert lm is not None
    assert reverse_pointer(lm) not in pointed  # the live-migration NIC answers for no name
    assert "21.40.2.10.in-addr.arpa." not in pointed
    assert len(pointed) == 2


def test_an_address_the_os_picks_is_published_nowhere(plan: Plan) -> None:
    files = nic(plan, "files01", None)
    assert files.ipv6 is None
    assert files.derivation == "SLAAC by the OS: not predictable"
    held = records(plan)
    assert ("files01.corp.example.net.", "A", "10.2.10.30") in held
    assert not any(o == "files01.corp.example.net." and t == "AAAA" for o, t, _ in held)
    [note] = [f for f in check(INTERFACES_CONTRACT).findings if f.subject == "host[4] (files01)"]
    assert (note.rule, note.severity.value) == ("host.unpredictable", "info")


def test_the_one_nic_contract_still_reads_as_one_interface_per_host() -> None:
    outcome = check(CONTRACT)
    assert outcome.ok
    assert outcome.plan is not None
    assert all(len(h.interfaces) == 1 for h in outcome.plan.site.hosts)
    ns1 = next(i for i in outcome.plan.interfaces if i.host.name == "ns1")
    assert (ns1.interface.role, ns1.interface.dns, ns1.interface.ipv4) == (
        "management",
        True,
        IPv4Address("10.1.10.53"),
    )


HEAD = """
[site]
name = "t"
domain = "t.example"
ipv6_prefix = "2001:db8:1200::/48"

[dns]
nameservers = ["ns.example.net."]

[[vlan]]
id = 10
name = "servers"
ipv4 = "10.1.10.0/24"
gateway = "10.1.10.1"
ipv6 = "slaac"

[[vlan]]
id = 40
name = "lm"
ipv4 = "10.1.40.0/27"
ipv6 = "static"
"""


def findings(body: str) -> list[tuple[str, str, int | None]]:
    checked = read_site(HEAD + textwrap.dedent(body), "t.toml")
    return [(f.rule, f.subject, f.line) for f in check_checked(checked).findings]


def line_of(body: str, header: str, nth: int = 0) -> int:
    """The file line of the ``nth`` table header ``header`` in HEAD + body."""
    lines = (HEAD + textwrap.dedent(body)).splitlines()
    return [n for n, text in enumerate(lines, 1) if text.strip() == header][nth]


def test_stable_on_windows_is_an_error() -> None:
    body = """
        [[host]]
        name = "w"
        os = "windows"
        vlan = 10
        mac = "00:15:5d:00:00:01"
        ipv6 = "stable"
        stable_secret = "::1"
        """
    assert ("host.stable-on-windows", "host[0] (w)", line_of(body, "[[host]]")) in findings(body)


def test_an_interface_finding_names_and_places_the_interface() -> None:
    body = """
        [[host]]
        name = "hv"
        os = "windows"
          [[host.interface]]
          name = "Management"
          vlan = 10
          mac = "00:15:5d:00:00:02"
          [[host.interface]]
          name = "LM"
          role = "live-migration"
          vlan = 40
          ipv4 = "10.1.41.5"
          ipv6 = "static"
        """
    line = line_of(body, "[[host.interface]]", 1)
    assert findings(body) == [("host.outside-vlan", "host[0].interface[1] (hv/LM)", line)]


def test_shorthand_keys_beside_interface_tables_are_an_error() -> None:
    body = """
        [[host]]
        name = "hv"
        vlan = 10
          [[host.interface]]
          vlan = 10
          mac = "00:15:5d:00:00:03"
        """
    assert ("host.conflict", "host[0] (hv)", line_of(body, "[[host]]")) in findings(body)


def test_plan_json_has_one_row_per_interface() -> None:
    run = [sys.executable, "-m", "dualstack", "plan", "show", "--json", str(INTERFACES_CONTRACT)]
    doc = json.loads(subprocess.run(run, capture_output=True, text=True, check=True).stdout)
    assert doc["schema"] == "dualstack-plan/2"
    rows = [r for r in doc["interfaces"] if r["host"] == "hv01"]
    assert [(r["interface"], r["role"], r["dns"]) for r in rows] == [
        ("Management", "management", True),
        ("LiveMigration", "live-migration", False),
        ("Cluster", "cluster", False),
        ("iSCSI-A", "iscsi", False),
    ]


def test_a_multi_nic_linux_host_names_each_nic() -> None:
    body = """
        [[host]]
        name = "db"
        os = "linux"
          [[host.interface]]
          name = "ens18"
          vlan = 10
          mac = "52:54:00:00:00:01"
          [[host.interface]]
          vlan = 40
          ipv4 = "10.1.40.5"
          ipv6 = "static"
        """
    line = line_of(body, "[[host.interface]]", 1)
    assert findings(body) == [("host.interface-needs-name", "host[0].interface[1]", line)]
