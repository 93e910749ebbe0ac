"""The site file's NAT64 and IPv6-mostly keys: ``[nat64] prefix`` (RFC 6052), per VLAN
``ipv6_only_preferred`` (DHCPv4 option 108, RFC 8925) and ``v6only_wait``, and the checks
that they agree with the rest of the plan."""

from __future__ import annotations

import pytest

from dualstack.plan import check_checked, read_site
from tests.testdata import LAB_HEADER

BASE = (
    LAB_HEADER
    + """{nat64}
[[vlan]]
id = 20
name = "clients"
ipv4 = "10.0.20.0/24"
gateway = "10.0.20.1"
ipv6 = "{mode}"
ipv6_only_preferred = true
{vlan_extra}

[[host]]
name = "ns1"
vlan = 20
ipv4 = "10.0.20.53"
ipv6 = "static"
{hosts}
"""
)
NAT64 = '[nat64]\nprefix = "64:ff9b::/96"\n'


def findings(nat64: str = NAT64, mode: str = "slaac", vlan_extra: str = "", hosts: str = ""):  # type: ignore[no-untyped-def]
    text = BASE.format(nat64=nat64, mode=mode, vlan_extra=vlan_extra, hosts=hosts)
    outcome = check_checked(read_site(text, "site.toml"))
    return outcome, [(f.rule, f.message) for f in outcome.findings]


def test_a_consistent_ipv6_mostly_site_is_clean() -> None:
    outcome, found = findings(vlan_extra="v6only_wait = 600")
    assert found == []
    assert outcome.plan is not None
    site = outcome.plan.site
    assert site.nat64 is not None
    assert str(site.nat64.prefix) == "64:ff9b::/96"
    vlan = site.vlans[0]
    assert (vlan.ipv6_only_preferred, vlan.v6only_wait) == (True, 600)


@pytest.mark.parametrize(
    ("prefix", "message"),
    [
        ("2001:db8:64::/80", "must be /32, /40, /48, /56, /64 or /96"),
        ("2001:db8:0:0:ff00::/96", "bits 64-71 must be zero"),  # a /96 too
        ("2001:db8:0:0:100::/72", "must be /32"),
    ],
)
def test_nat64_prefixes_rfc_6052_does_not_allow(prefix: str, message: str) -> None:
    _, found = findings(nat64=f'[nat64]\nprefix = "{prefix}"\n')
    assert ("nat64.prefix", next(m for r, m in found if r == "nat64.prefix")) in found
    assert any(message in m for r, m in found if r == "nat64.prefix")


def test_ipv6_only_preferred_needs_a_nat64_prefix() -> None:
    _, found = findings(nat64="")
    assert [r for r, _ in found] == ["nat64.missing"]


@pytest.mark.parametrize(
    ("mode", "extra", "message"),
    [
        ("static", "", "ipv6 mode is 'static'"),
        ("slaac", "ra = { rdnss = false }", "carry no DNS server"),
    ],
)
def test_option_108_only_where_ras_give_working_ipv6(mode: str, extra: str, message: str) -> None:
    _, found = findings(mode=mode, vlan_extra=extra)
    assert any(r == "nat64.option108-without-ipv6" and message in m for r, m in found), found


def test_option_108_on_a_vlan_without_a_router() -> None:
    text = BASE.format(nat64=NAT64, mode="slaac", vlan_extra="", hosts="").replace(
        'gateway = "10.0.20.1"\n', ""
    )
    outcome = check_checked(read_site(text, "site.toml"))
    assert any(
        f.rule == "nat64.option108-without-ipv6" and "no router" in f.message
        for f in outcome.findings
    )


def test_v6only_wait_below_the_rfc_minimum() -> None:
    _, found = findings(vlan_extra="v6only_wait = 60")
    assert [r for r, _ in found] == ["nat64.v6only-wait"]


def test_ipv4_only_hosts_in_private_space_are_out_of_reach_under_the_well_known_prefix() -> None:
    legacy = '\n[[host]]\nname = "printer"\nvlan = 20\nipv4 = "10.0.20.80"\nipv6 = "none"\n'
    _, found = findings(hosts=legacy)
    assert [r for r, _ in found] == ["nat64.wkp-private"]
    assert "printer" in found[0][1]
    # a network-specific prefix can carry private IPv4
    _, found = findings(nat64='[nat64]\nprefix = "2001:db8:77:64::/96"\n', hosts=legacy)
    assert found == []


def test_ipv6_only_clients_need_a_name_server_with_ipv6() -> None:
    text = BASE.format(nat64=NAT64, mode="slaac", vlan_extra="", hosts="").replace(
        'ipv4 = "10.0.20.53"\nipv6 = "static"', 'ipv4 = "10.0.20.53"\nipv6 = "none"'
    )
    outcome = check_checked(read_site(text, "site.toml"))
    found = [f for f in outcome.findings if f.rule == "nat64.option108-without-ipv6"]
    assert len(found) == 1
    assert "no name server of the site (ns1) has an IPv6 address" in found[0].message
