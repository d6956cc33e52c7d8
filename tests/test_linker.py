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


# Announced and airing continuations (issue 8): mal_id, title, type, start, episodes, end, status
UPCOMING = [
    (101, "Kappa Tensei", "TV", "2020-01-01", 12, "2020-03-20", "finished"),
    (102, "Kappa Tensei Part 2", "TV", "2020-10-01", 12, "2020-12-20", "finished"),
    (103, "Kappa Tensei II", "TV", "2023-07-01", 12, "2023-09-20", "finished"),
    (104, "Kappa Tensei II Part 2", "TV", "2024-04-01", 12, "2024-06-20", "finished"),
    (105, "Kappa Tensei III", "TV", None, None, None, "not_yet_aired"),
    (111, "Lumen Days", "TV", "2023-10-01", 12, "2023-12-20", "finished"),
    (112, "Lumen Days: Mini Anime", "ONA", "2023-10-10", 12, "2024-01-01", "finished"),
    (113, "Lumen Days 2nd Season", "TV", None, None, None, "not_yet_aired"),
    (117, "Nova Saga", "TV", "2022-01-01", 12, "2022-03-20", "finished"),
    (114, "Nova Saga 2nd Season: Recap", "ONA", None, None, None, "not_yet_aired"),
    (115, "Nova Saga 2nd Season: Chibi Theater", "ONA", None, None, None, "not_yet_aired"),
    (116, "Nova Saga 2nd Season: PV", "ONA", None, None, None, "not_yet_aired"),
    (121, "Borto Generations", "TV", "2017-04-01", 293, "2023-03-20", "finished"),
    (122, "Borto Generations Part 2", "TV", None, None, None, "not_yet_aired"),
    (131, "Golden Hunt", "TV", "2018-04-01", 12, "2018-06-20", "finished"),
    (132, "Golden Hunt 3rd Season", "TV", "2020-10-01", 12, "2020-12-20", "finished"),
    (133, "Golden Hunt: Final Season", "TV", None, None, None, "not_yet_aired"),
    (141, "Ace of Base", "TV", "2013-10-01", 75, "2015-03-20", "finished"),
    (142, "Ace of Base: Second Season", "TV", "2015-04-01", 51, "2016-03-20", "finished"),
    (143, "Ace of Base: Act II", "TV", "2019-04-01", 52, "2020-03-20", "finished"),
    (144, "Ace of Base: Act II (Zoku-hen)", "TV", None, None, None, "not_yet_aired"),
    (151, "Sorcery Fight", "TV", "2020-10-01", 24, "2021-03-20", "finished"),
    (152, "Sorcery Fight 2nd Season", "TV", "2023-07-01", 23, "2023-12-20", "finished"),
    (153, "Sorcery Fight: Culling Game", "TV", None, None, None, "not_yet_aired"),
    (161, "Ranna", "TV", "1989-04-01", 161, "1992-09-20", "finished"),
    (162, "Ranna (2024)", "TV", "2024-10-01", 12, "2024-12-20", "finished"),
    (163, "Ranna (2024) 2nd Season", "TV", None, None, None, "not_yet_aired"),
    (164, "Ranna (2026)", "TV", None, None, None, "not_yet_aired"),
    (165, "Hopper", "TV", "2008-01-01", 52, "2008-12-20", "finished"),
    (166, "Hopper (2023) 2nd Season", "TV", None, None, None, "not_yet_aired"),
    (171, "Camp Days", "TV", "2018-01-01", 12, "2018-03-20", "finished"),
    (172, "Camp Days Season 2", "TV", "2021-01-01", 13, None, "airing"),  # stale status
    (173, "Camp Days Season 4", "TV", None, None, None, "not_yet_aired"),
    (181, "Old Saga", "TV", "2010-01-01", 12, "2010-03-20", "finished"),
    (182, "Old Saga Season 4", "TV", "2012-01-01", 12, "2012-03-20", "finished"),
    (183, "Old Saga 2nd Season", "TV", None, 12, None, "finished"),  # undated, not upcoming
    (191, "Twin Peaks Quest 2nd Season", "TV", None, None, None, "not_yet_aired"),
    (192, "Twin Peaks Quest 3rd Season", "TV", None, None, None, "not_yet_aired"),
]


