"""The model card: the backtest's scores, written as Markdown with a reliability plot.

Everything in it is computed by the run that writes it; nothing is typed in by hand.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from .backtest import RECENT_YEARS, BacktestResult
from .defaults import DEFAULT_MODEL
from .features import __doc__ as FEATURES_DOC
from .plots import reliability_plot

__all__ = ["write_model_card", "TARGETS"]

#: the issue's targets for "the next TV/ONA season premieres by 2025-03"
TARGETS = {"2021-01-24": {"auc": 0.88, "brier_skill": 0.20, "ici": 0.02},
           "2018-06-30": {"auc": 0.80}}

_COLS = ["model", "kind", "n", "events", "base_rate", "mean_predicted", "auc", "brier",
         "brier_skill", "log_loss", "ici", "concordance"]


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
                    & (table["subset"] == "all") & (table["model"] == model)]
        if row.empty:
            continue
        r = row.iloc[0]
        for metric, goal in targets.items():
            value = float(r[metric])
            ok = value <= goal if metric == "ici" else value >= goal
            sign = "≤" if metric == "ici" else "≥"
            lines.append(f"- origin {origin}, {metric}: **{value:.3f}** (target {sign} {goal})"
                         f" — {'met' if ok else 'NOT met'}")
    return lines


def write_model_card(result: BacktestResult, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    table = result.table()
    plots = []
    for origin, curves in result.reliability.items():
        keep = {k: v for k, v in curves.items()
                if k in (result.default_model, "km", "plain logistic", DEFAULT_MODEL)}
        path = reliability_plot(keep, folder / f"reliability-{origin}.png",
                                f"Reliability, origin {origin}, {result.main_horizon}")
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
        " of the forecast date, and ever. Time runs from the end of the latest season; the"
        " models are survival models with left truncation (a series that ended years ago is"
        " at risk only from now on) and allow for the many series that never get a sequel.",
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
        for subset, label in (("all", "all eligible series"),
                              ("recent", f"series that ended ≤ {RECENT_YEARS:.0f} years before")):
            part = table[(table["origin"] == origin) & (table["horizon"] == result.main_horizon)
                         & (table["subset"] == subset)][_COLS]
            parts += [f"## Origin {origin}, {result.main_horizon}, {label}", _md_table(part), ""]
        other = table[(table["origin"] == origin) & (table["horizon"] != result.main_horizon)
                      & (table["subset"] == "all")][["horizon", *_COLS]]
        parts += [f"### Origin {origin}, other horizons", _md_table(other), ""]
    parts += ["## Reliability", ""]
    for origin, name in plots:
        parts += [f"![reliability at origin {origin}]({name})", ""]
        rt = result.reliability[origin].get(DEFAULT_MODEL)
        if rt is not None:
            parts += [f"Reliability table ({DEFAULT_MODEL}, origin {origin}):", "",
                      _md_table(rt.round(4)), ""]
    parts += [
        "## Features", "",
        "```", (FEATURES_DOC or "").strip(), "```", "",
        "## What the data cannot know", "",
        "- Home-video sales end in 2020; the 2025 catalogue is a subset of MAL (15,050"
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
