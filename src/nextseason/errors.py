"""One exception hierarchy for nextseason.

Every error the library raises on purpose is a :class:`NextseasonError`. The CLI turns
these into a message and a non-zero exit code in one place (``cli.py``); the web app will
map them to HTTP statuses in one handler.

::

    NextseasonError
    ├── ConfigError            the data or database path is missing or unusable
    ├── StoreError             the database cannot be opened, is too new, or is not ours
    │   ├── MigrationError     a migration failed to apply
    │   └── BusyError          another process holds the write lock past the busy timeout
    ├── InputError             a raw input file is wrong; names the file and the row/line
    │   ├── ArchiveError       truncated or corrupt zip / tar / gzip
    │   ├── EncodingError      the file is not UTF-8
    │   ├── SchemaError        a CSV column is missing or renamed; a JSON record lacks keys
    │   ├── RecordError        one record is malformed (error body, bad date, bad number,
    │   │                      unknown relation kind)
    │   ├── DataMissingError   a required file of the data directory is absent
    │   └── ShrinkError        a rebuild would lose much of what the database held
    ├── QueryError             a query that cannot name a show (empty, symbols only, one
    │                          letter, too long)
    ├── NotFoundError          a title or id matches nothing in the catalogue (carries the
    │                          query and the closest candidates)
    ├── DownloadError          fetching the public source files failed
    ├── ApiError               a live API (Jikan, AniList) failed; carries ``url`` and
    │                          ``status`` (None when no HTTP answer came)
    │   ├── ApiNotFoundError   the API answered 404 for an id (a refresh reports and skips it)
    │   ├── RateLimitedError   still 429 after the retry limit (``retry_after`` seconds)
    │   ├── ApiUnavailableError  5xx or no connection after the retry limit
    │   ├── ApiResponseError   an error body (4xx, GraphQL ``errors`` in an HTTP 200), HTML
    │   │                      instead of JSON, truncated JSON
    │   └── SchemaDriftError   a field is missing or has the wrong type (``field`` is its path)
    └── EngineError            the distributed engine (Dask) failed: a local cluster that
                               would not start, workers that kept dying, a lost scheduler
"""

from __future__ import annotations

__all__ = [
    "NextseasonError",
    "ConfigError",
    "StoreError",
    "MigrationError",
    "BusyError",
    "InputError",
    "ArchiveError",
    "EncodingError",
    "SchemaError",
    "RecordError",
    "DataMissingError",
    "ShrinkError",
    "NotFoundError",
    "QueryError",
    "DownloadError",
    "ApiError",
    "ApiNotFoundError",
    "RateLimitedError",
    "ApiUnavailableError",
    "ApiResponseError",
    "SchemaDriftError",
    "EngineError",
]


class NextseasonError(Exception):
    """Base class of every error nextseason raises on purpose."""

    exit_code = 1


class ConfigError(NextseasonError):
    exit_code = 2


class StoreError(NextseasonError):
    pass


class MigrationError(StoreError):
    pass


class BusyError(StoreError):
    """The database is locked by another writer for longer than the busy timeout."""

    exit_code = 6


class InputError(NextseasonError):
    """A raw input is wrong. ``file`` and ``where`` (row or line) say where."""

    exit_code = 3

    def __init__(self, message: str, *, file: str | None = None, where: str | None = None):
        self.file = file
        self.where = where
        self.detail = message
        parts = []
        if file:
            parts.append(str(file))
        if where:
            parts.append(where)
        prefix = ", ".join(parts)
        super().__init__(f"{prefix}: {message}" if prefix else message)


class ArchiveError(InputError):
    pass


class EncodingError(InputError):
    pass


class SchemaError(InputError):
    pass


class RecordError(InputError):
    pass


class DataMissingError(InputError):
    pass


class ShrinkError(InputError):
    """The new catalogue is empty or much smaller than the database it would replace."""


class NotFoundError(NextseasonError):
    """Nothing in the catalogue matches well enough. ``query`` is what the user asked and
    ``candidates`` the closest shows (dicts with mal_id, title, type, year), for a
    "did you mean"."""

    exit_code = 4

    def __init__(self, message: str, *, query: str | None = None,
                 candidates: list[dict[str, object]] | None = None) -> None:
        super().__init__(message)
        self.query = query
        self.candidates = list(candidates or [])

    def to_dict(self) -> dict[str, object]:
        return {"error": "not_found", "query": self.query, "message": str(self),
                "candidates": self.candidates}


class QueryError(NextseasonError):
    """A query that cannot name a show: empty, symbols only, a single letter, too long."""

    exit_code = 2


class DownloadError(NextseasonError):
    exit_code = 5


class ApiError(NextseasonError):
    """A live API failed. ``url`` is the request, ``status`` the HTTP status (None when no
    answer came), ``detail`` what went wrong, without the URL."""

    exit_code = 7

    def __init__(self, message: str, *, url: str, status: int | None = None) -> None:
        self.url = url
        self.status = status
        self.detail = message
        code = f" (HTTP {status})" if status is not None else ""
        super().__init__(f"{url}{code}: {message}")


class ApiNotFoundError(ApiError):
    """The API has no such entry (HTTP 404, or AniList's "Not Found." error)."""


class RateLimitedError(ApiError):
    """Still rate limited (HTTP 429) after the retry limit; ``retry_after`` is the wait the
    server last asked for, in seconds, when it said."""

    def __init__(self, message: str, *, url: str, status: int | None = 429,
                 retry_after: float | None = None) -> None:
        self.retry_after = retry_after
        super().__init__(message, url=url, status=status)


class ApiUnavailableError(ApiError):
    """A server error (5xx), a timeout or no connection, after the retry limit."""


class ApiResponseError(ApiError):
    """The answer is not what the API promises: an error body, HTML, truncated JSON."""


class SchemaDriftError(ApiError):
    """A field of an API answer is missing or has the wrong type. ``field`` is its path in
    the JSON (``data.aired.prop.from.year``)."""

    def __init__(self, message: str, *, url: str, field: str,
                 status: int | None = None) -> None:
        self.field = field
        super().__init__(f"field {field}: {message}", url=url, status=status)
class EngineError(NextseasonError):
    """The distributed engine failed while the input and the options were fine."""

    exit_code = 8
