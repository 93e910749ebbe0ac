"""The comparisons of RFC 6724: source address selection (section 5) and destination ordering
(section 6), each answering which of two wins and by which rule.

The rule details follow the policy (:class:`~dualstack.selection.policy.Policy.glibc`):

- RFC 6724 (and Windows): rule 9 compares common prefix lengths capped at the source's prefix
  length (section 2.2), for both families.
- glibc 2.36 (``sysdeps/posix/getaddrinfo.c``, ``rfc3484_sort``): rules 2-5, 7 and 9 only when
  both destinations have a source, 6 and 8 always; rule 7 only between sources on different
  interfaces; rule 9 only within one family, IPv6 on the whole 128 bits (uncapped), IPv4 only
  when the destination is inside the source's subnet (else 0; a source glibc could not find in
  the interface list, prefix length 0, counts only when equal to the destination). A host with
  no IPv6 address but ``::1`` leaves glibc without an interface list: no flags, no prefix
  lengths, no interfaces. IPv4-mapped IPv6 addresses are global; scopes of IPv4 come from
  ``scopev4``.
- Source selection is the Linux kernel's under glibc (``ipv6_dev_get_saddr``): the RFC's rules
  1-8 but rule 5 (outgoing interface: every address is taken as on it) and 5.5, with the
  kernel's ``ip addrlabel`` table for rule 6, rule 8 capped at the source's prefix length. The
  same code serves the RFC (and Windows) with their table. IPv4 sources: the address whose
  subnet holds the destination, else the first listed (the kernel's primary address).
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address, IPv6Address

from dualstack.selection import tables
from dualstack.selection.host import HostAddress
from dualstack.selection.policy import Policy

Address = IPv4Address | IPv6Address

SOURCE_RULES = {
    1: "prefer same address",
    2: "prefer appropriate scope",
    3: "avoid deprecated addresses",
    4: "prefer home addresses",
    6: "prefer matching label",
    7: "prefer temporary addresses",
    8: "use longest matching prefix",
    9: "first listed",
}
DESTINATION_RULES = {
    1: "avoid unusable destinations",
    2: "prefer matching scope",
    3: "avoid deprecated addresses",
    4: "prefer home addresses",
    5: "prefer matching label",
    6: "prefer higher precedence",
    7: "prefer native transport",
    8: "prefer smaller scope",
    9: "use longest matching prefix",
    10: "leave the order unchanged",
}


@dataclass(frozen=True, slots=True)
class Decision:
    """Why ``winner`` goes before ``loser``: a rule of section 5 (``kind`` "source") or 6
    ("destination"), with the values it compared."""

    kind: str
    rule: int
    winner: Address
    loser: Address
    detail: str

    @property
    def name(self) -> str:
        return (SOURCE_RULES if self.kind == "source" else DESTINATION_RULES)[self.rule]


def scope(policy: Policy, address: Address) -> int:
    return tables.scope_in(policy.scopev4, address) if policy.glibc else tables.rfc_scope(address)


def scope_name(value: int) -> str:
    return tables.SCOPE_NAMES.get(value, f"scope {value}")


def common_prefix(a: Address, b: Address) -> int:
    """Leading bits ``a`` and ``b`` share (IPv4 compared as 32 bits)."""
    width = 32 if a.version == 4 else 128
    return width - (int(a) ^ int(b)).bit_length()


def _in_subnet(source: HostAddress, destination: Address) -> bool:
    shift = (32 if destination.version == 4 else 128) - source.prefixlen
    return int(source.address) >> shift == int(destination) >> shift


# ------------------------------------------------------------- source selection (section 5)


def better_source(
    policy: Policy, destination: Address, a: HostAddress, b: HostAddress
) -> Decision | None:
    """The rule by which ``a`` or ``b`` is the better source for ``destination`` (None: the
    rules do not tell them apart, and the first listed wins)."""

    def won(rule: int, a_wins: bool, detail: str) -> Decision:
        winner, loser = (a, b) if a_wins else (b, a)
        return Decision("source", rule, winner.address, loser.address, detail)

    if (a.address == destination) != (b.address == destination):
        return won(1, a.address == destination, "it is the destination itself")
    sa, sb, sd = (scope(policy, x) for x in (a.address, b.address, destination))
    if sa != sb:
        # the smallest scope that still reaches the destination; else the largest
        a_wins = (sa > sb and sb < sd) or (sa < sb and sa >= sd)
        return won(
            2,
            a_wins,
            f"scopes {scope_name(sa)} and {scope_name(sb)}, destination {scope_name(sd)}",
        )
    if a.deprecated != b.deprecated:
        return won(3, not a.deprecated, "the other is deprecated")
    if a.home != b.home:
        return won(4, a.home, "a home address")
    labels = policy.source_labels
    ld, la, lb = labels.lookup(destination), labels.lookup(a.address), labels.lookup(b.address)
    if (la == ld) != (lb == ld):
        return won(6, la == ld, f"label {ld} like the destination's")
    if a.temporary != b.temporary:
        return won(7, a.temporary, "a temporary address")
    if destination.version == 4:
        ina, inb = _in_subnet(a, destination), _in_subnet(b, destination)
        if ina != inb:
            winner = a if ina else b
            return won(8, ina, f"the destination is in {winner.address}/{winner.prefixlen}")
        return None
    ca = min(common_prefix(a.address, destination), a.prefixlen)
    cb = min(common_prefix(b.address, destination), b.prefixlen)
    if ca != cb:
        return won(8, ca > cb, f"common prefix {max(ca, cb)} bits against {min(ca, cb)}")
    return None


def choose_source(
    policy: Policy, destination: Address, candidates: tuple[HostAddress, ...]
) -> tuple[HostAddress | None, tuple[Decision, ...]]:
    """The best of ``candidates`` for ``destination`` and, for each other candidate, the rule
    that put the winner ahead of it (rule 9, "first listed", when none did)."""
    if not candidates:
        return None, ()
    best = candidates[0]
    for other in candidates[1:]:
        decision = better_source(policy, destination, best, other)
        if decision is not None and decision.winner == other.address:
            best = other
    reasons = []
    for other in candidates:
        if other is best:
            continue
        decision = better_source(policy, destination, best, other)
        if decision is None:
            decision = Decision("source", 9, best.address, other.address, "listed first")
        reasons.append(decision)
    return best, tuple(reasons)


# ------------------------------------------------------------- destination ordering (section 6)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A destination with what its ordering reads: its source (None: unusable), and the
    values the rules compare."""

    address: Address
    zone: str | None
    position: int  # in the input (rule 10)
    source: HostAddress | None
    scope: int
    source_scope: int | None
    label: int | None
    source_label: int | None
    precedence: int
    source_decisions: tuple[Decision, ...]
    unusable: str | None = None  # why there is no source

    @property
    def native(self) -> bool:
        return self.source is not None and not self.source.tunnel


