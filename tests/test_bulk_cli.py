"""`dualstack bulk` end to end: the real CLI in a subprocess on small hand-built inputs.

Every expected value below is known by construction (counted or anonymised by hand), not
computed by the code under test; where the core `dualstack inspect` is the reference, the test
says so. Every run also checks the project rule that no Python traceback reaches stderr.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("numpy", reason="numpy is the bulk extra (installed by make test; CI)")

from tests.bulklab import err_lines, run

TEREDO_1 = "2001:0:4136:e378:8000:63bf:3fff:fdd2"
TEREDO_2 = "2001:0:4136:e378:8000:63bf:3fff:fdd3"
TEREDO_3 = "2001:0:53aa:64c:0:fbff:b0ff:fffe"
SIXTOFOUR_1 = "2002:c000:204::1"
SIXTOFOUR_2 = "2002:cb00:7101::5"
EUI64_INTEL = "2001:db8:1:2:21b:21ff:fe3a:4b5c"  # MAC 00:1b:21:3a:4b:5c, Intel OUI 00:1b:21
LOW_BYTE = "2001:db8:1:2::1"


def write(path: Path, lines: list[str], newline: str = "\n") -> Path:
    path.write_text(newline.join(lines) + newline, encoding="utf-8", newline="")
    return path


def stats_json(*args: str | Path, stdin: bytes | None = None) -> tuple[int, dict[str, Any]]:
    result = run("bulk", "stats", "--json", *args, stdin=stdin)
    return result.returncode, json.loads(result.stdout)


# --- 1. stats ------------------------------------------------------------------------------

STATS_LIST = [
    TEREDO_1,
    TEREDO_2,
    TEREDO_3,
    SIXTOFOUR_1,
    SIXTOFOUR_2,
    "192.0.2.1",
    "198.51.100.7",
    "10.0.0.1",
    "8.8.8.8",
    EUI64_INTEL,
    LOW_BYTE,
    "2001:DB8:1:2::1",  # duplicate of LOW_BYTE, written differently
    "10.0.0.1",  # duplicate
]


def test_stats_json_counts_known_by_construction(tmp_path: Path) -> None:
    code, data = stats_json(write(tmp_path / "list.txt", STATS_LIST))
    assert code == 0
    assert data["schema"] == "dualstack-bulk-stats/1"
    assert (data["lines"], data["candidates"], data["invalid"]) == (13, 13, 0)
    assert (data["ipv4"], data["ipv6"], data["unique"]) == (5, 8, 11)
    assert data["unique_estimated"] is False
    six = data["types"]["ipv6"]
    assert six["teredo"] == 3  # addr6 famously reports 0 here
    assert six["6to4"] == 2
    assert six["eui64"] == 1
    assert six["unicast"] == six["global-unicast"] == 8
    assert data["types"]["ipv4"]["private"] == 2  # 10.0.0.1 twice
    assert data["types"]["ipv4"]["documentation"] == 2  # 192.0.2.1, 198.51.100.7
    assert data["embedded_ipv4"] == {"6to4": 2, "teredo": 3}
    assert data["iid"] == {"teredo": 3, "ieee-derived": 1, "low-byte": 4}
    assert data["top_vendors"] == [{"vendor": "Intel Corporate [001b21]", "count": 1}]
    assert data["top_prefixes"]["/64"][0] == {"prefix": "2001:db8:1:2::/64", "count": 3}
    assert data["top_prefixes"]["/48"][1] == {"prefix": "2001:0:4136::/48", "count": 2}
    assert data["top_exact"] is True
    assert data["errors"] == []


def test_stats_text_report(tmp_path: Path) -> None:
    result = run("bulk", "stats", write(tmp_path / "list.txt", STATS_LIST))
    assert result.returncode == 0
    assert result.stderr == b""
    text = result.stdout.decode()
    assert text.startswith("Addresses: 13 from 13 lines\n")
    assert "unique addresses: 11" in text
    assert "Intel Corporate [001b21]" in text
    teredo = [line.split() for line in text.splitlines() if line.split()[:1] == ["teredo"]]
    assert ["teredo", "3", "37.5%"] in teredo  # the type line and the IID-class line


# --- 2. list-mode errors ---------------------------------------------------------------------


def test_list_mode_bad_lines_are_reported_by_line_and_the_report_still_printed(
    tmp_path: Path,
) -> None:
    lines = ["::1", "10.0.0.1", "bogus", "2001:db8::1", "", "1.2.3.4", "not an address"]
    path = write(tmp_path / "bad.txt", lines)
    result = run("bulk", "stats", "--json", path)
    assert result.returncode == 1
    errors = err_lines(result)
    assert len(errors) == 2
    assert errors[0].startswith(f"dualstack: error: {path}:3: ")
    assert "'bogus'" in errors[0]
    assert errors[1].startswith(f"dualstack: error: {path}:7: ")
    assert "'not an address'" in errors[1]
    data = json.loads(result.stdout)
    assert (data["ipv4"], data["ipv6"], data["invalid"], data["addresses"]) == (2, 2, 2, 4)
    found = [(e["line"], e["input"]) for e in data["errors"]]
    assert found == [(3, "bogus"), (7, "not an address")]


def test_list_mode_same_answer_for_crlf_and_lf() -> None:
    lines = [b"::1", b"10.0.0.1\xc2\xa0", b"bad\x0c", b"10.0.0.2"]
    lf = run("bulk", "uniq", stdin=b"\n".join(lines) + b"\n")
    crlf = run("bulk", "uniq", stdin=b"\r\n".join(lines) + b"\r\n")
    assert lf.returncode == 1
    assert [e.split(" '")[0] for e in err_lines(lf)] == ["dualstack: error: stdin:3:"]
    assert (crlf.returncode, crlf.stdout, crlf.stderr) == (lf.returncode, lf.stdout, lf.stderr)


def test_list_mode_shows_ten_errors_then_a_count(tmp_path: Path) -> None:
    lines: list[str] = []
    bad_lines: list[int] = []
    for i in range(1, 21):  # 15 bad lines, a good one every fourth line
        if i % 4 == 0:
            lines.append(f"2001:db8::{i}")
        else:
            lines.append(f"bad{i}")
            bad_lines.append(i)
    assert len(bad_lines) == 15
    path = write(tmp_path / "many.txt", lines)
    result = run("bulk", "stats", path)
    assert result.returncode == 1
    errors = err_lines(result)
    assert len(errors) == 11
    for line_no, message in zip(bad_lines[:10], errors[:10], strict=True):
        assert message.startswith(f"dualstack: error: {path}:{line_no}: 'bad{line_no}' ")
    assert errors[10] == f"dualstack: error: {path}: 5 more lines are not addresses"
    assert result.stdout.decode().startswith("Addresses: 5 from 20 lines")


def test_list_mode_line_numbers_carry_across_read_blocks(tmp_path: Path) -> None:
    """Input is read in 4 MiB blocks; a 5 MB file puts the second bad line in a later block."""
    lines = [f"2001:db8::{i >> 16:x}:{i & 0xFFFF:x}" for i in range(300_000)]
    lines[2] = "bad-early"
    lines[290_000] = "bad-late"
    path = write(tmp_path / "big.txt", lines)
    assert path.stat().st_size > 1 << 22
    result = run("bulk", "stats", "--json", path)
    assert result.returncode == 1
    assert [e.split(" '")[0] for e in err_lines(result)] == [
        f"dualstack: error: {path}:3:",
        f"dualstack: error: {path}:290001:",
    ]
    data = json.loads(result.stdout)
    assert (data["lines"], data["ipv6"], data["unique"], data["invalid"]) == (
        300_000,
        299_998,
        299_998,
        2,
    )


def test_list_mode_line_numbers_with_crlf(tmp_path: Path) -> None:
    lines = [f"10.0.0.{i}" for i in range(1, 121)]
    lines[99] = "bogus"
    path = write(tmp_path / "crlf.txt", lines, newline="\r\n")
    result = run("bulk", "stats", path)
    assert result.returncode == 1
    assert err_lines(result)[0].startswith(f"dualstack: error: {path}:100: 'bogus'")


# --- 3./4. anonymize -------------------------------------------------------------------------

# Placeholders: <Hn> is the first field of line n, <A..> an address elsewhere in a line.
LOG_TEMPLATE = (
    b'<H1> - - [25/Nov/2026:10:41:22 +0000] "GET /fwd?ip=<A4>&v6=<A6> HTTP/1.1" 200 512 '
    b'"-" "curl/8.0"\r\n'
    b'<H2> - - [25/Nov/2026:10:41:23 +0000] "GET /x HTTP/1.1" 200 5 "http://[<AB>]:443/p" '
    b'"Mozilla/5.0"\r\n'
    b'<H3> - - [25/Nov/2026:10:41:24 +0000] "GET /caf\xe9\xff\xfe HTTP/1.1" 404 0 "-" '
    b'"peer <AZ>%eth0"\r\n'
    b'<H4> - - [25/Nov/2026:10:41:25 +0000] "POST /api HTTP/1.1" 201 9 "-" "x"'
)
ORIGINAL = {
    b"<H1>": b"10.1.2.3",
    b"<A4>": b"10.1.2.3",
    b"<A6>": b"2001:db8:1:2:a:b:c:d",
    b"<H2>": b"2001:db8:1:2:a:b:c:d",
    b"<AB>": b"2001:db8::1",
    b"<H3>": b"192.0.2.77",
    b"<AZ>": b"fe80::1",
    b"<H4>": b"2001:db8:abcd:12ff:9c4e:71a2:e5b3:f08d",
}
# Worked by hand: IPv4 keeps /24; IPv6 keeps /56 and a non-special IID becomes zero.
ANONYMISED = {
    b"<H1>": b"10.1.2.0",
    b"<A4>": b"10.1.2.0",
    b"<A6>": b"2001:db8:1::",
    b"<H2>": b"2001:db8:1::",
    b"<AB>": b"2001:db8::",
    b"<H3>": b"192.0.2.0",
    b"<AZ>": b"fe80::",
    b"<H4>": b"2001:db8:abcd:1200::",
}


def fill(values: dict[bytes, bytes]) -> bytes:
    out = LOG_TEMPLATE
    for key, value in values.items():
        out = out.replace(key, value)
    return out


def test_log_template_is_what_the_test_thinks() -> None:
    original = fill(ORIGINAL)
    assert b"\r\n" in original
    assert not original.endswith(b"\n")
    assert original.count(b"\n") == 3
    assert b"\xe9\xff\xfe" in original
    for key in ORIGINAL:
        assert key not in original


def test_anonymize_any_changes_only_the_address_bytes(tmp_path: Path) -> None:
    log = tmp_path / "access.log"
    log.write_bytes(fill(ORIGINAL))
    result = run("bulk", "anonymize", "--extract", "any", log)
    assert result.returncode == 0
    assert result.stderr == b""
    assert result.stdout == fill(ANONYMISED)


def test_anonymize_combined_changes_only_the_first_field(tmp_path: Path) -> None:
    log = tmp_path / "access.log"
    log.write_bytes(fill(ORIGINAL))
    result = run("bulk", "anonymize", "--extract", "combined", log)
    assert result.returncode == 0
    expected = {k: (ANONYMISED[k] if k.startswith(b"<H") else v) for k, v in ORIGINAL.items()}
    assert result.stdout == fill(expected)


def test_anonymize_mask_lengths_and_zero_method() -> None:
    lines = [
        "10.1.2.3",
        "2001:db8:1:2:a:b:c:d",
        EUI64_INTEL,
        TEREDO_1,
        "ff02::1:ff00:1",
        "2002:c000:22d:1::1",
        "ff02::1:3",
    ]
    stdin = ("\n".join(lines) + "\n").encode()
    zero = run("bulk", "anonymize", "--method", "zero", "--mask-ipv4", "16", "--mask-ipv6", "48",
               stdin=stdin)  # fmt: skip
    assert zero.returncode == 0
    assert zero.stdout.decode().splitlines() == [  # ipv6calc's zeroize (test_anonymize_ipv6calc)
        "10.1.0.0",
        "2001:db8:1::",
        "2001:db8:1:0:21b:21ff:fe00:0",  # EUI-64 keeps its OUI and ff:fe
        "2001:0:4136:e378:8000:ffff:3fff:ffff",  # Teredo: server kept, client /16, port 0
        "ff02::1:ff00:0",  # solicited-node: its low 24 bits are a unicast address's
        "2002:c000::",  # 6to4: the site's IPv4 cut to /16 too
        "ff02::1:3",  # multicast names a group, not a host: kept
    ]
    keep = run("bulk", "anonymize", stdin=stdin)
    assert keep.stdout.decode().splitlines() == [
        "10.1.2.0",
        "2001:db8:1::",
        "2001:db8:1:0:21b:21ff:fe00:0",  # EUI-64 keeps its OUI and ff:fe
        "2001:0:4136:e378:8000:ffff:3fff:fdff",  # Teredo: server kept, client /24, port 0
        "ff02::1:ff00:0",
        "2002:c000:200::",
        "ff02::1:3",
    ]


def test_anonymize_agrees_with_inspect_anonymized_field() -> None:
    """The vectorised rewrite and the core (`inspect --json`'s "anonymized") agree."""
    addresses = [
        TEREDO_1,
        "2002:c000:204:5:6:7:8:9",
        EUI64_INTEL,
        "64:ff9b::192.0.2.33",
        "::ffff:192.0.2.200",
        "2001:db8:1:2:0:5efe:192.0.2.4",
        "fe80::1",
        "2001:db8:abcd:12ff:1:2:3:4",
        "10.1.2.3",
    ]
    stdin = ("\n".join(addresses) + "\n").encode()
    bulk = run("bulk", "anonymize", "--extract", "list", "--mask-ipv4", "8", "--mask-ipv6", "40",
               stdin=stdin)  # fmt: skip
    core = run("inspect", "--json", "--anonymize-ipv4-bits", "8", "--anonymize-ipv6-bits", "40",
               *addresses)  # fmt: skip
    assert core.returncode == 0
    expected = [json.loads(line)["anonymized"] for line in core.stdout.splitlines()]
    assert bulk.stdout.decode().splitlines() == expected


def test_anonymize_output_file_and_default_extract_any(tmp_path: Path) -> None:
    log = tmp_path / "access.log"
    log.write_bytes(fill(ORIGINAL))
    out = tmp_path / "anon.log"
    result = run("bulk", "anonymize", log, "-o", out)  # no --extract: "any" is the default
    assert result.returncode == 0
    assert (result.stdout, result.stderr) == (b"", b"")
    assert out.read_bytes() == fill(ANONYMISED)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["access.log", "anon.log"]


def test_anonymize_missing_input_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "anon.log"
    missing = tmp_path / "nope.log"
    result = run("bulk", "anonymize", missing, "-o", out)
    assert result.returncode == 2
    assert err_lines(result) == [
        f"dualstack: error: cannot read {missing}: No such file or directory"
    ]
    assert result.stdout == b""
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []  # no temp file left behind


def test_anonymize_missing_output_folder_is_not_created(tmp_path: Path) -> None:
    out = tmp_path / "sub" / "a.log"
    result = run("bulk", "anonymize", "-o", out, stdin=b"10.1.2.3\n")
    assert result.returncode == 2
    assert err_lines(result) == [f"dualstack: error: cannot write {out}: No such file or directory"]
    assert list(tmp_path.iterdir()) == []


def test_anonymize_list_mode_keeps_crlf_padding_and_bad_lines() -> None:
    stdin = b"10.1.2.3\r\n  2001:db8:1:2:a:b:c:d\t\r\n\r\n not-an-address \r\n192.0.2.77"
    result = run("bulk", "anonymize", "--extract", "list", stdin=stdin)
    assert result.returncode == 1
    assert result.stdout == (b"10.1.2.0\r\n  2001:db8:1::\t\r\n\r\n not-an-address \r\n192.0.2.0")
    assert [e.split(" '")[0] for e in err_lines(result)] == ["dualstack: error: stdin:4:"]


def test_anonymize_any_address_followed_by_a_port() -> None:
    stdin = b"upstream 10.1.2.3:8080 ok; peer [2001:db8:1:2::7]:443\n"
    result = run("bulk", "anonymize", stdin=stdin)
    assert result.returncode == 0
    assert result.stdout == b"upstream 10.1.2.0:8080 ok; peer [2001:db8:1::]:443\n"


def test_anonymize_csv_column_keeps_other_bytes() -> None:
    stdin = (
        b"time,client,bytes\r\n"
        b'"2026-11-25 10:41:22","10.1.2.3",5\r\n'
        b"t2,2001:db8:1:2:a:b:c:d,7\r\n"
        b"t3,,9\r\n"
        b'"t4","host, example",1\r\n'
        b't5,"2001:db8::9"'
    )
    result = run("bulk", "anonymize", "--csv-column", "client", stdin=stdin)
    assert result.returncode == 0
    assert result.stdout == (
        b"time,client,bytes\r\n"
        b'"2026-11-25 10:41:22","10.1.2.0",5\r\n'
        b"t2,2001:db8:1::,7\r\n"
        b"t3,,9\r\n"
        b'"t4","host, example",1\r\n'
        b't5,"2001:db8::"'
    )


def test_anonymize_csv_column_keeps_cell_padding() -> None:
    result = run("bulk", "anonymize", "--csv-column", "client", stdin=b"t,client\n1, 10.1.2.3\n")
    assert result.stdout == b"t,client\n1, 10.1.2.0\n"


# --- 5. annotate -----------------------------------------------------------------------------

ANNOTATE_LIST = [
    TEREDO_1,
    EUI64_INTEL,
    "10.0.0.1",
    "fe80::1%eth0",
    "64:ff9b::192.0.2.33",
    "bad",
]


def test_annotate_jsonl_rows_equal_inspect_json(tmp_path: Path) -> None:
    path = write(tmp_path / "ann.txt", ANNOTATE_LIST)
    result = run("bulk", "annotate", "--format", "jsonl", path)
    assert result.returncode == 1
    assert [e.split(" '")[0] for e in err_lines(result)] == [f"dualstack: error: {path}:6:"]
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["input"] for r in rows] == ANNOTATE_LIST
    core = run("inspect", "--json", *ANNOTATE_LIST[:5])
    assert core.returncode == 0
    assert rows[:5] == [json.loads(line) for line in core.stdout.splitlines()]
    assert rows[0]["teredo"]["client"] == "192.0.2.45"
    assert rows[1]["iid"]["vendor"] == "Intel Corporate"
    assert rows[3]["zone"] == "eth0"
    assert set(rows[5]) == {"schema", "input", "error"}
    assert rows[5]["input"] == "bad"
    assert "'bad' is not an address" in rows[5]["error"]


