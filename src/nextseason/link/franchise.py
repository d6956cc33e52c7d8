"""Franchises: connected groups of anime, found with a small union-find.

Two anime are in one franchise when any typed relation (of any kind, from any snapshot)
or a derived ``sequel_link`` joins them. The franchise id is the smallest MAL id in the
group; its name is the main title of its earliest TV/ONA member (else its earliest member).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from ..store.catalogue import anime_rows
from ..store.conn import Conn
from ..store.relations import replace_franchises, story_relation_pairs

__all__ = ["UnionFind", "Franchise", "find_franchises", "write_franchises"]

_SERIES_TYPES = ("TV", "ONA")


class UnionFind:
    """Disjoint sets over integers, with path halving and union by size."""

    def __init__(self) -> None:
        self._parent: dict[int, int] = {}
        self._size: dict[int, int] = {}

    def add(self, x: int) -> None:
        """Make ``x`` a set of its own if it is new."""
        if x not in self._parent:
            self._parent[x] = x
            self._size[x] = 1

    def find(self, x: int) -> int:
        """The representative of the set holding ``x`` (adding ``x`` if it is new)."""
        self.add(x)
        parent = self._parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        """Join the sets holding ``a`` and ``b``."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if self._size[ra] < self._size[rb]:
            ra, rb = rb, ra
        self._parent[rb] = ra
        self._size[ra] += self._size[rb]

    def groups(self) -> list[list[int]]:
        """Every set, as a sorted list of members."""
        out: dict[int, list[int]] = defaultdict(list)
        for x in self._parent:
            out[self.find(x)].append(x)
        return [sorted(members) for members in out.values()]


@dataclass(frozen=True)
class Franchise:
    """One connected group of anime."""

    id: int
    name: str
    members: tuple[int, ...]

    @property
    def size(self) -> int:
        return len(self.members)


#: Relation kinds that do not make two entries one franchise.
LOOSE_RELATIONS = frozenset({"Character", "Other"})


def _sort_key(start: str | None, mal_id: int) -> tuple[str, int]:
    return (start or "9999", mal_id)


def find_franchises(conn: Conn, extra_edges: Iterable[tuple[int, int]] = ()
                    ) -> list[Franchise]:
    """Group anime joined by story relations and ``extra_edges`` (the linker's sequel edges).

    "Character" (a crossover that borrows characters) and "Other" relations are left out:
    they join unrelated franchises (Isekai Quartet would merge Re:Zero, Overlord and
    KonoSuba into one; Tetsuwan Atom's cameos would make a group of hundreds).
    """
    anime = {
        r[0]: (r[1], r[2], r[3])
        for r in anime_rows(conn, ("mal_id", "title", "type", "start_date"))
    }
    uf = UnionFind()
    for mal_id in anime:
        uf.add(mal_id)
    rows = story_relation_pairs(conn, LOOSE_RELATIONS)
    for a, b in [*rows, *extra_edges]:
        if a in anime and b in anime:
            uf.union(a, b)
    out = []
    for members in uf.groups():
        series = [m for m in members if anime[m][1] in _SERIES_TYPES]
        pool = series or members
        first = min(pool, key=lambda m: _sort_key(anime[m][2], m))
        out.append(Franchise(members[0], anime[first][0], tuple(members)))
    out.sort(key=lambda f: f.id)
    return out


def write_franchises(conn: Conn, franchises: Iterable[Franchise]) -> int:
    """Replace the ``franchise`` table and ``anime.franchise_id``; the caller holds the
    transaction. Returns the number of franchises written."""
    return replace_franchises(conn, [(f.id, f.name, f.members) for f in franchises])
