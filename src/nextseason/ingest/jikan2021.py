"""Jikan v3 2021 (senpaislist's tarball of per-anime JSON): the second typed-relation snapshot.

Continuing shows appear in several season folders, so records are deduplicated by
``mal_id`` (the first file in archive order wins; later copies are counted as skipped).
Jikan error bodies (``{"status": 500, "type": "ParserException", ...}``) are skipped and
counted, but an archive in which most files are error bodies is refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import RecordError, SchemaError
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
from .readers import is_error_body, iter_tar_json

__all__ = ["import_jikan2021", "KEYS"]

KEYS = ["mal_id", "title", "type", "status", "aired", "related"]


def parse_record(d: dict[str, Any], *, file: str) -> AnimeRecord:
    where = f"mal_id {d.get('mal_id')}"
    missing = [k for k in KEYS if k not in d]
    if missing:
        raise SchemaError(f"record lacks key(s) {missing}", file=file)
    status = normalize_status(d["status"], file=file, where=where)
    aired = d["aired"] or {}
    try:
        start, end = parse_mal_range(aired.get("string"))
    except ValueError as exc:
        raise RecordError(f"aired.string: {exc}", file=file, where=where) from None
    if status != "finished" and end == start:
        end = None
    relations = []
    for kind, items in (d.get("related") or {}).items():
        check_relation_kind(kind, file=file, where=where)
        for item in items:
            relations.append((kind, item["type"], int(item["mal_id"])))
    season, season_year = normalize_season(d.get("premiered"))
    tags = [("studio", s["name"]) for s in d.get("studios") or []]
    tags += [("producer", s["name"]) for s in d.get("producers") or []]
    tags += [("licensor", s["name"]) for s in d.get("licensors") or []]
    tags += split_genres(g["name"] for g in d.get("genres") or [])
    num = {"file": file, "where": where}
    return AnimeRecord(
        mal_id=int(d["mal_id"]),
        title=d["title"],
        type=d["type"] if d["type"] not in (None, "", "Unknown") else None,
        source_type=d.get("source") or None,
        episodes=to_int(d.get("episodes"), column="episodes", **num),
        start=start,
        end=end,
        status=status,
        rating=d.get("rating") if d.get("rating") not in (None, "", "None") else None,
        season=season,
        season_year=season_year,
        english=d.get("title_english") or None,
        japanese=d.get("title_japanese") or None,
        synonyms=list(d.get("title_synonyms") or []),
        metrics={
            "members": to_int(d.get("members"), column="members", **num),
            "score": to_float(d.get("score"), column="score", **num) or None,
            "scored_by": to_int(d.get("scored_by"), column="scored_by", **num),
            "rank": to_int(d.get("rank"), column="rank", **num),
            "popularity": to_int(d.get("popularity"), column="popularity", **num),
            "favorites": to_int(d.get("favorites"), column="favorites", **num),
            "status": status,
        },
        tags=tags,
        relations=relations,
    )


def _records(path: Path, ctx: ImportContext, result: ImportResult) -> Iterator[AnimeRecord]:
    seen: set[int] = set()
    errors: list[str] = []
    for name, data in iter_tar_json(path):
        result.read += 1
        if result.read % 200 == 0:
            ctx.advance(200)
        if is_error_body(data):
            result.skipped["API error body"] += 1
            errors.append(name)
            continue
        if not isinstance(data, dict):
            raise RecordError("expected one JSON object per file", file=f"{path}!{name}")
        with record_errors(f"{path}!{name}", f"mal_id {data.get('mal_id')}"):
            rec = parse_record(data, file=f"{path}!{name}")
        if rec.mal_id in seen:
            result.skipped["duplicate mal_id (listed in several seasons)"] += 1
            continue
        seen.add(rec.mal_id)
        yield rec
    if result.read == 0:
        raise RecordError("the archive holds no JSON records", file=str(path))
    if len(errors) * 2 > result.read:
        raise RecordError(
            f"{len(errors)} of {result.read} files are API error bodies (e.g. {errors[0]}); "
            "the download looks broken",
            file=str(path),
        )
    if errors:
        result.warnings.append(
            f"skipped {len(errors)} Jikan error bodies, e.g. {', '.join(errors[:3])}"
        )


def import_jikan2021(path: Path, ctx: ImportContext) -> ImportResult:
    result = ImportResult()
    result.stored = write_records(ctx.conn, ctx.snapshot_id, ctx.as_of, _records(path, ctx, result))
    return result
