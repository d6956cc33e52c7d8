"""Scores for binary forecasts and the reliability plot, against hand-computed values."""

from __future__ import annotations

import math
import struct
import subprocess
import sys
import warnings
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.nonparametric.smoothers_lowess import lowess
from statsmodels.stats.proportion import proportion_confint

from nextseason.forecast.metrics import (
    RELIABILITY_COLUMNS,
    MetricInputError,
    UndefinedMetricWarning,
    auc,
    brier,
    brier_skill,
    calibration_errors,
    concordance,
    ici,
    log_loss,
    lowess_calibration,
    reliability_table,
    score_binary,
    wilson_interval,
)
from nextseason.forecast.plots import curve_plot, reliability_plot

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# A tiny case used by several tests.
Y4 = np.array([1, 0, 1, 0])
P4 = np.array([0.8, 0.3, 0.6, 0.1])


# --------------------------------------------------------------------------- hand-computed


def test_brier_by_hand() -> None:
    # squared errors: (0.8-1)² + (0.3-0)² + (0.6-1)² + (0.1-0)² = 0.04 + 0.09 + 0.16 + 0.01
    # = 0.30, mean over 4 = 0.075
    assert brier(Y4, P4) == pytest.approx(0.075)


def test_brier_skill_by_hand() -> None:
    # base rate 0.5 → reference Brier = 0.5·(1-0.5) = 0.25; skill = 1 - 0.075/0.25 = 0.7
    assert brier_skill(Y4, P4) == pytest.approx(0.7)
    # reference 0.2 → (0.8² + 0.2² + 0.8² + 0.2²)/4 = 1.36/4 = 0.34; 1 - 0.075/0.34
    assert brier_skill(Y4, P4, reference=0.2) == pytest.approx(1 - 0.075 / 0.34)
    # a baseline model's forecasts as the reference: Brier(P4/2) =
    # (0.6² + 0.15² + 0.7² + 0.05²)/4 = (0.36 + 0.0225 + 0.49 + 0.0025)/4 = 0.21875
    assert brier_skill(Y4, P4, reference=P4 / 2) == pytest.approx(1 - 0.075 / 0.21875)


def test_log_loss_by_hand() -> None:
    # -(ln 0.8 + ln 0.7 + ln 0.6 + ln 0.9)/4 = (0.22314 + 0.35667 + 0.51083 + 0.10536)/4
    expected = -(math.log(0.8) + math.log(0.7) + math.log(0.6) + math.log(0.9)) / 4
    assert log_loss(Y4, P4) == pytest.approx(expected)
    assert expected == pytest.approx(0.299002, abs=1e-6)


def test_log_loss_clips_certain_misses() -> None:
    # p = 0 for an event: clipped to 1e-6, loss = -ln(1e-6) = 13.8155..., not infinity
    assert log_loss([1], [0.0]) == pytest.approx(-math.log(1e-6))
    assert log_loss([0, 1], [0.0, 1.0]) == pytest.approx(-math.log(1 - 1e-6))


def test_auc_by_hand() -> None:
    # events score 0.35 and 0.8, non-events 0.1 and 0.4. Pairs (event, non-event):
    # 0.35>0.1 yes, 0.35>0.4 no, 0.8>0.1 yes, 0.8>0.4 yes → 3 of 4 = 0.75
    assert auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == pytest.approx(0.75)
    # a tie counts one half
    assert auc([0, 1], [0.5, 0.5]) == pytest.approx(0.5)


def test_auc_single_class_is_nan_with_reason() -> None:
    with pytest.warns(UndefinedMetricWarning, match="no events"):
        assert math.isnan(auc([0, 0, 0], [0.1, 0.2, 0.3]))
    with pytest.warns(UndefinedMetricWarning, match="only events"):
        assert math.isnan(auc([1, 1], [0.1, 0.2]))


