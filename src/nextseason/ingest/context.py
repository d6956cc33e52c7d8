"""What every importer receives and returns."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import RecordError

__all__ = ["ImportContext", "ImportResult", "to_int", "to_float"]

#: How the sources write "no value".
_MISSING = frozenset({"", "Unknown", "N/A", "NaN", "nan", "None"})


@dataclass
class ImportResult:
    read: int = 0
    stored: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)


@dataclass
class ImportContext:
    conn: sqlite3.Connection
    data_dir: Path
    snapshot_id: int
    as_of: str
    advance: Callable[[int], None] = lambda n: None


def to_int(value: str | float | int | None, *, file: str, where: str, column: str) -> int | None:
    """'13', '13.0' → 13; '' or None → None; anything else is a RecordError."""
    if value is None or value in _MISSING:
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        raise RecordError(f"column {column!r}: {value!r} is not a number", file=file,
                          where=where) from None
    if f != int(f):
        raise RecordError(f"column {column!r}: {value!r} is not a whole number", file=file,
                          where=where)
    return int(f)


def to_float(
    value: str | float | int | None, *, file: str, where: str, column: str
) -> float | None:
    if value is None or value in _MISSING:
        return None
    try:
        return float(str(value).replace(",", ""))
    except ValueError:
        raise RecordError(f"column {column!r}: {value!r} is not a number", file=file,
                          where=where) from None
