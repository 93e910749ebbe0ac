"""``dualstack reconcile``'s comparison and readers: DNS missing and stale, leases to unknown
DUIDs, Kea's lease6 CSV and Windows neighbours, each from a file written from its
documentation."""

from __future__ import annotations

import json
import subprocess
import sys
from ipaddress import IPv6Address

from dualstack.plan import check_checked, read_site
from dualstack.reconcile import Seen, kea_leases6, neighbours, reconcile
from tests.testdata import LAB_HEADER

SITE = (
    LAB_HEADER
    + """
[[vlan]]
id = 20
name = "servers"
ipv4 = "10.0.20.0/24"
gateway = "10.0.20.1"
ipv6 = "static"

[[host]]
name = "ns1"
vlan = 20
ipv4 = "10.0.20.53"
ipv6 = "static"

[[host]]
name = "web"
vlan = 20
ipv4 = "10.0.20.80"
mac = "02:00:5e:00:00:80"
ipv6 = "static"
"""
)
LEASES6 = (
    "address,duid,valid_lifetime,expire,subnet_id,pref_lifetime,lease_type,iaid,prefix_len,"
    "fqdn_fwd,fqdn_rev,hostname,hwaddr,state,user_context,hwtype,hwaddr_source,pool_id\n"
    "2001:db8:77:20::d6:1:5,00:01:00:01:2c:aa:bb:cc:02:00:5e:00:00:99,4000,1795603282,20,3000,0,"
    "1,128,0,0,guest.lab.example,02:00:5e:00:00:99,0,,1,2,0\n"
    "2001:db8:77:20::d6:1:6,00:01:00:01:2c:aa:bb:cc:02:00:5e:00:00:98,4000,1795603282,20,3000,0,"
    "1,128,0,0,,02:00:5e:00:00:98,2,,1,2,0\n"
)


def plan():  # type: ignore[no-untyped-def]
    outcome = check_checked(read_site(SITE, "site.toml"))
    assert outcome.plan is not None
    return outcome.plan


def test_dns_missing_and_stale_records() -> None:
    p = plan()
    web = next(n for n in p.interfaces if n.host.name == "web")
    dns = {
        ("web.lab.example.", "AAAA"): frozenset({"2001:db8:77:20::99"}),
        ("ns1.lab.example.", "AAAA"): frozenset(
            {str(next(n.ipv6 for n in p.interfaces if n.host.name == "ns1"))}
        ),
    }
    seen = [Seen(web.ipv6, "02:00:5e:00:00:80", None, "neigh")]
    report = reconcile(p, seen, dns)
    rows = {r.host: r for r in report.rows}
    assert rows["web"].formed is True
    assert rows["web"].dns_missing == (f"web.lab.example. AAAA {web.ipv6}",)
    assert rows["web"].dns_stale == ("web.lab.example. AAAA 2001:db8:77:20::99",)
    assert rows["ns1"].ok
    assert not report.ok


def test_leases_to_unknown_duids_and_only_live_ones() -> None:
    seen = kea_leases6(LEASES6, "leases6.csv")
    assert [(str(s.address), s.hostname) for s in seen] == [
        ("2001:db8:77:20:0:d6:1:5", "guest.lab.example")
    ]  # the second lease is reclaimed (state 2)
    report = reconcile(plan(), seen)
    assert [str(o.address) for o in report.unknown_leases] == ["2001:db8:77:20:0:d6:1:5"]


def test_windows_and_linux_neighbour_dumps() -> None:
    windows = json.dumps(
        [
            {"IPAddress": "2001:db8:77:20::80", "LinkLayerAddress": "02-00-5E-00-00-80",
             "State": "Reachable"},
            {"IPAddress": "fe80::1%12", "LinkLayerAddress": "02-00-5E-00-00-01", "State": 4},
            {"IPAddress": "2001:db8:77:20::9", "LinkLayerAddress": "", "State": 1},
        ]
    )  # fmt: skip
    assert [(str(s.address), s.mac) for s in neighbours(windows, "w.json")] == [
        ("2001:db8:77:20::80", "02:00:5e:00:00:80"),
        ("fe80::1", "02:00:5e:00:00:01"),
    ]
    linux = json.dumps(
        [
            {"dst": "2001:db8:77:20::80", "dev": "r20", "lladdr": "02:00:5e:00:00:80",
             "state": ["REACHABLE"]},
            {"dst": "2001:db8:77:20::7", "dev": "r20", "state": ["FAILED"]},
        ]
    )  # fmt: skip
    assert [s.address for s in neighbours(linux, "n.json")] == [IPv6Address("2001:db8:77:20::80")]