def _upcoming() -> sqlite3.Connection:
    conn = connect(":memory:")
    conn.executemany(
        "INSERT INTO snapshot (id, name, kind, as_of, file, content_hash, row_count,"
        " stored_count) VALUES (?, ?, ?, ?, 'f', 'h', 0, 0)",
        [(1, "jikan_2025", "catalogue", "2025-03-24"), (3, "ids", "crosswalk", "2024-05-07"),
         (4, "rules", "rules", "2026-08-03")],
    )
    conn.executemany(
        "INSERT INTO anime (mal_id, title, type, start_date, start_precision, episodes,"
        " end_date, status, first_snapshot, last_snapshot)"
        " VALUES (?, ?, ?, ?, 'day', ?, ?, ?, 1, 1)", UPCOMING,
    )
    conn.executemany(
        "INSERT INTO title (mal_id, title, kind, lang, norm, snapshot_id)"
        " VALUES (?, ?, 'main', 'ja-Latn', lower(?), 1)",
        [(a[0], a[1], a[1]) for a in UPCOMING],
    )
    # TVDB: Sorcery Fight seasons 1, 2 and the undated arc as season 3.
    conn.executemany(
        "INSERT INTO crosswalk (mal_id, anidb_id, tvdb_id, snapshot_id) VALUES (?, ?, 9, 3)",
        [(151, 1151), (152, 1152), (153, 1153)],
    )
    conn.executemany(
        "INSERT INTO tvdb_season (anidb_id, tvdb_id, tvdb_season, snapshot_id)"
        " VALUES (?, 9, ?, 3)", [(1151, 1), (1152, 2), (1153, 3)],
    )
    return conn


@pytest.fixture
def upcoming() -> sqlite3.Connection:
    return _upcoming()


def _prequel_of(conn: sqlite3.Connection, **kw: object) -> dict[int, tuple[int, str]]:
    return {e.sequel_id: (e.prequel_id, e.method)
            for e in predict_sequel_edges(conn, **kw)}  # type: ignore[arg-type]


def test_undated_numbered_season_follows_the_latest_part_of_the_season_before(
        upcoming: sqlite3.Connection) -> None:
    assert _prequel_of(upcoming)[105] == (104, "title")  # "III" -> "II Part 2"


def test_undated_2nd_season_follows_the_series_not_its_mini_anime(
        upcoming: sqlite3.Connection) -> None:
    assert _prequel_of(upcoming)[113] == (111, "title")


def test_undated_part_2_and_final_season(upcoming: sqlite3.Connection) -> None:
    links = _prequel_of(upcoming)
    assert links[122] == (121, "title")
    assert links[133] == (132, "title")


def test_zoku_hen_continues_the_entry_with_the_same_number(
        upcoming: sqlite3.Connection) -> None:
    # "Act II (Zoku-hen)" follows "Act II", not "Second Season" (also a season 2).
    assert _prequel_of(upcoming)[144] == (143, "title")


def test_arc_subtitle_sequel_needs_the_crosswalk(upcoming: sqlite3.Connection) -> None:
    assert _prequel_of(upcoming)[153] == (152, "tvdb")
    assert 153 not in _prequel_of(upcoming, use_tvdb=False)  # the title alone is not enough


def test_recaps_spin_offs_and_pvs_are_not_the_next_season(upcoming: sqlite3.Connection) -> None:
    links = _prequel_of(upcoming)
    for side in (114, 115, 116):  # recap, chibi theater, PV of a season 2
        assert side not in links
    assert 112 not in links and all(p != 112 for p, _ in links.values())  # mini anime


def test_a_sequel_of_an_edition_follows_that_edition_and_a_remake_follows_nothing(
        upcoming: sqlite3.Connection) -> None:
    links = _prequel_of(upcoming)
    assert links[163] == (162, "title")
    assert 162 not in links and 164 not in links
    assert 166 not in links  # the 2023 edition is missing; the 2008 series is another one


def test_an_announced_season_follows_the_latest_season_present(
        upcoming: sqlite3.Connection) -> None:
    # Season 3 is missing from the catalogue; season 2's "airing" status is stale.
    assert _prequel_of(upcoming)[173] == (172, "title")


def test_finished_undated_entries_and_two_undated_entries_stay_unordered(
        upcoming: sqlite3.Connection) -> None:
    links = _prequel_of(upcoming)
    assert 183 not in links  # finished and undated: its place is unknown
    assert 192 not in links  # both announced, neither dated


def test_rules_chain_past_entries_missing_from_the_catalogue(
        upcoming: sqlite3.Connection) -> None:
    # Golden Hunt episodes 13-24 -> 999 (not in the catalogue), 25-36 -> season 3.
    upcoming.executemany(
        "INSERT INTO sequel_rule (from_mal_id, from_eps, to_mal_id, to_eps, line, snapshot_id)"
        " VALUES (131, ?, ?, '1-12', ?, 4)", [("13-24", 999, 1), ("25-36", 132, 2)],
    )
    assert _prequel_of(upcoming, use_titles=False)[132] == (131, "rule")


def test_a_recap_listed_as_prequel_does_not_cut_the_first_season_off(
        conn: sqlite3.Connection) -> None:
    # The 2nd season lists both the first season and a recap special (that aired between
    # them) as its prequels, with equal trust: the TV season wins, so season 1 keeps its
    # sequel.
    conn.executemany(
        "INSERT INTO relation (from_id, to_id, to_type, kind, snapshot_id)"
        " VALUES (?, ?, 'anime', ?, 2)", [(2, 1, "Prequel"), (1, 2, "Sequel")])
    edges = _edges(conn)
    assert edges.get((1, 2)) == "relation"
    assert (3, 2) not in edges