def test_annotate_jsonl_many_rows_keep_order_and_error_rows(tmp_path: Path) -> None:
    lines = [f"2001:db8::{i:x}" for i in range(1, 20_001)]
    lines[2], lines[17_999] = "bad-a", "bad-b"
    path = write(tmp_path / "many.txt", lines)
    result = run("bulk", "annotate", path)
    assert result.returncode == 1
    assert [e.split(" '")[0] for e in err_lines(result)] == [
        f"dualstack: error: {path}:3:",
        f"dualstack: error: {path}:18000:",
    ]
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["input"] for r in rows] == lines
    assert [i for i, r in enumerate(rows) if "error" in r] == [2, 17_999]
    assert rows[19_999]["address"] == "2001:db8::4e20"


def test_annotate_csv_header_and_rows(tmp_path: Path) -> None:
    path = write(tmp_path / "ann.txt", ANNOTATE_LIST)
    result = run("bulk", "annotate", "--format", "csv", path)
    assert result.returncode == 1
    table = list(csv.reader(io.StringIO(result.stdout.decode())))
    header, body = table[0], table[1:]
    assert header[:4] == ["input", "kind", "address", "exploded"]
    assert header[-1] == "error"
    assert len(body) == len(ANNOTATE_LIST)
    rows = [dict(zip(header, row, strict=True)) for row in body]
    assert [r["input"] for r in rows] == ANNOTATE_LIST
    assert [r["error"] == "" for r in rows] == [True] * 5 + [False]
    assert rows[0]["types"] == "unicast global-unicast teredo"
    assert rows[0]["teredo_client"] == "192.0.2.45"
    assert rows[1]["vendor"] == "Intel Corporate"
    assert rows[2]["anonymized"] == "10.0.0.0"
    assert rows[5]["kind"] == ""


