"""The backtest: forecasts made at past dates, scored against what really happened.

For each origin (2018-06-30, features from the 2018 snapshot; 2021-01-24, features from the
2021 snapshot) every model is trained on :func:`~.dataset.training_spells` at that origin —
only what was observable then — and predicts, for every series eligible at the origin, the
chance that its next TV/ONA season premieres within each horizon. Outcomes come from all the
data (to the newest snapshot). Scores are computed by the tool itself, each model beside the
Kaplan–Meier baseline and three simple references.

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

from .dataset import build_dataset, data_end, label_outcomes, outcome_by, training_spells
from .metrics import concordance, reliability_table, score_binary
from .models import MODEL_NAMES, make_model
from .references import REFERENCES

__all__ = ["Origin", "Horizon", "ScoreRow", "BacktestResult", "run_backtest",
           "default_origins", "MODEL_PARAMS", "RECENT_YEARS"]

#: constructor arguments of each model in the backtest and in forecasts
MODEL_PARAMS: dict[str, dict[str, Any]] = {"km": {"cohort": "installment"}}
#: the members of the "ensemble" model (an equal-weight average of their forecasts)
ENSEMBLE = ("cure", "gbm")
#: the "recent" subset: series whose latest season ended at most this many years before
RECENT_YEARS = 3.0


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
    subset: str  # all | recent
    model: str
    kind: str  # baseline | model | reference
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


@dataclass
class BacktestResult:
    rows: list[ScoreRow]
    reliability: dict[str, dict[str, pd.DataFrame]]  # origin → model → table (main horizon)
    counts: dict[str, dict[str, int]]
    default_model: str
    seconds: float
    #: the horizon the default model is chosen on: "by" the data's end
    main_horizon: str
    #: origin → share of series (eligible, or left out only for want of an end date) forecast
    coverage: dict[str, float] = field(default_factory=dict)

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
    models: tuple[str, ...] = MODEL_NAMES,
    progress: Callable[[str], None] = lambda msg: None,
) -> BacktestResult:
    t0 = time.perf_counter()
    end = data_end(conn)
    complete = conn.execute(
        "SELECT max(as_of) FROM snapshot s WHERE kind = 'catalogue' AND EXISTS"
        " (SELECT 1 FROM relation r WHERE r.snapshot_id = s.id)").fetchone()[0] or end
    origins = origins or default_origins(end)
    main_horizon = f"by {end[:7]}"
    rows: list[ScoreRow] = []
    ref_names = {r.name for r in REFERENCES}
    reliability: dict[str, dict[str, pd.DataFrame]] = {}
    counts: dict[str, dict[str, int]] = {}
    coverage: dict[str, float] = {}
    for origin in origins:
        progress(f"origin {origin.as_of}: building the training and test sets")
        X_train, spells = training_spells(conn, origin.as_of)
        ds = build_dataset(conn, origin.as_of)
        labels = label_outcomes(conn, ds.frame)
        already = labels["next_start"] <= pd.Timestamp(origin.as_of)
        keep = ~already.to_numpy()
        X_test, test = ds.X[keep], labels[keep]
        elapsed = test["elapsed"].to_numpy()
        counts[origin.as_of] = {
            "train_spells": len(spells), "train_events": int(spells["event"].sum()),
            "eligible": len(ds.X), "excluded": int(already.sum()), "scored": int(keep.sum()),
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
        recent = elapsed <= RECENT_YEARS
        preds: dict[str, dict[str, np.ndarray]] = {}
        for name in models:
            progress(f"origin {origin.as_of}: fitting {name}")
            model = make_model(name, **MODEL_PARAMS.get(name, {}))
            model.fit(X_train, spells["duration"], spells["event"], spells["entry"])
            p = model.predict_within(X_test, elapsed, [y for *_, y in horizons])
            preds[name] = {lab: p[:, i] for i, (lab, *_r) in enumerate(horizons)}
        if all(m in preds for m in ENSEMBLE):
            preds["ensemble"] = {lab: np.mean([preds[m][lab] for m in ENSEMBLE], axis=0)
                                 for lab, *_r in horizons}
        for ref in REFERENCES:
            progress(f"origin {origin.as_of}: reference {ref.name}")
            preds[ref.name] = {lab: ref(y).fit(X_train, spells).predict(X_test, elapsed)
                               for lab, _u, y in horizons}
        labels_ = [lab for lab, *_ in horizons]
        main = main_horizon if main_horizon in labels_ else labels_[-1]
        reliability[origin.as_of] = {}
        for name, by_h in preds.items():
            kind = ("baseline" if name == "km" else "reference" if name in ref_names
                    else "model")
            risk = by_h[horizons[-1][0]]
            c_all = concordance(wait, observed.astype(int), risk)
            for lab, _u, _y in horizons:
                known = np.isfinite(ys[lab])
                for subset, mask in (("all", known), ("recent", known & recent)):
                    s = score_binary(ys[lab][mask].astype(int), by_h[lab][mask])
                    rows.append(ScoreRow(
                        origin.as_of, lab, subset, name, kind, s["n"], s["events"],
                        s["base_rate"], s["mean_predicted"], s["auc"], s["brier"],
                        s["brier_skill"], s["log_loss"], s["ici"],
                        c_all if subset == "all" else concordance(
                            wait[mask], observed[mask].astype(int), risk[mask])))
            known = np.isfinite(ys[main])
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
    candidates = table[(table["kind"] == "model") & (table["subset"] == "all")
                       & (table["horizon"] == main_horizon)]
    default = (candidates.groupby("model")["brier_skill"].mean().idxmax()
               if not candidates.empty else models[0])
    return BacktestResult(rows, reliability, counts, str(default),
                          time.perf_counter() - t0, main_horizon, coverage)
