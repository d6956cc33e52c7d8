"""Forecasts made once, by the build, as of the newest catalogue snapshot.

Reports and the web app read them from the ``forecast`` and ``forecast_series`` tables,
so answering "will there be another season?" needs no model at question time. The model
is trained on what was known at that date, exactly as ``nextseason forecast`` does.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from ..errors import DataMissingError
from ..link.status import SeriesStatus
from ..store.catalogue import anime_summaries
from ..store.conn import Conn, atomic
from ..store.forecasts import replace_forecasts
from .dataset import (
    Dataset,
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

__all__ = ["precompute_forecasts", "Precomputed", "forecast_records", "recompute_forecasts",
           "CURVE_YEARS"]

#: the forecast curve is stored at these horizons (years from the forecast date)
CURVE_YEARS = tuple(round(0.25 * i, 2) for i in range(0, 41))


@dataclass
class Precomputed:
    """What :func:`precompute_forecasts` did: the forecasts stored, and every series' status
    (by its latest installment) as of ``today``, for a caller that needs them too (the build
    records each series' state from them instead of working them out again)."""

    count: int = 0
    today: str | None = None
    statuses: dict[int, SeriesStatus] = field(default_factory=dict)


def precompute_forecasts(conn: Conn, *, model: str = DEFAULT_MODEL,
                         progress: Callable[[str], None] = lambda m: None) -> Precomputed:
    """Fit, forecast every eligible series, and rewrite the forecast tables."""
    as_of = data_end(conn)
    if as_of is None:
        return Precomputed()
    today = status_date(conn, as_of)
    progress("training the forecast model")
    state = catalogue_state(conn, as_of)
    try:
        # trained afresh, and kept in the cache so that a refresh reuses it
        fitted = fit_at(conn, as_of, model, use_cache=False, save=True, state=state)
    except DataMissingError as exc:  # a catalogue too small to learn from: no forecasts
        ds = build_dataset(conn, as_of, state=state)
        statuses = series_statuses(conn, set(ds.latest_of.values()), today)
        _write(conn, [], [(m, latest, f"no forecast: {exc}") for m, latest in
                          ds.latest_of.items()], statuses)
        return Precomputed(0, today, statuses)
    # every series' status as of the forecast date, from every dated source: no forecast for
    # a series whose continuation a dated source lists (announced or airing; it keeps the
    # evidence as its reason), and the status and next entry are stored for the readers
    full = build_dataset(conn, as_of, state=state)
    statuses = series_statuses(conn, set(full.latest_of.values()), today)
    ds = drop_announced(conn, full, statuses=statuses)
    progress(f"forecasting {len(ds.X):,} series")
    records, series = forecast_records(conn, fitted, ds, model)
    _write(conn, records, series, statuses)
    return Precomputed(len(records), today, statuses)


def forecast_records(conn: Conn, fitted: Any, ds: Dataset, model: str
                     ) -> tuple[list[tuple[Any, ...]], list[tuple[int, int, str]]]:
    """The ``forecast`` rows of the series in ``ds`` and the ``forecast_series`` rows of
    their installments (a reason where there is no forecast)."""
    as_of = ds.as_of
    records: list[tuple[Any, ...]] = []
    reasons = dict(zip(ds.ineligible["mal_id"], ds.ineligible["reason"], strict=True))
    series = [(m, latest, "" if latest in ds.frame.index else reasons.get(latest, "no data"))
              for m, latest in ds.latest_of.items()]
    if not len(ds.X):
        return records, series
    rows = predict_rows(fitted, ds)
    elapsed = ds.frame["elapsed"].to_numpy()
    # the curve: P(premiered within h years of the forecast date), plotted against the years
    # since the finale (elapsed + h)
    within = fitted.model.predict_within(ds.X, elapsed, list(CURVE_YEARS))
    factors = factors_for(fitted, ds.X, elapsed)
    comparables = comparables_for(conn, fitted, ds.X)
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
    return records, series


def recompute_forecasts(conn: Conn, mal_ids: Iterable[int], as_of: str, *,
                        model: str = DEFAULT_MODEL
                        ) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The forecasts of the series ``mal_ids`` belong to, made as of ``as_of`` (a refresh's
    date): features from the catalogue as it stood then, the model trained on what the
    newest catalogue snapshot knew (:func:`fit_at` at :func:`data_end`, cached), and no
    forecast for a series a dated source (a refresh among them) lists as announced or
    airing. Returns the ``forecast`` rows and the ``forecast_series`` rows of their
    installments; the caller writes them (:func:`nextseason.store.forecasts.update_forecasts`).
    """
    end = data_end(conn)
    if end is None:
        return [], []
    ds = build_dataset(conn, max(as_of, end))
    wanted = {ds.latest_of.get(m, m) for m in mal_ids}
    statuses = series_statuses(conn, wanted, status_date(conn, ds.as_of))
    ds = drop_announced(conn, ds, only=wanted, statuses=statuses)
    keep = [m for m in ds.frame.index if m in wanted]
    sub = Dataset(ds.as_of, ds.frame.loc[keep], ds.X.loc[keep], ds.ineligible,
                  {m: latest for m, latest in ds.latest_of.items() if latest in wanted})
    try:
        fitted = fit_at(conn, end, model)
    except DataMissingError as exc:
        return [], series_rows(conn, [(m, latest, f"no forecast: {exc}")
                                      for m, latest in sub.latest_of.items()], statuses)
    records, series = forecast_records(conn, fitted, sub, model)
    return records, series_rows(conn, series, statuses)


def _next_entries(conn: Conn, statuses: dict[int, SeriesStatus]
                  ) -> dict[int, tuple[int | None, str | None, str | None, str | None]]:
    """Per series: the entry its status names (the announced continuation, or the season
    airing), as ``(mal_id, title, format, premiere as listed)``; all None when none is
    named or a source names it without a catalogue entry (title and date unknown)."""
    named = {latest: st.evidence[0] for latest, st in statuses.items()
             if st.status in ("announced", "airing") and st.evidence}
    about = anime_summaries(conn, sorted({ev.mal_id for ev in named.values()
                                           if ev.mal_id is not None}))
    out: dict[int, tuple[int | None, str | None, str | None, str | None]] = {}
    for latest, ev in named.items():
        if ev.mal_id is not None and ev.mal_id in about:
            title, kind, start = about[ev.mal_id]
            out[latest] = (ev.mal_id, title, kind, ev.due or start)
    return out


def series_rows(conn: Conn, series: list[tuple[int, int, str]],
                statuses: dict[int, SeriesStatus]) -> list[tuple[Any, ...]]:
    """``forecast_series`` rows: (mal_id, latest_id, reason) with the series' status, the
    entry it names and its latest season that aired
    (:data:`nextseason.store.forecasts.SERIES_COLUMNS`)."""
    nxt = _next_entries(conn, statuses)
    none = (None, None, None, None)
    out = []
    for m, latest, reason in series:
        st = statuses.get(latest)
        out.append((m, latest, reason, st.status if st else "not announced",
                    *nxt.get(latest, none), st.latest if st else None))
    return out


def _write(conn: Conn, records: list[tuple[Any, ...]],
           series: list[tuple[int, int, str]], statuses: dict[int, SeriesStatus]) -> None:
    rows = series_rows(conn, series, statuses)
    with atomic(conn):
        replace_forecasts(conn, records, rows)
