"""Source works and sales, and the ID lists: ``source_work`` (manga, light novels),
``manga_sales``, ``video_sales`` (home video), ``crosswalk`` (MAL ↔ other sites' ids),
``tvdb_season`` (season numbers per AniDB entry) and ``sequel_rule`` (prequel → sequel
episode rules)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ._util import marks
from .conn import Conn

__all__ = [
    "add_source_work",
    "add_light_novel",
    "manga_titles",
    "put_manga_sales",
    "count_linked_manga_sales",
    "add_video_sales",
    "count_unlinked_video_sales",
    "add_crosswalk",
    "add_tvdb_season",
    "add_sequel_rule",
    "source_works",
    "source_work_ids",
    "works_adapted_by",
    "works_titled_like",
    "video_sales_of",
    "best_video_sales",
    "newest_sales_year",
    "crosswalk_ids",
    "tvdb_seasons",
    "tvdb_seasons_of",
    "tvdb_later_seasons",
    "sequel_rules",
    "sequel_rules_from",
]

_SALES_COLUMNS = ("title", "year", "season", "mal_id", "avg_sales_k", "avg_sales_suspect",
                  "re_release_k", "total_k", "gross_first_myen", "gross_broken", "studio",
                  "source", "as_of", "snapshot_id")
_MANGA_SALES_COLUMNS = ("title", "manga_id", "authors", "publisher", "demographic", "volumes",
                        "start_year", "end_year", "sales_millions", "per_volume_millions",
                        "as_of", "snapshot_id")
_CROSSWALK_COLUMNS = ("mal_id", "anilist_id", "anidb_id", "kitsu_id", "tvdb_id", "tmdb_id",
                      "imdb_id", "livechart_id", "type", "snapshot_id")
_TVDB_COLUMNS = ("anidb_id", "tvdb_id", "tvdb_season", "tmdb_tv_id", "tmdb_season",
                 "episode_offset", "snapshot_id")
#: the crosswalk's columns that are other sites' ids
CROSSWALK_SITES = ("anilist_id", "anidb_id", "kitsu_id", "tvdb_id", "tmdb_id", "imdb_id",
                   "livechart_id")


def _insert(table: str, columns: Sequence[str], conflict: str, update: bool = False) -> str:
    names = ", ".join(columns)
    action = ("DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in columns
                                            if c not in conflict.split(", "))
              if update else "DO NOTHING")
    return (f"INSERT INTO {table} ({names}) VALUES ({marks(len(columns))})"
            f" ON CONFLICT ({conflict}) {action}")


# --- writes (the importers') --------------------------------------------------------------

def add_source_work(conn: Conn, *, manga_id: int, title: str, type: str | None,
                    volumes: int | None, start_year: int | None, end_year: int | None,
                    status: str | None, as_of: str, snapshot_id: int) -> int:
    """One source work, unless its id is stored already. Returns 1 if it was new."""
    cur = conn.execute(
        _insert("source_work", ("manga_id", "title", "type", "volumes", "start_year",
                                "end_year", "status", "as_of", "snapshot_id"), "manga_id"),
        (manga_id, title, type, volumes, start_year, end_year, status, as_of, snapshot_id))
    return max(int(cur.rowcount), 0)


def add_light_novel(conn: Conn, *, manga_id: int, title: str, as_of: str,
                    snapshot_id: int) -> None:
    """A light novel known only by id and title, unless its id is stored already."""
    conn.execute(
        _insert("source_work", ("manga_id", "title", "type", "as_of", "snapshot_id"),
                "manga_id"),
        (manga_id, title, "Light Novel", as_of, snapshot_id))


def manga_titles(conn: Conn) -> list[tuple[int, str]]:
    """(manga_id, title) of every work of type Manga, by id."""
    return [(int(r[0]), str(r[1])) for r in conn.execute(
        "SELECT manga_id, title FROM source_work WHERE type = 'Manga' ORDER BY manga_id")]


def put_manga_sales(conn: Conn, values: Sequence[Any]) -> None:
    """One best-seller (values in the order of ``manga_sales``'s columns), replacing a
    row of the same title."""
    conn.execute(_insert("manga_sales", _MANGA_SALES_COLUMNS, "title", update=True),
                 tuple(values))


def count_linked_manga_sales(conn: Conn) -> int:
    return int(conn.execute("SELECT count(manga_id) FROM manga_sales").fetchone()[0])


def add_video_sales(conn: Conn, values: Sequence[Any]) -> int:
    """One home-video sales row (values in the order of ``video_sales``'s columns), unless
    its title, year and season are stored already. Returns 1 if it was new."""
    cur = conn.execute(_insert("video_sales", _SALES_COLUMNS, "title, year, season"),
                       tuple(values))
    return max(int(cur.rowcount), 0)


def count_unlinked_video_sales(conn: Conn) -> int:
    return int(conn.execute(
        "SELECT count(*) FROM video_sales WHERE mal_id IS NULL").fetchone()[0])


def add_crosswalk(conn: Conn, values: Sequence[Any]) -> int:
    """One MAL id's ids on other sites (values in the order of ``crosswalk``'s columns),
    unless the MAL id is stored already. Returns 1 if it was new."""
    cur = conn.execute(_insert("crosswalk", _CROSSWALK_COLUMNS, "mal_id"), tuple(values))
    return max(int(cur.rowcount), 0)


def add_tvdb_season(conn: Conn, values: Sequence[Any]) -> int:
    """One AniDB entry's TVDB/TMDB season (values in the order of ``tvdb_season``'s
    columns), unless the AniDB id is stored already. Returns 1 if it was new."""
    cur = conn.execute(_insert("tvdb_season", _TVDB_COLUMNS, "anidb_id"), tuple(values))
    return max(int(cur.rowcount), 0)


def add_sequel_rule(conn: Conn, *, from_mal_id: int, from_eps: str, to_mal_id: int,
                    to_eps: str, line: int, snapshot_id: int) -> None:
    conn.execute(
        _insert("sequel_rule", ("from_mal_id", "from_eps", "to_mal_id", "to_eps", "line",
                                "snapshot_id"), "from_mal_id, from_eps, to_mal_id, to_eps"),
        (from_mal_id, from_eps, to_mal_id, to_eps, line, snapshot_id))


# --- reads --------------------------------------------------------------------------------

def source_works(conn: Conn) -> list[Any]:
    """(manga_id, title, type, start_year) of every source work."""
    return conn.execute("SELECT manga_id, title, type, start_year FROM source_work").fetchall()


def source_work_ids(conn: Conn) -> set[int]:
    return {int(r[0]) for r in conn.execute("SELECT manga_id FROM source_work")}


def works_adapted_by(conn: Conn, mal_ids: Sequence[int]) -> list[Any]:
    """Every source work the shows adapt, with ``adapted_by`` (the show) and ``method``
    (how the link is known), by start year and id."""
    return conn.execute(
        f"SELECT DISTINCT s.*, a.mal_id AS adapted_by, a.method FROM adaptation_link a"
        f" JOIN source_work s ON s.manga_id = a.manga_id"
        f" WHERE a.mal_id IN ({marks(len(mal_ids))}) ORDER BY s.start_year NULLS FIRST,"
        f" s.manga_id",
        list(mal_ids)).fetchall()


def works_titled_like(conn: Conn, prefix: str, other_than: int, limit: int = 20) -> list[Any]:
    """Up to ``limit`` source works (all columns) whose title begins with ``prefix``
    (ASCII letters of either case; ``%`` and ``_`` in it are dropped), except one."""
    # a backslash is escaped: PostgreSQL's LIKE treats it as the escape character by default
    pattern = prefix.replace("%", "").replace("_", "").replace("\\", "\\\\") + "%"
    return conn.execute(
        "SELECT * FROM source_work WHERE lower(title) LIKE lower(?) ESCAPE '\\'"
        " AND manga_id != ?"
        " ORDER BY start_year NULLS FIRST, manga_id LIMIT ?",
        (pattern, other_than, limit)).fetchall()


def video_sales_of(conn: Conn, mal_ids: Sequence[int]) -> list[Any]:
    """Every home-video sales row of the shows (all columns), by year."""
    return conn.execute(
        f"SELECT * FROM video_sales WHERE mal_id IN ({marks(len(mal_ids))}) ORDER BY year",
        list(mal_ids)).fetchall()


def best_video_sales(conn: Conn, until_year: int) -> list[tuple[int, float]]:
    """(mal_id, best average first-release sales per volume) of every linked show, from
    the seasons up to ``until_year``, leaving out values that look like parse errors."""
    return [(int(r[0]), r[1]) for r in conn.execute(
        "SELECT mal_id, max(avg_sales_k) FROM video_sales WHERE mal_id IS NOT NULL"
        " AND year <= ? AND avg_sales_suspect = 0 GROUP BY mal_id", (until_year,))]


def newest_sales_year(conn: Conn) -> int | None:
    row = conn.execute("SELECT max(year) FROM video_sales").fetchone()
    return int(row[0]) if row and row[0] is not None else None


def crosswalk_ids(conn: Conn, mal_id: int) -> dict[str, Any] | None:
    """A show's ids on other sites (:data:`CROSSWALK_SITES` → value), or None."""
    row = conn.execute(f"SELECT {', '.join(CROSSWALK_SITES)} FROM crosswalk WHERE mal_id = ?",
                       (mal_id,)).fetchone()
    return dict(zip(CROSSWALK_SITES, tuple(row), strict=True)) if row else None


