"""``bulk stats`` through the compiled kernels end to end, without numpy.

Each raw block is cut at a newline into one range per core; a thread scans its range
(:mod:`.fast`) and classifies and counts the rows (:mod:`.compiled`) in one go, so the two
cores never wait for each other inside a block and no column is joined. Python makes a few
calls per block and answers the rows the scanner hands back
(:func:`dualstack.bulk.scanned.resolve`: the only place numpy may load, for the rare candidate
the fast parser leaves to Python). The keys go into the hash tables (:mod:`.hashing`) on a
thread of their own while the next block is read. Counting needs no row order, so a block's
kernel rows and Python's rows are counted as separate runs. The report is
:class:`~dualstack.bulk.numpy_tally.Tally`'s, number for number (tests/test_bulk_stats_scan.py
holds them equal); the meaning of each count is in :mod:`.stats`.

One difference of layout, none of result: vendor keys of the OUIs IEEE subdivided (named per
MA-M/MA-S block, then merged by block) are kept in a table of their own, so ranking the
undivided ones is one pass in C. Each table has the memory bound the numpy path gives its one.
"""

from __future__ import annotations

from array import array
from collections import deque
from types import ModuleType

from dualstack._value import value
from dualstack.bulk import compiled, fast, hashing
from dualstack.bulk.beside import Beside
from dualstack.bulk.facts import IID_CLASSES, ROLES, SCOPES, TOKENS
from dualstack.bulk.raw import BLOCK, raw_blocks
from dualstack.bulk.scanned import resolve
from dualstack.bulk.stats import DISTINCT_MEMORY, TOP, Lines, Stats, prefix_text, vendor_label

TYPE_CHECKING = False  # importing typing costs start-up time; mypy still reads these blocks
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import BinaryIO

    from dualstack.addr.inspect import Options


@value
class Block:
    """One block of input, classified and counted: its fixed counts, the keys of its rows for
    the hash tables (one :class:`~dualstack.bulk.compiled.Tallied` per run), and what the
    command reports about it."""

    counts: array[int]  # compiled.COUNTS int64s
    keys: tuple[compiled.Tallied, ...]
    lines: int
    candidates: int
    bad: int  # candidates that are not addresses
    strict: bool  # list mode: a bad candidate is an error
    listed: list[tuple[int, str, str]]  # the block's first errors (list mode)

    @property
    def addresses(self) -> int:
        return self.candidates - self.bad

    @property
    def invalid(self) -> int:
        return self.bad if self.strict else 0

    @property
    def skipped(self) -> int:
        return 0 if self.strict else self.bad

    def errors(self, limit: int) -> list[tuple[int, str, str]]:
        """Up to ``limit`` errors as (line number, input, message), list mode only."""
        return self.listed[: max(0, limit)] if self.strict else []


def _counts() -> array[int]:
    return array("q", bytes(8 * compiled.COUNTS))


def _range(
    data: bytes, extract: str, begin: int, end: int, table: compiled.Tables
) -> tuple[fast.Scan, int, compiled.Tallied, array[int]]:
    """One thread's share of a block, scanned, classified and counted in one pass."""
    counts = _counts()
    return (*compiled.scan_tally(data, extract, begin, end, table, counts), counts)


AHEAD = 2  # blocks counted at once: a core done with its share of one starts on the next


