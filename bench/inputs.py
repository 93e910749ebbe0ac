"""The files `make bench` reads: the mixed list, its IPv6 lines, the web log and the 10M list,
written from bench/addrmix.py's seeded generators."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from addrmix import SEED, log_lines  # bench/ is the script's own folder on sys.path

BIG_COPIES = 10


def write_lines(path: Path, lines: Sequence[str]) -> Path:
    """One line each, newline-terminated."""
    with path.open("w") as out:
        out.write("\n".join(lines))
        out.write("\n")
    return path


def write_big(path: Path, lines: list[str], copies: int, seed: int = SEED) -> Path:
    """``copies`` shuffled copies of the lines, one after the other, streamed to disk."""
    rng = random.Random(seed + 2)
    order = list(lines)
    with path.open("w") as out:
        for copy in range(copies):
            if copy:
                rng.shuffle(order)
            out.write("\n".join(order))
            out.write("\n")
    return path


@dataclass(frozen=True)
class Inputs:
    """The files every row reads."""

    mixed: Path
    v6only: Path
    log: Path
    big: Path
    lines: int
    v6_lines: int
    log_lines: int


def make_inputs(tmp: Path, lines: list[str]) -> Inputs:
    """Write the list, its IPv6 subset, the log and the 10M list."""
    v6_subset = [line for line in lines if ":" in line]
    log = log_lines(lines)
    return Inputs(
        mixed=write_lines(tmp / "mixed.txt", lines),
        v6only=write_lines(tmp / "v6only.txt", v6_subset),
        log=write_lines(tmp / "access.log", log),
        big=write_big(tmp / "mixed-10m.txt", lines, BIG_COPIES),
        lines=len(lines),
        v6_lines=len(v6_subset),
        log_lines=len(log),
    )
