"""``select``: the order a host tries destinations in, and the source address it uses for each
(RFC 6724), with the rule behind every choice.

The host is taken to reach every destination of a family it has an address of (a default route
per family); loopback destinations leave from the loopback address. Destinations keep the
order they are given in until a rule says otherwise (rule 10): the order of a name's lines in
``/etc/hosts``, or of its A then AAAA records in DNS, is what glibc starts from.

The order is made by glibc's own sort (a top-down merge sort, left half first), for every
policy: glibc's comparison is not transitive (rule 9 compares only addresses of one family),
so a different sort of the same comparison can give a different order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv6Address

from dualstack.selection.host import HostAddress
from dualstack.selection.policy import RFC6724, Policy
from dualstack.selection.rules import Candidate, Decision, choose_source, compare, scope

Address = IPv4Address | IPv6Address

_LOOPBACK = {
    6: HostAddress(IPv6Address(1), 128, "lo"),
    4: HostAddress(IPv4Address("127.0.0.1"), 8, "lo"),
}


@dataclass(frozen=True, slots=True)
class Target:
    """A destination as given: an address, its zone (``fe80::1%eth0``), and the name it was
    resolved from, if any."""

    address: Address
    zone: str | None = None
    name: str | None = None


@dataclass(frozen=True, slots=True)
class Ranked:
    """A destination in the chosen order, with why it goes before the next one (None: the
    last). ``merged``: that pair alone would be the other way round; the merge sort's order of
    comparisons put it here (glibc does the same)."""

    destination: Candidate
    name: str | None
    before_next: Decision | None
    merged: bool = False


@dataclass(frozen=True, slots=True)
class Selection:
    """The outcome for one host and one list of destinations."""

    policy: Policy
    host: tuple[HostAddress, ...]
    destinations: tuple[Ranked, ...]


def select(
    targets: Sequence[Target], host: Sequence[HostAddress], policy: Policy = RFC6724
) -> Selection:
    """Order ``targets`` for a host with the addresses ``host`` under ``policy``."""
    own = tuple(host)
    seen = _seen_by_glibc(own) if policy.glibc else own
    candidates = [_candidate(policy, t, i, own, seen) for i, t in enumerate(targets)]
    ordered = merge_sort(candidates, lambda a, b: compare(policy, a, b)[0])
    names = {c.position: t.name for c, t in zip(candidates, targets, strict=True)}
    ranked = []
    for current, following in zip(ordered, [*ordered[1:], None], strict=True):
        if following is None:
            ranked.append(Ranked(current, names[current.position], None))
            continue
        first, decision = compare(policy, current, following)
        ranked.append(Ranked(current, names[current.position], decision, not first))
    return Selection(policy, own, tuple(ranked))


def merge_sort(
    items: Sequence[Candidate], first: Callable[[Candidate, Candidate], bool]
) -> list[Candidate]:
    """glibc's qsort (``msort``): sort the left half (``n // 2`` long) and the right half, then
    merge, taking the left one unless ``first(left, right)`` is false."""
    if len(items) <= 1:
        return list(items)
    half = len(items) // 2
    left, right = merge_sort(items[:half], first), merge_sort(items[half:], first)
    out: list[Candidate] = []
    i = j = 0
    while i < len(left) and j < len(right):
        if first(left[i], right[j]):
            out.append(left[i])
            i += 1
        else:
            out.append(right[j])
            j += 1
    return out + left[i:] + right[j:]


def _seen_by_glibc(host: tuple[HostAddress, ...]) -> tuple[HostAddress, ...]:
    """The host as glibc's interface list shows it: with no IPv6 address but ``::1`` glibc
    drops the list, so no source has flags, a prefix length or an interface."""
    if any(h.address.version == 6 and not h.address.is_loopback for h in host):
        return host
    return tuple(HostAddress(h.address, 0) for h in host)


def _candidate(
    policy: Policy,
    target: Target,
    position: int,
    host: tuple[HostAddress, ...],
    seen: tuple[HostAddress, ...],
) -> Candidate:
    address = target.address
    family = address.version
    mapped = address.ipv4_mapped if isinstance(address, IPv6Address) else None
    if mapped is not None:  # the kernel connects to it over IPv4
        family = 4
    reach: Address = mapped if mapped is not None else address
    loopback = reach.is_loopback
    pool = tuple(
        h for h in host if h.address.version == family and h.address.is_loopback == loopback
    )
    if loopback and not pool:
        pool = (_LOOPBACK[family],)
    unusable = None
    if not pool:
        unusable = f"the host has no IPv{family} address"
    elif (
        policy.glibc
        and isinstance(address, IPv6Address)
        and address.is_link_local
        and target.zone is None
    ):
        unusable = "glibc cannot connect to a link-local address given without a zone"
    source, decisions = (None, ()) if unusable else choose_source(policy, reach, pool)
    if source is not None and policy.glibc:
        source = next(
            (h for h in seen if h.address == source.address), HostAddress(source.address, 0)
        )
    labels = policy.labels
    return Candidate(
        address=address,
        zone=target.zone,
        position=position,
        source=source,
        scope=scope(policy, address),
        source_scope=None if source is None else scope(policy, source.address),
        label=labels.lookup(address),
        source_label=None if source is None else labels.lookup(source.address),
        precedence=policy.precedence.lookup(address) or 0,
        source_decisions=decisions,
        unusable=unusable,
    )
