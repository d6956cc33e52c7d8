"""One vocabulary: how fields, sources, statuses, seasons and numbers are said to a user.

Every renderer (terminal, Markdown, HTML, JSON, the web pages) and the CLI word things
through these functions, so that a claim field reads "Premiere (season 1)" everywhere, a
snapshot "MyAnimeList catalogue, March 2025", a catalogue status "not yet aired" and a
half-year "spring 2026" — never ``premiere_date (season 1)``, ``jikan_2025``,
``not_yet_aired`` or ``2026 H1``. Plain functions of plain values; nothing here reads the
store.
"""

from __future__ import annotations

import re
from datetime import date

from ..link.status import nice_date

__all__ = ["HORIZON_LABELS", "FIELD_LABELS", "SNAPSHOT_LABELS", "CATALOGUE_STATUS",
           "RECONCILE_STATUS", "SEASON_MONTHS", "field_label", "source_label",
           "catalogue_status", "reconcile_status", "season_of", "season_name", "plural",
           "percent", "percentile", "nice_date", "value_label"]

#: the forecast's horizons, as a column or a row is headed
HORIZON_LABELS = {"p_1y": "within 1 year", "p_2y": "within 2 years",
                  "p_3y": "within 3 years", "p_5y": "within 5 years", "p_ever": "ever"}

#: claim fields (see claims.model) and catalogue fields
FIELD_LABELS = {
    "premiere_date": "Premiere",
    "finale_date": "Finale",
    "end_date": "Finale",
    "start_date": "Premiere",
    "episodes": "Episodes",
    "renewal_status": "New season",
    "source_volumes": "Source volumes",
    "adapted_through": "Adapted up to",
    "source_type": "Source",
    "studio": "Studio",
    "score": "Score",
    "members": "Members",
    "rank": "Rank",
    "popularity": "Popularity rank",
    "sales": "Home-video sales",
    "bd_sales": "Blu-ray sales",
    "author": "Author",
    "publisher": "Publisher",
    "title": "Title",
}

#: the snapshots the build reads, by name (the store's ``snapshot.name``)
SNAPSHOT_LABELS = {
    "mal_2018": "MyAnimeList catalogue",
    "jikan_2021": "MyAnimeList catalogue",
    "jikan_2025": "MyAnimeList catalogue",
    "sales_2020": "Someanithing home-video sales",
    "manga_2023": "MyAnimeList manga list",
    "ln_2025": "light-novel list",
    "bestselling_2024": "best-selling manga list (Wikipedia)",
    "ids_2024": "ID crosswalk",
    "tvdb_seasons_2026": "TVDB season list",
    "sequel_rules_2026": "sequel rules",
}

#: MyAnimeList's airing statuses
CATALOGUE_STATUS = {"finished_airing": "finished", "finished": "finished",
                    "airing": "airing", "currently_airing": "airing",
                    "not_yet_aired": "not yet aired", "upcoming": "not yet aired"}

#: how claims and the catalogue compare (claims.reconcile)
RECONCILE_STATUS = {
    "agrees": "agrees",
    "conflicts": "conflicts",
    "different things": "different things",
    "changed over time": "changed over time",
    "single source": "only one source",
    "unchecked": "nothing to check against",
}

#: the four anime seasons by month (the broadcast industry's quarters)
SEASON_MONTHS = {"winter": (1, 2, 3), "spring": (4, 5, 6), "summer": (7, 8, 9),
                 "fall": (10, 11, 12)}


def field_label(name: str, qualifier: str | None = None) -> str:
    """``premiere_date``, ``season 1`` → ``Premiere (season 1)``."""
    label = FIELD_LABELS.get(name) or name.replace("_", " ").capitalize()
    return f"{label} ({qualifier.replace('_', ' ')})" if qualifier else label


def source_label(name: str, as_of: str | None = None) -> str:
    """A snapshot by name and date: ``jikan_2025``, ``2025-03-24`` →
    ``MyAnimeList catalogue, March 2025``. Names that are not snapshots (an article's title)
    are returned as they are, with the date in words when given."""
    label = SNAPSHOT_LABELS.get(name, name)
    if not as_of:
        return label
    return f"{label}, {nice_date(as_of[:7])}"


_CODE = re.compile(r"[a-z]+(?:_[a-z]+)+")


def value_label(value: object) -> str:
    """A claim's value in words: ``not_announced`` → ``not announced``; numbers and other
    text as they are."""
    if isinstance(value, str) and _CODE.fullmatch(value):
        return CATALOGUE_STATUS.get(value, value.replace("_", " "))
    return str(value)


def catalogue_status(status: str | None) -> str:
    """``not_yet_aired`` → ``not yet aired``."""
    if not status:
        return "status unknown"
    return CATALOGUE_STATUS.get(status, status.replace("_", " "))


def reconcile_status(status: str, n_sources: int | None = None) -> str:
    """How a group of claims compares; ``agrees`` with a single source (one article, no
    catalogue value) is ``only one source``: one source cannot agree with itself."""
    if status == "agrees" and n_sources == 1:
        return "only one source"
    return RECONCILE_STATUS.get(status, status)


def season_of(iso: str) -> tuple[int, str]:
    """The anime season a date falls in: ``2026-04-10`` → ``(2026, "spring")``."""
    d = date.fromisoformat(iso[:10])
    name = next(s for s, months in SEASON_MONTHS.items() if d.month in months)
    return d.year, name


def season_name(iso: str) -> str:
    """``2026-04-10`` → ``spring 2026``."""
    year, name = season_of(iso)
    return f"{name} {year}"


def plural(n: int | float, one: str, many: str | None = None) -> str:
    """``1 episode``, ``2 episodes``, ``1,200 members``."""
    word = one if n == 1 else (many or one + "s")
    shown = f"{n:,}" if isinstance(n, int) else f"{n:g}"
    return f"{shown} {word}"


def percent(p: float) -> str:
    """A probability: ``<1%`` below half a percent, else a whole percent."""
    if 0 < p < 0.005:
        return "<1%"
    if 0.995 < p < 1:
        return ">99%"
    return f"{p:.0%}"


def percentile(share: float, what: str, of: str) -> str:
    """``0.83``, "more members than", "the shows that started that year" →
    ``more members than 83% of the shows that started that year``. A share is never said as
    100% or more (a show cannot beat every show of a cohort it belongs to): the top
    half-percent reads "almost all of"."""
    share = min(max(share, 0.0), 1.0)
    if share >= 0.995:
        return f"{what} almost all of {of}"
    return f"{what} {share:.0%} of {of}"
