"""The pandas, Arrow, Parquet, Polars and Dask adapters give the address core's cells, row for
row: ``flat(present.inspection(inspect(text)))``, empty cells as null, ports as integers in
Arrow and Parquet."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

np = pytest.importorskip("numpy", reason="numpy is the bulk extra (installed by make test; CI)")

import dask.dataframe as dd  # noqa: E402
import pandas as pd  # noqa: E402
import polars as pl  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
from bench.addrmix import sample  # noqa: E402
from distributed import Client, LocalCluster  # noqa: E402

from dualstack import present  # noqa: E402
from dualstack.addr.inspect import inspect  # noqa: E402
from dualstack.bulk.annotate import COLUMNS, flat  # noqa: E402
from dualstack.bulk.arrow import (  # noqa: E402
    annotate_arrow,
    annotate_series,
    annotate_values,
    batch_columns,
    dask_annotate,
    polars_annotate,
    write_parquet,
)
from dualstack.bulk.pipeline import analyse  # noqa: E402
from dualstack.bulk.source import extractor  # noqa: E402
from dualstack.errors import DualstackError  # noqa: E402

PORTS = ("teredo_port", "iid_port")
# Beside the random sample: a zone, a prefix, a port, a multicast group, a Teredo address with
# its port, an IID with a port, vendors whose names start like a spreadsheet formula
# (@Track Communications, +plugg srl) and inputs that are not addresses, some formula-like.
EXTRA = [
    "fe80::1%eth0",
    "2001:db8::/48",
    "[2001:db8::1]:443",
    "ff02::1:ff00:1",
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",
    "2001:db8::1:443",
    "2001:db8::206:4ff:feaa:bbcc",
    "2001:db8::32f3:3aff:fe00:1",
    "fe80::206:4ff:feaa:bbcc%eth0",
    "junk",
    "=1+2",
    "-1",
    "@x",
    "'=x",
    "a,b",
    "",
]
VALUES = sample(300, 41) + EXTRA
Cells = dict[str, list[str | None]]


def core_row(text: str) -> list[str]:
    try:
        obj = present.inspection(inspect(text))
    except DualstackError as exc:
        obj = present.error(text, str(exc))
    return flat(obj)


def core(values: list[str]) -> Cells:
    """The core's cells by column, None where a cell is empty."""
    rows = [core_row(v) for v in values]
    return {name: [r[k] or None for r in rows] for k, name in enumerate(COLUMNS)}


EXPECTED = core(VALUES)


def with_ports(cells: Cells) -> dict[str, list[Any]]:
    """The cells as Arrow holds them: the ports as integers."""
    return {n: [int(c) if c else None for c in v] if n in PORTS else v for n, v in cells.items()}


def pandas_cells(frame: pd.DataFrame) -> Cells:
    return {n: [None if pd.isna(c) else c for c in frame[n].tolist()] for n in frame.columns}


def test_the_sample_holds_every_kind() -> None:
    """The comparisons below are not vacuous: every column has values and errors occur."""
    for name in COLUMNS:
        assert any(c is not None for c in EXPECTED[name]), name
    assert sum(c is not None for c in EXPECTED["error"]) == 7
    assert {"@Track Communications, Inc.", "+plugg srl"} <= set(EXPECTED["vendor"])
    assert "fe80::1" in EXPECTED["address"]


def test_annotate_values_are_the_core_cells() -> None:
    got = annotate_values(VALUES)
    assert list(got) == list(COLUMNS)
    assert {n: [c or None for c in v] for n, v in got.items()} == EXPECTED


def test_batch_columns_outside_list_mode() -> None:
    """In ``any`` mode text that only looks like an address is skipped, not a row."""
    text = "at 10:41:22 from 2001:db8::206:4ff:feaa:bbcc saw 999.1.1.1 and fe80::1%eth0 then\n"
    got = batch_columns(analyse(extractor("any")(text, 1)))
    found = ["2001:db8::206:4ff:feaa:bbcc", "fe80::1"]
    assert {n: [c or None for c in v] for n, v in got.items()} == core(found)


