"""DNS: the zones the kit would write for a site (forward, in-addr.arpa, ip6.arpa) as BIND zone
files, and per host the records that name it (A, AAAA and both PTRs)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from flask import Blueprint, render_template, url_for

from dualstack.kit import plan_zones, render_kit
from dualstack.plan import Plan
from dualstack.web.pages.plan import page_context, read_form
from dualstack.zones import Zone

TITLE = "DNS"
ORDER = 40
page = Blueprint("dns", __name__)
_KINDS = ("A", "AAAA", "PTR4", "PTR6", "CNAME")  # HostRecords' fields after fqdn, in order


@dataclass(frozen=True, slots=True)
class ZoneFile:
    """One zone as the kit writes it: dns/<file_name> holding ``text``."""

    origin: str
    kind: str
    file_name: str
    records: int
    text: str


@dataclass(frozen=True, slots=True)
class HostRecords:
    """The records naming one host, each list in zone order (a host may have none of a type)."""

    fqdn: str
    a: tuple[str, ...]
    aaaa: tuple[str, ...]
    ptr4: tuple[str, ...]
    ptr6: tuple[str, ...]
    aliases: tuple[str, ...]


def zone_files(zones: tuple[Zone, ...], files: Mapping[str, str]) -> list[ZoneFile]:
    """Each zone as the kit renders it (``files``: what render_kit returned for the plan)."""
    return [
        ZoneFile(z.origin, z.kind, z.file_name, len(z.records), files[f"dns/{z.file_name}"])
        for z in zones
    ]


def host_records(plan: Plan, zones: tuple[Zone, ...]) -> list[HostRecords]:
    """Per host, what the built zones say about it: A/AAAA/CNAME from the forward zone, PTR
    owners from the reverse zones (read back from the zones, so RFC 2317 names are right)."""
    by_owner: dict[tuple[str, str], list[str]] = defaultdict(list)
    for z in zones:
        for r in z.records:
            if r.rtype == "PTR":
                kind = "PTR6" if z.kind == "reverse-v6" else "PTR4"
                by_owner[(r.value, kind)].append(r.owner)
            elif r.rtype == "CNAME":
                by_owner[(r.value, "CNAME")].append(r.owner)
            else:
                by_owner[(r.owner, r.rtype)].append(r.value)
    domain = plan.origin
    rows = []
    for h in plan.interfaces:
        fqdn = f"{h.host.name}.{domain}"
        found = [tuple(by_owner.get((fqdn, kind), ())) for kind in _KINDS]
        rows.append(HostRecords(fqdn, *found))
    return rows


@page.route("/dns", methods=["GET", "POST"])
def show() -> str:
    form = read_form()
    plan = form.plan
    zones = plan_zones(plan) if plan is not None else ()
    files = render_kit(plan, today=date.today()) if plan is not None else {}
    return render_template(
        "dns.html",
        action=url_for("dns.show"),
        zones=zone_files(zones, files),
        named_conf=files.get("dns/named.conf", ""),
        hosts=host_records(plan, zones) if plan is not None else [],
        **page_context(form),
    )
