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

__all__ = ["SEASONS", "SORTS", "SeasonShow", "SeasonView", "season_view", "latest_season"]

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
    p_1y: float
    p_2y: float
    p_3y: float
    p_5y: float
    p_ever: float
    model: str
    as_of: str


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
    return SeasonView(year, season, sort, prev, nxt, shows)


def latest_season(conn: sqlite3.Connection) -> tuple[int, str] | None:
    """The season of the latest finale that has a forecast (for the home page's link)."""
    row = conn.execute(
        "SELECT max(ended) FROM forecast WHERE length(ended) >= 7").fetchone()
    if not row or not row[0]:
        return None
    ended: str = row[0]
    return int(ended[:4]), SEASONS[(int(ended[5:7]) - 1) // 3]
