"""``bulk anonymize`` through the compiled kernels (:func:`dualstack.bulk.anonymize.anonymized`:
scanned, classified and written in C, the values changed by the numpy rules) against the
Python path (:func:`dualstack.bulk.anonymize.rewrite` on each batch): the same bytes for every
policy and extraction mode, on mixes, logs with lines only Python reads, tiny blocks and random
bytes; and the command's output, errors and exit code with and without the extensions."""

from __future__ import annotations

import io

import pytest

np = pytest.importorskip("numpy", reason="numpy is the bulk extra (installed by make test; CI)")

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from dualstack.addr.anonymize import Policy  # noqa: E402
from dualstack.addr.inspect import Options  # noqa: E402
from dualstack.bulk.anonymize import anonymized, rewrite  # noqa: E402
from dualstack.bulk.pipeline import batches  # noqa: E402
from dualstack.bulk.source import extractor  # noqa: E402
from tests.bulklab import SCAN_EDGES, both_paths, require_scanner, run, scan_log, scan_mix  # noqa: E402
from tests.testdata import OPTIONS  # noqa: E402

require_scanner()

MODES = ("list", "combined", "any")
POLICIES = (
    Policy(),
    Policy("zero"),
    Policy("keep-type", 8, 32),
    Policy("keep-type", 32, 128),
    Policy("zero", 0, 0),
)


def _options(policy: Policy, transition: bool = False) -> Options:
    if transition:
        return Options(OPTIONS.nat64_prefixes, OPTIONS.sixrd, policy)
    return Options(anonymize=policy)


def compare(data: bytes, mode: str, options: Options, size: int = 1 << 22) -> bytes:
    """Both paths on ``data``; returns the output."""
    slow = b"".join(
        rewrite(batch, options.anonymize).encode("utf-8", "surrogateescape")
        for batch in batches(io.BytesIO(data), extractor(mode), options, size=size)
    )
    quick = b"".join(
        bytes(piece)
        for block in anonymized(io.BytesIO(data), mode, options, size=size)
        for piece in block.pieces
    )
    assert quick == slow
    return quick


def log() -> bytes:
    return scan_log(2000)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("policy", POLICIES, ids=str)
def test_mix_same_bytes(mode: str, policy: Policy) -> None:
    out = compare(scan_mix(20000), mode, _options(policy))
    assert out != scan_mix(20000) or policy == Policy("keep-type", 32, 128)


@pytest.mark.parametrize("mode", MODES)
def test_log_and_transition_options_same_bytes(mode: str) -> None:
    data = log()
    for policy in POLICIES[:3]:
        compare(data, mode, _options(policy, transition=True))
        compare(data, mode, _options(policy), size=4096)


@pytest.mark.parametrize("mode", MODES)
def test_edges_and_tiny_blocks_same_bytes(mode: str) -> None:
    options = _options(Policy())
    for text in SCAN_EDGES:
        compare(text.encode("utf-8", "surrogateescape"), mode, options)
    compare(("\n".join(SCAN_EDGES * 3) + "\n").encode("utf-8"), mode, options, size=97)
    lines = ["é ::1 10.0.0.1 x", "bad", "fe80::1%eth0", "[2001:db8::1]:80", "2001:db8::/32"]
    compare(("\n".join(lines * 30) + "\n").encode(), mode, options, size=64)


@pytest.mark.fuzz
@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=2000), mode=st.sampled_from(MODES))
def test_fuzz_random_bytes_same_bytes(data: bytes, mode: str) -> None:
    compare(data, mode, _options(Policy()), size=128)


def test_cli_same_output_with_and_without_the_extensions(tmp_path) -> None:
    source = tmp_path / "in.txt"
    source.write_bytes(scan_mix(5000) + b"not an address\n\xff\xfe::1\n" + log()[:20000])
    for args in (
        ["--extract", "list"],
        ["--extract", "any", "--method", "zero"],
        ["--extract", "combined", "--mask-ipv6", "48", "--nat64-prefix", "2001:db8:64::/96"],
    ):
        result = both_paths("bulk", "anonymize", *args, source)
    assert result.returncode == 0
    listed = run("bulk", "anonymize", "--extract", "list", source)
    assert listed.returncode == 1
    assert listed.stderr.count(b"dualstack: error: ") == 11  # the first ten, then a count
    assert listed.stderr.endswith(b"more lines are not addresses\n")
