"""`dns audit`: each planted fault reported exactly once; the kit's zones and a pushed live
server are clean."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import dns.query
import dns.rcode
import dns.update
import pytest
from click.testing import CliRunner

from dualstack.cli.root import cli
from dualstack.kit import build_kit
from dualstack.plan import check
from dualstack.plan.lock import lock_path
from dualstack.zones.tsig import TsigKey
from tests.bindlab import KEY_ALGORITHM, running_bind
from tests.testdata import CONTRACT, INTERFACES_CONTRACT

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


FWD = "corp.example.net.zone"
V4 = "20.1.10.in-addr.arpa.zone"
HV02_V6 = "2001:db8:1200:20:215:5dff:fe01:140c"
MOVED_V6 = "2001:db8:1200:10:215:5dff:fe01:140c"  # hv02's interface ID in VLAN 10's /64
HV02_PTR = "c.0.4.1.1.0.e.f.f.f.d.5.5.1.2.0.0.2.0.0"  # relative to the /48 reverse zone
MOVED_PTR = "c.0.4.1.1.0.e.f.f.f.d.5.5.1.2.0.0.1.0.0"

# fault -> the edits that plant it (file, old text, new text) and the one finding it must give:
# (rule, subject, message, fix)
FAULTS = {
    "extra A and PTR": (
        [
            (FWD, "hv01     IN A ", "hv01     IN A     10.1.20.99\nhv01     IN A "),
            (V4, "11 IN PTR", "99 IN PTR   hv01.corp.example.net.\n11 IN PTR"),
        ],
        (
            "dns.unplanned-record",
            "hv01.corp.example.net. A 10.1.20.99",
            "not in the plan, which has hv01.corp.example.net. A 10.1.20.11",
            "delete it and its PTR 99.20.1.10.in-addr.arpa.",
        ),
    ),
    "AAAA moved into another VLAN with its PTR": (
        [
            (FWD, HV02_V6, MOVED_V6),
            (f"{V6}.zone", f"{HV02_PTR} IN PTR", f"{MOVED_PTR} IN PTR"),
        ],
        (
            "dns.aaaa-outside-vlan",
            f"hv02.corp.example.net. AAAA {MOVED_V6}",
            f"{MOVED_V6} is in VLAN 10 (management)'s /64, but the host is on VLAN 20 "
            "(servers): 2001:db8:1200:20::/64, fd3c:7a2b:91e0:20::/64",
            f"replace it and its PTR {MOVED_PTR}.{V6}. with {HV02_V6}",
        ),
    ),
    "wrong A (its PTR kept)": (
        [(FWD, "10.1.20.12", "10.1.20.99")],
        (
            "dns.unplanned-record",
            "hv02.corp.example.net. A 10.1.20.99",
            "not in the plan, which has hv02.corp.example.net. A 10.1.20.12",
            "replace it with 10.1.20.12",
        ),
    ),
    "alias to the wrong host": (
        [(FWD, "hyperv1  IN CNAME hv01.", "hyperv1  IN CNAME hv02.")],
        (
            "dns.unplanned-record",
            "hyperv1.corp.example.net. CNAME hv02.corp.example.net.",
            "not in the plan, which has hyperv1.corp.example.net. CNAME hv01.corp.example.net.",
            "replace it with hv01.corp.example.net.",
        ),
    ),
    "PTR to the wrong host": (
        [(V4, "12 IN PTR   hv02.", "12 IN PTR   fs01.")],
        (
            "dns.unplanned-record",
            "12.20.1.10.in-addr.arpa. PTR fs01.corp.example.net.",
            "not in the plan, which has 12.20.1.10.in-addr.arpa. PTR hv02.corp.example.net.",
            "replace it with hv02.corp.example.net.",
        ),
    ),
}


def findings(zones: Path, site: Path = CONTRACT) -> list[tuple[str, str, str, str]]:
    code, out = run(*map(str, sorted(zones.glob("*.zone"))), "--site", str(site), "--json")
    found = json.loads(out)["findings"]
    assert code == (1 if found else 0), out
    return [(f["rule"], f["subject"], f["message"], f["fix"]) for f in found]


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_record_the_plan_does_not_have_is_named_once(tmp_path: Path, fault: str) -> None:
    zones = kit_zones(tmp_path)
    edits, expected = FAULTS[fault]
    for name, old, new in edits:
        edit(zones / name, old, new)
    assert findings(zones) == [expected]


def test_other_types_at_a_planned_name_are_not_the_plans(tmp_path: Path) -> None:
    zones = kit_zones(tmp_path)
    edit(
        zones / FWD,
        "hv01     IN A ",
        'hv01 IN MX 10 mail.example.org.\nhv01 IN TXT "x"\nhv01 IN A ',
    )
    assert findings(zones) == []


def test_names_the_lock_says_the_site_published_are_still_its_own(tmp_path: Path) -> None:
    zones = kit_zones(tmp_path)
    edit(zones / FWD, "hv01     IN A ", "old IN A 10.1.20.77\nhv01     IN A ")
    edit(zones / V4, "11 IN PTR", "77 IN PTR old.corp.example.net.\n11 IN PTR")
    site = tmp_path / "site.toml"
    site.write_text(CONTRACT.read_text())
    assert findings(zones, site) == []  # a consistent pair at names the plan never had
    owned = ["old.corp.example.net.", "77.20.1.10.in-addr.arpa."]
    lock = {"schema": "dualstack-lock/2", "site": "hq", "subnets": {}, "managed": owned}
    lock_path(site).write_text(json.dumps(lock))
    delete = " (`dualstack dns push --apply` does)"
    assert findings(zones, site) == [
        (
            "dns.unplanned-record",
            "77.20.1.10.in-addr.arpa. PTR old.corp.example.net.",
            "the plan no longer has 77.20.1.10.in-addr.arpa. "
            "(the site's lock says it published it)",
            "delete it" + delete,
        ),
        (
            "dns.unplanned-record",
            "old.corp.example.net. A 10.1.20.77",
            "the plan no longer has old.corp.example.net. (the site's lock says it published it)",
            "delete it and its PTR 77.20.1.10.in-addr.arpa." + delete,
        ),
    ]


def test_planted_faults_on_a_live_server_are_found_by_axfr(tmp_path: Path) -> None:
    zones = kit_zones(tmp_path)
    texts = {p.name.removesuffix(".zone") + ".": p.read_text() for p in zones.glob("*.zone")}
    site = tmp_path / "site.toml"
    site.write_text(CONTRACT.read_text())
    with running_bind(tmp_path / "bind", texts) as bind:
        key = TsigKey(bind.key_name, KEY_ALGORITHM, bind.key_secret)
        forward, v4, v6 = "corp.example.net.", "20.1.10.in-addr.arpa.", f"{V6}."
        updates = {
            forward: [
                ("add", "hv01", "A", "10.1.20.99"),
                ("delete", "hv02", "AAAA", HV02_V6),
                ("add", "hv02", "AAAA", MOVED_V6),
            ],
            v4: [("add", "99", "PTR", "hv01.corp.example.net.")],
            v6: [
                ("delete", HV02_PTR, "PTR", "hv02.corp.example.net."),
                ("add", MOVED_PTR, "PTR", "hv02.corp.example.net."),
            ],
        }
        for origin, steps in updates.items():
            update = dns.update.UpdateMessage(
                origin, keyring=key.keyring(), keyname=bind.key_name, keyalgorithm=KEY_ALGORITHM
            )
            for action, name, rtype, value in steps:
                if action == "add":
                    update.add(name, 300, rtype, value)
                else:
                    update.delete(name, rtype, value)
            response = dns.query.tcp(update, "127.0.0.1", port=bind.port, timeout=5)
            assert response.rcode() == dns.rcode.NOERROR
        key_file = tmp_path / "tsig.key"
        key_file.write_text(
            f'key "{bind.key_name}" {{ algorithm {KEY_ALGORITHM}; secret "{bind.key_secret}"; }};'
        )
        code, out = run(
            "--site", str(site), "--server", "127.0.0.1", "--port", str(bind.port),
            "--key-file", str(key_file), "--json",
        )  # fmt: skip
    assert code == 1, out
    found = [(f["rule"], f["subject"], f["message"], f["fix"]) for f in json.loads(out)["findings"]]
    assert found == [
        FAULTS["extra A and PTR"][1],
        FAULTS["AAAA moved into another VLAN with its PTR"][1],
    ]


def test_a_multi_nic_host_is_inside_every_vlan_it_is_on(tmp_path: Path) -> None:
    build_kit(INTERFACES_CONTRACT, tmp_path / "kit")
    zones = tmp_path / "kit" / "dns"
    site = INTERFACES_CONTRACT
    assert findings(zones, site) == []
    plan = check(site).plan
    assert plan is not None
    nics = {h.interface.name: h for h in plan.interfaces if h.host.name == "hv01"}
    cluster, management = nics["Cluster"].ipv6, nics["Management"].ipv6
    assert cluster is not None
    assert management is not None
    assert not nics["Cluster"].in_dns
    forward = zones / f"{plan.site.info.domain}.zone"
    edit(forward, "hv01 ", f"hv01 IN AAAA {cluster}\nhv01 ")
    # the Cluster NIC's own address: published by mistake, but in a VLAN the host is on
    assert findings(zones, site) == [
        (
            "dns.unplanned-record",
            f"hv01.{plan.origin} AAAA {cluster}",
            f"not in the plan, which has hv01.{plan.origin} AAAA {management}",
            "delete it",
        )
    ]
