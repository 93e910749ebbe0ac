"""RFC 6724 address selection (`dualstack select`): the RFC's own worked examples (section 10),
glibc's and Windows' tables, the policy files admins edit, the host address dumps, and the CLI.
The comparison with the real glibc in a network namespace is tests/test_select_glibc_lab.py."""

from __future__ import annotations

import json
import subprocess
import sys
from ipaddress import ip_address
from pathlib import Path

import pytest

from dualstack.errors import InputError
from dualstack.selection import (
    GLIBC,
    RFC6724,
    WINDOWS,
    Policy,
    Target,
    parse_source,
    read_host,
    read_policy,
    select,
)
from dualstack.selection.resolve import targets as resolved
from dualstack.selection.rules import choose_source

FIXTURES = Path(__file__).parent / "fixtures" / "selection"


def targets(dests: list[str]) -> list[Target]:
    """``fe80::1%eth0`` keeps its zone (glibc cannot connect to a link-local one without)."""
    return [Target(ip_address(d.partition("%")[0]), d.partition("%")[2] or None) for d in dests]


def order(dests: list[str], sources: list[str], policy: Policy = RFC6724) -> list[str]:
    chosen = select(targets(dests), [parse_source(s) for s in sources], policy)
    return [str(r.destination.address) for r in chosen.destinations]


def first_rule(dests: list[str], sources: list[str], policy: Policy = RFC6724) -> str:
    chosen = select(targets(dests), [parse_source(s) for s in sources], policy)
    decision = chosen.destinations[0].before_next
    assert decision is not None
    return f"{decision.kind[0]}{decision.rule}"


# RFC 6724 section 10.2: sources, destinations, the order, the deciding rule
DESTINATION_EXAMPLES = [
    (
        ["2001:db8:1::2", "fe80::1", "169.254.13.78/16"],
        ["2001:db8:1::1", "198.51.100.121"],
        ["2001:db8:1::1", "198.51.100.121"],
        "d2",
    ),
    (
        ["fe80::1", "198.51.100.117/24"],
        ["2001:db8:1::1", "198.51.100.121"],
        ["198.51.100.121", "2001:db8:1::1"],
        "d2",
    ),
    (
        ["2001:db8:1::2", "fe80::1", "10.1.2.4/24"],
        ["2001:db8:1::1", "10.1.2.3"],
        ["2001:db8:1::1", "10.1.2.3"],
        "d6",
    ),
    (
        ["2001:db8:1::2", "fe80::2"],
        ["2001:db8:1::1", "fe80::1"],
        ["fe80::1", "2001:db8:1::1"],
        "d8",
    ),
    (
        ["2001:db8:1::2", "2001:db8:3::1,home", "fe80::2"],
        ["2001:db8:1::1", "fe80::1"],
        ["2001:db8:1::1", "fe80::1"],
        "d4",
    ),
    (
        ["2001:db8:1::2", "fe80::2,deprecated"],
        ["2001:db8:1::1", "fe80::1"],
        ["2001:db8:1::1", "fe80::1"],
        "d3",
    ),
    (
        ["2001:db8:1::2", "2001:db8:3f44::2", "fe80::2"],
        ["2001:db8:1::1", "2001:db8:3ffe::1"],
        ["2001:db8:1::1", "2001:db8:3ffe::1"],
        "d9",
    ),
    (
        ["2002:c633:6401::2", "fe80::2"],
        ["2002:c633:6401::1", "2001:db8:1::1"],
        ["2002:c633:6401::1", "2001:db8:1::1"],
        "d5",
    ),
    (
        ["2002:c633:6401::2", "2001:db8:1::2", "fe80::2"],
        ["2002:c633:6401::1", "2001:db8:1::1"],
        ["2001:db8:1::1", "2002:c633:6401::1"],
        "d6",
    ),
]


