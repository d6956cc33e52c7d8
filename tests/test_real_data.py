"""Integration tests on ../shared/data/raw (skipped when it is absent)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nextseason.cli import app
from nextseason.report.franchise import franchise_report
from nextseason.search.resolve import resolve_anime
from nextseason.store import connect_readonly

pytestmark = pytest.mark.integration
HIGEHIRO = 40938


@pytest.fixture(scope="module")
def conn(real_db: Path):
    c = connect_readonly(real_db)
    yield c
    c.close()


def test_snapshot_counts(conn) -> None:
    rows = {r["name"]: r for r in conn.execute("SELECT * FROM snapshot")}
    assert rows["mal_2018"]["stored_count"] == 14478
    assert rows["jikan_2021"]["stored_count"] == 7846
    assert json.loads(rows["jikan_2021"]["skipped"])["API error body"] == 68
    assert rows["jikan_2025"]["row_count"] == 15050


def test_higehiro_is_one_entry_with_dated_observations(conn) -> None:
    members = conn.execute(
        "SELECT observed_at, value FROM observation WHERE entity_type='anime' AND entity_id=?"
        " AND metric='members' ORDER BY observed_at", (HIGEHIRO,)).fetchall()
    assert [tuple(m) for m in members] == [("2021-01-24", 24525), ("2025-03-24", 642195)]
    a = conn.execute("SELECT * FROM anime WHERE mal_id=?", (HIGEHIRO,)).fetchone()
    assert (a["start_date"], a["end_date"], a["episodes"]) == ("2021-04-05", "2021-06-28", 13)


@pytest.mark.parametrize("query", [
    "Higehiro",
    "hige wo soru",
    "Higehiro: After Being Rejected, I Shaved and Took in a High School Runaway",
    "I Shaved. Then I Brought a High School Girl Home.",
])
def test_higehiro_queries(conn, query: str) -> None:
    assert resolve_anime(conn, query) == HIGEHIRO


def test_show_higehiro(conn) -> None:
    report = franchise_report(conn, HIGEHIRO)
    ln = [w for w in report.source_works if w.manga_id == 116201]
    assert ln and ln[0].volumes == 5 and (ln[0].start_year, ln[0].end_year) == (2018, 2021)
    assert any(e.mal_id == HIGEHIRO and e.is_query for e in report.entries)


def test_rezero_sequel_chain(conn) -> None:
    report = franchise_report(conn, 31240)
    seasons = {e.mal_id: e.season_number for e in report.entries}
    assert seasons[31240] == 1 and seasons[39587] == 2


def test_cli_show_higehiro(real_db: Path) -> None:
    result = CliRunner().invoke(app, ["show", "Higehiro", "--db", str(real_db)])
    assert result.exit_code == 0, result.output
    assert "Hige wo Soru" in result.output and "2021-04-05" in result.output


SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def test_seeds_ingest_and_show_their_conflicts(real_db: Path, tmp_path: Path) -> None:
    """Done-when of the evidence issue: the three seeds ingest, and `claims Higehiro` shows
    their claims beside the catalogue's facts with the conflicts."""
    import shutil

    if not SEEDS.is_dir():
        pytest.skip("seed articles not found")
    db = tmp_path / "n.db"
    shutil.copy(real_db, db)
    runner = CliRunner()
    result = runner.invoke(app, ["ingest", str(SEEDS), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert result.output.count("stored") == 3 and "MAL 40938" in result.output
    again = runner.invoke(app, ["ingest", str(SEEDS), "--db", str(db)])
    assert again.output.count("already stored") == 3
    result = runner.invoke(app, ["claims", "Higehiro", "--json", "--db", str(db)])
    assert result.exit_code == 0, result.output
    rec = json.loads(result.output)
    assert rec["articles"] == 3
    groups = {(g["field"], g["qualifier"]): g for g in rec["groups"]}
    premiere = groups[("premiere_date", "season 1")]
    assert premiere["status"] == "conflicts" and premiere["best_value"] == "2021-04-05"
    values = {e["value"] for e in premiere["evidence"]}
    assert {"2021-04-05", "2021-06-05"} <= values
    assert groups[("finale_date", "season 1")]["best_value"] == "2021-06-28"
    assert groups[("source_volume_count", None)]["best_value"] == 5
    assert groups[("source_start", None)]["status"] == "different things"
    assert groups[("predicted_window", None)]["status"] == "outlook"
