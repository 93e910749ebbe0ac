"""One row per address with every field ``dualstack inspect --json`` gives, for whole batches.

The JSON row is assembled from text columns (:mod:`dualstack.bulk.assemble`); fields that depend
only on a category (types, scope, registry entry, IID class, vendor) are rendered once per
distinct value and picked by index. Rows the columns do not cover (multicast groups, inputs
with a zone, prefix or port, which only the core reads) are rendered by the core itself and
spliced in, so every row is exactly ``present.inspection(inspect(input))``: the tests hold the
two to that on large random sets.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from types import ModuleType
from typing import Any

import numpy as np
import numpy.typing as npt

from dualstack import present
from dualstack.addr.inspect import DEFAULT_OPTIONS, Options, inspect
from dualstack.addr.registry import registry
from dualstack.addr.vendor import Vendor, data_date
from dualstack.bulk import render
from dualstack.bulk.anonymize import anonymize
from dualstack.bulk.assemble import Text, constant, from_bytes, gather, only, scatter, table
from dualstack.bulk.facts import IID_CLASSES, ROLES, SCOPES, SUBTYPES, TOKENS
from dualstack.bulk.fragments import FRAGMENTS, I64, MAX_ROW, pool
from dualstack.bulk.jit import compiled
from dualstack.bulk.pipeline import Batch
from dualstack.bulk.vendors import block_keys, eui64_macs, vendor_of

_U = np.uint64
_LOW32 = _U(0xFFFFFFFF)
BLOCK_ROWS = 16384  # rows rendered at once: bounds the per-row intermediate columns
COMPILED_BLOCK_ROWS = 1 << 16  # the compiled writer keeps little per row
Index = npt.NDArray[np.intp]


def _dumps(value: Any) -> bytes:
    """Compact UTF-8 JSON; text holding undecodable input bytes is written as \\u escapes, so
    the line stays valid JSON."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    try:
        return text.encode()
    except UnicodeEncodeError:
        return json.dumps(value, separators=(",", ":")).encode()


@dataclass(frozen=True)
class Fields:
    """The text columns of a batch's rows (IPv4 and IPv6 merged), shared by every format."""

    rows: int
    covered: npt.NDArray[np.bool_]  # rows these columns describe
    v6: npt.NDArray[np.bool_]
    address: Text
    exploded: Text
    reverse: Text
    integer: Text
    hex: Text
    anonymized: Text
    types: Text  # JSON array
    scope: Text
    registry: Text  # JSON object or null
    embedded: list[tuple[npt.NDArray[np.bool_], bytes, Text, bytes]]  # present, head, ipv4, tail
    teredo: npt.NDArray[np.bool_]
    teredo_server: Text
    teredo_client: Text
    teredo_port: Text
    teredo_cone: Text
    teredo_flags: Text
    iid: npt.NDArray[np.bool_]
    iid_type: Text
    iid_subtype: Text  # JSON string or null
    iid_value: Text
    mac: Text  # JSON string or null
    vendor: Text  # JSON string or null, then the vendor_registry and vendor_date members
    vendor_names: list[Vendor | None]  # per distinct block (vendor_index picks one per row)
    vendor_index: Index
    iid_ipv4: Text  # JSON string or null
    iid_port: Text  # JSON number or null


Render = Callable[[Index], Text]


def _family(rows: int, where4: Index, where6: Index, four: Render, six: Render) -> Text:
    return scatter(rows, [(where4, four(where4)), (where6, six(where6))])


def _json_or_null(values: Sequence[Any]) -> list[bytes]:
    return [b"null" if v is None else _dumps(v) for v in values]


def _quoted(rows: npt.NDArray[np.bool_], text: Text) -> list[Text]:
    """On ``rows``: ``"text"`` where the text is not empty, else ``null``."""
    present_ = rows & (text.length > 0)
    quote = only(present_, constant(b'"', len(text)))
    null = only(rows & ~present_, constant(b"null", len(text)))
    return [null, quote, only(present_, text), quote]


def _nat64_ipv4(hi: npt.NDArray[np.uint64], lo: npt.NDArray[np.uint64], length: int) -> Any:
    if length == 96:
        return (lo & _LOW32).astype(np.uint32)
    shift = 88 - length
    low56 = lo & _U((1 << 56) - 1)
    return (((hi << _U(56 - shift)) | (low56 >> _U(shift))) & _LOW32).astype(np.uint32)


