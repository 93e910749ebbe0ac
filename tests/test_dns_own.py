"""`dns push` owns its records: after a renumber, a rename, a deleted host or a new alias, one
push leaves a live named holding exactly the plan's A, AAAA, CNAME and PTR records (nothing
the site published before stays behind), the next push has nothing to do, and records the
site never published (other names, other types at its names) survive every step."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import dns.message
import dns.query
import dns.reversename
import pytest
from click.testing import CliRunner

from dualstack.cli.root import cli
from dualstack.emit.bind import zone_text
from dualstack.plan import Plan, check
from dualstack.plan.lock import lock_path
from dualstack.zones import Zone, build_zones
from dualstack.zones.own import MANAGED, owners, zone_of
from dualstack.zones.push import _normal
from dualstack.zones.source import RRSet, read_axfr
from dualstack.zones.tsig import TsigKey
from tests.bindlab import KEY_ALGORITHM, Bind, running_bind

DOMAIN = "own.example.net."
SITE = """
[site]
name = "own"
domain = "own.example.net"
ipv6_prefix = "2001:db8:4400::/48"
subnet_scheme = "vlan"

[dns]
ttl = 300
nameservers = ["ns1.own.example.net."]

[[vlan]]
id = 10
name = "servers"
ipv4 = "10.4.10.0/24"
gateway = "10.4.10.1"
ipv6 = "static"

[[vlan]]
id = 20
name = "clients"
ipv4 = "10.4.20.0/24"
gateway = "10.4.20.1"
ipv6 = "static"

[[host]]
name = "ns1"
vlan = 10
ipv4 = "10.4.10.53"
ipv6 = "static"

[[host]]
name = "app"
vlan = 10
ipv4 = "10.4.10.22"
ipv6 = "static"

[[host]]
name = "db"
vlan = 20
ipv4 = "10.4.20.40"
ipv6 = "static"
"""
APP = '[[host]]\nname = "app"\nvlan = 10\nipv4 = "10.4.10.22"\nipv6 = "static"\n'
DB = '[[host]]\nname = "db"\nvlan = 20\nipv4 = "10.4.20.40"\nipv6 = "static"\n'

# Records the site never published: a hand-made host (A and its PTR: managed types at names
# the plan does not have) and mail data at one of the plan's names (types it does not manage).
UNMANAGED = {
    "own.example.net.": [
        ("mail.own.example.net.", "A", "10.4.10.25"),
        ("app.own.example.net.", "MX", "10 mail.own.example.net."),
        ("app.own.example.net.", "TXT", '"owner: web team"'),
    ],
    "10.4.10.in-addr.arpa.": [("25.10.4.10.in-addr.arpa.", "PTR", "mail.own.example.net.")],
}

# each change to the site, as (old text, new text)
STEPS = {
    "renumber": (APP, APP.replace("10.4.10.22", "10.4.10.23")),
    "rename": (APP, APP.replace('"app"', '"web"')),
    "delete": (DB, ""),
    "alias": (APP, APP + 'aliases = ["www"]\n'),
}


@dataclass(frozen=True)
class Live:
    bind: Bind
    key: TsigKey
    key_file: Path
    site: Path

    def push(self, *extra: str) -> tuple[int, str]:
        args = ["dns", "push", str(self.site), "--server", "127.0.0.1"]
        args += ["--port", str(self.bind.port), "--key-file", str(self.key_file), *extra]
        result = CliRunner().invoke(cli, args)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result.exit_code, result.output

    def audit(self) -> tuple[int, list[dict[str, str]]]:
        args = ["dns", "audit", "--site", str(self.site), "--server", "127.0.0.1"]
        args += ["--port", str(self.bind.port), "--key-file", str(self.key_file), "--json"]
        result = CliRunner().invoke(cli, args)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result.exit_code, json.loads(result.output)["findings"]

    def axfr(self, origin: str) -> RRSet:
        return read_axfr(origin, "127.0.0.1", self.bind.port, self.key, ("MX", "TXT", *MANAGED))

    def ask(self, name: str, rtype: str) -> set[str]:
        query = dns.message.make_query(name, rtype)
        response = dns.query.udp(query, "127.0.0.1", port=self.bind.port, timeout=2)
        return {item.to_text() for rrset in response.answer for item in rrset}


def planned(site: Path) -> Plan:
    plan = check(site).plan
    assert plan is not None
    return plan


def expected(zone: Zone) -> RRSet:
    """What the server must hold in ``zone``: the plan's managed records and the unmanaged ones."""
    held: dict[tuple[str, str], set[str]] = {}
    records = [(r.owner, r.rtype, r.value) for r in zone.records if r.rtype in MANAGED]
    for owner, rtype, value in records + UNMANAGED.get(zone.origin, []):
        held.setdefault((owner, rtype), set()).add(_normal(rtype, value))
    return {k: frozenset(v) for k, v in held.items()}


