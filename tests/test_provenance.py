"""Provenance: every stored article keeps where it came from, and claims cite articles by
title, site or file name and date — agreeing claims as well as conflicting ones."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import pytest
from rich.console import Console

from nextseason.claims.articles import (
    citation,
    get_article,
    ingest_paths,
    load_claims,
    site_of,
)
from nextseason.claims.extract import extract_claims
from nextseason.claims.reconcile import reconcile
from nextseason.report.render_claims import reconciliation_text
from nextseason.store import connect

BODY = ("The first season of Kumo no Hana aired from April 5, 2021, to June 28, 2021, with "
        "twelve episodes. A second season has not been announced.\n")


@pytest.fixture
def conn(tmp_path: Path) -> sqlite3.Connection:
    c = connect(tmp_path / "p.db")
    c.execute("INSERT INTO snapshot (id, name, kind, as_of, file, content_hash, row_count,"
              " stored_count) VALUES (1, 'jikan_2025', 'catalogue', '2025-03-24', 'f', 'h', 0,"
              " 0)")
    c.execute("INSERT INTO anime (mal_id, title, type, source_type, episodes, start_date,"
              " end_date, status, first_snapshot, last_snapshot) VALUES (1, 'Kumo no Hana',"
              " 'TV', 'Light novel', 12, '2021-04-05', '2021-06-28', 'finished', 1, 1)")
    return c


def _files(tmp_path: Path) -> list[Path]:
    a = tmp_path / "kumo-news.txt"
    a.write_text("URL: https://www.example.com/kumo-no-hana-season-2\n"
                 "TITLE: Kumo no Hana Season 2: What We Know\nPUBLISHED: 2021-08-01\n---\n"
                 + BODY, encoding="utf-8")
    b = tmp_path / "kumo-blog.txt"
    b.write_text("TITLE: Is Kumo no Hana Coming Back?\nPUBLISHED: 2021-09-10\n---\n" + BODY
                 + "Fans keep asking.\n", encoding="utf-8")
    c = tmp_path / "kumo-notes.txt"
    c.write_text("date 2021-10-02\n" + BODY + "Nothing else is known.\n", encoding="utf-8")
    return [a, b, c]


def _ingest(conn: sqlite3.Connection, files: list[Path]) -> list[str]:
    results = ingest_paths(
        conn, files, resolve_subject=lambda art: ("Kumo no Hana", 1),
        extract=lambda art: extract_claims(art.text, as_of=art.published, title=art.title))
    return [r.article_id for r in results]


def test_each_article_keeps_its_address_or_file_name(conn: sqlite3.Connection,
                                                     tmp_path: Path) -> None:
    ids = _ingest(conn, _files(tmp_path))
    news, blog, notes = (get_article(conn, i) for i in ids)
    assert news is not None and blog is not None and notes is not None
    assert news.url == "https://www.example.com/kumo-no-hana-season-2"
    assert (news.site, news.origin) == ("example.com", news.url)
    assert news.title == "Kumo no Hana Season 2: What We Know"
    assert news.published == "2021-08-01" and "URL:" not in news.text
    assert (blog.url, blog.site, blog.origin) == (None, None, "kumo-blog.txt")
    assert notes.origin == "kumo-notes.txt" and notes.published == "2021-10-02"
    assert news.citation == "Kumo no Hana Season 2: What We Know (example.com)"
    assert blog.citation == "Is Kumo no Hana Coming Back? (kumo-blog.txt)"


def test_agreeing_claims_cite_every_article(conn: sqlite3.Connection, tmp_path: Path) -> None:
    _ingest(conn, _files(tmp_path))
    rec = reconcile(conn, 1, load_claims(conn, 1))
    groups = {(g.field, g.qualifier): g for g in rec.groups}
    status = groups[("renewal_status", "season 2")]
    assert status.status == "agrees"
    assert "confirmed by 3 articles: " in status.reason
    assert "Kumo no Hana Season 2: What We Know (example.com), 2021-08-01" in status.reason
    assert "Is Kumo no Hana Coming Back? (kumo-blog.txt), 2021-09-10" in status.reason
    assert "kumo-notes" in status.reason
    buf = io.StringIO()
    reconciliation_text(rec, Console(file=buf, width=200))
    assert "example.com" in buf.getvalue() and "kumo-blog.txt" in buf.getvalue()


@pytest.mark.parametrize("url, site", [
    ("https://www.example.com/a", "example.com"), ("http://news.example.org", "news.example.org"),
    ("not a url", None), (None, None),
])
def test_site_of(url: str | None, site: str | None) -> None:
    assert site_of(url) == site


def test_citation_falls_back_to_the_file_then_the_id() -> None:
    assert citation(None, None, "/a/b/story.txt", "0123456789abcdef") == "story.txt"
    assert citation(None, None, None, "0123456789abcdef") == "article 01234567"
    assert citation("T", "site.org", "https://site.org/x", "0") == "T (site.org)"
