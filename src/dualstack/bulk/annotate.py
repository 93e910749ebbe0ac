"""One row per address with every field ``dualstack inspect --json`` gives, for whole batches.

The JSON row is assembled from text columns (:mod:`dualstack.bulk.assemble`); fields that depend
only on a category (types, scope, registry entry, IID class, vendor) are rendered once per
distinct value and picked by index. Rows the columns do not cover (multicast groups, inputs
with a zone, prefix or port, which only the core reads) are rendered by the core itself and
spliced in, so every row is exactly ``present.inspection(inspect(input))``: the tests hold the
two to that on large random sets. The C writer (``_jsonl.c``) writes the same bytes in one pass
per row; with ``--fields`` (:mod:`.members`) both write, and compute, only the members asked.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator, Sequence
from functools import cache, cached_property, lru_cache
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
from dualstack.bulk.beside import Beside
from dualstack.bulk.facts import IID_CLASSES, ROLES, SCOPES, SUBTYPES, TOKENS
from dualstack.bulk.fragments import ALL_FIELDS, FIELDS, FRAGMENTS, pool
from dualstack.bulk.members import COLUMNS, project, wants
from dualstack.bulk.pipeline import Batch
from dualstack.bulk.vendors import block_keys, eui64_macs, vendor_of

_U = np.uint64
_LOW32 = _U(0xFFFFFFFF)
BLOCK_ROWS = 16384  # rows rendered at once: bounds the per-row intermediate columns
COMPILED_BLOCK_ROWS = 1 << 16  # the compiled writer keeps little per row
SPLIT_ROWS = 1 << 12  # blocks with at least this many rows are written by two threads
Index = npt.NDArray[np.intp]


def _dumps(value: Any) -> bytes:
    """Compact UTF-8 JSON; text holding undecodable input bytes is written as \\u escapes, so
    the line stays valid JSON."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    try:
        return text.encode()
    except UnicodeEncodeError:
        return json.dumps(value, separators=(",", ":")).encode()


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


Embedded = list[tuple[npt.NDArray[np.bool_], bytes, Text, bytes]]  # present, head, ipv4, tail


