"""Adaptation links: which source work (manga, light novel, ...) each anime adapts.

The 2018 and 2021 snapshots state them as typed ``Adaptation`` relations. The 2025 snapshot
states none, so a show first seen there is linked, in order of trust:

1. ``relation`` — a snapshot's own Adaptation relation (the earliest snapshot is cited);
2. ``franchise`` — a TV/ONA show whose sequel-chain predecessor adapts a work adapts the
   same work (a second season continues the first season's source);
3. ``title`` — the show's base title (season markers stripped) equals a source work's title
   after normalisation, the source types agree (a "Light novel" show and a "Light Novel"
   work), the work started no later than the show, and exactly one work matches.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass

from ..search.normalize import normalize
from .titles import parse_title

__all__ = ["AdaptationStats", "SOURCE_TYPES", "link_adaptations", "predict_title_links"]

#: anime source type → source-work types that can stand behind it
SOURCE_TYPES: dict[str, frozenset[str]] = {
    "Manga": frozenset({"Manga", "Manhwa", "Manhua", "One shot", "Doujinshi"}),
    "Web manga": frozenset({"Manga", "Manhwa", "Manhua"}),
    "4-koma manga": frozenset({"Manga"}),
    "Light novel": frozenset({"Light Novel", "Novel"}),
    "Novel": frozenset({"Novel", "Light Novel"}),
    "Web novel": frozenset({"Light Novel", "Novel"}),
}


@dataclass
class AdaptationStats:
    relation: int = 0
    franchise: int = 0
    title: int = 0


def predict_title_links(
    conn: sqlite3.Connection, mal_ids: set[int] | None = None
) -> dict[int, tuple[int, str]]:
    """``{mal_id: (manga_id, evidence)}`` from title analysis, for ``mal_ids`` (None = all)."""
    works: dict[str, list[sqlite3.Row]] = defaultdict(list)
    for w in conn.execute("SELECT manga_id, title, type, start_year FROM source_work"):
        works[normalize(w[1])].append(w)
    out: dict[int, tuple[int, str]] = {}
    for a in conn.execute(
        "SELECT mal_id, title, source_type, start_date FROM anime WHERE source_type IS NOT NULL"
    ):
        mal_id, title, source_type, start = a[0], a[1], a[2], a[3]
        if (mal_ids is not None and mal_id not in mal_ids) or source_type not in SOURCE_TYPES:
            continue
        year = int(start[:4]) if start else None
        keys = {normalize(title), parse_title(title).base_norm}
        matches = {
            w[0]: w
            for key in keys
            for w in works.get(key, [])
            if w[2] in SOURCE_TYPES[source_type]
            and (year is None or w[3] is None or w[3] <= year)
        }
        if len(matches) == 1:
            (manga_id, w), = matches.items()
            out[mal_id] = (manga_id, f"title {title!r} matches {w[2]} {w[1]!r}")
    return out


def link_adaptations(conn: sqlite3.Connection) -> AdaptationStats:
    """Rewrite ``adaptation_link`` inside the caller's transaction."""
    stats = AdaptationStats()
    conn.execute("DELETE FROM adaptation_link")
    cur = conn.execute(
        """INSERT INTO adaptation_link (mal_id, manga_id, method, evidence)
           SELECT r.from_id, r.to_id, 'relation', 'Adaptation relation in ' || min(s.name)
           FROM relation r JOIN snapshot s ON s.id = r.snapshot_id
           WHERE r.kind = 'Adaptation' AND r.to_type = 'manga'
             AND r.from_id IN (SELECT mal_id FROM anime)
           GROUP BY r.from_id, r.to_id"""
    )
    stats.relation = cur.rowcount
    linked = {r[0] for r in conn.execute("SELECT DISTINCT mal_id FROM adaptation_link")}
    # Follow sequel chains forward, oldest first, so a third season inherits via the second.
    chain = conn.execute(
        "SELECT l.prequel_id, l.sequel_id FROM sequel_link l JOIN anime a"
        " ON a.mal_id = l.sequel_id ORDER BY a.start_date, l.sequel_id"
    ).fetchall()
    for prequel, sequel in chain:
        if sequel in linked or prequel not in linked:
            continue
        rows = conn.execute(
            "SELECT manga_id FROM adaptation_link WHERE mal_id = ? ORDER BY manga_id",
            (prequel,),
        ).fetchall()
        for (manga_id,) in rows:
            conn.execute(
                "INSERT INTO adaptation_link VALUES (?, ?, 'franchise', ?)",
                (sequel, manga_id, f"continues MAL {prequel}, which adapts it"),
            )
            stats.franchise += 1
        linked.add(sequel)
    known = {r[0] for r in conn.execute("SELECT manga_id FROM source_work")}
    all_ids = {r[0] for r in conn.execute("SELECT mal_id FROM anime")}
    for mal_id, (manga_id, evidence) in predict_title_links(conn, all_ids - linked).items():
        if manga_id in known:
            conn.execute("INSERT INTO adaptation_link VALUES (?, ?, 'title', ?)",
                         (mal_id, manga_id, evidence))
            stats.title += 1
    return stats
