"""One season numbering: the installments of every TV/ONA series, from one walk of a
sequel graph.

Every place that counts seasons — the franchise timeline, the outlook, the forecast's
features and outcomes, the web pages — calls :func:`number_installments` on the edge set it
is allowed to know (the linker's ``sequel_link`` for today's answer, the sequel graph known
at ``as_of`` for a forecast), so that a show is "season 2" everywhere or nowhere.

The walk:

- the *next installment* of a TV/ONA entry is the first TV/ONA entry reached by following
  sequel edges forward, passing through films, OVAs and specials (earliest start first; an
  undated entry counts as later than every dated one);
- its *installment* number counts the TV/ONA entries behind it (1 for the first);
- its *season* number is what a fan would call it: the installment count, except that a
  split-cour part ("Part 2", "2nd Cour", "Kouhen") belongs to the season before it, and a
  season number the title states ("7th Season", "III") wins when the catalogue lacks some of
  the earlier seasons (MyAnimeList lists each cour as its own entry, and the 2025 catalogue is
  a subset, so counting entries alone says "TV #6" for "7th Season").
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .titles import parse_title

__all__ = ["Installment", "SERIES_TYPES", "number_installments", "season_label", "reachable"]

SERIES_TYPES = frozenset({"TV", "ONA"})


@dataclass(frozen=True)
class Installment:
    """Where one TV/ONA entry stands in its series."""

    mal_id: int
    installment: int  # n-th TV/ONA entry of the series (1-based); every cour counts
    season: int  # the season a fan would name; split-cour parts share it
    part: int | None  # 2, 3, ... for a later part of a split season; None otherwise
    first: int  # the first TV/ONA installment of the series
    next: int | None  # the next TV/ONA installment, if any is linked
    previous: int | None  # the previous TV/ONA installment, if any


def season_label(inst: Installment) -> str:
    """``"season 2"``, ``"season 2, part 2"``."""
    return f"season {inst.season}" + (f", part {inst.part}" if inst.part else "")


def reachable(sequels: Mapping[int, Iterable[int]], start: int) -> list[int]:
    """Every entry reached from ``start`` by following sequel edges, nearest first."""
    seen, order, queue = {start}, [], deque(sorted(sequels.get(start, ())))
    while queue:
        node = queue.popleft()
        if node in seen:
            continue
        seen.add(node)
        order.append(node)
        queue.extend(sorted(sequels.get(node, ())))
    return order


def _title_marks(titles: Iterable[str]) -> tuple[int | None, int | None]:
    """(season, part) the titles state, the largest stated across the entry's titles."""
    season: int | None = None
    part: int | None = None
    for t in titles:
        p = parse_title(t)
        if p.marker in ("season", "number", "part") and p.season and p.season >= 2:
            season = max(season or 0, p.season)
        if p.marker != "remake" and p.part and p.part >= 2:
            part = max(part or 0, p.part)
    return season, part


def number_installments(
    sequels: Mapping[int, Iterable[int]],
    types: Mapping[int, str | None],
    starts: Mapping[int, str | None],
    titles: Mapping[int, Iterable[str]] | None = None,
) -> dict[int, Installment]:
    """Number every TV/ONA entry of ``types`` along the ``sequels`` graph (prequel → sequels).

    ``starts`` are ISO dates (any precision) or ``None``; ``titles`` (optional) are each
    entry's titles, read for split-cour parts and stated season numbers.
    """
    series_ids = sorted(m for m, t in types.items() if t in SERIES_TYPES)

    def when(m: int) -> tuple[bool, str, int]:
        s = starts.get(m)
        return (not s, s or "", m)

    nxt: dict[int, int] = {}
    reach: dict[int, list[int]] = {}
    for mal_id in series_ids:
        ahead = [m for m in reachable(sequels, mal_id) if types.get(m) in SERIES_TYPES]
        reach[mal_id] = ahead
        if ahead:
            nxt[mal_id] = min(ahead, key=when)
    prev: dict[int, int] = {}
    for a, b in sorted(nxt.items(), key=lambda ab: when(ab[0])):
        prev.setdefault(b, a)  # two prequels point here: the earlier one wins
    # A continuation linked to an earlier season than the latest ("Zoku-hen" after season
    # 1 while seasons 2 and 3 exist) is nobody's next: it continues the series at its end.
    roots_of: dict[int, list[int]] = {}  # entry → the series entries it is reachable from
    for m in series_ids:
        for r in reach[m]:
            roots_of.setdefault(r, []).append(m)
    for orphan in sorted((m for m in series_ids if m not in prev), key=when):
        roots = roots_of.get(orphan, [])
        if not roots:
            continue
        last, seen = roots[0], {roots[0]}
        while last in nxt and nxt[last] not in seen and nxt[last] != orphan:
            last = nxt[last]
            seen.add(last)
        if last != orphan and last not in nxt and when(last) <= when(orphan):
            nxt[last], prev[orphan] = orphan, last
    out: dict[int, Installment] = {}
    titles = titles or {}
    for mal_id in series_ids:
        chain = [mal_id]
        seen = {mal_id}
        while chain[-1] in prev and prev[chain[-1]] not in seen:
            seen.add(prev[chain[-1]])
            chain.append(prev[chain[-1]])
        chain.reverse()  # first ... mal_id
        season, part = 0, None
        for i, m in enumerate(chain):
            stated_season, stated_part = _title_marks(titles.get(m, ()))
            if i > 0 and stated_part and (stated_season is None or stated_season == season):
                part = stated_part  # a later cour of the season before
            elif stated_season is not None and stated_season > season:
                season, part = stated_season, None
            else:
                season, part = season + 1, None
        out[mal_id] = Installment(
            mal_id=mal_id, installment=len(chain), season=season, part=part,
            first=chain[0], next=nxt.get(mal_id), previous=chain[-2] if len(chain) > 1 else None,
        )
    return out
