"""One JSON shape per thing: every --json document names its schema, is valid Unicode whatever
bytes came in, and the root help says truthfully which commands take --json."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from dualstack.cli.root import cli
from tests.testdata import CONTRACT, EVTX

# leaf commands without --json, and why (the root help names each)
WITHOUT_JSON = {
    "bulk annotate": "--format jsonl",
    "bulk anonymize": "rewrites its input",
    "bulk convert": "rewrites its input",
    "bulk filter": "rewrites its input",
    "bulk uniq": "rewrites its input",
    "hyperv collector": "prints a script",
    "web": "serves pages",
}


def leaf_commands(command: click.Command, path: tuple[str, ...] = ()) -> Iterator[str]:
    if isinstance(command, click.Group):
        ctx = click.Context(command)
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            assert sub is not None
            yield from leaf_commands(sub, (*path, name))
        return
    options = {o for p in command.params for o in getattr(p, "opts", [])}
    if "--json" not in options:
        yield " ".join(path)


def test_root_help_names_every_command_without_json() -> None:
    assert set(leaf_commands(cli)) == set(WITHOUT_JSON)
    text = " ".join((cli.help or "").split())
    assert "Every command takes --json" not in text
    for name in ("bulk anonymize", "filter", "uniq", "hyperv collector", "web", "bulk annotate"):
        assert name in text


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "dualstack", *args], input=stdin, capture_output=True, check=False
    )


def documents(out: bytes) -> list[dict[str, object]]:
    """Each JSON line, decoded strictly: a lone surrogate or invalid UTF-8 fails here."""
    return [json.loads(line) for line in out.decode("utf-8", "strict").splitlines()]


def test_undecodable_bytes_never_reach_json_as_surrogates(tmp_path: Path) -> None:
    """Bytes that are not UTF-8 become U+FFFD in JSON strings, and error messages show them as
    the bytes they were (``'\\xff\\xfe'``)."""
    listing = tmp_path / "bad.txt"
    listing.write_bytes(b"2001:db8::1\n\xff\xfe\n")
    message = "'\\xff\\xfe' is not an address: expected IPv4, IPv6 or a MAC address"
    inspected = run("inspect", "--json", stdin=listing.read_bytes())
    assert inspected.returncode == 1
    assert documents(inspected.stdout)[1] == {
        "schema": "dualstack-inspect/1",
        "input": "\ufffd\ufffd",
        "error": message,
    }
    stats = run("bulk", "stats", "--json", str(listing))
    [error] = documents(stats.stdout)[0]["errors"]  # type: ignore[misc]
    assert error == {"line": 2, "input": "\ufffd\ufffd", "error": message}
    assert stats.stderr.decode() == f"dualstack: error: {listing}:2: {message}\n"


def test_every_json_document_names_its_schema(tmp_path: Path) -> None:
    listing = tmp_path / "list.txt"
    listing.write_text("2001:db8::1\n10.0.0.1\n")
    hyperv = Path(__file__).parent / "fixtures" / "hyperv" / "healthy"
    commands = [
        ("inspect", "--json", "2001:db8::1", "00:15:5d:01:14:0b", "nope"),
        ("convert", "--to", "reverse", "--json", "2001:db8::/48", "nope"),
        ("nat64", "--json", "192.0.2.33"),
        ("slaac", "--json", "--prefix", "2001:db8::/64", "--mac", "00:15:5d:01:14:0b"),
        ("calc", "--json", "2001:db8::/48", "nope"),
        ("calc", "split", "--json", "10.0.0.0/24", "--into", "26"),
        ("calc", "contains", "--json", "10.0.0.0/8", "10.1.2.3"),
        ("calc", "ula", "--json"),
        ("bulk", "annotate", str(listing)),
        ("hyperv", "check", "--json", *map(str, sorted(hyperv.glob("*.json")))),
        ("hyperv", "events", "--json", str(EVTX / "system.evtx")),
        ("plan", "check", "--json", str(CONTRACT)),
        ("plan", "show", "--json", str(CONTRACT)),
        ("kit", str(CONTRACT), "-o", str(tmp_path / "kit"), "--json"),
        ("bulk", "stats", "--json", str(listing)),
        ("audit", "addresses", "--json", str(listing)),
    ]
    for args in commands:
        result = run(*args)
        assert result.returncode in (0, 1), (args, result.stderr)
        assert result.stdout, args
        for doc in documents(result.stdout):
            assert isinstance(doc.get("schema"), str), args
            assert str(doc["schema"]).startswith("dualstack-"), args
