"""``dualstack calc``: JSON shapes, exit codes, one-line errors, and no traceback on junk."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dualstack.cli import main
from dualstack.cli.root import cli


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["calc", *args], input=stdin)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def lines(out: str) -> list[dict[str, Any]]:
    """Each JSON line, its schema checked and then left out (the tests compare the rest)."""
    docs = [json.loads(line) for line in out.splitlines()]
    for doc in docs:
        assert doc.pop("schema").startswith("dualstack-calc")
    return docs


DESCRIBE_KEYS = {
    "schema",
    "input",
    "version",
    "network",
    "address",
    "prefixlen",
    "mask",
    "broadcast",
    "first_host",
    "last_host",
    "usable_hosts",
    "addresses",
    "size_bits",
    "subnets_64",
    "boundary",
    "types",
    "registry",
    "reverse",
    "ipv4_mapped",
    "notes",
}


def test_describe_json_is_one_object() -> None:
    code, out, _ = run("192.0.2.77/26", "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == DESCRIBE_KEYS
    assert data["schema"] == "dualstack-calc/1"
    assert data["network"] == "192.0.2.64/26"
    assert data["address"] == "192.0.2.77"
    assert data["mask"] == {
        "length": 26,
        "netmask": "255.255.255.192",
        "hex": "0xffffffc0",
        "wildcard": "0.0.0.63",
    }
    assert (data["first_host"], data["last_host"], data["usable_hosts"]) == (
        "192.0.2.65",
        "192.0.2.126",
        "62",
    )
    assert data["reverse"]["classless"] == "64/26.2.0.192.in-addr.arpa."
    assert data["reverse"]["parent"] == "2.0.192.in-addr.arpa."


def test_describe_options_first_and_explicit_show() -> None:
    first = run("--json", "2001:db8:1200:4000::/50")
    second = run("show", "2001:db8:1200:4000::/50", "--json")
    assert first == second
    data = json.loads(first[1])
    assert data["subnets_64"] == "16384"
    assert data["boundary"] == {"unit": "nibble", "aligned": False, "enclosing": 48, "enclosed": 52}
    assert data["reverse"]["count"] == 4
    assert data["mask"]["wildcard"] is None
    assert data["broadcast"] is None


def test_describe_ipv6_big_counts_stay_exact() -> None:
    data = json.loads(run("::/0", "--json")[1])
    assert data["addresses"] == str(2**128)  # a JSON number would lose digits past 2**53
    assert data["usable_hosts"] == str(2**128)
    assert data["subnets_64"] == str(2**64)
    assert data["size_bits"] == 128
    assert data["types"] == []


def test_describe_human_output() -> None:
    code, out, _ = run("198.51.100.4/31")
    assert code == 0
    assert "usable hosts    2" in out
    assert "broadcast       none" in out
    assert "RFC 3021" in out
    assert "RFC 2317 name   4/31.100.51.198.in-addr.arpa." in out
    assert "\x1b[" not in out


def test_describe_many_streams_and_reports_bad_lines() -> None:
    code, out, _ = run("--json", stdin="10.0.0.0/8\nbogus\n\n2001:db8::/32\n")
    objects = lines(out)
    assert [o["input"] for o in objects] == ["10.0.0.0/8", "bogus", "2001:db8::/32"]
    assert "bogus" in objects[1]["error"]
    assert code == 1


def test_split_json_lines() -> None:
    code, out, _ = run("split", "10.0.0.0/24", "--count", "3", "--json")
    assert code == 0
    assert lines(out) == [
        {"prefix": f"10.0.0.{n}/26", "addresses": "64"} for n in (0, 64, 128, 192)
    ]
    code, out, _ = run("split", "2001:db8::/48", "--into", "52")
    assert out.splitlines()[:3] == ["2001:db8::/52", "2001:db8:0:1000::/52", "2001:db8:0:2000::/52"]
    assert out.splitlines()[-1] == "2001:db8:0:f000::/52"
    assert code == 0


def test_split_limit() -> None:
    code, _, err = run("split", "2001:db8::/32", "--into", "64")
    assert code == 2
    assert "more than the limit of 65,536" in err
    code, out, _ = run("split", "10.0.0.0/8", "--into", "28", "--limit", "0")
    assert code == 0
    assert len(out.splitlines()) == 2**20


def test_summarize_args_and_stdin() -> None:
    code, out, _ = run("summarize", "10.0.0.0/25", "10.0.0.128/25", "2001:db8::1")
    assert (code, out.splitlines()) == (0, ["10.0.0.0/24", "2001:db8::1/128"])
    code, out, _ = run("summarize", "--json", stdin="192.0.2.0/25\nnope\n192.0.2.128/25\n")
    assert code == 1
    assert lines(out) == [
        {
            "input": "nope",
            "error": "'nope' is not an address: expected IPv4, IPv6 or a MAC address",
        },
        {"prefix": "192.0.2.0/24", "addresses": "256"},
    ]


def test_range() -> None:
    code, out, _ = run("range", "192.0.2.1", "192.0.2.6")
    assert (code, out.split()) == (
        0,
        ["192.0.2.1/32", "192.0.2.2/31", "192.0.2.4/31", "192.0.2.6/32"],
    )
    code, out, _ = run("range", "2001:db8::", "2001:db8::ffff", "--json")
    assert lines(out) == [{"prefix": "2001:db8::/112", "addresses": "65536"}]


def test_free_from_options_and_stdin() -> None:
    code, out, _ = run("free", "10.0.0.0/24", "--used", "10.0.0.64/26", "--used", "10.0.0.0/28")
    assert (code, out.split()) == (0, ["10.0.0.16/28", "10.0.0.32/27", "10.0.0.128/25"])
    code, out, _ = run("free", "10.0.0.0/24", "--json", stdin="10.0.0.0/25\n")
    assert lines(out) == [{"prefix": "10.0.0.128/25", "addresses": "128"}]


def test_free_refuses_used_outside_parent() -> None:
    code, out, err = run("free", "10.0.0.0/24", "--used", "10.0.1.0/24", "--used", "::/0")
    assert code == 2
    assert out == ""
    assert err == "dualstack: error: used prefixes not inside 10.0.0.0/24: '10.0.1.0/24', '::/0'\n"


def test_contains_exit_codes() -> None:
    code, out, _ = run("contains", "10.0.0.0/8", "10.1.2.3", "10.9.0.0/16")
    assert (code, out.splitlines()) == (0, ["10.1.2.3  inside", "10.9.0.0/16  inside"])
    code, out, _ = run("contains", "10.0.0.0/8", "10.1.2.3", "192.0.2.1", "--json")
    assert code == 1
    assert lines(out)[1] == {
        "item": "192.0.2.1",
        "prefix": "10.0.0.0/8",
        "relation": "outside",
        "inside": False,
    }
    assert run("contains", "10.0.0.0/33", "10.1.2.3")[0] == 2
    assert run("contains", "10.0.0.0/8", "nope")[0] == 2
    assert run("contains", "10.0.0.0/8", "nope", "10.0.0.1")[0] == 1


def test_ula_seeded_is_reproducible() -> None:
    args = ("ula", "--seed-time", "0xdcf4268b208dd000", "--seed-mac", "00:15:5d:01:14:0b")
    code, out, _ = run(*args, "--json")
    assert code == 0
    assert json.loads(out) == {
        "schema": "dualstack-calc-ula/1",
        "prefix": "fd9f:f126:7b88::/48",
        "global_id": "9ff1267b88",
        "method": "rfc4193",
        "ntp_time": "0xdcf4268b208dd000",
        "eui64": "02:15:5d:ff:fe:01:14:0b",
        "mac": "00:15:5d:01:14:0b",
    }
    assert run(*args)[1].splitlines()[0] == "prefix         fd9f:f126:7b88::/48"
    data = json.loads(run("ula", "--json")[1])  # unseeded: now and this machine's MAC
    assert data["prefix"].startswith("fd")
    assert data["prefix"].endswith("::/48")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["calc", "10.0.0.0/33"], "dualstack: error: '10.0.0.0/33': prefix length 33 exceeds 32"),
        (
            ["calc", "split", "10.0.0.0/24", "--into", "16"],
            "dualstack: error: cannot split '10.0.0.0/24' into /16: a /16 is larger than the /24",
        ),
        (["calc", "split", "10.0.0.0/24"], "give exactly one of --into LEN or --count N"),
        (["calc", "range", "10.0.0.9", "10.0.0.1"], "is backwards"),
        (["calc", "range", "10.0.0.1", "::1"], "mixes IPv4 and IPv6"),
        (["calc", "summarize", "10.0.0.1/24"], "host bits set: the prefix is 10.0.0.0/24"),
        (["calc", "free", "10.0.0.0/24", "--used", "junk"], "'junk' is not an address"),
        (["calc", "ula", "--seed-mac", "zz"], "'zz' is not a MAC or EUI-64"),
        (["calc", "ula", "--seed-time", "soon"], "'soon' is not a time"),
        (["calc", "ula", "--global-id", "12"], "'12' is not a Global ID"),
    ],
)
def test_errors_are_one_line_with_exit_2(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        main(args)
    err = capsys.readouterr().err
    assert info.value.code == 2
    assert message in err
    assert "Traceback" not in err
    first = err.splitlines()[0]
    assert first.startswith("dualstack: error: ")


def test_subcommands_have_help() -> None:
    for name in ("split", "summarize", "range", "free", "contains", "ula", "show"):
        code, out, _ = run(name, "--help")
        assert code == 0
        assert "Usage:" in out
    code, out, _ = run("--help")
    assert "calc PREFIX" in out
    assert "show" not in out.split("Commands:")[1]  # the default command stays hidden


junk = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
addressy = st.sampled_from(
    ["10.0.0.0/8", "::/0", "2001:db8::/32", "0.0.0.0/0", "::ffff:1.2.3.4/128", "1.2.3.4", "-1"]
)
word = st.one_of(junk, addressy)
SUBCOMMANDS = [[], ["split"], ["summarize"], ["range"], ["free"], ["contains"], ["ula"]]
OPTIONS = st.sampled_from(
    ["--json", "--into", "--count", "--limit", "--used", "--seed-time", "--seed-mac", "--global-id"]
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.sampled_from(SUBCOMMANDS),
    st.lists(st.one_of(word, OPTIONS), max_size=5),
    st.one_of(st.none(), junk),
)
def test_junk_never_tracebacks(sub: list[str], args: list[str], stdin: str | None) -> None:
    result = CliRunner().invoke(cli, ["calc", *sub, *args], input=stdin)
    assert result.exit_code in (0, 1, 2), result.output
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.stderr


def test_a_mistyped_subcommand_among_inputs_is_a_failed_input(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``calc splt 10.0.0.0/24``: the good input is described, the bad word is one error line
    naming the subcommands, and the run exits 1 (ran, but an input failed)."""
    with pytest.raises(SystemExit) as info:
        main(["calc", "splt", "10.0.0.0/24"])
    out, err = capsys.readouterr()
    assert info.value.code == 1
    assert "network         10.0.0.0/24" in out
    assert err == (
        "dualstack: error: 'splt' is not an address: expected IPv4, IPv6 or a MAC address "
        "(nor a calc subcommand: contains, free, range, split, summarize, ula)\n"
    )


