"""Tables as CSV, Markdown or aligned text; all quoting for these formats lives here."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence


def to_csv(columns: Sequence[str], rows: Sequence[dict[str, str]]) -> str:
    """RFC 4180 CSV; cells that start like a spreadsheet formula are prefixed with ``'``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_defuse(row[c]) for c in columns])
    return out.getvalue()


def _defuse(cell: str) -> str:
    return "'" + cell if cell[:1] in ("=", "+", "-", "@") else cell


def _md_cell(cell: str) -> str:
    escaped = "".join("\\" + c if c in "\\`*_[]<>|" else c for c in cell)
    return escaped.replace("\n", " ") or " "


def to_markdown(columns: Sequence[str], rows: Sequence[dict[str, str]]) -> str:
    """A GitHub-style table; Markdown and HTML characters in cells are escaped."""
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(_md_cell(row[c]) for c in columns) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def to_text(columns: Sequence[str], rows: Sequence[dict[str, str]]) -> str:
    """Columns aligned for a terminal."""
    widths = [max([len(c), *(len(r[c]) for r in rows)]) for c in columns]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines += [
        "  ".join(r[c].ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()
        for r in rows
    ]
    return "\n".join(lines) + "\n"
