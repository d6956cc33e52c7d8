"""Simple references every model is shown beside (they predict one horizon at a time).

* :class:`PopularityOnly` — a logistic curve on the popularity percentile alone;
* :class:`FanRule` — the fan-article rule: "source material left AND popular ⇒ likely",
  with the share of each group that got a new season as its probability;
* :class:`PlainLogistic` — a plain logistic regression on all the origin's features.

Each learns "a new season within the next ``h`` years" as a plain binary classifier. Its
training rows are *looks* at the training spells: at 0, 1, 2, ... years after a season
ended, while no new season had come yet, labelled 1 if one came within ``h`` years of that
look. Only looks whose whole ``h``-year window lies inside the training data are used,
whatever their outcome (keeping a look because its event came early would inflate the
rate for recent shows). The plain logistic regression also sees the years already waited; popularity
alone and the fan rule see only what their names say.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from .base import NotFittedError

__all__ = ["REFERENCES", "PopularityOnly", "FanRule", "PlainLogistic", "binary_target"]

#: popular = top quarter of its start-year cohort
POPULAR_PCT = 0.75


#: looks are taken every this many years after the end, up to MAX_LOOK
LOOK_STEP, MAX_LOOK = 1.0, 30.0


def binary_target(spells: pd.DataFrame, h: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(rows, elapsed, y)``: the looks usable for an ``h``-year label (see the module).

    Rows with an ``entry`` above 0 are already looks (:func:`~.landmark.landmark_rows`): each
    is used as it is, at ``elapsed = entry``. Rows that all enter at 0 are whole spells, looked
    at every :data:`LOOK_STEP` years.
    """
    duration = spells["duration"].to_numpy()
    event = spells["event"].to_numpy()
    followup = spells["followup"].to_numpy() if "followup" in spells else duration
    entry = spells["entry"].to_numpy() if "entry" in spells else np.zeros(len(duration))
    if (entry > 0).any():
        idx = np.flatnonzero(followup >= entry + h)
        y = ((event[idx] == 1) & (duration[idx] <= entry[idx] + h)).astype(int)
        return idx, entry[idx], y
    rows, looks, ys = [], [], []
    for t0 in np.arange(0.0, MAX_LOOK, LOOK_STEP):
        at_risk = duration > t0
        hit = at_risk & (event == 1) & (duration <= t0 + h)
        known = at_risk & (followup >= t0 + h)
        idx = np.flatnonzero(known)
        rows.append(idx)
        looks.append(np.full(len(idx), t0))
        ys.append(hit[idx].astype(int))
    return np.concatenate(rows), np.concatenate(looks), np.concatenate(ys)


class _Reference:
    name = "reference"

    def __init__(self, h: float) -> None:
        self.h = h

    def fit(self, X: pd.DataFrame, spells: pd.DataFrame) -> _Reference:
        rows, elapsed, y = binary_target(spells, self.h)
        self._fit(X.iloc[rows].reset_index(drop=True), elapsed, y)
        return self

    def _fit(self, X: pd.DataFrame, elapsed: np.ndarray, y: np.ndarray
             ) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def predict(self, X: pd.DataFrame, elapsed: np.ndarray
                ) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError


class PopularityOnly(_Reference):
    name = "popularity only"

    def _fit(self, X: pd.DataFrame, elapsed: np.ndarray, y: np.ndarray) -> None:
        self.model_ = LogisticRegression().fit(X[["pop_pct"]].to_numpy(), y)

    def predict(self, X: pd.DataFrame, elapsed: np.ndarray) -> np.ndarray:
        if not hasattr(self, "model_"):
            raise NotFittedError("fit first")
        return self.model_.predict_proba(X[["pop_pct"]].to_numpy())[:, 1]


class FanRule(_Reference):
    name = "fan rule"

    @staticmethod
    def likely(X: pd.DataFrame) -> np.ndarray:
        return ((X["src_volumes_left"] > 0) & (X["pop_pct"] >= POPULAR_PCT)).to_numpy()

    def _fit(self, X: pd.DataFrame, elapsed: np.ndarray, y: np.ndarray) -> None:
        likely = self.likely(X)
        self.p_likely_ = float(y[likely].mean()) if likely.any() else float(y.mean())
        self.p_other_ = float(y[~likely].mean()) if (~likely).any() else float(y.mean())

    def predict(self, X: pd.DataFrame, elapsed: np.ndarray) -> np.ndarray:
        if not hasattr(self, "p_likely_"):
            raise NotFittedError("fit first")
        return np.where(self.likely(X), self.p_likely_, self.p_other_)


class PlainLogistic(_Reference):
    name = "plain logistic"

    @staticmethod
    def _design(X: pd.DataFrame, elapsed: np.ndarray) -> np.ndarray:
        return np.column_stack([X.to_numpy(dtype=float), np.log1p(elapsed)])

    def _fit(self, X: pd.DataFrame, elapsed: np.ndarray, y: np.ndarray) -> None:
        self.model_ = make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000)).fit(
            self._design(X, elapsed), y)

    def predict(self, X: pd.DataFrame, elapsed: np.ndarray) -> np.ndarray:
        if not hasattr(self, "model_"):
            raise NotFittedError("fit first")
        return self.model_.predict_proba(self._design(X, np.asarray(elapsed)))[:, 1]


REFERENCES = (PopularityOnly, FanRule, PlainLogistic)
