"""VLANs with and without a router: ``gateway6``, and what the kit writes for each.

A VLAN with no IPv4 gateway and no ``gateway6`` (live migration, cluster) has no router: the
plan invents no ``::1`` for it, no file of the kit gives its hosts an IPv6 default route or
publishes a router address for it, and its router advertisements say "not a default router"
(or are not sent at all where nothing is autoconfigured). The kernel side is proven in
tests/test_kernel_default_route.py.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from ipaddress import IPv6Address
from pathlib import Path

import pytest
from click.testing import CliRunner

from dualstack.cli.root import cli
from dualstack.emit.radvd import radvd_conf
from dualstack.kit import build_kit
from dualstack.plan import check_checked, read_site
from dualstack.plan.model import Plan

SITE = """
[site]
name = "lab"
domain = "lab.example"
ipv6_prefix = "2001:db8:77::/48"
ula_prefix = "fd77:77:77::/48"

[dns]
nameservers = ["ns1.lab.example."]

[[vlan]]
id = 10
name = "servers"
ipv4 = "10.7.10.0/24"
gateway = "10.7.10.1"
ipv6 = "slaac"

[[vlan]]
id = 40
name = "live-migration"
ipv4 = "10.7.40.0/24"
ipv6 = "static"

[[vlan]]
id = 41
name = "cluster"
ipv4 = "10.7.41.0/24"
ipv6 = "slaac"

[[vlan]]
id = 42
name = "backup"
ipv4 = "10.7.42.0/24"
ipv6 = "dhcpv6"

[[vlan]]
id = 50
name = "v6only"
ipv4 = "10.7.50.0/24"
ipv6 = "slaac"
gateway6 = "2001:db8:77:50::fe"

[[vlan]]
id = 60
name = "printers"
ipv4 = "10.7.60.0/24"
gateway = "10.7.60.1"
ipv6 = "dhcpv6"

[[host]]
name = "ns1"
os = "linux"
vlan = 10
ipv4 = "10.7.10.53"
ipv6 = "static"

[[host]]
name = "hv01-lm"
os = "linux"
vlan = 40
ipv4 = "10.7.40.11"
mac = "00:15:5d:0a:40:11"

[[host]]
name = "hv01-csv"
vlan = 41
ipv4 = "10.7.41.11"
mac = "00:15:5d:0a:41:11"

[[host]]
name = "bk1"
vlan = 42
ipv4 = "10.7.42.10"
mac = "00:15:5d:0a:42:10"
ipv6 = "dhcpv6"

