"""``dualstack plan``: validate a site file and show the address plan."""

from __future__ import annotations

import sys
from collections import Counter

import click

from dualstack.cli._common import emit_json
from dualstack.cli._findings import plan_or_exit, print_findings
from dualstack.cli._params import PATH
from dualstack.emit.tabular import to_csv, to_markdown, to_text
from dualstack.findings import Severity
from dualstack.plan import check, present, tables
from dualstack.plan.lock import lock_path, write_lock


@click.group("plan")
def plan_command() -> None:
    """Validate a site file and show the IPv6 plan laid over its IPv4 network."""


@plan_command.command("check")
@click.argument("site", type=PATH)
@click.option("--json", "as_json", is_flag=True, help='Print {"schema", "ok", "findings": [...]}.')
def check_command(site: str, as_json: bool) -> None:
    """Check SITE and list every problem at once (exit 1 on errors, 0 when only warnings)."""
    outcome = check(site)
    if as_json:
        emit_json(present.check(outcome))
    else:
        print_findings(site, outcome.findings)
        if outcome.ok and outcome.plan is not None:
            p = outcome.plan
            counts = Counter(f.severity for f in outcome.findings)
            click.echo(
                f"{site}: ok: {len(p.vlans)} VLANs, {len(p.site.hosts)} hosts "
                f"({len(p.interfaces)} interfaces) planned"
                + (f", {counts[Severity.WARNING]} warning(s)" if counts[Severity.WARNING] else "")
                + (f", {counts[Severity.INFO]} note(s)" if counts[Severity.INFO] else "")
            )
    sys.exit(0 if outcome.ok else 1)


@plan_command.command("show")
@click.argument("site", type=PATH)
@click.option("--json", "fmt", flag_value="json", help="The plan as one JSON object.")
@click.option("--csv", "fmt", flag_value="csv", help="CSV (VLAN table, blank line, hosts).")
@click.option("--markdown", "fmt", flag_value="markdown", help="Markdown tables.")
@click.option(
    "--table",
    type=click.Choice(["both", "vlans", "hosts"]),
    default="both",
    show_default=True,
    help="Which table to print.",
)
def show_command(site: str, fmt: str | None, table: str) -> None:
    """Show the VLAN table and the host table of SITE's plan, with both address families."""
    plan = plan_or_exit(site)
    if fmt == "json":
        emit_json(present.plan(plan))
        return
    render = {"csv": to_csv, "markdown": to_markdown}.get(fmt or "", to_text)
    parts = []
    if table in ("both", "vlans"):
        parts.append(render(tables.VLAN_COLUMNS, tables.vlan_rows(plan)))
    if table in ("both", "hosts"):
        parts.append(render(tables.HOST_COLUMNS, tables.host_rows(plan)))
    click.echo("\n".join(parts), nl=False)


@plan_command.command("lock")
@click.argument("site", type=PATH)
@click.option(
    "--json", "as_json", is_flag=True, help="Print the lock's path and whether it changed."
)
def lock_command(site: str, as_json: bool) -> None:
    """Record the subnet IDs of SITE's plan in SITE.lock.json beside it (subnet_scheme =
    "sequential"), so plan, kit, dns push and dns audit keep them when VLANs are added.
    `kit` writes the same lock; the DNS names `dns push` recorded in it are kept."""
    plan = plan_or_exit(site)
    path = lock_path(site)
    keeps = plan.site.info.subnet_scheme == "sequential" or path.exists()  # a pushed site's
    changed = write_lock(site, plan) is not None
    if as_json:
        emit_json(present.lock(path if keeps else None, changed))
    elif not keeps:
        click.echo(
            f"{site}: subnet_scheme {plan.site.info.subnet_scheme!r} derives every subnet ID "
            "from its VLAN: nothing to lock"
        )
    else:
        click.echo(f"{'wrote    ' if changed else 'unchanged'} {path}")
