"""Terminal renderings of the bulk reports (the JSON shapes live with the values)."""

from __future__ import annotations

from dualstack.bulk.present import stats_sections

TYPE_CHECKING = False  # importing typing costs start-up time; mypy still reads these blocks
if TYPE_CHECKING:  # the bulk engine (numpy) loads only when a bulk command runs
    from collections.abc import Iterable

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
    for block in stats_sections(stats):
        lines += section(block.title, block.rows, block.total)
    return "\n".join(lines).rstrip("\n") + "\n"
