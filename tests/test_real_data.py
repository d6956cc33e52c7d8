"""Integration tests on ../shared/data/raw (skipped when it is absent)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nextseason.catalogue.franchise import franchise_report
from nextseason.catalogue.resolve import resolve_anime
from nextseason.cli import app
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


UPCOMING = Path(__file__).resolve().parent / "fixtures" / "upcoming_continuations.csv"


def _series_prequel(conn, mal_id: int) -> int | None:
    """The first TV/ONA entry up ``mal_id``'s chain in ``sequel_link``."""
    seen = {mal_id}
    row = conn.execute("SELECT prequel_id FROM sequel_link WHERE sequel_id = ?",
                       (mal_id,)).fetchone()
    while row is not None and row[0] not in seen:
        node = row[0]
        kind = conn.execute("SELECT type FROM anime WHERE mal_id = ?", (node,)).fetchone()
        if kind is not None and kind[0] in ("TV", "ONA"):
            return int(node)
        seen.add(node)
        row = conn.execute("SELECT prequel_id FROM sequel_link WHERE sequel_id = ?",
                           (node,)).fetchone()
    return None


@pytest.mark.parametrize(("sequel", "prequel"), [
    (59193, 55888),  # Mushoku Tensei III (undated) -> II Part 2
    (60564, 59145),  # Ranma ½ (2024) 2nd Season -> Ranma ½ (2024), not the 1989 series
    (59708, 51180),  # Classroom of the Elite 4th Season -> 3rd Season
    (54687, 34566),  # Boruto Part 2 -> Boruto
    (55772, 40059),  # Golden Kamuy: Saishuushou -> 3rd Season (the 4th is not catalogued)
    (59226, 33506),  # Ao no Exorcist: Yosuga-hen -> Kyoto Fujouou-hen
    (58877, 38731),  # Diamond no Ace: Act II (Zoku-hen) -> Act II
])
def test_announced_continuations_are_linked(conn, sequel: int, prequel: int) -> None:
    assert _series_prequel(conn, sequel) == prequel


@pytest.mark.parametrize("mal_id", [
    60480,  # Minute! Kaijuu 8-gou (mini anime)
    59816,  # Douluo Dalu Juchang Ban (theatrical cut)
    59342,  # Jigoku Sensei Nube (2025), a remake
])
def test_side_works_and_remakes_are_not_continuations(conn, mal_id: int) -> None:
    assert _series_prequel(conn, mal_id) is None


def test_upcoming_continuations_meet_the_targets(conn) -> None:
    """The hand-checked list of the 2025 snapshot's airing / announced TV/ONA entries
    (benchmarks/bench_linker_upcoming.py prints the misses)."""
    import csv

    with UPCOMING.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) > 300
    predicted = {int(r["mal_id"]): _series_prequel(conn, int(r["mal_id"])) for r in rows}
    expected = {int(r["mal_id"]): int(r["expected_prequel_mal_id"])
                for r in rows if r["expected_prequel_mal_id"]}
    correct = sum(1 for m, p in expected.items() if predicted[m] == p)
    n_pred = sum(1 for p in predicted.values() if p is not None)
    assert correct / n_pred >= 0.95 and correct / len(expected) >= 0.90