def test_pandas_rows_and_index() -> None:
    index = pd.Index([f"r{n:04d}" for n in range(len(VALUES))][::-1], name="row")
    frame = annotate_series(pd.Series(VALUES, index=index, name="client"))
    assert list(frame.columns) == list(COLUMNS)
    assert frame.index.equals(index)
    assert frame.index.name == "row"
    assert pandas_cells(frame) == EXPECTED


def test_missing_values_are_empty_inputs() -> None:
    """None, NaN and NA are empty inputs in every adapter (not the text "None" or "nan")."""
    empty = core_row("")
    assert empty[-1]  # the core's message for an empty input
    for series in (
        pd.Series([None, "::1"], dtype=object),
        pd.Series([np.nan, "::1"]),
        pd.Series([None, "::1"], dtype="string"),
    ):
        frame = annotate_series(series)
        assert pd.isna(frame["input"].iloc[0])
        assert frame["error"].iloc[0] == empty[-1]
        assert frame["address"].iloc[1] == "::1"
    table = annotate_arrow(pa.array([None, "::1"]))
    assert table.column("input").to_pylist() == [None, "::1"]
    assert table.column("error").to_pylist() == [empty[-1], None]
    struct = polars_annotate(pl.Series("client", [None, "::1"]))
    assert struct.struct.field("error").to_list() == [empty[-1], None]


def test_arrow_cells_and_port_types() -> None:
    expected = with_ports(EXPECTED)
    half = len(VALUES) // 2
    for array in (pa.array(VALUES), pa.chunked_array([VALUES[:half], VALUES[half:]])):
        table = annotate_arrow(array)
        assert table.column_names == list(COLUMNS)
        for name in PORTS:
            assert table.schema.field(name).type == pa.int32()
        assert table.to_pydict() == expected
    assert any(isinstance(p, int) and p > 0 for p in expected["teredo_port"])
    assert any(isinstance(p, int) and p > 0 for p in expected["iid_port"])


def test_polars_eager_struct_unnest() -> None:
    frame = pl.DataFrame({"client": VALUES})
    got = frame.select(pl.col("client").map_batches(polars_annotate).struct.unnest())
    assert got.columns == list(COLUMNS)
    assert got.to_dict(as_series=False) == EXPECTED


def test_polars_documented_recipe_runs_once_per_batch() -> None:
    """The docstring's recipe, lazily: the original column kept, the annotation computed once
    for the data (plus Polars's one call on a dummy batch to learn the schema)."""
    calls: list[int] = []

    def counted(series: pl.Series) -> Any:
        calls.append(len(series))
        return polars_annotate(series)

    query = (
        pl.LazyFrame({"client": VALUES})
        .with_columns(pl.col("client").map_batches(counted).alias("annotation"))
        .unnest("annotation")
    )
    got = query.collect()
    assert got.columns == ["client", *COLUMNS]
    assert got["client"].to_list() == VALUES
    assert got.drop("client").to_dict(as_series=False) == EXPECTED
    assert calls.count(len(VALUES)) == 1
    assert len(calls) <= 2


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    index = pd.RangeIndex(10_000, 10_000 + 3 * len(VALUES), 3, name="n")
    return pd.DataFrame({"client": VALUES, "other": range(len(VALUES))}, index=index)


@pytest.fixture
def cluster() -> Iterator[Client]:
    """Two worker processes on loopback, torn down (client, then cluster) whatever happens."""
    local = LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        scheduler_port=0,
        dashboard_address=None,
    )
    try:
        client = Client(local)
        try:
            yield client
        finally:
            client.close()
    finally:
        local.close()
    assert local.status.name == "closed"


def test_dask_single_process(frame: pd.DataFrame) -> None:
    reference = annotate_series(frame["client"])
    assert pandas_cells(reference) == EXPECTED
    ddf = dd.from_pandas(frame, npartitions=4)
    assert ddf.npartitions >= 3
    lazy = dask_annotate(ddf, "client")
    assert list(lazy.columns) == list(COLUMNS)
    got = lazy.compute()
    assert got.dtypes.equals(lazy.dtypes)  # the meta tells the truth
    pd.testing.assert_frame_equal(got, reference)


def test_dask_distributed(frame: pd.DataFrame, cluster: Client) -> None:
    ddf = dd.from_pandas(frame, npartitions=4)
    assert ddf.npartitions >= 3
    cluster.wait_for_workers(2, timeout=60)
    got = cluster.compute(dask_annotate(ddf, "client")).result(timeout=60)
    pd.testing.assert_frame_equal(got, annotate_series(frame["client"]))


