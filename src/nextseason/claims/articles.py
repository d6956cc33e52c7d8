"""Storing articles and their claims: the one write path for evidence.

An article's id is a hash of its plain text (:func:`article_id`), so ingesting the same text
again — from the same file or another — changes nothing and reports ``created=False``.

The article's date, which becomes every claim's ``as_of``, is chosen in this order:

1. ``published`` given by the caller (``--published``) — source ``given``;
2. the page's metadata (HTML meta tags, JSON-LD, ``<time>``, Markdown front matter) —
   ``metadata``;
3. an explicit date marker near the top of the text — ``text``;
4. otherwise unknown: ``published`` is NULL and the source is ``unknown``.

Many articles go through :func:`store_outcomes`, whatever read and extracted them (the plain
engine, one article after another, or Dask workers, :mod:`.pipeline`): it takes them as a
stream and writes them in batches of :data:`BATCH_SIZE`, so memory stays bounded however
many files there are, and in one of two ways:

* ``strict`` — all or nothing: the batches go into **one** transaction, opened at the first
  write and committed after the last; the first file that fails raises its
  :class:`~nextseason.errors.InputError`, the transaction rolls back and the database is
  exactly as it was. :func:`ingest_paths` (the plain engine) works this way.
* not strict — each batch is its own transaction; a file that fails is reported (its name
  and why) and the rest are stored. Interrupted, the batches already committed stay, and a
  rerun stores the rest: it changes nothing for the articles already there.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..errors import InputError, RecordError
from ..store import articles as store_articles
from ..store.conn import Conn, atomic
from ..textsafe import check_url
from .model import Claim
from .reader import DEFAULT_MAX_BYTES, SUPPORTED_EXTENSIONS, ArticleText

__all__ = [
    "BATCH_SIZE",
    "Failed",
    "IngestResult",
    "IngestSummary",
    "Outcome",
    "Prepared",
    "check_quotes",
    "store_outcomes",
    "StoredArticle",
    "article_id",
    "ingest_article",
    "ingest_paths",
    "expand_paths",
    "check_one_url",
    "load_claims",
    "list_articles",
    "get_article",
    "citation",
    "article_citations",
    "site_of",
    "origin_of",
]

Extract = Callable[[ArticleText], list[Claim]]
ResolveSubject = Callable[[ArticleText], tuple[str | None, int | None]]
#: articles written per transaction (or per step of the one transaction, with ``strict``)
BATCH_SIZE = 500


@dataclass(frozen=True)
class IngestResult:
    """What ingesting one article did."""

    article_id: str
    created: bool  # False: the same text was stored already, nothing changed
    path: Path | None
    title: str | None
    published: str | None
    published_source: str  # given | metadata | text | unknown
    subject: str | None
    subject_mal_id: int | None
    claims: tuple[Claim, ...]  # as stored (for an existing article: as stored before)


@dataclass(frozen=True)
class Prepared:
    """One article read and extracted, its claims' quotes checked: ready to store."""

    art: ArticleText
    claims: tuple[Claim, ...]
    subject: str | None = None
    subject_mal_id: int | None = None


@dataclass(frozen=True)
class Failed:
    """A file that could not be read as an article (or whose claims do not check)."""

    path: str
    error: InputError  # its message names the file and says why

    @property
    def reason(self) -> str:
        return str(self.error)


#: what an engine hands the write path for each file, in the files' order
Outcome = Prepared | Failed


@dataclass
class IngestSummary:
    """What :func:`store_outcomes` did: counts, and the files that failed (not strict)."""

    stored: int = 0
    unchanged: int = 0
    claims: int = 0  # claims of the articles stored by this run
    failed: list[Failed] = field(default_factory=list)

    @property
    def files(self) -> int:
        return self.stored + self.unchanged + len(self.failed)


@dataclass(frozen=True)
class StoredArticle:
    id: str
    url: str | None
    title: str | None
    published: str | None
    published_source: str
    format: str
    path: str | None
    subject: str | None
    subject_mal_id: int | None
    claims: int
    text: str
    origin: str | None = None  # the address, else the file's name
    site: str | None = None  # the address's host, without "www."

    @property
    def citation(self) -> str:
        """How the article is cited: its title and site, else its file's name."""
        return citation(self.title, self.site, self.origin, self.id)


def site_of(url: str | None) -> str | None:
    """ "https://www.example.com/a/b" → "example.com"; None for no or a malformed address."""
    if not url:
        return None
    host = urlsplit(url).hostname
    if not host:
        return None
    return host.removeprefix("www.")


def origin_of(url: str | None, path: Path | str | None) -> str | None:
    """Where an article came from: its address, else its file's name."""
    if url:
        return url
    return Path(path).name if path else None


def citation(title: str | None, site: str | None, origin: str | None, aid: str) -> str:
    """ "Title (site)", "Title (file.txt)", "file.txt" or "article 1a2b3c4d": what a reader
    needs to find the article again."""
    where = site or (Path(origin).name if origin and "://" not in origin else None)
    if title:
        return f"{title} ({where})" if where else title
    return where or origin or f"article {aid[:8]}"


