"""Where candidate sequel edges come from: relations, rules, TVDB seasons and titles.

Each ``*_candidates`` function reads the store and returns :class:`Candidate` values; the
linker (:mod:`.linker`) resolves them into one direct prequel per sequel.
"""

from __future__ import annotations

import re
import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from .titles import TitleParts, parse_title

__all__ = [
    "METHODS",
    "SERIES_TYPES",
    "Candidate",
    "Entry",
    "load_entries",
    "relation_candidates",
    "rule_candidates",
    "tvdb_candidates",
    "title_candidates",
]

#: Methods in order of trust (most trusted first).
METHODS = ("relation", "rule", "tvdb", "title")
#: The entry types whose sequels are measured and derived from tvdb and titles.
SERIES_TYPES = frozenset({"TV", "ONA"})
_TRUST = {m: i for i, m in enumerate(METHODS)}


@dataclass(frozen=True)
class Candidate:
    """A proposed prequel -> sequel edge from one source."""

    prequel_id: int
    sequel_id: int
    method: str
    evidence: str

    @property
    def trust(self) -> int:
        """0 is the most trusted."""
        return _TRUST[self.method]


@dataclass
class Entry:
    """What the linker needs of one anime entry."""

    mal_id: int
    type: str | None
    start: str | None  # ISO date padded to YYYY-MM-DD ("2016" -> "2016-00-00")
    title: str
    episodes: int | None = None
    end: str | None = None
    titles: list[str] = field(default_factory=list)

    @property
    def is_series(self) -> bool:
        return self.type in SERIES_TYPES


def _pad(date: str | None) -> str | None:
    if not date:
        return None
    parts = date.split("-") + ["00", "00"]
    return "-".join(parts[:3])


def load_entries(conn: sqlite3.Connection) -> dict[int, Entry]:
    """Every anime with its main, English and synonym titles."""
    entries = {
        r[0]: Entry(r[0], r[1], _pad(r[2]), r[3], r[4], _pad(r[5]))
        for r in conn.execute(
            "SELECT mal_id, type, start_date, title, episodes, end_date FROM anime"
        )
    }
    rows = conn.execute(
        "SELECT mal_id, title FROM title WHERE kind IN ('main', 'english', 'synonym')"
        " ORDER BY mal_id, kind, title"
    )
    for mal_id, title in rows:
        if mal_id in entries:
            entries[mal_id].titles.append(title)
    for e in entries.values():
        if e.title not in e.titles:
            e.titles.insert(0, e.title)
    return entries


def relation_candidates(conn: sqlite3.Connection, snapshots: Sequence[str] | None
                        ) -> list[Candidate]:
    """Typed Sequel relations and reversed Prequel relations of the named snapshots."""
    sql = (
        "SELECT r.from_id, r.to_id, r.kind, s.name FROM relation r"
        " JOIN snapshot s ON s.id = r.snapshot_id"
        " WHERE r.to_type = 'anime' AND r.kind IN ('Sequel', 'Prequel')"
    )
    params: list[str] = []
    if snapshots is not None:
        sql += f" AND s.name IN ({', '.join('?' * len(snapshots))})"
        params = list(snapshots)
    out = []
    for a, b, kind, snap in conn.execute(sql + " ORDER BY s.as_of, r.from_id, r.to_id", params):
        if kind == "Sequel":
            out.append(Candidate(a, b, "relation", f"{snap}: {a} lists {b} as Sequel"))
        else:
            out.append(Candidate(b, a, "relation", f"{snap}: {a} lists {b} as Prequel"))
    return out


def _first_ep(eps: str) -> int:
    head = eps.split("-")[0].strip()
    return int(head) if head.isdigit() else 0


def rule_candidates(conn: sqlite3.Connection) -> list[Candidate]:
    """erengy prequel -> sequel rules; rules that redirect an id to itself are ignored.

    Rules from one id that number episodes on (``918:253-265 -> 15417``, ``918:266-316 ->
    28977``) describe a chain: the first target follows the source, each later target
    follows the one before it.
    """
    rows = conn.execute(
        "SELECT from_mal_id, from_eps, to_mal_id, to_eps, line FROM sequel_rule"
        " WHERE from_mal_id != to_mal_id ORDER BY line"
    )
    chains: dict[int, list[tuple[int, int, str, str, int]]] = defaultdict(list)
    for a, ea, b, eb, line in rows:
        chains[a].append((_first_ep(ea), b, ea, eb, line))
    out = []
    for a, items in chains.items():
        items.sort()
        prev = a
        for _, b, ea, eb, line in items:
            if b == prev:
                continue
            out.append(Candidate(prev, b, "rule", f"erengy rule line {line}: {a}:{ea} -> {b}:{eb}"))
            prev = b
    return out