@pytest.mark.parametrize(("sources", "dests", "expected", "rule"), DESTINATION_EXAMPLES)
@pytest.mark.parametrize("policy", [RFC6724, GLIBC, WINDOWS], ids=lambda p: p.name)
def test_rfc6724_destination_examples(
    sources: list[str], dests: list[str], expected: list[str], rule: str, policy: Policy
) -> None:
    """Section 10.2, in both input orders (so rule 10 cannot be what decides); glibc's tables
    differ from the RFC's but agree on all nine (a link-local destination needs its zone)."""
    dests = [f"{d}%eth0" if d.startswith("fe80") else d for d in dests]
    assert order(dests, sources, policy) == expected
    assert order(dests[::-1], sources, policy) == expected
    assert first_rule(dests, sources, policy) == rule


# RFC 6724 section 10.1: destination, candidates, the source chosen, the deciding rule
SOURCE_EXAMPLES = [
    ("2001:db8:1::1", ["2001:db8:3::1", "fe80::1"], "2001:db8:3::1", 2),
    ("ff05::1", ["2001:db8:3::1", "fe80::1"], "2001:db8:3::1", 2),
    ("2001:db8:1::1", ["2001:db8:1::1,deprecated", "2001:db8:2::1"], "2001:db8:1::1", 1),
    ("fe80::1", ["fe80::2,deprecated", "2001:db8:1::1"], "fe80::2", 2),
    ("2001:db8:1::1", ["2001:db8:1::2", "2001:db8:3::2"], "2001:db8:1::2", 8),
    ("2001:db8:1::1", ["2001:db8:1::2", "2001:db8:3::2,home"], "2001:db8:3::2", 4),
    (
        "2002:c633:6401::1",
        ["2002:c633:6401::d5e3:7953:13eb:22e8,temporary", "2001:db8:1::2"],
        "2002:c633:6401::d5e3:7953:13eb:22e8",
        6,
    ),
    (
        "2001:db8:1::d5e3:0:0:1",
        ["2001:db8:1::2", "2001:db8:1::d5e3:7953:13eb:22e8,temporary"],
        "2001:db8:1::d5e3:7953:13eb:22e8",
        7,
    ),
]


@pytest.mark.parametrize(("dest", "candidates", "expected", "rule"), SOURCE_EXAMPLES)
def test_rfc6724_source_examples(
    dest: str, candidates: list[str], expected: str, rule: int
) -> None:
    for ordered in (candidates, candidates[::-1]):
        source, decisions = choose_source(
            RFC6724, ip_address(dest), tuple(parse_source(c) for c in ordered)
        )
        assert source is not None
        assert source.address == ip_address(expected)
        assert [(d.rule, d.winner) for d in decisions] == [(rule, ip_address(expected))]


def test_glibc_puts_ula_and_6to4_above_ipv4_where_the_rfc_does_not() -> None:
    """glibc's built-in precedences are RFC 3484's: no ULA row (40 like global) and IPv4 at
    10 below 6to4 at 30; RFC 6724 ranks IPv4 (35) above both."""
    host = ["2001:db8:1::10", "fd00:1::10", "2002:c000:20a::10", "192.0.2.10/24"]
    dests = ["198.51.100.1", "fd00:9::1", "2002:c633:6401::1"]
    assert order(dests, host, GLIBC) == ["fd00:9::1", "2002:c633:6401::1", "198.51.100.1"]
    assert order(dests, host, RFC6724) == ["198.51.100.1", "2002:c633:6401::1", "fd00:9::1"]


def test_a_ula_only_host_reaches_ipv4_before_global_ipv6_under_glibc() -> None:
    host = ["fd00:1::10", "10.0.0.10/24"]
    assert order(["2001:db8::1", "192.0.2.1"], host, GLIBC) == ["192.0.2.1", "2001:db8::1"]
    assert first_rule(["2001:db8::1", "192.0.2.1"], host, GLIBC) == "d5"


def test_destinations_without_a_source_go_last_and_say_why() -> None:
    chosen = select(
        [Target(ip_address("192.0.2.1")), Target(ip_address("2001:db8::1"))],
        [parse_source("2001:db8:1::10")],
        GLIBC,
    )
    last = chosen.destinations[-1].destination
    assert str(last.address) == "192.0.2.1"
    assert last.source is None
    assert last.unusable == "the host has no IPv4 address"
    assert chosen.destinations[0].before_next is not None
    assert chosen.destinations[0].before_next.rule == 1


