"""``dualstack convert``: rewrite addresses in another text form."""

from __future__ import annotations

import sys

import click

from dualstack import present
from dualstack.addr.convert import FORMS, READERS, convert
from dualstack.cli._common import emit_error, emit_json, exit_status, input_items
from dualstack.errors import DualstackError


@click.command("convert")
@click.argument("addresses", nargs=-1, metavar="[ADDR]...")
@click.option(
    "--to",
    "form",
    required=True,
    type=click.Choice(list(FORMS)),
    help="Output form: RFC 5952 compressed, exploded, binary, integer, hex, "
    "RFC 1924 base85, reverse (PTR name; for a prefix its reverse zone, cut to the last "
    "whole nibble or octet as ipv6calc does) or uri (bracketed literal).",
)
@click.option(
    "--from",
    "source",
    default="text",
    show_default=True,
    type=click.Choice(list(READERS)),
    help="How the input is written (integer accepts decimal or 0x-hex; as IPv6).",
)
@click.option("--json", "as_json", is_flag=True, help='One {"input", "to", "output"} per line.')
def convert_command(addresses: tuple[str, ...], form: str, source: str, as_json: bool) -> None:
    """Convert addresses to another text form. With no ADDR, reads stdin line by line."""
    bad = total = 0
    for raw in input_items(addresses):
        total += 1
        try:
            result = convert(raw, form, source)
        except DualstackError as exc:
            bad += 1
            if as_json:
                emit_json(present.error(raw, str(exc), "dualstack-convert/1"))
            else:
                emit_error(str(exc))
            continue
        if as_json:
            emit_json(present.conversion(raw, form, result))
        else:
            click.echo(result)
    sys.exit(exit_status(bad, total, only_arg_bad=bool(addresses)))
