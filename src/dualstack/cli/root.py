"""The Click root group: subcommands are imported only when they are run or listed."""

from __future__ import annotations

import importlib

import click

from dualstack.cli import COMMANDS
from dualstack.cli._common import emit_error
from dualstack.errors import DualstackError

# Click >= 8.2 raises this for `no_args_is_help` (the help text is the answer, not an error)
_HELP_INSTEAD = getattr(click.exceptions, "NoArgsIsHelpError", ())


def usage_line(exc: click.UsageError) -> str:
    """A Click usage error in dualstack's one-line form, naming the command and its help."""
    ctx = exc.ctx
    while ctx is not None and ctx.command.hidden and ctx.parent is not None:
        ctx = ctx.parent  # `calc show` is hidden: point at `calc`
    where = ctx.command_path if ctx is not None else "dualstack"
    return f"{' '.join(exc.format_message().split())} (see '{where} --help')"


def _usage_exit(ctx: click.Context, exc: click.UsageError) -> None:
    if isinstance(exc, _HELP_INSTEAD):
        raise exc
    emit_error(usage_line(exc))
    ctx.exit(exc.exit_code)


class LazyGroup(click.Group):
    """A group whose subcommands are imported only when they are run or listed; every usage
    error below it is one line on stderr, exit 2, like every other dualstack error."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        command: click.Command = getattr(importlib.import_module(module_name), attribute)
        return command

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:  # `dualstack --bogus`
            _usage_exit(ctx, exc)
            raise  # not reached: ctx.exit raised

    def invoke(self, ctx: click.Context) -> object:
        """Library and usage errors become one line on stderr and their own exit code, never
        a traceback or Click's four-line usage block."""
        try:
            return super().invoke(ctx)
        except DualstackError as exc:
            emit_error(str(exc))
            ctx.exit(exc.exit_code)
        except click.UsageError as exc:
            _usage_exit(ctx, exc)
            raise  # not reached: ctx.exit raised


@click.group("dualstack", cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option("0.1.0", prog_name="dualstack")
def cli() -> None:
    """dualstack: plan, configure and verify the move from IPv4 to dual-stack IPv6.

    The main job: describe the site once, or import it from its zones and leases (import);
    check it (plan check / plan show) and write the rollout kit (kit). Everyday tools:
    inspect, convert, slaac, nat64, select, tunnel, calc; probe asks the network.

    Every command that reports takes --json. Those that rewrite their input (bulk anonymize,
    convert, filter, uniq), print a script (hyperv collector) or serve pages (web) do not;
    bulk annotate writes JSON lines with --format jsonl.
    """
