"""``dualstack nat64``: synthesise the IPv6 address a DNS64/NAT64 uses for an IPv4 address."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv6Network

import click

from dualstack import present
from dualstack.addr.embedded import NAT64_WELL_KNOWN, nat64_synthesize, nat64_warnings
from dualstack.addr.text import compressed
from dualstack.cli._common import emit_json
from dualstack.cli._params import IPV4, IPV6_PREFIX


@click.command("nat64")
@click.argument("ipv4", type=IPV4)
@click.option(
    "--prefix",
    type=IPV6_PREFIX,
    default=str(NAT64_WELL_KNOWN),
    show_default=True,
    help="NAT64 prefix: /32, /40, /48, /56, /64 or /96 (RFC 6052).",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='Print {"schema", "address", "ipv4", "prefix", "warnings"}.',
)
def nat64_command(ipv4: IPv4Address, prefix: IPv6Network, as_json: bool) -> None:
    """Synthesise the IPv4-embedded IPv6 address of IPV4 under a NAT64 prefix (RFC 6052).
    Warns (stderr, and "warnings" in --json) when the well-known 64:ff9b::/96 would carry an
    IPv4 address that is not global, such as RFC 1918 space (RFC 6052 section 3.1)."""
    address = nat64_synthesize(ipv4, prefix)
    warnings = nat64_warnings(ipv4, prefix)
    for warning in warnings:
        click.echo(f"dualstack: warning: {warning}", err=True)
    if as_json:
        emit_json(present.nat64(address, ipv4, prefix, warnings))
    else:
        click.echo(compressed(address))
