"""Versioned schema migrations.

Migrations are the ``NNNN_name.sql`` files in ``store/migrations/``, applied in order, each
inside its own transaction, and recorded in ``_migrations``. Applying them twice changes
nothing.
"""

from __future__ import annotations

import sqlite3
from importlib import resources

from ..errors import MigrationError, StoreError

__all__ = ["available", "apply_migrations", "applied"]


def available() -> list[tuple[str, str]]:
    """(name, sql) of every migration shipped with the package, in order."""
    folder = resources.files("nextseason.store") / "migrations"
    files = sorted(
        (f for f in folder.iterdir() if f.name.endswith(".sql")), key=lambda f: f.name
    )
    return [(f.name.removesuffix(".sql"), f.read_text(encoding="utf-8")) for f in files]


def applied(conn: sqlite3.Connection) -> list[str]:
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='_migrations'"
    ).fetchone()
    if not exists:
        return []
    return [r[0] for r in conn.execute("SELECT name FROM _migrations ORDER BY name")]


def apply_migrations(conn: sqlite3.Connection) -> list[str]:
    """Apply every migration not yet applied. Returns the names applied now."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY) STRICT"
    )
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
            conn.execute("BEGIN IMMEDIATE")
            for statement in _split(sql):
                conn.execute(statement)
            conn.execute("INSERT INTO _migrations (name) VALUES (?)", (name,))
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if "locked" in str(exc).lower() or "busy" in str(exc).lower():
                raise  # the caller reports a busy database
            raise MigrationError(f"migration {name} failed: {exc}") from exc
        newly.append(name)
    return newly


def _split(sql: str) -> list[str]:
    """Split a migration file into complete statements (sqlite3.complete_statement)."""
    statements, buf = [], ""
    for line in sql.splitlines(keepends=True):
        if not buf and line.strip().startswith("--"):
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                statements.append(buf.strip())
            buf = ""
    if buf.strip():
        statements.append(buf.strip())
    return statements