def test_the_web_calc_page_shows_the_rows_the_cli_prints() -> None:
    """One set of rows for both: the page's table holds exactly the CLI's labelled lines, not
    dotted JSON keys or Python booleans."""
    import html
    import re

    from dualstack.web.app import create_app

    code, out, _ = run("10.20.0.0/24")
    assert code == 0
    printed = [tuple(re.split(r"\s{2,}", line.strip(), maxsplit=1)) for line in out.splitlines()]
    page = create_app().test_client().get("/calc?prefix=10.20.0.0/24").get_data(as_text=True)
    cells = re.findall(r"<tr><th>(.*?)</th><td class=\"mono\">(.*?)</td></tr>", page)
    shown = [tuple(html.unescape(c) for c in cell if c) for cell in cells]
    assert shown == printed
    assert ("octet boundary", "yes (/24)") in shown
    assert "boundary.aligned" not in page
    assert "False" not in page


def test_address_then_netmask_is_one_prefix() -> None:
    code, out, _ = run("10.0.0.0", "255.255.255.0")
    assert code == 0
    assert out.splitlines()[:4] == [
        "network         10.0.0.0/24",
        "prefix length   /24",
        "netmask         255.255.255.0",
        "hex mask        0xffffff00",
    ]
    assert out.count("network ") == 1
    code, out, _ = run("--json", "10.0.0.7", "0.0.0.255")  # an ACL wildcard
    data = lines(out)
    assert (code, len(data), data[0]["network"], data[0]["address"]) == (
        0,
        1,
        "10.0.0.0/24",
        "10.0.0.7",
    )


