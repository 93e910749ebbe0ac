"""The Click root group: subcommands are imported only when they are run or listed."""

from __future__ import annotations

import importlib

import click

from dualstack.cli import COMMANDS


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
