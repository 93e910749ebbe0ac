"""``dualstack dns``: push the plan's DNS to a server (RFC 2136 + TSIG)."""

from __future__ import annotations

import sys

import click

from dualstack.cli._common import emit_json
from dualstack.cli._findings import print_findings
from dualstack.cli._params import PATH
from dualstack.plan import check
from dualstack.zones import build_zones
from dualstack.zones.push import apply, changes, fetch
from dualstack.zones.tsig import ALGORITHMS, TsigKey, read_key_file


@click.group("dns")
def dns_command() -> None:
    """DNS for the plan: push the forward and reverse records to a live server."""


@dns_command.command("push")
@click.argument("site", type=PATH)
@click.option("--server", default="127.0.0.1", show_default=True, help="Primary server address.")
@click.option("--port", type=click.IntRange(1, 65535), default=53, show_default=True)
@click.option(
    "--key-file",
    type=PATH,
    help='TSIG key in BIND syntax: key "name" { algorithm ...; secret "..."; };',
)
@click.option("--tsig-name", help="TSIG key name (instead of --key-file).")
@click.option(
    "--tsig-secret",
    envvar="DUALSTACK_TSIG_SECRET",
    show_envvar=True,
    help="TSIG secret, base64 (better from the environment than the command line).",
)
@click.option("--tsig-alg", type=click.Choice(ALGORITHMS), default="hmac-sha256", show_default=True)
@click.option("--zone", "only", multiple=True, help="Only these zones (repeatable).")
@click.option(
    "--prune",
    is_flag=True,
    help="Also delete managed-type records at names the plan does not know.",
)
@click.option("--apply", "do_apply", is_flag=True, help="Send the updates (default: show them).")
@click.option("--json", "as_json", is_flag=True, help='Print {"zones": [...], "applied": ...}.')
def push_command(
    site: str,
    server: str,
    port: int,
    key_file: str | None,
    tsig_name: str | None,
    tsig_secret: str | None,
    tsig_alg: str,
    only: tuple[str, ...],
    prune: bool,
    do_apply: bool,
    as_json: bool,
) -> None:
    """Compare the plan's A, AAAA, CNAME and PTR records with the server (AXFR) and print the
    changes; with --apply, send them as TSIG-signed RFC 2136 updates guarded by prerequisites.
    A second run finds nothing to do."""
    if key_file:
        key = read_key_file(key_file)
    elif tsig_name and tsig_secret:
        key = TsigKey(tsig_name, tsig_alg, tsig_secret)
    else:
        raise click.UsageError("give --key-file, or --tsig-name with --tsig-secret")
    outcome = check(site)
    if not outcome.ok or outcome.plan is None:
        print_findings(site, outcome.findings)
        sys.exit(1)
    plan = outcome.plan
    wanted = {z.rstrip(".") + "." for z in only}
    zones = [
        z
        for z in build_zones(plan, plan.site.dns.reverse_zones == "vlan")
        if not wanted or z.origin in wanted
    ]
    plans = [changes(z, fetch(z.origin, server, port, key), prune) for z in zones]
    if do_apply:
        for p in plans:
            apply(p, server, port, key)
    total = sum(len(p.changes) for p in plans)
    if as_json:
        emit_json(
            {
                "applied": do_apply,
                "zones": [
                    {
                        "zone": p.zone,
                        "changes": [
                            {
                                "action": c.action,
                                "owner": c.owner,
                                "type": c.rtype,
                                "value": c.value,
                            }
                            for c in p.changes
                        ],
                    }
                    for p in plans
                    if p.changes
                ],
            }
        )
        return
    for p in plans:
        if p.changes:
            click.echo(f"zone {p.zone}")
            for c in p.changes:
                click.echo(f"  {c}")
    verb = "applied" if do_apply else "to apply (run with --apply)"
    click.echo(
        f"{total} change(s) in {sum(1 for p in plans if p.changes)} zone(s) {verb}"
        if total
        else "nothing to do: the server matches the plan"
    )
