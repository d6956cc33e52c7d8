"""A hostile user's options, locks, stale pages and text that is not quite text (issue 9).

Every command must answer a bad value with one line and a non-zero exit, never a traceback;
a busy database is reported as busy, by the CLI (exit 6) and the web app (503, Retry-After);
the web app sees a changed database; URLs and terminal output stay text.
"""

from __future__ import annotations

import dataclasses
import io
import os
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rich.console import Console
from typer.testing import CliRunner

from nextseason import cli
from nextseason.claims.articles import ingest_article
from nextseason.claims.extract import extract_claims
from nextseason.claims.reader import read_article
from nextseason.cli import app
from nextseason.errors import InputError
from nextseason.report.outlook import Source, build_outlook
from nextseason.report.render_outlook import outlook_markdown
from nextseason.store import connect
from nextseason.store import db as store_db
from nextseason.textsafe import check_url, markdown_url, terminal_safe
from nextseason.web import create_app

TODAY = date(2025, 6, 1)
ARTICLE = ("Season 2 announced\n\nThe second season was announced on March 3, 2024. It will "
           "premiere in January 2025 with 12 episodes.\n")


@pytest.fixture
def db(built_db: Path, tmp_path: Path) -> Path:
    """A private copy of the synthetic database (with forecasts)."""
    path = tmp_path / "n.db"
    shutil.copy(built_db, path)
    return path


@pytest.fixture
def mal_id(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("SELECT mal_id FROM forecast ORDER BY mal_id").fetchone()[0])
    finally:
        conn.close()


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "_today", lambda: TODAY)


@pytest.fixture
def quick_busy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Wait 0.2 s for a lock instead of 5 s."""
    monkeypatch.setattr(store_db, "BUSY_TIMEOUT", 0.2)


def invoke(*args: str) -> tuple[int, str]:
    """Run the real entry point (``app(...)``, as the console script does, with the last
    line of defence); return the exit code and everything printed."""
    runner = CliRunner()
    result = runner.invoke(app, list(args), catch_exceptions=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{args}: {result.exception!r}\n{result.output}")
    assert "Traceback" not in result.output
    return result.exit_code, result.output


# ------------------------------------------------------------------------ option values


def _not_ours(tmp_path: Path) -> Path:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE mine (x)")
    conn.commit()
    conn.close()
    return path


def test_bad_option_values_are_one_line_errors(db: Path, tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    other = _not_ours(tmp_path)
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database at all" * 100)
    d = ["--db", str(db)]
    cases: list[tuple[list[str], str]] = [
        (["forecast", "--as-of", "0001-01-01", *d], "before 1900-01-01"),
        (["forecast", "--as-of", "9999-12-31", *d], "after today"),
        (["forecast", "--until", "2999-12-31", *d], "more than 30 years ahead"),
        (["forecast", "--as-of", "2025-02-30", *d], "is not a date"),
        (["outlook", "1", "--as-of", "1899-12-31", *d], "before 1900"),
        (["outlook", "1", "--as-of", "2025-06-02", *d], "after today (2025-06-01)"),
        (["ingest", str(article), "--published", "2999-12-31", *d], "after today"),
        (["ingest", str(article), "--published", "0001-01-01", *d], "before 1900"),
        (["show", "1" * 24, *d], "No anime with MAL id"),
        (["outlook", "9" * 24, *d], "No anime with MAL id"),
        (["claims", "²", *d], "too short to name a show"),
        (["forecast", "-o", str(tmp_path / "no" / "such" / "x.csv"), *d], "does not exist"),
        (["forecast", "-o", str(tmp_path), *d], "is a directory"),
        (["outlook", "1", "--format", "md", "-o", str(tmp_path / "nope" / "o.md"), *d],
         "does not exist"),
        (["search", "x", "--db", str(other)], "not a nextseason database"),
        (["search", "x", "--db", str(garbage)], "not a nextseason database"),
        (["ingest", str(article), "--db", str(other)], "not a nextseason database"),
        (["ingest", str(article), "--url", "javascript:alert(1)", *d], "http:// or https://"),
        (["ingest", str(article), "--url", "not a url", *d], "contains spaces"),
        (["ingest", str(article), "--max-bytes", "0", *d], "--max-bytes"),
        (["serve", "--port", "99999", *d], "--port"),
    ]
    for args, message in cases:
        code, output = invoke(*args)
        assert code != 0, (args, output)
        assert message in " ".join(output.split()), (args, output)
    conn = sqlite3.connect(other)
    assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["mine"]
    conn.close()


def test_unexpected_errors_are_one_line_too(monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """The console script's last line of defence: a bug prints one line, exit 70."""
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("nextseason.catalogue.resolve.resolve_anime", boom)
    monkeypatch.setattr(cli, "_readonly", boom)
    with pytest.raises(SystemExit) as info:
        app(["show", "x"], prog_name="nextseason")
    assert info.value.code == 70
    err = capsys.readouterr().err
    assert "internal error (RuntimeError: boom)" in err and "Traceback" not in err