def test_glibc_cannot_use_a_link_local_destination_without_a_zone() -> None:
    host = [parse_source("fe80::10"), parse_source("2001:db8:1::10")]
    bare = select([Target(ip_address("fe80::1")), Target(ip_address("2001:db8::1"))], host, GLIBC)
    assert [str(r.destination.address) for r in bare.destinations] == ["2001:db8::1", "fe80::1"]
    zoned = select(
        [Target(ip_address("fe80::1"), "eth0"), Target(ip_address("2001:db8::1"))], host, GLIBC
    )
    assert str(zoned.destinations[0].destination.address) == "fe80::1"  # rule 8, smaller scope


# ------------------------------------------------------------------ policy files


def test_gai_conf_precedence_line_replaces_the_whole_precedence_table() -> None:
    policy = read_policy("# prefer IPv4\nprecedence ::ffff:0:0/96 100\n", "gai.conf")
    assert policy.glibc
    assert policy.labels == GLIBC.labels
    assert policy.precedence.lookup(ip_address("192.0.2.1")) == 100
    assert policy.precedence.lookup(ip_address("::1")) == 40  # the built-in 50 is gone
    assert policy.precedence.lookup(ip_address("2002::1")) == 40
    host = ["2001:db8:1::10", "192.0.2.10/24"]
    assert order(["2001:db8::1", "198.51.100.1"], host, policy) == ["198.51.100.1", "2001:db8::1"]


