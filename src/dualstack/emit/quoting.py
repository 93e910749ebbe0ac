"""Every escaping rule the renderers use, in one place, so each target is quoted one way."""

from __future__ import annotations

import re

# PowerShell treats these four typographic quotes exactly like ' inside single-quoted strings.
_PS_SINGLE_QUOTES = "'\u2018\u2019\u201a\u201b"
_MD_SPECIAL = "\\`*_[]<>|"
_TOKEN = re.compile(r"[A-Za-z0-9_.\-:/]+")


def token(value: str, target: str) -> str:
    """A bare word for formats with no quoting to rely on (zone files, radvd.conf, networkd
    files): names, addresses and prefixes pass; anything that could end a line, start a
    comment, a directive or a block is refused."""
    if not _TOKEN.fullmatch(value):
        raise ValueError(f"refusing to write unsafe {target} value {value!r}")
    return value


def powershell(value: str) -> str:
    """A PowerShell single-quoted string literal: no expansion, quotes doubled, no controls."""
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise ValueError(f"refusing control characters in a PowerShell value: {value!r}")
    return "'" + "".join(c * 2 if c in _PS_SINGLE_QUOTES else c for c in value) + "'"


def csv_cell(cell: str) -> str:
    """A cell that starts like a spreadsheet formula is prefixed with ' (CSV injection)."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@") else cell


def markdown_cell(cell: str) -> str:
    """A table cell with Markdown and HTML metacharacters escaped; never empty."""
    escaped = "".join("\\" + c if c in _MD_SPECIAL else c for c in cell)
    return escaped.replace("\n", " ") or " "
