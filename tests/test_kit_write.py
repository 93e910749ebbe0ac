"""The kit in two steps: render_kit is pure, write_kit writes it with a manifest (removing
what the plan no longer writes, never a file the kit did not write)."""

from __future__ import annotations

import io
import json
import os
import sys
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from markupsafe import escape

from dualstack.cli.root import cli
from dualstack.errors import InputError
from dualstack.kit import (
    MANIFEST,
    Previous,
    build_kit,
    kit_zip,
    planned,
    previous_of,
    read_previous,
    render_kit,
    write_kit,
)
from dualstack.plan import Plan, check, check_checked, read_site
from dualstack.plan.present import kit_lines
from dualstack.web.app import create_app
from dualstack.zones.tsig import TsigKey
from tests.testdata import CONTRACT

DAY = date(2026, 11, 25)
KEY = TsigKey("dualstack-ddns.", "hmac-sha256", "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTI=")
NS2 = (
    'name = "ns2"\nos = "linux"\nvlan = 10\nipv4 = "10.1.10.54"\n'
    'ipv6_address = "2001:db8:1200:10::54"\n'
)
# The contract with its two name servers declared Linux hosts, so the kit writes their
# linux/*.network files (hosts without an os get none): a file that belongs to one host.
SITE_TEXT = (
    CONTRACT.read_text(encoding="utf-8")
    .replace('name = "ns1"\n', 'name = "ns1"\nos = "linux"\n')
    .replace('name = "ns2"\n', 'name = "ns2"\nos = "linux"\n')
)
assert SITE_TEXT.count('os = "linux"') == 2


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """SITE_TEXT as a file."""
    path = tmp_path / "contract.toml"
    path.write_text(SITE_TEXT, encoding="utf-8")
    return path


ISCSI = 'id = 300\nname = "iscsi-a"\nipv4 = "172.16.30.0/24"\nipv6 = "none"'


def contract_plan(text: str | None = None, tmp: Path | None = None) -> Plan:
    """The plan of SITE_TEXT, or of ``text`` (written under ``tmp``)."""
    if text is None:
        return planned(check_checked(read_site(SITE_TEXT, "contract.toml")))
    assert tmp is not None
    path = tmp / "site.toml"
    path.write_text(text, encoding="utf-8")
    return planned(check(path))


def without_ns2_and_iscsi() -> str:
    """The contract site without host ns2 and without VLAN 300 (and san-a, its only host)."""
    text = SITE_TEXT.replace(f"[[host]]\n{NS2}", "").replace(f"[[vlan]]\n{ISCSI}", "")
    text = text.split('[[host]]\nname = "san-a"')[0]
    text = text.replace(
        '"ns1.corp.example.net.", "ns2.corp.example.net."', '"ns1.corp.example.net."'
    )
    assert "ns2" not in text
    assert "iscsi" not in text
    assert "san-a" not in text
    return text


def on_disk(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def stamps(folder: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in folder.rglob("*")}


_WRITES: list[str] = []
_WATCHING = [False]


def _audit(event: str, args: tuple[object, ...]) -> None:
    """Record every call that could change the file system while a test watches."""
    if not _WATCHING[0]:
        return
    if event == "open":
        path, mode, flags = args
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)
        )
        if writing:
            _WRITES.append(f"open {path!r}")
    elif event in {"os.rename", "os.replace", "os.remove", "os.mkdir", "os.rmdir", "os.chmod"}:
        _WRITES.append(f"{event} {args!r}")


sys.addaudithook(_audit)  # hooks cannot be removed: this one does nothing unless watching


@contextmanager
def no_writes() -> Iterator[list[str]]:
    """The writes attempted inside the block (the test asserts there are none)."""
    _WRITES.clear()
    _WATCHING[0] = True
    try:
        yield _WRITES
    finally:
        _WATCHING[0] = False


def test_render_kit_touches_no_disk_and_write_kit_writes_its_keys(tmp_path: Path) -> None:
    plan = contract_plan()
    nowhere = tmp_path / "no" / "such" / "folder"
    with no_writes() as writes:
        previous = read_previous(nowhere)
        files = render_kit(plan, previous, DAY)
    assert writes == []
    assert not (tmp_path / "no").exists()
    assert previous == Previous()
    assert "dns/corp.example.net.zone" in files
    assert "linux/ns2.network" in files
    result = write_kit(nowhere, files)
    assert set(on_disk(nowhere)) == set(files) | {MANIFEST}
    assert [w.path.relative_to(nowhere).as_posix() for w in result.written] == [
        *sorted(files),
        MANIFEST,
    ]
    manifest = json.loads((nowhere / MANIFEST).read_text())
    assert manifest["schema"] == "dualstack-kit-manifest/1"
    assert [e["path"] for e in manifest["files"]] == sorted(files)
    # reading the written kit back and rendering again still writes nothing
    before = stamps(nowhere)
    with no_writes() as writes:
        again = render_kit(plan, read_previous(nowhere), DAY)
    assert writes == []
    assert stamps(nowhere) == before
    assert again == files  # same serials, same key: the same kit


