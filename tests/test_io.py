"""Atomic output: a regular file is replaced whole; a device or FIFO is written in place (a
rename over ``/dev/null`` would turn it into a file)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from dualstack._io import atomic_stream, write_atomic


def test_a_regular_file_is_replaced_only_when_the_block_completes(tmp_path: Path) -> None:
    path = tmp_path / "out.txt"
    assert write_atomic(path, "one\n")
    assert not write_atomic(path, "one\n")  # unchanged: left alone

    def interrupted() -> None:
        with atomic_stream(path) as handle:
            handle.write(b"half")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        interrupted()
    assert path.read_text() == "one\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]  # no temp file left


def _drain(fifo: Path, got: list[bytes]) -> threading.Thread:
    def read() -> None:
        with fifo.open("rb") as handle:
            got.append(handle.read())

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread


def test_a_fifo_is_written_in_place(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = _drain(fifo, got)
    with atomic_stream(fifo) as handle:
        handle.write(b"through the pipe\n")
    reader.join(timeout=10)
    assert got == [b"through the pipe\n"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def test_bulk_output_to_a_fifo_stays_a_fifo(tmp_path: Path) -> None:
    """``-o`` names a device or FIFO (``-o /dev/null`` is the common case): the command
    writes into it and leaves it what it was."""
    source = tmp_path / "in.txt"
    source.write_text("2001:db8::1\n10.0.0.1\n")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = _drain(fifo, got)
    cmd = [sys.executable, "-m", "dualstack", "bulk", "annotate", "--fields", "address"]
    done = subprocess.run([*cmd, str(source), "-o", str(fifo)], timeout=120, check=False)
    reader.join(timeout=10)
    assert done.returncode == 0
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert got[0].count(b'"address"') == 2
