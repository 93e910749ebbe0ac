"""``dualstack dns``: push the plan's DNS to a server (RFC 2136 + TSIG)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from dualstack.cli._common import emit_json
from dualstack.cli._findings import plan_or_exit
from dualstack.cli._params import PATH
from dualstack.plan.lock import load_lock, lock_path
from dualstack.zones import build_zones, present
from dualstack.zones.audit import audit
from dualstack.zones.push import push
from dualstack.zones.source import read_axfr, read_zone_file
from dualstack.zones.tsig import ALGORITHMS, TsigKey, read_key_file

F = TypeVar("F", bound=Callable[..., Any])


@click.group("dns")
def dns_command() -> None:
    """DNS for the plan: push the forward and reverse records to a live server, and audit
    zone files or a live server for what dual-stack DNS gets wrong."""


def server_options(func: F) -> F:
    """--server, --port and the TSIG key options push and audit share."""
    options = (
        click.option(
            "--server", default="127.0.0.1", show_default=True, help="Primary server address."
        ),
        click.option("--port", type=click.IntRange(1, 65535), default=53, show_default=True),
        click.option(
            "--key-file",
            type=PATH,
            help='TSIG key in BIND syntax: key "name" { algorithm ...; secret "..."; };',
        ),
        click.option("--tsig-name", help="TSIG key name (instead of --key-file)."),
        click.option(
            "--tsig-secret",
            envvar="DUALSTACK_TSIG_SECRET",
            show_envvar=True,
            help="TSIG secret, base64 (better from the environment).",
        ),
        click.option(
            "--tsig-alg", type=click.Choice(ALGORITHMS), default="hmac-sha256", show_default=True
        ),
    )
    for decorator in reversed(options):
        func = decorator(func)
    return func


def _key(key_file: str | None, name: str | None, secret: str | None, alg: str) -> TsigKey | None:
    if key_file:
        return read_key_file(key_file)
    if name and secret:
        return TsigKey(name, alg, secret)
    return None


@dns_command.command("push")
@click.argument("site", type=PATH)
@server_options
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
    changes; with --apply, send them as TSIG-signed RFC 2136 updates guarded by prerequisites,
    and record the names the site publishes in SITE.lock.json. Records at names the site
    published before and the plan no longer has are deleted too; other names and other record
    types are never touched. A second run finds nothing to do. Exit 1 when the server accepted
    an update but a re-read does not show all of it."""
    key = _key(key_file, tsig_name, tsig_secret, tsig_alg)
    if key is None:
        raise click.UsageError("give --key-file, or --tsig-name with --tsig-secret")
    plan = plan_or_exit(site)
    done = push(site, plan, server, port, key, only=only, prune=prune, send=do_apply)
    if as_json:
        emit_json(present.push(done.plans, do_apply, done))
    else:
        for line in present.push_lines(done):
            click.echo(line)
    sys.exit(1 if done.unapplied else 0)


@dns_command.command("audit")
@click.argument("zone_files", nargs=-1, type=PATH, metavar="[ZONEFILE]...")
@server_options
@click.option(
    "--zone",
    "axfr_zones",
    multiple=True,
    help="Zone to transfer from --server (repeatable); with --site, all its zones.",
)
@click.option("--site", type=PATH, help="Site file: also check DNS against the plan.")
@click.option("--json", "as_json", is_flag=True, help='Print {"findings": [...]}.')
def audit_command(
    zone_files: tuple[str, ...],
    server: str,
    port: int,
    key_file: str | None,
    tsig_name: str | None,
    tsig_secret: str | None,
    tsig_alg: str,
    axfr_zones: tuple[str, ...],
    site: str | None,
    as_json: bool,
) -> None:
    """Audit zone files and/or a live server (AXFR with TSIG): missing PTRs, orphan PTRs,
    PTRs that fail forward confirmation, PTRs at the wrong depth, CNAME beside data, reverse
    zones off a nibble/octet boundary, and with --site, dual-stack hosts without AAAA, plan
    records missing from DNS, records at the site's names the plan does not have (the names
    of its plan and of SITE.lock.json), and AAAA records outside the host's VLAN prefixes.
    Exit 1 when there are findings."""
    plan, managed = None, frozenset[str]()
    if site is not None:
        plan = plan_or_exit(site)
        managed = load_lock(lock_path(site)).managed
    zones = dict(read_zone_file(f) for f in zone_files)
    key = _key(key_file, tsig_name, tsig_secret, tsig_alg)
    names = [z.rstrip(".") + "." for z in axfr_zones]
    if key is not None and not names and plan is not None:
        names = [z.origin for z in build_zones(plan)]
    if names and key is None:
        raise click.UsageError("--zone needs a TSIG key (--key-file or --tsig-name/--tsig-secret)")
    zones.update({name: read_axfr(name, server, port, key) for name in names if key})
    if not zones:
        raise click.UsageError("nothing to audit: give zone files, or --zone/--site with a key")
    found = audit(zones, plan, managed)
    if as_json:
        emit_json(present.audit(zones, found))
    else:
        for f in found:
            click.echo(
                f"{f.rule}: {f.subject}: {f.message}" + (f" (fix: {f.fix})" if f.fix else "")
            )
        click.echo(f"{len(found)} finding(s) in {len(zones)} zone(s)")
    sys.exit(1 if found else 0)
