"""Where candidate sequel edges come from: relations, rules, TVDB seasons and titles.

Each ``*_candidates`` function reads the store and returns :class:`Candidate` values; the
linker (:mod:`.linker`) resolves them into one direct prequel per sequel.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Container, Sequence
from dataclasses import dataclass, field

from ..store import relations
from ..store.catalogue import anime_rows, series_titles
from ..store.conn import Conn
from ..store.sources import sequel_rules, tvdb_seasons
from .titles import TitleParts, is_side_title, parse_title

__all__ = [
    "METHODS",
    "SERIES_TYPES",
    "UNDATED_LAST",
    "Candidate",
    "Entry",
    "load_entries",
    "recap_ids",
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
#: The order key of an entry that has not finished airing and has no start date: after
#: every dated entry.
UNDATED_LAST = "9999-99-99"
_UNFINISHED = frozenset({"not_yet_aired", "airing"})


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
    status: str | None = None  # finished | airing | not_yet_aired

    @property
    def is_series(self) -> bool:
        """TV or ONA — or an announced entry whose format MAL does not list yet
        ("Made in Abyss: Retsujitsu no Ougonkyou (Zoku-hen)")."""
        return self.type in SERIES_TYPES or (
            self.type in (None, "", "Unknown") and self.status == "not_yet_aired")

    @property
    def order(self) -> str | None:
        """The key that orders the entry among its series, ``None`` when unknown.

        An entry that has not finished airing and has no start date (an announced "III",
        "2nd Season", ...) comes after every dated entry; one dated to a year or month only
        ("2025") comes after the precise dates of that year or month.
        """
        if self.status not in _UNFINISHED:
            return self.start
        if not self.start:
            return UNDATED_LAST
        return self.start.replace("-00", "-99")

    @property
    def is_unfinished(self) -> bool:
        """Not yet aired or airing."""
        return self.status in _UNFINISHED

    @property
    def is_side(self) -> bool:
        """Is the main title one of a recap, special, mini / chibi series, PV or other side
        work? (Synonyms are left out: "Active Raid: Special Public Security ...".)"""
        return is_side_title(self.title)


def _pad(date: str | None) -> str | None:
    if not date:
        return None
    parts = date.split("-") + ["00", "00"]
    return "-".join(parts[:3])


def load_entries(conn: Conn) -> dict[int, Entry]:
    """Every anime with its main, English and synonym titles."""
    entries = {
        r[0]: Entry(r[0], r[1], _pad(r[2]), r[3], r[4], _pad(r[5]), status=r[6])
        for r in anime_rows(conn, ("mal_id", "type", "start_date", "title", "episodes",
                                   "end_date", "status"))
    }
    for mal_id, title in series_titles(conn):
        if mal_id in entries:
            entries[mal_id].titles.append(title)
    for e in entries.values():
        if e.title not in e.titles:
            e.titles.insert(0, e.title)
    return entries


def recap_ids(conn: Conn) -> frozenset[int]:
    """Entries some snapshot lists as a summary (recap) of another entry."""
    return relations.recap_ids(conn)


def relation_candidates(conn: Conn, snapshots: Sequence[str] | None
                        ) -> list[Candidate]:
    """Typed Sequel relations and reversed Prequel relations of the named snapshots."""
    out = []
    for a, b, kind, snap in relations.sequel_relations(conn, snapshots):
        if kind == "Sequel":
            out.append(Candidate(a, b, "relation", f"{snap}: {a} lists {b} as Sequel"))
        else:
            out.append(Candidate(b, a, "relation", f"{snap}: {a} lists {b} as Prequel"))
    return out


def _first_ep(eps: str) -> int:
    head = eps.split("-")[0].strip()
    return int(head) if head.isdigit() else 0


def rule_candidates(conn: Conn, present: Container[int] | None = None
                    ) -> list[Candidate]:
    """erengy prequel -> sequel rules; rules that redirect an id to itself are ignored.

    Rules from one id that number episodes on (``918:253-265 -> 15417``, ``918:266-316 ->
    28977``) describe a chain: the first target follows the source, each later target
    follows the one before it. With ``present`` (the ids in the catalogue), a target missing
    from the catalogue is passed over: the next target follows the last present one.
    """
    rows = sequel_rules(conn)
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
            if present is not None and b not in present:
                continue
            out.append(Candidate(prev, b, "rule", f"erengy rule line {line}: {a}:{ea} -> {b}:{eb}"))
            prev = b
    return out


def tvdb_candidates(conn: Conn, entries: dict[int, Entry]) -> list[Candidate]:
    """Consecutive TV/ONA entries of one TVDB series, by season number then start date.

    Entries without a start date that have not finished airing come last in their season;
    side works (recaps, mini series, ...) are left out."""
    series: dict[int, list[tuple[int, str, int, int]]] = defaultdict(list)
    for mal_id, _type, tvdb_id, season, offset in tvdb_seasons(conn):
        e = entries.get(mal_id)
        if e is None or not e.is_series or not e.order or e.is_side:
            continue
        series[tvdb_id].append((season, e.order, offset or 0, mal_id))
    out = []
    for tvdb_id, items in series.items():
        items.sort()
        for (s1, _, _, a), (s2, _, _, b) in zip(items, items[1:], strict=False):
            out.append(Candidate(a, b, "tvdb", f"tvdb {tvdb_id}: season {s1} -> season {s2}"))
    return out


def _parses(entry: Entry) -> list[TitleParts]:
    """One parse per base title; where several titles share a base, one that marks a
    continuation wins ("... (Zoku-hen)" over an English "... (Sequel)")."""
    seen: dict[str, TitleParts] = {}
    for t in entry.titles:
        p = parse_title(t)
        if len(p.base_norm) < 3:
            continue
        if p.base_norm not in seen or (seen[p.base_norm].marker is None
                                       and p.marker is not None):
            seen[p.base_norm] = p
    return list(seen.values())


_ARC = re.compile(r"(?:-|\s)?(?:hen|pian|sh[oō]|arc|saga)$", re.I)
_Item = tuple[str, int, TitleParts]


def _prefer(p: TitleParts, items: list[_Item]) -> list[_Item]:
    """Of ``items``, those with ``p``'s subtitle, when there are any ("Sousou no Frieren 2nd
    Season" continues "Sousou no Frieren", not its mini series "Sousou no Frieren: ... no
    Mahou")."""
    same = [x for x in items if x[2].subtitle == p.subtitle]
    return same or items


