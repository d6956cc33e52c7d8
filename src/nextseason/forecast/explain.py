"""One show's forecast in plain words: its probabilities, what moved them, and comparable
shows with what happened to them.

*Factors* are measured, not read off coefficients, so they mean the same for every model:
each group of features is set to the value a typical series had (the training median) and
the forecast is made again; the difference is that group's effect on the chance of a new
season within three years. *Comparable shows* are the nearest training series (same source
kind first) on popularity, score, source left and installment, among those that ended at
least three years before the forecast date, so what happened next is known.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..errors import NotFoundError
from ..store.catalogue import anime_title, anime_titles
from ..store.conn import Conn
from .dataset import build_dataset, drop_announced
from .defaults import DEFAULT_MODEL
from .predict import HORIZONS, Fitted, fit_at, parse_as_of, predict_rows
from .records import Comparable, Factor, ShowForecast

__all__ = ["Factor", "Comparable", "ShowForecast", "forecast_show", "factors_for",
           "comparables_for", "FACTOR_GROUPS"]

#: feature groups and how to say them
FACTOR_GROUPS: dict[str, tuple[str, ...]] = {
    "popularity in its season": ("pop_pct", "log_members", "log_scored_by"),
    "growth in members since the previous snapshot": ("members_growth", "growth_missing"),
    "score": ("score_pct", "score_missing"),
    "source material left": ("src_linked", "src_finished", "src_years", "src_volumes_left",
                             "src_left_ratio"),
    "kind of source": ("src_manga", "src_light_novel", "src_novel", "src_game",
                       "src_original", "src_other"),
    "seasons and episodes so far": ("installment", "is_part", "series_cours", "cours",
                                    "log_episodes"),
    "the studio's record of sequels": ("studio_rate",),
    "home-video sales": ("log_sales", "sales_missing", "sales_unknown"),
    "side stories and spin-offs listed": ("side_stories", "relations_unknown"),
    "when it aired": ("end_year",),
    "format (TV or web)": ("is_ona",),
}
#: the last year the home-video sales data cover (sales_2020)
SALES_DATA_END = 2020
_COMPARE = ("pop_pct", "score_pct", "src_left_ratio", "src_finished", "installment",
            "log_members")


def _describe(group: str, row: pd.Series) -> str:
    if group == "popularity in its season":
        return f"more members than {row['pop_pct']:.0%} of the shows that started that year"
    if group == "score":
        return ("no score yet" if row["score_missing"] else
                f"scored above {row['score_pct']:.0%} of its year's shows")
    if group == "source material left":
        if not row["src_linked"]:
            return "no source work linked"
        # The model's own estimate of volumes left (cours × a fixed rate) is a feature, not
        # a fact to print: the outlook words source left from known counts and claims.
        return "source finished" if row["src_finished"] else "source still running"
    if group == "seasons and episodes so far":
        part = ", a later part of a split season" if row.get("is_part", 0) else ""
        return f"season {row['installment']:.0f}{part}, {row['series_cours']:.0f} cours in all"
    if group == "the studio's record of sequels":
        return f"{row['studio_rate']:.0%} of the studio's recent shows got a next season"
    if group == "home-video sales":
        if row.get("sales_unknown", 0):
            return f"no sales data after {SALES_DATA_END}"
        return ("no sales figure" if row["sales_missing"] else
                f"{np.expm1(row['log_sales']):.1f}k discs per volume")
    if group == "side stories and spin-offs listed":
        return ("no relation data after January 2021" if row.get("relations_unknown", 0)
                else f"{row['side_stories']:.0f} listed")
    if group == "growth in members since the previous snapshot":
        return ("no earlier snapshot" if row["growth_missing"] else
                f"members ×{np.exp(row['members_growth']):.1f}")
    if group == "when it aired":
        return f"ended {2000 + row['end_year']:.0f}"
    return ""


def factors_for(fitted: Fitted, X: pd.DataFrame, elapsed: np.ndarray,
                top: int = 6) -> list[list[Factor]]:
    """The factors of every row of ``X`` (one batch prediction per feature group)."""
    typical = fitted.X_train.median()
    base = fitted.model.predict_within(X, elapsed, [3.0])[:, 0]
    effects = {}
    for group, cols in FACTOR_GROUPS.items():
        alt = X.copy()
        alt.loc[:, list(cols)] = np.tile(typical[list(cols)].to_numpy(), (len(X), 1))
        effects[group] = base - fitted.model.predict_within(alt, elapsed, [3.0])[:, 0]
    out = []
    for i in range(len(X)):
        row = X.iloc[i]
        fs = [Factor(g, float(e[i]), _describe(g, row)) for g, e in effects.items()
              if abs(e[i]) >= 0.0005]
        fs.sort(key=lambda f: -abs(f.effect))
        out.append(fs[:top])
    return out


def comparables_for(conn: Conn, fitted: Fitted, X: pd.DataFrame,
                    k: int = 5) -> list[list[Comparable]]:
    """Five comparable shows for every row of ``X``, nearest first."""
    spells = fitted.spells
    known = ((spells["event"] == 1) | (spells["duration"] >= 3.0)).to_numpy()
    pool = fitted.X_train[known]
    cols = list(_COMPARE)
    scale = fitted.X_train[cols].std().replace(0, 1).to_numpy()
    src_cols = list(FACTOR_GROUPS["kind of source"])
    P = pool[cols].to_numpy() / scale
    Psrc = pool[src_cols].to_numpy()
    ids = pool.index.to_numpy()
    picks: list[np.ndarray] = []
    for start in range(0, len(X), 512):
        chunk = X.iloc[start:start + 512]
        Q = chunk[cols].to_numpy() / scale
        d = ((Q[:, None, :] - P[None, :, :]) ** 2).sum(axis=2)
        same = (chunk[src_cols].to_numpy()[:, None, :] == Psrc[None, :, :]).all(axis=2)
        d = d + np.where(same, 0.0, 4.0)
        d[chunk.index.to_numpy()[:, None] == ids[None, :]] = np.inf  # never itself
        # the k nearest in the order a stable sort of each row gives (ties: the lower
        # index), without sorting whole rows: only those within the k-th distance
        kk = min(k, d.shape[1])
        if kk == 0:
            picks.extend(np.empty((len(d), 0), dtype=int))
            continue
        kth = np.partition(d, kk - 1, axis=1)[:, kk - 1]
        for row, limit in zip(d, kth, strict=True):
            near = np.flatnonzero(row <= limit)
            picks.append(near[np.argsort(row[near], kind="stable")][:kk])
    wanted = sorted({int(ids[j]) for row in picks for j in row})
    titles: dict[int, str] = {}
    for i in range(0, len(wanted), 900):
        part = wanted[i:i + 900]
        titles.update(anime_titles(conn, part))
    as_of = pd.Timestamp(fitted.as_of)
    said: dict[int, Comparable] = {}  # one record per comparable show, shared by the rows
    for m in wanted:
        event = int(spells.at[m, "event"]) == 1
        duration = float(spells.at[m, "duration"])
        ended = as_of - pd.Timedelta(days=float(spells.at[m, "followup"]) * 365.25)
        outcome = (f"next season {duration:.1f} years after it ended" if event else
                   f"no new season in the {duration:.1f} years to {fitted.as_of}")
        said[m] = Comparable(m, titles.get(m, str(m)), ended.date().isoformat(), outcome,
                             duration if event else None)
    return [[said[int(ids[j])] for j in row] for row in picks]


def forecast_show(conn: Conn, mal_id: int, as_of: str | None = None,
                  model: str = DEFAULT_MODEL) -> ShowForecast:
    """The forecast for the series ``mal_id`` belongs to, with factors and comparables."""
    as_of = parse_as_of(conn, as_of)
    ds = build_dataset(conn, as_of)
    ds = drop_announced(conn, ds, only=[ds.latest_of.get(mal_id, mal_id)])
    title = anime_title(conn, mal_id)
    if title is None:
        raise NotFoundError(f"no anime with MAL id {mal_id}")
    latest = ds.latest_of.get(mal_id, mal_id)
    target = latest if latest in ds.frame.index else None
    if target is None:
        reason = ds.ineligible.set_index("mal_id")["reason"].get(latest)
        return ShowForecast(mal_id, title, as_of, model, False,
                            reason or "not a TV/ONA series in the catalogue at that date")
    fitted = fit_at(conn, as_of, model)
    one = _subset(ds, target)
    row = predict_rows(fitted, one).iloc[0]
    probs = {k: float(row[k]) for k in (*HORIZONS, "p_ever")}
    elapsed = float(one.frame["elapsed"].iloc[0])
    return ShowForecast(
        target, str(one.frame["title"].iloc[0]), as_of, model, True, "",
        ended=str(row["ended"]), years_since_end=float(row["years_since_end"]),
        probabilities=probs, factors=factors_for(fitted, one.X, np.array([elapsed]))[0],
        comparables=comparables_for(conn, fitted, one.X)[0])


def _subset(ds: Any, mal_id: int) -> Any:
    from .dataset import Dataset

    return Dataset(ds.as_of, ds.frame.loc[[mal_id]], ds.X.loc[[mal_id]], ds.ineligible,
                   ds.latest_of)