def test_two_addresses_stay_two_when_the_second_is_no_mask() -> None:
    code, out, _ = run("--json", "10.0.0.0", "192.168.1.1")
    assert (code, [d["network"] for d in lines(out)]) == (0, ["10.0.0.0/32", "192.168.1.1/32"])
    code, out, _ = run("--json", "10.0.0.0", "0.0.0.0")  # /0 or /32 or a host: read as a host
    assert [d["network"] for d in lines(out)] == ["10.0.0.0/32", "0.0.0.0/32"]


def test_a_non_contiguous_netmask_is_a_one_line_error() -> None:
    code, out, err = run("10.0.0.0", "255.0.255.0")
    assert (code, out) == (2, "")
    assert err == (
        "dualstack: error: '255.0.255.0' is not a contiguous netmask (read as the mask of "
        "10.0.0.0)\n"
    )


def test_free_with_nothing_free_says_so() -> None:
    code, out, err = run("free", "10.0.0.0/24", "--used", "10.0.0.0/25", "--used", "10.0.0.128/25")
    assert (code, out, err) == (0, "nothing free in 10.0.0.0/24: all of it is in use\n", "")
    code, out, err = run("free", "2001:db8::/48", "--json", stdin="2001:db8::/48\n")
    assert (code, lines(out), err) == (0, [], "")
