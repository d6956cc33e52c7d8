"""Landmark training, recalibration on the past, and the bootstrap of the model card."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit

from nextseason.forecast.base import NotFittedError
from nextseason.forecast.calibrate import (
    Recalibrated,
    Recalibration,
    censor_spells,
    fit_recalibration,
)
from nextseason.forecast.ensemble import EnsembleModel
from nextseason.forecast.landmark import LandmarkModel, landmark_rows
from nextseason.forecast.metrics import auc, bootstrap_intervals, brier_skill, ici, paired_bootstrap


def spells(n: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Seasons that end over 15 years before the data's end. A series with ``x0`` high is
    likelier to get a next season; half of those come within a year and are announced at the
    finale (never in the forecast population), the rest wait 1–6 years, announced half a
    year ahead."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 2))
    followup = rng.uniform(0.2, 15.0, n)
    gets = rng.random(n) < expit(-1.0 + 1.5 * x[:, 0])
    quick = rng.random(n) < 0.5
    wait = np.where(gets, np.where(quick, rng.uniform(0.05, 0.9, n), rng.uniform(1.0, 6.0, n)),
                    np.inf)
    event = (wait <= followup).astype(int)
    announced = np.where(np.isfinite(wait), np.where(quick, 0.0, wait - 0.5), np.inf)
    s = pd.DataFrame({"duration": np.minimum(wait, followup), "event": event, "entry": 0.0,
                      "followup": followup, "announced": announced},
                     index=pd.Index(np.arange(n), name="mal_id"))
    return pd.DataFrame(x, columns=["x0", "x1"], index=s.index), s


@pytest.fixture(scope="module")
def data() -> tuple[pd.DataFrame, pd.DataFrame]:
    return spells(1500, seed=4)


@pytest.mark.parametrize("base", ["km", "cure", "gbm"])
def test_landmark_model_contract(base, data) -> None:
    X, s = data
    Xl, looks = landmark_rows(X, s)
    params = {"cohort": "elapsed_band"} if base == "km" else {}
    m = LandmarkModel(base, params)
    assert vars(m) == {"base": base, "params": params}
    with pytest.raises(NotFittedError):
        m.predict_within(X.head(2), 0.0, [1.0])
    assert m.fit(Xl, looks["duration"], looks["event"], looks["entry"]) is m
    p = m.predict_within(X.head(50), np.full(50, 0.3), [1.0, 2.0, 5.0])
    assert ((p >= 0) & (p <= 1)).all() and (np.diff(p, axis=1) >= -1e-12).all()
    ever = m.predict_ever(X.head(50), np.full(50, 0.3))
    assert (ever >= p[:, -1] - 1e-9).all()


def test_landmark_training_does_not_learn_from_announced_seasons(data) -> None:
    """Right after the finale, whole spells see the quick, announced continuations and
    forecast far too many; the landmark looks see only what a forecast is made for."""
    X, s = data
    Xl, looks = landmark_rows(X, s)
    new = LandmarkModel("cure").fit(Xl, looks["duration"], looks["event"], looks["entry"])
    from nextseason.forecast.models import make_model

    old = make_model("cure").fit(X, s["duration"], s["event"], s["entry"])
    # the truth for the forecast population at elapsed 0.2: the unannounced half waits
    # 1-6 years, so nothing premieres within 0.5 years
    Xt, st = spells(4000, seed=5)
    at = 0.2
    pop = (st["duration"] > at) & (st["announced"] > at) & (st["followup"] > at + 0.5)
    y = ((st["event"] == 1) & (st["duration"] <= at + 0.5))[pop]
    assert y.sum() == 0
    p_new = new.predict_within(Xt[pop], at, [0.5])[:, 0]
    p_old = old.predict_within(Xt[pop], at, [0.5])[:, 0]
    assert p_new.mean() < 0.5 * p_old.mean()


def test_censor_spells_knows_only_the_earlier_past(data) -> None:
    _, s = data
    c = censor_spells(s, 3.0)
    assert (c["followup"] > 0).all() and len(c) == int((s["followup"] > 3.0).sum())
    np.testing.assert_allclose(c["followup"], s.loc[c.index, "followup"] - 3.0)
    later = s.loc[c.index, "duration"] > c["followup"]
    assert (c.loc[later, "event"] == 0).all()
    assert (c["duration"] <= c["followup"] + 1e-12).all()
    assert np.isinf(c.loc[s.loc[c.index, "announced"] >= c["followup"], "announced"]).all()


def test_recalibration_recovers_a_known_miscalibration() -> None:
    rng = np.random.default_rng(0)
    p_true = expit(rng.normal(-2.5, 1.0, 20000))
    y = (rng.random(20000) < p_true).astype(int)
    elapsed = rng.uniform(0, 5, 20000)
    too_high = expit(np.log(p_true / (1 - p_true)) * 0.5 + 0.8)  # flat and too high
    cal = Recalibration.fit(too_high, y, elapsed)
    assert cal.slope == pytest.approx(2.0, rel=0.15) and abs(cal.recent) < 0.3
    fixed = cal.apply(too_high, elapsed)
    assert ici(y, fixed) < 0.005 < ici(y, too_high)
    assert brier_skill(y, fixed) > brier_skill(y, too_high)
    # too few events to learn from: the identity
    ident = Recalibration.fit(too_high[:50], np.r_[1, np.zeros(49, dtype=int)], elapsed[:50])
    np.testing.assert_allclose(ident.apply(too_high[:50], elapsed[:50]), too_high[:50],
                               rtol=1e-6)


def test_recalibration_is_learned_before_the_forecast_date(data) -> None:
    """Changing what happened in the last LAG_YEARS changes nothing in the recalibration."""
    X, s = data
    make = lambda: EnsembleModel(("cure",), landmark=True)  # noqa: E731
    cal = fit_recalibration(X, s, make, lag=3.0)
    assert cal.n > 0 and cal.events >= 10
    changed = s.copy()
    recent = s["followup"] <= 3.0  # ended within the last three years
    changed.loc[recent, ["event", "duration"]] = [0, 0.1]
    again = fit_recalibration(X, changed, make, lag=3.0)
    assert (again.intercept, again.slope, again.recent) == (cal.intercept, cal.slope,
                                                             cal.recent)
    Xl, looks = landmark_rows(X, s)
    model = make().fit(Xl, looks["duration"], looks["event"], looks["entry"])
    wrapped = Recalibrated(model, cal)
    p = wrapped.predict_within(X.head(20), 1.0, [1.0, 3.0])
    assert (np.diff(p, axis=1) >= 0).all()
    with pytest.raises(NotFittedError):
        Recalibrated().predict_within(X.head(2), 1.0, [1.0])


def test_bootstrap_intervals_hold_the_estimate_and_shrink_with_n() -> None:
    rng = np.random.default_rng(1)
    p = rng.uniform(0.01, 0.5, 4000)
    y = (rng.random(4000) < p).astype(int)
    wide = bootstrap_intervals(y[:400], p[:400], n_boot=100)
    narrow = bootstrap_intervals(y, p, n_boot=100)
    for name, value in (("auc", auc(y, p)), ("brier_skill", brier_skill(y, p)),
                        ("ici", ici(y, p))):
        lo, hi = narrow[name]
        assert lo <= value <= hi
        assert hi - lo < wide[name][1] - wide[name][0]
    assert bootstrap_intervals(y, p, n_boot=50) == bootstrap_intervals(y, p, n_boot=50)


def test_paired_bootstrap_prefers_the_informative_forecast() -> None:
    rng = np.random.default_rng(2)
    p = rng.uniform(0.01, 0.6, 3000)
    y = (rng.random(3000) < p).astype(int)
    noise = np.full(3000, y.mean())
    good = paired_bootstrap(y, p, noise, n_boot=100)
    assert good["brier"] == 1.0 and good["auc"] == 1.0
    assert paired_bootstrap(y, noise, p, n_boot=100)["brier"] == 0.0
    assert paired_bootstrap(y, p, p, n_boot=20) == {"brier": 0.5, "auc": 0.5}
