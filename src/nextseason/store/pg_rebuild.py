"""The atomic rebuild on PostgreSQL: build into a new schema, swap it in one transaction.

A build never writes into the live database. On SQLite it writes a temporary file and moves
it over the target (:mod:`.rebuild`); on PostgreSQL (:func:`pg_rebuilding`) it writes a new
schema ``LIVE_building_PID`` in the same database — migrated, loaded, analysed — and swaps
it in with one transaction that renames the live schema to ``LIVE_replaced_PID``, the new one
to the live name, and drops the replaced one. Readers never see half a build: PostgreSQL
looks names up per statement, so each statement reads the whole old database or the whole
new one (a long reader transaction may read the old one, then the new one). If a reader
still holds a lock on an old table, the drop waits for the lock timeout and is then left to
the next build (the swap itself stands).

Every build holds an advisory lock named after its schema for as long as it runs; a
``LIVE_building_*`` schema whose lock is free belongs to a build that died, and the next
build drops it (as the SQLite build removes a killed build's temporary file).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..errors import StoreError
from .db import connect, connect_readonly, optimize
from .pg import PgConnection, PgUrl, pg_connect, tables
from .rebuild import Rebuild

__all__ = ["SchemaTarget", "pg_rebuilding", "schema_size"]


@contextmanager
def pg_rebuilding(url: str) -> Iterator[Rebuild]:
    """A new database for the schema ``url`` names, swapped in when the block succeeds;
    on any error the new schema is dropped and the live one is left as it was."""
    target = SchemaTarget(PgUrl(url))
    conn = old = None
    try:
        removed = target.stale()
        old = target.previous()
        conn = target.open()
        target.prepare(conn)
        conn.prepared = True  # a new schema, closed before the swap: plans cannot go stale
        with conn.pipeline():
            yield Rebuild(conn, old, target.staging, removed)
        target.commit(conn)
    except BaseException:
        target.abort(conn)
        raise
    finally:
        if old is not None:
            old.close()


def _refuse(exc: StoreError) -> StoreError:
    return StoreError(f"{exc}; refusing to replace it. Move it away or choose another --db")


# ---------------------------------------------------------------- PostgreSQL: a schema

class SchemaTarget:
    def __init__(self, url: PgUrl) -> None:
        self.url = url
        self.live = url.schema
        self.where = url.redacted
        self.staging = f"{self.live}_building_{os.getpid()}"
        self._admin: PgConnection | None = None

    def _admin_conn(self) -> PgConnection:
        """A connection outside any nextseason schema, holding this build's advisory lock."""
        if self._admin is None:
            self._admin = pg_connect(self.url, schema="pg_catalog")
            self._admin.execute("SELECT pg_advisory_lock(hashtext(?))", (self.staging,))
        return self._admin

    def _schemas(self) -> set[str]:
        return {r[0] for r in self._admin_conn().execute(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE ?",
            (self.live.replace("_", r"\_") + "%",))}

    def stale(self) -> int:
        """Drop the schemas of builds that died (their advisory lock is free) and old live
        schemas a swap could not drop; the bytes they held."""
        admin = self._admin_conn()
        dropped = 0
        for name in self._schemas():
            if name == self.staging:
                continue
            if name.startswith(f"{self.live}_building_"):
                free = admin.execute("SELECT pg_try_advisory_lock(hashtext(?))",
                                     (name,)).fetchone()[0]
                if not free:
                    continue  # another build is running now
                admin.execute("SELECT pg_advisory_unlock(hashtext(?))", (name,))
            elif not name.startswith(f"{self.live}_replaced_"):
                continue
            dropped += _schema_bytes(admin, name)
            admin.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        return dropped

    def previous(self) -> Any | None:
        if self.live not in self._schemas():
            return None
        probe = pg_connect(self.url, readonly=True)
        try:
            names = tables(probe)
        finally:
            probe.close()
        if not names:
            return None  # an empty schema (made by hand, or a failed first connect)
        try:
            return connect_readonly(self.url)
        except StoreError as exc:
            raise _refuse(exc) from None

    def open(self) -> Any:
        admin = self._admin_conn()
        admin.execute(f'DROP SCHEMA IF EXISTS "{self.staging}" CASCADE')
        return connect(self.url.with_schema(self.staging))

    def prepare(self, conn: Any) -> None:
        # nothing reads the new schema until the swap: no need to wait for the disk
        conn.execute("SET synchronous_commit = off")

    def check(self, conn: Any) -> int:
        return 0  # PostgreSQL checked every foreign key as the rows went in

    def commit(self, conn: Any) -> None:
        optimize(conn)
        conn.close()
        admin = self._admin_conn()
        old = f"{self.live}_replaced_{os.getpid()}"
        exists = self.live in self._schemas()
        admin.execute("BEGIN")
        try:
            if exists:
                admin.execute(f'ALTER SCHEMA "{self.live}" RENAME TO "{old}"')
            admin.execute(f'ALTER SCHEMA "{self.staging}" RENAME TO "{self.live}"')
            if exists:
                admin.execute("SAVEPOINT drop_old")
                try:
                    admin.raw.execute(f'DROP SCHEMA "{old}" CASCADE')
                except Exception:  # readers hold it past the lock timeout: next build drops it
                    admin.raw.execute("ROLLBACK TO SAVEPOINT drop_old")
        except BaseException:
            admin.rollback()
            raise
        admin.execute("COMMIT")
        self._release()

    def abort(self, conn: Any | None) -> None:
        try:
            if conn is not None:
                conn.close()
            admin = self._admin_conn()
            admin.rollback()
            admin.execute(f'DROP SCHEMA IF EXISTS "{self.staging}" CASCADE')
        finally:
            self._release()

    def _release(self) -> None:
        if self._admin is not None:
            self._admin.close()  # (closing the session frees its advisory lock)
            self._admin = None

    def size(self) -> int:
        admin = pg_connect(self.url, schema="pg_catalog")
        try:
            return _schema_bytes(admin, self.live)
        finally:
            admin.close()


def _schema_bytes(conn: PgConnection, schema: str) -> int:
    """The bytes the tables (with their indexes) of ``schema`` take on disk."""
    row = conn.execute(
        "SELECT COALESCE(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c"
        " JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = ? AND c.relkind = 'r'", (schema,)).fetchone()
    return int(row[0])


def schema_size(url: str) -> int:
    """The bytes the database at ``url`` (its live schema) takes on disk."""
    return SchemaTarget(PgUrl(url)).size()
