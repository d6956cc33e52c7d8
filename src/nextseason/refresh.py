"""``refresh``: fetch entries from a live source and add them as a new dated snapshot.

Two phases, so a snapshot is committed whole or not at all:

1. **Fetch** everything first (:data:`Fetch`, e.g. :func:`nextseason.live.fetch`): the
   requested ids, a season's list, or the watchlist; then, once, the Sequel targets of what
   came back that were not asked for (so a newly listed sequel's own status is known).
   The clients cache every response on disk with its date, so a rerun after an interruption
   (Ctrl-C, a network error) fetches again only what it had not fetched yet.
2. **Write**, in one transaction (:func:`nextseason.store.conn.atomic`): one ``live``
   snapshot per source (:func:`nextseason.store.refresh.write_live_snapshot`) and its
   coverage; relink the whole catalogue (:func:`nextseason.link.linker.relink` — the linker
   has no incremental mode: a new edge can move a franchise's other edges; on the real
   catalogue it takes a few seconds); the adaptation links; the stored forecasts of the
   series the refreshed entries belong to, as of the refresh date; their state history.
   Any error rolls all of it back: the database is as it was.

Refreshing from the same responses again stores nothing: a snapshot's content hash
(without fetch times) that an earlier live snapshot of that source already has means
"unchanged".
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from .errors import ConfigError, NextseasonError
from .live.records import RemoteAnime
from .store.conn import Conn, atomic
from .store.coverage import SOURCE_LABELS, newest_snapshot, write_live_coverage
from .store.refresh import (
    StoredLive,
    content_hash,
    find_same_content,
    franchise_members,
    known_ids,
    replace_forecasts,
    series_entries,
    snapshot_entries,
    write_live_snapshot,
)
from .store.watch import watched

__all__ = ["Fetch", "RefreshProgress", "RefreshReport", "refresh", "SOURCES", "FOLLOW_KINDS",
           "MAX_FOLLOW"]

SOURCES = ("jikan", "anilist", "both")
#: how the records of each ``--source`` are named in the store (a snapshot's ``file``)
SOURCE_TAGS = {"jikan": "jikan", "anilist": "anilist", "both": "jikan+anilist"}
#: relation kinds whose targets a refresh fetches too when they were not asked for
FOLLOW_KINDS = frozenset({"Sequel"})
#: at most this many follow-up entries per source and refresh
MAX_FOLLOW = 40


class Fetch(Protocol):
    """What the refresh needs of a client (:func:`nextseason.live.fetch`, its settings bound):
    the records of ``ids`` or of a ``season``, progress as (done, total or None, what)."""

    def __call__(self, source: str, *, ids: Sequence[int] = (), season: str | None = None,
                 progress: Callable[[int, int | None, str], None] | None = None
                 ) -> Iterable[RemoteAnime]: ...


class RefreshProgress:
    """Receives progress events; the CLI draws them with Rich. The default does nothing."""

    def fetching(self, source: str, what: str) -> None: ...
    def advance(self, source: str, done: int, total: int | None, what: str) -> None: ...
    def stage(self, name: str) -> None: ...


@dataclass
class RefreshReport:
    snapshots: list[StoredLive] = field(default_factory=list)
    unchanged: list[tuple[str, str]] = field(default_factory=list)  # (source, snapshot)
    fetched: dict[str, int] = field(default_factory=dict)
    followed: dict[str, int] = field(default_factory=dict)
    not_followed: list[str] = field(default_factory=list)  # follow-ups that failed, why
    touched: list[int] = field(default_factory=list)  # entries of the touched franchises
    link_stats: dict[str, int] = field(default_factory=dict)
    forecasts: int = 0
    history_rows: int = 0
    status_before: dict[int, str] = field(default_factory=dict)
    status_after: dict[int, str] = field(default_factory=dict)
    timings: dict[str, tuple[float, float]] = field(default_factory=dict)  # wall, cpu s


class _Clock:
    def __init__(self, report: RefreshReport) -> None:
        self.report = report

    def __call__(self, name: str) -> _Clock:
        self.name = name
        return self

    def __enter__(self) -> None:
        self.t, self.c = time.perf_counter(), time.process_time()

    def __exit__(self, *exc: object) -> None:
        self.report.timings[self.name] = (round(time.perf_counter() - self.t, 3),
                                          round(time.process_time() - self.c, 3))


def _fetch_source(conn: Conn, fetch: Fetch, source: str, ids: Sequence[int],
                  season: str | None, progress: RefreshProgress, report: RefreshReport,
                  follow: bool) -> list[RemoteAnime]:
    def tick(done: int, total: int | None, what: str) -> None:
        progress.advance(source, done, total, what)

    records: list[RemoteAnime] = []
    if ids:
        progress.fetching(source, f"{len(ids)} entr{'y' if len(ids) == 1 else 'ies'}")
        records += list(fetch(source, ids=list(ids), progress=tick))
    if season:
        progress.fetching(source, f"season {season}")
        records += list(fetch(source, season=season, progress=tick))
    report.fetched[source] = len(records)
    if not follow:
        return records
    have = {r.mal_id for r in records if r.mal_id}
    wanted = sorted({rel.target_mal_id for r in records for rel in r.relations
                     if rel.kind in FOLLOW_KINDS and rel.target_type == "anime"
                     and rel.target_mal_id and rel.target_mal_id not in have})[:MAX_FOLLOW]
    extra: list[RemoteAnime] = []
    if wanted:
        progress.fetching(source, f"{len(wanted)} sequel{'s' if len(wanted) > 1 else ''}"
                                  " they list")
        # one call (one client, one rate limiter); follow-ups are best effort: when the
        # source fails on them they are left out and named (the entries asked for must all
        # come back; an id the source does not know is skipped by the client)
        try:
            extra = list(fetch(source, ids=wanted, progress=tick))
        except NextseasonError as exc:
            report.not_followed.append(
                f"{source} {', '.join(str(m) for m in wanted)}: {exc}")
    report.followed[source] = len(extra)
    return records + extra


def refresh(conn: Conn, *, fetch: Fetch, sources: Sequence[str],
            ids: Sequence[int] = (), season: str | None = None, watchlist: bool = False,
            follow: bool = True, progress: RefreshProgress | None = None) -> RefreshReport:
    """Fetch, then store as new live snapshots in one transaction (see the module docstring).
    """
    progress = progress or RefreshProgress()
    report = RefreshReport()
    clock = _Clock(report)
    unknown = [s for s in sources if s not in SOURCES]
    if unknown:
        raise ConfigError(f"unknown source {unknown[0]!r}; choose jikan, anilist or both")
    wanted = list(dict.fromkeys(ids))
    if watchlist:
        wanted += [w.mal_id for w in watched(conn) if w.mal_id not in wanted]
    if not wanted and not season:
        raise ConfigError("nothing to refresh: give --id MAL_ID, --season or --watchlist"
                          + (" (the watchlist is empty: nextseason watch add TITLE)"
                             if watchlist else ""))
    fetched: dict[str, list[RemoteAnime]] = {}
    with clock("fetch"):
        for source in sources:
            fetched[source] = _fetch_source(conn, fetch, source, wanted, season, progress,
                                            report, follow)
    todo: list[tuple[str, list[RemoteAnime], str]] = []
    for source, records in fetched.items():
        if not records:
            continue
        source = SOURCE_TAGS[source]
        digest = content_hash(source, records)
        same = find_same_content(conn, source, digest)
        if same is not None:
            report.unchanged.append((source, same[1]))
        else:
            todo.append((source, records, digest))
    if not todo:
        return report
    from .forecast.precompute import recompute_forecasts
    from .link.adaptation import link_adaptations
    from .link.linker import relink
    from .link.status import SOURCE_NAMES, live_source_name, series_status
    from .track.state import record_states

    asked = sorted({r.mal_id for _, records, _ in todo for r in records if r.mal_id}
                   & known_ids(conn, [r.mal_id for _, rs, _ in todo for r in rs if r.mal_id]))
    as_of_before = max(r.fetched_at for _, rs, _ in todo for r in rs)[:10]
    for m in asked:
        report.status_before[m] = series_status(conn, m, as_of_before).status
    with atomic(conn):
        with clock("write"):
            # the state before, where none is recorded yet (a database built before series
            # history existed): what the refresh changes is then a change
            base = newest_snapshot(conn)
            if base is not None and asked:
                name, as_of, kind, file = base
                label = (live_source_name(file) if kind == "live"
                         else SOURCE_NAMES.get(kind, kind))
                record_states(conn, franchise_members(conn, asked), as_of, snapshot=name,
                              source=label)
            progress.stage("writing the snapshot")
            for source, records, digest in todo:
                stored = write_live_snapshot(conn, source, records, digest=digest)
                write_live_coverage(conn, stored.snapshot_id, source)
                report.snapshots.append(stored)
        with clock("link"):
            progress.stage("relinking sequels and franchises")
            report.link_stats = {k: v for k, v in vars(relink(conn)).items()
                                 if isinstance(v, int)}
            report.link_stats.update({f"adaptation_{k}": v for k, v in
                                      vars(link_adaptations(conn)).items()})
        refreshed = sorted({m for s in report.snapshots
                            for m in snapshot_entries(conn, s.snapshot_id)})
        report.touched = sorted(franchise_members(conn, refreshed))
        as_of = max(s.as_of for s in report.snapshots)
        with clock("forecast"):
            progress.stage("forecasting the series it touched")
            records_, series_rows = recompute_forecasts(conn, series_entries(
                conn, report.touched), as_of)
            report.forecasts = replace_forecasts(conn, records_, series_rows)
        with clock("status"):
            progress.stage("recording what changed")
            newest = report.snapshots[-1]
            report.history_rows = record_states(
                conn, report.touched, as_of, snapshot=newest.name,
                source=f"{SOURCE_LABELS.get(todo[-1][0], todo[-1][0])} refresh")
            for m in refreshed:
                report.status_after[m] = series_status(conn, m, as_of).status
    return report

