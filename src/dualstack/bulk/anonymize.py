"""Anonymisation of whole columns, with :mod:`dualstack.addr.anonymize`'s policy and answers.

The rules are the core's (see its docstring); here each is a masked array operation over the
``hi``/``lo`` halves, applied in the core's order so a later rule overrides an earlier one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, BinaryIO

import numpy as np
import numpy.typing as npt

from dualstack.addr.anonymize import DEFAULT, SOLICITED_NODE, Policy
from dualstack.addr.anonymize import anonymize as anonymize_one
from dualstack.addr.parse import parse_address
from dualstack.addr.text import compressed
from dualstack.bulk import render
from dualstack.bulk.assemble import lines, scatter
from dualstack.bulk.classify import Classes, classify
from dualstack.bulk.facts import IID_CLASSES, SUBTYPES
from dualstack.bulk.jit import compiled
from dualstack.bulk.parse import Parsed
from dualstack.bulk.pipeline import Batch
from dualstack.bulk.raw import BLOCK
from dualstack.bulk.rewriting import Converted, rewritten

if TYPE_CHECKING:
    from dualstack.addr.inspect import Options
    from dualstack.bulk.fast import Scan
    from dualstack.bulk.source import Chunk

U64 = npt.NDArray[np.uint64]
_U = np.uint64
_ALL = 0xFFFF_FFFF_FFFF_FFFF
_LOW32 = _U(0xFFFFFFFF)
_TEXT_BLOCK = 1 << 16
_SOLICITED_LO = (SOLICITED_NODE & _ALL) >> 24  # the low half of ff02::1:ff00:0/104, 24 bits on


def _top(bits: int, width: int) -> int:
    """A mask of the ``bits`` most significant of ``width`` bits."""
    return ((1 << bits) - 1) << (width - bits) if bits else 0


def _v4(values: U64, policy: Policy) -> U64:
    return values & _LOW32 & _U(_top(policy.ipv4_bits, 32))


def anonymize(parsed: Parsed, classes: Classes, policy: Policy = DEFAULT) -> tuple[U64, U64]:
    """The anonymised ``hi``/``lo`` columns (IPv4 in ``lo``); invalid rows stay zero."""
    hi, lo = parsed.hi, parsed.lo
    keep = _top(policy.ipv6_bits, 128)
    out_hi = hi & _U(keep >> 64)
    out_lo = lo & _U(keep & _ALL)
    v4 = parsed.version == 4
    v6 = parsed.version == 6
    out_lo[v4] = _v4(lo[v4], policy)
    multicast = v6 & ((hi >> _U(56)) == _U(0xFF))
    solicited = multicast & (hi == _U(SOLICITED_NODE >> 64)) & ((lo >> _U(24)) == _U(_SOLICITED_LO))
    low96 = v6 & (hi == 0) & (((lo >> _U(32)) == 0) | ((lo >> _U(32)) == _U(0xFFFF)))
    unspecified_or_loopback = low96 & (lo <= _U(1))
    teredo = v6 & ((hi >> _U(32)) == _U(0x20010000))
    nat64 = v6 & (hi == _U(0x0064FF9B_00000000)) & ((lo >> _U(32)) == 0)
    rest = v6 & ~(multicast | low96 | teredo | nat64)

    sixtofour = rest & ((hi >> _U(48)) == _U(0x2002))
    if sixtofour.any() and policy.method == "zero":  # both masks apply, the shorter wins
        cut = _U((0xFFFFFFFF & ~_top(policy.ipv4_bits, 32)) << 16)
        out_hi[sixtofour] &= ~cut
    elif sixtofour.any():
        prefix = _top(min(policy.ipv6_bits, 48), 128) >> 64
        site = _v4(hi[sixtofour] >> _U(16), policy)
        kept = hi[sixtofour] & _U(prefix) & ~(_LOW32 << _U(16))
        out_hi[sixtofour] = kept | (site << _U(16))

    iid = lo
    kind, sub = classes.iid, classes.subtype
    new_iid = np.zeros_like(lo)
    ieee = kind == IID_CLASSES.index("ieee-derived")
    new_iid[ieee] = iid[ieee] & _U(0xFFFFFFFF_FF000000)
    dotted64 = sub == SUBTYPES.index("embedded-ipv4-64")
    holds_v4 = (kind == IID_CLASSES.index("isatap")) | (kind == IID_CLASSES.index("embedded-ipv4"))
    holds_v4 &= ~dotted64
    new_iid[holds_v4] = (iid[holds_v4] >> _U(32) << _U(32)) | _v4(iid[holds_v4], policy)
    new_iid[dotted64] = iid[dotted64] & _U(_top(16 * (policy.ipv4_bits // 8), 64))
    out_lo[rest] = new_iid[rest]

    out_hi[multicast], out_lo[multicast] = hi[multicast], lo[multicast]
    out_lo[solicited] = _U(_SOLICITED_LO << 24)
    out_hi[low96] = hi[low96]
    out_lo[low96] = (lo[low96] >> _U(32) << _U(32)) | _v4(lo[low96], policy)
    out_lo[unspecified_or_loopback] = lo[unspecified_or_loopback]
    out_hi[nat64] = hi[nat64]
    out_lo[nat64] = (lo[nat64] >> _U(32) << _U(32)) | _v4(lo[nat64], policy)
    if teredo.any():  # server and flags kept; client cut to the policy, port zero (all ones)
        client = _v4(~lo[teredo], policy)
        out_hi[teredo] = hi[teredo]
        flags = lo[teredo] >> _U(48) << _U(48)
        out_lo[teredo] = flags | (_U(0xFFFF) << _U(32)) | (~client & _LOW32)
    return out_hi, out_lo


def texts(hi: U64, lo: U64, version: npt.NDArray[np.uint8]) -> list[str]:
    """RFC 5952 / dotted-quad text of each row (empty for rows of version 0): written by the
    compiled writer when numba is there, else built from numpy columns a block at a time."""
    kernel = compiled("write_texts")
    if kernel is not None:
        return texts_compiled(hi, lo, version, kernel)
    return texts_columns(hi, lo, version)


def texts_compiled(
    hi: U64, lo: U64, version: npt.NDArray[np.uint8], kernel: Callable[..., int]
) -> list[str]:
    """:func:`texts` by the compiled ``kernels.write_texts``."""
    out = np.empty(len(hi) * 46 + 1, dtype=np.uint8)
    row_at = np.zeros(len(hi) + 1, dtype=np.int64)
    total = kernel(version, hi, lo, out, row_at)
    blob = out[:total].tobytes().decode("ascii")
    if (version != 0).all():
        return blob.split("\n")[:-1]
    lines_ = iter(blob.split("\n"))
    return [next(lines_) if v else "" for v in version.tolist()]


def texts_columns(hi: U64, lo: U64, version: npt.NDArray[np.uint8]) -> list[str]:
    """:func:`texts` from numpy columns (the reference the compiled writer is held to)."""
    out: list[str] = []
    for start in range(0, len(hi), _TEXT_BLOCK):
        block = slice(start, start + _TEXT_BLOCK)
        h, low, v = hi[block], lo[block], version[block]
        four, six = np.flatnonzero(v == 4), np.flatnonzero(v == 6)
        column = scatter(
            len(h),
            [
                (four, render.dotted((low[four] & _LOW32).astype(np.uint32))),
                (six, render.compressed6(h[six], low[six])),
            ],
        )
        out += lines(column)
    return out


def rewrite(batch: Batch, policy: Policy = DEFAULT) -> str:
    """The batch's text with every address anonymised in place and every other byte kept.
    A candidate that is not an address stays as it was; one only the core reads (with a zone,
    prefix or port) is replaced by its anonymised address."""
    parsed = batch.parsed
    hi, lo = anonymize(parsed, batch.classes, policy)
    out = texts(hi, lo, parsed.version)
    candidates = batch.chunk.candidates
    for row in parsed.errors:
        out[row] = candidates[row]
    for row in parsed.by_core:
        text = candidates[row]
        new = compressed(anonymize_one(parse_address(text).address, policy))
        core = text.strip()
        start = text.index(core)
        out[row] = text[:start] + new + text[start + len(core) :]  # blanks around it stay
    return batch.chunk.rebuild(out)


def anonymized(
    stream: BinaryIO,
    extract: str,
    options: Options,
    *,
    size: int = BLOCK,
    shown: int = 10,
    csv_column: str | None = None,
) -> Iterator[Converted]:
    """``stream`` (mode ``extract``, or the CSV column named) with every address anonymised
    under ``options.anonymize``, through the compiled kernels (:mod:`.rewriting`: bytes in,
    bytes out); the same bytes as :func:`rewrite` on each batch. The scanner must be
    there."""
    nat64, sixrd, policy = options.nat64_prefixes, options.sixrd, options.anonymize

    def values(scan: Scan) -> None:
        hi = np.frombuffer(scan.hi, dtype=np.uint64)
        lo = np.frombuffer(scan.lo, dtype=np.uint64)
        parsed = Parsed(hi, lo, np.frombuffer(scan.version, dtype=np.uint8), {}, ())
        hi[:], lo[:] = anonymize(parsed, classify(parsed, nat64, sixrd), policy)

    def whole(chunk: Chunk, parsed: Parsed) -> str:
        return rewrite(Batch(chunk, parsed, classify(parsed, nat64, sixrd), 0), policy)

    return rewritten(
        stream, extract, "compressed", whole, values, size=size, shown=shown, csv_column=csv_column
    )
