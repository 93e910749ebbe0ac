"""Shipped reference data; every file records its source and date."""

from __future__ import annotations

import json
import os
from functools import cache

TYPE_CHECKING = False  # importing typing costs start-up time; mypy still reads these blocks
if TYPE_CHECKING:
    from typing import Any

DATA_DIR = os.path.dirname(os.path.abspath(__file__))  # os.path, not pathlib: start-up cost


@cache
def load_json(name: str) -> Any:
    """A shipped JSON data file, read once per process."""
    with open(os.path.join(DATA_DIR, name), encoding="utf-8") as handle:
        return json.load(handle)
