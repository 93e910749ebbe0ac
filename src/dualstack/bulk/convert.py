"""Rewrite every address of a stream in another text form: ``dualstack bulk convert``.

Forms: ``compressed`` (RFC 5952, the text :func:`dualstack.addr.text.compressed` writes; IPv4
as a dotted quad), ``exploded`` (eight groups of four hex digits; IPv4 as a dotted quad) and
``reverse`` (the ip6.arpa or in-addr.arpa PTR owner name).

What is rewritten: each candidate the extraction mode finds (see :mod:`.source`) that is an
address; every other byte is kept, as ``bulk anonymize`` keeps it. A candidate the core reads
only with its zone, prefix, brackets or port is replaced by the address alone. In ``list`` mode
a line that is not an address is an error (reported with its line number; the command exits 1)
and is written unchanged; in the other modes it is text that merely looked like an address.

Two paths give the same bytes. With the compiled kernel (:mod:`.fast`), each block of whole
lines is scanned and parsed in C, the few rows it does not decide are parsed by
:func:`~dualstack.bulk.parse.parse_many` (and the rare line whose non-ASCII text the kernel
leaves to :mod:`.source`), and the writer fills a reused buffer that goes to the output as it is: no
decoding, splitting or joining of strings. Without it (or with a CSV column, which the kernel
does not read), the chunk's candidates are parsed by ``parse_many`` and written by the numpy
renderers of :mod:`.render`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, BinaryIO

from dualstack.bulk.raw import BLOCK
from dualstack.bulk.rewriting import Converted, rewritten
from dualstack.bulk.source import Chunk, CsvColumn, chunks, extractor

if TYPE_CHECKING:  # numpy is imported only by the numpy path (start-up time)
    import numpy as np
    import numpy.typing as npt

    from dualstack.bulk.parse import Parsed

FORMS = ("compressed", "exploded", "reverse")
_TEXT_BLOCK = 1 << 16


def texts(
    hi: npt.NDArray[np.uint64],
    lo: npt.NDArray[np.uint64],
    version: npt.NDArray[np.uint8],
    form: str,
) -> list[str]:
    """Each row in ``form`` (empty for rows of version 0), from numpy columns."""
    import numpy as np

    from dualstack.bulk import render
    from dualstack.bulk.assemble import lines, scatter

    out: list[str] = []
    for start in range(0, len(hi), _TEXT_BLOCK):
        block = slice(start, start + _TEXT_BLOCK)
        h, low, v = hi[block], lo[block], version[block]
        four, six = np.flatnonzero(v == 4), np.flatnonzero(v == 6)
        v4 = (low[four] & np.uint64(0xFFFFFFFF)).astype(np.uint32)
        h6, l6 = h[six], low[six]
        if form == "reverse":
            t4, t6 = render.reverse4(v4), render.reverse6(h6, l6)
        elif form == "exploded":
            t4, t6 = render.dotted(v4), render.exploded(h6, l6)
        else:
            t4, t6 = render.dotted(v4), render.compressed6(h6, l6)
        out += lines(scatter(len(h), [(four, t4), (six, t6)]))
    return out


def convert_text(chunk: Chunk, form: str, parsed: Parsed | None = None) -> tuple[str, Parsed]:
    """The chunk's text with each address in ``form`` (the reference path), and its parse
    (``parsed``: the parse of its candidates, when already made)."""
    from dualstack.bulk.parse import parse_many

    if form not in FORMS:
        raise ValueError(f"form {form!r} is not one of {', '.join(FORMS)}")
    candidates = chunk.candidates
    if parsed is None:
        parsed = parse_many(candidates)
    out = texts(parsed.hi, parsed.lo, parsed.version, form)
    for row in parsed.errors:
        out[row] = candidates[row]
    for row in parsed.by_core:
        text = candidates[row]
        core = text.strip()
        start = text.index(core)
        out[row] = text[:start] + out[row] + text[start + len(core) :]  # blanks around it stay
    return chunk.rebuild(out), parsed


def _errors(chunk: Chunk, parsed: Parsed, shown: int) -> list[tuple[int, str, str]]:
    if not chunk.strict:
        return []
    picked = sorted(parsed.errors.items())[:shown]
    return [(chunk.line_of(i), chunk.candidates[i], message) for i, message in picked]


def convert(
    stream: BinaryIO,
    form: str,
    extract: str = "list",
    csv_column: str | None = None,
    *,
    fast: bool | None = None,
    size: int = BLOCK,
    shown: int = 10,
) -> Iterator[Converted]:
    """``stream`` with every address in ``form``, a block at a time (at most ``shown`` errors
    listed per block). ``fast``: None takes the compiled kernel when it is there; False the
    numpy path; True the kernel (an error without it)."""
    from dualstack.bulk import fast as kernel

    if form not in FORMS:
        raise ValueError(f"form {form!r} is not one of {', '.join(FORMS)}")
    extract_fn = extractor(extract, csv_column)
    usable = kernel.extension() is not None
    if fast and not usable:
        raise RuntimeError("the compiled scanner is not available for this input")
    if fast is None:
        fast = usable
    if not fast:
        for chunk in chunks(stream, extract_fn, size):
            text, parsed = convert_text(chunk, form)
            invalid = len(parsed.errors) if chunk.strict else 0
            pieces: list[bytes | memoryview] = [text.encode("utf-8", "surrogateescape")]
            yield Converted(pieces, len(parsed), invalid, _errors(chunk, parsed, shown))
        if isinstance(extract_fn, CsvColumn) and extract_fn.index is None:
            from dualstack.errors import InputError

            raise InputError(f"CSV input is empty: no header with a column {csv_column!r}")
        return
    yield from rewritten(
        stream,
        extract,
        form,
        lambda chunk, parsed: convert_text(chunk, form, parsed)[0],
        size=size,
        shown=shown,
        csv_column=csv_column,
    )