def test_annotate_parquet(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    path = write(tmp_path / "ann.txt", ANNOTATE_LIST)
    no_output = run("bulk", "annotate", "--format", "parquet", path)
    assert no_output.returncode == 2
    assert b"needs -o" in no_output.stderr
    out = tmp_path / "ann.parquet"
    result = run("bulk", "annotate", "--format", "parquet", path, "-o", out)
    assert result.returncode == 1
    rows = pq.read_table(out).to_pylist()
    assert [r["input"] for r in rows] == ANNOTATE_LIST
    assert rows[1]["vendor"] == "Intel Corporate"
    assert rows[5]["kind"] is None
    assert rows[5]["error"]


def test_annotate_fields_in_every_format(tmp_path: Path) -> None:
    """--fields: the members (jsonl) or columns (csv, parquet) asked, input always; the rest
    of each row is the full row's."""
    import pyarrow.parquet as pq

    path = write(tmp_path / "ann.txt", ANNOTATE_LIST)
    full = [json.loads(line) for line in run("bulk", "annotate", path).stdout.splitlines()]
    result = run("bulk", "annotate", "--fields", "teredo,address", path)
    assert result.returncode == 1
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    keep = ("schema", "input", "address", "teredo")
    assert rows[:5] == [{k: r[k] for k in keep} for r in full[:5]]
    assert rows[5] == full[5]  # an error row stays whole
    as_csv = run("bulk", "annotate", "--format", "csv", "--fields", "mac,kind", path)
    table = list(csv.reader(io.StringIO(as_csv.stdout.decode())))
    assert table[0] == ["input", "kind", "mac", "error"]
    assert table[2][:3] == [EUI64_INTEL, "ipv6", "00:1b:21:3a:4b:5c"]
    out = tmp_path / "ann.parquet"
    run("bulk", "annotate", "--format", "parquet", "--fields", "vendor", path, "-o", out)
    assert pq.read_table(out).column_names == ["input", "vendor", "error"]
    for fmt, name in (("jsonl", "mac"), ("csv", "teredo"), ("parquet", "nope")):
        refused = run("bulk", "annotate", "--format", fmt, "--fields", name, path, "-o", out)
        assert refused.returncode == 2
        vocabulary = "jsonl" if fmt == "jsonl" else "csv"
        (line,) = err_lines(refused)
        assert line.startswith(
            f"dualstack: error: Invalid value for --fields: unknown {vocabulary} field '{name}'"
            " (known: "
        )


def test_bad_line_with_invalid_utf8_in_annotate_and_stats_json() -> None:
    stdin = b"::1\nb\xffad\n"
    annotated = run("bulk", "annotate", stdin=stdin)
    assert annotated.returncode == 1
    rows = [json.loads(line) for line in annotated.stdout.decode("utf-8").splitlines()]
    assert rows[0]["address"] == "::1"
    assert set(rows[1]) == {"schema", "input", "error"}
    stats = run("bulk", "stats", "--json", stdin=stdin)
    assert stats.returncode == 1
    data = json.loads(stats.stdout.decode("utf-8"))  # valid UTF-8 JSON despite the input
    assert (data["ipv6"], data["invalid"]) == (1, 1)
    assert [e["line"] for e in data["errors"]] == [2]


# --- 6. filter -------------------------------------------------------------------------------

FILTER_LIST = [
    "2001:0:4136:E378:8000:63bf:3fff:fdd2",  # Teredo, printed as given
    "2001:db8::1",
    "2001:db8:5::a1b2:c3d4:e5f6:789a",
    "10.1.2.3",
    "2002:c000:204::1",
    TEREDO_3,
    "  2001:db8:ffff::2  ",
    "192.0.2.9",
    "10.200.0.1",
    "2001:db9::5",
    "fe80::1%eth0",
]


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--type", "teredo"], ["2001:0:4136:E378:8000:63bf:3fff:fdd2", TEREDO_3]),
        (["--prefix", "2001:db8::/32", "--block-iid", "low-byte"],
         ["2001:db8:5::a1b2:c3d4:e5f6:789a"]),
        (["--prefix", "10.0.0.0/8"], ["10.1.2.3", "10.200.0.1"]),
        (["--type", "6to4", "--type", "link-local", "--scope", "link-local"],
         ["fe80::1%eth0"]),  # accept options combine with AND: 2002:c000:204::1 is global
        (["--type", "6to4", "--type", "link-local"], ["2002:c000:204::1", "fe80::1%eth0"]),
        (["--type", "teredo", "--block-prefix", "2001:0:53aa::/48"],
         ["2001:0:4136:E378:8000:63bf:3fff:fdd2"]),
    ],
)  # fmt: skip
def test_filter(tmp_path: Path, options: list[str], expected: list[str]) -> None:
    path = write(tmp_path / "f.txt", FILTER_LIST)
    result = run("bulk", "filter", *options, path)
    assert result.returncode == 0
    assert result.stderr == b""
    assert result.stdout.decode().splitlines() == expected


