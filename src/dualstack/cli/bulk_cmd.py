"""``dualstack bulk``: statistics, anonymisation, annotation, filters and de-duplication over
millions of addresses from files, stdin and logs."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from ipaddress import IPv4Address, IPv6Network
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, NoReturn, TypeVar

import click

from dualstack.addr.anonymize import DEFAULT, Policy
from dualstack.addr.inspect import Options
from dualstack.addr.parse import parse_network
from dualstack.cli._common import emit_error
from dualstack.cli._params import (
    PATH,
    LibraryParam,
    build_transition,
    policy_options,
    transition_options,
)
from dualstack.cli.bulk_reading import (
    DISTINCT_MEMORY_MIB,
    ERRORS_SHOWN,
    InputFile,
    Progress,
    Reading,
    run_stats,
)
from dualstack.errors import InputError

F = TypeVar("F", bound=Callable[..., Any])

if TYPE_CHECKING:
    from dualstack.bulk.rewriting import Converted


@click.group("bulk")
def bulk_command() -> None:
    """Millions of addresses at once: from address lists, web server logs (--extract
    combined), any text (--extract any) or a CSV column (--csv-column). Streamed in chunks:
    memory stays bounded however large the input."""


def input_options(default_extract: str = "list") -> Callable[[F], F]:
    """FILE, --extract, --csv-column and the transition options every subcommand shares."""

    def apply(func: F) -> F:
        options = (
            click.argument("file", type=PATH, required=False),
            click.option(
                "--extract",
                type=click.Choice(("list", "combined", "any")),
                default=default_extract,
                show_default=True,
                help="list: one address per line; combined: first field of Apache/nginx "
                "logs; any: every address anywhere in each line.",
            ),
            click.option("--csv-column", metavar="NAME", help="Read the CSV column NAME."),
            transition_options,
        )
        for decorator in reversed(options):
            func = decorator(func)
        return func

    return apply


def _options(
    nat64_prefixes: tuple[IPv6Network, ...],
    sixrd_prefix: IPv6Network | None,
    sixrd_masklen: int,
    sixrd_common: IPv4Address | None,
    policy: Policy = DEFAULT,
) -> Options:
    prefixes, sixrd = build_transition(nat64_prefixes, sixrd_prefix, sixrd_masklen, sixrd_common)
    return Options(prefixes, sixrd, policy)


def _quiet_terminal(output: str | None) -> bool:
    """Progress only when the command's own output does not go to the same terminal."""
    return output is not None or not sys.stdout.isatty()


@bulk_command.command("stats")
@input_options()
@click.option("--json", "as_json", is_flag=True, help="The report as one JSON object.")
@click.option(
    "--distinct-memory",
    type=click.IntRange(min=0),
    default=DISTINCT_MEMORY_MIB,
    show_default=True,
    metavar="MIB",
    help="Memory for each table of distinct values (addresses, /64 prefixes, vendor blocks). "
    "Within it every count is exact; past it unique addresses are estimated and top lists "
    "become lower bounds, and the report says so.",
)
def stats_command(
    file: str | None,
    extract: str,
    csv_column: str | None,
    as_json: bool,
    distinct_memory: int,
    **tr: Any,
) -> None:
    """Counts by family, type, scope, IID class and embedded-IPv4 role; top /48, /56 and
    /64 prefixes; top MAC vendors from EUI-64 IIDs; unique addresses."""
    run_stats(file, extract, csv_column, _options(**tr), as_json, distinct_memory)


@bulk_command.command("anonymize")
@input_options(default_extract="any")
@policy_options("--method", "--mask-ipv4", "--mask-ipv6")
@click.option("-o", "--output", type=PATH, help="Write here (atomically) instead of stdout.")
def anonymize_command(
    file: str | None,
    extract: str,
    csv_column: str | None,
    anonymize_method: str,
    anonymize_ipv4_bits: int,
    anonymize_ipv6_bits: int,
    output: str | None,
    **tr: Any,
) -> None:
    """Rewrite every address in place (ipv6loganon's job, on any log); every other byte is
    kept. Defaults follow ipv6calc's anonymize-standard preset (IPv4 /24, IPv6 /56, type
    kept; an EUI-64 IID keeps its vendor's OUI)."""
    policy = Policy(anonymize_method, anonymize_ipv4_bits, anonymize_ipv6_bits)
    options = _options(**tr, policy=policy)
    if _compiled():
        from dualstack.bulk.anonymize import anonymized

        def blocks(stream: BinaryIO) -> Iterator[Converted]:
            return anonymized(stream, extract, options, shown=ERRORS_SHOWN, csv_column=csv_column)

        _write_blocks(file, output, blocks)
    from dualstack.bulk.anonymize import rewrite

    reading = Reading(file, extract, csv_column, options)
    with _output(output) as out:
        for batch in reading.batches(progress=_quiet_terminal(output)):
            out.write(rewrite(batch, policy).encode("utf-8", "surrogateescape"))
    sys.exit(reading.status)


