"""Anonymisation keeps prefixes to the configured length and the kind of address intact."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv6Address, ip_address

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from dualstack.addr import embedded, iid
from dualstack.addr.anonymize import Policy, anonymize
from dualstack.errors import InputError


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("192.0.2.45", "192.0.2.0"),
        ("2001:db8:1200:20:215:5dff:fe01:140b", "2001:db8:1200::215:5dff:fe00:0"),
        ("2001:db8:1200:20:8d68:e6d:4d19:fcac", "2001:db8:1200::"),
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "2001:0:4136:e378:8000:ffff:3fff:fdff"),
        ("2002:c000:22d:1::1", "2002:c000:200::"),
        ("64:ff9b::c000:22d", "64:ff9b::c000:200"),
        ("::ffff:192.0.2.45", "::ffff:192.0.2.0"),
        ("2001:db8:1:2:0:5efe:c000:22d", "2001:db8:1::5efe:c000:200"),
        ("ff02::1:ff01:140b", "ff02::1:ff00:0"),  # solicited-node: a unicast's low 24 bits
        ("ff02::1:3", "ff02::1:3"),
        ("::1", "::1"),
        ("::", "::"),
    ],
)
def test_keep_type(raw: str, expected: str) -> None:
    assert anonymize(ip_address(raw)) == ip_address(expected)


def test_teredo_client_is_cut_but_still_teredo() -> None:
    out = anonymize(IPv6Address("2001:0:4136:e378:8000:63bf:3fff:fdd2"))
    fields = embedded.teredo(out)  # type: ignore[arg-type]
    assert fields is not None
    assert fields.server == IPv4Address("65.54.227.120")
    assert fields.client == IPv4Address("192.0.2.0")
    assert fields.port == 0


def test_zero_method_and_lengths() -> None:
    policy = Policy(method="zero", ipv4_bits=16, ipv6_bits=48)
    assert anonymize(ip_address("192.0.2.45"), policy) == ip_address("192.0.0.0")
    assert anonymize(ip_address("2001:db8:1:2::1"), policy) == ip_address("2001:db8:1::")
    with pytest.raises(InputError, match="method 'rot13'"):
        Policy(method="rot13")
    with pytest.raises(InputError, match=r"out of range 0\.\.128"):
        Policy(ipv6_bits=129)


@given(st.integers(min_value=1 << 125, max_value=(1 << 126) - 1).map(IPv6Address))
def test_global_unicast_keeps_its_56_and_iid_class_family(address: IPv6Address) -> None:
    assume(int(address) >> 112 != 0x2002)  # 6to4 cuts its embedded IPv4 instead
    out = anonymize(address)
    assert int(out) >> 72 == int(address) >> 72
    before, after = iid.classify(address).type, iid.classify(out).type  # type: ignore[arg-type]
    if before in ("ieee-derived", "isatap", "teredo"):
        assert after == before
