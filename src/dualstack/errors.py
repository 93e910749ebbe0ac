"""The one exception tree.

Every error dualstack raises on purpose derives from :class:`DualstackError` and carries the
process exit code the CLI should use, so the edge never has to guess.  Errors about bad input
text also derive from :class:`ValueError`, as the stdlib ``ipaddress`` errors do, so library
users can catch them the way they already catch ``ipaddress`` errors.
"""

from __future__ import annotations

_MAX_QUOTED = 60
# how repr() shows an undecodable input byte read with errors="surrogateescape" (\udcff), when
# the backslash before it is not itself escaped
_SURROGATE_ESCAPE = r"(?<!\\)((?:\\\\)*)\\udc([89a-f][0-9a-f])"


class DualstackError(Exception):
    """Root of every dualstack error."""

    exit_code: int = 1


class InputError(DualstackError, ValueError):
    """Input that cannot be understood: a usage or data error (exit code 2)."""

    exit_code = 2


class AddressError(InputError):
    """Text that is not a valid address, prefix, MAC or interface identifier."""


def quote(text: str) -> str:
    """``repr`` of user input, shortened so a huge paste cannot flood an error message; an
    undecodable byte shows as the byte it was (``\\xff``), not as Python's stand-in for it."""
    if len(text) > _MAX_QUOTED:
        text = text[: _MAX_QUOTED - 3] + "..."
    shown = repr(text)
    if "\\udc" not in shown:
        return shown
    import re  # only for input that held undecodable bytes

    return re.sub(_SURROGATE_ESCAPE, r"\1\\x\2", shown)
