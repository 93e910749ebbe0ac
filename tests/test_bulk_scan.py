"""The compiled scanner (``dualstack.bulk._scan`` through :mod:`dualstack.bulk.fast`) against
the Python path it replaces: the same candidates, values and bytes, on a realistic mix, on edge
cases, and on fuzzed bytes (marked ``fuzz``: CI runs those once more under AddressSanitizer).

The reference is never the kernel itself: it is :mod:`dualstack.bulk.source`'s extractors and
:func:`~dualstack.bulk.parse.parse_many` (inet_pton + the address core), i.e. today's product.
"""

from __future__ import annotations

import io
import socket

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

np = pytest.importorskip("numpy", reason="numpy is the bulk extra (installed by make test; CI)")

from bench.addrmix import generate, sample  # noqa: E402

from dualstack.bulk import fast  # noqa: E402
from dualstack.bulk.convert import FORMS, convert  # noqa: E402
from dualstack.bulk.parse import parse_many  # noqa: E402
from dualstack.bulk.source import extractor  # noqa: E402
from tests.bulklab import SCAN_EDGES, both_paths, err_lines, require_scanner, run, scan_mix  # noqa: E402

require_scanner()

MODES = ("list", "combined", "any")


def output(data: bytes, form: str, mode: str, fast_path: bool, size: int = 1 << 22):
    """Bytes written, invalid count and listed errors of a whole conversion."""
    written, invalid, errors = io.BytesIO(), 0, []
    for block in convert(io.BytesIO(data), form, mode, fast=fast_path, size=size):
        for piece in block.pieces:  # before the next block: it reuses the buffer
            written.write(piece)
        invalid += block.invalid
        errors += block.errors
    return written.getvalue(), invalid, errors


def same(data: bytes, form: str, mode: str, size: int = 1 << 22) -> bytes:
    slow = output(data, form, mode, False, size)
    quick = output(data, form, mode, True, size)
    assert quick == slow
    return quick[0]


def mix() -> bytes:
    return scan_mix(20000)


# --- whole conversions ----------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("form", FORMS)
def test_mix_same_bytes(mode, form):
    same(mix(), form, mode)


@pytest.mark.parametrize("mode", MODES)
def test_log_same_bytes(mode):
    lines, _ = generate(3000)
    log = "".join(
        f'{a} - - [10/Oct/2000:13:55:36 -0700] "GET http://[{b}]:80/?ip={c} HTTP/1.1" 200 '
        f"2326 at 10:41:22 fe80::1%eth0\n"
        for a, b, c in zip(lines, lines[1:], lines[2:], strict=False)
    ).encode()
    changed = same(log, "exploded", mode) != log
    assert changed == (mode != "list")  # list mode: no line is an address, all kept


@pytest.mark.parametrize("text", SCAN_EDGES)
@pytest.mark.parametrize("mode", MODES)
def test_edges(text, mode):
    for form in FORMS:
        same(text.encode("utf-8", "surrogateescape"), form, mode)
        same((text + "\n" + text + "\r\n").encode("utf-8"), form, mode)


def test_list_errors_are_reported_with_line_numbers():
    data = b"::1\nbad\n\n10.0.0.1\n01.2.3.4\n\xc3\xa9x\n"
    written, invalid, errors = output(data, "exploded", "list", True)
    assert invalid == 3
    assert [line for line, _, _ in errors] == [2, 5, 6]
    assert written.split(b"\n")[1] == b"bad"
    assert written.startswith(b"0000:0000:0000:0000:0000:0000:0000:0001\nbad\n\n10.0.0.1\n")


def test_small_blocks_cut_long_lines_the_same_way():
    data = mix()[:20000] + b"1:2" * 400 + b" ::1 " * 50 + b"\n" + mix()[:3000]
    for mode in MODES:
        same(data, "compressed", mode, size=97)


def test_non_ascii_lines_go_to_python_together():
    lines = ["é ::1", "::1", "bad", "ü 10.0.0.1", "\u00a010.0.0.2", "x\u2028::2", "\ufeff::3"]
    data = ("\n".join(lines * 40) + "\n").encode("utf-8")
    for mode in MODES:
        for size in (64, 1 << 22):
            same(data, "reverse", mode, size=size)
    _, invalid, errors = output(data, "exploded", "list", True)
    assert invalid == 4 * 40  # "é ::1", "bad", "ü 10.0.0.1", "x\u2028::2"
    assert [line for line, _, _ in errors] == [1, 3, 4, 6, 8, 10, 11, 13, 15, 17]


# --- the scanner itself ---------------------------------------------------------------------


def reference(data: bytes, mode: str) -> list[tuple[str, int, int, int]]:
    """Candidates and values by the Python path: (text, version, hi, lo)."""
    chunk = extractor(mode)(data.decode("utf-8", "surrogateescape"), 1)
    parsed = parse_many(chunk.candidates)
    return list(
        zip(
            chunk.candidates,
            parsed.version.tolist(),
            parsed.hi.tolist(),
            parsed.lo.tolist(),
            strict=True,
        )
    )


