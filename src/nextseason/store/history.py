"""A history of each series' state (migration 0008), and the stored forecast it reads.

:func:`append_states` writes a series' state only when it differs from the series' previous
row, so consecutive rows of a series are exactly its changes; :func:`history` reads them.
Rows name their snapshot by name and date, never by id, so a rebuild carries them as they
are (:data:`nextseason.store.carry.USER_TABLES`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import astuple, dataclass, fields

from .conn import Conn

__all__ = ["SeriesState", "append_states", "history", "stored_forecast", "COMPARED", "entry",
           "series_latest_ids", "franchise_of", "claims_about"]


@dataclass(frozen=True)
class SeriesState:
    """One series' state as a build or a refresh saw it."""

    series_id: int
    recorded_on: str
    snapshot: str
    source: str
    status: str
    seasons: int
    latest_id: int | None
    next_id: int | None
    next_title: str | None
    next_date: str | None
    evidence: str
    p_1y: float | None = None
    p_2y: float | None = None
    p_3y: float | None = None
    p_5y: float | None = None
    forecast_as_of: str | None = None
    id: int | None = None  # the row's id once stored


#: the fields whose change makes a new history row (the wording of the evidence alone, or
#: the date it was recorded, does not)
COMPARED = ("status", "seasons", "latest_id", "next_id", "next_date", "p_1y", "p_2y",
            "p_3y", "p_5y")
_COLUMNS = [f.name for f in fields(SeriesState) if f.name != "id"]


def _key(s: SeriesState) -> tuple[object, ...]:
    return tuple(round(v, 3) if isinstance(v, float) else v
                 for v in (getattr(s, c) for c in COMPARED))


def _latest(conn: Conn, series_ids: Sequence[int]) -> dict[int, SeriesState]:
    out: dict[int, SeriesState] = {}
    for i in range(0, len(series_ids), 500):
        chunk = list(series_ids[i:i + 500])
        marks = ",".join("?" * len(chunk))
        for r in conn.execute(
            f"SELECT {', '.join(_COLUMNS)}, id FROM series_history h WHERE series_id IN"
            f" ({marks}) AND id = (SELECT max(id) FROM series_history x"
            f" WHERE x.series_id = h.series_id)", chunk):
            s = SeriesState(*tuple(r))
            out[s.series_id] = s
    return out


def append_states(conn: Conn, states: Iterable[SeriesState]) -> int:
    """Store the states that differ from their series' previous row (inside the caller's
    transaction). Returns the rows written."""
    items = list({s.series_id: s for s in states}.values())
    before = _latest(conn, [s.series_id for s in items])
    new = [s for s in items if s.series_id not in before or _key(before[s.series_id]) != _key(s)]
    conn.executemany(
        f"INSERT INTO series_history ({', '.join(_COLUMNS)})"
        f" VALUES ({', '.join('?' * len(_COLUMNS))})",
        [astuple(s)[:-1] for s in new])
    return len(new)


def history(conn: Conn, series_ids: Iterable[int] | None = None) -> dict[int, list[SeriesState]]:
    """Every stored state, per series, oldest first (of ``series_ids``, or all)."""
    out: dict[int, list[SeriesState]] = {}
    wanted = None if series_ids is None else set(series_ids)
    for r in conn.execute(f"SELECT {', '.join(_COLUMNS)}, id FROM series_history"
                          " ORDER BY series_id, id"):
        s = SeriesState(*tuple(r))
        if wanted is None or s.series_id in wanted:
            out.setdefault(s.series_id, []).append(s)
    return out


def stored_forecast(conn: Conn, mal_id: int) -> tuple[float, float, float, float, str] | None:
    """(p_1y, p_2y, p_3y, p_5y, as_of) of the stored forecast of ``mal_id``'s series."""
    row = conn.execute(
        "SELECT f.p_1y, f.p_2y, f.p_3y, f.p_5y, f.as_of FROM forecast_series s"
        " JOIN forecast f ON f.mal_id = s.latest_id WHERE s.mal_id = ?", (mal_id,)).fetchone()
    return (float(row[0]), float(row[1]), float(row[2]), float(row[3]), str(row[4])
            ) if row else None


def entry(conn: Conn, mal_id: int) -> tuple[str, str | None, str | None] | None:
    """(title, start_date, start_precision) of an entry, None when the catalogue lacks it."""
    row = conn.execute("SELECT title, start_date, start_precision FROM anime WHERE mal_id = ?",
                       (mal_id,)).fetchone()
    return (str(row[0]), row[1], row[2]) if row else None


def series_latest_ids(conn: Conn) -> list[int]:
    """The latest season of every series the forecast tables know."""
    return sorted({int(r[0]) for r in conn.execute(
        "SELECT DISTINCT latest_id FROM forecast_series")})


def franchise_of(conn: Conn, mal_id: int) -> list[int]:
    """``mal_id`` and the other entries of its franchise."""
    return [mal_id] + [int(r[0]) for r in conn.execute(
        "SELECT mal_id FROM anime WHERE franchise_id = (SELECT franchise_id FROM anime"
        " WHERE mal_id = ?) AND mal_id <> ? ORDER BY mal_id", (mal_id, mal_id))]


def claimed_subjects(conn: Conn, fields: Sequence[str]) -> list[int]:
    """The entries stored claims in these fields are about."""
    return [int(r[0]) for r in conn.execute(
        f"SELECT DISTINCT subject_mal_id FROM claim WHERE subject_mal_id IS NOT NULL AND field"
        f" IN ({','.join('?' * len(fields))}) ORDER BY subject_mal_id", list(fields))]


def claims_about(conn: Conn, mal_ids: Sequence[int], fields: Sequence[str]
                 ) -> list[tuple[str, int, str, str, str | None, str]]:
    """(article_id, idx, field, value JSON, as_of, quote) of the stored claims about these
    entries, in these fields, oldest first."""
    ids = list(mal_ids)
    return [(str(r[0]), int(r[1]), str(r[2]), str(r[3]), r[4], str(r[5])) for r in
            conn.execute(
                f"SELECT article_id, idx, field, value, as_of, quote FROM claim"
                f" WHERE subject_mal_id IN ({','.join('?' * len(ids))}) AND field IN"
                f" ({','.join('?' * len(fields))}) ORDER BY as_of, article_id, idx",
                [*ids, *fields])]