def _compiled() -> bool:
    """Whether the scanner and the compiled classifier are both built (and not switched off)."""
    from dualstack.bulk import compiled, fast

    return fast.extension() is not None and compiled.extension() is not None


def _write_blocks(
    file: str | None, output: str | None, blocks: Callable[[BinaryIO], Iterator[Converted]]
) -> NoReturn:
    """Write the rewritten ``blocks`` of the input, report list-mode errors (the first few by
    line, then a count) and exit: 1 if a line was not an address."""
    name = file if file not in (None, "-") else "stdin"
    invalid = reported = seen = 0
    with InputFile(file) as stream, _output(output) as out:
        display = Progress(stream, enabled=_quiet_terminal(output))
        try:
            for block in blocks(stream):
                for piece in block.pieces:
                    out.write(piece)
                for line, _text, message in block.errors[: ERRORS_SHOWN - reported]:
                    emit_error(f"{name}:{line}: {message}")
                    reported += 1
                invalid += block.invalid
                seen += block.rows
                display.update(seen)
        finally:
            display.close()
    if invalid > reported:
        emit_error(f"{name}: {invalid - reported:,} more lines are not addresses")
    sys.exit(1 if invalid else 0)


@contextmanager
def _output(path: str | None) -> Iterator[BinaryIO]:
    if path is None:
        yield sys.stdout.buffer
        return
    from dualstack._io import atomic_stream

    try:
        with atomic_stream(Path(path)) as handle:
            yield handle
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror or exc}") from None


@bulk_command.command("convert")
@click.argument("file", type=PATH, required=False)
@click.option(
    "--to",
    "form",
    type=click.Choice(("compressed", "exploded", "reverse")),
    required=True,
    help="compressed: RFC 5952; exploded: every group in four hex digits; reverse: the "
    "ip6.arpa / in-addr.arpa name. IPv4 stays a dotted quad unless reversed.",
)
@click.option(
    "--extract",
    type=click.Choice(("list", "combined", "any")),
    default="list",
    show_default=True,
    help="list: one address per line; combined: first field of Apache/nginx logs; any: "
    "every address anywhere in each line.",
)
@click.option("--csv-column", metavar="NAME", help="Read the CSV column NAME.")
@click.option("-o", "--output", type=PATH, help="Write here (atomically) instead of stdout.")
def convert_command(
    file: str | None, form: str, extract: str, csv_column: str | None, output: str | None
) -> None:
    """Rewrite every address in another text form (ipv6calc's conversion, on any log); every
    other byte is kept. In list mode a line that is not an address is reported and kept, and
    the exit code is 1."""
    from dualstack.bulk.convert import convert

    def blocks(stream: BinaryIO) -> Iterator[Converted]:
        return convert(stream, form, extract, csv_column, shown=ERRORS_SHOWN)

    _write_blocks(file, output, blocks)


@bulk_command.command("annotate")
@input_options()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("jsonl", "csv", "parquet")),
    default="jsonl",
    show_default=True,
    help="One row per address with every inspect field.",
)
@click.option(
    "--fields",
    metavar="NAMES",
    help="Write only these members (jsonl) or columns (csv, parquet), comma-separated; "
    "input is always written. Members not asked for are not computed.",
)
@click.option("-o", "--output", type=PATH, help="Write here (atomically); needed for parquet.")
def annotate_command(
    file: str | None,
    extract: str,
    csv_column: str | None,
    fmt: str,
    fields: str | None,
    output: str | None,
    **tr: Any,
) -> None:
    """One row per address with the fields of `dualstack inspect --json` (CSV: the same
    fields flattened; Parquet: the CSV columns, needs pyarrow)."""
    from dualstack.bulk import annotate, members

    asked = None if fields is None else members.names(fields)
    try:
        mask = members.json_mask(asked if fmt == "jsonl" else None)
        columns = members.csv_columns(asked if fmt != "jsonl" else None)
    except members.UnknownField as exc:
        raise click.BadParameter(str(exc), param_hint="--fields") from None
    options = _options(**tr)
    reading = Reading(file, extract, csv_column, options, scanned=True)
    if fmt == "parquet":
        if output is None:
            raise click.UsageError("--format parquet needs -o FILE (Parquet is not for a pipe)")
        from dualstack.bulk.arrow import batch_columns, write_parquet

        records = (batch_columns(b, options, columns) for b in reading.batches(progress=True))
        try:
            write_parquet(records, Path(output), columns)
        except OSError as exc:
            raise InputError(f"cannot write {output}: {exc.strerror or exc}") from None
        sys.exit(reading.status)
    with _output(output) as out:
        if fmt == "csv":
            out.write(annotate.csv_header(columns))
        for batch in reading.batches(progress=_quiet_terminal(output)):
            if fmt == "csv":
                blocks = annotate.csv_blocks(batch, options, columns)
            else:
                blocks = annotate.jsonl_blocks(batch, options, mask)
            for block in blocks:
                out.write(block)
    sys.exit(reading.status)


