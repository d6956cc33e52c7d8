"""Forecasts made once, by the build, as of the newest catalogue snapshot.

Reports and the web app read them from the ``forecast`` and ``forecast_series`` tables,
so answering "will there be another season?" needs no model at question time. The model
is trained on what was known at that date, exactly as ``nextseason forecast`` does.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from ..errors import DataMissingError
from ..link.status import SeriesStatus
from .dataset import (
    build_dataset,
    catalogue_state,
    data_end,
    drop_announced,
    series_statuses,
    status_date,
)
from .defaults import DEFAULT_MODEL
from .explain import comparables_for, factors_for
from .predict import HORIZONS, fit_at, predict_rows

__all__ = ["precompute_forecasts", "CURVE_YEARS"]

#: the forecast curve is stored at these horizons (years from the forecast date)
CURVE_YEARS = tuple(round(0.25 * i, 2) for i in range(0, 41))


def precompute_forecasts(conn: sqlite3.Connection, *, model: str = DEFAULT_MODEL,
                         progress: Callable[[str], None] = lambda m: None) -> int:
    """Fit, forecast every eligible series, and rewrite the forecast tables. Returns the count."""
    as_of = data_end(conn)
    if as_of is None:
        return 0
    progress("training the forecast model")
    state = catalogue_state(conn, as_of)
    try:
        fitted = fit_at(conn, as_of, model, use_cache=False, state=state)
    except DataMissingError as exc:  # a catalogue too small to learn from: no forecasts
        ds = build_dataset(conn, as_of, state=state)
        statuses = series_statuses(conn, set(ds.latest_of.values()),
                                   status_date(conn, as_of))
        _write(conn, [], [(m, latest, f"no forecast: {exc}") for m, latest in
                          ds.latest_of.items()], statuses)
        return 0
    # every series' status as of the forecast date, from every dated source: no forecast for
    # a series whose continuation a dated source lists (announced or airing; it keeps the
    # evidence as its reason), and the status and next entry are stored for the readers
    full = build_dataset(conn, as_of, state=state)
    statuses = series_statuses(conn, set(full.latest_of.values()), status_date(conn, as_of))
    ds = drop_announced(conn, full, statuses=statuses)
    progress(f"forecasting {len(ds.X):,} series")
    rows = predict_rows(fitted, ds)
    elapsed = ds.frame["elapsed"].to_numpy()
    # the curve: P(premiered within h years of the forecast date), plotted against the years
    # since the finale (elapsed + h)
    within = fitted.model.predict_within(ds.X, elapsed, list(CURVE_YEARS))
    factors = factors_for(fitted, ds.X, elapsed)
    comparables = comparables_for(conn, fitted, ds.X)
    records = []
    for i, r in enumerate(rows.itertuples(index=False)):
        curve = [[round(float(elapsed[i] + h), 2), round(float(p), 5)]
                 for h, p in zip(CURVE_YEARS, within[i], strict=True)]
        records.append((
            int(r.mal_id), as_of, model, str(r.ended), float(elapsed[i]),
            *(float(getattr(r, k)) for k in HORIZONS), float(r.p_ever),
            json.dumps(curve), json.dumps([asdict(f) for f in factors[i]]),
            json.dumps([asdict(c) for c in comparables[i]], ensure_ascii=False),
            json.dumps({k: float(v) for k, v in ds.X.iloc[i].items()}),
        ))
    reasons = dict(zip(ds.ineligible["mal_id"], ds.ineligible["reason"], strict=True))
    series = [(m, latest, "" if latest in ds.frame.index else reasons.get(latest, "no data"))
              for m, latest in ds.latest_of.items()]
    _write(conn, records, series, statuses)
    return len(records)


def _next_entries(conn: sqlite3.Connection, statuses: dict[int, SeriesStatus]
                  ) -> dict[int, tuple[int | None, str | None, str | None, str | None]]:
    """Per series: the entry its status names (the announced continuation, or the season
    airing), as ``(mal_id, title, format, premiere as listed)``; all None when none is
    named or a source names it without a catalogue entry (title and date unknown)."""
    named = {latest: st.evidence[0] for latest, st in statuses.items()
             if st.status in ("announced", "airing") and st.evidence}
    ids = sorted({ev.mal_id for ev in named.values() if ev.mal_id is not None})
    about: dict[int, tuple[str, str | None, str | None]] = {}
    for lo in range(0, len(ids), 500):
        part = ids[lo:lo + 500]
        about.update({int(r[0]): (r[1], r[2], r[3]) for r in conn.execute(
            f"SELECT mal_id, title, type, start_date FROM anime"
            f" WHERE mal_id IN ({','.join('?' * len(part))})", part)})
    out: dict[int, tuple[int | None, str | None, str | None, str | None]] = {}
    for latest, ev in named.items():
        if ev.mal_id is not None and ev.mal_id in about:
            title, kind, start = about[ev.mal_id]
            out[latest] = (ev.mal_id, title, kind, ev.due or start)
    return out


def _write(conn: sqlite3.Connection, records: list[tuple[Any, ...]],
           series: list[tuple[int, int, str]], statuses: dict[int, SeriesStatus]) -> None:
    nxt = _next_entries(conn, statuses)
    none = (None, None, None, None)
    rows = [(m, latest, reason,
             statuses[latest].status if latest in statuses else "not announced",
             *nxt.get(latest, none)) for m, latest, reason in series]
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("DELETE FROM forecast")
        conn.execute("DELETE FROM forecast_series")
        conn.executemany(f"INSERT INTO forecast VALUES ({','.join('?' * 14)})", records)
        conn.executemany(
            "INSERT INTO forecast_series (mal_id, latest_id, reason, status, next_mal_id,"
            " next_title, next_type, next_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
