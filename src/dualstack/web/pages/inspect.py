"""Inspect: paste addresses or MACs; a table of what each is, and for one a detail panel with
its bits coloured by prefix, subnet and interface identifier."""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv6Address

from flask import Blueprint, render_template, request

from dualstack import present
from dualstack.addr.inspect import Inspection, inspect
from dualstack.errors import DualstackError

TITLE = "Inspect"
ORDER = 10
MAX_LINES = 1000
page = Blueprint("inspect", __name__)


@dataclass(frozen=True)
class Segment:
    """A run of bits with one meaning (network prefix, subnet, interface identifier)."""

    label: str
    css: str
    bits: str
    first: int  # number of the first bit, 0 = most significant


def segments(ins: Inspection) -> tuple[Segment, ...]:
    """The address's bits cut where the meaning changes: the prefix length if one was given,
    else the usual /48 site and /64 subnet boundaries for IPv6; IPv4 as one run."""
    address = ins.address
    if address is None:
        return ()
    width = address.max_prefixlen
    bits = format(int(address), f"0{width}b")
    if not isinstance(address, IPv6Address):
        cut = ins.prefixlen if ins.prefixlen is not None else width
        return _cut(bits, [(cut, "network", "seg-net"), (width, "host", "seg-v4")])
    if ins.prefixlen is not None and ins.prefixlen not in (48, 64):
        bounds = [(ins.prefixlen, f"prefix /{ins.prefixlen}", "seg-net")]
        if ins.prefixlen < 64:
            bounds.append((64, "subnet", "seg-subnet"))
        bounds.append((128, "interface identifier", "seg-iid"))
        return _cut(bits, bounds)
    return _cut(
        bits,
        [(48, "site prefix /48", "seg-net"), (64, "subnet", "seg-subnet"),
         (128, "interface identifier", "seg-iid")],
    )  # fmt: skip


def _cut(bits: str, bounds: list[tuple[int, str, str]]) -> tuple[Segment, ...]:
    out, start = [], 0
    for end, label, css in sorted(bounds):
        if end > start:
            out.append(Segment(label, css, bits[start:end], start))
            start = end
    return tuple(out)


@page.route("/inspect", methods=["GET", "POST"])
def show() -> str:
    text = request.values.get("q", "")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    rows: list[dict[str, object]] = []
    for line in lines[:MAX_LINES]:
        try:
            ins = inspect(line)
        except DualstackError as exc:
            rows.append({"input": line, "error": str(exc)})
            continue
        rows.append({"input": line, "data": present.inspection(ins), "inspection": ins})
    detail = rows[0] if len(rows) == 1 and "data" in rows[0] else None
    return render_template(
        "inspect.html",
        text=text,
        rows=rows,
        detail=detail,
        segments=segments(detail["inspection"]) if detail else (),  # type: ignore[arg-type]
        truncated=max(0, len(lines) - MAX_LINES),
    )
