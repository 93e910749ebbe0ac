"""Select: paste a host's addresses and a list of destinations; the order the host tries them
in, the source address for each, and the RFC 6724 rule behind every choice (``dualstack
select``'s library call). Destinations are addresses only: the page resolves no names, so it
sends nothing anywhere."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from dualstack.errors import DualstackError, InputError
from dualstack.selection import (
    HostAddress,
    Policy,
    Target,
    parse_source,
    policy_named,
    read_host,
    read_policy,
    select,
)
from dualstack.selection import present as shown
from dualstack.selection.resolve import targets

TITLE = "Select"
ORDER = 15
MAX_LINES = 200
POLICIES = ("glibc", "windows", "rfc6724")
page = Blueprint("select", __name__)


def _host(text: str) -> list[HostAddress]:
    """``ADDR[/LEN][,flags]`` lines, or a pasted ``ip -j addr`` / ``ip addr`` /
    Get-NetIPAddress dump."""
    body = text.strip()
    if body[:1] in "[{" or ": <" in body:
        return list(read_host(body, "host addresses"))
    return [parse_source(line.strip()) for line in body.splitlines()[:MAX_LINES] if line.strip()]


def _destinations(text: str) -> list[Target]:
    lines = [line.strip() for line in text.splitlines()[:MAX_LINES] if line.strip()]
    for line in lines:
        if ":" not in line and not line.replace(".", "").isdigit():
            raise InputError(f"destination {line!r}: the page takes addresses, not names")
    return list(targets(lines))


def _policy(name: str, text: str) -> Policy:
    if text.strip():
        return read_policy(text, "the pasted policy")
    return policy_named(name if name in POLICIES else "glibc")


@page.route("/select", methods=["GET", "POST"])
def show() -> str:
    host_text = request.values.get("host", "")
    dest_text = request.values.get("dest", "")
    policy_name = request.values.get("policy", "glibc")
    policy_text = request.values.get("policy_file", "")
    result, error, command = None, None, ""
    if host_text.strip() and dest_text.strip():
        try:
            destinations, host = _destinations(dest_text), _host(host_text)
            policy = _policy(policy_name, policy_text)
            result = shown.selection(select(destinations, host, policy))
            command = _command(policy, host, destinations)
        except DualstackError as exc:
            error = str(exc)
    elif request.method == "POST":
        error = "Give the host's addresses and at least one destination."
    return render_template(
        "select.html",
        host=host_text,
        dest=dest_text,
        policy=policy_name,
        policies=POLICIES,
        policy_file=policy_text,
        result=result,
        error=error,
        command=command,
    )


def _command(policy: Policy, host: list[HostAddress], destinations: list[Target]) -> str:
    """The same question as a ``dualstack select`` command line (destinations in input
    order, which rule 10 keeps)."""
    name = policy.name if policy.name in POLICIES else "FILE"
    words = ["dualstack", "select", "--policy", name]
    words += [f"--source {h}" for h in host]
    words += [f"{t.address}%{t.zone}" if t.zone else str(t.address) for t in destinations]
    return " ".join(words)
