"""Text forms of addresses, written here rather than taken from ``ipaddress`` because the stdlib's
output has changed between Python versions (e.g. IPv4-mapped addresses in 3.13).

All functions are pure and take the stdlib values.
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network

from dualstack.errors import AddressError, InputError, quote

IPAddress = IPv4Address | IPv6Address
IPNetwork = IPv4Network | IPv6Network

_MAPPED_HIGH = 0xFFFF  # ::ffff:0:0/96 -> the 96 high bits equal 0xffff
_B85 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~"
_B85_INDEX = {c: i for i, c in enumerate(_B85)}


def _ipv4_dotted(value: int) -> str:
    return ".".join(str((value >> s) & 0xFF) for s in (24, 16, 8, 0))


def _groups(value: int) -> list[int]:
    return [(value >> (112 - 16 * i)) & 0xFFFF for i in range(8)]


def _longest_zero_run(groups: list[int]) -> tuple[int, int]:
    """(start, length) of the leftmost longest run of zero groups, RFC 5952 sections 4.2.2-4.2.3."""
    best_start, best_len, start = -1, 0, -1
    for i, group in enumerate([*groups, 1]):
        if group == 0 and start < 0:
            start = i
        elif group != 0 and start >= 0:
            if i - start > best_len:
                best_start, best_len = start, i - start
            start = -1
    return best_start, best_len


def compressed(address: IPAddress) -> str:
    """RFC 5952 canonical text: lowercase, no leading zeros, the longest zero run (of two or more
    groups, the first on a tie) as ``::``; IPv4-mapped addresses in mixed notation (section 5)."""
    if isinstance(address, IPv4Address):
        return _ipv4_dotted(int(address))
    value = int(address)
    if value >> 32 == _MAPPED_HIGH:
        return "::ffff:" + _ipv4_dotted(value & 0xFFFFFFFF)
    groups = _groups(value)
    start, length = _longest_zero_run(groups)
    if length < 2:
        return ":".join(f"{g:x}" for g in groups)
    head = ":".join(f"{g:x}" for g in groups[:start])
    tail = ":".join(f"{g:x}" for g in groups[start + length :])
    return f"{head}::{tail}"


def exploded(address: IPAddress) -> str:
    """All eight groups of four hex digits (IPv6), or the plain dotted quad (IPv4)."""
    if isinstance(address, IPv4Address):
        return _ipv4_dotted(int(address))
    return ":".join(f"{g:04x}" for g in _groups(int(address)))


def binary(address: IPAddress) -> str:
    """Every bit, grouped as the address is written: 16-bit groups by ``:``, octets by ``.``."""
    if isinstance(address, IPv4Address):
        return ".".join(f"{(int(address) >> s) & 0xFF:08b}" for s in (24, 16, 8, 0))
    return ":".join(f"{g:016b}" for g in _groups(int(address)))


def hexadecimal(address: IPAddress) -> str:
    """``0x`` and the address as one zero-padded hex number."""
    return f"0x{int(address):0{address.max_prefixlen // 4}x}"


def integer(address: IPAddress) -> str:
    return str(int(address))


def base85(address: IPv6Address) -> str:
    """RFC 1924's compact form: the 128-bit value in base 85, 20 characters."""
    value, chars = int(address), []
    for _ in range(20):
        value, digit = divmod(value, 85)
        chars.append(_B85[digit])
    return "".join(reversed(chars))


def from_base85(text: str) -> IPv6Address:
    """Inverse of :func:`base85`."""
    if len(text) != 20:
        raise AddressError(f"{quote(text)} is not RFC 1924 base85: expected 20 characters")
    value = 0
    for char in text:
        digit = _B85_INDEX.get(char)
        if digit is None:
            raise AddressError(f"{quote(text)} is not RFC 1924 base85: bad character {char!r}")
        value = value * 85 + digit
    if value >> 128:
        raise AddressError(f"{quote(text)} is not RFC 1924 base85: value exceeds 128 bits")
    return IPv6Address(value)


def reverse_pointer(address: IPAddress) -> str:
    """The PTR owner name: nibbles under ``ip6.arpa.`` or octets under ``in-addr.arpa.``."""
    if isinstance(address, IPv4Address):
        octets = _ipv4_dotted(int(address)).split(".")
        return ".".join(reversed(octets)) + ".in-addr.arpa."
    return ".".join(reversed(f"{int(address):032x}")) + ".ip6.arpa."


def zone_name(value: int, length: int, version: int) -> str:
    """The zone name for the ``length``-bit prefix of integer ``value`` (a label boundary)."""
    if version == 4:
        if length % 8:
            raise InputError(f"/{length} is not an octet boundary")
        octets = [str((value >> (24 - 8 * i)) & 0xFF) for i in range(length // 8)]
        return ".".join([*reversed(octets), "in-addr.arpa."])
    if length % 4:
        raise InputError(f"/{length} is not a nibble boundary")
    nibbles = f"{value:032x}"[: length // 4]
    return ".".join([*reversed(nibbles), "ip6.arpa."])


def reverse_zone(network: IPNetwork) -> str:
    """The reverse zone a prefix's PTR records live in: its name cut after the last whole
    label (nibble or octet) inside the prefix, as ipv6calc and sipcalc print it. A /48 is
    its own zone; a /50 lives in its /48 zone and a 10.1.2.64/26 in 2.1.10.in-addr.arpa.
    (the zones to delegate, four /52s or an RFC 2317 name, are ``calc``'s answer)."""
    step = 8 if network.version == 4 else 4
    length = network.prefixlen - network.prefixlen % step
    return zone_name(int(network.network_address), length, network.version)


def uri_literal(address: IPAddress, zone: str | None = None) -> str:
    """The host part of a URI: brackets for IPv6 (RFC 3986), zone as ``%25zone`` (RFC 6874)."""
    if isinstance(address, IPv4Address):
        return compressed(address)
    suffix = f"%25{zone}" if zone else ""
    return f"[{compressed(address)}{suffix}]"
