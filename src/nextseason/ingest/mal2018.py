"""MAL 2018 (azathoth42's Kaggle ``AnimeList.csv``, in a zip): the first typed-relation snapshot.

``related`` and ``aired`` are Python literals (read with :func:`ast.literal_eval`, never
``eval``); text fields carry HTML entities (``&amp;``), which are unescaped.
"""

from __future__ import annotations

import ast
import html
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import RecordError
from .catalogue import (
    AnimeRecord,
    check_relation_kind,
    normalize_season,
    normalize_status,
    split_genres,
    write_records,
)
from .context import ImportContext, ImportResult, record_errors, to_float, to_int
from .dates import parse_mal_range
from .readers import iter_csv

__all__ = ["import_mal2018", "COLUMNS"]

COLUMNS = [
    "anime_id", "title", "title_english", "title_japanese", "title_synonyms", "type", "source",
    "episodes", "status", "aired_string", "rating", "score", "scored_by", "rank",
    "popularity", "members", "favorites", "premiered", "related", "producer", "licensor",
    "studio", "genre",
]


def _literal(text: str, *, file: str, where: str, column: str) -> Any:
    if not text.strip():
        return None
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError) as exc:
        raise RecordError(
            f"column {column!r}: not a Python literal ({exc.__class__.__name__})",
            file=file,
            where=where,
        ) from exc


def _names(text: str) -> list[str]:
    return [html.unescape(n.strip()) for n in text.split(",") if n.strip()]


def parse_row(row: dict[str, str], *, file: str, where: str) -> AnimeRecord:
    mal_id = to_int(row["anime_id"], file=file, where=where, column="anime_id")
    if mal_id is None:
        raise RecordError("empty anime_id", file=file, where=where)
    status = normalize_status(row["status"], file=file, where=where)
    try:
        start, end = parse_mal_range(row["aired_string"])
    except ValueError as exc:
        raise RecordError(f"column 'aired_string': {exc}", file=file, where=where) from None
    if status != "finished" and end == start:
        end = None
    relations = []
    related = _literal(row["related"], file=file, where=where, column="related") or {}
    if isinstance(related, dict):
        for kind, items in related.items():
            check_relation_kind(kind, file=file, where=where)
            for item in items if isinstance(items, list) else [items]:
                relations.append((kind, item["type"], int(item["mal_id"])))
    season, season_year = normalize_season(row["premiered"])
    tags = [("studio", n) for n in _names(row["studio"])]
    tags += [("producer", n) for n in _names(row["producer"])]
    tags += [("licensor", n) for n in _names(row["licensor"])]
    tags += split_genres(_names(row["genre"]))
    num = {"file": file, "where": where}
    return AnimeRecord(
        mal_id=mal_id,
        title=html.unescape(row["title"]),
        type=row["type"] if row["type"] not in ("", "Unknown") else None,
        source_type=row["source"] or None,
        episodes=to_int(row["episodes"], column="episodes", **num) or None,
        start=start,
        end=end,
        status=status,
        rating=row["rating"] if row["rating"] not in ("", "None") else None,
        season=season,
        season_year=season_year,
        english=html.unescape(row["title_english"]) or None,
        japanese=row["title_japanese"] or None,
        synonyms=_names(row["title_synonyms"]),
        metrics={
            "members": to_int(row["members"], column="members", **num),
            "score": to_float(row["score"], column="score", **num) or None,
            "scored_by": to_int(row["scored_by"], column="scored_by", **num),
            "rank": to_int(row["rank"], column="rank", **num) or None,
            "popularity": to_int(row["popularity"], column="popularity", **num) or None,
            "favorites": to_int(row["favorites"], column="favorites", **num),
            "status": status,
        },
        tags=tags,
        relations=relations,
    )


def _records(path: Path, ctx: ImportContext, result: ImportResult) -> Iterator[AnimeRecord]:
    seen: set[int] = set()
    for line, row in iter_csv(path, COLUMNS, member="AnimeList.csv"):
        result.read += 1
        with record_errors(f"{path}!AnimeList.csv", f"line {line}"):
            rec = parse_row(row, file=f"{path}!AnimeList.csv", where=f"line {line}")
        if rec.mal_id in seen:
            result.skipped["duplicate anime_id"] += 1
            continue
        seen.add(rec.mal_id)
        if result.read % 500 == 0:
            ctx.advance(500)
        yield rec


def import_mal2018(path: Path, ctx: ImportContext) -> ImportResult:
    result = ImportResult()
    result.stored = write_records(ctx.conn, ctx.snapshot_id, ctx.as_of, _records(path, ctx, result))
    return result
