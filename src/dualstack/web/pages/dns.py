"""DNS: the zones the kit would write for a site (forward, in-addr.arpa, ip6.arpa) as BIND zone
files, and per host the records that name it (A, AAAA and both PTRs)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from flask import Blueprint, render_template, url_for

from dualstack.emit.bind import named_conf, zone_text
from dualstack.kit import DDNS_KEY_NAME
from dualstack.plan import Plan
from dualstack.web.pages.plan import page_context, read_form
from dualstack.zones import Zone, build_zones
from dualstack.zones.serial import choose_serial

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


def plan_zones(plan: Plan) -> tuple[Zone, ...]:
    """The zones exactly as ``dualstack kit`` builds them (site or per-VLAN reverse zones)."""
    return build_zones(plan, per_vlan_reverse=plan.site.dns.reverse_zones == "vlan")


def zone_files(zones: tuple[Zone, ...], today: date) -> list[ZoneFile]:
    """Each zone rendered by the kit's BIND renderer, with the serial a fresh kit gives it."""
    out = []
    for z in zones:
        serial = choose_serial(None, zone_text(z, 0), today)
        out.append(ZoneFile(z.origin, z.kind, z.file_name, len(z.records), zone_text(z, serial)))
    return out


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
    domain = plan.site.info.domain.rstrip(".") + "."
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
    ddns = DDNS_KEY_NAME if plan is not None and plan.site.dns.ddns else None
    return render_template(
        "dns.html",
        action=url_for("dns.show"),
        zones=zone_files(zones, date.today()),
        named_conf=named_conf(zones, ddns_key=ddns) if zones else "",
        hosts=host_records(plan, zones) if plan is not None else [],
        **page_context(form),
    )
