"""A series' renewal status as of a date, from every dated source, each with its date.

:func:`series_status` is the one place that decides whether a show's next season is
*announced*, the show is *airing*, nothing is *not announced*, or the story is *concluded*.
It reads, in this order of trust, only sources dated on or before ``today``:

1. the newest catalogue snapshot: a TV/ONA continuation of the series listed as not yet
   aired or airing, or starting after the snapshot, with or without a date. An entry that the
   newest snapshot no longer lists cannot set the present status (the 2021 snapshot's "not
   yet aired" for a season that has long since aired); it counts as aired when its start date
   is before the newest snapshot;
2. the TVDB season list of the ID crosswalk: a later TVDB season of the same TVDB series
   whose AniDB entry no catalogue entry of ours carries;
3. the sequel rules: a rule from the series' latest season to an entry the catalogue lacks;
4. stored article claims, given by the caller: shown as what each article says, with its
   date, and never deciding the status.

*Concluded* is what the catalogue's own titles say: the latest season is billed as the final
one ("The Final Season", "Kanketsu-hen") and nothing follows it.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from ..store import catalogue, relations, snapshots, sources
from ..store.conn import Conn
from .seasons import SERIES_TYPES, Installment, number_installments
from .titles import parse_title

__all__ = ["Evidence", "SeriesStatus", "ArticleStatement", "series_status", "SOURCE_NAMES",
           "STATUSES", "nice_date"]

Status = Literal["announced", "airing", "not announced", "concluded"]
STATUSES: tuple[Status, ...] = ("announced", "airing", "not announced", "concluded")

#: how each kind of snapshot is named to a user
SOURCE_NAMES = {
    "catalogue": "MyAnimeList catalogue",
    "crosswalk": "ID crosswalk",
    "rules": "sequel rules",
}


@dataclass(frozen=True)
class Evidence:
    """One dated source's word on the status."""

    source: str  # catalogue | live | crosswalk | rules | article
    name: str  # "MyAnimeList catalogue", an article's title...
    as_of: str | None  # the date the source was true (None: an undated article)
    says: str  # a plain sentence: "Mushoku Tensei III is listed as not yet aired, no date"
    mal_id: int | None = None  # the entry it names, when the catalogue has it
    due: str | None = None  # the announced premiere, as listed (may have passed)
    season: int | None = None  # the season it names, when known


@dataclass(frozen=True)
class ArticleStatement:
    """A stored article's renewal-status claim, handed to :func:`series_status`."""

    value: str  # announced | not_announced | cancelled | concluded | rumoured
    qualifier: str | None
    article: str  # how to name the article (title, site or file name)
    as_of: str | None
    quote: str


@dataclass
class SeriesStatus:
    """The answer: the status, the series it is about, and the evidence with dates."""

    status: Status
    today: str
    series: list[int]  # the TV/ONA installments known to the catalogue, in order
    latest: int | None  # the latest installment that has aired or is airing
    next: int | None  # the announced continuation, when the catalogue lists it
    evidence: list[Evidence] = field(default_factory=list)  # what decides, best first
    articles: list[Evidence] = field(default_factory=list)  # what stored articles say
    checked: list[tuple[str, str]] = field(default_factory=list)  # (source name, as of)
    installments: dict[int, Installment] = field(default_factory=dict)

    @property
    def shows_probabilities(self) -> bool:
        """An announced or airing series gets no forecast: its answer is known."""
        return self.status in ("not announced", "concluded")


def _newest(conn: Conn, kind: str, today: str) -> tuple[int, str] | None:
    return snapshots.newest_of_kind(conn, kind, today)


@dataclass
class _Entry:
    mal_id: int
    title: str
    type: str | None
    start: str | None
    status: str | None  # as the newest snapshot that lists it says
    listed_now: bool  # listed by the newest catalogue snapshot or a refresh after it
    titles: list[str]
    listed_on: str = ""  # the date of the snapshot whose values these are
    listed_by: str = SOURCE_NAMES["catalogue"]  # how to name that snapshot