def fields(batch: Batch, options: Options = DEFAULT_OPTIONS) -> Fields:
    """Every column, computed per family on the rows the vectors cover."""
    parsed, c = batch.parsed, batch.classes
    hi, lo, rows = parsed.hi, parsed.lo, len(parsed)
    multicast = (parsed.version == 6) & ((hi >> _U(56)) == _U(0xFF))
    covered = (parsed.version != 0) & ~multicast
    covered[list(parsed.by_core)] = False
    v6 = covered & (parsed.version == 6)
    v4 = covered & (parsed.version == 4)
    w4, w6 = np.flatnonzero(v4), np.flatnonzero(v6)
    low4 = (lo & _LOW32).astype(np.uint32)

    def fam(four: Render, six: Render) -> Text:
        return _family(rows, w4, w6, four, six)

    ahi, alo = anonymize(parsed, c, options.anonymize)
    address = fam(lambda i: render.dotted(low4[i]), lambda i: render.compressed6(hi[i], lo[i]))
    codes, inverse = np.unique(c.types, return_inverse=True)
    names = [[t for n, t in enumerate(TOKENS) if int(b) >> n & 1] for b in codes]
    regs: list[bytes] = []
    for version in (4, 6):
        regs += [_dumps(present.registry_entry(e)) for e in registry(version).entries]
    offset6 = len(registry(4).entries)
    reg_index = np.where(c.registry < 0, len(regs), c.registry + np.where(v6, offset6, 0))

    embedded: list[tuple[npt.NDArray[np.bool_], bytes, Text, bytes]] = []

    def role(present_: npt.NDArray[np.bool_], name: str, ipv4: Any, prefix: str = "") -> None:
        index = np.flatnonzero(present_)
        text = scatter(rows, [(index, render.dotted(np.asarray(ipv4)[index]))])
        tail = b'"}' if not prefix else b'","prefix":"' + prefix.encode() + b'"}'
        embedded.append((present_, b'{"role":"' + name.encode() + b'","ipv4":"', text, tail))

    roles = c.roles

    def has(name: str) -> npt.NDArray[np.bool_]:
        return v6 & ((roles & np.uint8(1 << ROLES.index(name))) != 0)

    role(has("ipv4-mapped"), "ipv4-mapped", low4)
    role(has("ipv4-compatible"), "ipv4-compatible", low4)
    role(has("6to4"), "6to4", ((hi >> _U(16)) & _LOW32).astype(np.uint32))
    teredo = has("teredo")
    server, client = (hi & _LOW32).astype(np.uint32), (~lo & _LOW32).astype(np.uint32)
    role(teredo, "teredo-server", server)
    role(teredo, "teredo-client", client)
    for n, prefix in enumerate(options.nat64_prefixes):
        hit = v6 & ((c.nat64 & np.uint8(1 << n)) != 0)
        role(hit, "nat64", _nat64_ipv4(hi, lo, prefix.prefixlen), prefix.with_prefixlen)
    for n, domain in enumerate(options.sixrd):
        hit = v6 & ((c.sixrd & np.uint8(1 << n)) != 0)
        shift = 128 - domain.prefix.prefixlen - domain.suffix_bits - 64
        bits = (hi >> _U(shift)) & _U((1 << domain.suffix_bits) - 1)
        common = int(domain.ipv4_common) & ~((1 << domain.suffix_bits) - 1) & 0xFFFFFFFF
        role(hit, "6rd", (bits | _U(common)).astype(np.uint32), domain.prefix.with_prefixlen)
    role(has("isatap"), "isatap", low4)

    wt = np.flatnonzero(teredo)
    flags = (lo >> _U(48)).astype(np.int64)
    hexflags = Text(render.hex_digits(flags[wt].astype(np.uint64), 4), np.full(len(wt), 4))
    iid = v6 & (c.iid >= 0)
    wi = np.flatnonzero(iid)
    ieee = iid & (c.iid == IID_CLASSES.index("ieee-derived"))
    keys, oui_index = np.unique(_block_keys(lo, ieee), return_inverse=True)
    vendors = [None if k < 0 else vendor_of(k) for k in keys.tolist()]
    holds_v4 = iid & (
        (c.iid == IID_CLASSES.index("isatap")) | (c.iid == IID_CLASSES.index("embedded-ipv4"))
    )
    wv = np.flatnonzero(holds_v4)
    wp = np.flatnonzero(iid & (c.iid_port >= 0))
    return Fields(
        rows=rows,
        covered=covered,
        v6=v6,
        address=address,
        exploded=fam(lambda i: render.dotted(low4[i]), lambda i: render.exploded(hi[i], lo[i])),
        reverse=fam(lambda i: render.reverse4(low4[i]), lambda i: render.reverse6(hi[i], lo[i])),
        integer=fam(
            lambda i: render.decimal128(hi[i], lo[i]), lambda i: render.decimal128(hi[i], lo[i])
        ),
        hex=fam(lambda i: render.hex32(low4[i]), lambda i: render.hex128(hi[i], lo[i])),
        anonymized=fam(
            lambda i: render.dotted((alo[i] & _LOW32).astype(np.uint32)),
            lambda i: render.compressed6(ahi[i], alo[i]),
        ),
        types=table([_dumps(n) for n in names], inverse.reshape(-1)),
        scope=table([s.encode() for s in SCOPES], c.scope),
        registry=table([*regs, b"null"], reg_index),
        embedded=embedded,
        teredo=teredo,
        teredo_server=scatter(rows, [(wt, render.dotted(server[wt]))]),
        teredo_client=scatter(rows, [(wt, render.dotted(client[wt]))]),
        teredo_port=scatter(rows, [(wt, render.decimal_small(~(lo[wt] >> _U(32)) & _U(0xFFFF)))]),
        teredo_cone=table([b"false", b"true"], ((flags & 0x8000) != 0).astype(np.intp)),
        teredo_flags=scatter(rows, [(wt, hexflags)]),
        iid=iid,
        iid_type=table([n.encode() for n in IID_CLASSES] + [b""], c.iid.astype(np.intp)),
        iid_subtype=table(_json_or_null([*SUBTYPES, None]), c.subtype.astype(np.intp)),
        iid_value=scatter(rows, [(wi, Text(render.hex_digits(lo[wi], 16), np.full(len(wi), 16)))]),
        mac=scatter(rows, [(np.flatnonzero(ieee), render.mac_from_iid(lo[ieee]))]),
        vendor=table([_vendor_json(k) for k in keys.tolist()], oui_index.reshape(-1)),
        vendor_names=vendors,
        vendor_index=oui_index.reshape(-1),
        iid_ipv4=scatter(rows, [(wv, render.dotted(c.iid_ipv4[wv]))]),
        iid_port=scatter(rows, [(wp, render.decimal_small(c.iid_port[wp]))]),
    )


