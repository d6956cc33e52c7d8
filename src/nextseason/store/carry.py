"""What a rebuild keeps from the database it replaces, and what it checks against it.

``build`` writes a new database from the raw files and moves it over the old one. Two things
come from the old database first:

* **The user's own data.** Articles and their claims, the watchlist and the history of each
  series' state (:data:`USER_TABLES`) are not in any raw file: :func:`carry_user_data`
  copies them into the new database, column by column (the columns both schemas have, so a
  newer schema's extra columns take their defaults).
* **Refreshed snapshots.** What ``nextseason refresh`` fetched is in no raw file either:
  :func:`carry_live_snapshots` copies every ``live`` snapshot and its rows (with new
  snapshot and tag ids) before the new database is linked.
* **What it held.** :func:`held_counts` reads how many rows each source had and how many
  sequel links, franchises and forecasts were derived; :func:`shrinkage` compares the new
  database with that, so an emptied or truncated catalogue cannot silently replace a good
  one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .conn import Conn
from .db import table_columns, table_names
from .snapshots import snapshot_row_counts

__all__ = [
    "USER_TABLES",
    "DERIVED_TABLES",
    "MAX_DROP",
    "Held",
    "held_counts",
    "carry_user_data",
    "carry_live_snapshots",
    "shrinkage",
    "count_rows",
]

#: Tables of data the user added (in dependency order: a claim needs its article).
USER_TABLES = ("article", "claim", "watchlist", "series_history")
#: Derived tables whose size is checked against the previous build.
DERIVED_TABLES = ("sequel_link", "franchise", "forecast")
#: A source or derived table may shrink by at most this share before a rebuild is refused.
MAX_DROP = 0.10


@dataclass
class Held:
    """Row counts of a database: per source (``snapshot.row_count``) and per derived table."""

    sources: dict[str, int] = field(default_factory=dict)
    derived: dict[str, int] = field(default_factory=dict)


def held_counts(conn: Conn) -> Held:
    """The row counts of the database open on ``conn`` (tables it lacks are left out)."""
    tables = table_names(conn)
    held = Held()
    if "snapshot" in tables:
        held.sources = snapshot_row_counts(conn)
    held.derived = count_rows(conn, [t for t in DERIVED_TABLES if t in tables])
    return held


def count_rows(conn: Conn, tables: Iterable[str]) -> dict[str, int]:
    """table → number of rows, for the given tables (names from the schema, never input)."""
    return {table: int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
            for table in tables}


def shrinkage(before: Held | None, after: Held, max_drop: float = MAX_DROP) -> list[str]:
    """Every source or derived table that is empty now, or lost more than ``max_drop`` of
    its rows since ``before``, described in a few words."""
    problems = []
    for kind, old, new in (("source", before.sources if before else {}, after.sources),
                           ("table", before.derived if before else {}, after.derived)):
        for name, count in new.items():
            was = old.get(name)
            if count == 0 and (was is None or was > 0):
                problems.append(f"{kind} {name} is empty" + (f" (had {was:,} rows)"
                                                             if was else ""))
            elif was and count < was * (1 - max_drop):
                problems.append(f"{kind} {name} has {count:,} rows, down from {was:,}")
    return problems


def carry_user_data(old: Conn, new: Conn) -> dict[str, int]:
    """Copy :data:`USER_TABLES` from ``old`` into ``new`` (inside the caller's transaction on
    ``new``). Returns the number of rows copied per table."""
    copied: dict[str, int] = {}
    old_tables, new_tables = table_names(old), table_names(new)
    for table in USER_TABLES:
        if table not in old_tables or table not in new_tables:
            continue
        old_cols = table_columns(old, table)
        new_cols = set(table_columns(new, table))
        cols = [c for c in old_cols if c in new_cols]
        names = ", ".join(f'"{c}"' for c in cols)
        marks = ", ".join("?" for _ in cols)
        cursor = old.execute(f"SELECT {names} FROM {table}")
        n = 0
        while batch := cursor.fetchmany(500):
            new.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})"
                            " ON CONFLICT DO NOTHING",
                            [tuple(row) for row in batch])
            n += len(batch)
        copied[table] = n
    return copied



#: the rows of a live snapshot, per table: (table, columns besides snapshot_id)
_LIVE_ROWS = (
    ("anime_version", ("mal_id", "title", "type", "source_type", "episodes", "start_date",
                       "start_precision", "end_date", "end_precision", "status", "rating",
                       "season", "season_year")),
    ("title", ("mal_id", "title", "kind", "lang", "norm")),
    ("relation", ("from_id", "to_id", "to_type", "kind")),
    ("observation", ("entity_type", "entity_id", "metric", "value", "observed_at")),
    ("live_record", ("mal_id", "source", "anilist_id", "url", "fetched_at")),
    ("coverage", ("topic", "source", "up_to", "entries", "scope")),
)


def carry_live_snapshots(old: Conn, new: Conn) -> int:
    """Copy every ``live`` snapshot of ``old`` with its rows into ``new`` (inside the
    caller's transaction on ``new``), oldest first, and let each refreshed entry's ``anime``
    row take the newest values. Returns the number of snapshots copied."""
    from .catalogue import ANIME_COLUMNS, upsert_anime

    if "live_record" not in table_names(old):
        return 0
    snaps = old.execute(
        "SELECT id, name, kind, as_of, file, content_hash, row_count, stored_count, skipped"
        " FROM snapshot WHERE kind = 'live' ORDER BY as_of, id").fetchall()
    for snap in snaps:
        new_id = int(new.execute(
            "INSERT INTO snapshot (name, kind, as_of, file, content_hash, row_count,"
            " stored_count, skipped) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (name) DO NOTHING RETURNING id", tuple(snap)[1:]).fetchone()[0])
        # the anime rows first (a refreshed entry may be new): the rows below refer to them
        for row in old.execute(
                f"SELECT mal_id, {', '.join(ANIME_COLUMNS)} FROM anime_version"
                " WHERE snapshot_id = ?", (snap[0],)).fetchall():
            upsert_anime(new, int(row[0]), new_id, tuple(row)[1:], keep_missing=True)
        for table, cols in _LIVE_ROWS:
            names = ", ".join(cols)
            rows = old.execute(f"SELECT {names} FROM {table} WHERE snapshot_id = ?",
                               (snap[0],)).fetchall()
            new.executemany(
                f"INSERT INTO {table} ({names}, snapshot_id) VALUES"
                f" ({', '.join('?' * (len(cols) + 1))}) ON CONFLICT DO NOTHING",
                [(*tuple(r), new_id) for r in rows])
        for kind, name, mal_id in old.execute(
                "SELECT t.kind, t.name, a.mal_id FROM anime_tag a JOIN tag t ON t.id = a.tag_id"
                " WHERE a.snapshot_id = ?", (snap[0],)).fetchall():
            new.execute("INSERT INTO tag (kind, name) VALUES (?, ?) ON CONFLICT DO NOTHING",
                        (kind, name))
            new.execute(
                "INSERT INTO anime_tag (mal_id, tag_id, snapshot_id) SELECT ?, id, ? FROM tag"
                " WHERE kind = ? AND name = ? ON CONFLICT DO NOTHING",
                (mal_id, new_id, kind, name))
    return len(snaps)
