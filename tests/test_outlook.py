"""The outlook report through every renderer, against golden files.

The fixture store is the synthetic catalogue, built without the model, with one forecast
row written by hand: the golden files depend on the report and its renderers, not on model
numerics. Set UPDATE_GOLDEN=1 to rewrite them after a deliberate change.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from nextseason.cli import app
from nextseason.fixtures import write_synthetic_data
from nextseason.pipeline import build
from nextseason.report.outlook import build_outlook
from nextseason.report.render_html import outlook_page
from nextseason.report.render_outlook import outlook_markdown, outlook_text
from nextseason.store import connect, connect_readonly

#: the date answers are made on, fixed so that "N months ago" stays the same
TODAY = "2026-11-30"

GOLDEN = Path(__file__).parent / "golden"
SHOW = 1000  # the synthetic catalogue's first show


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("outlook")
    write_synthetic_data(folder / "raw", seed=0)
    db = folder / "n.db"
    build(folder / "raw", db, forecasts=False)
    conn = connect(db)
    curve = [[round(1.5 + h, 2), round(min(0.6, 0.08 * h), 4)] for h in range(0, 9)]
    conn.execute("INSERT INTO forecast VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", (
        SHOW, "2025-03-24", "ensemble", "2023-09-30", 1.5, 0.08, 0.16, 0.24, 0.4, 0.6,
        json.dumps(curve),
        json.dumps([{"name": "popularity in its season", "effect": 0.05,
                     "detail": "more members than 90% of the shows that started that year"}]),
        json.dumps([{"mal_id": 1001, "title": "<b>Bold</b> Show", "ended": "2015-03-01",
                     "outcome": "next season 2.0 years after it ended", "years_to_next": 2.0}]),
        json.dumps({"pop_pct": 0.9, "src_linked": 1.0, "src_volumes_left": 6.0})))
    conn.execute("INSERT INTO forecast_series VALUES (?, ?, '')", (SHOW, SHOW))
    conn.close()
    return db


@pytest.fixture(scope="module")
def report(store: Path):
    conn = connect_readonly(store)
    try:
        return build_outlook(conn, SHOW, today=TODAY)
    finally:
        conn.close()


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") or not path.exists():
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


def test_report_object(report) -> None:
    assert report.headline.status == "not announced"
    assert report.headline.probabilities["p_3y"] == pytest.approx(0.24)
    assert report.headline.window
    assert report.facts and all(1 <= f.source <= len(report.sources) for f in report.facts)
    assert report.curve and report.timeline
    assert any("2020" in lim for lim in report.limits)


def test_text(report) -> None:
    console = Console(width=100, record=True, color_system=None, file=open(os.devnull, "w"))
    outlook_text(report, console)
    _golden("outlook.txt", console.export_text())


def test_markdown(report, tmp_path: Path) -> None:
    md = outlook_markdown(report, tmp_path / "out.md")
    assert (tmp_path / "out-curve.svg").read_text(encoding="utf-8").startswith("<svg")
    assert (tmp_path / "out-timeline.svg").exists()
    assert "\\<b\\>Bold\\</b\\> Show" in md  # markup in data is escaped
    _golden("outlook.md", md)


def test_html(report) -> None:
    html = outlook_page(report)
    assert "<script" not in html and "&lt;b&gt;Bold&lt;/b&gt; Show" in html
    assert html.count('class="chart-svg"') == 2  # the curve and the timeline
    _golden("outlook.html", html)


def test_json(report) -> None:
    data = json.loads(json.dumps(report.to_dict()))
    for key in ("headline", "facts", "source_material", "popularity", "factors", "comparables",
                "disagreements", "limits", "sources", "curve", "timeline"):
        assert key in data
    _golden("outlook.json", json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True))


def test_cli_formats(store: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    for fmt in ("text", "json", "html"):
        result = runner.invoke(app, ["outlook", str(SHOW), "--format", fmt, "--db", str(store)])
        assert result.exit_code == 0, result.output
    target = tmp_path / "o.md"
    result = runner.invoke(app, ["outlook", str(SHOW), "--format", "md", "-o", str(target),
                                 "--db", str(store)])
    assert result.exit_code == 0 and target.exists() and (tmp_path / "o-curve.svg").exists()
    bad = runner.invoke(app, ["outlook", str(SHOW), "--format", "pdf", "--db", str(store)])
    assert bad.exit_code == 2


def test_not_forecast_show(store: Path) -> None:
    conn = connect_readonly(store)
    try:
        other = conn.execute("SELECT mal_id FROM anime WHERE type = 'Movie' LIMIT 1").fetchone()
        r = build_outlook(conn, other[0], today=TODAY)
    finally:
        conn.close()
    assert r.headline.status in ("not announced", "announced", "airing", "concluded")
    assert not r.headline.probabilities and r.curve == []
    assert r.headline.no_forecast_reason  # says why there is no chance to show


def test_hostile_url_is_not_a_link(store: Path, tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    db.write_bytes(store.read_bytes())
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO article (id, url, published_source, format, text, subject_mal_id)"
                 " VALUES ('a1', 'javascript:alert(1)', 'unknown', 'txt', 'x', ?)", (SHOW,))
    conn.execute("INSERT INTO claim VALUES ('a1', 0, 'episode_count', '99', 'season 1', 'x',"
                 " ?, 'x', 0, 1, NULL, 0.9)", (SHOW,))
    conn.commit()
    conn.close()
    r = build_outlook(connect_readonly(db), SHOW, today=TODAY)
    assert all(s.url is None for s in r.sources)
    assert "javascript:" not in outlook_page(r)


def test_as_of_an_earlier_date(store: Path, tmp_path: Path, monkeypatch) -> None:
    """--as-of makes the forecast live, from what was known then, and says so."""
    monkeypatch.setenv("NEXTSEASON_CACHE", str(tmp_path / "cache"))
    runner = CliRunner()
    batch = runner.invoke(app, ["forecast", "--format", "jsonl", "--as-of", "2021-01-24",
                                "--db", str(store)])
    eligible = next(json.loads(x) for x in batch.stdout.splitlines()
                    if x.strip() and not json.loads(x)["reason"])
    result = runner.invoke(app, ["outlook", str(eligible["mal_id"]), "--as-of", "2021-01-24",
                                 "--format", "json", "--db", str(store)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["headline"]["as_of"] == "2021-01-24"
    assert data["headline"]["probabilities"]["p_3y"] == pytest.approx(eligible["p_3y"])
    assert "only what was known on 2021-01-24" in data["limits"][0]
    bad = runner.invoke(app, ["outlook", str(SHOW), "--as-of", "2021-02-30", "--db",
                              str(store)])
    assert bad.exit_code == 2 and "not a date" in bad.output


def test_the_age_of_the_answer() -> None:
    from nextseason.report.outlook import data_age

    assert data_age("2025-03-24", "2026-11-30") == "catalogue as of 24 March 2025, 20 months ago"
    assert data_age("2025-03-24", "2025-04-23") == "catalogue as of 24 March 2025, 30 days ago"
    assert data_age("2025-03-24", "2025-03-24") == "catalogue as of 24 March 2025, today"
    assert data_age("2025-03-24", "2025-04-24") == "catalogue as of 24 March 2025, 1 month ago"


def test_today_is_an_argument_not_the_clock(store: Path) -> None:
    conn = connect_readonly(store)
    try:
        early = build_outlook(conn, SHOW, today="2025-04-24")
        late = build_outlook(conn, SHOW, today=TODAY)
    finally:
        conn.close()
    assert early.data_age.endswith("1 month ago") and late.data_age.endswith("20 months ago")
    assert early.today == "2025-04-24"
