"""Every numba kernel of the bulk engine, in the one module that imports numba.

Each has a numpy counterpart that gives the same bytes (tests compare them): the part placer
of :mod:`dualstack.bulk.assemble`, the RFC 5952 text writer behind ``anonymize`` and ``uniq``,
and the JSON-lines writer below. Callers reach them through :func:`dualstack.bulk.jit.compiled`.

The JSON-lines writer: one pass per row, straight into the output.

:func:`dualstack.bulk.annotate.jsonl_blocks` assembles rows from numpy text columns; that path
is the reference and works without numba. With numba installed, covered rows are written here
instead, every field formatted in the loop (RFC 5952, dotted quads, hex, PTR names, the 128-bit
decimal), with the category texts (types, scope, registry, vendor, ...) taken from a byte pool
built once per block. tests/test_bulk_annotate.py compares the two paths byte for byte.
"""

from __future__ import annotations

import numba
import numpy as np
import numpy.typing as npt

from dualstack.bulk.facts import IID_CLASSES, ROLES
from dualstack.bulk.fragments import (
    F_6TO4,
    F_ANON,
    F_CLIENT,
    F_CLOSE,
    F_COMPATIBLE,
    F_CONE,
    F_EMBEDDED,
    F_END,
    F_EXPLODED,
    F_HEX,
    F_I_CLOSE,
    F_I_IPV4,
    F_I_MAC,
    F_I_PORT,
    F_I_SUBTYPE,
    F_I_TYPE,
    F_I_VALUE,
    F_I_VENDOR,
    F_IID,
    F_INADDR,
    F_INPUT,
    F_INTEGER,
    F_IP6ARPA,
    F_ISATAP,
    F_KIND4,
    F_KIND6,
    F_MAPPED,
    F_MULTICAST,
    F_NAT64,
    F_NOCONE,
    F_NULL,
    F_PREFIX,
    F_REGISTRY,
    F_SCOPE,
    F_SERVER,
    F_T_CLIENT,
    F_T_CLOSE,
    F_T_PORT,
    F_T_SERVER,
    F_TEREDO,
    F_TYPES,
    F_URI,
    MAX_ROW,
)

U8 = npt.NDArray[np.uint8]
I64 = npt.NDArray[np.int64]

ROLE_BITS = {name: 1 << i for i, name in enumerate(ROLES)}
ROLE_MAPPED = ROLE_BITS["ipv4-mapped"]
ROLE_COMPATIBLE = ROLE_BITS["ipv4-compatible"]
ROLE_6TO4 = ROLE_BITS["6to4"]
ROLE_TEREDO = ROLE_BITS["teredo"]
ROLE_ISATAP = ROLE_BITS["isatap"]
IEEE = IID_CLASSES.index("ieee-derived")
ISATAP = IID_CLASSES.index("isatap")
EMBEDDED = IID_CLASSES.index("embedded-ipv4")
_HEXD = np.frombuffer(b"0123456789abcdef", dtype=np.uint8).copy()
_MAPPED = np.frombuffer(b"::ffff:", dtype=np.uint8).copy()
_jit = numba.njit(cache=True, nogil=True)
_inline = numba.njit(cache=True, nogil=True, inline="always")


@_inline
def frag(out, at, data, offsets, k):  # type: ignore[no-untyped-def]
    for i in range(offsets[k], offsets[k + 1]):
        out[at] = data[i]
        at += 1
    return at


@_inline
def decimal(out, at, value):  # type: ignore[no-untyped-def]
    ten = np.uint64(10)
    value = np.uint64(value)
    if value == np.uint64(0):
        out[at] = 48
        return at + 1
    n = 0
    probe = value
    while probe:
        probe //= ten
        n += 1
    for k in range(n - 1, -1, -1):
        out[at + k] = np.uint8(np.uint64(48) + value % ten)
        value //= ten
    return at + n


@_inline
def dotted(out, at, v4):  # type: ignore[no-untyped-def]
    v4 = np.uint64(v4)
    for k in range(4):
        at = decimal(out, at, (v4 >> np.uint64(24 - 8 * k)) & np.uint64(255))
        if k < 3:
            out[at] = 46
            at += 1
    return at


