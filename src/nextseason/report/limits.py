"""What the data cannot know, in words, made from the store's ``coverage`` rows.

Nothing here names a year: each sentence says which source covers a topic and up to when,
as the store records it (the build for the raw files, each refresh for its live snapshot).
After ``nextseason refresh --source anilist`` the typed relations sentence says
"Typed relations: AniList, refreshed 30 November 2026 for 12 entries; …".
"""

from __future__ import annotations

from datetime import date

from ..link.status import nice_date
from ..store.conn import Conn
from ..store.coverage import Coverage, read_coverage, refreshed

__all__ = ["data_age", "limit_sentences", "refreshed_line"]


def _month(iso: str) -> str:
    return nice_date(iso[:7])


def data_age(catalogue_as_of: str, today: str) -> str:
    """"catalogue as of 24 March 2025, 20 months ago"."""
    a, b = date.fromisoformat(catalogue_as_of), date.fromisoformat(today)
    months = (b.year - a.year) * 12 + b.month - a.month - (b.day < a.day)
    if months >= 1:
        ago = f"{months} month{'s' if months != 1 else ''} ago"
    else:
        days = (b - a).days
        ago = "today" if days == 0 else f"{days} day{'s' if days != 1 else ''} ago"
    return f"catalogue as of {nice_date(catalogue_as_of)}, {ago}"


def _newest(rows: list[Coverage], topic: str, scope: str) -> Coverage | None:
    return next((c for c in rows if c.topic == topic and c.scope == scope), None)


def _entries(n: int) -> str:
    return f"{n:,} entr{'y' if n == 1 else 'ies'}"


def refreshed_line(conn: Conn, mal_id: int) -> str | None:
    """"refreshed from MyAnimeList (via Jikan) on 30 November 2026" for an entry a live
    snapshot lists, else None."""
    row = refreshed(conn, mal_id)
    return f"refreshed from {row[0]} on {nice_date(row[1])}" if row else None


def limit_sentences(conn: Conn, today: str, *, mal_id: int | None = None
                    ) -> tuple[str, list[str]]:
    """(the age line, the sentences) as of ``today``: for each topic the newest whole
    source and up to when, and what refreshes added since."""
    rows = read_coverage(conn, until=today)
    out: list[str] = []
    age = ""
    sales = _newest(rows, "video_sales", "whole")
    if sales is not None:
        out.append(f"Home-video sales data ends in {sales.up_to[:4]}.")
    cat = _newest(rows, "catalogue", "whole")
    if cat is not None:
        age = data_age(cat.up_to, today)
        line = (f"The {age}; it is a subset of {cat.source}, so a recently announced season"
                " may be missing.")
        live = _newest(rows, "catalogue", "refresh")
        if live is not None and live.up_to > cat.up_to:
            mine = refreshed_line(conn, mal_id) if mal_id is not None else None
            line += (f" This show was {mine}." if mine else
                     f" Entries refreshed since, up to {nice_date(live.up_to)}, are newer"
                     " (this show was not among them)." if mal_id is not None else
                     f" Entries refreshed since are newer, up to {nice_date(live.up_to)}.")
        out.append(line)
    rel = _newest(rows, "typed_relations", "whole")
    rel_live = _newest(rows, "typed_relations", "refresh")
    if rel is not None:
        out.append(f"Typed relations end in {_month(rel.up_to)}; later sequel chains come"
                   " from the linker.")
        if rel_live is not None and rel_live.up_to > rel.up_to:
            count = sum(c.entries for c in rows if c.topic == "typed_relations"
                        and c.scope == "refresh" and c.source == rel_live.source)
            out.append(f"Typed relations: {rel_live.source}, refreshed"
                       f" {nice_date(rel_live.up_to)} for {_entries(count)}.")
    elif rel_live is not None:
        out.append(f"Typed relations: {rel_live.source}, refreshed {nice_date(rel_live.up_to)}"
                   f" for {_entries(rel_live.entries)}; the rest come from the linker.")
    vol = _newest(rows, "volumes", "whole")
    if vol is not None:
        out.append(f"Source volume counts come from a {_month(vol.up_to)} list.")
    return age, out
