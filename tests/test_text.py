"""Text forms: RFC 5952 vectors, RFC 1924, reverse names, and round trips against the stdlib."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv6Address, ip_address

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dualstack.addr import text
from dualstack.addr.convert import convert
from dualstack.errors import AddressError

RFC5952 = [
    # section 4.1: no leading zeros
    ("2001:0db8::0001", "2001:db8::1"),
    # 4.2.1: shorten as much as possible
    ("2001:db8:0:0:0:0:2:1", "2001:db8::2:1"),
    # 4.2.2: a single 16-bit 0 field is not shortened
    ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),
    # 4.2.3: the longest run; on a tie, the first
    ("2001:0:0:1:0:0:0:1", "2001:0:0:1::1"),
    ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
    # 4.3: lowercase
    ("2001:DB8::AAAA", "2001:db8::aaaa"),
    # section 5: IPv4-mapped in mixed notation
    ("0:0:0:0:0:ffff:c000:0280", "::ffff:192.0.2.128"),
    ("::", "::"),
    ("::1", "::1"),
    ("1::", "1::"),
    ("fe80:0:0:0:0:0:0:0", "fe80::"),
]


@pytest.mark.parametrize(("raw", "expected"), RFC5952)
def test_rfc5952_canonical_text(raw: str, expected: str) -> None:
    assert text.compressed(IPv6Address(raw)) == expected


def test_rfc1924_example() -> None:
    address = IPv6Address("1080:0:0:0:8:800:200C:417A")
    assert text.base85(address) == "4)+k&C#VzJ4br>0wv%Yp"
    assert text.from_base85("4)+k&C#VzJ4br>0wv%Yp") == address


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "2001:db8::567:89ab",
            "b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.",
        ),
        ("192.0.2.45", "45.2.0.192.in-addr.arpa."),
    ],
)
def test_reverse_pointer(raw: str, expected: str) -> None:
    assert text.reverse_pointer(ip_address(raw)) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2001:db8::/48", "0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa."),
        ("2001:db8::/50", "0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa."),  # lives in its /48 zone
        ("2001:db8:0:10::/60", "1.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa."),
        ("2001:db8::1/64", "0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa."),  # interface form
        ("::/0", "ip6.arpa."),
        ("10.1.0.0/16", "1.10.in-addr.arpa."),
        ("10.1.2.64/26", "2.1.10.in-addr.arpa."),  # lives in its /24 zone
        ("10.0.0.0/255.0.0.0", "10.in-addr.arpa."),
        ("10.1.2.3/32", "3.2.1.10.in-addr.arpa."),
        ("192.0.2.45", "45.2.0.192.in-addr.arpa."),  # an address: its PTR name
    ],
)
def test_reverse_of_a_prefix_is_its_zone(raw: str, expected: str) -> None:
    assert convert(raw, "reverse") == expected


def test_other_forms() -> None:
    a = IPv6Address("2001:db8::1")
    assert text.exploded(a) == "2001:0db8:0000:0000:0000:0000:0000:0001"
    assert text.hexadecimal(a) == "0x20010db8000000000000000000000001"
    assert text.integer(a) == str(int(a))
    assert text.binary(IPv4Address("10.1.2.3")) == "00001010.00000001.00000010.00000011"
    assert text.binary(a).replace(":", "") == f"{int(a):0128b}"
    assert text.uri_literal(IPv6Address("fe80::1"), "eth0") == "[fe80::1%25eth0]"


@pytest.mark.parametrize("bad", ["short", '4)+k&C#VzJ4br>0wv%Y"', "~~~~~~~~~~~~~~~~~~~~"])
def test_base85_rejects_bad_text(bad: str) -> None:
    with pytest.raises(AddressError, match="RFC 1924"):
        text.from_base85(bad)


ipv6 = st.integers(min_value=0, max_value=(1 << 128) - 1).map(IPv6Address)
# addresses with zero runs, where compression choices matter
sparse = st.lists(st.sampled_from([0, 0, 0, 1, 0xFFFF, 0xDB8]), min_size=8, max_size=8).map(
    lambda g: IPv6Address(":".join(f"{x:x}" for x in g))
)


@given(st.one_of(ipv6, sparse))
def test_compressed_round_trips_and_matches_stdlib(address: IPv6Address) -> None:
    out = text.compressed(address)
    assert IPv6Address(out) == address
    if int(address) >> 32 != 0xFFFF:  # the stdlib's mapped form differs between versions
        assert out == str(address)


@given(ipv6)
def test_exploded_and_base85_round_trip(address: IPv6Address) -> None:
    assert text.exploded(address) == address.exploded
    assert text.from_base85(text.base85(address)) == address
    assert text.reverse_pointer(address) == address.reverse_pointer + "."
