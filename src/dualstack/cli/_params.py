"""Click parameter types and options several address commands share."""

from __future__ import annotations

from collections.abc import Callable
from ipaddress import IPv4Address, IPv6Network
from typing import Any, TypeVar

import click

from dualstack.addr import embedded
from dualstack.addr.parse import parse_ipv4, parse_network
from dualstack.errors import DualstackError

F = TypeVar("F", bound=Callable[..., Any])


class LibraryParam(click.ParamType):  # type: ignore[type-arg]
    """A Click parameter converted by a library parser, whose error message is used as is."""

    def __init__(self, name: str, parser: Callable[[str], Any]) -> None:
        self.name = name
        self._parser = parser

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if not isinstance(value, str):
            return value
        try:
            return self._parser(value)
        except (DualstackError, ValueError) as exc:
            self.fail(str(exc), param, ctx)


def _ipv6_prefix(text: str) -> IPv6Network:
    network = parse_network(text, 6)
    assert isinstance(network, IPv6Network)
    return network


def _path(text: str) -> str:
    """A file or folder name as given; Click's own Path type raises on a NUL byte."""
    if "\0" in text:
        raise ValueError(f"{text!r:.60} is not a usable path: it contains a NUL byte")
    return text


IPV6_PREFIX = LibraryParam("IPV6PREFIX", _ipv6_prefix)
PATH = LibraryParam("PATH", _path)
IPV4 = LibraryParam("IPV4", parse_ipv4)


def transition_options(func: F) -> F:
    """--nat64-prefix, --6rd-prefix, --6rd-ipv4-masklen, --6rd-common-ipv4."""
    options = (
        click.option(
            "--nat64-prefix",
            "nat64_prefixes",
            multiple=True,
            type=IPV6_PREFIX,
            help="Network-specific NAT64 prefix (/32,/40,/48,/56,/64,/96); repeatable. "
            "The well-known 64:ff9b::/96 is always recognised.",
        ),
        click.option(
            "--6rd-prefix",
            "sixrd_prefix",
            type=IPV6_PREFIX,
            help="6rd prefix of the provider's domain (RFC 5969).",
        ),
        click.option(
            "--6rd-ipv4-masklen",
            "sixrd_masklen",
            type=click.IntRange(0, 32),
            default=0,
            show_default=True,
            help="IPv4MaskLen: leading IPv4 bits common to the domain.",
        ),
        click.option(
            "--6rd-common-ipv4",
            "sixrd_common",
            type=IPV4,
            help="Any IPv4 address in the domain (e.g. the BR), for those bits.",
        ),
    )
    for decorator in reversed(options):
        func = decorator(func)
    return func


def policy_options(method: str, ipv4: str, ipv6: str, mac: str | None = None) -> Callable[[F], F]:
    """The anonymisation options under the given flag names (inspect says
    --anonymize-ipv4-bits, bulk uses ipv6calc's --mask-ipv4); they arrive as
    anonymize_method, anonymize_ipv4_bits, anonymize_ipv6_bits and anonymize_mac_bits."""
    from dualstack.addr.anonymize import DEFAULT, METHODS

    specs = [
        (method, "anonymize_method", click.Choice(METHODS), DEFAULT.method,
         "keep-type keeps the kind of address (embedded IPv4 cut, EUI-64 vendor kept); "
         "zero is ipv6calc's zeroize (6to4 subnet bits kept to the IPv6 length)."),
        (ipv4, "anonymize_ipv4_bits", click.IntRange(0, 32), DEFAULT.ipv4_bits,
         "Leading IPv4 bits kept (also for IPv4 embedded in IPv6)."),
        (ipv6, "anonymize_ipv6_bits", click.IntRange(0, 128), DEFAULT.ipv6_bits,
         "Leading IPv6 bits kept."),
    ]  # fmt: skip

    def apply(func: F) -> F:
        for flag, dest, kind, default, text in reversed(specs):
            func = click.option(flag, dest, type=kind, default=default, show_default=True,
                                help=text)(func)  # fmt: skip
        return func

    return apply


def build_transition(
    nat64_prefixes: tuple[IPv6Network, ...],
    sixrd_prefix: IPv6Network | None,
    sixrd_masklen: int,
    sixrd_common: IPv4Address | None,
) -> tuple[tuple[IPv6Network, ...], tuple[embedded.SixRd, ...]]:
    """The NAT64 prefixes (well-known first) and 6rd domains the options describe."""
    prefixes = (embedded.NAT64_WELL_KNOWN, *nat64_prefixes)
    sixrd: tuple[embedded.SixRd, ...] = ()
    if sixrd_prefix is not None:
        if sixrd_masklen and sixrd_common is None:
            raise click.UsageError("--6rd-ipv4-masklen > 0 needs --6rd-common-ipv4")
        common = sixrd_common if sixrd_common is not None else IPv4Address(0)
        sixrd = (embedded.SixRd(sixrd_prefix, sixrd_masklen, common),)
    return prefixes, sixrd
