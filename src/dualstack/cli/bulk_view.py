"""Terminal renderings of the bulk reports (the JSON shapes live with the values)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the bulk engine (numpy) loads only when a bulk command runs
    from dualstack.bulk.stats import Stats


def _share(count: int, total: int) -> str:
    return f"{100 * count / total:5.1f}%" if total else "     -"


def section(title: str, rows: Iterable[tuple[str, int]], total: int) -> list[str]:
    """A titled block of ``label  count  share`` lines; empty when there is nothing to show."""
    items = [(label, count) for label, count in rows if count]
    if not items:
        return []
    width = max(len(label) for label, _ in items)
    lines = [title]
    lines += [f"  {label:<{width}}  {count:>12,}  {_share(count, total)}" for label, count in items]
    return [*lines, ""]


def render_stats(stats: Stats) -> str:
    """The ``bulk stats`` report."""
    unique = f"~{stats.unique:,} (estimated)" if stats.unique_estimated else f"{stats.unique:,}"
    lines = [
        f"Addresses: {stats.addresses:,} from {stats.lines:,} lines"
        + (f" ({stats.invalid:,} lines not addresses)" if stats.invalid else "")
        + (f" ({stats.skipped:,} fields skipped: not addresses)" if stats.skipped else ""),
        f"  IPv6  {stats.ipv6:>12,}  {_share(stats.ipv6, stats.addresses)}",
        f"  IPv4  {stats.ipv4:>12,}  {_share(stats.ipv4, stats.addresses)}",
        f"  unique addresses: {unique}",
        "",
    ]
    six, four = stats.ipv6, stats.ipv4
    lines += section("IPv6 types", stats.types["ipv6"].items(), six)
    lines += section("IPv6 scopes", stats.scopes["ipv6"].items(), six)
    lines += section("IPv6 interface identifiers (IID class)", stats.iid.items(), six)
    lines += section("IPv4 embedded in IPv6 (role)", stats.embedded.items(), six)
    note = "" if stats.top_exact else " (counts are lower bounds: too many distinct prefixes)"
    for length, top in stats.prefixes.items():
        lines += section(f"Top IPv6 {length} prefixes{note}", top, six)
    lines += section(
        "Top MAC vendors (from EUI-64 IIDs)", stats.vendors, stats.iid.get("ieee-derived", 0)
    )
    lines += section("IPv4 types", stats.types["ipv4"].items(), four)
    lines += section("IPv4 scopes", stats.scopes["ipv4"].items(), four)
    return "\n".join(lines).rstrip("\n") + "\n"
