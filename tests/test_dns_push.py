"""`dns push` against a live named: plan, apply, a second run is a no-op, prerequisites guard."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import dns.message
import dns.query
import dns.reversename
import dns.update
import pytest
from click.testing import CliRunner

from dualstack.cli.root import cli
from dualstack.emit.bind import zone_text
from dualstack.plan import check
from dualstack.zones import Record, Zone, build_zones
from dualstack.zones.push import PushError, apply, changes, fetch
from dualstack.zones.tsig import TsigKey, read_key_file
from tests.bindlab import KEY_ALGORITHM, Bind, running_bind
from tests.testdata import CONTRACT

FORWARD = "corp.example.net."


def server_copy(zone: Zone) -> Zone:
    """What the server starts with: only A and NS records, one A wrong, one legacy name."""
    kept = [r for r in zone.records if r.rtype in ("NS", "A")]
    kept = [replace(r, value="10.1.20.99") if r.owner.startswith("hv02.") else r for r in kept]
    if zone.origin == FORWARD:
        kept.append(Record(f"legacy.{FORWARD}", "A", "10.1.10.99"))
    return replace(zone, records=tuple(kept))


def ask(bind: Bind, name: str, rtype: str) -> set[str]:
    response = dns.query.udp(
        dns.message.make_query(name, rtype), "127.0.0.1", port=bind.port, timeout=2
    )
    return {item.to_text() for rrset in response.answer for item in rrset}


def dns_cli(bind: Bind, key_file: Path, command: str, *extra: str):  # type: ignore[no-untyped-def]
    """``dualstack dns COMMAND`` against the live server, with its key."""
    args = [
        "dns",
        command,
        *extra,
        "--server",
        "127.0.0.1",
        "--port",
        str(bind.port),
        "--key-file",
        str(key_file),
    ]
    result = CliRunner().invoke(cli, args)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def push(bind: Bind, key_file: Path, *extra: str) -> tuple[int, str]:
    site = key_file.parent / "site.toml"  # a copy: --apply writes the lock beside it
    if not site.exists():
        site.write_text(CONTRACT.read_text())
    result = dns_cli(bind, key_file, "push", str(site), *extra)
    return result.exit_code, result.output


@pytest.fixture
def live(tmp_path: Path):  # type: ignore[no-untyped-def]
    plan = check(CONTRACT).plan
    assert plan is not None
    zones = build_zones(plan)
    texts = {z.origin: zone_text(server_copy(z), 2026112501) for z in zones}
    with running_bind(tmp_path / "bind", texts) as bind:
        key_file = tmp_path / "tsig.key"
        key_file.write_text(
            f'key "{bind.key_name}" {{\n  algorithm {KEY_ALGORITHM};\n'
            f'  secret "{bind.key_secret}";\n}};\n'
        )
        yield bind, key_file, plan


def test_push_plans_applies_and_then_has_nothing_to_do(live) -> None:  # type: ignore[no-untyped-def]
    bind, key_file, plan = live
    code, out = push(bind, key_file)
    assert code == 0
    assert f"+ hv01.{FORWARD} AAAA 2001:db8:1200:20:215:5dff:fe01:140b" in out
    assert f"- hv02.{FORWARD} A 10.1.20.99" in out
    assert f"+ hv02.{FORWARD} A 10.1.20.12" in out
    assert "legacy" not in out  # a name the plan does not manage is left alone
    assert bind.key_secret not in out
    assert ask(bind, f"hv01.{FORWARD}", "AAAA") == set()  # nothing sent without --apply

    code, out = push(bind, key_file, "--apply")
    assert code == 0, out
    for h in plan.interfaces:
        fqdn = f"{h.host.name}.{FORWARD}"
        if h.ipv6 is not None:
            assert ask(bind, fqdn, "AAAA") == {str(h.ipv6)}
            assert ask(bind, dns.reversename.from_address(str(h.ipv6)).to_text(), "PTR") == {fqdn}
        if h.interface.ipv4 is not None:
            assert ask(bind, fqdn, "A") == {str(h.interface.ipv4)}
    assert ask(bind, f"legacy.{FORWARD}", "A") == {"10.1.10.99"}

    code, out = push(bind, key_file, "--json")
    assert code == 0
    assert json.loads(out) == {
        "schema": "dualstack-dns-push/1",
        "applied": False,
        "zones": [],
        "released": [],
        "lock": None,
        "unapplied": [],
    }
    code, out = push(bind, key_file)
    assert "nothing to do" in out

    result = dns_cli(bind, key_file, "audit", "--site", str(CONTRACT))
    assert result.exit_code == 1  # the legacy name has an A but no PTR
    assert f"dns.missing-ptr: legacy.{FORWARD} A 10.1.10.99" in result.output

    code, out = push(bind, key_file, "--prune", "--apply")
    assert f"- legacy.{FORWARD} A 10.1.10.99" in out
    assert ask(bind, f"legacy.{FORWARD}", "A") == set()
    result = dns_cli(bind, key_file, "audit", "--site", str(CONTRACT))
    assert result.exit_code == 0, result.output  # the live server after push is clean
    assert "0 finding(s) in 21 zone(s)" in result.output


def test_prerequisites_refuse_to_clobber_a_changed_record(live) -> None:  # type: ignore[no-untyped-def]
    bind, key_file, plan = live
    key = read_key_file(key_file)
    forward = next(z for z in build_zones(plan) if z.origin == FORWARD)
    pending = changes(forward, fetch(FORWARD, "127.0.0.1", bind.port, key))
    assert pending.changes
    # someone else changes hv02's address after our AXFR
    meddle = dns.update.UpdateMessage(
        FORWARD, keyring=key.keyring(), keyname=next(iter(key.keyring()))
    )
    meddle.replace(f"hv02.{FORWARD}", 300, "A", "10.1.20.77")
    assert dns.query.tcp(meddle, "127.0.0.1", port=bind.port, timeout=5).rcode() == 0
    with pytest.raises(PushError, match=r"NXRRSET.*changed on the server since it was read"):
        apply(pending, "127.0.0.1", bind.port, key)
    assert ask(bind, f"hv02.{FORWARD}", "A") == {"10.1.20.77"}


def test_bad_keys_are_clear_errors(tmp_path: Path) -> None:
    bad = tmp_path / "k"
    bad.write_text("nothing here")
    result = CliRunner().invoke(cli, ["dns", "push", str(CONTRACT), "--key-file", str(bad)])
    assert result.exit_code == 2
    assert "no key" in result.output
    with pytest.raises(Exception, match="not base64"):
        TsigKey("k.", "hmac-sha256", "###")
