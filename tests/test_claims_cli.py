"""`extract`, `ingest` and `claims` at the CLI edge, on a synthetic store."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nextseason.cli import app
from nextseason.fixtures import SyntheticCatalogue

runner = CliRunner()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def store(built_db: Path, tmp_path: Path) -> Path:
    db = tmp_path / "n.db"
    shutil.copy(built_db, db)
    return db


@pytest.fixture
def article(synthetic: tuple[Path, SyntheticCatalogue], tmp_path: Path) -> tuple[Path, int]:
    """An article about the first finished TV show of the synthetic catalogue, with one date
    that agrees with the catalogue and one that does not."""
    _data, cat = synthetic
    show = next(s for s in cat.shows if s.type == "TV" and s.season_number == 1
                and 2015 <= s.start.year <= 2020)
    wrong = show.start.replace(day=1 if show.start.day != 1 else 2)
    text = (
        f"{show.title} Season 2: Will It Return?\n\n"
        f"The first season of {show.title} aired from {show.start:%B} {show.start.day},"
        f" {show.start.year}, to {show.end:%B} {show.end.day}, {show.end.year}, with a total of"
        f" {show.episodes} episodes.\n\n"
        f"Season 1 Release Date: {wrong:%B} {wrong.day}, {wrong.year}\n\n"
        "As of now, there has been no official confirmation of a second season."
        " A second season seems unlikely.\n"
    )
    path = tmp_path / "article.txt"
    path.write_text(text, encoding="utf-8")
    return path, show.mal_id


def test_extract_touches_nothing(store: Path, article: tuple[Path, int]) -> None:
    path, mal_id = article
    before = _digest(store)
    result = runner.invoke(app, ["extract", str(path), "--json", "--db", str(store)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["subject_mal_id"] == mal_id
    text = path.read_text(encoding="utf-8")
    fields = {c["field"] for c in data["claims"]}
    assert {"premiere_date", "finale_date", "episode_count", "renewal_status",
            "predicted_window"} <= fields
    for c in data["claims"]:
        assert c["quote"] == text[c["start"]:c["end"]]
    assert _digest(store) == before


def test_ingest_is_idempotent_and_claims_show_conflicts(store: Path,
                                                        article: tuple[Path, int]) -> None:
    path, mal_id = article
    first = runner.invoke(app, ["ingest", str(path), "--published", "2021-07-01",
                                "--url", "https://example.org/a", "--db", str(store)])
    assert first.exit_code == 0, first.output
    assert "stored" in first.output and "2021-07-01" in first.output
    after_first = _digest(store)
    again = runner.invoke(app, ["ingest", str(path), "--db", str(store)])
    assert again.exit_code == 0 and "already stored" in again.output
    assert _digest(store) == after_first

    result = runner.invoke(app, ["claims", str(mal_id), "--json", "--db", str(store)])
    assert result.exit_code == 0, result.output
    rec = json.loads(result.output)
    groups = {(g["field"], g["qualifier"]): g for g in rec["groups"]}
    premiere = groups[("premiere_date", "season 1")]
    assert premiere["status"] == "conflicts"
    assert any(e["source"] == "catalogue" for e in premiere["evidence"])
    assert groups[("finale_date", "season 1")]["status"] == "agrees"
    assert groups[("predicted_window", None)]["status"] == "outlook"
    assert all(e["url"] == "https://example.org/a" for g in rec["groups"]
               for e in g["evidence"] if e["source"] == "article")
    text = runner.invoke(app, ["claims", str(mal_id), "--db", str(store)])
    assert "CONFLICTS Premiere (season 1)" in text.output


def test_hostile_html_is_text(store: Path, tmp_path: Path) -> None:
    page = tmp_path / "x.html"
    page.write_text(
        "<html><head><title>Show Season 2</title><script>alert('x')</script></head><body>"
        "<nav>Home | News</nav><article><h1>Show Season 2</h1>"
        "<p>The anime has 12 episodes.<img src=x onerror=alert(1)></p>"
        "<p><a href=\"javascript:alert(1)\">click</a> A second season seems unlikely.</p>"
        "</article></body></html>", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(page), "--json", "--db", str(store)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    for c in data["claims"]:
        for bad in ("<script", "onerror", "javascript:", "<img"):
            assert bad not in c["quote"]


@pytest.mark.parametrize("name, content, says", [
    ("empty.txt", b"", "empty"),
    ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "binary"),
    ("latin.txt", "Pokémon season 2".encode("latin-1"), "UTF-8"),
    ("page.pdf", b"%PDF-1.4", "supported"),
])
def test_bad_files(store: Path, tmp_path: Path, name: str, content: bytes, says: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    before = _digest(store)
    for cmd in (["extract", str(path)], ["ingest", str(path)]):
        result = runner.invoke(app, [*cmd, "--db", str(store)])
        assert result.exit_code != 0
        assert name in result.output and says.lower() in result.output.lower(), result.output
    assert _digest(store) == before


def test_size_limit(store: Path, tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("word " * 1000, encoding="utf-8")
    result = runner.invoke(app, ["extract", str(path), "--max-bytes", "1000", "--db",
                                 str(store)])
    assert result.exit_code != 0 and "big.txt" in result.output
