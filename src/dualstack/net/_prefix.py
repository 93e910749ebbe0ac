"""Reading prefixes and addresses for the calculator, and writing them back as RFC 5952 text.

Every ``net`` function takes text or stdlib values; this is the one place that turns either into
a stdlib value, so every function refuses the same things with the same words.
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_network

from dualstack.addr.parse import AddressInput, parse_address, parse_network
from dualstack.addr.text import compressed
from dualstack.errors import AddressError, quote

IPAddress = IPv4Address | IPv6Address
IPNetwork = IPv4Network | IPv6Network
PrefixLike = str | IPv4Network | IPv6Network | IPv4Address | IPv6Address
AddressLike = str | IPv4Address | IPv6Address


def prefix_text(network: IPNetwork) -> str:
    """``2001:db8::/32``: the network address in RFC 5952 text, a slash and the length."""
    return f"{compressed(network.network_address)}/{network.prefixlen}"


def item_text(value: IPNetwork | IPAddress) -> str:
    """A prefix or a bare address as text."""
    if isinstance(value, IPv4Network | IPv6Network):
        return prefix_text(value)
    return compressed(value)


def plain_input(text: str) -> AddressInput:
    """An address with an optional length, and nothing a prefix cannot carry."""
    parsed = parse_address(text)
    if parsed.zone is not None or parsed.port is not None:
        raise AddressError(
            f"{quote(text)}: a zone or port has no place here; expected ADDRESS[/LENGTH]"
        )
    return parsed


def host_network(address: IPAddress) -> IPNetwork:
    """The /32 or /128 that holds exactly ``address``."""
    return ip_network((address, address.max_prefixlen))


def as_network(value: PrefixLike) -> IPNetwork:
    """A prefix: ``10.0.0.0/24``, ``10.0.0.0/255.255.255.0``, ``2001:db8::/32``, or a bare
    address as its /32 or /128. Host bits must be zero, so a typo is not silently widened."""
    if isinstance(value, IPv4Network | IPv6Network):
        return value
    if isinstance(value, IPv4Address | IPv6Address):
        return host_network(value)
    if not isinstance(value, str):
        raise AddressError(f"expected a prefix, got {type(value).__name__}")
    if "/" not in value:
        return host_network(plain_input(value).address)
    return parse_network(value)


def as_address(value: AddressLike) -> IPAddress:
    """A bare address (no length, zone or port)."""
    if isinstance(value, IPv4Address | IPv6Address):
        return value
    if not isinstance(value, str):
        raise AddressError(f"expected an address, got {type(value).__name__}")
    parsed = plain_input(value)
    if parsed.prefixlen is not None:
        raise AddressError(f"{quote(value)} is a prefix; expected a single address")
    return parsed.address


def as_item(value: PrefixLike) -> IPNetwork | IPAddress:
    """An address stays an address, a prefix a prefix (host bits must be zero)."""
    if isinstance(value, str) and "/" not in value:
        return as_address(value)
    return as_network(value)


def span(network: IPNetwork) -> tuple[int, int]:
    """The first and last address of ``network`` as integers."""
    first = int(network.network_address)
    return first, first + network.num_addresses - 1


def from_span(first: int, length: int, version: int) -> IPNetwork:
    """The network starting at integer ``first`` with prefix length ``length``."""
    if version == 4:
        return IPv4Network((first, length))
    return IPv6Network((first, length))
