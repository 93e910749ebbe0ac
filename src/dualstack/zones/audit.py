"""Audit of dual-stack DNS: what ``named-checkzone`` does not look at.

Input: zones as RRsets (from files or AXFR), optionally the plan and the names the site's lock
says it published. Each rule is a function registered under its id; every finding names the
record(s) and the fix. With a plan, a record the site manages but the plan does not have is
reported once, by ``dns.unplanned-record`` or ``dns.aaaa-outside-vlan``, and the rules that
would advise keeping it (add its PTR, ...) stay silent about it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from ipaddress import IPv4Address, IPv6Address, IPv6Network, ip_address

from dualstack.addr.text import compressed, reverse_pointer
from dualstack.findings import Finding, Rule, RuleBook, Severity
from dualstack.plan.model import Plan
from dualstack.zones.build import build_zones
from dualstack.zones.own import MANAGED
from dualstack.zones.source import RRSet

_NIBBLE = re.compile(r"[0-9a-f]")
_OCTET = re.compile(r"0|[1-9][0-9]{0,2}")


@dataclass(frozen=True)
class View:
    """Everything audited, indexed: zones by origin, and the records across them."""

    zones: Mapping[str, RRSet]
    plan: Plan | None
    managed: frozenset[str] = field(default=frozenset())  # names the lock says were published

    def records(self, rtype: str) -> Iterator[tuple[str, str, str]]:
        """(zone, owner, value) for every record of ``rtype``."""
        for origin, rrsets in self.zones.items():
            for (owner, t), values in rrsets.items():
                if t == rtype:
                    for value in values:
                        yield origin, owner, value

    def zone_of(self, name: str) -> str | None:
        """The audited zone ``name`` falls in (the longest matching origin): walk up its
        labels, so a lookup costs its depth, not the number of zones."""
        labels = name.rstrip(".").split(".")
        for start in range(len(labels)):
            origin = ".".join(labels[start:]) + "."
            if origin in self.zones:
                return origin
        return None

    def values(self, owner: str, rtype: str) -> frozenset[str]:
        zone = self.zone_of(owner)
        return self.zones[zone].get((owner, rtype), frozenset()) if zone else frozenset()

    @cached_property
    def planned(self) -> Mapping[tuple[str, str], frozenset[str]]:
        """(owner, type) -> the plan's values (addresses in RFC 5952 text); {} without a plan."""
        held: dict[tuple[str, str], set[str]] = defaultdict(set)
        if self.plan is not None:
            for owner, rtype, value in _plan_records(self.plan):
                if rtype in MANAGED:
                    held[(owner, rtype)].add(_normal(rtype, value))
        return {k: frozenset(v) for k, v in held.items()}

    @cached_property
    def wrong(self) -> Mapping[tuple[str, str, str], str]:
        """Each record of a managed type at a name the site manages (the plan's names, and with
        a plan the lock's) that the plan does not have -> the rule that reports it."""
        if self.plan is None:
            return {}
        names = {owner for owner, _ in self.planned} | self.managed
        found: dict[tuple[str, str, str], str] = {}
        for rrsets in self.zones.values():
            for (owner, rtype), values in rrsets.items():
                if rtype not in MANAGED or owner not in names:
                    continue
                plan = self.planned.get((owner, rtype), frozenset())
                for value in values:
                    if _normal(rtype, value) in plan:
                        continue
                    outside = rtype == "AAAA" and _outside(self, owner, value) is not None
                    rule = "dns.aaaa-outside-vlan" if outside else "dns.unplanned-record"
                    found[(owner, rtype, value)] = rule
        return found

    @cached_property
    def _wrong_sets(self) -> frozenset[tuple[str, str]]:
        return frozenset((owner, rtype) for owner, rtype, _ in self.wrong)

    def replaced(self, owner: str, rtype: str) -> bool:
        """True when DNS holds a wrong ``rtype`` record at ``owner`` (one the plan lacks)."""
        return (owner, rtype) in self._wrong_sets


RULES: RuleBook[View] = RuleBook("audit rule")


def _ptr_name(address: str) -> str:
    return reverse_pointer(ip_address(address))


