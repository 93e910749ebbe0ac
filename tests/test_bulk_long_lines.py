"""A file without newlines reads in pieces of about a block, in bounded memory, and its pieces
hold the same candidates as the unbroken text."""

from __future__ import annotations

import io
import random
import subprocess
import sys
from pathlib import Path

from dualstack.bulk.raw import BLOCK
from dualstack.bulk.source import blocks, extractor


def dense(size: int, seed: int = 7) -> bytes:
    """``size`` bytes of addresses and words separated by blanks and commas, no newline."""
    rng = random.Random(seed)
    words = []
    for _ in range(4000):
        words.append(f"2001:db8:{rng.getrandbits(16):x}::{rng.getrandbits(16):x}")
        words.append(f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(256)}")
        words.append(rng.choice(["GET", "user=alice,", "[fe80::1%eth0]:80", "10:41:22", "x"]))
    unit = " ".join(words).encode() + b" "
    return (unit * (size // len(unit) + 1))[:size]


def test_pieces_are_about_a_block_and_lose_nothing() -> None:
    data = dense(1 << 20)
    size = 1 << 14
    pieces = list(blocks(io.BytesIO(data), size))
    assert "".join(pieces).encode() == data
    assert max(len(p) for p in pieces) <= size
    assert all(not (p[-1].isalnum() or p[-1] in ".:_") for p in pieces[:-1])  # no address touches
    found = [c for i, p in enumerate(pieces) for c in extractor("any")(p, i).candidates]
    assert found == extractor("any")(data.decode(), 1).candidates


def test_a_run_without_separators_is_cut_after_longest_line_blocks() -> None:
    data = b"a" * 100_000
    pieces = list(blocks(io.BytesIO(data), 1 << 12))
    assert "".join(pieces).encode() == data
    assert max(len(p) for p in pieces) <= 5 * (1 << 12)


# The child's own peak (VmHWM, MiB): getrusage's ru_maxrss would not do, since Linux carries a
# process's high-water mark across fork and exec, so a child of a big pytest reports its peak.
PROBE = """
import sys
from dualstack.bulk.source import chunks, extractor
found = 0
with open(sys.argv[1], "rb") as stream:
    for chunk in chunks(stream, extractor("any")):
        found += len(chunk.candidates)
with open("/proc/self/status") as status:
    peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
print(found, peak // 1024)
"""


def test_a_newline_free_file_peaks_like_a_file_of_lines(tmp_path: Path) -> None:
    """32 MB of dense candidates and no newline (8 blocks): reading and splitting it peaked at
    ~300 MiB when a line could grow to 16 MiB before it was cut; a file of lines ~90 MiB."""
    text = dense(8 * BLOCK)
    flat, lines = tmp_path / "flat.txt", tmp_path / "lines.txt"
    flat.write_bytes(text)
    lines.write_bytes(text.replace(b", ", b",\n"))
    runs = []
    for path in (flat, lines):
        proc = subprocess.run(
            [sys.executable, "-c", PROBE, str(path)], capture_output=True, text=True, check=True
        )
        found, peak_mib = map(int, proc.stdout.split())
        runs.append((found, peak_mib))
    (flat_found, flat_peak), (lines_found, lines_peak) = runs
    assert flat_found == lines_found
    assert flat_peak < 150, runs
    assert flat_peak <= 1.3 * lines_peak + 16, runs
