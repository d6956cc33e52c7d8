"""`backtest` and `forecast` end to end on a synthetic store."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nextseason.cli import app
from nextseason.fixtures import write_synthetic_data
from nextseason.pipeline import build

runner = CliRunner()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fc")
    write_synthetic_data(folder / "raw", seed=0, n_franchises=150)
    build(folder / "raw", folder / "n.db")
    return folder / "n.db"


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEXTSEASON_CACHE", str(tmp_path / "cache"))


def test_backtest_writes_the_model_card(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    result = runner.invoke(app, ["backtest", "--db", str(store), "--report-dir", str(out),
                                 "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    models = {r["model"] for r in data["scores"]}
    from nextseason.forecast.backtest import OTHER_CALIBRATION

    assert {"km", "cure", "gbm", "ensemble", "ensemble v1", OTHER_CALIBRATION,
            "popularity only", "fan rule", "plain logistic"} <= models
    assert {r["origin"] for r in data["scores"]} == {"2018-06-30", "2021-01-24"}
    assert {r["subset"] for r in data["scores"]} == {"primary", "recent", "all"}
    main = [r for r in data["scores"] if r["horizon"] == data["main_horizon"]
            and r["subset"] == "primary" and r["model"] == "ensemble"]
    assert len(main) == 2
    for r in main:  # every headline figure with its interval, around it
        assert r["auc_lo"] <= r["auc"] <= r["auc_hi"]
        assert r["ici_lo"] <= r["ici_hi"]
    others = [r for r in data["scores"] if r["horizon"] == data["main_horizon"]
              and r["subset"] == "primary" and r["model"] == "km"]
    assert all(0.0 <= r["p_default_better_brier"] <= 1.0 for r in others)
    text = runner.invoke(app, ["backtest", "--db", str(store), "--report-dir", str(out)])
    assert text.exit_code == 0, text.output
    said = " ".join(text.output.split())  # the terminal wraps long titles
    first = said.index("ended ≤ 5 years before")  # the primary population leads
    assert first < said.index("All eligible series")
    assert "skill (95 %)" in said and "target auc" in said and "95 % bootstrap" in said
    card = (out / "model-card.md").read_text(encoding="utf-8")
    assert "## Default model" in card and "Brier skill [95 %]" in card
    assert "(primary)" in card and "## Recalibration learned on the past" in card
    assert (out / "reliability-2021-01-24.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_batch_forecast_csv(store: Path, tmp_path: Path) -> None:
    target = tmp_path / "f.csv"
    result = runner.invoke(app, ["forecast", "--as-of", "2021-01-24", "--until",
                                 "2023-01-01", "-o", str(target), "--db", str(store)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert {"mal_id", "title", "p_1y", "p_2y", "p_3y", "p_5y", "p_ever", "p_until",
            "reason"} <= set(rows[0])
    forecasts = [r for r in rows if not r["reason"]]
    skipped = [r for r in rows if r["reason"]]
    assert forecasts and skipped
    for r in forecasts:
        p = [float(r[k]) for k in ("p_1y", "p_2y", "p_3y", "p_5y", "p_ever")]
        assert all(0 <= x <= 1 for x in p) and p == sorted(p)
        assert float(r["p_1y"]) <= float(r["p_until"]) <= float(r["p_3y"])
    assert all(r["p_1y"] == "" for r in skipped)


def test_batch_forecast_jsonl_to_stdout(store: Path) -> None:
    result = runner.invoke(app, ["forecast", "--format", "jsonl", "--db", str(store)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert records and all("p_3y" in r for r in records)


def test_one_show(store: Path) -> None:
    batch = runner.invoke(app, ["forecast", "--format", "jsonl", "--as-of", "2021-01-24",
                                "--db", str(store)])
    records = [json.loads(line) for line in batch.stdout.splitlines() if line.strip()]
    eligible = next(r for r in records if not r["reason"])
    skipped = next(r for r in records if r["reason"])

    result = runner.invoke(app, ["forecast", "--db", str(store), "--json", "--as-of",
                                 "2021-01-24", str(eligible["mal_id"])])
    assert result.exit_code == 0, result.output
    f = json.loads(result.output)
    assert f["eligible"] and f["mal_id"] == eligible["mal_id"]
    assert set(f["probabilities"]) == {"p_1y", "p_2y", "p_3y", "p_5y", "p_ever"}
    assert f["probabilities"]["p_3y"] == pytest.approx(eligible["p_3y"])
    assert len(f["comparables"]) == 5
    assert all(c["outcome"] for c in f["comparables"])
    assert all(isinstance(x["effect"], float) and x["name"] for x in f["factors"])

    result = runner.invoke(app, ["forecast", "--db", str(store), "--as-of", "2021-01-24",
                                 str(skipped["mal_id"])])
    assert result.exit_code == 0, result.output
    assert "No forecast" in result.output


def test_bad_dates(store: Path) -> None:
    result = runner.invoke(app, ["forecast", "--as-of", "2021-13-01", "--db", str(store)])
    assert result.exit_code == 2 and "not a date" in result.output
    result = runner.invoke(app, ["forecast", "--as-of", "2021-01-24", "--until",
                                 "2020-01-01", "--db", str(store)])
    assert result.exit_code == 2 and "must be after" in result.output
    result = runner.invoke(app, ["forecast", "--format", "xml", "--db", str(store)])
    assert result.exit_code == 2


def test_until_may_look_ahead_of_today(store: Path, tmp_path: Path) -> None:
    """"Will it be back by next summer?" is a date after today."""
    from datetime import date

    ahead = date(date.today().year + 2, 6, 30).isoformat()
    target = tmp_path / "ahead.csv"
    result = runner.invoke(app, ["forecast", "--until", ahead, "-o", str(target),
                                 "--db", str(store)])
    assert result.exit_code == 0, result.output
    rows = [r for r in csv.DictReader(target.open(encoding="utf-8")) if not r["reason"]]
    assert rows and all(float(r["p_until"]) <= float(r["p_ever"]) + 1e-9 for r in rows)
    far = date(date.today().year + 31, 1, 1).isoformat()
    result = runner.invoke(app, ["forecast", "--until", far, "--db", str(store)])
    assert result.exit_code == 2 and "more than 30 years ahead" in result.output


def test_batch_options_with_one_show_are_refused(store: Path) -> None:
    for extra in (["--until", "2021-06-30"], ["--format", "jsonl"], ["-o", "x.csv"]):
        result = runner.invoke(app, ["forecast", "1", *extra, "--db", str(store)])
        assert result.exit_code == 2, extra
        assert "for the forecast of every series" in result.output


def test_one_show_reads_the_stored_forecast(store: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --as-of the answer is the build's stored forecast: no model is trained, and
    the numbers are those the outlook shows."""
    import sqlite3

    import nextseason.forecast.predict as predict

    def no_training(*args: object, **kwargs: object) -> None:
        raise AssertionError("forecast QUERY trained a model")

    monkeypatch.setattr(predict, "fit_at", no_training)
    conn = sqlite3.connect(store)
    mal_id, as_of, p_3y, n_factors = conn.execute(
        "SELECT mal_id, as_of, p_3y, json_array_length(factors) FROM forecast"
        " ORDER BY mal_id LIMIT 1").fetchone()
    skipped = conn.execute("SELECT mal_id, reason FROM forecast_series WHERE reason != ''"
                           " ORDER BY mal_id LIMIT 1").fetchone()
    conn.close()
    for extra in ([], ["--as-of", as_of]):
        result = runner.invoke(app, ["forecast", "--db", str(store), "--json", *extra,
                                     str(mal_id)])
        assert result.exit_code == 0, result.output
        f = json.loads(result.output)
        assert f["eligible"] and f["mal_id"] == mal_id and f["as_of"] == as_of
        assert f["probabilities"]["p_3y"] == pytest.approx(p_3y)
        assert len(f["factors"]) == n_factors and len(f["comparables"]) == 5
    result = runner.invoke(app, ["forecast", "--db", str(store), str(mal_id)])
    assert result.exit_code == 0, result.output
    assert "within 3 years" in result.output and "Comparable shows" in result.output
    assert "Data: the catalogue as of" in result.output
    result = runner.invoke(app, ["forecast", "--db", str(store), "--json", str(skipped[0])])
    f = json.loads(result.output)
    assert not f["eligible"] and f["reason"] == skipped[1]


