"""Arrow and Parquet output, and the adapters for pandas, Arrow, Polars and Dask.

pyarrow, pandas, polars and dask are optional; each is imported by the function that needs it,
with a one-line error naming the extra to install when it is missing.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from dualstack.addr.inspect import DEFAULT_OPTIONS, Options
from dualstack.bulk.annotate import COLUMNS, records
from dualstack.bulk.pipeline import analyse
from dualstack.bulk.source import Chunk, extractor
from dualstack.errors import InputError

_INTEGER_COLUMNS = ("teredo_port", "iid_port")


def _need(module: str, extra: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError:
        raise InputError(f"{module} is not installed: pip install 'dualstack[{extra}]'") from None


def _chunk(values: Sequence[str]) -> Chunk:
    """A list-mode chunk over values already split (one address per value, kept as given)."""
    items = ["" if v is None else str(v) for v in values]
    return extractor("list")("", 1).__class__(
        1, "\n".join(items), items, lambda replaced: "\n".join(replaced), True
    )


def annotate_values(
    values: Sequence[str], options: Options = DEFAULT_OPTIONS
) -> dict[str, list[str]]:
    """The CSV columns of ``bulk annotate`` for a sequence of address strings (one row each;
    a value that is not an address gets its message in ``error``)."""
    return records(analyse(_chunk(values), options), options)


def arrow_table(values: Sequence[str], options: Options = DEFAULT_OPTIONS) -> Any:
    """An Arrow table of the annotation, ports as nullable integers, empty cells as null."""
    pa = _need("pyarrow", "arrow")
    pc = _need("pyarrow.compute", "arrow")
    columns = annotate_values(values, options)
    arrays = []
    for name in COLUMNS:
        array = pa.array([c or None for c in columns[name]], type=pa.string())
        if name in _INTEGER_COLUMNS:
            array = pc.cast(array, pa.int32())
        arrays.append(array)
    return pa.table(arrays, names=list(COLUMNS))


def write_parquet(batches: Iterable[dict[str, list[str]]], path: Path) -> None:
    """Stream annotation columns into a Parquet file, one row group per batch, atomically."""
    pa = _need("pyarrow", "arrow")
    pq = _need("pyarrow.parquet", "arrow")
    pc = _need("pyarrow.compute", "arrow")
    from dualstack._io import atomic_stream

    schema = pa.schema([(n, pa.int32() if n in _INTEGER_COLUMNS else pa.string()) for n in COLUMNS])
    with atomic_stream(path) as handle, pq.ParquetWriter(handle, schema) as writer:
        for columns in batches:
            arrays = []
            for name in COLUMNS:
                array = pa.array([c or None for c in columns[name]], type=pa.string())
                if name in _INTEGER_COLUMNS:
                    array = pc.cast(array, pa.int32())
                arrays.append(array)
            writer.write_table(pa.table(arrays, schema=schema))


def annotate_series(series: Any, options: Options = DEFAULT_OPTIONS) -> Any:
    """pandas: a Series of address strings -> a DataFrame of annotation columns, same index."""
    pd = _need("pandas", "dask")
    columns = annotate_values(series.astype(str).tolist(), options)
    frame = pd.DataFrame({n: columns[n] for n in COLUMNS}, index=series.index)
    return frame.replace("", None)


def annotate_arrow(array: Any, options: Options = DEFAULT_OPTIONS) -> Any:
    """Arrow: a string array (or chunked array) -> an Arrow table of annotation columns."""
    return arrow_table([str(v) if v is not None else "" for v in array.to_pylist()], options)


def polars_annotate(series: Any, options: Options = DEFAULT_OPTIONS) -> Any:
    """Polars: a Series of strings -> a struct Series of the annotation; use it as
    ``pl.col("client").map_batches(polars_annotate)`` and ``.struct.unnest()``."""
    pl = _need("polars", "dask")
    columns = annotate_values(series.cast(pl.Utf8).fill_null("").to_list(), options)
    frame = pl.DataFrame({n: columns[n] for n in COLUMNS})
    return frame.with_columns(pl.all().replace("", None)).to_struct(series.name or "annotation")


def dask_annotate(frame: Any, column: str, options: Options = DEFAULT_OPTIONS) -> Any:
    """Dask: annotate ``frame[column]`` partition by partition (``map_partitions``); the
    result is a Dask DataFrame with the annotation columns, computed lazily."""
    pd = _need("pandas", "dask")
    meta = pd.DataFrame({n: pd.Series(dtype=object) for n in COLUMNS})
    return frame[column].map_partitions(annotate_series, options, meta=meta)
