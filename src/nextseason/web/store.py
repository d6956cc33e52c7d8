"""The app's read-only view of the store: one connection per thread, the search index built
once, and outlook reports cached (the database never changes while the app runs)."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..search.index import SearchIndex
from ..store import connect_readonly

if TYPE_CHECKING:
    from ..report.outlook import OutlookReport

__all__ = ["WebStore"]

#: How many outlook JSON bodies to keep (a body is a few kB).
JSON_CACHE_SIZE = 8192


class WebStore:
    def __init__(self, db_path: str | Path, *,
                 today: Callable[[], str] | None = None) -> None:
        """``today`` gives the date answers are made on (the real date unless a test
        fixes it)."""
        self.path = Path(db_path)
        self.today: Callable[[], str] = today or (lambda: date.today().isoformat())
        self._local = threading.local()
        self.index = SearchIndex.from_db(self.conn())  # also checks the database opens
        self._json: dict[int, bytes] = {}
        self._lock = threading.Lock()
        self.outlook = lru_cache(maxsize=512)(self._outlook)

    def conn(self) -> sqlite3.Connection:
        """This thread's read-only connection (sqlite3 connections stay in their thread)."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = connect_readonly(self.path)
            self._local.conn = conn
        return conn

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
            with self._lock:
                if len(self._json) >= JSON_CACHE_SIZE:
                    self._json.pop(next(iter(self._json)))
                self._json[mal_id] = body
        return body
