"""Plan: paste or upload a site file; its findings, the VLAN and host tables, the address-space
map, and the whole rollout kit as a zip (what ``dualstack kit`` writes)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from flask import Blueprint, render_template, request, send_file, url_for
from markupsafe import Markup
from werkzeug.wrappers import Response

from dualstack import present
from dualstack.errors import DualstackError, InputError
from dualstack.findings import Severity
from dualstack.kit import kit_zip, planned, render_kit
from dualstack.plan import Outcome, Plan, check_checked, read_site
from dualstack.plan import present as plan_present
from dualstack.web.forms import text_or_upload
from dualstack.web.svg_map import address_map

TITLE = "Plan"
ORDER = 30
page = Blueprint("plan", __name__)

EMPTY = "Paste a site file or choose one to upload."
_SEVERITY_ORDER = {s: i for i, s in enumerate(Severity)}


@dataclass(frozen=True, slots=True)
class SiteInput:
    """What the form sent and what the library made of it (``error``: it could not be read)."""

    text: str = ""
    outcome: Outcome | None = None
    error: str | None = None

    @property
    def plan(self) -> Plan | None:
        """The plan, only when the site has no errors: a partial plan is not shown."""
        return self.outcome.plan if self.outcome is not None and self.outcome.ok else None


def read_form() -> SiteInput:
    """The site from the form, checked. An unreadable file (bad TOML, not UTF-8) becomes a
    message on the page rather than an error page, so the pasted text is kept for fixing."""
    if request.method != "POST":
        return SiteInput()
    try:
        text, source = text_or_upload("site", "site_file")
    except DualstackError as exc:
        return SiteInput(error=str(exc))
    if not text.strip():
        return SiteInput(text, error=EMPTY)
    try:
        checked = read_site(text, source)
    except DualstackError as exc:
        return SiteInput(text, error=str(exc))
    return SiteInput(text, check_checked(checked))


def finding_rows(form: SiteInput) -> list[dict[str, Any]]:
    """The findings, worst first, each with the file line the library placed it on."""
    if form.outcome is None:
        return []
    ordered = sorted(form.outcome.findings, key=lambda f: _SEVERITY_ORDER[f.severity])
    return [present.finding(f) for f in ordered]


def page_context(form: SiteInput) -> dict[str, Any]:
    """What both site pages (Plan and DNS) show around their own results."""
    errors = (
        sum(1 for f in form.outcome.findings if f.severity is Severity.ERROR)
        if form.outcome is not None
        else 0
    )
    return {
        "text": form.text,
        "error": form.error,
        "findings": finding_rows(form),
        "checked": form.outcome is not None,
        "errors": errors,
        "ok": form.plan is not None,
    }


@page.route("/plan", methods=["GET", "POST"])
def show() -> str:
    form = read_form()
    plan = form.plan
    return render_template(
        "plan.html",
        action=url_for("plan.show"),
        data=plan_present.plan(plan) if plan is not None else None,
        ipv6_vlans=sum(1 for v in plan.vlans if v.ipv6 is not None) if plan else 0,
        svg=Markup(address_map(plan)) if plan is not None else None,  # every text escaped
        **page_context(form),
    )


def download_name(site_name: str) -> str:
    """``kit-<site>.zip`` with the site name cut down to characters safe in a file name."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", site_name).strip(".-")[:60]
    return f"kit-{safe or 'site'}.zip"


@page.post("/plan/kit")
def kit() -> Response:
    """The kit as ``dualstack kit`` writes it into a new folder (manifest included), rendered
    in memory and sent as a zip. Errors (bad TOML, a site with errors) are library errors:
    app.py shows them as a page."""
    text, source = text_or_upload("site", "site_file")
    if not text.strip():
        raise InputError(EMPTY)
    plan = planned(check_checked(read_site(text, source)))
    return send_file(
        BytesIO(kit_zip(render_kit(plan))),
        mimetype="application/zip",
        as_attachment=True,
        download_name=download_name(plan.site.info.name),
    )
