"""``dualstack tunnel``: IPv6 over IPv4 tunnels for Linux, Windows and Cisco IOS: a manual 6in4
tunnel (host-to-router or router-to-router) and a 6rd customer edge."""

from __future__ import annotations

from collections.abc import Callable
from ipaddress import IPv4Address, IPv6Address, IPv6Interface, IPv6Network
from pathlib import Path
from typing import Any, TypeVar

import click

from dualstack.addr.parse import parse_address, parse_ipv4, parse_ipv6
from dualstack.cli._common import emit_json
from dualstack.cli._params import IPV4, IPV6_PREFIX, PATH, LibraryParam
from dualstack.errors import AddressError, InputError, quote

F = TypeVar("F", bound=Callable[..., Any])
TARGET_NAMES = ("iproute2", "networkd", "windows", "ios")


def _interface(text: str) -> IPv6Interface:
    parsed = parse_address(text)
    if parsed.version != 6 or parsed.prefixlen is None or parsed.zone or parsed.port is not None:
        raise AddressError(f"{quote(text)}: expected an IPv6 ADDRESS/LENGTH")
    return IPv6Interface(f"{parsed.address}/{parsed.prefixlen}")


IPV6_INTERFACE = LibraryParam("IPV6/LEN", _interface)
IPV6 = LibraryParam("IPV6", parse_ipv6)
IPV4_ADDRESS = LibraryParam("IPV4", parse_ipv4)


def _common(func: F) -> F:
    options = (
        click.option("--name", help="Interface name (at most 15 characters)."),
        click.option(
            "--mtu", type=int, help="Tunnel MTU (default: the underlay's less the 20-byte header)."
        ),
        click.option("--underlay-mtu", type=int, default=1500, show_default=True),
        click.option("--ttl", type=int, default=64, show_default=True),
        click.option(
            "--target",
            "targets",
            multiple=True,
            type=click.Choice(TARGET_NAMES),
            help="Write only these (repeatable; default: every target that can express it).",
        ),
        click.option("-o", "--output", type=PATH, help="Write the files into this folder instead."),
        click.option(
            "--json",
            "as_json",
            is_flag=True,
            help='Print {"schema", "kind", parameters..., "notes", "targets": {target: files}}.',
        ),
    )
    for option in reversed(options):
        func = option(func)
    return func


@click.group("tunnel")
def tunnel_command() -> None:
    """IPv6 over IPv4 tunnels: a manual 6in4 tunnel (RFC 4213) or a 6rd customer edge (RFC
    5969), checked and written for iproute2, systemd-networkd, Windows netsh and Cisco IOS.
    This machine's kernel has no sit devices, so the Linux output is checked as text (and the
    networkd files by the real networkd's parser), not brought up."""


@tunnel_command.command("6in4")
@click.option("--local", required=True, type=IPV4, help="This end's IPv4 address.")
@click.option("--remote", required=True, type=IPV4, help="The far end's IPv4 address.")
@click.option(
    "--address", required=True, type=IPV6_INTERFACE, help="This end's IPv6 ADDRESS/LENGTH."
)
@click.option("--peer", type=IPV6, help="The far end's IPv6 address (the routes' next hop).")
@click.option(
    "--route",
    "routes",
    multiple=True,
    type=IPV6_PREFIX,
    help="A prefix sent into the tunnel (repeatable; default ::/0, a host's default route; "
    "router-to-router: the far site's prefixes).",
)
@_common
def six_in_four_command(
    local: IPv4Address,
    remote: IPv4Address,
    address: IPv6Interface,
    peer: IPv6Address | None,
    routes: tuple[IPv6Network, ...],
    name: str | None,
    mtu: int | None,
    underlay_mtu: int,
    ttl: int,
    targets: tuple[str, ...],
    output: str | None,
    as_json: bool,
) -> None:
    """A manual 6in4 tunnel (IP protocol 41) from --local to --remote."""
    from dualstack.tunnel import six_in_four

    tunnel = six_in_four(
        local,
        remote,
        address,
        peer,
        routes or (IPv6Network("::/0"),),
        name or "sit6in4",
        mtu,
        ttl,
        underlay_mtu,
    )
    _emit(tunnel, targets, output, as_json)


@tunnel_command.command("6rd")
@click.option("--prefix", required=True, type=IPV6_PREFIX, help="The domain's 6rd prefix.")
@click.option(
    "--ipv4-masklen",
    type=click.IntRange(0, 32),
    default=0,
    show_default=True,
    help="IPv4 bits every CE of the domain shares (RFC 5969 IPv4MaskLen).",
)
@click.option(
    "--common-ipv4", type=IPV4_ADDRESS, help="An address holding those shared bits (default: --ce)."
)
@click.option("--ce", "ce", required=True, type=IPV4, help="The CE's own IPv4 address.")
@click.option("--br", required=True, type=IPV4, help="The border relay's IPv4 address.")
@_common
def six_rd_command(
    prefix: IPv6Network,
    ipv4_masklen: int,
    common_ipv4: IPv4Address | None,
    ce: IPv4Address,
    br: IPv4Address,
    name: str | None,
    mtu: int | None,
    underlay_mtu: int,
    ttl: int,
    targets: tuple[str, ...],
    output: str | None,
    as_json: bool,
) -> None:
    """A 6rd customer edge: its delegated prefix from its IPv4 address, and the tunnel."""
    from dualstack.addr.embedded import SixRd
    from dualstack.tunnel import six_rd

    domain = SixRd(prefix, ipv4_masklen, common_ipv4 if common_ipv4 is not None else ce)
    tunnel = six_rd(domain, ce, br, name or "sit6rd", mtu, ttl, underlay_mtu)
    _emit(tunnel, targets, output, as_json)


def _emit(tunnel: Any, targets: tuple[str, ...], output: str | None, as_json: bool) -> None:
    from dualstack.tunnel import present as shown
    from dualstack.tunnel import render

    chosen = list(targets) or list(TARGET_NAMES)
    if as_json:
        emit_json(shown.tunnel(tunnel, chosen))
        return
    files: dict[str, str] = {}
    for target in chosen:
        try:
            files.update(render(tunnel, target))
        except InputError as exc:
            if targets:  # asked for by name: an error
                raise
            click.echo(f"dualstack: note: {target}: {exc}", err=True)
    for note in tunnel.notes:
        click.echo(f"dualstack: note: {note}", err=True)
    if output is None:
        for file_name, text in files.items():
            click.echo(f"# ==> {file_name} <==")
            click.echo(text, nl=False)
        return
    _write(Path(output), files)


def _write(folder: Path, files: dict[str, str]) -> None:
    from dualstack._io import write_atomic

    if not folder.is_dir():
        raise InputError(f"output folder {folder} does not exist")
    try:
        for file_name, text in files.items():
            write_atomic(folder / file_name, text, 0o755 if file_name.endswith(".sh") else 0o644)
    except OSError as exc:
        raise InputError(f"cannot write into {folder}: {exc.strerror or exc}") from None
    click.echo(f"wrote {', '.join(sorted(files))} into {folder}", err=True)
