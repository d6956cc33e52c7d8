"""Renderers for forecasts and the backtest: terminal (Rich), CSV and JSON Lines."""

from __future__ import annotations

import csv
import json
from typing import IO

import pandas as pd
from rich import box
from rich.console import Console
from rich.table import Table

from ..forecast.backtest import PRIMARY_YEARS, BacktestResult
from ..forecast.predict import ForecastRun
from .show_forecast import show_forecast_text

__all__ = ["show_forecast_text", "backtest_text", "write_batch", "BATCH_COLUMNS"]

BATCH_COLUMNS = ["mal_id", "title", "p_1y", "p_2y", "p_3y", "p_5y", "p_ever", "p_until",
                 "ended", "years_since_end", "reason"]


def _ci(value: float, lo: float, hi: float, signed: bool = False) -> str:
    """``0.872 (0.84–0.90)``: a figure with its 95 % interval, two decimals for the bounds."""
    if pd.isna(value):
        return "—"
    f = "+.3f" if signed else ".3f"
    g = "+.2f" if signed else ".2f"
    return (f"{value:{f}} ({lo:{g}}–{hi:{g}})" if pd.notna(lo) and pd.notna(hi)
            else f"{value:{f}}")


def backtest_text(result: BacktestResult, console: Console) -> None:
    """The backtest's summary: per origin, the primary population first (series that ended at
    most ``PRIMARY_YEARS`` before the origin, the shows users ask about), every figure with
    its 95 % bootstrap interval and the targets, as the model card gives them; then every
    eligible series, more briefly."""
    from ..forecast.card import TARGETS

    table = result.table()
    for origin in result.counts:
        main = table[(table["origin"] == origin) & (table["horizon"] == result.main_horizon)]
        part = main[main["subset"] == "primary"]
        t = Table(title=f"Origin {origin} — next TV/ONA season {result.main_horizon},"
                        f" series that ended ≤ {PRIMARY_YEARS:.0f} years before"
                        f" ({int(part['n'].iloc[0]):,} series,"
                        f" {int(part['events'].iloc[0])} events)",
                  title_justify="left", box=box.SIMPLE_HEAD)
        for col in ("model", "AUC (95 %)", "skill (95 %)", "ICI (95 %)", "mean p"):
            t.add_column(col, justify="left" if col == "model" else "right")
        for r in part.itertuples():
            t.add_row(f"{r.model} [dim]({r.kind})[/dim]", _ci(r.auc, r.auc_lo, r.auc_hi),
                      _ci(r.brier_skill, r.brier_skill_lo, r.brier_skill_hi, signed=True),
                      _ci(r.ici, r.ici_lo, r.ici_hi), f"{r.mean_predicted:.3f}",
                      style="bold" if r.model == result.default_model else None)
        console.print(t)
        console.print(f"  observed rate {part['base_rate'].iloc[0]:.3f}; skill = Brier skill"
                      " against it; 95 % bootstrap intervals", style="dim")
        best = part[part["model"] == result.default_model]
        for metric, goal in TARGETS.get(origin, {}).items():
            if best.empty:
                break
            value = float(best[metric].iloc[0])
            ok = value <= goal if metric == "ici" else value >= goal
            console.print(f"  target {metric.replace('_', ' ')}"
                          f" {'≤' if metric == 'ici' else '≥'} {goal}: {value:.3f} —"
                          f" {'met' if ok else '[bold]not met[/bold]'}")
        every = main[main["subset"] == "all"]
        c = result.counts[origin]
        t = Table(title=f"All eligible series ({c['scored']:,},"
                        f" {int(every['events'].iloc[0])} events)",
                  title_justify="left", box=box.SIMPLE_HEAD)
        for col in ("model", "AUC", "skill", "ICI", "C-index", "mean p"):
            t.add_column(col, justify="left" if col == "model" else "right")
        for r in every.itertuples():
            t.add_row(r.model, f"{r.auc:.3f}", f"{r.brier_skill:+.3f}", f"{r.ici:.3f}",
                      f"{r.concordance:.3f}", f"{r.mean_predicted:.3f}",
                      style="bold" if r.model == result.default_model else None)
        console.print(t)
    console.print(f"Best on the main horizon: [bold]{result.default_model}[/bold]"
                  f" ({result.seconds:.0f} s)")


def write_batch(run: ForecastRun, stream: IO[str], fmt: str) -> None:
    rows = run.rows.copy()
    rows["reason"] = ""
    inel = run.ineligible.copy()
    frame = pd.concat([rows, inel], ignore_index=True)
    cols = [c for c in BATCH_COLUMNS if c in frame.columns]
    frame = frame[cols]
    if fmt == "csv":
        w = csv.writer(stream)
        w.writerow(cols)
        for rec in frame.itertuples(index=False):
            w.writerow(["" if pd.isna(v) else (f"{v:.4f}" if isinstance(v, float) else v)
                        for v in rec])
    else:
        for rec in frame.to_dict(orient="records"):
            clean = {k: (None if isinstance(v, float) and pd.isna(v) else v)
                     for k, v in rec.items()}
            stream.write(json.dumps(clean, ensure_ascii=False) + "\n")
