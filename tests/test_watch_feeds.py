"""The watchlist, ``changes`` and the feeds (CLI and web) over a database that a refresh
(fake fetch) gave a newly announced season; a refresh against the loopback replay server."""

from __future__ import annotations

import json
import shutil
import sqlite3
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar
from live_records import RECORDED
from test_refresh import NEW_SEQUEL, FakeFetch, _not_announced_series, _record
from typer.testing import CliRunner

from nextseason import cli
from nextseason.live.records import RemoteAnime, RemoteRelation
from nextseason.refresh import refresh
from nextseason.report.feeds import Premiere, calendar_ics
from nextseason.store import connect
from nextseason.web.app import create_app

ATOM = "{http://www.w3.org/2005/Atom}"
TODAY = "2026-11-30"
runner = CliRunner()


@pytest.fixture(scope="module")
def refreshed(built_db: Path, tmp_path_factory: pytest.TempPathFactory
              ) -> Iterator[tuple[Path, int, str]]:
    """(database, series A's latest season, A's title): A got a sequel, not yet aired, due
    October 2026, from a refresh dated 2026-11-30."""
    folder = tmp_path_factory.mktemp("watch")
    path = folder / "nextseason.db"
    shutil.copy(built_db, path)
    mp = pytest.MonkeyPatch()
    mp.setenv("NEXTSEASON_CACHE", str(folder / "cache"))
    conn = connect(path)
    (a,) = _not_announced_series(conn, 1)
    title = conn.execute("SELECT title FROM anime WHERE mal_id = ?", (a,)).fetchone()[0]
    sequel = RemoteAnime(
        source="jikan", url=f"http://127.0.0.1/v4/anime/{NEW_SEQUEL}/full",
        fetched_at="2026-11-30T10:00:00+00:00", mal_id=NEW_SEQUEL, anilist_id=None,
        title=f"{title} 2nd Season", type="TV", status="not_yet_aired", start_date="2026-10",
        start_precision="month",
        relations=(RemoteRelation("Prequel", "anime", a),))
    fetch = FakeFetch([_record(conn, a, relations=(RemoteRelation("Sequel", "anime",
                                                                  NEW_SEQUEL),)), sequel])
    refresh(conn, fetch=fetch, sources=["jikan"], ids=[a])
    conn.close()
    yield path, a, title
    mp.undo()


