"""A block scanned by the compiled kernel, completed by the Python path where the kernel asks.

:func:`dualstack.bulk.fast.scan` decides most candidates of a block of raw bytes by itself and
hands back two kinds of rows: version 0 (a candidate it does not parse: zone, prefix,
brackets, junk) and :data:`~dualstack.bulk.fast.LINE` (a whole line whose non-ASCII text only
the Python extractor reads). :func:`resolve` answers both the way the Python path does, once,
for every command that reads through the kernel (``bulk convert`` writes from the result,
``bulk stats`` counts it): the asked candidates go through
:func:`~dualstack.bulk.parse.parse_many`, the whole lines are joined and extracted by
:mod:`.source` as one text (its patterns are per line), and list-mode errors get their line
numbers, in input order, the first ``shown`` of them.

numpy is imported only when a row needs the Python path (``bulk convert`` of plain addresses
starts without it).
"""

from __future__ import annotations

from collections.abc import Sequence

from dualstack._value import value
from dualstack.bulk import fast as kernel

TYPE_CHECKING = False  # importing typing costs start-up time; mypy still reads these blocks
if TYPE_CHECKING:
    from typing import Any, overload

    from dualstack.bulk.parse import Parsed
    from dualstack.bulk.source import Chunk


class Spans(Sequence[str]):
    """The candidates of a scanned block as its byte spans, decoded only when one is read: a
    writer that takes bytes (``bulk annotate``'s) reads them in place (:meth:`arrays`)."""

    def __init__(self, data: bytes, starts: memoryview, ends: memoryview) -> None:
        self.data, self.starts, self.ends = data, starts, ends

    def __len__(self) -> int:
        return len(self.starts)

    if TYPE_CHECKING:

        @overload
        def __getitem__(self, index: int) -> str: ...
        @overload
        def __getitem__(self, index: slice) -> Spans: ...

    def __getitem__(self, index: int | slice) -> str | Spans:
        if isinstance(index, slice):
            return Spans(self.data, self.starts[index], self.ends[index])
        return self.data[self.starts[index] : self.ends[index]].decode("utf-8", "surrogateescape")

    def arrays(self) -> tuple[Any, Any, Any]:
        """(the block's bytes, each candidate's start, its length) as numpy arrays, no copy."""
        import numpy as np

        starts = np.frombuffer(self.starts, dtype=np.int64)
        return (
            np.frombuffer(self.data, np.uint8),
            starts,
            np.frombuffer(self.ends, np.int64) - starts,
        )


class Lines:
    """Line numbers of offsets asked for in increasing order, counted once."""

    def __init__(self, data: bytes, first_line: int) -> None:
        self.data, self.line, self.at = data, first_line, 0

    def of(self, offset: int) -> int:
        if offset < self.at:  # an earlier offset: counted afresh (rare: errors only)
            return self.line - self.data.count(b"\n", offset, self.at)
        self.line += self.data.count(b"\n", self.at, offset)
        self.at = offset
        return self.line


@value
class Resolved:
    """A scanned block with the rows the kernel asked for answered by the Python path."""

    found: kernel.Scan  # the scan (``asked`` rows still as the kernel left them)
    ask: list[int]  # rows of version 0, in order
    asked: Parsed | None  # their parse (row i of it is scan row ask[i]); None: no such row
    whole: list[int]  # rows of version LINE, in order
    spans: list[tuple[int, int]]  # their byte spans in the block
    chunk: Chunk | None  # the whole lines, joined by newlines, as the Python extractor reads them
    parsed: Parsed | None  # the parse of chunk.candidates
    invalid: int  # list mode: candidates that are not addresses
    errors: list[tuple[int, str, str]]  # the first ``shown`` (line, input, message), in order


def resolve(
    data: bytes, first_line: int, extract: str, shown: int, found: kernel.Scan | None = None
) -> Resolved:
    """Scan ``data`` (whole lines, the first numbered ``first_line``) in mode ``extract`` and
    answer what the kernel leaves to Python. ``found``: a scan of part of ``data`` already made
    (:func:`~dualstack.bulk.fast.scan_range`, or the rows
    :func:`~dualstack.bulk.compiled.scan_tally` leaves to Python). The kernel must be there."""
    if found is None:
        found = kernel.scan(data, extract)
    assert found is not None
    strict = extract == "list"
    errors: list[tuple[int, int, str, str]] = []  # (offset, line, input, message)
    invalid = 0
    version = found.version
    ask = [row for row in found.asked if version[row] == 0]
    whole = [row for row in found.asked if version[row] == kernel.LINE]
    asked_parse: Parsed | None = None
    starts, ends = found.starts, found.ends
    if ask:
        from dualstack.bulk.parse import parse_many

        spans = [(starts[row], ends[row]) for row in ask]
        asked = [data[a:b].decode("utf-8", "surrogateescape") for a, b in spans]
        asked_parse = parse_many(asked)
        if strict:
            invalid += len(asked_parse.errors)
            lines = Lines(data, first_line)
            for i, message in sorted(asked_parse.errors.items())[:shown]:
                offset = spans[i][0]
                errors.append((offset, lines.of(offset), asked[i], message))
    chunk: Chunk | None = None
    parsed: Parsed | None = None
    whole_spans = [(starts[w], ends[w]) for w in whole]
    if whole:  # lines left to Python, through its path as one text (the patterns are per line)
        from dualstack.bulk.parse import parse_many
        from dualstack.bulk.source import extractor  # here: its patterns cost start-up time

        chunk = extractor(extract)(
            "\n".join(data[a:b].decode("utf-8", "surrogateescape") for a, b in whole_spans), 1
        )
        parsed = parse_many(chunk.candidates)
        if strict:
            invalid += len(parsed.errors)
            whole_lines = Lines(data, first_line)  # a counter of its own: offsets rise again
            picked = sorted(parsed.errors.items())[:shown]
            for i, message in picked:
                a = whole_spans[chunk.line_of(i) - 1][0]
                errors.append((a, whole_lines.of(a), chunk.candidates[i], message))
    errors.sort()
    listed = [(line, text, message) for _, line, text, message in errors[:shown]]
    return Resolved(found, ask, asked_parse, whole, whole_spans, chunk, parsed, invalid, listed)


def candidates_per_line(chunk: Chunk, lines: int) -> list[int]:
    """How many of ``chunk``'s candidates each of its ``lines`` lines holds."""
    marker = "\x00\ue000"
    while marker in chunk.text:  # a marker the text cannot hold: each hit is a candidate
        marker += "\ue000"
    probe = chunk.rebuild([marker] * len(chunk.candidates))
    counts = [line.count(marker) for line in probe.split("\n")]
    assert len(counts) == lines
    assert sum(counts) == len(chunk.candidates)
    return counts


def in_order(res: Resolved) -> Parsed:
    """The parse of a resolved block with its rows in the order the Python path gives them:
    the asked rows' answers in place, each whole line's row replaced by the candidates the
    Python extractor finds in it (none, one or more)."""
    import numpy as np

    from dualstack.bulk.parse import Parsed

    found = res.found
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
    return Parsed(hi, lo, version, errors, tuple(by_core))
