"""windows/dhcp.ps1, windows/addresses.ps1 and linux/*.network from the plan."""

from __future__ import annotations

from pathlib import Path

import pytest

from dualstack.emit.networkd import network_file
from dualstack.emit.windows_dhcp import addresses_script, dhcp_script
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


def test_addresses_script_covers_static_hosts_only() -> None:
    script = addresses_script(plan())
    assert "    'dc01' {" in script
    assert "-IPAddress '2001:db8:4c00:10::10' -PrefixLength 64" in script
    assert "'hv01' {" not in script  # SLAAC host
    assert (
        "-ServerAddresses '2001:db8:4c00:10::10', '2001:db8:4c00:10::11', '10.20.10.10'" in script
    )


def test_networkd_files(tmp_path: Path) -> None:
    written = build_kit(EXAMPLE, tmp_path)[1].written
    names = sorted(w.path.name for w in written if w.path.parent.name == "linux")
    assert "dc01.network" in names
    assert "hv01.network" not in names
    p = plan()
    gw = next(h for h in p.hosts if h.host.name == "gw-core")
    text = network_file(gw, p)
    assert "Address=10.20.10.2/24\nAddress=2001:db8:4c00:10::2/64\nGateway=10.20.10.1" in text
    assert "DNS=2001:db8:4c00:10::10\nDNS=2001:db8:4c00:10::11\nDNS=10.20.10.10" in text
    assert "[IPv6AcceptRA]\nUseAutonomousPrefix=no" in text


def test_renderers_refuse_unsafe_values() -> None:
    from dataclasses import replace

    p = plan()
    gw = next(h for h in p.hosts if h.host.name == "gw-core")
    evil_site = replace(p.site, info=replace(p.site.info, domain="x\n[Network]\nDNS=6.6.6.6"))
    with pytest.raises(ValueError, match="unsafe networkd value"):
        network_file(gw, replace(p, site=evil_site))