def tvdb_seasons(conn: Conn) -> list[tuple[Any, ...]]:
    """(mal_id, type, tvdb_id, tvdb_season, episode_offset) of every MAL id the crosswalk
    maps to a TVDB season (1 or later), by TVDB series, season, AniDB id and MAL id."""
    return [tuple(r) for r in conn.execute(
        "SELECT c.mal_id, c.type, t.tvdb_id, t.tvdb_season, t.episode_offset FROM crosswalk c"
        " JOIN tvdb_season t ON t.anidb_id = c.anidb_id"
        " WHERE t.tvdb_id IS NOT NULL AND t.tvdb_season >= 1"
        " ORDER BY t.tvdb_id, t.tvdb_season, t.anidb_id, c.mal_id")]


def tvdb_seasons_of(conn: Conn, mal_ids: Sequence[int]) -> list[tuple[Any, ...]]:
    """(mal_id, tvdb_id, tvdb_season) of the given shows' TVDB seasons (1 or later)."""
    return [tuple(r) for r in conn.execute(
        f"SELECT c.mal_id, t.tvdb_id, t.tvdb_season FROM crosswalk c JOIN tvdb_season t"
        f" ON t.anidb_id = c.anidb_id WHERE c.mal_id IN ({marks(len(mal_ids))})"
        f" AND t.tvdb_id IS NOT NULL AND t.tvdb_season >= 1", list(mal_ids))]


