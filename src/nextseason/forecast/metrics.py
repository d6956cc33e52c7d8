"""Scores for binary probability forecasts ("a new season within h years: yes/no").

Pure functions over 1-D arrays: ``y`` holds outcomes (0 or 1), ``p`` the forecast probability
of a 1. Every function checks its input and raises :class:`MetricInputError` (a
``ValueError``) naming the argument, the offending value and its position.

A score that is undefined for the data (AUC with only one class, Brier skill when the
reference forecast is already perfect, a concordance without comparable pairs) is returned
as ``nan`` and an :class:`UndefinedMetricWarning` says why; :func:`score_binary` also lists
the reasons under ``"notes"`` so a report can print them.

References
----------
* Brier, G. W. (1950). Verification of forecasts expressed in terms of probability.
  *Monthly Weather Review* 78(1), 1-3.
* Murphy, A. H. (1973). A new vector partition of the probability score. *J. Appl. Meteor.*
  12, 595-600 (skill scores against climatology, i.e. the base rate).
* Hanley, J. A. & McNeil, B. J. (1982). The meaning and use of the area under a ROC curve.
  *Radiology* 143, 29-36.
* Harrell, F. E., Califf, R. M., Pryor, D. B., Lee, K. L. & Rosati, R. A. (1982). Evaluating
  the yield of medical tests. *JAMA* 247(18), 2543-2546.
* Austin, P. C. & Steyerberg, E. W. (2019). The Integrated Calibration Index (ICI) and
  related metrics for quantifying the calibration of logistic regression models.
  *Statistics in Medicine* 38(21), 4051-4065.
* Cleveland, W. S. (1979). Robust locally weighted regression and smoothing scatterplots.
  *JASA* 74(368), 829-836 (LOWESS; R's ``lowess()`` implements it).
* Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
  inference. *JASA* 22(158), 209-212.
"""

from __future__ import annotations

import math
import warnings
from typing import Any, Literal

import numpy as np
import pandas as pd
from lifelines.utils import concordance_index
from numpy.typing import ArrayLike
from sklearn.metrics import roc_auc_score

from ..errors import NextseasonError

__all__ = [
    "MetricInputError",
    "UndefinedMetricWarning",
    "auc",
    "brier",
    "brier_skill",
    "log_loss",
    "ici",
    "calibration_errors",
    "lowess_calibration",
    "wilson_interval",
    "reliability_table",
    "concordance",
    "score_binary",
    "LOG_LOSS_EPS",
    "LOWESS_FRAC",
    "RELIABILITY_COLUMNS",
    "bootstrap_intervals",
    "paired_bootstrap",
    "N_BOOTSTRAP",
]

#: probabilities are clipped to ``[eps, 1 - eps]`` before taking logs
LOG_LOSS_EPS = 1e-6
#: span of the calibration smoother: R's ``lowess()`` default ``f = 2/3`` (as statsmodels')
LOWESS_FRAC = 2.0 / 3.0
#: the columns :func:`reliability_table` returns, in order
RELIABILITY_COLUMNS = (
    "bin", "p_low", "p_high", "n", "mean_predicted", "observed_rate", "lo", "hi",
)
_Z95 = 1.959963984540054  # the 97.5 % point of the standard normal


class MetricInputError(NextseasonError, ValueError):
    """Outcomes or forecasts handed to a metric are malformed (length, range, NaN)."""


class UndefinedMetricWarning(RuntimeWarning):
    """A score is undefined for this data and was returned as ``nan``; the message says why."""


# --------------------------------------------------------------------------- validation


def _as_1d(values: ArrayLike, name: str) -> np.ndarray:
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise MetricInputError(f"{name} must be numeric: {exc}") from None
    if arr.ndim != 1:
        raise MetricInputError(f"{name} must be one-dimensional, got shape {arr.shape}")
    if arr.size == 0:
        raise MetricInputError(f"{name} is empty; need at least one forecast")
    bad = ~np.isfinite(arr)
    if bad.any():
        i = int(np.argmax(bad))
        raise MetricInputError(
            f"{name} has {int(bad.sum())} NaN or infinite values (first at position {i}: "
            f"{float(arr[i])!r}); drop or impute those rows before scoring"
        )
    return arr