# Five shows, years from the finale to the next season (event 1) or to the end of the data
# (event 0), and a risk score. Comparable pairs: the earlier time must be an event.
#   show 1 (t=1, event, risk .9) vs shows 2,3,4,5 (risk .5 .7 .2 .3): 4 concordant
#   show 2 (t=2, censored): starts no pair
#   show 3 (t=3, event, risk .7) vs shows 4,5 (risk .2 .3): 2 concordant
#   show 4 (t=4, event, risk .2) vs show 5 (risk .3): discordant
#   → C = 6/7
DURATION = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
EVENT = np.array([1, 0, 1, 1, 0])
RISK = np.array([0.9, 0.5, 0.7, 0.2, 0.3])


def test_concordance_by_hand() -> None:
    assert concordance(DURATION, EVENT, RISK) == pytest.approx(6 / 7)
    # risk tie in the last pair counts ½ → 6.5/7
    tied = np.array([0.9, 0.5, 0.7, 0.3, 0.3])
    assert concordance(DURATION, EVENT, tied) == pytest.approx(6.5 / 7)


def test_concordance_sign() -> None:
    # risk that predicts early events is concordant; its negation is the mirror image
    assert concordance(DURATION, EVENT, RISK) > 0.5
    assert concordance(DURATION, EVENT, -RISK) == pytest.approx(1 / 7)
    rng = np.random.default_rng(3)
    risk = rng.normal(size=500)
    duration = rng.exponential(1 / np.exp(risk))  # higher risk → shorter wait
    event = (rng.uniform(size=500) < 0.7).astype(int)
    assert concordance(duration, event, risk) > 0.6


def test_concordance_without_comparable_pairs_is_nan() -> None:
    with pytest.warns(UndefinedMetricWarning, match="no comparable pairs"):
        assert math.isnan(concordance([1.0, 2.0], [0, 0], [0.3, 0.4]))


# --------------------------------------------------------------------------- extremes


@pytest.mark.parametrize("y", [np.array([0, 1, 1, 0, 0, 0, 1, 0]), np.array([0] * 9 + [1])])
def test_perfect_and_base_rate_forecasts(y: np.ndarray) -> None:
    base = np.full(len(y), y.mean())
    assert brier_skill(y, base) == pytest.approx(0.0, abs=1e-12)
    assert brier_skill(y, y.astype(float)) == pytest.approx(1.0)
    assert brier(y, y) == 0.0
    assert auc(y, y) == 1.0
    assert auc(y, base) == 0.5
    assert log_loss(y, y) == pytest.approx(-math.log(1 - 1e-6))
    # a constant forecast equal to the base rate is perfectly calibrated in the large:
    # the smoother's observed rate is the base rate, so ICI = 0
    assert ici(y, base) == pytest.approx(0.0, abs=1e-12)


def test_brier_skill_undefined_when_reference_is_perfect() -> None:
    with pytest.warns(UndefinedMetricWarning, match="reference forecast is perfect"):
        assert math.isnan(brier_skill([0, 0, 0], [0.1, 0.2, 0.0]))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.booleans(), st.integers(0, 1000)), min_size=2, max_size=60).filter(
        lambda rows: len({y for y, _ in rows}) == 2
    )
)
def test_auc_invariant_to_monotone_transforms(rows: list[tuple[bool, int]]) -> None:
    y = np.array([int(a) for a, _ in rows])
    p = np.array([b / 1000 for _, b in rows])
    expected = auc(y, p)
    for transformed in (p**2, np.sqrt(p), 0.3 + 0.7 * p, 1 / (1 + np.exp(-10 * (p - 0.5)))):
        assert auc(y, transformed) == pytest.approx(expected)


# --------------------------------------------------------------------------- calibration


def test_ici_constant_forecast_by_hand() -> None:
    # every forecast 0.3, observed rate 2/4 = 0.5 → |0.3 - 0.5| = 0.2 for each row
    errors = calibration_errors([0, 1, 0, 1], [0.3] * 4)
    assert errors == pytest.approx({"ici": 0.2, "e50": 0.2, "e90": 0.2, "emax": 0.2})


