"""``bulk stats`` through the compiled kernels end to end (:mod:`dualstack.bulk.compiled_tally`)
against the numpy path (:func:`dualstack.bulk.pipeline.batches` and
:class:`dualstack.bulk.numpy_tally.Tally`): block for block the same lines, addresses, error
lines and messages, and the same report; the command's output with and without the
extensions."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

np = pytest.importorskip("numpy", reason="numpy is the bulk extra (installed by make test; CI)")


from dualstack.bulk.compiled_tally import CompiledTally, blocks  # noqa: E402
from dualstack.bulk.numpy_tally import Tally  # noqa: E402
from dualstack.bulk.pipeline import batches  # noqa: E402
from dualstack.bulk.source import extractor  # noqa: E402
from tests.bulklab import SCAN_EDGES, both_paths, require_scanner, run, scan_log, scan_mix  # noqa: E402
from tests.testdata import OPTIONS  # noqa: E402

require_scanner()

MODES = ("list", "combined", "any")


def mix(count: int = 50000) -> bytes:
    return scan_mix(count)


def log() -> bytes:
    return scan_log(3000)


def compare(data: bytes, mode: str, size: int = 1 << 22) -> None:
    """Block for block: line counts, addresses, errors; then the whole report, with the
    default transition options and with extra NAT64 prefixes and a 6rd domain."""
    slow = list(batches(io.BytesIO(data), extractor(mode), size=size))
    quick = list(blocks(io.BytesIO(data), mode, size=size))
    assert len(quick) == len(slow)
    for q, s in zip(quick, slow, strict=True):
        assert q.lines == s.lines
        assert q.candidates == len(s.parsed)
        assert q.addresses == s.addresses
        assert q.invalid == s.invalid
        assert q.skipped == s.skipped
        for limit in (0, 1, 3, 10):
            assert q.errors(limit) == s.errors(limit)
    assert compiled_report(quick) == numpy_report(slow)
    transition = list(batches(io.BytesIO(data), extractor(mode), OPTIONS, size=size))
    quick_transition = list(blocks(io.BytesIO(data), mode, size=size, options=OPTIONS))
    assert compiled_report(quick_transition) == numpy_report(transition)


def compiled_report(items: list) -> object:
    counter = CompiledTally()
    for item in items:
        counter.add(item)
    return counter.result()


def numpy_report(items: list) -> object:
    counter = Tally()
    for item in items:
        counter.add(item)
    return counter.result()


@pytest.mark.parametrize("mode", MODES)
def test_mix_same_rows_and_report(mode):
    compare(mix(), mode)


@pytest.mark.parametrize("mode", MODES)
def test_log_same_rows_and_report(mode):
    compare(log(), mode)


@pytest.mark.parametrize("mode", MODES)
def test_edges_same_rows(mode):
    for text in SCAN_EDGES:
        compare(text.encode("utf-8", "surrogateescape"), mode)
        compare((text + "\n" + text + "\r\n").encode("utf-8"), mode)
    compare(("\n".join(SCAN_EDGES * 3) + "\n").encode("utf-8"), mode)


@pytest.mark.parametrize("mode", MODES)
def test_small_blocks_and_long_lines(mode):
    data = mix(2000)[:20000] + b"1:2" * 400 + b" ::1 " * 50 + b"\n" + mix(2000)[:3000]
    compare(data, mode, size=97)


def test_non_ascii_lines_spliced_in_order():
    """Lines left whole to Python hold none, one or several candidates, between kernel rows."""
    lines = ["é ::1 10.0.0.1 x", "::1", "bad", "\u00a0", "ü 10.0.0.1", "x\u2028::2", "\ufeff::3"]
    lines += ["é", "1.2.3.4 é fe80::1%eth0 [2001:db8::1]:80", "01.2.3.4", "2001:db8::/32"]
    data = ("\n".join(lines * 40) + "\n").encode("utf-8")
    for mode in MODES:
        for size in (64, 1 << 22):
            compare(data, mode, size=size)


def test_addresses_before_a_line_left_to_python_are_counted_once():
    """The kernel counts a line's addresses only once the line is read: in any mode a
    non-ASCII letter next to a later candidate hands the whole line to Python, and the
    addresses found before it in the line are then Python's to count, not counted twice."""
    lines = ["10.0.0.1 2001:db8::5é", "::1 ::2 é::3", "192.0.2.1,2001:db8::7\u00e9x", "::4"]
    data = ("\n".join(lines * 30) + "\n").encode("utf-8")
    for size in (40, 1 << 22):
        compare(data, "any", size=size)
    report = compiled_report(list(blocks(io.BytesIO(data), "any")))
    assert report.addresses == report.ipv4 + report.ipv6
    assert report.ipv4 == 60  # 10.0.0.1 and 192.0.2.1, thirty times each


