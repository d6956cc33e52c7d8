"""Discrete-time hazard: a classifier of "sequel in the next ``step`` years, given none yet"."""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import SplineTransformer, StandardScaler
from threadpoolctl import threadpool_limits

from .base import EVER_YEARS, SurvivalModel, check_fit_inputs
from .models_common import feature_matrix

__all__ = ["DiscreteTimeHazard", "gbm_threads", "person_periods"]

#: the name of the added time feature (years since the end at the interval's start)
TIME_FEATURE = "__interval_start__"

GBM_DEFAULTS: dict[str, Any] = dict(
    max_depth=3, learning_rate=0.05, max_iter=200, l2_regularization=1.0,
    min_samples_leaf=100, early_stopping=False, random_state=0,
)
LOGISTIC_DEFAULTS: dict[str, Any] = dict(C=1.0, max_iter=2000)


def gbm_threads() -> int:
    """OpenMP threads for the boosted trees: the cores this process may use that other work
    does not keep busy, at least one.

    On a quiet 2-core machine, two threads cut the build's forecasting step from 29.8 s to
    24.1 s wall for the same CPU time and the same forecasts; on a loaded one, OpenMP's
    waiting threads spin — measured on the 2021 landmark looks, one thread fitted in 11.7 CPU
    seconds, two in 44.6. The 1-minute load average, less this process's own one, tells
    which. The trees (and so the forecasts) do not depend on the count.
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    try:
        others = max(0.0, os.getloadavg()[0] - 1.0)
    except OSError:  # no load average: be careful
        return 1
    return max(1, min(cores, int(cores - others + 0.5)))


def person_periods(duration: np.ndarray, event: np.ndarray, entry: np.ndarray, step: float,
                   max_years: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Expand rows into at-risk intervals ``(row, start, label, weight)``.

    A row is at risk from its ``entry`` (not from 0: left truncation) to ``min(duration,
    max_years)``, cut into ``step``-long intervals that start at ``entry``. The label is 1 in
    the interval holding the event. A censored, partly covered last interval is weighted by the
    fraction covered (the actuarial "half an interval" rule, made exact).
    """
    stop = np.minimum(duration, max_years)
    span = np.where(entry < stop, stop - entry, 0.0)
    m = np.ceil(span / step - 1e-9).astype(np.int64)
    rows = np.repeat(np.arange(len(duration)), m)
    first = np.repeat(np.cumsum(m) - m, m)
    k = np.arange(len(rows)) - first
    start = entry[rows] + k * step
    last = k == m[rows] - 1
    label = (last & (event[rows] == 1) & (duration[rows] <= max_years)).astype(int)
    frac = np.minimum((stop[rows] - start) / step, 1.0)
    weight = np.where(last & (label == 0), frac, 1.0)
    return rows, start, label, weight


class _Bagged:
    """Classifiers fitted on different draws of the negatives; their probabilities averaged."""

    def __init__(self, members: list[Any]) -> None:
        self.members = members

    def predict_proba(self, A: np.ndarray) -> np.ndarray:
        return np.mean([m.predict_proba(A) for m in self.members], axis=0)