def _c(text: bytes, rows: int) -> Text:
    return constant(text, rows)


def jsonl_parts(f: Fields, inputs: Text) -> list[Text]:
    """The parts of each covered row's JSON line (uncovered rows get no bytes)."""
    n, v6 = f.rows, f.v6
    cov = f.covered
    parts: list[Text] = [
        _c(b'{"schema":"' + present.INSPECT_SCHEMA.encode() + b'","input":"', n),
        inputs,
        _c(b'","kind":"ipv', n),
        table([b"4", b"6"], v6.astype(np.intp)),
        _c(b'","address":"', n),
        f.address,
        _c(b'","exploded":"', n),
        f.exploded,
        _c(b'","prefixlen":null,"network":null,"zone":null,"port":null,"types":', n),
        f.types,
        _c(b',"scope":"', n),
        f.scope,
        _c(b'","registry":', n),
        f.registry,
        _c(b',"embedded_ipv4":[', n),
    ]
    seen = np.zeros(n, dtype=np.bool_)
    for present_, head, ipv4, tail in f.embedded:
        parts.append(only(present_ & seen, _c(b",", n)))
        parts += [only(present_, _c(head, n)), only(present_, ipv4), only(present_, _c(tail, n))]
        seen |= present_
    t, i = f.teredo, f.iid
    parts += [
        _c(b'],"teredo":', n),
        only(~t, _c(b"null", n)),
        only(t, _c(b'{"server":"', n)),
        f.teredo_server,
        only(t, _c(b'","client":"', n)),
        f.teredo_client,
        only(t, _c(b'","port":', n)),
        f.teredo_port,
        only(t, _c(b',"cone":', n)),
        only(t, f.teredo_cone),
        only(t, _c(b',"flags":"0x', n)),
        f.teredo_flags,
        only(t, _c(b'"}', n)),
        _c(b',"iid":', n),
        only(~i, _c(b"null", n)),
        only(i, _c(b'{"type":"', n)),
        only(i, f.iid_type),
        only(i, _c(b'","subtype":', n)),
        only(i, f.iid_subtype),
        only(i, _c(b',"value":"', n)),
        f.iid_value,
        only(i, _c(b'","mac":', n)),
        *_quoted(i, f.mac),
        only(i, _c(b',"vendor":', n)),
        only(i, f.vendor),
        only(i, _c(b',"ipv4":', n)),
        *_quoted(i, f.iid_ipv4),
        only(i, _c(b',"port":', n)),
        only(i & (f.iid_port.length == 0), _c(b"null", n)),
        f.iid_port,
        only(i, _c(b"}", n)),
        _c(b',"multicast":null,"reverse_pointer":"', n),
        f.reverse,
        _c(b'","uri":"', n),
        only(v6, _c(b"[", n)),
        f.address,
        only(v6, _c(b"]", n)),
        _c(b'","integer":"', n),
        f.integer,
        _c(b'","hex":"', n),
        f.hex,
        _c(b'","anonymized":"', n),
        f.anonymized,
        _c(b'"}\n', n),
    ]
    return [only(cov, p) for p in parts]