def _network(text: str) -> Any:
    return parse_network(text)


NETWORK = LibraryParam("PREFIX", _network)


@bulk_command.command("filter")
@input_options()
@click.option(
    "--type",
    "types",
    multiple=True,
    metavar="TYPE",
    help="Accept addresses of this type (repeatable; see docs/bulk.md).",
)
@click.option("--scope", "scopes", multiple=True, metavar="SCOPE", help="Accept this scope.")
@click.option("--iid", "iids", multiple=True, metavar="CLASS", help="Accept this IID class.")
@click.option(
    "--prefix", "prefixes", multiple=True, type=NETWORK, help="Accept inside this prefix."
)
@click.option("--block-type", multiple=True, metavar="TYPE", help="Drop addresses of this type.")
@click.option("--block-scope", multiple=True, metavar="SCOPE", help="Drop this scope.")
@click.option("--block-iid", multiple=True, metavar="CLASS", help="Drop this IID class.")
@click.option("--block-prefix", multiple=True, type=NETWORK, help="Drop inside this prefix.")
def filter_command(
    file: str | None,
    extract: str,
    csv_column: str | None,
    types: tuple[str, ...],
    scopes: tuple[str, ...],
    iids: tuple[str, ...],
    prefixes: tuple[Any, ...],
    block_type: tuple[str, ...],
    block_scope: tuple[str, ...],
    block_iid: tuple[str, ...],
    block_prefix: tuple[Any, ...],
    **tr: Any,
) -> None:
    """Print the addresses (as given) that every accept option matches (each option: any of
    its values) and no block option matches: addr6's -a / -b filters."""
    from dualstack.bulk.facts import IID_CLASSES, SCOPES, TOKENS
    from dualstack.bulk.select import Criteria, Filter

    for option, values, known in (
        ("--type", types + block_type, TOKENS),
        ("--scope", scopes + block_scope, SCOPES),
        ("--iid", iids + block_iid, IID_CLASSES),
    ):
        for value in values:
            if value not in known:
                raise InputError(f"{option} {value!r} is not one of: {', '.join(known)}")
    chosen = Filter(
        Criteria(types, scopes, iids, prefixes),
        Criteria(block_type, block_scope, block_iid, block_prefix),
    )
    out = sys.stdout.buffer
    reading = Reading(file, extract, csv_column, _options(**tr))
    for batch in reading.batches(progress=_quiet_terminal(None)):
        keep = chosen.mask(batch).nonzero()[0].tolist()
        if keep:
            candidates = batch.chunk.candidates
            text = "\n".join(candidates[i] for i in keep) + "\n"
            out.write(text.encode("utf-8", "surrogateescape"))
    sys.exit(reading.status)


@bulk_command.command("uniq")
@input_options()
@click.option(
    "-c", "--count", "with_count", is_flag=True, help="Prefix each with how often it occurs."
)
def uniq_command(
    file: str | None, extract: str, csv_column: str | None, with_count: bool, **tr: Any
) -> None:
    """Each distinct address once, in RFC 5952 / dotted-quad form, in order of first
    appearance (2001:DB8::1 and 2001:db8:0::1 are one address)."""
    from dualstack.bulk.select import Unique

    unique = Unique()
    reading = Reading(file, extract, csv_column, _options(**tr), scanned=True)
    for batch in reading.batches(progress=_quiet_terminal(None)):
        unique.add(batch.parsed)
    blob, counts = unique.lines()
    if with_count:
        texts = blob.split(b"\n")
        blob = b"".join(b"%8d %s\n" % pair for pair in zip(counts.tolist(), texts, strict=False))
    sys.stdout.buffer.write(blob)
    sys.exit(reading.status)
