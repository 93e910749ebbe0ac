"""Text forms of address columns, the same strings :mod:`dualstack.addr.text` writes for one.

IPv6 values arrive as two ``uint64`` columns (``hi``, ``lo``), IPv4 as one ``uint32`` column;
every function returns a :class:`~dualstack.bulk.assemble.Text` column.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import numpy.typing as npt

from dualstack.bulk.assemble import Text, concat, constant, from_bytes, scatter, take

U64 = npt.NDArray[np.uint64]
U32 = npt.NDArray[np.uint32]
_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
_DIGITS = np.frombuffer(b"0123456789", dtype=np.uint8)
_GROUP_SHIFTS = np.array([48, 32, 16, 0], dtype=np.uint64)
_MASK32 = np.uint64(0xFFFFFFFF)


@cache
def decimal_table(top: int = 65536) -> Text:
    """Every integer below ``top`` in decimal (octets, ports)."""
    return from_bytes([b"%d" % n for n in range(top)])


def _bytes(values: U64) -> npt.NDArray[np.uint8]:
    """Each uint64 as its 8 big-endian bytes."""
    return np.ascontiguousarray(values, dtype=">u8").view(np.uint8).reshape(-1, 8)


def _hex_bytes(octets: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    """Two lowercase hex digits per octet, as ASCII."""
    out = np.empty((octets.shape[0], octets.shape[1] * 2), dtype=np.uint8)
    out[:, 0::2] = _HEX[octets >> 4]
    out[:, 1::2] = _HEX[octets & 15]
    return out


def nibbles(hi: U64, lo: U64) -> npt.NDArray[np.uint8]:
    """The 32 hex digits of each value as ASCII bytes, most significant first."""
    return _hex_bytes(np.concatenate([_bytes(hi), _bytes(lo)], axis=1))


def hex_digits(values: U64, digits: int) -> npt.NDArray[np.uint8]:
    """The low ``digits`` hex digits of each value, zero-padded, as ASCII bytes."""
    return _hex_bytes(_bytes(values))[:, 16 - digits :]


def _fixed(data: npt.NDArray[np.uint8]) -> Text:
    data = np.ascontiguousarray(data)
    return Text(data, np.full(len(data), data.shape[1], dtype=np.int64))


def groups(hi: U64, lo: U64) -> npt.NDArray[np.int64]:
    """The eight 16-bit groups of each IPv6 value."""
    parts = [(column[:, None] >> _GROUP_SHIFTS) & np.uint64(0xFFFF) for column in (hi, lo)]
    return np.concatenate(parts, axis=1).astype(np.int64)


def octet_texts(v4: U32) -> list[Text]:
    """The four octets of each IPv4 value in decimal, most significant first."""
    octets = (v4.astype(np.uint32)[:, None] >> np.array([24, 16, 8, 0], np.uint32)) & 255
    return [_decimal3(octets[:, i]) for i in range(4)]


def _decimal3(values: npt.NDArray[np.integer]) -> Text:
    """Numbers below 1000 in decimal, as a right-aligned field."""
    digits = np.stack([values // 100, values // 10 % 10, values % 10], axis=1)
    skip = np.where(values >= 100, 0, np.where(values >= 10, 1, 2)).astype(np.int64)
    return Text(_DIGITS[digits], 3 - skip, skip)


def dotted(v4: U32) -> Text:
    """Dotted-quad text."""
    a, b, c, d = octet_texts(v4)
    dot = constant(b".", len(v4))
    return concat([a, dot, b, dot, c, dot, d])


def table_of(lookup: Text, index: npt.NDArray[np.integer]) -> Text:
    """Row ``i`` is ``lookup``'s row ``index[i]``."""
    return take(lookup, np.asarray(index, dtype=np.intp))


def reverse4(v4: U32) -> Text:
    """The in-addr.arpa PTR owner name."""
    a, b, c, d = octet_texts(v4)
    dot = constant(b".", len(v4))
    return concat([d, dot, c, dot, b, dot, a, constant(b".in-addr.arpa.", len(v4))])


def exploded(hi: U64, lo: U64) -> Text:
    """Eight groups of four hex digits."""
    digits = nibbles(hi, lo).reshape(-1, 8, 4)
    colons = np.full((len(hi), 8, 1), ord(":"), dtype=np.uint8)
    return _fixed(np.concatenate([digits, colons], axis=2).reshape(-1, 40)[:, :39])


def reverse6(hi: U64, lo: U64) -> Text:
    """The ip6.arpa PTR owner name: 32 nibbles, least significant first."""
    digits = nibbles(hi, lo)[:, ::-1]
    dots = np.full_like(digits, ord("."))
    body = np.stack([digits, dots], axis=2).reshape(len(hi), 64)
    suffix = np.broadcast_to(np.frombuffer(b"ip6.arpa.", np.uint8), (len(hi), 9))
    return _fixed(np.concatenate([body, suffix], axis=1))


