"""A series' state at a date — status, seasons, the announced next season and its date,
the stored chance — as :func:`nextseason.link.status.series_status` and the stored forecast
give it; :func:`record_states` adds the states that changed to ``series_history``.

The build records every series as of its newest source; a refresh records the series it
touched as of the refresh date.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..link.status import SeriesStatus, series_status
from ..store.conn import Conn
from ..store.history import (
    SeriesState,
    append_states,
    entry,
    series_latest_ids,
    stored_forecast,
)

__all__ = ["series_state", "record_states", "series_title", "all_series_members"]


def series_title(conn: Conn, mal_id: int) -> str:
    row = entry(conn, mal_id)
    return row[0] if row else f"MAL {mal_id}"


def _start(conn: Conn, mal_id: int) -> str | None:
    row = entry(conn, mal_id)
    return row[1] if row else None


def series_state(conn: Conn, mal_id: int, today: str, *, snapshot: str,
                 source: str, status: SeriesStatus | None = None) -> SeriesState | None:
    """The state of the series ``mal_id`` belongs to as of ``today`` (None: not part of a
    TV/ONA series); ``status``: its :func:`series_status` as of ``today``, when the caller
    has it."""
    st = status if status is not None else series_status(conn, mal_id, today)
    if not st.series:
        return None
    ev = st.evidence[0] if st.evidence else None
    says = f"{ev.says} ({ev.name}, {ev.as_of})" if ev else "no continuation listed"
    next_id = st.next
    next_date = (ev.due if ev and ev.due else _start(conn, next_id)) if next_id else None
    fc = stored_forecast(conn, st.latest or st.series[-1]) if st.shows_probabilities else None
    return SeriesState(
        series_id=st.series[0], recorded_on=today, snapshot=snapshot, source=source,
        status=st.status, seasons=len(st.series), latest_id=st.latest, next_id=next_id,
        next_title=series_title(conn, next_id) if next_id else None, next_date=next_date,
        evidence=says, p_1y=fc[0] if fc else None, p_2y=fc[1] if fc else None,
        p_3y=fc[2] if fc else None, p_5y=fc[3] if fc else None,
        forecast_as_of=fc[4] if fc else None)


def all_series_members(conn: Conn) -> list[int]:
    """One TV/ONA installment per series the forecast tables know (their latest seasons)."""
    return series_latest_ids(conn)


def record_states(conn: Conn, mal_ids: Iterable[int], today: str, *,
                  snapshot: str, source: str,
                  statuses: Mapping[int, SeriesStatus] | None = None) -> int:
    """Record the state of each series ``mal_ids`` belong to (inside the caller's
    transaction), where it changed. Returns the rows written. ``statuses``: series'
    statuses as of ``today`` already worked out, by installment id (the others are asked)."""
    states: dict[int, SeriesState] = {}
    seen: set[int] = set()
    for m in mal_ids:
        if m in seen:
            continue
        s = series_state(conn, m, today, snapshot=snapshot, source=source,
                         status=(statuses or {}).get(m))
        seen.add(m)
        if s is not None:
            states[s.series_id] = s
    return append_states(conn, states.values())
