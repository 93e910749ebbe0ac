"""windows/dhcp.ps1, windows/addresses.ps1, linux/*.network and *.sysctl.conf from the plan."""

from __future__ import annotations

from pathlib import Path

import pytest

from dualstack.emit.networkd import network_file
from dualstack.emit.sysctl import device_unit, sysctl_files
from dualstack.emit.windows_dhcp import dhcp_script
from dualstack.emit.windows_hosts import addresses_script
from dualstack.kit import build_kit
from dualstack.plan import check

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "site.toml"


def plan():  # type: ignore[no-untyped-def]
    p = check(EXAMPLE).plan
    assert p is not None
    return p


def test_dhcp_script_scopes_pool_and_reservations() -> None:
    script = dhcp_script(plan())
    assert script.startswith("#Requires -Modules DhcpServer")
    assert (
        "Add-DhcpServerv6Scope -ComputerName $ComputerName -Prefix '2001:db8:4c00:130::' "
        "-Name 'printers' -State Active" in script
    )
    # leases only from the planner's pool ::d6:1:0/112
    assert "-StartRange '2001:db8:4c00:130::1' -EndRange '2001:db8:4c00:130:0:d6:0:ffff'" in script
    assert (
        "-StartRange '2001:db8:4c00:130:0:d6:2:0' -EndRange "
        "'2001:db8:4c00:130:ffff:ffff:ffff:ffff'" in script
    )
    assert (
        "-IPAddress '2001:db8:4c00:130::d6:16' -ClientDuid '00-03-00-01-3c-2a-f4-10-20-32'"
        in script
    )
    assert "-DomainSearchList 'hq.contoso.example'" in script
    assert "Prefix '2001:db8:4c00:20::'" not in script  # SLAAC-only VLANs get no scope


def rows(script: str) -> dict[tuple[str, str], str]:
    """(host, NIC label) -> that NIC's row in the script's $Plan table."""
    out = {}
    for line in script.splitlines():
        if line.startswith("    [pscustomobject]@{ Host = "):
            host = line.split("Host = '", 1)[1].split("'", 1)[0]
            label = line.split("Label = '", 1)[1].split("'", 1)[0]
            out[host, label] = line
    return out


def test_addresses_script_covers_every_nic_of_windows_hosts_only() -> None:
    table = rows(addresses_script(plan()))
    assert {host for host, _ in table} == {"dc01", "dc02", "hv01", "hv02", "hv03"}
    assert [label for host, label in table if host == "hv01"] == [
        "Management",
        "LiveMigration",
        "Cluster",
        "iSCSI-A",
        "iSCSI-B",
    ]


def test_addresses_script_finds_adapters_by_mac_and_refuses_a_missing_one() -> None:
    script = addresses_script(plan())
    assert "Mac = '00-15-5D-0A-40-01'" in rows(script)["hv01", "LiveMigration"]
    assert "$Adapter = @(Get-NetAdapter | Where-Object MacAddress -eq $Nic.Mac)" in script
    assert "on $env:COMPUTERNAME: nothing was changed" in script
    # every adapter is found before the first change is made
    assert script.index('throw ("no single adapter') < script.index("Set-NetIPv6Protocol")
    assert "$env:COMPUTERNAME.ToLowerInvariant()" not in script  # no per-name branches


def test_roles_decide_dns_servers_and_registration() -> None:
    table = rows(addresses_script(plan()))
    management = table["hv01", "Management"]
    assert "Register = $true" in management
    assert "Dns = @('2001:db8:4c00:10::10', '2001:db8:4c00:10::11'" in management
    for nic in ("LiveMigration", "Cluster", "iSCSI-A", "iSCSI-B"):
        assert "Dns = @(); Register = $false" in table["hv01", nic]


def test_eui64_on_windows_turns_random_identifiers_off() -> None:
    script = addresses_script(plan())
    table = rows(script)
    assert "Eui64 = $true" in table["hv01", "Management"]
    assert "Eui64 = $false" in table["dc01", "dc01"]
    assert (
        "Set-NetIPv6Protocol -RandomizeIdentifiers Disabled -UseTemporaryAddresses Disabled"
        in script
    )


