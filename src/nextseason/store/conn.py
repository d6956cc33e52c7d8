"""The one connection interface every store function takes, and the one transaction helper.

Store functions are written against :class:`Conn`, the small part of the DB-API that
``sqlite3.Connection`` already offers: ``execute(sql, params)`` and ``executemany(sql,
rows)`` with ``?`` placeholders, returning a cursor whose rows answer both ``row[0]`` and
``row["name"]``. A PostgreSQL connection is wrapped to offer the same (placeholders
translated, rows shaped alike), so a query is written once and runs on both databases.

Portable SQL only: ``INSERT … ON CONFLICT … DO UPDATE/NOTHING`` (not ``INSERT OR …``),
``RETURNING id`` (not ``lastrowid``), named columns in every insert, no ``PRAGMA`` or
``sqlite_master`` outside the SQLite backend.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

__all__ = ["Conn", "Cursor", "atomic", "dialect"]


class Cursor(Protocol):
    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...
    def __iter__(self) -> Iterator[Any]: ...
    @property
    def rowcount(self) -> int: ...


class Conn(Protocol):
    def execute(self, sql: str, parameters: Sequence[Any] | dict[str, Any] = ..., /) -> Any: ...
    def executemany(self, sql: str, seq_of_parameters: Iterable[Any], /) -> Any: ...
    def close(self) -> None: ...


def dialect(conn: Any) -> str:
    """``"sqlite"`` or ``"postgresql"`` — the one place code may ask which database it has."""
    return str(getattr(conn, "dialect", "sqlite"))


@contextmanager
def atomic(conn: Any) -> Iterator[Any]:
    """One transaction: ``BEGIN IMMEDIATE`` … ``COMMIT`` (SQLite) or ``BEGIN`` … ``COMMIT``
    (PostgreSQL), rolled back on any error. Not re-entrant: nested calls join the outer one.
    """
    if getattr(conn, "in_transaction", False):
        yield conn
        return
    conn.execute("BEGIN IMMEDIATE" if dialect(conn) == "sqlite" else "BEGIN")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
