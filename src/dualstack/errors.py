"""The one exception tree.

Every error dualstack raises on purpose derives from :class:`DualstackError` and carries the
process exit code the CLI should use, so the edge never has to guess.  Errors about bad input
text also derive from :class:`ValueError`, as the stdlib ``ipaddress`` errors do, so library
users can catch them the way they already catch ``ipaddress`` errors.
"""

from __future__ import annotations

_MAX_QUOTED = 60


class DualstackError(Exception):
    """Root of every dualstack error."""

    exit_code: int = 1


class InputError(DualstackError, ValueError):
    """Input that cannot be understood: a usage or data error (exit code 2)."""

    exit_code = 2


class AddressError(InputError):
    """Text that is not a valid address, prefix, MAC or interface identifier."""


def quote(text: str) -> str:
    """``repr`` of user input, shortened so a huge paste cannot flood an error message."""
    if len(text) > _MAX_QUOTED:
        text = text[: _MAX_QUOTED - 3] + "..."
    return repr(text)
