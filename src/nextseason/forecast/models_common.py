"""Small helpers shared by the forecast models: feature scaling, prediction checks, steps."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["Standardizer", "feature_matrix", "step_at", "at_risk_sums"]


def feature_matrix(X: pd.DataFrame, columns: list[str], model: str) -> np.ndarray:
    """``X[columns]`` as a finite float array, or an error naming what is wrong."""
    if not isinstance(X, pd.DataFrame):
        raise TypeError("X must be a pandas DataFrame of numeric features")
    missing = [c for c in columns if c not in X.columns]
    if missing:
        raise ValueError(f"{model} was fitted with columns X lacks: {missing[:5]}")
    A = X[columns].to_numpy(dtype=float)
    bad = ~np.isfinite(A).all(axis=1)
    if bad.any():
        raise ValueError(
            f"X has {int(bad.sum())} rows with NaN or infinite values "
            f"(first: index {X.index[np.argmax(bad)]!r}); impute them in the feature step"
        )
    return A


@dataclass(frozen=True)
class Standardizer:
    """Centre and scale the non-constant columns of a training frame."""

    columns: list[str]  # the kept (non-constant) columns
    mean: np.ndarray
    scale: np.ndarray
    dropped: list[str]  # constant columns, ignored

    @classmethod
    def fit(cls, X: pd.DataFrame) -> Standardizer:
        A = X.to_numpy(dtype=float)
        mean, sd = A.mean(axis=0), A.std(axis=0)
        keep = sd > 1e-12 * np.maximum(1.0, np.abs(mean))
        cols = [str(c) for c in X.columns]
        return cls(
            columns=[c for c, k in zip(cols, keep, strict=True) if k],
            mean=mean[keep],
            scale=sd[keep],
            dropped=[c for c, k in zip(cols, keep, strict=True) if not k],
        )

    def transform(self, X: pd.DataFrame, model: str) -> np.ndarray:
        if not self.columns:
            return np.zeros((len(X), 0))
        return (feature_matrix(X, self.columns, model) - self.mean) / self.scale


def step_at(grid: np.ndarray, values: np.ndarray, t: np.ndarray, before: float) -> np.ndarray:
    """A right-continuous step function: ``values[j]`` on ``[grid[j], grid[j+1])``.

    ``before`` is its value left of ``grid[0]``; past ``grid[-1]`` it stays at ``values[-1]``.
    """
    idx = np.searchsorted(grid, t, side="right") - 1
    out = np.where(idx >= 0, values[np.clip(idx, 0, None)] if len(values) else before, before)
    return np.asarray(out, dtype=float)


def at_risk_sums(
    times: np.ndarray, duration: np.ndarray, entry: np.ndarray, weight: np.ndarray
) -> np.ndarray:
    """``sum(weight_i : entry_i < t <= duration_i)`` for each ``t`` in ``times`` (delayed entry)."""
    order_d = np.argsort(duration, kind="stable")
    order_s = np.argsort(entry, kind="stable")
    d_sorted, s_sorted = duration[order_d], entry[order_s]
    # suffix sums: total weight of rows with duration >= t, minus those with entry >= t
    suf_d = np.concatenate([np.cumsum(weight[order_d][::-1])[::-1], [0.0]])
    suf_s = np.concatenate([np.cumsum(weight[order_s][::-1])[::-1], [0.0]])
    return suf_d[np.searchsorted(d_sorted, times, side="left")] - suf_s[
        np.searchsorted(s_sorted, times, side="left")
    ]
