"""Reconcile: a site file and what the network shows (a router's IPv6 neighbours, Kea lease6
CSV, pasted or uploaded); per planned NIC whether its address was formed and what else its MAC
uses, and the leases to unknown clients (``dualstack reconcile``'s library call; the page asks
no DNS server)."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from dualstack.errors import DualstackError
from dualstack.plan import check_checked, read_site
from dualstack.reconcile import Report, kea_leases6, neighbours, reconcile
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
            if leases_text.strip():
                seen += kea_leases6(leases_text, leases_source)
            if not seen:
                raise DualstackError("give a neighbour dump or a lease file")
            report = reconcile(outcome.plan, seen)
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