def test_filter_unknown_type_lists_the_valid_ones(tmp_path: Path) -> None:
    path = write(tmp_path / "f.txt", FILTER_LIST)
    result = run("bulk", "filter", "--type", "tredo", path)
    assert result.returncode == 2
    assert result.stdout == b""
    (line,) = err_lines(result)
    assert line.startswith("dualstack: error: --type 'tredo' is not one of: ")
    valid = line.split("is not one of: ")[1].split(", ")
    assert {"teredo", "6to4", "eui64", "link-local", "documentation"} <= set(valid)


def test_filter_unknown_block_iid_class(tmp_path: Path) -> None:
    path = write(tmp_path / "f.txt", FILTER_LIST)
    result = run("bulk", "filter", "--block-iid", "lowbyte", path)
    assert result.returncode == 2
    (line,) = err_lines(result)
    assert line.startswith("dualstack: error: --iid 'lowbyte' is not one of: ")
    assert "low-byte" in line.split("is not one of: ")[1].split(", ")


def test_filter_bad_prefix_is_a_usage_error(tmp_path: Path) -> None:
    path = write(tmp_path / "f.txt", FILTER_LIST)
    result = run("bulk", "filter", "--prefix", "2001:db8::1/32", path)
    assert result.returncode == 2
    assert result.stdout == b""
    assert "host bits set" in result.stderr.decode()