def test_static_nics_get_their_global_and_ula_addresses() -> None:
    table = rows(addresses_script(plan()))
    assert "IPv6 = @('2001:db8:4c00:10::10', 'fd5e:9a41:7c02:10::10')" in table["dc01", "dc01"]
    assert (
        "IPv6 = @('2001:db8:4c00:400::11', 'fd5e:9a41:7c02:400::11')"
        in table["hv01", "LiveMigration"]
    )
    assert "IPv6 = @()" in table["hv01", "Management"]  # formed by SLAAC (EUI-64)


def test_networkd_files(tmp_path: Path) -> None:
    written = build_kit(EXAMPLE, tmp_path)[1].written
    names = sorted(w.path.name for w in written if w.path.parent.name == "linux")
    # the one static NIC of an os = "linux" host, and its two stable (kernel SLAAC) hosts
    assert names == ["fs01.sysctl.conf", "gw-core.network", "sql01.sysctl.conf"]
    p = plan()
    gw = next(h for h in p.interfaces if h.host.name == "gw-core")
    text = network_file(gw, p)
    assert (
        "Address=10.20.10.2/24\nAddress=2001:db8:4c00:10::2/64\n"
        "Address=fd5e:9a41:7c02:10::2/64\nGateway=10.20.10.1"  # the ULA plan.md lists
    ) in text
    assert "DNS=2001:db8:4c00:10::10\nDNS=2001:db8:4c00:10::11\nDNS=10.20.10.10" in text
    assert "[IPv6AcceptRA]\nUseAutonomousPrefix=no" in text


def test_renderers_refuse_unsafe_values() -> None:
    from dataclasses import replace

    p = plan()
    gw = next(h for h in p.interfaces if h.host.name == "gw-core")
    evil_site = replace(p.site, info=replace(p.site.info, domain="x\n[Network]\nDNS=6.6.6.6"))
    with pytest.raises(ValueError, match="unsafe networkd value"):
        network_file(gw, replace(p, site=evil_site))


SYSCTL_SITE = """
[site]
name = "lab"
domain = "lab.example"
ipv6_prefix = "2001:db8:77::/48"
ula_prefix = "fd00:77:1::/48"
stable_secret = "2001:db8:dead:beef:1:2:3:4"

[dns]
nameservers = []

[[vlan]]
id = 20
name = "servers"
ipv4 = "10.0.20.0/24"
gateway = "10.0.20.1"
ipv6 = "slaac"

[[host]]
name = "app"
os = "linux"
  [[host.interface]]
  name = "ens18"
  vlan = 20
  ipv4 = "10.0.20.21"
  mac = "00:15:5d:77:00:21"
  ipv6 = "eui64"
  [[host.interface]]
  name = "eth1.20"
  vlan = 20
  ipv4 = "10.0.20.22"
  mac = "00:15:5d:77:00:22"
  ipv6 = "stable"
  stable_secret = "2001:db8:f00d::1"

[[host]]
name = "win"
os = "windows"
vlan = 20
ipv4 = "10.0.20.30"
mac = "00:15:5d:77:00:30"

[[host]]
name = "box"
vlan = 20
ipv4 = "10.0.20.31"
mac = "00:15:5d:77:00:31"
ipv6 = "stable"

[[host]]
name = "pinned"
os = "linux"
vlan = 20
ipv4 = "10.0.20.32"
mac = "00:15:5d:77:00:32"
ipv6 = "eui64"
ipv6_address = "2001:db8:77:20::32"
"""


def _sysctl_plan(tmp_path: Path):  # type: ignore[no-untyped-def]
    site = tmp_path / "site.toml"
    site.write_text(SYSCTL_SITE)
    p = check(site).plan
    assert p is not None
    return p


def test_sysctl_files_only_for_kernel_slaac_nics_of_linux_hosts(tmp_path: Path) -> None:
    # windows and no-os hosts are configured elsewhere or not at all; an ipv6_address is not
    # what the kernel forms, so a NIC pinned to one gets no SLAAC settings
    assert list(sysctl_files(_sysctl_plan(tmp_path))) == [
        "linux/app.sysctl.conf",
        "linux/app.slaac-up.service",
    ]


