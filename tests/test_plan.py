"""The site file and the planner: the contract, every validation rule, schemes and stability."""

from __future__ import annotations

import re
import textwrap
from ipaddress import IPv6Address, IPv6Network
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dualstack.addr.mac import Mac
from dualstack.addr.slaac import stable_address
from dualstack.errors import InputError
from dualstack.plan import check, read_site
from dualstack.plan.allocate import static_interface_id
from dualstack.plan.site import Checked
from tests.testdata import CONTRACT

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "site.toml"

HEAD = """
[site]
name = "t"
domain = "t.example"
ipv6_prefix = "{prefix}"
subnet_scheme = "{scheme}"
"""


def site(body: str, prefix: str = "2001:db8:1200::/48", scheme: str = "vlan") -> Checked:
    return read_site(HEAD.format(prefix=prefix, scheme=scheme) + textwrap.dedent(body), "t.toml")


def plan_of(body: str, **kw: str):  # type: ignore[no-untyped-def]
    from dualstack.plan import check_checked

    return check_checked(site(body, **kw))


def messages(outcome_findings) -> list[str]:  # type: ignore[no-untyped-def]
    return [f"{f.subject}: {f.message}" for f in outcome_findings]


def test_contract_is_accepted_as_it_is() -> None:
    outcome = check(CONTRACT)
    assert outcome.ok, messages(outcome.findings)
    assert outcome.plan is not None
    vlans = {v.vlan.id: v for v in outcome.plan.vlans}
    assert vlans[120].ipv6 == IPv6Network("2001:db8:1200:120::/64")
    assert vlans[120].ula == IPv6Network("fd3c:7a2b:91e0:120::/64")
    assert vlans[300].ipv6 is None
    hosts = {h.host.name: h for h in outcome.plan.interfaces}
    assert hosts["ns1"].ipv6 == IPv6Address("2001:db8:1200:10::53")
    assert hosts["ns2"].ipv6 == IPv6Address("2001:db8:1200:10::54")
    assert hosts["hv01"].ipv6 == IPv6Address("2001:db8:1200:20:215:5dff:fe01:140b")
    assert hosts["fs01"].ipv6 == stable_address(
        IPv6Network("2001:db8:1200:20::/64"),
        IPv6Address("2001:db8:dead:beef:1:2:3:4"),
        Mac.parse("0015.5d01.141e"),
    )
    assert hosts["printer7"].ipv6 == IPv6Address("2001:db8:1200:120::d6:207")
    assert hosts["san-a"].ipv6 is None
    assert [f.rule for f in outcome.findings] == ["host.dhcpv6-without-m-flag", "host.no-iaid"]


def test_example_site_is_clean() -> None:
    outcome = check(EXAMPLE)
    assert outcome.ok
    assert outcome.findings == ()


@pytest.mark.parametrize(
    ("ipv4", "network", "iid"),
    [
        ("10.1.10.53", "10.1.10.0/24", 0x53),
        ("10.1.130.7", "10.1.128.0/20", 0x130_0007),
        ("172.16.3.200", "172.16.0.0/16", 0x3_0200),
        ("192.0.2.77", "192.0.2.64/26", 0x77),
    ],
)
def test_static_rule(ipv4: str, network: str, iid: int) -> None:
    from ipaddress import IPv4Address, IPv4Network

    assert static_interface_id(IPv4Address(ipv4), IPv4Network(network)) == iid


BAD = """
[[vlan]]
id = 10
name = "a"
ipv4 = "10.0.0.0/16"
ipv6 = "static"

[[vlan]]
id = 20
name = "b"
ipv4 = "10.0.5.0/24"
ipv6 = "slaac"
gatway = "10.0.5.1"

[[vlan]]
id = 10
name = "a"
ipv4 = "10.9.0.0/24"
ipv6 = "nonsense"

[[host]]
name = "x1"
vlan = 10
ipv4 = "10.1.0.5"

[[host]]
name = "x1"
vlan = 99
mac = "00:11:22:33:44:55"

[[host]]
name = "x2"
vlan = 10
ipv4 = "10.0.0.9"
mac = "00-11-22-33-44-55"
ipv6 = "eui64"

[[host]]
name = "<script>"
vlan = 10
ipv4 = "10.0.0.10"

[[host]]
name = "x3"
vlan = 10
ipv6 = "stable"
"""


def test_every_problem_is_reported_with_its_location() -> None:
    found = messages(site(BAD).findings)
    expected = [
        r"vlan\[1\] \(b\): unknown key 'gatway'; did you mean 'gateway'\?",
        r"vlan\[2\] \(a\): ipv6: 'nonsense' is not one of",
        r"vlan\[1\] \(b\): ipv4 10\.0\.5\.0/24 overlaps vlan\[0\] \(a\)'s 10\.0\.0\.0/16",
        r"host\[0\] \(x1\): ipv4 10\.1\.0\.5 is outside vlan\[0\] \(a\)'s subnet",
        r"host\[1\] \(x1\): vlan 99 is not defined",
        r"host\[3\] \(<script>\): name: '<script>' is not a valid DNS name",
        r"host\[4\] \(x3\): ipv6 = 'stable' needs the host's mac",
        r"host\[4\] \(x3\): ipv6 = \"stable\" needs stable_secret",
    ]
    for pattern in expected:
        assert any(re.search(pattern, m) for m in found), (pattern, found)


