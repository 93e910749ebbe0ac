"""Input to classified batches: the one path every bulk command reads through."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO

from dualstack.addr.inspect import DEFAULT_OPTIONS, Options
from dualstack.bulk.classify import Classes, classify
from dualstack.bulk.parse import Parsed, parse_many
from dualstack.bulk.raw import BLOCK
from dualstack.bulk.source import Chunk, chunks

if TYPE_CHECKING:
    from dualstack.bulk.source import Extractor


@dataclass(frozen=True)
class Batch:
    """One chunk's candidates, parsed and classified. In ``list`` mode a candidate that is not
    an address is an error; elsewhere it is text that merely looked like one, and is skipped."""

    chunk: Chunk
    parsed: Parsed
    classes: Classes
    lines: int

    @property
    def candidates(self) -> int:
        return len(self.parsed)

    @property
    def addresses(self) -> int:
        return len(self.parsed) - len(self.parsed.errors)

    @property
    def invalid(self) -> int:
        return len(self.parsed.errors) if self.chunk.strict else 0

    @property
    def skipped(self) -> int:
        return 0 if self.chunk.strict else len(self.parsed.errors)

    def blocks(self, size: int) -> Iterator[Batch]:
        """The batch in runs of at most ``size`` rows (for work whose memory grows per row)."""
        rows = len(self.parsed)
        if rows <= size:
            yield self
            return
        for start in range(0, rows, size):
            stop = min(start + size, rows)
            c = self.chunk
            chunk = Chunk(c.first_line, c.text, c.candidates[start:stop], c.rebuild, c.strict)
            part = slice(start, stop)
            yield Batch(chunk, self.parsed.rows(start, stop), self.classes.rows(part), 0)

    def errors(self, limit: int) -> list[tuple[int, str, str]]:
        """Up to ``limit`` errors as (line number, input, message), list mode only."""
        if not self.chunk.strict or limit <= 0:
            return []
        picked = sorted(self.parsed.errors.items())[:limit]
        candidates = self.chunk.candidates
        return [(self.chunk.line_of(i), candidates[i], message) for i, message in picked]


@dataclass(frozen=True)
class ScannedBatch(Batch):
    """A :class:`Batch` read through the scanner: its chunk holds the candidates but not the
    block's text, so its first errors come as the scanner listed them (line numbers found)."""

    listed: tuple[tuple[int, str, str], ...] = ()

    def errors(self, limit: int) -> list[tuple[int, str, str]]:
        return list(self.listed[: max(0, limit)]) if self.chunk.strict else []


def _no_text(_: list[str]) -> str:
    raise RuntimeError("a scanned chunk keeps no text to rebuild")


def scanned_batches(
    stream: BinaryIO,
    extract: str,
    options: Options = DEFAULT_OPTIONS,
    size: int = BLOCK,
    shown: int = 10,
    head: bytes = b"",
) -> Iterator[Batch]:
    """:func:`batches` through the scanner (which must be there): a block without lines only
    the Python extractor reads gets its candidates cut from the scanned spans and parsed in C
    (no pattern, no ``parse_many`` over the block); any other block takes the Python path.
    ``head``: lines read before ``stream`` that hold no candidate (a CSV header)."""
    from dualstack.bulk.raw import raw_blocks
    from dualstack.bulk.scanned import Spans, in_order, resolve
    from dualstack.bulk.source import extractor

    line = 1 + head.count(b"\n")
    for data in raw_blocks(stream, size):
        res = resolve(data, line, extract, shown)
        found = res.found
        lines = found.newlines + (not data.endswith(b"\n"))
        if res.whole:
            yield analyse(
                extractor(extract)(data.decode("utf-8", "surrogateescape"), line), options
            )
        else:
            texts = Spans(data, found.starts, found.ends)
            chunk = Chunk(line, "", texts, _no_text, extract == "list")
            parsed = in_order(res)
            classes = classify(parsed, options.nat64_prefixes, options.sixrd)
            yield ScannedBatch(chunk, parsed, classes, lines, tuple(res.errors))
        line += found.newlines


def analyse(chunk: Chunk, options: Options = DEFAULT_OPTIONS) -> Batch:
    parsed = parse_many(chunk.candidates)
    classes = classify(parsed, options.nat64_prefixes, options.sixrd)
    return Batch(chunk, parsed, classes, chunk.text.count("\n") + (not chunk.text.endswith("\n")))


def batches(
    stream: BinaryIO, extract: Extractor, options: Options = DEFAULT_OPTIONS, size: int = BLOCK
) -> Iterator[Batch]:
    """Every chunk of ``stream`` as a classified batch."""
    for chunk in chunks(stream, extract, size):
        yield analyse(chunk, options)
