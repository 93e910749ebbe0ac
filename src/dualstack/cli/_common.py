"""Small pieces the command modules share: input lines, JSON lines, option types."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Any, TextIO

import click

from dualstack.errors import DualstackError


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


def emit_json(obj: Any) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False))


def fail(message: str, code: int = 2) -> None:
    """Stop with a one-line error on stderr (exit 2: bad usage or input)."""
    click.echo(f"dualstack: error: {message}", err=True)
    sys.exit(code)


class LibraryParam(click.ParamType):  # type: ignore[type-arg]
    """A Click parameter converted by a library parser, whose error message is used as is."""

    def __init__(self, name: str, parser: Any) -> None:
        self.name = name
        self._parser = parser

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if not isinstance(value, str):
            return value
        try:
            return self._parser(value)
        except (DualstackError, ValueError) as exc:
            self.fail(str(exc), param, ctx)


def exit_status(bad: int, total: int, only_arg_bad: bool) -> int:
    """0 when every input was read, 2 when the single argument given was bad, otherwise 1."""
    if bad == 0:
        return 0
    return 2 if only_arg_bad and total == 1 else 1