def _classless_zones(view: View, parent: str) -> Iterator[tuple[str, int, int]]:
    """(origin, first, last octet) of each audited RFC 2317 zone ``<first>/<length>.<parent>``."""
    for origin in view.zones:
        first, _, rest = origin.partition(".")
        start, slash, length = first.partition("/")
        if slash and rest == parent and start.isdigit() and length.isdigit():
            size = 1 << max(0, 32 - int(length))
            yield origin, int(start), int(start) + size - 1


def _classless_owner(view: View, ptr: str) -> str | None:
    """Where an audited RFC 2317 zone covering the address of ``ptr`` puts its PTR."""
    octet, _, parent = ptr.partition(".")
    if not (ptr.endswith(".in-addr.arpa.") and octet.isdigit()):
        return None
    for origin, first, last in _classless_zones(view, parent):
        if first <= int(octet) <= last:
            return f"{octet}.{origin}"
    return None


def _ptr_values(view: View, ptr: str) -> frozenset[str] | None:
    """The PTR targets a resolver finds for the reverse name ``ptr``, following an RFC 2317
    CNAME into an audited zone; the PTR in an audited classless zone covering the address
    when the /24 zone has neither (or is not audited: dns.classless-delegation reports a
    missing CNAME). None when the answer lies in no audited zone."""
    if view.zone_of(ptr) is not None:
        targets = view.values(ptr, "CNAME")
        if targets:
            target = min(targets)
            return view.values(target, "PTR") if view.zone_of(target) else None
        if have := view.values(ptr, "PTR"):
            return have
    child = _classless_owner(view, ptr)
    if child is not None:
        return view.values(child, "PTR")
    return frozenset() if view.zone_of(ptr) is not None else None


@RULES.check("dns.missing-ptr", Severity.ERROR)
def missing_ptr(view: View, found: Rule) -> Iterator[Finding]:
    """A or AAAA whose address has no PTR back to the name (where its reverse zone is audited;
    an RFC 2317 CNAME in the /24 zone is followed into the classless zone)."""
    for rtype in ("A", "AAAA"):
        for _, owner, value in view.records(rtype):
            ptr = _ptr_name(value)
            have = _ptr_values(view, ptr)
            if have is None or (owner, rtype, value) in view.wrong:
                continue  # not audited, or a record to delete (not to give a PTR)
            if view.replaced(ptr, "PTR"):
                continue  # unplanned-record reports the wrong PTR there
            if owner not in have:
                yield found(
                    f"{owner} {rtype} {value}",
                    f"no PTR {ptr} -> {owner}",
                    fix=f"add: {ptr} PTR {owner}",
                )


@RULES.check("dns.orphan-ptr", Severity.ERROR)
def orphan_ptr(view: View, found: Rule) -> Iterator[Finding]:
    """PTR to a name (in an audited zone) that has no A or AAAA at all."""
    for _, owner, target in view.records("PTR"):
        if view.zone_of(target) is None or (owner, "PTR", target) in view.wrong:
            continue
        if not view.values(target, "A") and not view.values(target, "AAAA"):
            yield found(
                f"{owner} PTR {target}",
                f"{target} has no A or AAAA record",
                fix="delete the PTR or add the host",
            )


def _address_of_ptr(owner: str) -> IPv4Address | IPv6Address | None:
    labels = owner.rstrip(".").split(".")
    if (
        owner.endswith(".ip6.arpa.")
        and len(labels) == 34
        and all(_NIBBLE.fullmatch(x) for x in labels[:32])
    ):
        return IPv6Address(int("".join(reversed(labels[:32])), 16))
    if owner.endswith(".in-addr.arpa.") and len(labels) == 7 and "/" in labels[1]:
        labels = [labels[0], *labels[2:]]  # RFC 2317: d.<first>/<length>.c.b.a.in-addr.arpa.
    if (
        owner.endswith(".in-addr.arpa.")
        and len(labels) == 6
        and all(_OCTET.fullmatch(x) and int(x) < 256 for x in labels[:4])
    ):
        return IPv4Address(".".join(reversed(labels[:4])))
    return None