def _inputs(batch: Batch) -> Text:
    """The candidates as given; only rows inet_pton accepted are used (plain ASCII)."""
    texts = [t.encode("utf-8", "surrogateescape") for t in batch.chunk.candidates]
    return from_bytes(texts, width=max(1, min(64, max(map(len, texts), default=1))))


def jsonl(batch: Batch, options: Options = DEFAULT_OPTIONS) -> bytes:
    """The batch as JSON lines (see :func:`jsonl_blocks`)."""
    return b"".join([bytes(piece) for piece in jsonl_blocks(batch, options)])


def jsonl_blocks(batch: Batch, options: Options = DEFAULT_OPTIONS) -> Iterator[Piece]:
    """The batch as JSON lines, in pieces to write one after another: by the compiled writer
    when numba is there (the ``fast`` extra), else assembled from numpy columns; the bytes
    are the same. A piece may be a view of a reused buffer: write (or copy) it before asking
    for the next."""
    writer = jsonl_writer()
    if writer is None:
        yield from jsonl_columns(batch, options)
        return
    for block in batch.blocks(COMPILED_BLOCK_ROWS):
        yield from _jsonl_compiled(writer, block, options)


class Writer:
    """A compiled JSON-lines writer (``kernels.write``'s arguments and answer) and how much
    output it may need for a block."""

    def __init__(self, write: Callable[..., int], c: ModuleType | None = None) -> None:
        self.write, self.c = write, c

    def room(
        self, rows: int, longest: int, offsets: I64, starts: I64, nat64: int, widest: int
    ) -> int:
        if self.c is not None:
            room: int = self.c.room(rows, longest, offsets, starts, nat64)
            return room
        return rows * (longest + MAX_ROW + widest) + 1


@cache
def jsonl_writer() -> Writer | None:
    """The C writer (``_jsonl``, unless ``DUALSTACK_NO_EXT=1``), else numba's
    (``kernels.write``, unless ``DUALSTACK_NO_JIT=1``), else None: the numpy columns."""
    if not os.environ.get("DUALSTACK_NO_EXT"):
        try:
            from dualstack.bulk import _jsonl
        except ImportError:
            pass
        else:
            if len(FRAGMENTS) == _jsonl.N_FRAGMENTS:
                return Writer(_jsonl.write, _jsonl)
    write = compiled("write")
    return None if write is None else Writer(write)


def jsonl_columns(batch: Batch, options: Options = DEFAULT_OPTIONS) -> Iterator[Piece]:
    """The batch as JSON lines, one per candidate (list mode: errors too; other modes: only
    the candidates that are addresses)."""
    for block in batch.blocks(BLOCK_ROWS):
        f = fields(block, options)
        blob, offsets = gather(jsonl_parts(f, _inputs(block)))
        yield from _splice(blob, offsets, _core_rows(block, f, options))


def _core_rows(batch: Batch, f: Fields | _Coverage, options: Options) -> dict[int, bytes]:
    """JSON lines the core writes: uncovered addresses, and (list mode) the errors."""
    out: dict[int, bytes] = {}
    candidates = batch.chunk.candidates
    for row in np.flatnonzero(~f.covered).tolist():
        if row in batch.parsed.errors:
            if batch.chunk.strict:
                out[row] = _dumps(present.error(candidates[row], batch.parsed.errors[row])) + b"\n"
            continue
        out[row] = _core_line(candidates[row], options)
    return out


