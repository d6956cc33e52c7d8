"""Opening the store: read-write for the one write path, read-only for everything else.

``--db`` (or ``$NEXTSEASON_DB``) is a file path (SQLite, the default) or a
``postgresql://`` URL (:mod:`.pg`); :func:`connect` and :func:`connect_readonly` give a
connection of either kind, both answering :class:`~.conn.Conn`.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

import platformdirs

from ..errors import BusyError, StoreError
from .conn import Conn, dialect
from .migrations import apply_migrations, pending
from .url import PgUrl, is_url

__all__ = ["default_db_path", "resolve_db_path", "connect", "connect_readonly", "is_busy",
           "busy_error", "BUSY_TIMEOUT", "Location", "PgUrl", "is_url", "describe", "exists",
           "identity", "is_db_error", "table_names", "table_columns", "foreign_key_problems",
           "fast_unsafe_writes", "optimize", "require_current"]

#: Where a database is: a SQLite file, or a PostgreSQL URL (with its schema).
Location = Path | PgUrl

ENV_DB = "NEXTSEASON_DB"
#: The one lock policy: every connection, reader or writer, waits this many seconds for
#: another process's lock, then gives up with :class:`BusyError` (never a traceback, and
#: never "not a nextseason database").
BUSY_TIMEOUT = 5.0


def is_busy(exc: BaseException) -> bool:
    """Whether ``exc`` is the database saying another connection holds the lock."""
    if type(exc).__module__.startswith("psycopg"):
        from .pg import BUSY_ERRORS

        return isinstance(exc, BUSY_ERRORS)
    return isinstance(exc, sqlite3.OperationalError) and (
        "locked" in str(exc).lower() or "busy" in str(exc).lower())


def describe(where: str | os.PathLike[str]) -> str:
    """A database's location for messages (a URL without its password)."""
    return PgUrl(where).redacted if is_url(where) else str(where)


def busy_error(path: str | os.PathLike[str] | None = None) -> BusyError:
    where = f"{describe(path)}: " if path else ""
    return BusyError(
        f"{where}the database is busy: another nextseason process (a build or an ingest) is "
        f"writing it and did not finish within {BUSY_TIMEOUT:g} s. Try again when it has "
        "finished"
    )


def default_db_path() -> Path:
    """``~/.local/share/nextseason/nextseason.db`` (or the platform's equivalent)."""
    return Path(platformdirs.user_data_dir("nextseason", appauthor=False)) / "nextseason.db"


def resolve_db_path(db: str | os.PathLike[str] | None = None) -> Location:
    """``--db`` first, then ``$NEXTSEASON_DB``, then the user data directory. A
    ``postgresql://`` URL gives a :class:`~.pg.PgUrl`, anything else a file path."""
    given = db or os.environ.get(ENV_DB)
    if not given:
        return default_db_path()
    if is_url(given):
        return PgUrl(str(given))
    return Path(given)


def _tune(conn: sqlite3.Connection) -> sqlite3.Connection:
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def connect(path: str | os.PathLike[str], *, migrate: bool = True) -> Any:
    """Open (creating if needed) a database for writing, with the schema migrated.

    The connection is in autocommit mode (``isolation_level=None``): writers open their
    own ``BEGIN IMMEDIATE`` transaction (:func:`~.conn.atomic`). On PostgreSQL the schema
    is created when missing.
    """
    if is_url(path):
        from .pg import pg_connect

        pg = pg_connect(str(path), create_schema=True)
        try:
            if migrate:
                apply_migrations(pg)
        except BaseException:
            pg.close()
            raise
        return pg
    p = Path(path)
    if str(p) != ":memory:":
        p.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = sqlite3.connect(str(p), isolation_level=None, timeout=BUSY_TIMEOUT)
        _tune(conn)
        if migrate:
            apply_migrations(conn)
    except sqlite3.DatabaseError as exc:
        if is_busy(exc):
            raise busy_error(p) from None
        raise StoreError(f"{p}: cannot open as a nextseason database ({exc})") from exc
    return conn


def connect_readonly(path: str | os.PathLike[str]) -> Any:
    """Open an existing database read-only (``mode=ro`` and ``PRAGMA query_only``; on
    PostgreSQL every transaction read-only)."""
    if is_url(path):
        return _pg_readonly(PgUrl(str(path)))
    p = Path(path)
    if not p.exists():
        raise StoreError(
            f"no database at {p}. Build one first: nextseason build --data PATH/TO/data/raw"
        )
    try:
        conn = sqlite3.connect(f"{p.resolve().as_uri()}?mode=ro", uri=True,
                               timeout=BUSY_TIMEOUT)
        _tune(conn)
        conn.execute("PRAGMA query_only = 1")
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as exc:
        if is_busy(exc):
            raise busy_error(p) from None
        raise StoreError(f"{p}: not a nextseason database ({exc})") from exc
    if "anime" not in names or "_migrations" not in names:
        raise StoreError(f"{p}: not a nextseason database (no catalogue tables)")
    return conn


