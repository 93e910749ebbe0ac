"""``free``: what is left of a prefix once the prefixes already in use are taken out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from dualstack.errors import InputError, quote
from dualstack.net._prefix import (
    IPNetwork,
    PrefixLike,
    as_network,
    item_text,
    prefix_text,
    span,
)
from dualstack.net.aggregate import cidrs, merge

_NAMED = 5  # how many out-of-parent prefixes an error lists


@dataclass(frozen=True, slots=True)
class FreeSpace:
    """A parent prefix split into what is in use (summarized) and what is free."""

    parent: IPNetwork
    used: tuple[IPNetwork, ...]
    free: tuple[IPNetwork, ...]

    @property
    def used_addresses(self) -> int:
        return sum(n.num_addresses for n in self.used)

    @property
    def free_addresses(self) -> int:
        return sum(n.num_addresses for n in self.free)


def free(parent: PrefixLike, used: Iterable[PrefixLike]) -> FreeSpace:
    """The fewest prefixes covering ``parent`` minus ``used``. Used prefixes may overlap and
    repeat; one that is not inside ``parent`` is an error that names it (and the others).

    >>> [str(p) for p in free("10.0.0.0/24", ["10.0.0.64/26"]).free]
    ['10.0.0.0/26', '10.0.0.128/25']
    """
    outer = as_network(parent)
    top_first, top_last = span(outer)
    intervals: list[tuple[int, int]] = []
    outside: list[str] = []
    for item in used:
        network = as_network(item)
        first, last = span(network)
        if network.version != outer.version or first < top_first or last > top_last:
            outside.append(quote(item if isinstance(item, str) else item_text(network)))
            continue
        intervals.append((first, last))
    if outside:
        named = ", ".join(outside[:_NAMED])
        more = f" and {len(outside) - _NAMED} more" if len(outside) > _NAMED else ""
        raise InputError(f"used prefixes not inside {prefix_text(outer)}: {named}{more}")
    taken = merge(intervals)
    gaps: list[tuple[int, int]] = []
    cursor = top_first
    for first, last in taken:
        if first > cursor:
            gaps.append((cursor, first - 1))
        cursor = last + 1
    if cursor <= top_last:
        gaps.append((cursor, top_last))
    version = outer.version
    return FreeSpace(
        parent=outer,
        used=tuple(n for first, last in taken for n in cidrs(first, last, version)),
        free=tuple(n for first, last in gaps for n in cidrs(first, last, version)),
    )
