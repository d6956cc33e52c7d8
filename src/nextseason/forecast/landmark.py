"""Landmark training: learn from looks at series exactly like the ones a forecast is made for.

A forecast is made for a series whose latest season ended ``elapsed`` years ago and whose
continuation is not announced. :func:`landmark_rows` turns each training spell (see
:func:`~.dataset.training_spells`) into such looks: one row per landmark ``L`` of
:data:`LANDMARKS` (years after the end) at which the series had been watched for ``L`` years,
its next season had not premiered, and nothing was announced (``L < announced``). Time then
runs from the landmark: the row's ``entry`` is ``L`` and its ``duration`` the years from the
end to the premiere (event) or to the data's end (censored), cut at ``L +``
:data:`FOLLOW_CAP`.

:class:`LandmarkModel` wraps any model of :mod:`.models`: it adds the years already waited as
features (``elapsed``, ``log_elapsed``, ``elapsed_band``) and fits the inner model on the time
since the landmark. Its ``predict_within(X, elapsed, horizons)`` keeps the contract of
:mod:`.base`: the chance of a premiere within ``h`` years of now for a series that ended
``elapsed`` years ago and has nothing announced.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .base import SurvivalModel, _check_elapsed, check_fit_inputs

__all__ = ["LANDMARKS", "FOLLOW_CAP", "FIGURES_AT_LOOK", "ELAPSED_BANDS", "landmark_rows",
           "LandmarkModel", "with_elapsed"]

#: the looks, in years after the end of the latest season
LANDMARKS: tuple[float, ...] = (0.0, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 7.0, 10.0,
                                15.0, 20.0)
#: a look is followed for at most this many years (every horizon scored is shorter)
FOLLOW_CAP = 7.0
#: whether a look's figures (members, score, their percentiles and growth) are taken from the
#: newest catalogue snapshot dated on or before the look, like its other features. Off: the
#: snapshots begin in June 2018, so a look before that has none (at the 2018-06-30 origin no
#: look has any, and the model cannot learn popularity at all), and on the primary
#: population it lowered the Brier skill at both origins (2021-01-24: 0.166 → 0.137;
#: 2018-06-30: 0.090 → 0.078, with every other feature as of the look and the full boosted
#: fit). The looks' figures come from the origin's snapshot instead, compared within the
#: show's start-year cohort
FIGURES_AT_LOOK = False
#: upper edges of the bands of years since the end (the baseline's cohorts)
ELAPSED_BANDS: tuple[float, ...] = (0.5, 1.0, 2.0, 3.0, 5.0, 10.0)


def landmark_rows(X: pd.DataFrame, spells: pd.DataFrame, X_at: pd.DataFrame | None = None
                  ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(X_looks, looks)``: one row per usable (spell, landmark); see the module docstring.

    ``looks`` has the columns ``duration``, ``event``, ``entry`` (the landmark), ``followup``
    (years from the end to the data's end) and ``spell`` (the spell's index label). Each
    look's features are its row of ``X_at`` (index ``(spell, landmark)``: features as of the
    landmark date, :func:`~.dataset.training_set`) when given, else the spell's row of ``X``.
    """
    d = spells["duration"].to_numpy(dtype=float)
    e = spells["event"].to_numpy(dtype=float)
    f = spells["followup"].to_numpy(dtype=float)
    a = (spells["announced"].to_numpy(dtype=float) if "announced" in spells
         else np.full(len(spells), np.inf))
    idx, marks = [], []
    for L in LANDMARKS:
        ok = np.flatnonzero((d > L) & (f > L) & (a > L))
        idx.append(ok)
        marks.append(np.full(len(ok), L))
    rows, entry = np.concatenate(idx), np.concatenate(marks)
    stop = np.minimum(d[rows], entry + FOLLOW_CAP)
    looks = pd.DataFrame({
        "duration": stop,
        "event": np.where(d[rows] <= stop, e[rows], 0.0).astype(int),
        "entry": entry,
        "followup": f[rows],
        "spell": spells.index.to_numpy()[rows],
    })
    if X_at is None:
        X_looks = X.iloc[rows].reset_index(drop=True)
    else:
        keys = pd.MultiIndex.from_arrays([looks["spell"].to_numpy(), entry])
        X_looks = X_at.reindex(keys)
        if X_looks.isna().any(axis=None):
            raise ValueError("X_at lacks features for some looks (spell, landmark)")
        X_looks = X_looks[list(X.columns)].reset_index(drop=True)
    return X_looks, looks


def with_elapsed(X: pd.DataFrame, elapsed: np.ndarray) -> pd.DataFrame:
    """``X`` with the years already waited as three more features."""
    out = X.copy()
    el = np.asarray(elapsed, dtype=float)
    out["elapsed"] = np.minimum(el, 30.0)
    out["log_elapsed"] = np.log1p(el)
    out["elapsed_band"] = np.searchsorted(np.asarray(ELAPSED_BANDS), el, side="right").astype(
        float)
    return out


class LandmarkModel(SurvivalModel):
    """A model of :mod:`.models` fitted on landmark looks (see the module docstring).

    ``fit(X, duration, event, entry)`` takes the looks of :func:`landmark_rows`: ``entry`` is
    the landmark (years after the end), ``duration`` the years after the end at the event or
    censoring. ``base`` names the inner model, ``params`` its constructor arguments.
    """

    name = "landmark"

    def __init__(self, base: str = "cure", params: dict[str, Any] | None = None) -> None:
        self.base = base
        self.params = params

    def fit(self, X: pd.DataFrame, duration: Any, event: Any, entry: Any | None = None
            ) -> LandmarkModel:
        from .models import make_model

        d, e, s = check_fit_inputs(X, duration, event, entry)
        if (d <= s).any():
            raise ValueError("every look must be followed past its landmark (duration > entry)")
        self.model_ = make_model(self.base, **(self.params or {})).fit(
            with_elapsed(X, s), d - s, e, None)
        self.n_looks_ = len(X)
        return self

    def predict_within(self, X: pd.DataFrame, elapsed: Any, horizons: Sequence[float]
                       ) -> np.ndarray:
        self._check_fitted()
        el = _check_elapsed(X, elapsed)
        return self.model_.predict_within(with_elapsed(X, el), 0.0, horizons)

    def predict_ever(self, X: pd.DataFrame, elapsed: Any) -> np.ndarray:
        self._check_fitted()
        el = _check_elapsed(X, elapsed)
        return self.model_.predict_ever(with_elapsed(X, el), 0.0)