def test_a_fifo_named_like_an_article_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "article.txt"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        read_article(fifo)
    code, output = invoke("extract", str(fifo), "--db", str(tmp_path / "none.db"))
    assert code == 3 and "not a regular file" in output


# ---------------------------------------------------------------------------------- locks


@pytest.fixture
def writer(db: Path) -> Iterator[sqlite3.Connection]:
    """Another process's write transaction, holding the RESERVED lock."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO article (id, published_source, format, text) "
                 "VALUES ('x', 'unknown', 'txt', 'x')")
    yield conn
    conn.execute("ROLLBACK")
    conn.close()


def test_a_writer_that_cannot_get_the_lock_says_so(db: Path, tmp_path: Path, quick_busy: None,
                                                   writer: sqlite3.Connection) -> None:
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    code, output = invoke("ingest", str(article), "--db", str(db))
    assert code == 6
    assert "the database is busy" in " ".join(output.split())


def test_readers_are_told_busy_not_not_ours(db: Path, quick_busy: None) -> None:
    locker = sqlite3.connect(db, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")  # a commit in progress: readers must wait
    try:
        code, output = invoke("search", "x", "--db", str(db))
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    assert code == 6
    assert "busy" in output and "not a nextseason database" not in output


def test_the_web_app_answers_503_with_retry_after(db: Path, quick_busy: None) -> None:
    with TestClient(create_app(db), raise_server_exceptions=False) as client:
        locker = sqlite3.connect(db, isolation_level=None)
        locker.execute("BEGIN EXCLUSIVE")
        try:
            api = client.get("/api/season/2020/winter")
            page = client.get("/")
        finally:
            locker.execute("ROLLBACK")
            locker.close()
        for response in (api, page):
            assert response.status_code == 503
            assert response.headers["Retry-After"] == "5"
        assert client.get("/").status_code == 200  # and back once the lock is gone


def test_the_web_app_notices_a_changed_database(db: Path, mal_id: int) -> None:
    url = "https://example.org/season-2-news"
    with TestClient(create_app(db), raise_server_exceptions=False) as client:
        before = client.get(f"/api/outlook/{mal_id}").json()
        assert url not in str(before["sources"])
        conn = connect(db)
        art = read_article_text(ARTICLE)
        ingest_article(conn, art, extract_claims(art.text), url=url, published="2024-03-04",
                       subject="x", subject_mal_id=mal_id)
        conn.close()
        after = client.get(f"/api/outlook/{mal_id}").json()
        assert url in str(after["sources"])
        page = client.get(f"/anime/{mal_id}")
        assert "example.org/season-2-news" in page.text


def read_article_text(text: str):  # type: ignore[no-untyped-def]
    from nextseason.claims.reader import ArticleText

    return ArticleText(text, "txt", None, None, None, None)


# ------------------------------------------------------------------------ text is text


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://x.org/a", "//x.org/a", "x.org",
                                 "https://x.org/a b", "https://x.org/\x1b[2J", "https://",
                                 "https://x.org/<script>", "https://" + "a" * 3000])
def test_only_http_urls_are_accepted(url: str) -> None:
    with pytest.raises(InputError):
        check_url(url)


def test_good_urls_are_kept() -> None:
    assert check_url(None) is None and check_url("  ") is None
    assert check_url(" https://x.org/a?b=1#c ") == "https://x.org/a?b=1#c"


def test_a_stored_url_cannot_inject_markdown(db: Path, mal_id: int) -> None:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    report = build_outlook(conn, mal_id, today="2026-11-30")
    conn.close()
    hostile = "https://x.org/a> <script>alert(1)</script>\n# Owned [x](javascript:alert(1))"
    report = dataclasses.replace(report, sources=[
        Source(1, "article", "news", "2024-01-01", "", hostile),
        Source(2, "article", "bad", "2024-01-01", "", "javascript:alert(1)")])
    md = outlook_markdown(report)
    assert "<script>" not in md and "\n# Owned" not in md and "(javascript:" not in md
    assert "<javascript:" not in md
    assert markdown_url(hostile) in md
    assert markdown_url("javascript:alert(1)") is None


def test_terminal_output_loses_escape_sequences(tmp_path: Path) -> None:
    hostile = "Season 2\x1b]0;pwned\x07 was \x1b[2J\x1b[31mannounced\u202e\x9b1m on March 3, 2024."
    assert terminal_safe(hostile) == "Season 2 was announced on March 3, 2024."
    buf = io.StringIO()
    console = cli._SafeConsole(file=buf, force_terminal=True, color_system="standard",
                               highlight=False)  # (as the CLI's consoles)
    console.print(f"[red]{hostile}[/red]")
    printed = buf.getvalue()
    assert "\x1b[31m" in printed  # Rich's own styling stays
    assert "pwned" not in printed and "\x1b[2J" not in printed and "\u202e" not in printed
    plain = Console(file=io.StringIO(), force_terminal=True, highlight=False)
    plain.print(hostile)
    assert "\x1b[2J" in plain.file.getvalue()  # type: ignore[attr-defined]  # (Rich alone)
    article = tmp_path / "a.txt"
    article.write_text(hostile + "\n\nThe second season has 12 episodes.\n", encoding="utf-8")
    code, output = invoke("extract", str(article), "--db", str(tmp_path / "none.db"))
    assert code == 0 and "\x1b" not in output and "\u202e" not in output


def test_a_file_name_that_is_not_utf8_is_printed_and_stored(db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "odd"
    folder.mkdir()
    name = os.fsdecode(b"news\xff\x1b[2J.txt")  # a lone surrogate and an escape sequence
    (folder / name).write_text(ARTICLE, encoding="utf-8")
    code, output = invoke("extract", str(folder / name), "--db", str(db))
    assert code == 0 and "\x1b" not in output
    code, output = invoke("ingest", str(folder), "--db", str(db))
    assert code == 0 and "stored" in output, output
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT path FROM article").fetchone()[0].endswith("news\ufffd\x1b[2J.txt")
    conn.close()


def test_an_ingest_racing_a_rebuild_ends_up_in_the_new_database(
        db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build that replaced the file after copying the articles but before this ingest
    committed would lose them; the ingest notices the new file and stores them there too."""
    import nextseason.claims.pipeline as pipeline

    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    rebuilt = tmp_path / "rebuilt.db"
    shutil.copy(db, rebuilt)  # the new database, carrying what was there before the ingest
    real = pipeline.run_ingest
    calls = []

    def racing(*args: object, **kwargs: object) -> object:
        result = real(*args, **kwargs)  # type: ignore[arg-type]
        if not calls:
            os.replace(rebuilt, db)  # the build's atomic replace, just after the commit
        calls.append(1)
        return result

    monkeypatch.setattr(pipeline, "run_ingest", racing)
    code, output = invoke("ingest", str(article), "--db", str(db))
    assert code == 0 and ": stored," in output and len(calls) == 2
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM article").fetchone()[0] == 1
    conn.close()
