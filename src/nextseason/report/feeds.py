"""Feeds for a calendar and a feed reader: premieres as iCalendar, changes as Atom.

* :func:`premieres` — the announced next seasons of some series, each with its listed
  premiere and how precise it is, from :func:`nextseason.link.status.series_status`;
* :func:`calendar_ics` — one all-day event per premiere (``icalendar``). A premiere known to
  the day is a confirmed event on that day; known only to the month, an all-day event on
  the month's first day marked ``STATUS:TENTATIVE`` and titled "(date: November 2026)";
  known only to the year, or not at all, it is left out (``left_out`` says which and why)
  — a calendar event for a whole year would mislead;
* :func:`changes_atom` — the changes (:mod:`nextseason.track.changes`) as an Atom feed
  (``feedgen``), one entry per change, dated by its source.

Nothing here reads the clock: event stamps are the dates of the sources.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from ..link.status import nice_date, series_status
from ..store.conn import Conn
from ..store.history import entry
from ..track.changes import Change
from ..track.state import series_title

__all__ = ["Premiere", "premieres", "calendar_ics", "changes_atom", "PRODID"]

PRODID = "-//nextseason//premieres of announced seasons//EN"


@dataclass(frozen=True)
class Premiere:
    series_id: int
    series: str
    mal_id: int  # the announced season
    title: str
    date: str | None  # as listed: YYYY-MM-DD, YYYY-MM or YYYY
    precision: str | None  # day | month | year
    source: str
    as_of: str  # the source's date


def premieres(conn: Conn, mal_ids: Iterable[int], today: str) -> list[Premiere]:
    """The announced next season of each series ``mal_ids`` belong to (as of ``today``)."""
    out: dict[int, Premiere] = {}
    for m in mal_ids:
        st = series_status(conn, m, today)
        if st.status != "announced" or st.next is None or not st.series:
            continue
        ev = st.evidence[0]
        row = entry(conn, st.next)
        if row is None:
            continue
        out[st.series[0]] = Premiere(
            st.series[0], series_title(conn, st.series[0]), st.next, row[0],
            row[1], row[2] or _precision(row[1]), ev.name, ev.as_of or today)
    return sorted(out.values(), key=lambda p: (p.date or "9999", p.series_id))


def _precision(iso: str | None) -> str | None:
    if not iso:
        return None
    return {1: "year", 2: "month"}.get(len(iso.split("-")), "day")


def calendar_ics(items: Sequence[Premiere], *, name: str = "nextseason premieres"
                 ) -> tuple[bytes, list[str]]:
    """(the iCalendar file, the premieres left out and why)."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    left_out: list[str] = []
    for p in items:
        precision = p.precision or _precision(p.date)
        if not p.date or precision not in ("day", "month"):
            why = "no date yet" if not p.date else f"only the year is known ({p.date})"
            left_out.append(f"{p.title}: {why}")
            continue
        parts = [int(x) for x in p.date.split("-")]
        day = date(parts[0], parts[1], parts[2] if precision == "day" else 1)
        ev = Event()
        ev.add("uid", f"nextseason-{p.mal_id}-premiere@nextseason")
        ev.add("dtstamp", datetime.fromisoformat(p.as_of[:10]).replace(tzinfo=UTC))
        ev.add("dtstart", day)
        summary = f"{p.title} premieres"
        if precision == "month":
            ev.add("status", "TENTATIVE")
            summary += f" (date: {nice_date(p.date)})"
        else:
            ev.add("status", "CONFIRMED")
        ev.add("summary", summary)
        ev.add("description", f"The next season of {p.series}, listed by {p.source}"
                              f" as of {nice_date(p.as_of[:10])}.")
        ev.add("url", f"https://myanimelist.net/anime/{p.mal_id}")
        ev.add("transp", "TRANSPARENT")
        cal.add_component(ev)
    return cal.to_ical(), left_out


def changes_atom(changes: Sequence[Change], *, title: str, feed_id: str, link: str,
                 updated: str) -> bytes:
    """The changes as an Atom feed; ``updated`` is the date of the newest data (ISO)."""
    from feedgen.feed import FeedGenerator

    def when(iso: str | None) -> datetime:
        return datetime.fromisoformat((iso or updated)[:10]).replace(tzinfo=UTC)

    fg = FeedGenerator()
    fg.id(feed_id)
    fg.title(title)
    fg.link(href=link, rel="self")
    fg.author({"name": "nextseason"})
    fg.updated(when(max([c.date for c in changes if c.date] + [updated])))
    fg.subtitle("What changed for the followed shows: status, announced seasons and dates,"
                " chances, article claims — each with its source and date.")
    for c in changes:
        fe = fg.add_entry(order="append")
        fe.id(f"{feed_id}/{c.series_id}/{c.key}")
        fe.title(c.says if len(c.says) <= 200 else c.says[:199] + "…")
        fe.updated(when(c.date))
        fe.link(href=f"https://myanimelist.net/anime/{c.series_id}")
        fe.summary(f"{c.says} (source: {c.source}, {nice_date(c.date) if c.date else 'undated'})")
    return bytes(fg.atom_str(pretty=True))
