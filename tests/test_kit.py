"""The main job and the plan commands: files written atomically, only when changed."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from dualstack.cli.root import cli
from dualstack.kit import PlanError, build_kit
from tests.testdata import CONTRACT

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "site.toml"
FILES = ["hosts.csv", "manifest.json", "plan.json", "plan.md", "vlans.csv"]


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_kit_writes_every_file_once(tmp_path: Path) -> None:
    out = tmp_path / "kit"
    written = build_kit(CONTRACT, out)[1].written
    top = sorted(w.path.name for w in written if w.path.parent == out)
    assert top == FILES
    assert (out / "dns" / "named.conf") in {w.path for w in written}
    assert all(w.changed for w in written)
    secrets = {"ddns.key", "kea-dhcp-ddns.conf"}  # hold the DDNS TSIG secret
    modes = {w.path.name: w.path.stat().st_mode & 0o777 for w in written}
    assert {m for name, m in modes.items() if name not in secrets} == {0o644}
    assert {modes[name] for name in secrets} == {0o600}
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    again = build_kit(CONTRACT, out)[1].written
    assert not any(w.changed for w in again)
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == stamps
    on_disk = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert on_disk == sorted(str(w.path.relative_to(out)) for w in written)  # no temp files


def test_kit_contents(tmp_path: Path) -> None:
    build_kit(CONTRACT, tmp_path)
    plan = json.loads((tmp_path / "plan.json").read_text())
    assert plan["schema"] == "dualstack-plan/2"
    assert {h["host"]: h["ipv6"] for h in plan["interfaces"]}["ns1"] == "2001:db8:1200:10::53"
    rows = list(csv.DictReader((tmp_path / "hosts.csv").open()))
    assert [r["name"] for r in rows] == ["ns1", "ns2", "hv01", "hv02", "fs01", "printer7", "san-a"]
    vlans = list(csv.DictReader((tmp_path / "vlans.csv").open()))
    assert vlans[2]["ipv6"] == "2001:db8:1200:120::/64"
    report = (tmp_path / "plan.md").read_text()
    assert "# IPv6 address plan: hq" in report
    assert "| printer7 |   | management | 120 | 10.1.130.7 |" in report
    assert "dhcpv6-without-m-flag" not in report
    assert "only the O flag" in report


def test_kit_refuses_a_broken_site_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(CONTRACT.read_text().replace('ipv4 = "10.1.20.11"', 'ipv4 = "10.1.99.11"'))
    with pytest.raises(PlanError):
        build_kit(bad, tmp_path / "kit")
    assert not (tmp_path / "kit").exists()
    code, _, err = invoke("kit", str(bad), "-o", str(tmp_path / "kit"))
    assert code == 1
    # the line of the third [[host]] table, where hv01 is written
    line = [n for n, text in enumerate(bad.read_text().splitlines(), 1) if text == "[[host]]"][2]
    assert (
        f"{bad}:{line}: host[2] (hv01): error: ipv4 10.1.99.11 is outside vlan[1] (servers)" in err
    )


def test_sequential_kit_keeps_earlier_subnets(tmp_path: Path) -> None:
    text = (
        EXAMPLE.read_text()
        .replace('subnet_scheme = "vlan"', 'subnet_scheme = "sequential"')
        .replace('ipv6_address = "2001:db8:4c00:10::2"\n', "")  # written for the vlan scheme
    )
    site = tmp_path / "site.toml"
    site.write_text(text)
    build_kit(site, tmp_path / "kit")
    first = json.loads((tmp_path / "kit" / "plan.json").read_text())["vlans"]
    site.write_text(
        text.replace(
            "[[vlan]]\nid = 10\n",
            '[[vlan]]\nid = 5\nname = "lab"\nipv4 = "10.99.0.0/24"\n'
            'ipv6 = "slaac"\n\n[[vlan]]\nid = 10\n',
            1,
        )
    )
    build_kit(site, tmp_path / "kit")
    second = {
        v["id"]: v["ipv6"]
        for v in json.loads((tmp_path / "kit" / "plan.json").read_text())["vlans"]
    }
    assert all(second[v["id"]] == v["ipv6"] for v in first)
    assert second[5] is not None


def test_cli_plan_check_and_show(tmp_path: Path) -> None:
    code, out, err = invoke("plan", "check", str(CONTRACT))
    assert code == 0
    assert "ok: 4 VLANs, 7 hosts (7 interfaces) planned, 1 warning(s), 1 note(s)" in out
    assert "warning: vlan[2] (clients) sends RAs with only the O flag" in err
    code, out, _ = invoke("plan", "check", "--json", str(CONTRACT))
    assert json.loads(out)["ok"] is True
    code, out, _ = invoke("plan", "show", "--csv", "--table", "hosts", str(CONTRACT))
    assert out.splitlines()[0].startswith("name,interface,role,vlan,ipv4,mac,ipv6_mode,ipv6")
    code, out, _ = invoke("plan", "show", "--markdown", str(CONTRACT))
    assert "| 120 | clients | 10.1.128.0/20 |" in out
    code, out, _ = invoke("plan", "show", "--json", str(CONTRACT))
    assert len(json.loads(out)["interfaces"]) == 7
    code, _, err = invoke("plan", "check", str(tmp_path / "nope.toml"))
    assert code == 2
    assert "no such site file" in err


def test_cli_kit_reports_what_it_wrote(tmp_path: Path) -> None:
    code, out, _ = invoke("kit", str(EXAMPLE), "-o", str(tmp_path))
    assert code == 0
    assert re.search(r"kit for .* (\d+) file\(s\) written, 0 unchanged", out)
    code, out, _ = invoke("kit", str(EXAMPLE), "-o", str(tmp_path), "--json")
    assert not any(f["changed"] for f in json.loads(out)["files"])


def readme_kit_transcript() -> list[str]:
    """The lines the README shows under ``$ dualstack kit examples/site.toml -o out/kit``."""
    readme = (EXAMPLE.parents[1] / "README.md").read_text(encoding="utf-8")
    after = readme.split("$ dualstack kit examples/site.toml -o out/kit\n", 1)[1]
    return after.split("```", 1)[0].splitlines()


def test_readme_kit_transcript_is_what_the_kit_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "site.toml").write_text(EXAMPLE.read_text(encoding="utf-8"))
    monkeypatch.chdir(tmp_path)
    code, out, _ = invoke("kit", "examples/site.toml", "-o", "out/kit")
    assert code == 0
    real = out.splitlines()
    shown = readme_kit_transcript()
    assert shown[-1] == real[-1]  # the summary line, with the real count
    elided = sum(int(m.group(1)) for line in shown if (m := re.match(r"\.\.\. \((\d+) more", line)))
    listed = [line for line in shown[:-1] if not line.startswith("... (")]
    assert len(listed) + elided == len(real) - 1
    assert [line for line in real if line in listed] == listed  # every one real, in order


def test_kit_help_describes_every_part_of_the_kit(tmp_path: Path) -> None:
    written = build_kit(EXAMPLE, tmp_path)[1].written
    parts = {
        str(w.path.relative_to(tmp_path)).split("/")[0] + ("/" if w.path.parent != tmp_path else "")
        for w in written
    }
    code, out, _ = invoke("kit", "--help")
    assert code == 0
    described = {
        line.split()[0] for line in out.splitlines() if line.startswith("  ") and line.split()
    }
    assert parts <= described, parts - described
    assert {
        "plan.md",
        "plan.json",
        "vlans.csv",
        "hosts.csv",
        "dns/",
        "kea/",
        "radvd/",
        "router/",
        "linux/",
        "windows/",
        "manifest.json",
    } == parts
