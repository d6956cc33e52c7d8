"""Versioned schema migrations.

Migrations are the ``NNNN_name.sql`` files in ``store/migrations/``, applied in order, each
inside its own transaction, and recorded in ``_migrations``. Applying them twice changes
nothing.

One history serves both databases: the files are written in SQLite's SQL, and on PostgreSQL
each statement is rewritten by :func:`.dialect.to_postgresql` (a short, explicit list of
words: ``STRICT``, ``ANY``, ``INTEGER PRIMARY KEY``, ``REAL``, …); a statement that cannot
be said in both is written twice under ``-- only: sqlite`` / ``-- only: postgresql``. A
SQLite database made before PostgreSQL was supported has the same ``_migrations`` rows and
keeps working unchanged.
"""

from __future__ import annotations

import sqlite3
from importlib import resources
from typing import Any

from ..errors import BusyError, MigrationError, StoreError
from .conn import atomic, dialect
from .dialect import statements

__all__ = ["available", "apply_migrations", "applied", "pending"]


def available() -> list[tuple[str, str]]:
    """(name, sql) of every migration shipped with the package, in order."""
    folder = resources.files("nextseason.store") / "migrations"
    files = sorted(
        (f for f in folder.iterdir() if f.name.endswith(".sql")), key=lambda f: f.name
    )
    return [(f.name.removesuffix(".sql"), f.read_text(encoding="utf-8")) for f in files]


def _has_migrations_table(conn: Any) -> bool:
    if dialect(conn) == "postgresql":
        from .pg import tables

        return "_migrations" in tables(conn)
    return conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='_migrations'"
    ).fetchone() is not None


def applied(conn: Any) -> list[str]:
    if not _has_migrations_table(conn):
        return []
    return [r[0] for r in conn.execute("SELECT name FROM _migrations ORDER BY name")]


def pending(conn: Any) -> list[str]:
    """The migrations this version ships that the database has not had, in order."""
    done = set(applied(conn))
    return [name for name, _ in available() if name not in done]


def apply_migrations(conn: Any) -> list[str]:
    """Apply every migration not yet applied. Returns the names applied now."""
    for statement in statements(
            "CREATE TABLE IF NOT EXISTS _migrations (\n name TEXT PRIMARY KEY\n) STRICT;",
            dialect(conn)):
        conn.execute(statement)
    done = set(applied(conn))
    known = available()
    unknown = done - {name for name, _ in known}
    if unknown:
        raise StoreError(
            f"this database has migrations this version of nextseason does not know "
            f"({', '.join(sorted(unknown))}); upgrade nextseason or rebuild the database"
        )
    newly = []
    for name, sql in known:
        if name in done:
            continue
        try:
            with atomic(conn):
                for statement in statements(sql, dialect(conn)):
                    conn.execute(statement)
                conn.execute("INSERT INTO _migrations (name) VALUES (?)", (name,))
        except BusyError:
            raise
        except Exception as exc:
            if not (isinstance(exc, sqlite3.Error) or type(exc).__module__.startswith("psycopg")):
                raise
            if "locked" in str(exc).lower() or "busy" in str(exc).lower():
                raise  # the caller reports a busy database
            raise MigrationError(f"migration {name} failed: {exc}") from exc
        newly.append(name)
    return newly
