"""Writing a live refresh: one snapshot of kind ``live`` and its rows.

:func:`write_live_snapshot` stores what one source (Jikan or AniList) said about some
entries, inside the caller's transaction: a ``snapshot`` row (name ``jikan_2026-11-30T10:00Z``,
``as_of`` the fetch date), and rows in ``anime_version``, ``title``, ``relation``,
``observation`` and ``anime_tag`` that carry its id; ``live_record`` names the request that
answered each entry and when; the ``anime`` row takes the new values when this snapshot is
the newest that lists it. Entries the catalogue does not have yet become new ``anime`` rows.

The snapshot's ``content_hash`` is a hash of the records' content (without the fetch time):
:func:`find_same_content` finds an earlier snapshot with exactly that content, so refreshing
from the same responses twice stores nothing the second time.

Only portable SQL here (``ON CONFLICT``, ``RETURNING``, named columns).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

from ..live.records import RemoteAnime
from ..search.normalize import normalize
from .catalogue import upsert_anime
from .conn import Conn
from .observations import put_observation

__all__ = ["LIVE_KIND", "StoredLive", "content_hash", "find_same_content", "snapshot_name",
           "write_live_snapshot", "live_snapshots", "anilist_to_mal", "known_ids",
           "franchise_members", "snapshot_entries",
           "series_entries", "StatedRelation", "stated_relations"]

#: the snapshot kind of a refresh
LIVE_KIND = "live"
_TITLE_LANG = {"main": "ja-Latn", "english": "en", "japanese": "ja", "synonym": "und"}
#: figures stored as dated observations (the catalogue's METRICS that are numbers)
FIGURES = ("members", "score", "scored_by", "rank", "popularity", "favorites")


@dataclass
class StoredLive:
    """What :func:`write_live_snapshot` wrote."""

    snapshot_id: int
    name: str
    as_of: str
    entries: int
    new_entries: int
    relations: int
    skipped: dict[str, int]


def _content(record: RemoteAnime) -> dict[str, object]:
    d = asdict(record)
    d.pop("fetched_at", None)
    d.pop("url", None)
    d["figures"] = dict(sorted(record.figures.items()))
    d["sources"] = [list(x[:2]) for x in record.sources]  # (source, url): not the fetch time
    return d


def content_hash(source: str, records: Sequence[RemoteAnime]) -> str:
    """sha256 of the records' content (not their fetch times), in a fixed order."""
    items = sorted((_content(r) for r in records),
                   key=lambda d: (d["mal_id"] or 0, d["anilist_id"] or 0))
    blob = json.dumps({"source": source, "records": items}, sort_keys=True,
                      ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def snapshot_name(source: str, fetched_at: str) -> str:
    """``jikan`` + ``2026-11-30T10:00:12+00:00`` → ``jikan_2026-11-30T10:00Z``."""
    stamp = fetched_at.replace(" ", "T")[:16]
    return f"{source}_{stamp}Z" if "T" in stamp else f"{source}_{stamp[:10]}"


def find_same_content(conn: Conn, source: str, digest: str) -> tuple[int, str, str] | None:
    """(id, name, as_of) of a live snapshot of ``source`` that stored exactly this content."""
    row = conn.execute(
        "SELECT id, name, as_of FROM snapshot WHERE kind = ? AND content_hash = ?"
        " AND file = ? ORDER BY id DESC LIMIT 1", (LIVE_KIND, digest, source)).fetchone()
    return (int(row[0]), str(row[1]), str(row[2])) if row else None


def anilist_to_mal(conn: Conn, anilist_ids: Iterable[int]) -> dict[int, int]:
    """MAL ids of AniList ids, from the ID crosswalk."""
    ids = sorted(set(anilist_ids))
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    return {int(a): int(m) for a, m in conn.execute(
        f"SELECT anilist_id, mal_id FROM crosswalk WHERE anilist_id IN ({marks})", ids)}


def known_ids(conn: Conn, ids: Iterable[int]) -> set[int]:
    """Which of ``ids`` the catalogue has."""
    wanted = sorted(set(ids))
    if not wanted:
        return set()
    marks = ",".join("?" * len(wanted))
    return {int(r[0]) for r in conn.execute(
        f"SELECT mal_id FROM anime WHERE mal_id IN ({marks})", wanted)}


def _tag_id(conn: Conn, cache: dict[tuple[str, str], int], kind: str, name: str) -> int:
    key = (kind, name)
    if key not in cache:
        row = conn.execute("SELECT id FROM tag WHERE kind = ? AND name = ?", key).fetchone()
        if row is None:
            row = conn.execute("INSERT INTO tag (kind, name) VALUES (?, ?) RETURNING id",
                               key).fetchone()
        cache[key] = int(row[0])
    return cache[key]


def write_live_snapshot(conn: Conn, source: str, records: Sequence[RemoteAnime], *,
                        digest: str) -> StoredLive:
    """Store ``records`` (all from ``source``) as one new live snapshot, inside the caller's
    transaction. Records without a MAL id the crosswalk can supply are skipped (counted)."""
    fetched = max(r.fetched_at for r in records)
    name, as_of = snapshot_name(source, fetched), fetched[:10]
    skipped: dict[str, int] = {}
    mal_of = anilist_to_mal(conn, [r.anilist_id for r in records if r.anilist_id]
                            + [rel.target_anilist_id for r in records for rel in r.relations
                               if rel.target_anilist_id and rel.target_mal_id is None])
    rows: dict[int, RemoteAnime] = {}
    for r in records:
        mal_id = r.mal_id or (mal_of.get(r.anilist_id) if r.anilist_id else None)
        if mal_id is None:
            skipped["no MyAnimeList id"] = skipped.get("no MyAnimeList id", 0) + 1
            continue
        rows[int(mal_id)] = r
    # the same minute twice (two refreshes of different ids): keep names unique
    taken = conn.execute("SELECT count(*) FROM snapshot WHERE name = ? OR name LIKE ?",
                         (name, f"{name}#%")).fetchone()[0]
    if taken:
        name = f"{name}#{int(taken) + 1}"
    snap = int(conn.execute(
        "INSERT INTO snapshot (name, kind, as_of, file, content_hash, row_count, stored_count,"
        " skipped) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (name, LIVE_KIND, as_of, source, digest, len(records), len(rows),
         json.dumps(dict(sorted(skipped.items())))),
    ).fetchone()[0])
    before = known_ids(conn, rows)
    tags: dict[tuple[str, str], int] = {}
    n_rel = 0
    for mal_id, r in sorted(rows.items()):
        values = (r.title, r.type, r.source_type, r.episodes, r.start_date, r.start_precision,
                  r.end_date, r.end_precision, r.status, r.rating, r.season, r.season_year)
        upsert_anime(conn, mal_id, snap, values, keep_missing=True)
        conn.execute(
            "INSERT INTO anime_version (mal_id, snapshot_id, title, type, source_type, episodes,"
            " start_date, start_precision, end_date, end_precision, status, rating, season,"
            " season_year) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", (mal_id, snap, *values))
        conn.execute(
            "INSERT INTO live_record (snapshot_id, mal_id, source, anilist_id, url, fetched_at)"
            " VALUES (?, ?, ?, ?, ?, ?)", (snap, mal_id, source, r.anilist_id, r.url,
                                           r.fetched_at))
        for text, kind in [(r.title, "main"), *((t, k) for k, t in r.titles)]:
            if not text or kind not in _TITLE_LANG:
                continue
            conn.execute(
                "INSERT INTO title (mal_id, title, kind, lang, norm, snapshot_id)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (mal_id, kind, title) DO NOTHING",
                (mal_id, text, kind, _TITLE_LANG[kind], normalize(text), snap))
        for metric in FIGURES:
            if metric in r.figures and r.figures[metric] is not None:
                # through the one writer: the value is JSONB on PostgreSQL
                put_observation(conn, "anime", mal_id, metric, r.figures[metric], as_of, snap)
        if r.status:
            put_observation(conn, "anime", mal_id, "status", r.status, as_of, snap)
        for kind, names in (("studio", r.studios), ("genre", r.genres), ("theme", r.themes),
                            ("demographic", r.demographics)):
            for tag in dict.fromkeys(names):
                conn.execute(
                    "INSERT INTO anime_tag (mal_id, tag_id, snapshot_id) VALUES (?, ?, ?)"
                    " ON CONFLICT (mal_id, tag_id, snapshot_id) DO NOTHING",
                    (mal_id, _tag_id(conn, tags, kind, tag), snap))
        for rel in r.relations:
            to_id = rel.target_mal_id or (mal_of.get(rel.target_anilist_id)
                                          if rel.target_anilist_id else None)
            if to_id is None:
                skipped["relation without a MyAnimeList id"] = skipped.get(
                    "relation without a MyAnimeList id", 0) + 1
                continue
            cur = conn.execute(
                "INSERT INTO relation (from_id, to_id, to_type, kind, snapshot_id)"
                " VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (from_id, to_type, to_id, kind, snapshot_id) DO NOTHING",
                (mal_id, int(to_id), rel.target_type, rel.kind, snap))
            n_rel += max(cur.rowcount, 0)
    conn.execute("UPDATE snapshot SET skipped = ? WHERE id = ?",
                 (json.dumps(dict(sorted(skipped.items()))), snap))
    return StoredLive(snap, name, as_of, len(rows), len(set(rows) - before), n_rel, skipped)


