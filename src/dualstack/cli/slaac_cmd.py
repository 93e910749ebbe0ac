"""``dualstack slaac``: predict the address SLAAC forms from a prefix and a MAC."""

from __future__ import annotations

from ipaddress import IPv6Address, IPv6Network

import click

from dualstack import present
from dualstack.addr.mac import Mac
from dualstack.addr.parse import parse_ipv6
from dualstack.addr.slaac import eui64_address, stable_address
from dualstack.addr.text import compressed
from dualstack.cli._common import emit_json
from dualstack.cli._params import IPV6_PREFIX, LibraryParam

MAC = LibraryParam("MAC", Mac.parse)
SECRET = LibraryParam("SECRET", parse_ipv6)


@click.command("slaac")
@click.option("--prefix", required=True, type=IPV6_PREFIX, help="The /64 the router advertises.")
@click.option(
    "--mac",
    required=True,
    type=MAC,
    help="Interface MAC (eui64), or its permanent address (stable; `ethtool -P`).",
)
@click.option(
    "--method",
    type=click.Choice(["eui64", "stable"]),
    default="eui64",
    show_default=True,
    help="eui64: modified EUI-64 (addr_gen_mode 0). stable: RFC 7217 as Linux "
    "forms it (addr_gen_mode 2, or 3 with a stable_secret set).",
)
@click.option(
    "--stable-secret",
    type=SECRET,
    help="net.ipv6.conf.IF.stable_secret (an IPv6-address-shaped 128-bit secret).",
)
@click.option(
    "--dad-counter",
    type=click.IntRange(0, 255),
    default=0,
    show_default=True,
    help="DAD retry counter: the address after N duplicate-address collisions.",
)
@click.option("--json", "as_json", is_flag=True, help='Print {"address": ...}.')
def slaac_command(
    prefix: IPv6Network,
    mac: Mac,
    method: str,
    stable_secret: IPv6Address | None,
    dad_counter: int,
    as_json: bool,
) -> None:
    """Predict a host's SLAAC address from the advertised /64 and its MAC."""
    if method == "stable":
        if stable_secret is None:
            raise click.UsageError("--method stable needs --stable-secret")
        address = stable_address(prefix, stable_secret, mac, dad_counter)
    else:
        if stable_secret is not None or dad_counter:
            raise click.UsageError("--stable-secret and --dad-counter go with --method stable")
        address = eui64_address(prefix, mac)
    if as_json:
        emit_json(present.slaac(address, prefix, mac, method))
    else:
        click.echo(compressed(address))