class DiscreteTimeHazard(SurvivalModel):
    """P(event in ``[t, t + step)`` | at risk at ``t``, x) from a scikit-learn classifier.

    ``classifier="gbm"``: HistGradientBoostingClassifier (shallow, slow-learning, L2);
    ``"logistic"``: standardised features plus a cubic spline in time, LogisticRegression.
    ``**params`` override the classifier's defaults.

    ``negatives`` (0 < share ≤ 1): keep this share of the person-periods without an event,
    drawn at random (seeded by ``seed``, so a fit is repeatable), each weighted by
    ``1 / negatives``; every event is kept. The weighted loss is the full one in expectation,
    and the fit is that much cheaper: events are rare (about 2 % of person-periods), so the
    negatives carry the cost, not the information. A different ``seed`` draws other
    negatives: ``bench_forecast.py --seeds`` shows how much the scores move with it.

    ``S(t|x)`` multiplies ``1 - h_j(x)`` over the intervals ``[j*step, (j+1)*step)`` before ``t``;
    inside an interval the hazard is taken linearly in the fraction covered. Past
    ``horizon_`` — the last time observed in training, at most ``max_years`` — the curve is
    **flat**: no extrapolation (a classifier would carry its last hazard on for ever), so
    ``predict_ever`` means "within the span the data covers", as for the Kaplan–Meier and Cox
    curves.
    """

    name = "discrete_time"

    def __init__(self, classifier: str = "gbm", step: float = 0.5,
                 max_years: float = EVER_YEARS, negatives: float = 1.0, bags: int = 1,
                 seed: int = 0, **params: Any) -> None:
        self.classifier = classifier
        self.step = step
        self.max_years = max_years
        self.negatives = negatives
        self.bags = bags
        self.seed = seed
        self.params = params

    def _make_classifier(self, features: list[str]) -> Any:
        if self.classifier == "gbm":
            return HistGradientBoostingClassifier(**{**GBM_DEFAULTS, **self.params})
        if self.classifier == "logistic":
            prep = ColumnTransformer([
                ("time", SplineTransformer(n_knots=5, degree=3, extrapolation="constant"), [0]),
                ("x", StandardScaler(), list(range(1, len(features) + 1))),
            ])
            return Pipeline([("prep", prep),
                             ("clf", LogisticRegression(**{**LOGISTIC_DEFAULTS, **self.params}))])
        raise ValueError(f"classifier must be 'gbm' or 'logistic', not {self.classifier!r}")

    def fit(self, X: pd.DataFrame, duration: Any, event: Any, entry: Any | None = None
            ) -> DiscreteTimeHazard:
        d, e, s = check_fit_inputs(X, duration, event, entry)
        if not (self.step > 0 and self.max_years > 0):
            raise ValueError("step and max_years must be > 0")
        if not 0 < self.negatives <= 1:
            raise ValueError(f"negatives must be in (0, 1], not {self.negatives}")
        features = [str(c) for c in X.columns]
        rows, start, label, weight = person_periods(d, e, s, self.step, self.max_years)
        if len(np.unique(label)) < 2:
            raise ValueError(
                "DiscreteTimeHazard needs events and non-events within max_years "
                f"({int(label.sum())} events in {len(label)} person-periods)"
            )
        values = X.to_numpy(dtype=float)
        members = []
        for bag in range(self.bags if self.negatives < 1 else 1):
            r, t, lab, w = rows, start, label, weight
            if self.negatives < 1:
                rng = np.random.default_rng(self.seed + bag)
                keep = (label == 1) | (rng.random(len(label)) < self.negatives)
                r, t, lab = rows[keep], start[keep], label[keep]
                w = np.where(lab == 1, weight[keep], weight[keep] / self.negatives)
            A = np.column_stack([t, values[r]])
            fit_kw = {"clf__sample_weight": w} if self.classifier == "logistic" else {
                "sample_weight": w}
            clf = self._make_classifier(features)
            with threadpool_limits(limits=gbm_threads(), user_api="openmp"):
                clf.fit(A, lab, **fit_kw)
            members.append(clf)
        self.features_ = features
        self.horizon_ = float(min(self.max_years, d.max()))
        self.classifier_ = members[0] if len(members) == 1 else _Bagged(members)
        self.n_person_periods_ = len(label)
        return self

    def hazards(self, X: pd.DataFrame, n_intervals: int) -> np.ndarray:
        """``h_j(x)`` for the first ``n_intervals`` intervals: an array ``(n, n_intervals)``."""
        self._check_fitted()
        A = feature_matrix(X, self.features_, "DiscreteTimeHazard")
        starts = np.arange(n_intervals) * self.step
        h = np.empty((len(A), n_intervals))
        chunk = max(1, 200_000 // n_intervals)  # bound memory: ~200k person-periods at a time
        threads = gbm_threads()
        for lo in range(0, len(A), chunk):
            part = A[lo : lo + chunk]
            grid = np.column_stack(
                [np.tile(starts, len(part)), np.repeat(part, n_intervals, axis=0)])
            with threadpool_limits(limits=threads, user_api="openmp"):
                p = self.classifier_.predict_proba(grid)[:, 1]
            h[lo : lo + chunk] = p.reshape(len(part), n_intervals)
        return np.clip(h, 0.0, 1.0)

    def _survival(self, X: pd.DataFrame, times: np.ndarray) -> np.ndarray:
        """``S(t | x)`` up to a per-row factor: only the ratios the contract uses are exact.

        Each row needs hazards only for the intervals between its earliest and latest
        requested time, so hazards are predicted for that window alone (a show that ended 20
        years ago needs 6 intervals for a 3-year horizon, not 46); the survival before the
        window is a common factor of the row and cancels in ``S(e + h) / S(e)``.
        """
        self._check_fitted()
        t = np.minimum(np.asarray(times, dtype=float), self.horizon_)
        lo = np.floor(t.min(axis=1) / self.step + 1e-12).astype(int)
        hi = np.ceil(t.max(axis=1) / self.step - 1e-9).astype(int)
        m = max(1, int((hi - lo).max()))
        A = feature_matrix(X, self.features_, "DiscreteTimeHazard")
        h = np.empty((len(A), m))
        chunk = max(1, 200_000 // m)  # bound memory: ~200k person-periods at a time
        offsets = np.arange(m)
        threads = gbm_threads()
        for first in range(0, len(A), chunk):
            part = slice(first, first + chunk)
            starts = ((lo[part, None] + offsets[None, :]) * self.step).reshape(-1)
            grid = np.column_stack([starts, np.repeat(A[part], m, axis=0)])
            with threadpool_limits(limits=threads, user_api="openmp"):
                h[part] = self.classifier_.predict_proba(grid)[:, 1].reshape(-1, m)
        h = np.clip(h, 0.0, 1.0 - 1e-12)
        log_s = np.concatenate([np.zeros((len(h), 1)), np.cumsum(np.log1p(-h), axis=1)], axis=1)
        whole = np.floor(t / self.step + 1e-12).astype(int)
        j = np.clip(whole - lo[:, None], 0, m)
        frac = np.clip(t / self.step - whole, 0.0, 1.0)
        rows = np.arange(len(h))[:, None]
        h_part = np.where(j < m, h[rows, np.minimum(j, m - 1)], 0.0)
        return np.exp(log_s[rows, j]) * (1.0 - frac * h_part)