class Fields:
    """The text columns of a batch's rows (IPv4 and IPv6 merged), shared by every format, each
    computed the first time a renderer asks for it: a run writes only the members it was asked
    for (``--fields``), so it computes only those."""

    def __init__(self, batch: Batch, options: Options = DEFAULT_OPTIONS) -> None:
        parsed, c = batch.parsed, batch.classes
        self.batch, self.options, self.c = batch, options, c
        self.hi, self.lo, self.rows = parsed.hi, parsed.lo, len(parsed)
        multicast = (parsed.version == 6) & ((self.hi >> _U(56)) == _U(0xFF))
        covered = (parsed.version != 0) & ~multicast
        covered[list(parsed.by_core)] = False
        self.covered = covered  # rows these columns describe
        self.v6 = covered & (parsed.version == 6)
        self.v4 = covered & (parsed.version == 4)
        self.w4, self.w6 = np.flatnonzero(self.v4), np.flatnonzero(self.v6)
        self.low4 = (self.lo & _LOW32).astype(np.uint32)

    def _fam(self, four: Render, six: Render) -> Text:
        return _family(self.rows, self.w4, self.w6, four, six)

    @cached_property
    def address(self) -> Text:
        hi, lo, low4 = self.hi, self.lo, self.low4
        return self._fam(
            lambda i: render.dotted(low4[i]), lambda i: render.compressed6(hi[i], lo[i])
        )

    @cached_property
    def exploded(self) -> Text:
        hi, lo, low4 = self.hi, self.lo, self.low4
        return self._fam(lambda i: render.dotted(low4[i]), lambda i: render.exploded(hi[i], lo[i]))

    @cached_property
    def reverse(self) -> Text:
        hi, lo, low4 = self.hi, self.lo, self.low4
        return self._fam(
            lambda i: render.reverse4(low4[i]), lambda i: render.reverse6(hi[i], lo[i])
        )

    @cached_property
    def integer(self) -> Text:
        hi, lo = self.hi, self.lo

        def decimal(i: Index) -> Text:
            return render.decimal128(hi[i], lo[i])

        return self._fam(decimal, decimal)

    @cached_property
    def hex(self) -> Text:
        hi, lo, low4 = self.hi, self.lo, self.low4
        return self._fam(lambda i: render.hex32(low4[i]), lambda i: render.hex128(hi[i], lo[i]))

    @cached_property
    def anonymized(self) -> Text:
        ahi, alo = anonymize(self.batch.parsed, self.c, self.options.anonymize)
        return self._fam(
            lambda i: render.dotted((alo[i] & _LOW32).astype(np.uint32)),
            lambda i: render.compressed6(ahi[i], alo[i]),
        )

    @cached_property
    def _types(self) -> tuple[list[list[str]], Index]:
        codes, inverse = np.unique(self.c.types, return_inverse=True)
        names = [[t for n, t in enumerate(TOKENS) if int(b) >> n & 1] for b in codes]
        return names, inverse.reshape(-1)

    @cached_property
    def types(self) -> Text:  # JSON array
        names, inverse = self._types
        return table([_dumps(n) for n in names], inverse)

    @cached_property
    def scope(self) -> Text:
        return table([s.encode() for s in SCOPES], self.c.scope)

    def registry_index(self, entries: int) -> Index:
        """Per row, its registry entry among IPv4's then IPv6's, or ``entries`` for none."""
        offset6 = len(registry(4).entries)
        c = self.c
        return np.where(c.registry < 0, entries, c.registry + np.where(self.v6, offset6, 0))

    @cached_property
    def registry(self) -> Text:  # JSON object or null
        regs = _registry_json()
        return table(regs, self.registry_index(len(regs) - 1))

    def _role(self, name: str) -> npt.NDArray[np.bool_]:
        return self.v6 & ((self.c.roles & np.uint8(1 << ROLES.index(name))) != 0)

    @cached_property
    def teredo(self) -> npt.NDArray[np.bool_]:
        return self._role("teredo")

    @cached_property
    def _teredo_ends(self) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.uint32]]:
        hi, lo = self.hi, self.lo
        return (hi & _LOW32).astype(np.uint32), (~lo & _LOW32).astype(np.uint32)

    @cached_property
    def embedded(self) -> Embedded:
        rows, hi, lo, low4, c = self.rows, self.hi, self.lo, self.low4, self.c
        out: Embedded = []

        def role(present_: npt.NDArray[np.bool_], name: str, ipv4: Any, prefix: str = "") -> None:
            index = np.flatnonzero(present_)
            text = scatter(rows, [(index, render.dotted(np.asarray(ipv4)[index]))])
            tail = b'"}' if not prefix else b'","prefix":"' + prefix.encode() + b'"}'
            out.append((present_, b'{"role":"' + name.encode() + b'","ipv4":"', text, tail))

        role(self._role("ipv4-mapped"), "ipv4-mapped", low4)
        role(self._role("ipv4-compatible"), "ipv4-compatible", low4)
        role(self._role("6to4"), "6to4", ((hi >> _U(16)) & _LOW32).astype(np.uint32))
        server, client = self._teredo_ends
        role(self.teredo, "teredo-server", server)
        role(self.teredo, "teredo-client", client)
        for n, prefix in enumerate(self.options.nat64_prefixes):
            hit = self.v6 & ((c.nat64 & np.uint8(1 << n)) != 0)
            role(hit, "nat64", _nat64_ipv4(hi, lo, prefix.prefixlen), prefix.with_prefixlen)
        for n, domain in enumerate(self.options.sixrd):
            hit = self.v6 & ((c.sixrd & np.uint8(1 << n)) != 0)
            shift = 128 - domain.prefix.prefixlen - domain.suffix_bits - 64
            bits = (hi >> _U(shift)) & _U((1 << domain.suffix_bits) - 1)
            common = int(domain.ipv4_common) & ~((1 << domain.suffix_bits) - 1) & 0xFFFFFFFF
            role(hit, "6rd", (bits | _U(common)).astype(np.uint32), domain.prefix.with_prefixlen)
        role(self._role("isatap"), "isatap", low4)
        return out

    @cached_property
    def _teredo_where(self) -> Index:
        return np.flatnonzero(self.teredo)

    @cached_property
    def _teredo_flags(self) -> npt.NDArray[np.int64]:
        return (self.lo >> _U(48)).astype(np.int64)

    @cached_property
    def teredo_server(self) -> Text:
        wt = self._teredo_where
        return scatter(self.rows, [(wt, render.dotted(self._teredo_ends[0][wt]))])

    @cached_property
    def teredo_client(self) -> Text:
        wt = self._teredo_where
        return scatter(self.rows, [(wt, render.dotted(self._teredo_ends[1][wt]))])

    @cached_property
    def teredo_port(self) -> Text:
        wt = self._teredo_where
        port = render.decimal_small(~(self.lo[wt] >> _U(32)) & _U(0xFFFF))
        return scatter(self.rows, [(wt, port)])

    @cached_property
    def teredo_cone(self) -> Text:
        return table([b"false", b"true"], ((self._teredo_flags & 0x8000) != 0).astype(np.intp))

    @cached_property
    def teredo_flags(self) -> Text:
        wt = self._teredo_where
        flags = self._teredo_flags[wt].astype(np.uint64)
        return scatter(self.rows, [(wt, Text(render.hex_digits(flags, 4), np.full(len(wt), 4)))])

    @cached_property
    def iid(self) -> npt.NDArray[np.bool_]:
        return self.v6 & (self.c.iid >= 0)

    @cached_property
    def _ieee(self) -> npt.NDArray[np.bool_]:
        return self.iid & (self.c.iid == IID_CLASSES.index("ieee-derived"))

    @cached_property
    def iid_type(self) -> Text:
        return table([n.encode() for n in IID_CLASSES] + [b""], self.c.iid.astype(np.intp))

    @cached_property
    def iid_subtype(self) -> Text:  # JSON string or null
        return table(_json_or_null([*SUBTYPES, None]), self.c.subtype.astype(np.intp))

    @cached_property
    def iid_value(self) -> Text:
        wi = np.flatnonzero(self.iid)
        value = Text(render.hex_digits(self.lo[wi], 16), np.full(len(wi), 16))
        return scatter(self.rows, [(wi, value)])

    @cached_property
    def mac(self) -> Text:  # JSON string or null
        ieee = self._ieee
        return scatter(self.rows, [(np.flatnonzero(ieee), render.mac_from_iid(self.lo[ieee]))])

    @cached_property
    def _vendor_keys(self) -> tuple[list[int], Index]:
        keys, index = np.unique(_block_keys(self.lo, self._ieee), return_inverse=True)
        return keys.tolist(), index.reshape(-1)

    @cached_property
    def vendor(self) -> Text:  # JSON string or null, then vendor_registry and vendor_date
        keys, index = self._vendor_keys
        return table([_vendor_json(k) for k in keys], index)

    @cached_property
    def vendor_cells(self) -> Text:  # CSV cells: the vendor's name or nothing
        keys, index = self._vendor_keys
        names = [None if k < 0 else vendor_of(k) for k in keys]
        return table([b"" if v is None else csv_cell(v.name) for v in names], index)

    @cached_property
    def iid_ipv4(self) -> Text:  # JSON string or null
        c = self.c
        holds_v4 = self.iid & (
            (c.iid == IID_CLASSES.index("isatap")) | (c.iid == IID_CLASSES.index("embedded-ipv4"))
        )
        wv = np.flatnonzero(holds_v4)
        return scatter(self.rows, [(wv, render.dotted(c.iid_ipv4[wv]))])

    @cached_property
    def iid_port(self) -> Text:  # JSON number or null
        wp = np.flatnonzero(self.iid & (self.c.iid_port >= 0))
        return scatter(self.rows, [(wp, render.decimal_small(self.c.iid_port[wp]))])


