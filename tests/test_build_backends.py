"""The whole build on both databases: the same rows, atomic, and the user's data kept.

Each test runs on SQLite and on PostgreSQL (``backend``); the last one compares the two."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from nextseason.fixtures import SNAPSHOT_2025, visible_at
from nextseason.pipeline import build
from nextseason.store import connect, connect_readonly
from nextseason.store.db import table_columns, table_names


def dump(location: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a fixed order (what "the same database" means)."""
    conn = connect_readonly(location)
    try:
        out = {}
        for table in sorted(t for t in table_names(conn) if not t.startswith("sqlite_")):
            cols = ", ".join(f'"{c}"' for c in table_columns(conn, table))
            rows = [tuple(r) for r in conn.execute(f"SELECT {cols} FROM {table}")]
            out[table] = sorted(rows, key=lambda r: [(v is None, str(type(v)), v)
                                                     if v is not None else (True, "", 0)
                                                     for v in r])
        return out
    finally:
        conn.close()


def _twin(location: str, backend: str, name: str) -> str:
    """A second database beside ``location`` (another file, or another schema)."""
    if backend == "postgresql":
        from nextseason.store.pg import PgUrl

        url = PgUrl(location)
        return str(url.with_schema(f"{url.schema}_{name}"))
    return str(Path(location).with_name(f"{name}.db"))


def test_build_twice_gives_the_same_database(synthetic_data: Path, db_location: str,
                                             backend: str) -> None:
    other = _twin(db_location, backend, "b")
    build(synthetic_data, db_location)
    build(synthetic_data, other)
    first = dump(db_location)
    assert first == dump(other)
    build(synthetic_data, db_location)  # rebuilding over an existing database
    assert dump(db_location) == first


def test_build_report(synthetic, db_location: str) -> None:
    data, cat = synthetic
    report = build(data, db_location)
    assert set(report.results) >= {"mal_2018", "jikan_2021", "jikan_2025"}
    assert report.counts["anime"] == sum(visible_at(s, SNAPSHOT_2025) for s in cat.shows)
    assert report.size_bytes > 0 and report.counts["forecasts"] > 0
    conn = connect_readonly(db_location)
    snaps = conn.execute("SELECT name, as_of, row_count, stored_count, length(content_hash)"
                         " FROM snapshot ORDER BY id").fetchall()
    conn.close()
    assert [s[0] for s in snaps][:3] == ["mal_2018", "jikan_2021", "jikan_2025"]
    assert all(s[2] >= s[3] > 0 and s[4] == 64 for s in snaps)


def test_a_reader_keeps_working_across_a_rebuild(synthetic_data: Path, db_location: str
                                                 ) -> None:
    build(synthetic_data, db_location)
    reader = connect_readonly(db_location)
    count = reader.execute("SELECT count(*) FROM anime").fetchone()[0]
    build(synthetic_data, db_location)  # replaced underneath an open reader
    assert reader.execute("SELECT count(*) FROM anime").fetchone()[0] == count
    reader.close()


ARTICLE = """Higehiro season 2: will it happen?

Hige wo Soru. Soshite Joshikousei wo Hirou. aired from April 5, 2021, to June 28, 2021.
The light novel has five volumes, and the anime adapted all five volumes. The first
Blu-ray volume sold 1,759 units in its first week.
"""


def test_a_failed_build_keeps_the_database_and_articles_are_carried(
        synthetic_data: Path, db_location: str, tmp_path: Path) -> None:
    from nextseason.claims.articles import ingest_paths
    from nextseason.claims.extract import extract_claims

    build(synthetic_data, db_location)
    page = tmp_path / "higehiro.txt"
    page.write_text(ARTICLE, encoding="utf-8")
    conn = connect(db_location)
    try:
        ingest_paths(conn, [page], published="2021-07-01", extract=lambda art: extract_claims(
            art.text, as_of=art.published, title=art.title))
    finally:
        conn.close()
    before = dump(db_location)
    assert len(before["article"]) == 1 and len(before["claim"]) >= 3

    def boom(conn: Any) -> None:
        raise RuntimeError("the import failed half-way")

    with pytest.raises(RuntimeError):
        build(synthetic_data, db_location, after_import=boom)
    assert dump(db_location) == before  # the failed build changed nothing
    report = build(synthetic_data, db_location)
    # the user's tables are carried (the series' history too, which the builds wrote)
    assert {k: report.kept.get(k) for k in ("article", "claim")} == {
        "article": 1, "claim": len(before["claim"])}
    after = dump(db_location)
    assert after["article"] == before["article"] and after["claim"] == before["claim"]


@pytest.mark.postgresql
def test_sqlite_and_postgresql_builds_hold_the_same_rows(synthetic_data: Path,
                                                         tmp_path: Path, pg_url: str) -> None:
    """The same raw files give the same rows in every table on both databases — the
    catalogue, the links, the franchises and every stored forecast."""
    sqlite_db = str(tmp_path / "n.db")
    build(synthetic_data, sqlite_db)
    build(synthetic_data, pg_url)
    a, b = dump(sqlite_db), dump(pg_url)
    assert sorted(a) == sorted(b)
    for table in a:
        assert a[table] == b[table], table
