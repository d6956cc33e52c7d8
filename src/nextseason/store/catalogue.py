"""The catalogue: ``anime`` (one row per MAL id, the newest snapshot's values),
``anime_version`` (one row per snapshot), ``title`` (every name a show goes by) and ``tag``
(studios, genres, ...).

Writes are the importers' (inside the build's transaction); reads return plain rows
(``row[0]`` and ``row["name"]`` both work) or values.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ._util import marks
from .conn import Conn

__all__ = [
    "ANIME_COLUMNS",
    "upsert_anime",
    "add_anime_version",
    "add_title",
    "tag_ids",
    "add_tag",
    "add_anime_tag",
    "anime_ids",
    "anime_exists",
    "present_ids",
    "anime_row",
    "anime_title",
    "anime_titles",
    "english_title",
    "anime_rows",
    "anime_years",
    "anime_brief",
    "franchise_series_members",
    "franchise_member_ids",
    "franchise_members",
    "anime_with_franchise",
    "anime_last_seen",
    "titles_of",
    "series_titles",
    "search_aliases",
    "exact_alias_ids",
    "studios",
    "tag_names",
    "versions_in",
    "catalogue_versions",
    "finished_versions",
    "first_listed",
    "snapshot_tags",
]

#: The columns ``anime`` and ``anime_version`` share, in the order importers give them.
ANIME_COLUMNS = ("title", "type", "source_type", "episodes", "start_date", "start_precision",
                 "end_date", "end_precision", "status", "rating", "season", "season_year")
_COLS = ", ".join(ANIME_COLUMNS)
_MARKS = ", ".join("?" * len(ANIME_COLUMNS))


# --- writes (the importers') --------------------------------------------------------------

def upsert_anime(conn: Conn, mal_id: int, snapshot_id: int, values: Sequence[Any], *,
                 keep_missing: bool = False) -> None:
    """One show as a snapshot lists it (``values`` in :data:`ANIME_COLUMNS` order). The
    ``anime`` row keeps the newest snapshot's values and the earliest snapshot that listed
    it; a season year the newer snapshot lacks is kept. ``keep_missing`` (a live refresh,
    whose answer may leave fields out): every value the newer snapshot lacks (NULL) keeps
    the old one; the title is always taken."""
    sets = ", ".join(
        f"{c} = excluded.{c}" if c == "title" or not (keep_missing or c == "season_year")
        else f"{c} = COALESCE(excluded.{c}, anime.{c})" for c in ANIME_COLUMNS)
    conn.execute(
        f"""INSERT INTO anime (mal_id, {_COLS}, first_snapshot, last_snapshot)
           VALUES (?, {_MARKS}, ?, ?)
           ON CONFLICT (mal_id) DO UPDATE SET {sets}, last_snapshot = excluded.last_snapshot
           WHERE (SELECT as_of FROM snapshot WHERE id = excluded.last_snapshot)
              >= (SELECT as_of FROM snapshot WHERE id = anime.last_snapshot)""",
        (mal_id, *values, snapshot_id, snapshot_id),
    )
    conn.execute(
        """UPDATE anime SET first_snapshot = ?
           WHERE mal_id = ? AND (SELECT as_of FROM snapshot WHERE id = ?)
              < (SELECT as_of FROM snapshot WHERE id = anime.first_snapshot)""",
        (snapshot_id, mal_id, snapshot_id),
    )


def add_anime_version(conn: Conn, mal_id: int, snapshot_id: int,
                      values: Sequence[Any]) -> None:
    """The show as one snapshot lists it (replacing that snapshot's earlier row)."""
    updates = ", ".join(f"{c} = excluded.{c}" for c in ANIME_COLUMNS)
    conn.execute(
        f"INSERT INTO anime_version (mal_id, snapshot_id, {_COLS}) VALUES (?, ?, {_MARKS})"
        f" ON CONFLICT (mal_id, snapshot_id) DO UPDATE SET {updates}",
        (mal_id, snapshot_id, *values),
    )


def add_title(conn: Conn, mal_id: int, title: str, kind: str, lang: str, norm: str,
              snapshot_id: int | None) -> int:
    """One name of a show (kept once per show, kind and text). Returns 1 if it was new."""
    cur = conn.execute(
        "INSERT INTO title (mal_id, title, kind, lang, norm, snapshot_id)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (mal_id, kind, title) DO NOTHING",
        (mal_id, title, kind, lang, norm, snapshot_id),
    )
    return max(int(cur.rowcount), 0)


def tag_ids(conn: Conn) -> dict[tuple[str, str], int]:
    """(kind, name) → id of every tag."""
    return {(str(r[1]), str(r[2])): int(r[0])
            for r in conn.execute("SELECT id, kind, name FROM tag")}


def add_tag(conn: Conn, kind: str, name: str) -> int:
    """A new tag; returns its id."""
    row = conn.execute("INSERT INTO tag (kind, name) VALUES (?, ?) RETURNING id",
                       (kind, name)).fetchone()
    return int(row[0])


def add_anime_tag(conn: Conn, mal_id: int, tag_id: int, snapshot_id: int) -> None:
    conn.execute(
        "INSERT INTO anime_tag (mal_id, tag_id, snapshot_id) VALUES (?, ?, ?)"
        " ON CONFLICT (mal_id, tag_id, snapshot_id) DO NOTHING",
        (mal_id, tag_id, snapshot_id),
    )


# --- reads --------------------------------------------------------------------------------

def anime_ids(conn: Conn) -> set[int]:
    """Every MAL id in the catalogue."""
    return {int(r[0]) for r in conn.execute("SELECT mal_id FROM anime")}


def anime_exists(conn: Conn, mal_id: int) -> bool:
    return conn.execute("SELECT 1 FROM anime WHERE mal_id = ?", (mal_id,)).fetchone() is not None


def present_ids(conn: Conn, mal_ids: Sequence[int]) -> set[int]:
    """Those of ``mal_ids`` the catalogue has."""
    return {int(r[0]) for r in conn.execute(
        f"SELECT mal_id FROM anime WHERE mal_id IN ({marks(len(mal_ids))})", list(mal_ids))}


def anime_row(conn: Conn, mal_id: int) -> Any:
    """Every column of one ``anime`` row, or None."""
    return conn.execute("SELECT * FROM anime WHERE mal_id = ?", (mal_id,)).fetchone()


def anime_title(conn: Conn, mal_id: int) -> str | None:
    """A show's main title, or None when the catalogue lacks it."""
    row = conn.execute("SELECT title FROM anime WHERE mal_id = ?", (mal_id,)).fetchone()
    return str(row[0]) if row else None


def anime_titles(conn: Conn, mal_ids: Sequence[int]) -> dict[int, str]:
    """MAL id → main title, for the ids the catalogue has."""
    return {int(r[0]): str(r[1]) for r in conn.execute(
        f"SELECT mal_id, title FROM anime WHERE mal_id IN ({marks(len(mal_ids))})",
        list(mal_ids))}


def english_title(conn: Conn, mal_id: int) -> str | None:
    """The English title the newest snapshot gives, or None."""
    row = conn.execute("SELECT title FROM title WHERE mal_id = ? AND kind = 'english'"
                       " ORDER BY snapshot_id DESC NULLS LAST LIMIT 1", (mal_id,)).fetchone()
    return str(row[0]) if row else None


def anime_rows(conn: Conn, columns: Sequence[str], *,
               source_type_known: bool = False) -> list[Any]:
    """The given columns of every ``anime`` row (optionally only those with a source type).
    ``columns`` are names of :data:`ANIME_COLUMNS` or ``mal_id``/``franchise_id``."""
    allowed = {"mal_id", "franchise_id", *ANIME_COLUMNS}
    bad = [c for c in columns if c not in allowed]
    if bad:
        raise ValueError(f"not anime columns: {bad}")
    sql = f"SELECT {', '.join(columns)} FROM anime"
    if source_type_known:
        sql += " WHERE source_type IS NOT NULL"
    # by id, as SQLite's table scan gives them (PostgreSQL's heap order is not the id's)
    return conn.execute(sql + " ORDER BY mal_id").fetchall()


def anime_years(conn: Conn) -> dict[int, tuple[str, str | None, int | None]]:
    """MAL id → (title, type, year it started, else its season's year) for every show."""
    return {
        int(r[0]): (r[1], r[2], int(r[3]) if r[3] is not None else None)
        for r in conn.execute(
            "SELECT mal_id, title, type,"
            " COALESCE(CAST(substr(start_date, 1, 4) AS INTEGER), season_year)"
            " FROM anime")
    }


def anime_brief(conn: Conn, mal_ids: Sequence[int]) -> dict[int, Any]:
    """MAL id → row of (mal_id, title, type, franchise_id, year) for the given shows."""
    return {r["mal_id"]: r for r in conn.execute(
        f"SELECT a.mal_id, a.title, a.type, a.franchise_id,"
        f" CAST(substr(a.start_date, 1, 4) AS INTEGER) AS year FROM anime a"
        f" WHERE a.mal_id IN ({marks(len(mal_ids))})", list(mal_ids))}


def anime_summaries(conn: Conn, mal_ids: Sequence[int]
                    ) -> dict[int, tuple[str, str | None, str | None]]:
    """MAL id → (title, type, start_date as listed) for the given shows (those it knows)."""
    out: dict[int, tuple[str, str | None, str | None]] = {}
    ids = list(mal_ids)
    for lo in range(0, len(ids), 500):
        part = ids[lo:lo + 500]
        out.update({int(r[0]): (str(r[1]), r[2], r[3]) for r in conn.execute(
            f"SELECT mal_id, title, type, start_date FROM anime"
            f" WHERE mal_id IN ({marks(len(part))})", part)})
    return out


def franchise_series_members(conn: Conn, franchise_id: int) -> list[Any]:
    """(mal_id, type, start_date, newest members) of a franchise's TV and ONA entries."""
    return conn.execute(
        "SELECT a.mal_id, a.type, a.start_date,"
        " COALESCE((SELECT CAST(o.value AS NUMERIC) FROM observation o"
        "   WHERE o.entity_type = 'anime' AND o.entity_id = a.mal_id AND o.metric = 'members'"
        "   ORDER BY o.observed_at DESC LIMIT 1), 0) FROM anime a"
        " WHERE a.franchise_id = ? AND a.type IN ('TV', 'ONA')", (franchise_id,)).fetchall()


def franchise_member_ids(conn: Conn, mal_id: int) -> list[int] | None:
    """The MAL ids of the franchise ``mal_id`` belongs to (``[mal_id]`` when it has none);
    None when the catalogue lacks the show."""
    row = conn.execute("SELECT franchise_id FROM anime WHERE mal_id = ?", (mal_id,)).fetchone()
    if row is None:
        return None
    if row[0] is None:
        return [mal_id]
    return [int(r[0]) for r in conn.execute("SELECT mal_id FROM anime WHERE franchise_id = ?",
                                            (row[0],))]


def anime_with_franchise(conn: Conn, mal_id: int) -> Any:
    """One ``anime`` row with its franchise's name (``fname``) and size (``fsize``)."""
    return conn.execute(
        "SELECT a.*, f.name AS fname, f.size AS fsize FROM anime a"
        " LEFT JOIN franchise f ON f.id = a.franchise_id WHERE a.mal_id = ?",
        (mal_id,),
    ).fetchone()


def franchise_members(conn: Conn, franchise_id: int | None, mal_id: int) -> list[Any]:
    """Every ``anime`` row of a franchise with its newest English title (``english``),
    dated entries by start date first; for no franchise, the show alone."""
    if franchise_id is None:
        return conn.execute(
            "SELECT a.*, NULL AS english FROM anime a WHERE mal_id = ?", (mal_id,)
        ).fetchall()
    return conn.execute(
        "SELECT a.*, (SELECT title FROM title t WHERE t.mal_id = a.mal_id AND"
        " t.kind = 'english' ORDER BY snapshot_id DESC NULLS LAST LIMIT 1) AS english"
        " FROM anime a WHERE franchise_id = ?"
        " ORDER BY CASE WHEN start_date IS NULL THEN 1 ELSE 0 END, start_date, mal_id",
        (franchise_id,),
    ).fetchall()


def anime_last_seen(conn: Conn, mal_ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    """MAL id → (name, as_of) of the newest snapshot that lists the show."""
    return {int(r[0]): (str(r[1]), str(r[2])) for r in conn.execute(
        "SELECT a.mal_id, s.name, s.as_of FROM anime a JOIN snapshot s ON s.id = a.last_snapshot"
        f" WHERE a.mal_id IN ({marks(len(mal_ids))})", list(mal_ids))}


def titles_of(conn: Conn, mal_ids: Sequence[int], kinds: Iterable[str]) -> list[tuple[int, str]]:
    """(mal_id, title) of the given kinds (main, english, japanese, synonym, fan)."""
    kinds = list(kinds)
    return [(int(r[0]), str(r[1])) for r in conn.execute(
        f"SELECT mal_id, title FROM title WHERE mal_id IN ({marks(len(mal_ids))})"
        f" AND kind IN ({marks(len(kinds))})", [*mal_ids, *kinds])]


def series_titles(conn: Conn) -> list[tuple[int, str]]:
    """(mal_id, title) of every main, English and synonym title, by show, kind and title."""
    return [(int(r[0]), str(r[1])) for r in conn.execute(
        "SELECT mal_id, title FROM title WHERE kind IN ('main', 'english', 'synonym')"
        " ORDER BY mal_id, kind, title")]


def search_aliases(conn: Conn) -> list[tuple[Any, ...]]:
    """(mal_id, title, kind, norm, members) of every alias (the ``search_alias`` view)."""
    return [tuple(r) for r in conn.execute(
        "SELECT mal_id, title, kind, norm, members FROM search_alias")]


def exact_alias_ids(conn: Conn, keys: Sequence[str]) -> list[int]:
    """MAL ids with an alias whose search key is one of ``keys``, most followed first."""
    return [int(r[0]) for r in conn.execute(
        f"SELECT mal_id FROM search_alias WHERE norm IN ({marks(len(keys))})"
        " ORDER BY members DESC, mal_id", list(keys))]


def studios(conn: Conn, mal_id: int, snapshot_id: int | None = None) -> list[str]:
    """The studios a snapshot lists for a show (default: the newest snapshot that lists it),
    in the order the catalogue holds them."""
    if snapshot_id is None:
        rows = conn.execute(
            "SELECT t.name FROM anime_tag a JOIN tag t ON t.id = a.tag_id"
            " JOIN anime n ON n.mal_id = a.mal_id WHERE a.mal_id = ? AND t.kind = 'studio'"
            " AND a.snapshot_id = n.last_snapshot ORDER BY a.tag_id", (mal_id,))
    else:
        rows = conn.execute(
            "SELECT t.name FROM anime_tag a JOIN tag t ON t.id = a.tag_id"
            " WHERE a.mal_id = ? AND t.kind = 'studio' AND a.snapshot_id = ?"
            " ORDER BY a.tag_id", (mal_id, snapshot_id))
    return [str(r[0]) for r in rows]


def tag_names(conn: Conn, kinds: Iterable[str]) -> list[tuple[str, str]]:
    """(kind, name) of every tag of the given kinds."""
    kinds = list(kinds)
    return [(str(r[0]), str(r[1])) for r in conn.execute(
        f"SELECT kind, name FROM tag WHERE kind IN ({marks(len(kinds))})", kinds)]


def versions_in(conn: Conn, mal_ids: Sequence[int], snapshot_ids: Sequence[int]) -> list[Any]:
    """(mal_id, title, type, start_date, status, snapshot_id, the snapshot's as_of and
    file) of the shows as the given snapshots list them, oldest snapshot first."""
    return conn.execute(
        f"SELECT v.mal_id, v.title, v.type, v.start_date, v.status, v.snapshot_id, s.as_of,"
        f" s.file FROM anime_version v JOIN snapshot s ON s.id = v.snapshot_id"
        f" WHERE v.mal_id IN ({marks(len(mal_ids))})"
        f" AND v.snapshot_id IN ({marks(len(snapshot_ids))})"
        f" ORDER BY s.as_of, s.id", [*mal_ids, *snapshot_ids]).fetchall()


def catalogue_versions(conn: Conn, as_of: str) -> list[Any]:
    """Every show as the newest catalogue snapshot on or before ``as_of`` lists it:
    (mal_id, snapshot_id, snapshot, snapshot_as_of, title, type, source_type, episodes,
    start_date, end_date, status, rating), by MAL id."""
    return conn.execute(
        """
        WITH v AS (
          SELECT av.mal_id, av.snapshot_id, av.title, av.type, av.source_type, av.episodes,
                 av.start_date, av.end_date, av.status, av.rating,
                 s.name AS snapshot, s.as_of AS snapshot_as_of,
                 ROW_NUMBER() OVER (PARTITION BY av.mal_id ORDER BY s.as_of DESC) AS rn
          FROM anime_version av JOIN snapshot s ON s.id = av.snapshot_id
          WHERE s.kind = 'catalogue' AND s.as_of <= ?)
        SELECT mal_id, snapshot_id, snapshot, snapshot_as_of, title, type, source_type,
               episodes, start_date, end_date, status, rating
        FROM v WHERE rn = 1 ORDER BY mal_id""",
        (as_of,),
    ).fetchall()


def finished_versions(conn: Conn) -> set[tuple[int, int]]:
    """(mal_id, snapshot_id) of every snapshot that lists a show as finished."""
    return {(int(m), int(s)) for m, s in conn.execute(
        "SELECT mal_id, snapshot_id FROM anime_version WHERE status = 'finished'")}


def first_listed(conn: Conn, as_of: str) -> dict[int, str]:
    """MAL id → the date of the first catalogue snapshot (on or before ``as_of``) that
    lists the show."""
    return {int(m): str(d) for m, d in conn.execute(
        "SELECT av.mal_id, min(s.as_of) FROM anime_version av JOIN snapshot s"
        " ON s.id = av.snapshot_id WHERE s.kind = 'catalogue' AND s.as_of <= ?"
        " GROUP BY av.mal_id", (as_of,))}


def snapshot_tags(conn: Conn, as_of: str, kinds: Iterable[str]) -> list[tuple[Any, ...]]:
    """(mal_id, snapshot_id, kind, name) of every tag of the given kinds that a snapshot
    dated on or before ``as_of`` gives a show."""
    kinds = list(kinds)
    return [tuple(r) for r in conn.execute(
        "SELECT at.mal_id, at.snapshot_id, t.kind, t.name FROM anime_tag at"
        " JOIN tag t ON t.id = at.tag_id JOIN snapshot s ON s.id = at.snapshot_id"
        f" WHERE s.as_of <= ? AND t.kind IN ({marks(len(kinds))})",
        (as_of, *kinds))]
