"""What `make bench` prints: the rows against the peers, peak memory at 1M and 10M lines, and
the same figures as JSON (``BENCH_JSON=path``)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from measure import Run  # bench/ is the script's own folder on sys.path

MEMORY_GROWTH_TARGET = 1.25  # 10M-line RSS over 1M-line RSS: flat, with room for noise


@dataclass
class Row:
    """One line of the table: our run against the peer's, and the ratio's target."""

    task: str
    target: float | None
    ours: Run | None = None
    peer: Run | None = None
    peer_name: str = ""
    notes: list[str] = field(default_factory=list)
    ours_seconds: float | None = None  # in-process rows (parse) set these directly
    peer_seconds: float | None = None
    ours_failed: bool = False  # an in-process row of ours that raised

    def times(self) -> tuple[float | None, float | None]:
        """Our seconds and the peer's, None where a run failed, timed out or could not start."""
        mine = self.ours_seconds if self.ours is None else self.ours.seconds
        theirs = self.peer_seconds if self.peer is None else self.peer.seconds
        if self.ours is not None and not self.ours.ok:
            mine = None
        if self.peer is not None and (self.peer.timed_out or self.peer.code == 127):
            theirs = None
        return mine, theirs

    def ratio(self) -> float | None:
        """Peer time over ours: above 1 means we are faster."""
        mine, theirs = self.times()
        if mine is None or theirs is None or mine <= 0:
            return None
        return theirs / mine


@dataclass
class MemoryRow:
    """Peak RSS of one command of ours at 1M and 10M lines: it must not grow with input."""

    task: str
    small: Run
    big: Run

    def growth(self) -> float | None:
        """10M-line peak over 1M-line peak; None unless both runs worked."""
        if not (self.small.ok and self.big.ok) or self.small.max_rss_kib <= 0:
            return None
        return self.big.max_rss_kib / self.small.max_rss_kib


def cell(seconds: float | None, run: Run | None, failed: bool) -> str:
    """Seconds, or why there are none."""
    if run is not None and run.timed_out:
        return "timeout"
    if seconds is not None:
        return f"{seconds:.2f}"
    return "failed" if failed else "n/a"


def print_table(rows: Sequence[Row], runs: int) -> None:
    """One line per row, then the peer's command and the notes indented under it."""
    print(f"medians of {runs} alternating runs (ours, peer, ours, ...) after a warm-up each")
    head = f"{'task':<48} {'ours s':>8} {'peer s':>8} {'ratio':>7} {'target':>7}  {'met':<8}"
    print(head)
    print("-" * len(head))
    for row in rows:
        mine, theirs = row.times()
        ratio = row.ratio()
        target = f">= {row.target:g}" if row.target is not None else "-"
        if ratio is None or row.target is None:
            met = "-"
        else:
            met = "met" if ratio >= row.target else "NOT met"
        failed = row.ours_failed or (row.ours is not None and not row.ours.ok)
        ours_cell = cell(mine, row.ours, failed)
        peer_cell = cell(theirs, row.peer, False)
        ratio_cell = f"{ratio:.1f}x" if ratio is not None else "-"
        print(f"{row.task:<48} {ours_cell:>8} {peer_cell:>8} {ratio_cell:>7} {target:>7}  {met:<8}")
        print(f"    peer: {row.peer_name}")
        for note in row.notes:
            print(f"    {note}")


def print_memory(rows: Sequence[MemoryRow], small: int, big: int) -> None:
    """Peak RSS at both sizes, their ratio against the flat-memory target, and the time of
    each (one run each: the 10M times are single runs, not medians)."""
    sizes = f"{small / 1e6:g}M lines", f"{big / 1e6:g}M lines"
    head = f"{'peak RSS':<28} {sizes[0]:>10} {sizes[1]:>10} {'growth':>7} {'target':>8}  met"
    print(head)
    print("-" * len(head))
    for row in rows:
        growth = row.growth()
        cells = [mib(row.small), mib(row.big)]
        met = "-" if growth is None else "met" if growth <= MEMORY_GROWTH_TARGET else "NOT met"
        grow = f"{growth:.2f}" if growth is not None else "-"
        target = f"<= {MEMORY_GROWTH_TARGET:g}"
        print(f"{row.task:<28} {cells[0]:>10} {cells[1]:>10} {grow:>7} {target:>8}  {met}")
        for run, size in ((row.small, sizes[0]), (row.big, sizes[1])):
            if run.ok:
                lines = f"{run.out_lines:,} lines out" if run.out_lines is not None else ""
                print(f"    {size}: {run.seconds:.2f} s (one run), {lines}")
            else:
                print(f"    {size}: failed: {run.error_line()}")


def mib(run: Run) -> str:
    """Peak RSS in MiB, or 'failed' (a failed run's peak says nothing)."""
    return f"{run.max_rss_kib / 1024:.0f} MiB" if run.ok else "failed"


def write_json(
    path: str,
    lines: int,
    rows: Sequence[Row],
    memory: Sequence[MemoryRow],
    mix: Counter[str],
    extra: str,
) -> None:
    """The same figures for a machine: BENCH_JSON=path."""

    def run_dict(run: Run | None) -> dict[str, Any] | None:
        if run is None:
            return None
        data = asdict(run)
        data["stderr"] = run.error_line() if not run.ok else ""
        return data

    doc = {
        "lines": lines,
        "mix": dict(mix),
        "rows": [
            {
                "task": row.task,
                "peer": row.peer_name,
                "ours_seconds": row.times()[0],
                "peer_seconds": row.times()[1],
                "ratio": row.ratio(),
                "target": row.target,
                "ours": run_dict(row.ours),
                "peer_run": run_dict(row.peer),
                "notes": row.notes,
            }
            for row in rows
        ],
        "memory": [
            {
                "task": row.task,
                "rss_kib_1m": row.small.max_rss_kib if row.small.ok else None,
                "rss_kib_10m": row.big.max_rss_kib if row.big.ok else None,
                "seconds_1m": row.small.seconds if row.small.ok else None,
                "seconds_10m": row.big.seconds if row.big.ok else None,
                "growth": row.growth(),
                "target": MEMORY_GROWTH_TARGET,
            }
            for row in memory
        ],
        "ipv6logconv": extra,
    }
    Path(path).write_text(json.dumps(doc, indent=2) + "\n")
