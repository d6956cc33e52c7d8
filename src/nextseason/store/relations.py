"""Relations and links between shows and works: ``relation`` (typed, as a snapshot stated
them), ``sequel_link`` (the linker's direct prequel → sequel edges), ``franchise`` (connected
groups) and ``adaptation_link`` (show → source work, for every show)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ._util import marks
from .conn import Conn

__all__ = [
    "add_relation",
    "story_relation_pairs",
    "recap_ids",
    "sequel_relations",
    "relations_at",
    "replace_sequel_links",
    "sequel_links",
    "sequel_links_among",
    "sequel_chain_by_start",
    "replace_franchises",
    "clear_adaptation_links",
    "add_relation_adaptations",
    "add_adaptation_link",
    "adapted_ids",
    "adaptation_manga_ids",
    "adapted_works_at",
    "linked_adapted_works",
]


def add_relation(conn: Conn, from_id: int, to_id: int, to_type: str, kind: str,
                 snapshot_id: int) -> None:
    conn.execute(
        "INSERT INTO relation (from_id, to_id, to_type, kind, snapshot_id)"
        " VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (from_id, to_type, to_id, kind, snapshot_id) DO NOTHING",
        (from_id, to_id, to_type, kind, snapshot_id),
    )


def story_relation_pairs(conn: Conn, loose: Iterable[str]) -> list[tuple[int, int]]:
    """Distinct (from, to) pairs of anime → anime relations of any kind but ``loose``."""
    loose = sorted(loose)
    return [(int(r[0]), int(r[1])) for r in conn.execute(
        "SELECT DISTINCT from_id, to_id FROM relation WHERE to_type = 'anime'"
        f" AND kind NOT IN ({marks(len(loose))})", loose)]


def recap_ids(conn: Conn) -> frozenset[int]:
    """Entries some snapshot lists as a summary (recap) of another entry."""
    return frozenset(int(r[0]) for r in conn.execute(
        "SELECT to_id FROM relation WHERE kind = 'Summary' AND to_type = 'anime'"
        " UNION SELECT from_id FROM relation WHERE kind = 'Full story' AND to_type = 'anime'"))


def sequel_relations(conn: Conn, snapshots: Sequence[str] | None) -> list[tuple[Any, ...]]:
    """(from, to, kind, snapshot name) of the typed Sequel and Prequel relations between
    anime (of the named snapshots; None: all), oldest snapshot first."""
    sql = (
        "SELECT r.from_id, r.to_id, r.kind, s.name FROM relation r"
        " JOIN snapshot s ON s.id = r.snapshot_id"
        " WHERE r.to_type = 'anime' AND r.kind IN ('Sequel', 'Prequel')"
    )
    params: list[str] = []
    if snapshots is not None:
        sql += f" AND s.name IN ({marks(len(snapshots))})"
        params = list(snapshots)
    return [tuple(r) for r in conn.execute(sql + " ORDER BY s.as_of, r.from_id, r.to_id",
                                           params)]


def relations_at(conn: Conn, as_of: str, kinds: Iterable[str]) -> list[tuple[Any, ...]]:
    """Distinct (from, to, kind) anime → anime relations of the given kinds stated by a
    snapshot dated on or before ``as_of``."""
    kinds = list(kinds)
    return [tuple(r) for r in conn.execute(
        "SELECT DISTINCT r.from_id, r.to_id, r.kind FROM relation r"
        " JOIN snapshot s ON s.id = r.snapshot_id WHERE s.as_of <= ? AND r.to_type = 'anime'"
        f" AND r.kind IN ({marks(len(kinds))})", (as_of, *kinds))]


def replace_sequel_links(conn: Conn, edges: Iterable[tuple[int, int, str, str]]) -> None:
    """Replace ``sequel_link`` with (prequel, sequel, method, evidence) edges (inside the
    caller's transaction)."""
    conn.execute("DELETE FROM sequel_link")
    conn.executemany(
        "INSERT INTO sequel_link (prequel_id, sequel_id, method, evidence) VALUES (?, ?, ?, ?)",
        list(edges),
    )


def sequel_links(conn: Conn) -> list[tuple[int, int]]:
    """Every (prequel, sequel) edge of the linker."""
    return [(int(r[0]), int(r[1]))
            for r in conn.execute("SELECT prequel_id, sequel_id FROM sequel_link")]


def sequel_links_among(conn: Conn, mal_ids: Sequence[int]) -> list[tuple[int, int, str]]:
    """(prequel, sequel, method) of the linker's edges with both ends among ``mal_ids``."""
    ids = list(mal_ids)
    m = marks(len(ids))
    return [(int(r[0]), int(r[1]), str(r[2])) for r in conn.execute(
        f"SELECT prequel_id, sequel_id, method FROM sequel_link WHERE sequel_id IN ({m})"
        f" AND prequel_id IN ({m})", ids + ids)]


def sequel_chain_by_start(conn: Conn) -> list[tuple[int, int]]:
    """Every (prequel, sequel) edge, the earliest-starting sequel first."""
    return [(int(r[0]), int(r[1])) for r in conn.execute(
        "SELECT l.prequel_id, l.sequel_id FROM sequel_link l JOIN anime a"
        " ON a.mal_id = l.sequel_id ORDER BY a.start_date NULLS FIRST, l.sequel_id")]


def replace_franchises(conn: Conn, franchises: Iterable[tuple[int, str, Sequence[int]]]
                       ) -> int:
    """Replace the ``franchise`` table and ``anime.franchise_id`` with (id, name, members)
    groups (inside the caller's transaction). Returns the number written."""
    conn.execute("DELETE FROM franchise")
    conn.execute("UPDATE anime SET franchise_id = NULL WHERE franchise_id IS NOT NULL")
    items = list(franchises)
    conn.executemany("INSERT INTO franchise (id, name, size) VALUES (?, ?, ?)",
                     [(fid, name, len(members)) for fid, name, members in items])
    conn.executemany("UPDATE anime SET franchise_id = ? WHERE mal_id = ?",
                     [(fid, m) for fid, _, members in items for m in members])
    return len(items)


def clear_adaptation_links(conn: Conn) -> None:
    conn.execute("DELETE FROM adaptation_link")


def add_relation_adaptations(conn: Conn) -> int:
    """Adaptation links from the snapshots' Adaptation relations (each named by the first
    snapshot that states it). Returns the number added."""
    cur = conn.execute(
        """INSERT INTO adaptation_link (mal_id, manga_id, method, evidence)
           SELECT r.from_id, r.to_id, 'relation', 'Adaptation relation in ' || min(s.name)
           FROM relation r JOIN snapshot s ON s.id = r.snapshot_id
           WHERE r.kind = 'Adaptation' AND r.to_type = 'manga'
             AND r.from_id IN (SELECT mal_id FROM anime)
           GROUP BY r.from_id, r.to_id"""
    )
    return int(cur.rowcount)


def add_adaptation_link(conn: Conn, mal_id: int, manga_id: int, method: str,
                        evidence: str) -> None:
    conn.execute(
        "INSERT INTO adaptation_link (mal_id, manga_id, method, evidence) VALUES (?, ?, ?, ?)",
        (mal_id, manga_id, method, evidence),
    )


def adapted_ids(conn: Conn) -> set[int]:
    """Every show with an adaptation link."""
    return {int(r[0]) for r in conn.execute("SELECT DISTINCT mal_id FROM adaptation_link")}


def adaptation_manga_ids(conn: Conn, mal_id: int) -> list[int]:
    """The works one show adapts, by id."""
    return [int(r[0]) for r in conn.execute(
        "SELECT manga_id FROM adaptation_link WHERE mal_id = ? ORDER BY manga_id", (mal_id,))]


def adapted_works_at(conn: Conn, as_of: str) -> list[tuple[Any, ...]]:
    """Distinct (mal_id, manga_id, type, volumes, start_year, end_year) of the works a
    snapshot dated on or before ``as_of`` states a show adapts."""
    return [tuple(r) for r in conn.execute(
        "SELECT DISTINCT r.from_id, w.manga_id, w.type, w.volumes, w.start_year, w.end_year"
        " FROM relation r JOIN snapshot s ON s.id = r.snapshot_id"
        " JOIN source_work w ON w.manga_id = r.to_id"
        " WHERE r.kind = 'Adaptation' AND r.to_type = 'manga' AND s.as_of <= ?", (as_of,))]


def linked_adapted_works(conn: Conn) -> list[tuple[Any, ...]]:
    """(mal_id, manga_id, type, volumes, start_year, end_year) of every adaptation link."""
    return [tuple(r) for r in conn.execute(
        "SELECT a.mal_id, w.manga_id, w.type, w.volumes, w.start_year, w.end_year"
        " FROM adaptation_link a JOIN source_work w ON w.manga_id = a.manga_id")]
