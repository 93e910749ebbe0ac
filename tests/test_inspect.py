"""The inspect contract: the keys scripts rely on and what they hold."""

from __future__ import annotations

from ipaddress import IPv6Network

import pytest

import dualstack
from dualstack.addr.inspect import Options, inspect
from dualstack.present import inspection

CONTRACT_KEYS = {
    "input",
    "kind",
    "address",
    "exploded",
    "prefixlen",
    "network",
    "types",
    "scope",
    "registry",
    "embedded_ipv4",
    "teredo",
    "iid",
    "reverse_pointer",
    "anonymized",
}


def test_library_call_is_as_natural_as_the_cli() -> None:
    result = dualstack.inspect("2001:0:4136:e378:8000:63bf:3fff:fdd2")
    assert result.teredo is not None
    assert str(result.teredo.server) == "65.54.227.120"


def test_teredo_json() -> None:
    data = inspection(inspect("2001:0:4136:e378:8000:63bf:3fff:fdd2"))
    assert data.keys() >= CONTRACT_KEYS
    assert data["kind"] == "ipv6"
    assert "teredo" in data["types"]
    assert data["teredo"] == {
        "server": "65.54.227.120",
        "client": "192.0.2.45",
        "port": 40000,
        "cone": True,
        "flags": "0x8000",
    }
    assert {"role": "teredo-server", "ipv4": "65.54.227.120"} in data["embedded_ipv4"]
    assert data["registry"]["name"] == "TEREDO"
    assert data["registry"]["rfc"][0] == "RFC 4380"


def test_eui64_address_reveals_mac_and_vendor() -> None:
    data = inspection(inspect("fe80::215:5dff:fe01:140b%eth0/64"))
    assert data["zone"] == "eth0"
    assert data["network"] == "fe80::/64"
    assert data["prefixlen"] == 64
    assert data["scope"] == "link-local"
    assert data["iid"]["type"] == "ieee-derived"
    assert data["iid"]["mac"] == "00:15:5d:01:14:0b"
    assert data["iid"]["vendor"] == "Microsoft Corporation"
    assert data["uri"] == "[fe80::215:5dff:fe01:140b%25eth0]"


def test_mac_input() -> None:
    data = inspection(inspect("0015.5d01.140b"))
    assert data["kind"] == "mac"
    assert data["address"] == "00:15:5d:01:14:0b"
    assert data["link_local"] == "fe80::215:5dff:fe01:140b"
    assert data["interface_id"] == "215:5dff:fe01:140b"


@pytest.mark.parametrize(
    ("raw", "types", "scope"),
    [
        ("::", ["unspecified"], "unspecified"),
        ("::1", ["loopback", "unicast"], "interface-local"),
        ("::ffff:10.1.10.53", ["ipv4-mapped", "unicast"], "global"),
        ("fd3c:7a2b:91e0:10::1", ["unicast", "unique-local"], "global"),
        ("2001:db8::1", ["unicast", "global-unicast", "documentation"], "global"),
        ("ff02::1", ["multicast", "well-known"], "link-local"),
        ("ff02::1:ff01:140b", ["multicast", "solicited-node"], "link-local"),
        ("10.1.2.3", ["unicast", "private"], "global"),
        ("169.254.1.1", ["unicast", "link-local"], "link-local"),
        ("100.64.0.1", ["unicast", "shared"], "global"),
        ("127.0.0.1", ["loopback", "unicast"], "interface-local"),
        ("224.0.0.251", ["multicast"], "link-local"),
        ("255.255.255.255", ["broadcast"], "global"),
        # IANA special-purpose blocks marked not globally reachable are not global-unicast
        ("192.0.2.1", ["unicast", "special-purpose", "documentation"], "global"),
        ("198.51.100.7", ["unicast", "special-purpose", "documentation"], "global"),
        ("203.0.113.255", ["unicast", "special-purpose", "documentation"], "global"),
        ("198.19.0.1", ["unicast", "special-purpose", "benchmarking"], "global"),
        ("192.0.0.8", ["unicast", "special-purpose"], "global"),
        ("192.0.0.200", ["unicast", "special-purpose"], "global"),  # IETF Protocol Assignments
        ("192.0.0.9", ["unicast", "global-unicast"], "global"),  # PCP anycast: reachable
        ("192.31.196.1", ["unicast", "global-unicast"], "global"),  # AS112: reachable
        ("8.8.8.8", ["unicast", "global-unicast"], "global"),
    ],
)
def test_types_and_scope(raw: str, types: list[str], scope: str) -> None:
    data = inspection(inspect(raw))
    assert data["types"] == types
    assert data["scope"] == scope


def test_multicast_decoding() -> None:
    rp = inspection(inspect("ff7e:140:2001:db8:beef:feed::1234"))["multicast"]
    assert rp["flags"] == {"R": True, "P": True, "T": True}
    assert rp["unicast_prefix"] == "2001:db8:beef:feed::/64"
    assert rp["rp_address"] == "2001:db8:beef:feed::1"
    ssm = inspection(inspect("ff3e::8000:1"))
    assert "source-specific" in ssm["types"]


def test_network_specific_nat64_prefix() -> None:
    options = Options(nat64_prefixes=(IPv6Network("2001:db8:122::/48"),))
    data = inspection(inspect("2001:db8:122:c000:2:2100::", options))
    assert data["embedded_ipv4"] == [
        {"role": "nat64", "ipv4": "192.0.2.33", "prefix": "2001:db8:122::/48"}
    ]
    assert "nat64" in data["types"]


def test_a_prefix_given_twice_is_decoded_once() -> None:
    well_known = IPv6Network("64:ff9b::/96")
    options = Options(nat64_prefixes=(well_known, IPv6Network("2001:db8::/32"), well_known))
    assert options.nat64_prefixes == (well_known, IPv6Network("2001:db8::/32"))
    data = inspection(inspect("64:ff9b::c000:221", options))
    assert data["embedded_ipv4"] == [
        {"role": "nat64", "ipv4": "192.0.2.33", "prefix": "64:ff9b::/96"}
    ]


def test_anonymized_keeps_type() -> None:
    data = inspection(inspect("2001:db8:1200:20:215:5dff:fe01:140b"))
    again = inspection(inspect(data["anonymized"]))
    assert again["iid"]["type"] == "ieee-derived"
    assert again["iid"]["vendor"] == "Microsoft Corporation"
    assert again["address"] == "2001:db8:1200:0:215:5dff:fe00:0"


def test_solicited_node_group_round_trips_with_its_decoding() -> None:
    from ipaddress import IPv6Address

    from dualstack.addr.multicast import decode, solicited_node

    group = solicited_node(IPv6Address("2001:db8:1200:20:215:5dff:fe01:140b"))
    assert group == IPv6Address("ff02::1:ff01:140b")
    decoded = decode(group)
    assert decoded is not None
    assert decoded.solicited_node_for == "01:140b"