@RULES.check("dns.fcrdns", Severity.ERROR)
def forward_confirmed(view: View, found: Rule) -> Iterator[Finding]:
    """PTR whose target's A/AAAA does not return the address (forward-confirmed rDNS fails)."""
    for _, owner, target in view.records("PTR"):
        address = _address_of_ptr(owner)
        if address is None or view.zone_of(target) is None or (owner, "PTR", target) in view.wrong:
            continue
        rtype = "A" if address.version == 4 else "AAAA"
        have = view.values(target, rtype)
        other = view.values(target, "AAAA" if rtype == "A" else "A")
        if not have and not other:
            continue  # orphan-ptr reports it
        if not have and _planned(view, target, address.version):
            continue  # missing-aaaa / plan-missing report the absent forward record
        if view.replaced(target, rtype) and compressed(address) in view.planned.get(
            (target, rtype), ()
        ):
            continue  # the plan's PTR; unplanned-record reports the wrong forward record
        if compressed(address) not in {compressed(ip_address(v)) for v in have}:
            yield found(
                f"{owner} PTR {target}",
                f"{target} {rtype} does not include {compressed(address)}",
                fix=f"fix the PTR or add {target} {rtype} {compressed(address)}",
            )


def _planned(view: View, name: str, version: int) -> bool:
    """True when the plan gives host ``name`` an address of IP ``version``."""
    if view.plan is None:
        return False
    domain = view.plan.origin
    for h in view.plan.interfaces:
        if f"{h.host.name}.{domain}" == name:
            return (h.interface.ipv4 if version == 4 else h.ipv6) is not None
    return False


@RULES.check("dns.ptr-depth", Severity.ERROR)
def ptr_depth(view: View, found: Rule) -> Iterator[Finding]:
    """PTR owners that are not a full address: 32 nibbles under ip6.arpa, 4 octets under
    in-addr.arpa (RFC 2317 classless owners excepted)."""
    for _, owner, target in view.records("PTR"):
        if "/" in owner:
            continue
        if _address_of_ptr(owner) is None:
            yield found(
                f"{owner} PTR {target}",
                "the owner is not a complete reverse name (wrong nibble/octet depth)",
                fix="rebuild the owner from the full address",
            )


@RULES.check("dns.cname-and-other-data", Severity.ERROR)
def cname_and_other_data(view: View, found: Rule) -> Iterator[Finding]:
    """A CNAME beside other data at the same name (RFC 1034 section 3.6.2)."""
    for origin, rrsets in view.zones.items():
        types: dict[str, set[str]] = defaultdict(set)
        for owner, rtype in rrsets:
            types[owner].add(rtype)
        for owner, present in sorted(types.items()):
            others = present - {"CNAME", "RRSIG", "NSEC", "NSEC3"}
            if "CNAME" in present and others:
                yield found(
                    f"{owner} ({origin})",
                    f"CNAME beside {', '.join(sorted(others))}",
                    fix="keep either the CNAME or the other records",
                )


@RULES.check("dns.reverse-boundary", Severity.ERROR)
def reverse_boundary(view: View, found: Rule) -> Iterator[Finding]:
    """Reverse zones that do not sit on a nibble (ip6.arpa) or octet (in-addr.arpa) boundary."""
    for origin in view.zones:
        labels = origin.rstrip(".").split(".")
        if origin.endswith(".ip6.arpa."):
            bad = not all(_NIBBLE.fullmatch(x) for x in labels[:-2])
        elif origin.endswith(".in-addr.arpa."):
            body = labels[:-2]
            if body and "/" in body[0]:
                body = body[1:]  # RFC 2317 classless label
            bad = not all(_OCTET.fullmatch(x) and int(x) < 256 for x in body)
        else:
            continue
        if bad:
            yield found(
                origin,
                "reverse zone name is not on a nibble/octet boundary",
                fix="split it into zones at the next boundary",
            )


@RULES.check("dns.classless-delegation", Severity.ERROR)
def classless_delegation(view: View, found: Rule) -> Iterator[Finding]:
    """An RFC 2317 classless zone whose /24 parent (also audited) lacks the NS records that
    delegate it or the CNAME that leads a resolver to one of its PTRs (RFC 2317 section 4)."""
    for origin, rrsets in view.zones.items():
        parent = origin.partition(".")[2]
        if "/" not in origin.partition(".")[0] or parent not in view.zones:
            continue
        theirs = view.zones[parent]
        ns = sorted(rrsets.get((origin, "NS"), frozenset()))
        if not theirs.get((origin, "NS")):
            yield found(
                f"{origin} ({parent})",
                f"the parent zone {parent} does not delegate {origin} (no NS records)",
                fix="add: " + "; ".join(f"{origin} NS {n}" for n in ns),
            )
        for owner, rtype in sorted(rrsets):
            if rtype != "PTR":
                continue
            alias = f"{owner.partition('.')[0]}.{parent}"
            if owner not in theirs.get((alias, "CNAME"), frozenset()):
                yield found(
                    f"{alias} ({parent})",
                    f"no CNAME {alias} -> {owner}: resolvers never reach the PTR in {origin}",
                    fix=f"add: {alias} CNAME {owner}",
                )


