"""Forecasts as of a date: for every eligible series, or for one show with its reasons.

The model is trained on :func:`~.dataset.training_spells` at the same ``as_of`` — only what
was known then, as landmark looks at series with nothing announced
(:func:`~.landmark.landmark_rows`) — and applied to :func:`~.dataset.build_dataset` at
``as_of``, less the series a dated source lists a continuation for. Fitted models are cached
on disk (keyed by the database's snapshots, the date and the model), so a second question
about the same date is answered without refitting.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
import platformdirs

from .. import __version__
from ..errors import ConfigError, DataMissingError
from ..store.conn import Conn
from ..store.snapshots import snapshot_digests
from .backtest import ENSEMBLE, MODEL_PARAMS, PRIMARY_YEARS
from .base import SurvivalModel
from .calibrate import Recalibrated, fit_recalibration
from .dataset import Dataset, build_dataset, data_end, drop_announced, training_spells
from .defaults import DEFAULT_MODEL, RECALIBRATE
from .landmark import LandmarkModel, landmark_rows
from .models import MODEL_NAMES

__all__ = ["DEFAULT_MODEL", "HORIZONS", "Fitted", "ForecastRun", "fit_at", "forecast_all",
           "parse_as_of", "cache_dir"]

#: the horizons every forecast reports, in years from the forecast date
HORIZONS = {"p_1y": 1.0, "p_2y": 2.0, "p_3y": 3.0, "p_5y": 5.0}


def cache_dir() -> Path:
    return Path(os.environ.get("NEXTSEASON_CACHE")
                or platformdirs.user_cache_dir("nextseason", appauthor=False))


def parse_as_of(conn: Conn, as_of: str | None) -> str:
    """``as_of`` as an ISO date; default: the newest catalogue snapshot's date."""
    if as_of is None:
        return data_end(conn)
    try:
        return date.fromisoformat(as_of).isoformat()
    except ValueError:
        raise ConfigError(f"--as-of {as_of!r} is not a date (use YYYY-MM-DD)") from None


@dataclass
class Fitted:
    as_of: str
    model_name: str
    model: SurvivalModel
    X_train: pd.DataFrame
    spells: pd.DataFrame


def _make(name: str) -> SurvivalModel:
    if name == "ensemble":
        from .ensemble import EnsembleModel

        return EnsembleModel(ENSEMBLE, landmark=True)
    if name not in MODEL_NAMES:
        raise ConfigError(f"unknown model {name!r}; choose one of "
                          f"{', '.join((*MODEL_NAMES, 'ensemble'))}")
    return LandmarkModel(name, MODEL_PARAMS.get(name, {}))


def _code_digest() -> str:
    """A hash of the forecasting code itself, so a changed model never reads an old cache."""
    h = hashlib.sha256()
    for f in sorted(Path(__file__).parent.glob("*.py")):
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def _cache_key(conn: Conn, as_of: str, model: str) -> str:
    h = hashlib.sha256(f"{__version__}|{_code_digest()}|{as_of}|{model}".encode())
    # live refreshes are dated after the newest catalogue and never train the model: a
    # refresh reuses the model trained before it
    for name, digest in snapshot_digests(conn, except_kind="live"):
        h.update(f"|{name}:{digest}".encode())
    return h.hexdigest()[:24]


def fit_at(conn: Conn, as_of: str, model: str = DEFAULT_MODEL,
           *, use_cache: bool = True) -> Fitted:
    """Train ``model`` on what was known at ``as_of`` (from the cache when possible)."""
    path = cache_dir() / f"model-{_cache_key(conn, as_of, model)}.joblib"
    if use_cache and path.exists():
        try:
            fitted = joblib.load(path)
            if isinstance(fitted, Fitted):
                return fitted
        except Exception:  # a stale or broken cache entry is simply rebuilt
            path.unlink(missing_ok=True)
    X, spells = training_spells(conn, as_of)
    X_looks, looks = landmark_rows(X, spells)
    if not looks["event"].any():
        raise DataMissingError(
            f"nothing to learn from as of {as_of}: no next season in the data followed a"
            " wait with nothing announced")
    m: SurvivalModel = _make(model).fit(X_looks, looks["duration"], looks["event"],
                                        looks["entry"])
    if model == DEFAULT_MODEL and RECALIBRATE:
        # learned LAG_YEARS before as_of, from outcomes known by as_of: never on the future
        cal = fit_recalibration(X, spells, lambda: _make(model), max_elapsed=PRIMARY_YEARS)
        m = Recalibrated(m, cal)
    fitted = Fitted(as_of, model, m, X, spells)
    if use_cache:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        joblib.dump(fitted, tmp)
        os.replace(tmp, path)
    return fitted


@dataclass
class ForecastRun:
    as_of: str
    model: str
    until: str | None
    rows: pd.DataFrame  # mal_id, title, p_1y, p_2y, p_3y, p_5y, p_ever[, p_until]
    ineligible: pd.DataFrame  # mal_id, title, reason
    dataset: Dataset = field(repr=False)


def forecast_all(conn: Conn, as_of: str | None = None, *,
                 until: str | None = None, model: str = DEFAULT_MODEL,
                 use_cache: bool = True) -> ForecastRun:
    as_of = parse_as_of(conn, as_of)
    if until is not None:
        until = parse_as_of(conn, until)
        if until <= as_of:
            raise ConfigError(f"--until {until} must be after the forecast date {as_of}")
    fitted = fit_at(conn, as_of, model, use_cache=use_cache)
    ds = drop_announced(conn, build_dataset(conn, as_of))
    rows = predict_rows(fitted, ds, until)
    return ForecastRun(as_of, model, until, rows, ds.ineligible, ds)


def predict_rows(fitted: Fitted, ds: Dataset, until: str | None = None) -> pd.DataFrame:
    horizons = list(HORIZONS.values())
    if until is not None:
        horizons.append((date.fromisoformat(until) - date.fromisoformat(ds.as_of)).days
                        / 365.25)
    elapsed = ds.frame["elapsed"].to_numpy()
    p = fitted.model.predict_within(ds.X, elapsed, horizons)
    out = pd.DataFrame({"mal_id": ds.frame.index, "title": ds.frame["title"].to_numpy()})
    for i, name in enumerate(HORIZONS):
        out[name] = p[:, i]
    out["p_ever"] = np.maximum(fitted.model.predict_ever(ds.X, elapsed), p.max(axis=1))
    if until is not None:
        out["p_until"] = p[:, -1]
    out["ended"] = ds.frame["end"].dt.date.astype(str).to_numpy()
    out["years_since_end"] = np.round(elapsed, 2)
    return out
