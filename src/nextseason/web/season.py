"""The season view: every series whose latest season ended in one quarter, with its forecast.

A season is a calendar quarter of ``forecast.ended``: winter = January–March, spring =
April–June, summer = July–September, fall = October–December. End dates known only to the
year (``"2021"``) belong to no season.
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass
from typing import Any

from ..errors import NotFoundError
from ..link.status import nice_date

__all__ = ["SEASONS", "SORTS", "SeasonShow", "SeasonView", "season_view",
           "HomeView", "home_view", "announced_words"]

def announced_words(title: str | None, kind: str | None, when: str | None) -> str:
    """The announced next entry the build stored (``forecast_series.next_*``) in words:
    ``X 2nd Season (TV), July 2025``; a source that names no catalogue entry (the ID
    crosswalk, the sequel rules) gives "title and date unknown"."""
    if not title:
        return "title and date unknown"
    kind_said = f" ({kind})" if kind and kind not in ("Unknown", "None") else ""
    return f"{title}{kind_said}, {nice_date(when) if when else 'date unknown'}"


SEASONS = ("winter", "spring", "summer", "fall")
#: Allowed ``?sort=`` values → ORDER BY (never built from user text).
SORTS: dict[str, str] = {
    "p_1y": "f.p_1y DESC, a.title COLLATE NOCASE",
    "p_3y": "f.p_3y DESC, a.title COLLATE NOCASE",
    "p_ever": "f.p_ever DESC, a.title COLLATE NOCASE",
    "title": "a.title COLLATE NOCASE, f.mal_id",
}
MIN_YEAR, MAX_YEAR = 1900, 2100


@dataclass(frozen=True, slots=True)
class SeasonShow:
    mal_id: int
    title: str
    type: str | None
    ended: str
    p_1y: float | None  # no chances for a series whose next season is confirmed
    p_2y: float | None
    p_3y: float | None
    p_5y: float | None
    p_ever: float | None
    model: str
    as_of: str
    announced: str = ""  # the continuation listed, in words: "X 2nd Season (TV), July 2025"


@dataclass(frozen=True, slots=True)
class SeasonView:
    year: int
    season: str
    sort: str
    previous: tuple[int, str]
    next: tuple[int, str]
    shows: list[SeasonShow]

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["previous"] = {"year": self.previous[0], "season": self.previous[1]}
        d["next"] = {"year": self.next[0], "season": self.next[1]}
        return d


def _check(year: int, season: str, sort: str) -> None:
    if season not in SEASONS:
        raise NotFoundError(f"no season {season!r}: use one of {', '.join(SEASONS)}")
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise NotFoundError(f"no season in year {year}: use {MIN_YEAR}–{MAX_YEAR}")
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}: use one of {', '.join(SORTS)}")


def neighbours(year: int, season: str) -> tuple[tuple[int, str], tuple[int, str]]:
    """The seasons before and after (year, season)."""
    i = SEASONS.index(season)
    prev = (year - 1, SEASONS[3]) if i == 0 else (year, SEASONS[i - 1])
    nxt = (year + 1, SEASONS[0]) if i == 3 else (year, SEASONS[i + 1])
    return prev, nxt


def season_view(conn: sqlite3.Connection, year: int, season: str,
                sort: str = "p_1y") -> SeasonView:
    """Every forecast series whose latest season ended in ``season`` of ``year``."""
    _check(year, season, sort)
    first_month = SEASONS.index(season) * 3 + 1
    lo = f"{year:04d}-{first_month:02d}"
    hi = f"{year + 1:04d}-01" if season == "fall" else f"{year:04d}-{first_month + 3:02d}"
    rows = conn.execute(
        "SELECT f.mal_id, a.title, a.type, f.ended, f.p_1y, f.p_2y, f.p_3y, f.p_5y,"
        " f.p_ever, f.model, f.as_of FROM forecast f JOIN anime a ON a.mal_id = f.mal_id"
        f" WHERE f.ended >= ? AND f.ended < ? ORDER BY {SORTS[sort]}",
        (lo, hi),
    ).fetchall()
    prev, nxt = neighbours(year, season)
    shows = [SeasonShow(*tuple(r)) for r in rows]
    made = conn.execute("SELECT as_of, model FROM forecast LIMIT 1").fetchone()
    confirmed = [
        SeasonShow(r[0], r[1], r[2], r[3], None, None, None, None, None,
                   made[1] if made else "", made[0] if made else "",
                   announced_words(r[4], r[5], r[6]))
        for r in conn.execute(
            "SELECT DISTINCT a.mal_id, a.title, a.type, a.end_date, s.next_title, s.next_type,"
            " s.next_date FROM forecast_series s JOIN anime a ON a.mal_id = s.latest_id"
            " WHERE s.status = 'announced' AND a.end_date >= ? AND a.end_date < ?"
            " ORDER BY a.title COLLATE NOCASE", (lo, hi))]
    # the confirmed come first: their chance is not a forecast but a fact
    return SeasonView(year, season, sort, prev, nxt, confirmed + shows)


@dataclass(frozen=True, slots=True)
class HomeView:
    announced: list[SeasonShow]  # series whose next season is confirmed, newest first
    recent: list[SeasonShow]  # the series that ended last, with their chances
    seasons: list[tuple[int, str, int]]  # (year, season, series) to browse, newest first


def _season_of_month(ended: str) -> str:
    return SEASONS[(int(ended[5:7]) - 1) // 3]


def home_view(conn: sqlite3.Connection, *, recent: int = 10, seasons: int = 8,
              announced: int = 12) -> HomeView:
    """The home page's lists: confirmed new seasons, recently ended series with their
    chances, and the latest seasons to browse."""
    made = conn.execute("SELECT as_of, model FROM forecast LIMIT 1").fetchone()
    as_of, model = (made[0], made[1]) if made else ("", "")
    confirmed = [
        SeasonShow(r[0], r[1], r[2], r[3] or "", None, None, None, None, None, model, as_of,
                   announced_words(r[4], r[5], r[6]))
        for r in conn.execute(
            "SELECT DISTINCT a.mal_id, a.title, a.type, a.end_date, s.next_title, s.next_type,"
            " s.next_date FROM forecast_series s JOIN anime a ON a.mal_id = s.latest_id"
            " WHERE s.status = 'announced'"
            " ORDER BY a.end_date IS NULL, a.end_date DESC, a.title LIMIT ?", (announced,))]
    latest = [SeasonShow(*tuple(r)) for r in conn.execute(
        "SELECT f.mal_id, a.title, a.type, f.ended, f.p_1y, f.p_2y, f.p_3y, f.p_5y,"
        " f.p_ever, f.model, f.as_of FROM forecast f JOIN anime a ON a.mal_id = f.mal_id"
        " WHERE length(f.ended) = 10 ORDER BY f.ended DESC, a.title LIMIT ?", (recent,))]
    counts: dict[tuple[int, str], int] = {}
    for (ended,) in conn.execute("SELECT ended FROM forecast WHERE length(ended) >= 7"
                                 " ORDER BY ended DESC"):
        key = (int(ended[:4]), _season_of_month(ended))
        if key not in counts and len(counts) == seasons:
            break
        counts[key] = counts.get(key, 0) + 1
    return HomeView(confirmed, latest, [(y, s, n) for (y, s), n in counts.items()])