def _c(text: bytes, rows: int) -> Text:
    return constant(text, rows)


def _json_members(f: Fields, inputs: Text) -> dict[str, Callable[[], list[Text]]]:
    """Each member's parts, as the C writer writes them (each starts with its comma)."""
    n, v6 = f.rows, f.v6

    def quoted(key: bytes, text: Text) -> Callable[[], list[Text]]:
        return lambda: [_c(b',"' + key + b'":"', n), text, _c(b'"', n)]

    def null(key: str) -> Callable[[], list[Text]]:
        return lambda: [_c(b',"' + key.encode() + b'":null', n)]

    def embedded() -> list[Text]:
        parts = [_c(b',"embedded_ipv4":[', n)]
        seen = np.zeros(n, dtype=np.bool_)
        for present_, head, ipv4, tail in f.embedded:
            parts.append(only(present_ & seen, _c(b",", n)))
            parts += [only(present_, _c(head, n)), only(present_, ipv4)]
            parts.append(only(present_, _c(tail, n)))
            seen |= present_
        return [*parts, _c(b"]", n)]

    def teredo() -> list[Text]:
        t = f.teredo
        return [
            _c(b',"teredo":', n),
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
        ]

    def iid() -> list[Text]:
        i = f.iid
        return [
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
        ]

    return {
        "input": quoted(b"input", inputs),
        "kind": lambda: [
            _c(b',"kind":"ipv', n),
            table([b"4", b"6"], v6.astype(np.intp)),
            _c(b'"', n),
        ],
        "address": lambda: quoted(b"address", f.address)(),
        "exploded": lambda: quoted(b"exploded", f.exploded)(),
        "prefixlen": null("prefixlen"),
        "network": null("network"),
        "zone": null("zone"),
        "port": null("port"),
        "types": lambda: [_c(b',"types":', n), f.types],
        "scope": lambda: quoted(b"scope", f.scope)(),
        "registry": lambda: [_c(b',"registry":', n), f.registry],
        "embedded_ipv4": embedded,
        "teredo": teredo,
        "iid": iid,
        "multicast": null("multicast"),
        "reverse_pointer": lambda: quoted(b"reverse_pointer", f.reverse)(),
        "uri": lambda: [
            _c(b',"uri":"', n),
            only(v6, _c(b"[", n)),
            f.address,
            only(v6, _c(b"]", n)),
            _c(b'"', n),
        ],
        "integer": lambda: quoted(b"integer", f.integer)(),
        "hex": lambda: quoted(b"hex", f.hex)(),
        "anonymized": lambda: quoted(b"anonymized", f.anonymized)(),
    }


