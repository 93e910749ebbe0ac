"""``contains``: is each address or prefix inside a given prefix?

Prefixes never partly overlap: one holds the other or they are disjoint, so every item has one
relation to the prefix: ``inside``, ``equal``, ``contains`` (the item is the larger), ``outside``
or ``other-version``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from ipaddress import IPv4Network, IPv6Network

from dualstack.net._prefix import (
    IPAddress,
    IPNetwork,
    PrefixLike,
    as_item,
    as_network,
    host_network,
    span,
)


@dataclass(frozen=True, slots=True)
class Membership:
    """Where one item stands against the prefix."""

    prefix: IPNetwork
    item: IPNetwork | IPAddress
    relation: str  # inside | equal | contains | outside | other-version

    @property
    def inside(self) -> bool:
        """Every address of the item is in the prefix."""
        return self.relation in ("inside", "equal")


def membership(prefix: PrefixLike, item: PrefixLike) -> Membership:
    """The relation of one address or prefix to ``prefix``."""
    outer = as_network(prefix)
    value = as_item(item)
    if value.version != outer.version:
        return Membership(outer, value, "other-version")
    is_prefix = isinstance(value, IPv4Network | IPv6Network)
    network = value if isinstance(value, IPv4Network | IPv6Network) else host_network(value)
    (a, b), (c, d) = span(outer), span(network)
    if (a, b) == (c, d) and is_prefix:
        relation = "equal"
    elif a <= c and d <= b:
        relation = "inside"
    elif c <= a and b <= d:
        relation = "contains"
    else:
        relation = "outside"
    return Membership(outer, value, relation)


def contains(prefix: PrefixLike, items: Iterable[PrefixLike]) -> tuple[Membership, ...]:
    """The relation of each address or prefix in ``items`` to ``prefix``.

    >>> [m.inside for m in contains("10.0.0.0/8", ["10.1.2.3", "192.0.2.0/24"])]
    [True, False]
    """
    outer = as_network(prefix)
    return tuple(membership(outer, item) for item in items)