@pytest.fixture
def db(refreshed: tuple[Path, int, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
       ) -> tuple[Path, int, str]:
    """A private copy (the watchlist is written), today fixed."""
    path = tmp_path / "nextseason.db"
    shutil.copy(refreshed[0], path)
    monkeypatch.setattr(cli, "_today", lambda: date.fromisoformat(TODAY))
    return path, refreshed[1], refreshed[2]


def _run(*args: str) -> object:
    return runner.invoke(cli.app, list(args))


def test_watch_add_list_remove(db: tuple[Path, int, str]) -> None:
    path, a, title = db
    r = _run("watch", "add", title, "--db", str(path))
    assert r.exit_code == 0, r.output
    assert f"Watching {title} (MAL {a})" in r.output
    r = _run("watch", "add", str(a), "--db", str(path))
    assert "Already watching" in r.output
    r = _run("watch", "list", "--json", "--db", str(path))
    assert json.loads(r.output) == [{"mal_id": a, "title": title, "added_on": TODAY}]
    assert _run("watch", "remove", title, "--db", str(path)).exit_code == 0
    r = _run("watch", "remove", title, "--db", str(path))
    assert r.exit_code == 4 and "not on the watchlist" in r.output
    r = _run("watch", "list", "--db", str(path))
    assert "The watchlist is empty" in r.output


def test_watch_add_of_an_unknown_title_is_not_found(db: tuple[Path, int, str]) -> None:
    path, _, _ = db
    r = _run("watch", "add", "Zzqx Vrrmp Nonexistent", "--db", str(path))
    assert r.exit_code == 4 and "No show called" in r.output
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM watchlist").fetchone()[0] == 0
    conn.close()


def test_changes_of_watched_shows_with_since(db: tuple[Path, int, str]) -> None:
    path, a, title = db
    r = _run("changes", "--db", str(path))
    assert "No changes" in r.output  # nothing watched yet
    _run("watch", "add", str(a), "--db", str(path))
    r = _run("changes", "--format", "json", "--db", str(path))
    found = json.loads(r.output)
    status = [c for c in found if c["kind"] == "status"]
    assert status and status[0]["after"] == "announced" and status[0]["date"] == TODAY
    assert status[0]["source"] == "MyAnimeList (via Jikan) refresh"
    assert any(c["kind"] == "new_season" and "October 2026" in c["says"] for c in found)
    r = _run("changes", "--since", "2026-12-01", "--db", str(path))
    assert r.exit_code == 2 and "after today" in r.output  # a date in the future
    r = _run("changes", "--since", TODAY, "--db", str(path))
    assert "announced" in r.output and "(MyAnimeList (via Jikan) refresh)" in r.output
    r = _run("changes", "--all", "--format", "json", "--db", str(path))
    assert any(c["series_id"] == status[0]["series_id"] for c in json.loads(r.output))


def test_feed_ics_has_the_announced_premiere(db: tuple[Path, int, str], tmp_path: Path) -> None:
    path, a, _ = db
    _run("watch", "add", str(a), "--db", str(path))
    out = tmp_path / "premieres.ics"
    r = _run("feed", "--format", "ics", "-o", str(out), "--db", str(path))
    assert r.exit_code == 0, r.output
    cal = Calendar.from_ical(out.read_bytes())
    (event,) = cal.walk("VEVENT")
    assert event.decoded("dtstart") == date(2026, 10, 1)  # month only: its first day ...
    assert str(event["status"]) == "TENTATIVE"  # ... marked tentative
    assert "2nd Season premieres (date: October 2026)" in str(event["summary"])
    assert str(event["uid"]) == f"nextseason-{NEW_SEQUEL}-premiere@nextseason"


def test_feed_atom_lists_the_changes(db: tuple[Path, int, str], tmp_path: Path) -> None:
    path, a, _ = db
    _run("watch", "add", str(a), "--db", str(path))
    out = tmp_path / "changes.atom"
    assert _run("feed", "--format", "atom", "-o", str(out), "--db", str(path)).exit_code == 0
    root = ET.fromstring(out.read_bytes())
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    assert any("not announced → announced" in (t or "") for t in titles)
    assert all(e.findtext(f"{ATOM}updated", "").startswith(TODAY) for e in entries)
    assert len({e.findtext(f"{ATOM}id") for e in entries}) == len(entries)


def test_calendar_precision() -> None:
    """A day is a confirmed all-day event; a month is its first day, tentative; a year or no
    date is left out, with the reason."""
    items = [Premiere(1, "S", 11, "Day", "2026-04-05", "day", "src", TODAY),
             Premiere(2, "S", 12, "Month", "2026-07", "month", "src", TODAY),
             Premiere(3, "S", 13, "Year", "2027", "year", "src", TODAY),
             Premiere(4, "S", 14, "Undated", None, None, "src", TODAY)]
    body, left_out = calendar_ics(items)
    events = {str(e["summary"]): e for e in Calendar.from_ical(body).walk("VEVENT")}
    assert events["Day premieres"].decoded("dtstart") == date(2026, 4, 5)
    assert str(events["Day premieres"]["status"]) == "CONFIRMED"
    assert events["Month premieres (date: July 2026)"].decoded("dtstart") == date(2026, 7, 1)
    assert left_out == ["Year: only the year is known (2027)", "Undated: no date yet"]


def test_web_calendar_and_atom(db: tuple[Path, int, str]) -> None:
    path, a, title = db
    conn = connect(path)
    conn.execute("INSERT INTO watchlist (mal_id, title, added_on) VALUES (?, ?, ?)",
                 (a, title, TODAY))
    conn.close()
    with TestClient(create_app(path, today=lambda: TODAY),
                    raise_server_exceptions=False) as client:
        r = client.get(f"/anime/{a}/calendar.ics")
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/calendar")
        (event,) = Calendar.from_ical(r.content).walk("VEVENT")
        assert event.decoded("dtstart") == date(2026, 10, 1)
        r = client.get("/feed/changes.atom")
        assert r.headers["content-type"].startswith("application/atom+xml")
        assert ET.fromstring(r.content).findall(f"{ATOM}entry")
        assert client.get("/feed/changes.atom?all=1").status_code == 200
        page = client.get(f"/anime/{a}").text
        assert f'href="/anime/{a}/calendar.ics"' in page and 'href="/feed/changes.atom"' in page
        assert client.get("/anime/987654/calendar.ics").status_code == 404


def test_refresh_against_the_loopback_replay_server(built_db: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The issue's Done-when: refresh --source jikan --id 6 --id 69 --jikan-url
    http://127.0.0.1:PORT/v4 adds a snapshot; show 6 --json carries the recorded figures and
    relations; the same again adds nothing (the answers come from the cache)."""
    if not (RECORDED / "index.json").is_file():
        pytest.skip("recordings not found")
    from nextseason.live.replay import serve

    path = tmp_path / "nextseason.db"
    shutil.copy(built_db, path)
    monkeypatch.setenv("NEXTSEASON_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("NEXTSEASON_CACHE_DIR", str(tmp_path / "http"))
    with serve(RECORDED) as server:
        args = ["refresh", "--source", "jikan", "--id", "6", "--id", "69", "--jikan-url",
                f"{server.url}/v4", "--db", str(path)]
        r = runner.invoke(cli.app, args)
        assert r.exit_code == 0, r.output
        assert "Added snapshot jikan_" in r.output and "2 entries (2 new)" in r.output
        again = runner.invoke(cli.app, args)
        assert again.exit_code == 0 and "unchanged since snapshot jikan_" in again.output
    show = json.loads(runner.invoke(cli.app, ["show", "6", "--json", "--db", str(path)]).output)
    figures = {o["metric"]: o["value"] for o in show["latest"]}
    assert figures["members"] == 703667 and figures["score"] == 8.22
    assert all(o["source"].startswith("jikan_") for o in show["latest"])
    relations = {(x["kind"], x["to_id"]) for x in show["relations"]}
    assert {("Adaptation", 703), ("Side story", 4106), ("Alternative version", 52093)} \
        <= relations
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM snapshot WHERE kind = 'live'").fetchone()[0] == 1
    conn.close()


def test_changes_include_new_article_claims(db: tuple[Path, int, str]) -> None:
    from nextseason.track.changes import find_changes

    path, a, title = db
    conn = connect(path)
    text = f"{title} season 2 has been announced for October 2026."
    conn.execute("INSERT INTO article (id, url, title, published, published_source, format,"
                 " text, origin, site) VALUES ('abcd1234abcd1234', 'https://news.example/s2',"
                 " 'Season 2 confirmed', '2026-11-20', 'given', 'txt', ?,"
                 " 'https://news.example/s2', 'news.example')", (text,))
    conn.execute("INSERT INTO claim (article_id, idx, field, value, subject, subject_mal_id,"
                 " quote, start, end, as_of, confidence) VALUES ('abcd1234abcd1234', 0,"
                 " 'renewal_status', '\"announced\"', ?, ?, ?, 0, ?, '2026-11-20', 0.9)",
                 (title, a, text, len(text)))
    found = [c for c in find_changes(conn, series=[a]) if c.kind == "article"]
    assert len(found) == 1 and found[0].date == "2026-11-20"
    assert found[0].source.startswith("Season 2 confirmed") and "announced" in found[0].says
    assert [c for c in find_changes(conn, series=[a], since="2026-11-21")
            if c.kind == "article"] == []
    everything = [c for c in find_changes(conn, everything=True) if c.kind == "article"]
    assert [(c.title, c.date) for c in everything] == [(found[0].title, "2026-11-20")]
    assert find_changes(conn) == []  # nothing is watched
    conn.close()


def test_a_database_from_an_older_version_is_named_and_brought_up_to_date(
        db: tuple[Path, int, str]) -> None:
    path, _, _ = db
    conn = sqlite3.connect(path)  # as an older nextseason left it: before the watchlist
    conn.executescript("DROP TABLE watchlist; DROP TABLE series_history;"
                       " DROP INDEX tvdb_season_snapshot;"
                       " DELETE FROM _migrations WHERE name >= '0008';"
                       " ALTER TABLE forecast_series DROP COLUMN aired_id;")
    conn.close()
    before = path.read_bytes()
    for command in (["changes"], ["watch", "list"], ["outlook", "1"]):
        r = _run(*command, "--db", str(path))
        assert r.exit_code == 1, command
        assert "made by an older version of nextseason" in r.output
        assert ("0008_watchlist_history, 0009_tvdb_season_snapshot, 0010_forecast_series_aired"
                in r.output)
        assert f"nextseason migrate --db {path}" in " ".join(r.output.split())
        assert "Traceback" not in r.output
    assert path.read_bytes() == before  # readers leave it as it was
    r = _run("migrate", "--db", str(path))
    assert r.exit_code == 0
    assert ("applied 0008_watchlist_history, 0009_tvdb_season_snapshot,"
            " 0010_forecast_series_aired") in " ".join(r.output.split())
    assert _run("changes", "--db", str(path)).exit_code == 0
    r = _run("migrate", "--db", str(path))
    assert r.exit_code == 0 and "up to date" in r.output
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM anime").fetchone()[0] > 0  # nothing lost
    conn.close()


def test_migrate_without_a_database_says_so(tmp_path: Path) -> None:
    r = _run("migrate", "--db", str(tmp_path / "none.db"))
    assert r.exit_code != 0 and "no database at" in r.output
    assert not (tmp_path / "none.db").exists()
