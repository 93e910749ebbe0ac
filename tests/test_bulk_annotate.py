"""Every JSON line ``bulk annotate`` writes is the ``inspect --json`` object of its input."""

from __future__ import annotations

import json

import pytest

np = pytest.importorskip("numpy", reason="numpy is the bulk extra (installed by make test; CI)")

from bench.addrmix import sample  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from dualstack import present  # noqa: E402
from dualstack.addr.inspect import DEFAULT_OPTIONS, inspect  # noqa: E402
from dualstack.bulk.annotate import jsonl  # noqa: E402
from dualstack.bulk.fragments import ALL_FIELDS, FIELDS  # noqa: E402
from dualstack.bulk.members import (  # noqa: E402
    COLUMNS,
    UnknownField,
    csv_columns,
    json_mask,
    names,
)
from dualstack.bulk.pipeline import analyse  # noqa: E402
from dualstack.bulk.source import extractor  # noqa: E402
from tests.testdata import OPTIONS  # noqa: E402

ODD = ["fe80::1%eth0", "2001:db8::/48", "[2001:db8::1]:443", "ff02::1:ff00:1", "junk", "10.0.0.1/8"]


@pytest.mark.parametrize(("seed", "options"), [(21, DEFAULT_OPTIONS), (22, OPTIONS)])
def test_rows_equal_the_core(seed, options) -> None:
    lines = sample(3000, seed) + ODD
    batch = analyse(extractor("list")("\n".join(lines) + "\n", 1), options)
    rows = jsonl(batch, options).decode().splitlines()
    assert len(rows) == len(lines)
    for line, row in zip(lines, rows, strict=True):
        try:
            expected = present.inspection(inspect(line, options))
        except Exception as exc:  # the core's error for a line that is not an address
            expected = present.error(line, str(exc))
        assert json.loads(row) == expected, line


def test_csv_rows_equal_the_core_flattened() -> None:
    import csv
    import io

    from dualstack.bulk.annotate import csv_lines, flat

    lines = sample(2000, 23) + ODD + ["=1+2", "2001:db8::21f:29ff:fe00:1"]
    batch = analyse(extractor("list")("\n".join(lines) + "\n", 1), OPTIONS)
    rows = list(csv.reader(io.StringIO(csv_lines(batch, OPTIONS).decode(), newline="")))
    assert len(rows) == len(lines)
    for line, row in zip(lines, rows, strict=True):
        try:
            expected = present.inspection(inspect(line, OPTIONS))
        except Exception as exc:
            expected = present.error(line, str(exc))
        cells = flat(expected)
        cells = ["'" + c if c[:1] in "=+-@" and c else c for c in cells]
        assert row == cells, line


