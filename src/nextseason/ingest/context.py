"""What every importer receives and returns."""

from __future__ import annotations

import math
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import RecordError
from ..store.conn import Conn

__all__ = ["ImportContext", "ImportResult", "to_int", "to_float", "record_errors"]

#: How the sources write "no value".
#: SQLite's INTEGER range: a larger id cannot be stored.
_INT_MIN, _INT_MAX = -(2**63), 2**63
_MISSING = frozenset({"", "Unknown", "N/A", "NaN", "nan", "None"})


@dataclass
class ImportResult:
    read: int = 0
    stored: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)


@dataclass
class ImportContext:
    conn: Conn
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
    if not math.isfinite(f) or f != int(f):
        raise RecordError(f"column {column!r}: {value!r} is not a whole number", file=file,
                          where=where)
    if not _INT_MIN <= f < _INT_MAX:
        raise RecordError(f"column {column!r}: {value!r} is out of range", file=file,
                          where=where)
    return int(f)


@contextmanager
def record_errors(file: str, where: str) -> Iterator[None]:
    """Turn a record that has the wrong shape (a list where an object belongs, text where a
    number belongs, a missing key, ...) into a :class:`RecordError` naming the place."""
    try:
        yield
    except (TypeError, ValueError, KeyError, IndexError, AttributeError, OverflowError,
            # a value of the wrong type or shape that reached the database
            sqlite3.ProgrammingError, sqlite3.IntegrityError, sqlite3.DataError) as exc:
        if isinstance(exc, RecordError):
            raise
        what = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        raise RecordError(f"malformed record ({what})", file=file, where=where) from None


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
