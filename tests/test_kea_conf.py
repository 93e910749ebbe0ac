"""Kea DHCPv6 and DDNS configs from the plan, checked by Kea's own -t in a namespace that has
the router interfaces, and the named.conf fragment checked by named-checkconf."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from dualstack.emit.kea import POOL_SUBNET_BASE
from dualstack.kit import build_kit
from dualstack.zones.tsig import read_key_file
from tests import netlab
from tests.testdata import CONTRACT, INTERFACES_CONTRACT

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "site.toml"


def test_dhcp6_config_contents(tmp_path: Path) -> None:
    build_kit(EXAMPLE, tmp_path)
    conf = json.loads((tmp_path / "kea" / "kea-dhcp6.conf").read_text())["Dhcp6"]
    # VLAN 110 (slaac+dhcpv6, stateless): one subnet, no pool, no DDNS
    assert [s["id"] for s in conf["subnet6"]] == [110]
    assert conf["subnet6"][0]["pools"] == []
    assert conf["subnet6"][0]["ddns-send-updates"] is False
    # VLAN 130 (dhcpv6, reservations and a pool): a shared network of the /64 with the
    # reservations (the kit's names: no DDNS) and the pool /112 (Kea's names: DDNS)
    [network] = conf["shared-networks"]
    assert network["name"] == "vlan130-printers"
    assert network["interface"] == "vlan130"
    static, dynamic = network["subnet6"]
    assert static["id"] == 130
    assert static["subnet"] == "2001:db8:4c00:130::/64"
    assert static["pools"] == []
    assert static["ddns-send-updates"] is False
    assert dynamic["id"] == POOL_SUBNET_BASE + 130
    assert dynamic["subnet"] == dynamic["pools"][0]["pool"] == "2001:db8:4c00:130:0:d6:1:0/112"
    assert dynamic["reservations"] == []
    assert dynamic["ddns-send-updates"] is True
    assert static["reservations"] == [
        {
            "hw-address": "3c:2a:f4:10:20:31",
            "hostname": "prn-floor1",
            "ip-addresses": ["2001:db8:4c00:130::d6:15"],
        },
        {
            "duid": "00:03:00:01:3c:2a:f4:10:20:32",
            "hostname": "prn-floor2",
            "ip-addresses": ["2001:db8:4c00:130::d6:16"],
        },
    ]
    # DDNS: nothing unless a subnet says so, conflict resolution stated
    assert conf["ddns-send-updates"] is False
    assert conf["ddns-use-conflict-resolution"] is True
    assert conf["ddns-qualifying-suffix"] == "hq.contoso.example."
    assert conf["option-data"] == [
        {"name": "dns-servers", "data": "2001:db8:4c00:10::10, 2001:db8:4c00:10::11"},
        {"name": "domain-search", "data": "hq.contoso.example"},
    ]
    assert conf["dhcp-ddns"]["enable-updates"] is True
    d2 = json.loads((tmp_path / "kea" / "kea-dhcp-ddns.conf").read_text())["DhcpDdns"]
    key = read_key_file(tmp_path / "dns" / "ddns.key")
    assert d2["tsig-keys"] == [
        {"name": "dualstack-ddns", "algorithm": "HMAC-SHA256", "secret": key.secret}
    ]
    assert d2["reverse-ddns"]["ddns-domains"][0]["name"] == "0.0.c.4.8.b.d.0.1.0.0.2.ip6.arpa."
    assert (tmp_path / "kea" / "kea-dhcp-ddns.conf").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "dns" / "ddns.key").stat().st_mode & 0o777 == 0o600


def _subnets(conf: dict[str, Any]) -> dict[int, dict[str, Any]]:
    """Every subnet6 of a kea-dhcp6.conf, inside shared networks or not, by id."""
    inside = [s for n in conf.get("shared-networks", []) for s in n["subnet6"]]
    return {s["id"]: s for s in [*conf["subnet6"], *inside]}


def _kea6(tmp_path: Path, text: str) -> dict[str, Any]:
    site = tmp_path / "site.toml"
    site.write_text(text)
    build_kit(site, tmp_path / "kit")
    conf: dict[str, Any] = json.loads((tmp_path / "kit" / "kea" / "kea-dhcp6.conf").read_text())
    return conf["Dhcp6"]


def test_a_pool_without_reservations_is_one_subnet_with_ddns(tmp_path: Path) -> None:
    text = EXAMPLE.read_text()
    for printer in ("prn-floor1", "prn-floor2"):  # drop the reserved hosts of VLAN 130
        start = text.index(f'[[host]]\nname = "{printer}"')
        end = text.find("[[host]]", start + 1)
        text = text[:start] + (text[end:] if end != -1 else "")
    conf = _kea6(tmp_path, text)
    assert "shared-networks" not in conf
    subnet = _subnets(conf)[130]
    assert subnet["pools"] == [{"pool": "2001:db8:4c00:130:0:d6:1:0/112"}]
    assert subnet["interface"] == "vlan130"
    assert subnet["ddns-send-updates"] is True


STORAGE = """
[[vlan]]
id = 140
name = "storage"
ipv4 = "10.20.140.0/24"
ipv6 = "dhcpv6"

