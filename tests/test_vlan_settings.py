"""Per-VLAN RA and DHCPv6 settings (``[vlan.ra]``, ``[vlan.dhcp]``, ``ula = false``): read and
checked from the site file, written into radvd.conf, Kea and Windows DHCP, and what the real
kernel makes of the advertisements.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from ipaddress import IPv6Address, IPv6Network
from pathlib import Path

import pytest

from dualstack.emit.kea import dhcp6_config
from dualstack.emit.radvd import radvd_conf
from dualstack.emit.windows_dhcp import dhcp_script
from dualstack.kit import build_kit
from dualstack.plan import check, present
from dualstack.plan.model import DhcpSettings, Plan, RaSettings
from tests import netlab
from tests.testdata import SETTINGS_SITE

SITE = SETTINGS_SITE


def _plan(tmp_path: Path, text: str = SITE) -> Plan:
    site = tmp_path / "site.toml"
    site.write_text(text)
    outcome = check(site)
    assert outcome.plan is not None, [str(f) for f in outcome.findings]
    return outcome.plan


def _stanza(conf: str, interface: str) -> str:
    match = re.search(rf"^interface {interface} \{{\n(.*?)^\}};", conf, re.S | re.M)
    assert match, interface
    return match.group(1)


def test_the_settings_are_read_into_the_vlan(tmp_path: Path) -> None:
    plan = _plan(tmp_path)
    vlans = {v.vlan.id: v for v in plan.vlans}
    assert vlans[90].vlan.ra == RaSettings(600, "high", 1400, 7200, 3600, rdnss=False)
    assert vlans[130].vlan.dhcp == DhcpSettings(86400, 43200)
    assert vlans[20].vlan.ra == RaSettings()
    assert vlans[20].vlan.dhcp == DhcpSettings()
    assert (vlans[90].ula, vlans[20].ula) == (None, IPv6Network("fd00:77:0:20::/64"))
    assert (vlans[90].announces_dns, vlans[20].announces_dns) == (False, True)
    kiosk = next(h for h in plan.interfaces if h.host.name == "kiosk")
    assert kiosk.ipv6 is not None
    assert kiosk.ula is None
    guest = next(v for v in present.plan(plan)["vlans"] if v["id"] == 90)
    assert (guest["ula"], guest["announces_dns"], guest["ra"]["mtu"]) == (None, False, 1400)


def test_radvd_writes_only_what_the_site_chose(tmp_path: Path) -> None:
    conf = radvd_conf(_plan(tmp_path))
    assert conf is not None
    guest = _stanza(conf, "r90")
    assert "AdvDefaultLifetime 600;" in guest
    assert "AdvDefaultPreference high;" in guest
    assert "AdvLinkMTU 1400;" in guest
    assert guest.count("AdvValidLifetime 7200;") == 1  # one prefix: no ULA here
    assert guest.count("AdvPreferredLifetime 3600;") == 1
    assert "fd00" not in guest
    assert "RDNSS" not in guest
    assert "DNSSL" not in guest
    servers = _stanza(conf, "r20")
    assert "AdvDefaultLifetime 1800;" in servers
    for default in ("AdvDefaultPreference", "AdvLinkMTU", "AdvValidLifetime"):
        assert default not in servers
    assert "RDNSS 2001:db8:77:20::" in servers
    assert "prefix fd00:77:0:20::/64 {" in servers


def test_kea_options_and_lease_times_per_vlan(tmp_path: Path) -> None:
    rdnss_off = SITE.replace('interface = "r130"\n', 'interface = "r130"\nra = { rdnss = false }\n')
    for site, options_on_130 in ((SITE, True), (rdnss_off, False)):
        conf = dhcp6_config(_plan(tmp_path, site), ddns=False)["Dhcp6"]
        subnets = {s["id"]: s for s in conf["subnet6"]}
        # VLAN 130 has reservations and a pool: a shared network of its /64 and pool /112
        (desktops,) = conf["shared-networks"]
        assert desktops["name"] == "vlan130-desktops"
        assert [s["subnet"] for s in desktops["subnet6"]] == [
            "2001:db8:77:130::/64",
            "2001:db8:77:130:0:d6:1:0/112",
        ]
        assert (desktops["valid-lifetime"], desktops["preferred-lifetime"]) == (86400, 43200)
        assert "valid-lifetime" not in subnets[110]
        names = {o["name"] for o in desktops.get("option-data", conf["option-data"])}
        assert ("dns-servers" in names) is options_on_130
        if not options_on_130:  # options move to the VLANs that announce DNS
            assert conf["option-data"] == []
            assert {o["name"] for o in subnets[110]["option-data"]} == {
                "dns-servers",
                "domain-search",
            }


def test_windows_scopes_stateless_lifetimes_and_iaid(tmp_path: Path) -> None:
    script = dhcp_script(_plan(tmp_path))
    sections = {
        int(m.group(1)): m.group(0)
        for m in re.finditer(r"^# VLAN (\d+).*?(?=^# VLAN|\Z)", script, re.S | re.M)
    }
    printers, desktops = sections[110], sections[130]
    assert "(stateless: options only)" in printers
    assert re.findall(r"-StartRange '([^']+)' -EndRange '([^']+)'", printers) == [
        ("2001:db8:77:110::1", "2001:db8:77:110:ffff:ffff:ffff:ffff")
    ]
    assert re.findall(r"-StartRange '([^']+)' -EndRange '([^']+)'", desktops) == [
        ("2001:db8:77:130::1", "2001:db8:77:130:0:d6:0:ffff"),
        ("2001:db8:77:130:0:d6:2:0", "2001:db8:77:130:ffff:ffff:ffff:ffff"),
    ]
    assert (
        "Set-DhcpServerv6Scope -ComputerName $ComputerName -Prefix '2001:db8:77:130::' "
        "-PreferredLifeTime (New-TimeSpan -Seconds 43200) "
        "-ValidLifeTime (New-TimeSpan -Seconds 86400)"
    ) in desktops
    assert "-ClientDuid '00-03-00-01-00-15-5d-77-01-30' -Iaid 302580997 -Name 'desk1'" in desktops
    assert "-Iaid 0" not in script
    # one writer per name: with DDNS on, the pool is registered with name protection,
    # reservations never; with it off (this site), nothing is
    pool = "Set-DhcpServerv6DnsSetting -ComputerName $ComputerName -Prefix '2001:db8:77:130::' "
    assert pool + "-DynamicUpdates Never" in desktops
    ddns = dhcp_script(_plan(tmp_path, SITE.replace("ddns = false\n", "")))
    assert (
        pool + "-DynamicUpdates OnClientRequest -NameProtection $true "
        "-DeleteDnsRROnLeaseExpiry $true"
    ) in ddns
    assert (
        "Set-DhcpServerv6DnsSetting -ComputerName $ComputerName -IPAddress "
        "'2001:db8:77:130::d6:15' -DynamicUpdates Never"
    ) in desktops
    assert (
        "Set-DhcpServerv6DnsSetting -ComputerName $ComputerName -Prefix '2001:db8:77:110::' "
        "-DynamicUpdates Never"
    ) in printers  # stateless: no leases to register
    assert re.search(
        r"^# host\[3\] \(desk2\): no reservation for \S+: the site gives no iaid$", desktops, re.M
    ), desktops


def test_every_problem_is_reported_at_once_on_its_line(tmp_path: Path) -> None:
    bad = SITE.replace("router_lifetime = 600", "router_lifetime = 100\nrouter_lifetim = 1")
    bad = bad.replace('preference = "high"', 'preference = "High"')
    bad = bad.replace("mtu = 1400", "mtu = 1000")
    bad = bad.replace("preferred_lifetime = 3600\n", "preferred_lifetime = 9000\n")
    bad = bad.replace("dhcp = { valid_lifetime = 86400, preferred_lifetime = 43200 }", "")
    bad = bad.replace(
        'ipv6 = "slaac+dhcpv6"\ninterface = "r110"\n',
        'ipv6 = "slaac+dhcpv6"\ninterface = "r110"\n\n[vlan.dhcp]\nvalid_lifetime = 600\n',
    )
    bad += '\n[[vlan]]\nid = 40\nname = "lm"\nipv4 = "10.0.40.0/24"\nipv6 = "slaac"\n'
    bad += "ra = { router_lifetime = 1800 }\n"
    site = tmp_path / "site.toml"
    site.write_text(bad)
    outcome = check(site)
    lines = bad.splitlines()
    ra_line = lines.index("[vlan.ra]") + 1
    dhcp_line = lines.index("[vlan.dhcp]") + 1
    got = {(f.rule, f.line, f.severity.value) for f in outcome.findings}
    assert got == {
        ("site.unknown-key", ra_line, "error"),
        ("site.invalid-value", ra_line, "error"),  # router_lifetime 100
        ("site.invalid-value", ra_line, "error"),  # preference "High"
        ("site.invalid-value", dhcp_line, "error"),  # valid without preferred
        ("vlan.setting-unused", dhcp_line, "warning"),
        ("vlan.ra-no-router", len(lines) - 5, "error"),  # inline table: the [[vlan]] line
        ("host.unknown-vlan", lines.index('name = "kiosk"'), "error"),  # its VLAN is broken
        ("host.no-iaid", lines.index('name = "desk2"'), "info"),
    }, sorted(str(f) for f in outcome.findings)
    messages = "\n".join(f.message for f in outcome.findings)
    for expected in (
        "unknown key 'router_lifetim'; did you mean 'router_lifetime'?",
        "router_lifetime: 100 s is neither 0 (not a default router) nor within 200..9000",
        "'High' is not one of low, medium, high (did you mean 'high'?)",
        "mtu: MTU 1000 is outside 1280..65535",
        "preferred_lifetime 9000 is longer than valid_lifetime 7200",
        "valid_lifetime and preferred_lifetime go together: give both",
        'lease times on a VLAN with ipv6 = "slaac+dhcpv6"',
        "router_lifetime 1800 on a VLAN without a router",
    ):
        assert expected in messages, messages
    assert not outcome.ok


@pytest.mark.netns
def test_radvd_and_kea_accept_the_settings(tmp_path: Path) -> None:
    netlab.require_lab(tools=("radvd", "kea-dhcp6"))
    site = tmp_path / "site.toml"
    site.write_text(SITE)
    build_kit(site, tmp_path / "kit")
    done = netlab.run(
        ["radvd", "--configtest", "-C", str(tmp_path / "kit" / "radvd" / "radvd.conf")],
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "syntax ok" in done.stdout + done.stderr, done.stderr
    kea = tmp_path / "kit" / "kea" / "kea-dhcp6.conf"
    with netlab.netns() as ns:  # kea-dhcp6 -t insists that its interfaces exist
        for n, interface in enumerate(
            json.loads(kea.read_text())["Dhcp6"]["interfaces-config"]["interfaces"]
        ):
            netlab.run(
                ["ip", "link", "add", interface, "type", "veth", "peer", "name", f"peer{n}"], ns=ns
            )
        done = netlab.run(["kea-dhcp6", "-t", str(kea)], ns=ns, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture
def lab() -> Iterator[netlab.NetLab]:
    netlab.require_lab(tools=("radvd", "rdisc6", "sysctl"))
    with netlab.NetLab() as the_lab:
        yield the_lab


@pytest.mark.netns
def test_the_kernel_applies_the_guest_vlans_advertisements(
    lab: netlab.NetLab, tmp_path: Path
) -> None:
    """The guest VLAN's RA, as radvd sends it from the kit's file, sets what the site said on a
    real client: a high-preference default route of 600 s, the link MTU, the prefix lifetimes,
    no ULA address and no name servers."""
    site = tmp_path / "site.toml"
    site.write_text(SITE)
    build_kit(site, tmp_path / "kit")
    plan = check(site).plan
    assert plan is not None
    kiosk = next(h for h in plan.interfaces if h.host.name == "kiosk")
    router = lab.netns()
    netlab.sysctl_set(router, "net.ipv6.conf.all.forwarding", 1)
    # radvd wants every interface of its file; the other VLANs get a client-less veth each
    for dev in ("r20", "r130", "r110"):
        peer = lab.netns()
        lab.veth(router, dev, peer, "eth0")
        netlab.link_up(router, dev)
    client = lab.client(router, "r90", "00:15:5d:77:00:90")
    netlab.wait_for_address(router, "r90", IPv6Network("fe80::/64"), timeout=40)
    radvd = lab.radvd(router, tmp_path / "kit" / "radvd" / "radvd.conf", tmp_path)

    got = netlab.wait_for_address(client, "eth0", IPv6Network("2001:db8:77:90::/64"), timeout=40)
    assert IPv6Address(got["local"]) == kiosk.ipv6
    assert 7200 - 60 < got["valid_life_time"] <= 7200, got
    assert 3600 - 60 < got["preferred_life_time"] <= 3600, got
    assert [a for a in netlab.ipv6_addresses(client, "eth0") if a["local"].startswith("fd")] == []
    assert netlab.sysctl_get(client, "net.ipv6.conf.eth0.mtu") == "1400"
    routes = json.loads(
        netlab.run(["ip", "-j", "-6", "route", "show", "default"], ns=client).stdout or "[]"
    )
    assert [(r.get("protocol"), r.get("pref")) for r in routes] == [("ra", "high")], routes
    ra = netlab.run(["rdisc6", "-1", "eth0"], ns=client, timeout=30).stdout
    assert re.search(r"^\s*Router lifetime\s*:\s*600\b", ra, re.M), ra
    assert "Recursive DNS server" not in ra, ra
    assert "DNS search list" not in ra, ra
    radvd.ensure_alive()