# --- 7. uniq ---------------------------------------------------------------------------------


def test_uniq_folds_spellings_of_one_address() -> None:
    stdin = b"2001:DB8::1\n2001:db8:0::1\n2001:db8::1\n"
    result = run("bulk", "uniq", stdin=stdin)
    assert (result.returncode, result.stdout, result.stderr) == (0, b"2001:db8::1\n", b"")
    counted = run("bulk", "uniq", "-c", stdin=stdin)
    assert counted.stdout == b"       3 2001:db8::1\n"


def test_uniq_keeps_first_seen_order_for_both_families(tmp_path: Path) -> None:
    lines = [
        "10.0.0.2",
        "2001:db8::b",
        "10.0.0.1",
        "2001:DB8:0:0::B",
        "10.0.0.2",
        "2001:db8::a",
        "::ffff:10.0.0.1",  # IPv4-mapped IPv6: a different address from 10.0.0.1
    ]
    path = write(tmp_path / "u.txt", lines, newline="\r\n")
    counted = run("bulk", "uniq", "--count", path)
    assert (counted.returncode, counted.stderr) == (0, b"")
    assert [line.split() for line in counted.stdout.decode().splitlines()] == [
        ["2", "10.0.0.2"],
        ["2", "2001:db8::b"],
        ["1", "10.0.0.1"],
        ["1", "2001:db8::a"],
        ["1", "::ffff:10.0.0.1"],
    ]


