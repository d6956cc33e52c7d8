"""Series status from every dated source (link/status.py), on a hand-made store."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from nextseason.link.status import ArticleStatement, series_status
from nextseason.store import connect

TODAY = "2026-11-30"
OLD, NEW, XWALK, TVDB, RULES = 1, 2, 3, 4, 5


@pytest.fixture
def db(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    conn = connect(tmp_path / "status.db")
    conn.executemany(
        "INSERT INTO snapshot (id, name, kind, as_of, file, content_hash, row_count,"
        " stored_count) VALUES (?, ?, ?, ?, 'f', 'h', 10, 10)",
        [(OLD, "cat_2021", "catalogue", "2021-01-24"), (NEW, "cat_2025", "catalogue",
                                                        "2025-03-24"),
         (XWALK, "ids_2024", "crosswalk", "2024-05-07"),
         (TVDB, "tvdb_2026", "crosswalk", "2026-06-30"),
         (RULES, "rules_2026", "rules", "2026-08-03")])
    yield conn
    conn.close()


def add(conn: sqlite3.Connection, mal_id: int, title: str, *, start: str | None,
        status: str = "finished", type_: str = "TV", snaps: tuple[int, ...] = (NEW,),
        franchise: int = 1, old_status: str | None = None) -> None:
    last = max(snaps)
    conn.execute(
        "INSERT INTO anime (mal_id, title, type, start_date, status, first_snapshot,"
        " last_snapshot, franchise_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (mal_id, title, type_, start, status, min(snaps), last, franchise))
    for s in snaps:
        st = old_status if (s == OLD and old_status) else status
        conn.execute(
            "INSERT INTO anime_version (mal_id, snapshot_id, title, type, start_date, status)"
            " VALUES (?, ?, ?, ?, ?, ?)", (mal_id, s, title, type_, start, st))
    conn.execute("INSERT OR IGNORE INTO franchise (id, name, size) VALUES (?, ?, 1)",
                 (franchise, title))


def link(conn: sqlite3.Connection, a: int, b: int) -> None:
    conn.execute("INSERT INTO sequel_link (prequel_id, sequel_id, method, evidence)"
                 " VALUES (?, ?, 'title', 'test')", (a, b))


def test_undated_not_yet_aired_continuation_is_announced(db: sqlite3.Connection) -> None:
    add(db, 1, "Show", start="2021-01-11")
    add(db, 2, "Show II", start="2023-07-10")
    add(db, 3, "Show III", start=None, status="not_yet_aired")
    link(db, 1, 2)
    link(db, 2, 3)
    st = series_status(db, 1, TODAY)
    assert st.status == "announced" and st.next == 3 and st.latest == 2
    ev = st.evidence[0]
    assert ev.source == "catalogue" and ev.as_of == "2025-03-24"
    assert ev.says == "Show III is listed as not yet aired, no date"
    assert not st.shows_probabilities


def test_a_date_that_has_passed_is_shown_as_past(db: sqlite3.Connection) -> None:
    add(db, 1, "Show", start="2023-09-29")
    add(db, 2, "Show 2nd Season", start="2026-01", status="not_yet_aired")
    link(db, 1, 2)
    assert "was due January 2026" in series_status(db, 1, TODAY).evidence[0].says
    assert "was due" not in series_status(db, 1, "2025-12-01").evidence[0].says


def test_an_older_snapshot_cannot_set_todays_status(db: sqlite3.Connection) -> None:
    # listed as not yet aired in 2021, absent from 2025: it has aired since
    add(db, 1, "Hero", start="2016-04-03", snaps=(OLD, NEW))
    add(db, 2, "Hero 5th Season", start="2021-03-27", status="not_yet_aired", snaps=(OLD,))
    # listed as airing in 2021 only
    add(db, 3, "Other", start="2021-01-10", status="airing", snaps=(OLD,), franchise=3)
    link(db, 1, 2)
    st = series_status(db, 1, TODAY)
    assert st.status == "not announced" and st.latest == 2
    assert series_status(db, 3, TODAY).status == "not announced"
    # as of 2021 the old snapshot is the newest and does decide
    assert series_status(db, 1, "2021-02-01").status == "announced"
    assert series_status(db, 3, "2021-02-01").status == "airing"


def test_airing(db: sqlite3.Connection) -> None:
    add(db, 1, "Show", start="2020-01-01")
    add(db, 2, "Show 2nd Season", start="2025-01-05", status="airing")
    link(db, 1, 2)
    st = series_status(db, 1, TODAY)
    assert st.status == "airing" and "listed as airing" in st.evidence[0].says


def test_later_tvdb_season_the_catalogue_lacks_is_announced(db: sqlite3.Connection) -> None:
    add(db, 1, "Dungeon", start="2024-01-04")
    db.execute("INSERT INTO crosswalk (mal_id, anidb_id, snapshot_id) VALUES (1, 100, ?)",
               (XWALK,))
    db.executemany("INSERT INTO tvdb_season (anidb_id, tvdb_id, tvdb_season, snapshot_id)"
                   " VALUES (?, 9, ?, ?)", [(100, 1, TVDB), (200, 2, TVDB)])
    st = series_status(db, 1, TODAY)
    assert st.status == "announced"
    assert st.evidence[0].source == "crosswalk" and st.evidence[0].as_of == "2026-06-30"
    assert "season 2" in st.evidence[0].says and "title and date unknown" in st.evidence[0].says
    # before the crosswalk's date it is not known
    assert series_status(db, 1, "2026-01-01").status == "not announced"


def test_tvdb_season_already_in_the_catalogue_is_not_news(db: sqlite3.Connection) -> None:
    add(db, 1, "Dungeon", start="2024-01-04")
    add(db, 2, "Dungeon 2nd Season", start="2025-01-01")  # newer than the 2024 crosswalk
    link(db, 1, 2)
    db.execute("INSERT INTO crosswalk (mal_id, anidb_id, snapshot_id) VALUES (1, 100, ?)",
               (XWALK,))
    db.executemany("INSERT INTO tvdb_season (anidb_id, tvdb_id, tvdb_season, snapshot_id)"
                   " VALUES (?, 9, ?, ?)", [(100, 1, TVDB), (200, 2, TVDB)])
    assert series_status(db, 1, TODAY).status == "not announced"


def test_sequel_rule_to_an_entry_the_catalogue_lacks(db: sqlite3.Connection) -> None:
    add(db, 1, "Hell", start="2023-04-01")
    db.execute("INSERT INTO sequel_rule (from_mal_id, from_eps, to_mal_id, to_eps, line,"
               " snapshot_id) VALUES (1, '14-26', 555, '1-13', 7, ?)", (RULES,))
    st = series_status(db, 1, TODAY)
    assert st.status == "announced" and st.evidence[0].source == "rules"
    assert "555" in st.evidence[0].says and st.evidence[0].as_of == "2026-08-03"


def test_final_season_with_nothing_after_is_concluded(db: sqlite3.Connection) -> None:
    add(db, 1, "Titan", start="2013-04-07")
    add(db, 2, "Titan: The Final Season", start="2020-12-07")
    link(db, 1, 2)
    st = series_status(db, 1, TODAY)
    assert st.status == "concluded" and st.shows_probabilities


def test_articles_are_listed_but_never_decide(db: sqlite3.Connection) -> None:
    add(db, 1, "Quiet", start="2021-04-05")
    said = [ArticleStatement("announced", "season 2", "Fan Site", "2026-10-01", "…")]
    st = series_status(db, 1, TODAY, said)
    assert st.status == "not announced"
    assert st.articles[0].name == "Fan Site" and "announced" in st.articles[0].says
    # the crosswalk here has no TVDB season list, so only two sources were consulted
    assert [name for name, _ in st.checked] == ["MyAnimeList catalogue", "sequel rules"]


def test_a_film_belongs_to_the_series_it_follows(db: sqlite3.Connection) -> None:
    add(db, 1, "Show", start="2020-01-01")
    add(db, 2, "Show Movie", start="2021-01-01", type_="Movie")
    add(db, 3, "Show 2nd Season", start=None, status="not_yet_aired")
    link(db, 1, 2)
    link(db, 2, 3)
    st = series_status(db, 2, TODAY)
    assert st.series == [1, 3] and st.status == "announced"


def test_a_continuation_of_unknown_format_is_announced(db: sqlite3.Connection) -> None:
    add(db, 1, "Abyss", start="2017-07-07")
    add(db, 2, "Abyss: Golden City", start="2022-07-06")
    add(db, 3, "Abyss: Golden City (Zoku-hen)", start=None, status="not_yet_aired", type_="")
    link(db, 1, 2)
    link(db, 1, 3)  # linked from season 1 although season 2 came since
    st = series_status(db, 1, TODAY)
    assert st.status == "announced" and st.next == 3 and st.latest == 2
    assert st.evidence[0].says.endswith("no date, format not yet known")


def test_rules_that_number_the_whole_series_from_its_first_season(
        db: sqlite3.Connection) -> None:
    add(db, 1, "Hero", start="2016-04-03")
    add(db, 2, "Hero 2nd Season", start="2017-04-01")
    link(db, 1, 2)
    db.executemany("INSERT INTO sequel_rule (from_mal_id, from_eps, to_mal_id, to_eps, line,"
                   " snapshot_id) VALUES (1, ?, ?, '1-12', ?, ?)",
                   [("14-38", 2, 1, RULES), ("39-50", 777, 2, RULES)])
    st = series_status(db, 1, TODAY)
    assert st.status == "announced" and "777" in st.evidence[0].says