def test_ici_tied_forecasts_by_hand() -> None:
    # 18 shows at 0.1 (2 events) and 2 at 0.5 (1 event); n = 20, window k = int(20·2/3) = 13.
    # At 0.1 all 13 nearest are tied → the tie's mean 2/18 = 1/9. At 0.5 the window reaches
    # the 0.1 shows only at its edge (weight 0) → 1/2. ICI = (18·|0.1 - 1/9| + 2·0)/20 = 0.01.
    # (statsmodels' lowess returns the raw 0/1 outcome for a window of radius 0 here.)
    y = np.array([1, 1] + [0] * 16 + [1, 0])
    p = np.array([0.1] * 18 + [0.5] * 2)
    smooth = lowess_calibration(y, p)
    np.testing.assert_allclose(smooth, [1 / 9] * 18 + [0.5] * 2)
    assert ici(y, p) == pytest.approx(0.01)


@pytest.mark.parametrize("n", [40, 500, 5000])
def test_lowess_matches_statsmodels_on_untied_data(n: int) -> None:
    rng = np.random.default_rng(n)
    p = rng.beta(1, 8, size=n)
    y = rng.binomial(1, p)
    ours = lowess_calibration(y, p)
    reference = lowess(
        y.astype(float), p, frac=2 / 3, it=0, delta=0.01 * np.ptp(p), return_sorted=False
    )
    np.testing.assert_allclose(ours, reference, atol=1e-7)


def test_ici_near_zero_for_calibrated_and_large_for_halved() -> None:
    rng = np.random.default_rng(20190)
    p = rng.uniform(size=20_000)
    y = rng.binomial(1, p)
    calibrated = calibration_errors(y, p)
    assert calibrated["ici"] < 0.01
    assert calibrated["e90"] < 0.02
    # forecasting p/2 when the truth is p: the gap at forecast q is 2q - q = q, so
    # ICI ≈ mean(p/2) = 0.25 for uniform p
    halved = calibration_errors(y, p / 2)
    assert halved["ici"] == pytest.approx(0.25, abs=0.02)
    assert halved["e50"] > 0.2


# --------------------------------------------------------------------------- reliability


def test_wilson_interval_by_hand() -> None:
    # 1 event in 3: z² = 3.8415, denominator 1 + 3.8415/3 = 2.2805,
    # centre (1/3 + 3.8415/6)/2.2805 = 0.42691,
    # half 1.96·sqrt((2/9)/3 + 3.8415/36)/2.2805 = 1.96·0.42518/2.2805 = 0.36543
    # → (0.0615, 0.7923)
    lo, hi = wilson_interval(1, 3)
    assert (float(lo), float(hi)) == pytest.approx((0.06148, 0.79234), abs=1e-4)
    for k, n in [(0, 10), (3, 40), (40, 40)]:
        ref = proportion_confint(k, n, alpha=0.05, method="wilson")
        assert tuple(map(float, wilson_interval(k, n))) == pytest.approx(ref)


def test_reliability_table_by_hand() -> None:
    # uniform, 2 bins: [0, .5) holds .05 .15 .25 (1 event), [.5, 1] holds .55 .65 .95 (2)
    y = [0, 0, 1, 0, 1, 1]
    p = [0.05, 0.15, 0.25, 0.55, 0.65, 0.95]
    table = reliability_table(y, p, bins=2, strategy="uniform")
    assert list(table.columns) == list(RELIABILITY_COLUMNS)
    assert table["n"].tolist() == [3, 3]
    assert table["p_low"].tolist() == [0.0, 0.5]
    assert table["p_high"].tolist() == [0.5, 1.0]
    assert table["mean_predicted"].tolist() == pytest.approx([0.15, 2.15 / 3])
    assert table["observed_rate"].tolist() == pytest.approx([1 / 3, 2 / 3])
    assert table.loc[0, ["lo", "hi"]].tolist() == pytest.approx([0.06148, 0.79234], abs=1e-4)


