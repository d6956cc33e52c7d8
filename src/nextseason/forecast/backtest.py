"""The backtest: forecasts made at past dates, scored against what really happened.

For each origin (2018-06-30, features from the 2018 snapshot; 2021-01-24, features from the
2021 snapshot) every model is trained on the landmark looks
(:func:`~.landmark.landmark_rows`) of :func:`~.dataset.training_spells` at that origin —
only what was observable then, and only looks at series with nothing announced, like the
series a forecast is made for — and predicts, for every series eligible at the origin, the
chance that its next TV/ONA season premieres within each horizon. Outcomes come from all the
data (to the newest snapshot). Scores are computed by the tool itself, each model beside the
Kaplan–Meier baseline and three simple references, beside ``ensemble v1``: the same
ensemble trained the old way (whole spells from each season's end, announced or not), so
that the change is measured on the same series, and beside the ensemble with (or without)
the recalibration learned on the past (:mod:`.calibrate`), whichever the default does not
use.

Scores are given for three populations: ``primary`` (the latest season ended at most
:data:`PRIMARY_YEARS` years before the origin: the shows users ask about), ``recent`` (at
most :data:`RECENT_YEARS`) and ``all``. On the main horizon every AUC, Brier skill and ICI
has a 95 % bootstrap interval, and every row a paired-bootstrap probability that the
default model beats it.

Rows whose chain the newer data links differently (their "next" season had already
premiered by the origin, but the origin's relations did not say so) cannot be scored and are
counted as ``excluded``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from ..store.snapshots import newest_relation_date
from .calibrate import LAG_YEARS, Recalibration, fit_recalibration
from .dataset import build_dataset, data_end, label_outcomes, outcome_by, training_spells
from .defaults import DEFAULT_MODEL, RECALIBRATE
from .ensemble import EnsembleModel
from .landmark import LandmarkModel, landmark_rows
from .metrics import (
    bootstrap_intervals,
    concordance,
    paired_bootstrap,
    reliability_table,
    score_binary,
)
from .models import make_model
from .references import REFERENCES

__all__ = ["Origin", "Horizon", "ScoreRow", "BacktestResult", "run_backtest",
           "default_origins", "MODEL_PARAMS", "RECENT_YEARS", "PRIMARY_YEARS",
           "BACKTEST_MODELS", "SUBSETS"]

#: constructor arguments of each model in the backtest and in forecasts (the baseline: one
#: Kaplan–Meier curve per band of years since the end; the boosted hazard in one-year steps,
#: which halves the landmark looks' person-periods)
MODEL_PARAMS: dict[str, dict[str, Any]] = {"km": {"cohort": "elapsed_band"},
                                           "gbm": {"step": 1.0}}
#: the members of the "ensemble" model (an equal-weight average of their forecasts)
ENSEMBLE = ("cure", "gbm")
#: the models the backtest fits by default (``cox`` and ``logistic_dt`` on request)
BACKTEST_MODELS: tuple[str, ...] = ("km", "cure", "gbm")
#: the ensemble with the recalibration the default does not use (see ``RECALIBRATE``)
OTHER_CALIBRATION = ("ensemble, not recalibrated" if RECALIBRATE
                     else "ensemble, recalibrated")
#: the primary population: series whose latest season ended at most this many years before
PRIMARY_YEARS = 5.0
#: the "recent" subset: series whose latest season ended at most this many years before
RECENT_YEARS = 3.0
#: the populations scored, the primary first
SUBSETS = ("primary", "recent", "all")


@dataclass(frozen=True)
class Horizon:
    label: str
    until: str  # ISO date


@dataclass(frozen=True)
class Origin:
    as_of: str
    horizons: tuple[Horizon, ...]


@dataclass
class ScoreRow:
    origin: str
    horizon: str
    subset: str  # primary | recent | all
    model: str
    kind: str  # baseline | model | reference | previous | candidate
    n: int
    events: int
    base_rate: float
    mean_predicted: float
    auc: float
    brier: float
    brier_skill: float
    log_loss: float
    ici: float
    concordance: float
    # main horizon only (else nan): 95 % bootstrap intervals, and the paired-bootstrap
    # probability that the default model beats this row (lower Brier, higher AUC)
    auc_lo: float = float("nan")
    auc_hi: float = float("nan")
    brier_skill_lo: float = float("nan")
    brier_skill_hi: float = float("nan")
    ici_lo: float = float("nan")
    ici_hi: float = float("nan")
    p_default_better_brier: float = float("nan")
    p_default_better_auc: float = float("nan")


@dataclass
class BacktestResult:
    rows: list[ScoreRow]
    # origin → model → table (main horizon, primary population)
    reliability: dict[str, dict[str, pd.DataFrame]]
    counts: dict[str, dict[str, int]]
    default_model: str
    seconds: float
    #: the horizon the default model is chosen on: "by" the data's end
    main_horizon: str
    #: origin → share of series (eligible, or left out only for want of an end date) forecast
    coverage: dict[str, float] = field(default_factory=dict)
    #: origin → the recalibration the default model applied there (learned on the past)
    calibrations: dict[str, Recalibration] = field(default_factory=dict)

    def table(self) -> pd.DataFrame:
        return pd.DataFrame([vars(r) for r in self.rows])


def _plus_years(iso: str, years: int) -> str:
    return (pd.Timestamp(iso) + pd.DateOffset(years=years)).date().isoformat()


def default_origins(end: str) -> tuple[Origin, ...]:
    """The two origins of the issue, with 1-, 2- and 3-year horizons and "by" the data's end."""
    out = []
    for as_of in ("2018-06-30", "2021-01-24"):
        hs = [Horizon(f"{y}y", _plus_years(as_of, y)) for y in (1, 2, 3)]
        if as_of < "2021-01-24":
            hs.append(Horizon("by 2021-01", "2021-01-24"))
        hs.append(Horizon(f"by {end[:7]}", end))
        out.append(Origin(as_of, tuple(hs)))
    return tuple(out)