def test_build_stores_each_series_status(store: Path) -> None:
    """The build stores every series' status and its announced next entry as columns
    (what ``link.status.series_status`` says at the forecast date); a series with a forecast
    is never announced or airing, and an announced one names its next entry."""
    import sqlite3

    from nextseason.link.status import series_status

    conn = sqlite3.connect(store)
    rows = conn.execute(
        "SELECT s.latest_id, s.reason, s.status, s.next_mal_id, s.next_title, s.next_date,"
        " f.mal_id IS NOT NULL FROM forecast_series s LEFT JOIN forecast f"
        " ON f.mal_id = s.latest_id").fetchall()
    today = conn.execute("SELECT max(as_of) FROM snapshot").fetchone()[0]
    assert {r[2] for r in rows} <= {"announced", "airing", "not announced", "concluded"}
    assert all(r[2] in ("not announced", "concluded") for r in rows if r[6])
    announced = [r for r in rows if r[2] == "announced"]
    assert announced, "the synthetic catalogue lists announced continuations"
    for latest, _reason, status, next_id, title, _date, _ in announced[:5]:
        st = series_status(conn, latest, today)
        assert st.status == status
        if st.evidence[0].mal_id is not None:
            assert next_id == st.evidence[0].mal_id and title
    conn.close()


def test_home_names_the_season_that_aired_beside_the_announced_one(store: Path) -> None:
    """A series whose announced season the catalogue lists (not yet aired) is shown by its
    latest season that aired, with the announced one as "Next" — not the announced season
    twice."""
    import sqlite3

    from nextseason.store.forecasts import announced_series

    conn = sqlite3.connect(store)
    listed_upcoming = conn.execute(
        "SELECT count(*) FROM forecast_series s JOIN anime a ON a.mal_id = s.latest_id"
        " WHERE s.status = 'announced' AND a.status = 'not_yet_aired'").fetchone()[0]
    assert listed_upcoming, "the synthetic catalogue lists announced seasons"
    cards = announced_series(conn)
    assert cards
    for mal_id, title, _type, end_date, next_title, _next_type, _next_date in cards:
        status = conn.execute("SELECT status FROM anime WHERE mal_id = ?",
                              (mal_id,)).fetchone()[0]
        assert status != "not_yet_aired" and end_date, title
        assert title != next_title
    conn.close()
