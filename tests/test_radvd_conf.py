"""radvd.conf from the plan: flags per VLAN mode, RDNSS/DNSSL, and radvd's own config test."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from dualstack.emit.radvd import radvd_conf
from dualstack.kit import build_kit
from dualstack.plan import check
from tests.testdata import CONTRACT

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "site.toml"


def stanza(conf: str, interface: str) -> str:
    match = re.search(rf"^interface {interface} \{{\n(.*?)^\}};", conf, re.S | re.M)
    assert match, interface
    return match.group(1)


def test_flags_follow_each_vlan_mode() -> None:
    plan = check(EXAMPLE).plan
    assert plan is not None
    conf = radvd_conf(plan)
    assert conf is not None
    expected = {  # interface: (M, O, A)
        "vlan10": ("off", "off", "off"),  # static
        "vlan20": ("off", "off", "on"),  # slaac
        "vlan110": ("off", "on", "on"),  # slaac+dhcpv6
        "vlan130": ("on", "off", "off"),  # dhcpv6
    }
    for interface, (m, o, a) in expected.items():
        body = stanza(conf, interface)
        assert f"AdvManagedFlag {m};" in body
        assert f"AdvOtherConfigFlag {o};" in body
        assert set(re.findall(r"AdvAutonomous (on|off);", body)) == {a}
    assert "interface vlan300" not in conf  # IPv4-only storage VLANs get no RAs
    assert "interface vlan400" not in conf  # static, no gateway: nothing to advertise
    assert "# VLAN 400 (live-migration): no advertisements: static and no router" in conf
    body = stanza(conf, "vlan20")
    assert "prefix 2001:db8:4c00:20::/64 {" in body
    assert "prefix fd5e:9a41:7c02:20::/64 {" in body
    assert "RDNSS 2001:db8:4c00:10::10 2001:db8:4c00:10::11 { };" in body
    assert "DNSSL hq.contoso.example { };" in body


def test_interface_override_and_hostile_interface_names(tmp_path: Path) -> None:
    site = tmp_path / "site.toml"
    site.write_text(
        CONTRACT.read_text().replace(
            'name = "servers"\n', 'name = "servers"\ninterface = "eth1.20"\n'
        )
    )
    plan = check(site).plan
    assert plan is not None
    assert "interface eth1.20 {" in (radvd_conf(plan) or "")
    site.write_text(
        CONTRACT.read_text().replace(
            'name = "servers"\n', 'name = "servers"\ninterface = "x { };\\ninterface evil"\n'
        )
    )
    outcome = check(site)
    assert not outcome.ok
    assert any("is not an interface name" in f.message for f in outcome.findings)


@pytest.mark.parametrize("site", [CONTRACT, EXAMPLE], ids=["contract", "example"])
def test_radvd_accepts_the_kit(site: Path, tmp_path: Path) -> None:
    radvd = shutil.which("radvd") or "/usr/sbin/radvd"
    if not Path(radvd).exists():
        if os.environ.get("CI"):
            pytest.fail("radvd is missing: .ci/run must install it")
        pytest.skip("radvd not installed (outside CI only)")
    build_kit(site, tmp_path)
    proc = subprocess.run(
        [radvd, "--configtest", "-C", str(tmp_path / "radvd" / "radvd.conf")],
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "syntax ok" in proc.stdout + proc.stderr
