"""The right show or a clear "not here" (catalogue/resolve.py, search confidence)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from nextseason.catalogue.resolve import check_query, resolve_anime
from nextseason.errors import NotFoundError, QueryError
from nextseason.search.index import CONFIDENT, match_confidence
from nextseason.search.normalize import normalize
from nextseason.store import connect

# mal_id, titles (kind, title), type, start, members, franchise
SHOWS = [
    (100, [("main", "Jujutsu Kaisen Official PVs"), ("english", "Jujutsu Kaisen")], "PV",
     "2018-12-03", 50_000, 1),
    (101, [("main", "Jujutsu Kaisen (TV)")], "TV", "2020-10-03", 500_000, 1),
    (102, [("main", "Jujutsu Kaisen 2nd Season")], "TV", "2023-07-06", 1_100_000, 1),
    (200, [("main", "Chainsaw Maid")], "ONA", "2007-01-01", 8_000, 2),
    (300, [("main", "Hoshi no Koe")], "OVA", "2002-02-02", 100_000, 3),
    (400, [("main", "Shingeki no Kyojin"), ("english", "Attack on Titan")], "TV",
     "2013-04-07", 2_400_000, 4),
    (401, [("main", "Shingeki no Kyojin Season 3"), ("english", "Attack on Titan Season 3")],
     "TV", "2018-07-23", 2_500_000, 4),
    (500, [("main", "Hataraku Maou-sama!"), ("english", "The Devil is a Part-Timer!")], "TV",
     "2013-04-04", 1_000_000, 5),
]


@pytest.fixture
def db(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    conn = connect(tmp_path / "resolve.db")
    conn.execute("INSERT INTO snapshot (id, name, kind, as_of, file, content_hash, row_count,"
                 " stored_count) VALUES (1, 'cat', 'catalogue', '2025-03-24', 'f', 'h',"
                 " 15050, 15050)")
    for mal_id, titles, type_, start, members, fr in SHOWS:
        conn.execute("INSERT OR IGNORE INTO franchise (id, name, size) VALUES (?, 'f', 1)",
                     (fr,))
        conn.execute("INSERT INTO anime (mal_id, title, type, start_date, first_snapshot,"
                     " last_snapshot, franchise_id) VALUES (?, ?, ?, ?, 1, 1, ?)",
                     (mal_id, titles[0][1], type_, start, fr))
        for kind, title in titles:
            conn.execute("INSERT INTO title (mal_id, title, kind, lang, norm, snapshot_id)"
                         " VALUES (?, ?, ?, 'und', ?, 1)", (mal_id, title, kind,
                                                            normalize(title)))
        conn.execute("INSERT INTO observation (entity_type, entity_id, metric, value,"
                     " observed_at, snapshot_id) VALUES ('anime', ?, 'members', ?,"
                     " '2025-03-24', 1)", (mal_id, members))
    yield conn
    conn.close()


def test_exact_alias_opens_the_show(db: sqlite3.Connection) -> None:
    assert resolve_anime(db, "Attack on Titan") == 400
    assert resolve_anime(db, "attack on titan season 3") == 401
    assert resolve_anime(db, "400") == 400


def test_franchise_name_opens_its_main_tv_series_never_a_pv(db: sqlite3.Connection) -> None:
    assert resolve_anime(db, "Jujutsu Kaisen") == 101  # "(TV)" is MAL's disambiguator


def test_first_words_of_a_franchise_open_its_first_season(db: sqlite3.Connection) -> None:
    assert resolve_anime(db, "Attack") == 400


def test_typo_within_one_edit_per_eight_characters(db: sqlite3.Connection) -> None:
    assert resolve_anime(db, "shingeki no kyojn") == 400
    assert resolve_anime(db, "Devil is a Part-Timer") == 500  # a missing "The" is no typo


@pytest.mark.parametrize("query", ["Chainsaw Man", "Oshi no Ko", "Blue Lock"])
def test_a_missing_show_is_not_answered_about_another(db: sqlite3.Connection,
                                                      query: str) -> None:
    with pytest.raises(NotFoundError) as info:
        resolve_anime(db, query)
    err = info.value
    assert str(err).startswith(f"No show called {query!r} in the catalogue (a 15,050-entry"
                               " subset of MyAnimeList as of 24 March 2025).")
    assert err.to_dict()["error"] == "not_found" and err.to_dict()["query"] == query
    assert isinstance(err.candidates, list)


def test_unknown_id(db: sqlite3.Connection) -> None:
    with pytest.raises(NotFoundError):
        resolve_anime(db, "999")
    with pytest.raises(NotFoundError):
        resolve_anime(db, "1" * 24)  # a 24-digit id is no id, and no overflow either


@pytest.mark.parametrize(("query", "words"), [
    ("", "empty"), ("   ", "empty"), ("!!!", "no letters"), ("x", "too short"),
    ("☆", "no letters"), ("a" * 10_000, "characters long")])
def test_queries_that_cannot_name_a_show(db: sqlite3.Connection, query: str,
                                         words: str) -> None:
    with pytest.raises(QueryError, match=words):
        resolve_anime(db, query)
    with pytest.raises(QueryError):
        check_query(query)


def test_confidence_levels() -> None:
    assert match_confidence("attack on titan", "attack on titan", "exact") == 1.0
    assert match_confidence("hige wo soru", "hige wo soru soshite", "prefix") >= CONFIDENT
    assert match_confidence("hi", "hige wo soru", "prefix") < CONFIDENT
    assert match_confidence("shingeki no kyojn", "shingeki no kyojin", "fuzzy") >= CONFIDENT
    assert match_confidence("chainsaw man", "chainsaw maid", "fuzzy") < CONFIDENT
    assert match_confidence("oshi no ko", "hoshi no koe", "fuzzy") < CONFIDENT


def test_a_recap_alone_is_not_the_show(db: sqlite3.Connection) -> None:
    db.execute("INSERT INTO anime (mal_id, title, type, start_date, first_snapshot,"
               " last_snapshot, franchise_id) VALUES (900, 'Zombie Days Recap', 'TV Special',"
               " '2023-09-10', 1, 1, NULL)")
    db.execute("INSERT INTO title (mal_id, title, kind, lang, norm, snapshot_id) VALUES"
               " (900, 'Zombie Days Recap', 'main', 'und', 'zombie days recap', 1)")
    with pytest.raises(NotFoundError):
        resolve_anime(db, "Zombie Days")  # the series is missing: say so, not its recap