def _check_outcomes(y: ArrayLike, name: str = "y") -> np.ndarray:
    arr = _as_1d(y, name)
    bad = (arr != 0.0) & (arr != 1.0)
    if bad.any():
        i = int(np.argmax(bad))
        raise MetricInputError(
            f"{name} must hold outcomes 0 or 1; position {i} is {float(arr[i])!r} "
            f"({int(bad.sum())} such values)"
        )
    return arr


def _check_probabilities(p: ArrayLike, name: str = "p") -> np.ndarray:
    arr = _as_1d(p, name)
    bad = (arr < 0.0) | (arr > 1.0)
    if bad.any():
        i = int(np.argmax(bad))
        raise MetricInputError(
            f"{name} must be probabilities in [0, 1]; position {i} is {float(arr[i])!r} "
            f"({int(bad.sum())} such values)"
        )
    return arr


def _check_same_length(**arrays: np.ndarray) -> None:
    lengths = {k: len(v) for k, v in arrays.items()}
    if len(set(lengths.values())) > 1:
        shown = ", ".join(f"{k} has {n}" for k, n in lengths.items())
        raise MetricInputError(f"inputs must have the same length: {shown}")


def _check_binary(y: ArrayLike, p: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Validate a pair of outcomes and forecasts; return them as float arrays."""
    y_arr = _check_outcomes(y)
    p_arr = _check_probabilities(p)
    _check_same_length(y=y_arr, p=p_arr)
    return y_arr, p_arr


def _warn_if_undefined(result: tuple[float, str | None]) -> float:
    value, reason = result
    if reason is not None:
        warnings.warn(reason, UndefinedMetricWarning, stacklevel=3)
    return value


# --------------------------------------------------------------------------- discrimination


def auc(y: ArrayLike, p: ArrayLike) -> float:
    """Area under the ROC curve: P(p_i > p_j) + ½·P(p_i = p_j) for an event i and a non-event j.

    Computed by :func:`sklearn.metrics.roc_auc_score` (Hanley & McNeil 1982). Only the
    ranking of ``p`` matters. With a single outcome class the AUC is undefined: returns
    ``nan`` and warns with the reason.
    """
    return _warn_if_undefined(_auc(*_check_binary(y, p)))


def _auc(y: np.ndarray, p: np.ndarray) -> tuple[float, str | None]:
    events = int(y.sum())
    if events == 0 or events == len(y):
        kind = "no events" if events == 0 else "only events"
        return math.nan, f"AUC is undefined: the {len(y)} outcomes contain {kind} (one class only)"
    return float(roc_auc_score(y, p)), None


def concordance(duration: ArrayLike, event: ArrayLike, risk: ArrayLike) -> float:
    """Harrell's C for a risk score: among comparable pairs, the share ordered correctly.

    A pair is comparable when the shorter duration ends in an event; it is concordant when
    that row has the higher ``risk`` (ties in risk count ½). So C > 0.5 means higher risk →
    earlier event; 0.5 is chance. Computed by :func:`lifelines.utils.concordance_index`,
    which expects a score where *higher means longer survival*, so it is given ``-risk``
    (Harrell et al. 1982). ``nan`` with a warning when no pair is comparable.
    """
    d = _as_1d(duration, "duration")
    e = _check_outcomes(event, "event")
    r = _as_1d(risk, "risk")
    _check_same_length(duration=d, event=e, risk=r)
    if (d < 0).any():
        i = int(np.argmax(d < 0))
        raise MetricInputError(f"duration must be >= 0; position {i} is {float(d[i])!r}")
    try:
        return float(concordance_index(d, -r, e))
    except ZeroDivisionError:
        return _warn_if_undefined((math.nan, (
            f"concordance is undefined: no comparable pairs among {len(d)} rows "
            f"({int(e.sum())} events)"
        )))


# --------------------------------------------------------------------------- accuracy


def brier(y: ArrayLike, p: ArrayLike) -> float:
    """Brier score: the mean squared error ``mean((p - y)²)``; 0 is perfect (Brier 1950)."""
    y_arr, p_arr = _check_binary(y, p)
    return float(np.mean((p_arr - y_arr) ** 2))


def brier_skill(y: ArrayLike, p: ArrayLike, reference: float | ArrayLike | None = None) -> float:
    """Brier skill score ``1 - Brier(p) / Brier(reference)`` (Murphy 1973).

    The reference is a constant forecast: the observed prevalence ``mean(y)`` by default
    (climatology; its Brier score is ``ȳ(1 - ȳ)``), or the given probability. An array of
    the same length as ``y`` is also accepted, to score a model against a baseline model's
    forecasts. 1 is perfect, 0 no better than the reference, negative worse. ``nan`` with a
    warning when the reference itself is perfect (Brier 0).
    """
    y_arr, p_arr = _check_binary(y, p)
    if reference is None:
        ref = np.full_like(y_arr, y_arr.mean())
    else:
        ref_in = np.asarray(reference, dtype=float)
        if ref_in.ndim == 0:
            value = float(ref_in)
            if not 0.0 <= value <= 1.0:  # also catches nan
                raise MetricInputError(
                    f"reference must be a probability in [0, 1], got {value!r}"
                )
            ref = np.full(len(y_arr), value)
        else:
            ref = _check_probabilities(ref_in, "reference")
            _check_same_length(y=y_arr, reference=ref)
    return _warn_if_undefined(_brier_skill(y_arr, p_arr, ref))


def _brier_skill(y: np.ndarray, p: np.ndarray, ref: np.ndarray) -> tuple[float, str | None]:
    ref_score = float(np.mean((ref - y) ** 2))
    if ref_score == 0.0:
        return math.nan, (
            "Brier skill is undefined: the reference forecast is perfect (Brier 0), "
            "e.g. all outcomes are the same class and the reference is the base rate"
        )
    return 1.0 - float(np.mean((p - y) ** 2)) / ref_score, None


def log_loss(y: ArrayLike, p: ArrayLike) -> float:
    """Mean negative log-likelihood ``-mean(y·ln p + (1-y)·ln(1-p))`` in nats.

    ``p`` is clipped to ``[1e-6, 1 - 1e-6]`` (:data:`LOG_LOSS_EPS`) so a confident miss
    costs at most ``-ln(1e-6) ≈ 13.8`` instead of infinity.
    """
    y_arr, p_arr = _check_binary(y, p)
    q = np.clip(p_arr, LOG_LOSS_EPS, 1.0 - LOG_LOSS_EPS)
    return float(-np.mean(y_arr * np.log(q) + (1.0 - y_arr) * np.log1p(-q)))


# --------------------------------------------------------------------------- calibration


def _lowess_at(x: np.ndarray, y: np.ndarray, xs: np.ndarray, frac: float) -> np.ndarray:
    """One pass (no robustness iterations) of R's ``clowess`` local-linear fit at ``xs``.

    Window: the ``k = max(2, floor(frac·n))`` nearest points, widened to every point tied at
    the k-th distance ``h``; tricube weights of ``|x - xs| / h``, weight 1 within ``0.001·h``
    and 0 beyond ``0.999·h``. When the weighted spread of ``x`` is below 0.001 of its range
    (``h = 0``: all neighbours tied) the fit is the weighted mean of ``y``.
    """
    n = len(x)
    k = max(min(int(frac * n + 1e-7), n), 2)
    span = float(np.ptp(x))
    out = np.empty(len(xs))
    for start in range(0, len(xs), 256):
        a = xs[start:start + 256, None]
        dist = np.abs(x[None, :] - a)
        h = np.partition(dist, k - 1, axis=1)[:, k - 1:k]
        with np.errstate(divide="ignore", invalid="ignore"):
            w = np.clip(1.0 - (dist / h) ** 3, 0.0, None) ** 3
        w = np.where(dist <= 0.001 * h, 1.0, np.where(dist > 0.999 * h, 0.0, w))
        w /= w.sum(axis=1, keepdims=True)  # xs are data values, so each row has weight 1
        xbar = (w * x).sum(axis=1, keepdims=True)
        var = (w * (x - xbar) ** 2).sum(axis=1, keepdims=True)
        slope_ok = (h > 0) & (np.sqrt(var) > 0.001 * span)  # R: only if h > 0
        with np.errstate(divide="ignore", invalid="ignore"):
            lin = w * (1.0 + (a - xbar) * (x - xbar) / var)
        proj = np.where(slope_ok, lin, w)
        out[start:start + 256] = (proj * y).sum(axis=1)
    return out


def lowess_calibration(y: ArrayLike, p: ArrayLike, frac: float = LOWESS_FRAC) -> np.ndarray:
    """The smoothed observed rate at each forecast: LOWESS of ``y`` on ``p``, evaluated at ``p``.

    This is R's ``lowess(p, y, f = 2/3, iter = 0)`` (Cleveland 1979), including its
    ``delta = 0.01·range(p)`` shortcut (fits at anchor values at least ``delta`` apart,
    linear interpolation between them). No robustness iterations: with 0/1 outcomes they
    would down-weight the events as outliers.

    Why not :func:`statsmodels.nonparametric.lowess` directly: for tied forecasts (a
    base-rate baseline gives every show the same probability) its window has radius 0 and it
    silently returns the raw outcome ``y_i`` as the "smoothed" value. Here a fully tied
    window gives the mean outcome of the tie, as R does. On untied data the two agree (see
    ``tests/test_metrics.py``).
    """
    y_arr, p_arr = _check_binary(y, p)
    if not 0.0 < frac <= 1.0:
        raise MetricInputError(f"frac must be in (0, 1], got {frac!r}")
    order = np.argsort(p_arr, kind="stable")
    xs, ys = p_arr[order], y_arr[order]
    values = np.unique(xs)
    delta = 0.01 * float(np.ptp(xs))
    anchors = [0]  # R: fit, then jump to the last value within delta (at least one step)
    while anchors[-1] < len(values) - 1:
        last = anchors[-1]
        within = int(np.searchsorted(values, values[last] + delta, side="right")) - 1
        anchors.append(max(last + 1, within))
    anchor_x = values[anchors]
    fitted = _lowess_at(xs, ys, anchor_x, frac)
    return np.interp(p_arr, anchor_x, fitted)


def calibration_errors(y: ArrayLike, p: ArrayLike) -> dict[str, float]:
    """ICI, E50, E90 and Emax: the mean, median, 90th percentile and maximum of
    ``|p_i - ŷ(p_i)|``, where ``ŷ`` is the LOWESS-smoothed observed rate
    (:func:`lowess_calibration`; Austin & Steyerberg 2019). 0 means perfectly calibrated.

    Austin & Steyerberg fit R's ``loess`` (span 0.75, local quadratic); here it is
    ``lowess`` with span 2/3 and local lines, as in R's ``lowess()`` and statsmodels.
    """
    y_arr, p_arr = _check_binary(y, p)
    gap = np.abs(p_arr - lowess_calibration(y_arr, p_arr))
    return {
        "ici": float(gap.mean()),
        "e50": float(np.median(gap)),
        "e90": float(np.quantile(gap, 0.9)),
        "emax": float(gap.max()),
    }


def ici(y: ArrayLike, p: ArrayLike) -> float:
    """Integrated calibration index: ``mean |p - ŷ(p)|`` (see :func:`calibration_errors`)."""
    return calibration_errors(y, p)["ici"]


def wilson_interval(
    events: ArrayLike, n: ArrayLike, z: float = _Z95
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a binomial proportion ``events / n`` (Wilson 1927).

    ``(c ± z·sqrt(r(1-r)/n + z²/4n²)) / (1 + z²/n)`` with ``r = events/n`` and
    ``c = r + z²/2n``. Unlike ``r ± 1.96·se`` it stays in [0, 1] and is not zero-width at
    0 events, which matters for rare outcomes. Default: 95 %.
    """
    k = np.asarray(events, dtype=float)
    m = np.asarray(n, dtype=float)
    if (m <= 0).any() or (k < 0).any() or (k > m).any():
        raise MetricInputError("need 0 <= events <= n and n > 0 for a Wilson interval")
    r = k / m
    denom = 1.0 + z**2 / m
    centre = (r + z**2 / (2 * m)) / denom
    half = z * np.sqrt(r * (1 - r) / m + z**2 / (4 * m**2)) / denom
    lo = np.where(k == 0, 0.0, np.clip(centre - half, 0.0, 1.0))  # exact ends, no 1e-18
    hi = np.where(k == m, 1.0, np.clip(centre + half, 0.0, 1.0))
    return lo, hi


def reliability_table(
    y: ArrayLike,
    p: ArrayLike,
    bins: int = 10,
    strategy: Literal["quantile", "uniform"] = "quantile",
) -> pd.DataFrame:
    """Observed rate against mean forecast, bin by bin, with a Wilson 95 % interval.

    ``strategy="quantile"`` cuts at the quantiles of ``p`` (about ``n / bins`` rows each;
    repeated edges from tied forecasts are merged, so there may be fewer bins);
    ``"uniform"`` cuts [0, 1] into ``bins`` equal widths. Bins are ``[p_low, p_high)``, the
    last one closed. Empty bins are left out; ``bin`` keeps its 0-based position among the
    edges, so gaps stay visible. Columns: :data:`RELIABILITY_COLUMNS`; ``n`` sums to
    ``len(y)``.
    """
    y_arr, p_arr = _check_binary(y, p)
    if isinstance(bins, bool) or not isinstance(bins, int | np.integer) or bins < 1:
        raise MetricInputError(f"bins must be a positive integer, got {bins!r}")
    if strategy == "quantile":
        edges = np.unique(np.quantile(p_arr, np.linspace(0.0, 1.0, bins + 1)))
        if len(edges) == 1:  # every forecast the same
            edges = np.array([edges[0], edges[0]])
    elif strategy == "uniform":
        edges = np.linspace(0.0, 1.0, bins + 1)
    else:
        raise MetricInputError(f"strategy must be 'quantile' or 'uniform', got {strategy!r}")
    idx = np.clip(np.searchsorted(edges, p_arr, side="right") - 1, 0, len(edges) - 2)
    rows: list[dict[str, Any]] = []
    for b in range(len(edges) - 1):
        mask = idx == b
        n = int(mask.sum())
        if n == 0:
            continue
        events = float(y_arr[mask].sum())
        lo, hi = wilson_interval(events, n)
        rows.append({
            "bin": b,
            "p_low": float(edges[b]),
            "p_high": float(edges[b + 1]),
            "n": n,
            "mean_predicted": float(p_arr[mask].mean()),
            "observed_rate": events / n,
            "lo": float(lo),
            "hi": float(hi),
        })
    return pd.DataFrame(rows, columns=list(RELIABILITY_COLUMNS))


# --------------------------------------------------------------------------- all at once


def score_binary(y: ArrayLike, p: ArrayLike) -> dict[str, Any]:
    """Every binary score in one dict, for a model's row of the track-record table.

    Keys: ``n``, ``events``, ``base_rate``, ``mean_predicted``, ``auc``, ``brier``,
    ``brier_skill`` (against the base rate), ``log_loss``, ``ici``, ``e50``, ``e90``, and
    ``notes``: the reasons any of them is ``nan`` (empty when all are defined).
    """
    y_arr, p_arr = _check_binary(y, p)
    auc_value, auc_note = _auc(y_arr, p_arr)
    skill, skill_note = _brier_skill(y_arr, p_arr, np.full_like(y_arr, y_arr.mean()))
    errors = calibration_errors(y_arr, p_arr)
    return {
        "n": len(y_arr),
        "events": int(y_arr.sum()),
        "base_rate": float(y_arr.mean()),
        "mean_predicted": float(p_arr.mean()),
        "auc": auc_value,
        "brier": float(np.mean((p_arr - y_arr) ** 2)),
        "brier_skill": skill,
        "log_loss": log_loss(y_arr, p_arr),
        "ici": errors["ici"],
        "e50": errors["e50"],
        "e90": errors["e90"],
        "notes": [note for note in (auc_note, skill_note) if note is not None],
    }


#: resamples of the bootstrap intervals and paired comparisons
N_BOOTSTRAP = 200


def _resamples(n: int, n_boot: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, n, size=(n_boot, n))


def _fast_auc(y: np.ndarray, p: np.ndarray) -> float:
    """The Mann–Whitney AUC (ties count half), for resamples with both classes."""
    from scipy.stats import rankdata

    ranks = rankdata(p)
    pos = y == 1
    n1 = int(pos.sum())
    n0 = len(y) - n1
    return float((ranks[pos].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def _core_scores(y: np.ndarray, p: np.ndarray) -> tuple[float, float, float]:
    """AUC, Brier skill and ICI, ``nan`` where undefined (silently: resamples may lack events)."""
    if y.min() == y.max():
        return float("nan"), float("nan"), float("nan")
    a = _fast_auc(y, p)
    ref = float(np.mean((y.mean() - y) ** 2))
    skill = 1.0 - float(np.mean((p - y) ** 2)) / ref
    return a, skill, float(np.mean(np.abs(p - lowess_calibration(y, p))))


def bootstrap_intervals(y: ArrayLike, p: ArrayLike, *, n_boot: int = N_BOOTSTRAP,
                        seed: int = 0, level: float = 0.95) -> dict[str, tuple[float, float]]:
    """Percentile bootstrap intervals (resampling series) for ``auc``, ``brier_skill`` and
    ``ici``. The same ``seed`` gives the same resamples for every model scored on the same
    rows, so intervals of different models are comparable."""
    y_arr, p_arr = _check_binary(y, p)
    draws = np.array([_core_scores(y_arr[i], p_arr[i])
                      for i in _resamples(len(y_arr), n_boot, seed)])
    lo, hi = (1 - level) / 2, 1 - (1 - level) / 2
    out = {}
    for j, name in enumerate(("auc", "brier_skill", "ici")):
        col = draws[:, j][np.isfinite(draws[:, j])]
        out[name] = ((float(np.quantile(col, lo)), float(np.quantile(col, hi))) if len(col)
                     else (float("nan"), float("nan")))
    return out


def paired_bootstrap(y: ArrayLike, p_a: ArrayLike, p_b: ArrayLike, *,
                     n_boot: int = N_BOOTSTRAP, seed: int = 0) -> dict[str, float]:
    """The probability that forecast ``a`` beats ``b`` on the same series: the share of
    paired resamples in which ``a`` has the lower Brier score (``brier``) and the higher AUC
    (``auc``); ties count half."""
    y_arr, a_arr = _check_binary(y, p_a)
    _, b_arr = _check_binary(y, p_b)
    _check_same_length(y=y_arr, p_b=b_arr)
    brier_wins, auc_wins, auc_n = 0.0, 0.0, 0
    for i in _resamples(len(y_arr), n_boot, seed):
        yi = y_arr[i]
        ba, bb = np.mean((a_arr[i] - yi) ** 2), np.mean((b_arr[i] - yi) ** 2)
        brier_wins += 1.0 if ba < bb else 0.5 if ba == bb else 0.0
        if yi.min() != yi.max():
            aa, ab = _fast_auc(yi, a_arr[i]), _fast_auc(yi, b_arr[i])
            auc_wins += 1.0 if aa > ab else 0.5 if aa == ab else 0.0
            auc_n += 1
    return {"brier": brier_wins / n_boot,
            "auc": auc_wins / auc_n if auc_n else float("nan")}