def tvdb_later_seasons(conn: Conn, tvdb_id: int, after: int) -> list[tuple[Any, ...]]:
    """(anidb_id, tvdb_season, mal_id or None) of a TVDB series' seasons after ``after``
    whose entry the catalogue lacks, in season order."""
    return [tuple(r) for r in conn.execute(
        "SELECT t.anidb_id, t.tvdb_season, c.mal_id FROM tvdb_season t"
        " LEFT JOIN crosswalk c ON c.anidb_id = t.anidb_id"
        " WHERE t.tvdb_id = ? AND t.tvdb_season > ?"
        " AND (c.mal_id IS NULL OR c.mal_id NOT IN (SELECT mal_id FROM anime))"
        " ORDER BY t.tvdb_season, t.episode_offset NULLS FIRST, t.anidb_id", (tvdb_id, after))]


def sequel_rules(conn: Conn) -> list[tuple[Any, ...]]:
    """(from_mal_id, from_eps, to_mal_id, to_eps, line) of every rule between two ids, in
    the file's order."""
    return [tuple(r) for r in conn.execute(
        "SELECT from_mal_id, from_eps, to_mal_id, to_eps, line FROM sequel_rule"
        " WHERE from_mal_id != to_mal_id ORDER BY line")]


def sequel_rules_from(conn: Conn, snapshot_id: int,
                      mal_ids: Sequence[int]) -> list[tuple[Any, ...]]:
    """(from_mal_id, from_eps, to_mal_id) of one snapshot's rules from the given shows to
    another id."""
    return [tuple(r) for r in conn.execute(
        f"SELECT from_mal_id, from_eps, to_mal_id FROM sequel_rule WHERE snapshot_id = ?"
        f" AND from_mal_id IN ({marks(len(mal_ids))}) AND to_mal_id != from_mal_id",
        [snapshot_id, *mal_ids])]
