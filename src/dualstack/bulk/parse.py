"""Bulk parsing of address text into 128-bit values held as two uint64 columns.

Each line goes first through the C library's ``inet_pton`` (strict: no leading zeros in IPv4,
at most one ``::``, no zones), which is an order of magnitude faster than building stdlib
``ipaddress`` objects; a line it refuses (zone, prefix, brackets, surrounding blanks, junk) goes
through the address core, so every line gets exactly the answer
:func:`dualstack.addr.parse.parse_address` gives it, and a bad line becomes an error entry,
never a stop.
"""

from __future__ import annotations

import socket
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from dualstack.addr.parse import parse_address
from dualstack.errors import DualstackError

U64 = npt.NDArray[np.uint64]
_V4_PAD = bytes(12)
_ZERO = bytes(16)
_AF6, _AF4 = socket.AF_INET6, socket.AF_INET


@dataclass(frozen=True)
class Parsed:
    """Parsed lines: ``hi``/``lo`` hold the 128-bit value (IPv4 in ``lo``), ``version`` is
    4 or 6, and 0 where the line is not an address (its message is in ``errors``)."""

    hi: U64
    lo: U64
    version: npt.NDArray[np.uint8]
    errors: dict[int, str]

    def __len__(self) -> int:
        return len(self.hi)


def parse_many(lines: Sequence[str]) -> Parsed:
    """Parse every line (an address with optional zone, prefix, brackets or port, as the core
    reads it); the columns hold the address, ``errors`` the lines that are not addresses."""
    chunks: list[bytes] = []
    versions = bytearray(len(lines))
    errors: dict[int, str] = {}
    # locals, not attribute look-ups: this loop is the hot path
    pton, append, af6, af4, pad = socket.inet_pton, chunks.append, _AF6, _AF4, _V4_PAD
    for i, line in enumerate(lines):
        try:
            if ":" in line:
                append(pton(af6, line))
                versions[i] = 6
            else:
                append(pad + pton(af4, line))
                versions[i] = 4
            continue
        except (OSError, ValueError):  # refused by inet_pton (ValueError: an embedded NUL)
            pass
        try:
            parsed = parse_address(line)
        except DualstackError as exc:
            errors[i] = str(exc)
            chunks.append(_ZERO)
            continue
        address = parsed.address
        chunks.append(address.packed if address.version == 6 else _V4_PAD + address.packed)
        versions[i] = address.version
    pairs = np.frombuffer(b"".join(chunks), dtype=">u8").reshape(-1, 2).astype(np.uint64)
    version = np.frombuffer(bytes(versions), dtype=np.uint8).copy()
    return Parsed(pairs[:, 0].copy(), pairs[:, 1].copy(), version, errors)