@lru_cache(maxsize=1 << 16)
def _core_line(text: str, options: Options) -> bytes:
    """One address's JSON line from the core; remembered, since the rows the columns leave to
    the core (multicast groups above all) repeat in real logs."""
    return _dumps(present.inspection(inspect(text, options))) + b"\n"


COLUMNS = (
    "input",
    "kind",
    "address",
    "exploded",
    "types",
    "scope",
    "registry",
    "embedded_ipv4",
    "teredo_server",
    "teredo_client",
    "teredo_port",
    "iid_type",
    "iid_subtype",
    "iid_value",
    "mac",
    "vendor",
    "iid_ipv4",
    "iid_port",
    "reverse_pointer",
    "uri",
    "integer",
    "hex",
    "anonymized",
    "error",
)


def flat(obj: dict[str, Any]) -> list[str]:
    """The CSV row of one ``inspect --json`` object (or error object): lists joined with
    spaces or semicolons, absent values empty."""
    if "error" in obj:
        return [obj["input"], *[""] * (len(COLUMNS) - 2), obj["error"]]
    teredo = obj.get("teredo") or {}
    iid = obj.get("iid") or {}
    registry_entry = obj.get("registry") or {}

    def s(value: Any) -> str:
        return "" if value is None else str(value)

    return [
        obj["input"],
        obj["kind"],
        s(obj.get("address")),
        s(obj.get("exploded")),
        " ".join(obj.get("types", [])),
        s(obj.get("scope")),
        s(registry_entry.get("name")),
        ";".join(f"{e['role']}={e['ipv4']}" for e in obj.get("embedded_ipv4", [])),
        s(teredo.get("server")),
        s(teredo.get("client")),
        s(teredo.get("port")),
        s(iid.get("type")),
        s(iid.get("subtype")),
        s(iid.get("value")),
        s(iid.get("mac")),
        s(iid.get("vendor")),
        s(iid.get("ipv4")),
        s(iid.get("port")),
        s(obj.get("reverse_pointer")),
        s(obj.get("uri")),
        s(obj.get("integer")),
        s(obj.get("hex")),
        s(obj.get("anonymized")),
        "",
    ]


def csv_cell(value: str) -> bytes:
    """One CSV cell: formula-looking text defused, quoted when it holds , " or a newline."""
    from dualstack.emit.quoting import csv_cell as defuse

    cell = defuse(value)
    if any(c in cell for c in ',"\n\r'):
        cell = '"' + cell.replace('"', '""') + '"'
    return cell.encode("utf-8", "surrogateescape")


def csv_header() -> bytes:
    return b",".join(c.encode() for c in COLUMNS) + b"\n"


def csv_parts(batch: Batch, f: Fields) -> list[Text]:
    """The parts of each covered row's CSV line (the same cells :func:`flat` gives)."""
    c, n, v6 = batch.classes, f.rows, f.v6
    comma = _c(b",", n)
    codes, inverse = np.unique(c.types, return_inverse=True)
    types = [" ".join(t for k, t in enumerate(TOKENS) if int(b) >> k & 1).encode() for b in codes]
    names = [csv_cell(e.name) for v in (4, 6) for e in registry(v).entries] + [b""]
    offset6 = len(registry(4).entries)
    reg_index = np.where(c.registry < 0, len(names) - 1, c.registry + np.where(v6, offset6, 0))
    parts: list[Text] = [
        _inputs(batch),
        comma,
        table([b"ipv4", b"ipv6"], v6.astype(np.intp)),
        comma,
        f.address,
        comma,
        f.exploded,
        comma,
        table(types, inverse.reshape(-1)),
        comma,
        f.scope,
        comma,
        table(names, reg_index),
        comma,
    ]
    seen = np.zeros(n, dtype=np.bool_)
    for present_, head, ipv4, _ in f.embedded:
        role = head.split(b'"role":"')[1].split(b'"')[0]
        parts += [only(present_ & seen, _c(b";", n)), only(present_, _c(role + b"=", n))]
        parts.append(only(present_, ipv4))
        seen |= present_
    i = f.iid
    vendor_cells = [b"" if v is None else csv_cell(v.name) for v in f.vendor_names]
    parts += [
        comma,
        f.teredo_server,
        comma,
        f.teredo_client,
        comma,
        f.teredo_port,
        comma,
        only(i, f.iid_type),
        comma,
        only(i & (c.subtype >= 0), table([s.encode() for s in SUBTYPES] + [b""], c.subtype)),
        comma,
        f.iid_value,
        comma,
        f.mac,
        comma,
        only(i, table(vendor_cells, f.vendor_index)),
        comma,
        f.iid_ipv4,
        comma,
        f.iid_port,
        comma,
        f.reverse,
        comma,
        only(v6, _c(b"[", n)),
        f.address,
        only(v6, _c(b"]", n)),
        comma,
        f.integer,
        comma,
        f.hex,
        comma,
        f.anonymized,
        _c(b",\n", n),
    ]
    return [only(f.covered, p) for p in parts]


