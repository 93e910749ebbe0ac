"""Shipped reference data; every file records its source and date."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent


@cache
def load_json(name: str) -> Any:
    """A shipped JSON data file, read once per process."""
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        return json.load(handle)
