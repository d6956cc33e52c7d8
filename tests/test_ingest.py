"""Each importer, on the synthetic files the project writes in the real formats."""

from __future__ import annotations

from pathlib import Path

import pytest

from nextseason.fixtures import SNAPSHOT_2018, visible_at
from nextseason.ingest.importer import import_source
from nextseason.ingest.rules import parse_rule
from nextseason.ingest.sources import SOURCES, source_by_name
from nextseason.store.conn import atomic


def _import(conn, data: Path, *names: str):
    with atomic(conn):
        return [import_source(conn, data, source_by_name(n)) for n in names]


def test_sources_cover_every_raw_folder(synthetic_data: Path) -> None:
    used = {s.path.split("/")[0] for s in SOURCES}
    present = {p.name for p in synthetic_data.iterdir()}
    assert used == present


def test_mal2018(fresh_db, synthetic, synthetic_data) -> None:
    _path, cat = synthetic
    [r] = _import(fresh_db, synthetic_data, "mal_2018")
    expected = [s for s in cat.shows if visible_at(s, SNAPSHOT_2018)]
    assert r.read == r.stored == len(expected)
    first = expected[0]
    row = fresh_db.execute("SELECT * FROM anime WHERE mal_id = ?", (first.mal_id,)).fetchone()
    assert row["title"] == first.title and row["type"] == first.type
    assert row["start_date"] == first.start.isoformat() and row["start_precision"] == "day"
    # HTML entities are unescaped
    assert fresh_db.execute(
        "SELECT 1 FROM tag WHERE kind='producer' AND name='Aniplex & Friends'").fetchone()
    # synonyms are aliases; genres are split into genre and demographic tags
    assert fresh_db.execute("SELECT 1 FROM title WHERE title = 'Sample Alias & Co.'"
                            " AND kind = 'synonym'").fetchone()
    kinds = {r[0] for r in fresh_db.execute("SELECT DISTINCT kind FROM tag")}
    assert {"studio", "producer", "genre"} <= kinds
    # typed relations, with the snapshot that stated them
    sequel_edges = {
        (a, b) for a, b in fresh_db.execute(
            "SELECT from_id, to_id FROM relation WHERE kind='Sequel'")
    }
    assert sequel_edges and sequel_edges <= set(cat.sequels)
    adaptation = fresh_db.execute("SELECT manga_id FROM adaptation WHERE mal_id=?",
                                  (first.mal_id,)).fetchone()
    assert adaptation[0] == first.manga_id


def test_not_yet_aired_keeps_month_precision(fresh_db, synthetic, synthetic_data) -> None:
    _import(fresh_db, synthetic_data, "mal_2018", "jikan_2021")
    rows = fresh_db.execute(
        "SELECT * FROM anime_version v JOIN snapshot s ON s.id = v.snapshot_id"
        " WHERE v.status = 'not_yet_aired'").fetchall()
    assert rows, "the synthetic catalogue has shows announced but not aired at a snapshot"
    for row in rows:
        assert row["start_precision"] == "month" and len(row["start_date"]) == 7
        assert row["end_date"] is None


def test_jikan2021_dedups_and_skips_error_bodies(fresh_db, synthetic_data) -> None:
    [r] = _import(fresh_db, synthetic_data, "jikan_2021")
    assert r.skipped["API error body"] == 1
    assert r.skipped["duplicate mal_id (listed in several seasons)"] > 0
    assert r.stored == r.read - sum(r.skipped.values())
    assert fresh_db.execute("SELECT count(*) FROM anime").fetchone()[0] == r.stored
    assert any("error bodies" in w for w in r.warnings)


