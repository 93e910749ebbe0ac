"""`dns audit`: each planted fault reported exactly once; the kit's zones and a pushed live
server are clean."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from click.testing import CliRunner

from dualstack.cli.root import cli
from dualstack.kit import build_kit
from tests.testdata import CONTRACT

V6 = "0.0.2.1.8.b.d.0.1.0.0.2.ip6.arpa"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["dns", "audit", *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def kit_zones(tmp_path: Path) -> Path:
    build_kit(CONTRACT, tmp_path / "kit")
    return tmp_path / "kit" / "dns"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def test_the_kits_own_zones_are_clean(tmp_path: Path) -> None:
    zones = kit_zones(tmp_path)
    code, out = run(*map(str, sorted(zones.glob("*.zone"))), "--site", str(CONTRACT))
    assert code == 0, out
    assert out.strip().endswith("0 finding(s) in 21 zone(s)")


def test_each_planted_fault_is_reported_once(tmp_path: Path) -> None:
    zones = kit_zones(tmp_path)
    v4 = zones / "10.1.10.in-addr.arpa.zone"
    forward = zones / "corp.example.net.zone"
    edit(v4, "54 IN PTR   ns2.corp.example.net.\n", "")  # missing PTR for ns2's A
    edit(v4, "53 IN PTR", "99 IN PTR   ghost.corp.example.net.\n53 IN PTR")  # orphan PTR
    edit(v4, "53 IN PTR", "98 IN PTR   ns1.corp.example.net.\n53 IN PTR")  # FCrDNS fails
    v6 = zones / f"{V6}.zone"
    edit(v6, "@  ", "5.3.0.0.0.1.0.0 IN PTR ns1.corp.example.net.\n@  ")  # PTR at wrong depth
    edit(forward, "ns1 ", 'www IN CNAME ns1.corp.example.net.\nwww IN TXT "x"\nns1 ')  # CNAME+data
    bad_zone = tmp_path / "odd.zone"  # a reverse zone off the nibble boundary
    bad_zone.write_text(
        f"$ORIGIN 00.{V6}.\n$TTL 300\n@ IN SOA ns1.corp.example.net. h.corp.example.net. "
        "1 3600 900 1209600 300\n@ IN NS ns1.corp.example.net.\n"
    )
    edit(forward, "hv02     IN AAAA  2001:db8:1200:20:215:5dff:fe01:140c\n", "")  # no AAAA
    edit(forward, "hyperv1  IN CNAME hv01.corp.example.net.\n", "")  # plan record missing
    files = [*map(str, sorted(zones.glob("*.zone"))), str(bad_zone)]
    code, out = run(*files, "--site", str(CONTRACT), "--json")
    assert code == 1, out
    found = json.loads(out)["findings"]
    rules = [
        "dns.missing-ptr",
        "dns.orphan-ptr",
        "dns.fcrdns",
        "dns.ptr-depth",
        "dns.cname-and-other-data",
        "dns.reverse-boundary",
        "dns.missing-aaaa",
        "dns.plan-missing",
    ]
    assert Counter(f["rule"] for f in found) == dict.fromkeys(rules, 1), found
    subjects = {f["rule"]: f["subject"] for f in found}
    assert subjects["dns.missing-ptr"] == "ns2.corp.example.net. A 10.1.10.54"
    assert subjects["dns.orphan-ptr"] == "99.10.1.10.in-addr.arpa. PTR ghost.corp.example.net."
    assert subjects["dns.fcrdns"] == "98.10.1.10.in-addr.arpa. PTR ns1.corp.example.net."
    assert subjects["dns.missing-aaaa"] == "hv02.corp.example.net."
    assert subjects["dns.plan-missing"] == "hyperv1.corp.example.net. CNAME"
    assert subjects["dns.reverse-boundary"] == f"00.{V6}."
    assert subjects["dns.cname-and-other-data"] == "www.corp.example.net. (corp.example.net.)"
    assert subjects["dns.ptr-depth"].startswith(f"5.3.0.0.0.1.0.0.{V6}. PTR")
