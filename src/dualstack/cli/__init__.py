"""The ``dualstack`` command.

Click builds the command tree (``root.py``); each command lives in its own module, imported only
when run. Two paths skip Click, because importing it costs more than starting Python: a plain
``dualstack inspect [--json] ADDR...`` (the call scripts make once per address) and a plain
``dualstack bulk stats [--json] [--extract MODE] [FILE]`` (whose start-up is part of its
budget). Each goes straight to the runner its Click command uses; any other option, or
anything unusual (``--help``, a second file, a bad mode), goes through Click as usual.
The CLI is the only layer that prints.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # importing typing costs start-up time; mypy still reads these blocks
if TYPE_CHECKING:
    from typing import NoReturn

# command name -> "module:attribute"; imported on first use
COMMANDS: dict[str, str] = {
    "inspect": "dualstack.cli.inspect_cmd:inspect_command",
    "convert": "dualstack.cli.convert_cmd:convert_command",
    "slaac": "dualstack.cli.slaac_cmd:slaac_command",
    "nat64": "dualstack.cli.nat64_cmd:nat64_command",
    "select": "dualstack.cli.select_cmd:select_command",
    "tunnel": "dualstack.cli.tunnel_cmd:tunnel_command",
    "probe": "dualstack.cli.probe_cmd:probe_command",
    "import": "dualstack.cli.import_cmd:import_command",
    "reconcile": "dualstack.cli.reconcile_cmd:reconcile_command",
    "plan": "dualstack.cli.plan_cmd:plan_command",
    "kit": "dualstack.cli.kit_cmd:kit_command",
    "dns": "dualstack.cli.dns_cmd:dns_command",
    "calc": "dualstack.cli.calc_cmd:calc_command",
    "bulk": "dualstack.cli.bulk_cmd:bulk_command",
    "audit": "dualstack.cli.audit_cmd:audit_command",
    "hyperv": "dualstack.cli.hyperv_cmd:hyperv_command",
    "windows": "dualstack.cli.windows_cmd:windows_command",
    "web": "dualstack.cli.web_cmd:web_command",
}


def _plain_inspect(args: list[str]) -> bool:
    """``inspect`` with only --json and addresses: nothing Click needs to parse."""
    return (
        bool(args)
        and args[0] == "inspect"
        and all(a == "--json" or not a.startswith("-") for a in args[1:])
    )


_EXTRACT_MODES = ("list", "combined", "any")


def _plain_stats(args: list[str]) -> tuple[str | None, str, bool] | None:
    """``bulk stats`` with at most --json, one valid --extract and one FILE: (file, mode,
    json); None for anything Click should parse."""
    if args[:2] != ["bulk", "stats"]:
        return None
    file: str | None = None
    extract, as_json = "list", False
    rest = args[2:]
    i = 0
    while i < len(rest):
        arg = rest[i]
        if arg == "--json":
            as_json = True
        elif arg == "--extract" and i + 1 < len(rest) and rest[i + 1] in _EXTRACT_MODES:
            extract = rest[i + 1]
            i += 1
        elif arg.startswith("--extract=") and arg[10:] in _EXTRACT_MODES:
            extract = arg[10:]
        elif file is None and (arg == "-" or not arg.startswith("-")) and "\0" not in arg:
            file = arg
        else:
            return None
        i += 1
    return file, extract, as_json


def main(argv: list[str] | None = None) -> NoReturn:
    """Entry point: run the CLI, turning library errors into one line and an exit code."""
    from dualstack.errors import DualstackError

    args = sys.argv[1:] if argv is None else list(argv)
    if args[:1] in (["bulk"], ["audit"]):
        # The engine uses no BLAS; OpenBLAS, which numpy loads, would start a thread per core
        # that spins while it waits, taking a few percent of both cores from the kernels.
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    try:
        if _plain_inspect(args):
            from dualstack.cli.inspect_view import run_inspect

            addresses = tuple(a for a in args[1:] if a != "--json")
            sys.exit(run_inspect(addresses, as_json="--json" in args))
        stats = _plain_stats(args)
        if stats is not None:
            from dualstack.cli.bulk_reading import run_stats

            file, extract, as_json = stats
            run_stats(file, extract, None, None, as_json)
        from dualstack.cli.root import cli

        cli.main(args=args, prog_name="dualstack", standalone_mode=True)
        sys.exit(0)
    except DualstackError as exc:
        from dualstack.cli._common import emit_error

        emit_error(str(exc))
        sys.exit(exc.exit_code)
    except BrokenPipeError:  # e.g. `dualstack inspect ... | head`
        sys.stderr.close()
        sys.exit(0)
