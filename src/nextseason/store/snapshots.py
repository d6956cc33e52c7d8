"""The ``snapshot`` table: which source was imported, as of which date, with how many rows.

Every dated fact points at the snapshot that stated it; these functions answer "which
snapshots were there on a date" for the linker, the status and the forecast.
"""

from __future__ import annotations

from .conn import Conn

__all__ = [
    "upsert_snapshot",
    "finish_snapshot",
    "snapshot_sources",
    "snapshot_row_counts",
    "snapshot_digests",
    "snapshot_as_of",
    "newest_catalogue_date",
    "newest_catalogue_name",
    "newest_catalogue",
    "newest_snapshot_date",
    "newest_relation_date",
    "newest_of_kind",
    "catalogue_snapshot_ids",
    "live_snapshot_ids",
    "newest_tvdb_crosswalk",
    "newest_crosswalk_date",
]


def upsert_snapshot(conn: Conn, *, name: str, kind: str, as_of: str, file: str,
                    content_hash: str) -> int:
    """Record (or re-record) one source's snapshot; returns its id. Counts start at 0."""
    row = conn.execute(
        "INSERT INTO snapshot (name, kind, as_of, file, content_hash, row_count, stored_count)"
        " VALUES (?, ?, ?, ?, ?, 0, 0) ON CONFLICT (name) DO UPDATE SET kind = excluded.kind,"
        " as_of = excluded.as_of, file = excluded.file, content_hash = excluded.content_hash"
        " RETURNING id",
        (name, kind, as_of, file, content_hash),
    ).fetchone()
    return int(row[0])


def finish_snapshot(conn: Conn, snapshot_id: int, *, read: int, stored: int,
                    skipped: str) -> None:
    """Set a snapshot's counts of records read and stored, and its skips (JSON)."""
    conn.execute(
        "UPDATE snapshot SET row_count = ?, stored_count = ?, skipped = ? WHERE id = ?",
        (read, stored, skipped, snapshot_id),
    )


def snapshot_sources(conn: Conn) -> dict[int, tuple[str, str]]:
    """snapshot id → (name, as_of) for every snapshot."""
    return {int(r[0]): (str(r[1]), str(r[2]))
            for r in conn.execute("SELECT id, name, as_of FROM snapshot")}


def snapshot_row_counts(conn: Conn) -> dict[str, int]:
    """snapshot name → records read from its source."""
    return {str(r[0]): int(r[1]) for r in conn.execute("SELECT name, row_count FROM snapshot")}


def snapshot_digests(conn: Conn, *, except_kind: str | None = None) -> list[tuple[str, str]]:
    """(name, content hash) of every snapshot (optionally but those of one kind), by name:
    what the data is, for cache keys."""
    if except_kind is None:
        rows = conn.execute("SELECT name, content_hash FROM snapshot ORDER BY name")
    else:
        rows = conn.execute("SELECT name, content_hash FROM snapshot WHERE kind <> ?"
                            " ORDER BY name", (except_kind,))
    return [(str(r[0]), str(r[1])) for r in rows]


def snapshot_as_of(conn: Conn, name: str) -> str | None:
    """The date of the snapshot called ``name``, or None."""
    row = conn.execute("SELECT as_of FROM snapshot WHERE name = ?", (name,)).fetchone()
    return str(row[0]) if row else None


def newest_catalogue_date(conn: Conn) -> str | None:
    """The date of the newest catalogue snapshot (outcomes are known up to it), or None."""
    row = conn.execute("SELECT max(as_of) FROM snapshot WHERE kind = 'catalogue'").fetchone()
    return str(row[0]) if row and row[0] is not None else None


def newest_catalogue_name(conn: Conn) -> str | None:
    """The name of the newest catalogue snapshot, or None."""
    row = conn.execute("SELECT name FROM snapshot WHERE kind = 'catalogue'"
                       " ORDER BY as_of DESC LIMIT 1").fetchone()
    return str(row[0]) if row else None


def newest_catalogue(conn: Conn) -> tuple[int, str] | None:
    """(entries read, as_of) of the newest catalogue snapshot, or None."""
    row = conn.execute("SELECT row_count, as_of FROM snapshot WHERE kind = 'catalogue'"
                       " ORDER BY as_of DESC LIMIT 1").fetchone()
    return (int(row[0]), str(row[1])) if row else None


def newest_snapshot_date(conn: Conn) -> str | None:
    """The date of the newest snapshot of any kind, or None."""
    row = conn.execute("SELECT max(as_of) FROM snapshot").fetchone()
    return str(row[0]) if row and row[0] is not None else None


def newest_relation_date(conn: Conn, *, on_or_before: str | None = None,
                         catalogue_only: bool = False) -> str | None:
    """The date of the newest snapshot that stated typed relations (optionally: on or
    before a date; only catalogue snapshots), or None."""
    sql = "SELECT max(s.as_of) FROM snapshot s WHERE"
    params: list[str] = []
    if catalogue_only:
        sql += " s.kind = 'catalogue' AND"
    if on_or_before is not None:
        sql += " s.as_of <= ? AND"
        params.append(on_or_before)
    sql += " EXISTS (SELECT 1 FROM relation r WHERE r.snapshot_id = s.id)"
    row = conn.execute(sql, params).fetchone()
    return str(row[0]) if row and row[0] is not None else None


def newest_of_kind(conn: Conn, kind: str, on_or_before: str) -> tuple[int, str] | None:
    """(id, as_of) of the newest snapshot of ``kind`` dated on or before a date, or None."""
    row = conn.execute(
        "SELECT id, as_of FROM snapshot WHERE kind = ? AND as_of <= ?"
        " ORDER BY as_of DESC, id DESC LIMIT 1", (kind, on_or_before)).fetchone()
    return (int(row[0]), str(row[1])) if row else None


def catalogue_snapshot_ids(conn: Conn, on_or_before: str) -> list[int]:
    """Ids of the catalogue snapshots dated on or before a date."""
    return [int(r[0]) for r in conn.execute(
        "SELECT id FROM snapshot WHERE kind = 'catalogue' AND as_of <= ?", (on_or_before,))]


def live_snapshot_ids(conn: Conn, since: str, until: str) -> list[int]:
    """Ids of the refreshes from a live source (Jikan, AniList) dated from ``since`` to
    ``until``."""
    return [int(r[0]) for r in conn.execute(
        "SELECT id FROM snapshot WHERE kind = 'live' AND as_of <= ? AND as_of >= ?",
        (until, since))]


def newest_tvdb_crosswalk(conn: Conn, on_or_before: str) -> tuple[int, str] | None:
    """(id, as_of) of the newest crosswalk snapshot with TVDB seasons on or before a date."""
    row = conn.execute(
        "SELECT s.id, s.as_of FROM snapshot s WHERE s.kind = 'crosswalk' AND s.as_of <= ?"
        " AND EXISTS (SELECT 1 FROM tvdb_season t WHERE t.snapshot_id = s.id)"
        " ORDER BY s.as_of DESC LIMIT 1", (on_or_before,)).fetchone()
    return (int(row[0]), str(row[1])) if row else None


def newest_crosswalk_date(conn: Conn) -> str | None:
    """The date of the newest snapshot that holds ID-crosswalk rows, or None."""
    row = conn.execute("SELECT max(s.as_of) FROM snapshot s WHERE s.id IN"
                       " (SELECT DISTINCT snapshot_id FROM crosswalk)").fetchone()
    return str(row[0]) if row and row[0] else None
