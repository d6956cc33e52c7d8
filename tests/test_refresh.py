"""``refresh`` end to end with a fake fetch into a small built database: a new dated snapshot
with source and date on every row, idempotent, atomic, status and forecasts of the touched
series as of the refresh date, coverage, history, carried over a rebuild."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from live_records import RECORDED, recorded

from nextseason import refresh as refresh_module
from nextseason.link.status import series_status
from nextseason.live.records import RemoteAnime, RemoteRelation
from nextseason.pipeline import build
from nextseason.refresh import refresh
from nextseason.report.limits import limit_sentences
from nextseason.store import connect
from nextseason.store.coverage import read_coverage
from nextseason.track.changes import find_changes

FETCHED = "2026-11-30T10:00:00+00:00"
NEW_SEQUEL = 99001


class FakeFetch:
    """Answers from a dict of records, counting the ids asked for."""

    def __init__(self, records: Iterable[RemoteAnime]) -> None:
        self.records = {r.mal_id: r for r in records}
        self.asked: list[int] = []

    def __call__(self, source: str, *, ids: Sequence[int] = (), season: str | None = None,
                 progress: Callable[[int, int | None, str], None] | None = None
                 ) -> list[RemoteAnime]:
        out = []
        for done, mal_id in enumerate(ids, 1):
            self.asked.append(mal_id)
            if mal_id in self.records:
                out.append(self.records[mal_id])
            if progress:
                progress(done, len(ids), f"MAL {mal_id}")
        return out


def _copy(built_db: Path, tmp_path: Path) -> Path:
    target = tmp_path / "nextseason.db"
    shutil.copy(built_db, target)
    return target


def _not_announced_series(conn: sqlite3.Connection, n: int) -> list[int]:
    """Latest seasons of TV series with a stored forecast (nothing announced)."""
    rows = conn.execute("SELECT f.mal_id FROM forecast f JOIN anime a ON a.mal_id = f.mal_id"
                        " WHERE a.type = 'TV' ORDER BY f.mal_id").fetchall()
    assert len(rows) >= n
    return [int(r[0]) for r in rows[:n]]


def _record(conn: sqlite3.Connection, mal_id: int, **changes: object) -> RemoteAnime:
    a = conn.execute("SELECT * FROM anime WHERE mal_id = ?", (mal_id,)).fetchone()
    base = RemoteAnime(
        source="jikan", url=f"http://127.0.0.1/v4/anime/{mal_id}/full", fetched_at=FETCHED,
        mal_id=mal_id, anilist_id=None, title=a["title"], type=a["type"],
        episodes=a["episodes"], status=a["status"], start_date=a["start_date"],
        start_precision=a["start_precision"], end_date=a["end_date"],
        end_precision=a["end_precision"], source_type=a["source_type"],
        figures={"members": 123_456.0, "score": 7.77}, studios=("Studio Alpha",),
        genres=("Drama",))
    return replace(base, **changes)  # type: ignore[arg-type]


@pytest.fixture
def scene(built_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A copy of the built database, two not-announced series A and B, and a fetch that
    says: A's latest season now lists a sequel not yet aired (due October 2026, a new
    entry); B has new figures."""
    monkeypatch.setenv("NEXTSEASON_CACHE", str(tmp_path / "cache"))
    path = _copy(built_db, tmp_path)
    conn = connect(path)
    a, b = _not_announced_series(conn, 2)
    title = conn.execute("SELECT title FROM anime WHERE mal_id = ?", (a,)).fetchone()[0]
    sequel = RemoteAnime(
        source="jikan", url=f"http://127.0.0.1/v4/anime/{NEW_SEQUEL}/full", fetched_at=FETCHED,
        mal_id=NEW_SEQUEL, anilist_id=None, title=f"{title} 2nd Season", type="TV",
        status="not_yet_aired", start_date="2026-10", start_precision="month",
        titles=(("english", f"{title} EN Season 2"),),
        relations=(RemoteRelation("Prequel", "anime", a, target_title=title),))
    fetch = FakeFetch([
        _record(conn, a, relations=(RemoteRelation("Sequel", "anime", NEW_SEQUEL,
                                                   target_title=sequel.title),)),
        _record(conn, b), sequel])
    yield conn, path, a, b, fetch
    conn.close()