def jsonl_parts(f: Fields, inputs: Text, mask: int = ALL_FIELDS) -> list[Text]:
    """The parts of each covered row's JSON line with the members ``mask`` keeps (uncovered
    rows get no bytes)."""
    members = _json_members(f, inputs)
    parts = [_c(b'{"schema":"' + present.INSPECT_SCHEMA.encode() + b'"', f.rows)]
    for name in FIELDS:
        if wants(mask | 1, name):  # bit 0: input, always written
            parts += members[name]()
    parts.append(_c(b"}\n", f.rows))
    return [only(f.covered, p) for p in parts]


def _inputs(batch: Batch) -> Text:
    """The candidates as given; only rows inet_pton accepted are used (plain ASCII)."""
    texts = [t.encode("utf-8", "surrogateescape") for t in batch.chunk.candidates]
    return from_bytes(texts, width=max(1, min(64, max(map(len, texts), default=1))))


def jsonl(batch: Batch, options: Options = DEFAULT_OPTIONS, mask: int = ALL_FIELDS) -> bytes:
    """The batch as JSON lines (see :func:`jsonl_blocks`)."""
    return b"".join([bytes(piece) for piece in jsonl_blocks(batch, options, mask)])


def jsonl_blocks(
    batch: Batch, options: Options = DEFAULT_OPTIONS, mask: int = ALL_FIELDS
) -> Iterator[Piece]:
    """The batch as JSON lines with the members ``mask`` keeps (:mod:`.members`), in pieces
    to write one after another: by the C writer when it is built, else assembled from numpy
    columns; the bytes are the same. A piece may be a view of a reused buffer: write (or copy)
    it before asking for the next."""
    writer = jsonl_writer()
    if writer is None:
        yield from jsonl_columns(batch, options, mask)
        return
    for block in batch.blocks(COMPILED_BLOCK_ROWS):
        yield from _jsonl_compiled(writer, block, options, mask)