def compare(policy: Policy, a: Candidate, b: Candidate) -> tuple[bool, Decision]:
    """Whether ``a`` goes before ``b``, and by which rule (rule 10, input order, when no other
    decides)."""

    def won(rule: int, a_wins: bool, detail: str) -> tuple[bool, Decision]:
        winner, loser = (a, b) if a_wins else (b, a)
        return a_wins, Decision("destination", rule, winner.address, loser.address, detail)

    if (a.source is None) != (b.source is None):
        loser = b if b.source is None else a
        return won(1, a.source is not None, f"{loser.address} is unusable: {loser.unusable}")
    # from here both have a source or neither has: rules 2-5, 7 and 9 need them
    if a.source is not None and b.source is not None:
        ma, mb = a.scope == a.source_scope, b.scope == b.source_scope
        if ma != mb:
            return won(2, ma, "its source has its scope; the other's does not")
        if a.source.deprecated != b.source.deprecated:
            return won(3, not a.source.deprecated, "the other's source is deprecated")
        if a.source.home != b.source.home:
            return won(4, a.source.home, "its source is a home address")
        la, lb = a.label == a.source_label, b.label == b.source_label
        if la != lb:
            winner = a if la else b
            return won(5, la, f"label {winner.label} like its source's")
    if a.precedence != b.precedence:
        return won(
            6,
            a.precedence > b.precedence,
            f"precedence {max(a.precedence, b.precedence)} against "
            f"{min(a.precedence, b.precedence)}",
        )
    if a.source is not None and b.source is not None:
        # glibc compares only sources on different interfaces (an unknown one is neither)
        different = a.source.interface != b.source.interface
        if (different or not policy.glibc) and a.native != b.native:
            return won(7, a.native, "the other's source is on a tunnel")
    if a.scope != b.scope:
        return won(
            8,
            a.scope < b.scope,
            f"{scope_name(min(a.scope, b.scope))} before {scope_name(max(a.scope, b.scope))}",
        )
    if a.source is not None and b.source is not None and a.address.version == b.address.version:
        pa, pb = _rule9(policy, a), _rule9(policy, b)
        if pa != pb:
            detail = f"common prefix with its source {max(pa, pb)} bits against {min(pa, pb)}"
            return won(9, pa > pb, detail)
    return won(10, a.position < b.position, "given first")


def _rule9(policy: Policy, c: Candidate) -> int:
    source = c.source
    assert source is not None
    shared = common_prefix(source.address, c.address)
    if not policy.glibc:
        return min(shared, source.prefixlen)
    if c.address.version == 6:
        return shared
    if source.prefixlen == 0:  # glibc did not find the source: its mask is all ones
        return 32 if shared == 32 else 0
    return shared if _in_subnet(source, c.address) else 0
