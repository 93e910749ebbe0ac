"""Every JSON line ``bulk annotate`` writes is the ``inspect --json`` object of its input."""

from __future__ import annotations

import json

import pytest

np = pytest.importorskip("numpy", reason="numpy is the bulk extra (installed by make test; CI)")

from bench.addrmix import sample  # noqa: E402

from dualstack import present  # noqa: E402
from dualstack.addr.inspect import DEFAULT_OPTIONS, inspect  # noqa: E402
from dualstack.bulk.annotate import jsonl  # noqa: E402
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
    batch = analyse(extractor("list")("\n".join(lines) + "\n", 1), OPTIONS)
    whole_json, whole_csv = jsonl(batch, OPTIONS), annotate.csv_lines(batch, OPTIONS)
    monkeypatch.setattr(annotate, "BLOCK_ROWS", 97)
    monkeypatch.setattr(annotate, "COMPILED_BLOCK_ROWS", 89)
    assert jsonl(batch, OPTIONS) == whole_json
    assert annotate.csv_lines(batch, OPTIONS) == whole_csv
    assert len(list(batch.blocks(97))) == -(-len(lines) // 97)


@pytest.mark.parametrize(("seed", "options"), [(25, DEFAULT_OPTIONS), (26, OPTIONS)])
def test_compiled_writer_and_numpy_columns_write_the_same_bytes(seed, options) -> None:
    from dualstack.bulk import annotate, kernels  # numba: in the dev extra, so this runs in CI

    lines = sample(6000, seed) + ODD
    batch = analyse(extractor("list")("\n".join(lines) + "\n", 1), options)
    by_columns = b"".join([bytes(piece) for piece in annotate.jsonl_columns(batch, options)])
    pieces = annotate._jsonl_compiled(kernels.write, batch, options)
    by_kernel = b"".join([bytes(piece) for piece in pieces])
    assert by_kernel == by_columns
    assert by_columns.count(b"\n") == len(lines)
