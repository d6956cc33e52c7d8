"""What each source covers and up to when (the ``coverage`` table, migration 0007).

The build writes one row per topic each raw snapshot informs (:func:`write_build_coverage`,
derived from what the snapshot actually stored: a catalogue snapshot with typed relations
covers ``typed_relations`` too); each refresh adds rows for its live snapshot
(:func:`write_live_coverage`). :func:`read_coverage` is what the outlook's "what the data
cannot know" sentences and age line are made from (:mod:`nextseason.report.limits`).
"""

from __future__ import annotations

from dataclasses import dataclass

from .conn import Conn

__all__ = ["TOPICS", "Coverage", "write_build_coverage", "write_live_coverage",
           "read_coverage", "refreshed", "SOURCE_LABELS",
           "newest_data_date", "newest_snapshot"]

#: topics a snapshot can cover, in the order the outlook names them
TOPICS = ("catalogue", "figures", "typed_relations", "volumes", "video_sales", "manga_sales",
          "crosswalk", "rules")
#: who says it, by live source
SOURCE_LABELS = {"jikan": "MyAnimeList (via Jikan)", "anilist": "AniList",
                 "jikan+anilist": "MyAnimeList (via Jikan) and AniList"}
_RAW_SOURCES = {"catalogue": "MyAnimeList", "sales": "Someanithing", "source_works":
                "MyAnimeList", "crosswalk": "Fribb's anime-lists", "rules": "erengy's rules"}


@dataclass(frozen=True)
class Coverage:
    topic: str
    snapshot: str  # the snapshot's name
    kind: str  # the snapshot's kind: catalogue | live | ...
    source: str
    up_to: str
    entries: int
    scope: str  # whole | refresh


def _count(conn: Conn, sql: str, snap: int) -> int:
    return int(conn.execute(sql, (snap,)).fetchone()[0] or 0)


def _insert(conn: Conn, topic: str, snap: int, source: str, up_to: str, entries: int,
            scope: str) -> None:
    conn.execute(
        "INSERT INTO coverage (topic, snapshot_id, source, up_to, entries, scope)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (topic, snapshot_id) DO UPDATE SET"
        " source = excluded.source, up_to = excluded.up_to, entries = excluded.entries,"
        " scope = excluded.scope", (topic, snap, source, up_to, entries, scope))


_PROBES = {
    "catalogue": "SELECT count(*) FROM anime_version WHERE snapshot_id = ?",
    "figures": "SELECT count(DISTINCT entity_id) FROM observation WHERE snapshot_id = ?"
               " AND entity_type = 'anime' AND metric = 'members'",
    "typed_relations": "SELECT count(DISTINCT from_id) FROM relation WHERE snapshot_id = ?",
    "volumes": "SELECT count(*) FROM source_work WHERE snapshot_id = ? AND volumes IS NOT NULL",
    "video_sales": "SELECT count(*) FROM video_sales WHERE snapshot_id = ?",
    "manga_sales": "SELECT count(*) FROM manga_sales WHERE snapshot_id = ?",
    "crosswalk": "SELECT count(*) FROM crosswalk WHERE snapshot_id = ?",
    "rules": "SELECT count(*) FROM sequel_rule WHERE snapshot_id = ?",
}


def write_build_coverage(conn: Conn) -> int:
    """Rewrite the coverage rows of every snapshot that is not a live refresh, from what
    each stored (inside the caller's transaction). Returns the rows written."""
    conn.execute("DELETE FROM coverage WHERE snapshot_id IN"
                 " (SELECT id FROM snapshot WHERE kind <> 'live')")
    n = 0
    snaps = conn.execute("SELECT id, kind, as_of FROM snapshot WHERE kind <> 'live'"
                         " ORDER BY as_of, id").fetchall()
    for snap, kind, as_of in snaps:
        source = _RAW_SOURCES.get(kind, kind)
        for topic, sql in _PROBES.items():
            if topic == "crosswalk":
                entries = _count(conn, sql, snap) + _count(
                    conn, "SELECT count(*) FROM tvdb_season WHERE snapshot_id = ?", snap)
            else:
                entries = _count(conn, sql, snap)
            if entries:
                _insert(conn, topic, snap, source, as_of, entries, "whole")
                n += 1
    return n


def write_live_coverage(conn: Conn, snapshot_id: int, source: str) -> int:
    """The coverage rows of one live snapshot (scope ``refresh``). Returns the rows written."""
    as_of = conn.execute("SELECT as_of FROM snapshot WHERE id = ?",
                         (snapshot_id,)).fetchone()[0]
    n = 0
    for topic in ("catalogue", "figures", "typed_relations"):
        entries = _count(conn, _PROBES[topic], snapshot_id)
        if entries:
            _insert(conn, topic, snapshot_id, SOURCE_LABELS.get(source, source), as_of,
                    entries, "refresh")
            n += 1
    return n


def read_coverage(conn: Conn, *, until: str | None = None) -> list[Coverage]:
    """Every coverage row (of snapshots dated on or before ``until``), newest first within a
    topic, topics in :data:`TOPICS` order."""
    try:
        # the condition only when there is a date: PostgreSQL cannot type a bare "? IS NULL"
        where, params = (" WHERE c.up_to <= ?", (until,)) if until is not None else ("", ())
        rows = conn.execute(
            "SELECT c.topic, s.name, s.kind, c.source, c.up_to, c.entries, c.scope"
            " FROM coverage c JOIN snapshot s ON s.id = c.snapshot_id"
            + where + " ORDER BY c.up_to DESC, s.id DESC", params).fetchall()
    except Exception as exc:  # a database opened read-only before migration 0007: no rows
        if "coverage" not in str(exc):
            raise
        return []
    out = [Coverage(str(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4]), int(r[5]),
                    str(r[6])) for r in rows]
    order = {t: i for i, t in enumerate(TOPICS)}
    return sorted(out, key=lambda c: order.get(c.topic, len(order)))


def refreshed(conn: Conn, mal_id: int) -> tuple[str, str] | None:
    """(source, date) of the newest live snapshot that lists ``mal_id``, else None."""
    row = conn.execute(
        "SELECT c.source, s.as_of FROM live_record r JOIN snapshot s ON s.id = r.snapshot_id"
        " JOIN coverage c ON c.snapshot_id = s.id AND c.topic = 'catalogue'"
        " WHERE r.mal_id = ? ORDER BY s.as_of DESC, s.id DESC LIMIT 1", (mal_id,)).fetchone()
    return (str(row[0]), str(row[1])) if row else None


def newest_data_date(conn: Conn) -> str | None:
    """The date of the newest snapshot of any kind (a refresh's, the rules', …)."""
    row = conn.execute("SELECT max(as_of) FROM snapshot").fetchone()
    return str(row[0]) if row and row[0] else None


def newest_snapshot(conn: Conn) -> tuple[str, str, str, str] | None:
    """(name, as_of, kind, file) of the newest snapshot of any kind."""
    row = conn.execute("SELECT name, as_of, kind, file FROM snapshot"
                       " ORDER BY as_of DESC, id DESC LIMIT 1").fetchone()
    if row is None:
        return None
    return str(row[0]), str(row[1]), str(row[2]), str(row[3])
