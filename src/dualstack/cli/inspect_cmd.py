"""``dualstack inspect``: decode addresses, prefixes and MACs."""

from __future__ import annotations

import sys
from ipaddress import IPv4Address, IPv6Network

import click

from dualstack.addr.anonymize import Policy
from dualstack.addr.inspect import Options
from dualstack.cli._params import build_transition, policy_options, transition_options
from dualstack.cli.inspect_view import run_inspect


@click.command("inspect")
@click.argument("addresses", nargs=-1, metavar="[ADDR]...")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per input line.")
@transition_options
@policy_options("--anonymize-method", "--anonymize-ipv4-bits", "--anonymize-ipv6-bits")
def inspect_command(
    addresses: tuple[str, ...],
    as_json: bool,
    nat64_prefixes: tuple[IPv6Network, ...],
    sixrd_prefix: IPv6Network | None,
    sixrd_masklen: int,
    sixrd_common: IPv4Address | None,
    anonymize_method: str,
    anonymize_ipv4_bits: int,
    anonymize_ipv6_bits: int,
) -> None:
    """Decode addresses, prefixes and MACs: type, scope, registry, embedded IPv4, Teredo,
    interface identifier and vendor, reverse name, anonymised form.

    ADDR may be IPv4, IPv6 (with %zone, /prefix, [brackets]:port), a MAC or an EUI-64. With
    no ADDR, reads one per line from stdin. Exit status: 0 all read, 1 some input was bad,
    2 the only argument was bad.
    """
    prefixes, sixrd = build_transition(nat64_prefixes, sixrd_prefix, sixrd_masklen, sixrd_common)
    policy = Policy(anonymize_method, anonymize_ipv4_bits, anonymize_ipv6_bits)
    options = Options(nat64_prefixes=prefixes, sixrd=sixrd, anonymize=policy)
    sys.exit(run_inspect(addresses, as_json, options))