def _members(conn: Conn, mal_id: int, snap_ids: Sequence[int],
             newest: int, live: Container[int] = ()) -> dict[int, _Entry]:
    """The franchise of ``mal_id`` as the catalogue snapshots up to ``newest``, and the
    ``live`` refreshes after it, list it (the newest listing of each entry wins)."""
    ids = catalogue.franchise_member_ids(conn, mal_id)
    if ids is None:
        return {}
    out: dict[int, _Entry] = {}
    for r in catalogue.versions_in(conn, ids, snap_ids):
        refreshed = r[5] in live
        out[r[0]] = _Entry(r[0], r[1], r[2], r[3], r[4], r[5] == newest or refreshed, [r[1]],
                           r[6], live_source_name(r[7]) if refreshed
                           else SOURCE_NAMES["catalogue"])
    for m, t in catalogue.titles_of(conn, ids, ("english", "synonym")):
        if m in out:
            out[m].titles.append(t)
    return out


def live_source_name(source: str) -> str:
    """How a refresh from ``source`` (jikan | anilist) is named to a user."""
    from ..store.coverage import SOURCE_LABELS

    return f"{SOURCE_LABELS.get(source, source)} refresh"


def _kind(e: _Entry) -> str:
    return "catalogue" if e.listed_by == SOURCE_NAMES["catalogue"] else "live"


def nice_date(iso: str | None) -> str:
    """``2025-03-24`` → ``24 March 2025``; ``2026-01`` → ``January 2026``."""
    if not iso:
        return "no date"
    months = ["January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December"]
    parts = iso.split("-")
    if len(parts) >= 2 and parts[1].isdigit() and 1 <= int(parts[1]) <= 12:
        month = months[int(parts[1]) - 1]
        if len(parts) == 3 and parts[2].isdigit():
            return f"{int(parts[2])} {month} {parts[0]}"
        return f"{month} {parts[0]}"
    return parts[0]


def _series_of(mal_id: int, members: dict[int, _Entry],
               numbered: dict[int, Installment],
               sequels: dict[int, set[int]]) -> list[int]:
    """The installments of the series ``mal_id`` belongs to, in order."""
    first: int | None = None
    if mal_id in numbered:
        first = numbered[mal_id].first
    else:
        prequels: dict[int, set[int]] = {}
        for p, ss in sequels.items():
            for s in ss:
                prequels.setdefault(s, set()).add(p)
        # a film or special: the series it follows, else the franchise's longest series
        cur, seen = {mal_id}, {mal_id}
        while cur and first is None:
            nxt = {p for c in cur for p in prequels.get(c, ()) if p not in seen}
            hit = sorted(p for p in nxt if p in numbered)
            if hit:
                first = numbered[hit[0]].first
            seen |= nxt
            cur = nxt
        if first is None:
            lengths: dict[int, int] = {}
            for inst in numbered.values():
                lengths[inst.first] = max(lengths.get(inst.first, 0), inst.installment)
            if not lengths:
                return []
            first = min(lengths, key=lambda f: (-lengths[f], members[f].start or "9999", f))
    assert first is not None
    chain: list[int] = [first]
    while True:
        nxt_id = numbered[chain[-1]].next
        if nxt_id is None or nxt_id in chain:
            return chain
        chain.append(nxt_id)


