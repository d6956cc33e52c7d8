"""The store's typed reads and writes keep the behaviour of the SQL they replaced.

Each write that used to be ``INSERT OR IGNORE/REPLACE`` or ``lastrowid`` is now a portable
``ON CONFLICT`` / ``RETURNING``; these tests pin what callers rely on: a second insert of the
same key changes nothing (or replaces, where it did), ids come back, the newest snapshot
wins, and orders that used to come from SQLite-only words (``group_concat``, ``COLLATE
NOCASE``, ``x IS NULL, x``) are the same.
"""

from __future__ import annotations

import pytest

from nextseason.store import articles, catalogue, forecasts, observations, relations, sources
from nextseason.store.conn import atomic
from nextseason.store.snapshots import (
    finish_snapshot,
    newest_catalogue_date,
    newest_relation_date,
    snapshot_row_counts,
    upsert_snapshot,
)


def _snapshot(conn, name: str, as_of: str, kind: str = "catalogue") -> int:
    return upsert_snapshot(conn, name=name, kind=kind, as_of=as_of, file=f"{name}.json",
                           content_hash="0" * 64)


def _values(title: str, **kw):
    row = dict.fromkeys(catalogue.ANIME_COLUMNS)
    row.update(title=title, type="TV", **kw)
    return [row[c] for c in catalogue.ANIME_COLUMNS]


def test_a_snapshot_is_recorded_once_and_its_id_comes_back(fresh_db) -> None:
    with atomic(fresh_db):
        a = _snapshot(fresh_db, "mal_2018", "2018-06-01")
        again = _snapshot(fresh_db, "mal_2018", "2018-06-02")
        b = _snapshot(fresh_db, "jikan_2021", "2021-01-24")
        finish_snapshot(fresh_db, b, read=7, stored=5, skipped='{"x": 2}')
    assert a == again != b
    assert snapshot_row_counts(fresh_db) == {"mal_2018": 0, "jikan_2021": 7}
    assert newest_catalogue_date(fresh_db) == "2021-01-24"
    assert newest_relation_date(fresh_db) is None


def test_the_newest_snapshot_wins_whatever_the_import_order(fresh_db) -> None:
    with atomic(fresh_db):
        new = _snapshot(fresh_db, "jikan_2025", "2025-03-24")
        old = _snapshot(fresh_db, "mal_2018", "2018-06-01")
        catalogue.upsert_anime(fresh_db, 1, new, _values("New title", season_year=None))
        catalogue.upsert_anime(fresh_db, 1, old, _values("Old title", season_year=2012))
    row = catalogue.anime_row(fresh_db, 1)
    assert (row["title"], row["last_snapshot"], row["first_snapshot"]) == ("New title", new, old)


def test_titles_tags_and_relations_are_stored_once(fresh_db) -> None:
    with atomic(fresh_db):
        s = _snapshot(fresh_db, "mal_2018", "2018-06-01")
        catalogue.upsert_anime(fresh_db, 1, s, _values("Show"))
        added = [catalogue.add_title(fresh_db, 1, "Show", "main", "ja-Latn", "show", s)
                 for _ in range(2)]
        t1 = catalogue.add_tag(fresh_db, "studio", "Studio B")
        t2 = catalogue.add_tag(fresh_db, "studio", "Studio A")
        for tag in (t1, t2, t1):
            catalogue.add_anime_tag(fresh_db, 1, tag, s)
        for _ in range(2):
            relations.add_relation(fresh_db, 1, 2, "anime", "Sequel", s)
        observations.put_observation(fresh_db, "anime", 1, "members", 10, "2018-06-01", s)
        observations.put_observation(fresh_db, "anime", 1, "members", 12, "2018-06-01", s)
    assert added == [1, 0]
    assert t1 != t2 and catalogue.tag_ids(fresh_db) == {("studio", "Studio B"): t1,
                                                        ("studio", "Studio A"): t2}
    # studios in the order they were tagged (what group_concat gave), not alphabetical
    assert catalogue.studios(fresh_db, 1) == ["Studio B", "Studio A"]
    assert relations.sequel_relations(fresh_db, None) == [(1, 2, "Sequel", "mal_2018")]
    assert [tuple(r)[:2] for r in observations.observations_of(fresh_db, 1)] == [
        ("members", 12)]


