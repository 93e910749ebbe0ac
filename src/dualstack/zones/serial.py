"""SOA serials in ``YYYYMMDDnn`` form, bumped only when a zone's records change."""

from __future__ import annotations

import re
from datetime import date

SERIAL_LINE = re.compile(r"^(\s*)(\d{1,10})(\s*; serial)$", re.M)


def without_serial(zone_text: str) -> str:
    """The zone text with its serial blanked, to compare two versions' records."""
    return SERIAL_LINE.sub(r"\g<1>0\g<3>", zone_text, count=1)


def previous_serial(zone_text: str) -> int | None:
    match = SERIAL_LINE.search(zone_text)
    return int(match.group(2)) if match else None


def choose_serial(previous_text: str | None, new_text: str, today: date) -> int:
    """Keep the previous serial when nothing but the serial differs; otherwise the first
    serial of today, or the previous plus one when that is already today's or later."""
    old = previous_serial(previous_text) if previous_text is not None else None
    if (
        old is not None
        and previous_text is not None
        and without_serial(previous_text) == without_serial(new_text)
    ):
        return old
    first_today = int(today.strftime("%Y%m%d")) * 100 + 1
    return max(first_today, old + 1) if old is not None else first_today
