"""The ``dualstack`` command.

Click builds the command tree (``root.py``); each command lives in its own module, imported only
when run. One path skips Click: a plain ``dualstack inspect [--json] ADDR...`` (no other
options), the call scripts make once per address, goes straight to the same library-backed
runner the Click command uses, because importing Click costs about as much as starting Python.
The CLI is the only layer that prints.
"""

from __future__ import annotations

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
    "plan": "dualstack.cli.plan_cmd:plan_command",
    "kit": "dualstack.cli.kit_cmd:kit_command",
    "dns": "dualstack.cli.dns_cmd:dns_command",
    "calc": "dualstack.cli.calc_cmd:calc_command",
    "bulk": "dualstack.cli.bulk_cmd:bulk_command",
    "audit": "dualstack.cli.audit_cmd:audit_command",
    "hyperv": "dualstack.cli.hyperv_cmd:hyperv_command",
    "web": "dualstack.cli.web_cmd:web_command",
}


def _plain_inspect(args: list[str]) -> bool:
    """``inspect`` with only --json and addresses: nothing Click needs to parse."""
    return (
        bool(args)
        and args[0] == "inspect"
        and all(a == "--json" or not a.startswith("-") for a in args[1:])
    )


def main(argv: list[str] | None = None) -> NoReturn:
    """Entry point: run the CLI, turning library errors into one line and an exit code."""
    from dualstack.errors import DualstackError

    args = sys.argv[1:] if argv is None else list(argv)
    try:
        if _plain_inspect(args):
            from dualstack.cli.inspect_view import run_inspect

            addresses = tuple(a for a in args[1:] if a != "--json")
            sys.exit(run_inspect(addresses, as_json="--json" in args))
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
