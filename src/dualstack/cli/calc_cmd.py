"""``dualstack calc``: the subnet calculator, a few lines per subcommand over ``dualstack.net``.

``dualstack calc PREFIX`` describes; the first word picks a subcommand otherwise (split,
summarize, range, free, contains, ula). Library errors become one line on stderr and exit 2.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from ipaddress import IPv4Network, IPv6Network

import click

from dualstack.cli._common import emit_error, emit_json, exit_status, input_items
from dualstack.errors import DualstackError
from dualstack.net import (
    MAX_RESULTS,
    as_network,
    describe,
    free,
    join_netmask,
    membership,
    prefix_text,
    range_to_cidrs,
    split,
    summarize,
    ula,
)
from dualstack.net import present as show
from dualstack.present import error

IPNetwork = IPv4Network | IPv6Network

_SUBCOMMANDS = "contains, free, range, split, summarize, ula"
_JSON_HELP = "JSON: one object per result, one per line for lists."


class DefaultGroup(click.Group):
    """A group whose first token, when it names no subcommand, is a prefix for hidden ``show``."""

    default = "show"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # `calc --json 10.0.0.0/24`: an option first also means the default command
        if args and args[0].startswith("-") and args[0] not in ctx.help_option_names:
            args = [self.default, *args]
        return super().parse_args(ctx, args)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and self.get_command(ctx, args[0]) is None:
            return self.default, self.get_command(ctx, self.default), args
        return super().resolve_command(ctx, args)


@contextmanager
def _library_errors() -> Iterator[None]:
    """A library error inside the block: its message on one line, its exit code."""
    try:
        yield
    except DualstackError as exc:
        emit_error(str(exc))
        sys.exit(exc.exit_code)


def _report(raw: str, message: str, as_json: bool) -> None:
    """A bad input line: a JSON error object in --json mode, else one line on stderr."""
    if as_json:
        emit_json(error(raw, message, "dualstack-calc/1"))
    else:
        emit_error(message)


def _aligned(rows: list[tuple[str, str]]) -> str:
    width = max(len(label) for label, _ in rows) + 2
    return "\n".join(f"{label:<{width}}{value}".rstrip() for label, value in rows)


def _emit_prefixes(networks: Iterator[IPNetwork] | tuple[IPNetwork, ...], as_json: bool) -> None:
    for network in networks:
        if as_json:
            emit_json(show.prefix_line(network))
        else:
            click.echo(prefix_text(network))


@click.group(
    "calc",
    cls=DefaultGroup,
    invoke_without_command=False,
    no_args_is_help=True,
    subcommand_metavar="PREFIX | COMMAND [ARGS]...",
    context_settings={"help_option_names": ["-h", "--help"]},
)
def calc_command() -> None:
    """Subnet calculator for IPv4 and IPv6.

    `dualstack calc PREFIX [--json]` describes a prefix (or ADDRESS/LEN, a bare address,
    10.0.0.0/255.255.255.0, or ADDRESS NETMASK as ipcalc takes it): masks, broadcast, usable
    hosts (RFC 3021 /31, RFC 6164 /127), /64 count, nibble boundary, type, registry and the
    reverse zones, with RFC 2317 names past /24. The subcommands split, summarize, list free
    space, convert ranges, test containment and make RFC 4193 ULA prefixes. Every one takes
    --json.
    """


@calc_command.command("show", hidden=True)
@click.argument("prefixes", nargs=-1, metavar="[PREFIX]...")
@click.option("--json", "as_json", is_flag=True, help=_JSON_HELP)
def show_command(prefixes: tuple[str, ...], as_json: bool) -> None:
    """Describe each PREFIX (the default when `calc` is given a prefix); stdin if none.
    ADDRESS NETMASK as two words (ipcalc's order) is the one prefix."""
    with _library_errors():
        prefixes = join_netmask(prefixes)
    bad = total = 0
    for raw in input_items(prefixes):
        total += 1
        try:
            described = describe(raw)
        except DualstackError as exc:
            bad += 1
            message = str(exc)
            if raw.isalpha():
                message += f" (nor a calc subcommand: {_SUBCOMMANDS})"
            _report(raw, message, as_json)
            continue
        if as_json:
            emit_json(show.description(described))
        else:
            if total - bad > 1:
                click.echo()
            click.echo(_aligned(show.description_rows(described)))
    sys.exit(exit_status(bad, total, only_arg_bad=bool(prefixes)))


@calc_command.command("split", short_help="Split PREFIX into equal, longer prefixes.")
@click.argument("prefix")
@click.option("--into", "new_len", type=int, metavar="LEN", help="New prefix length, e.g. 64.")
@click.option(
    "--count",
    type=int,
    metavar="N",
    help="At least N parts: N is rounded up to a power of two.",
)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=MAX_RESULTS,
    show_default=True,
    help="Refuse to print more prefixes than this; 0 streams any number.",
)
@click.option("--json", "as_json", is_flag=True, help=_JSON_HELP)
def split_command(
    prefix: str, new_len: int | None, count: int | None, limit: int, as_json: bool
) -> None:
    """Split PREFIX into equal longer prefixes: --into LEN, or --count N parts."""
    if (new_len is None) == (count is None):
        emit_error("split: give exactly one of --into LEN or --count N")
        sys.exit(2)
    with _library_errors():
        _emit_prefixes(split(prefix, new_len, count, limit=limit or None), as_json)