def article_citations(conn: Conn) -> dict[str, tuple[str, str | None, str | None]]:
    """article id → (citation, date, address) for every stored article."""
    return {r[0]: (citation(r[1], r[2], r[3], r[0]), r[4], r[5])
            for r in store_articles.article_sources(conn)}


def article_id(text: str) -> str:
    """The first 16 hex digits of the SHA-256 of the UTF-8 text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _check_published(published: str | None) -> str | None:
    if published is None:
        return None
    value = str(published).strip()
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise InputError(
            f"published date must be an ISO date YYYY-MM-DD (e.g. 2023-07-17), got {published!r}"
        ) from None


def ingest_article(
    conn: Conn,
    art: ArticleText,
    claims: Sequence[Claim],
    *,
    url: str | None = None,
    published: str | None = None,
    subject: str | None = None,
    subject_mal_id: int | None = None,
) -> IngestResult:
    """Store one article and its claims in one transaction; a no-op if already stored.

    Claims get ``article`` = the article's id and ``as_of`` = the article's date; a claim
    without a subject takes the article's ``subject``/``subject_mal_id``. Every claim's
    ``quote`` must equal ``art.text[start:end]`` (:class:`RecordError` otherwise).
    """
    given = _check_published(published)
    with atomic(conn):
        return _write(conn, art, claims, url=url, published=given, subject=subject,
                      subject_mal_id=subject_mal_id)


def _date_of(art: ArticleText, given: str | None) -> tuple[str | None, str]:
    if given:
        return given, "given"
    if art.published and art.published_source in ("metadata", "text"):
        return art.published, art.published_source
    return None, "unknown"


def _prepare(art: ArticleText, claims: Sequence[Claim], aid: str, as_of: str | None,
             subject: str | None, subject_mal_id: int | None) -> list[Claim]:
    out: list[Claim] = []
    where = str(art.path) if art.path else None
    for i, c in enumerate(claims):
        if c.end > len(art.text) or art.text[c.start:c.end] != c.quote:
            raise RecordError(
                f"claim {i} ({c.field}) quotes {c.quote!r} but the text at "
                f"{c.start}:{c.end} is {art.text[c.start:c.end]!r}",
                file=where,
            )
        own = c.subject is not None or c.subject_mal_id is not None
        out.append(replace(
            c,
            article=aid,
            as_of=as_of,
            subject=c.subject if own else subject,
            subject_mal_id=c.subject_mal_id if own else subject_mal_id,
        ))
    return out


def _write(conn: Conn, art: ArticleText, claims: Sequence[Claim], *,
           url: str | None, published: str | None, subject: str | None,
           subject_mal_id: int | None) -> IngestResult:
    aid = article_id(art.text)
    row = store_articles.article_header(conn, aid)
    if row is not None:
        return IngestResult(
            aid, False, art.path, row["title"], row["published"], row["published_source"],
            row["subject"], row["subject_mal_id"], tuple(_claims_of(conn, aid)),
        )
    as_of, source = _date_of(art, published)
    stored = _prepare(art, claims, aid, as_of, subject, subject_mal_id)
    url = url or art.url
    # a file name that is not UTF-8 is stored with U+FFFD for its bad bytes
    path = os.fsencode(art.path).decode("utf-8", "replace") if art.path else None
    store_articles.add_article(
        conn, (aid, url, art.title, as_of, source, art.format, path, art.text,
               subject, subject_mal_id, origin_of(url, path), site_of(url)))
    store_articles.add_claims(
        conn, [(aid, i, c.field, json.dumps(c.value, ensure_ascii=False), c.qualifier,
                c.subject, c.subject_mal_id, c.quote, c.start, c.end, c.as_of,
                float(c.confidence)) for i, c in enumerate(stored)])
    return IngestResult(aid, True, art.path, art.title, as_of, source, subject,
                        subject_mal_id, tuple(stored))


def expand_paths(paths: Sequence[Path]) -> list[Path]:
    """Files as given, and directories expanded to their supported files (recursive, sorted).

    Hidden files and folders (``.name``) inside a directory are skipped; a file named
    explicitly is kept whatever its extension (reading it gives the clear error).
    """
    out: list[Path] = []
    seen: set[Path] = set()
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(
                f for f in p.rglob("*")
                if f.is_file() and f.suffix.lower() in SUPPORTED_EXTENSIONS
                and not any(part.startswith(".") for part in f.relative_to(p).parts)
            )
            if not found:
                raise InputError(
                    f"no article files ({', '.join(SUPPORTED_EXTENSIONS)}) in the directory",
                    file=str(p),
                )
        elif p.exists():
            found = [p]
        else:
            raise InputError("no such file or directory", file=str(p))
        for f in found:
            key = f.resolve()
            if key not in seen:
                seen.add(key)
                out.append(f)
    return out


def check_quotes(art: ArticleText, claims: Sequence[Claim]) -> None:
    """:class:`RecordError` unless every claim's quote is the article's text at its offsets
    (what the write path checks; an engine checks it where it extracts)."""
    _prepare(art, claims, "", None, None, None)


def store_outcomes(
    conn: Conn,
    outcomes: Iterable[Outcome],
    *,
    strict: bool,
    url: str | None = None,
    published: str | None = None,
    batch_size: int = BATCH_SIZE,
    on_result: Callable[[IngestResult], None] | None = None,
    on_failure: Callable[[Failed], None] | None = None,
) -> IngestSummary:
    """Store a stream of read and extracted articles in batches: the one write path for many.

    ``outcomes`` is consumed as it comes (an engine's generator), ``batch_size`` articles
    per write. With ``strict`` every batch joins one transaction and the first
    :class:`Failed` raises its error: nothing is written. Without it each batch commits on
    its own and failures go to ``on_failure`` and the summary. ``on_result`` hears of every
    article written (or found already stored), in the order of ``outcomes``. Idempotent: an
    article whose text is stored already (the same hash) changes nothing.
    """
    given = _check_published(published)
    url = check_url(url)
    summary = IngestSummary()
    batch: list[Prepared] = []

    def flush() -> None:
        with atomic(conn):
            results = [_write(conn, p.art, p.claims, url=url, published=given,
                              subject=p.subject, subject_mal_id=p.subject_mal_id)
                       for p in batch]
        batch.clear()
        for r in results:
            if r.created:
                summary.stored += 1
                summary.claims += len(r.claims)
            else:
                summary.unchanged += 1
            if on_result is not None:
                on_result(r)

    with ExitStack() as run:
        for outcome in outcomes:
            if isinstance(outcome, Failed):
                if strict:
                    raise outcome.error
                summary.failed.append(outcome)
                if on_failure is not None:
                    on_failure(outcome)
                continue
            batch.append(outcome)
            if len(batch) >= batch_size:
                if strict and not getattr(conn, "in_transaction", False):
                    run.enter_context(atomic(conn))  # one transaction for the whole run
                flush()
        if batch:
            flush()
    return summary


def ingest_paths(
    conn: Conn,
    paths: Sequence[Path],
    *,
    extract: Extract,
    url: str | None = None,
    published: str | None = None,
    resolve_subject: ResolveSubject | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> list[IngestResult]:
    """Read, extract and store articles from files and directories — all or nothing.

    The plain engine, strict: files are read and extracted one after another and written
    in batches inside one transaction, so a bad file anywhere raises its
    :class:`InputError` and the database is left unchanged. ``url`` names one page and is
    refused with more than one file; ``published`` applies to every file. (The results
    are returned as a list; :func:`store_outcomes` streams them for large runs.)
    """
    from .pipeline import plain_outcomes, stage_of

    given = _check_published(published)
    url = check_url(url)
    files = expand_paths(paths)
    check_one_url(url, files)
    results: list[IngestResult] = []
    stage = stage_of(extract, resolve_subject, url=url, published=given, max_bytes=max_bytes)
    store_outcomes(conn, plain_outcomes(files, stage), strict=True, url=url,
                   published=given, on_result=results.append)
    return results


def check_one_url(url: str | None, files: Sequence[Path]) -> None:
    """``--url`` names one page: refused with any other number of files."""
    if url is not None and len(files) != 1:
        raise InputError(
            f"--url names one page, but {len(files)} files were given; "
            "ingest them one at a time to give each its URL"
        )


def _claim(row: Any) -> Claim:
    return Claim(
        field=row["field"], value=json.loads(row["value"]), qualifier=row["qualifier"],
        subject=row["subject"], subject_mal_id=row["subject_mal_id"], quote=row["quote"],
        start=row["start"], end=row["end"], article=row["article_id"], as_of=row["as_of"],
        confidence=row["confidence"],
    )


def _claims_of(conn: Conn, aid: str) -> list[Claim]:
    return [_claim(r) for r in store_articles.claims_of_article(conn, aid)]


def load_claims(conn: Conn, subject_mal_id: int) -> list[Claim]:
    """Every stored claim about one show, oldest article first (undated last)."""
    return [_claim(r) for r in store_articles.claims_about(conn, subject_mal_id)]


def _article(row: Any) -> StoredArticle:
    return StoredArticle(
        id=row["id"], url=row["url"], title=row["title"], published=row["published"],
        published_source=row["published_source"], format=row["format"], path=row["path"],
        subject=row["subject"], subject_mal_id=row["subject_mal_id"], claims=row["claims"],
        text=row["text"], origin=row["origin"], site=row["site"],
    )


def list_articles(conn: Conn,
                  subject_mal_id: int | None = None) -> list[StoredArticle]:
    """Stored articles (all, or those about one show), oldest first, undated last."""
    return [_article(r) for r in store_articles.articles(conn, subject_mal_id)]


def get_article(conn: Conn, article_id: str) -> StoredArticle | None:
    """One stored article by id, or None."""
    row = store_articles.article(conn, article_id)
    return _article(row) if row else None
