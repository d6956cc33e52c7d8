"""From article files to what the write path stores: the stage every engine runs.

Ingesting articles is three steps, and only the last touches the database:

1. **List** the files (:func:`~.articles.expand_paths`, on the driver).
2. **Read and extract** each one — the pure stage, :class:`Stage`: a file's bytes, its
   name, the caller's hints (``--url``, ``--published``) and the catalogue index (the
   extractor's :class:`~.gazetteer.Gazetteer` and the title :class:`SearchIndex` that names
   the article's show) give the article and its claims, quotes checked, or a
   :class:`~.articles.Failed` naming the file and why. No database, no clock, no shared
   state: a :class:`Stage` pickles, so it can be built once on the driver and shipped once
   to each worker process.
3. **Write** them in batches (:func:`~.articles.store_outcomes`, on the driver).

An *engine* runs step 2 over the files and yields the outcomes in the files' order: the
plain engine here (:func:`plain_outcomes`, one file after another in this process) or
Dask (:mod:`.dask_engine`, partitions of files on worker processes). Both run the same
:class:`Stage`, so both store the same rows.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ..errors import InputError
from ..search.index import SearchIndex
from .articles import (
    BATCH_SIZE,
    Extract,
    Failed,
    IngestResult,
    IngestSummary,
    Outcome,
    Prepared,
    ResolveSubject,
    check_quotes,
    store_outcomes,
)
from .extract import Hints, extract_claims, with_hints
from .gazetteer import Gazetteer
from .model import Claim
from .reader import DEFAULT_MAX_BYTES, ArticleText, read_article
from .subject import subject_in

__all__ = ["CatalogueIndex", "Stage", "Engine", "catalogue_stage", "stage_of",
           "plain_outcomes", "run_ingest", "Analyse"]

#: an article → (its show as named, the show's MAL id, its claims)
Analyse = Callable[[ArticleText], tuple[str | None, int | None, list[Claim]]]


@dataclass(frozen=True)
class CatalogueIndex:
    """What extraction needs from the catalogue, built once from the database: the names
    the extractor recognises and the title index that finds an article's show. Picklable
    (about 11 MB for the full catalogue)."""

    gazetteer: Gazetteer | None = None
    search: SearchIndex | None = None

    @classmethod
    def from_db(cls, conn: sqlite3.Connection) -> CatalogueIndex:
        return cls(Gazetteer.from_db(conn), SearchIndex.from_db(conn))

    def subject_of(self, art: ArticleText) -> tuple[str | None, int | None]:
        """The show the article is about, ``(None, None)`` without a catalogue."""
        if self.search is None:
            return None, None
        return subject_in(self.search, art.text, art.title)


@dataclass(frozen=True)
class CatalogueAnalysis:
    """The standard analysis: the article's show from the catalogue, then its claims (the
    show's words tell another show's "Season N" apart)."""

    index: CatalogueIndex

    def __call__(self, art: ArticleText) -> tuple[str | None, int | None, list[Claim]]:
        subject, mal_id = self.index.subject_of(art)
        claims = extract_claims(art.text, subject=subject, subject_mal_id=mal_id,
                                as_of=art.published, title=art.title,
                                gazetteer=self.index.gazetteer)
        return subject, mal_id, claims


@dataclass(frozen=True)
class _Callables:
    """An analysis from an ``extract`` and a ``resolve_subject`` callable (the library's
    :func:`~.articles.ingest_paths` takes these; they need not pickle)."""

    extract: Extract
    resolve_subject: ResolveSubject | None

    def __call__(self, art: ArticleText) -> tuple[str | None, int | None, list[Claim]]:
        subject, mal_id = self.resolve_subject(art) if self.resolve_subject else (None, None)
        return subject, mal_id, list(self.extract(art))


@dataclass(frozen=True)
class Stage:
    """Read and extract one file: the pure stage every engine runs, for every file.

    ``hints`` are what the caller knows (``url``, ``published``: they beat the page's own,
    and the given date resolves "last year" in the text); ``max_bytes`` bounds the read.
    """

    analyse: Analyse
    hints: Hints = Hints()
    max_bytes: int = DEFAULT_MAX_BYTES

    def __call__(self, path: Path, shown: Path | None = None) -> Outcome:
        """The article at ``path`` (called ``shown`` in messages and in the store), or why
        not. Only errors of the input (:class:`InputError`) become a :class:`Failed`; any
        other exception is a bug and propagates."""
        shown = shown if shown is not None else path
        try:
            art = with_hints(read_article(path, max_bytes=self.max_bytes, shown=shown),
                             self.hints)
            subject, mal_id, claims = self.analyse(art)
            check_quotes(art, claims)
        except InputError as exc:
            return Failed(str(shown), exc)
        return Prepared(art, tuple(claims), subject, mal_id)


def catalogue_stage(index: CatalogueIndex, *, url: str | None = None,
                    published: str | None = None,
                    max_bytes: int = DEFAULT_MAX_BYTES) -> Stage:
    """The stage the ``ingest`` command runs, on either engine."""
    return Stage(CatalogueAnalysis(index), Hints(url=url, published=published), max_bytes)


def stage_of(extract: Extract, resolve_subject: ResolveSubject | None = None, *,
             url: str | None = None, published: str | None = None,
             max_bytes: int = DEFAULT_MAX_BYTES) -> Stage:
    """A stage from plain callables (for the plain engine; they need not pickle)."""
    return Stage(_Callables(extract, resolve_subject), Hints(url=url, published=published),
                 max_bytes)


def plain_outcomes(files: Sequence[Path], stage: Stage,
                   on_read: Callable[[int], None] | None = None) -> Iterator[Outcome]:
    """The plain engine: each file read and extracted in this process, one at a time, as
    the write path asks for it (so one article at a time is held, not all of them)."""
    for f in files:
        outcome = stage(f)
        if on_read is not None:
            on_read(1)
        yield outcome


class Engine(Protocol):
    """Runs a stage over files, yielding their outcomes in the files' order."""

    def outcomes(self, files: Sequence[Path], stage: Stage,
                 on_read: Callable[[int], None] | None = None) -> Iterator[Outcome]: ...


def run_ingest(
    conn: sqlite3.Connection,
    files: Sequence[Path],
    stage: Stage,
    *,
    engine: Engine | None = None,
    strict: bool,
    batch_size: int = BATCH_SIZE,
    on_read: Callable[[int], None] | None = None,
    on_result: Callable[[IngestResult], None] | None = None,
    on_failure: Callable[[Failed], None] | None = None,
) -> IngestSummary:
    """Read, extract and store ``files``: ``engine`` (the plain one when ``None``) runs
    ``stage`` over them and the write path stores the outcomes in batches as they come
    (see :func:`~.articles.store_outcomes` for ``strict``)."""
    outcomes = (plain_outcomes(files, stage, on_read) if engine is None
                else engine.outcomes(files, stage, on_read))
    try:
        return store_outcomes(conn, outcomes, strict=strict, url=stage.hints.url,
                              published=stage.hints.published, batch_size=batch_size,
                              on_result=on_result, on_failure=on_failure)
    finally:
        close = getattr(outcomes, "close", None)
        if close is not None:
            close()  # stop an engine's work at once when the write path stopped early
