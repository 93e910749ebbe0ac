"""windows/dns.ps1: the documented DnsServer cmdlets, Windows' reverse-zone rules, safe quoting."""

from __future__ import annotations

from pathlib import Path

import pytest

from dualstack.emit.quoting import powershell
from dualstack.emit.windows_dns import dns_script
from dualstack.plan import check
from dualstack.zones import build_zones
from tests.testdata import CONTRACT


@pytest.mark.parametrize(
    ("value", "literal"),
    [
        ("hv01", "'hv01'"),
        ("o'brien", "'o''brien'"),
        ("a\u2019b", "'a\u2019\u2019b'"),  # PowerShell reads typographic quotes as '
        ("$(Remove-Item C:\\)", "'$(Remove-Item C:\\)'"),  # no expansion in single quotes
    ],
)
def test_powershell_literals(value: str, literal: str) -> None:
    assert powershell(value) == literal


def test_powershell_refuses_control_characters() -> None:
    with pytest.raises(ValueError, match="control characters"):
        powershell("a\nRemove-Item x")


def test_contract_script(tmp_path: Path) -> None:
    site = tmp_path / "site.toml"
    site.write_text(CONTRACT.read_text().replace('"172.16.30.0/24"', '"172.16.30.0/26"'))
    plan = check(site).plan
    assert plan is not None
    script = dns_script(build_zones(plan))
    assert script.startswith("#Requires -Modules DnsServer")
    assert "Add-Zone 'corp.example.net' @{ Name = 'corp.example.net';" in script
    assert "@{ NetworkId = '2001:db8:1200::/48';" in script
    # a /26 of a /24 the site holds: the /24 zone, as in BIND, PTR owner the last octet
    assert "@{ NetworkId = '172.16.30.0/24';" in script
    assert (
        "Add-DnsServerResourceRecordPtr -ComputerName $ComputerName -ZoneName "
        "'30.16.172.in-addr.arpa' -Name '10' -PtrDomainName 'san-a.corp.example.net.'"
    ) in script
    assert (
        "Add-DnsServerResourceRecordAAAA -ComputerName $ComputerName -ZoneName "
        "'corp.example.net' -Name 'hv01' -IPv6Address '2001:db8:1200:20:215:5dff:fe01:140b'"
    ) in script
    assert "-HostNameAlias 'hv01.corp.example.net.'" in script
    # AD-integrated by default: on every DC of the domain, secure updates, no zone file
    zones = [line for line in script.splitlines() if line.startswith("Add-Zone ")]
    assert zones
    for line in zones:
        assert line.endswith("; ReplicationScope = 'Domain'; DynamicUpdate = 'Secure' }"), line
    assert "ZoneFile" not in script
    # every name server of the site, in every zone (a DC adds only its own)
    nameservers = [f"'{n}'" for n in plan.site.dns.nameservers]
    assert len(nameservers) >= 2
    for line in zones:
        zone = line.split("'")[1]
        for server in nameservers:
            assert f"Add-NameServer '{zone}' {server}" in script


def test_file_backed_zones_on_request(tmp_path: Path) -> None:
    site = tmp_path / "site.toml"
    site.write_text(CONTRACT.read_text().replace("[dns]\n", '[dns]\nwindows_zones = "file"\n'))
    plan = check(site).plan
    assert plan is not None
    script = dns_script(build_zones(plan), plan.site.dns.windows_zones)
    assert (
        "Add-Zone 'corp.example.net' @{ Name = 'corp.example.net'; "
        "ZoneFile = 'corp.example.net.dns'; DynamicUpdate = 'None' }"
    ) in script
    assert "ReplicationScope" not in script
