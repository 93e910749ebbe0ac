"""Bulk parsing of address text into 128-bit values held as two uint64 columns.

Lines are sorted by family (a colon or not) and each family goes through the C library's
``inet_pton`` in one C-level ``map`` (strict: no leading zeros in IPv4, at most one ``::``, no
zones), an order of magnitude faster than building stdlib ``ipaddress`` objects; a line it
refuses (zone, prefix, brackets, surrounding blanks, junk) goes
through the address core, so every line gets exactly the answer
:func:`dualstack.addr.parse.parse_address` gives it, and a bad line becomes an error entry,
never a stop.
"""

from __future__ import annotations

import socket
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from itertools import repeat

import numpy as np
import numpy.typing as npt

from dualstack.addr.parse import parse_address
from dualstack.errors import DualstackError

U64 = npt.NDArray[np.uint64]
_LOW64 = (1 << 64) - 1
_AF6, _AF4 = socket.AF_INET6, socket.AF_INET


@dataclass(frozen=True)
class Parsed:
    """Parsed lines: ``hi``/``lo`` hold the 128-bit value (IPv4 in ``lo``), ``version`` is
    4 or 6, and 0 where the line is not an address (its message is in ``errors``)."""

    hi: U64
    lo: U64
    version: npt.NDArray[np.uint8]
    errors: dict[int, str]
    by_core: tuple[int, ...] = ()  # rows inet_pton refused that the core read (zone, prefix...)

    def __len__(self) -> int:
        return len(self.hi)

    def rows(self, start: int, stop: int) -> Parsed:
        """Rows ``start:stop``, their error and core-read indexes renumbered."""
        return Parsed(
            self.hi[start:stop],
            self.lo[start:stop],
            self.version[start:stop],
            {i - start: m for i, m in self.errors.items() if start <= i < stop},
            tuple(i - start for i in self.by_core if start <= i < stop),
        )


def _pton(family: int, texts: list[str], size: int) -> tuple[bytes, list[int]]:
    """Every text through ``inet_pton`` in one C-level loop; the indexes it refused (their
    slots hold zeros) are returned for the slow path. A refusal costs one exception: ``map``
    resumes after the item that raised."""
    out: list[bytes] = []
    refused: list[int] = []
    results = map(partial(socket.inet_pton, family), texts)
    zero = bytes(size)
    while True:
        try:
            out.extend(results)
            break
        except (OSError, ValueError):  # ValueError: an embedded NUL
            refused.append(len(out))
            out.append(zero)
    return b"".join(out), refused


def parse_many(lines: Sequence[str]) -> Parsed:
    """Parse every line (an address with optional zone, prefix, brackets or port, as the core
    reads it); the columns hold the address, ``errors`` the lines that are not addresses."""
    rows = len(lines)
    hi = np.zeros(rows, dtype=np.uint64)
    lo = np.zeros(rows, dtype=np.uint64)
    version = np.zeros(rows, dtype=np.uint8)
    colon = np.fromiter(map(str.__contains__, lines, repeat(":")), dtype=np.bool_, count=rows)
    where6, where4 = np.flatnonzero(colon), np.flatnonzero(~colon)
    texts = np.array(lines, dtype=object) if rows else np.zeros(0, dtype=object)
    packed6, refused6 = _pton(_AF6, texts[where6].tolist(), 16)
    pairs = np.frombuffer(packed6, dtype=">u8").reshape(-1, 2)
    hi[where6], lo[where6] = pairs[:, 0], pairs[:, 1]
    version[where6] = 6
    packed4, refused4 = _pton(_AF4, texts[where4].tolist(), 4)
    lo[where4] = np.frombuffer(packed4, dtype=">u4")
    version[where4] = 4
    errors: dict[int, str] = {}
    by_core: list[int] = []
    for index in [*where6[refused6].tolist(), *where4[refused4].tolist()]:
        try:
            parsed = parse_address(lines[index])
        except DualstackError as exc:
            errors[index] = str(exc)
            hi[index] = lo[index] = version[index] = 0
            continue
        value = int(parsed.address)
        hi[index], lo[index] = value >> 64, value & _LOW64
        version[index] = parsed.address.version
        by_core.append(index)
    return Parsed(hi, lo, version, errors, tuple(by_core))
