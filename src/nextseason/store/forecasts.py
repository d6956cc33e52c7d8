"""The build's forecasts: ``forecast`` (one row per series' latest season, as of the newest
catalogue snapshot) and ``forecast_series`` (every TV/ONA installment → its series' latest
season, and why a series has no forecast)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ._util import marks
from .conn import Conn

__all__ = [
    "FORECAST_COLUMNS",
    "SERIES_COLUMNS",
    "replace_forecasts",
    "update_forecasts",
    "forecast_made",
    "series_of",
    "forecast_row",
    "forecasts_ended_between",
    "recent_forecasts",
    "forecast_end_dates",
    "announced_series",
    "example_forecast",
]

#: The columns of ``forecast``, in the order :func:`replace_forecasts` takes them.
FORECAST_COLUMNS = ("mal_id", "as_of", "model", "ended", "elapsed", "p_1y", "p_2y", "p_3y",
                    "p_5y", "p_ever", "curve", "factors", "comparables", "features")
#: The columns of ``forecast_series``, in the order the writers take them: the series'
#: status at the forecast date and the entry it names (migration 0006), and its latest season
#: that aired (0010).
SERIES_COLUMNS = ("mal_id", "latest_id", "reason", "status", "next_mal_id", "next_title",
                  "next_type", "next_date", "aired_id")
#: What the season and home pages list of a forecast.
_LISTED = ("SELECT f.mal_id, a.title, a.type, f.ended, f.p_1y, f.p_2y, f.p_3y, f.p_5y,"
           " f.p_ever, f.model, f.as_of FROM forecast f JOIN anime a ON a.mal_id = f.mal_id")


def replace_forecasts(conn: Conn, records: Iterable[Sequence[Any]],
                      series: Iterable[Sequence[Any]]) -> None:
    """Replace both tables: ``records`` in :data:`FORECAST_COLUMNS` order, ``series`` in
    :data:`SERIES_COLUMNS` order (inside the caller's transaction)."""
    conn.execute("DELETE FROM forecast")
    conn.execute("DELETE FROM forecast_series")
    conn.executemany(f"INSERT INTO forecast ({', '.join(FORECAST_COLUMNS)})"
                     f" VALUES ({marks(len(FORECAST_COLUMNS))})", [tuple(r) for r in records])
    conn.executemany(f"INSERT INTO forecast_series ({', '.join(SERIES_COLUMNS)})"
                     f" VALUES ({marks(len(SERIES_COLUMNS))})", [tuple(r) for r in series])


def update_forecasts(conn: Conn, records: Sequence[Sequence[Any]],
                     series: Sequence[Sequence[Any]]) -> int:
    """Replace the stored forecasts of some series (a refresh's; inside the caller's
    transaction): ``records`` are ``forecast`` rows, ``series`` the ``forecast_series`` rows
    of their installments; a series' latest season without a record loses its old one."""
    for latest in sorted({int(r[1]) for r in series if r[2]}):
        conn.execute("DELETE FROM forecast WHERE mal_id = ?", (latest,))
    updates = ", ".join(f"{c} = excluded.{c}" for c in FORECAST_COLUMNS[1:])
    conn.executemany(
        f"INSERT INTO forecast ({', '.join(FORECAST_COLUMNS)})"
        f" VALUES ({marks(len(FORECAST_COLUMNS))}) ON CONFLICT (mal_id) DO UPDATE SET {updates}",
        [tuple(r) for r in records])
    series_updates = ", ".join(f"{c} = excluded.{c}" for c in SERIES_COLUMNS[1:])
    conn.executemany(
        f"INSERT INTO forecast_series ({', '.join(SERIES_COLUMNS)})"
        f" VALUES ({marks(len(SERIES_COLUMNS))})"
        f" ON CONFLICT (mal_id) DO UPDATE SET {series_updates}", [tuple(r) for r in series])
    return len(records)


def forecast_made(conn: Conn) -> tuple[str, str] | None:
    """(forecast date, model) of the build's forecasts, or None when it made none."""
    row = conn.execute("SELECT as_of, model FROM forecast LIMIT 1").fetchone()
    return (str(row[0]), str(row[1])) if row else None


def series_of(conn: Conn, mal_id: int) -> tuple[int, str] | None:
    """(the series' latest season, why it has no forecast or '') for a TV/ONA installment,
    or None for anything else."""
    row = conn.execute("SELECT latest_id, reason FROM forecast_series WHERE mal_id = ?",
                       (mal_id,)).fetchone()
    return (int(row[0]), str(row[1])) if row else None


def forecast_row(conn: Conn, latest_id: int) -> Any:
    """Every column of a series' stored forecast, and its latest season's title
    (``latest_title``); None when it has none."""
    return conn.execute(
        "SELECT f.*, a.title AS latest_title FROM forecast f JOIN anime a USING (mal_id)"
        " WHERE f.mal_id = ?", (latest_id,)).fetchone()


def forecasts_ended_between(conn: Conn, lo: str, hi: str) -> list[tuple[Any, ...]]:
    """(mal_id, title, type, ended, p_1y, p_2y, p_3y, p_5y, p_ever, model, as_of) of the
    forecasts whose season ended on or after ``lo`` and before ``hi``, by MAL id."""
    return [tuple(r) for r in conn.execute(
        _LISTED + " WHERE f.ended >= ? AND f.ended < ? ORDER BY f.mal_id", (lo, hi))]


def recent_forecasts(conn: Conn, limit: int) -> list[tuple[Any, ...]]:
    """The forecasts (as :func:`forecasts_ended_between`) of the ``limit`` series that
    ended last, to the day."""
    return [tuple(r) for r in conn.execute(
        _LISTED + " WHERE length(f.ended) = 10 ORDER BY f.ended DESC, a.title LIMIT ?",
        (limit,))]


def forecast_end_dates(conn: Conn) -> list[str]:
    """The end dates (known at least to the month) of every forecast series, newest first."""
    return [str(r[0]) for r in conn.execute(
        "SELECT ended FROM forecast WHERE length(ended) >= 7 ORDER BY ended DESC")]


def announced_series(conn: Conn, *, ended_from: str | None = None,
                     ended_before: str | None = None) -> list[tuple[Any, ...]]:
    """(mal_id, title, type, end_date, next_title, next_type, next_date) of the latest season
    that aired (else the latest listed) of each series the build found announced
    (``forecast_series.status``; a show none of whose seasons has aired yet is a new show,
    not a new season, and is left out; optionally: whose end date lies in [``ended_from``,
    ``ended_before``)), by MAL id."""
    sql = ("SELECT DISTINCT a.mal_id, a.title, a.type, a.end_date, s.next_title, s.next_type,"
           " s.next_date FROM forecast_series s"
           " JOIN anime a ON a.mal_id = COALESCE(s.aired_id, s.latest_id)"
           " WHERE s.status = 'announced' AND a.status <> 'not_yet_aired'")
    params: list[Any] = []
    if ended_from is not None:
        sql += " AND a.end_date >= ?"
        params.append(ended_from)
    if ended_before is not None:
        sql += " AND a.end_date < ?"
        params.append(ended_before)
    return [tuple(r) for r in conn.execute(sql + " ORDER BY a.mal_id", params)]


def example_forecast(conn: Conn, prefer: int) -> tuple[int, str, str] | None:
    """(mal_id, ended, title) of a forecast whose end is known to the day: ``prefer``'s if
    it has one, else the lowest MAL id's."""
    row = conn.execute(
        "SELECT f.mal_id, f.ended, a.title FROM forecast f JOIN anime a USING (mal_id)"
        " WHERE length(f.ended) = 10"
        " ORDER BY CASE WHEN f.mal_id = ? THEN 0 ELSE 1 END, f.mal_id LIMIT 1",
        (prefer,)).fetchone()
    return (int(row[0]), str(row[1]), str(row[2])) if row else None
