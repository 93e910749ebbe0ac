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
    assert "Add-DnsServerResourceRecordNS" not in script
