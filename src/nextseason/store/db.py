"""Opening the store: read-write for the one write path, read-only for everything else."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import platformdirs

from ..errors import BusyError, StoreError
from .conn import Conn
from .migrations import apply_migrations

__all__ = ["default_db_path", "resolve_db_path", "connect", "connect_readonly", "is_busy",
           "busy_error", "BUSY_TIMEOUT", "table_names", "table_columns", "foreign_key_problems",
           "fast_unsafe_writes", "optimize"]

ENV_DB = "NEXTSEASON_DB"
#: The one lock policy: every connection, reader or writer, waits this many seconds for
#: another process's lock, then gives up with :class:`BusyError` (never a traceback, and
#: never "not a nextseason database").
BUSY_TIMEOUT = 5.0


def is_busy(exc: BaseException) -> bool:
    """Whether ``exc`` is SQLite saying another connection holds the lock."""
    return isinstance(exc, sqlite3.OperationalError) and (
        "locked" in str(exc).lower() or "busy" in str(exc).lower())


def busy_error(path: str | os.PathLike[str] | None = None) -> BusyError:
    where = f"{path}: " if path else ""
    return BusyError(
        f"{where}the database is busy: another nextseason process (a build or an ingest) is "
        f"writing it and did not finish within {BUSY_TIMEOUT:g} s. Try again when it has "
        "finished"
    )


def default_db_path() -> Path:
    """``~/.local/share/nextseason/nextseason.db`` (or the platform's equivalent)."""
    return Path(platformdirs.user_data_dir("nextseason", appauthor=False)) / "nextseason.db"


def resolve_db_path(db: str | os.PathLike[str] | None = None) -> Path:
    """``--db`` first, then ``$NEXTSEASON_DB``, then the user data directory."""
    if db:
        return Path(db)
    if os.environ.get(ENV_DB):
        return Path(os.environ[ENV_DB])
    return default_db_path()


def _tune(conn: sqlite3.Connection) -> sqlite3.Connection:
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def connect(path: str | os.PathLike[str], *, migrate: bool = True) -> sqlite3.Connection:
    """Open (creating if needed) a database for writing, with the schema migrated.

    The connection is in autocommit mode (``isolation_level=None``): writers open their
    own ``BEGIN IMMEDIATE`` transaction.
    """
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


def connect_readonly(path: str | os.PathLike[str]) -> sqlite3.Connection:
    """Open an existing database read-only (``mode=ro`` and ``PRAGMA query_only``)."""
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


# --- SQLite-only statements (PRAGMA, sqlite_master, ANALYZE, VACUUM) live here ------------

def table_names(conn: Conn) -> set[str]:
    """The names of the tables in the database."""
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def table_columns(conn: Conn, table: str) -> list[str]:
    """The column names of ``table``, in order."""
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]


def foreign_key_problems(conn: Conn) -> int:
    """How many rows point at a row that does not exist."""
    return len(conn.execute("PRAGMA foreign_key_check").fetchall())


def fast_unsafe_writes(conn: Conn) -> None:
    """No journal and no syncing: for a new file that is thrown away if anything fails."""
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")


def optimize(conn: Conn) -> None:
    """Gather the query planner's statistics and compact the file."""
    conn.execute("ANALYZE")
    conn.execute("VACUUM")