def live_snapshots(conn: Conn) -> list[tuple[int, str, str, str]]:
    """(id, name, as_of, source) of every live snapshot, oldest first."""
    return [(int(r[0]), str(r[1]), str(r[2]), str(r[3])) for r in conn.execute(
        "SELECT id, name, as_of, file FROM snapshot WHERE kind = ? ORDER BY as_of, id",
        (LIVE_KIND,))]


def franchise_members(conn: Conn, mal_ids: Iterable[int]) -> set[int]:
    """Every entry of the franchises ``mal_ids`` belong to (themselves included)."""
    ids = sorted(set(mal_ids))
    if not ids:
        return set()
    marks = ",".join("?" * len(ids))
    out = set(ids)
    out |= {int(r[0]) for r in conn.execute(
        f"SELECT mal_id FROM anime WHERE franchise_id IN (SELECT franchise_id FROM anime"
        f" WHERE mal_id IN ({marks}) AND franchise_id IS NOT NULL)", ids)}
    return out


def snapshot_entries(conn: Conn, snapshot_id: int) -> list[int]:
    """The MAL ids a snapshot lists."""
    return [int(r[0]) for r in conn.execute(
        "SELECT mal_id FROM anime_version WHERE snapshot_id = ? ORDER BY mal_id",
        (snapshot_id,))]