def test_duplicates() -> None:
    found = messages(
        site(
            """
            [[vlan]]
            id = 10
            name = "a"
            ipv4 = "10.0.0.0/24"
            ipv6 = "static"

            [[vlan]]
            id = 10
            name = "b"
            ipv4 = "10.0.1.0/24"
            ipv6 = "static"

            [[host]]
            name = "h1"
            vlan = 10
            ipv4 = "10.0.0.5"
            mac = "00:11:22:33:44:55"

            [[host]]
            name = "h2"
            vlan = 10
            ipv4 = "10.0.0.5"
            mac = "00-11-22-33-44-55"
            aliases = ["h1"]
            """
        ).findings
    )
    for pattern in (
        "duplicate VLAN id 10",
        "duplicate name h1",
        "duplicate ipv4 10.0.0.5",
        "duplicate mac 00:11:22:33:44:55",
    ):
        assert any(pattern in m for m in found), (pattern, found)


def test_scheme_limits() -> None:
    body = """
    [[vlan]]
    id = 120
    name = "a"
    ipv4 = "10.0.0.0/24"
    ipv6 = "slaac"
    """
    found = messages(plan_of(body, prefix="2001:db8:1200:100::/56").findings)
    assert any(
        "VLAN id 120 needs 9 bits as :120:, but 2001:db8:1200:100::/56 leaves 8" in m for m in found
    ), found
    found = messages(site(body, prefix="2001:db8:1200:1::/80").findings)
    assert any("longer than /64" in m for m in found), found


def test_ipv4_and_sequential_schemes() -> None:
    body = """
    [[vlan]]
    id = 30
    name = "a"
    ipv4 = "10.1.20.0/24"
    ipv6 = "slaac"

    [[vlan]]
    id = 7
    name = "b"
    ipv4 = "172.16.30.0/24"
    ipv6 = "slaac"
    """
    by_ipv4 = plan_of(body, scheme="ipv4").plan
    assert [str(v.ipv6) for v in by_ipv4.vlans] == [
        "2001:db8:1200:101e::/64",
        "2001:db8:1200:114::/64",
    ]
    sequential = plan_of(body, scheme="sequential").plan
    assert [(v.vlan.id, v.subnet_id) for v in sequential.vlans] == [(7, 0), (30, 1)]


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such site file"):
        check(tmp_path / "missing.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("[site\nname=1")
    with pytest.raises(InputError, match=r"broken\.toml: not valid TOML"):
        check(broken)


vlan_ids = st.lists(st.integers(min_value=1, max_value=999), min_size=1, max_size=12, unique=True)


def _body(ids: list[int]) -> str:
    parts = []
    for vid in ids:  # each VLAN's IPv4 subnet depends only on its id
        net = f"10.{vid // 200}.{vid % 200}"
        parts.append(
            f'[[vlan]]\nid = {vid}\nname = "v{vid}"\nipv4 = "{net}.0/24"\nipv6 = "static"\n'
        )
        parts.append(f'[[host]]\nname = "h{vid}"\nvlan = {vid}\nipv4 = "{net}.9"\n')
    return "\n".join(parts)


@settings(max_examples=40, deadline=None)
@given(
    vlan_ids,
    st.integers(min_value=1, max_value=999),
    st.sampled_from(["vlan", "ipv4", "sequential"]),
)
def test_adding_entries_never_renumbers(ids: list[int], extra: int, scheme: str) -> None:
    from dualstack.plan import check_checked

    before = check_checked(site(_body(ids), scheme=scheme)).plan
    assert before is not None
    previous = {v.vlan.id: v.subnet_id for v in before.vlans if v.subnet_id is not None}
    grown = [extra, *ids[::-1]] if extra not in ids else ids[::-1]  # new entry, new file order
    after = check_checked(site(_body(grown), scheme=scheme), previous).plan
    assert after is not None
    old = {h.host.name: h.ipv6 for h in before.interfaces}
    new = {h.host.name: h.ipv6 for h in after.interfaces}
    assert {v.vlan.id: v.subnet_id for v in after.vlans if v.vlan.id in previous} == previous
    assert all(new[name] == address for name, address in old.items() if name in new)


def test_name_servers_need_addresses() -> None:
    body = """
    [dns]
    nameservers = ["ns9.t.example.", "ns.other.example."]

    [[vlan]]
    id = 10
    name = "a"
    ipv4 = "10.0.0.0/24"
    ipv6 = "static"
    """
    found = messages(site(body).findings)
    assert any("name server ns9.t.example. is inside t.example. but no host" in m for m in found)
    assert not any("ns.other.example." in m for m in found)
    assert any("no nameservers" in m for m in messages(site("").findings))