def _counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in (
        "snapshot", "anime", "anime_version", "title", "relation", "observation", "anime_tag",
        "live_record", "coverage", "sequel_link", "franchise", "forecast", "forecast_series",
        "series_history")}


def test_refresh_adds_a_dated_snapshot_with_source_and_date_on_every_row(scene) -> None:
    conn, _, a, b, fetch = scene
    report = refresh(conn, fetch=fetch, sources=["jikan"], ids=[a, b])
    # the sequel A lists was fetched too (a follow-up), once
    assert fetch.asked == [a, b, NEW_SEQUEL] and report.followed == {"jikan": 1}
    (snap,) = report.snapshots
    assert snap.name == "jikan_2026-11-30T10:00Z" and snap.as_of == "2026-11-30"
    assert (snap.entries, snap.new_entries) == (3, 1)
    row = conn.execute("SELECT kind, as_of, file FROM snapshot WHERE id = ?",
                       (snap.snapshot_id,)).fetchone()
    assert tuple(row) == ("live", "2026-11-30", "jikan")
    versions = {r[0] for r in conn.execute(
        "SELECT mal_id FROM anime_version WHERE snapshot_id = ?", (snap.snapshot_id,))}
    assert versions == {a, b, NEW_SEQUEL}
    live = conn.execute("SELECT url, fetched_at, source FROM live_record WHERE mal_id = ?",
                        (NEW_SEQUEL,)).fetchone()
    assert tuple(live) == (f"http://127.0.0.1/v4/anime/{NEW_SEQUEL}/full", FETCHED, "jikan")
    members = conn.execute(
        "SELECT value, observed_at FROM observation WHERE entity_id = ? AND metric = 'members'"
        " AND snapshot_id = ?", (b, snap.snapshot_id)).fetchone()
    assert tuple(members) == (123_456.0, "2026-11-30")
    rels = {tuple(r) for r in conn.execute(
        "SELECT from_id, to_id, kind FROM relation WHERE snapshot_id = ?", (snap.snapshot_id,))}
    assert rels == {(a, NEW_SEQUEL, "Sequel"), (NEW_SEQUEL, a, "Prequel")}
    # the new entry is in the catalogue, titled and linked as A's sequel
    new = conn.execute("SELECT title, status, first_snapshot, last_snapshot FROM anime"
                       " WHERE mal_id = ?", (NEW_SEQUEL,)).fetchone()
    assert new["status"] == "not_yet_aired" and new["first_snapshot"] == snap.snapshot_id
    assert conn.execute("SELECT count(*) FROM title WHERE mal_id = ? AND snapshot_id = ?",
                        (NEW_SEQUEL, snap.snapshot_id)).fetchone()[0] == 2
    assert conn.execute("SELECT method FROM sequel_link WHERE prequel_id = ? AND sequel_id = ?",
                        (a, NEW_SEQUEL)).fetchone()[0] == "relation"
    # the anime row of a refreshed entry names the refresh as its newest snapshot
    assert conn.execute("SELECT last_snapshot FROM anime WHERE mal_id = ?",
                        (b,)).fetchone()[0] == snap.snapshot_id
    tags = conn.execute("SELECT count(*) FROM anime_tag WHERE snapshot_id = ?",
                        (snap.snapshot_id,)).fetchone()[0]
    assert tags == 4  # a studio and a genre for A and B


def test_a_listed_sequel_makes_the_series_announced_and_its_forecast_goes(scene) -> None:
    conn, _, a, b, fetch = scene
    assert series_status(conn, a, "2026-11-30").status == "not announced"
    report = refresh(conn, fetch=fetch, sources=["jikan"], ids=[a, b])
    assert report.status_before[a] == "not announced"
    assert report.status_after[a] == "announced"
    st = series_status(conn, a, "2026-11-30")
    assert st.status == "announced" and st.next == NEW_SEQUEL
    ev = st.evidence[0]
    assert ev.source == "live" and ev.as_of == "2026-11-30"
    assert ev.name == "MyAnimeList (via Jikan) refresh" and "October 2026" in ev.says
    # a status as of a date before the refresh does not see it
    assert series_status(conn, a, "2026-11-29").status == "not announced"
    # A has no forecast any more: the reason is the announcement
    assert conn.execute("SELECT count(*) FROM forecast WHERE mal_id = ?", (a,)).fetchone()[0] == 0
    reason = conn.execute("SELECT reason FROM forecast_series WHERE mal_id = ?",
                          (a,)).fetchone()[0]
    assert reason.startswith("announced:") and "refresh" in reason
    # B's forecast was made again, as of the refresh date; the others keep the build's
    fc = conn.execute("SELECT as_of FROM forecast WHERE mal_id = ?", (b,)).fetchone()[0]
    assert fc == "2026-11-30" and report.forecasts >= 1
    others = {r[0] for r in conn.execute("SELECT DISTINCT as_of FROM forecast")}
    assert others == {"2025-03-24", "2026-11-30"}


