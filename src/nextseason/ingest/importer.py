"""Importing the raw sources into the store: one source at a time (:func:`import_source`),
each recorded as a snapshot, and the project's fan aliases (:func:`add_fan_aliases`).

The whole build (import, link, forecast, swap the new database in) is
:func:`nextseason.pipeline.build`.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from ..errors import ConfigError, DataMissingError, InputError
from ..search.aliases import fan_alias_rows
from ..store.catalogue import add_title, anime_ids
from ..store.conn import Conn
from ..store.snapshots import finish_snapshot, upsert_snapshot
from .context import ImportContext, ImportResult, record_errors
from .readers import sha256_file
from .sources import Source

__all__ = ["Progress", "resolve_data_dir", "import_source", "add_fan_aliases", "ENV_DATA",
           "DATA_HELP"]

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
    conn: Conn, data_dir: Path, source: Source, progress: Progress | None = None
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
    snapshot_id = upsert_snapshot(conn, name=source.name, kind=source.kind, as_of=source.as_of,
                                  file=source.path, content_hash=content_hash)
    ctx = ImportContext(conn, data_dir, snapshot_id, source.as_of,
                        advance=lambda n: progress.advance(source, n))
    progress.start(source)
    # the importers name the row of a malformed record; anything that still slips through
    # is named by its file here rather than reaching the user as a traceback
    with record_errors(str(path), "a record"):
        result = source.importer(path, ctx)
    finish_snapshot(conn, snapshot_id, read=result.read, stored=result.stored,
                    skipped=json.dumps(dict(sorted(result.skipped.items()))))
    progress.finish(source, result)
    return result


def add_fan_aliases(conn: Conn) -> int:
    """Add the project's fan aliases (search/fan_aliases.csv) for shows in the catalogue."""
    known = anime_ids(conn)
    return sum(add_title(conn, mal_id, alias, kind, lang, norm, None)
               for mal_id, alias, kind, lang, norm in fan_alias_rows() if mal_id in known)