def tvdb_candidates(conn: sqlite3.Connection, entries: dict[int, Entry]) -> list[Candidate]:
    """Consecutive TV/ONA entries of one TVDB series, by season number then start date."""
    rows = conn.execute(
        "SELECT c.mal_id, t.tvdb_id, t.tvdb_season, t.episode_offset FROM crosswalk c"
        " JOIN tvdb_season t ON t.anidb_id = c.anidb_id"
        " WHERE t.tvdb_id IS NOT NULL AND t.tvdb_season >= 1"
    )
    series: dict[int, list[tuple[int, str, int, int]]] = defaultdict(list)
    for mal_id, tvdb_id, season, offset in rows:
        e = entries.get(mal_id)
        if e is None or not e.is_series or not e.start:
            continue
        series[tvdb_id].append((season, e.start, offset or 0, mal_id))
    out = []
    for tvdb_id, items in series.items():
        items.sort()
        for (s1, _, _, a), (s2, _, _, b) in zip(items, items[1:], strict=False):
            out.append(Candidate(a, b, "tvdb", f"tvdb {tvdb_id}: season {s1} -> season {s2}"))
    return out


def _parses(entry: Entry) -> list[TitleParts]:
    seen: dict[str, TitleParts] = {}
    for t in entry.titles:
        p = parse_title(t)
        if len(p.base_norm) >= 3 and p.base_norm not in seen:
            seen[p.base_norm] = p
    return list(seen.values())


_ARC = re.compile(r"(?:-|\s)?(?:hen|pian|sh[oō]|arc|saga)$", re.I)
_Item = tuple[str, int, TitleParts]


def _pick_prequel(p: TitleParts, earlier: list[_Item]) -> tuple[_Item, str] | None:
    """The direct prequel of ``p`` among ``earlier`` (sorted by start), and how sure."""
    if (p.is_continuation and (p.season or 0) >= 2) or (p.part or 0) >= 2:
        n = p.season or 1
        if (p.part or 0) >= 2:
            want = [x for x in earlier
                    if (x[2].season or 1) == n and (x[2].part or 1) == (p.part or 1) - 1]
        else:
            want = [x for x in earlier if (x[2].season or 1) == n - 1]
        if want:
            return want[-1], "marker"
        loose = [x for x in earlier if (x[2].season or 1) < n]
        return (loose[-1], "loose") if loose else None
    if p.is_continuation:
        return earlier[-1], "marker"
    if p.subtitle and _ARC.search(p.subtitle):
        return earlier[-1], "arc"
    return earlier[-1], ("subtitle" if p.subtitle else "plain")


def title_candidates(conn: sqlite3.Connection, entries: dict[int, Entry]) -> list[Candidate]:
    """A TV/ONA entry whose title marks a continuation links to the latest earlier TV/ONA
    entry with the same base title (for "3rd Season", the latest "2nd Season")."""
    groups: dict[str, list[_Item]] = defaultdict(list)
    remakes: set[int] = set()
    for e in entries.values():
        if not e.is_series or not e.start:
            continue
        for p in _parses(e):
            groups[p.base_norm].append((e.start, e.mal_id, p))
            if p.marker == "remake":
                remakes.add(e.mal_id)
    out = []
    for key, items in groups.items():
        if len(items) < 2:
            continue
        items.sort(key=lambda x: (x[0], x[1]))
        for start, mal_id, p in items:
            earlier = [x for x in items if x[0] < start and x[1] != mal_id]
            if not earlier or mal_id in remakes:
                continue
            picked = _pick_prequel(p, earlier)
            if picked is None:
                continue
            (_, prev_id, prev), level = picked
            if level not in ACCEPTED_LEVELS or (
                level not in STRONG_LEVELS
                and not _series_like(entries[prev_id], entries[mal_id])
            ):
                continue
            out.append(Candidate(
                prev_id, mal_id, "title",
                f"title[{level}]: same base {key!r}; {prev_id} {prev.marker or '-'} -> "
                f"{mal_id} {p.marker or '-'}",
            ))
    return out


#: Title evidence strong enough on its own; weaker levels need :func:`_series_like`.
STRONG_LEVELS = frozenset({"marker"})
#: Levels kept. Measured on the 2021 snapshot (bench_linker.py, no typed relations),
#: "subtitle" (a different subtitle, same base), "plain" (same base, no marker) and "loose"
#: (a season number with no matching earlier season) were right about half the time.
ACCEPTED_LEVELS = frozenset({"marker", "arc"})
_MIN_EPISODES = 8
_MAX_GAP_YEARS = 5


def _series_like(prev: Entry, nxt: Entry) -> bool:
    """Two full series, the second starting after the first ended, within a few years."""
    for e in (prev, nxt):
        if e.episodes is not None and e.episodes < _MIN_EPISODES:
            return False
    if prev.end is None or nxt.start is None or nxt.start < prev.end:
        return False
    return int(nxt.start[:4]) - int(prev.end[:4]) <= _MAX_GAP_YEARS
