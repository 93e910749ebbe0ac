"""Helpers the command modules share, free of Click so the fast ``inspect`` path can use them."""

from __future__ import annotations

import sys
from collections.abc import Iterator

TYPE_CHECKING = False  # importing typing costs start-up time; mypy still reads these blocks
if TYPE_CHECKING:
    from typing import Any, TextIO


def input_items(args: tuple[str, ...], stream: TextIO | None = None) -> Iterator[str]:
    """The command-line arguments, or else each non-blank line of stdin, read lazily."""
    if args:
        yield from args
        return
    source = stream if stream is not None else sys.stdin
    for line in source:
        item = line.strip()
        if item:
            yield item


def json_line(obj: Any) -> str:
    """``obj`` as one line of JSON that every parser accepts: an undecodable input byte (read
    as a lone surrogate) becomes U+FFFD, since JSON text must be valid Unicode."""
    import json  # here: most commands print no JSON, and its import is start-up time

    text = json.dumps(obj, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in text)
    return text


def emit_json(obj: Any) -> None:
    """One JSON line on stdout (as \\u escapes where the terminal's encoding lacks a char)."""
    text = json_line(obj)
    try:
        text.encode(sys.stdout.encoding or "utf-8")
    except UnicodeEncodeError:
        import json

        text = json.dumps(json.loads(text))
    sys.stdout.write(text + "\n")


def emit_error(message: str) -> None:
    """One line on stderr, the way every dualstack error is reported."""
    sys.stderr.write(f"dualstack: error: {message}\n")


def exit_status(bad: int, total: int, only_arg_bad: bool) -> int:
    """0 when every input was read, 2 when the single argument given was bad, otherwise 1."""
    if bad == 0:
        return 0
    return 2 if only_arg_bad and total == 1 else 1
