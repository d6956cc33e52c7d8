"""What changed for a series between two recorded states, and what articles said since.

:func:`find_changes` walks each series' history (:mod:`nextseason.store.history`): every
pair of consecutive states gives the changes of the later one — its status, a new season
listed or aired, the announced premiere date, a move of the stored chance of
:data:`CHANCE_STEP` or more at any horizon — each with the source and date of the later
state; the stored articles' renewal and premiere claims about the series are added with the
article and its date.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from ..link.status import nice_date
from ..store.conn import Conn
from ..store.coverage import newest_data_date
from ..store.history import SeriesState, claimed_subjects, claims_about, franchise_of, history
from ..store.watch import watched

__all__ = ["Change", "find_changes", "CHANCE_STEP"]

#: the smallest move of a stored chance worth reporting (5 percentage points)
CHANCE_STEP = 0.05
_HORIZONS = (("p_1y", "1 year"), ("p_2y", "2 years"), ("p_3y", "3 years"), ("p_5y", "5 years"))
_CLAIM_FIELDS = ("renewal_status", "premiere_date")


@dataclass(frozen=True)
class Change:
    """One change to one series, with where it comes from and when."""

    series_id: int
    title: str
    kind: str  # status | new_season | date | chance | article
    before: str | None
    after: str
    says: str  # one plain sentence
    source: str
    date: str | None  # the source's date (None: an undated article)
    key: str  # stable id: the history row or the claim it comes from


def _pct(p: float | None) -> str:
    return "no forecast" if p is None else f"{p * 100:.0f}%"


def _pair(title: str, a: SeriesState, b: SeriesState) -> list[Change]:
    out: list[Change] = []

    def add(kind: str, before: str | None, after: str, says: str) -> None:
        out.append(Change(b.series_id, title, kind, before, after, says, b.source,
                          b.recorded_on, f"h{b.id}-{kind}"))

    if a.status != b.status:
        add("status", a.status, b.status, f"{title}: {a.status} → {b.status} ({b.evidence})")
    if b.next_id is not None and b.next_id != a.next_id:
        when = f", {nice_date(b.next_date)}" if b.next_date else ", no date yet"
        add("new_season", str(a.next_id) if a.next_id else None, str(b.next_id),
            f"{title}: a new season is listed — {b.next_title}{when}")
    elif b.seasons > a.seasons:
        add("new_season", str(a.seasons), str(b.seasons),
            f"{title}: {b.seasons} seasons known (was {a.seasons})")
    if b.next_id is not None and b.next_id == a.next_id and a.next_date != b.next_date:
        add("date", a.next_date, b.next_date or "", f"{b.next_title}: premiere"
            f" {nice_date(a.next_date)} → {nice_date(b.next_date)}")
    for attr, label in _HORIZONS:
        p, q = getattr(a, attr), getattr(b, attr)
        if p is not None and q is not None and abs(q - p) >= CHANCE_STEP - 1e-9:
            add("chance", _pct(p), _pct(q),
                f"{title}: chance of a new season within {label} {_pct(p)} → {_pct(q)}")
            break
    return out


def _article_changes(conn: Conn, series_id: int, title: str,
                     since: str | None) -> list[Change]:
    from ..claims.articles import article_citations

    names = article_citations(conn)
    out = []
    for article_id, idx, field, value, as_of, quote in claims_about(
            conn, franchise_of(conn, series_id), _CLAIM_FIELDS):
        if since is not None and (as_of is None or as_of < since):
            continue
        name = names.get(article_id, (f"article {article_id[:8]}",))[0]
        what = json.loads(value)
        label = "new season" if field == "renewal_status" else "premiere"
        out.append(Change(series_id, title, "article", None, str(what),
                          f"{title}: {name} says {label}: {what} — “{quote}”", name, as_of,
                          f"c{article_id}-{idx}"))
    return out


def find_changes(conn: Conn, *, since: str | None = None,
                 everything: bool = False, series: Iterable[int] | None = None
                 ) -> list[Change]:
    """The changes of the watched series (``everything``: of all series; ``series``: of
    these series' entries) recorded on or after ``since``, oldest first."""
    from .state import series_title

    wanted: set[int] | None
    if series is not None:
        wanted = _series_ids(conn, series)
    elif everything:
        wanted = None
    else:
        wanted = _series_ids(conn, [w.mal_id for w in watched(conn)])
    states = history(conn, wanted)
    out: list[Change] = []
    for series_id, rows in states.items():
        title = series_title(conn, series_id)
        for a, b in zip(rows, rows[1:], strict=False):
            if since is None or b.recorded_on >= since:
                out.extend(_pair(title, a, b))
    # articles: of the wanted series; of every series an article speaks of (``everything``)
    said = (wanted if wanted is not None
            else _series_ids(conn, claimed_subjects(conn, _CLAIM_FIELDS)))
    for series_id in sorted(said):
        out.extend(_article_changes(conn, series_id, series_title(conn, series_id), since))
    out.sort(key=lambda c: (c.date or "", c.series_id, c.key))
    return out


def _series_ids(conn: Conn, mal_ids: Iterable[int]) -> set[int]:
    """The series (first installments) of ``mal_ids``, from the recorded history: the
    series whose recorded installments or announced seasons include them, else their own
    series as :func:`nextseason.link.status.series_status` numbers it today."""
    from ..link.status import series_status

    out: set[int] = set()
    today = newest_data_date(conn) or "9999-12-31"
    for m in mal_ids:
        st = series_status(conn, m, today)
        out.add(st.series[0] if st.series else m)
    return out
