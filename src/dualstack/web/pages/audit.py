"""Audit: upload or paste an address list or a log; the bulk statistics and the security
reading (RFC 7707) of the addresses in it, as tables and bar charts drawn as inline SVG.

One pass of :class:`AuditTally` gives both readings (it holds the statistics tally). The input is
read from the request in memory and handed to the bulk engine as bytes, so a log with a stray
non-UTF-8 byte is read as the command line reads it instead of being refused."""

from __future__ import annotations

import io
from dataclasses import dataclass

from flask import Blueprint, render_template, request
from markupsafe import Markup

from dualstack.bulk.audit import PREDICTABLE_BITS, TUNNELS, AddressAudit, AuditTally
from dualstack.bulk.pipeline import batches
from dualstack.bulk.present import ranked, stats_sections
from dualstack.bulk.source import MODES, extractor
from dualstack.bulk.stats import Stats
from dualstack.errors import InputError
from dualstack.web.charts import bar_chart

TITLE = "Audit"
ORDER = 50
ECHO_LIMIT = 256 * 1024  # pasted text longer than this is not sent back into the form
MODE_LABELS = {
    "list": "address list (one per line; other lines are errors)",
    "combined": "web server log (Apache/nginx common or combined: the client field)",
    "any": "any address anywhere in the text",
}
page = Blueprint("audit", __name__)


@dataclass(frozen=True)
class Upload:
    """What the form sent: the bytes to read and where they came from."""

    data: bytes
    source: str
    pasted: str  # the pasted text, to put back into the form ("" for an upload)


def printable(text: str) -> str:
    """Text from the input made safe to encode as UTF-8: the engine keeps undecodable bytes as
    lone surrogates, which would break the response; they become U+FFFD here."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def read_form() -> Upload | None:
    """The uploaded file if one was chosen, else the pasted text; None when both are empty.
    The file is read into memory (the app caps the request size), never saved."""
    file = request.files.get("log_file")
    if file is not None and file.filename:
        return Upload(file.read(), printable(file.filename), "")
    text = request.form.get("log", "")
    if not text.strip():
        return None
    return Upload(text.encode("utf-8", "surrogateescape"), "pasted text", text)


def audit(data: bytes, mode: str) -> AddressAudit:
    """The reading of ``data`` in extraction ``mode`` (list, combined or any)."""
    tally = AuditTally()
    for batch in batches(io.BytesIO(data), extractor(mode)):
        tally.add(batch)
    return tally.result()


def charts(stats: Stats) -> list[Markup]:
    """The four charts. ``bar_chart`` escapes every label, hence Markup."""
    return [
        Markup(bar_chart("IID classes (IPv6)", ranked(stats.iid))),
        Markup(bar_chart("IPv6 types", ranked(stats.types["ipv6"]))),
        Markup(bar_chart("Top /64 prefixes", stats.prefixes["/64"])),
        Markup(bar_chart("MAC vendors (EUI-64 IIDs)", stats.vendors)),
    ]


def errors(stats: Stats) -> list[tuple[int, str, str]]:
    """The first list-mode errors (line, input, message), safe to render."""
    return [(line, printable(text), printable(message)) for line, text, message in stats.errors]


@page.route("/audit", methods=["GET", "POST"])
def show() -> str:
    mode = request.form.get("mode", "any")
    if mode not in MODES:
        raise InputError(f"extraction mode {mode!r} is not one of {', '.join(MODES)}")
    upload = read_form() if request.method == "POST" else None
    context: dict[str, object] = {
        "mode": mode,
        "modes": MODE_LABELS,
        "pasted": upload.pasted if upload and len(upload.pasted) <= ECHO_LIMIT else "",
        "empty": request.method == "POST" and upload is None,
    }
    if upload is not None:
        reading = audit(upload.data, mode)
        stats = reading.stats
        context.update(
            source=upload.source,
            reading=reading,
            stats=stats,
            charts=charts(stats),
            tables=stats_sections(stats),
            errors=errors(stats),
            tunnels=[(n, c, TUNNELS[n]) for n, c in reading.tunnels.items() if c],
            carried=[(r, c) for r, c in ranked(stats.embedded) if r not in TUNNELS],
            predictable_bits=PREDICTABLE_BITS,
        )
    return render_template("audit.html", **context)