def test_the_change_is_recorded_with_its_source_and_date(scene) -> None:
    conn, _, a, b, fetch = scene
    refresh(conn, fetch=fetch, sources=["jikan"], ids=[a, b])
    found = find_changes(conn, series=[a])
    kinds = {c.kind for c in found}
    assert {"status", "new_season"} <= kinds
    status = next(c for c in found if c.kind == "status")
    assert (status.before, status.after) == ("not announced", "announced")
    assert status.date == "2026-11-30" and status.source == "MyAnimeList (via Jikan) refresh"
    new = next(c for c in found if c.kind == "new_season")
    assert "2nd Season" in new.says and "October 2026" in new.says
    assert find_changes(conn, series=[a], since="2026-12-01") == []


def test_refreshing_the_same_answers_again_stores_nothing(scene) -> None:
    conn, _, a, b, fetch = scene
    refresh(conn, fetch=fetch, sources=["jikan"], ids=[a, b])
    before = _counts(conn)
    # the same content fetched later (the cache expired) is the same snapshot
    fetch.records = {m: replace(r, fetched_at="2026-12-01T09:00:00+00:00")
                     for m, r in fetch.records.items()}
    again = refresh(conn, fetch=fetch, sources=["jikan"], ids=[a, b])
    assert again.snapshots == [] and again.unchanged == [("jikan", "jikan_2026-11-30T10:00Z")]
    assert _counts(conn) == before


