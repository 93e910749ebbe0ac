"""``split``: cut a prefix into equal, longer prefixes, streamed one at a time.

An IPv6 /32 holds 2**32 /64s, so results are generated rather than listed, and a limit stops
a typo from asking for billions of lines unless the caller means it.
"""

from __future__ import annotations

from collections.abc import Iterator

from dualstack.errors import InputError, quote
from dualstack.net._prefix import IPNetwork, PrefixLike, as_network, from_span, prefix_text

MAX_RESULTS = 65_536


def split_length(network: IPNetwork, new_len: int | None = None, count: int | None = None) -> int:
    """The prefix length ``split`` cuts to: ``new_len``, or the shortest length that gives at
    least ``count`` prefixes (``count`` rounded up to a power of two)."""
    name = quote(prefix_text(network))
    if (new_len is None) == (count is None):
        raise InputError(f"split {name}: give either a new prefix length or a count")
    if count is not None:
        if count < 1:
            raise InputError(f"split {name}: count {count} must be at least 1")
        new_len = network.prefixlen + (count - 1).bit_length()
        if new_len > network.max_prefixlen:
            raise InputError(
                f"cannot split {name} into {count} prefixes: that needs /{new_len}, "
                f"past /{network.max_prefixlen}"
            )
        return new_len
    assert new_len is not None
    if new_len < network.prefixlen:
        raise InputError(
            f"cannot split {name} into /{new_len}: a /{new_len} is larger than the "
            f"/{network.prefixlen}"
        )
    if new_len > network.max_prefixlen:
        raise InputError(
            f"cannot split {name} into /{new_len}: IPv{network.version} prefixes end at "
            f"/{network.max_prefixlen}"
        )
    return new_len


def split(
    prefix: PrefixLike,
    new_len: int | None = None,
    count: int | None = None,
    *,
    limit: int | None = MAX_RESULTS,
) -> Iterator[IPNetwork]:
    """The prefixes of length ``new_len`` (or enough for ``count``) inside ``prefix``, in order.

    Arguments are checked at the call, not at the first ``next()``. More than ``limit`` results
    is an error; ``limit=None`` streams any number.

    >>> [str(p) for p in split("10.0.0.0/24", count=3)]
    ['10.0.0.0/26', '10.0.0.64/26', '10.0.0.128/26', '10.0.0.192/26']
    """
    network = as_network(prefix)
    length = split_length(network, new_len, count)
    total = 1 << (length - network.prefixlen)
    if limit is not None and total > limit:
        raise InputError(
            f"splitting {quote(prefix_text(network))} into /{length} gives {total:,} prefixes, "
            f"more than the limit of {limit:,}; raise it (CLI: --limit, 0 for none) to stream them"
        )
    return _generate(network, length, total)


def _generate(network: IPNetwork, length: int, total: int) -> Iterator[IPNetwork]:
    start = int(network.network_address)
    step = 1 << (network.max_prefixlen - length)
    for i in range(total):
        yield from_span(start + i * step, length, network.version)
