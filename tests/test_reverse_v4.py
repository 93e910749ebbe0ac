"""IPv4 reverse DNS for subnets smaller than /24 (RFC 2317), and that it really resolves.

The site holds the /24 (the default): the kit serves the whole /24 zone with the PTRs in it.
Someone else holds it (``reverse_parent = "delegated"``): the kit serves the classless zone
and writes the NS + CNAME records the /24's owner must add. A real named loaded with the
kit's own named.conf fragment (and, delegated, a parent zone holding exactly the records the
kit wrote for its owner) answers every host's PTR.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import date
from ipaddress import IPv4Address
from pathlib import Path

import dns.message
import dns.query
import dns.rdatatype
import dns.reversename
import dns.zone
import pytest

from dualstack.emit.windows_dns import dns_script
from dualstack.kit import plan_zones, render_kit, write_kit
from dualstack.plan import check, present
from dualstack.plan.model import Plan
from dualstack.zones.audit import audit
from dualstack.zones.build import delegations
from dualstack.zones.source import RRSet, read_zone_file
from tests.bindlab import kit_named_conf, running_kit_bind, running_resolver
from tests.testdata import CONTRACT, DATA, INTERFACES_CONTRACT

SMALL = DATA / "site-small-subnets.toml"  # 10.1.50.0/26 + /27 (site's), 198.51.100.64/26 + /28
DAY = date(2026, 12, 3)
NS = ("ns1.corp.example.net.", "ns2.corp.example.net.")


def plan_of(path: Path) -> Plan:
    outcome = check(path)
    assert outcome.ok, [f.message for f in outcome.findings]
    assert outcome.plan is not None
    return outcome.plan


def variant(tmp_path: Path, name: str) -> Path:
    """The small-subnets site as it is ("mixed"), with every sub-/24 VLAN delegated by the
    [dns] default ("delegated"), or with no reverse_parent anywhere ("site")."""
    text = SMALL.read_text()
    if name == "delegated":
        text = text.replace("[dns]\n", '[dns]\nreverse_parent = "delegated"\n')
    if name == "site":
        text = text.replace('reverse_parent = "delegated"\n', "")
    path = tmp_path / f"{name}.toml"
    path.write_text(text)
    return path


def test_layout_is_a_fact_on_the_plan() -> None:
    plan = plan_of(SMALL)
    assert [(z.origin, str(z.network), z.parent) for z in plan.reverse.v4] == [
        ("10.1.10.in-addr.arpa.", "10.1.10.0/24", None),
        ("50.1.10.in-addr.arpa.", "10.1.50.0/24", None),  # both VLANs of the site's /24
        ("64/26.100.51.198.in-addr.arpa.", "198.51.100.64/26", "100.51.198.in-addr.arpa."),
        ("128/28.100.51.198.in-addr.arpa.", "198.51.100.128/28", "100.51.198.in-addr.arpa."),
    ]
    assert [z.origin for z in plan.reverse.v6] == ["0.0.4.1.8.b.d.0.1.0.0.2.ip6.arpa."]
    zone = plan.reverse.zone(IPv4Address("198.51.100.80"))
    assert zone is not None
    assert zone.origin == "64/26.100.51.198.in-addr.arpa."
    assert plan.reverse.zone(IPv4Address("192.0.2.1")) is None
    # the zones the kit writes are exactly the plan's
    assert [z.origin for z in plan_zones(plan)][1:] == [z.origin for z in plan.reverse.zones]
    # plan.json says it too: each zone, and which /24 must delegate a classless one
    shown = {z["origin"]: z for z in present.plan(plan)["reverse_zones"]}
    assert shown["64/26.100.51.198.in-addr.arpa."] == {
        "origin": "64/26.100.51.198.in-addr.arpa.",
        "network": "198.51.100.64/26",
        "parent": "100.51.198.in-addr.arpa.",
    }
    assert shown["50.1.10.in-addr.arpa."]["parent"] is None
    assert list(shown) == [z.origin for z in (*plan.reverse.v4, *plan.reverse.v6)]


def test_records_in_each_case() -> None:
    plan = plan_of(SMALL)
    zones = {z.origin: z for z in plan_zones(plan)}
    ptr = {z: {(r.owner, r.value) for r in zones[z].records if r.rtype == "PTR"} for z in zones}
    assert ptr["50.1.10.in-addr.arpa."] == {
        ("10.50.1.10.in-addr.arpa.", "a1.corp.example.net."),
        ("62.50.1.10.in-addr.arpa.", "a2.corp.example.net."),
        ("70.50.1.10.in-addr.arpa.", "b1.corp.example.net."),
    }
    assert ptr["64/26.100.51.198.in-addr.arpa."] == {
        ("80.64/26.100.51.198.in-addr.arpa.", "www.corp.example.net.")
    }
    assert ptr["128/28.100.51.198.in-addr.arpa."] == {
        ("130.128/28.100.51.198.in-addr.arpa.", "mail.corp.example.net.")
    }
    assert "100.51.198.in-addr.arpa." not in zones  # not ours: its owner adds the records


def test_records_for_the_parent_owner() -> None:
    plan = plan_of(SMALL)
    parents = delegations(plan)
    assert list(parents) == ["100.51.198.in-addr.arpa."]
    records = parents["100.51.198.in-addr.arpa."]
    ns = [(r.owner, r.value) for r in records if r.rtype == "NS"]
    assert ns == [
        ("64/26.100.51.198.in-addr.arpa.", NS[0]),
        ("64/26.100.51.198.in-addr.arpa.", NS[1]),
        ("128/28.100.51.198.in-addr.arpa.", NS[0]),
        ("128/28.100.51.198.in-addr.arpa.", NS[1]),
    ]
    cnames = [(r.owner, r.value) for r in records if r.rtype == "CNAME"]
    expected = [
        (f"{d}.100.51.198.in-addr.arpa.", f"{d}.64/26.100.51.198.in-addr.arpa.")
        for d in range(64, 128)
    ] + [
        (f"{d}.100.51.198.in-addr.arpa.", f"{d}.128/28.100.51.198.in-addr.arpa.")
        for d in range(128, 144)
    ]
    assert cnames == expected  # every address of both blocks, in address order
    files = render_kit(plan, today=DAY)
    text = files["dns/parent-100.51.198.in-addr.arpa.txt"]
    assert "80.100.51.198.in-addr.arpa.     IN CNAME 80.64/26.100.51.198.in-addr.arpa.\n" in text
    assert text in files["plan.md"].replace("```\n", "")  # plan.md carries the same records
    assert "10.1.50.0/26: PTRs in `50.1.10.in-addr.arpa.`" in files["plan.md"]


def test_dns_default_delegates_every_small_subnet(tmp_path: Path) -> None:
    plan = plan_of(variant(tmp_path, "delegated"))
    assert [(z.origin, z.parent) for z in plan.reverse.v4][:3] == [
        ("10.1.10.in-addr.arpa.", None),  # a /24 VLAN is a zone of its own either way
        ("0/26.50.1.10.in-addr.arpa.", "50.1.10.in-addr.arpa."),
        ("64/27.50.1.10.in-addr.arpa.", "50.1.10.in-addr.arpa."),
    ]
    assert list(delegations(plan)) == ["100.51.198.in-addr.arpa.", "50.1.10.in-addr.arpa."]


@pytest.mark.parametrize(
    ("edit", "rule", "message"),
    [
        (
            ("[dns]\n", '[dns]\nreverse_parent = "Delegated"\n'),
            "site.invalid-value",
            r"reverse_parent: 'Delegated' is not one of site, delegated "
            r"\(did you mean 'delegated'\?\)",
        ),
        (
            ('name = "dmz"\n', 'name = "dmz"\nreverse_parnet = "site"\n'),
            "site.unknown-key",
            r"unknown key 'reverse_parnet'; did you mean 'reverse_parent'\?",
        ),
        (
            ('name = "management"\n', 'name = "management"\nreverse_parent = "delegated"\n'),
            "vlan.reverse-parent",
            r"reverse_parent is for subnets of /25 to /31, .* 10\.1\.10\.0/24 is a whole zone",
        ),
        (
            ('name = "branch-b"\n', 'name = "branch-b"\nreverse_parent = "delegated"\n'),
            "vlan.reverse-parent-conflict",
            r"reverse_parent is 'delegated' but vlan\[1\] \(branch-a\) in the same "
            r"10\.1\.50\.0/24 says 'site'",
        ),
    ],
)
def test_site_key_is_validated(
    tmp_path: Path, edit: tuple[str, str], rule: str, message: str
) -> None:
    site = tmp_path / "site.toml"
    site.write_text(SMALL.read_text().replace(*edit, 1))
    outcome = check(site)
    assert not outcome.ok
    found = [f for f in outcome.findings if f.rule == rule]
    assert len(found) == 1, outcome.findings
    assert re.search(message, found[0].message), found[0].message


_ZONE = re.compile(r"^Add-Zone '([^']+)' @\{ (Name|NetworkId) = '([^']+)';", re.M)
_RECORD = re.compile(r"^Add-Record '([^']+)' '([^']+)' '(\w+)' \{ .* '([^']+)' \}$", re.M)


def windows_view(script: str) -> tuple[set[str], set[tuple[str, str, str]]]:
    """Zone names and (absolute owner, type, value) as windows/dns.ps1 would create them."""
    zones = {m[0] + "." for m in _ZONE.findall(script)}
    records = set()
    for zone, name, rtype, value in _RECORD.findall(script):
        owner = zone if name == "@" else f"{name}.{zone}"
        records.add((owner + ".", rtype, value))
    return zones, records


def bind_view(files: dict[str, str]) -> tuple[set[str], set[tuple[str, str, str]]]:
    """The same, read back by dnspython from the BIND zone files the kit wrote."""
    conf = files["dns/named.conf"]
    zones, records = set(), set()
    for origin, file in re.findall(
        r'zone "([^"]+)" \{\n    type primary;\n    file "([^"]+)";', conf
    ):
        zone = dns.zone.from_text(files[file], origin=origin + ".", relativize=False)
        zones.add(origin + ".")
        for name, rdataset in zone.iterate_rdatasets():
            rtype = dns.rdatatype.to_text(rdataset.rdtype)
            if rtype not in ("SOA", "NS"):
                records |= {(name.to_text(), rtype, r.to_text()) for r in rdataset}
    return zones, records


@pytest.mark.parametrize("name", ["contract", "interfaces", "mixed", "delegated", "site"])
def test_windows_script_agrees_with_bind(tmp_path: Path, name: str) -> None:
    path = {"contract": CONTRACT, "interfaces": INTERFACES_CONTRACT}.get(name)
    plan = plan_of(path or variant(tmp_path, name))
    files = render_kit(plan, today=DAY)
    assert files["windows/dns.ps1"] == dns_script(plan_zones(plan))
    win_zones, win_records = windows_view(files["windows/dns.ps1"])
    bind_zones, bind_records = bind_view(files)
    assert win_zones == bind_zones
    assert win_records == bind_records
    assert any(r[1] == "PTR" for r in bind_records)


def kit_for(site: Path, folder: Path) -> tuple[Plan, dict[str, str]]:
    plan = plan_of(site)
    files = render_kit(plan, today=DAY)
    write_kit(folder, files)
    return plan, files


def parent_zones(folder: Path, files: dict[str, str]) -> dict[str, Path]:
    """Each /24 parent the kit wrote records for, as its owner would serve it: their own SOA
    and NS, plus exactly the lines of the kit's dns/parent-*.txt."""
    zones = {}
    for name, text in files.items():
        match = re.fullmatch(r"dns/parent-(.+)\.txt", name)
        if match is None:
            continue
        origin = match[1] + "."
        head = (
            "$TTL 3600\n"
            f"{origin} IN SOA ns.isp.example. hostmaster.isp.example. 1 3600 900 1209600 300\n"
            f"{origin} IN NS ns.isp.example.\n"
        )
        path = folder / f"owner-{match[1]}.zone"
        path.write_text(head + text)
        zones[origin] = path
    return zones


