"""The first line of the answer on the real data: the right show and the right status
(skipped when ../shared/data/raw is absent)."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nextseason.catalogue.resolve import resolve_anime
from nextseason.cli import app
from nextseason.errors import NotFoundError
from nextseason.link.status import series_status
from nextseason.report.outlook import build_outlook
from nextseason.search.index import SearchIndex
from nextseason.store import connect_readonly

pytestmark = pytest.mark.integration
TODAY = "2026-11-30"
FRANCHISES = Path(__file__).parent / "fixtures" / "status_franchises.csv"
SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def conn(real_db: Path):
    c = connect_readonly(real_db)
    yield c
    c.close()


def _status(conn, query: str):
    return series_status(conn, resolve_anime(conn, query), TODAY)


def test_hand_checked_franchises(conn) -> None:
    index = SearchIndex.from_db(conn)
    wrong = []
    for row in csv.DictReader(FRANCHISES.open(encoding="utf-8")):
        try:
            mal_id: int | None = resolve_anime(conn, row["query"], index=index)
        except NotFoundError:
            mal_id = None
        want = int(row["expected_mal_id"]) if row["expected_mal_id"] else None
        status = "not found" if mal_id is None else series_status(conn, mal_id, TODAY).status
        if mal_id != want or status != row["expected_status"]:
            wrong.append((row["query"], mal_id, status))
    assert not wrong


def test_undated_announcements_name_their_evidence(conn) -> None:
    st = _status(conn, "Mushoku Tensei")
    assert st.status == "announced" and st.next == 59193
    assert st.evidence[0].says == ("Mushoku Tensei III: Isekai Ittara Honki Dasu is listed as"
                                   " not yet aired, no date")
    assert (st.evidence[0].name, st.evidence[0].as_of) == ("MyAnimeList catalogue",
                                                          "2025-03-24")
    for query, entry in [("Ranma 1/2 (2024)", 60564), ("Boruto", 54687),
                         ("Golden Kamuy", 55772)]:
        got = _status(conn, query)
        assert (got.status, got.next) == ("announced", entry), query


def test_old_snapshots_do_not_set_todays_status(conn) -> None:
    mha = _status(conn, "My Hero Academia")
    assert mha.status == "announced" and mha.latest == 54789  # the 7th season
    assert all("5th Season" not in ev.says for ev in mha.evidence)
    assert mha.evidence[0].source == "rules" and mha.evidence[0].as_of == "2026-08-03"
    assert _status(conn, "Horimiya").status == "not announced"  # not "airing" (2021)


def test_newer_sources_reach_the_answer(conn) -> None:
    dungeon = _status(conn, "Delicious in Dungeon")
    assert dungeon.status == "announced" and dungeon.evidence[0].source == "crosswalk"
    assert "season 2" in dungeon.evidence[0].says
    assert _status(conn, "Hell's Paradise").evidence[0].source == "rules"


def test_a_past_due_date_reads_as_past(conn) -> None:
    st = _status(conn, "Frieren")
    assert "was due January 2026" in st.evidence[0].says


@pytest.mark.parametrize("query", ["Chainsaw Man", "Oshi no Ko", "Blue Lock"])
def test_missing_shows_are_not_found(conn, query: str) -> None:
    with pytest.raises(NotFoundError, match="15,050-entry subset of MyAnimeList"):
        resolve_anime(conn, query)


def test_a_franchise_name_opens_its_tv_series(conn) -> None:
    assert resolve_anime(conn, "Jujutsu Kaisen") == 40748


def test_one_season_numbering_on_the_timeline(conn) -> None:
    from nextseason.catalogue.franchise import franchise_report

    seasons = {e.mal_id: (e.season_number, e.part)
               for e in franchise_report(conn, 39535).entries if e.season_number}
    assert seasons[45576] == (1, 2) and seasons[55888] == (2, 2) and seasons[59193] == (3, None)
    mha = {e.mal_id: e.season_number for e in franchise_report(conn, 31964).entries}
    assert mha[54789] == 7 and list(mha.values()).count(1) == 1


def test_higehiro_outlook(real_db: Path, tmp_path: Path) -> None:
    if not SEEDS.is_dir():
        pytest.skip("seed articles not found")
    db = tmp_path / "with-seeds.db"
    shutil.copy(real_db, db)
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(SEEDS), "--db", str(db)]).exit_code == 0
    conn = connect_readonly(db)
    try:
        r = build_outlook(conn, 40938, today=TODAY)
    finally:
        conn.close()
    assert r.headline.status == "not announced" and r.headline.probabilities
    assert r.source_left is not None and r.source_left["left_high"] == 0.0
    assert r.data_age == "catalogue as of 24 March 2025, 20 months ago"
    out = runner.invoke(app, ["outlook", "Chainsaw Man", "--format", "json", "--db", str(db)])
    assert out.exit_code == 4 and json.loads(out.stdout)["error"] == "not_found"