def _plan_records(plan: Plan) -> Iterator[tuple[str, str, str]]:
    for zone in build_zones(plan, plan.site.dns.reverse_zones == "vlan"):
        for r in zone.records:
            if r.rtype != "NS":
                yield r.owner, r.rtype, r.value


@RULES.check("dns.missing-aaaa", Severity.ERROR)
def missing_aaaa(view: View, found: Rule) -> Iterator[Finding]:
    """With a plan: a dual-stack host that has A but no AAAA in DNS."""
    if view.plan is None:
        return
    domain = view.plan.origin
    for h in view.plan.interfaces:
        fqdn = f"{h.host.name}.{domain}"
        if (
            h.ipv6 is not None
            and view.zone_of(fqdn)
            and view.values(fqdn, "A")
            and not (view.values(fqdn, "AAAA"))
        ):
            yield found(
                fqdn,
                f"has A but no AAAA; the plan makes it dual-stack ({compressed(h.ipv6)})",
                fix=f"add: {fqdn} AAAA {h.ipv6}",
            )


@RULES.check("dns.plan-missing", Severity.ERROR)
def plan_missing(view: View, found: Rule) -> Iterator[Finding]:
    """With a plan: records the plan has that DNS lacks (forward and both reverse trees)."""
    if view.plan is None:
        return
    for owner, rtype, value in _plan_records(view.plan):
        if view.zone_of(owner) is None:
            continue  # zone not audited
        values = view.values(owner, rtype)
        normal = {compressed(ip_address(v)) for v in values} if rtype in ("A", "AAAA") else values
        if value not in normal:
            if rtype == "AAAA" and not view.values(owner, "AAAA") and view.values(owner, "A"):
                continue  # missing-aaaa says it better
            if rtype == "PTR" and _forward_has(view, value, owner):
                continue  # missing-ptr reports it from the forward record
            if view.replaced(owner, rtype) or (rtype == "PTR" and _forward_replaced(view, owner)):
                continue  # the wrong record's finding names it and gives this value as the fix
            yield found(
                f"{owner} {rtype}",
                f"the plan has {owner} {rtype} {value}; DNS does not",
                fix="run `dualstack dns push --apply` or add it by hand",
            )


def _forward_has(view: View, name: str, ptr_owner: str) -> bool:
    address = _address_of_ptr(ptr_owner)
    if address is None:
        return False
    have = view.values(name, "A" if address.version == 4 else "AAAA")
    return compressed(address) in {compressed(ip_address(v)) for v in have}


def _forward_replaced(view: View, ptr_owner: str) -> bool:
    """True when the plan's forward record for the address of ``ptr_owner`` was replaced in DNS
    by a wrong one (whose finding then covers this PTR too)."""
    address = _address_of_ptr(ptr_owner)
    if address is None or view.plan is None:
        return False
    rtype = "A" if address.version == 4 else "AAAA"
    for (owner, t), values in view.planned.items():
        if t == rtype and compressed(address) in values:
            return view.replaced(owner, rtype)
    return False


def _normal(rtype: str, value: str) -> str:
    """A value as the plan writes it: addresses in RFC 5952 text, names as they are."""
    if rtype in ("A", "AAAA"):
        try:
            return compressed(ip_address(value))
        except ValueError:
            return value
    return value


def _prefixes(plan: Plan, fqdn: str) -> list[tuple[str, IPv6Network]]:
    """(VLAN label, prefix) for every IPv6 /64 (global and ULA) of the VLANs host ``fqdn``
    has a NIC on."""
    found: dict[tuple[str, IPv6Network], None] = {}
    for h in plan.interfaces:
        if plan.fqdn(h.host.name) == fqdn:
            v = h.vlan
            found |= {(_vlan_label(v.vlan.id, v.vlan.name), p): None for p in (v.ipv6, v.ula) if p}
    return list(found)


