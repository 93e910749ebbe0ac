"""Calc: a prefix's calc table, its split into smaller prefixes, a list summarized into the
fewest prefixes, and the free space left in a parent prefix."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request

from dualstack.net import calc
from dualstack.net.aggregate import summarize
from dualstack.net.free import free
from dualstack.net.present import description, free_space, prefix_line
from dualstack.net.split import split

TITLE = "Calc"
ORDER = 20
SHOWN = 1024  # result rows on a page (the CLI streams any number)
page = Blueprint("calc", __name__)


def _flat(data: dict[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    """The calc JSON as (field, value) rows, nested fields dotted."""
    rows: list[tuple[str, str]] = []
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            rows += _flat(value, f"{name}.")
        elif isinstance(value, list):
            rows.append((name, ", ".join(map(str, value))))
        elif value is not None:
            rows.append((name, str(value)))
    return rows


def _items(text: str) -> list[str]:
    return [t for t in text.replace(",", " ").split() if t]


def _int(text: str) -> int | None:
    """A length or count typed in a form; anything but ASCII digits is no number."""
    text = text.strip().lstrip("/")
    return int(text) if text.isascii() and text.isdecimal() else None


@page.route("/calc", methods=["GET", "POST"])
def show() -> str:
    form = request.values
    action = form.get("action", "describe")
    prefix = form.get("prefix", "").strip()
    context: dict[str, Any] = {"prefix": prefix, "form": form, "action": action}
    if action == "describe" and prefix:
        context["rows"] = _flat(description(calc.describe(prefix)))
    elif action == "split" and prefix:
        length, count = _int(form.get("length", "")), _int(form.get("count", ""))
        context["prefixes"] = [prefix_line(n) for n in split(prefix, length, count, limit=SHOWN)]
    elif action == "summarize":
        context["prefixes"] = [prefix_line(n) for n in summarize(_items(form.get("items", "")))]
    elif action == "free" and prefix:
        space = free_space(free(prefix, _items(form.get("used", ""))))
        context["space"] = space
    return render_template("calc.html", **context)
