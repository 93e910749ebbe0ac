"""Validation reports everything at once: one error never hides another, and the cases a first
wave let through (a name with the domain written twice, group MACs, a mode in capitals, a
SLAAC host nobody can predict) are findings."""

from __future__ import annotations

import textwrap

import pytest

from dualstack.plan import check_checked, read_site
from dualstack.plan.site import Checked

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
ipv6 = "static"

[[vlan]]
id = 20
name = "clients"
ipv4 = "10.1.20.0/24"
gateway = "10.1.20.1"
ipv6 = "slaac"
"""


def read(body: str) -> Checked:
    return read_site(HEAD + textwrap.dedent(body), "t.toml")


def found(body: str) -> list[tuple[str, str, str]]:
    """(rule, subject, message) of every finding, reader and planner."""
    return [(f.rule, f.subject, f.message) for f in check_checked(read(body)).findings]


def test_an_overlap_is_reported_beside_the_entry_s_other_error() -> None:
    body = """
    [[vlan]]
    id = 30
    name = "dmz"
    ipv4 = "10.1.10.128/25"
    gateway = 5
    ipv6 = "static"
    """
    rules = [(rule, subject) for rule, subject, _ in found(body)]
    assert ("site.type", "vlan[2] (dmz)") in rules
    assert ("vlan.overlap", "vlan[2] (dmz)") in rules


def test_a_duplicate_mac_is_reported_while_its_host_has_another_error() -> None:
    body = """
    [[host]]
    name = "a"
    vlan = 20
    mac = "00:15:5d:01:14:0b"

    [[host]]
    name = "b"
    vlan = 20
    ipv4 = "10.9.9.9"
    mac = "00-15-5D-01-14-0B"
    """
    got = found(body)
    assert ("host.outside-vlan", "host[1] (b)") in [(r, s) for r, s, _ in got]
    assert (
        "host.duplicate-mac",
        "host[1] (b)",
        "duplicate mac 00:15:5d:01:14:0b (also host[0] (a))",
    ) in got


def test_a_duplicate_vlan_id_is_reported_beside_a_bad_key() -> None:
    body = """
    [[vlan]]
    id = 10
    name = "again"
    ipv4 = "10.1.30.0/24"
    ipv6 = "statc"
    """
    got = found(body)
    assert (
        "vlan.duplicate-id",
        "vlan[2] (again)",
        "duplicate VLAN id 10 (also vlan[0] (servers))",
    ) in got
    assert any(r == "site.invalid-value" and "did you mean 'static'" in m for r, _, m in got)


@pytest.mark.parametrize(
    ("name", "fix"), [("h2.t.example", "write 'h2'"), ("t.example", "write 't.example'")]
)
def test_a_name_with_the_site_domain_is_an_error(name: str, fix: str) -> None:
    checked = read(f'[[host]]\nname = "{name}"\nvlan = 10\nipv4 = "10.1.10.5"\n')
    [finding] = [f for f in checked.findings if f.rule == "host.name-in-domain"]
    assert finding.message == (
        f"{name!r} already ends with the site domain t.example: names are relative to it, "
        f"so it would be published as {name}.t.example."
    )
    assert finding.fix == fix


def test_an_alias_with_the_site_domain_is_an_error_too() -> None:
    checked = read(
        '[[host]]\nname = "h3"\nvlan = 10\nipv4 = "10.1.10.6"\naliases = ["www.t.example"]\n'
    )
    assert [f.rule for f in checked.findings] == ["host.name-in-domain"]


@pytest.mark.parametrize(
    ("mac", "kind"),
    [
        ("ff:ff:ff:ff:ff:ff", "the broadcast"),
        ("01:00:5e:00:00:01", "a group (multicast)"),
        ("33:33:00:00:00:01", "a group (multicast)"),
        ("00:00:00:00:00:00", "the all-zero"),
    ],
)
def test_a_mac_no_nic_can_have_is_an_error(mac: str, kind: str) -> None:
    checked = read(f'[[host]]\nname = "x"\nvlan = 20\nmac = "{mac}"\n')
    [finding] = [f for f in checked.findings if f.rule == "host.mac-not-unicast"]
    assert finding.message.startswith(f"mac {mac} is {kind} address")
    assert checked.site is not None
    assert checked.site.hosts == ()  # nothing is derived from it


def test_a_mode_in_capitals_gets_a_did_you_mean() -> None:
    checked = read('[[host]]\nname = "x"\nvlan = 20\nmac = "00:15:5d:01:14:0c"\nipv6 = "EUI64"\n')
    [finding] = checked.findings
    assert finding.message == (
        "ipv6: 'EUI64' is not one of static, eui64, stable, dhcpv6, slaac, none "
        "(did you mean 'eui64'?)"
    )


def test_a_slaac_host_without_a_mac_is_a_warning_not_silence() -> None:
    outcome = check_checked(read('[[host]]\nname = "laptop"\nvlan = 20\n'))
    assert outcome.ok  # a warning: the host is planned with no IPv6
    [finding] = outcome.findings
    assert finding.rule == "host.unpredictable"
    assert finding.subject == "host[0] (laptop)"
    assert finding.fix == 'add the mac, or write ipv6 = "none" to say the host has no planned IPv6'
    said = check_checked(read('[[host]]\nname = "laptop"\nvlan = 20\nipv6 = "none"\n'))
    assert said.findings == ()


def test_a_host_on_a_broken_vlan_names_it() -> None:
    body = """
    [[vlan]]
    id = 30
    name = "dmz"
    ipv4 = "10.1.30.0/24"
    gateway = "10.1.31.1"
    ipv6 = "static"

    [[host]]
    name = "web"
    vlan = 30
    ipv4 = "10.1.30.10"
    """
    got = found(body)
    assert (
        "host.unknown-vlan",
        "host[0] (web)",
        "vlan 30 is vlan[2] (dmz), which has errors: the host is checked against it once they "
        "are fixed",
    ) in got


def test_a_dhcpv6_nic_needs_something_the_server_can_match() -> None:
    """Without a mac or duid there is no reservation, so the planned address would be
    published for an address the client never leases."""
    body = """
    [[vlan]]
    id = 30
    name = "desks"
    ipv4 = "10.1.30.0/24"
    gateway = "10.1.30.1"
    ipv6 = "dhcpv6"

    [[host]]
    name = "desk1"
    vlan = 30
    ipv4 = "10.1.30.21"

    [[host]]
    name = "desk2"
    vlan = 30
    ipv4 = "10.1.30.22"
    duid = "00:03:00:01:00:15:5d:01:30:22"
    iaid = 1
    """
    assert found(body) == [
        (
            "host.needs-mac",
            "host[0] (desk1)",
            'ipv6 = "dhcpv6" needs the NIC\'s mac or duid: the DHCPv6 server matches the '
            "reservation by one of them, or the client leases from the pool and the planned "
            "address never exists",
        )
    ]
