"""Calc: a prefix's calc table, and its split into smaller prefixes."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request

from dualstack.net import calc
from dualstack.net.present import description

TITLE = "Calc"
ORDER = 20
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


@page.route("/calc", methods=["GET", "POST"])
def show() -> str:
    prefix = request.values.get("prefix", "").strip()
    rows = _flat(description(calc.describe(prefix))) if prefix else []
    return render_template("calc.html", prefix=prefix, rows=rows)
