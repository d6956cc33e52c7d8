"""The common shape of an anime entry, whichever snapshot it came from, and its one writer.

Each catalogue importer (MAL 2018, Jikan v3 2021, Jikan v4 2025) parses its own format into
:class:`AnimeRecord` values; :func:`write_records` stores them. The same MAL id seen in
several snapshots is ONE ``anime`` row (holding the newest snapshot's values), one
``anime_version`` row per snapshot, and one set of dated observations per snapshot.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..errors import RecordError
from ..search.normalize import normalize
from ..store import catalogue
from ..store.conn import Conn
from ..store.observations import put_observation
from ..store.relations import add_relation
from .dates import PartialDate

__all__ = [
    "AnimeRecord",
    "RELATION_KINDS",
    "METRICS",
    "normalize_status",
    "normalize_season",
    "split_genres",
    "write_records",
]

#: The typed relation vocabulary MAL uses. Anything else is an input error.
RELATION_KINDS = frozenset(
    {
        "Adaptation", "Prequel", "Sequel", "Other", "Parent story", "Alternative version",
        "Side story", "Full story", "Summary", "Spin-off", "Alternative setting", "Character",
    }
)

#: Values that change over time, stored as dated observations.
METRICS = ("members", "score", "scored_by", "rank", "popularity", "favorites", "status")

_STATUS = {
    "finished airing": "finished",
    "currently airing": "airing",
    "not yet aired": "not_yet_aired",
}

#: MAL's demographic labels (listed among genres before Jikan v4 split them out).
DEMOGRAPHICS = frozenset({"Shounen", "Shoujo", "Seinen", "Josei", "Kids"})

#: MAL's theme labels (listed among genres before Jikan v4 split them out).
THEMES = frozenset(
    {
        "Adult Cast", "Anthropomorphic", "CGDCT", "Childcare", "Combat Sports", "Crossdressing",
        "Delinquents", "Detective", "Educational", "Gag Humor", "Gore", "Harem",
        "High Stakes Game", "Historical", "Idols (Female)", "Idols (Male)", "Isekai", "Iyashikei",
        "Love Polygon", "Love Status Quo", "Magical Sex Shift", "Mahou Shoujo", "Martial Arts",
        "Mecha", "Medical", "Military", "Music", "Mythology", "Organized Crime",
        "Otaku Culture", "Parody", "Performing Arts", "Pets", "Psychological", "Racing",
        "Reincarnation", "Reverse Harem", "Samurai", "School", "Showbiz", "Space",
        "Strategy Game", "Super Power", "Survival", "Team Sports", "Time Travel", "Urban Fantasy",
        "Vampire", "Video Game", "Villainess", "Visual Arts", "Workplace", "Cars", "Dementia",
        "Demons", "Game", "Kids", "Magic", "Police", "Romantic Subtext",
    }
)


@dataclass
class AnimeRecord:
    mal_id: int
    title: str
    type: str | None
    source_type: str | None
    episodes: int | None
    start: PartialDate | None
    end: PartialDate | None
    status: str | None
    rating: str | None
    season: str | None
    season_year: int | None
    english: str | None = None
    japanese: str | None = None
    synonyms: list[str] = field(default_factory=list)
    metrics: dict[str, float | int | str | None] = field(default_factory=dict)
    tags: list[tuple[str, str]] = field(default_factory=list)  # (kind, name)
    relations: list[tuple[str, str, int]] = field(default_factory=list)  # (kind, to_type, id)


def normalize_status(value: str | None, *, file: str, where: str) -> str | None:
    if not value:
        return None
    try:
        return _STATUS[value.strip().lower()]
    except KeyError:
        raise RecordError(f"unknown status {value!r}", file=file, where=where) from None


def normalize_season(value: str | None) -> tuple[str | None, int | None]:
    """``'Spring 2021'`` → ``('spring', 2021)``; ``'spring'`` → ``('spring', None)``."""
    if not value:
        return None, None
    parts = value.strip().lower().split()
    if parts and parts[0] in {"winter", "spring", "summer", "fall"}:
        year = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        return parts[0], year
    return None, None


def split_genres(names: Iterable[str]) -> list[tuple[str, str]]:
    """Sort pre-v4 genre labels into genre / theme / demographic tags."""
    out = []
    for name in names:
        name = name.strip()
        if not name:
            continue
        kind = "demographic" if name in DEMOGRAPHICS else "theme" if name in THEMES else "genre"
        out.append((kind, name))
    return out


def check_relation_kind(kind: str, *, file: str, where: str) -> str:
    if kind not in RELATION_KINDS:
        raise RecordError(
            f"unknown relation kind {kind!r} (known: {', '.join(sorted(RELATION_KINDS))})",
            file=file,
            where=where,
        )
    return kind


def _titles(rec: AnimeRecord) -> list[tuple[str, str, str]]:
    out = [(rec.title, "main", "ja-Latn")]
    if rec.english:
        out.append((rec.english, "english", "en"))
    if rec.japanese:
        out.append((rec.japanese, "japanese", "ja"))
    out += [(s, "synonym", "und") for s in rec.synonyms if s]
    return out


def write_records(
    conn: Conn, snapshot_id: int, as_of: str, records: Iterable[AnimeRecord]
) -> int:
    """Store records of one snapshot (inside the caller's transaction). Returns the count."""
    n = 0
    tag_ids = catalogue.tag_ids(conn)
    for rec in records:
        start = rec.start or (None, None)
        end = rec.end or (None, None)
        values = (
            rec.title, rec.type, rec.source_type, rec.episodes, start[0], start[1],
            end[0], end[1], rec.status, rec.rating, rec.season, rec.season_year,
        )
        catalogue.upsert_anime(conn, rec.mal_id, snapshot_id, values)
        catalogue.add_anime_version(conn, rec.mal_id, snapshot_id, values)
        for text, kind, lang in _titles(rec):
            catalogue.add_title(conn, rec.mal_id, text, kind, lang, normalize(text), snapshot_id)
        for metric, value in rec.metrics.items():
            if value is None:
                continue
            put_observation(conn, "anime", rec.mal_id, metric, value, as_of, snapshot_id)
        for key in dict.fromkeys(rec.tags):
            tag_id = tag_ids.get(key)
            if tag_id is None:
                tag_id = tag_ids[key] = catalogue.add_tag(conn, *key)
            catalogue.add_anime_tag(conn, rec.mal_id, tag_id, snapshot_id)
        for kind, to_type, to_id in rec.relations:
            add_relation(conn, rec.mal_id, to_id, to_type, kind, snapshot_id)
        n += 1
    return n