[[host]]
name = "hv09"
  [[host.interface]]
  name = "Management"
  vlan = 10
  ipv4 = "10.20.10.90"
  [[host.interface]]
  name = "iSCSI"
  role = "iscsi"
  vlan = 140
  ipv4 = "10.20.140.90"
  mac = "00:15:5d:0a:90:01"
  ipv6 = "dhcpv6"
"""


def test_names_kept_out_of_dns_are_never_updated(tmp_path: Path) -> None:
    """A dns = false NIC's reservation sits in a subnet without DDNS, and the pool of a VLAN
    without a router (its roles must not use DNS) gets no DDNS either."""
    conf = _kea6(tmp_path, EXAMPLE.read_text() + STORAGE)
    subnets = _subnets(conf)
    assert subnets[140]["reservations"] == [
        {
            "hw-address": "00:15:5d:0a:90:01",
            "hostname": "hv09",
            "ip-addresses": ["2001:db8:4c00:140::d6:5a"],
        }
    ]
    assert subnets[140]["ddns-send-updates"] is False
    assert subnets[POOL_SUBNET_BASE + 140]["ddns-send-updates"] is False
    # only the printers' pool (a routed VLAN) sends updates
    assert [i for i, s in subnets.items() if s["ddns-send-updates"]] == [POOL_SUBNET_BASE + 130]
    ids = [s["id"] for s in conf["subnet6"]]
    ids += [s["id"] for n in conf["shared-networks"] for s in n["subnet6"]]
    assert len(ids) == len(set(ids)) == len(subnets)


def test_without_ddns_the_layout_stays_and_no_subnet_mentions_it(tmp_path: Path) -> None:
    conf = _kea6(tmp_path, EXAMPLE.read_text().replace("[dns]\n", "[dns]\nddns = false\n"))
    assert not any(k.startswith("ddns") or k == "dhcp-ddns" for k in conf)
    assert all("ddns-send-updates" not in s for s in _subnets(conf).values())
    assert sorted(_subnets(conf)) == [110, 130, POOL_SUBNET_BASE + 130]


def test_the_ddns_key_is_kept_across_runs(tmp_path: Path) -> None:
    build_kit(EXAMPLE, tmp_path)
    first = (tmp_path / "dns" / "ddns.key").read_text()
    written = build_kit(EXAMPLE, tmp_path)[1].written
    assert (tmp_path / "dns" / "ddns.key").read_text() == first
    assert not any(w.changed for w in written)


def test_ddns_can_be_turned_off(tmp_path: Path) -> None:
    site = tmp_path / "site.toml"
    site.write_text(EXAMPLE.read_text().replace("[dns]\n", "[dns]\nddns = false\n"))
    build_kit(site, tmp_path / "kit")
    assert not (tmp_path / "kit" / "kea" / "kea-dhcp-ddns.conf").exists()
    assert not (tmp_path / "kit" / "dns" / "ddns.key").exists()
    assert "allow-update" not in (tmp_path / "kit" / "dns" / "named.conf").read_text()


@pytest.mark.netns
@pytest.mark.parametrize(
    "site", [CONTRACT, INTERFACES_CONTRACT, EXAMPLE], ids=["contract", "interfaces", "example"]
)
def test_kea_accepts_the_kit(site: Path, tmp_path: Path) -> None:
    netlab.require_lab(tools=("kea-dhcp6", "kea-dhcp-ddns"))
    build_kit(site, tmp_path)
    conf = json.loads((tmp_path / "kea" / "kea-dhcp6.conf").read_text())
    with netlab.netns() as ns:  # Kea's -t insists the interfaces exist
        for n, interface in enumerate(conf["Dhcp6"]["interfaces-config"]["interfaces"]):
            # no dummy devices in this kernel: a veth pair gives the interface a name
            netlab.run(
                ["ip", "link", "add", interface, "type", "veth", "peer", "name", f"peer{n}"], ns=ns
            )
        done = netlab.run(
            ["kea-dhcp6", "-t", str(tmp_path / "kea" / "kea-dhcp6.conf")], ns=ns, check=False
        )
        assert done.returncode == 0, done.stdout + done.stderr
    done = netlab.run(
        ["kea-dhcp-ddns", "-t", str(tmp_path / "kea" / "kea-dhcp-ddns.conf")], check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_named_checkconf_accepts_the_fragment(tmp_path: Path) -> None:
    tool = shutil.which("named-checkconf")
    if tool is None:
        netlab.require_lab(tools=("named-checkconf",))  # fails in CI, skips elsewhere
        return
    build_kit(EXAMPLE, tmp_path)
    wrapper = tmp_path / "named.conf"
    wrapper.write_text(f'options {{ directory "{tmp_path}"; }};\ninclude "dns/named.conf";\n')
    done = subprocess.run(
        [tool, "-z", str(wrapper)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