def _years(a: str, b: str) -> float:
    return (date.fromisoformat(b) - date.fromisoformat(a)).days / 365.25


def run_backtest(
    conn: Any,
    *,
    origins: tuple[Origin, ...] | None = None,
    models: tuple[str, ...] = BACKTEST_MODELS,
    previous: bool = True,
    recalibrate: bool = True,
    n_boot: int | None = None,
    progress: Callable[[str], None] = lambda msg: None,
) -> BacktestResult:
    """Score ``models`` (plus the ensemble of :data:`ENSEMBLE` when both are fitted, the
    references and, with ``previous``, the old way of training) at every origin."""
    from .metrics import N_BOOTSTRAP

    t0 = time.perf_counter()
    n_boot = N_BOOTSTRAP if n_boot is None else n_boot
    end = data_end(conn)
    complete = newest_relation_date(conn, catalogue_only=True) or end
    origins = origins or default_origins(end)
    main_horizon = f"by {end[:7]}"
    rows: list[ScoreRow] = []
    ref_names = {r.name for r in REFERENCES}
    reliability: dict[str, dict[str, pd.DataFrame]] = {}
    counts: dict[str, dict[str, int]] = {}
    coverage: dict[str, float] = {}
    calibrations: dict[str, Recalibration] = {}
    for origin in origins:
        progress(f"origin {origin.as_of}: building the training and test sets")
        X_spells, spells = training_spells(conn, origin.as_of)
        X_train, looks = landmark_rows(X_spells, spells)
        ds = build_dataset(conn, origin.as_of)
        labels = label_outcomes(conn, ds.frame)
        already = labels["next_start"] <= pd.Timestamp(origin.as_of)
        keep = ~already.to_numpy()
        X_test, test = ds.X[keep], labels[keep]
        elapsed = test["elapsed"].to_numpy()
        counts[origin.as_of] = {
            "train_spells": len(spells), "train_events": int(spells["event"].sum()),
            "train_looks": len(looks), "train_look_events": int(looks["event"].sum()),
            "eligible": len(ds.X), "excluded": int(already.sum()), "scored": int(keep.sum()),
            "primary": int((elapsed <= PRIMARY_YEARS).sum()),
            "not_eligible": len(ds.ineligible),
        }
        horizons = [(h.label, h.until, _years(origin.as_of, h.until)) for h in origin.horizons]
        ys = {lab: outcome_by(test, origin.as_of, until, complete)
              for lab, until, _ in horizons}
        counts[origin.as_of]["undated_sequels"] = int(test["undated_sequel"].notna().sum())
        # time from the origin to the next season, censored at the data's end
        wait = ((test["next_start"] - pd.Timestamp(origin.as_of)).dt.days / 365.25).to_numpy()
        observed = np.isfinite(wait) & (wait > 0)
        wait = np.where(observed, wait, _years(origin.as_of, end))
        masks = {"primary": elapsed <= PRIMARY_YEARS, "recent": elapsed <= RECENT_YEARS,
                 "all": np.ones(len(elapsed), dtype=bool)}
        preds: dict[str, dict[str, np.ndarray]] = {}
        hs = [y for *_, y in horizons]
        for name in models:
            progress(f"origin {origin.as_of}: fitting {name}")
            model = LandmarkModel(name, MODEL_PARAMS.get(name, {}))
            model.fit(X_train, looks["duration"], looks["event"], looks["entry"])
            p = model.predict_within(X_test, elapsed, hs)
            preds[name] = {lab: p[:, i] for i, (lab, *_r) in enumerate(horizons)}
        if all(m in preds for m in ENSEMBLE):
            raw = {lab: np.mean([preds[m][lab] for m in ENSEMBLE], axis=0)
                   for lab, *_r in horizons}
            preds["ensemble"] = raw
            if recalibrate:
                progress(f"origin {origin.as_of}: recalibration learned {LAG_YEARS:g} years"
                         " back")
                cal = fit_recalibration(
                    X_spells, spells, lambda: EnsembleModel(ENSEMBLE, landmark=True),
                    max_elapsed=PRIMARY_YEARS)
                calibrations[origin.as_of] = cal
                recal = {lab: cal.apply(p, elapsed) for lab, p in raw.items()}
                # the default is whichever RECALIBRATE says; the other is scored beside it
                preds["ensemble"], preds[OTHER_CALIBRATION] = (
                    (recal, raw) if RECALIBRATE else (raw, recal))
        if previous:
            progress(f"origin {origin.as_of}: the old way (whole spells)")
            old = [make_model(m).fit(X_spells, spells["duration"], spells["event"],
                                     spells["entry"]).predict_within(X_test, elapsed, hs)
                   for m in ENSEMBLE]
            p = np.mean(old, axis=0)
            preds["ensemble v1"] = {lab: p[:, i] for i, (lab, *_r) in enumerate(horizons)}
        for ref in REFERENCES:
            progress(f"origin {origin.as_of}: reference {ref.name}")
            preds[ref.name] = {lab: ref(y).fit(X_train, looks).predict(X_test, elapsed)
                               for lab, _u, y in horizons}
        labels_ = [lab for lab, *_ in horizons]
        main = main_horizon if main_horizon in labels_ else labels_[-1]
        best = DEFAULT_MODEL if DEFAULT_MODEL in preds else next(iter(preds))
        reliability[origin.as_of] = {}
        progress(f"origin {origin.as_of}: scores and bootstrap intervals")
        for name, by_h in preds.items():
            kind = ("baseline" if name == "km" else "reference" if name in ref_names
                    else "previous" if name == "ensemble v1"
                    else "candidate" if name == OTHER_CALIBRATION else "model")
            risk = by_h[horizons[-1][0]]
            c_all = concordance(wait, observed.astype(int), risk)
            for lab, _u, _y in horizons:
                known = np.isfinite(ys[lab])
                for subset in SUBSETS:
                    mask = known & masks[subset]
                    yy, pp = ys[lab][mask].astype(int), by_h[lab][mask]
                    s = score_binary(yy, pp)
                    row = ScoreRow(
                        origin.as_of, lab, subset, name, kind, s["n"], s["events"],
                        s["base_rate"], s["mean_predicted"], s["auc"], s["brier"],
                        s["brier_skill"], s["log_loss"], s["ici"],
                        c_all if subset == "all" else concordance(
                            wait[mask], observed[mask].astype(int), risk[mask]))
                    if lab == main and 0 < yy.sum() < len(yy):
                        ci = bootstrap_intervals(yy, pp, n_boot=n_boot)
                        row.auc_lo, row.auc_hi = ci["auc"]
                        row.brier_skill_lo, row.brier_skill_hi = ci["brier_skill"]
                        row.ici_lo, row.ici_hi = ci["ici"]
                        if name != best:
                            wins = paired_bootstrap(yy, preds[best][lab][mask], pp,
                                                    n_boot=n_boot)
                            row.p_default_better_brier = wins["brier"]
                            row.p_default_better_auc = wins["auc"]
                    rows.append(row)
            known = np.isfinite(ys[main]) & masks["primary"]
            reliability[origin.as_of][name] = reliability_table(
                ys[main][known].astype(int), by_h[main][known], bins=10)
        # coverage: series that got a forecast, out of those eligible or left out only for
        # want of data (no end date); announced and airing series are not forecast by design
        unknown_end = int((ds.ineligible["reason"] == "end date unknown").sum())
        forecast = int(np.isfinite(np.column_stack(list(preds[models[-1]].values()))).all(
            axis=1).sum()) + int(already.sum())
        counts[origin.as_of]["end_date_unknown"] = unknown_end
        coverage[origin.as_of] = forecast / max(len(ds.X) + unknown_end, 1)
    table = pd.DataFrame([vars(r) for r in rows])
    candidates = table[(table["kind"] == "model") & (table["subset"] == "primary")
                       & (table["horizon"] == main_horizon)]
    default = (candidates.groupby("model")["brier_skill"].mean().idxmax()
               if not candidates.empty else models[0])
    return BacktestResult(rows, reliability, counts, str(default),
                          time.perf_counter() - t0, main_horizon, coverage, calibrations)
