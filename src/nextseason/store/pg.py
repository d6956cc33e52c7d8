"""The PostgreSQL backend: a psycopg 3 connection that answers like ``sqlite3``.

Store functions are written once, against :class:`~.conn.Conn`: ``?`` placeholders, rows
that answer ``row[0]`` and ``row["name"]``, autocommit with explicit ``BEGIN`` … ``COMMIT``.
:class:`PgConnection` gives exactly that on PostgreSQL:

* ``?`` becomes ``%s`` (and ``:name`` becomes ``%(name)s`` with a dict), a literal ``%``
  becomes ``%%``; nothing inside quotes or comments is touched (:func:`translate`);
* rows are :class:`Row` (a tuple that also answers ``row["name"]``, ``keys()`` and
  ``dict(row)``, names matched case-insensitively as ``sqlite3.Row`` does);
* ``numeric`` results (``sum`` of integers, ``CAST(… AS NUMERIC)``) come back as ``int`` when
  whole and ``float`` otherwise, as SQLite gives them, never :class:`~decimal.Decimal`;
* the database's tables live in one schema (``nextseason`` unless the URL says
  ``?schema=NAME``), put first on the ``search_path``, so a rebuild can build a new schema
  and swap it in (:mod:`.pg_rebuild`);
* a lock held past :data:`~.db.BUSY_TIMEOUT` (``lock_timeout``), a serialisation failure or
  a deadlock raise :class:`~nextseason.errors.BusyError`; a server that cannot be reached
  raises :class:`~nextseason.errors.StoreError` naming the URL without its password.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

import psycopg
from psycopg import errors as pgerrors
from psycopg import sql
from psycopg.adapt import Loader
from psycopg.pq import TransactionStatus

from ..errors import BusyError, StoreError
from .url import DEFAULT_SCHEMA, PgUrl, is_url, redact

__all__ = ["PgUrl", "PgConnection", "PgPool", "Row", "is_url", "translate", "pg_connect",
           "redact", "tables", "columns", "DEFAULT_SCHEMA", "BUSY_ERRORS"]

#: PostgreSQL errors that mean "another transaction is in the way": retry later.
BUSY_ERRORS = (pgerrors.LockNotAvailable, pgerrors.SerializationFailure,
               pgerrors.DeadlockDetected)


# ---------------------------------------------------------------- placeholders

_TOKENS = re.compile(r"""
    '(?:[^']|'')*'          # a string literal
  | "(?:[^"]|"")*"          # a quoted identifier
  | --[^\n]*                # a line comment
  | /\*.*?\*/               # a block comment
  | ::                      # a PostgreSQL cast (not a named parameter)
  | :[A-Za-z_]\w*           # a named parameter
  | \?                      # a positional parameter
  | %                       # a literal percent sign
