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
from dualstack.bulk.annotate import records
from dualstack.bulk.members import COLUMNS
from dualstack.bulk.pipeline import Batch, analyse
from dualstack.bulk.source import Chunk
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
    return Chunk(1, "\n".join(items), items, lambda replaced: "\n".join(replaced), True)


_FORMULA = ("=", "+", "-", "@")


def _undefused(cell: str) -> str:
    """``cell`` without the ' the CSV writer puts before formula-looking text (data frames are
    not spreadsheets). Only for columns whose values never start with ' themselves."""
    return cell[1:] if cell[:1] == "'" and cell[1:2] in _FORMULA else cell


def batch_columns(
    batch: Batch, options: Options = DEFAULT_OPTIONS, columns: Sequence[str] = COLUMNS
) -> dict[str, list[str]]:
    """The CSV columns of one batch (the rows ``bulk annotate`` writes for it) with the cells
    as they are: the ' that the CSV output puts before text starting with = + - @ (CSV
    injection) is not there, so an input ``=1+2`` or the vendor ``@Track Communications,
    Inc.`` keep their text. Feed these to :func:`write_parquet` and the data frames.
    ``columns``: those of :data:`~dualstack.bulk.members.COLUMNS` to compute (``--fields``)."""
    cells = records(batch, options, columns)
    candidates, errors = batch.chunk.candidates, batch.parsed.errors
    # records() has a row per candidate, less the non-addresses outside list mode
    rows = [r for r in range(len(candidates)) if batch.chunk.strict or r not in errors]
    if "input" in cells:
        cells["input"] = [candidates[r] for r in rows]
    if "error" in cells:
        cells["error"] = [errors.get(r, "") for r in rows]
    if "vendor" in cells:
        cells["vendor"] = [_undefused(cell) for cell in cells["vendor"]]
    return cells


def annotate_values(
    values: Sequence[str], options: Options = DEFAULT_OPTIONS
) -> dict[str, list[str]]:
    """The CSV columns of ``bulk annotate`` for a sequence of address strings (one row each;
    a value that is not an address gets its message in ``error``), cells as they are."""
    return batch_columns(analyse(_chunk(values), options), options)


def _utf8(cell: str) -> str:
    """``cell`` as valid UTF-8: bytes that were not UTF-8 (read with ``surrogateescape``) and
    other lone surrogates become U+FFFD, as any UTF-8 reader would show them."""
    try:
        raw = cell.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        raw = cell.encode("utf-8", "surrogatepass")
    return raw.decode("utf-8", "replace")


def _string_array(pa: Any, cells: list[str]) -> Any:
    """Arrow strings must be UTF-8: an input line with invalid bytes gets U+FFFD for them."""
    try:
        return pa.array([c or None for c in cells], type=pa.string())
    except UnicodeEncodeError:
        return pa.array([_utf8(c) if c else None for c in cells], type=pa.string())


def _arrays(columns: dict[str, list[str]]) -> list[Any]:
    """The Arrow arrays of annotation columns (in the dict's order): empty cells null, ports
    int32."""
    pa = _need("pyarrow", "arrow")
    pc = _need("pyarrow.compute", "arrow")
    arrays = []
    for name in columns:
        array = _string_array(pa, columns[name])
        if name in _INTEGER_COLUMNS:
            array = pc.cast(array, pa.int32())
        arrays.append(array)
    return arrays


def arrow_table(values: Sequence[str], options: Options = DEFAULT_OPTIONS) -> Any:
    """An Arrow table of the annotation, ports as nullable integers, empty cells as null."""
    pa = _need("pyarrow", "arrow")
    return pa.table(_arrays(annotate_values(values, options)), schema=_schema(pa))


def _schema(pa: Any, columns: Sequence[str] = COLUMNS) -> Any:
    return pa.schema([(n, pa.int32() if n in _INTEGER_COLUMNS else pa.string()) for n in columns])


def write_parquet(
    batches: Iterable[dict[str, list[str]]], path: Path, columns: Sequence[str] = COLUMNS
) -> None:
    """Stream annotation columns (:func:`batch_columns` of ``columns``) into a Parquet file,
    one row group per batch, atomically: the file appears at ``path`` only once every batch is
    written."""
    pa = _need("pyarrow", "arrow")
    pq = _need("pyarrow.parquet", "arrow")
    from dualstack._io import atomic_stream

    schema = _schema(pa, columns)
    with atomic_stream(path) as handle, pq.ParquetWriter(handle, schema) as writer:
        for cells in batches:
            # raw cells, also from annotate.records() (whose vendor names are CSV-defused)
            raw = dict(cells)
            if "vendor" in raw:
                raw["vendor"] = [_undefused(c) for c in raw["vendor"]]
            writer.write_table(pa.table(_arrays(raw), schema=schema))


def annotate_series(series: Any, options: Options = DEFAULT_OPTIONS) -> Any:
    """pandas: a Series of address strings -> a DataFrame of annotation columns, same index.
    Missing values (None, NaN, NA) are empty inputs; empty cells are missing (NaN in pandas
    3's ``str`` columns, None in object columns)."""
    pd = _need("pandas", "dask")
    missing = series.isna().tolist()
    values = ["" if gone else str(v) for v, gone in zip(series.tolist(), missing, strict=True)]
    columns = annotate_values(values, options)
    frame = pd.DataFrame({n: pd.Series(columns[n], dtype=str) for n in COLUMNS})
    frame.index = series.index
    return frame.replace("", None)


def annotate_arrow(array: Any, options: Options = DEFAULT_OPTIONS) -> Any:
    """Arrow: a string array (or chunked array) -> an Arrow table of annotation columns."""
    return arrow_table([str(v) if v is not None else "" for v in array.to_pylist()], options)


def polars_annotate(series: Any, options: Options = DEFAULT_OPTIONS) -> Any:
    """Polars: a Series of strings -> a struct Series of the annotation (null inputs are empty
    inputs; empty cells are null). The recipe::

        df.with_columns(
            pl.col("client").map_batches(polars_annotate).alias("annotation")
        ).unnest("annotation")

    Unnest the frame, not the expression: in a lazy query ``...map_batches(polars_annotate)
    .struct.unnest()`` runs the whole annotation once per field (24 times). Without
    ``return_dtype`` Polars calls the function once more on a dummy batch to learn the schema.
    """
    pl = _need("polars", "dask")
    columns = annotate_values(series.cast(pl.String).fill_null("").to_list(), options)
    frame = pl.DataFrame({n: columns[n] for n in COLUMNS}, schema=dict.fromkeys(COLUMNS, pl.String))
    return frame.with_columns(pl.all().replace("", None)).to_struct(series.name or "annotation")


def dask_annotate(frame: Any, column: str, options: Options = DEFAULT_OPTIONS) -> Any:
    """Dask: annotate ``frame[column]`` partition by partition (``map_partitions``); the
    result is a Dask DataFrame with the annotation columns, computed lazily."""
    pd = _need("pandas", "dask")
    meta = annotate_series(pd.Series([], dtype=str, name=column), options)
    return frame[column].map_partitions(annotate_series, options, meta=meta)