def hex128(hi: U64, lo: U64) -> Text:
    """``0x`` and 32 hex digits."""
    prefix = np.broadcast_to(np.frombuffer(b"0x", np.uint8), (len(hi), 2))
    return _fixed(np.concatenate([prefix, nibbles(hi, lo)], axis=1))


def hex32(v4: U32) -> Text:
    """``0x`` and 8 hex digits."""
    prefix = np.broadcast_to(np.frombuffer(b"0x", np.uint8), (len(v4), 2))
    return _fixed(np.concatenate([prefix, hex_digits(v4.astype(np.uint64), 8)], axis=1))


def compressed6(hi: U64, lo: U64) -> Text:
    """RFC 5952 text: the leftmost longest run of two or more zero groups becomes ``::``;
    IPv4-mapped addresses in mixed notation."""
    g = groups(hi, lo)
    zero = g == 0
    run = np.zeros_like(g)
    for i in range(8):
        run[:, i] = (run[:, i - 1] + 1) * zero[:, i] if i else zero[:, 0]
    length = run.max(axis=1)
    end = run.argmax(axis=1) + 1  # exclusive; argmax takes the first, i.e. leftmost, longest
    start = end - length
    squeeze = length >= 2
    slot = np.arange(8)[None, :]
    inside = squeeze[:, None] & (slot >= start[:, None]) & (slot < end[:, None])
    sep = np.where(slot == 0, 0, 1).repeat(len(g), axis=0)
    sep = np.where(inside, 0, sep)
    opens = squeeze[:, None] & (slot == start[:, None])
    sep = np.where(opens, np.where(end[:, None] == 8, 2, 1), sep)
    seps = from_bytes([b"", b":", b"::"])
    hexdigits = nibbles(hi, lo)
    lead = (g < 0x10).astype(np.int64) + (g < 0x100) + (g < 0x1000)
    parts: list[Text] = []
    for i in range(8):
        parts.append(table_of(seps, sep[:, i]))
        length = np.where(inside[:, i], 0, 4 - lead[:, i])
        parts.append(Text(hexdigits[:, 4 * i : 4 * i + 4], length, lead[:, i]))
    plain = concat(parts)
    mapped = hi == 0
    mapped &= (lo >> np.uint64(32)) == np.uint64(0xFFFF)
    if not mapped.any():
        return plain
    inside4 = np.flatnonzero(mapped)
    tail = dotted((lo[inside4] & _MASK32).astype(np.uint32))
    rest = np.flatnonzero(~mapped)
    return scatter(
        len(hi),
        [
            (rest, take(plain, rest)),
            (inside4, concat([constant(b"::ffff:", len(inside4)), tail])),
        ],
    )


def decimal128(hi: U64, lo: U64) -> Text:
    """The value as a decimal integer (up to 39 digits)."""
    limbs = [hi >> np.uint64(32), hi & _MASK32, lo >> np.uint64(32), lo & _MASK32]
    billion = np.uint64(10**9)
    chunks = []  # base-10**9 digits, least significant first
    for _ in range(5):
        rem = np.zeros_like(hi)
        for i, limb in enumerate(limbs):
            current = (rem << np.uint64(32)) | limb
            limbs[i] = current // billion
            rem = current - limbs[i] * billion
        chunks.append(rem)
    powers = np.array([10**k for k in range(8, -1, -1)], dtype=np.uint64)
    digits = np.concatenate([(c[:, None] // powers) % np.uint64(10) for c in chunks[::-1]], axis=1)
    return _strip_zeros(_DIGITS[digits.astype(np.intp)])


def decimal_small(values: npt.NDArray[np.integer]) -> Text:
    """Decimal text of integers below 2**16."""
    return table_of(decimal_table(), values.astype(np.intp))


def _strip_zeros(digits: npt.NDArray[np.uint8]) -> Text:
    """Left-align a zero-padded digit matrix without its leading zeros (keeping one digit)."""
    width = digits.shape[1]
    nonzero = digits != ord("0")
    lead = np.where(nonzero.any(axis=1), nonzero.argmax(axis=1), width - 1)
    lead = lead.astype(np.int64)
    return Text(digits, width - lead, lead)


def mac_from_iid(iid: U64) -> Text:
    """``aa:bb:cc:dd:ee:ff`` recovered from a modified EUI-64 interface identifier."""
    mac = ((iid >> np.uint64(40)) << np.uint64(24)) | (iid & np.uint64(0xFFFFFF))
    mac ^= np.uint64(0x02) << np.uint64(40)
    digits = hex_digits(mac, 12).reshape(-1, 6, 2)
    colons = np.full((len(iid), 6, 1), ord(":"), dtype=np.uint8)
    return _fixed(np.concatenate([digits, colons], axis=2).reshape(-1, 18)[:, :17])