def _vlan_label(vid: int, name: str) -> str:
    return f"VLAN {vid} ({name})"


def _outside(view: View, owner: str, value: str) -> str | None:
    """For an AAAA at a planned host: where the address lies, when that is in none of the host's
    VLAN prefixes ("VLAN 10 (management)'s /64" or "no VLAN of the site"); else None."""
    if view.plan is None:
        return None
    mine = _prefixes(view.plan, owner)
    try:
        address = IPv6Address(value)
    except ValueError:
        return None
    if not mine or any(address in p for _, p in mine):
        return None
    for v in view.plan.vlans:
        if any(p is not None and address in p for p in (v.ipv6, v.ula)):
            return f"{_vlan_label(v.vlan.id, v.vlan.name)}'s /64"
    return "no VLAN of the site"


def _instead(view: View, owner: str, rtype: str, value: str) -> tuple[str, str]:
    """(what the plan has at ``owner``/``rtype``, the fix for the wrong ``value`` there):
    replace it with the plan's values DNS lacks, or delete it when DNS holds them all."""
    plan = sorted(view.planned.get((owner, rtype), ()))
    both = ""
    if rtype in ("A", "AAAA") and owner in view.values(_ptr_name(value), "PTR"):
        both = f" and its PTR {_ptr_name(value)}"
    have = {_normal(rtype, v) for v in view.values(owner, rtype)}
    lacking = [v for v in plan if v not in have]
    if lacking:
        return f"{owner} {rtype} {', '.join(plan)}", f"replace it{both} with {', '.join(lacking)}"
    return f"{owner} {rtype} {', '.join(plan)}" if plan else "", f"delete it{both}"


@RULES.check("dns.unplanned-record", Severity.ERROR)
def unplanned_record(view: View, found: Rule) -> Iterator[Finding]:
    """With a plan: an A, AAAA, CNAME or PTR at a name the site manages (the plan's forward
    names and reverse owners, and the names its lock says it published) that the plan does
    not have: a wrong value, an extra record, or a name the plan dropped."""
    for (owner, rtype, value), rule in sorted(view.wrong.items()):
        if rule != found.id:
            continue
        has, fix = _instead(view, owner, rtype, value)
        if has:
            message = f"not in the plan, which has {has}"
        elif any(o == owner for o, _ in view.planned):
            message = f"the plan has no {rtype} at {owner}"
        else:
            message = f"the plan no longer has {owner} (the site's lock says it published it)"
            fix += " (`dualstack dns push --apply` does)"
        yield found(f"{owner} {rtype} {value}", message, fix=fix)


@RULES.check("dns.aaaa-outside-vlan", Severity.ERROR)
def aaaa_outside_vlan(view: View, found: Rule) -> Iterator[Finding]:
    """With a plan: an AAAA of a planned host in none of the /64s of the VLANs the host is on
    (an address moved or typed into another VLAN's prefix)."""
    if view.plan is None:
        return
    for (owner, rtype, value), rule in sorted(view.wrong.items()):
        if rule != found.id:
            continue
        where = _outside(view, owner, value)
        vlans: dict[str, list[str]] = defaultdict(list)
        for label, prefix in _prefixes(view.plan, owner):
            vlans[label].append(str(prefix))
        on = "; ".join(f"{label}: {', '.join(p)}" for label, p in vlans.items())
        yield found(
            f"{owner} {rtype} {value}",
            f"{compressed(IPv6Address(value))} is in {where}, but the host is on {on}",
            fix=_instead(view, owner, rtype, value)[1],
        )


def audit(
    zones: Mapping[str, RRSet], plan: Plan | None = None, managed: Collection[str] = ()
) -> tuple[Finding, ...]:
    """Every finding of every rule, in rule order then subject order; a clean DNS gives ().
    ``managed``: the names the site's lock says it published (used with a plan)."""
    view = View(dict(zones), plan, frozenset(managed))
    found: list[Finding] = []
    for _, findings in RULES.run(view):
        found += sorted(findings, key=lambda f: (f.subject, f.message))
    return tuple(found)
