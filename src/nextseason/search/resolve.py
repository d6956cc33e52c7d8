"""Turn what a user typed (a title in any spelling, or a MAL id) into one catalogue entry."""

from __future__ import annotations

import sqlite3

from ..errors import NotFoundError

__all__ = ["resolve_anime"]


def resolve_anime(conn: sqlite3.Connection, query: str) -> int:
    """The MAL id ``query`` names: a number is taken as a MAL id, anything else is searched.

    Raises :class:`NotFoundError` with the nearest titles when nothing matches well.
    """
    from .index import MAX_QUERY_CHARS, SearchIndex
    from .normalize import normalize

    q = query.strip()
    if not q:
        raise NotFoundError("type a title (any spelling) or a MAL id")
    if q.isascii() and q.isdigit():
        if len(q) > 18:  # past SQLite's integer range: no such id
            raise NotFoundError(f"no anime with MAL id {q[:30]} in the catalogue")
        if conn.execute("SELECT 1 FROM anime WHERE mal_id = ?", (int(q),)).fetchone():
            return int(q)
        raise NotFoundError(f"no anime with MAL id {q} in the catalogue")
    # An exact alias needs no index: the title table is indexed on the search key.
    exact = conn.execute(
        "SELECT mal_id FROM search_alias WHERE norm = ? ORDER BY members DESC, mal_id LIMIT 1",
        (normalize(q[:MAX_QUERY_CHARS]),),
    ).fetchone()
    if exact:
        return int(exact[0])
    hits = SearchIndex.from_db(conn).search(q, limit=5)
    if not hits or (hits[0].match == "fuzzy" and hits[0].score < 60):
        near = ", ".join(f"{h.title} ({h.mal_id})" for h in hits[:3])
        raise NotFoundError(
            f"no title matches {q!r}" + (f"; nearest: {near}" if near else "")
            + ". Try `nextseason search` with fewer words."
        )
    return hits[0].mal_id