@cache
def jsonl_writer() -> ModuleType | None:
    """The C writer ``_jsonl`` (None: not built, ``DUALSTACK_NO_EXT=1``, or stale)."""
    from dualstack.bulk.fast import native

    ext = native("_jsonl")
    if ext is None or (len(FRAGMENTS), len(FIELDS)) != (ext.N_FRAGMENTS, ext.N_FIELDS):
        return None
    return ext


def jsonl_columns(
    batch: Batch, options: Options = DEFAULT_OPTIONS, mask: int = ALL_FIELDS
) -> Iterator[Piece]:
    """The batch as JSON lines, one per candidate (list mode: errors too; other modes: only
    the candidates that are addresses)."""
    for block in batch.blocks(BLOCK_ROWS):
        f = Fields(block, options)
        blob, offsets = gather(jsonl_parts(f, _inputs(block), mask))
        yield from _splice(blob, offsets, _core_rows(block, f.covered, options, mask))


def _core_rows(
    batch: Batch, covered: npt.NDArray[np.bool_], options: Options, mask: int
) -> dict[int, bytes]:
    """JSON lines the core writes: uncovered addresses, and (list mode) the errors."""
    out: dict[int, bytes] = {}
    candidates = batch.chunk.candidates
    for row in np.flatnonzero(~covered).tolist():
        if row in batch.parsed.errors:
            if batch.chunk.strict:
                out[row] = _dumps(present.error(candidates[row], batch.parsed.errors[row])) + b"\n"
            continue
        out[row] = _core_line(candidates[row], options, mask)
    return out


@lru_cache(maxsize=1 << 16)
def _core_line(text: str, options: Options, mask: int) -> bytes:
    """One address's JSON line from the core; remembered, since the rows the columns leave to
    the core (multicast groups above all) repeat in real logs."""
    return _dumps(project(present.inspection(inspect(text, options)), mask)) + b"\n"


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


def csv_header(columns: Sequence[str] = COLUMNS) -> bytes:
    return b",".join(c.encode() for c in columns) + b"\n"


def _csv_cells(batch: Batch, f: Fields) -> dict[str, Callable[[], list[Text]]]:
    """Each column's parts for the covered rows (the cells :func:`flat` gives)."""
    c, n, v6 = batch.classes, f.rows, f.v6

    def types() -> list[Text]:
        codes, inverse = f._types
        return [table([" ".join(t).encode() for t in codes], inverse)]

    def registry_names() -> list[Text]:
        names = [csv_cell(e.name) for v in (4, 6) for e in registry(v).entries] + [b""]
        return [table(names, f.registry_index(len(names) - 1))]

    def embedded() -> list[Text]:
        parts: list[Text] = []
        seen = np.zeros(n, dtype=np.bool_)
        for present_, head, ipv4, _ in f.embedded:
            role = head.split(b'"role":"')[1].split(b'"')[0]
            parts += [only(present_ & seen, _c(b";", n)), only(present_, _c(role + b"=", n))]
            parts.append(only(present_, ipv4))
            seen |= present_
        return parts

    def subtype() -> list[Text]:
        names = table([s.encode() for s in SUBTYPES] + [b""], c.subtype)
        return [only(f.iid & (c.subtype >= 0), names)]

    return {
        "input": lambda: [_inputs(batch)],
        "kind": lambda: [table([b"ipv4", b"ipv6"], v6.astype(np.intp))],
        "address": lambda: [f.address],
        "exploded": lambda: [f.exploded],
        "types": types,
        "scope": lambda: [f.scope],
        "registry": registry_names,
        "embedded_ipv4": embedded,
        "teredo_server": lambda: [f.teredo_server],
        "teredo_client": lambda: [f.teredo_client],
        "teredo_port": lambda: [f.teredo_port],
        "iid_type": lambda: [only(f.iid, f.iid_type)],
        "iid_subtype": subtype,
        "iid_value": lambda: [f.iid_value],
        "mac": lambda: [f.mac],
        "vendor": lambda: [only(f.iid, f.vendor_cells)],
        "iid_ipv4": lambda: [f.iid_ipv4],
        "iid_port": lambda: [f.iid_port],
        "reverse_pointer": lambda: [f.reverse],
        "uri": lambda: [only(v6, _c(b"[", n)), f.address, only(v6, _c(b"]", n))],
        "integer": lambda: [f.integer],
        "hex": lambda: [f.hex],
        "anonymized": lambda: [f.anonymized],
        "error": list,
    }