def test_gai_conf_label_and_scopev4_lines() -> None:
    policy = read_policy(
        "label ::1/128 0\nlabel fc00::/7 6\nscopev4 10.0.0.0/8 5\nreload yes\n", "gai.conf"
    )
    assert policy.labels.lookup(ip_address("2002::1")) == 1  # its default row is gone
    assert policy.labels.lookup(ip_address("fd00::1")) == 6
    assert policy.scopev4.lookup(ip_address("10.1.2.3")) == 5
    assert policy.scopev4.lookup(ip_address("127.0.0.1")) == 14  # the default rows are gone
    assert policy.precedence == GLIBC.precedence


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("precedence ::ffff:0:0/96\n", r"gai.conf:1: not a gai.conf line"),
        ("labl ::/0 1\n", r"gai.conf:1: not a gai.conf line"),
        ("label ::1 0\n", r"needs a /LENGTH"),
        ("label 2001:zz::/32 3\n", r"is not an IPv6 prefix"),
        ("scopev4 2001:db8::/96 5\n", r"scopev4 takes IPv4"),
    ],
)
def test_gai_conf_lines_glibc_would_skip_are_errors(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_policy(text, "gai.conf")


def test_netsh_default_table_is_rfc6724s() -> None:
    policy = read_policy((FIXTURES / "netsh-default.txt").read_text(), "netsh-default.txt")
    assert not policy.glibc
    for address in ("::1", "2001:db8::1", "192.0.2.1", "2002::1", "2001::1", "fd00::1", "fec0::1"):
        a = ip_address(address)
        assert policy.precedence.lookup(a) == RFC6724.precedence.lookup(a)
        assert policy.labels.lookup(a) == RFC6724.labels.lookup(a)


def test_netsh_prefer_ipv4_table_puts_ipv4_first() -> None:
    policy = read_policy((FIXTURES / "netsh-prefer-ipv4.txt").read_text(), "prefer.txt")
    host = ["2001:db8:1::10", "fd00:1::10", "192.0.2.10/24"]
    dests = ["2001:db8::1", "fd00:9::1", "198.51.100.1"]
    assert order(dests, host, policy) == ["198.51.100.1", "2001:db8::1", "fd00:9::1"]
    assert order(dests, host, WINDOWS) == ["2001:db8::1", "198.51.100.1", "fd00:9::1"]


def test_ip_addrlabel_output_sets_the_kernels_source_labels() -> None:
    default = read_policy((FIXTURES / "addrlabel-default.txt").read_text(), "addrlabel")
    for address in ("fd00::1", "2001::1", "2001:10::1", "192.0.2.1", "2002::1", "2001:db8::1"):
        a = ip_address(address)
        assert default.source_labels.lookup(a) == GLIBC.source_labels.lookup(a)
    # a label that makes the kernel use the ULA for a global destination
    custom = read_policy("prefix fd00:1::/64 label 1\nprefix ::/0 label 1\n", "labels")
    host = (parse_source("2001:db8:1::10"), parse_source("fd00:1::10"))
    picked, _ = choose_source(custom, ip_address("2001:db8:9::1"), host)
    assert picked is not None
    assert str(picked.address) == "2001:db8:1::10"
    picked, _ = choose_source(custom, ip_address("fd00:1::99"), host)
    assert picked is not None
    assert str(picked.address) == "fd00:1::10"


# ------------------------------------------------------------------ host address dumps


def test_ip_json_and_ip_text_read_the_same_host() -> None:
    from_json = read_host((FIXTURES / "ip-j-addr.json").read_text())
    from_text = read_host((FIXTURES / "ip-addr.txt").read_text())
    assert from_json == from_text
    deprecated = [str(h.address) for h in from_json if h.deprecated]
    assert deprecated == ["2001:db8:1::20"]
    assert {str(h.address) for h in from_json} >= {"127.0.0.1", "::1", "10.0.0.10", "fd00:1::10"}


def test_get_netipaddress_json_from_powershell_51() -> None:
    host = read_host((FIXTURES / "get-netipaddress-ps51.json").read_text(encoding="utf-8"))
    by_address = {str(h.address): h for h in host}
    assert "2001:db8:10:20::99" not in by_address  # tentative
    assert "10.1.20.99" not in by_address  # SkipAsSource
    assert by_address["2001:db8:10:20:8d4e:17c2:5a0f:3e61"].temporary
    assert not by_address["2001:db8:10:20:c53a:92b0:1e77:a402"].temporary
    assert by_address["2001:0:2851:782c:1c6e:3a5f:f5ff:fef0"].tunnel
    assert by_address["fe80::2c4f:1aff:fe33:9b01"].interface == "Ethernet"
    chosen = select([Target(ip_address("2001:db8:99::1"))], host, WINDOWS)
    source = chosen.destinations[0].destination.source
    assert source is not None
    assert str(source.address) == "2001:db8:10:20:8d4e:17c2:5a0f:3e61"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("{not json", "not valid JSON"),
        ('[{"name": "x"}]', "neither"),
        ("hello world\n", "not `ip addr` output"),
        ("2: eth0: <UP>\n    inet 10.0.0.300/24 scope global eth0\n", r"host file:2:"),
    ],
)
def test_bad_host_files_are_one_line_errors(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_host(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [("2001:db8::1,fast", "unknown flag 'fast'"), ("[2001:db8::1]:80", "expected ADDRESS")],
)
def test_bad_sources_are_errors(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_source(text)


# ------------------------------------------------------------------ the command


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dualstack", "select", *args], capture_output=True, text=True
    )


def test_cli_json_lists_destinations_in_order_with_sources_and_rules() -> None:
    done = run(
        "--json",
        "--policy",
        "glibc",
        "--source",
        "fd00:1::10/64",
        "--source",
        "10.0.0.10/24",
        "2001:db8::1",
        "192.0.2.1",
    )
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["schema"] == "dualstack-select/1"
    assert doc["policy"] == "glibc"
    assert [(d["address"], d["source"]) for d in doc["destinations"]] == [
        ("192.0.2.1", "10.0.0.10"),
        ("2001:db8::1", "fd00:1::10"),
    ]
    rule = doc["destinations"][0]["rules"][-1]
    assert (rule["kind"], rule["rule"], rule["name"]) == ("destination", 5, "prefer matching label")


def test_cli_text_names_the_rules() -> None:
    done = run("--from-host", str(FIXTURES / "ip-j-addr.json"), "--policy", "glibc", "fd00:9::1")
    assert done.returncode == 0, done.stderr
    assert "fd00:9::1" in done.stdout
    assert "from fd00:1::10" in done.stdout
    assert "rule S6 prefer matching label" in done.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["2001:db8::1"], "give the host's addresses"),
        (["--source", "2001:db8::1,oops", "2001:db8::1"], "unknown flag 'oops'"),
        (["--from-host", "/nonexistent/h.json", "2001:db8::1"], "cannot read host file"),
        (["--source", "2001:db8::1", "--policy", "/nonexistent/gai.conf", "::1"], "policy file"),
        (["--source", "2001:db8::1", "10.0.0.300"], "10.0.0.300"),
        (["--source", "2001:db8::1", "2001:db8::/64"], "expected an address or a name"),
        (["--source", "2001:db8::1", "no..such"], "neither an address nor a host name"),
    ],
)
def test_cli_errors_are_one_line_and_exit_2(args: list[str], message: str) -> None:
    done = run(*args)
    assert done.returncode == 2
    assert message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr


