"""Renderers for forecasts and the backtest: terminal (Rich), CSV and JSON Lines."""

from __future__ import annotations

import csv
import json
from typing import IO

import pandas as pd
from rich import box
from rich.console import Console
from rich.table import Table

from ..forecast.backtest import BacktestResult
from ..forecast.predict import ForecastRun
from .show_forecast import show_forecast_text

__all__ = ["show_forecast_text", "backtest_text", "write_batch", "BATCH_COLUMNS"]

BATCH_COLUMNS = ["mal_id", "title", "p_1y", "p_2y", "p_3y", "p_5y", "p_ever", "p_until",
                 "ended", "years_since_end", "reason"]


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
