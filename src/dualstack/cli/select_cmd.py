"""``dualstack select``: which destination a dual-stack host tries first, from which source
address, and the RFC 6724 rule behind each choice."""

from __future__ import annotations

import click

from dualstack.cli._common import emit_json
from dualstack.cli._params import PATH, LibraryParam
from dualstack.errors import InputError
from dualstack.selection import parse_source

SOURCE = LibraryParam("ADDR", parse_source)


def _read(path: str, what: str) -> str:
    try:
        with open(path, encoding="utf-8-sig", errors="replace") as handle:
            return handle.read()
    except OSError as exc:
        raise InputError(f"cannot read {what} {path}: {exc.strerror or exc}") from None


@click.command("select")
@click.argument("destinations", nargs=-1, required=True, metavar="DEST...")
@click.option(
    "--source",
    "sources",
    multiple=True,
    type=SOURCE,
    help="An address of the host: ADDR[/LEN][,deprecated][,temporary][,home][,tunnel] "
    "(without /LEN: IPv6 /64, IPv4 /32). Repeatable.",
)
@click.option(
    "--from-host",
    type=PATH,
    help="The host's addresses from `ip -j addr`, `ip addr` or "
    "`Get-NetIPAddress | ConvertTo-Json` output.",
)
@click.option(
    "--policy",
    default="rfc6724",
    show_default=True,
    metavar="rfc6724|glibc|windows|FILE",
    help="RFC 6724's rules and table; glibc getaddrinfo's (Linux); Windows'; or a file: "
    "/etc/gai.conf, `ip addrlabel` output, or `netsh interface ipv6 show prefixpolicies` "
    "output.",
)
@click.option("--server", help="Resolve names with this DNS server (A, then AAAA records).")
@click.option("--port", type=click.IntRange(1, 65535), default=53, show_default=True)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='Print {"schema", "policy", "destinations": [{"address", "source", "rules"}, ...]} '
    "in the chosen order.",
)
def select_command(
    destinations: tuple[str, ...],
    sources: tuple[object, ...],
    from_host: str | None,
    policy: str,
    server: str | None,
    port: int,
    as_json: bool,
) -> None:
    """Order DEST (addresses or names) as a host with the given addresses would try them, and
    name the source address it would use for each (RFC 6724 sections 5 and 6), with the rule
    that decided every choice. Names resolve through the system, or through --server.

    The host is taken to have a route for every family it has an address of."""
    from dualstack.selection import policy_named, read_host, read_policy, select
    from dualstack.selection import present as shown
    from dualstack.selection.resolve import targets

    host = list(sources)
    if from_host is not None:
        host.extend(read_host(_read(from_host, "host file"), from_host))
    if not host:
        raise click.UsageError("give the host's addresses: --source ADDR or --from-host FILE")
    if policy in ("rfc6724", "glibc", "windows"):
        chosen_policy = policy_named(policy)
    else:
        chosen_policy = read_policy(_read(policy, "policy file"), policy)
    chosen = select(targets(destinations, server, port), host, chosen_policy)  # type: ignore[arg-type]
    if as_json:
        emit_json(shown.selection(chosen))
    else:
        for line in shown.lines(chosen):
            click.echo(line)