def csv_lines(batch: Batch, options: Options = DEFAULT_OPTIONS) -> bytes:
    """The batch as CSV rows (see :func:`csv_blocks`)."""
    return b"".join(csv_blocks(batch, options))


def csv_blocks(batch: Batch, options: Options = DEFAULT_OPTIONS) -> Iterator[Piece]:
    """The batch as CSV rows (no header), one per candidate as :func:`jsonl` has them."""
    for block in batch.blocks(BLOCK_ROWS):
        f = fields(block, options)
        blob, offsets = gather(csv_parts(block, f))
        extra = {
            row: b",".join(csv_cell(cell) for cell in flat(json.loads(line))) + b"\n"
            for row, line in _core_rows(block, f, options).items()
        }
        yield from _splice(blob, offsets, extra)


Piece = bytes | memoryview


def _splice(
    blob: Piece, offsets: npt.NDArray[np.int64], extra: dict[int, bytes]
) -> Iterator[Piece]:
    """``blob`` with ``extra[row]`` inserted where each (empty) row would begin, as pieces to
    write one after another (no copy of the block is made)."""
    view, last = memoryview(blob), 0
    for row in sorted(extra):
        at = int(offsets[row])
        yield view[last:at]
        yield extra[row]
        last = at
    yield view[last:]


def records(batch: Batch, options: Options = DEFAULT_OPTIONS) -> dict[str, list[str]]:
    """The batch's CSV cells by column (for Arrow/Parquet and data frames)."""
    import csv
    import io

    text = csv_lines(batch, options).decode("utf-8", "surrogateescape")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return {name: [r[k] for r in rows] for k, name in enumerate(COLUMNS)}


def _jsonl_compiled(writer: Writer, batch: Batch, options: Options) -> Iterator[Piece]:

    parsed, c = batch.parsed, batch.classes
    hi, lo, rows = parsed.hi, parsed.lo, len(parsed)
    multicast = (parsed.version == 6) & ((hi >> _U(56)) == _U(0xFF))
    covered = (parsed.version != 0) & ~multicast & (c.sixrd == 0)
    covered[list(parsed.by_core)] = False
    v6 = parsed.version == 6
    ahi, alo = anonymize(parsed, c, options.anonymize)
    codes, types_index = np.unique(c.types, return_inverse=True)
    type_json = [_dumps([t for n, t in enumerate(TOKENS) if int(b) >> n & 1]) for b in codes]
    regs = _registry_json()
    offset6 = len(registry(4).entries)
    reg_index = np.where(c.registry < 0, len(regs) - 1, c.registry + np.where(v6, offset6, 0))
    ieee = (c.iid == IID_CLASSES.index("ieee-derived")) & covered
    keys, vendor_index = np.unique(_block_keys(lo, ieee), return_inverse=True)
    vendors = [_vendor_json(k) for k in keys.tolist()]
    data, offsets, starts = pool(
        [
            type_json,
            [s.encode() for s in SCOPES],
            regs,
            [n.encode() for n in IID_CLASSES],
            _json_or_null([*SUBTYPES, None]),
            vendors,
            [p.with_prefixlen.encode() for p in options.nat64_prefixes],
        ]
    )
    inputs, input_at, input_len = _input_spans(batch.chunk.candidates)
    widest = max(map(len, type_json)) + max(map(len, regs)) + max(map(len, vendors))
    longest = int(input_len.max(initial=0))
    room = writer.room(rows, longest, offsets, starts, len(options.nat64_prefixes), widest)
    out = _BUFFER.get(room)
    row_at = np.zeros(rows + 1, dtype=np.int64)
    nat64_len = np.array([p.prefixlen for p in options.nat64_prefixes], dtype=np.int64)
    total = writer.write(
        np.flatnonzero(covered).astype(np.int64),
        parsed.version, hi, lo, ahi, alo,
        inputs, input_at, input_len,
        types_index.reshape(-1).astype(np.int64), c.scope.astype(np.int64),
        reg_index.astype(np.int64), c.iid, c.subtype, vendor_index.reshape(-1).astype(np.int64),
        c.iid_ipv4, c.iid_port, c.roles, c.nat64, nat64_len,
        data, offsets, starts, out, row_at,
    )  # fmt: skip
    row_at[rows] = total
    # rows the writer skipped start where the next written row does
    written = np.zeros(rows + 1, dtype=np.bool_)
    written[np.flatnonzero(covered)] = True
    written[rows] = True
    following = np.flatnonzero(written)
    row_at[:rows] = row_at[following[np.searchsorted(following, np.arange(rows))]]
    extra = _core_rows(batch, _Coverage(covered), options)
    return _splice(out[:total].data, row_at, extra)