def _pick_prequel(p: TitleParts, earlier: list[_Item]) -> tuple[_Item, str] | None:
    """The direct prequel of ``p`` among ``earlier`` (sorted by start), and how sure."""
    if p.same_number:
        # "Act II (Zoku-hen)", "Zoku-hen": the latest entry with the same number.
        want = [x for x in earlier if (x[2].season or 1) == (p.season or 1)]
        return (_prefer(p, want)[-1], "marker") if want else None
    if (p.is_continuation and (p.season or 0) >= 2) or (p.part or 0) >= 2:
        n = p.season or 1
        if (p.part or 0) >= 2:
            want = [x for x in earlier
                    if (x[2].season or 1) == n and (x[2].part or 1) == (p.part or 1) - 1]
        else:
            want = [x for x in earlier if (x[2].season or 1) == n - 1]
        if want:
            return (want if p.part else _prefer(p, want))[-1], "marker"
        loose = [x for x in earlier if (x[2].season or 1) < n]
        return (loose[-1], "loose") if loose else None
    if p.is_continuation:
        return earlier[-1], "marker"
    if p.subtitle and _ARC.search(p.subtitle):
        return earlier[-1], "arc"
    return earlier[-1], ("subtitle" if p.subtitle else "plain")


def title_candidates(conn: Conn, entries: dict[int, Entry]) -> list[Candidate]:
    """A TV/ONA entry whose title marks a continuation links to the latest earlier TV/ONA
    entry with the same base title (for "3rd Season", the latest "2nd Season").

    Entries without a start date that have not finished airing count as the latest of their
    group. A side work (recap, mini series, ...) is never linked to a main entry nor the
    other way round; a sequel of an edition ("Ranma ½ (2024) 2nd Season") only follows that
    edition.
    """
    groups: dict[str, list[_Item]] = defaultdict(list)
    remakes: set[int] = set()
    for e in entries.values():
        order = e.order
        if not e.is_series or not order:
            continue
        for p in _parses(e):
            groups[p.base_norm].append((order, e.mal_id, p))
            if p.marker == "remake":
                remakes.add(e.mal_id)
    out = []
    for key, items in groups.items():
        if len(items) < 2:
            continue
        items.sort(key=lambda x: (x[0], x[1]))
        for start, mal_id, p in items:
            if mal_id in remakes:
                continue
            side = entries[mal_id].is_side
            earlier = [x for x in items if x[0] < start and x[1] != mal_id
                       and entries[x[1]].is_side == side]
            if p.edition:
                earlier = [x for x in earlier if _edition(entries[x[1]]) == p.edition]
            if not earlier:
                continue
            picked = _pick_prequel(p, earlier)
            if picked is None:
                continue
            (_, prev_id, prev), level = picked
            nxt = entries[mal_id]
            accepted = ACCEPTED_LEVELS | (UNFINISHED_LEVELS if nxt.is_unfinished else set())
            if level not in accepted or (
                level not in STRONG_LEVELS
                and not _series_like(entries[prev_id], nxt, loose=level == "loose")
            ):
                continue
            out.append(Candidate(
                prev_id, mal_id, "title",
                f"title[{level}]: same base {key!r}; {prev_id} {prev.marker or '-'} -> "
                f"{mal_id} {p.marker or '-'}",
            ))
    return out


