"""A rebuild keeps the user's data, refuses to shrink, and cleans up after killed builds
(issue 9)."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import os
import sqlite3
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nextseason.claims.articles import ingest_paths, list_articles
from nextseason.claims.extract import extract_claims
from nextseason.cli import app
from nextseason.errors import InputError, ShrinkError, StoreError
from nextseason.pipeline import BuildReport, build
from nextseason.store import connect

J2025 = "mal_2025_jikan_v4/anime_data.csv.gz"
ARTICLE = ("Season 2 announced\n\nThe second season of the show was announced on "
           "March 3, 2024. It will premiere in January 2025 with 12 episodes.\n")


build_module = sys.modules["nextseason.pipeline"]  # the module (the package exports build)


def _quick(data: Path, db: Path, **kw: object) -> BuildReport:
    return build(data, db, forecasts=False, **kw)  # type: ignore[arg-type]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _keep_rows(path: Path, n: int) -> None:
    rows = list(csv.reader(io.StringIO(gzip.decompress(path.read_bytes()).decode())))
    buf = io.StringIO()
    csv.writer(buf).writerows(rows[: n + 1])
    path.write_bytes(gzip.compress(buf.getvalue().encode()))


def _ingest(db: Path, folder: Path) -> None:
    folder.mkdir()
    (folder / "news.txt").write_text(ARTICLE, encoding="utf-8")
    conn = connect(db)
    try:
        ingest_paths(conn, [folder], published="2024-03-04",
                     extract=lambda art: extract_claims(art.text))
    finally:
        conn.close()


def article_and_claim_rows(db: Path) -> tuple[list[tuple], list[tuple]]:
    """Every stored article and claim row, in a fixed order."""
    conn = sqlite3.connect(db)
    try:
        return (conn.execute("SELECT * FROM article ORDER BY id").fetchall(),
                conn.execute("SELECT * FROM claim ORDER BY article_id, idx").fetchall())
    finally:
        conn.close()


def test_articles_and_claims_survive_a_rebuild(synthetic_data: Path, tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    _quick(synthetic_data, db)
    _ingest(db, tmp_path / "articles")
    articles, claims = article_and_claim_rows(db)
    assert articles and claims
    report = _quick(synthetic_data, db)
    assert report.kept == {"article": len(articles), "claim": len(claims)}
    assert article_and_claim_rows(db) == (articles, claims)
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    assert [a.published for a in list_articles(conn)] == ["2024-03-04"]
    conn.close()


def test_the_cli_says_what_it_kept(synthetic_data: Path, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "n.db"
    _quick(synthetic_data, db)
    _ingest(db, tmp_path / "articles")
    monkeypatch.setattr(build_module, "build", _quick)
    result = CliRunner().invoke(app, ["build", "--data", str(synthetic_data), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "Kept from the previous database: 1 articles" in result.output


@pytest.mark.parametrize("rows", [0, 3])
def test_an_emptied_catalogue_does_not_replace_a_good_one(
        synthetic_data: Path, data_copy: Path, tmp_path: Path, rows: int) -> None:
    db = tmp_path / "n.db"
    _quick(synthetic_data, db)
    before = _digest(db)
    _keep_rows(data_copy / J2025, rows)  # header only, or a few of the rows
    with pytest.raises(ShrinkError, match="--allow-shrink") as info:
        _quick(data_copy, db)
    assert "jikan_2025" in str(info.value)
    assert _digest(db) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".n.db")] == []
    report = _quick(data_copy, db, allow_shrink=True)
    assert any("jikan_2025" in s for s in report.shrunk)


def test_an_empty_source_is_refused_even_without_a_previous_database(
        data_copy: Path, tmp_path: Path) -> None:
    _keep_rows(data_copy / J2025, 0)
    with pytest.raises(ShrinkError, match="jikan_2025 is empty"):
        _quick(data_copy, tmp_path / "n.db")
    assert not (tmp_path / "n.db").exists()


def test_a_file_that_is_not_ours_is_not_replaced(synthetic_data: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE mine (x)")
    conn.commit()
    conn.close()
    before = _digest(other)
    with pytest.raises(StoreError, match="refusing to replace it"):
        _quick(synthetic_data, other)
    assert _digest(other) == before


def test_temporaries_of_killed_builds_are_removed(synthetic_data: Path, tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    dead = 2**22 + 12345  # above any pid this machine hands out
    stale = [tmp_path / f".n.db.building-{dead}", tmp_path / f".n.db.building-{dead}-journal"]
    for p in stale:
        p.write_bytes(b"x" * 1000)
    running = tmp_path / f".n.db.building-{os.getppid()}"  # a live process: left alone
    running.write_bytes(b"y")
    report = _quick(synthetic_data, db)
    assert report.removed_stale == 2000
    assert not any(p.exists() for p in stale)
    assert running.exists()


def test_the_new_file_is_fsynced_before_it_replaces_the_old(
        synthetic_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append("fsync")
        real_fsync(fd)

    def replace(src: object, dst: object) -> None:
        events.append("replace")
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(build_module.os, "fsync", fsync)
    monkeypatch.setattr(build_module.os, "replace", replace)
    _quick(synthetic_data, tmp_path / "n.db")
    assert events == ["fsync", "replace", "fsync"]  # the file, the rename, its directory


def test_a_fifo_in_the_data_directory_is_refused_not_waited_on(
        data_copy: Path, tmp_path: Path) -> None:
    relations = data_copy / "relations_erengy" / "anime-relations.txt"
    relations.unlink()
    os.mkfifo(relations)
    with pytest.raises(InputError, match="not a regular file"):
        _quick(data_copy, tmp_path / "n.db")