def csv_parts(batch: Batch, f: Fields, columns: Sequence[str] = COLUMNS) -> list[Text]:
    """The parts of each covered row's CSV line, the ``columns`` of :data:`COLUMNS` asked."""
    cells = _csv_cells(batch, f)
    parts: list[Text] = []
    for k, name in enumerate(columns):
        if k:
            parts.append(_c(b",", f.rows))
        parts += cells[name]()
    parts.append(_c(b"\n", f.rows))
    return [only(f.covered, p) for p in parts]


def csv_lines(
    batch: Batch, options: Options = DEFAULT_OPTIONS, columns: Sequence[str] = COLUMNS
) -> bytes:
    """The batch as CSV rows (see :func:`csv_blocks`)."""
    return b"".join(csv_blocks(batch, options, columns))


def csv_blocks(
    batch: Batch, options: Options = DEFAULT_OPTIONS, columns: Sequence[str] = COLUMNS
) -> Iterator[Piece]:
    """The batch as CSV rows (no header) of ``columns``, one per candidate as :func:`jsonl`
    has them."""
    picked = [COLUMNS.index(name) for name in columns]
    for block in batch.blocks(BLOCK_ROWS):
        f = Fields(block, options)
        blob, offsets = gather(csv_parts(block, f, columns))
        extra = {
            row: _csv_row(json.loads(line), picked)
            for row, line in _core_rows(block, f.covered, options, ALL_FIELDS).items()
        }
        yield from _splice(blob, offsets, extra)


def _csv_row(obj: dict[str, Any], picked: list[int]) -> bytes:
    cells = flat(obj)
    return b",".join(csv_cell(cells[k]) for k in picked) + b"\n"


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


def records(
    batch: Batch, options: Options = DEFAULT_OPTIONS, columns: Sequence[str] = COLUMNS
) -> dict[str, list[str]]:
    """The batch's CSV cells by column (for Arrow/Parquet and data frames)."""
    import csv
    import io

    text = csv_lines(batch, options, columns).decode("utf-8", "surrogateescape")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return {name: [r[k] for r in rows] for k, name in enumerate(columns)}


