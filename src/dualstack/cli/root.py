"""The Click root group: subcommands are imported only when they are run or listed."""

from __future__ import annotations

import importlib

import click

from dualstack.cli import COMMANDS
from dualstack.cli._common import emit_error
from dualstack.errors import DualstackError


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

    def invoke(self, ctx: click.Context) -> object:
        """Library errors become one line on stderr and their own exit code, never a traceback."""
        try:
            return super().invoke(ctx)
        except DualstackError as exc:
            emit_error(str(exc))
            ctx.exit(exc.exit_code)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option("0.1.0", prog_name="dualstack")
def cli() -> None:
    """dualstack: plan, configure and verify the move from IPv4 to dual-stack IPv6.

    The main job: describe the site once (plan check / plan show) and write the rollout kit
    (kit). Everyday tools: inspect, convert, slaac, nat64, calc.

    Every command that reports takes --json. Those that rewrite their input (bulk anonymize,
    filter, uniq), print a script (hyperv collector) or serve pages (web) do not; bulk annotate
    writes JSON lines with --format jsonl.
    """
