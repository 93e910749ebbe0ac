"""Parsing what admins paste, and refusing what is wrong with a message that names it."""

from __future__ import annotations

import contextlib
from ipaddress import IPv4Address, IPv6Address, IPv6Network

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dualstack.addr.mac import Eui64, Mac
from dualstack.addr.parse import AddressInput, parse_any, parse_network
from dualstack.errors import AddressError

GOOD = [
    ("2001:db8::1", AddressInput(IPv6Address("2001:db8::1"))),
    ("  2001:DB8::1 ", AddressInput(IPv6Address("2001:db8::1"))),
    ("fe80::1%eth0", AddressInput(IPv6Address("fe80::1"), zone="eth0")),
    ("fe80::1%12/64", AddressInput(IPv6Address("fe80::1"), 64, "12")),
    ("2001:db8::/32", AddressInput(IPv6Address("2001:db8::"), 32)),
    ("[2001:db8::1]:443", AddressInput(IPv6Address("2001:db8::1"), port=443)),
    ("[fe80::1%25eth0]", AddressInput(IPv6Address("fe80::1"), zone="eth0")),
    ("10.0.0.1", AddressInput(IPv4Address("10.0.0.1"))),
    ("10.0.0.0/24", AddressInput(IPv4Address("10.0.0.0"), 24)),
    ("10.0.0.7/255.255.255.0", AddressInput(IPv4Address("10.0.0.7"), 24)),
    ("10.0.0.1:8080", AddressInput(IPv4Address("10.0.0.1"), port=8080)),
    ("::ffff:192.0.2.1", AddressInput(IPv6Address("::ffff:c000:201"))),
]


@pytest.mark.parametrize(("raw", "expected"), GOOD)
def test_parses_admin_spellings(raw: str, expected: AddressInput) -> None:
    assert parse_any(raw) == expected


@pytest.mark.parametrize(
    "raw", ["00:15:5d:01:14:0b", "00-15-5D-01-14-0B", "0015.5d01.140b", "00155d01140b"]
)
def test_mac_spellings(raw: str) -> None:
    assert parse_any(raw) == Mac(0x00155D01140B)


@pytest.mark.parametrize(
    "raw", ["02-15-5d-ff-fe-01-14-0b", "0215.5dff.fe01.140b", "02155dfffe01140b"]
)
def test_eui64_spellings(raw: str) -> None:
    assert parse_any(raw) == Eui64(0x02155DFFFE01140B)


@pytest.mark.parametrize(
    ("raw", "length"),
    [
        ("10.1.2.3/255.255.255.0", 24),
        ("10.1.2.3/0.0.0.255", 24),  # a wildcard with first octet 0
        ("10.1.2.3/0.0.0.1", 31),
        ("10.0.0.0/0.255.255.255", 8),
        ("10.1.2.3/255.255.255.255", 32),  # a netmask, not the /0 wildcard
        ("10.1.2.3/0.0.0.0", 0),
    ],
)
def test_ipv4_masks_after_a_slash(raw: str, length: int) -> None:
    parsed = parse_any(raw)
    assert isinstance(parsed, AddressInput)
    assert parsed.prefixlen == length


BAD = [
    ("10.1.2", r"'10\.1\.2' is not an IPv4 address: Expected 4 octets"),
    ("010.1.1.1", r"Leading zeros"),
    ("1::2::3", r"'1::2::3' is not an IPv6 address"),
    ("2001:db8::/129", r"prefix length 129 exceeds 128"),
    ("10.0.0.0/33", r"prefix length 33 exceeds 32"),
    ("10.0.0.0/255.0.255.0", r"not a contiguous netmask"),
    ("10.0.0.0/1.255.255.255", r"not a contiguous netmask"),  # reads as a host too
    ("[::1", r"unbalanced brackets"),
    ("[::1]:70000", r"port '70000' is not a number"),
    ("fe80::1%", r"zone '' must be"),
    ("fe80::1%a b", r"zone 'a b' must be"),
    ("10.0.0.1%eth0", r"zone index belongs to IPv6"),
    ("", r"empty input"),
    ("hello", r"'hello' is not an address"),
    ("00:15:5d:01:14", r"is not an IPv6 address"),
    ("x" * 500, r"'x{40,}\.\.\.'"),
]


@pytest.mark.parametrize(("raw", "message"), BAD)
def test_errors_name_the_input_and_the_rule(raw: str, message: str) -> None:
    with pytest.raises(AddressError, match=message) as info:
        parse_any(raw)
    assert isinstance(info.value, ValueError)
    assert len(str(info.value)) < 200


def test_parse_network_requires_clean_prefix() -> None:
    assert parse_network("2001:db8::/32") == IPv6Network("2001:db8::/32")
    with pytest.raises(AddressError, match="host bits set: the prefix is 2001:db8::/32"):
        parse_network("2001:db8::1/32")
    with pytest.raises(AddressError, match="is not a prefix"):
        parse_network("2001:db8::1")


@given(st.text(max_size=60))
def test_junk_raises_only_address_error(junk: str) -> None:
    with contextlib.suppress(AddressError):
        parse_any(junk)
