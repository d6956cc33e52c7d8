"""``build``: import every raw source into a new database that replaces the old one only
when the whole import succeeded.

The new database is written to a temporary file beside the target, inside one
``BEGIN IMMEDIATE`` transaction, checked, and moved over the target with
:func:`os.replace` (atomic on POSIX). On any error the temporary file is removed and the
previous database is left exactly as it was. The same inputs give the same database.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import (
    ConfigError,
    DataMissingError,
    InputError,
    NextseasonError,
    ShrinkError,
    StoreError,
)
from ..store.carry import carry_live_snapshots, carry_user_data, held_counts, shrinkage
from ..store.coverage import write_build_coverage
from ..store.db import connect, connect_readonly
from .context import ImportContext, ImportResult, record_errors
from .readers import sha256_file
from .sources import SOURCES, Source

__all__ = ["BuildReport", "Progress", "build", "resolve_data_dir", "import_source", "ENV_DATA"]

ENV_DATA = "NEXTSEASON_DATA"
DATA_HELP = (
    "nextseason reads the public raw files listed in SOURCES.md (MyAnimeList snapshots, "
    "sales, ID crosswalks). Point --data (or NEXTSEASON_DATA) at a folder that holds them, "
    "e.g. ../shared/data/raw in the project's checkout, or fetch them with "
    "`nextseason data download DIR`."
)


class Progress:
    """Receives progress events; the CLI draws them with Rich. The default does nothing."""

    def start(self, source: Source) -> None: ...
    def advance(self, source: Source, n: int) -> None: ...
    def finish(self, source: Source, result: ImportResult) -> None: ...
    def stage(self, name: str) -> None: ...


@dataclass
class BuildReport:
    db_path: Path
    results: dict[str, ImportResult] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    link_stats: dict[str, int] = field(default_factory=dict)
    size_bytes: int = 0
    kept: dict[str, int] = field(default_factory=dict)  # user rows carried over, per table
    shrunk: list[str] = field(default_factory=list)  # drops allowed by allow_shrink
    removed_stale: int = 0  # bytes of killed builds' temporary files removed


def resolve_data_dir(data: str | os.PathLike[str] | None) -> Path:
    if data:
        path = Path(data)
    elif os.environ.get(ENV_DATA):
        path = Path(os.environ[ENV_DATA])
    else:
        raise ConfigError(f"no data directory given. {DATA_HELP}")
    if not path.is_dir():
        raise ConfigError(f"data directory {path} does not exist. {DATA_HELP}")
    return path


def _hash_source(path: Path) -> str:
    if path.is_dir():
        h = hashlib.sha256()
        for f in sorted(p for p in path.iterdir() if p.is_file()):  # (is_file: no FIFOs)
            h.update(f.name.encode() + b"\0" + sha256_file(f).encode())
        return h.hexdigest()
    return sha256_file(path)


def import_source(
    conn: sqlite3.Connection, data_dir: Path, source: Source, progress: Progress | None = None
) -> ImportResult:
    """Import one source inside the caller's transaction; records its snapshot row."""
    progress = progress or Progress()
    path = data_dir / source.path
    if not path.exists():
        raise DataMissingError(f"missing input for {source.name}. {DATA_HELP}", file=str(path))
    if not (path.is_file() or path.is_dir()):  # a FIFO would make the hash wait forever
        raise InputError(f"input for {source.name} is not a regular file (a FIFO, device or "
                         "socket)", file=str(path))
    content_hash = _hash_source(path)
    conn.execute(
        "INSERT INTO snapshot (name, kind, as_of, file, content_hash, row_count, stored_count)"
        " VALUES (?,?,?,?,?,0,0) ON CONFLICT (name) DO UPDATE SET kind=excluded.kind,"
        " as_of=excluded.as_of, file=excluded.file, content_hash=excluded.content_hash",
        (source.name, source.kind, source.as_of, source.path, content_hash),
    )
    snapshot_id = conn.execute(
        "SELECT id FROM snapshot WHERE name = ?", (source.name,)
    ).fetchone()[0]
    ctx = ImportContext(conn, data_dir, snapshot_id, source.as_of,
                        advance=lambda n: progress.advance(source, n))
    progress.start(source)
    # the importers name the row of a malformed record; anything that still slips through
    # is named by its file here rather than reaching the user as a traceback
    with record_errors(str(path), "a record"):
        result = source.importer(path, ctx)
    conn.execute(
        "UPDATE snapshot SET row_count = ?, stored_count = ?, skipped = ? WHERE id = ?",
        (result.read, result.stored, json.dumps(dict(sorted(result.skipped.items()))),
         snapshot_id),
    )
    progress.finish(source, result)
    return result


def _add_fan_aliases(conn: sqlite3.Connection) -> int:
    """Add the project's fan aliases (search/fan_aliases.csv) for shows in the catalogue."""
    from ..search.aliases import fan_alias_rows

    n = 0
    for mal_id, alias, kind, lang, norm in fan_alias_rows():
        cur = conn.execute(
            "INSERT OR IGNORE INTO title (mal_id, title, kind, lang, norm, snapshot_id)"
            " SELECT ?, ?, ?, ?, ?, NULL WHERE EXISTS (SELECT 1 FROM anime WHERE mal_id = ?)",
            (mal_id, alias, kind, lang, norm, mal_id),
        )
        n += cur.rowcount
    return n


