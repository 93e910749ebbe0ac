"""``dualstack kit``: the main job, the whole rollout kit from one site file."""

from __future__ import annotations

import sys
import textwrap

import click

from dualstack.cli._common import emit_json
from dualstack.cli._findings import print_findings
from dualstack.cli._params import PATH
from dualstack.kit import CONTENTS, PlanError, build_kit
from dualstack.plan import present


def _contents() -> str:
    """CONTENTS as an aligned list Click prints as is (the \\b paragraph)."""
    lines = ["\b"]
    width = max(map(len, CONTENTS)) + 2
    for name, text in CONTENTS.items():
        lines += textwrap.wrap(
            text,
            78,
            initial_indent=f"{name:<{width}}",
            subsequent_indent=" " * width,
            break_on_hyphens=False,
        )
    return "\n".join(lines)


_HELP = (
    "Plan SITE and write the rollout kit into a folder. Files are replaced atomically and only "
    "when their content changed, so a second run rewrites nothing. Files an earlier kit wrote "
    "that the plan no longer needs are removed; a file the kit did not write, or one edited "
    "since, is moved aside to NAME.orig, never overwritten. The kit holds:\n\n" + _contents()
)


@click.command("kit", help=_HELP)
@click.argument("site", type=PATH)
@click.option(
    "-o",
    "--output",
    required=True,
    type=PATH,
    help="Folder the kit is written into (created if missing).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the files and warnings as JSON.")
def kit_command(site: str, output: str, as_json: bool) -> None:
    """The kit: see _HELP, which lists dualstack.kit.CONTENTS."""
    try:
        outcome, result = build_kit(site, output)
    except PlanError as exc:
        print_findings(site, exc.outcome.findings)
        raise
    print_findings(site, outcome.findings)  # warnings only, by now
    if as_json:
        emit_json(present.kit(outcome, result))
        sys.exit(0)
    for line in present.kit_lines(site, result):
        click.echo(line)
