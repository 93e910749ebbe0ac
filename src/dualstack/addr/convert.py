"""Conversion between text forms, by name, so CLI and library share one table."""

from __future__ import annotations

from collections.abc import Callable
from ipaddress import IPv4Address, IPv6Address

from dualstack.addr import text
from dualstack.addr.parse import parse_address
from dualstack.errors import AddressError, InputError, quote

IPAddress = IPv4Address | IPv6Address


def _v6_only(func: Callable[[IPv6Address], str], form: str) -> Callable[[IPAddress], str]:
    def wrapped(address: IPAddress) -> str:
        if not isinstance(address, IPv6Address):
            raise AddressError(f"{form} is defined for IPv6 addresses only, not {address}")
        return func(address)

    return wrapped


FORMS: dict[str, Callable[[IPAddress], str]] = {
    "compressed": text.compressed,
    "exploded": text.exploded,
    "binary": text.binary,
    "integer": text.integer,
    "hex": text.hexadecimal,
    "base85": _v6_only(text.base85, "base85 (RFC 1924)"),
    "reverse": text.reverse_pointer,
    "uri": text.uri_literal,
}


def _from_integer(raw: str) -> IPAddress:
    body = raw.strip().lower()
    base = 16 if body.startswith("0x") else 10
    try:
        value = int(body, base)
    except ValueError:
        raise AddressError(f"{quote(raw)} is not a decimal or 0x-hex integer") from None
    if not 0 <= value < 1 << 128:
        raise AddressError(f"{quote(raw)} does not fit in 128 bits")
    return IPv6Address(value)


READERS: dict[str, Callable[[str], IPAddress]] = {
    "text": lambda raw: parse_address(raw).address,
    "integer": _from_integer,
    "base85": text.from_base85,
}


def convert(raw: str, to: str, source: str = "text") -> str:
    """``raw`` read as ``source`` and written in form ``to`` (see :data:`FORMS`). The reverse
    form of a prefix (``2001:db8::/48``) is its zone, see :func:`text.reverse_zone`."""
    if to not in FORMS:
        raise InputError(f"unknown form {to!r}: choose from {', '.join(FORMS)}")
    if source not in READERS:
        raise InputError(f"unknown input form {source!r}: choose from {', '.join(READERS)}")
    if to == "reverse" and source == "text":
        parsed = parse_address(raw)
        if parsed.network is not None:  # a prefix: its zone, not a host's PTR name
            return text.reverse_zone(parsed.network)
        return text.reverse_pointer(parsed.address)
    return FORMS[to](READERS[source](raw))