@_inline
def hexfixed(out, at, value, digits):  # type: ignore[no-untyped-def]
    value = np.uint64(value)
    for k in range(digits):
        shift = np.uint64(4 * (digits - 1 - k))
        out[at + k] = _HEXD[np.intp((value >> shift) & np.uint64(15))]
    return at + digits


@_inline
def group(hi, lo, i):  # type: ignore[no-untyped-def]
    word = hi if i < 4 else lo
    return (word >> np.uint64(48 - 16 * (i % 4))) & np.uint64(0xFFFF)


@_jit
def compressed(out, at, hi, lo):  # type: ignore[no-untyped-def]
    if hi == np.uint64(0) and (lo >> np.uint64(32)) == np.uint64(0xFFFF):
        for k in range(7):
            out[at + k] = _MAPPED[k]
        return dotted(out, at + 7, lo & np.uint64(0xFFFFFFFF))
    best, best_len, run = -1, 0, 0
    for i in range(8):
        if group(hi, lo, i) == np.uint64(0):
            run += 1
            if run > best_len:
                best_len, best = run, i - run + 1
        else:
            run = 0
    if best_len < 2:
        best = -1
    i = 0
    colon = False
    while i < 8:
        if i == best:
            out[at] = 58
            out[at + 1] = 58
            at += 2
            i += best_len
            colon = False
            continue
        if colon:
            out[at] = 58
            at += 1
        g = group(hi, lo, i)
        digits = 4 if g >= 0x1000 else 3 if g >= 0x100 else 2 if g >= 0x10 else 1
        at = hexfixed(out, at, g, digits)
        colon = True
        i += 1
    return at


@_jit
def text(out, at, version, hi, lo):  # type: ignore[no-untyped-def]
    if version == 4:
        return dotted(out, at, lo & np.uint64(0xFFFFFFFF))
    return compressed(out, at, hi, lo)


@_inline
def divide(l0, l1, l2, l3):  # type: ignore[no-untyped-def]
    """Four 32-bit limbs (most significant first) divided by 10**9: quotient limbs, remainder."""
    billion = np.uint64(1000000000)
    shift = np.uint64(32)
    q0 = l0 // billion
    rem = l0 - q0 * billion
    current = (rem << shift) | l1
    q1 = current // billion
    rem = current - q1 * billion
    current = (rem << shift) | l2
    q2 = current // billion
    rem = current - q2 * billion
    current = (rem << shift) | l3
    q3 = current // billion
    return q0, q1, q2, q3, current - q3 * billion


@_jit
def decimal128(out, at, hi, lo):  # type: ignore[no-untyped-def]
    """The 128-bit value in decimal: 45 digits written right to left, then the leading zeros
    squeezed out (no allocation per row)."""
    low32 = np.uint64(0xFFFFFFFF)
    l0, l1 = hi >> np.uint64(32), hi & low32
    l2, l3 = lo >> np.uint64(32), lo & low32
    ten = np.uint64(10)
    position = at + 44
    for _ in range(5):
        l0, l1, l2, l3, rem = divide(l0, l1, l2, l3)
        for _ in range(9):
            out[position] = np.uint8(np.uint64(48) + rem % ten)
            rem //= ten
            position -= 1
    start = at
    while start < at + 44 and out[start] == 48:
        start += 1
    count = at + 45 - start
    for k in range(count):
        out[at + k] = out[start + k]
    return at + count


@_inline
def embedded(out, at, data, offsets, k, v4, first):  # type: ignore[no-untyped-def]
    if not first:
        out[at] = 44
        at += 1
    at = frag(out, at, data, offsets, k)
    return dotted(out, at, v4)


@_inline
def nat64_v4(hi, lo, length):  # type: ignore[no-untyped-def]
    if length == 96:
        return lo & np.uint64(0xFFFFFFFF)
    shift = 88 - length
    low56 = lo & np.uint64((1 << 56) - 1)
    return ((hi << np.uint64(56 - shift)) | (low56 >> np.uint64(shift))) & np.uint64(0xFFFFFFFF)


