"""The forecast models: the estimator contract, recovery of a known structure, golden numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit
from sklearn.metrics import roc_auc_score

from nextseason.forecast.base import EVER_YEARS, NotFittedError
from nextseason.forecast.models import (
    MODEL_NAMES,
    CoxModel,
    DiscreteTimeHazard,
    KaplanMeierBaseline,
    make_model,
)
from nextseason.forecast.models_dt import person_periods

REAL_MODELS = [name for name in MODEL_NAMES if name != "km"]
FOLLOW_UP = 2.5  # years each row is watched after it enters (the data's end)


def synthetic(n: int, seed: int, p: int = 4) -> tuple[pd.DataFrame, np.ndarray, np.ndarray,
                                                       np.ndarray]:
    """Series with a known structure, observed the way ours are.

    A series gets a sequel at all with probability ``logistic(-1.5 + 1.2 x0)`` (the rest never
    do), after a Weibull(shape 1.4, scale ``2 exp(-0.3 x1)``) wait. It enters the data
    ``U(0, 5)`` years after its end — only if no sequel came before (left truncation) — and is
    watched ``FOLLOW_UP`` years. ``x2, x3`` are noise.
    """
    rng = np.random.default_rng(seed)
    parts: list[tuple[np.ndarray, ...]] = []
    need = n
    while need > 0:
        m = 3 * need
        x = rng.normal(size=(m, p))
        susceptible = rng.random(m) < expit(-1.5 + 1.2 * x[:, 0])
        wait = np.where(susceptible, 2.0 * np.exp(-0.3 * x[:, 1]) * rng.weibull(1.4, m), np.inf)
        entry = rng.uniform(0.0, 5.0, m)
        seen = wait > entry
        x, wait, entry = x[seen], wait[seen], entry[seen]
        end = entry + FOLLOW_UP
        parts.append((x, np.minimum(wait, end), (wait <= end).astype(int), entry))
        need -= int(seen.sum())
    x, d, e, s = (np.concatenate(col)[:n] for col in zip(*parts, strict=True))
    return pd.DataFrame(x, columns=[f"x{i}" for i in range(p)]), d, e, s


@pytest.fixture(scope="module")
def small() -> tuple[pd.DataFrame, np.ndarray, np.ndarray, np.ndarray]:
    return synthetic(600, seed=1)


@pytest.fixture(scope="module")
def train() -> tuple[pd.DataFrame, np.ndarray, np.ndarray, np.ndarray]:
    return synthetic(4000, seed=2)


@pytest.fixture(scope="module")
def test_set() -> tuple[pd.DataFrame, np.ndarray, np.ndarray, np.ndarray]:
    return synthetic(20000, seed=3)


@pytest.fixture(scope="module")
def fitted(train) -> dict[str, object]:
    return {name: make_model(name).fit(*train) for name in MODEL_NAMES}


# -- the contract -------------------------------------------------------------------------

@pytest.mark.parametrize("name", MODEL_NAMES)
def test_init_stores_params_only_and_fit_returns_self(name, small):
    model = make_model(name)
    assert not [k for k in vars(model) if k.endswith("_")]
    assert model.fit(*small) is model
    assert [k for k in vars(model) if k.endswith("_")]


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_predict_before_fit_raises(name, small):
    X = small[0]
    with pytest.raises(NotFittedError, match="not fitted"):
        make_model(name).predict_within(X, np.zeros(len(X)), [1.0])
    with pytest.raises(NotFittedError):
        make_model(name).predict_ever(X, np.zeros(len(X)))


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_predictions_are_probabilities_rising_with_the_horizon(name, small):
    X, _, _, s = small
    model = make_model(name).fit(*small)
    horizons = [0.0, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0]
    p = model.predict_within(X, s, horizons)
    assert p.shape == (len(X), len(horizons))
    assert np.isfinite(p).all() and (p >= 0).all() and (p <= 1).all()
    assert np.allclose(p[:, 0], 0.0)
    assert (np.diff(p, axis=1) >= -1e-12).all()
    ever = model.predict_ever(X, s)
    assert ever.shape == (len(X),)
    assert (ever >= p.max(axis=1) - 1e-12).all()
    # a scalar elapsed applies to every row
    assert np.allclose(model.predict_within(X, 1.0, [2.0]),
                       model.predict_within(X, np.ones(len(X)), [2.0]))


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_refitting_gives_the_same_result(name, small):
    X, _, _, s = small
    a = make_model(name).fit(*small).predict_within(X, s, [1.0, 3.0])
    b = make_model(name).fit(*small).predict_within(X, s, [1.0, 3.0])
    assert np.array_equal(a, b)


@pytest.mark.parametrize("name", MODEL_NAMES)
@pytest.mark.parametrize("bad", ["nan_x", "entry_after_duration", "event_2", "short_event",
                                 "nan_duration", "zero_duration"])
def test_bad_inputs_are_rejected(name, bad, small):
    X, d, e, s = (v.copy() for v in small)
    if bad == "nan_x":
        X.iloc[3, 1] = np.nan
    elif bad == "entry_after_duration":
        s[5] = d[5] + 1.0
    elif bad == "event_2":
        e[0] = 2
    elif bad == "short_event":
        e = e[:-1]
    elif bad == "nan_duration":
        d[7] = np.nan
    elif bad == "zero_duration":
        d[7], s[7] = 0.0, 0.0
    with pytest.raises(ValueError):
        make_model(name).fit(X, d, e, s)


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_bad_prediction_inputs_are_rejected(name, small):
    X, _, _, s = small
    model = make_model(name).fit(*small)
    with pytest.raises(ValueError, match="elapsed"):
        model.predict_within(X, s[:-1], [1.0])
    with pytest.raises(ValueError, match="elapsed"):
        model.predict_ever(X, -s)
    with pytest.raises(ValueError, match="horizons"):
        model.predict_within(X, s, [np.nan])
    if name != "km":  # the pooled baseline ignores the features
        X_nan = X.copy()
        X_nan.iloc[0, 0] = np.nan
        with pytest.raises(ValueError, match="NaN"):
            model.predict_within(X_nan, s, [1.0])


def test_make_model_knows_its_names():
    assert MODEL_NAMES[0] == "km"
    assert isinstance(make_model("gbm"), DiscreteTimeHazard)
    assert make_model("logistic_dt").classifier == "logistic"
    assert make_model("cox", penalizer=0.5).penalizer == 0.5
    with pytest.raises(ValueError, match="unknown model"):
        make_model("deep_survival")


# -- recovering a known structure ---------------------------------------------------------

HORIZON = 2.0  # < FOLLOW_UP, so every test row's outcome at the horizon is known


@pytest.mark.parametrize("name", REAL_MODELS)
def test_models_rank_better_than_the_baseline_and_are_calibrated(name, fitted, test_set):
    X, d, e, s = test_set
    observed = (e == 1) & (d <= s + HORIZON)
    base = fitted["km"].predict_within(X, s, [HORIZON])[:, 0]
    p = fitted[name].predict_within(X, s, [HORIZON])[:, 0]
    assert roc_auc_score(observed, p) > roc_auc_score(observed, base) + 0.05
    assert abs(p.mean() - observed.mean()) < 0.015, (p.mean(), observed.mean())


def test_ignoring_left_truncation_is_caught_by_the_calibration_check(train, test_set):
    """The check above has teeth: the same baseline fitted without ``entry`` is biased."""
    X, d, e, s = test_set
    observed = ((e == 1) & (d <= s + HORIZON)).mean()
    naive = KaplanMeierBaseline().fit(train[0], train[1], train[2])  # entry ignored
    assert abs(naive.predict_within(X, s, [HORIZON]).mean() - observed) > 0.03


def test_cure_model_recovers_the_incidence_structure(fitted):
    cure = fitted["cure"]
    coef = cure.cure_coefficients_
    assert list(coef.index) == ["intercept", "x0", "x1", "x2", "x3"]
    assert 0.8 < coef["x0"] < 1.5  # truth 1.2 per sd (a little shrunk)
    assert abs(coef["x2"]) < 0.2 and abs(coef["x3"]) < 0.2
    assert 1.1 < cure.weibull_shape_ < 1.8  # truth 1.4
    assert cure.latency_coefficients_["x1"] < -0.1  # x1 shortens the wait (truth -0.3)


def test_cox_coefficients_are_per_feature_and_drop_constants(train):
    X, d, e, s = train
    X = X.assign(const=3.0)
    cox = CoxModel().fit(X, d, e, s)
    assert list(cox.coefficients_.index) == [*X.columns]
    assert cox.coefficients_["const"] == 0.0 and "const" in cox.scaler_.dropped
    assert cox.coefficients_["x0"] > 0.3 and cox.coefficients_.abs().idxmax() == "x0"


def test_discrete_time_is_flat_past_the_data(fitted, train):
    model = fitted["gbm"]
    assert model.horizon_ == pytest.approx(train[1].max())
    X = train[0].iloc[:20]
    late = model.predict_within(X, model.horizon_, [1.0, 10.0])
    assert np.allclose(late, 0.0)


def test_person_periods_start_at_entry_and_weight_partial_censored_intervals():
    rows, start, label, weight = person_periods(
        np.array([1.2, 2.0, 30.0]), np.array([1, 0, 1]), np.array([0.3, 1.0, 24.0]),
        step=0.5, max_years=25.0,
    )
    # row 0: [0.3, 0.8) [0.8, 1.2] event; row 1: [1.0, 1.5) [1.5, 2.0) censored, whole;
    # row 2: [24, 24.5) [24.5, 25) — its event at 30 is past max_years, so not counted
    assert rows.tolist() == [0, 0, 1, 1, 2, 2]
    assert np.allclose(start, [0.3, 0.8, 1.0, 1.5, 24.0, 24.5])
    assert label.tolist() == [0, 1, 0, 0, 0, 0]
    assert np.allclose(weight, [1, 1, 1, 1, 1, 1])
    _, _, label, weight = person_periods(np.array([1.1]), np.array([0]), np.array([0.0]),
                                         step=0.5, max_years=25.0)
    assert label.tolist() == [0, 0, 0] and np.allclose(weight, [1, 1, 0.2])


# -- golden numbers: five shows, by hand --------------------------------------------------

# show  entry  duration  event     at risk on (entry, duration]
#  A    0.0    2.0       1         (0, 2]
#  B    0.0    5.0       0         (0, 5]
#  C    1.0    3.0       1         (1, 3]
#  D    2.5    4.0       1         (2.5, 4]   enters after A's event: not in its risk set
#  E    0.5    6.0       0         (0.5, 6]
#
# event time  at risk        deaths  S(t) = S(t-) * (1 - deaths / at risk)
#   2.0       A B C E = 4    1       1 * 3/4          = 3/4
#   3.0       B C D E = 4    1       3/4 * 3/4        = 9/16
#   4.0       B D E   = 3    1       9/16 * 2/3       = 3/8
# S = 1 on [0, 2), 3/4 on [2, 3), 9/16 on [3, 4), 3/8 from 4 on (flat after the data).
# (Ignoring delayed entry, D would be at risk at t=2: 5 at risk, S(2) = 4/5 — wrong.)
FIVE = pd.DataFrame({
    "entry": [0.0, 0.0, 1.0, 2.5, 0.5],
    "duration": [2.0, 5.0, 3.0, 4.0, 6.0],
    "event": [1, 0, 1, 1, 0],
    "cohort": [1, 1, 1, 1, 1],
})


@pytest.mark.parametrize(("elapsed", "horizon", "expected"), [
    (0.0, 2.0, 1 - 3 / 4),               # the event at exactly t=2 counts (right-continuous)
    (0.0, 1.999, 0.0),
    (1.0, 1.5, 1 - (3 / 4) / 1),         # S(2.5) / S(1)
    (2.0, 0.5, 0.0),                     # S(2.5) / S(2) = 1
    (2.0, 2.0, 1 - (3 / 8) / (3 / 4)),   # = 1/2
    (3.0, 1.0, 1 - (3 / 8) / (9 / 16)),  # = 1/3
    (2.5, 0.75, 1 - (9 / 16) / (3 / 4)),  # = 1/4
    (4.0, 10.0, 0.0),                    # flat after the last event
])
def test_kaplan_meier_golden_five_shows(elapsed, horizon, expected):
    km = KaplanMeierBaseline().fit(FIVE[["cohort"]], FIVE["duration"], FIVE["event"],
                                   FIVE["entry"])
    got = km.predict_within(FIVE[["cohort"]].iloc[:1], [elapsed], [horizon])
    assert got[0, 0] == pytest.approx(expected, abs=1e-9)


def test_kaplan_meier_golden_ever_and_cohorts():
    X = FIVE[["cohort"]]
    km = KaplanMeierBaseline(cohort="cohort", min_rows=5).fit(
        X, FIVE["duration"], FIVE["event"], FIVE["entry"])
    assert km.predict_ever(X.iloc[:1], [0.0])[0] == pytest.approx(1 - 3 / 8, abs=1e-9)
    # a cohort never seen in training falls back on the pooled curve (here the same)
    unseen = pd.DataFrame({"cohort": [7]})
    assert km.predict_ever(unseen, [1.0])[0] == pytest.approx(1 - 3 / 8, abs=1e-9)


def test_kaplan_meier_one_curve_per_cohort_with_a_small_cohort_pooled():
    # cohort 1: the five shows; cohort 2: three shows that all get a sequel at t = 1
    X = pd.DataFrame({"cohort": [1] * 5 + [2] * 3})
    d = [*FIVE["duration"], 1.0, 1.0, 1.0]
    e = [*FIVE["event"], 1, 1, 1]
    s = [*FIVE["entry"], 0.0, 0.0, 0.0]
    per_cohort = KaplanMeierBaseline(cohort="cohort", min_rows=3).fit(X, d, e, s)
    probe = pd.DataFrame({"cohort": [1, 2]})
    got = per_cohort.predict_within(probe, [0.0, 0.0], [2.0])[:, 0]
    assert got == pytest.approx([1 / 4, 1.0], abs=1e-9)
    # with min_rows=4 cohort 2 is too small: the pooled curve (8 shows) is used for it
    # pooled, by hand: t=1: A B E F G H = 6 at risk (C enters at exactly 1 and is not yet at
    # risk: entry < t <= duration), 3 deaths -> 1/2; t=2: A B C E, 1 death -> 1/2 * 3/4 = 3/8
    pooled = KaplanMeierBaseline(cohort="cohort", min_rows=4).fit(X, d, e, s)
    got = pooled.predict_within(probe, [0.0, 0.0], [2.0])[:, 0]
    assert got == pytest.approx([1 / 4, 1 - 3 / 8], abs=1e-9)


def test_cox_without_covariates_is_the_delayed_entry_nelson_aalen():
    # the same risk sets by hand: H(t) = 1/4 at 2, + 1/4 at 3, + 1/3 at 4
    cox = CoxModel().fit(FIVE[["cohort"]], FIVE["duration"], FIVE["event"], FIVE["entry"])
    got = cox.predict_within(FIVE[["cohort"]].iloc[:1], [0.0], [2.0, 3.5, 9.0])[0]
    expected = 1 - np.exp(-np.array([1 / 4, 1 / 4 + 1 / 4, 1 / 4 + 1 / 4 + 1 / 3]))
    assert got == pytest.approx(expected, abs=1e-9)


def test_every_model_handles_entry_equal_to_duration(small):
    X, d, e, s = (v.copy() for v in small)
    s[:5] = d[:5]  # observed for zero time: no information, but valid
    for name in MODEL_NAMES:
        p = make_model(name).fit(X, d, e, s).predict_within(X, s, [1.0])
        assert np.isfinite(p).all()


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_ever_means_within_ever_years_of_the_end(name, fitted, test_set):
    X, _, _, s = test_set
    model = fitted[name]
    ever = model.predict_ever(X.iloc[:5], s[:5])
    for i in range(5):
        within = model.predict_within(X.iloc[[i]], s[[i]], [EVER_YEARS - s[i]])[0, 0]
        assert ever[i] == pytest.approx(within, abs=1e-12)


def test_boosted_hazard_on_a_share_of_the_negatives(train, test_set):
    """Fitting on a quarter of the person-periods without an event, weighted by 4, keeps
    every event and ranks and calibrates about as well as the full fit; a share outside
    (0, 1] is refused."""
    from nextseason.forecast.models_dt import DiscreteTimeHazard

    X, d, e, s = test_set
    y = ((e == 1) & (d - s <= 2.0)).astype(int)
    full = make_model("gbm", step=1.0).fit(*train)
    part = make_model("gbm", step=1.0, negatives=0.25).fit(*train)
    assert part.n_person_periods_ == full.n_person_periods_  # counted before the draw
    p_full = full.predict_within(X, s, [2.0])[:, 0]
    p_part = part.predict_within(X, s, [2.0])[:, 0]
    assert roc_auc_score(y, p_part) > roc_auc_score(y, p_full) - 0.02
    assert abs(p_part.mean() - p_full.mean()) < 0.02
    again = make_model("gbm", step=1.0, negatives=0.25).fit(*train)
    np.testing.assert_array_equal(again.predict_within(X[:50], s[:50], [2.0]),
                                  part.predict_within(X[:50], s[:50], [2.0]))
    for bad in (0.0, 1.5):
        with pytest.raises(ValueError, match="negatives"):
            DiscreteTimeHazard(negatives=bad).fit(*train)


def test_boosted_trees_use_the_idle_cores(monkeypatch):
    from nextseason.forecast import models_dt

    monkeypatch.setattr(models_dt.os, "sched_getaffinity", lambda pid: {0, 1})
    for load, threads in [(0.2, 2), (1.0, 2), (1.4, 2), (1.6, 1), (3.0, 1), (9.0, 1)]:
        monkeypatch.setattr(models_dt.os, "getloadavg", lambda load=load: (load, 0.0, 0.0))
        assert models_dt.gbm_threads() == threads, load

    def no_load() -> tuple[float, float, float]:
        raise OSError("no load average")

    monkeypatch.setattr(models_dt.os, "getloadavg", no_load)
    assert models_dt.gbm_threads() == 1


def test_boosted_forecasts_do_not_depend_on_the_thread_count(monkeypatch, small):
    from nextseason.forecast import models_dt

    X, d, e, s = small
    got = []
    for threads in (1, 2):
        monkeypatch.setattr(models_dt, "gbm_threads", lambda threads=threads: threads)
        m = make_model("gbm", step=1.0, negatives=0.5).fit(X, d, e, s)
        got.append(m.predict_within(X, np.ones(len(X)), [1.0, 3.0]))
    np.testing.assert_allclose(got[0], got[1], rtol=0, atol=1e-12)