def _jsonl_compiled(
    writer: ModuleType, batch: Batch, options: Options, mask: int
) -> Iterator[Piece]:
    """The C writer over one block: only the members ``mask`` keeps are computed (the others'
    columns are placeholders the writer does not read)."""
    parsed, c = batch.parsed, batch.classes
    hi, lo, rows = parsed.hi, parsed.lo, len(parsed)
    multicast = (parsed.version == 6) & ((hi >> _U(56)) == _U(0xFF))
    covered = (parsed.version != 0) & ~multicast & (c.sixrd == 0)
    covered[list(parsed.by_core)] = False
    v6 = parsed.version == 6
    zeros = np.zeros(rows, dtype=np.int64)
    ahi, alo = anonymize(parsed, c, options.anonymize) if wants(mask, "anonymized") else (hi, lo)
    type_json, types_index = [b"[]"], zeros
    if wants(mask, "types"):
        codes, inverse = np.unique(c.types, return_inverse=True)
        type_json = [_dumps([t for n, t in enumerate(TOKENS) if int(b) >> n & 1]) for b in codes]
        types_index = inverse.reshape(-1).astype(np.int64)
    regs, reg_index = [b"null"], zeros
    if wants(mask, "registry"):
        regs = _registry_json()
        offset6 = len(registry(4).entries)
        reg_index = np.where(c.registry < 0, len(regs) - 1, c.registry + np.where(v6, offset6, 0))
    vendors, vendor_index = [b"null"], zeros
    if wants(mask, "iid"):
        ieee = (c.iid == IID_CLASSES.index("ieee-derived")) & covered
        keys, inverse = np.unique(_block_keys(lo, ieee), return_inverse=True)
        vendors, vendor_index = [_vendor_json(k) for k in keys.tolist()], inverse.reshape(-1)
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
    longest = int(input_len.max(initial=0))
    row_at = np.zeros(rows + 1, dtype=np.int64)
    nat64_len = np.array([p.prefixlen for p in options.nat64_prefixes], dtype=np.int64)
    written = np.flatnonzero(covered).astype(np.int64)

    def write(part: npt.NDArray[np.int64], out: npt.NDArray[np.uint8]) -> int:
        """Rows ``part`` into ``out``; row_at gets their offsets in it."""
        total = writer.write(
            part,
            parsed.version, hi, lo, ahi, alo,
            inputs, input_at, input_len,
            types_index, c.scope.astype(np.int64),
            reg_index.astype(np.int64), c.iid, c.subtype, vendor_index.astype(np.int64),
            c.iid_ipv4, c.iid_port, c.roles, c.nat64, nat64_len,
            data, offsets, starts, out, row_at, mask,
        )  # fmt: skip
        return int(total)

    # two halves of the block's rows, each written by a core into a buffer of its own (the
    # writer releases the GIL); the halves are split at a row, so each is whole lines
    halves = [written] if len(written) < max(SPLIT_ROWS, 2) else np.array_split(written, 2)
    nat64 = len(options.nat64_prefixes)
    outs = [
        _BUFFER.get(writer.room(len(part), longest, offsets, starts, nat64), which)
        for which, part in enumerate(halves)
    ]
    later = [Beside(write, part, out) for part, out in zip(halves[1:], outs[1:], strict=True)]
    totals = [write(halves[0], outs[0]), *(job.result() for job in later)]
    extra = _core_rows(batch, covered, options, mask)
    bounds = [0, *(int(part[0]) for part in halves[1:]), rows]
    pieces: list[Piece] = []
    done = zip(outs, totals, strict=True)
    for (out, total), part, start, stop in zip(done, halves, bounds[:-1], bounds[1:], strict=True):
        pieces += _splice(
            out[:total].data,
            _row_starts(row_at, part, start, stop, total),
            {row - start: line for row, line in extra.items() if start <= row < stop},
        )
    return iter(pieces)


def _row_starts(
    row_at: npt.NDArray[np.int64],
    part: npt.NDArray[np.int64],
    start: int,
    stop: int,
    total: int,
) -> npt.NDArray[np.int64]:
    """Where each row of ``start:stop`` begins in its part's output (``total`` bytes): rows the
    writer skipped begin where the next written row does."""
    span = stop - start
    local = np.empty(span + 1, dtype=np.int64)
    written = np.zeros(span + 1, dtype=np.bool_)
    written[part - start] = True
    written[span] = True
    local[part - start] = row_at[part]
    local[span] = total
    following = np.flatnonzero(written)
    return local[following[np.searchsorted(following, np.arange(span + 1))]]


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
        self.data = [np.empty(0, dtype=np.uint8), np.empty(0, dtype=np.uint8)]

    def get(self, size: int, which: int = 0) -> npt.NDArray[np.uint8]:
        """Buffer ``which`` (0 or 1: a block is written in two halves), at least ``size``."""
        if len(self.data[which]) < size:
            self.data[which] = np.empty(size, dtype=np.uint8)
        return self.data[which]


_BUFFER = _Buffer()