def scanned(data: bytes, mode: str, threads: int = 1) -> list[tuple[str, int, int, int]]:
    """The kernel's rows where it decided (ASCII lines only: others go to Python whole)."""
    found = fast.scan(data, mode, threads=threads)
    assert found is not None
    rows = []
    for a, b, v, h, low in zip(
        found.starts.tolist(),
        found.ends.tolist(),
        found.version.tolist(),
        found.hi.tolist(),
        found.lo.tolist(),
        strict=True,
    ):
        assert 0 <= a <= b <= len(data)
        rows.append((data[a:b].decode("utf-8", "surrogateescape"), v, h, low))
    return rows


def check_scan(data: bytes, mode: str) -> None:
    ours = scanned(data, mode)
    if any(v == fast.LINE for _, v, _, _ in ours):
        return  # a non-ASCII line: covered by the whole-conversion comparisons
    theirs = reference(data, mode)
    assert [text for text, *_ in ours] == [text for text, *_ in theirs]
    for mine, ref in zip(ours, theirs, strict=True):
        if mine[1] != 0:  # decided by the kernel: exactly inet_pton's value
            assert mine == ref


@pytest.mark.parametrize("mode", MODES)
def test_scan_matches_extractor_and_parser(mode):
    data = mix()
    check_scan(data, mode)
    ours = scanned(data, mode)
    decided = sum(v in (4, 6) for _, v, _, _ in ours)
    assert decided > 0.99 * len(ours)  # Python sees only the rare rows


def test_inet_pton_agrees_on_what_the_kernel_decides():
    for text in [*SCAN_EDGES, *sample(2000, 11)]:
        for found, v, h, low in scanned(text.encode("utf-8"), "list"):
            if v == 6:
                assert int.from_bytes(socket.inet_pton(socket.AF_INET6, found), "big") == (
                    h << 64 | low
                )
            elif v == 4:
                assert int.from_bytes(socket.inet_pton(socket.AF_INET, found), "big") == low