def test_sysctl_file_text(tmp_path: Path) -> None:
    from dualstack.emit import Secret

    text = sysctl_files(_sysctl_plan(tmp_path))["linux/app.sysctl.conf"]
    assert isinstance(text, Secret)  # holds a stable_secret: written 0600
    assert text.startswith("# app: generated by dualstack from the site plan; install as ")
    assert (
        "net.ipv6.conf.ens18.accept_ra = 1\n"
        "net.ipv6.conf.ens18.autoconf = 1\n"
        "net.ipv6.conf.ens18.use_tempaddr = 0\n"
        "net.ipv6.conf.ens18.addr_gen_mode = 0\n"
    ) in text
    # a VLAN device's dot is spelled / in a sysctl key; the secret comes before mode 2,
    # which the kernel refuses while no secret is set
    assert (
        "net.ipv6.conf.eth1/20.use_tempaddr = 0\n"
        "net.ipv6.conf.eth1/20.stable_secret = 2001:db8:f00d::1\n"
        "net.ipv6.conf.eth1/20.addr_gen_mode = 2\n"
    ) in text
    # each block names the planned global and ULA addresses it forms
    assert "# ens18: eui64 (SLAAC modified EUI-64) -> 2001:db8:77:" in text
    assert " and fd00:77:1:" in text


def test_sysctl_unnamed_nic_uses_default_and_eui64_file_is_not_secret(tmp_path: Path) -> None:
    site = tmp_path / "one.toml"
    site.write_text(
        SYSCTL_SITE.split("[[host]]")[0]
        + '[[host]]\nname = "solo"\nos = "linux"\nvlan = 20\nipv4 = "10.0.20.40"\n'
        + 'mac = "00:15:5d:77:00:40"\nipv6 = "eui64"\n'
    )
    p = check(site).plan
    assert p is not None
    from dualstack.emit import Secret

    text = sysctl_files(p)["linux/solo.sysctl.conf"]
    assert not isinstance(text, Secret)
    assert "net.ipv6.conf.default.addr_gen_mode = 0\n" in text
    assert "# (unnamed NIC): eui64" in text


def test_the_slaac_up_unit_names_each_device_as_systemd_escapes_it() -> None:
    assert device_unit("ens4") == "sys-subsystem-net-devices-ens4.device"
    assert device_unit("br-lan.20") == "sys-subsystem-net-devices-br\\x2dlan.20.device"


def _with_windows_table(tmp_path: Path, table: str):  # type: ignore[no-untyped-def]
    site = tmp_path / "site.toml"
    site.write_text(EXAMPLE.read_text() + "\n[windows]\n" + table + "\n")
    return check(site)


def test_automatic_tunnels_are_turned_off_only_when_the_site_asks(tmp_path: Path) -> None:
    assert "Set-Net6to4Configuration" not in addresses_script(plan())
    outcome = _with_windows_table(tmp_path, 'transition_tunnels = "disable"')
    assert outcome.plan is not None
    script = addresses_script(outcome.plan)
    tail = script.split("Set-DnsClient -InterfaceIndex $Index -RegisterThisConnectionsAddress")[1]
    # after every adapter was found (the script stops before changing anything otherwise)
    for line in (
        "Set-Net6to4Configuration -State Disabled",
        "Set-NetIsatapConfiguration -State Disabled",
        "Set-NetTeredoConfiguration -Type Disabled",
    ):
        assert f"\n{line}\n" in tail


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('transition_tunnels = "disabled"', "'disabled' is not one of leave, disable"),
        ('tunnels = "disable"', "tunnels"),
    ],
)
def test_bad_windows_table_values_are_findings(tmp_path: Path, table: str, message: str) -> None:
    outcome = _with_windows_table(tmp_path, table)
    assert not outcome.ok
    found = [f for f in outcome.findings if message in f.message]
    assert found, outcome.findings
    header = EXAMPLE.read_text().count("\n") + 2  # the [windows] line appended
    assert found[0].line == header
