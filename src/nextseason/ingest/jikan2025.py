"""Jikan v4 2025 (a CSV of MAL's catalogue, ~March 2025). No relations.

``premiered`` holds the season name only; the year comes from the start date. ``episodes``
and ``scored_by`` are written as floats (``13.0``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..errors import RecordError
from .catalogue import AnimeRecord, normalize_season, normalize_status, write_records
from .context import ImportContext, ImportResult, record_errors, to_float, to_int
from .dates import parse_mal_range
from .readers import iter_csv

__all__ = ["import_jikan2025", "COLUMNS"]

COLUMNS = [
    "mal_id", "title", "title_english", "title_japanese", "type", "source", "episodes",
    "status", "aired", "rating", "score", "scored_by", "rank", "popularity", "members",
    "favorites", "premiered", "producers", "licensors", "studios", "genres", "themes",
    "demographics",
]

_SEASON_OF_MONTH = {1: "winter", 4: "spring", 7: "summer", 10: "fall"}


def _names(text: str) -> list[str]:
    return [n.strip() for n in text.split(",") if n.strip()]


def parse_row(row: dict[str, str], *, file: str, where: str) -> AnimeRecord:
    num = {"file": file, "where": where}
    mal_id = to_int(row["mal_id"], column="mal_id", **num)
    if mal_id is None:
        raise RecordError("empty mal_id", file=file, where=where)
    status = normalize_status(row["status"], file=file, where=where)
    try:
        start, end = parse_mal_range(row["aired"])
    except ValueError as exc:
        raise RecordError(f"column 'aired': {exc}", file=file, where=where) from None
    if status != "finished" and end == start:
        end = None
    season, _ = normalize_season(row["premiered"])
    season_year = None
    if season and start and start.precision != "year":
        month = int(start.value[5:7])
        season_year = int(start.value[:4]) + (1 if month == 12 and season == "winter" else 0)
    tags = [("studio", n) for n in _names(row["studios"])]
    tags += [("producer", n) for n in _names(row["producers"])]
    tags += [("licensor", n) for n in _names(row["licensors"])]
    tags += [("genre", n) for n in _names(row["genres"])]
    tags += [("theme", n) for n in _names(row["themes"])]
    tags += [("demographic", n) for n in _names(row["demographics"])]
    return AnimeRecord(
        mal_id=mal_id,
        title=row["title"],
        type=row["type"] or None,
        source_type=row["source"] or None,
        episodes=to_int(row["episodes"], column="episodes", **num),
        start=start,
        end=end,
        status=status,
        rating=row["rating"] or None,
        season=season,
        season_year=season_year,
        english=row["title_english"] or None,
        japanese=row["title_japanese"] or None,
        metrics={
            "members": to_int(row["members"], column="members", **num),
            "score": to_float(row["score"], column="score", **num),
            "scored_by": to_int(row["scored_by"], column="scored_by", **num),
            "rank": to_int(row["rank"], column="rank", **num),
            "popularity": to_int(row["popularity"], column="popularity", **num),
            "favorites": to_int(row["favorites"], column="favorites", **num),
            "status": status,
        },
        tags=tags,
    )


def _records(path: Path, ctx: ImportContext, result: ImportResult) -> Iterator[AnimeRecord]:
    seen: set[int] = set()
    for line, row in iter_csv(path, COLUMNS):
        result.read += 1
        if result.read % 500 == 0:
            ctx.advance(500)
        with record_errors(str(path), f"line {line}"):
            rec = parse_row(row, file=str(path), where=f"line {line}")
        if rec.mal_id in seen:
            result.skipped["duplicate mal_id"] += 1
            continue
        seen.add(rec.mal_id)
        yield rec


def import_jikan2025(path: Path, ctx: ImportContext) -> ImportResult:
    result = ImportResult()
    result.stored = write_records(ctx.conn, ctx.snapshot_id, ctx.as_of, _records(path, ctx, result))
    return result