def test_a_second_write_is_a_no_op(tmp_path: Path) -> None:
    files = render_kit(contract_plan(), None, DAY)
    write_kit(tmp_path, files)
    before = stamps(tmp_path)
    result = write_kit(tmp_path, files)
    assert not any(w.changed for w in result.written)
    assert result.removed == ()
    assert result.moved == ()
    assert stamps(tmp_path) == before
    modes = {p.name: p.stat().st_mode & 0o777 for p in tmp_path.rglob("*") if p.is_file()}
    assert modes["ddns.key"] == modes["kea-dhcp-ddns.conf"] == 0o600
    assert modes[MANIFEST] == modes["named.conf"] == 0o644


def test_removing_a_host_and_a_vlan_removes_their_files(tmp_path: Path, site: Path) -> None:
    kit = tmp_path / "kit"
    build_kit(site, kit, today=DAY)
    assert (kit / "linux" / "ns2.network").exists()
    assert (kit / "dns" / "30.16.172.in-addr.arpa.zone").exists()
    (kit / "notes.txt").write_text("my own notes\n")
    (kit / "dns" / "local.zone").write_text("; my own zone\n")
    site.write_text(without_ns2_and_iscsi())
    _, result = build_kit(site, kit, today=DAY)
    gone = [p.relative_to(kit).as_posix() for p in result.removed]
    assert gone == ["dns/30.16.172.in-addr.arpa.zone", "linux/ns2.network"]
    assert result.moved == ()
    assert not (kit / "linux" / "ns2.network").exists()
    assert (kit / "linux" / "ns1.network").exists()
    # the user's files are not the kit's: kept as they were, never in the manifest
    assert (kit / "notes.txt").read_text() == "my own notes\n"
    assert (kit / "dns" / "local.zone").read_text() == "; my own zone\n"
    listed = {e["path"] for e in json.loads((kit / MANIFEST).read_text())["files"]}
    assert "notes.txt" not in listed
    assert "linux/ns2.network" not in listed
    assert "2026112502 ; serial" in (kit / "dns" / "corp.example.net.zone").read_text()
    _, again = build_kit(site, kit, today=DAY)  # and the next run has nothing to do
    assert not any(w.changed for w in again.written)
    assert again.removed == again.moved == ()


def test_the_cli_reports_removed_files_and_json_lists_them(tmp_path: Path, site: Path) -> None:
    kit = tmp_path / "kit"
    runner = CliRunner()
    assert runner.invoke(cli, ["kit", str(site), "-o", str(kit)]).exit_code == 0
    site.write_text(without_ns2_and_iscsi())
    done = runner.invoke(cli, ["kit", str(site), "-o", str(kit)])
    assert done.exit_code == 0, done.output
    lines = done.stdout.splitlines()
    assert f"removed   {kit}/linux/ns2.network" in lines
    assert f"removed   {kit}/dns/30.16.172.in-addr.arpa.zone" in lines
    assert lines[-1].endswith(" unchanged, 2 removed")
    site.write_text(SITE_TEXT)
    done = runner.invoke(cli, ["kit", str(site), "-o", str(kit), "--json"])
    doc = json.loads(done.stdout)
    assert doc["removed"] == []
    assert doc["moved"] == []
    assert {"path": f"{kit}/linux/ns2.network", "changed": True} in doc["files"]
    site.write_text(without_ns2_and_iscsi())
    doc = json.loads(runner.invoke(cli, ["kit", str(site), "-o", str(kit), "--json"]).stdout)
    assert doc["removed"] == [f"{kit}/dns/30.16.172.in-addr.arpa.zone", f"{kit}/linux/ns2.network"]


def test_empty_folders_the_kit_made_go_with_its_files(tmp_path: Path) -> None:
    write_kit(tmp_path, {"a/b/one.txt": "1\n", "c/two.txt": "2\n", "top.txt": "3\n"})
    (tmp_path / "c" / "mine.txt").write_text("mine\n")
    result = write_kit(tmp_path, {"top.txt": "3\n"})
    assert sorted(p.relative_to(tmp_path).as_posix() for p in result.removed) == [
        "a/b/one.txt",
        "c/two.txt",
    ]
    assert not (tmp_path / "a").exists()
    assert (tmp_path / "c" / "mine.txt").read_text() == "mine\n"
    assert sorted(on_disk(tmp_path)) == ["c/mine.txt", MANIFEST, "top.txt"]


def test_a_hand_edited_file_is_moved_aside_not_lost(tmp_path: Path) -> None:
    write_kit(tmp_path, {"linux/a.network": "A\n", "linux/b.network": "B\n"})
    (tmp_path / "linux" / "a.network").write_text("A, edited\n")
    (tmp_path / "linux" / "b.network").write_text("B, edited\n")
    result = write_kit(tmp_path, {"linux/a.network": "A2\n"})  # b: no longer in the plan
    assert [(m.path.name, m.to.name) for m in result.moved] == [
        ("a.network", "a.network.orig"),
        ("b.network", "b.network.orig"),
    ]
    assert result.removed == ()
    assert (tmp_path / "linux" / "a.network").read_text() == "A2\n"
    assert (tmp_path / "linux" / "a.network.orig").read_text() == "A, edited\n"
    assert (tmp_path / "linux" / "b.network.orig").read_text() == "B, edited\n"
    assert not (tmp_path / "linux" / "b.network").exists()
    # a second edit keeps the first saved copy too
    (tmp_path / "linux" / "a.network").write_text("A, edited again\n")
    result = write_kit(tmp_path, {"linux/a.network": "A3\n"})
    assert [m.to.name for m in result.moved] == ["a.network.orig.1"]
    assert (tmp_path / "linux" / "a.network.orig").read_text() == "A, edited\n"


