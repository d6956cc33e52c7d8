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

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from ..search.normalize import normalize
from ..store import relations
from ..store.catalogue import anime_ids, anime_rows
from ..store.conn import Conn
from ..store.sources import source_work_ids, source_works
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
    conn: Conn, mal_ids: set[int] | None = None
) -> dict[int, tuple[int, str]]:
    """``{mal_id: (manga_id, evidence)}`` from title analysis, for ``mal_ids`` (None = all)."""
    works: dict[str, list[Any]] = defaultdict(list)
    for w in source_works(conn):
        works[normalize(w[1])].append(w)
    out: dict[int, tuple[int, str]] = {}
    for a in anime_rows(conn, ("mal_id", "title", "source_type", "start_date"),
                        source_type_known=True):
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


def link_adaptations(conn: Conn) -> AdaptationStats:
    """Rewrite ``adaptation_link`` inside the caller's transaction."""
    stats = AdaptationStats()
    relations.clear_adaptation_links(conn)
    stats.relation = relations.add_relation_adaptations(conn)
    linked = relations.adapted_ids(conn)
    # Follow sequel chains forward, oldest first, so a third season inherits via the second.
    for prequel, sequel in relations.sequel_chain_by_start(conn):
        if sequel in linked or prequel not in linked:
            continue
        for manga_id in relations.adaptation_manga_ids(conn, prequel):
            relations.add_adaptation_link(conn, sequel, manga_id, "franchise",
                                          f"continues MAL {prequel}, which adapts it")
            stats.franchise += 1
        linked.add(sequel)
    known = source_work_ids(conn)
    all_ids = anime_ids(conn)
    for mal_id, (manga_id, evidence) in predict_title_links(conn, all_ids - linked).items():
        if manga_id in known:
            relations.add_adaptation_link(conn, mal_id, manga_id, "title", evidence)
            stats.title += 1
    return stats
