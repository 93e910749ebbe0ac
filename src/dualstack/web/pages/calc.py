"""Calc: a prefix's calc table, its split into smaller prefixes, a list summarized into the
fewest prefixes, and the free space left in a parent prefix."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import Blueprint, render_template, request

from dualstack.net import calc
from dualstack.net._prefix import IPNetwork, prefix_text
from dualstack.net.aggregate import summarize
from dualstack.net.free import free
from dualstack.net.present import count_text, description_rows
from dualstack.net.split import split

TITLE = "Calc"
ORDER = 20
SHOWN = 1024  # result rows on a page (the CLI streams any number)
page = Blueprint("calc", __name__)


def _items(text: str) -> list[str]:
    return [t for t in text.replace(",", " ").split() if t]


def _int(text: str) -> int | None:
    """A length or count typed in a form; anything but ASCII digits is no number."""
    text = text.strip().lstrip("/")
    return int(text) if text.isascii() and text.isdecimal() else None


def _prefix_rows(networks: Iterable[IPNetwork]) -> list[tuple[str, str]]:
    """(prefix, address count) rows of a list result, as the page shows them."""
    return [(prefix_text(n), count_text(n.num_addresses)) for n in networks]


@page.route("/calc", methods=["GET", "POST"])
def show() -> str:
    form = request.values
    action = form.get("action", "describe")
    prefix = form.get("prefix", "").strip()
    context: dict[str, Any] = {"prefix": prefix, "form": form, "action": action}
    if action == "describe" and prefix:
        context["rows"] = description_rows(calc.describe(prefix))
    elif action == "split" and prefix:
        length, count = _int(form.get("length", "")), _int(form.get("count", ""))
        context["prefixes"] = _prefix_rows(split(prefix, length, count, limit=SHOWN))
    elif action == "summarize":
        context["prefixes"] = _prefix_rows(summarize(_items(form.get("items", ""))))
    elif action == "free" and prefix:
        space = free(prefix, _items(form.get("used", "")))
        context["space"] = {
            "parent": prefix_text(space.parent),
            "free": [prefix_text(n) for n in space.free],
            "used": [prefix_text(n) for n in space.used],
            "free_addresses": count_text(space.free_addresses),
        }
    return render_template("calc.html", **context)
