"""``dualstack probe``: ask the network what it does, and compare it with the plan."""

from __future__ import annotations

import click

from dualstack.cli._common import emit_json
from dualstack.cli._params import PATH


@click.group("probe")
def probe_command() -> None:
    """Ask the network what it does (DNS64's NAT64 prefix), and compare with the plan."""


@probe_command.command("nat64")
@click.option("--server", help="Ask this DNS resolver (default: the system's resolver).")
@click.option("--port", type=click.IntRange(1, 65535), default=53, show_default=True)
@click.option("--site", type=PATH, help="Compare with this site file's [nat64] prefix.")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='Print {"schema", "server", "answers", "prefixes", "planned", "matches"}.',
)
def nat64_probe_command(server: str | None, port: int, site: str | None, as_json: bool) -> None:
    """Discover the NAT64 prefix as RFC 7050 does: the AAAA records a DNS64 resolver
    synthesises for ipv4only.arpa (192.0.0.170 and .171) carry it. With --site, exit 1 when
    the network's prefix is not the planned one (or none is found)."""
    from dualstack.nat64 import discover

    found = discover(server, port)
    planned = None
    if site is not None:
        from dualstack.plan import check

        outcome = check(site)
        if outcome.plan is None or outcome.plan.site.nat64 is None:
            raise click.UsageError(f"{site} plans no NAT64 prefix ([nat64] prefix)")
        planned = outcome.plan.site.nat64.prefix
    matches = None if planned is None else list(found.prefixes) == [planned]
    if as_json:
        emit_json(
            {
                "schema": "dualstack-probe-nat64/1",
                "server": server,
                "answers": [str(a) for a in found.answers],
                "prefixes": [str(p) for p in found.prefixes],
                "planned": None if planned is None else str(planned),
                "matches": matches,
            }
        )
    else:
        where = f"{server} port {port}" if server else "the system's resolver"
        if not found.prefixes:
            click.echo(f"no NAT64 prefix: {where} synthesises no AAAA for ipv4only.arpa")
        for prefix in found.prefixes:
            click.echo(f"NAT64 prefix {prefix} (from {where})")
        if planned is not None:
            click.echo(f"planned {planned}: {'matches' if matches else 'DOES NOT MATCH'}")
    if matches is False:
        raise SystemExit(1)
