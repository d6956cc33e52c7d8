"""Recalibration learned on the past only.

A model trained at ``as_of`` is recalibrated with what its own training data say about an
earlier date, never with the outcomes it will be scored on: :func:`fit_recalibration`

1. cuts the training spells back to ``as_of - LAG_YEARS`` (:func:`censor_spells`: what had
   happened by then, announcements after it unknown),
2. fits the same kind of model on the landmark looks of those spells,
3. forecasts, for the series that were in the primary population at that earlier date (latest
   season ended at most ``max_elapsed`` years before, nothing premiered or announced), the
   chance of a premiere within ``LAG_YEARS`` — outcomes the data at ``as_of`` already know —
4. and fits a logistic recalibration of the outcomes on ``logit(p)`` and a "recently ended"
   flag (ended less than :data:`RECENT_END_YEARS` before): an intercept, a slope and one
   adjustment (:class:`Recalibration`).

:class:`Recalibrated` applies it to a model fitted on everything known at ``as_of``, at every
horizon. Features come from the ``as_of`` snapshot throughout (as for training).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import expit, logit
from sklearn.linear_model import LogisticRegression

from .base import SurvivalModel, _check_elapsed
from .landmark import landmark_rows

__all__ = ["LAG_YEARS", "RECENT_END_YEARS", "censor_spells", "Recalibration",
           "fit_recalibration", "Recalibrated"]

#: the recalibration is learned this many years before the forecast date
LAG_YEARS = 3.0
#: the "recently ended" adjustment applies to series that ended less than this before
RECENT_END_YEARS = 0.5
#: fewer events than this (in the earlier looks, or in the primary population then): no
#: recalibration (the identity)
MIN_EVENTS = 10
_EPS = 1e-4


def censor_spells(spells: pd.DataFrame, years: float) -> pd.DataFrame:
    """The spells as they stood ``years`` before their data's end: spells that had not ended
    by then are dropped, later premieres are censored, later announcements unknown."""
    f = spells["followup"].to_numpy(dtype=float) - years
    keep = f > 0
    s = spells[keep].copy()
    f = f[keep]
    d = s["duration"].to_numpy(dtype=float)
    e = s["event"].to_numpy(dtype=float)
    a = s["announced"].to_numpy(dtype=float) if "announced" in s else np.full(len(s), np.inf)
    s["event"] = ((e == 1) & (d <= f)).astype(int)
    s["duration"] = np.minimum(d, f)
    s["announced"] = np.where(a < f, a, np.inf)
    s["followup"] = f
    return s


@dataclass
class Recalibration:
    """``p' = expit(a + b·logit(p) + c·[ended < RECENT_END_YEARS ago])``."""

    intercept: float = 0.0
    slope: float = 1.0
    recent: float = 0.0
    n: int = 0
    events: int = 0

    def apply(self, p: np.ndarray, elapsed: np.ndarray) -> np.ndarray:
        p = np.asarray(p, dtype=float)
        el = np.asarray(elapsed, dtype=float).reshape(-1, *([1] * (p.ndim - 1)))
        z = logit(np.clip(p, _EPS, 1 - _EPS))
        out = expit(self.intercept + self.slope * z
                    + self.recent * (el < RECENT_END_YEARS))
        return np.where(p > 0, out, 0.0)  # "cannot happen" stays impossible

    @classmethod
    def fit(cls, p: np.ndarray, y: np.ndarray, elapsed: np.ndarray) -> Recalibration:
        y = np.asarray(y, dtype=int)
        if y.min() == y.max() or y.sum() < MIN_EVENTS:
            return cls(n=len(y), events=int(y.sum()))  # too little to learn from: identity
        z = logit(np.clip(np.asarray(p, dtype=float), _EPS, 1 - _EPS))
        A = np.column_stack([z, (np.asarray(elapsed) < RECENT_END_YEARS).astype(float)])
        lr = LogisticRegression(C=10.0, max_iter=1000).fit(A, y)
        return cls(float(lr.intercept_[0]), float(lr.coef_[0, 0]), float(lr.coef_[0, 1]),
                   len(y), int(y.sum()))


def fit_recalibration(X: pd.DataFrame, spells: pd.DataFrame,
                      make: Callable[[], SurvivalModel], *, lag: float = LAG_YEARS,
                      max_elapsed: float = 5.0, X_at: pd.DataFrame | None = None
                      ) -> Recalibration:
    """Learn a :class:`Recalibration` ``lag`` years back (see the module docstring);
    ``X_at``: features as of each landmark (:func:`~.landmark.landmark_rows`)."""
    past = censor_spells(spells, lag)
    Xp = X.loc[past.index]
    X_looks, looks = landmark_rows(Xp, past, X_at)
    if looks["event"].sum() < MIN_EVENTS:
        return Recalibration(n=0, events=int(looks["event"].sum()))  # too little: identity
    model = make().fit(X_looks, looks["duration"], looks["event"], looks["entry"])
    f = past["followup"].to_numpy()
    d = past["duration"].to_numpy()
    a = past["announced"].to_numpy()
    # in the primary population at the earlier date: not premiered, not announced, recent
    orig = spells.loc[past.index]
    pop = (d >= f) & (past["event"].to_numpy() == 0) & (a >= f) & (f <= max_elapsed)
    y = ((orig["event"].to_numpy() == 1)
         & (orig["duration"].to_numpy() <= f + lag))[pop].astype(int)
    p = model.predict_within(Xp[pop], f[pop], [lag])[:, 0]
    return Recalibration.fit(p, y, f[pop])


class Recalibrated(SurvivalModel):
    """A fitted model's forecasts passed through a :class:`Recalibration`."""

    name = "recalibrated"

    def __init__(self, model: SurvivalModel | None = None,
                 calibration: Recalibration | None = None) -> None:
        self.model = model
        self.calibration = calibration

    def fit(self, X: pd.DataFrame, duration: Any, event: Any, entry: Any | None = None
            ) -> Recalibrated:
        raise TypeError("Recalibrated wraps an already fitted model; fit that model instead")

    def _check_fitted(self) -> None:
        if self.model is None or self.calibration is None:
            from .base import NotFittedError

            raise NotFittedError("Recalibrated needs a fitted model and a calibration")

    def predict_within(self, X: pd.DataFrame, elapsed: Any, horizons: Sequence[float]
                       ) -> np.ndarray:
        self._check_fitted()
        el = _check_elapsed(X, elapsed)
        assert self.model is not None and self.calibration is not None
        return self.calibration.apply(self.model.predict_within(X, el, horizons), el)

    def predict_ever(self, X: pd.DataFrame, elapsed: Any) -> np.ndarray:
        self._check_fitted()
        el = _check_elapsed(X, elapsed)
        assert self.model is not None and self.calibration is not None
        return self.calibration.apply(self.model.predict_ever(X, el), el)
