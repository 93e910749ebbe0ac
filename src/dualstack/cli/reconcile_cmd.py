"""``dualstack reconcile``: the plan against what the network does."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv6Address
from pathlib import Path

import click

from dualstack.cli._common import emit_json
from dualstack.cli._params import PATH
from dualstack.errors import InputError


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig", errors="replace")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None


def _log_addresses(path: str) -> list[IPv6Address]:
    """The distinct IPv6 addresses anywhere in a log, read by the bulk engine (``bulk uniq
    --extract any``): millions of lines cost seconds, and only distinct addresses reach
    Python."""
    try:
        from dualstack.bulk.select import Unique
    except ModuleNotFoundError:
        raise InputError(
            f"--log {path}: the bulk engine is not installed: pip install 'dualstack[bulk]'"
        ) from None
    from dualstack.cli.bulk_reading import Reading

    unique = Unique()
    reading = Reading(path, "any", None, None, scanned=True)
    for batch in reading.batches(progress=False):
        unique.add(batch.parsed)
    hi, lo, version, _ = unique.ordered()
    return [
        IPv6Address((h << 64) | low)
        for h, low, v in zip(hi.tolist(), lo.tolist(), version.tolist(), strict=True)
        if v == 6
    ]


UNREAD_SHOWN = 10


@click.command("reconcile")
@click.argument("site", type=PATH)
@click.option(
    "--neigh",
    "neighbour_files",
    multiple=True,
    type=PATH,
    help="IPv6 neighbours of a router: `ip -j -6 neigh` or Get-NetNeighbor JSON (repeatable).",
)
@click.option(
    "--leases",
    "lease_files",
    multiple=True,
    type=PATH,
    help="Kea lease6 or lease4 CSV, told apart by the header (repeatable).",
)
@click.option(
    "--log",
    "log_files",
    multiple=True,
    type=PATH,
    help="Any text log (web, firewall, syslog): its IPv6 addresses inside the site's "
    "prefixes, read by the bulk engine; an EUI-64 IID names its MAC (repeatable).",
)
@click.option("--axfr", "server", help="Transfer the forward zone from this DNS server.")
@click.option("--port", type=click.IntRange(1, 65535), default=53, show_default=True)
@click.option("--key-file", type=PATH, help='TSIG key for the transfer (BIND "key" syntax).')
@click.option(
    "--fix",
    type=click.Choice(["dns"]),
    help="dns: send what DNS lacks (and remove what the site published and no longer plans) "
    "through `dns push`'s RFC 2136 path, TSIG-signed; unmanaged records are never touched.",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='Print {"schema", "ok", "hosts": [...], "unknown_leases": [...], "unread": [...], '
    '"unattributed": [...]}.',
)
def reconcile_command(
    site: str,
    neighbour_files: tuple[str, ...],
    lease_files: tuple[str, ...],
    log_files: tuple[str, ...],
    server: str | None,
    port: int,
    key_file: str | None,
    fix: str | None,
    as_json: bool,
) -> None:
    """Per planned NIC: was its planned IPv6 address formed, which unplanned addresses does
    its MAC use (temporary, stable-privacy or random IIDs), what is missing or stale in DNS;
    which DHCPv6 leases went to clients the plan does not know; and which addresses inside the
    site's prefixes nothing in the plan accounts for. Exit 1 when anything differs from the
    plan."""
    from dualstack.plan import check
    from dualstack.reconcile import in_log, lease_file, read_neighbours, reconcile, site_prefixes

    outcome = check(site)
    if outcome.plan is None:
        raise InputError(f"{site}: the site has errors; see `dualstack plan check {site}`")
    plan = outcome.plan
    seen = []
    unread: list[str] = []
    for f in neighbour_files:
        found, skipped = read_neighbours(_read(f), f)
        seen += found
        unread += skipped
    leases4: list[tuple[IPv4Address, str]] = []
    for f in lease_files:
        leases = lease_file(_read(f), f)
        seen += leases.six
        leases4 += leases.four
        unread += leases.unread
    for line in unread[:UNREAD_SHOWN]:
        click.echo(f"dualstack: reconcile: not understood: {line}", err=True)
    if len(unread) > UNREAD_SHOWN:
        more = len(unread) - UNREAD_SHOWN
        click.echo(f"dualstack: reconcile: {more} more lines not understood", err=True)
    within = site_prefixes(plan)
    seen += [o for f in log_files for o in in_log(_log_addresses(f), within, f)]
    dns = None
    key = None
    if key_file is not None:
        from dualstack.zones.tsig import read_key_file

        key = read_key_file(key_file)
    if fix == "dns":
        if server is None or key is None:
            raise click.UsageError("--fix dns needs --axfr SERVER and --key-file")
        from dualstack.zones.push import push

        pushed = push(site, plan, server, port, key, send=True)
        click.echo(f"dualstack: reconcile: sent {pushed.total} DNS change(s)", err=True)
    if server is not None:
        from dualstack.zones.source import read_axfr

        dns = read_axfr(plan.origin, server, port, key, types=("AAAA",))
    report = reconcile(plan, seen, dns, leases4)
    if as_json:
        emit_json(
            {
                "schema": "dualstack-reconcile/1",
                "ok": report.ok,
                "hosts": [
                    {
                        "host": r.host,
                        "nic": r.nic,
                        "planned": None if r.planned is None else str(r.planned),
                        "formed": r.formed,
                        "unplanned": [str(a) for a in r.unplanned],
                        "dns_missing": list(r.dns_missing),
                        "dns_stale": list(r.dns_stale),
                        "ipv4_elsewhere": [str(a) for a in r.ipv4_elsewhere],
                    }
                    for r in report.rows
                ],
                "unknown_leases": [
                    {"address": str(o.address), "duid": o.duid, "mac": o.mac, "source": o.source}
                    for o in report.unknown_leases
                ],
                "unread": unread,
                "unattributed": [
                    {"address": str(o.address), "mac": o.mac, "source": o.source}
                    for o in report.unattributed
                ],
            }
        )
    else:
        for r in report.rows:
            state = {True: "formed", False: "NOT formed", None: "not seen"}[r.formed]
            line = f"{r.host}/{r.nic}: planned {r.planned} {state}"
            if r.unplanned:
                line += f"; unplanned {', '.join(map(str, r.unplanned))}"
            for record in r.dns_missing:
                line += f"; DNS lacks {record}"
            for record in r.dns_stale:
                line += f"; DNS has stale {record}"
            if r.ipv4_elsewhere:
                line += f"; DHCPv4 leased it {', '.join(map(str, r.ipv4_elsewhere))}"
            click.echo(line)
        for o in report.unknown_leases:
            click.echo(f"lease {o.address} to unknown DUID {o.duid} ({o.source})")
        for o in report.unattributed:
            by = f" by MAC {o.mac}" if o.mac else ""
            click.echo(f"unplanned {o.address} seen{by} ({o.source})")
    if not report.ok:
        raise SystemExit(1)
