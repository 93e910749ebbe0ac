"""IPv4 inside IPv6: the RFC examples for Teredo, NAT64, 6to4, ISATAP and 6rd."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv6Address, IPv6Network

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dualstack.addr import embedded
from dualstack.errors import InputError

V4 = IPv4Address("192.0.2.33")

# RFC 6052 section 2.4, Table 2
RFC6052_TABLE = [
    ("2001:db8::/32", "2001:db8:c000:221::"),
    ("2001:db8:100::/40", "2001:db8:1c0:2:21::"),
    ("2001:db8:122::/48", "2001:db8:122:c000:2:2100::"),
    ("2001:db8:122:300::/56", "2001:db8:122:3c0:0:221::"),
    ("2001:db8:122:344::/64", "2001:db8:122:344:c0:2:2100:0"),
    ("2001:db8:122:344::/96", "2001:db8:122:344::c000:221"),
]


@pytest.mark.parametrize(("prefix", "address"), RFC6052_TABLE)
def test_rfc6052_table(prefix: str, address: str) -> None:
    net = IPv6Network(prefix)
    assert embedded.nat64_synthesize(V4, net) == IPv6Address(address)
    assert embedded.nat64_extract(IPv6Address(address), net) == V4


def test_nat64_well_known_prefix() -> None:
    assert embedded.nat64_synthesize(V4) == IPv6Address("64:ff9b::c000:221")
    found = embedded.embedded_ipv4(IPv6Address("64:ff9b::192.0.2.33"))
    assert [(e.role, e.ipv4) for e in found] == [("nat64", V4)]


def test_nat64_prefix_given_twice_is_one_entry() -> None:
    twice = (embedded.NAT64_WELL_KNOWN, embedded.NAT64_WELL_KNOWN)
    found = embedded.embedded_ipv4(IPv6Address("64:ff9b::c000:221"), twice)
    assert found == (embedded.Embedded("nat64", V4, embedded.NAT64_WELL_KNOWN),)


@pytest.mark.parametrize(
    ("ipv4", "prefix", "warned"),
    [
        ("10.40.10.10", "64:ff9b::/96", True),  # RFC 1918
        ("192.168.1.1", "64:ff9b::/96", True),
        ("100.64.0.1", "64:ff9b::/96", True),  # shared address space
        ("192.0.2.33", "64:ff9b::/96", True),  # TEST-NET-1 (RFC 5735 section 3)
        ("8.8.8.8", "64:ff9b::/96", False),
        ("192.0.0.9", "64:ff9b::/96", False),  # PCP anycast: globally reachable
        ("10.40.10.10", "2001:db8:64::/96", False),  # a network-specific prefix may
    ],
)
def test_well_known_prefix_must_not_carry_non_global_ipv4(
    ipv4: str, prefix: str, warned: bool
) -> None:
    warnings = embedded.nat64_warnings(IPv4Address(ipv4), IPv6Network(prefix))
    assert bool(warnings) is warned
    if warned:
        assert warnings[0].startswith(f"64:ff9b::/96 must not carry {ipv4}: ")
        assert "RFC 6052 section 3.1" in warnings[0]


def test_nat64_refuses_bad_prefixes_and_u_octet() -> None:
    with pytest.raises(InputError, match="must be /32, /40, /48, /56, /64 or /96"):
        embedded.nat64_extract(IPv6Address("2001:db8::1"), IPv6Network("2001:db8::/36"))
    # bits 64-71 set: not an IPv4-embedded address under a /48
    assert (
        embedded.nat64_extract(
            IPv6Address("2001:db8:122:c000:ff02:2100::"), IPv6Network("2001:db8:122::/48")
        )
        is None
    )


@given(
    st.integers(min_value=0, max_value=(1 << 32) - 1).map(IPv4Address),
    st.sampled_from([IPv6Network(p) for p, _ in RFC6052_TABLE]),
)
def test_nat64_round_trip(ipv4: IPv4Address, prefix: IPv6Network) -> None:
    assert embedded.nat64_extract(embedded.nat64_synthesize(ipv4, prefix), prefix) == ipv4


def test_rfc4380_teredo_example() -> None:
    fields = embedded.teredo(IPv6Address("2001:0000:4136:e378:8000:63bf:3fff:fdd2"))
    assert fields is not None
    assert fields.server == IPv4Address("65.54.227.120")
    assert fields.client == IPv4Address("192.0.2.45")
    assert fields.port == 40000
    assert fields.cone
    assert fields.flags == 0x8000
    assert embedded.teredo(IPv6Address("2001:db8::1")) is None


def test_6to4_isatap_mapped_compatible() -> None:
    assert embedded.sixtofour(IPv6Address("2002:c000:22d::1")) == IPv4Address("192.0.2.45")
    assert embedded.isatap(IPv6Address("fe80::5efe:c000:22d")) == IPv4Address("192.0.2.45")
    assert embedded.isatap(IPv6Address("fe80::200:5efe:c000:22d")) == IPv4Address("192.0.2.45")
    assert embedded.isatap(IPv6Address("fe80::400:5efe:c000:22d")) is None
    roles = embedded.embedded_ipv4(IPv6Address("::ffff:10.1.2.3"))
    assert [(e.role, str(e.ipv4)) for e in roles] == [("ipv4-mapped", "10.1.2.3")]
    roles = embedded.embedded_ipv4(IPv6Address("::10.1.2.3"))
    assert [(e.role, str(e.ipv4)) for e in roles] == [("ipv4-compatible", "10.1.2.3")]
    assert embedded.embedded_ipv4(IPv6Address("::1")) == ()


def test_6rd_rfc5969_domain() -> None:
    # 6rd prefix 2001:db8::/32, IPv4MaskLen 8 in 10.0.0.0/8: CE 10.100.100.1 gets a /56
    domain = embedded.SixRd(IPv6Network("2001:db8::/32"), 8, IPv4Address("10.0.0.1"))
    delegated = domain.delegated_prefix(IPv4Address("10.100.100.1"))
    assert delegated == IPv6Network("2001:db8:6464:100::/56")
    assert domain.decode(IPv6Address("2001:db8:6464:142::1")) == IPv4Address("10.100.100.1")
    full = embedded.SixRd(IPv6Network("2001:db8::/32"))
    assert full.delegated_prefix(IPv4Address("192.0.2.45")) == IPv6Network("2001:db8:c000:22d::/64")
    with pytest.raises(InputError, match="no room"):
        embedded.SixRd(IPv6Network("2001:db8::/48"), 0)
