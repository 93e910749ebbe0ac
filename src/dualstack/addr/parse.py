"""Strict parsing of what an admin pastes: addresses with zone, prefix, brackets and port; MACs.

Every failure raises :class:`~dualstack.errors.AddressError` naming the text and the rule it broke.
"""

from __future__ import annotations

import re
from ipaddress import (
    AddressValueError,
    IPv4Address,
    IPv4Network,
    IPv6Address,
    IPv6Network,
    ip_network,
)

from dualstack._value import value
from dualstack.addr.mac import Eui64, Mac
from dualstack.addr.text import compressed
from dualstack.errors import AddressError, quote

IPAddress = IPv4Address | IPv6Address
IPNetwork = IPv4Network | IPv6Network

# patterns as text: ``re`` compiles and caches each on first use, not at start-up
_BRACKETED = r"\[([^\[\]]*)\](?::([0-9]*))?"
_ZONE = r"[A-Za-z0-9_.:\-]{1,64}"
_STDLIB_SUFFIX = r" in '.*'$| in \".*\"$"
_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")


@value
class AddressInput:
    """An address as written: the address, and the prefix length, zone and port if given."""

    address: IPAddress
    prefixlen: int | None = None
    zone: str | None = None
    port: int | None = None

    @property
    def version(self) -> int:
        return self.address.version

    @property
    def network(self) -> IPNetwork | None:
        """The network the prefix length places the address in (host bits cleared)."""
        if self.prefixlen is None:
            return None
        return ip_network((self.address, self.prefixlen), strict=False)


def _reason(exc: Exception) -> str:
    """The stdlib's explanation without its own quoting of the input."""
    return re.sub(_STDLIB_SUFFIX, "", str(exc))


def parse_ipv4(text: str) -> IPv4Address:
    """A dotted-quad IPv4 address; leading zeros are refused (they read as octal in some tools)."""
    try:
        return IPv4Address(text)
    except AddressValueError as exc:
        raise AddressError(f"{quote(text)} is not an IPv4 address: {_reason(exc)}") from None


def parse_ipv6(text: str) -> IPv6Address:
    """An IPv6 address in any RFC 4291 text form (no zone, prefix or brackets)."""
    if "%" in text:
        raise AddressError(f"{quote(text)} is not an IPv6 address: unexpected zone here")
    try:
        return IPv6Address(text)
    except AddressValueError as exc:
        raise AddressError(f"{quote(text)} is not an IPv6 address: {_reason(exc)}") from None


def _split_zone(text: str, original: str) -> tuple[str, str | None]:
    if "%" not in text:
        return text, None
    address, zone = text.split("%", 1)
    if zone.startswith("25") and len(zone) > 2:  # RFC 6874 URI form: %25 is an escaped '%'
        zone = zone[2:]
    if not re.fullmatch(_ZONE, zone):
        raise AddressError(
            f"{quote(original)}: zone {zone!r} must be 1-64 letters, digits or . _ - :"
        )
    return address, zone


def ipv4_mask_length(mask: int) -> int | None:
    """The prefix length a dotted IPv4 mask stands for, or None: a netmask (255.255.255.0 is
    24) or a wildcard (hostmask) whose first octet is 0 (0.0.0.255 is 24). A wider wildcard
    such as 1.255.255.255 is refused because it reads just as well as a host address, and
    0.0.0.0 and 255.255.255.255 are netmasks (/0, /32), as in the stdlib."""
    length = 32 - (~mask & 0xFFFFFFFF).bit_length()
    if mask == (0xFFFFFFFF << (32 - length)) & 0xFFFFFFFF:
        return length
    if 0 < mask < 1 << 24 and mask & (mask + 1) == 0:
        return 32 - mask.bit_length()
    return None


def _prefixlen(text: str, original: str, version: int) -> int:
    limit = 32 if version == 4 else 128
    if version == 4 and "." in text:  # a dotted netmask such as 255.255.255.0
        length = ipv4_mask_length(int(parse_ipv4(text)))
        if length is None:
            raise AddressError(f"{quote(original)}: {text!r} is not a contiguous netmask")
        return length
    if not text.isascii() or not text.isdigit() or len(text) > 3:
        raise AddressError(f"{quote(original)}: prefix length {text!r} is not a number")
    length = int(text)
    if length > limit:
        raise AddressError(f"{quote(original)}: prefix length {length} exceeds {limit}")
    return length