def series_entries(conn: Conn, mal_ids: Iterable[int]) -> list[int]:
    """The TV/ONA entries (and entries of unknown format) among ``mal_ids``."""
    ids = sorted(set(mal_ids))
    out: list[int] = []
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        out += [int(r[0]) for r in conn.execute(
            f"SELECT mal_id FROM anime WHERE mal_id IN ({','.join('?' * len(chunk))})"
            " AND (type IN ('TV', 'ONA') OR type IS NULL OR type = 'Unknown')", chunk)]
    return out


@dataclass(frozen=True)
class StatedRelation:
    kind: str  # Sequel, Prequel, Side story, Adaptation, ...
    to_type: str  # anime | manga
    to_id: int
    to_title: str | None  # the anime's or source work's title, when the store has it
    source: str  # the snapshot that states it
    as_of: str


def stated_relations(conn: Conn, mal_id: int) -> list[StatedRelation]:
    """The typed relations every snapshot (a refresh among them) states from ``mal_id``,
    newest snapshot first."""
    return [StatedRelation(str(r[0]), str(r[1]), int(r[2]),
                           None if r[3] is None else str(r[3]), str(r[4]), str(r[5]))
            for r in conn.execute(
                "SELECT r.kind, r.to_type, r.to_id,"
                " CASE WHEN r.to_type = 'anime' THEN a.title ELSE w.title END,"
                " s.name, s.as_of FROM relation r JOIN snapshot s ON s.id = r.snapshot_id"
                " LEFT JOIN anime a ON r.to_type = 'anime' AND a.mal_id = r.to_id"
                " LEFT JOIN source_work w ON r.to_type = 'manga' AND w.manga_id = r.to_id"
                " WHERE r.from_id = ? ORDER BY s.as_of DESC, s.id DESC, r.kind, r.to_id",
                (mal_id,))]