@pytest.mark.parametrize("strategy", ["quantile", "uniform"])
@pytest.mark.parametrize("bins", [1, 5, 10, 20])
def test_reliability_bins_sum_to_n(strategy: str, bins: int) -> None:
    rng = np.random.default_rng(bins)
    p = np.concatenate([np.zeros(300), rng.beta(1, 20, 700), [1.0]])  # heavy ties, p = 1
    y = rng.binomial(1, p)
    table = reliability_table(y, p, bins=bins, strategy=strategy)  # type: ignore[arg-type]
    assert table["n"].sum() == len(p)
    assert (table["n"] > 0).all()
    assert ((table["lo"] <= table["observed_rate"]) & (table["observed_rate"] <= table["hi"])).all()
    assert table["bin"].is_monotonic_increasing


def test_reliability_quantile_bins_are_balanced() -> None:
    p = np.linspace(0.0, 1.0, 1000)
    table = reliability_table(np.zeros(1000, dtype=int), p, bins=10)
    assert table["n"].tolist() == [100] * 10


def test_reliability_constant_forecast_is_one_bin() -> None:
    table = reliability_table([0, 1, 0, 1], [0.3] * 4)
    assert table["n"].tolist() == [4]
    assert table["observed_rate"].tolist() == [0.5]


# --------------------------------------------------------------------------- summary


def test_score_binary_has_every_score() -> None:
    result = score_binary(Y4, P4)
    assert set(result) == {
        "n", "events", "base_rate", "mean_predicted", "auc", "brier", "brier_skill",
        "log_loss", "ici", "e50", "e90", "notes",
    }
    assert result["n"] == 4 and result["events"] == 2
    assert result["base_rate"] == 0.5
    assert result["mean_predicted"] == pytest.approx(0.45)
    assert result["brier"] == pytest.approx(0.075)
    assert result["brier_skill"] == pytest.approx(0.7)
    assert result["auc"] == 1.0
    assert result["notes"] == []


def test_score_binary_explains_undefined_scores() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the reasons go to notes, not to warnings
        result = score_binary([0, 0, 0, 0], [0.1, 0.1, 0.2, 0.0])
    assert math.isnan(result["auc"]) and math.isnan(result["brier_skill"])
    assert len(result["notes"]) == 2
    assert "AUC is undefined" in result["notes"][0]


# --------------------------------------------------------------------------- validation

BINARY_METRICS = [auc, brier, brier_skill, log_loss, ici, calibration_errors,
                  reliability_table, score_binary, lowess_calibration]


@pytest.mark.parametrize("metric", BINARY_METRICS, ids=lambda f: f.__name__)
@pytest.mark.parametrize(
    ("y", "p", "message"),
    [
        ([0, 1, 1], [0.1, 0.2], "same length"),
        ([0, 1], [0.1, 1.2], r"p must be probabilities in \[0, 1\]; position 1 is 1.2"),
        ([0, 1], [-0.1, 0.2], "probabilities"),
        ([0, 2], [0.1, 0.2], "y must hold outcomes 0 or 1; position 1 is 2.0"),
        ([0, 1], [0.1, float("nan")], "p has 1 NaN or infinite values"),
        ([0, float("nan")], [0.1, 0.2], "y has 1 NaN"),
        ([], [], "empty"),
        ([[0, 1]], [[0.1, 0.2]], "one-dimensional"),
        (["a", "b"], [0.1, 0.2], "numeric"),
    ],
)
def test_binary_metrics_validate_input(metric, y, p, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=message) as info:
        metric(y, p)
    assert isinstance(info.value, MetricInputError)


