"""ID crosswalks (Fribb/anime-lists): MAL ↔ AniList ↔ AniDB ↔ Kitsu ↔ TVDB ↔ TMDB, and each
AniDB entry's TVDB / TMDB season number.

These lists were taken in 2024 and 2026 and know of later seasons: they may LINK entries
(and so label outcomes), never feed a forecast's features.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import RecordError
from ..store.sources import add_crosswalk, add_tvdb_season
from .context import ImportContext, ImportResult
from .readers import load_json

__all__ = ["import_ids", "import_tvdb_seasons"]


def _int(v: Any) -> int | None:
    if v is None or v == "":
        return None
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


def _entries(path: Path) -> list[dict[str, Any]]:
    data = load_json(path)
    if not isinstance(data, list):
        raise RecordError(f"expected a JSON list of entries, got {type(data).__name__}",
                          file=str(path))
    return data


def import_ids(path: Path, ctx: ImportContext) -> ImportResult:
    result = ImportResult()
    for i, e in enumerate(_entries(path)):
        result.read += 1
        if not isinstance(e, dict):
            raise RecordError("expected an object", file=str(path), where=f"entry {i}")
        mal_id = _int(e.get("mal_id"))
        if mal_id is None:
            result.skipped["no MAL id"] += 1
            continue
        tmdb = e.get("themoviedb_id")
        if isinstance(tmdb, dict):
            tmdb = tmdb.get("tv") or tmdb.get("movie")
        if add_crosswalk(
            ctx.conn,
            (
                mal_id, _int(e.get("anilist_id")), _int(e.get("anidb_id")),
                _int(e.get("kitsu_id")), _int(e.get("thetvdb_id")), _int(tmdb),
                e.get("imdb_id"), _int(e.get("livechart_id")), e.get("type"), ctx.snapshot_id,
            ),
        ):
            result.stored += 1
        else:
            result.skipped["duplicate MAL id"] += 1
        if result.read % 2000 == 0:
            ctx.advance(2000)
    return result


def import_tvdb_seasons(path: Path, ctx: ImportContext) -> ImportResult:
    result = ImportResult()
    for i, e in enumerate(_entries(path)):
        result.read += 1
        if not isinstance(e, dict) or _int(e.get("anidb_id")) is None:
            raise RecordError("expected an object with an anidb_id", file=str(path),
                              where=f"entry {i}")
        season = e.get("season") or {}
        tmdb = e.get("themoviedb_id")
        if isinstance(tmdb, dict):
            tmdb = tmdb.get("tv")
        if add_tvdb_season(
            ctx.conn,
            (
                _int(e["anidb_id"]), _int(e.get("tvdb_id")), _int(season.get("tvdb")),
                _int(tmdb), _int(season.get("tmdb")), _int(e.get("episode_offset")),
                ctx.snapshot_id,
            ),
        ):
            result.stored += 1
        else:
            result.skipped["duplicate AniDB id"] += 1
        if result.read % 2000 == 0:
            ctx.advance(2000)
    return result