def blocks(
    stream: BinaryIO,
    extract: str,
    size: int = BLOCK,
    shown: int = 10,
    options: Options | None = None,
    head: bytes = b"",
) -> Iterator[Block]:
    """Every block of ``stream`` (mode list, combined, any or ``csv:K``) through the kernels,
    which must be there (:func:`available`). ``options`` None: the well-known NAT64 prefix and
    no 6rd domain (the defaults). ``head``: lines read before ``stream`` that hold no
    candidate (a CSV header), counted with the first block.

    Each block's ranges are counted on threads of their own while the next block is read and
    started, so no core waits at a block's end for the other's share; the blocks come out in
    order, their Python rows answered here."""
    if options is None:
        from dualstack.addr.embedded import NAT64_WELL_KNOWN

        table = compiled.tables((NAT64_WELL_KNOWN,), ())
    else:
        table = compiled.tables(options.nat64_prefixes, options.sixrd)
    line = 1 + head.count(b"\n")
    extra = head.count(b"\n")  # the head's lines, counted with the first block
    running: deque[tuple[bytes, list[Beside]]] = deque()
    blocks_out = 0

    def finished() -> Block:
        nonlocal line, extra, blocks_out
        data, jobs = running.popleft()
        done = [job.result() for job in jobs]
        block, newlines = _answered(data, done, line, extra, extract, table, shown)
        line, extra, blocks_out = line + newlines, 0, blocks_out + 1
        return block

    for data in raw_blocks(stream, size):
        spans = fast.ranges(data, mode=extract)
        running.append((data, [Beside(_range, data, extract, b, e, table) for b, e in spans]))
        if len(running) >= AHEAD:
            yield finished()
    while running:
        yield finished()
    if head and not blocks_out:  # nothing after it: the head's own lines
        lines = extra + (not head.endswith(b"\n"))
        yield Block(_counts(), (), lines, 0, 0, extract == "list", [])


def _answered(
    data: bytes,
    done: list[tuple[fast.Scan, int, compiled.Tallied, array[int]]],
    line: int,
    extra: int,
    extract: str,
    table: compiled.Tables,
    shown: int,
) -> tuple[Block, int]:
    """A block (first line ``line``; ``extra`` lines before it counted with it) from its
    ranges' counts, with the rows they left to Python answered; and its newlines."""
    counts = _counts()
    keys: list[compiled.Tallied] = []
    candidates = bad = newlines = 0
    listed: list[tuple[int, str, str]] = []
    for part, counted, kept, part_counts in done:  # each part's errors are in line order
        res = resolve(data, line, extract, shown, part)  # part: only the rows for Python
        keys.append(kept)
        for i, count in enumerate(part_counts):
            counts[i] += count
        candidates += counted + len(part) - len(res.whole)
        for parsed in (res.asked, res.parsed):
            if parsed is not None:
                keys.append(compiled.tally(parsed.hi, parsed.lo, parsed.version, table, counts))
                bad += len(parsed.errors)
        if res.parsed is not None:
            candidates += len(res.parsed)
        listed += res.errors
        newlines += part.newlines
    lines = extra + newlines + (not data.endswith(b"\n"))
    strict = extract == "list"
    return Block(counts, tuple(keys), lines, candidates, bad, strict, listed[:shown]), newlines


def available() -> bool:
    """Whether every kernel this path needs is built (and not switched off)."""
    return (
        fast.extension() is not None
        and compiled.extension() is not None
        and hashing.extension() is not None
    )


