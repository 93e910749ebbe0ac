"""What ``dualstack inspect`` shows, without Click: shared by the command and the fast path."""

from __future__ import annotations

import sys

from dualstack.addr.inspect import DEFAULT_OPTIONS, Options, inspect
from dualstack.cli._common import emit_error, emit_json, exit_status, input_items
from dualstack.errors import DualstackError
from dualstack.present import error, inspection

TYPE_CHECKING = False  # importing typing costs start-up time; mypy still reads these blocks
if TYPE_CHECKING:  # rich loads only when a terminal is shown a panel
    from typing import Any

    from rich.panel import Panel


def _flags(registry: dict[str, Any]) -> str:
    names = ("source", "destination", "forwardable", "globally_reachable", "reserved_by_protocol")
    marks = {True: "yes", False: "no", None: "n/a"}
    return ", ".join(f"{n.replace('_', ' ')} {marks[registry[n]]}" for n in names)


def _vendor(data: dict[str, Any]) -> str | None:
    """``Name (IEEE MA-S, data of 2026-10-24)``: which registry answered, and how fresh it is."""
    if data["vendor"] is None:
        return None
    date = f", data of {data['vendor_date']}" if data["vendor_date"] else ""
    return f"{data['vendor']} (IEEE {data['vendor_registry']}{date})"


def human_rows(data: dict[str, Any]) -> list[tuple[str, str]]:
    """The labelled lines a person reads, from the JSON shape (so both outputs always agree)."""
    rows: list[tuple[str, str]] = [("kind", data["kind"])]
    if data["kind"] in ("mac", "eui64"):
        for key in ("mac", "eui64", "vendor", "interface_id", "link_local", "anonymized"):
            value = _vendor(data) if key == "vendor" else data.get(key)
            if value is not None:
                rows.append((key.replace("_", " "), str(value)))
        if data.get("local") is not None:
            rows.append(("administered", "locally" if data["local"] else "universally (IEEE)"))
        return rows
    rows += [("address", data["address"]), ("exploded", data["exploded"])]
    if data["network"]:
        rows.append(("network", data["network"]))
    for key in ("zone", "port"):
        if data[key] is not None:
            rows.append((key, str(data[key])))
    rows += [("types", " ".join(data["types"])), ("scope", data["scope"])]
    if data["registry"]:
        reg = data["registry"]
        rows.append(("registry", f"{reg['name']} {reg['prefix']} ({', '.join(reg['rfc'])})"))
        rows.append(("", _flags(reg)))
    for item in data["embedded_ipv4"]:
        via = f" via {item['prefix']}" if "prefix" in item else ""
        rows.append(("embedded ipv4", f"{item['ipv4']} ({item['role']}{via})"))
    if data["teredo"]:
        t = data["teredo"]
        cone = "cone NAT" if t["cone"] else "not cone"
        rows.append(
            (
                "teredo",
                f"server {t['server']}, client {t['client']} port {t['port']}, "
                f"{cone}, flags {t['flags']}",
            )
        )
    if data["iid"]:
        i = data["iid"]
        detail = [
            i["subtype"],
            i["mac"],
            i["ipv4"],
            f"port {i['port']}" if i["port"] is not None else None,
        ]
        extra = ", ".join(d for d in detail if d)
        rows.append(("interface id", f"{i['type']}" + (f" ({extra})" if extra else "")))
        if i["vendor"] is not None:
            rows.append(("vendor", str(_vendor(i))))
    if data["multicast"]:
        m = data["multicast"]
        flags = "".join(k for k, v in m["flags"].items() if v) or "none"
        text = f"scope {m['scope']}, flags {flags}, group {m['group_id']}"
        for key in ("well_known", "solicited_node_for", "unicast_prefix", "rp_address"):
            if m[key]:
                text += f", {key.replace('_', ' ')} {m[key]}"
        rows.append(("multicast", text))
    rows += [
        ("reverse", data["reverse_pointer"]),
        ("uri", data["uri"]),
        ("anonymized", data["anonymized"]),
    ]
    return rows


def panel(data: dict[str, Any]) -> Panel:
    """The terminal panel: every value is a Text (never markup, so ``[fd00::1]`` shows as
    typed) and folds onto the next line rather than being cut with an ellipsis."""
    from rich.panel import Panel  # only on a terminal: rich costs start-up time
    from rich.table import Table
    from rich.text import Text

    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column(overflow="fold")
    for label, value in human_rows(data):
        table.add_row(Text(label), Text(value, overflow="fold"))
    return Panel(table, title=Text(data["input"]), title_align="left", expand=False)


def _print_human(data: dict[str, Any], tty: bool) -> None:
    if not tty:
        rows = human_rows(data)
        lines = [data["input"], *(f"  {label:<14} {value}" for label, value in rows)]
        sys.stdout.write("\n".join(lines) + "\n")
        return
    from rich.console import Console

    Console().print(panel(data))


def run_inspect(
    addresses: tuple[str, ...], as_json: bool, options: Options = DEFAULT_OPTIONS
) -> int:
    """Inspect each address (or each stdin line), print it, and return the exit status."""
    tty = sys.stdout.isatty()
    bad = total = 0
    for raw in input_items(addresses):
        total += 1
        try:
            data = inspection(inspect(raw, options))
        except DualstackError as exc:
            bad += 1
            if as_json:
                emit_json(error(raw, str(exc)))
            else:
                emit_error(str(exc))
            continue
        if as_json:
            emit_json(data)
        else:
            _print_human(data, tty)
    return exit_status(bad, total, only_arg_bad=bool(addresses))
