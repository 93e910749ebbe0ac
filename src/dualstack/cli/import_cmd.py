"""``dualstack import``: a site file from the IPv4 inventory the site already has (zones by
file or AXFR, Kea DHCPv4 leases, neighbour tables)."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network, IPv6Network
from pathlib import Path

import click

from dualstack.cli._common import emit_json
from dualstack.cli._params import IPV6_PREFIX, PATH, LibraryParam
from dualstack.errors import InputError, quote


def _vlan(text: str) -> tuple[int, IPv4Network, IPv4Address | None]:
    """``ID=10.1.20.0/24`` or ``ID=10.1.20.0/24,10.1.20.1`` (the gateway)."""
    head, sep, rest = text.partition("=")
    net_text, _, gateway_text = rest.partition(",")
    try:
        vid = int(head)
        net = IPv4Network(net_text.strip())
        gateway = IPv4Address(gateway_text.strip()) if gateway_text.strip() else None
    except ValueError:
        raise InputError(f"--vlan {quote(text)}: expected ID=IPV4/LEN[,GATEWAY]") from None
    if not sep or not 1 <= vid <= 4094:
        raise InputError(f"--vlan {quote(text)}: expected ID=IPV4/LEN[,GATEWAY], ID 1-4094")
    if gateway is not None and gateway not in net:
        raise InputError(f"--vlan {quote(text)}: the gateway is outside {net}")
    return vid, net, gateway


VLAN = LibraryParam("ID=NET[,GW]", _vlan)


def _columns(text: str) -> dict[str, str]:
    """``address=IP,name=Host,mac=MAC`` as {field: column}; address and name are needed."""
    out: dict[str, str] = {}
    for part in text.split(","):
        key, sep, value = part.partition("=")
        if not sep or key.strip() not in ("address", "name", "mac") or not value.strip():
            raise InputError(
                f"--csv-columns {quote(text)}: expected address=COL,name=COL[,mac=COL]"
            )
        out[key.strip()] = value.strip()
    if "address" not in out or "name" not in out:
        raise InputError(f"--csv-columns {quote(text)}: address and name are needed")
    return out


@click.command("import")
@click.argument("sources", nargs=-1, type=PATH)
@click.option(
    "--prefix", type=IPV6_PREFIX, help="The site's IPv6 prefix (not with --merge: the file's)."
)
@click.option("--domain", help="The site's domain (default: the first zone's origin).")
@click.option(
    "--axfr",
    "transfers",
    nargs=2,
    multiple=True,
    metavar="SERVER ZONE",
    help="Read ZONE from SERVER by zone transfer (repeatable; forward and reverse zones).",
)
@click.option("--port", type=click.IntRange(1, 65535), default=53, show_default=True)
@click.option("--key-file", type=PATH, help='TSIG key for the transfers (BIND "key" syntax).')
@click.option(
    "--vlan",
    "vlans",
    multiple=True,
    type=VLAN,
    help="A VLAN: ID=IPV4/LEN[,GATEWAY] (repeatable; default: one per /24, id guessed).",
)
@click.option(
    "--merge",
    "existing",
    type=PATH,
    help="Add to this site file: new hosts are appended, its own are never changed or dropped "
    "(differences are reported); its VLANs and domain are used.",
)
@click.option(
    "--csv-columns",
    help="Read other CSV files as tables: address=COLUMN,name=COLUMN[,mac=COLUMN] (the names "
    "in their header row).",
)
@click.option("-o", "--output", type=PATH, help="Write the site file here (default: stdout).")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='Print the import report {"schema", "hosts", "vlans", "findings"} on stdout.',
)
def import_command(
    sources: tuple[str, ...],
    prefix: IPv6Network | None,
    domain: str | None,
    transfers: tuple[tuple[str, str], ...],
    port: int,
    key_file: str | None,
    vlans: tuple[tuple[int, IPv4Network, IPv4Address | None], ...],
    existing: str | None,
    csv_columns: str | None,
    output: str | None,
    as_json: bool,
) -> None:
    """Write a site file from what already exists: BIND zone files or transfers (A records
    become hosts, CNAMEs aliases, NS the name servers), Kea DHCPv4 lease CSVs and `ip -j
    neigh`/`ip neigh` dumps (MACs for the addresses). Conflicts are findings (exit 1), never
    silent choices; `dualstack plan check` reads the result."""
    from dualstack.inventory import build, read_source, site_toml
    from dualstack.inventory.observe import Observation, from_rrsets
    from dualstack.zones.source import read_axfr

    if not sources and not transfers:
        raise click.UsageError("give the files to read, or --axfr SERVER ZONE")
    if prefix is None and existing is None:
        raise click.UsageError("give --prefix (the site's IPv6 prefix), or --merge SITE")
    observations: list[Observation] = []
    origins: list[str] = []
    key = None
    if key_file is not None:
        from dualstack.zones.tsig import read_key_file

        key = read_key_file(key_file)
    for server, zone in transfers:
        origin = zone.rstrip(".") + "."
        rrsets = read_axfr(origin, server, port, key)
        found = from_rrsets(origin, rrsets, f"AXFR {origin} from {server}")
        observations += found
        if any(o.kind == "address" for o in found):
            origins.append(origin)
    columns = _columns(csv_columns) if csv_columns else None
    for path in sources:
        found = read_source(path, columns)
        observations += found
        if any(o.kind == "address" for o in found) and not origins:
            from dualstack.zones.source import read_zone_file

            origins.append(read_zone_file(path)[0])
    given = {vid: (net, gateway) for vid, net, gateway in vlans}
    site = None
    if existing is not None:
        from dualstack.plan import load_site

        site = load_site(existing).site
        if site is None:
            raise InputError(f"{existing}: not a valid site file (see `dualstack plan check`)")
        given = {v.id: (v.ipv4, v.gateway) for v in site.vlans}
        domain = domain or site.info.domain
    site_domain = domain or (origins[0] if origins else None)
    if site_domain is None:
        raise click.UsageError("no zone with A records was read: give --domain")
    inventory = build(observations, site_domain.rstrip(".") + ".", given)
    names = [*(f"AXFR {z} from {s}" for s, z in transfers), *sources]
    findings = list(inventory.findings)
    if site is not None and existing is not None:
        from dualstack.inventory.merge import merge

        merged = merge(Path(existing).read_text(encoding="utf-8"), site, inventory, names)
        text, findings = merged.text, findings + list(merged.findings)
    else:
        assert prefix is not None
        text = site_toml(inventory, prefix, names)
    if output is None and not as_json:
        click.echo(text, nl=False)
    elif output is not None:
        from dualstack._io import write_atomic

        try:
            write_atomic(Path(output), text)
        except OSError as exc:
            raise InputError(f"cannot write {output}: {exc.strerror or exc}") from None
    if as_json:
        emit_json(
            {
                "schema": "dualstack-import/1",
                "hosts": len(inventory.hosts),
                "vlans": [{"id": v.id, "ipv4": str(v.network)} for v in inventory.vlans],
                "findings": [
                    {"rule": f.rule, "severity": str(f.severity), "subject": f.subject,
                     "message": f.message, "fix": f.fix}
                    for f in findings
                ],
            }
        )  # fmt: skip
    else:
        for f in findings:
            click.echo(f"dualstack: import: {f.severity}: {f.subject}: {f.message}", err=True)
        click.echo(
            f"dualstack: import: {len(inventory.hosts)} hosts in {len(inventory.vlans)} VLANs"
            + (f", written to {output}" if output else ""),
            err=True,
        )
    if any(f.severity != "info" for f in findings):
        raise SystemExit(1)