def _port(text: str, original: str) -> int:
    if not text.isascii() or not text.isdigit() or len(text) > 5 or int(text) > 65535:
        raise AddressError(f"{quote(original)}: port {text!r} is not a number from 0 to 65535")
    return int(text)


def parse_address(text: str) -> AddressInput:
    """Parse ``2001:db8::1``, ``fe80::1%eth0``, ``2001:db8::/32``, ``[2001:db8::1]:443``,
    ``[fe80::1%25eth0]``, ``10.0.0.1``, ``10.0.0.0/24``, ``10.0.0.0/255.255.255.0`` or
    ``10.0.0.1:80``."""
    if not isinstance(text, str):
        raise AddressError(f"expected text, got {type(text).__name__}")
    body = text.strip()
    if not body:
        raise AddressError("empty input: expected an address")
    if body.startswith("["):
        match = re.fullmatch(_BRACKETED, body)
        if not match:
            raise AddressError(f"{quote(text)}: unbalanced brackets; expected [address]:port")
        inner, zone = _split_zone(match.group(1), text)
        port = None if match.group(2) is None else _port(match.group(2), text)
        return AddressInput(parse_ipv6(inner), zone=zone, port=port)
    prefixlen: int | None = None
    if "/" in body:
        body, length_text = body.split("/", 1)
        if ":" not in body and "%" not in body:
            return AddressInput(parse_ipv4(body), _prefixlen(length_text, text, 4))
        prefixlen = _prefixlen(length_text, text, 6)
    if ":" not in body:
        if "." not in body:
            raise AddressError(
                f"{quote(text)} is not an address: expected IPv4, IPv6 or a MAC address"
            )
        if "%" in body:
            raise AddressError(f"{quote(text)}: a zone index belongs to IPv6 addresses only")
        return AddressInput(parse_ipv4(body), prefixlen)
    if body.count(":") == 1 and "." in body:  # a.b.c.d:port
        host, port_text = body.split(":")
        if prefixlen is None:
            return AddressInput(parse_ipv4(host), port=_port(port_text, text))
    address, zone = _split_zone(body, text)
    return AddressInput(parse_ipv6(address), prefixlen, zone)


def parse_network(text: str, version: int | None = None) -> IPNetwork:
    """A prefix such as ``2001:db8::/32`` (of IP ``version`` if given); host bits must be zero."""
    parsed = parse_address(text)
    if parsed.prefixlen is None or parsed.zone or parsed.port is not None:
        raise AddressError(f"{quote(text)} is not a prefix: expected ADDRESS/LENGTH")
    if version is not None and parsed.version != version:
        raise AddressError(f"{quote(text)} is not an IPv{version} prefix")
    network = parsed.network
    assert network is not None
    if network.network_address != parsed.address:
        raise AddressError(
            f"{quote(text)} has host bits set: the prefix is "
            f"{compressed(network.network_address)}/{network.prefixlen}"
        )
    return network


def looks_like_mac(text: str) -> bool:
    """True for text shaped like a MAC or EUI-64 rather than an IP address.

    Eight colon-separated groups are always read as IPv6 (``2:15:5d:ff:fe:1:14:b`` is a valid
    IPv6 address); an EUI-64 is recognised in its ``-``, ``.`` and bare-hex spellings.
    """
    body = text.strip()
    groups = body.replace(".", ":").replace("-", ":").split(":")
    if not (
        0 < len(groups[0]) <= 16
        and all(0 < len(g) <= 4 for g in groups[1:])
        and all(c in _HEX_DIGITS for g in groups for c in g)
    ):
        return False
    seps = {c for c in body if c in ":.-"}
    if not seps:
        return len(body) in (12, 16)
    if len(seps) > 1:
        return False
    sep = seps.pop()
    parts = body.split(sep)
    if sep == ".":
        return len(parts) in (3, 4) and all(len(p) == 4 for p in parts)
    if sep == "-":
        return len(parts) in (6, 8) and all(len(p) <= 2 for p in parts)
    return len(parts) == 6 and all(1 <= len(p) <= 2 for p in parts)


def parse_any(text: str) -> AddressInput | Mac | Eui64:
    """An address, a MAC or an EUI-64, decided by the shape of the text."""
    if looks_like_mac(text):
        body = text.strip()
        groups = len(body.replace(".", "-").split("-"))
        if len(body) == 16 or groups in (4, 8):
            return Eui64.parse(body)
        return Mac.parse(body)
    return parse_address(text)
