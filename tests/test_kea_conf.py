"""Kea DHCPv6 and DDNS configs from the plan, checked by Kea's own -t in a namespace that has
the router interfaces, and the named.conf fragment checked by named-checkconf."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from dualstack.kit import build_kit
from dualstack.zones.tsig import read_key_file
from tests import netlab
from tests.testdata import CONTRACT

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "site.toml"


def test_dhcp6_config_contents(tmp_path: Path) -> None:
    build_kit(EXAMPLE, tmp_path)
    conf = json.loads((tmp_path / "kea" / "kea-dhcp6.conf").read_text())["Dhcp6"]
    subnets = {s["id"]: s for s in conf["subnet6"]}
    assert sorted(subnets) == [110, 130]  # the slaac+dhcpv6 and dhcpv6 VLANs
    assert subnets[130]["pools"] == [{"pool": "2001:db8:4c00:130:0:d6:1:0/112"}]
    assert subnets[110]["pools"] == []  # stateless: options only
    assert subnets[130]["reservations"] == [
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
@pytest.mark.parametrize("site", [CONTRACT, EXAMPLE], ids=["contract", "example"])
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