def _link(conn: sqlite3.Connection) -> dict[str, int]:
    from .. import link
    from ..link.adaptation import link_adaptations

    stats = {k: v for k, v in vars(link.link_catalogue(conn)).items() if isinstance(v, int)}
    conn.execute("BEGIN IMMEDIATE")
    adaptations = link_adaptations(conn)
    conn.execute("COMMIT")
    stats.update({f"adaptation_{k}": v for k, v in vars(adaptations).items()})
    return stats


def _record_states(conn: sqlite3.Connection) -> int:
    """Each series' state as of the newest source, where it changed (series_history)."""
    from ..link.status import SOURCE_NAMES
    from ..track.state import all_series_members, record_states

    row = conn.execute("SELECT max(as_of) FROM snapshot").fetchone()
    cat = conn.execute("SELECT name FROM snapshot WHERE kind = 'catalogue'"
                       " ORDER BY as_of DESC LIMIT 1").fetchone()
    if not row or not row[0] or not cat:
        return 0
    return record_states(conn, all_series_members(conn), str(row[0]), snapshot=str(cat[0]),
                         source=f"{SOURCE_NAMES['catalogue']} (build)")


def _stale_temporaries(target: Path) -> list[Path]:
    """Temporary files of earlier builds into ``target`` whose process is gone (killed)."""
    stale = []
    for path in target.parent.glob(f".{target.name}.building-*"):
        pid = path.name.removesuffix("-journal").rsplit("-", 1)[-1]
        if pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid)):
            continue  # another build is running now
        stale.append(path)
    return stale


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it exists, owned by someone else
        return True
    return True


def _fsync(path: Path, *, directory: bool = False) -> None:
    fd = os.open(path, os.O_RDONLY | (getattr(os, "O_DIRECTORY", 0) if directory else 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _previous(target: Path) -> sqlite3.Connection | None:
    """The database being replaced, read-only; None if there is none (or an empty file).
    A file that is not a nextseason database is refused: it is not ours to replace."""
    if not target.exists() or (target.is_file() and target.stat().st_size == 0):
        return None
    try:
        return connect_readonly(target)
    except StoreError as exc:
        raise StoreError(f"{exc}; refusing to replace it. Move it away or choose another --db"
                         ) from None


def build(
    data: str | os.PathLike[str] | None,
    db_path: str | os.PathLike[str],
    *,
    progress: Progress | None = None,
    sources: Iterable[Source] = SOURCES,
    after_import: Callable[[sqlite3.Connection], None] | None = None,
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
    target = Path(db_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    progress = progress or Progress()
    report = BuildReport(db_path=target)
    for leftover in _stale_temporaries(target):
        report.removed_stale += leftover.stat().st_size if leftover.exists() else 0
        leftover.unlink(missing_ok=True)
    old = _previous(target)
    tmp = target.with_name(f".{target.name}.building-{os.getpid()}")
    try:
        conn = connect(tmp)
    except BaseException:
        if old is not None:
            old.close()
        raise
    try:
        before = held_counts(old) if old is not None else None
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("BEGIN IMMEDIATE")
        for source in sources:
            report.results[source.name] = import_source(conn, data_dir, source, progress)
        progress.stage("aliases")
        report.counts["fan_aliases"] = _add_fan_aliases(conn)
        if old is not None:
            progress.stage("carrying over refreshed snapshots")
            live = carry_live_snapshots(old, conn)
            if live:
                report.kept["live snapshot"] = live
        write_build_coverage(conn)
        conn.execute("COMMIT")
        progress.stage("linking sequels and franchises")
        report.link_stats = _link(conn)
        if forecasts:
            from ..forecast.precompute import precompute_forecasts

            progress.stage("forecasting (trains the model on the newest snapshot)")
            report.counts["forecasts"] = precompute_forecasts(conn, progress=progress.stage)
        if after_import:
            after_import(conn)
        progress.stage("checking")
        problems = conn.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise NextseasonError(f"internal error: {len(problems)} foreign-key problems")
        for table in ("anime", "title", "relation", "observation", "source_work",
                      "video_sales", "crosswalk", "sequel_link", "franchise"):
            report.counts[table] = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
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
            conn.execute("BEGIN IMMEDIATE")
            # (the watchlist and the series history are named when they hold rows)
            report.kept.update({k: v for k, v in carry_user_data(old, conn).items()
                                if v or k in ("article", "claim")})
            conn.execute("COMMIT")
        if forecasts:
            progress.stage("recording each series' state")
            conn.execute("BEGIN IMMEDIATE")
            report.counts["history"] = _record_states(conn)
            conn.execute("COMMIT")
        conn.execute("ANALYZE")
        conn.execute("VACUUM")
        conn.close()
        _fsync(tmp)
        os.replace(tmp, target)
        _fsync(target.parent, directory=True)
    except BaseException:
        try:
            conn.close()
        finally:
            tmp.unlink(missing_ok=True)
            Path(f"{tmp}-journal").unlink(missing_ok=True)
        raise
    finally:
        if old is not None:
            old.close()
    report.size_bytes = target.stat().st_size
    return report
