"""The baseline every model must beat: Kaplan–Meier with delayed entry, optionally per cohort."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from lifelines import KaplanMeierFitter

from .base import SurvivalModel, check_fit_inputs

__all__ = ["KaplanMeierBaseline"]


def _km_curve(duration: np.ndarray, event: np.ndarray, entry: np.ndarray
              ) -> tuple[np.ndarray, np.ndarray]:
    """The product-limit curve as ``(times, S)``: at each event time ``t`` the risk set is the
    rows with ``entry < t <= duration`` (a row entering at exactly ``t`` is not yet at risk;
    lifelines' ``event_table`` shows it in ``at_risk`` but its estimate leaves it out).
    """
    kmf = KaplanMeierFitter().fit(duration, event, entry=entry)
    sf = kmf.survival_function_.iloc[:, 0]
    return sf.index.to_numpy(dtype=float), sf.to_numpy(dtype=float)


class KaplanMeierBaseline(SurvivalModel):
    """Kaplan–Meier survival with left truncation, one curve per cohort.

    Parameters
    ----------
    cohort:
        A column of ``X`` whose values name cohorts (e.g. the source type). ``None``: one pooled
        curve. Every other column of ``X`` is ignored.
    min_rows:
        Cohorts with fewer training rows (and values never seen in training) use the pooled
        curve.

    The curve is a right-continuous step function, flat after the last observed time, so
    ``predict_ever`` is the drop seen within the data — the baseline never extrapolates.
    """

    name = "km"

    def __init__(self, cohort: str | None = None, min_rows: int = 30) -> None:
        self.cohort = cohort
        self.min_rows = min_rows

    def fit(self, X: pd.DataFrame, duration: Any, event: Any, entry: Any | None = None
            ) -> KaplanMeierBaseline:
        d, e, s = check_fit_inputs(X, duration, event, entry)
        self.pooled_ = _km_curve(d, e, s)
        self.curves_: dict[Any, tuple[np.ndarray, np.ndarray]] = {}
        if self.cohort is not None:
            if self.cohort not in X.columns:
                raise ValueError(f"cohort column {self.cohort!r} is not in X")
            values = X[self.cohort].to_numpy()
            for value in pd.unique(values):
                mask = values == value
                if mask.sum() >= self.min_rows and (s[mask] < d[mask]).any():
                    self.curves_[value] = _km_curve(d[mask], e[mask], s[mask])
        return self

    def _survival(self, X: pd.DataFrame, times: np.ndarray) -> np.ndarray:
        times = np.asarray(times, dtype=float)
        out = np.empty_like(times)
        if self.cohort is None or not self.curves_:
            groups = {None: np.ones(len(X), dtype=bool)}
        else:
            if self.cohort not in X.columns:
                raise ValueError(f"cohort column {self.cohort!r} is not in X")
            values = X[self.cohort].to_numpy()
            known = np.isin(values, list(self.curves_))
            groups = {v: values == v for v in pd.unique(values[known])}
            groups[None] = ~known
        for value, mask in groups.items():
            if not mask.any():
                continue
            grid, surv = self.pooled_ if value is None else self.curves_[value]
            idx = np.searchsorted(grid, times[mask], side="right") - 1
            out[mask] = np.where(idx >= 0, surv[np.clip(idx, 0, None)], 1.0)
        return out
