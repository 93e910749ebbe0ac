"""``summarize`` and ``range_to_cidrs``: the fewest prefixes that cover exactly a set of addresses.

Both work on integer intervals: merge what overlaps or touches, then cut each interval into the
largest aligned blocks. The result equals ``ipaddress.collapse_addresses`` (the minimal cover
is unique) and, like aggregate6, keeps IPv4 and IPv6 apart and sorted.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from dualstack.addr.text import compressed
from dualstack.errors import InputError, quote
from dualstack.net._prefix import (
    AddressLike,
    IPNetwork,
    PrefixLike,
    as_address,
    as_network,
    from_span,
    span,
)

Interval = tuple[int, int]  # first and last address, inclusive


def cidrs(first: int, last: int, version: int) -> Iterator[IPNetwork]:
    """The largest aligned blocks that cover integers ``first`` to ``last``, in order."""
    bits = 32 if version == 4 else 128
    while first <= last:
        # the largest block aligned at `first` ...
        size = (first & -first) if first else 1 << bits
        # ... that does not run past `last`
        while size > last - first + 1:
            size >>= 1
        yield from_span(first, bits - size.bit_length() + 1, version)
        first += size


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, non-overlapping, non-touching intervals with the same union."""
    merged: list[Interval] = []
    for first, last in sorted(intervals):
        if merged and first <= merged[-1][1] + 1:
            if last > merged[-1][1]:
                merged[-1] = (merged[-1][0], last)
        else:
            merged.append((first, last))
    return merged


def summarize(items: Iterable[PrefixLike]) -> tuple[IPNetwork, ...]:
    """Aggregate prefixes and addresses: merge the adjacent and the contained, IPv4 first, then
    IPv6, each sorted. ``items`` is read once, so a generator over a huge file is fine.

    >>> [str(p) for p in summarize(["10.0.0.0/25", "10.0.0.128/25", "10.0.0.7"])]
    ['10.0.0.0/24']
    """
    by_version: dict[int, list[Interval]] = {4: [], 6: []}
    for item in items:
        network = as_network(item)
        by_version[network.version].append(span(network))
    return tuple(
        network
        for version in (4, 6)
        for first, last in merge(by_version[version])
        for network in cidrs(first, last, version)
    )


def range_to_cidrs(first: AddressLike, last: AddressLike) -> tuple[IPNetwork, ...]:
    """The fewest prefixes covering exactly ``first`` to ``last`` (inclusive).

    >>> [str(p) for p in range_to_cidrs("192.0.2.1", "192.0.2.6")]
    ['192.0.2.1/32', '192.0.2.2/31', '192.0.2.4/31', '192.0.2.6/32']
    """
    start, end = as_address(first), as_address(last)
    if start.version != end.version:
        raise InputError(
            f"range {quote(compressed(start))} to {quote(compressed(end))} mixes IPv4 and IPv6"
        )
    if int(start) > int(end):
        raise InputError(
            f"range {quote(compressed(start))} to {quote(compressed(end))} is backwards: "
            "the first address is after the last"
        )
    return tuple(cidrs(int(start), int(end), start.version))