def _crosswalk_later(conn: Conn, series: list[int], today: str,
                     numbered: dict[int, Installment]) -> tuple[Evidence | None, str | None]:
    """A later TVDB season of the series that no catalogue entry carries."""
    seasons = snapshots.newest_tvdb_crosswalk(conn, today)
    if seasons is None:
        return None, None
    mapped = sources.tvdb_seasons_of(conn, series)
    if not mapped:
        return None, seasons[1]
    # the series' TVDB id: the one its latest mapped installment carries
    order = {m: i for i, m in enumerate(series)}
    last = max(mapped, key=lambda r: order[r[0]])
    tvdb_id, top = last[1], max(r[2] for r in mapped if r[1] == last[1])
    later = sources.tvdb_later_seasons(conn, tvdb_id, top)
    if not later:
        return None, seasons[1]
    # Installments after the last mapped one that the crosswalk does not map (newer than
    # it) are the first of these later TVDB seasons, one season number each.
    unmapped_seasons = {numbered[m].season for m in series[order[last[0]] + 1:]
                        if numbered[m].part is None}
    new_seasons = sorted({r[1] for r in later})[len(unmapped_seasons):]
    if not new_seasons:
        return None, seasons[1]
    s = new_seasons[0]
    span = (f"a TVDB season {s} of this series is listed" if len(new_seasons) == 1 else
            f"TVDB seasons {s}–{new_seasons[-1]} of this series are listed")
    mals = sorted({r[2] for r in later if r[1] in new_seasons and r[2] is not None})
    ids_date = snapshots.newest_crosswalk_date(conn) or seasons[1]
    if mals:
        ids = ", ".join(str(m) for m in mals[:4]) + (", …" if len(mals) > 4 else "")
        # the 2024 ID list already named these: announced or aired by then, so they may
        # have aired since although the catalogue subset lacks them
        says = (f"{span} that the catalogue lacks (MyAnimeList id{'s' if len(mals) > 1 else ''}"
                f" {ids}, already in the ID list of {nice_date(ids_date)}, so"
                f" {'they' if len(mals) > 1 else 'it'} may have aired since); title and date"
                " unknown")
    else:
        says = f"{span}; title and date unknown"
    return Evidence("crosswalk", SOURCE_NAMES["crosswalk"], seasons[1], says, None, None,
                    s), seasons[1]


def _first_ep(eps: str) -> int:
    head = eps.split("-")[0].strip()
    return int(head) if head.isdigit() else 0


def _rule_later(conn: Conn, series: list[int], latest: int, today: str
                ) -> tuple[Evidence | None, str | None]:
    """A rule naming a continuation after ``latest`` that the catalogue lacks.

    Rules from one id that number episodes on ("S1:139-159 -> 7th season", "S1:160-170 ->
    final season") describe the whole series in order: the targets after ``latest`` (or
    every target of a rule from ``latest`` itself) are its continuations."""
    snap = _newest(conn, "rules", today)
    if snap is None:
        return None, None
    rows = sources.sequel_rules_from(conn, snap[0], series)
    known = catalogue.present_ids(conn, [r[2] for r in rows])
    chains: dict[int, list[tuple[int, int]]] = {}
    for f, eps, to in rows:
        chains.setdefault(f, []).append((_first_ep(eps), to))
    missing: list[int] = []
    for f, items in chains.items():
        targets = [to for _, to in sorted(items)]
        after = targets if f == latest else (
            targets[targets.index(latest) + 1:] if latest in targets else [])
        missing += [t for t in after if t not in known and t not in missing]
    if not missing:
        return None, snap[1]
    ids = ", ".join(str(m) for m in missing[:4])
    says = (f"the sequel rules name {'a continuation' if len(missing) == 1 else 'continuations'}"
            f" (MyAnimeList id{'s' if len(missing) > 1 else ''} {ids}) that the catalogue does"
            " not list; title and date unknown (rules are written for seasons that air, so"
            " it may have aired already)")
    return Evidence("rules", SOURCE_NAMES["rules"], snap[1], says), snap[1]


def _is_final(e: _Entry) -> bool:
    return any(parse_title(t).marker in ("final", "kanketsu") for t in e.titles)


