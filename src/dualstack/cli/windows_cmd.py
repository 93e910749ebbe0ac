"""``dualstack windows``: Windows' own IPv6 settings (``DisabledComponents``)."""

from __future__ import annotations

import click

from dualstack.cli._common import emit_json


@click.group("windows")
def windows_command() -> None:
    """Windows' IPv6 settings: decode and build the DisabledComponents registry value."""


@windows_command.command("components")
@click.argument("value", required=False)
@click.option(
    "--want",
    "wants",
    multiple=True,
    metavar="OUTCOME",
    help="An outcome to build (repeatable, applied in order to VALUE or 0): tunnels-off, "
    "6to4-off, isatap-off, teredo-off, prefer-ipv4, prefer-ipv6, native-off, all-off, all-on.",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='Print {"schema", "value", "hex", "bits": [{"bit", "name", "set", "meaning"}], '
    '"warnings", "commands"}.',
)
def components_command(value: str | None, wants: tuple[str, ...], as_json: bool) -> None:
    """Decode the DisabledComponents VALUE (32 or 0x20, as `reg query` shows it), or build one
    with --want; print what it turns off, what to watch for, and the reg add and PowerShell
    lines that set it."""
    from dualstack.windows import parse_value, want
    from dualstack.windows import present as shown

    if value is None and not wants:
        raise click.UsageError("give a VALUE to decode or --want OUTCOME to build one")
    start = parse_value(value) if value is not None else 0
    found = want(list(wants), start)
    if as_json:
        emit_json(shown.components(found))
        return
    for line in shown.lines(found):
        click.echo(line)
