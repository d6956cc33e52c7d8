"""The watchlist (migration 0008): the shows the user follows. A user table: a rebuild
carries it (:data:`nextseason.store.carry.USER_TABLES`)."""

from __future__ import annotations

from dataclasses import dataclass

from .conn import Conn, atomic

__all__ = ["Watched", "watch_add", "watch_remove", "watched"]


@dataclass(frozen=True)
class Watched:
    mal_id: int
    title: str
    added_on: str


def watch_add(conn: Conn, mal_id: int, title: str, added_on: str) -> bool:
    """Add a show; False when it was already on the list (nothing changes)."""
    with atomic(conn):
        row = conn.execute(
            "INSERT INTO watchlist (mal_id, title, added_on) VALUES (?, ?, ?)"
            " ON CONFLICT (mal_id) DO NOTHING RETURNING mal_id",
            (mal_id, title, added_on)).fetchone()
    return row is not None


def watch_remove(conn: Conn, mal_id: int) -> bool:
    """Remove a show; False when it was not on the list."""
    with atomic(conn):
        row = conn.execute("DELETE FROM watchlist WHERE mal_id = ? RETURNING mal_id",
                           (mal_id,)).fetchone()
    return row is not None


def watched(conn: Conn) -> list[Watched]:
    """The watchlist, in the order the shows were added."""
    return [Watched(int(r[0]), str(r[1]), str(r[2])) for r in conn.execute(
        "SELECT mal_id, title, added_on FROM watchlist ORDER BY added_on, mal_id")]