def test_the_selection_page_runs_as_written() -> None:
    import doctest

    page = Path(__file__).resolve().parents[1] / "docs" / "selection.md"
    result = doctest.testfile(str(page), module_relative=False, verbose=False)
    assert result.attempted >= 4
    assert result.failed == 0


def test_names_resolve_through_a_dns_server_a_records_first(tmp_path: Path) -> None:
    """--server: the A records, then the AAAA records, as glibc asks a DNS server for them;
    the order the host then uses is the policy's."""
    from tests.bindlab import running_bind

    zone = (
        "$TTL 300\n"
        "@ IN SOA ns1.lab.test. admin.lab.test. 1 3600 600 86400 300\n"
        "@ IN NS ns1.lab.test.\n"
        "ns1 IN A 127.0.0.1\n"
        "www IN A 192.0.2.80\n"
        "www IN AAAA 2001:db8:80::80\n"
        "www IN AAAA fd00:80::80\n"
        "v4only IN A 192.0.2.44\n"
    )
    with running_bind(tmp_path / "bind", {"lab.test.": zone}) as bind:
        raw = resolved(["www.lab.test", "192.0.2.9"], bind.address, bind.port)
        base = ["--json", "--server", bind.address, "--port", str(bind.port), "--policy", "glibc"]
        done = run(*base, "--source", "2001:db8:1::10", "--source", "10.0.0.10/24", "www.lab.test")
        missing = run(*base, "--source", "2001:db8:1::10", "nothing.lab.test")
    # the A records, then the AAAA records (named varies the order inside an RRset)
    assert (str(raw[0].address), raw[0].name) == ("192.0.2.80", "www.lab.test")
    assert {str(t.address) for t in raw[1:3]} == {"2001:db8:80::80", "fd00:80::80"}
    assert (str(raw[3].address), raw[3].name) == ("192.0.2.9", None)
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    # a host without a ULA: the ULA's label is not its source's, so IPv4 goes first (rule 5)
    assert [d["address"] for d in doc["destinations"]] == [
        "2001:db8:80::80",
        "192.0.2.80",
        "fd00:80::80",
    ]
    assert {d["name"] for d in doc["destinations"]} == {"www.lab.test"}
    assert missing.returncode == 2
    assert "has no A or AAAA record" in missing.stderr


def test_names_resolve_through_the_system() -> None:
    done = run("--json", "--source", "::1/128", "--source", "127.0.0.1/8", "localhost")
    assert done.returncode == 0, done.stderr
    found = {d["address"] for d in json.loads(done.stdout)["destinations"]}
    assert "127.0.0.1" in found


def test_get_netipaddress_with_enums_as_strings_from_powershell_7() -> None:
    """`ConvertTo-Json -EnumsAsStrings` (PowerShell 7), one object unwrapped from its array."""
    one = (
        '{"IPAddress": "2001:db8:10:20::15", "InterfaceAlias": "Ethernet", "PrefixLength": 64,'
        ' "AddressFamily": "IPv6", "SuffixOrigin": "Random", "AddressState": "Deprecated",'
        ' "SkipAsSource": false}'
    )
    (host,) = read_host(one)
    assert (str(host.address), host.prefixlen, host.interface) == (
        "2001:db8:10:20::15",
        64,
        "Ethernet",
    )
    assert host.temporary
    assert host.deprecated
    tentative = one.replace('"Deprecated"', '"Tentative"')
    with pytest.raises(InputError, match="no usable address"):
        read_host(tentative)
