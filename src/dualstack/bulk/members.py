"""Which members of ``bulk annotate``'s rows a run writes (``--fields``).

A JSON line is ``dualstack inspect --json``'s object; ``--fields`` keeps ``schema``, ``input``
and the members named, in the object's own order (an error row stays whole: schema, input,
error). A CSV row keeps ``input``, the columns named, then ``error``, in :data:`COLUMNS`'
order. Names come from the format's own vocabulary (JSON members, CSV columns); an unknown
name is an error that lists the known ones. Members not asked for are not computed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from dualstack.bulk.fragments import ALL_FIELDS, FIELDS

COLUMNS = (
    "input",
    "kind",
    "address",
    "exploded",
    "types",
    "scope",
    "registry",
    "embedded_ipv4",
    "teredo_server",
    "teredo_client",
    "teredo_port",
    "iid_type",
    "iid_subtype",
    "iid_value",
    "mac",
    "vendor",
    "iid_ipv4",
    "iid_port",
    "reverse_pointer",
    "uri",
    "integer",
    "hex",
    "anonymized",
    "error",
)
ALWAYS_JSON = ("schema", "input")
ALWAYS_CSV = ("input", "error")


class UnknownField(ValueError):
    """A name ``--fields`` does not know for the format."""


def names(text: str) -> list[str]:
    """The names of a ``--fields`` value: comma-separated, blanks around them ignored."""
    return [name.strip() for name in text.split(",") if name.strip()]


def _unknown(asked: Iterable[str], known: tuple[str, ...], fmt: str) -> None:
    for name in asked:
        if name not in known:
            raise UnknownField(f"unknown {fmt} field {name!r} (known: {', '.join(known)})")


def json_mask(asked: Iterable[str] | None) -> int:
    """The writers' member mask for ``asked`` (None: every member)."""
    if asked is None:
        return ALL_FIELDS
    asked = list(asked)
    _unknown(asked, ("schema", *FIELDS), "jsonl")
    wanted = {"input", *asked}
    return sum(1 << n for n, name in enumerate(FIELDS) if name in wanted)


def wants(mask: int, member: str) -> bool:
    return bool(mask >> FIELDS.index(member) & 1)


def project(obj: dict[str, Any], mask: int) -> dict[str, Any]:
    """``obj`` (an ``inspect --json`` object) with only the members ``mask`` keeps."""
    if mask == ALL_FIELDS or "error" in obj:
        return obj
    return {k: v for k, v in obj.items() if k in ALWAYS_JSON or (k in FIELDS and wants(mask, k))}


def csv_columns(asked: Iterable[str] | None) -> tuple[str, ...]:
    """The CSV columns a run writes for ``asked`` (None: every column), in table order."""
    if asked is None:
        return COLUMNS
    asked = list(asked)
    _unknown(asked, COLUMNS, "csv")
    wanted = {*ALWAYS_CSV, *asked}
    return tuple(name for name in COLUMNS if name in wanted)