def series_status(conn: Conn, mal_id: int, today: str,
                  articles: Iterable[ArticleStatement] = ()) -> SeriesStatus:
    """The status of the series ``mal_id`` belongs to, from sources dated ≤ ``today``."""
    newest = _newest(conn, "catalogue", today)
    if newest is None:
        return SeriesStatus("not announced", today, [], None, None)
    snap_ids = snapshots.catalogue_snapshot_ids(conn, today)
    # refreshes from a live source (Jikan, AniList) dated after the newest catalogue
    live = set(snapshots.live_snapshot_ids(conn, newest[1], today))
    members = _members(conn, mal_id, snap_ids + sorted(live), newest[0], live)
    ids = list(members)
    sequels: dict[int, set[int]] = {}
    for p, s, _method in relations.sequel_links_among(conn, ids):
        sequels.setdefault(p, set()).add(s)
    # an announced entry whose format MAL does not list yet counts as the next installment
    kinds = {m: (e.type if e.type not in (None, "", "Unknown") or e.status != "not_yet_aired"
                 else "TV") for m, e in members.items()}
    numbered = number_installments(
        sequels, kinds,
        {m: e.start for m, e in members.items()}, {m: e.titles for m, e in members.items()})
    series = _series_of(mal_id, members, numbered, sequels) if members else []
    cat_name, cat_date = SOURCE_NAMES["catalogue"], newest[1]
    checked = [(cat_name, cat_date)]
    for e in members.values():
        if e.listed_now and e.listed_by != cat_name and (e.listed_by, e.listed_on) not in checked:
            checked.append((e.listed_by, e.listed_on))
    out = SeriesStatus("not announced", today, series, None, None, checked=checked,
                       installments={m: numbered[m] for m in series})

    def upcoming(e: _Entry) -> bool:
        if not e.listed_now:
            return False  # an older snapshot cannot set the present status
        return e.status == "not_yet_aired" or bool(e.start and e.start > e.listed_on)

    def listed(e: _Entry) -> str:
        return e.listed_on if e.listed_now else cat_date

    aired = [m for m in series if not upcoming(members[m])
             and (members[m].status != "not_yet_aired"
                  or (members[m].start or "9") <= listed(members[m]))]
    out.latest = aired[-1] if aired else None
    pending = [m for m in series if upcoming(members[m])]
    airing = [m for m in series if members[m].listed_now and members[m].status == "airing"]
    if pending:
        e = members[pending[0]]
        inst = numbered.get(e.mal_id)
        if not e.start:
            when = "no date"
        elif e.start < today[:len(e.start)]:
            when = f"was due {nice_date(e.start)}"  # the date has passed since the listing
        else:
            when = f"due {nice_date(e.start)}"
        out.status, out.next = "announced", e.mal_id
        out.evidence.append(Evidence(
            _kind(e), e.listed_by, listed(e),
            f"{e.title} is listed as not yet aired, {when}"
            + ("" if e.type in SERIES_TYPES else ", format not yet known"), e.mal_id, e.start,
            inst.season if inst else None))
    elif airing:
        e = members[airing[-1]]
        out.status = "airing"
        out.evidence.append(Evidence(_kind(e), e.listed_by, listed(e),
                                     f"{e.title} is listed as airing", e.mal_id, e.start,
                                     numbered[e.mal_id].season))
    if series and out.status == "not announced":
        cross, cross_date = _crosswalk_later(conn, series, today, numbered)
        if cross_date:
            checked.append((SOURCE_NAMES["crosswalk"], cross_date))
        rule, rule_date = _rule_later(conn, series, out.latest or series[-1], today)
        if rule_date:
            checked.append((SOURCE_NAMES["rules"], rule_date))
        for ev in (rule, cross):
            if ev is not None:
                out.status = "announced"
                out.evidence.append(ev)
        if out.status == "not announced" and out.latest and _is_final(members[out.latest]):
            e = members[out.latest]
            out.status = "concluded"
            out.evidence.append(Evidence(
                _kind(e), e.listed_by, listed(e),
                f"its latest season, {e.title}, is billed as the final one and nothing"
                " follows it", e.mal_id, e.start, numbered[e.mal_id].season))
    for a in articles:
        words = {"announced": "a new season is announced", "not_announced":
                 "no new season is announced", "cancelled": "the next season was cancelled",
                 "concluded": "the story has concluded", "rumoured": "a new season is rumoured"}
        what = words.get(a.value, a.value.replace("_", " "))
        if a.qualifier:
            what += f" ({a.qualifier})"
        out.articles.append(Evidence("article", a.article, a.as_of, what))
    out.articles.sort(key=lambda ev: (ev.as_of is None, ev.as_of or ""), reverse=False)
    return out


__all__ += ["SERIES_TYPES"]