def test_a_file_the_kit_did_not_write_is_never_overwritten(tmp_path: Path) -> None:
    (tmp_path / "plan.md").write_text("my own plan\n")  # a folder with no manifest yet
    result = write_kit(tmp_path, {"plan.md": "the kit's plan\n"})
    assert [m.to.name for m in result.moved] == ["plan.md.orig"]
    assert (tmp_path / "plan.md.orig").read_text() == "my own plan\n"
    (tmp_path / "x.txt").write_text("mine\n")  # after a manifest exists: still not ours
    result = write_kit(tmp_path, {"plan.md": "the kit's plan\n", "x.txt": "kit\n"})
    assert [m.to.name for m in result.moved] == ["x.txt.orig"]
    lines = kit_lines("site.toml", result)
    assert f"moved     {tmp_path}/x.txt -> {tmp_path}/x.txt.orig (not as the kit wrote it)" in lines
    assert lines[-1].endswith("1 unchanged, 0 removed, 1 moved aside")


def test_unsafe_paths_and_a_broken_manifest_are_one_line_errors(tmp_path: Path) -> None:
    for name in ("../escape", "/etc/passwd", "", "a/../../b", MANIFEST):
        with pytest.raises(InputError):
            write_kit(tmp_path / "kit", {name: "x"})
    assert not (tmp_path / "kit").exists()
    (tmp_path / "kit").mkdir()
    (tmp_path / "kit" / MANIFEST).write_text('{"schema": "dualstack-kit-manifest/1", "files": [')
    done = CliRunner().invoke(cli, ["kit", str(CONTRACT), "-o", str(tmp_path / "kit")])
    assert done.exit_code == 2
    assert f"{tmp_path}/kit/{MANIFEST}: not a kit manifest" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    evil = {"schema": "dualstack-kit-manifest/1", "files": [{"path": "../x", "sha256": "0"}]}
    (tmp_path / "kit" / MANIFEST).write_text(json.dumps(evil))
    with pytest.raises(InputError, match="not a path inside the kit folder"):
        write_kit(tmp_path / "kit", {"a": "b"})


def test_serials_stay_until_records_change(tmp_path: Path) -> None:
    first = render_kit(contract_plan(), Previous(ddns_key=KEY), DAY)
    later = date(2026, 12, 3)
    again = render_kit(contract_plan(), previous_of(first), later)
    assert again == first
    changed = contract_plan(CONTRACT.read_text().replace("10.1.10.54", "10.1.10.55"), tmp_path)
    bumped = render_kit(changed, previous_of(first), later)
    zone = "dns/corp.example.net.zone"
    assert "2026112501 ; serial" in first[zone]
    assert "2026120301 ; serial" in bumped[zone]
    assert bumped["dns/20.1.10.in-addr.arpa.zone"] == first["dns/20.1.10.in-addr.arpa.zone"]
    assert bumped["dns/ddns.key"] == first["dns/ddns.key"]


def test_web_zip_and_cli_kit_hold_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("dualstack.kit.generate_key", lambda name: KEY)  # one key for both
    response = create_app().test_client().post("/plan/kit", data={"site": CONTRACT.read_text()})
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    zipped = {i.filename: archive.read(i) for i in archive.infolist()}
    modes = {i.filename: (i.external_attr >> 16) & 0o777 for i in archive.infolist()}
    done = CliRunner().invoke(cli, ["kit", str(CONTRACT), "-o", str(tmp_path / "kit")])
    assert done.exit_code == 0
    assert zipped == on_disk(tmp_path / "kit")
    assert modes == {
        p.relative_to(tmp_path / "kit").as_posix(): p.stat().st_mode & 0o777
        for p in (tmp_path / "kit").rglob("*")
        if p.is_file()
    }
    assert modes["dns/ddns.key"] == 0o600
    # the library's own zip of a kit with history equals that kit written over its folder
    files = render_kit(planned(check(CONTRACT)), read_previous(tmp_path / "kit"))
    assert {n: b.decode() for n, b in on_disk(tmp_path / "kit").items()} == {
        n: zipfile.ZipFile(io.BytesIO(kit_zip(files))).read(n).decode() for n in zipped
    }


def test_the_dns_page_shows_what_render_kit_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("dualstack.kit.generate_key", lambda name: KEY)
    html = (
        create_app()
        .test_client()
        .post("/dns", data={"site": CONTRACT.read_text()})
        .get_data(as_text=True)
    )
    files = render_kit(contract_plan(), None, date.today())
    assert str(escape(files["dns/corp.example.net.zone"])) in html
    assert str(escape(files["dns/named.conf"])) in html
