"""The CLI edge: each command on a synthetic database, JSON output, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nextseason.cli import app

runner = CliRunner()


def test_build_then_show_and_search(synthetic, tmp_path: Path) -> None:
    data, cat = synthetic
    db = tmp_path / "n.db"
    result = runner.invoke(app, ["build", "--data", str(data), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "Built" in result.output and "mal_2018" in result.output

    by_id = {s.mal_id: s for s in cat.shows}
    franchise = by_id[cat.sequels[0][1]].franchise
    chain = [s for s in cat.shows if s.franchise == franchise]
    first = chain[0]
    result = runner.invoke(app, ["search", first.title, "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.output)
    assert hits[0]["mal_id"] == first.mal_id

    result = runner.invoke(app, ["show", first.title, "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["mal_id"] == first.mal_id
    listed = {e["mal_id"] for e in report["entries"]}
    assert {s.mal_id for s in chain} <= listed
    seasons = {e["mal_id"]: e["season_number"] for e in report["entries"]}
    for s in chain:
        if s.type in ("TV", "ONA"):
            assert seasons[s.mal_id] == s.season_number
    assert report["source_works"][0]["manga_id"] == first.manga_id
    metrics = {o["metric"]: o for o in report["latest"]}
    assert metrics["members"]["value"] == first.members
    assert metrics["members"]["observed_at"] == "2025-03-24"

    result = runner.invoke(app, ["show", str(first.mal_id), "--db", str(db)])
    assert result.exit_code == 0
    assert first.title in result.output and "Source material" in result.output


def test_show_unknown_title(built_db: Path) -> None:
    result = runner.invoke(app, ["show", "zzzzqqqq xxyy", "--db", str(built_db)])
    assert result.exit_code == 4
    assert "No show called" in result.output


def test_show_unknown_id(built_db: Path) -> None:
    result = runner.invoke(app, ["show", "123456789", "--db", str(built_db)])
    assert result.exit_code == 4 and "MAL id 123456789" in result.output


def test_no_database_yet(tmp_path: Path) -> None:
    result = runner.invoke(app, ["show", "x", "--db", str(tmp_path / "none.db")])
    assert result.exit_code != 0
    assert "nextseason build" in result.output


def test_not_a_database(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"not sqlite at all" * 100)
    result = runner.invoke(app, ["search", "x", "--db", str(bogus)])
    assert result.exit_code != 0 and "not a nextseason database" in result.output


def test_build_without_data(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("NEXTSEASON_DATA", raising=False)
    result = runner.invoke(app, ["build", "--db", str(tmp_path / "n.db")])
    assert result.exit_code == 2
    assert "--data" in result.output and "SOURCES.md" in result.output


def test_db_from_environment(built_db: Path, monkeypatch) -> None:
    monkeypatch.setenv("NEXTSEASON_DB", str(built_db))
    result = runner.invoke(app, ["search", "Sample Alias", "--json"])
    assert result.exit_code == 0 and json.loads(result.output)


def test_help_lists_every_command() -> None:
    result = runner.invoke(app, ["--help"])
    for cmd in ("build", "search", "show", "data"):
        assert cmd in result.output


def test_readme_documents_every_command() -> None:
    import typer

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    root = typer.main.get_command(app)
    for name, cmd in root.commands.items():  # type: ignore[attr-defined]
        subs = getattr(cmd, "commands", None) or {"": cmd}
        for sub in subs:
            full = f"nextseason {name} {sub}".strip()
            assert f"### {full}\n" in readme, f"`{full}` is not in the README's CLI reference"


def test_outlook_not_found_as_json(built_db: Path) -> None:
    result = runner.invoke(app, ["outlook", "zzzzqqqq xxyy", "--format", "json",
                                 "--db", str(built_db)])
    assert result.exit_code == 4
    body = json.loads(result.stdout)
    assert body["error"] == "not_found" and body["query"] == "zzzzqqqq xxyy"
    assert isinstance(body["candidates"], list)


@pytest.mark.parametrize("query", ["", "!!!", "x", "a" * 10_000])
@pytest.mark.parametrize("command", ["outlook", "show", "forecast"])
def test_queries_that_cannot_name_a_show_exit_2(built_db: Path, command: str,
                                                query: str) -> None:
    result = runner.invoke(app, [command, query, "--db", str(built_db)])
    assert result.exit_code == 2, result.output
    assert "error:" in result.output and "Traceback" not in result.output
