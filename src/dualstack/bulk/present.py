"""The JSON shapes of the bulk engine's results (``bulk stats --json``, ``audit addresses
--json``); the types are imported for checking only, so this module never loads numpy."""

from __future__ import annotations

from dualstack import _value

TYPE_CHECKING = False  # importing typing costs start-up time (bulk stats on an empty file)

if TYPE_CHECKING:
    from typing import Any

    from dualstack.bulk.audit import AddressAudit
    from dualstack.bulk.stats import Stats


def stats(value: Stats) -> dict[str, Any]:
    """Counts of one population; top lists as {prefix|vendor, count} rows."""
    return {
        "schema": "dualstack-bulk-stats/1",
        "lines": value.lines,
        "candidates": value.candidates,
        "addresses": value.addresses,
        "invalid": value.invalid,
        "skipped": value.skipped,
        "ipv4": value.ipv4,
        "ipv6": value.ipv6,
        "unique": value.unique,
        "unique_estimated": value.unique_estimated,
        "types": value.types,
        "scopes": value.scopes,
        "iid": value.iid,
        "embedded_ipv4": value.embedded,
        "top_prefixes": {
            k: [{"prefix": p, "count": c} for p, c in v] for k, v in value.prefixes.items()
        },
        "top_vendors": [{"vendor": v, "count": c} for v, c in value.vendors],
        "top_exact": value.top_exact,
        "errors": [{"line": n, "input": t, "error": m} for n, t, m in value.errors],
    }


def audit(value: AddressAudit) -> dict[str, Any]:
    """The RFC 7707 reading of one population."""
    return {
        "schema": "dualstack-address-audit/1",
        "addresses": value.stats.addresses,
        "ipv6": value.stats.ipv6,
        "iid_analysed": value.analysed,
        "classes": [
            {"class": c.name, "count": c.count, "search_bits": c.bits} for c in value.classes
        ],
        "sequential": value.sequential,
        "predictable": value.predictable,
        "predictable_share": round(value.predictable_share, 6),
        "mean_search_bits": round(value.mean_bits, 2),
        "random_iid_bits": 64,
        "tunnels": value.tunnels,
        "vendors_leaked": [{"vendor": v, "count": c} for v, c in value.stats.vendors],
    }


@_value.value
class Section:
    """One titled block of a report: (label, count) rows, each a share of ``total``."""

    title: str
    rows: list[tuple[str, int]]
    total: int


def ranked(counts: dict[str, int]) -> list[tuple[str, int]]:
    """Largest first, ties by name, so tables and charts read top-down."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def stats_sections(value: Stats) -> list[Section]:
    """The blocks of a ``bulk stats`` report, in the order the terminal and the web Audit page
    both show them; blocks with nothing to count are left out."""
    six, four = value.ipv6, value.ipv4
    note = "" if value.top_exact else " (lower bounds: more distinct keys than the memory bound)"
    sections = [
        Section("IPv6 types", ranked(value.types["ipv6"]), six),
        Section("IPv6 scopes", ranked(value.scopes["ipv6"]), six),
        Section("IPv6 interface identifiers (IID class)", ranked(value.iid), six),
        Section("IPv4 embedded in IPv6 (role)", ranked(value.embedded), six),
        *(
            Section(f"Top IPv6 {length} prefixes{note}", top, six)
            for length, top in value.prefixes.items()
        ),
        Section(
            "Top MAC vendors (from EUI-64 IIDs)", value.vendors, value.iid.get("ieee-derived", 0)
        ),
        Section("IPv4 types", ranked(value.types["ipv4"]), four),
        Section("IPv4 scopes", ranked(value.scopes["ipv4"]), four),
    ]
    return [s for s in sections if any(count for _, count in s.rows)]
