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
@click.option(
    "--interface",
    help="Read PREF64 (RFC 8781) from the router advertisements on this interface instead "
    "(with --server: both).",
)
@click.option(
    "--wait",
    type=click.FloatRange(0.5, 60),
    default=5.0,
    show_default=True,
    help="Seconds to listen for router advertisements.",
)
@click.option("--site", type=PATH, help="Compare with this site file's [nat64] prefix.")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='Print {"schema", "server", "answers", "prefixes", "pref64", "planned", "matches"}.',
)
def nat64_probe_command(
    server: str | None,
    port: int,
    interface: str | None,
    wait: float,
    site: str | None,
    as_json: bool,
) -> None:
    """Find the network's NAT64 prefix: as RFC 7050 does (the AAAA records a DNS64 resolver
    synthesises for ipv4only.arpa carry it), and/or from the PREF64 option of the router
    advertisements on --interface (RFC 8781). With --site, exit 1 when what was found is not
    the planned prefix (or nothing was found)."""
    from dualstack.errors import InputError
    from dualstack.nat64 import discover
    from dualstack.nat64.pref64 import listen

    found = discover(server, port) if server is not None or interface is None else None
    advertised = None
    if interface is not None:
        try:
            advertised = listen(interface, wait)
        except OSError as exc:
            raise InputError(f"cannot listen on {interface}: {exc.strerror or exc}") from None
    planned = None
    if site is not None:
        from dualstack.plan import check

        outcome = check(site)
        if outcome.plan is None or outcome.plan.site.nat64 is None:
            raise click.UsageError(f"{site} plans no NAT64 prefix ([nat64] prefix)")
        planned = outcome.plan.site.nat64.prefix
    seen = [
        *(found.prefixes if found is not None else ()),
        *(a.prefix for a in advertised or ()),
    ]
    matches = None if planned is None else bool(seen) and all(p == planned for p in seen)
    if as_json:
        emit_json(
            {
                "schema": "dualstack-probe-nat64/1",
                "server": server,
                "answers": None if found is None else [str(a) for a in found.answers],
                "prefixes": None if found is None else [str(p) for p in found.prefixes],
                "pref64": None
                if advertised is None
                else [
                    {"prefix": str(a.prefix), "lifetime": a.lifetime, "router": str(a.router)}
                    for a in advertised
                ],
                "planned": None if planned is None else str(planned),
                "matches": matches,
            }
        )
    else:
        if found is not None:
            where = f"{server} port {port}" if server else "the system's resolver"
            if not found.prefixes:
                click.echo(f"no NAT64 prefix: {where} synthesises no AAAA for ipv4only.arpa")
            for prefix in found.prefixes:
                click.echo(f"NAT64 prefix {prefix} (from {where})")
        if advertised is not None:
            if not advertised:
                click.echo(f"no PREF64 in router advertisements on {interface} in {wait:g} s")
            for a in advertised:
                click.echo(f"PREF64 {a.prefix}, lifetime {a.lifetime} s (from {a.router})")
        if planned is not None:
            click.echo(f"planned {planned}: {'matches' if matches else 'DOES NOT MATCH'}")
    if matches is False:
        raise SystemExit(1)