[[host]]
name = "prn"
vlan = 60
ipv4 = "10.7.60.7"
mac = "00:15:5d:0a:60:07"
ipv6 = "dhcpv6"
"""
UNROUTED = (40, 41, 42)
# the ::1 an earlier planner invented for them, global and ULA, not followed by more digits
# (dhcp.ps1's exclusion range from ::1 up to the pool is a range bound, not an address)
INVENTED = re.compile(r"(?<!-StartRange ')(?:2001:db8:77|fd77:77:77):4[012]::1(?![0-9a-f:])")


def _plan(text: str = SITE) -> Plan:
    outcome = check_checked(read_site(text, "t.toml"))
    assert outcome.ok, [f.message for f in outcome.findings]
    assert outcome.plan is not None
    return outcome.plan


def _messages(text: str) -> list[tuple[str, str, int | None]]:
    outcome = check_checked(read_site(text, "t.toml"))
    return [(f.rule, f.message, f.line) for f in outcome.findings]


def _line(text: str, needle: str, occurrence: int = 0) -> int:
    """The 1-based line of the ``occurrence``-th line starting with ``needle``."""
    found = [n for n, line in enumerate(text.splitlines(), 1) if line.startswith(needle)]
    return found[occurrence]


def _stanzas(conf: str) -> dict[str, str]:
    return {
        m.group(1): m.group(2)
        for m in re.finditer(r"^interface (\S+) \{\n(.*?)^\};", conf, re.S | re.M)
    }


def test_a_vlan_without_a_gateway_has_no_router() -> None:
    routers = {v.vlan.id: v.gateway6 for v in _plan().vlans}
    assert routers == {
        10: IPv6Address("2001:db8:77:10::1"),  # the static rule on the IPv4 gateway
        40: None,
        41: None,
        42: None,
        50: IPv6Address("2001:db8:77:50::fe"),  # gateway6 as given
        60: IPv6Address("2001:db8:77:60::1"),
    }
    assert {v.vlan.id for v in _plan().vlans if not v.routed} == set(UNROUTED)


def test_gateway6_wins_over_the_ipv4_rule_and_may_be_ula() -> None:
    text = SITE.replace(
        'gateway = "10.7.10.1"\n', 'gateway = "10.7.10.1"\ngateway6 = "fd77:77:77:10::a"\n'
    )
    assert _plan(text).vlans[0].gateway6 == IPv6Address("fd77:77:77:10::a")


def test_a_host_may_take_1_where_no_router_is() -> None:
    text = SITE.replace('ipv4 = "10.7.40.11"', 'ipv4 = "10.7.40.1"\nipv6 = "static"')
    lm = {h.host.name: h for h in _plan(text).interfaces}["hv01-lm"]
    assert lm.ipv6 == IPv6Address("2001:db8:77:40::1")
    # where there is a router, its address stays taken
    text = SITE.replace('ipv4 = "10.7.10.53"', 'ipv4 = "10.7.10.1"')
    clash = "IPv6 2001:db8:77:10::1 is also vlan[0] (servers)'s router"
    assert ("host.duplicate-address", clash, _line(text, "[[host]]")) in _messages(text)


@pytest.mark.parametrize(
    ("gateway6", "rule", "message"),
    [
        (
            "2001:db8:77:51::1",
            "vlan.gateway6-outside",
            "gateway6 2001:db8:77:51::1 is outside its /64 2001:db8:77:50::/64 or fd77:77:77:50::",
        ),
        ("fe80::1", "vlan.gateway6-outside", "gateway6 fe80::1 is outside its /64"),
        (
            "2001:db8:77:50::",
            "vlan.gateway6-reserved",
            "is the Subnet-Router anycast (RFC 4291 2.6.1) address",
        ),
        (
            "2001:db8:77:50:fdff:ffff:ffff:ffff",
            "vlan.gateway6-reserved",
            "is the reserved anycast address",
        ),
    ],
)
def test_gateway6_must_be_a_router_address_in_the_vlan(
    gateway6: str, rule: str, message: str
) -> None:
    text = SITE.replace('gateway6 = "2001:db8:77:50::fe"', f'gateway6 = "{gateway6}"')
    found = [(r, m, line) for r, m, line in _messages(text) if r.startswith("vlan.gateway6")]
    assert len(found) == 1, found
    assert found[0][0] == rule
    assert message in found[0][1]
    assert found[0][2] == _line(text, "[[vlan]]", 4)  # the line of that [[vlan]]


def test_gateway6_outside_the_dhcpv6_ranges_and_not_without_ipv6() -> None:
    text = SITE.replace('gateway = "10.7.60.1"', 'gateway6 = "2001:db8:77:60:0:d6:1:5"')
    assert any(
        r == "vlan.gateway6-reserved"
        and "inside the DHCPv6 pool range 2001:db8:77:60:0:d6:1:0/112" in m
        for r, m, _ in _messages(text)
    )
    text = SITE.replace('ipv6 = "slaac"\ngateway6', 'ipv6 = "none"\ngateway6')
    why = 'gateway6 2001:db8:77:50::fe given but the VLAN has ipv6 = "none"'
    assert ("vlan.gateway6-outside", why, _line(text, "[[vlan]]", 4)) in _messages(text)
    text = SITE.replace('gateway6 = "2001:db8:77:50::fe"', 'gateway6 = "10.7.50.1"')
    assert any(r == "site.invalid-value" and "gateway6" in m for r, m, _ in _messages(text))


def test_plan_check_reports_a_bad_gateway6_in_one_line(tmp_path: Path) -> None:
    site = tmp_path / "site.toml"
    site.write_text(
        SITE.replace('gateway6 = "2001:db8:77:50::fe"', 'gateway6 = "2001:db8:77:50::"')
    )
    result = CliRunner().invoke(cli, ["plan", "check", str(site)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if "gateway6" in line]
    assert lines, result.output
    assert "Subnet-Router anycast" in " ".join(lines), result.output


def test_radvd_without_a_router() -> None:
    conf = radvd_conf(_plan())
    assert conf is not None
    stanzas = _stanzas(conf)
    assert set(stanzas) == {"vlan10", "vlan41", "vlan42", "vlan50", "vlan60"}
    assert (
        "# VLAN 40 (live-migration): no advertisements: static and no router "
        "(no gateway, no gateway6): nothing to autoconfigure"
    ) in conf
    for routed in ("vlan10", "vlan50", "vlan60"):
        assert "AdvDefaultLifetime 1800;" in stanzas[routed]
        assert "RDNSS 2001:db8:77:10::53 { };" in stanzas[routed]
        assert "DNSSL lab.example { };" in stanzas[routed]
    for closed in ("vlan41", "vlan42"):
        assert "AdvDefaultLifetime 0;" in stanzas[closed]
        assert "RDNSS" not in stanzas[closed]
        assert "DNSSL" not in stanzas[closed]
    assert "AdvAutonomous on;" in stanzas["vlan41"]  # hosts still form addresses
    assert "prefix fd77:77:77:41::/64 {" in stanzas["vlan41"]
    assert "AdvManagedFlag on;" in stanzas["vlan42"]  # and still ask DHCPv6 for them


def test_radvd_accepts_it(tmp_path: Path) -> None:
    radvd = shutil.which("radvd") or "/usr/sbin/radvd"
    assert Path(radvd).exists(), "radvd is missing: `make test` installs it"
    conf = radvd_conf(_plan())
    assert conf is not None
    (tmp_path / "radvd.conf").write_text(conf)
    proc = subprocess.run(
        [radvd, "--configtest", "-C", str(tmp_path / "radvd.conf")],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_no_radvd_conf_when_nothing_is_advertised(tmp_path: Path) -> None:
    text = (
        SITE.split("[[vlan]]")[0]
        + '[[vlan]]\nid = 40\nname = "lm"\nipv4 = "10.7.40.0/24"\nipv6 = "static"\n'
    )
    text = text.replace('nameservers = ["ns1.lab.example."]', 'nameservers = ["ns1.example.net."]')
    assert radvd_conf(_plan(text)) is None
    site = tmp_path / "site.toml"
    site.write_text(text)
    build_kit(site, tmp_path / "kit")
    assert not (tmp_path / "kit" / "radvd").exists()
    assert (
        "- VLAN 40 (lm): no IPv4 gateway, no gateway6: no router advertisements at all"
        in (tmp_path / "kit" / "plan.md").read_text()
    )


@pytest.fixture
def kit(tmp_path: Path) -> dict[str, str]:
    site = tmp_path / "site.toml"
    site.write_text(SITE)
    build_kit(site, tmp_path / "kit")
    root = tmp_path / "kit"
    return {str(p.relative_to(root)): p.read_text() for p in sorted(root.rglob("*")) if p.is_file()}


def test_no_router_address_anywhere_in_the_kit(kit: dict[str, str]) -> None:
    for name, text in kit.items():
        assert not INVENTED.search(text), (name, INVENTED.search(text))
    vlans = {v["id"]: v for v in json.loads(kit["plan.json"])["vlans"]}
    assert [vlans[i]["gateway6"] for i in UNROUTED] == [None, None, None]
    assert vlans[50]["gateway6"] == "2001:db8:77:50::fe"
    rows = {line.split(",")[0]: line.split(",") for line in kit["vlans.csv"].splitlines()}
    assert [rows[str(i)][-1] for i in UNROUTED] == ["", "", ""]
    report = kit["plan.md"]
    assert (
        "| 40 | live-migration | 10.7.40.0/24 |   | static | 2001:db8:77:40::/64 "
        "| fd77:77:77:40::/64 |   |" in report
    )
    assert "## VLANs without a router" in report
    assert (
        "- VLAN 41 (cluster): no IPv4 gateway, no gateway6: router advertisements with "
        "router lifetime 0" in report
    )
    assert "- VLAN 10 (servers)" not in report


def test_no_default_gateway_in_host_files(kit: dict[str, str]) -> None:
    assert "Gateway=" not in kit["linux/hv01-lm.network"]  # static host on VLAN 40
    assert "Address=2001:db8:77:40::11/64" in kit["linux/hv01-lm.network"]
    assert "Gateway=10.7.10.1" in kit["linux/ns1.network"]  # a routed VLAN keeps its gateway
    assert not re.search(r"Gateway|NextHop|New-NetRoute", kit["windows/addresses.ps1"])


def test_dhcp_dns_options_only_on_routed_scopes(kit: dict[str, str]) -> None:
    kea = json.loads(kit["kea/kea-dhcp6.conf"])["Dhcp6"]
    assert kea["option-data"] == []
    # a subnet's options are its own or, inside a shared network (a VLAN with reservations
    # and a pool), its network's
    subnets = {s["id"]: s for s in kea["subnet6"]}
    for network in kea.get("shared-networks", []):
        shared = {k: v for k, v in network.items() if k == "option-data"}
        subnets |= {s["id"]: s | shared for s in network["subnet6"]}
    assert "option-data" not in subnets[42]
    assert subnets[60]["option-data"] == [
        {"name": "dns-servers", "data": "2001:db8:77:10::53"},
        {"name": "domain-search", "data": "lab.example"},
    ]
    ps1 = kit["windows/dhcp.ps1"]
    options = [line for line in ps1.splitlines() if line.startswith("Set-DhcpServerv6OptionValue")]
    assert options == [
        "Set-DhcpServerv6OptionValue -ComputerName $ComputerName -DnsServer '2001:db8:77:10::53' "
        "-DomainSearchList 'lab.example' -Prefix '2001:db8:77:60::'"
    ]
    assert "# no router on this VLAN: no DNS options for its scope" in ps1