class _Keys:
    """Counts per uint64 key, exact while at most ``max_keys`` keys are distinct; past that the
    most frequent half is kept and counting goes on (``exact`` turns false)."""

    def __init__(self, ext: ModuleType, max_keys: int) -> None:
        self.ext, self.max_keys = ext, max(1, max_keys)
        self.table = ext.Counter64(self.max_keys)
        self.exact = True

    def add(self, keys: memoryview) -> None:
        while len(keys):
            stop = self.table.add(keys)
            if stop < 0:
                return
            kept = self.table.top(self.max_keys // 2)
            self.exact = False
            self.table = self.ext.Counter64(self.max_keys)
            self.table.add(array("Q", [k for k, _ in kept]), array("q", [c for _, c in kept]))
            keys = keys[stop:]

    def items(self) -> list[tuple[int, int]]:
        """Every key and its count, largest count first (ties by the smaller key)."""
        return list(self.table.top(len(self.table)))


class CompiledTally:
    """Accumulates :class:`~dualstack.bulk.stats.Stats` over :class:`Block` s."""

    def __init__(self, distinct_memory: int = DISTINCT_MEMORY) -> None:
        ext = hashing.extension()
        assert ext is not None
        keys = hashing.max_keys(distinct_memory)
        self.read = Lines()
        self.counts = _counts()
        self.ext = ext
        self.distinct = ext.Set128(keys)
        self.registers: bytearray | None = None  # the sketch, once the exact set is given up
        self.prefixes = _Keys(ext, keys)  # /64s of unicast IPv6 (the /56s and /48s are sums)
        self.vendors = _Keys(ext, keys)  # OUIs IEEE did not subdivide
        self.split_vendors = _Keys(ext, keys)  # MA-M/MA-S keys (36 bits)
        self._adding: list[Beside] = []  # the last block's keys going in beside the next

    def add(self, block: Block) -> None:
        self.read.count(block)
        for i, count in enumerate(block.counts):
            self.counts[i] += count
        self._settle()  # the tables take one caller at a time: the block before must be in
        # the exact set and the counters are separate tables: a thread each
        keys = block.keys
        self._adding = [Beside(self._add_distinct, keys), Beside(self._add_counts, keys)]

    def _settle(self) -> None:
        adding, self._adding = self._adding, []
        for job in adding:
            job.result()

    def _add_distinct(self, runs: tuple[compiled.Tallied, ...]) -> None:
        for kept in runs:
            self._distinct(kept.hi, kept.lo, kept.version)

    def _add_counts(self, runs: tuple[compiled.Tallied, ...]) -> None:
        for kept in runs:
            self.prefixes.add(kept.prefixes)
            self.vendors.add(kept.vendors)
            self.split_vendors.add(kept.split_vendors)

    def _distinct(self, hi: memoryview, lo: memoryview, version: memoryview) -> None:
        if self.registers is None:
            stop = self.distinct.add(hi, lo, version)
            if stop < 0:
                return
            self.registers = bytearray(1 << hashing.HLL_BITS)
            self.distinct.sketch(self.registers)
            hi, lo, version = hi[stop:], lo[stop:], version[stop:]
        self.ext.hll_add(self.registers, hi, lo, version)

    def result(self) -> Stats:
        self._settle()
        c = self.counts

        def named(start: int, names: tuple[str, ...]) -> dict[str, int]:
            return {name: c[start + i] for i, name in enumerate(names) if c[start + i]}

        if self.registers is not None:
            unique, estimated = hashing.hll_estimate(self.registers), True
        else:
            unique, estimated = len(self.distinct), False
        prefixes = {
            f"/{length}": [
                (prefix_text(key, length), count)
                for key, count in self.prefixes.table.top(TOP, 64 - length)
            ]
            for length in (48, 56, 64)
        }
        ipv4, ipv6 = c[compiled.COUNT_FAMILY], c[compiled.COUNT_FAMILY + 1]
        types, scopes = compiled.COUNT_TYPES, compiled.COUNT_SCOPES
        return self.read.report(
            ipv4=ipv4,
            ipv6=ipv6,
            unique=unique,
            unique_estimated=estimated,
            types={"ipv4": named(types, TOKENS), "ipv6": named(types + len(TOKENS), TOKENS)},
            scopes={"ipv4": named(scopes, SCOPES), "ipv6": named(scopes + len(SCOPES), SCOPES)},
            iid=named(compiled.COUNT_IID, IID_CLASSES),
            embedded=named(compiled.COUNT_ROLES, ROLES),
            prefixes=prefixes,
            vendors=self._top_vendors(),
            top_exact=self.prefixes.exact and self.vendors.exact and self.split_vendors.exact,
        )

    def _top_vendors(self) -> list[tuple[str, int]]:
        """As the numpy path ranks them: a subdivided OUI's keys are named first and summed
        per label, each label under its smallest key; then the largest counts win, ties by
        key. The undivided OUIs' own top list is all of them that can make it."""
        merged: dict[str, tuple[int, int]] = {}
        for key, count in self.split_vendors.items():
            label = vendor_label(key)
            first, total = merged.get(label, (key, 0))
            merged[label] = (min(first, key), total + count)
        ranked = [(count, key, "") for key, count in self.vendors.table.top(TOP)]
        ranked += [(total, key, label) for label, (key, total) in merged.items()]
        ranked.sort(key=lambda item: (-item[0], item[1]))
        return [(label or vendor_label(key), count) for count, key, label in ranked[:TOP]]