def ask(port: int, name: str, rtype: str) -> tuple[set[str], set[str]]:
    """(values of ``rtype``, CNAME targets) in the answer for ``name``."""
    response = dns.query.udp(dns.message.make_query(name, rtype), "127.0.0.1", port=port, timeout=2)
    values = {
        r.to_text()
        for s in response.answer
        if s.rdtype == dns.rdatatype.from_text(rtype)
        for r in s
    }
    cnames = {r.to_text() for s in response.answer if s.rdtype == dns.rdatatype.CNAME for r in s}
    return values, cnames


def _tool(name: str) -> str:
    tool = shutil.which(name)
    if tool is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is missing: .ci/run must install bind9 and bind9-dnsutils")
        pytest.skip(f"{name} not installed (outside CI only)")
    return tool


SITES = {"contract": CONTRACT, "interfaces": INTERFACES_CONTRACT}


@pytest.mark.parametrize("name", ["contract", "interfaces", "mixed", "delegated", "site"])
def test_named_resolves_every_ptr_from_the_kit_conf(tmp_path: Path, name: str) -> None:
    """The kit's named.conf (plus, delegated, the parent zone as its owner would serve it
    with the kit's records) in one named; a second named, recursive and forwarding only to
    the first, is the resolver a client asks: it follows the parent's CNAMEs as any resolver
    does, where an authoritative-only server stops at the CNAME."""
    site = SITES.get(name) or variant(tmp_path, name)
    plan, files = kit_for(site, tmp_path / "kit")
    parents = parent_zones(tmp_path, files)
    assert bool(parents) == (name in ("mixed", "delegated"))
    origins = [z.origin for z in plan_zones(plan)]
    with (
        running_kit_bind(tmp_path / "kit", origins[0], parents) as bind,
        running_resolver(tmp_path / "resolver", bind.port, origins[0]) as resolver,
    ):
        for origin in [*origins, *parents]:  # every zone loaded
            assert ask(bind.port, origin, "SOA")[0], origin
        published = [h for h in plan.interfaces if h.in_dns]
        checked = 0
        for h in published:
            fqdn = plan.fqdn(h.host.name)
            for address in (h.interface.ipv4, h.ipv6):
                if address is None:
                    continue
                owner = dns.reversename.from_address(str(address)).to_text()
                zone = plan.reverse.zone(address)
                assert zone is not None
                values, cnames = ask(resolver.port, owner, "PTR")
                assert values == {fqdn}, (owner, values)
                # through the parent's CNAME exactly when the block is delegated
                assert cnames == ({zone.owner(address)} if zone.classless else set())
                assert ask(bind.port, zone.owner(address), "PTR")[0] == {fqdn}
                checked += 1
        assert checked >= len(published) > 0
        for zone in plan.reverse.delegated:  # the parent's NS match the child's own
            assert ask(bind.port, zone.origin, "NS")[0] == set(NS)
        if name == "mixed":
            dig = _tool("dig")
            for address, host in (("10.1.50.10", "a1"), ("198.51.100.80", "www")):
                out = subprocess.run(
                    [dig, "-x", address, "@127.0.0.1", "-p", str(resolver.port), "+short"],
                    capture_output=True,
                    text=True,
                    check=True,
                    timeout=30,
                ).stdout
                assert out.splitlines()[-1] == f"{host}.corp.example.net."
        pids = bind.pid, resolver.pid
    assert not any(Path(f"/proc/{pid}").exists() for pid in pids)