def test_fix_dns_sends_what_dns_lacks_and_the_audit_is_then_clean(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A real BIND serving the kit's zones with one host's AAAA (and PTR) taken out: reconcile
    sees it missing, ``--fix dns`` sends it by RFC 2136, and then reconcile and ``dns audit
    --site`` find nothing."""
    from tests.bindlab import kit_zones, running_bind
    from tests.testdata import site_kit

    kit, p = site_kit(tmp_path, SITE)
    web = next(n for n in p.interfaces if n.host.name == "web")
    with running_bind(tmp_path / "bind", kit_zones(kit, leave_out="web")) as bind:
        key = bind.write_key(tmp_path / "key.conf")
        base = [sys.executable, "-m", "dualstack"]
        site = str(tmp_path / "site.toml")
        server = ["--axfr", bind.address, "--port", str(bind.port), "--key-file", str(key)]

        def reconciled(*extra: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                [*base, "reconcile", site, *server, *extra, "--json"],
                capture_output=True, text=True, timeout=60,
            )  # fmt: skip

        before = reconciled()
        fixed = reconciled("--fix", "dns")
        audit = subprocess.run(
            [*base, "dns", "audit", "--site", site, "--server", bind.address,
             "--port", str(bind.port), "--key-file", str(key), "--json"],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    rows = {r["host"]: r for r in json.loads(before.stdout)["hosts"]}
    assert rows["web"]["dns_missing"] == [f"web.lab.example. AAAA {web.ipv6}"]
    assert before.returncode == 1
    assert "sent" in fixed.stderr
    after = {r["host"]: r for r in json.loads(fixed.stdout)["hosts"]}
    assert after["web"]["dns_missing"] == []
    assert after["web"]["dns_stale"] == []
    assert audit.returncode == 0, audit.stdout + audit.stderr


def test_cisco_and_ip_neigh_text() -> None:
    cisco = (
        "IPv6 Address                              Age Link-layer Addr State Interface\n"
        "2001:DB8:77:20::80                          0 0200.5e00.0080  REACH Vl20\n"
        "FE80::200:5EFF:FE00:80                      1 0200.5e00.0080  STALE Vl20\n"
        "2001:DB8:77:20::99                          - 0000.0000.0000  INCMP Vl20\n"
    )
    assert [(str(s.address), s.mac) for s in neighbours(cisco, "show.txt")] == [
        ("2001:db8:77:20::80", "02:00:5e:00:00:80"),
        ("fe80::200:5eff:fe00:80", "02:00:5e:00:00:80"),
    ]
    linux = "2001:db8:77:20::80 dev r20 lladdr 02:00:5e:00:00:80 REACHABLE\n"
    assert [str(s.address) for s in neighbours(linux, "n.txt")] == ["2001:db8:77:20::80"]


def test_a_logs_addresses_inside_the_site_count_and_the_rest_are_unattributed(
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    site = SITE.replace('ipv6 = "static"\n"""', 'ipv6 = "eui64"\n"""')
    site = site.replace(
        'mac = "02:00:5e:00:00:80"\nipv6 = "static"', 'mac = "02:00:5e:00:00:80"\nipv6 = "eui64"'
    )
    (tmp_path / "site.toml").write_text(site)
    log = tmp_path / "access.log"
    log.write_text(
        # web's planned EUI-64 address, once in full and once zero-padded: one address
        '2001:db8:77:20:0:5eff:fe00:80 - - [03/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 200\n'
        '2001:db8:77:20:0000:5eff:fe00:0080 - - [03/Dec/2026:10:00:01 +0000] "GET /a" 200\n'
        # a MAC nobody planned, by its EUI-64 IID; a random IID; an address outside the site
        "fw: allow src=2001:db8:77:20:0:5eff:fe00:99 dst=2001:db8:77:20::53 proto=udp\n"
        "fw: allow src=2001:db8:77:20:8d1a:3e2f:11c0:7b44 dst=2606:4700::1111 proto=tcp\n"
        "junk line with 10.0.20.80 and no IPv6 address\n"
    )
    done = run_reconcile(tmp_path, "--log", str(log), "--json")
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    rows = {r["host"]: r for r in report["hosts"]}
    assert rows["web"]["formed"] is True
    assert rows["web"]["unplanned"] == []
    assert rows["ns1"]["formed"] is True  # its planned ::53, as a destination in the log
    assert [(u["address"], u["mac"]) for u in report["unattributed"]] == [
        ("2001:db8:77:20:0:5eff:fe00:99", "02:00:5e:00:00:99"),
        ("2001:db8:77:20:8d1a:3e2f:11c0:7b44", None),
    ]
    text = run_reconcile(tmp_path, "--log", str(log))
    assert "unplanned 2001:db8:77:20:0:5eff:fe00:99 seen by MAC 02:00:5e:00:00:99" in text.stdout
    missing = run_reconcile(tmp_path, "--log", str(tmp_path / "nope.log"))
    assert missing.returncode == 2
    assert "nope.log" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_a_dhcpv4_lease_at_another_address_than_planned(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "site.toml").write_text(SITE)
    # Kea's memfile lease4 columns; web's MAC holds .99 besides its planned .80; one expired
    (tmp_path / "leases4.csv").write_text(
        "address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,fqdn_rev,hostname,"
        "state,user_context,pool_id\n"
        "10.0.20.80,02:00:5e:00:00:80,,3600,1795603282,1,0,0,web,0,,0\n"
        "10.0.20.99,02:00:5e:00:00:80,,3600,1795603282,1,0,0,web,0,,0\n"
        "10.0.20.98,02:00:5e:00:00:80,,3600,1795603282,1,0,0,web,2,,0\n"
    )
    done = run_reconcile(tmp_path, "--leases", str(tmp_path / "leases4.csv"), "--json")
    assert done.returncode == 1, done.stderr
    rows = {r["host"]: r for r in json.loads(done.stdout)["hosts"]}
    assert rows["web"]["ipv4_elsewhere"] == ["10.0.20.99"]
    assert rows["ns1"]["ipv4_elsewhere"] == []
    text = run_reconcile(tmp_path, "--leases", str(tmp_path / "leases4.csv"))
    assert "web/web: planned" in text.stdout
    assert "DHCPv4 leased it 10.0.20.99" in text.stdout


def run_reconcile(tmp_path, *args: str) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    return subprocess.run(
        [sys.executable, "-m", "dualstack", "reconcile", str(tmp_path / "site.toml"), *args],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_lines_no_reader_understood_are_named_with_their_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "site.toml").write_text(SITE)
    (tmp_path / "neigh.txt").write_text(
        "2001:db8:77:20::80 dev r20 lladdr 02:00:5e:00:00:80 REACHABLE\n"
        "2001:db8:77:20::7 dev r20  FAILED\n"  # a dead entry: expected, not junk
        "--- truncated by the terminal\n"
    )
    (tmp_path / "leases6.csv").write_text(LEASES6 + "garbage,row\n")
    done = run_reconcile(
        tmp_path, "--neigh", str(tmp_path / "neigh.txt"), "--leases",
        str(tmp_path / "leases6.csv"), "--json",
    )  # fmt: skip
    assert json.loads(done.stdout)["unread"] == [
        f"{tmp_path / 'neigh.txt'}:3: --- truncated by the terminal",
        f"{tmp_path / 'leases6.csv'}:4: garbage,row",
    ]
    assert f"not understood: {tmp_path / 'neigh.txt'}:3" in done.stderr
    # a dump of dead entries only is read (nothing seen), not refused
    (tmp_path / "dead.txt").write_text("2001:db8:77:20::7 dev r20  FAILED\n")
    dead = run_reconcile(tmp_path, "--neigh", str(tmp_path / "dead.txt"), "--json")
    assert dead.returncode == 0, dead.stderr