def _input_spans(
    candidates: Sequence[str],
) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """All candidates as one byte array, and where each starts and how long it is: one join
    and one encode for the block instead of one per row (none for a scanned block's)."""
    from dualstack.bulk.scanned import Spans

    if isinstance(candidates, Spans):
        return candidates.arrays()
    joined = np.frombuffer("\n".join(candidates).encode("utf-8", "surrogateescape"), np.uint8)
    breaks = np.flatnonzero(joined == 10)
    if len(breaks) != max(0, len(candidates) - 1):  # a candidate holds a newline (CSV cell)
        pieces = [c.encode("utf-8", "surrogateescape") for c in candidates]
        lengths = np.array([len(p) for p in pieces], dtype=np.int64)
        starts = np.zeros(len(pieces), dtype=np.int64)
        np.cumsum(lengths[:-1], out=starts[1:])
        return np.frombuffer(b"".join(pieces), np.uint8), starts, lengths
    starts = np.concatenate(([0], breaks + 1)).astype(np.int64)
    ends = np.concatenate((breaks, [len(joined)])).astype(np.int64)
    return joined, starts[: len(candidates)], (ends - starts)[: len(candidates)]


@cache
def _registry_json() -> list[bytes]:
    """Every registry entry's JSON (IPv4 entries, then IPv6), then ``null``."""
    return [_dumps(present.registry_entry(e)) for v in (4, 6) for e in registry(v).entries] + [
        b"null"
    ]


def _block_keys(lo: npt.NDArray[np.uint64], ieee: npt.NDArray[np.bool_]) -> npt.NDArray[np.int64]:
    """Per row, the vendor block key of its EUI-64 IID's MAC, or -1 where there is none."""
    keys = np.full(len(lo), -1, dtype=np.int64)
    keys[ieee] = block_keys(eui64_macs(lo[ieee])).astype(np.int64)
    return keys


def _vendor_members(found: Vendor | None, looked_up: bool) -> bytes:
    """The JSON after ``"vendor":`` up to ``"ipv4"``: name, registry and data date (null when
    the IID holds no MAC to look up), in the order :func:`dualstack.present.inspection` writes
    them."""
    name, registry_ = (found.name, found.registry) if found is not None else (None, None)
    return b"".join(
        (
            _json_or_null([name])[0],
            b',"vendor_registry":',
            _json_or_null([registry_])[0],
            b',"vendor_date":',
            _json_or_null([data_date() if looked_up else None])[0],
        )
    )


@lru_cache(maxsize=1 << 12)
def _vendor_json(key: int) -> bytes:
    return _vendor_members(None if key < 0 else vendor_of(key), key >= 0)


class _Buffer(threading.local):
    """One output buffer per thread, reused block after block: fresh memory for every block
    would cost a page fault per 4 KiB written. Hence the rule of :func:`jsonl_blocks`: a
    piece is valid until the next one is asked for."""

    def __init__(self) -> None:
        self.data = np.empty(0, dtype=np.uint8)

    def get(self, size: int) -> npt.NDArray[np.uint8]:
        if len(self.data) < size:
            self.data = np.empty(size, dtype=np.uint8)
        return self.data


_BUFFER = _Buffer()


@dataclass(frozen=True)
class _Coverage:
    """What :func:`_core_rows` needs to know of a block: which rows were written."""

    covered: npt.NDArray[np.bool_]
