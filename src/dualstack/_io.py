"""Atomic file writes: no reader sees a half-written file; unchanged files stay untouched."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


def write_atomic(path: Path, data: str | bytes, mode: int = 0o644) -> bool:
    """Write ``data`` to ``path`` via a temp file and rename; return False when it was unchanged.

    The file gets ``mode`` (0o644 by default: a kit is for reading; secrets pass 0o600),
    not the 0o600 a temp file is created with.

    Leaving an identical file alone keeps its mtime, so ``make``-style tools and a second run of
    the kit see nothing to do.
    """
    raw = data.encode() if isinstance(data, str) else data
    try:
        if path.read_bytes() == raw:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_stream(path, mode) as handle:
        handle.write(raw)
    return True


@contextmanager
def atomic_stream(path: Path, mode: int = 0o644) -> Iterator[BinaryIO]:
    """A binary file to stream into; it appears at ``path`` only once the block completes
    (an error or an interrupt leaves any previous file as it was and no temp file behind).
    The folder must exist: a mistyped output path is an error, not a new directory tree.

    A path that is there and is not a regular file (``/dev/null``, a FIFO, a terminal) is
    written in place: renaming over it would replace the device with a file."""
    if _special(path):
        with path.open("wb") as handle:
            yield handle
        return
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _special(path: Path) -> bool:
    """Whether ``path`` (followed through links) is there and is neither a regular file nor a
    folder."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))
