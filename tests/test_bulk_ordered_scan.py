"""Batches in input order through the scanner (:func:`dualstack.bulk.pipeline.scanned_batches`,
what ``bulk uniq`` and ``bulk annotate`` read) against the Python path: the same rows, values,
candidates, classes, errors and line counts in the same order, block for block; both commands
print the same bytes with and without the extensions, and the compiled line writer
(:func:`dualstack.bulk.fast.lines`) the core's text."""

from __future__ import annotations

import io
from ipaddress import ip_address

import pytest

np = pytest.importorskip("numpy", reason="numpy is the bulk extra (installed by make test; CI)")

from bench.addrmix import generate  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from dualstack.addr.text import compressed  # noqa: E402
from dualstack.bulk import fast  # noqa: E402
from dualstack.bulk.pipeline import batches, scanned_batches  # noqa: E402
from dualstack.bulk.source import extractor  # noqa: E402
from tests.bulklab import SCAN_EDGES, both_paths, require_scanner, scan_log, scan_mix  # noqa: E402
from tests.testdata import OPTIONS  # noqa: E402

require_scanner()

MODES = ("list", "combined", "any")


def log() -> bytes:
    return scan_log(2000, "é {c} ü {a}")


def compare_batches(data: bytes, mode: str, size: int = 1 << 22) -> None:
    """Whole batches: candidates' text, values, classes, errors, line counts."""
    slow = list(batches(io.BytesIO(data), extractor(mode), OPTIONS, size=size))
    quick = list(scanned_batches(io.BytesIO(data), mode, OPTIONS, size=size))
    assert len(quick) == len(slow)
    for q, s in zip(quick, slow, strict=True):
        assert (q.lines, q.addresses, q.invalid, q.skipped) == (
            s.lines,
            s.addresses,
            s.invalid,
            s.skipped,
        )
        assert list(q.chunk.candidates) == s.chunk.candidates
        assert q.chunk.strict == s.chunk.strict
        for limit in (0, 3, 10):
            assert q.errors(limit) == s.errors(limit)
        assert q.parsed.hi.tolist() == s.parsed.hi.tolist()
        assert q.parsed.lo.tolist() == s.parsed.lo.tolist()
        assert q.parsed.version.tolist() == s.parsed.version.tolist()
        assert q.parsed.errors == s.parsed.errors
        assert sorted(q.parsed.by_core) == sorted(s.parsed.by_core)
        assert q.classes.types.tolist() == s.classes.types.tolist()
        assert q.classes.registry.tolist() == s.classes.registry.tolist()


@pytest.mark.parametrize("mode", MODES)
def test_same_batches_through_the_scanner(mode: str) -> None:
    compare_batches(scan_mix(20000), mode)
    compare_batches(log(), mode, size=3001)  # blocks with and without lines Python reads
    lines = ["::1", "bad", "fe80::1%eth0", " 10.0.0.1 ", "[2001:db8::1]:80", "01.2.3.4"]
    compare_batches(("\n".join(lines * 50) + "\n").encode(), mode, size=100)
    for text in SCAN_EDGES:
        compare_batches(text.encode("utf-8", "surrogateescape"), mode)
    lines = ["é ::1 10.0.0.1 x", "::1", "bad", "ü 10.0.0.1", "x\u2028::2", "1.2.3.4 é fe80::1%eth0"]
    compare_batches(("\n".join(lines * 40) + "\n").encode(), mode, size=64)


@pytest.mark.fuzz
@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=2000), mode=st.sampled_from(MODES))
def test_fuzz_same_rows_in_the_same_order(data: bytes, mode: str) -> None:
    compare_batches(data, mode, size=128)


def test_compiled_lines_are_the_cores_text() -> None:
    values = [ip_address(line) for line in generate(5000)[0]]
    hi = np.array([int(a) >> 64 if a.version == 6 else 0 for a in values], dtype=np.uint64)
    lo = np.array([int(a) & ((1 << 64) - 1) for a in values], dtype=np.uint64)
    version = np.array([a.version for a in values], dtype=np.uint8)
    blob = fast.lines(hi, lo, version)
    assert blob is not None
    assert blob.decode().split("\n")[:-1] == [compressed(a) for a in values]
    assert fast.lines(hi[:0], lo[:0], version[:0]) == b""


def test_cli_annotate_same_bytes_with_and_without_the_extensions(tmp_path) -> None:
    source = tmp_path / "in.txt"
    source.write_bytes(scan_mix(3000) + log()[:20000])
    for args in (["--extract", "list"], ["--extract", "any"], ["--format", "csv"]):
        result = both_paths("bulk", "annotate", *args, source)
        assert result.stdout.count(b"\n") > 1000


def test_cli_uniq_same_bytes_with_and_without_the_extensions(tmp_path) -> None:
    source = tmp_path / "in.txt"
    source.write_bytes(scan_mix(5000) * 2 + log()[:30000])
    for args in (["-c"], ["--extract", "any"], ["-c", "--extract", "combined"]):
        result = both_paths("bulk", "uniq", *args, source)
        assert result.stdout.count(b"\n") > 1000
