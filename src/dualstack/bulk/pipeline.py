"""Input to classified batches: the one path every bulk command reads through."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import BinaryIO

from dualstack.addr.inspect import DEFAULT_OPTIONS, Options
from dualstack.bulk.classify import Classes, classify
from dualstack.bulk.parse import Parsed, parse_many
from dualstack.bulk.source import BLOCK, Chunk, Extractor, chunks


@dataclass(frozen=True)
class Batch:
    """One chunk's candidates, parsed and classified. In ``list`` mode a candidate that is not
    an address is an error; elsewhere it is text that merely looked like one, and is skipped."""

    chunk: Chunk
    parsed: Parsed
    classes: Classes
    lines: int

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
            chunk = replace(self.chunk, candidates=self.chunk.candidates[start:stop])
            part = slice(start, stop)
            yield Batch(chunk, self.parsed.rows(start, stop), self.classes.rows(part), 0)

    def errors(self, limit: int) -> list[tuple[int, str, str]]:
        """Up to ``limit`` errors as (line number, input, message), list mode only."""
        if not self.chunk.strict or limit <= 0:
            return []
        picked = sorted(self.parsed.errors.items())[:limit]
        candidates = self.chunk.candidates
        return [(self.chunk.line_of(i), candidates[i], message) for i, message in picked]


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


@dataclass(frozen=True)
class Counted:
    """A block read through the compiled scanner: what :class:`Batch` gives counting work
    (``bulk stats``), without the chunk's text (never built as Python strings). ``listed``
    holds the block's first errors (list mode), at most the ``shown`` it was read with."""

    parsed: Parsed
    classes: Classes
    lines: int
    strict: bool
    listed: list[tuple[int, str, str]]

    @property
    def invalid(self) -> int:
        return len(self.parsed.errors) if self.strict else 0

    @property
    def skipped(self) -> int:
        return 0 if self.strict else len(self.parsed.errors)

    def errors(self, limit: int) -> list[tuple[int, str, str]]:
        """Up to ``limit`` errors as (line number, input, message), list mode only."""
        return self.listed[: max(0, limit)] if self.strict else []


def scanned(
    data: bytes, first_line: int, extract: str, shown: int
) -> tuple[Parsed, int, list[tuple[int, str, str]]]:
    """The parse of a block of whole lines through the compiled scanner, rows in the order
    the Python path gives them; the block's newlines; its first ``shown`` errors."""
    import numpy as np

    from dualstack.bulk.scanned import candidates_per_line, resolve

    res = resolve(data, first_line, extract, shown)
    found = res.found
    hi = np.frombuffer(found.hi, dtype=np.uint64).copy()
    lo = np.frombuffer(found.lo, dtype=np.uint64).copy()
    version = np.frombuffer(found.version, dtype=np.uint8).copy()
    errors: dict[int, str] = {}
    by_core: list[int] = []
    if res.asked is not None:
        ask = np.array(res.ask, dtype=np.intp)
        hi[ask], lo[ask], version[ask] = res.asked.hi, res.asked.lo, res.asked.version
        errors = {res.ask[i]: message for i, message in res.asked.errors.items()}
        by_core = [res.ask[i] for i in res.asked.by_core]
    if res.chunk is not None and res.parsed is not None:
        # each whole line's row becomes the candidates Python finds in it (none, one or more)
        counts = candidates_per_line(res.chunk, len(res.whole))
        parsed = res.parsed
        keep = np.ones(len(version), dtype=np.bool_)
        keep[res.whole] = False
        kept = np.flatnonzero(keep)
        # new position of each kept row: its old one, less the whole lines before it, plus
        # the candidates those lines hold
        whole = np.array(res.whole, dtype=np.intp)
        before = np.searchsorted(whole, kept)
        added = np.concatenate([[0], np.cumsum(counts)])
        moved = kept - before + added[before]
        # new position of the j-th candidate of the whole lines: after the kept rows before
        # its line and the candidates of earlier whole lines
        line_of = np.repeat(np.arange(len(whole)), counts)
        inserted = whole[line_of] - line_of + np.arange(len(line_of))
        size = len(kept) + len(line_of)
        new_hi = np.zeros(size, np.uint64)
        new_lo = np.zeros(size, np.uint64)
        new_version = np.zeros(size, np.uint8)
        new_hi[moved], new_lo[moved], new_version[moved] = hi[kept], lo[kept], version[kept]
        new_hi[inserted], new_lo[inserted] = parsed.hi, parsed.lo
        new_version[inserted] = parsed.version
        place = moved.tolist()
        index = {old: place[i] for i, old in enumerate(kept.tolist())} if errors or by_core else {}
        spot = inserted.tolist()
        errors = {index[row]: m for row, m in errors.items()}
        errors.update({spot[i]: m for i, m in parsed.errors.items()})
        errors = dict(sorted(errors.items()))
        by_core = sorted([index[row] for row in by_core] + [spot[i] for i in parsed.by_core])
        hi, lo, version = new_hi, new_lo, new_version
    else:
        errors = dict(sorted(errors.items()))
    return Parsed(hi, lo, version, errors, tuple(by_core)), found.newlines, res.errors


def counted(
    stream: BinaryIO,
    extract: str,
    options: Options = DEFAULT_OPTIONS,
    size: int = BLOCK,
    shown: int = 10,
) -> Iterator[Counted]:
    """Every block of ``stream`` (mode ``extract``: list, combined or any) read through the
    compiled scanner, parsed and classified as :func:`batches` would; the extension must be
    there (:func:`dualstack.bulk.fast.extension`)."""
    from dualstack.bulk.source import raw_blocks

    line = 1
    for data in raw_blocks(stream, size):
        parsed, newlines, listed = scanned(data, line, extract, shown)
        classes = classify(parsed, options.nat64_prefixes, options.sixrd)
        lines = newlines + (not data.endswith(b"\n"))
        yield Counted(parsed, classes, lines, extract == "list", listed)
        line += newlines
