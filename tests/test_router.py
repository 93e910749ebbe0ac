"""The router's side of the kit: IOS interface configuration that says what radvd.conf says,
and, with a central DHCPv6 server, the relay lines (IOS and a dhcrelay unit). No IOS runs
here, so the IOS text is checked line by line; the relay itself is proven in
tests/test_relay_lab.py.
"""

from __future__ import annotations

import re
from pathlib import Path

from dualstack.emit.router import ios_config, relay_unit
from dualstack.plan import check
from dualstack.plan.model import Plan
from tests.testdata import SETTINGS_SITE as SITE

CENTRAL = SITE.replace(
    "[[vlan]]\nid = 20\n",
    '[dhcp]\nserver = "2001:db8:77:20::547"\nserver_interface = "eth0"\n\n[[vlan]]\nid = 20\n',
    1,
)


def _plan(tmp_path: Path, text: str) -> Plan:
    site = tmp_path / "site.toml"
    site.write_text(text)
    outcome = check(site)
    assert outcome.plan is not None, [str(f) for f in outcome.findings]
    assert outcome.ok, [str(f) for f in outcome.findings]
    return outcome.plan


def _svi(config: str, vid: int) -> list[str]:
    match = re.search(rf"^interface Vlan{vid}\n(.*?)^!$", config, re.S | re.M)
    assert match, vid
    return match.group(1).splitlines()


def test_ios_says_what_radvd_says(tmp_path: Path) -> None:
    config = ios_config(_plan(tmp_path, SITE))
    assert _svi(config, 90) == [
        " ipv6 address 2001:db8:77:90::1/64",
        " ipv6 nd prefix 2001:db8:77:90::/64 7200 3600",
        " ipv6 nd ra interval 200 66",
        " ipv6 nd ra lifetime 600",
        " ipv6 nd router-preference High",
        " ipv6 mtu 1400",
    ]  # the guest VLAN: no ULA prefix, no RDNSS
    assert _svi(config, 130) == [
        " ipv6 address 2001:db8:77:130::1/64",
        " ipv6 nd prefix 2001:db8:77:130::/64 86400 14400 no-autoconfig",
        " ipv6 nd prefix fd00:77:0:130::/64 86400 14400 no-autoconfig",
        " ipv6 nd managed-config-flag",
        " ipv6 nd ra interval 200 66",
        " ipv6 nd ra lifetime 1800",
        " ipv6 nd ra dns server 2001:db8:77:20::53 600",
        " ipv6 nd ra dns search-list lab.example 600",
    ]
    assert " ipv6 nd other-config-flag" in _svi(config, 110)
    assert "relay" not in config  # Kea on the router: nothing to relay


def test_a_vlan_without_a_router_advertises_no_default_route(tmp_path: Path) -> None:
    text = SITE + '\n[[vlan]]\nid = 40\nname = "lm"\nipv4 = "10.0.40.0/24"\nipv6 = "slaac"\n'
    text += '\n[[vlan]]\nid = 41\nname = "csv"\nipv4 = "10.0.41.0/24"\nipv6 = "static"\n'
    config = ios_config(_plan(tmp_path, text))
    lm = _svi(config, 40)
    assert lm[0] == " ipv6 enable"  # no router address is invented
    assert " ipv6 nd ra lifetime 0" in lm
    assert not [line for line in lm if "dns" in line]
    assert _svi(config, 41) == [
        " ipv6 enable",
        " ipv6 nd ra suppress all",
        "! no advertisements: static and no router (no gateway, no gateway6): "
        "nothing to autoconfigure",
    ]


def test_a_central_server_gets_relays_on_every_dhcp_vlan(tmp_path: Path) -> None:
    plan = _plan(tmp_path, CENTRAL)
    config = ios_config(plan)
    relayed = {
        vid
        for vid in (20, 90, 110, 130)
        if " ipv6 dhcp relay destination 2001:db8:77:20::547" in _svi(config, vid)
    }
    assert relayed == {110, 130}
    assert plan.dhcp_server_vlan is not None
    assert plan.dhcp_server_vlan.vlan.id == 20
    unit = relay_unit(plan)
    assert unit is not None
    assert (
        "ExecStart=/usr/sbin/dhcrelay -6 -d -l r110 -l r130 -u 2001:db8:77:20::547%r20"
    ) in unit.splitlines()
    assert relay_unit(_plan(tmp_path, SITE)) is None


def test_dhcp_table_errors(tmp_path: Path) -> None:
    cases = {
        'server = "2001:db8:77:20::547"': "server given without server_interface",
        'server = "fe80::547"\nserver_interface = "eth0"': "is not a global or ULA unicast address",
        'server = "2001:db8:99::547"\nserver_interface = "eth0"': "in none of the site's VLAN",
        'server_interface = "eth0"': "server_interface given without server",
        'sever = "2001:db8:77:20::547"': "unknown key 'sever'; did you mean 'server'?",
    }
    for body, message in cases.items():
        text = SITE.replace("[[vlan]]\nid = 20\n", f"[dhcp]\n{body}\n\n[[vlan]]\nid = 20\n", 1)
        site = tmp_path / "site.toml"
        site.write_text(text)
        outcome = check(site)
        errors = [f for f in outcome.findings if f.severity.value == "error"]
        assert len(errors) == 1, (body, [str(f) for f in outcome.findings])
        assert message in errors[0].message, errors[0].message
        assert errors[0].line == text.splitlines().index("[dhcp]") + 1