def _edition(entry: Entry) -> str | None:
    """The year in brackets that names an entry's edition: "Ranma ½ (2024)" -> "2024"."""
    m = re.search(r"\((\d{4})\)", entry.title)
    return m.group(1) if m else None


#: Title evidence strong enough on its own; weaker levels need :func:`_series_like`.
STRONG_LEVELS = frozenset({"marker"})
#: Levels kept. Measured on the 2021 snapshot (bench_linker.py, no typed relations),
#: "subtitle" (a different subtitle, same base), "plain" (same base, no marker) and "loose"
#: (a season number with no matching earlier season) were right about half the time.
ACCEPTED_LEVELS = frozenset({"marker", "arc"})
#: Also kept for a sequel that has not finished airing: its numbered prequel season is
#: often missing from a catalogue subset ("Season 4" after "Season 2"), and the latest
#: earlier season present is then the one to link. Measured on the 2025 snapshot's airing
#: and announced TV/ONA entries (bench_linker_upcoming.py); the 2021 benchmark, where
#: "loose" was right about half the time, has no unfinished sequels.
UNFINISHED_LEVELS = frozenset({"loose"})
_MIN_EPISODES = 8
_MAX_GAP_YEARS = 5


def _series_like(prev: Entry, nxt: Entry, *, loose: bool = False) -> bool:
    """Two full series, the second starting after the first ended, within a few years.

    For a second one that has not finished airing, the seasons between the two may be
    missing from the catalogue, so the gap is only checked for a ``loose`` number match
    ("Beyblade X" is not the 10th season of a series that ended ten years before); the first
    must have ended or have a fixed number of episodes (a stale "airing" status)."""
    for e in (prev, nxt):
        if e.episodes is not None and e.episodes < _MIN_EPISODES:
            return False
    if nxt.is_unfinished:
        if prev.end is None and prev.episodes is None:
            return False
        if nxt.start is None:
            return True
        last = prev.end or prev.start or ""
        if nxt.start < last:
            return False
        return not loose or int(nxt.start[:4]) - int(last[:4]) <= _MAX_GAP_YEARS
    if prev.end is None or nxt.start is None or nxt.start < prev.end:
        return False
    return int(nxt.start[:4]) - int(prev.end[:4]) <= _MAX_GAP_YEARS
