"""Edges the review found: the HyperLogLog path, lines without end, NUL bytes, empty CSV."""

from __future__ import annotations

import io

import pytest

np = pytest.importorskip("numpy", reason="numpy is the bulk extra (installed by make test; CI)")

from dualstack.bulk import numpy_tally, raw  # noqa: E402
from dualstack.bulk.pipeline import analyse, batches  # noqa: E402
from dualstack.bulk.source import blocks, extractor  # noqa: E402
from dualstack.errors import InputError  # noqa: E402


def test_unique_estimate_past_the_exact_limit() -> None:
    lines = "".join(f"2001:db8:{i >> 16:x}::{i & 0xFFFF:x}\n" for i in range(50_000))
    tally = numpy_tally.Tally(distinct_memory=24_000)  # about 1,000 keys
    for batch in batches(io.BytesIO(lines.encode()), extractor("list"), size=1 << 16):
        tally.add(batch)
    result = tally.result()
    assert result.unique_estimated
    assert abs(result.unique - 50_000) < 50_000 * 0.05  # HyperLogLog, 2^14 registers: ~0.8%


def test_a_line_without_end_is_passed_on_in_bounded_pieces() -> None:
    size = 64
    data = b"2001:db8::1 " * 500  # 6,000 bytes, no newline
    pieces = list(blocks(io.BytesIO(data), size))
    assert "".join(pieces).encode() == data
    assert max(len(p) for p in pieces) <= (raw.LONGEST_LINE + 1) * size
    assert all(p.endswith(" ") for p in pieces[:-1])  # cut after a blank, not inside an address


def test_error_lines_are_right_when_the_input_holds_a_nul() -> None:
    text = "a\x00b\n2001:db8::1\nbad\n10.0.0.1\nalsobad\n"
    batch = analyse(extractor("list")(text, 1))
    assert [line for line, _, _ in batch.errors(10)] == [1, 3, 5]


def test_an_empty_csv_is_an_error_naming_the_column() -> None:
    with pytest.raises(InputError, match="CSV input is empty"):
        list(batches(io.BytesIO(b""), extractor("list", "client")))


def test_parquet_to_a_missing_folder_is_a_one_line_error(tmp_path) -> None:
    import subprocess
    import sys

    listing = tmp_path / "a.txt"
    listing.write_text("2001:db8::1\n")
    result = subprocess.run(
        [sys.executable, "-m", "dualstack", "bulk", "annotate", str(listing),
         "--format", "parquet", "-o", str(tmp_path / "nodir" / "x.parquet")],
        capture_output=True,
        text=True,
    )  # fmt: skip
    assert result.returncode == 2
    assert "cannot write" in result.stderr
    assert "Traceback" not in result.stderr


def test_calc_form_with_a_unicode_digit_is_a_clear_error() -> None:
    from dualstack.web.app import create_app

    client = create_app().test_client()
    response = client.post(
        "/calc", data={"prefix": "2001:db8::/48", "action": "split", "length": "²"}
    )
    assert response.status_code == 400
    assert b'role="alert"' in response.data
