"""Writing a whole new database beside the old one and swapping it in.

On PostgreSQL (a ``postgresql://`` URL) :func:`rebuilding` builds a new schema and swaps it
in by one transaction (:mod:`.pg_rebuild`); what follows is the SQLite file.

:func:`rebuilding` gives a connection to a temporary file next to the target (the schema
migrated, journal and syncing off: the file is thrown away if anything fails) and the old
database read-only, if there is one. When the block ends without error the new file is
analysed, compacted, fsynced and moved over the target with :func:`os.replace` (atomic on
POSIX); on any error the temporary file is removed and the target is left as it was.
Temporary files of builds that were killed are removed first.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..errors import StoreError
from .db import connect, connect_readonly, fast_unsafe_writes, optimize
from .url import is_url

__all__ = ["Rebuild", "rebuilding", "database_size"]


@dataclass
class Rebuild:
    conn: sqlite3.Connection  # the new database
    old: sqlite3.Connection | None  # the database being replaced (read-only), if any
    tmp: Path | str  # where the new database is written (a file, or a PostgreSQL schema)
    removed_stale: int = 0  # bytes of killed builds' temporary files removed


def _stale_temporaries(target: Path) -> list[Path]:
    """Temporary files of earlier builds into ``target`` whose process is gone (killed)."""
    stale = []
    for path in target.parent.glob(f".{target.name}.building-*"):
        pid = path.name.removesuffix("-journal").rsplit("-", 1)[-1]
        if pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid)):
            continue  # another build is running now
        stale.append(path)
    return stale


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it exists, owned by someone else
        return True
    return True


def _fsync(path: Path, *, directory: bool = False) -> None:
    fd = os.open(path, os.O_RDONLY | (getattr(os, "O_DIRECTORY", 0) if directory else 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _previous(target: Path) -> sqlite3.Connection | None:
    """The database being replaced, read-only; None if there is none (or an empty file).
    A file that is not a nextseason database is refused: it is not ours to replace."""
    if not target.exists() or (target.is_file() and target.stat().st_size == 0):
        return None
    try:
        return connect_readonly(target)
    except StoreError as exc:
        raise StoreError(f"{exc}; refusing to replace it. Move it away or choose another --db"
                         ) from None


@contextmanager
def rebuilding(location: str | os.PathLike[str]) -> Iterator[Rebuild]:
    """A new database for ``location`` (a path or a ``postgresql://`` URL), swapped in
    atomically when the block succeeds."""
    if is_url(location):
        from .pg_rebuild import pg_rebuilding

        with pg_rebuilding(str(location)) as rb:
            yield rb
        return
    target = Path(location)
    target.parent.mkdir(parents=True, exist_ok=True)
    removed = 0
    for leftover in _stale_temporaries(target):
        removed += leftover.stat().st_size if leftover.exists() else 0
        leftover.unlink(missing_ok=True)
    old = _previous(target)
    tmp = target.with_name(f".{target.name}.building-{os.getpid()}")
    try:
        conn = connect(tmp)
    except BaseException:
        if old is not None:
            old.close()
        raise
    try:
        fast_unsafe_writes(conn)
        yield Rebuild(conn, old, tmp, removed)
        optimize(conn)
        conn.close()
        _fsync(tmp)
        os.replace(tmp, target)
        _fsync(target.parent, directory=True)
    except BaseException:
        try:
            conn.close()
        finally:
            tmp.unlink(missing_ok=True)
            Path(f"{tmp}-journal").unlink(missing_ok=True)
        raise
    finally:
        if old is not None:
            old.close()


def database_size(location: str | os.PathLike[str]) -> int:
    """Bytes the database at ``location`` takes: the file, or the live schema's tables."""
    if is_url(location):
        from .pg_rebuild import schema_size

        return schema_size(str(location))
    return Path(location).stat().st_size
