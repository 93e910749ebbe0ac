"""Reconcile: a site file and what the network shows (a router's IPv6 neighbours, a Kea lease6
or lease4 CSV, pasted or uploaded); per planned NIC whether its address was formed, what else
its MAC uses and which other IPv4 address DHCP leased it, and the leases to unknown clients
(``dualstack reconcile``'s library call; the page asks no DNS server)."""

from __future__ import annotations

from ipaddress import IPv4Address

from flask import Blueprint, render_template, request

from dualstack.errors import DualstackError
from dualstack.plan import check_checked, read_site
from dualstack.reconcile import Report, lease_file, neighbours, reconcile
from dualstack.web.forms import text_or_upload

TITLE = "Reconcile"
ORDER = 35
page = Blueprint("reconcile", __name__)


@page.route("/reconcile", methods=["GET", "POST"])
def show() -> str:
    report: Report | None = None
    error: str | None = None
    site_text = neigh_text = leases_text = ""
    if request.method == "POST":
        try:
            site_text, source = text_or_upload("site", "site_file")
            neigh_text, neigh_source = text_or_upload("neigh", "neigh_file")
            leases_text, leases_source = text_or_upload("leases", "leases_file")
            outcome = check_checked(read_site(site_text, source))
            if outcome.plan is None:
                raise DualstackError("the site has errors: see the Plan page")
            seen = neighbours(neigh_text, neigh_source) if neigh_text.strip() else []
            leases4: list[tuple[IPv4Address, str]] = []
            if leases_text.strip():
                leases = lease_file(leases_text, leases_source)
                seen += leases.six
                leases4 = leases.four
            if not seen and not leases4:
                raise DualstackError("give a neighbour dump or a lease file")
            report = reconcile(outcome.plan, seen, None, leases4)
        except DualstackError as exc:
            error = str(exc)
    return render_template(
        "reconcile.html",
        site=site_text,
        neigh=neigh_text,
        leases=leases_text,
        report=report,
        error=error,
    )
