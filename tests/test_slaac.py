"""SLAAC prediction, unit level (the kernel itself is asked in test_kernel_slaac.py)."""

from __future__ import annotations

import hashlib
import struct
from ipaddress import IPv6Address, IPv6Network

import pytest

from dualstack.addr.mac import Mac
from dualstack.addr.slaac import (
    eui64_address,
    is_reserved_interface_id,
    sha1_compress,
    stable_address,
    stable_interface_id,
)
from dualstack.errors import InputError

SHA1_INIT = (0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0)
PREFIX = IPv6Network("2001:db8:1200:20::/64")
SECRET = IPv6Address("2001:db8:dead:beef:1:2:3:4")


def test_compression_is_sha1_when_fed_a_padded_block() -> None:
    message = b"dualstack"
    block = message + b"\x80" + bytes(55 - len(message)) + struct.pack(">Q", 8 * len(message))
    digest = b"".join(w.to_bytes(4, "big") for w in sha1_compress(SHA1_INIT, block))
    assert digest == hashlib.sha1(message).digest()


def test_eui64_address() -> None:
    assert eui64_address(PREFIX, Mac.parse("00-15-5D-01-14-0B")) == IPv6Address(
        "2001:db8:1200:20:215:5dff:fe01:140b"
    )


def test_stable_address_is_deterministic_and_depends_on_every_input() -> None:
    mac = Mac.parse("00:15:5d:01:14:1e")
    base = stable_address(PREFIX, SECRET, mac)
    assert base == stable_address(PREFIX, SECRET, mac)
    assert base in PREFIX
    others = {
        stable_address(IPv6Network("2001:db8:1200:21::/64"), SECRET, mac),
        stable_address(PREFIX, IPv6Address("2001:db8::1"), mac),
        stable_address(PREFIX, SECRET, Mac.parse("00:15:5d:01:14:1f")),
        stable_address(PREFIX, SECRET, mac, dad_counter=1),
    }
    assert base not in others
    assert len(others) == 4


def test_byte_order_is_the_cpus() -> None:
    little = stable_interface_id(PREFIX, SECRET, bytes(6), 0, "little")
    big = stable_interface_id(PREFIX, SECRET, bytes(6), 0, "big")
    swap = int.from_bytes(
        little.to_bytes(8, "big")[3::-1] + little.to_bytes(8, "big")[:3:-1], "big"
    )
    assert swap == big


def test_reserved_interface_ids() -> None:
    assert is_reserved_interface_id(0)
    assert is_reserved_interface_id(0xFDFFFFFF_FFFFFF80)  # RFC 2526 subnet anycast
    assert is_reserved_interface_id(0x02005EFF_FE000000)
    assert not is_reserved_interface_id(0x02155DFF_FE01140B)


def test_requires_a_64() -> None:
    with pytest.raises(InputError, match="needs a /64"):
        eui64_address(IPv6Network("2001:db8::/48"), Mac(1))
