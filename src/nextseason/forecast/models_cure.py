"""A mixture cure model: some series never get a sequel; the rest wait a Weibull time."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import expit, log_expit

from .base import SurvivalModel, check_fit_inputs
from .models_common import Standardizer

__all__ = ["CureModel"]


def _log_q(log_pi: np.ndarray, log_1m_pi: np.ndarray, u: np.ndarray) -> np.ndarray:
    """``log S(t|x) = log(1 - pi + pi * exp(-u))``, computed stably."""
    return np.logaddexp(log_1m_pi, log_pi - u)


class CureModel(SurvivalModel):
    """``S(t|x) = 1 - pi(x) + pi(x) * exp(-(t / lambda(x))**k)``.

    * incidence: ``pi(x) = logistic(b0 + z·b)``, the chance a series is "susceptible" (will get
      a sequel at all), ``z`` the standardised features;
    * latency: Weibull with shape ``k`` shared and scale ``log lambda(x) = a0 + z·a`` (or a
      shared scale, ``latency_covariates=False``).

    Fitted by maximum likelihood with L-BFGS-B and analytic gradients. Left truncation: each
    row's likelihood is divided by ``S(entry|x)``. The L2 ``penalizer`` on ``b`` and ``a``
    (not on the intercepts) is per event, as in :class:`CoxModel`. The curve extrapolates past
    the data (the Weibull tail), levelling off at ``1 - pi(x)``.
    """

    name = "cure"

    def __init__(self, penalizer: float = 0.1, latency_covariates: bool = True,
                 max_iter: int = 1000) -> None:
        self.penalizer = penalizer
        self.latency_covariates = latency_covariates
        self.max_iter = max_iter

    # -- the likelihood -------------------------------------------------------------------
    def _unpack(self, theta: np.ndarray, p: int) -> tuple[np.ndarray, np.ndarray, float]:
        q = p if self.latency_covariates else 0
        return theta[: p + 1], theta[p + 1 : p + 2 + q], float(theta[-1])

    def _objective(self, theta: np.ndarray, Z1: np.ndarray, d: np.ndarray, e: np.ndarray,
                   s: np.ndarray) -> tuple[float, np.ndarray]:
        n, p1 = Z1.shape
        b, a, c = self._unpack(theta, p1 - 1)
        Zl = Z1 if self.latency_covariates else Z1[:, :1]
        z, eta, k = Z1 @ b, Zl @ a, np.exp(c)
        log_pi, log_1m_pi, pi = log_expit(z), log_expit(-z), expit(z)
        log_uT = k * (np.log(d) - eta)
        uT = np.exp(np.minimum(log_uT, 700))
        pos = s > 0
        log_uS = np.where(pos, k * (np.log(np.where(pos, s, 1.0)) - eta), -np.inf)
        uS = np.exp(np.minimum(log_uS, 700))
        ulogu_S = np.where(pos, uS * np.where(pos, log_uS, 0.0), 0.0)
        lqT, lqS = _log_q(log_pi, log_1m_pi, uT), _log_q(log_pi, log_1m_pi, uS)
        ev = e == 1
        ll = np.where(ev, log_pi + c - np.log(d) + log_uT - uT, lqT) - lqS
        # w = P(susceptible | survived to t): d log S / d z = w - pi, d log S / d u = -w
        wT, wS = np.exp(log_pi - uT - lqT), np.exp(log_pi - uS - lqS)
        g_z = np.where(ev, 1 - pi, wT - pi) - (wS - pi)
        g_eta = k * (np.where(ev, uT - 1, wT * uT) - wS * uS)
        g_c = np.sum(np.where(ev, 1 + log_uT * (1 - uT), -wT * uT * log_uT) + wS * ulogu_S)
        scale = 1.0 / max(e.sum(), 1.0)
        pen_b, pen_a = b.copy(), a.copy()
        pen_b[0] = pen_a[0] = 0.0
        lam = float(self.penalizer)
        f = -ll.sum() * scale + 0.5 * lam * (pen_b @ pen_b + pen_a @ pen_a)
        grad = np.concatenate([-(Z1.T @ g_z) * scale + lam * pen_b,
                               -(Zl.T @ g_eta) * scale + lam * pen_a,
                               [-g_c * scale]])
        return float(f), grad

    # -- the estimator --------------------------------------------------------------------
    def fit(self, X: pd.DataFrame, duration: Any, event: Any, entry: Any | None = None
            ) -> CureModel:
        d, e, s = check_fit_inputs(X, duration, event, entry)
        if not (e == 1).any():
            raise ValueError("CureModel needs at least one event to fit")
        scaler = Standardizer.fit(X)
        Z1 = np.column_stack([np.ones(len(X)), scaler.transform(X, "CureModel")])
        p = Z1.shape[1] - 1
        q = p if self.latency_covariates else 0
        rate = float(np.clip(2 * e.mean(), 0.01, 0.9))
        theta0 = np.zeros(p + q + 3)
        theta0[0] = np.log(rate / (1 - rate))
        theta0[p + 1] = np.log(np.median(d[e == 1]))
        bounds = ([(-20.0, 20.0)] + [(None, None)] * p + [(np.log(0.02), np.log(200.0))]
                  + [(None, None)] * q + [(np.log(0.2), np.log(10.0))])
        res = minimize(self._objective, theta0, args=(Z1, d, e, s), jac=True, method="L-BFGS-B",
                       bounds=bounds, options={"maxiter": self.max_iter})
        b, a, c = self._unpack(res.x, p)
        names = [str(col) for col in X.columns]
        self.scaler_ = scaler
        self.theta_ = res.x
        self.converged_ = bool(res.success)
        self.weibull_shape_ = float(np.exp(c))
        self.cure_coefficients_ = self._per_feature(b, names, scaler)
        self.latency_coefficients_ = self._per_feature(
            np.concatenate([a, np.zeros(p - q)]), names, scaler)
        return self

    @staticmethod
    def _per_feature(coef: np.ndarray, names: list[str], scaler: Standardizer) -> pd.Series:
        out = pd.Series(0.0, index=["intercept", *names], name="coef")
        out.iloc[0] = coef[0]
        out.loc[scaler.columns] = coef[1:]
        return out

    def susceptible(self, X: pd.DataFrame) -> np.ndarray:
        """``pi(x)``: the probability a series ever gets a sequel (the incidence part)."""
        self._check_fitted()
        Z1 = np.column_stack([np.ones(len(X)), self.scaler_.transform(X, "CureModel")])
        return expit(Z1 @ self._unpack(self.theta_, Z1.shape[1] - 1)[0])

    def _survival(self, X: pd.DataFrame, times: np.ndarray) -> np.ndarray:
        Z1 = np.column_stack([np.ones(len(X)), self.scaler_.transform(X, "CureModel")])
        b, a, c = self._unpack(self.theta_, Z1.shape[1] - 1)
        eta = (Z1 if self.latency_covariates else Z1[:, :1]) @ a
        z = Z1 @ b
        t = np.asarray(times, dtype=float)
        with np.errstate(divide="ignore"):
            log_u = np.exp(c) * (np.log(t) - eta[:, None])
        u = np.exp(np.minimum(log_u, 700))
        return np.exp(_log_q(log_expit(z)[:, None], log_expit(-z)[:, None], u))
