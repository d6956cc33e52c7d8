"""The atomic rebuild on PostgreSQL: a new schema, swapped in by one transaction."""

from __future__ import annotations

import psycopg
import pytest

from nextseason.errors import StoreError
from nextseason.store import connect, connect_readonly
from nextseason.store.conn import atomic
from nextseason.store.pg import PgUrl
from nextseason.store.pg_rebuild import pg_rebuilding, schema_size


def _add_snapshot(conn, name: str) -> None:
    with atomic(conn):
        conn.execute(
            "INSERT INTO snapshot (name, kind, as_of, file, content_hash, row_count,"
            " stored_count) VALUES (?, 'catalogue', '2020-01-01', 'f', 'h', 1, 1)", (name,))


def _names(conn) -> list[str]:
    return [r[0] for r in conn.execute("SELECT name FROM snapshot ORDER BY name")]


def _schemas(url: str) -> set[str]:
    u = PgUrl(url)
    with psycopg.connect(u.conninfo, autocommit=True) as raw:
        return {r[0] for r in raw.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE %s", (u.schema + "%",))}


def test_a_build_swaps_in_a_new_schema(pg_url: str) -> None:
    with pg_rebuilding(pg_url) as rb:
        assert rb.old is None
        _add_snapshot(rb.conn, "first")
        assert rb.tmp in _schemas(pg_url)
    reader = connect_readonly(pg_url)
    assert _names(reader) == ["first"]
    with pg_rebuilding(pg_url) as rb:
        assert rb.old is not None and _names(rb.old) == ["first"]
        _add_snapshot(rb.conn, "second")
        assert _names(reader) == ["first"]  # readers see the old database until the swap
    assert _names(reader) == ["second"]  # ... and the whole new one after it
    reader.close()
    assert _schemas(pg_url) == {PgUrl(pg_url).schema}
    assert schema_size(pg_url) > 0


def test_a_failed_build_leaves_the_live_schema_as_it_was(pg_url: str) -> None:
    with pg_rebuilding(pg_url) as rb:
        _add_snapshot(rb.conn, "good")
    with pytest.raises(RuntimeError), pg_rebuilding(pg_url) as rb:
        _add_snapshot(rb.conn, "half")
        raise RuntimeError("the import failed")
    conn = connect_readonly(pg_url)
    assert _names(conn) == ["good"]
    conn.close()
    assert _schemas(pg_url) == {PgUrl(pg_url).schema}


def test_a_reader_inside_a_transaction_does_not_block_the_swap(pg_url: str,
                                                                monkeypatch) -> None:
    from nextseason.store import db

    with pg_rebuilding(pg_url) as rb:
        _add_snapshot(rb.conn, "old")
    monkeypatch.setattr(db, "BUSY_TIMEOUT", 0.3)
    reader = connect_readonly(pg_url)
    reader.execute("BEGIN")
    assert _names(reader) == ["old"]  # holds a lock on the old table
    try:
        with pg_rebuilding(pg_url) as rb:  # the old schema cannot be dropped yet: swapped
            _add_snapshot(rb.conn, "new")
        # names are looked up per statement: the next one reads the whole new database
        assert _names(reader) == ["new"]
        reader.execute("COMMIT")
    finally:
        reader.close()
    live = PgUrl(pg_url).schema
    assert any(s.startswith(f"{live}_replaced_") for s in _schemas(pg_url))
    with pg_rebuilding(pg_url) as rb:  # the next build drops what was left
        _add_snapshot(rb.conn, "newer")
    assert _schemas(pg_url) == {live}


def test_dead_builds_are_cleared_running_ones_are_not(pg_url: str) -> None:
    url = PgUrl(pg_url)
    connect(pg_url).close()
    dead, running = f"{url.schema}_building_999991", f"{url.schema}_building_999992"
    with psycopg.connect(url.conninfo, autocommit=True) as raw, \
            psycopg.connect(url.conninfo, autocommit=True) as holder:
        raw.execute(f'CREATE SCHEMA "{dead}"')
        raw.execute(f'CREATE TABLE "{dead}".junk AS SELECT generate_series(1, 1000) AS n')
        raw.execute(f'CREATE SCHEMA "{running}"')
        holder.execute("SELECT pg_advisory_lock(hashtext(%s))", (running,))
        with pg_rebuilding(pg_url) as rb:
            assert rb.removed_stale > 0
            _add_snapshot(rb.conn, "x")
        assert _schemas(pg_url) == {url.schema, running}


def test_a_schema_that_is_not_ours_is_not_replaced(pg_url: str) -> None:
    url = PgUrl(pg_url)
    with psycopg.connect(url.conninfo, autocommit=True) as raw:
        raw.execute(f'CREATE SCHEMA "{url.schema}"')
        raw.execute(f'CREATE TABLE "{url.schema}".payroll (n int)')
    with pytest.raises(StoreError, match="refusing to replace"), pg_rebuilding(pg_url):
        pass
    with psycopg.connect(url.conninfo, autocommit=True) as raw:
        assert raw.execute(f'SELECT count(*) FROM "{url.schema}".payroll').fetchone() == (0,)
    assert _schemas(pg_url) == {url.schema}
