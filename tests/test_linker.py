"""The linker on a tiny in-memory catalogue: each source, conflicts, franchises, reruns."""

from __future__ import annotations

import sqlite3

import pytest

from nextseason.link import link_catalogue, predict_sequel_edges
from nextseason.store import connect

# mal_id, title, type, start_date, episodes, end_date
ANIME = [
    (1, "Alpha Quest", "TV", "2010-04-01", 12, "2010-06-20"),
    (2, "Alpha Quest 2nd Season", "TV", "2012-04-01", 12, "2012-06-20"),
    (3, "Alpha Quest: Recap Special", "Special", "2011-01-01", 1, "2011-01-01"),
    (4, "Beta Days", "TV", "2013-01-01", 12, "2013-03-20"),
    (5, "Beta Days Season 3", "TV", "2017-01-01", 12, "2017-03-20"),
    (6, "Beta Days Season 2", "TV", "2015-01-01", 12, "2015-03-20"),
    (7, "Gamma Hearts", "TV", "2014-01-01", 12, "2014-03-20"),
    (8, "Omega Chronicle", "TV", "2016-01-01", 12, "2016-03-20"),
    (9, "Delta Run", "TV", "2018-01-01", 12, "2018-03-20"),
    (10, "Delta Run Continued", "TV", "2019-01-01", 12, "2019-03-20"),
    (11, "Lonely Show", "TV", "2019-01-01", 12, "2019-03-20"),
    (12, "Hunter Quest", "TV", "2000-01-01", 50, "2001-01-01"),
    (13, "Hunter Quest (2011)", "TV", "2011-01-01", 50, "2012-01-01"),
]


def _catalogue() -> sqlite3.Connection:
    conn = connect(":memory:")
    conn.executemany(
        "INSERT INTO snapshot (id, name, kind, as_of, file, content_hash, row_count,"
        " stored_count) VALUES (?, ?, ?, ?, 'f', 'h', 0, 0)",
        [(1, "mal_2018", "catalogue", "2018-06-30"), (2, "jikan_2021", "catalogue", "2021-01-24"),
         (3, "ids", "crosswalk", "2024-05-07"), (4, "rules", "rules", "2026-08-03")],
    )
    conn.executemany(
        "INSERT INTO anime (mal_id, title, type, start_date, start_precision, episodes,"
        " end_date, first_snapshot, last_snapshot) VALUES (?, ?, ?, ?, 'day', ?, ?, 1, 2)",
        ANIME,
    )
    conn.executemany(
        "INSERT INTO title (mal_id, title, kind, lang, norm, snapshot_id)"
        " VALUES (?, ?, 'main', 'ja-Latn', lower(?), 1)",
        [(a[0], a[1], a[1]) for a in ANIME],
    )
    relations = [
        (1, 3, "Sequel", 2), (3, 1, "Prequel", 2),      # TV -> special (2021)
        (3, 2, "Sequel", 2),                            # special -> TV (2021)
        (4, 7, "Side story", 1),                        # joins Gamma to Beta's franchise
    ]
    conn.executemany(
        "INSERT INTO relation (from_id, to_id, to_type, kind, snapshot_id)"
        " VALUES (?, ?, 'anime', ?, ?)", relations,
    )
    # TVDB: Gamma Hearts season 1 -> Omega Chronicle season 2 (no title in common).
    conn.executemany(
        "INSERT INTO crosswalk (mal_id, anidb_id, tvdb_id, snapshot_id) VALUES (?, ?, ?, 3)",
        [(7, 107, 900), (8, 108, 900)],
    )
    conn.executemany(
        "INSERT INTO tvdb_season (anidb_id, tvdb_id, tvdb_season, snapshot_id)"
        " VALUES (?, ?, ?, 3)", [(107, 900, 1), (108, 900, 2)],
    )
    conn.executemany(
        "INSERT INTO sequel_rule (from_mal_id, from_eps, to_mal_id, to_eps, line, snapshot_id)"
        " VALUES (?, ?, ?, ?, ?, 4)",
        [(9, "13-24", 10, "1-12", 10), (11, "1-12", 11, "1-12", 11)],  # 11 -> 11 ignored
    )
    return conn


