"""Input as blocks of whole lines of bytes: what the compiled kernels read, and what
:mod:`.source` decodes for the Python path, so both cut the input at the same places.

Kept apart from :mod:`.source` (its regular expressions and the csv module) because the
compiled path needs only this, and importing those costs start-up time.
"""

from __future__ import annotations

TYPE_CHECKING = False  # importing typing costs start-up time; mypy still reads these blocks
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import BinaryIO

# 3 MiB: measured (make bench), 4 MiB blocks ran no faster and peaked at 88 MiB on 10M lines of
# bulk stats (68 at 1M) and 107 MiB in anonymize; 3 MiB peaks at 62 (59 at 1M) and 86.
BLOCK = 3 << 20
LONGEST_LINE = 4  # blocks a line may span before it is passed on in pieces


def csv_index(mode: str) -> int | None:
    """The column of a ``csv:K`` scan mode (None for the other modes)."""
    kind, _, column = mode.partition(":")
    return int(column) if kind == "csv" and column.isdigit() else None


def _separators() -> bytes:
    """A ``bytes.translate`` table mapping each byte no candidate can hold or lean on (not a
    word character, dot, colon or non-ASCII byte) to a blank, and every other byte to ``x``."""
    inside = set(b"0123456789abcdefABCDEF.:_" + bytes(range(ord("g"), ord("z") + 1)))
    inside |= set(range(ord("G"), ord("Z") + 1)) | set(range(0x80, 0x100))
    return bytes(b"x"[0] if byte in inside else b" "[0] for byte in range(256))


_SEPARATORS = _separators()


def _safe_cut(piece: bytes) -> int:
    """Where ``piece`` may be cut without changing which candidates are found: after its last
    separator (a blank, a comma, a bracket...) in its second half; 0 when there is none."""
    return piece.translate(_SEPARATORS).rfind(b" ", len(piece) // 2) + 1


def raw_blocks(stream: BinaryIO, size: int = BLOCK) -> Iterator[bytes]:
    """Whole lines, about ``size`` bytes at a time, as bytes (the compiled scanner reads these;
    :func:`dualstack.bulk.source.blocks` decodes them, so both paths cut the input at the same
    places). A line longer than a block is passed on in pieces of about a block, cut after a
    byte no address can hold or touch (a blank, a comma, a bracket), or after LONGEST_LINE
    blocks wherever it falls; so memory stays bounded, as for a block of lines, on a file
    without newlines."""
    pending: list[bytes] = []
    held = 0
    while True:
        data = stream.read(size)
        if not data:
            break
        cut = data.rfind(b"\n") + 1
        if cut:
            whole = data if cut == len(data) else memoryview(data)[:cut]
            yield data if whole is data and not held else b"".join([*pending, whole])
            pending, held = [data[cut:]], len(data) - cut
            continue
        pending.append(data)
        held += len(data)
        while held > size:
            piece = b"".join(pending)
            cut = _safe_cut(piece[:size]) or _safe_cut(piece)
            if not cut and held <= LONGEST_LINE * size:
                pending = [piece]
                break
            cut = cut or len(piece)
            yield piece[:cut]
            pending, held = [piece[cut:]], len(piece) - cut
    rest = b"".join(pending)
    if rest:
        yield rest