def test_list_errors_with_line_numbers():
    data = b"::1\nbad\n\n10.0.0.1\n01.2.3.4\n\xc3\xa9x\n \t\nfe80::1%eth0\n::1\xff\n1.2.3\n" * 3
    compare(data, "list")
    compare(data, "list", size=16)
    listed = [e for item in blocks(io.BytesIO(data), "list") for e in item.errors(10)]
    assert [line for line, _, _ in listed] == [2, 5, 6, 9, 10, 12, 15, 16, 19, 20]
    assert listed[0][1] == "bad"


def test_first_errors_of_many_blocks():
    data = b"".join(b"::1\nx%d\n" % i for i in range(500))
    compare(data, "list", size=100)


# --- the command ----------------------------------------------------------------------------


def both(*args: str | Path, stdin: bytes | None = None):
    return both_paths("bulk", "stats", *args, stdin=stdin)


@pytest.mark.parametrize("extract", MODES)
def test_cli_stats_json_same_with_and_without_the_extension(tmp_path, extract):
    source = tmp_path / "in.txt"
    source.write_bytes(mix() + b"not an address\n\xff\xfe::1\n")
    result = both("--json", "--extract", extract, source)
    assert result.returncode == (1 if extract == "list" else 0)
    report = json.loads(result.stdout)
    assert report["addresses"] > 40000


def test_cli_stats_log_and_text_report_same(tmp_path):
    source = tmp_path / "access.log"
    source.write_bytes(log())
    for extract in MODES:
        both("--json", "--extract", extract, source)
        both("--extract", extract, source)
    result = both("--extract", "list", stdin=mix(3000) + b"bad\n" * 20)
    assert result.returncode == 1
    assert b"more lines are not addresses" in result.stderr


# --- the plain command line, without Click ------------------------------------------------


@pytest.mark.parametrize(
    ("args", "plain"),
    [
        (["bulk", "stats"], (None, "list", False)),
        (["bulk", "stats", "-"], ("-", "list", False)),
        (["bulk", "stats", "--json", "f"], ("f", "list", True)),
        (["bulk", "stats", "--extract", "any", "f"], ("f", "any", False)),
        (["bulk", "stats", "f", "--extract=combined", "--json"], ("f", "combined", True)),
        (["bulk", "stats", "--extract", "csv", "f"], None),  # Click says what is wrong
        (["bulk", "stats", "--extract"], None),
        (["bulk", "stats", "f", "g"], None),
        (["bulk", "stats", "--help"], None),
        (["bulk", "stats", "--csv-column", "ip", "f"], None),
        (["bulk", "stats", "--nat64-prefix", "2001:db8:64::/96", "f"], None),
        (["bulk", "stats", "a\0b"], None),
        (["bulk", "uniq", "f"], None),
    ],
)
def test_which_command_lines_skip_click(args: list[str], plain: object) -> None:
    from dualstack.cli import _plain_stats

    assert _plain_stats(args) == plain


def test_plain_and_click_paths_print_the_same(tmp_path):
    """``--distinct-memory 64`` (the default) sends the same command through Click."""
    source = tmp_path / "in.txt"
    source.write_bytes(mix(3000) + b"not an address\n")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    for args in (
        ["--json", source],
        [source],
        ["--extract", "any", source],
        ["--json", empty],
        [empty],
        [tmp_path / "missing.txt"],
    ):
        plain = run("bulk", "stats", *args)
        clicked = run("bulk", "stats", "--distinct-memory", "64", *args)
        assert (plain.returncode, plain.stdout, plain.stderr) == (
            clicked.returncode,
            clicked.stdout,
            clicked.stderr,
        )
    assert run("bulk", "stats", empty).returncode == 0
    assert b"cannot read" in run("bulk", "stats", tmp_path / "missing.txt").stderr


def test_an_empty_file_reports_as_empty_stdin_does(tmp_path):
    """The empty-file report is built without the engine; stdin goes through it."""
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    for flag in ([], ["--json"]):
        from_file = run("bulk", "stats", *flag, empty)
        from_stdin = run("bulk", "stats", *flag, stdin=b"")
        assert from_file.stdout == from_stdin.stdout
        assert from_file.returncode == from_stdin.returncode == 0
