"""The ``dualstack`` command: a lazy Click group, so ``dualstack inspect`` loads only what it needs.

Each command lives in its own module and is imported only when invoked (or listed in help).
The CLI is the only layer that prints; every command is a thin call into the library.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from dualstack.errors import DualstackError

# command name -> "module:attribute"; imported on first use
COMMANDS: dict[str, str] = {
    "inspect": "dualstack.cli.inspect_cmd:inspect_command",
    "convert": "dualstack.cli.convert_cmd:convert_command",
    "slaac": "dualstack.cli.slaac_cmd:slaac_command",
    "nat64": "dualstack.cli.nat64_cmd:nat64_command",
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported only when they are run or listed."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        command: click.Command = getattr(importlib.import_module(module_name), attribute)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option("0.1.0", prog_name="dualstack")
def cli() -> None:
    """dualstack: plan, configure and verify the move from IPv4 to dual-stack IPv6.

    Everyday address tools (inspect, convert, slaac, nat64) and, as they land, the site planner
    and its rollout kit. Every command takes --json for scripts.
    """


def main(argv: list[str] | None = None) -> Any:
    """Entry point: run the CLI, turning library errors into one line and an exit code."""
    try:
        return cli.main(args=argv, prog_name="dualstack", standalone_mode=True)
    except DualstackError as exc:
        click.echo(f"dualstack: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except BrokenPipeError:  # e.g. `dualstack inspect ... | head`
        sys.stderr.close()
        sys.exit(0)
