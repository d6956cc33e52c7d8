"""The web app and the claims on PostgreSQL answer exactly as on SQLite.

One synthetic catalogue is built into both databases, the same article is ingested into
both, and every page and API answer is compared byte for byte."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from nextseason.cli import app as cli_app
from nextseason.fixtures import SyntheticCatalogue, write_synthetic_data
from nextseason.pipeline import build
from nextseason.store import connect_readonly
from nextseason.web import create_app

pytestmark = pytest.mark.postgresql
TODAY = "2026-11-30"


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory, pg_module_url: str
         ) -> tuple[str, str, SyntheticCatalogue, int]:
    """(SQLite path, PostgreSQL URL, the catalogue, the show an article is about), both
    built from the same raw files and given the same article."""
    folder = tmp_path_factory.mktemp("both")
    cat = write_synthetic_data(folder / "raw", seed=0, n_franchises=150)
    sqlite_db = str(folder / "n.db")
    show = next(s for s in cat.shows if s.type == "TV" and s.season_number == 1
                and 2015 <= s.start.year <= 2020)
    wrong = show.start.replace(day=1 if show.start.day != 1 else 2)
    article = folder / "article.txt"
    article.write_text(
        f"{show.title} Season 2: Will It Return?\n\n"
        f"The first season of {show.title} aired from {show.start:%B} {show.start.day},"
        f" {show.start.year}, to {show.end:%B} {show.end.day}, {show.end.year}, with a total"
        f" of {show.episodes} episodes.\n\nSeason 1 Release Date: {wrong:%B} {wrong.day},"
        f" {wrong.year}\n\nAs of now, there has been no official confirmation of a second"
        " season. A second season seems unlikely.\n", encoding="utf-8")
    for db in (sqlite_db, pg_module_url):
        build(folder / "raw", db)
        for _ in range(2):  # the second time changes nothing
            result = CliRunner().invoke(cli_app, [
                "ingest", str(article), "--published", "2021-07-01",
                "--url", "https://example.org/a", "--db", db])
            assert result.exit_code == 0, result.output
    return sqlite_db, pg_module_url, cat, show.mal_id


def _forecast_ids(db: str) -> list[int]:
    conn = connect_readonly(db)
    try:
        return [int(r[0]) for r in conn.execute("SELECT mal_id FROM forecast ORDER BY mal_id")]
    finally:
        conn.close()


@pytest.fixture(scope="module")
def clients(pair) -> Iterator[tuple[TestClient, TestClient]]:
    sqlite_db, pg, _cat, _show = pair
    with TestClient(create_app(sqlite_db, today=lambda: TODAY)) as a, \
            TestClient(create_app(pg, today=lambda: TODAY)) as b:
        yield a, b


def test_claims_are_the_same_on_both(pair) -> None:
    sqlite_db, pg, _cat, mal_id = pair
    out = [CliRunner().invoke(cli_app, ["claims", str(mal_id), "--json", "--db", db])
           for db in (sqlite_db, pg)]
    assert all(r.exit_code == 0 for r in out), [r.output for r in out]
    a, b = (json.loads(r.output) for r in out)
    assert a == b
    groups = {(g["field"], g["qualifier"]): g["status"] for g in a["groups"]}
    assert groups[("premiere_date", "season 1")] == "conflicts"
    assert groups[("finale_date", "season 1")] == "agrees"


@pytest.mark.parametrize("command", [
    ["outlook", "{id}", "--format", "json"], ["outlook", "{id}", "--format", "md"],
    ["forecast", "{id}", "--json"], ["show", "{id}", "--json"], ["search", "{title}", "--json"],
])
def test_commands_answer_the_same_on_both(pair, command: list[str]) -> None:
    sqlite_db, pg, cat, mal_id = pair
    title = next(s.title for s in cat.shows if s.mal_id == mal_id)
    args = [a.format(id=mal_id, title=title) for a in command]
    a, b = (CliRunner().invoke(cli_app, [*args, "--db", db]) for db in (sqlite_db, pg))
    assert a.exit_code == b.exit_code == 0, (a.output, b.output)
    assert a.output == b.output


def test_every_outlook_is_the_same_on_both(pair, clients) -> None:
    sqlite_db, _pg, _cat, _show = pair
    a, b = clients
    ids = _forecast_ids(sqlite_db)
    assert len(ids) > 50
    for mal_id in ids:
        ra, rb = a.get(f"/api/outlook/{mal_id}"), b.get(f"/api/outlook/{mal_id}")
        assert ra.status_code == rb.status_code == 200
        assert ra.content == rb.content, mal_id


def test_pages_are_the_same_on_both(pair, clients) -> None:
    _sqlite, _pg, cat, mal_id = pair
    a, b = clients
    title = next(s.title for s in cat.shows if s.mal_id == mal_id)
    seasons = sorted({(s.start.year, ("winter", "spring", "summer", "fall")[
        (s.start.month - 1) // 3]) for s in cat.shows if s.start})[::7]
    paths = ["/", f"/anime/{mal_id}", f"/anime/{mal_id}/timeline",
             f"/anime/{mal_id}/chart.svg", f"/api/timeline/{mal_id}", "/api",
             f"/api/search?q={title[:6]}", f"/search?q={title}", "/api/search?q=zz",
             "/anime/999999999", "/api/outlook/999999999"]
    for year, season in seasons:
        paths += [f"/season/{year}/{season}", f"/season/{year}/{season}?sort=title",
                  f"/api/season/{year}/{season}?sort=p_3y"]
    for path in paths:
        ra, rb = a.get(path, follow_redirects=False), b.get(path, follow_redirects=False)
        assert ra.status_code == rb.status_code, path
        assert ra.content == rb.content, path


def test_the_pool_serves_many_threads(pair) -> None:
    _sqlite, pg, _cat, mal_id = pair
    errors: list[BaseException] = []
    with TestClient(create_app(pg, today=lambda: TODAY)) as client:
        store = client.app.state.store  # type: ignore[attr-defined]
        assert store.pool is not None

        def hammer() -> None:
            try:
                for _ in range(10):
                    assert client.get(f"/api/outlook/{mal_id}").status_code == 200
                    assert client.get("/api/search?q=a").status_code == 200
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=hammer) for _ in range(12)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        stats = store.pool.stats()
    assert not errors
    assert 1 <= stats.get("pool_size", 0) <= 8  # twelve threads shared at most 8 sessions


def test_the_app_notices_a_rebuild_on_postgresql(tmp_path: Path, pg_url: str,
                                                 synthetic_data: Path, monkeypatch) -> None:
    from nextseason.web import store as web_store

    monkeypatch.setattr(web_store, "CHECK_EVERY", 0.0)
    build(synthetic_data, pg_url)
    with TestClient(create_app(pg_url, today=lambda: TODAY)) as client:
        store = client.app.state.store  # type: ignore[attr-defined]
        seen = store._seen
        assert client.get("/").status_code == 200
        assert not store.changed()
        build(synthetic_data, pg_url)  # a new schema swapped in
        assert store.changed()
        assert client.get("/").status_code == 200  # reloads, then answers
        assert store._seen != seen and not store.changed()
