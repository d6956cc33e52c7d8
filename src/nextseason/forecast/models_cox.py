"""Proportional hazards: lifelines' penalised Cox fit, with a delayed-entry baseline of our own."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
from lifelines import CoxPHFitter

from .base import SurvivalModel, check_fit_inputs
from .models_common import Standardizer, at_risk_sums, step_at

__all__ = ["CoxModel"]


def breslow_cumulative_hazard(
    duration: np.ndarray, event: np.ndarray, entry: np.ndarray, risk: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Breslow's baseline cumulative hazard ``(event times, H0)`` with delayed entry.

    The risk set at ``t`` is the rows with ``entry < t <= duration`` (lifelines' own
    ``baseline_hazard_`` counts every row with ``duration >= t``, including rows that had not
    entered yet, which biases the baseline down under left truncation).
    """
    times, deaths = np.unique(duration[event == 1], return_counts=True)
    at_risk = at_risk_sums(times, duration, entry, risk)
    return times, np.cumsum(deaths / np.maximum(at_risk, 1e-300))


class CoxModel(SurvivalModel):
    """Cox proportional hazards on standardised features, left-truncated.

    ``penalizer`` is an elastic-net penalty *per event* (we hand lifelines
    ``penalizer * events / rows``, since lifelines scales by rows), so its strength does not
    depend on how rare the event is; ``l1_ratio`` mixes in the L1 part.

    ``S(t|x) = exp(-H0(t) exp(z·b))`` with ``H0`` a right-continuous step function; before the
    first event time ``S = 1`` and after the last one it stays flat (no extrapolation).
    ``coefficients_`` holds ``b`` per original feature (standardised units; 0 for the
    constant columns that were dropped).
    """

    name = "cox"

    def __init__(self, penalizer: float = 0.1, l1_ratio: float = 0.0) -> None:
        self.penalizer = penalizer
        self.l1_ratio = l1_ratio

    def fit(self, X: pd.DataFrame, duration: Any, event: Any, entry: Any | None = None
            ) -> CoxModel:
        d, e, s = check_fit_inputs(X, duration, event, entry)
        # rows with entry == duration are never at risk in (entry, duration]: no information
        use = s < d
        if not (e[use] == 1).any():
            raise ValueError("CoxModel needs at least one event after entry to fit")
        d, e, s = d[use], e[use], s[use]
        scaler = Standardizer.fit(X.loc[use])
        Z = scaler.transform(X.loc[use], "CoxModel")
        beta = np.zeros(Z.shape[1])
        if Z.shape[1]:
            df = pd.DataFrame(Z, columns=[f"z{i}" for i in range(Z.shape[1])])
            df["_T"], df["_E"], df["_S"] = d, e, s
            fitter = CoxPHFitter(
                penalizer=float(self.penalizer) * e.sum() / len(e), l1_ratio=self.l1_ratio
            )
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # lifelines' convergence/collinearity chatter
                fitter.fit(df, "_T", "_E", entry_col="_S")
            beta = fitter.params_.to_numpy(dtype=float)
        self.scaler_ = scaler
        self.coef_ = beta
        self.coefficients_ = pd.Series(0.0, index=[str(c) for c in X.columns], name="coef")
        self.coefficients_.loc[scaler.columns] = beta
        self.baseline_times_, self.baseline_cumhaz_ = breslow_cumulative_hazard(
            d, e, s, np.exp(Z @ beta)
        )
        return self

    def _survival(self, X: pd.DataFrame, times: np.ndarray) -> np.ndarray:
        Z = self.scaler_.transform(X, "CoxModel")
        hr = np.exp(np.clip(Z @ self.coef_, -50, 50))
        H0 = step_at(self.baseline_times_, self.baseline_cumhaz_, np.asarray(times, float), 0.0)
        return np.exp(-H0 * hr[:, None])
