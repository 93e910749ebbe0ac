"""``dualstack audit``: security readings (``audit addresses``: RFC 7707 on an address list)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from dualstack.cli.bulk_cmd import _options, input_options
from dualstack.cli.bulk_reading import Reading, report
from dualstack.cli.bulk_view import section

if TYPE_CHECKING:  # numpy loads only when the command runs, not for `dualstack --help`
    from dualstack.bulk.audit import AddressAudit


@click.group("audit")
def audit_command() -> None:
    """Security readings of what the network shows."""


@audit_command.command("addresses")
@input_options()
@click.option("--json", "as_json", is_flag=True, help="The reading as one JSON object.")
def addresses_command(
    file: str | None, extract: str, csv_column: str | None, as_json: bool, **tr: Any
) -> None:
    """How findable the hosts behind these addresses are (RFC 7707), which tunnels appear
    and what the addresses leak (MAC vendors, embedded IPv4)."""
    from dualstack.bulk import present
    from dualstack.bulk.audit import AuditTally

    reading = Reading(file, extract, csv_column, _options(**tr))
    report(AuditTally(), reading, render, present.audit if as_json else None)


def render(audit: AddressAudit) -> str:
    """The readable report."""
    from dualstack.bulk.audit import PREDICTABLE_BITS, TUNNELS

    stats = audit.stats
    lines = [
        f"Addresses: {stats.addresses:,} ({stats.ipv6:,} IPv6, {stats.ipv4:,} IPv4); "
        f"interface identifiers analysed: {audit.analysed:,}",
        "",
        "Search space per /64 (RFC 7707 section 4.1), by IID class:",
    ]
    for c in audit.classes:
        share = 100 * c.count / audit.analysed if audit.analysed else 0.0
        lines.append(f"  {c.name:<14} {c.count:>12,}  {share:5.1f}%   2^{c.bits} probes")
    lines += [
        "",
        f"Predictable (at most 2^{PREDICTABLE_BITS} probes per /64): {audit.predictable:,} "
        f"({100 * audit.predictable_share:.1f}%)",
        f"Sequential IIDs (within 16 of a neighbour in the same /64): {audit.sequential:,}",
        f"Mean search per host: 2^{audit.mean_bits:.1f} probes, against 2^64 for a fully "
        "random IID",
        "",
    ]
    tunnels = [(name, count) for name, count in audit.tunnels.items() if count]
    if tunnels:
        lines.append("Tunnels seen (traffic that may bypass the IPv4 firewall):")
        lines += [f"  {n:<7} {c:>12,}  {TUNNELS[n]}" for n, c in tunnels]
        lines.append("")
    else:
        lines += ["Tunnels seen: none (no Teredo, 6to4 or ISATAP addresses)", ""]
    lines += section(
        "MAC vendors leaked by EUI-64 IIDs", stats.vendors, stats.iid.get("ieee-derived", 0)
    )
    embedded = {k: v for k, v in stats.embedded.items() if k not in TUNNELS}
    lines += section("Other IPv4 addresses carried in IPv6", embedded.items(), stats.ipv6)
    return "\n".join(lines).rstrip("\n") + "\n"
