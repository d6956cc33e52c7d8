"""The franchise timeline of one show: the report behind ``nextseason show``.

One typed object (:class:`FranchiseReport`), built by :func:`franchise_report` from the
store, rendered by ``report.render`` to the terminal and to JSON.
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass, field
from typing import Any

from ..errors import NotFoundError
from ..link.seasons import Installment, number_installments
from ..store.refresh import stated_relations

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


def _numbering(
    conn: sqlite3.Connection, members: list[sqlite3.Row]
) -> dict[int, tuple[Installment, str]]:
    """Installments of the TV/ONA members (the one season numbering, over ``sequel_link``),
    each with how the linker knows it follows its prequel."""
    ids = [m["mal_id"] for m in members]
    marks = ",".join("?" * len(ids))
    sequels: dict[int, set[int]] = {}
    method: dict[int, str] = {}
    for p, s, m in conn.execute(
        f"SELECT prequel_id, sequel_id, method FROM sequel_link WHERE sequel_id IN ({marks})"
        f" AND prequel_id IN ({marks})", ids + ids,
    ):
        sequels.setdefault(p, set()).add(s)
        method[s] = m
    titles: dict[int, list[str]] = {}
    for mal_id, title in conn.execute(
        f"SELECT mal_id, title FROM title WHERE mal_id IN ({marks})"
        " AND kind IN ('main', 'english', 'synonym')", ids,
    ):
        titles.setdefault(mal_id, []).append(title)
    numbered = number_installments(
        sequels, {m["mal_id"]: m["type"] for m in members},
        {m["mal_id"]: m["start_date"] for m in members}, titles)
    return {m: (inst, method.get(m, "")) for m, inst in numbered.items()}


def _related_works(
    conn: sqlite3.Connection, adapted: list[SourceWork], snapshots: dict[int, tuple[str, str]]
) -> list[SourceWork]:
    """Other works whose title begins with an adapted work's title: the manga of a light
    novel, its side stories ("...: Each Stories"), spin-offs. Linked by title only."""
    from ..search.normalize import normalize

    out: list[SourceWork] = []
    for work in adapted:
        key = normalize(work.title)
        if len(key) < 4:
            continue
        for w in conn.execute(
            "SELECT * FROM source_work WHERE title LIKE ? AND manga_id != ?"
            " ORDER BY start_year, manga_id LIMIT 20",
            (work.title[:12].replace("%", "").replace("_", "") + "%", work.manga_id),
        ):
            if normalize(w["title"]).startswith(key):
                out.append(SourceWork(
                    manga_id=w["manga_id"], title=w["title"], type=w["type"],
                    volumes=w["volumes"], start_year=w["start_year"], end_year=w["end_year"],
                    status=w["status"], as_of=w["as_of"],
                    source=snapshots[w["snapshot_id"]][0], link="related title",
                ))
    return out


def franchise_report(conn: sqlite3.Connection, mal_id: int) -> FranchiseReport:
    row = conn.execute(
        "SELECT a.*, f.name AS fname, f.size AS fsize FROM anime a"
        " LEFT JOIN franchise f ON f.id = a.franchise_id WHERE a.mal_id = ?",
        (mal_id,),
    ).fetchone()
    if row is None:
        raise NotFoundError(f"no anime with MAL id {mal_id}")
    snapshots = {r["id"]: (r["name"], r["as_of"]) for r in conn.execute("SELECT * FROM snapshot")}
    if row["franchise_id"] is not None:
        members = conn.execute(
            "SELECT a.*, (SELECT title FROM title t WHERE t.mal_id = a.mal_id AND"
            " t.kind = 'english' ORDER BY snapshot_id DESC LIMIT 1) AS english"
            " FROM anime a WHERE franchise_id = ? ORDER BY start_date IS NULL, start_date,"
            " mal_id",
            (row["franchise_id"],),
        ).fetchall()
    else:
        members = conn.execute(
            "SELECT a.*, NULL AS english FROM anime a WHERE mal_id = ?", (mal_id,)
        ).fetchall()
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
    marks = ",".join("?" * len(member_ids))
    works: dict[int, SourceWork] = {}
    for w in conn.execute(
        f"SELECT DISTINCT s.*, a.mal_id AS adapted_by, a.method FROM adaptation_link a"
        f" JOIN source_work s ON s.manga_id = a.manga_id WHERE a.mal_id IN ({marks})"
        f" ORDER BY s.start_year, s.manga_id",
        member_ids,
    ):
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
        for o in conn.execute(
            "SELECT * FROM observation WHERE entity_type = 'anime' AND entity_id = ?"
            " ORDER BY metric, observed_at",
            (mal_id,),
        )
    ]
    latest_by_metric: dict[str, Observation] = {}
    for o in history:
        latest_by_metric[o.metric] = o
    sales = [
        SalesRecord(s["mal_id"], s["title"], s["year"], s["avg_sales_k"],
                    bool(s["avg_sales_suspect"]), s["total_k"], s["as_of"])
        for s in conn.execute(
            f"SELECT * FROM video_sales WHERE mal_id IN ({marks}) ORDER BY year", member_ids
        )
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
