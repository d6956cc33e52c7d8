"""The season view: every series whose latest season ended in one quarter, with its forecast.

A season is a calendar quarter of ``forecast.ended``: winter = January–March, spring =
April–June, summer = July–September, fall = October–December. End dates known only to the
year (``"2021"``) belong to no season.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from ..errors import NotFoundError
from ..link.status import nice_date
from ..store.conn import Conn
from ..store.forecasts import (
    announced_series,
    forecast_end_dates,
    forecast_made,
    forecasts_ended_between,
    recent_forecasts,
)

__all__ = ["SEASONS", "SORTS", "SeasonShow", "SeasonView", "season_view",
           "HomeView", "home_view", "ANNOUNCED", "announced_words"]

#: how the build marks a series whose continuation is already listed (forecast_series.reason):
#: ``announced: TV 'Title 2nd Season' (2025-07)``
ANNOUNCED = "announced: "
_ANNOUNCED = re.compile(r"announced: (\S+) '(.*)' \(([^)]*)\)")
#: formats a new *season* comes in (a film is not a new season)
_SEASON_TYPES = ("TV", "ONA", "None")


def announced_words(reason: str) -> str:
    """``announced: TV 'X 2nd Season' (2025-07)`` → ``X 2nd Season (TV), July 2025``."""
    m = _ANNOUNCED.fullmatch(reason)
    if m is None:
        return reason[len(ANNOUNCED):]
    kind, title, when = m.groups()
    kind_said = "" if kind == "None" else f" ({kind})"
    when_said = "date unknown" if when == "date unknown" else nice_date(when)
    return f"{title}{kind_said}, {when_said}"


def _is_new_season(reason: str) -> bool:
    m = _ANNOUNCED.fullmatch(reason)
    return m is None or m.group(1) in _SEASON_TYPES

SEASONS = ("winter", "spring", "summer", "fall")
#: Allowed ``?sort=`` values → what they sort by (titles ignoring the case of A–Z, as SQLite's
#: NOCASE did): the chance, highest first, then the title; or the title, then the MAL id.
SORTS: dict[str, str] = {
    "p_1y": "the chance within a year, then the title",
    "p_3y": "the chance within three years, then the title",
    "p_ever": "the chance ever, then the title",
    "title": "the title, then the MAL id",
}
_ASCII_FOLD = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _nocase(title: str) -> str:
    """A sort key for titles that ignores the case of ASCII letters only."""
    return title.translate(_ASCII_FOLD)


def _sorted(shows: list[SeasonShow], sort: str) -> list[SeasonShow]:
    if sort == "title":
        return sorted(shows, key=lambda s: (_nocase(s.title), s.mal_id))
    return sorted(shows, key=lambda s: (-(getattr(s, sort) or 0.0), _nocase(s.title)))
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
    announced: str = ""  # the continuation listed, e.g. "TV 'X 2nd Season' (2025-07)"


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


def season_view(conn: Conn, year: int, season: str,
                sort: str = "p_1y") -> SeasonView:
    """Every forecast series whose latest season ended in ``season`` of ``year``."""
    _check(year, season, sort)
    first_month = SEASONS.index(season) * 3 + 1
    lo = f"{year:04d}-{first_month:02d}"
    hi = f"{year + 1:04d}-01" if season == "fall" else f"{year:04d}-{first_month + 3:02d}"
    prev, nxt = neighbours(year, season)
    shows = _sorted([SeasonShow(*r) for r in forecasts_ended_between(conn, lo, hi)], sort)
    made = forecast_made(conn)
    listed = sorted(announced_series(conn, ANNOUNCED, ended_from=lo, ended_before=hi),
                    key=lambda r: _nocase(r[1]))
    confirmed = [
        SeasonShow(r[0], r[1], r[2], r[3], None, None, None, None, None,
                   made[1] if made else "", made[0] if made else "", announced_words(r[4]))
        for r in listed if _is_new_season(r[4])]
    # the confirmed come first: their chance is not a forecast but a fact
    return SeasonView(year, season, sort, prev, nxt, confirmed + shows)


@dataclass(frozen=True, slots=True)
class HomeView:
    announced: list[SeasonShow]  # series whose next season is confirmed, newest first
    recent: list[SeasonShow]  # the series that ended last, with their chances
    seasons: list[tuple[int, str, int]]  # (year, season, series) to browse, newest first


def _season_of_month(ended: str) -> str:
    return SEASONS[(int(ended[5:7]) - 1) // 3]


def home_view(conn: Conn, *, recent: int = 10, seasons: int = 8,
              announced: int = 12) -> HomeView:
    """The home page's lists: confirmed new seasons, recently ended series with their
    chances, and the latest seasons to browse."""
    made = forecast_made(conn)
    as_of, model = made if made else ("", "")
    # the newest end first, undated last; then by title
    listed = sorted(announced_series(conn, ANNOUNCED), key=lambda r: r[1])
    listed = (sorted((r for r in listed if r[3] is not None), key=lambda r: r[3], reverse=True)
              + [r for r in listed if r[3] is None])
    confirmed = [
        SeasonShow(r[0], r[1], r[2], r[3] or "", None, None, None, None, None, model, as_of,
                   announced_words(r[4]))
        for r in listed if _is_new_season(r[4])][:announced]
    latest = [SeasonShow(*r) for r in recent_forecasts(conn, recent)]
    counts: dict[tuple[int, str], int] = {}
    for ended in forecast_end_dates(conn):
        key = (int(ended[:4]), _season_of_month(ended))
        if key not in counts and len(counts) == seasons:
            break
        counts[key] = counts.get(key, 0) + 1
    return HomeView(confirmed, latest, [(y, s, n) for (y, s), n in counts.items()])
