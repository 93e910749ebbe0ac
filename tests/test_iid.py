"""Interface identifier classes, one vector per class as documented in dualstack.addr.iid."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv6Address

import pytest

from dualstack.addr.iid import CLASSES, classify
from dualstack.addr.mac import Mac

VECTORS = [
    ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "teredo", None),
    ("2001:db8::215:5dff:fe01:140b", "ieee-derived", None),
    ("fe80::200:5efe:c000:21d", "isatap", None),
    ("2001:db8::c000:22d", "embedded-ipv4", "embedded-ipv4-32"),
    ("2001:db8::192:0:2:45", "embedded-ipv4", "embedded-ipv4-64"),
    ("2001:db8::53", "embedded-port", "port-fwd"),
    ("2001:db8::1bb", "embedded-port", "port-fwd"),
    ("2001:db8::50:1", "embedded-port", "port-rev"),
    ("2001:db8::1", "low-byte", None),
    ("2001:db8::2:1", "low-byte", None),
    ("2001:db8::", "zero", None),
    ("2001:db8::1:0:0:1a", "byte-pattern", None),
    ("2001:db8::8d68:e6d:4d19:fcac", "randomized", None),
]


@pytest.mark.parametrize(("address", "kind", "subtype"), VECTORS)
def test_classes(address: str, kind: str, subtype: str | None) -> None:
    result = classify(IPv6Address(address))
    assert (result.type, result.subtype) == (kind, subtype)


def test_every_documented_class_has_a_vector() -> None:
    assert {kind for _, kind, _ in VECTORS} == set(CLASSES)


def test_revealed_values() -> None:
    assert classify(IPv6Address("2001:db8::215:5dff:fe01:140b")).mac == Mac.parse("00155d01140b")
    assert classify(IPv6Address("2001:db8::192:0:2:45")).ipv4 == IPv4Address("192.0.2.45")
    assert classify(IPv6Address("2001:db8::1bb")).port == 443