def test_one_entry_three_dated_sets(fresh_db, synthetic, synthetic_data) -> None:
    _path, cat = synthetic
    _import(fresh_db, synthetic_data, "mal_2018", "jikan_2021", "jikan_2025")
    show = next(s for s in cat.shows if 2010 <= s.start.year <= 2017)
    assert fresh_db.execute("SELECT count(*) FROM anime WHERE mal_id=?",
                            (show.mal_id,)).fetchone()[0] == 1
    versions = fresh_db.execute(
        "SELECT s.name FROM anime_version v JOIN snapshot s ON s.id=v.snapshot_id"
        " WHERE mal_id=? ORDER BY s.as_of", (show.mal_id,)).fetchall()
    assert [v[0] for v in versions] == ["mal_2018", "jikan_2021", "jikan_2025"]
    members = fresh_db.execute(
        "SELECT observed_at, value FROM observation WHERE entity_type='anime' AND entity_id=?"
        " AND metric='members' ORDER BY observed_at", (show.mal_id,)).fetchall()
    assert [tuple(m) for m in members] == [
        ("2018-06-30", show.members // 3), ("2021-01-24", show.members // 2),
        ("2025-03-24", show.members)]
    row = fresh_db.execute("SELECT * FROM anime WHERE mal_id=?", (show.mal_id,)).fetchone()
    assert row["first_snapshot"] != row["last_snapshot"]


def test_newest_snapshot_wins_whatever_the_order(fresh_db, synthetic, synthetic_data) -> None:
    _path, cat = synthetic
    _import(fresh_db, synthetic_data, "jikan_2025", "mal_2018")
    show = next(s for s in cat.shows if 2010 <= s.start.year <= 2017)
    row = fresh_db.execute("SELECT a.*, s.name FROM anime a JOIN snapshot s"
                           " ON s.id = a.last_snapshot WHERE mal_id=?",
                           (show.mal_id,)).fetchone()
    assert row["name"] == "jikan_2025"
    first = fresh_db.execute("SELECT name FROM snapshot WHERE id=?",
                             (row["first_snapshot"],)).fetchone()[0]
    assert first == "mal_2018"


def test_jikan2025_fields(fresh_db, synthetic, synthetic_data) -> None:
    _path, cat = synthetic
    [r] = _import(fresh_db, synthetic_data, "jikan_2025")
    show = cat.shows[0]
    row = fresh_db.execute("SELECT * FROM anime WHERE mal_id=?", (show.mal_id,)).fetchone()
    assert row["episodes"] == show.episodes  # written as "12.0"
    assert row["season"] == "spring" and row["season_year"] == show.start.year
    kinds = dict(fresh_db.execute("SELECT kind, count(*) FROM tag GROUP BY kind").fetchall())
    assert kinds["theme"] == 1 and kinds["demographic"] == 1
    assert fresh_db.execute("SELECT count(*) FROM relation").fetchone()[0] == 0


def test_sales(fresh_db, synthetic_data) -> None:
    [r] = _import(fresh_db, synthetic_data, "sales_2020")
    rows = fresh_db.execute("SELECT * FROM video_sales ORDER BY rowid").fetchall()
    assert len(rows) == r.stored == r.read
    broken = [x for x in rows if x["gross_broken"]]
    assert len(broken) == 1 and broken[0]["gross_first_myen"] is None
    assert sum(x["avg_sales_suspect"] for x in rows) == 1
    assert any(x["mal_id"] is None for x in rows) and any(x["mal_id"] for x in rows)
    obs = fresh_db.execute("SELECT count(*) FROM observation WHERE observed_at='2020-10-13'"
                           ).fetchone()[0]
    assert obs == 3 * sum(1 for x in rows if x["mal_id"])


def test_source_works(fresh_db, synthetic, synthetic_data) -> None:
    _path, cat = synthetic
    manga, ln, best = _import(fresh_db, synthetic_data, "manga_2023", "ln_2025",
                              "bestselling_2024")
    assert manga.skipped["row shifted by a column (Type is not a type)"] == 1
    for mid, (_title, _type, vols, y0, y1) in cat.manga.items():
        row = fresh_db.execute("SELECT * FROM source_work WHERE manga_id=?", (mid,)).fetchone()
        assert row["volumes"] == vols and row["start_year"] == y0 and row["end_year"] == y1
        assert row["status"] == ("finished" if y1 else "ongoing")
        assert row["as_of"] == "2023-12-04"
    # light novels: N/A score stored as nothing; a novel missing from 2023 becomes a work
    assert fresh_db.execute("SELECT title FROM source_work WHERE manga_id=8888").fetchone()
    assert not fresh_db.execute(
        "SELECT 1 FROM observation WHERE entity_id=8888 AND metric='score'").fetchone()
    rows = fresh_db.execute("SELECT * FROM manga_sales ORDER BY title").fetchall()
    assert [r["end_year"] for r in rows if r["title"] == "Unknown Hit"] == [None]
    assert sum(r["manga_id"] is not None for r in rows) == 1


def test_crosswalks(fresh_db, synthetic, synthetic_data) -> None:
    _path, cat = synthetic
    ids, seasons = _import(fresh_db, synthetic_data, "ids_2024", "tvdb_seasons_2026")
    assert ids.skipped["no MAL id"] == 1
    assert ids.stored == len(cat.shows)
    s2 = next(s for s in cat.shows if s.season_number == 2)
    row = fresh_db.execute(
        "SELECT t.tvdb_season FROM crosswalk c JOIN tvdb_season t USING (anidb_id)"
        " WHERE c.mal_id=?", (s2.mal_id,)).fetchone()
    assert row[0] == 2


def test_rules(fresh_db, synthetic, synthetic_data) -> None:
    _path, cat = synthetic
    [r] = _import(fresh_db, synthetic_data, "sequel_rules_2026")
    assert r.skipped["no MAL id on one side"] == 1
    got = {(a, b) for a, b in fresh_db.execute("SELECT from_mal_id, to_mal_id FROM sequel_rule")}
    assert got == set(cat.sequels[:3])


@pytest.mark.parametrize(
    "line, expected",
    [
        ("41380|43367|116242:13-24 -> 44881|43883|127366:1-12!",
         (41380, "13-24", 44881, "1-12", True)),
        ("6682|4662|6682:13 -> ~|~|~:0", (6682, "13", 6682, "0", False)),
        ("?|1|2:1 -> 5|6|7:1", (None, "1", 5, "1", False)),
    ],
)
def test_parse_rule(line, expected) -> None:
    assert parse_rule(line) == expected


def test_parse_rule_rejects_garbage() -> None:
    with pytest.raises(ValueError):
        parse_rule("41380 -> 44881")