def test_other_arguments_are_validated() -> None:
    with pytest.raises(MetricInputError, match="reference must be a probability"):
        brier_skill(Y4, P4, reference=1.5)
    with pytest.raises(MetricInputError, match="same length"):
        brier_skill(Y4, P4, reference=[0.1, 0.2])
    with pytest.raises(MetricInputError, match="bins must be a positive integer"):
        reliability_table(Y4, P4, bins=0)
    with pytest.raises(MetricInputError, match="strategy"):
        reliability_table(Y4, P4, strategy="kmeans")  # type: ignore[arg-type]
    with pytest.raises(MetricInputError, match="same length"):
        concordance(DURATION, EVENT, RISK[:4])
    with pytest.raises(MetricInputError, match="event must hold outcomes 0 or 1"):
        concordance(DURATION, [1, 0, 2, 1, 0], RISK)
    with pytest.raises(MetricInputError, match="duration must be >= 0"):
        concordance([-1.0, 2.0], [1, 0], [0.3, 0.4])
    with pytest.raises(MetricInputError, match="risk has 1 NaN"):
        concordance([1.0, 2.0], [1, 0], [0.3, float("nan")])


# --------------------------------------------------------------------------- plots


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk
    return width, height


def _raw_backend() -> object:
    # read without resolving the "auto" backend, which would itself change global state
    return dict.__getitem__(matplotlib.rcParams, "backend")


def test_reliability_plot_writes_png(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    p = rng.beta(1, 15, 800)  # rare events: the axes zoom to about 0.3, not 0-1
    y = rng.binomial(1, p)
    curves = {
        "model": reliability_table(y, p),
        "base rate": reliability_table(y, np.full(800, y.mean())),
        "empty": pd.DataFrame(columns=list(RELIABILITY_COLUMNS)),
    }
    before = _raw_backend()
    out = reliability_plot(curves, tmp_path / "sub" / "reliability.png", "within 3 years")
    assert out == tmp_path / "sub" / "reliability.png"
    assert _png_size(out) == (840, 600)
    assert _raw_backend() == before


def test_curve_plot_writes_png(tmp_path: Path) -> None:
    years = np.arange(0, 11, dtype=float)
    before = _raw_backend()
    out = curve_plot(
        {"Higehiro": (years, 1 - np.exp(-0.03 * years)), "base rate": (years, 0.02 * years)},
        tmp_path / "curve.png", "P(new season)", "years since the finale", "probability",
    )
    assert _png_size(out) == (840, 600)
    assert _raw_backend() == before


def test_plots_do_not_touch_pyplot(tmp_path: Path) -> None:
    code = (
        "import sys, numpy as np\n"
        "from pathlib import Path\n"
        "from nextseason.forecast.metrics import reliability_table\n"
        "from nextseason.forecast.plots import reliability_plot, curve_plot\n"
        "t = reliability_table([0, 1, 0, 1, 1], [.1, .6, .2, .7, .9], bins=2)\n"
        f"reliability_plot({{'m': t}}, Path({str(tmp_path / 'a.png')!r}), 't')\n"
        f"curve_plot({{'m': ([0, 1], [0, .1])}}, Path({str(tmp_path / 'b.png')!r}),"
        " 't', 'x', 'y')\n"
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    assert (tmp_path / "a.png").read_bytes()[:8] == PNG_SIGNATURE


def test_plots_validate_input(tmp_path: Path) -> None:
    with pytest.raises(MetricInputError, match="at least one curve"):
        reliability_plot({}, tmp_path / "x.png", "t")
    with pytest.raises(MetricInputError, match="lacks columns"):
        reliability_plot({"m": pd.DataFrame({"n": [1]})}, tmp_path / "x.png", "t")
    with pytest.raises(MetricInputError, match="same length"):
        curve_plot({"m": ([0, 1, 2], [0, 1])}, tmp_path / "x.png", "t", "x", "y")
    assert not (tmp_path / "x.png").exists()