def require_current(conn: Any, location: str | os.PathLike[str]) -> None:
    """Raise :class:`StoreError` when the database lacks migrations this version ships (it
    was made by an older nextseason): readers would fail on the tables it does not have."""
    missing = pending(conn)
    if missing:
        where = describe(location)
        raise StoreError(
            f"{where} was made by an older version of nextseason: it lacks the schema changes "
            f"{', '.join(missing)}. Bring it up to date (this adds tables and columns and "
            f"keeps everything in it): nextseason migrate --db "
            f"{'URL' if is_url(location) else where}")


def _pg_readonly(url: PgUrl) -> Any:
    from .pg import pg_connect, tables

    conn = pg_connect(url, readonly=True)
    try:
        names = tables(conn)
    except BaseException:
        conn.close()
        raise
    if "anime" not in names or "_migrations" not in names:
        conn.close()
        raise StoreError(
            f"{url.redacted}: no nextseason database in schema {url.schema}. Build one "
            "first: nextseason build --data PATH/TO/data/raw --db URL")
    return conn


def exists(location: str | os.PathLike[str]) -> bool:
    """Whether there is something at ``location`` to open: the file exists, or (PostgreSQL)
    the server answers and the schema holds tables. An unreachable server raises
    :class:`StoreError`."""
    if not is_url(location):
        return Path(location).exists()
    from .pg import pg_connect, tables

    conn = pg_connect(str(location), readonly=True)
    try:
        return bool(tables(conn))
    finally:
        conn.close()


def identity(location: str | os.PathLike[str]) -> tuple[int, ...] | None:
    """What changes when a build replaces the database at ``location``: the file's device
    and inode, or the live schema's object id (a rebuild swaps in a new schema); None when
    there is none."""
    if not is_url(location):
        try:
            st = Path(location).stat()
        except OSError:
            return None
        return st.st_dev, st.st_ino
    from .pg import pg_connect

    url = PgUrl(str(location))
    try:
        conn = pg_connect(url, readonly=True, schema="pg_catalog")
    except StoreError:
        return None
    try:
        row = conn.execute("SELECT oid FROM pg_namespace WHERE nspname = ?",
                           (url.schema,)).fetchone()
        return (int(row[0]),) if row else None
    finally:
        conn.close()


def is_db_error(exc: BaseException) -> bool:
    """Whether ``exc`` is the database's own error (sqlite3's or psycopg's), not ours."""
    return isinstance(exc, sqlite3.Error) or type(exc).__module__.startswith("psycopg")


# --- Each database's own catalogue and maintenance statements (PRAGMA, sqlite_master,
# information_schema, ANALYZE, VACUUM) live here ----------------------------------------

def table_names(conn: Conn) -> set[str]:
    """The names of the tables in the database (PostgreSQL: in its schema)."""
    if dialect(conn) == "postgresql":
        from .pg import tables

        return tables(conn)  # type: ignore[arg-type]
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def table_columns(conn: Conn, table: str) -> list[str]:
    """The column names of ``table``, in order."""
    if dialect(conn) == "postgresql":
        from .pg import columns

        return columns(conn, table)  # type: ignore[arg-type]
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]


def foreign_key_problems(conn: Conn) -> int:
    """How many rows point at a row that does not exist (PostgreSQL checks every foreign key
    as the rows go in: none can)."""
    if dialect(conn) == "postgresql":
        return 0
    return len(conn.execute("PRAGMA foreign_key_check").fetchall())


def fast_unsafe_writes(conn: Conn) -> None:
    """No journal and no syncing: for a new database that is thrown away if anything fails
    (PostgreSQL: commits do not wait for the disk)."""
    if dialect(conn) == "postgresql":
        conn.execute("SET synchronous_commit = off")
        return
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")


def optimize(conn: Conn) -> None:
    """Gather the query planner's statistics (and compact the SQLite file)."""
    if dialect(conn) == "postgresql":
        for table in sorted(table_names(conn)):  # this schema's tables, not the database's
            conn.execute(f'ANALYZE "{table}"')
        return
    conn.execute("ANALYZE")
    conn.execute("VACUUM")
