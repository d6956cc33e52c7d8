"""Reconciliation: the four classes, the best-value rule, and order independence."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nextseason.claims.model import Claim
from nextseason.claims.reconcile import normalize_qualifier, reconcile
from nextseason.store import connect


@pytest.fixture(scope="module")
def conn(tmp_path_factory: pytest.TempPathFactory) -> sqlite3.Connection:
    c = connect(tmp_path_factory.mktemp("rec") / "r.db")
    c.execute("INSERT INTO snapshot (id, name, kind, as_of, file, content_hash, row_count,"
              " stored_count) VALUES (1, 'jikan_2025', 'catalogue', '2025-03-24', 'f', 'h', 0, 0),"
              " (2, 'manga_2023', 'source_works', '2023-12-04', 'f', 'h', 0, 0)")
    c.execute("INSERT INTO anime (mal_id, title, type, source_type, episodes, start_date,"
              " end_date, status, first_snapshot, last_snapshot) VALUES (1, 'Kumo no Hana',"
              " 'TV', 'Light novel', 12, '2021-04-05', '2021-06-28', 'finished', 1, 1)")
    c.execute("INSERT INTO source_work VALUES (100, 'Kumo no Hana', 'Light Novel', 5, 2018,"
              " 2021, 'finished', '2023-12-04', 2)")
    c.execute("INSERT INTO adaptation_link VALUES (1, 100, 'relation', 'x')")
    return c


def _claim(field: str, value: object, quote: str, article: str, as_of: str | None,
           qualifier: str | None = None) -> Claim:
    return Claim(field, value, qualifier, "Kumo no Hana", 1, quote, 0, len(quote), article,
                 as_of, 0.9)


CLAIMS = [
    _claim("premiere_date", "2021-04-05", "aired from April 5, 2021", "a1", "2021-07-01",
           "season 1"),
    _claim("premiere_date", "2021-06-05", "Release date: 5 june 2021", "a1", "2021-07-01",
           "first season"),
    _claim("episode_count", 12, "a total of 12 episodes", "a2", "2021-08-01", "Season 1"),
    _claim("source_volume_count", 3, "three volumes so far", "a3", "2019-05-01"),
    _claim("source_volume_count", 5, "five volumes", "a2", "2021-08-01"),
    _claim("source_start", "2017-03", "serialized online on Kakuyomu from March 2017",
           "a2", "2021-08-01"),
    _claim("studio", "Studio Alpha", "animated by Studio Alpha", "a1", "2021-07-01"),
    _claim("studio", "Studio Beta", "by studio Studio Beta", "a3", "2019-05-01"),
    _claim("predicted_window", "unlikely", "a second season seems unlikely", "a2",
           "2021-08-01"),
]


def _groups(rec):
    return {(g.field, g.qualifier): g for g in rec.groups}


def test_classes_and_best_values(conn: sqlite3.Connection) -> None:
    rec = reconcile(conn, 1, CLAIMS)
    g = _groups(rec)
    premiere = g[("premiere_date", "season 1")]
    assert premiere.status == "conflicts" and premiere.best_value == "2021-04-05"
    assert "catalogue" in premiere.reason
    assert {e.value for e in premiere.evidence} == {"2021-04-05", "2021-06-05"}
    assert all(e.quote for e in premiere.evidence if e.source == "article")
    assert g[("episode_count", "season 1")].status == "agrees"
    volumes = g[("source_volume_count", None)]
    assert volumes.status == "changed over time" and volumes.best_value == 5
    assert g[("source_start", None)].status == "different things"
    studio = g[("studio", None)]
    assert studio.status == "conflicts" and studio.best_value == "Studio Alpha"  # newer article
    outlook = g[("predicted_window", None)]
    assert outlook.status == "outlook" and outlook.best_value is None
    assert not any(grp.field == "renewal_status" for grp in rec.groups)
    assert rec.articles == 3


@settings(max_examples=25, deadline=None)
@given(st.permutations(CLAIMS))
def test_order_does_not_matter(conn: sqlite3.Connection, claims: list[Claim]) -> None:
    a, b = reconcile(conn, 1, CLAIMS), reconcile(conn, 1, list(claims))
    key = lambda r: {(g.field, g.qualifier): (g.status, g.best_value) for g in r.groups}  # noqa: E731
    assert key(a) == key(b)


@pytest.mark.parametrize("raw, expected", [
    ("Season 1", "season 1"), ("first season", "season 1"), ("the 2nd season", "season 2"),
    ("S3", "season 3"), (None, None), ("first week", "first week"),
])
def test_qualifiers(raw: str | None, expected: str | None) -> None:
    assert normalize_qualifier("premiere_date", raw) == expected


def test_rating_sites() -> None:
    assert normalize_qualifier("rating", "MyAnimeList") == "myanimelist"
    assert normalize_qualifier("rating", "MAL") == "myanimelist"


def test_uses_catalogue_facts(tmp_path: Path, conn: sqlite3.Connection) -> None:
    rec = reconcile(conn, 1, [_claim("source_volume_count", 5, "five volumes", "a9",
                                     "2024-01-01")])
    g = _groups(rec)[("source_volume_count", None)]
    assert g.status == "agrees" and any(e.source == "catalogue" for e in g.evidence)