@pytest.mark.parametrize("mode", MODES)
def test_two_threads_same_rows(mode):
    data = mix()
    data = data * (fast.SPLIT // len(data) + 2)
    one = fast.scan(data, mode, threads=1)
    two = fast.scan(data, mode, threads=2)
    assert one is not None
    assert two is not None
    for a, b in zip(
        (one.starts, one.ends, one.hi, one.lo, one.version),
        (two.starts, two.ends, two.hi, two.lo, two.version),
        strict=True,
    ):
        assert a.tolist() == b.tolist()
    assert (one.newlines, one.asked) == (two.newlines, two.asked)
    assert one.newlines == data.count(b"\n")
    assert one.asked == tuple(i for i, v in enumerate(one.version) if v in (0, fast.LINE))


@pytest.mark.fuzz  # the threaded paths under AddressSanitizer too
@pytest.mark.parametrize("mode", ["list", "any"])
def test_large_blocks_written_by_two_threads_same_bytes(mode):
    data = mix() * 2
    assert len(data) >= fast.SPLIT  # both the scan and the writer split the block
    same(data, "compressed", mode)


@pytest.mark.fuzz
def test_rewrite_refuses_bad_rows():
    ext = fast.extension()
    data = b"::1\n10.0.0.1\n"
    found = fast.scan(data, "list")
    assert found is not None
    out = bytearray(len(data) + fast.MAX_TEXT * len(found))
    assert fast.rewrite(data, 0, len(data), found, "exploded", out) == 39 + 1 + 9
    parts = (found.starts, found.ends, found.hi, found.lo, found.version)
    bad_ends = np.array(found.ends)
    bad_ends[0] = len(data) + 5
    swapped = np.array(found.starts)[::-1].copy()
    for starts, ends in ((found.starts, bad_ends), (swapped, found.ends)):
        with pytest.raises(ValueError, match="rows"):
            ext.rewrite(data, 0, len(data), starts, ends, *parts[2:], 1, out)
    with pytest.raises(ValueError, match="too small"):
        ext.rewrite(data, 0, len(data), *parts, 1, bytearray(10))
    with pytest.raises(ValueError, match="expected"):
        ext.rewrite(data, 0, len(data), found.starts[:1], *parts[1:], 1, out)
    with pytest.raises(ValueError, match="range"):
        ext.rewrite(data, 0, len(data) + 1, *parts, 1, out)
    with pytest.raises(ValueError, match="range"):
        ext.scan(data, 0, 3, 2)
    with pytest.raises(ValueError, match="range"):
        ext.scan(data, 0, 0, len(data) + 1)
    for mode in (-1, 3 + (1 << 20) + 1):  # 3 + K: the CSV column K, up to 2^20
        with pytest.raises(ValueError, match="mode"):
            ext.scan(data, mode)


# --- fuzz (also run under AddressSanitizer by .ci/run) ----------------------------------------

PIECES = st.sampled_from(
    [
        "::", ":", ".", "1", "a", "f", "0", "00", "255", "256", "ffff", "12345", "%", "/", "[",
        "]", " ", "\t", "\n", "\r\n", "\x00", "\x1c", "é", "\u00a0", "\ufeff", "g", "_", "-",
        "\u0663", "\uff11", "\u00b2", "\u2028", "ü",  # Unicode digits, a superscript, a blank
        "2001:db8::1", "10.0.0.1", "::ffff:1.2.3.4", "fe80::1%eth0", "1:2:3:4:5:6:7:8",
        "01.2.3.4", "1.2.3.4.5", "10:41:22",
    ]
)  # fmt: skip
TEXTS = st.lists(PIECES, max_size=60).map("".join).map(lambda s: s.encode("utf-8"))
NOISE = st.binary(max_size=300)
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.fuzz
@FUZZ
@given(data=st.one_of(TEXTS, NOISE), mode=st.sampled_from(MODES), form=st.sampled_from(FORMS))
@example(data=b"1:2" * 200 + b"::", mode="any", form="reverse")
@example(data=b"\n" * 50 + b"\x00", mode="list", form="compressed")
@example(data=b".:" * 300, mode="any", form="exploded")
def test_fuzz_same_as_python(data, mode, form):
    same(data, form, mode)
    check_scan(data, mode)


@pytest.mark.fuzz
@FUZZ
@given(data=TEXTS, mode=st.sampled_from(MODES), size=st.integers(1, 64))
def test_fuzz_chunk_edges(data, mode, size):
    """Tiny blocks: addresses cut at every block edge, lines cut into pieces."""
    same(data, "exploded", mode, size=size)


@pytest.mark.fuzz
@FUZZ
@given(data=NOISE, begin=st.integers(0, 300), end=st.integers(0, 300), mode=st.integers(0, 2))
def test_fuzz_scan_ranges(data, begin, end, mode):
    """Any range inside the buffer is scanned without reading outside it; any other is refused."""
    ext = fast.extension()
    if begin <= end <= len(data):
        starts, ends, *_ = ext.scan(data, mode, begin, end)
        pairs = zip(np.frombuffer(starts, np.int64), np.frombuffer(ends, np.int64), strict=True)
        for a, b in pairs:
            assert begin <= a <= b <= end
    else:
        with pytest.raises(ValueError, match="range"):
            ext.scan(data, mode, begin, end)


# --- the command ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "extract"), [("exploded", "list"), ("reverse", "any"), ("compressed", "combined")]
)
def test_cli_convert_same_bytes_with_and_without_the_extension(tmp_path, form, extract):
    source = tmp_path / "in.txt"
    source.write_bytes(mix() + b"not an address\n\xff\xfe::1\n")
    quick = both_paths("bulk", "convert", "--to", form, "--extract", extract, source)
    assert quick.returncode == (1 if extract == "list" else 0)
    assert len(quick.stdout) > len(source.read_bytes()) // 2


def test_cli_convert_by_hand(tmp_path):
    source = tmp_path / "in.txt"
    source.write_bytes(b"2001:DB8::1\n  10.0.0.1\nbad\nfe80::1%eth0\n")
    result = run("bulk", "convert", "--to", "exploded", source, "-o", tmp_path / "out.txt")
    assert result.returncode == 1
    assert err_lines(result) == [
        f"dualstack: error: {source}:3: 'bad' is not an address: expected IPv4, IPv6 or a MAC "
        "address"
    ]
    assert (tmp_path / "out.txt").read_bytes() == (
        b"2001:0db8:0000:0000:0000:0000:0000:0001\n  10.0.0.1\nbad\n"
        b"fe80:0000:0000:0000:0000:0000:0000:0001\n"
    )
    result = run("bulk", "convert", "--to", "reverse", stdin=b"192.0.2.1\n::1\n")
    assert result.returncode == 0
    assert result.stdout == b"1.2.0.192.in-addr.arpa.\n" + b"1." + b"0." * 31 + b"ip6.arpa.\n"


def test_compiled_path_does_not_import_numpy():
    """Start-up is part of the budget: numpy loads only when a row needs the Python path."""
    import subprocess
    import sys

    code = (
        "import io, sys\n"
        "from dualstack.bulk.convert import convert\n"
        "data = b'2001:db8::1\\n10.0.0.1\\n' * 1000\n"
        "out = [bytes(p) for b in convert(io.BytesIO(data), 'exploded') for p in b.pieces]\n"
        "assert b''.join(out).startswith(b'2001:0db8:'), out[:1]\n"
        "print('numpy' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "False"
