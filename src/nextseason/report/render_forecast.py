"""Renderers for forecasts and the backtest: terminal (Rich), CSV and JSON Lines."""

from __future__ import annotations

import csv
import json
from dataclasses import asdict
from typing import IO

import pandas as pd
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..forecast.backtest import BacktestResult
from ..forecast.explain import ShowForecast
from ..forecast.predict import ForecastRun
from .outlook import comparable_line, factor_line

__all__ = ["show_forecast_text", "backtest_text", "write_batch", "BATCH_COLUMNS"]

BATCH_COLUMNS = ["mal_id", "title", "p_1y", "p_2y", "p_3y", "p_5y", "p_ever", "p_until",
                 "ended", "years_since_end", "reason"]
_LABELS = {"p_1y": "within 1 year", "p_2y": "within 2 years", "p_3y": "within 3 years",
           "p_5y": "within 5 years", "p_ever": "ever"}


def _pct(p: float) -> str:
    return "<1%" if 0 < p < 0.005 else f"{p:.0%}"


def show_forecast_text(f: ShowForecast, console: Console) -> None:
    console.print(f"[bold]{escape(f.title)}[/bold] [dim]MAL {f.mal_id}, as of {f.as_of}[/dim]")
    if not f.eligible:
        console.print(f"No forecast: {escape(f.reason)}")
        return
    console.print(f"Latest season ended {f.ended} ({f.years_since_end:.1f} years before)."
                  f" Model: {f.model}.")
    t = Table(title="Chance of a new TV/ONA season", title_justify="left", box=box.SIMPLE_HEAD)
    t.add_column("")
    t.add_column("chance", justify="right")
    for k, label in _LABELS.items():
        t.add_row(label, _pct(f.probabilities[k]))
    console.print(t)
    if f.factors:
        console.print("[bold]What moved it[/bold] (change in the 3-year chance against a"
                      " typical series)")
        for fac in f.factors:
            console.print(f"  {escape(factor_line(asdict(fac)))}")
    if f.comparables:
        console.print("[bold]Comparable shows[/bold]")
        for c in f.comparables:
            console.print(f"  {escape(comparable_line(asdict(c)))} [dim](MAL {c.mal_id})[/dim]")


def backtest_text(result: BacktestResult, console: Console) -> None:
    table = result.table()
    for origin in result.counts:
        part = table[(table["origin"] == origin) & (table["horizon"] == result.main_horizon)
                     & (table["subset"] == "all")]
        c = result.counts[origin]
        t = Table(title=f"Origin {origin} — next TV/ONA season {result.main_horizon}"
                        f" ({c['scored']:,} series, {int(part['events'].iloc[0])} events)",
                  title_justify="left", box=box.SIMPLE_HEAD)
        for col in ("model", "AUC", "Brier", "skill", "log loss", "ICI", "C-index",
                    "mean p"):
            t.add_column(col, justify="left" if col == "model" else "right")
        for r in part.itertuples():
            t.add_row(f"{r.model} [dim]({r.kind})[/dim]", f"{r.auc:.3f}", f"{r.brier:.4f}",
                      f"{r.brier_skill:+.3f}", f"{r.log_loss:.4f}", f"{r.ici:.3f}",
                      f"{r.concordance:.3f}", f"{r.mean_predicted:.3f}",
                      style="bold" if r.model == result.default_model else None)
        console.print(t)
        console.print(f"  base rate {part['base_rate'].iloc[0]:.3f}; skill = Brier skill"
                      " against the base rate", style="dim")
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
