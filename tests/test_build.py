"""The whole build: idempotent, atomic, and clear about where the data is."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from nextseason.errors import ConfigError
from nextseason.fixtures import SNAPSHOT_2025, visible_at
from nextseason.pipeline import build


def _dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_build_twice_gives_the_same_database(synthetic_data: Path, tmp_path: Path) -> None:
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    build(synthetic_data, a)
    build(synthetic_data, b)
    assert _dump(a) == _dump(b)
    build(synthetic_data, a)  # rebuilding over an existing database
    assert _dump(a) == _dump(b)


def test_build_report(synthetic, tmp_path: Path) -> None:
    data, cat = synthetic
    report = build(data, tmp_path / "n.db")
    assert set(report.results) >= {"mal_2018", "jikan_2021", "jikan_2025"}
    assert report.counts["anime"] == sum(visible_at(s, SNAPSHOT_2025) for s in cat.shows)
    assert report.size_bytes > 0
    conn = sqlite3.connect(tmp_path / "n.db")
    snaps = conn.execute("SELECT name, as_of, row_count, stored_count, length(content_hash)"
                         " FROM snapshot ORDER BY id").fetchall()
    assert [s[0] for s in snaps][:3] == ["mal_2018", "jikan_2021", "jikan_2025"]
    assert all(s[2] >= s[3] > 0 and s[4] == 64 for s in snaps)


def test_atomic_replacement_keeps_readers_working(synthetic_data: Path, tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    build(synthetic_data, db)
    reader = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
    count = reader.execute("SELECT count(*) FROM anime").fetchone()[0]
    build(synthetic_data, db)  # replaced underneath an open reader
    assert reader.execute("SELECT count(*) FROM anime").fetchone()[0] == count
    reader.close()
    assert [p.name for p in tmp_path.iterdir()] == ["n.db"]


def test_no_data_dir_says_where_to_get_it(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("NEXTSEASON_DATA", raising=False)
    with pytest.raises(ConfigError, match="SOURCES.md"):
        build(None, tmp_path / "n.db")
    with pytest.raises(ConfigError, match="does not exist"):
        build(tmp_path / "nowhere", tmp_path / "n.db")


def test_data_dir_from_environment(synthetic_data: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("NEXTSEASON_DATA", str(synthetic_data))
    report = build(None, tmp_path / "n.db")
    assert report.counts["anime"] > 0


def test_migrations_are_idempotent(tmp_path: Path) -> None:
    from nextseason.store import connect
    from nextseason.store.migrations import apply_migrations

    conn = connect(tmp_path / "m.db")
    assert apply_migrations(conn) == []
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"anime", "title", "relation", "observation", "snapshot", "franchise"} <= tables
    strict = conn.execute("SELECT sql FROM sqlite_master WHERE name='anime'").fetchone()[0]
    assert strict.rstrip().endswith("STRICT")


def test_series_states_reuse_the_forecasting_steps_statuses(built_db: Path, tmp_path: Path,
                                                           monkeypatch) -> None:
    """The build records each series' state from the statuses its forecasting step worked
    out (the same date), and the rows are the ones asking again gives."""
    import shutil

    from nextseason import pipeline
    from nextseason.forecast.dataset import series_statuses
    from nextseason.forecast.precompute import Precomputed
    from nextseason.store import connect
    from nextseason.store.conn import atomic
    from nextseason.store.history import series_latest_ids
    from nextseason.store.snapshots import newest_snapshot_date
    from nextseason.track import state

    path = tmp_path / "copy.db"
    shutil.copy(built_db, path)
    conn = connect(path)
    cols = "series_id, recorded_on, status, seasons, latest_id, next_id, evidence, p_3y"
    built = conn.execute(f"SELECT {cols} FROM series_history ORDER BY series_id").fetchall()
    assert built
    today = newest_snapshot_date(conn)
    known = Precomputed(0, today, series_statuses(conn, series_latest_ids(conn), today))
    asked: list[int] = []
    real = state.series_status
    monkeypatch.setattr(state, "series_status",
                        lambda c, m, t: asked.append(m) or real(c, m, t))
    for statuses, asks in ((known, False), (Precomputed(0, "1999-01-01", known.statuses), True),
                           (None, True)):
        asked.clear()
        conn.execute("DELETE FROM series_history")
        with atomic(conn):
            pipeline.record_states(conn, statuses)
        again = conn.execute(f"SELECT {cols} FROM series_history ORDER BY series_id").fetchall()
        assert again == built
        assert bool(asked) == asks  # another date's statuses are not taken
    conn.close()
