"""The estimator contract every forecast model follows (scikit-learn's conventions).

Time is measured in **years since the end of the series' latest season**. A series that
ended ``elapsed`` years ago and has had no new TV/ONA season yet is "at risk" from
``elapsed`` on, so training data are left-truncated: each row enters observation at
``entry`` (years after its end) and leaves at ``duration`` with ``event`` 1 (the next season
premiered then) or 0 (censored: still waiting when the data ends).

* ``__init__`` only stores keyword arguments.
* ``fit(X, duration, event, entry)`` validates, learns attributes ending in ``_`` and
  returns ``self``. ``X`` is an all-numeric :class:`pandas.DataFrame` (no NaN: missing values
  are imputed and flagged by the feature step).
* ``predict_within(X, elapsed, horizons)`` → array ``(n, len(horizons))``: the probability
  that the event happens within ``h`` years of now, given none by ``elapsed``:
  ``1 - S(elapsed + h | x) / S(elapsed | x)``. ``elapsed`` is one number per row, or one
  number for all rows; it and the horizons must be finite and >= 0.
* ``predict_ever(X, elapsed)`` → array ``(n,)``: the same with an unbounded horizon (models
  that cannot extrapolate use :data:`EVER_YEARS`).
* Predicting before fitting raises :class:`NotFittedError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..errors import NextseasonError

__all__ = ["SurvivalModel", "NotFittedError", "EVER_YEARS", "check_fit_inputs"]

#: "Ever", for models whose curve is not defined past the data: 25 years after the end.
EVER_YEARS = 25.0


class NotFittedError(NextseasonError, ValueError):
    """A model was asked to predict before it was fitted."""


def check_fit_inputs(
    X: pd.DataFrame, duration: Any, event: Any, entry: Any | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validate and return ``(duration, event, entry)`` as float arrays."""
    if not isinstance(X, pd.DataFrame):
        raise TypeError("X must be a pandas DataFrame of numeric features")
    d = np.asarray(duration, dtype=float)
    e = np.asarray(event, dtype=float)
    s = np.zeros_like(d) if entry is None else np.asarray(entry, dtype=float)
    n = len(X)
    if not (len(d) == len(e) == len(s) == n):
        raise ValueError(f"X has {n} rows but duration/event/entry have {len(d)}/{len(e)}/{len(s)}")
    if n == 0:
        raise ValueError("cannot fit on zero rows")
    bad = ~np.isfinite(X.to_numpy(dtype=float)).all(axis=1)
    if bad.any():
        raise ValueError(
            f"X has {int(bad.sum())} rows with NaN or infinite values "
            f"(first: index {X.index[np.argmax(bad)]!r}); impute them in the feature step"
        )
    if not (np.isfinite(d).all() and np.isfinite(s).all()):
        raise ValueError("duration and entry must be finite numbers (found NaN or infinity)")
    if (d <= 0).any() or (s < 0).any() or (s > d).any():
        bad_row = int(np.argmax((d <= 0) | (s < 0) | (s > d)))
        raise ValueError(
            "need 0 <= entry <= duration and duration > 0 for every row "
            f"(first: index {X.index[bad_row]!r}, entry={s[bad_row]!r}, duration={d[bad_row]!r})"
        )
    if not np.isin(e, (0.0, 1.0)).all():
        raise ValueError("event must be 0 or 1")
    return d, e, s


def _check_elapsed(X: pd.DataFrame, elapsed: Any) -> np.ndarray:
    """``elapsed`` as a float array of ``len(X)`` (a scalar applies to every row)."""
    if not isinstance(X, pd.DataFrame):
        raise TypeError("X must be a pandas DataFrame of numeric features")
    el = np.asarray(elapsed, dtype=float)
    if el.ndim == 0:
        el = np.full(len(X), float(el))
    el = el.ravel()
    if len(el) != len(X):
        raise ValueError(f"X has {len(X)} rows but elapsed has {len(el)}")
    if not (np.isfinite(el).all() and (el >= 0).all()):
        raise ValueError("elapsed must be finite and >= 0 (years since the end of the series)")
    return el


class SurvivalModel:
    """Base class: subclasses implement ``fit`` and ``_survival``.

    ``_survival(X, times)`` returns ``S(t | x)`` for each row of ``X`` at that row's
    ``times`` (an array ``(n, k)`` of years since the end) — everything else follows.
    """

    #: a short name for tables
    name = "model"

    def _check_fitted(self) -> None:
        if not any(k.endswith("_") and not k.startswith("_") for k in vars(self)):
            raise NotFittedError(f"{type(self).__name__} is not fitted yet; call fit() first")

    def fit(self, X: pd.DataFrame, duration: Any, event: Any, entry: Any | None = None
            ) -> SurvivalModel:  # pragma: no cover - abstract
        raise NotImplementedError

    def _survival(self, X: pd.DataFrame, times: np.ndarray) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def predict_within(
        self, X: pd.DataFrame, elapsed: Any, horizons: Sequence[float]
    ) -> np.ndarray:
        self._check_fitted()
        el = _check_elapsed(X, elapsed).reshape(-1, 1)
        hz = np.asarray(horizons, dtype=float).reshape(1, -1)
        if not (np.isfinite(hz).all() and (hz >= 0).all()):
            raise ValueError(f"horizons must be finite and >= 0, got {hz.ravel().tolist()}")
        times = np.concatenate([el, el + hz], axis=1)
        surv = np.clip(self._survival(X, times), 1e-12, 1.0)
        p = 1.0 - surv[:, 1:] / surv[:, :1]
        return np.clip(p, 0.0, 1.0)

    def predict_ever(self, X: pd.DataFrame, elapsed: Any) -> np.ndarray:
        self._check_fitted()
        el = _check_elapsed(X, elapsed)
        times = np.stack([el, np.maximum(el, EVER_YEARS)], axis=1)
        surv = np.clip(self._survival(X, times), 1e-12, 1.0)
        return np.clip(1.0 - surv[:, 1] / surv[:, 0], 0.0, 1.0)
