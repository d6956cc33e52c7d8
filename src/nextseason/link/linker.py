"""Sequel edges for every anime, from four sources in order of trust.

1. ``relation``: typed Sequel / Prequel relations of the named snapshots (MAL's own links);
2. ``rule``: erengy prequel -> sequel rules (self-redirects ignored);
3. ``tvdb``: AniDB entries of one TVDB series, ordered by season number and start date;
4. ``title``: entries sharing a base title, the later one marked as a continuation.

Conflicts are resolved by trust: each sequel keeps one direct prequel, from the most trusted
source that offers one; an edge that would close a cycle is dropped; derived edges (rule,
tvdb, title) need the sequel to start after its prequel, where an entry that has not finished
airing and has no start date starts after every dated one (:attr:`Entry.order`).
:func:`link_catalogue` writes the result to ``sequel_link`` and the franchises to
``franchise`` in one transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from ..store.conn import Conn, atomic
from ..store.relations import replace_sequel_links
from .franchise import find_franchises, write_franchises
from .sources import (
    METHODS,
    Candidate,
    Entry,
    load_entries,
    recap_ids,
    relation_candidates,
    rule_candidates,
    title_candidates,
    tvdb_candidates,
)

__all__ = ["SequelEdge", "LinkStats", "predict_sequel_edges", "link_catalogue", "relink",
           "METHODS"]


@dataclass(frozen=True)
class SequelEdge:
    """A direct prequel -> sequel link, the method that chose it and why."""

    prequel_id: int
    sequel_id: int
    method: str
    evidence: str


@dataclass
class LinkStats:
    """What :func:`link_catalogue` wrote."""

    sequel_links: int = 0
    relation: int = 0
    rule: int = 0
    tvdb: int = 0
    title: int = 0
    franchises: int = 0
    largest_franchise: int = 0


def _creates_cycle(prequel_of: dict[int, int], prequel: int, sequel: int) -> bool:
    """Would ``prequel -> sequel`` close a cycle? (Walk up from ``prequel``.)"""
    node: int | None = prequel
    seen = 0
    while node is not None and seen < 10_000:
        if node == sequel:
            return True
        node = prequel_of.get(node)
        seen += 1
    return False


def resolve(candidates: Iterable[Candidate], entries: dict[int, Entry],
            recaps: frozenset[int] = frozenset()) -> list[SequelEdge]:
    """Choose one direct prequel per sequel, most trusted source first, without cycles.

    ``recaps`` are entries a snapshot lists as a summary of another (recap films and
    specials): among equally trusted prequels they come last."""
    by_pair: dict[tuple[int, int], list[Candidate]] = defaultdict(list)
    for c in candidates:
        if c.prequel_id != c.sequel_id:
            by_pair[(c.prequel_id, c.sequel_id)].append(c)
    merged: list[tuple[int, str, int, int, list[Candidate]]] = []
    for (p, s), cs in by_pair.items():
        cs.sort(key=lambda c: c.trust)
        best = cs[0]
        if not _starts_before(entries, p, s, lenient=best.method == "relation"):
            continue
        # Among equally trusted prequels, the most recent one is the direct prequel.
        start = entries[p].order if p in entries else ""
        merged.append((best.trust, start or "", p, s, cs))
    merged.sort(key=lambda m: (m[0], _detour(entries, m[2], m[3], recaps), _neg(m[1]), m[2],
                               m[3]))
    prequel_of: dict[int, int] = {}
    out: list[SequelEdge] = []
    for _, _, p, s, cs in merged:
        if s in prequel_of or _creates_cycle(prequel_of, p, s):
            continue
        prequel_of[s] = p
        evidence = "; ".join(dict.fromkeys(c.evidence for c in cs))
        out.append(SequelEdge(p, s, cs[0].method, evidence))
    out.sort(key=lambda e: (e.prequel_id, e.sequel_id))
    return out


def _detour(entries: dict[int, Entry], p: int, s: int, recaps: frozenset[int]) -> int:
    """1 when a TV/ONA season would get a recap or special as its direct prequel (MAL
    lists "2nd Season: Hero Note" as the second season's prequel, which would cut the first
    season off its own sequel), or when the prequel is a recap of another entry (a summary
    film that MAL lists before the next film): an equally trusted prequel wins over it."""
    a, b = entries.get(p), entries.get(s)
    return int(p in recaps or (a is not None and b is not None and b.is_series
                               and not a.is_series))


def _neg(start: str) -> str:
    """A key that sorts later dates first."""
    return "".join(chr(0x10FFFF - ord(c)) for c in start)


def _starts_before(entries: dict[int, Entry], p: int, s: int, *, lenient: bool) -> bool:
    """Does ``p`` start before ``s``? ``lenient`` (typed relations) accepts unknown dates
    and the same start, not a prequel that starts later. An undated entry that has not
    finished airing starts after every dated entry."""
    a, b = entries.get(p), entries.get(s)
    x, y = (a.order if a else None), (b.order if b else None)
    if not x or not y:
        return lenient
    return x <= y if lenient else x < y


def predict_sequel_edges(
    conn: Conn,
    *,
    relation_snapshots: Iterable[str] | None = None,
    use_rules: bool = True,
    use_tvdb: bool = True,
    use_titles: bool = True,
) -> list[SequelEdge]:
    """Predict direct sequel edges from the catalogue in ``conn``.

    ``relation_snapshots`` names the snapshots whose typed relations are used (``None``:
    all of them; an empty list: none). Title and TVDB edges are made between TV/ONA entries
    only; relation and rule edges are kept for every type.
    """
    entries = load_entries(conn)
    candidates: list[Candidate] = []
    snapshots = None if relation_snapshots is None else list(relation_snapshots)
    if snapshots is None or snapshots:
        candidates += relation_candidates(conn, snapshots)
    if use_rules:
        candidates += rule_candidates(conn, entries)
    if use_tvdb:
        candidates += tvdb_candidates(conn, entries)
    if use_titles:
        candidates += title_candidates(conn, entries)
    return resolve(candidates, entries, recap_ids(conn))


def relink(conn: Conn) -> LinkStats:
    """Rewrite ``sequel_link`` and the franchises from the whole catalogue, inside the
    caller's transaction (a refresh relinks inside the transaction that adds its snapshot)."""
    edges = predict_sequel_edges(conn)
    stats = LinkStats(sequel_links=len(edges))
    for e in edges:
        setattr(stats, e.method, getattr(stats, e.method) + 1)
    replace_sequel_links(conn, [(e.prequel_id, e.sequel_id, e.method, e.evidence)
                                for e in edges])
    franchises = find_franchises(conn, [(e.prequel_id, e.sequel_id) for e in edges])
    stats.franchises = write_franchises(conn, franchises)
    stats.largest_franchise = max((f.size for f in franchises), default=0)
    return stats


def link_catalogue(conn: Conn) -> LinkStats:
    """Rewrite ``sequel_link`` and the franchises from the whole catalogue, atomically.

    Runs inside one transaction (:func:`~nextseason.store.conn.atomic`); running it twice
    gives the same tables.
    """
    with atomic(conn):
        stats = relink(conn)
    return stats