""", re.VERBOSE | re.DOTALL)


@lru_cache(maxsize=4096)
def translate(query: str) -> str:
    """A query written for ``sqlite3`` (``?`` or ``:name`` parameters) in psycopg's
    placeholders: ``?`` → ``%s``, ``:name`` → ``%(name)s``, ``%`` → ``%%``; string
    literals, quoted names and comments are left as they are."""
    def one(m: re.Match[str]) -> str:
        tok = m.group(0)
        if tok == "?":
            return "%s"
        if tok == "%":
            return "%%"
        if tok.startswith(":") and tok != "::":
            return f"%({tok[1:]})s"
        if tok.startswith(("'", '"')):
            return tok.replace("%", "%%")  # psycopg scans literals for placeholders too
        return tok
    return _TOKENS.sub(one, query)


# ---------------------------------------------------------------- rows and values

class Row(tuple[Any, ...]):
    """A result row: a tuple that also answers ``row["name"]`` (case-insensitive),
    ``keys()`` and ``dict(row)`` — what code written for ``sqlite3.Row`` expects."""

    _keys: tuple[str, ...]
    _index: dict[str, int]

    def __new__(cls, values: Sequence[Any], keys: tuple[str, ...],
                index: dict[str, int]) -> Row:
        row = super().__new__(cls, values)
        row._keys, row._index = keys, index
        return row

    def __getitem__(self, key: Any) -> Any:  # type: ignore[override]
        if isinstance(key, str):
            try:
                return tuple.__getitem__(self, self._index[key.lower()])
            except KeyError:
                raise IndexError(f"no such column: {key}") from None
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._keys)


def _row_factory(cursor: Any) -> Any:
    desc = cursor.description
    if desc is None:
        return tuple
    keys = tuple(c.name for c in desc)
    index: dict[str, int] = {}
    for i, k in enumerate(keys):
        index.setdefault(k.lower(), i)
    return lambda values: Row(values, keys, index)


class _NumericLoader(Loader):
    """``numeric`` as SQLite would give it: ``int`` when whole, else ``float``."""

    def load(self, data: Any) -> int | float:
        text = bytes(data).decode()
        if text.lstrip("-").isdigit():
            return int(text)
        return float(text)  # a fraction, an exponent, NaN or Infinity


# ---------------------------------------------------------------- the connection

class PgConnection:
    """A psycopg connection shaped like an autocommit ``sqlite3.Connection``.

    Statements are not prepared on the server by default: a prepared plan would keep
    reading a schema a rebuild renamed away. A connection that writes a new database (the
    rebuild's) turns :attr:`prepared` on and may send its statements in a
    :meth:`pipeline`, without waiting for each answer — the difference between minutes
    and many minutes for a build on a busy machine.
    """

    dialect = "postgresql"

    def __init__(self, raw: psycopg.Connection[Any], url: PgUrl, *, schema: str,
                 readonly: bool) -> None:
        self.raw = raw
        self.url = url
        self.schema = schema
        self.readonly = readonly
        self.prepared: bool = False
        self._pipeline: Any = None

    def __repr__(self) -> str:
        return f"<PgConnection {self.url.redacted} schema={self.schema}>"

    @property
    def in_transaction(self) -> bool:
        if self._pipeline is not None:
            self._pipeline.sync()  # the server's answers so far, hence its state
        return self.raw.info.transaction_status != TransactionStatus.IDLE

    @contextmanager
    def pipeline(self) -> Iterator[PgConnection]:
        """Send statements without waiting for each answer (psycopg's pipeline mode); a
        fetch, a ``rowcount`` or :attr:`in_transaction` waits for the answers so far."""
        with self.raw.pipeline() as p:
            self._pipeline = p
            try:
                yield self
            finally:
                self._pipeline = None

    def execute(self, query: str, parameters: Sequence[Any] | dict[str, Any] = (), /) -> Any:
        try:
            cur = self.raw.execute(translate(query), parameters or None,  # type: ignore[arg-type]
                                   prepare=None if self.prepared else False)
            return cur if self._pipeline is None else _Pipelined(cur, self._pipeline)
        except BUSY_ERRORS as exc:
            raise self._busy(exc) from None
        except psycopg.OperationalError as exc:
            if self.raw.closed or self.raw.broken:
                raise StoreError(f"{self.url.redacted}: lost the connection to the server "
                                 f"({_first_line(exc)})") from None
            raise

    def executemany(self, query: str, seq_of_parameters: Iterable[Any], /) -> Any:
        cur = self.raw.cursor()
        try:
            cur.executemany(translate(query), list(seq_of_parameters))
        except BUSY_ERRORS as exc:
            raise self._busy(exc) from None
        return cur

    def cursor(self) -> Any:
        return self.raw.cursor()

    def commit(self) -> None:
        if self.in_transaction:
            self.raw.execute("COMMIT")

    def rollback(self) -> None:
        if self.in_transaction:
            self.raw.execute("ROLLBACK")

    def close(self) -> None:
        self.raw.close()

    def __enter__(self) -> PgConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _busy(self, exc: Exception) -> BusyError:
        from .db import BUSY_TIMEOUT

        if self.in_transaction:
            self.raw.execute("ROLLBACK")
        return BusyError(
            f"{self.url.redacted}: the database is busy: another nextseason process (a build "
            f"or an ingest) holds a lock it needs and did not finish within {BUSY_TIMEOUT:g} s "
            f"({_first_line(exc)}). Try again when it has finished")


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _configure(raw: psycopg.Connection[Any], schema: str, *, readonly: bool) -> None:
    """Set up a new session: rows, numbers, the schema, the lock wait, read-only."""
    from .db import BUSY_TIMEOUT

    raw.row_factory = _row_factory
    raw.adapters.register_loader("numeric", _NumericLoader)
    raw.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(schema)))
    raw.execute(sql.SQL("SET lock_timeout = {}").format(
        sql.Literal(f"{int(BUSY_TIMEOUT * 1000)}ms")))
    if readonly:
        raw.execute("SET default_transaction_read_only = on")


def pg_connect(url: str, *, readonly: bool = False, schema: str | None = None,
               create_schema: bool = False) -> PgConnection:
    """Open a connection to ``url`` with the live schema (or ``schema``) on its
    ``search_path``. ``readonly`` makes every transaction read-only."""
    u = PgUrl(url)
    name = schema or u.schema
    try:
        raw = psycopg.connect(u.conninfo, autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        raise StoreError(f"{u.redacted}: cannot connect to the PostgreSQL server "
                         f"({_first_line(exc)})") from None
    try:
        if create_schema:
            raw.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(name)))
        _configure(raw, name, readonly=readonly)
    except BUSY_ERRORS as exc:
        raw.close()
        raise BusyError(f"{u.redacted}: the database is busy ({_first_line(exc)})") from None
    except psycopg.Error as exc:
        raw.close()
        raise StoreError(f"{u.redacted}: cannot use schema {name} ({_first_line(exc)})"
                         ) from None
    return PgConnection(raw, u, schema=name, readonly=readonly)


class _Pipelined:
    """A cursor of a pipelined statement whose ``rowcount`` waits for the server's answer."""

    def __init__(self, cur: Any, pipeline: Any) -> None:
        self._cur, self._pipeline = cur, pipeline

    @property
    def rowcount(self) -> int:
        self._pipeline.sync()
        return int(self._cur.rowcount)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._cur)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cur, name)


