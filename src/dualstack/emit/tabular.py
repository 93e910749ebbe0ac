"""Tables as CSV, Markdown or aligned text (the escaping itself lives in quoting.py)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from dualstack.emit.quoting import csv_cell, markdown_cell


def to_csv(columns: Sequence[str], rows: Sequence[dict[str, str]]) -> str:
    """RFC 4180 CSV; cells that start like a spreadsheet formula are prefixed with ``'``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_cell(row[c]) for c in columns])
    return out.getvalue()


def to_markdown(columns: Sequence[str], rows: Sequence[dict[str, str]]) -> str:
    """A GitHub-style table; Markdown and HTML characters in cells are escaped."""
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(markdown_cell(row[c]) for c in columns) + " |" for row in rows]
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
