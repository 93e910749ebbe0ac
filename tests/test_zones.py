"""DNS zones from the plan: contents, BIND's own checker, serials, and refusal of unsafe names."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from dualstack.emit.bind import zone_text
from dualstack.kit import build_kit
from dualstack.plan import check
from dualstack.zones import Record, Zone, build_zones
from dualstack.zones.serial import choose_serial
from tests.testdata import CONTRACT

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "site.toml"
DAY = date(2026, 11, 25)


def contract_zones() -> dict[str, Zone]:
    plan = check(CONTRACT).plan
    assert plan is not None
    return {z.origin: z for z in build_zones(plan)}


def records(zone: Zone, rtype: str) -> set[tuple[str, str]]:
    return {(r.owner, r.value) for r in zone.records if r.rtype == rtype}


def test_contract_zone_set() -> None:
    zones = contract_zones()
    reverse_v4 = sorted(z for z in zones if z.endswith("in-addr.arpa."))
    assert "corp.example.net." in zones
    assert "0.0.2.1.8.b.d.0.1.0.0.2.ip6.arpa." in zones  # the /48 at its nibble boundary
    assert len(reverse_v4) == 1 + 1 + 16 + 1  # /24, /24, the /20 as 16 zones, iSCSI /24
    assert "30.16.172.in-addr.arpa." in zones


def test_forward_and_reverse_records_match_the_plan() -> None:
    zones = contract_zones()
    forward = zones["corp.example.net."]
    assert ("hv01.corp.example.net.", "2001:db8:1200:20:215:5dff:fe01:140b") in records(
        forward, "AAAA"
    )
    assert ("san-a.corp.example.net.", "172.16.30.10") in records(forward, "A")
    assert not any(o == "san-a.corp.example.net." for o, _ in records(forward, "AAAA"))
    assert records(forward, "CNAME") == {("hyperv1.corp.example.net.", "hv01.corp.example.net.")}
    v6 = zones["0.0.2.1.8.b.d.0.1.0.0.2.ip6.arpa."]
    assert (
        "7.0.2.0.6.d.0.0.0.0.0.0.0.0.0.0.0.2.1.0.0.0.2.1.8.b.d.0.1.0.0.2.ip6.arpa.",
        "printer7.corp.example.net.",
    ) in records(v6, "PTR")
    assert len(records(v6, "PTR")) == 6
    assert records(zones["130.1.10.in-addr.arpa."], "PTR") == {
        ("7.130.1.10.in-addr.arpa.", "printer7.corp.example.net.")
    }


@pytest.mark.parametrize(
    ("parent", "origin", "owner"),
    [
        ("site", "30.16.172.in-addr.arpa.", "10.30.16.172.in-addr.arpa."),
        ("delegated", "0/26.30.16.172.in-addr.arpa.", "10.0/26.30.16.172.in-addr.arpa."),
    ],
)
def test_sub_24_and_per_vlan_reverse(tmp_path: Path, parent: str, origin: str, owner: str) -> None:
    site = tmp_path / "site.toml"
    site.write_text(
        CONTRACT.read_text()
        .replace('ipv4 = "172.16.30.0/24"', 'ipv4 = "172.16.30.0/26"')
        .replace("[dns]\n", f'[dns]\nreverse_zones = "vlan"\nreverse_parent = "{parent}"\n')
    )
    plan = check(site).plan
    assert plan is not None
    zones = {z.origin: z for z in build_zones(plan)}
    assert records(zones[origin], "PTR") == {(owner, "san-a.corp.example.net.")}
    assert zones[origin].classless is (parent == "delegated")
    assert "0.2.1.0.0.0.2.1.8.b.d.0.1.0.0.2.ip6.arpa." in zones  # VLAN 120's /64


def test_serial_kept_until_records_change() -> None:
    zone = contract_zones()["corp.example.net."]
    first = zone_text(zone, choose_serial(None, zone_text(zone, 0), DAY))
    assert "2026112501 ; serial" in first
    assert choose_serial(first, zone_text(zone, 0), date(2026, 12, 1)) == 2026112501
    changed = replace(
        zone, records=(*zone.records, Record("x.corp.example.net.", "A", "10.1.10.9"))
    )
    assert choose_serial(first, zone_text(changed, 0), DAY) == 2026112502
    assert choose_serial(first, zone_text(changed, 0), date(2026, 12, 1)) == 2026120101


def test_kit_bumps_only_the_zones_that_changed(tmp_path: Path) -> None:
    site = tmp_path / "site.toml"
    site.write_text(CONTRACT.read_text())
    build_kit(site, tmp_path / "kit", today=DAY)
    site.write_text(CONTRACT.read_text().replace('ipv4 = "10.1.10.54"', 'ipv4 = "10.1.10.55"'))
    written = build_kit(site, tmp_path / "kit", today=DAY)[1].written
    changed = sorted(w.path.name for w in written if w.changed and w.path.suffix == ".zone")
    assert changed == ["10.1.10.in-addr.arpa.zone", "corp.example.net.zone"]
    text = (tmp_path / "kit" / "dns" / "corp.example.net.zone").read_text()
    assert "2026112502 ; serial" in text


def test_unsafe_names_are_refused_by_the_renderer() -> None:
    zone = contract_zones()["corp.example.net."]
    evil = replace(zone, records=(Record("a.corp.example.net.", "CNAME", "b\n$INCLUDE x."),))
    with pytest.raises(ValueError, match="unsafe DNS name"):
        zone_text(evil, 1)


def _checkzone() -> str:
    tool = shutil.which("named-checkzone")
    if tool is None:
        if os.environ.get("CI"):
            pytest.fail("named-checkzone is missing: .ci/run must install bind9-utils")
        pytest.skip("named-checkzone not installed (outside CI only)")
    return tool


@pytest.mark.parametrize("site", [CONTRACT, EXAMPLE], ids=["contract", "example"])
def test_every_kit_zone_passes_named_checkzone(site: Path, tmp_path: Path) -> None:
    tool = _checkzone()
    build_kit(site, tmp_path, today=DAY)
    conf = (tmp_path / "dns" / "named.conf").read_text()
    declared = re.findall(r'zone "([^"]+)" \{\n    type primary;\n    file "([^"]+)";', conf)
    assert len(declared) == len(list((tmp_path / "dns").glob("*.zone")))
    for origin, file in declared:
        proc = subprocess.run(
            [tool, "-k", "fail", "-n", "fail", origin, str(tmp_path / file)],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        assert proc.returncode == 0, (origin, proc.stdout, proc.stderr)