class _Result:
    """The rows of one statement, fetched: what a cursor offers readers."""

    def __init__(self, rows: list[Any], rowcount: int, description: Any) -> None:
        self._rows, self._at = rows, 0
        self.rowcount, self.description = rowcount, description

    def fetchone(self) -> Any:
        if self._at >= len(self._rows):
            return None
        self._at += 1
        return self._rows[self._at - 1]

    def fetchmany(self, size: int = 1) -> list[Any]:
        rows = self._rows[self._at:self._at + size]
        self._at += len(rows)
        return rows

    def fetchall(self) -> list[Any]:
        rows = self._rows[self._at:]
        self._at = len(self._rows)
        return rows

    def __iter__(self) -> Iterator[Any]:
        return iter(self.fetchall())


class PgPool:
    """Read-only connections for the web app, shared by its threads (``psycopg_pool``).

    It answers :class:`~.conn.Conn` like one connection: each :meth:`execute` borrows a
    session from the pool, runs the statement (autocommit, read-only), fetches its rows and
    gives the session back — so any number of request threads share ``max_size`` sessions,
    and a session the server dropped is replaced by the pool.
    """

    dialect = "postgresql"
    in_transaction = False
    readonly = True

    def __init__(self, url: str, *, min_size: int = 1, max_size: int = 8,
                 timeout: float = 30.0) -> None:
        from psycopg_pool import ConnectionPool, PoolTimeout

        self.url = PgUrl(url)
        self.schema = self.url.schema
        self._timeout_error = PoolTimeout
        check = connect_readonly_url(self.url)  # a clear error now if it is not ours
        check.close()
        self.pool: Any = ConnectionPool(
            self.url.conninfo, min_size=min_size, max_size=max_size, timeout=timeout,
            kwargs={"autocommit": True, "connect_timeout": 10},
            configure=lambda raw: _configure(raw, self.schema, readonly=True),
            name="nextseason-web", open=True)

    def __repr__(self) -> str:
        return f"<PgPool {self.url.redacted} schema={self.schema}>"

    def execute(self, query: str, parameters: Sequence[Any] | dict[str, Any] = (), /) -> Any:
        try:
            with self.pool.connection() as raw:
                cur = raw.execute(translate(query), parameters or None, prepare=False)
                rows = cur.fetchall() if cur.description is not None else []
                return _Result(rows, cur.rowcount, cur.description)
        except BUSY_ERRORS as exc:
            raise BusyError(f"{self.url.redacted}: the database is busy "
                            f"({_first_line(exc)})") from None
        except self._timeout_error:
            raise BusyError(f"{self.url.redacted}: every connection of the pool is in use; "
                            "try again in a moment") from None
        except psycopg.OperationalError as exc:
            raise StoreError(f"{self.url.redacted}: the server did not answer "
                             f"({_first_line(exc)})") from None

    def executemany(self, query: str, seq_of_parameters: Iterable[Any], /) -> Any:
        raise StoreError("the web app's connections are read-only")

    def stats(self) -> dict[str, int]:
        return dict(self.pool.get_stats())

    def close(self) -> None:
        self.pool.close()


def connect_readonly_url(url: PgUrl) -> PgConnection:
    from .db import connect_readonly

    conn: PgConnection = connect_readonly(url)
    return conn


def tables(conn: PgConnection, schema: str | None = None) -> set[str]:
    """The names of the tables in ``schema`` (the connection's own by default)."""
    return {r[0] for r in conn.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = ?"
        " AND table_type = 'BASE TABLE'", (schema or conn.schema,))}


def columns(conn: PgConnection, table: str, schema: str | None = None) -> list[str]:
    """The column names of ``table``, in order."""
    return [r[0] for r in conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = ?"
        " AND table_name = ? ORDER BY ordinal_position", (schema or conn.schema, table))]


def live_identity(conn: Any) -> tuple[int, int]:
    """What changes when a rebuild swaps in a new schema (its object id) or an ingest adds
    articles (their number) — for readers that cache what they read (the web app)."""
    row = conn.execute(
        "SELECT (SELECT oid FROM pg_namespace WHERE nspname = current_schema()),"
        " (SELECT count(*) FROM article)").fetchone()
    return int(row[0]), int(row[1])