@_jit
def write(  # type: ignore[no-untyped-def]
    rows,
    version,
    hi,
    lo,
    ahi,
    alo,
    inp,
    inp_at,
    inp_len,
    types,
    scope,
    reg,
    cls,
    sub,
    vendor,
    iid_v4,
    iid_port,
    roles,
    nat64,
    nat64_len,
    data,
    offsets,
    starts,
    out,
    row_at,
):
    at = 0
    for r in rows:
        row_at[r] = at
        v, h, low = version[r], hi[r], lo[r]
        at = frag(out, at, data, offsets, F_INPUT)
        for k in range(inp_at[r], inp_at[r] + inp_len[r]):
            out[at] = inp[k]
            at += 1
        at = frag(out, at, data, offsets, F_KIND4 if v == 4 else F_KIND6)
        at = text(out, at, v, h, low)
        at = frag(out, at, data, offsets, F_EXPLODED)
        if v == 4:
            at = dotted(out, at, low & np.uint64(0xFFFFFFFF))
        else:
            for g in range(8):
                if g:
                    out[at] = 58
                    at += 1
                at = hexfixed(out, at, group(h, low, g), 4)
        at = frag(out, at, data, offsets, F_TYPES)
        at = frag(out, at, data, offsets, starts[0] + types[r])
        at = frag(out, at, data, offsets, F_SCOPE)
        at = frag(out, at, data, offsets, starts[1] + scope[r])
        at = frag(out, at, data, offsets, F_REGISTRY)
        at = frag(out, at, data, offsets, starts[2] + reg[r])
        at = frag(out, at, data, offsets, F_EMBEDDED)
        role = roles[r]
        first = True
        low32 = low & np.uint64(0xFFFFFFFF)
        if v == 6:
            if role & ROLE_MAPPED:
                at = embedded(out, at, data, offsets, F_MAPPED, low32, first)
                at = frag(out, at, data, offsets, F_CLOSE)
                first = False
            if role & ROLE_COMPATIBLE:
                at = embedded(out, at, data, offsets, F_COMPATIBLE, low32, first)
                at = frag(out, at, data, offsets, F_CLOSE)
                first = False
            if role & ROLE_6TO4:
                site = (h >> np.uint64(16)) & np.uint64(0xFFFFFFFF)
                at = embedded(out, at, data, offsets, F_6TO4, site, first)
                at = frag(out, at, data, offsets, F_CLOSE)
                first = False
            if role & ROLE_TEREDO:
                server = h & np.uint64(0xFFFFFFFF)
                at = embedded(out, at, data, offsets, F_SERVER, server, first)
                at = frag(out, at, data, offsets, F_CLOSE)
                client = ~low & np.uint64(0xFFFFFFFF)
                at = embedded(out, at, data, offsets, F_CLIENT, client, False)
                at = frag(out, at, data, offsets, F_CLOSE)
                first = False
            for p in range(nat64_len.shape[0]):
                if nat64[r] & (1 << p):
                    value = nat64_v4(h, low, nat64_len[p])
                    at = embedded(out, at, data, offsets, F_NAT64, value, first)
                    at = frag(out, at, data, offsets, F_PREFIX)
                    at = frag(out, at, data, offsets, starts[6] + p)
                    at = frag(out, at, data, offsets, F_CLOSE)
                    first = False
            if role & ROLE_ISATAP:
                at = embedded(out, at, data, offsets, F_ISATAP, low32, first)
                at = frag(out, at, data, offsets, F_CLOSE)
        at = frag(out, at, data, offsets, F_TEREDO)
        if v == 6 and (h >> np.uint64(32)) == 0x20010000:
            at = frag(out, at, data, offsets, F_T_SERVER)
            at = dotted(out, at, h & np.uint64(0xFFFFFFFF))
            at = frag(out, at, data, offsets, F_T_CLIENT)
            at = dotted(out, at, ~low & np.uint64(0xFFFFFFFF))
            at = frag(out, at, data, offsets, F_T_PORT)
            at = decimal(out, at, ~(low >> np.uint64(32)) & np.uint64(0xFFFF))
            flags = low >> np.uint64(48)
            cone = flags & np.uint64(0x8000)
            at = frag(out, at, data, offsets, F_CONE if cone else F_NOCONE)
            at = hexfixed(out, at, flags, 4)
            at = frag(out, at, data, offsets, F_T_CLOSE)
        else:
            at = frag(out, at, data, offsets, F_NULL)
        at = frag(out, at, data, offsets, F_IID)
        kind = cls[r]
        if kind < 0:
            at = frag(out, at, data, offsets, F_NULL)
        else:
            at = frag(out, at, data, offsets, F_I_TYPE)
            at = frag(out, at, data, offsets, starts[3] + kind)
            at = frag(out, at, data, offsets, F_I_SUBTYPE)
            at = frag(out, at, data, offsets, starts[4] + (sub[r] if sub[r] >= 0 else 4))
            at = frag(out, at, data, offsets, F_I_VALUE)
            at = hexfixed(out, at, low, 16)
            at = frag(out, at, data, offsets, F_I_MAC)
            if kind == IEEE:  # the MAC back from the modified EUI-64
                out[at] = 34
                at += 1
                mac = ((low >> np.uint64(40)) << np.uint64(24)) | (low & np.uint64(0xFFFFFF))
                mac ^= np.uint64(0x02) << np.uint64(40)
                for octet in range(6):
                    if octet:
                        out[at] = 58
                        at += 1
                    at = hexfixed(out, at, mac >> np.uint64(40 - 8 * octet), 2)
                out[at] = 34
                at += 1
            else:
                at = frag(out, at, data, offsets, F_NULL)
            at = frag(out, at, data, offsets, F_I_VENDOR)
            at = frag(out, at, data, offsets, starts[5] + vendor[r])
            at = frag(out, at, data, offsets, F_I_IPV4)
            if kind == ISATAP or kind == EMBEDDED:  # noqa: SIM109 - numba compiles this form
                out[at] = 34
                at = dotted(out, at + 1, np.uint64(iid_v4[r]))
                out[at] = 34
                at += 1
            else:
                at = frag(out, at, data, offsets, F_NULL)
            at = frag(out, at, data, offsets, F_I_PORT)
            if iid_port[r] >= 0:
                at = decimal(out, at, np.uint64(iid_port[r]))
            else:
                at = frag(out, at, data, offsets, F_NULL)
            at = frag(out, at, data, offsets, F_I_CLOSE)
        at = frag(out, at, data, offsets, F_MULTICAST)
        if v == 4:
            for k in range(4):
                at = decimal(out, at, (low >> np.uint64(8 * k)) & np.uint64(255))
                out[at] = 46
                at += 1
            at = frag(out, at, data, offsets, F_INADDR)
        else:
            for k in range(32):
                word = low if k < 16 else h
                out[at] = _HEXD[(word >> np.uint64(4 * (k % 16))) & np.uint64(15)]
                out[at + 1] = 46
                at += 2
            at = frag(out, at, data, offsets, F_IP6ARPA)
        at = frag(out, at, data, offsets, F_URI)
        if v == 6:
            out[at] = 91
            at = compressed(out, at + 1, h, low)
            out[at] = 93
            at += 1
        else:
            at = dotted(out, at, low & np.uint64(0xFFFFFFFF))
        at = frag(out, at, data, offsets, F_INTEGER)
        at = decimal128(out, at, h, low)
        at = frag(out, at, data, offsets, F_HEX)
        if v == 4:
            at = hexfixed(out, at, low, 8)
        else:
            at = hexfixed(out, at, h, 16)
            at = hexfixed(out, at, low, 16)
        at = frag(out, at, data, offsets, F_ANON)
        at = text(out, at, v, ahi[r], alo[r])
        at = frag(out, at, data, offsets, F_END)
    return at


@_jit
def place(data, row, length, skip, out, cursor):  # type: ignore[no-untyped-def]
    """:func:`dualstack.bulk.assemble.place_numpy`, compiled."""
    for i in range(cursor.shape[0]):
        n = length[i]
        if n:
            r, begin, at = row[i], skip[i], cursor[i]
            for k in range(n):
                out[at + k] = data[r, begin + k]
            cursor[i] = at + n


@_jit
def write_texts(version, hi, lo, out, row_at):  # type: ignore[no-untyped-def]
    """Each row's RFC 5952 or dotted-quad text followed by a newline (nothing for version 0)."""
    at = 0
    for r in range(version.shape[0]):
        row_at[r] = at
        if version[r]:
            at = text(out, at, version[r], hi[r], lo[r])
            out[at] = 10
            at += 1
    row_at[version.shape[0]] = at
    return at


__all__ = ["MAX_ROW", "place", "write", "write_texts"]
