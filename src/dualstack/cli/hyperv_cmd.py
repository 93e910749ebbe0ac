"""``dualstack hyperv``: the collector script, the doctor, and exported event logs."""

from __future__ import annotations

import sys
from importlib.resources import files
from pathlib import Path

import click

from dualstack.cli._common import emit_json
from dualstack.cli._params import PATH


@click.group("hyperv")
def hyperv_command() -> None:
    """Hyper-V cluster networks and iSCSI: collect on each node, then check them together."""


def collector_script() -> str:
    return files("dualstack.hyperv").joinpath("collector.ps1").read_text(encoding="utf-8")


@hyperv_command.command("collector")
@click.option("-o", "--output", type=PATH, help="Write the script here instead of stdout.")
def collector_command(output: str | None) -> None:
    """Print the PowerShell collector. Run it on every node (it changes nothing):
    powershell -ExecutionPolicy Bypass -File collector.ps1; then `dualstack hyperv check` the
    JSON files it writes."""
    script = collector_script()
    if output is None:
        sys.stdout.write(script)
        return
    _write(output, script)
    click.echo(f"wrote {output}", err=True)


def _write(output: str, text: str) -> None:
    """Write atomically into an existing folder; any failure is a one-line error (exit 2)."""
    from dualstack._io import atomic_stream
    from dualstack.errors import InputError

    try:
        with atomic_stream(Path(output)) as handle:
            handle.write(text.encode())
    except OSError as exc:
        raise InputError(f"cannot write {output}: {exc.strerror or exc}") from None


@hyperv_command.command("check")
@click.argument("hosts", nargs=-1, required=True, type=PATH, metavar="HOST.json...")
@click.option("--json", "fmt", flag_value="json", help="The report as one JSON object.")
@click.option("--markdown", "fmt", flag_value="markdown", help="The report as Markdown.")
@click.option("--html", "fmt", flag_value="html", help="One self-contained HTML page.")
@click.option("-o", "--output", type=PATH, help="Write the report here instead of stdout.")
def check_command(hosts: tuple[str, ...], fmt: str | None, output: str | None) -> None:
    """Check every node's collector file and the cluster as a whole. Exit 1 when there are
    errors."""
    from dualstack.errors import InputError
    from dualstack.hyperv import present, report
    from dualstack.hyperv.model import load_host

    loaded = tuple(load_host(path) for path in hosts)
    names = [h.name for h in loaded]
    if len(set(names)) != len(names):
        twice = sorted({n for n in names if names.count(n) > 1})
        raise InputError(f"the same node was given twice: {', '.join(twice)}")
    result = report.build_report(loaded)
    if fmt == "json" and output is None:
        emit_json(present.report(result))
    else:
        import json

        rendered = {
            "json": lambda r: json.dumps(present.report(r), indent=2) + "\n",
            "markdown": report.markdown,
            "html": report.html_page,
        }.get(fmt or "", report.text)(result)
        if output is None:
            sys.stdout.write(rendered)
        else:
            _write(output, rendered)
    sys.exit(1 if result.errors else 0)


@hyperv_command.command("events")
@click.argument("files", nargs=-1, required=True, type=PATH, metavar="FILE.evtx...")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per relevant event.")
@click.option("--all", "show_all", is_flag=True, help="Every record, not only the relevant ids.")
def events_command(files: tuple[str, ...], as_json: bool, show_all: bool) -> None:
    """Read exported event logs (.evtx) and explain the events that matter here: live
    migration (21111, 21126, 21500-21503), cluster membership and networks (1126-1135), and the
    IPv6-relevant client events (DHCPv6-Client, Dhcp-Client, DNS-Client 1014 with its server
    decoded). A damaged file is reported, and the records that could be read are still shown;
    exit 1 then."""
    from dualstack.cli._common import emit_error
    from dualstack.hyperv import present
    from dualstack.hyperv.events import explain, read_evtx, relevant

    damaged = False
    for path in files:
        reading = read_evtx(path)
        for problem in reading.problems:
            emit_error(f"{path}: {problem}")
        damaged |= bool(reading.problems)
        chosen = reading.events if show_all else relevant(reading.events)
        for event in chosen:
            note = explain(event)
            if as_json:
                emit_json(present.event(path, event, note))
                continue
            title = note.title if note else (event.message or "").strip().splitlines()[:1]
            sys.stdout.write(
                f"{event.time:%Y-%m-%d %H:%M:%S} {event.computer} {event.provider} "
                f"{event.event_id}: {title if isinstance(title, str) else ' '.join(title)}\n"
            )
            if note is not None and note.detail:
                sys.stdout.write(f"  {note.detail}\n")
        if not as_json:
            sys.stdout.write(
                f"{path}: {len(chosen)} of {reading.total} records shown"
                + (f", {reading.unreadable} unreadable" if reading.problems else "")
                + "\n"
            )
    sys.exit(1 if damaged else 0)