def test_ignored_and_replaced_rows_are_counted_as_before(fresh_db) -> None:
    with atomic(fresh_db):
        s = _snapshot(fresh_db, "ids_2024", "2024-01-01", "crosswalk")
        row = (5, 50, 500, None, None, None, "tt0000001", None, "TV", s)
        assert [sources.add_crosswalk(fresh_db, row) for _ in range(2)] == [1, 0]
        sales = ["A", 1, None, None, None, 10, 2000, None, 1.5, 0.1, "2024-01-01", s]
        sources.put_manga_sales(fresh_db, sales)
        sources.put_manga_sales(fresh_db, [*sales[:8], 2.5, *sales[9:]])
    assert sources.crosswalk_ids(fresh_db, 5)["imdb_id"] == "tt0000001"
    assert fresh_db.execute("SELECT sales_millions FROM manga_sales").fetchall()[0][0] == 2.5


@pytest.mark.parametrize("prefix, expected", [
    ("higehiro", [1, 2]), ("HIGE", [1, 2]), ("A\\B", [3]), ("50%_", [4]),
])
def test_a_title_prefix_matches_either_case_and_nothing_special(fresh_db, prefix: str,
                                                                expected: list[int]) -> None:
    with atomic(fresh_db):
        s = _snapshot(fresh_db, "manga_2023", "2023-01-01", "source_works")
        for manga_id, title, year in ((2, "Higehiro: Another side", 2021), (1, "Higehiro", None),
                                      (3, "A\\B story", None), (4, "50 ways", None),
                                      (9, "Other", None)):
            sources.add_source_work(fresh_db, manga_id=manga_id, title=title, type="Manga",
                                    volumes=None, start_year=year, end_year=None,
                                    status=None, as_of="2023-01-01", snapshot_id=s)
    # unknown start years first (SQLite's NULL order, written out for PostgreSQL)
    assert [w["manga_id"] for w in sources.works_titled_like(fresh_db, prefix, 0)] == expected


def test_forecasts_are_replaced_in_one_transaction(fresh_db) -> None:
    with atomic(fresh_db):
        s = _snapshot(fresh_db, "jikan_2025", "2025-03-24")
        catalogue.upsert_anime(fresh_db, 1, s, _values("Show"))
        forecasts.replace_forecasts(
            fresh_db, [(1, "2025-03-24", "ensemble", "2020-01-01", 5.2, .1, .2, .3, .4, .5,
                        "[]", "[]", "[]", "{}")],
            [(1, 1, "", "not announced", None, None, None, None, None)])
    with pytest.raises(RuntimeError), atomic(fresh_db):
        forecasts.replace_forecasts(fresh_db, [], [])
        raise RuntimeError("the forecast failed half-way")
    assert forecasts.forecast_made(fresh_db) == ("2025-03-24", "ensemble")
    assert forecasts.series_of(fresh_db, 1) == (1, "")
    assert forecasts.forecast_row(fresh_db, 1)["latest_title"] == "Show"


def test_claims_are_stored_with_every_column_and_read_undated_last(fresh_db) -> None:
    with atomic(fresh_db):
        for aid, published in (("b", None), ("a", "2024-01-02")):
            articles.add_article(fresh_db, (aid, None, "T", published, "given", "txt", None,
                                            "Season 2", None, 7, None, None))
            articles.add_claims(fresh_db, [(aid, 0, "renewal_status", '"announced"', None,
                                            None, 7, "Season 2", 0, 8, published, 0.9)])
    rows = articles.claims_about(fresh_db, 7)
    assert [(r["article_id"], r["end"]) for r in rows] == [("a", 8), ("b", 8)]
    assert [r["id"] for r in articles.articles(fresh_db, 7)] == ["a", "b"]
    assert [r[2] for r in articles.status_claims_about(fresh_db, [7])] == ["b", "a"]