@calc_command.command("summarize", short_help="Aggregate prefixes (like aggregate6).")
@click.argument("prefixes", nargs=-1, metavar="[PREFIX]...")
@click.option("--json", "as_json", is_flag=True, help=_JSON_HELP)
def summarize_command(prefixes: tuple[str, ...], as_json: bool) -> None:
    """Aggregate prefixes and addresses into the fewest prefixes (like aggregate6): merge
    adjacent and contained ones, IPv4 then IPv6, sorted. With no PREFIX, reads stdin line by
    line; a bad line is reported and skipped (exit 1)."""
    bad = total = 0

    def readable() -> Iterator[IPNetwork]:
        nonlocal bad, total
        for raw in input_items(prefixes):
            total += 1
            try:
                yield as_network(raw)
            except DualstackError as exc:
                bad += 1
                _report(raw, str(exc), as_json)

    _emit_prefixes(summarize(readable()), as_json)
    sys.exit(exit_status(bad, total, only_arg_bad=bool(prefixes)))


@calc_command.command("range", short_help="The prefixes covering FIRST to LAST exactly.")
@click.argument("first")
@click.argument("last")
@click.option("--json", "as_json", is_flag=True, help=_JSON_HELP)
def range_command(first: str, last: str, as_json: bool) -> None:
    """The fewest prefixes that cover exactly the addresses FIRST to LAST (inclusive)."""
    with _library_errors():
        _emit_prefixes(range_to_cidrs(first, last), as_json)


@calc_command.command("free", short_help="What is free in PARENT after --used.")
@click.argument("parent")
@click.option(
    "--used",
    multiple=True,
    metavar="PREFIX",
    help="A prefix already in use; repeatable. Without --used, read one per line from stdin.",
)
@click.option("--json", "as_json", is_flag=True, help=_JSON_HELP)
def free_command(parent: str, used: tuple[str, ...], as_json: bool) -> None:
    """List what is free in PARENT once the used prefixes are taken out; when nothing is,
    one line says so (--json prints no lines) and the exit status is still 0. A used prefix
    that is unreadable or not inside PARENT is an error (exit 2, nothing printed)."""
    networks: list[IPNetwork] = []
    bad = 0
    for raw in input_items(used):
        try:
            networks.append(as_network(raw))
        except DualstackError as exc:
            bad += 1
            emit_error(str(exc))
    if bad:
        sys.exit(2)
    with _library_errors():
        space = free(parent, networks)
    _emit_prefixes(space.free, as_json)  # --json: no lines at all is the empty list
    if not space.free and not as_json:
        click.echo(f"nothing free in {prefix_text(space.parent)}: all of it is in use")


@calc_command.command("contains", short_help="Is each ITEM inside PREFIX?")
@click.argument("prefix")
@click.argument("items", nargs=-1, metavar="[ITEM]...")
@click.option("--json", "as_json", is_flag=True, help=_JSON_HELP)
def contains_command(prefix: str, items: tuple[str, ...], as_json: bool) -> None:
    """Say for each address or prefix ITEM whether it lies inside PREFIX (stdin if no ITEM).
    Exit status: 0 all inside, 1 some not inside or unreadable, 2 bad PREFIX."""
    with _library_errors():
        outer = as_network(prefix)
    bad = total = outside = 0
    for raw in input_items(items):
        total += 1
        try:
            m = membership(outer, raw)
        except DualstackError as exc:
            bad += 1
            _report(raw, str(exc), as_json)
            continue
        outside += not m.inside
        if as_json:
            emit_json(show.membership(m, raw))
        else:
            click.echo(f"{raw}  {m.relation}")
    status = exit_status(bad, total, only_arg_bad=bool(items))
    sys.exit(status or (1 if outside else 0))


@calc_command.command("ula", short_help="An RFC 4193 ULA /48 (seedable).")
@click.option("--global-id", metavar="HEX", help="Use this 40-bit Global ID (10 hex digits).")
@click.option(
    "--seed-time",
    metavar="TIME",
    help="The time to hash instead of now: ISO 8601, Unix seconds, or a 64-bit NTP "
    "timestamp (0xdcf4268b208dd000 or dcf4268b.208dd000 as ntpq prints it).",
)
@click.option(
    "--seed-mac",
    metavar="MAC",
    help="The MAC (or EUI-64) to hash instead of this machine's.",
)
@click.option("--json", "as_json", is_flag=True, help=_JSON_HELP)
def ula_command(
    global_id: str | None, seed_time: str | None, seed_mac: str | None, as_json: bool
) -> None:
    """Make an RFC 4193 Unique Local /48 under fd00::/8: SHA-1 over the NTP time and an
    EUI-64 (section 3.2.2); reproducible with --seed-time and --seed-mac."""
    with _library_errors():
        result = ula(global_id, time=seed_time, mac=seed_mac)
    data = show.ula(result)
    if as_json:
        emit_json(data)
        return
    rows = [("prefix", data["prefix"]), ("global id", data["global_id"])]
    if data["method"] == "rfc4193":
        rows += [("ntp time", data["ntp_time"]), ("eui-64 hashed", data["eui64"])]
        if data["mac"]:
            rows.append(("from mac", data["mac"]))
    click.echo(_aligned(rows))