def test_a_failure_mid_write_leaves_the_database_as_it_was(scene, monkeypatch) -> None:
    conn, path, a, b, fetch = scene
    before = _counts(conn)
    status = conn.execute("SELECT status, last_snapshot FROM anime WHERE mal_id = ?",
                          (b,)).fetchone()

    def boom(*args: object, **kwargs: object) -> int:
        raise RuntimeError("disk full")

    monkeypatch.setattr(refresh_module, "replace_forecasts", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        refresh(conn, fetch=fetch, sources=["jikan"], ids=[a, b])
    assert _counts(conn) == before
    assert tuple(conn.execute("SELECT status, last_snapshot FROM anime WHERE mal_id = ?",
                              (b,)).fetchone()) == tuple(status)
    other = sqlite3.connect(path)  # another connection sees the same
    assert other.execute("SELECT count(*) FROM snapshot WHERE kind = 'live'").fetchone()[0] == 0
    other.close()


def test_an_empty_request_is_refused(scene) -> None:
    from nextseason.errors import ConfigError

    conn, *_ , fetch = scene
    with pytest.raises(ConfigError, match="nothing to refresh"):
        refresh(conn, fetch=fetch, sources=["jikan"])
    with pytest.raises(ConfigError, match="watchlist is empty"):
        refresh(conn, fetch=fetch, sources=["jikan"], watchlist=True)


def test_coverage_and_the_limits_follow_the_refresh(scene) -> None:
    conn, _, a, b, fetch = scene
    age, before = limit_sentences(conn, "2026-11-30", mal_id=b)
    assert age == "catalogue as of 24 March 2025, 20 months ago"
    assert not any("refreshed" in s for s in before)
    refresh(conn, fetch=fetch, sources=["jikan"], ids=[a, b])
    live = [c for c in read_coverage(conn) if c.scope == "refresh"]
    assert {(c.topic, c.entries) for c in live} == {("catalogue", 3), ("figures", 2),
                                                    ("typed_relations", 2)}
    _, after = limit_sentences(conn, "2026-11-30", mal_id=b)
    assert "Typed relations: MyAnimeList (via Jikan), refreshed 30 November 2026 for" \
           " 2 entries." in after
    assert any("This show was refreshed from MyAnimeList (via Jikan) on 30 November 2026"
               in s for s in after)
    # as of a day before the refresh, nothing of it
    _, earlier = limit_sentences(conn, "2026-11-29", mal_id=b)
    assert earlier == before


def test_a_rebuild_keeps_refreshed_snapshots_watchlist_and_history(scene, synthetic_data
                                                                   ) -> None:
    from nextseason.store.watch import watch_add, watched

    conn, path, a, b, fetch = scene
    refresh(conn, fetch=fetch, sources=["jikan"], ids=[a, b])
    watch_add(conn, a, "A", "2026-11-30")
    history = conn.execute("SELECT series_id, recorded_on, status FROM series_history"
                           " ORDER BY id").fetchall()
    conn.close()
    report = build(synthetic_data, path)
    assert report.kept["live snapshot"] == 1 and report.kept["watchlist"] == 1
    new = connect(path)
    try:
        assert new.execute("SELECT name FROM snapshot WHERE kind = 'live'").fetchone()[0] == \
            "jikan_2026-11-30T10:00Z"
        assert new.execute("SELECT status FROM anime WHERE mal_id = ?",
                           (NEW_SEQUEL,)).fetchone()[0] == "not_yet_aired"
        assert series_status(new, a, "2026-11-30").status == "announced"
        assert [w.mal_id for w in watched(new)] == [a]
        kept = new.execute("SELECT series_id, recorded_on, status FROM series_history"
                           " ORDER BY id").fetchall()
        assert [tuple(r) for r in kept[:len(history)]] == [tuple(r) for r in history]
        assert new.execute("SELECT count(*) FROM live_record").fetchone()[0] == 3
    finally:
        new.close()


def test_recorded_trigun_and_cluster_edge_become_entries(built_db, tmp_path, monkeypatch
                                                         ) -> None:
    if not (RECORDED / "jikan_v4" / "anime_6_full.json").is_file():
        pytest.skip("recordings not found")
    monkeypatch.setenv("NEXTSEASON_CACHE", str(tmp_path / "cache"))
    conn = connect(_copy(built_db, tmp_path))
    try:
        fetch = FakeFetch([recorded("anime_6_full.json"), recorded("anime_69_full.json")])
        report = refresh(conn, fetch=fetch, sources=["jikan"], ids=[6, 69], follow=False)
        assert report.snapshots[0].new_entries == 2
        row = conn.execute("SELECT title, type, episodes, start_date FROM anime"
                           " WHERE mal_id = 6").fetchone()
        assert tuple(row) == ("Trigun", "TV", 26, "1998-04-01")
        assert conn.execute("SELECT value FROM observation WHERE entity_id = 6 AND"
                            " metric = 'members'").fetchone()[0] == 703667
        kinds = {r[0] for r in conn.execute("SELECT kind FROM relation WHERE from_id = 6")}
        assert kinds == {"Adaptation", "Side story", "Alternative version"}
    finally:
        conn.close()


def test_anilist_records_find_their_mal_id_in_the_crosswalk(scene) -> None:
    """An AniList answer without a MyAnimeList id is stored under the id the crosswalk
    gives; one the crosswalk does not know is skipped and counted; a season's list is
    fetched with the season asked for."""
    conn, _, _, _, _ = scene
    mal_id, anilist_id = conn.execute(
        "SELECT mal_id, anilist_id FROM crosswalk WHERE anilist_id IS NOT NULL"
        " AND mal_id IN (SELECT mal_id FROM anime) ORDER BY mal_id LIMIT 1").fetchone()
    known = replace(_record(conn, mal_id), source="anilist", mal_id=None,
                    anilist_id=anilist_id, url="http://127.0.0.1/graphql")
    unknown = replace(known, anilist_id=987_654_321, title="Nobody Knows")
    asked: list[str | None] = []

    def fetch(source: str, *, ids: Sequence[int] = (), season: str | None = None,
              progress: object = None) -> list[RemoteAnime]:
        asked.append(season)
        return [known, unknown] if season else []

    report = refresh(conn, fetch=fetch, sources=["anilist"], season="2026/fall")
    assert asked == ["2026/fall"]
    (snap,) = report.snapshots
    assert snap.name.startswith("anilist_2026-11-30") and snap.entries == 1
    assert snap.skipped == {"no MyAnimeList id": 1}
    row = conn.execute("SELECT source, anilist_id FROM live_record WHERE mal_id = ?",
                       (mal_id,)).fetchone()
    assert tuple(row) == ("anilist", anilist_id)