def assert_server_is_the_plan(live: Live) -> None:
    plan = planned(live.site)
    zones = build_zones(plan)
    for zone in zones:
        assert live.axfr(zone.origin) == expected(zone), zone.origin
    code, out = live.push()
    assert (code, out) == (0, "nothing to do: the server matches the plan\n")
    lock = json.loads(lock_path(live.site).read_text())
    assert lock["schema"] == "dualstack-lock/2"
    assert lock["managed"] == sorted(owners(zones))  # names released once verified empty
    assert live.audit() == (0, [])


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    site = tmp_path / "site.toml"
    site.write_text(SITE)
    texts = {}
    for zone in build_zones(planned(site)):
        kept = [r for r in zone.records if r.rtype == "NS" or r.owner == f"ns1.{DOMAIN}"]
        bare = replace(zone, records=tuple(kept))  # named needs the name server's address
        extra = [f"{o} IN {t} {v}\n" for o, t, v in UNMANAGED.get(zone.origin, [])]
        texts[zone.origin] = zone_text(bare, 2026120301) + "".join(extra)
    with running_bind(tmp_path / "bind", texts) as bind:
        key_file = tmp_path / "tsig.key"
        key_file.write_text(
            f'key "{bind.key_name}" {{ algorithm {KEY_ALGORITHM}; secret "{bind.key_secret}"; }};\n'
        )
        yield Live(bind, TsigKey(bind.key_name, KEY_ALGORITHM, bind.key_secret), key_file, site)


def test_the_first_push_publishes_the_plan_and_records_its_names(live: Live) -> None:
    assert not lock_path(live.site).exists()
    code, out = live.push()
    assert code == 0
    assert not lock_path(live.site).exists()  # a dry run writes nothing
    code, out = live.push("--apply")
    assert code == 0, out
    wrote = f"wrote     {lock_path(live.site)} (the DNS names this site publishes)"
    assert out.splitlines()[-1] == wrote
    assert_server_is_the_plan(live)


@pytest.mark.parametrize("step", sorted(STEPS))
def test_one_push_after_a_change_leaves_exactly_the_plan(live: Live, step: str) -> None:
    assert live.push("--apply")[0] == 0
    before = planned(live.site)
    old, new = STEPS[step]
    live.site.write_text(SITE.replace(old, new))
    code, out = live.push()
    assert code == 0
    deleted = {line.strip() for line in out.splitlines() if line.startswith("  - ")}
    gone = owners(build_zones(before)) - owners(build_zones(planned(live.site)))
    if step in ("renumber", "rename", "delete"):
        assert gone, "the step must leave names the plan no longer has"
    origins = {z.origin for z in build_zones(before)}
    for owner in gone:  # every managed record at a name the plan dropped is to be deleted
        origin = zone_of(owner, origins)
        assert origin is not None
        for (o, rtype), values in live.axfr(origin).items():
            if o == owner and rtype in MANAGED:
                assert {f"- {owner} {rtype} {v}" for v in values} <= deleted
    assert all("MX" not in line and "TXT" not in line and "mail" not in line for line in deleted)
    code, found = live.audit()  # the audit names exactly the records the push will delete
    assert code == 1
    named = ("dns.unplanned-record", "dns.aaaa-outside-vlan")
    wrong = {f"- {f['subject']}" for f in found if f["rule"] in named}
    assert wrong == deleted
    code, out = live.push("--apply")
    assert code == 0, out
    assert_server_is_the_plan(live)
    for owner in gone:  # the live server answers nothing there any more
        for rtype in MANAGED:
            assert live.ask(owner, rtype) == set(), (owner, rtype)
    assert live.ask(f"app.{DOMAIN}", "MX") == {"10 mail.own.example.net."}
    assert live.ask(f"app.{DOMAIN}", "TXT") == {'"owner: web team"'}
    assert live.ask(f"mail.{DOMAIN}", "A") == {"10.4.10.25"}


def test_names_in_zones_a_push_did_not_read_stay_owned(live: Live) -> None:
    assert live.push("--apply")[0] == 0
    live.site.write_text(SITE.replace(DB, ""))
    code, out = live.push("--apply", "--zone", DOMAIN)
    assert code == 0, out
    assert "released  1 name(s) that hold no managed record now" in out
    managed = set(json.loads(lock_path(live.site).read_text())["managed"])
    assert f"db.{DOMAIN}" not in managed  # its zone was re-read: nothing left there
    ptr = dns.reversename.from_address("10.4.20.40").to_text()
    assert ptr in managed  # its zone was not read: still the site's to clean up
    assert live.ask(ptr, "PTR") == {f"db.{DOMAIN}"}
    code, out = live.push("--apply")
    assert f"- {ptr} PTR db.{DOMAIN}" in out
    assert_server_is_the_plan(live)


def test_a_change_the_server_ignores_is_reported_not_taken_as_done(live: Live) -> None:
    assert live.push("--apply")[0] == 0
    # app becomes web, and "app" an alias of it: but app still holds its MX and TXT, and a
    # server ignores a CNAME added beside other data (RFC 2136 3.4.2.2)
    live.site.write_text(SITE.replace(APP, APP.replace('"app"', '"web"') + 'aliases = ["app"]\n'))
    code, out = live.push("--apply")
    assert code == 1, out
    assert (
        "the server accepted but does not hold 1 change(s) (it ignores a CNAME added beside "
        f"other data at its name, for one):\n  + app.{DOMAIN} CNAME web.{DOMAIN}\n"
    ) in out
    log = (live.bind.directory / "named.log").read_text()
    assert "attempt to add CNAME alongside non-CNAME ignored" in log  # named says so too
    assert live.ask(f"app.{DOMAIN}", "TXT") == {'"owner: web team"'}
    assert live.push()[1].splitlines()[-1] == "1 change(s) in 1 zone(s) to apply (run with --apply)"
