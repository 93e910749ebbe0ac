"""SLAAC prediction: modified EUI-64 (RFC 4291) and RFC 7217 stable privacy as Linux forms it.

The kernel's ``ipv6_generate_stable_address`` (net/ipv6/addrconf.c) does not use textbook SHA-1:
it fills one 64-byte block with ``secret(16) | prefix(8) | hwaddr(32, zero-padded) | dad_count(1)``
(zero-filled to 64 bytes), runs a single SHA-1 *compression* from the standard initial state with
no length padding, and copies the first two 32-bit state words into the interface identifier in
CPU byte order. An interface identifier the kernel considers reserved (RFC 5453) makes it retry
with the next DAD counter, up to ``idgen_retries`` (3) times.
"""

from __future__ import annotations

import struct
import sys
from ipaddress import IPv6Address, IPv6Network
from typing import Literal

from dualstack.addr.mac import Mac
from dualstack.errors import InputError

_SHA1_INIT = (0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0)
_MASK32 = 0xFFFFFFFF
MAX_ADDR_LEN = 32  # the kernel's hardware-address field in the hashed block
IDGEN_RETRIES = 3  # net.ipv6.idgen_retries default


def _rotl(x: int, n: int) -> int:
    return ((x << n) | (x >> (32 - n))) & _MASK32


def sha1_compress(state: tuple[int, ...], block: bytes) -> tuple[int, int, int, int, int]:
    """One SHA-1 compression of a 64-byte block (FIPS 180-4 section 6.1.2), without padding."""
    if len(block) != 64:
        raise ValueError("SHA-1 compresses 64-byte blocks")
    w = list(struct.unpack(">16I", block))
    for t in range(16, 80):
        w.append(_rotl(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1))
    a, b, c, d, e = state
    for t in range(80):
        if t < 20:
            f, k = (b & c) | (~b & d), 0x5A827999
        elif t < 40:
            f, k = b ^ c ^ d, 0x6ED9EBA1
        elif t < 60:
            f, k = (b & c) | (b & d) | (c & d), 0x8F1BBCDC
        else:
            f, k = b ^ c ^ d, 0xCA62C1D6
        a, b, c, d, e = (
            (_rotl(a, 5) + (f & _MASK32) + e + k + w[t]) & _MASK32,
            a,
            _rotl(b, 30),
            c,
            d,
        )
    return tuple((x + y) & _MASK32 for x, y in zip(state, (a, b, c, d, e), strict=True))  # type: ignore[return-value]


def _require_64(prefix: IPv6Network) -> None:
    if prefix.prefixlen != 64:
        raise InputError(
            f"SLAAC needs a /64 prefix, got {prefix.with_prefixlen!r} "
            "(RFC 4862 forms 64-bit interface identifiers)"
        )


def eui64_address(prefix: IPv6Network, mac: Mac) -> IPv6Address:
    """The SLAAC address a host with ``mac`` forms in ``prefix`` (addr_gen_mode 0)."""
    _require_64(prefix)
    return IPv6Address(int(prefix.network_address) | mac.modified_eui64())


def is_reserved_interface_id(iid: int) -> bool:
    """IIDs the kernel refuses for stable addresses: zero, the RFC 2526 anycast range, and the
    proxy-mobile range 0200:5eff:fe00:0000/104 with low bits set as the kernel checks them."""
    high, low = iid >> 32, iid & _MASK32
    if iid == 0:
        return True
    if high == 0x02005EFF and (low & 0xFE000000) == 0xFE000000:
        return True
    return high == 0xFDFFFFFF and (low & 0xFFFFFF80) == 0xFFFFFF80


def stable_interface_id(
    prefix: IPv6Network,
    secret: IPv6Address,
    hwaddr: bytes,
    dad_counter: int = 0,
    byteorder: Literal["little", "big"] = sys.byteorder,
) -> int:
    """One round of the kernel's RFC 7217 hash: the 64-bit IID for exactly this DAD counter."""
    if len(hwaddr) > MAX_ADDR_LEN:
        raise InputError(f"hardware address of {len(hwaddr)} bytes exceeds {MAX_ADDR_LEN}")
    if not 0 <= dad_counter <= 255:
        raise InputError(f"DAD counter {dad_counter!r} is out of range 0..255")
    block = (
        secret.packed
        + prefix.network_address.packed[:8]
        + hwaddr.ljust(MAX_ADDR_LEN, b"\0")
        + bytes([dad_counter])
    ).ljust(64, b"\0")
    digest = sha1_compress(_SHA1_INIT, block)
    raw = digest[0].to_bytes(4, byteorder) + digest[1].to_bytes(4, byteorder)  # CPU-order store
    return int.from_bytes(raw, "big")


def stable_address(
    prefix: IPv6Network,
    secret: IPv6Address,
    hwaddr: Mac | bytes,
    dad_counter: int = 0,
    *,
    byteorder: Literal["little", "big"] = sys.byteorder,
) -> IPv6Address:
    """The RFC 7217 address Linux forms with ``addr_gen_mode`` 2 (or 3 with a set stable_secret).

    ``hwaddr`` is the device's *permanent* address (``ethtool -P``); for virtual devices such as
    veth it is all zeros, whatever MAC is configured. ``byteorder`` is that of the CPU the
    kernel runs on (the kernel stores the hash words natively).
    """
    _require_64(prefix)
    raw = hwaddr.packed if isinstance(hwaddr, Mac) else hwaddr
    counter = dad_counter
    while True:
        iid = stable_interface_id(prefix, secret, raw, counter, byteorder)
        if not is_reserved_interface_id(iid):
            return IPv6Address(int(prefix.network_address) | iid)
        counter += 1
        if counter > IDGEN_RETRIES:
            raise InputError("every stable interface identifier tried is reserved")
