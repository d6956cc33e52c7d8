"""A cache of API answers on disk, so a rerun within a day costs no request.

An entry is keyed by the request (method, URL with its query, and for GraphQL the query
text and variables), and stores the status, the body as received and the date it was
fetched. A read returns it while it is younger than the caller's time-to-live; the fetch
date travels with it, so a record built from a cached answer says when the API said so.
Only good answers (HTTP 2xx, valid JSON, no error body) and "not found" answers (HTTP
404) are stored; rate limits, server errors and broken bodies never are. Files are written
atomically (a temporary file renamed into place), so an interrupted run leaves no torn
entry; an unreadable entry is a miss and is overwritten.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import platformdirs

__all__ = ["CachedAnswer", "ResponseCache", "cache_key", "default_cache_dir"]


def default_cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir("nextseason", appauthor=False)) / "http"


def cache_key(method: str, url: str, payload: Any = None) -> str:
    """A stable key: the method, the full URL and the JSON payload (keys sorted)."""
    text = json.dumps([method.upper(), url, payload], sort_keys=True, ensure_ascii=False,
                      separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CachedAnswer:
    url: str
    status: int
    body: str
    fetched_at: datetime


class ResponseCache:
    """Answers under ``folder`` (default: the user cache dir), one JSON file each."""

    def __init__(self, folder: str | Path | None = None) -> None:
        self.folder = Path(folder) if folder is not None else default_cache_dir()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str, *, ttl: float, now: datetime) -> CachedAnswer | None:
        """The stored answer if it is younger than ``ttl`` seconds at ``now``."""
        try:
            raw = json.loads(self._path(key).read_text(encoding="utf-8"))
            answer = CachedAnswer(url=str(raw["url"]), status=int(raw["status"]),
                                  body=str(raw["body"]),
                                  fetched_at=datetime.fromisoformat(raw["fetched_at"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None
        age = (now - answer.fetched_at).total_seconds()
        if age < 0 or age >= ttl:
            return None
        return answer

    def put(self, key: str, answer: CachedAnswer, *, method: str = "GET",
            payload: Any = None) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        record = {"method": method, "url": answer.url, "payload": payload,
                  "status": answer.status, "fetched_at": answer.fetched_at.isoformat(),
                  "body": answer.body}
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(record, handle, ensure_ascii=False)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def clear(self) -> int:
        """Remove every entry; returns how many there were."""
        count = 0
        for path in self.folder.glob("*/*.json"):
            path.unlink(missing_ok=True)
            count += 1
        return count
