"""``build``: the whole pipeline, from the raw files to a database that answers.

It calls each stage in turn — :mod:`.ingest` (import every raw source and the fan aliases),
:mod:`.link` (sequel links, franchises, adaptation links), :mod:`.forecast` (the forecasts
the reports read) — into a new database that replaces the old one only when everything
succeeded (:func:`nextseason.store.rebuild.rebuilding`). On any error the previous
database is left exactly as it was. The same inputs give the same database.

The stages never call each other: this module is the only place that knows their order.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import NextseasonError, ShrinkError
from .ingest.context import ImportResult
from .ingest.importer import Progress, add_fan_aliases, import_source, resolve_data_dir
from .ingest.sources import SOURCES, Source
from .store.carry import (
    carry_live_snapshots,
    carry_user_data,
    count_rows,
    held_counts,
    shrinkage,
)
from .store.conn import Conn, atomic
from .store.coverage import write_build_coverage
from .store.db import foreign_key_problems
from .store.rebuild import database_size, rebuilding
from .store.snapshots import newest_catalogue_name, newest_snapshot_date
from .store.url import PgUrl, is_url

if TYPE_CHECKING:
    from .forecast.precompute import Precomputed

__all__ = ["BuildReport", "Progress", "build", "link_all", "record_states"]

#: Tables whose row counts the build reports.
COUNTED = ("anime", "title", "relation", "observation", "source_work", "video_sales",
           "crosswalk", "sequel_link", "franchise")


@dataclass
class BuildReport:
    db_path: Path | PgUrl  # a SQLite file, or a PostgreSQL URL
    results: dict[str, ImportResult] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    link_stats: dict[str, int] = field(default_factory=dict)
    size_bytes: int = 0
    kept: dict[str, int] = field(default_factory=dict)  # user rows carried over, per table
    shrunk: list[str] = field(default_factory=list)  # drops allowed by allow_shrink
    removed_stale: int = 0  # bytes of killed builds' temporary files removed


def link_all(conn: Conn) -> dict[str, int]:
    """Sequel links and franchises, then adaptation links, each in its own transaction."""
    from .link import link_catalogue
    from .link.adaptation import link_adaptations

    stats = {k: v for k, v in vars(link_catalogue(conn)).items() if isinstance(v, int)}
    with atomic(conn):
        adaptations = link_adaptations(conn)
    stats.update({f"adaptation_{k}": v for k, v in vars(adaptations).items()})
    return stats


def record_states(conn: Conn, known: Precomputed | None = None) -> int:
    """Each series' state as of the newest source, where it changed (series_history);
    ``known``: the forecasting step's result, whose statuses are reused when they are as of
    the same date."""
    from .link.status import SOURCE_NAMES
    from .track.state import all_series_members, record_states

    newest, catalogue = newest_snapshot_date(conn), newest_catalogue_name(conn)
    if not newest or not catalogue:
        return 0
    statuses = known.statuses if known is not None and known.today == newest else None
    return record_states(conn, all_series_members(conn), newest, snapshot=catalogue,
                         source=f"{SOURCE_NAMES['catalogue']} (build)", statuses=statuses)


def build(
    data: str | os.PathLike[str] | None,
    db_path: str | os.PathLike[str],
    *,
    progress: Progress | None = None,
    sources: Iterable[Source] = SOURCES,
    after_import: Callable[[Conn], None] | None = None,
    forecasts: bool = True,
    allow_shrink: bool = False,
) -> BuildReport:
    """Build the whole database from ``data`` into ``db_path``, atomically.

    The articles and claims of the database being replaced are carried into the new one
    (``report.kept``). Before anything is replaced, every source's row count and the numbers
    of sequel links, franchises and forecasts are compared with the old database's: an empty
    source, or a drop of more than :data:`~nextseason.store.carry.MAX_DROP`, raises
    :class:`ShrinkError` unless ``allow_shrink``. The new file is fsynced before the atomic
    rename; temporary files left by killed builds are removed first.
    """
    data_dir = resolve_data_dir(data)
    target: Path | PgUrl = PgUrl(str(db_path)) if is_url(db_path) else Path(db_path)
    progress = progress or Progress()
    report = BuildReport(db_path=target)
    with rebuilding(target) as rb:
        conn, old = rb.conn, rb.old
        report.removed_stale = rb.removed_stale
        before = held_counts(old) if old is not None else None
        with atomic(conn):
            for source in sources:
                report.results[source.name] = import_source(conn, data_dir, source, progress)
            progress.stage("aliases")
            report.counts["fan_aliases"] = add_fan_aliases(conn)
            if old is not None:
                progress.stage("carrying over refreshed snapshots")
                live = carry_live_snapshots(old, conn)
                if live:
                    report.kept["live snapshot"] = live
            write_build_coverage(conn)
        progress.stage("linking sequels and franchises")
        report.link_stats = link_all(conn)
        precomputed = None
        if forecasts:
            from .forecast.precompute import precompute_forecasts

            progress.stage("forecasting (trains the model on the newest snapshot)")
            precomputed = precompute_forecasts(conn, progress=progress.stage)
            report.counts["forecasts"] = precomputed.count
        if after_import:
            after_import(conn)
        progress.stage("checking")
        problems = foreign_key_problems(conn)
        if problems:
            raise NextseasonError(f"internal error: {problems} foreign-key problems")
        report.counts.update(count_rows(conn, COUNTED))
        after = held_counts(conn)
        if not forecasts:
            after.derived.pop("forecast", None)
        shrunk = shrinkage(before, after)
        if shrunk and not allow_shrink:
            raise ShrinkError(
                "the new database would hold much less than "
                + ("the one it replaces" if before else "a catalogue should")
                + ": " + "; ".join(shrunk) + ". Check the raw files, or pass --allow-shrink "
                "to replace it anyway", file=str(data_dir))
        report.shrunk = shrunk
        if old is not None:
            progress.stage("carrying over articles and claims")
            with atomic(conn):
                # (the watchlist and the series history are named when they hold rows)
                report.kept.update({k: v for k, v in carry_user_data(old, conn).items()
                                    if v or k in ("article", "claim")})
        if forecasts:
            progress.stage("recording each series' state")
            with atomic(conn):
                report.counts["history"] = record_states(conn, precomputed)
    report.size_bytes = database_size(target)
    return report
