"""Adaptation links: stated relations, inherited along sequel chains, and title matches."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from nextseason.link.adaptation import link_adaptations, predict_title_links
from nextseason.store import connect


def _catalogue(conn: sqlite3.Connection) -> None:
    conn.execute("INSERT INTO snapshot (id, name, kind, as_of, file, content_hash, row_count,"
                 " stored_count) VALUES (1, 'mal_2018', 'catalogue', '2018-06-30', 'f', 'h', 0, 0)")
    rows = [
        # mal_id, title, type, source_type, start
        (1, "Kumo no Hana", "TV", "Light novel", "2016-04-01"),
        (2, "Kumo no Hana 2nd Season", "TV", "Light novel", "2019-04-01"),
        (3, "Kumo no Hana 3rd Season", "TV", "Light novel", "2023-04-01"),
        (4, "Umi no Koe: Kaze-hen", "TV", "Manga", "2024-01-01"),
        (5, "Futari no Sora", "TV", "Manga", "2024-01-01"),  # two works share the title
        (6, "Hoshi Monogatari", "TV", "Manga", "2010-01-01"),  # work starts after the show
        (7, "Tsuki no Uta", "TV", "Light novel", "2024-01-01"),  # a manga of that name only
    ]
    for mal_id, title, type_, source, start in rows:
        conn.execute("INSERT INTO anime (mal_id, title, type, source_type, start_date,"
                     " first_snapshot, last_snapshot) VALUES (?,?,?,?,?,1,1)",
                     (mal_id, title, type_, source, start))
    works = [
        (100, "Kumo no Hana", "Light Novel", 2012),
        (101, "Umi no Koe", "Manga", 2015),
        (102, "Futari no Sora", "Manga", 2010),
        (103, "Futari no Sora", "Manhwa", 2012),
        (104, "Hoshi Monogatari", "Manga", 2012),
        (105, "Tsuki no Uta", "Manga", 2020),
    ]
    for manga_id, title, type_, year in works:
        conn.execute("INSERT INTO source_work (manga_id, title, type, start_year, as_of,"
                     " snapshot_id) VALUES (?,?,?,?,'2023-12-04',1)",
                     (manga_id, title, type_, year))
    conn.execute("INSERT INTO relation VALUES (1, 100, 'manga', 'Adaptation', 1)")
    conn.executemany("INSERT INTO sequel_link VALUES (?, ?, 'title', 'x')", [(1, 2), (2, 3)])


def test_link_adaptations(tmp_path: Path) -> None:
    conn = connect(tmp_path / "a.db")
    _catalogue(conn)
    stats = link_adaptations(conn)
    links = {r[0]: (r[1], r[2]) for r in conn.execute(
        "SELECT mal_id, manga_id, method FROM adaptation_link")}
    assert links[1] == (100, "relation")
    assert links[2] == (100, "franchise") and links[3] == (100, "franchise")  # down the chain
    assert links[4] == (101, "title")  # base title without its arc subtitle
    assert 5 not in links  # ambiguous: two works of that title and type
    assert 6 not in links  # the work began after the show
    assert 7 not in links  # source types disagree
    assert (stats.relation, stats.franchise, stats.title) == (1, 2, 1)
    before = sorted(map(tuple, conn.execute("SELECT * FROM adaptation_link")))
    link_adaptations(conn)
    assert sorted(map(tuple, conn.execute("SELECT * FROM adaptation_link"))) == before


def test_predict_title_links_only_for_asked_ids(tmp_path: Path) -> None:
    conn = connect(tmp_path / "a.db")
    _catalogue(conn)
    assert set(predict_title_links(conn, {4})) == {4}
    assert predict_title_links(conn, {4})[4][0] == 101
