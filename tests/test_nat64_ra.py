"""PREF64 (RFC 8781) in the kit's router advertisements: radvd's ``nat64prefix`` only where
the site says its routers run radvd 2.20 or later (the radvd here, 2.19, rejects it: checked),
the IOS form always, and the lifetime rule."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from dualstack.emit.radvd import pref64_lifetime, radvd_conf
from dualstack.emit.router import ios_config
from dualstack.plan import check_checked, read_site
from tests.testdata import LAB_HEADER

SITE = (
    LAB_HEADER
    + """
[nat64]
prefix = "64:ff9b::/96"
{pref64}

[[vlan]]
id = 20
name = "servers"
ipv4 = "10.0.20.0/24"
gateway = "10.0.20.1"
ipv6 = "static"
interface = "r20"

[[vlan]]
id = 110
name = "clients"
ipv4 = "10.0.110.0/24"
gateway = "10.0.110.1"
ipv6 = "slaac"
interface = "r110"
ipv6_only_preferred = true

[[host]]
name = "ns1"
vlan = 20
ipv4 = "10.0.20.53"
ipv6 = "static"
"""
)

GOLDEN_RADVD_220 = """\
    nat64prefix 64:ff9b::/96 {
        AdvValidLifetime 1800;
    };
};
"""


def plan(pref64: bool):  # type: ignore[no-untyped-def]
    outcome = check_checked(
        read_site(SITE.format(pref64=f"radvd_pref64 = {str(pref64).lower()}"), "s")
    )
    assert outcome.ok, outcome.findings
    assert outcome.plan is not None
    return outcome.plan


def radvd() -> str:
    found = shutil.which("radvd") or "/usr/sbin/radvd"
    if not Path(found).exists():
        if os.environ.get("CI"):
            pytest.fail("radvd is missing: .ci/run must install it")
        pytest.skip("radvd not installed (outside CI only)")
    return found


def configtest(text: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    conf = tmp_path / "radvd.conf"
    conf.write_text(text)
    return subprocess.run(
        [radvd(), "--configtest", "-C", str(conf)], capture_output=True, text=True, timeout=30
    )


def test_without_the_site_key_radvd_219_accepts_the_file_and_it_says_why(tmp_path: Path) -> None:
    text = radvd_conf(plan(False)) or ""
    assert not [line for line in text.splitlines() if line.strip().startswith("nat64prefix")]
    clients = text.split("interface r110 {")[1]
    assert (
        "# PREF64 64:ff9b::/96 (RFC 8781) not advertised: nat64prefix needs radvd 2.20" in clients
    )
    assert "PREF64" not in text.split("interface r20 {")[1].split("};\n")[0]
    done = configtest(text, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr


def test_with_the_site_key_the_radvd_220_text(tmp_path: Path) -> None:
    text = radvd_conf(plan(True)) or ""
    clients = text.split("interface r110 {")[1]
    assert clients.endswith(GOLDEN_RADVD_220) or GOLDEN_RADVD_220 in clients
    assert "nat64prefix" not in text.split("interface r110 {")[0]  # the servers VLAN: none
    # the radvd of this machine (2.19) does not know the option: why the key exists
    version = subprocess.run([radvd(), "--version"], capture_output=True, text=True).stdout
    if "Version: 2.19" in version:
        done = configtest(text, tmp_path)
        assert done.returncode != 0
        assert "syntax error" in done.stdout + done.stderr


def test_ios_advertises_pref64_on_the_ipv6_mostly_vlan() -> None:
    config = ios_config(plan(False))
    clients = config.split("interface Vlan110")[1].split("!")[0]
    assert " ipv6 nd ra nat64-prefix 64:ff9b::/96\n" in clients
    assert "nat64-prefix" not in config.split("interface Vlan20")[1].split("!")[0]


def test_pref64_lifetime_covers_the_router_lifetime_in_units_of_8() -> None:
    vlan = next(v for v in plan(True).vlans if v.vlan.id == 110)
    life = pref64_lifetime(vlan)
    assert life % 8 == 0
    assert life >= 1800  # the default router lifetime
    assert life <= 65528


def test_windows_dhcp_defines_option_108_then_sets_it_per_scope() -> None:
    from dualstack.emit.windows_dhcp import dhcp_script

    script = dhcp_script(plan(False))
    define = script.index(
        "Add-DhcpServerv4OptionDefinition -ComputerName $ComputerName -OptionId 108"
    )
    value = script.index(
        "Set-DhcpServerv4OptionValue -ComputerName $ComputerName -ScopeId '10.0.110.0' "
        "-OptionId 108 -Value 1800"
    )
    assert define < value
    assert "-Type DWord" in script
    assert "10.0.20.0" not in script.split("IPv6-mostly VLANs")[1]  # dual-stack VLAN: none


def test_plan_md_has_the_ipv6_mostly_section(tmp_path: Path) -> None:
    from dualstack.emit.plan_files import plan_report

    report = plan_report(plan(False))
    section = report.split("## IPv6-mostly")[1].split("\n## ")[0]
    assert "NAT64 prefix `64:ff9b::/96`" in section
    assert "VLAN 110 (clients): DHCPv4 option 108 with V6ONLY_WAIT 1800 s" in section
    assert "radvd 2.19 cannot send it" in section
    assert "464XLAT, RFC 6877" in section
    assert "NAT64 gateway" in section