def test_parquet_row_groups(tmp_path: Path) -> None:
    half = len(VALUES) // 2
    path = tmp_path / "a.parquet"
    write_parquet([annotate_values(VALUES[:half]), annotate_values(VALUES[half:])], path)
    assert [p.name for p in tmp_path.iterdir()] == ["a.parquet"]
    parquet = pq.ParquetFile(path)
    assert parquet.num_row_groups == 2
    assert [parquet.metadata.row_group(k).num_rows for k in range(2)] == [
        half,
        len(VALUES) - half,
    ]
    table = parquet.read()
    for name in PORTS:
        assert table.schema.field(name).type == pa.int32()
    assert table.column_names == list(COLUMNS)
    assert table.to_pydict() == with_ports(EXPECTED)


def test_parquet_failure_leaves_nothing(tmp_path: Path) -> None:
    def failing() -> Iterator[dict[str, list[str]]]:
        yield annotate_values(VALUES[:20])
        raise RuntimeError("source went away")

    path = tmp_path / "a.parquet"
    with pytest.raises(RuntimeError, match="source went away"):
        write_parquet(failing(), path)
    assert list(tmp_path.iterdir()) == []

    write_parquet([annotate_values(VALUES[:5])], path)
    before = path.read_bytes()
    with pytest.raises(RuntimeError, match="source went away"):
        write_parquet(failing(), path)
    assert path.read_bytes() == before  # the previous file is kept as it was
    assert [p.name for p in tmp_path.iterdir()] == ["a.parquet"]


def test_parquet_input_that_is_not_utf8(tmp_path: Path) -> None:
    """A line read with surrogateescape (invalid UTF-8) is written with U+FFFD, not refused
    (Arrow strings are UTF-8); its message keeps the escaped text."""
    path = tmp_path / "a.parquet"
    write_parquet([annotate_values(["::1", "b\udcffad"])], path)
    table = pq.read_table(path)
    assert table.column("input").to_pylist() == ["::1", "b\ufffdad"]
    assert table.column("error").to_pylist() == [None, core_row("b\udcffad")[-1]]


def dualstack(*args: str) -> subprocess.CompletedProcess[str]:
    command = Path(sys.executable).with_name("dualstack")
    return subprocess.run(
        [str(command), *args], capture_output=True, text=True, timeout=60, check=False
    )


def test_cli_writes_parquet(tmp_path: Path) -> None:
    values = [v for v in VALUES[:40] + EXTRA[:9] if v]
    source = tmp_path / "in.txt"
    source.write_text("\n".join(values) + "\n")
    out = tmp_path / "out.parquet"
    done = dualstack("bulk", "annotate", "--format", "parquet", "-o", str(out), str(source))
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    table = pq.read_table(out)
    assert table.schema.field("iid_port").type == pa.int32()
    assert table.to_pydict() == with_ports(core(values))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.txt", "out.parquet"]


def test_cli_parquet_with_a_bad_line(tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    source.write_bytes(b"2001:db8::1\nb\xffad\n")
    out = tmp_path / "out.parquet"
    done = dualstack("bulk", "annotate", "--format", "parquet", "-o", str(out), str(source))
    assert done.returncode == 1  # a line that is not an address, reported
    assert "Traceback" not in done.stderr
    assert "in.txt:2:" in done.stderr
    table = pq.read_table(out)
    assert table.column("input").to_pylist() == ["2001:db8::1", "b\ufffdad"]
    assert table.column("address").to_pylist() == ["2001:db8::1", None]


def test_cli_parquet_needs_an_output(tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    source.write_text("2001:db8::1\n")
    done = dualstack("bulk", "annotate", "--format", "parquet", str(source))
    assert done.returncode == 2
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if "parquet" in line]
    assert len(errors) == 1, done.stderr
    assert errors == [
        "dualstack: error: --format parquet needs -o FILE (Parquet is not for a pipe) "
        "(see 'dualstack bulk annotate --help')"
    ]
    assert [p.name for p in tmp_path.iterdir()] == ["in.txt"]
