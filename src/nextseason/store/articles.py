"""Articles and their claims: ``article`` (one row per text, its id a hash of the text) and
``claim`` (what an article states, with the quote and its place).

The claim column ``end`` is a reserved word in PostgreSQL, so it is always written quoted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ._util import marks
from .conn import Conn

__all__ = [
    "ARTICLE_COLUMNS",
    "CLAIM_COLUMNS",
    "article_header",
    "add_article",
    "add_claims",
    "claims_of_article",
    "claims_about",
    "status_claims_about",
    "articles",
    "article",
    "article_sources",
]

#: The columns an article is stored with, in the order :func:`add_article` takes them.
ARTICLE_COLUMNS = ("id", "url", "title", "published", "published_source", "format", "path",
                   "text", "subject", "subject_mal_id", "origin", "site")
#: The columns a claim is stored with, in the order :func:`add_claims` takes them.
CLAIM_COLUMNS = ("article_id", "idx", "field", "value", "qualifier", "subject",
                 "subject_mal_id", "quote", "start", "end", "as_of", "confidence")


def _quoted(columns: Sequence[str]) -> str:
    return ", ".join(f'"{c}"' if c == "end" else c for c in columns)


def article_header(conn: Conn, article_id: str) -> Any:
    """(published, published_source, subject, subject_mal_id, title, path) of a stored
    article, or None."""
    return conn.execute(
        "SELECT published, published_source, subject, subject_mal_id, title, path "
        "FROM article WHERE id = ?", (article_id,)).fetchone()


def add_article(conn: Conn, values: Sequence[Any]) -> None:
    """One article (values in :data:`ARTICLE_COLUMNS` order)."""
    conn.execute(f"INSERT INTO article ({_quoted(ARTICLE_COLUMNS)})"
                 f" VALUES ({marks(len(ARTICLE_COLUMNS))})", tuple(values))


def add_claims(conn: Conn, rows: Iterable[Sequence[Any]]) -> None:
    """Claims (each in :data:`CLAIM_COLUMNS` order)."""
    conn.executemany(f"INSERT INTO claim ({_quoted(CLAIM_COLUMNS)})"
                     f" VALUES ({marks(len(CLAIM_COLUMNS))})", [tuple(r) for r in rows])


_CLAIM_SELECT = (
    'SELECT c.field, c.value, c.qualifier, c.subject, c.subject_mal_id, c.quote, c.start, c."end",'
    " c.article_id, c.as_of, c.confidence FROM claim c"
)


def claims_of_article(conn: Conn, article_id: str) -> list[Any]:
    """The claims of one article (rows with the claim's columns), in the article's order."""
    return conn.execute(_CLAIM_SELECT + " WHERE c.article_id = ? ORDER BY c.idx",
                        (article_id,)).fetchall()


def claims_about(conn: Conn, subject_mal_id: int) -> list[Any]:
    """Every claim about one show, oldest article first (undated last)."""
    return conn.execute(
        _CLAIM_SELECT + " WHERE c.subject_mal_id = ?"
        " ORDER BY CASE WHEN c.as_of IS NULL THEN 1 ELSE 0 END, c.as_of, c.article_id, c.idx",
        (subject_mal_id,)).fetchall()


def status_claims_about(conn: Conn, mal_ids: Sequence[int]) -> list[tuple[Any, ...]]:
    """(value, qualifier, article_id, as_of, quote) of the renewal-status claims about the
    shows, by date."""
    return [tuple(r) for r in conn.execute(
        "SELECT c.value, c.qualifier, c.article_id, c.as_of, c.quote FROM claim c"
        f" WHERE c.field = 'renewal_status' AND c.subject_mal_id IN ({marks(len(mal_ids))})"
        " ORDER BY c.as_of NULLS FIRST", list(mal_ids))]


_ARTICLE_SELECT = (
    "SELECT a.id, a.url, a.title, a.published, a.published_source, a.format, a.path, "
    "a.subject, a.subject_mal_id, a.text, a.origin, a.site, "
    "(SELECT count(*) FROM claim c WHERE c.article_id = a.id) AS claims FROM article a"
)
_ARTICLE_ORDER = (" ORDER BY CASE WHEN a.published IS NULL THEN 1 ELSE 0 END, a.published,"
                  " a.id")


def articles(conn: Conn, subject_mal_id: int | None = None) -> list[Any]:
    """Stored articles (all, or those about one show or with a claim about it), with their
    number of claims (``claims``), oldest first, undated last."""
    if subject_mal_id is None:
        return conn.execute(_ARTICLE_SELECT + _ARTICLE_ORDER).fetchall()
    return conn.execute(
        _ARTICLE_SELECT + " WHERE a.subject_mal_id = ? OR a.id IN "
        "(SELECT article_id FROM claim WHERE subject_mal_id = ?)" + _ARTICLE_ORDER,
        (subject_mal_id, subject_mal_id),
    ).fetchall()


def article(conn: Conn, article_id: str) -> Any:
    """One stored article (as :func:`articles` gives them), or None."""
    return conn.execute(_ARTICLE_SELECT + " WHERE a.id = ?", (article_id,)).fetchone()


def article_sources(conn: Conn) -> list[tuple[Any, ...]]:
    """(id, title, site, origin, published, url) of every stored article."""
    return [tuple(r) for r in conn.execute(
        "SELECT id, title, site, origin, published, url FROM article")]