def test_uniq_reports_bad_lines_and_goes_on() -> None:
    result = run("bulk", "uniq", stdin=b"::1\nbad\n::1\n10.0.0.1\n")
    assert result.returncode == 1
    assert result.stdout == b"::1\n10.0.0.1\n"
    assert [e.split(" '")[0] for e in err_lines(result)] == ["dualstack: error: stdin:2:"]


# --- 8. CSV column ---------------------------------------------------------------------------

CSV_TEXT = (
    "time,client,bytes\r\n"
    '"2026-11-25 10:41:22",10.1.2.3,512\r\n'
    '"2026-11-25 10:41:23","2001:db8::1",5\r\n'
    "2026-11-25 10:41:24,192.0.2.8,99\r\n"
    "2026-11-25 10:41:25,2001:DB8::1,7\r\n"
    "2026-11-25 10:41:26,10.1.2.4,1\r\n"
)


def test_csv_column_stats_counts_that_column(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_bytes(CSV_TEXT.encode())
    code, data = stats_json("--csv-column", "client", path)
    assert code == 0
    assert (data["ipv4"], data["ipv6"], data["unique"]) == (3, 2, 4)
    assert data["types"]["ipv6"]["documentation"] == 2
    uniq = run("bulk", "uniq", "--csv-column", "client", path)
    assert uniq.stdout.decode().splitlines() == ["10.1.2.3", "2001:db8::1", "192.0.2.8", "10.1.2.4"]


def test_csv_unknown_column_names_it_and_the_header(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_bytes(CSV_TEXT.encode())
    result = run("bulk", "stats", "--csv-column", "host", path)
    assert result.returncode == 2
    assert result.stdout == b""
    assert err_lines(result) == [
        "dualstack: error: CSV column 'host' not found; the header has time, client, bytes"
    ]


def test_csv_column_with_a_byte_order_mark() -> None:
    code, data = stats_json("--csv-column", "time", stdin=b"\xef\xbb\xbftime,client\n10.0.0.1,x\n")
    assert code == 0
    assert data["ipv4"] == 1


@pytest.mark.parametrize(
    ("args", "stdin"),
    [
        (["--extract", "combined"],
         b'host.example - - [x] "GET /"\n10.0.0.1 - - [x] "GET /"\n- - - [x] "GET /"\n'),
        (["--csv-column", "client"], b"t,client\n1,host.example\n2,10.0.0.1\n3,\n"),
    ],
    ids=["combined", "csv"],
)  # fmt: skip
def test_stats_skipped_candidates_are_not_addresses(args: list[str], stdin: bytes) -> None:
    """Outside list mode a field that is not an address (host name, '-', empty cell) is
    skipped: not an error, and not counted as an address."""
    code, data = stats_json(*args, stdin=stdin)
    assert code == 0
    assert (data["candidates"], data["ipv4"], data["ipv6"]) == (3, 1, 0)
    assert (data["addresses"], data["invalid"], data["skipped"]) == (1, 0, 2)


def test_stats_extract_modes_on_a_log(tmp_path: Path) -> None:
    log = tmp_path / "access.log"
    log.write_bytes(fill(ORIGINAL))
    combined = stats_json("--extract", "combined", log)
    assert combined[0] == 0
    assert (combined[1]["ipv4"], combined[1]["ipv6"]) == (2, 2)
    anywhere = stats_json("--extract", "any", log)
    assert anywhere[0] == 0
    # 10.1.2.3 x2, 192.0.2.77; 2001:db8:1:2:a:b:c:d x2, 2001:db8::1, fe80::1, <H4>
    assert (anywhere[1]["ipv4"], anywhere[1]["ipv6"], anywhere[1]["unique"]) == (3, 5, 6)


# --- 9. stdin --------------------------------------------------------------------------------


def test_stdin_input_and_silent_stderr_when_piped() -> None:
    stdin = ("\n".join(STATS_LIST) + "\n").encode()
    result = run("bulk", "stats", "--json", stdin=stdin)
    assert result.returncode == 0
    assert result.stderr == b""
    data = json.loads(result.stdout)
    assert (data["ipv4"], data["ipv6"], data["unique"]) == (5, 8, 11)
    dash = run("bulk", "uniq", "-", stdin=b"10.0.0.1\n10.0.0.1\n")
    assert (dash.returncode, dash.stdout, dash.stderr) == (0, b"10.0.0.1\n", b"")


def test_empty_input() -> None:
    code, data = stats_json(stdin=b"")
    assert code == 0
    assert (data["lines"], data["ipv4"], data["ipv6"], data["unique"]) == (0, 0, 0, 0)
    assert data["top_prefixes"] == {"/48": [], "/56": [], "/64": []}
    result = run("bulk", "anonymize", stdin=b"")
    assert (result.returncode, result.stdout, result.stderr) == (0, b"", b"")


# --- 10. unreadable inputs -------------------------------------------------------------------


def test_directory_as_file(tmp_path: Path) -> None:
    result = run("bulk", "annotate", tmp_path)
    assert result.returncode == 2
    assert result.stdout == b""
    assert err_lines(result) == [f"dualstack: error: cannot read {tmp_path}: Is a directory"]


def test_path_through_a_file(tmp_path: Path) -> None:
    regular = write(tmp_path / "list.txt", ["::1"])
    result = run("bulk", "stats", regular / "child")
    assert result.returncode == 2
    assert err_lines(result) == [f"dualstack: error: cannot read {regular}/child: Not a directory"]


def test_anonymize_output_is_a_directory(tmp_path: Path) -> None:
    out = tmp_path / "outdir"
    out.mkdir()
    result = run("bulk", "anonymize", "-o", out, stdin=b"10.1.2.3\n")
    assert result.returncode == 2
    assert err_lines(result) == [f"dualstack: error: cannot write {out}: Is a directory"]
    assert list(out.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["outdir"]