@pytest.fixture
def conn() -> sqlite3.Connection:
    return _catalogue()


def _edges(conn: sqlite3.Connection, **kw: object) -> dict[tuple[int, int], str]:
    return {(e.prequel_id, e.sequel_id): e.method
            for e in predict_sequel_edges(conn, **kw)}  # type: ignore[arg-type]


def test_relations_are_the_most_trusted_source(conn: sqlite3.Connection) -> None:
    edges = _edges(conn)
    # The 2021 relations route Alpha through its special; the title edge 1 -> 2 loses.
    assert edges[(1, 3)] == "relation" and edges[(3, 2)] == "relation"
    assert (1, 2) not in edges


def test_without_relations_the_title_links_the_seasons(conn: sqlite3.Connection) -> None:
    edges = _edges(conn, relation_snapshots=[])
    assert edges[(1, 2)] == "title"
    # "Season 3" follows "Season 2", not the latest earlier entry of any season.
    assert edges[(4, 6)] == "title" and edges[(6, 5)] == "title"
    assert (4, 5) not in edges


def test_relation_snapshots_filter(conn: sqlite3.Connection) -> None:
    assert (1, 3) not in _edges(conn, relation_snapshots=["mal_2018"])
    assert (1, 3) in _edges(conn, relation_snapshots=["jikan_2021"])


def test_tvdb_and_rules(conn: sqlite3.Connection) -> None:
    edges = _edges(conn, relation_snapshots=[], use_titles=False)
    assert edges[(7, 8)] == "tvdb"
    assert edges[(9, 10)] == "rule"
    assert all(a != b for a, b in edges)  # the self-redirect rule is ignored
    assert (7, 8) not in _edges(conn, use_tvdb=False)
    assert (9, 10) not in _edges(conn, use_rules=False)


def test_a_remake_is_not_a_sequel(conn: sqlite3.Connection) -> None:
    assert (12, 13) not in _edges(conn)


def test_sequel_must_start_after_prequel_and_no_cycles(conn: sqlite3.Connection) -> None:
    conn.execute("INSERT INTO sequel_rule VALUES (10, '1-12', 9, '13-24', 12, 4)")
    edges = _edges(conn, relation_snapshots=[])
    assert (9, 10) in edges and (10, 9) not in edges
    conn.execute("INSERT INTO relation VALUES (2, 1, 'anime', 'Sequel', 1)")
    edges = _edges(conn)
    prequels = [b for _, b in edges]
    assert len(prequels) == len(set(prequels))  # one direct prequel per sequel
    assert not ((1, 2) in edges and (2, 1) in edges)


def test_link_catalogue_writes_links_and_franchises(conn: sqlite3.Connection) -> None:
    stats = link_catalogue(conn)
    assert stats.sequel_links == conn.execute("SELECT count(*) FROM sequel_link").fetchone()[0]
    fr = {r[0]: r[1] for r in conn.execute("SELECT mal_id, franchise_id FROM anime")}
    assert fr[1] == fr[2] == fr[3] == 1
    assert fr[4] == fr[5] == fr[6] == fr[7] == fr[8] == 4  # side story + tvdb join them
    assert fr[11] == 11
    name, size = conn.execute("SELECT name, size FROM franchise WHERE id = 4").fetchone()
    assert (name, size) == ("Beta Days", 5)


def test_link_catalogue_is_idempotent(conn: sqlite3.Connection) -> None:
    def dump() -> tuple[list[tuple[object, ...]], ...]:
        return tuple(
            [tuple(r) for r in conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2")]
            for t in ("sequel_link", "franchise")
        ) + ([tuple(r) for r in conn.execute("SELECT mal_id, franchise_id FROM anime")],)

    first = link_catalogue(conn)
    tables = dump()
    assert link_catalogue(conn) == first
    assert dump() == tables
