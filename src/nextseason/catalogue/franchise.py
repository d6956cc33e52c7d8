"""The franchise timeline of one show: the catalogue's read-model behind ``nextseason
show``, the outlook's facts and the claims' reconciliation.

One typed object (:class:`FranchiseReport`), built by :func:`franchise_report` from the
store; ``report`` renders it to the terminal and to JSON.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ..errors import NotFoundError
from ..link.seasons import Installment, number_installments
from ..search.normalize import normalize
from ..store import catalogue
from ..store.conn import Conn
from ..store.observations import observations_of
from ..store.refresh import stated_relations
from ..store.relations import sequel_links_among
from ..store.snapshots import snapshot_sources
from ..store.sources import video_sales_of, works_adapted_by, works_titled_like

__all__ = [
    "TimelineEntry",
    "SourceWork",
    "Observation",
    "SalesRecord",
    "FranchiseReport",
    "franchise_report",
    "MAX_ENTRIES",
]

#: Franchises such as long-running children's series have hundreds of entries; the
#: timeline keeps every TV/ONA season and the nearest other entries up to this many.
MAX_ENTRIES = 60
_SERIES = ("TV", "ONA")


@dataclass
class TimelineEntry:
    mal_id: int
    title: str
    english: str | None
    type: str | None
    start: str | None
    start_precision: str | None
    end: str | None
    end_precision: str | None
    episodes: int | None
    status: str | None
    #: the season a fan would name (the one numbering of :mod:`nextseason.link.seasons`:
    #: a split-cour part such as "2nd Season Part 2" belongs to its season)
    season_number: int | None
    is_query: bool
    link: str | None  # how the linker knows it follows its prequel
    part: int | None = None  # 2, 3, ... for a later cour of a split season
    installment: int | None = None  # n-th TV/ONA entry of its series (every cour counts)


@dataclass
class SourceWork:
    manga_id: int
    title: str
    type: str | None
    volumes: int | None
    start_year: int | None
    end_year: int | None
    status: str | None
    as_of: str
    source: str
    adapted_by: list[int] = field(default_factory=list)
    #: how the catalogue knows: relation | franchise | title (it adapts the work), or
    #: "related title" (not adapted; its title begins with an adapted work's title)
    link: str = "relation"


@dataclass
class Observation:
    metric: str
    value: float | int | str
    observed_at: str
    source: str


@dataclass
class SalesRecord:
    mal_id: int
    title: str
    year: int
    avg_sales_k: float | None
    avg_sales_suspect: bool
    total_k: float | None
    as_of: str


@dataclass
class FranchiseReport:
    mal_id: int
    title: str
    franchise_id: int | None
    franchise_name: str | None
    franchise_size: int
    entries: list[TimelineEntry]
    omitted: int
    source_works: list[SourceWork]
    latest: list[Observation]
    history: list[Observation]
    sales: list[SalesRecord]
    snapshots: dict[str, str]
    #: the typed relations each snapshot (a refresh among them) states for this entry
    relations: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _numbering(conn: Conn, members: list[Any]) -> dict[int, tuple[Installment, str]]:
    """Installments of the TV/ONA members (the one season numbering, over ``sequel_link``),
    each with how the linker knows it follows its prequel."""
    ids = [m["mal_id"] for m in members]
    sequels: dict[int, set[int]] = {}
    method: dict[int, str] = {}
    for p, s, m in sequel_links_among(conn, ids):
        sequels.setdefault(p, set()).add(s)
        method[s] = m
    titles: dict[int, list[str]] = {}
    for mal_id, title in catalogue.titles_of(conn, ids, ("main", "english", "synonym")):
        titles.setdefault(mal_id, []).append(title)
    numbered = number_installments(
        sequels, {m["mal_id"]: m["type"] for m in members},
        {m["mal_id"]: m["start_date"] for m in members}, titles)
    return {m: (inst, method.get(m, "")) for m, inst in numbered.items()}


def _related_works(
    conn: Conn, adapted: list[SourceWork], snapshots: dict[int, tuple[str, str]]
) -> list[SourceWork]:
    """Other works whose title begins with an adapted work's title: the manga of a light
    novel, its side stories ("...: Each Stories"), spin-offs. Linked by title only."""
    out: list[SourceWork] = []
    for work in adapted:
        key = normalize(work.title)
        if len(key) < 4:
            continue
        for w in works_titled_like(conn, work.title[:12], work.manga_id):
            if normalize(w["title"]).startswith(key):
                out.append(SourceWork(
                    manga_id=w["manga_id"], title=w["title"], type=w["type"],
                    volumes=w["volumes"], start_year=w["start_year"], end_year=w["end_year"],
                    status=w["status"], as_of=w["as_of"],
                    source=snapshots[w["snapshot_id"]][0], link="related title",
                ))
    return out


def franchise_report(conn: Conn, mal_id: int) -> FranchiseReport:
    row = catalogue.anime_with_franchise(conn, mal_id)
    if row is None:
        raise NotFoundError(f"no anime with MAL id {mal_id}")
    snapshots = snapshot_sources(conn)
    members = catalogue.franchise_members(conn, row["franchise_id"], mal_id)
    series = [m for m in members if m["type"] in _SERIES]
    numbers = _numbering(conn, members)
    # Number the main series (the longest chain, then the earliest) and the query's own;
    # a lone spin-off ONA of the franchise is not "season 1" of the show.
    chain_len: dict[int, int] = {}
    for inst, _ in numbers.values():
        chain_len[inst.first] = max(chain_len.get(inst.first, 0), inst.installment)
    order = {m["mal_id"]: i for i, m in enumerate(members)}
    main_first = min(chain_len, key=lambda f: (-chain_len[f], order.get(f, 0)), default=None)
    shown_firsts = {main_first} | ({numbers[mal_id][0].first} if mal_id in numbers else set())
    numbers = {m: v for m, v in numbers.items() if v[0].first in shown_firsts}
    keep = {m["mal_id"] for m in series} | {mal_id}
    others = [m for m in members if m["mal_id"] not in keep]
    room = max(0, MAX_ENTRIES - len(keep))
    keep |= {m["mal_id"] for m in others[:room]}
    entries = [
        TimelineEntry(
            mal_id=m["mal_id"], title=m["title"], english=m["english"], type=m["type"],
            start=m["start_date"], start_precision=m["start_precision"], end=m["end_date"],
            end_precision=m["end_precision"], episodes=m["episodes"], status=m["status"],
            season_number=numbers[m["mal_id"]][0].season if m["mal_id"] in numbers else None,
            is_query=m["mal_id"] == mal_id,
            link=numbers[m["mal_id"]][1] or None if m["mal_id"] in numbers else None,
            part=numbers[m["mal_id"]][0].part if m["mal_id"] in numbers else None,
            installment=(numbers[m["mal_id"]][0].installment if m["mal_id"] in numbers
                         else None),
        )
        for m in members
        if m["mal_id"] in keep
    ]
    member_ids = [m["mal_id"] for m in members]
    works: dict[int, SourceWork] = {}
    for w in works_adapted_by(conn, member_ids):
        if w["manga_id"] not in works:
            works[w["manga_id"]] = SourceWork(
                manga_id=w["manga_id"], title=w["title"], type=w["type"], volumes=w["volumes"],
                start_year=w["start_year"], end_year=w["end_year"], status=w["status"],
                as_of=w["as_of"], source=snapshots[w["snapshot_id"]][0], link=w["method"],
            )
        if w["adapted_by"] not in works[w["manga_id"]].adapted_by:
            works[w["manga_id"]].adapted_by.append(w["adapted_by"])
    for related in _related_works(conn, list(works.values()), snapshots):
        works.setdefault(related.manga_id, related)
    history = [
        Observation(o["metric"], o["value"], o["observed_at"], snapshots[o["snapshot_id"]][0])
        for o in observations_of(conn, mal_id)
    ]
    latest_by_metric: dict[str, Observation] = {}
    for o in history:
        latest_by_metric[o.metric] = o
    sales = [
        SalesRecord(s["mal_id"], s["title"], s["year"], s["avg_sales_k"],
                    bool(s["avg_sales_suspect"]), s["total_k"], s["as_of"])
        for s in video_sales_of(conn, member_ids)
    ]
    return FranchiseReport(
        mal_id=mal_id,
        title=row["title"],
        franchise_id=row["franchise_id"],
        franchise_name=row["fname"],
        franchise_size=row["fsize"] or 1,
        entries=entries,
        omitted=len(members) - len(entries),
        source_works=list(works.values()),
        latest=list(latest_by_metric.values()),
        history=history,
        sales=sales,
        snapshots={name: as_of for name, as_of in snapshots.values()},
        relations=[asdict(r) for r in stated_relations(conn, mal_id)],
    )
