"""The app's read-only view of the store: one connection per thread, the search index built
once, and outlook reports cached — until the database changes.

A ``build`` replaces the file and an ``ingest`` writes into it while the app runs. Before each
request the app compares the file's identity (device, inode, size, modification time) with
what it last saw (:meth:`WebStore.changed`, one ``stat``); when it differs it drops its
connections, the cached reports and the search index (:meth:`WebStore.reload`), so pages show
the new sources at once.

On PostgreSQL (a ``postgresql://`` URL) the threads share one connection pool
(:class:`~nextseason.store.pg.PgPool`, ``psycopg_pool``) instead, and the identity is the live
schema's object id (a rebuild swaps in a new schema) and the number of articles (an ingest
adds some), read at most once a second."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..search.index import SearchIndex
from ..store import connect_readonly
from ..store.snapshots import newest_catalogue_date
from ..store.url import PgUrl, is_url

if TYPE_CHECKING:
    from ..report.outlook import OutlookReport
    from ..store.pg import PgPool

__all__ = ["WebStore"]

#: How many outlook JSON bodies to keep (a body is a few kB).
JSON_CACHE_SIZE = 8192
#: PostgreSQL: the most sessions the app's pool opens, and how often (seconds) it asks the
#: server whether the database changed.
POOL_SIZE = 8
CHECK_EVERY = 1.0


class WebStore:
    def __init__(self, db_path: str | Path, *,
                 today: Callable[[], str] | None = None) -> None:
        """``today`` gives the date answers are made on (the real date unless a test
        fixes it)."""
        self.pool: PgPool | None = None
        if is_url(db_path):
            from ..store.pg import PgPool

            self.path: Path | PgUrl = PgUrl(str(db_path))
            self.pool = PgPool(self.path, max_size=POOL_SIZE)
        else:
            self.path = Path(db_path)
        self._checked = 0.0
        self._last: tuple[int, ...] | None = None
        self.today: Callable[[], str] = today or (lambda: date.today().isoformat())
        self._local = threading.local()
        self._lock = threading.Lock()
        self._json_lock = threading.Lock()
        self._generation = 0
        self._seen = self._identity()
        self._json: dict[int, bytes] = {}
        self.outlook = lru_cache(maxsize=512)(self._outlook)
        self.index = SearchIndex.from_db(self.conn())  # also checks the database opens

    def _identity(self) -> tuple[int, ...] | None:
        if self.pool is not None:
            return self._pg_identity()
        assert isinstance(self.path, Path)
        try:
            st = self.path.stat()
        except OSError:
            return None
        return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)

    def _pg_identity(self) -> tuple[int, ...] | None:
        now = time.monotonic()
        if now - self._checked < CHECK_EVERY and self._last is not None:
            return self._last
        assert self.pool is not None
        from ..store.pg import live_identity

        self._checked, self._last = now, live_identity(self.pool)
        return self._last

    def close(self) -> None:
        """Close the pool (PostgreSQL); SQLite connections close with their threads."""
        if self.pool is not None:
            self.pool.close()

    def changed(self) -> bool:
        """Whether the database file changed since it was last (re)loaded (cheap)."""
        return self._identity() != self._seen

    def reload(self) -> None:
        """Forget every cached page and connection and rebuild the search index."""
        with self._lock:
            seen = self._identity()
            if seen == self._seen:
                return  # another request reloaded it already
            self._generation += 1
            self.outlook.cache_clear()
            with self._json_lock:
                self._json = {}
            self.index = SearchIndex.from_db(self.conn())
            self._seen = seen

    def conn(self) -> Any:
        """This thread's read-only connection (sqlite3 connections stay in their thread),
        reopened after the database changed; on PostgreSQL the shared pool."""
        if self.pool is not None:
            return self.pool
        conn: Any = getattr(self._local, "conn", None)
        if conn is not None and self._local.generation != self._generation:
            conn.close()
            conn = None
        if conn is None:
            conn = connect_readonly(self.path)
            self._local.conn = conn
            self._local.generation = self._generation
        return conn

    def data_age(self) -> str:
        """"catalogue as of 24 March 2025, 20 months ago", for every page's footer."""
        from ..report.outlook import data_age

        newest = newest_catalogue_date(self.conn())
        return data_age(newest, self.today()) if newest else "no catalogue loaded"

    def exists(self, mal_id: int) -> bool:
        """Whether the catalogue has this MAL id."""
        from ..store.refresh import known_ids

        return bool(known_ids(self.conn(), [mal_id]))

    def _outlook(self, mal_id: int) -> OutlookReport:
        from ..report.outlook import build_outlook

        return build_outlook(self.conn(), mal_id, today=self.today())

    def cached_outlook_json(self, mal_id: int) -> bytes | None:
        """The outlook's JSON if already built (cheap: safe to call on the event loop)."""
        return self._json.get(mal_id)

    def outlook_json(self, mal_id: int) -> bytes:
        body = self._json.get(mal_id)
        if body is None:
            body = json.dumps(self.outlook(mal_id).to_dict(), ensure_ascii=False,
                              separators=(",", ":")).encode()
            with self._json_lock:
                cache = self._json  # (a reload replaces the dict: the body goes to the old)
                if len(cache) >= JSON_CACHE_SIZE:
                    cache.pop(next(iter(cache)), None)
                cache[mal_id] = body
        return body