def test_blocks_of_a_batch_give_the_same_rows(monkeypatch) -> None:
    from dualstack.bulk import annotate

    lines = sample(900, 24) + ODD
    lines[400:400] = ODD  # rows the C writer leaves to the core, inside the blocks
    batch = analyse(extractor("list")("\n".join(lines) + "\n", 1), OPTIONS)
    whole_json, whole_csv = jsonl(batch, OPTIONS), annotate.csv_lines(batch, OPTIONS)
    monkeypatch.setattr(annotate, "BLOCK_ROWS", 97)
    monkeypatch.setattr(annotate, "COMPILED_BLOCK_ROWS", 89)
    assert jsonl(batch, OPTIONS) == whole_json
    for split in (1, 2, 45):  # each block's rows written in two halves on two threads
        monkeypatch.setattr(annotate, "SPLIT_ROWS", split)
        assert jsonl(batch, OPTIONS) == whole_json
    assert annotate.csv_lines(batch, OPTIONS) == whole_csv
    assert len(list(batch.blocks(97))) == -(-len(lines) // 97)


def _c_writer() -> object:
    """The C writer (built at install; CI fails without it)."""
    from tests.bulklab import require_scanner

    require_scanner()
    from dualstack.bulk import _jsonl

    return _jsonl


def _by_columns(batch, options, mask=ALL_FIELDS) -> bytes:
    from dualstack.bulk import annotate

    return b"".join([bytes(piece) for piece in annotate.jsonl_columns(batch, options, mask)])


def _by_c(batch, options, mask=ALL_FIELDS) -> bytes:
    from dualstack.bulk import annotate

    pieces = annotate._jsonl_compiled(_c_writer(), batch, options, mask)  # type: ignore[arg-type]
    return b"".join([bytes(piece) for piece in pieces])


@pytest.mark.parametrize(("seed", "options"), [(25, DEFAULT_OPTIONS), (26, OPTIONS)])
def test_c_writer_and_numpy_columns_write_the_same_bytes(seed, options) -> None:
    lines = sample(6000, seed) + ODD
    batch = analyse(extractor("list")("\n".join(lines) + "\n", 1), options)
    by_columns = _by_columns(batch, options)
    assert _by_c(batch, options) == by_columns
    assert by_columns.count(b"\n") == len(lines)


@pytest.mark.fuzz
@settings(max_examples=100, deadline=None)
@given(lines=st.lists(st.sampled_from(sample(3000, 27) + ODD), min_size=1, max_size=60))
def test_fuzz_c_writer_writes_the_columns_bytes(lines) -> None:
    batch = analyse(extractor("list")("\n".join(lines) + "\n", 1), OPTIONS)
    assert _by_c(batch, OPTIONS) == _by_columns(batch, OPTIONS)


MEMBERS = st.sets(st.sampled_from(["schema", *FIELDS]))


@settings(max_examples=40, deadline=None)
@given(asked=MEMBERS)
def test_fields_keep_the_members_asked_in_the_objects_order(asked) -> None:
    """--fields: both writers write the core's object less the members not asked (schema and
    input stay; an error row stays whole)."""
    lines = sample(400, 28) + ODD
    batch = analyse(extractor("list")("\n".join(lines) + "\n", 1), OPTIONS)
    mask = json_mask(asked)
    by_columns = _by_columns(batch, OPTIONS, mask)
    assert _by_c(batch, OPTIONS, mask) == by_columns
    for line, row in zip(lines, by_columns.decode().splitlines(), strict=True):
        try:
            whole = present.inspection(inspect(line, OPTIONS))
        except Exception as exc:  # the core's error row, whole
            whole = present.error(line, str(exc))
        else:
            whole = {k: v for k, v in whole.items() if k in {"schema", "input", *asked}}
        assert list(json.loads(row).items()) == list(whole.items()), line


def test_members_not_asked_for_are_not_computed(monkeypatch) -> None:
    """Without anonymized, iid or registry asked, the anonymizer, the vendor lookup and the
    registry table are never reached, on either writer."""
    from dualstack.bulk import annotate

    lines = [*sample(2000, 29), "2001:db8::21f:29ff:fe00:1"]
    batch = analyse(extractor("list")("\n".join(lines) + "\n", 1), OPTIONS)

    def refuse(*args: object) -> None:
        raise AssertionError("computed although not asked for")

    for name in ("anonymize", "_vendor_json", "_registry_json", "vendor_of", "_block_keys"):
        monkeypatch.setattr(annotate, name, refuse)
    mask = json_mask(["address", "scope", "types", "hex"])
    assert _by_c(batch, OPTIONS, mask) == _by_columns(batch, OPTIONS, mask)
    csv = annotate.csv_lines(batch, OPTIONS, csv_columns(["address", "mac"]))
    assert csv.count(b"\n") == len(lines)
    with pytest.raises(AssertionError, match="not asked"):
        _by_c(batch, OPTIONS, json_mask(["anonymized"]))


def test_csv_columns_asked_are_the_flattened_cells() -> None:
    import csv
    import io

    from dualstack.bulk.annotate import csv_header, csv_lines, flat

    lines = sample(1500, 30) + ODD
    columns = csv_columns(["vendor", "address", "teredo_port"])
    assert columns == ("input", "address", "teredo_port", "vendor", "error")
    batch = analyse(extractor("list")("\n".join(lines) + "\n", 1), OPTIONS)
    rows = list(csv.reader(io.StringIO(csv_lines(batch, OPTIONS, columns).decode(), newline="")))
    assert csv_header(columns) == b"input,address,teredo_port,vendor,error\n"
    picked = [COLUMNS.index(c) for c in columns]
    for line, row in zip(lines, rows, strict=True):
        try:
            cells = flat(present.inspection(inspect(line, OPTIONS)))
        except Exception as exc:
            cells = flat(present.error(line, str(exc)))
        cells = ["'" + c if c[:1] in "=+-@" and c else c for c in cells]
        assert row == [cells[k] for k in picked], line


def test_unknown_fields_are_refused_by_name() -> None:
    with pytest.raises(UnknownField, match=r"'iid_type'.*known: schema, input"):
        json_mask(["address", "iid_type"])
    with pytest.raises(UnknownField, match="unknown csv field 'iid'"):
        csv_columns(["iid"])
    assert names(" address, ,scope ") == ["address", "scope"]
    assert json_mask(None) == ALL_FIELDS
    assert csv_columns(None) == COLUMNS


def test_c_writer_refuses_what_would_read_or_write_past_a_buffer() -> None:
    """Rows, table indexes and input spans out of range, and an output too small, are
    errors: the writer checks before it writes."""
    from dualstack.bulk.fragments import pool

    _c_writer()
    from dualstack.bulk import _jsonl

    data, offsets, starts = pool(
        [[b"[]"], [b"global"], [b"null"], [b"x"], [b"null"] * 5, [b"null"], []]
    )
    n = 2

    def args(**change: object) -> list[object]:
        base = {
            "rows": np.arange(n, dtype=np.int64), "version": np.full(n, 6, np.uint8),
            "hi": np.zeros(n, np.uint64), "lo": np.ones(n, np.uint64),
            "ahi": np.zeros(n, np.uint64), "alo": np.ones(n, np.uint64),
            "inp": np.frombuffer(b"::1::1", np.uint8), "inp_at": np.array([0, 3], np.int64),
            "inp_len": np.array([3, 3], np.int64), "types": np.zeros(n, np.int64),
            "scope": np.zeros(n, np.int64), "reg": np.zeros(n, np.int64),
            "cls": np.full(n, -1, np.int8), "sub": np.full(n, -1, np.int8),
            "vendor": np.zeros(n, np.int64), "iid_v4": np.zeros(n, np.uint32),
            "iid_port": np.full(n, -1, np.int32), "roles": np.zeros(n, np.uint8),
            "nat64": np.zeros(n, np.uint8), "nat64_len": np.zeros(0, np.int64),
            "data": data, "offsets": offsets, "starts": starts,
            "out": np.zeros(_jsonl.room(n, 3, offsets, starts, 0), np.uint8),
            "row_at": np.zeros(n + 1, np.int64),
        }  # fmt: skip
        base.update(change)
        return [*base.values(), ALL_FIELDS]

    written = _jsonl.write(*args())
    assert written > 0
    bad = {
        "rows": np.array([0, 2], np.int64),
        "types": np.array([0, 1], np.int64),
        "reg": np.array([-1, 0], np.int64),
        "inp_len": np.array([3, 4], np.int64),
        "inp_at": np.array([-1, 3], np.int64),
        "out": np.zeros(100, np.uint8),
        "starts": starts[:-1],
        "hi": np.zeros(n + 1, np.uint64),
    }
    for name, value in bad.items():
        with pytest.raises(ValueError):  # noqa: PT011 (each names its own problem)
            _jsonl.write(*args(**{name: value}))
    with pytest.raises(TypeError, match="cls"):
        _jsonl.write(*args(cls=np.zeros(n, np.int64)))
    iid = {"cls": np.zeros(n, np.int8)}  # an IID: its subtype and vendor are read
    assert _jsonl.write(*args(**iid)) > 0
    for name, value in {"sub": np.array([5, -1], np.int8), "vendor": np.ones(n, np.int64)}.items():
        with pytest.raises(ValueError, match="IID class, subtype or vendor"):
            _jsonl.write(*args(**iid, **{name: value}))
    with pytest.raises(ValueError, match="past the last member"):
        _jsonl.write(*args()[:-1], ALL_FIELDS + 1)
    with pytest.raises(TypeError, match="26 arguments"):
        _jsonl.write(*args()[:-1])