@pytest.mark.parametrize("name", ["contract", "interfaces", "mixed", "delegated"])
def test_named_checkconf_and_checkzone_over_the_kit(tmp_path: Path, name: str) -> None:
    checkconf, checkzone = _tool("named-checkconf"), _tool("named-checkzone")
    site = SITES.get(name) or variant(tmp_path, name)
    _, files = kit_for(site, tmp_path / "kit")
    kit = tmp_path / "kit"
    parents = parent_zones(tmp_path, files)
    conf = tmp_path / "check.conf"
    conf.write_text(kit_named_conf(kit, 53, parents))
    proc = subprocess.run(
        [checkconf, "-z", str(conf)], cwd=kit, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    declared = re.findall(
        r'zone "([^"]+)" \{\n    type primary;\n    file "([^"]+)";', files["dns/named.conf"]
    )
    assert {f for _, f in declared} == {f for f in files if f.endswith(".zone")}
    for origin, file in [*declared, *((o, str(p)) for o, p in parents.items())]:
        proc = subprocess.run(
            [checkzone, "-k", "fail", "-n", "fail", origin, str(kit / file)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.returncode == 0, (origin, proc.stdout, proc.stderr)


def audited(folder: Path, files: dict[str, str], parents: dict[str, Path]) -> dict[str, RRSet]:
    zones = dict(read_zone_file(folder / name) for name in files if name.endswith(".zone"))
    zones.update(read_zone_file(path, origin) for origin, path in parents.items())
    return zones


@pytest.mark.parametrize("name", ["contract", "interfaces", "mixed", "delegated", "site"])
def test_audit_of_the_kit_and_the_parent_records_is_clean(tmp_path: Path, name: str) -> None:
    site = SITES.get(name) or variant(tmp_path, name)
    plan, files = kit_for(site, tmp_path / "kit")
    zones = audited(tmp_path / "kit", files, parent_zones(tmp_path, files))
    assert len(zones) == len([f for f in files if f.endswith(".zone")]) + len(delegations(plan))
    assert audit(zones, plan) == ()
    assert audit(zones) == ()


@pytest.mark.parametrize(
    ("drop", "rule", "subject"),
    [
        (
            "80.100.51.198.in-addr.arpa.     IN CNAME",
            "dns.classless-delegation",
            "80.100.51.198.in-addr.arpa. (100.51.198.in-addr.arpa.)",
        ),
        (
            "64/26.100.51.198.in-addr.arpa.  IN NS",
            "dns.classless-delegation",
            "64/26.100.51.198.in-addr.arpa. (100.51.198.in-addr.arpa.)",
        ),
    ],
)
def test_audit_finds_what_the_parent_lacks(
    tmp_path: Path, drop: str, rule: str, subject: str
) -> None:
    plan, files = kit_for(SMALL, tmp_path / "kit")
    parents = parent_zones(tmp_path, files)
    path = parents["100.51.198.in-addr.arpa."]
    kept = [line for line in path.read_text().splitlines() if not line.startswith(drop)]
    path.write_text("\n".join(kept) + "\n")
    findings = audit(audited(tmp_path / "kit", files, parents), plan)
    assert [(f.rule, f.subject) for f in findings] == [(rule, subject)]


def test_audit_finds_a_ptr_that_does_not_resolve(tmp_path: Path) -> None:
    """The parent /24 audited without the kit's records: every delegated host's reverse
    lookup fails, and missing-ptr says so for each."""
    plan, files = kit_for(SMALL, tmp_path / "kit")
    parents = parent_zones(tmp_path, files)
    path = parents["100.51.198.in-addr.arpa."]
    path.write_text("\n".join(path.read_text().splitlines()[:3]) + "\n")  # SOA and NS only
    zones = audited(tmp_path / "kit", files, parents)
    del zones["64/26.100.51.198.in-addr.arpa."], zones["128/28.100.51.198.in-addr.arpa."]
    findings = audit(zones, plan)
    assert sorted((f.rule, f.subject) for f in findings) == [
        ("dns.missing-ptr", "mail.corp.example.net. A 198.51.100.130"),
        ("dns.missing-ptr", "www.corp.example.net. A 198.51.100.80"),
    ]
