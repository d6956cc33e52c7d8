"""Small helpers the store's query modules share."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

__all__ = ["marks", "chunks", "CHUNK"]

T = TypeVar("T")

#: At most this many parameters in one ``IN (...)`` list (SQLite allows 32,766, PostgreSQL
#: 65,535 per statement; a query may hold two lists).
CHUNK = 900


def marks(n: int) -> str:
    """``?, ?, ?`` for ``n`` parameters; ``NULL`` for none (``IN (NULL)`` matches nothing)."""
    return ", ".join("?" * n) if n else "NULL"


def chunks(values: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for i in range(0, len(values), size):
        yield values[i:i + size]
