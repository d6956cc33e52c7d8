"""Charts for the track record: a reliability diagram and forecast curves, saved as PNG.

Figures are built with :class:`matplotlib.figure.Figure` and drawn by the Agg canvas
directly, so importing or calling this module never selects a backend, never imports
``matplotlib.pyplot`` and leaves no global figure behind (safe inside the CLI, the web app
and tests). Every image is 7 × 5 inches at 120 dpi (840 × 600 pixels).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from .metrics import MetricInputError

__all__ = ["reliability_plot", "curve_plot", "FIGSIZE", "DPI"]

#: figure size in inches and resolution: every PNG is 840 × 600 pixels
FIGSIZE = (7.0, 5.0)
DPI = 120
_REQUIRED = ("n", "mean_predicted", "observed_rate")
_GREY = "#888888"


def _new_figure(title: str) -> tuple[Figure, Axes]:
    fig = Figure(figsize=FIGSIZE, dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.set_title(title)
    ax.grid(True, color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    return fig, ax


def _save(fig: Figure, path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # no "Software" stamp: the bytes depend on the data, not on the matplotlib version
    fig.savefig(path, format="png", dpi=DPI, metadata={"Software": None})
    return path


def _upper_limit(values: np.ndarray) -> float:
    """0 to 1.1 × the largest value, within [0.01, 1]: rare events stay readable."""
    finite = values[np.isfinite(values)]
    top = float(finite.max()) if finite.size else 1.0
    return float(min(1.0, max(0.01, top * 1.1)))


def reliability_plot(curves: Mapping[str, pd.DataFrame], path: Path, title: str) -> Path:
    """Draw one reliability diagram with a series per model and save it as a PNG.

    ``curves`` maps a model name to a :func:`~nextseason.forecast.metrics.reliability_table`
    (columns ``n``, ``mean_predicted``, ``observed_rate``, and ``lo``/``hi`` for the
    Wilson error bars when present). Marker area grows with the bin's ``n``; the dashed
    diagonal is perfect calibration. Both axes run from 0 to 1.1 × the largest mean forecast
    or observed rate (capped at 1), so a model of rare events is not squeezed into a corner.
    Returns ``path``.
    """
    if not curves:
        raise MetricInputError("reliability_plot needs at least one curve")
    for name, table in curves.items():
        missing = [c for c in _REQUIRED if c not in table.columns]
        if missing:
            raise MetricInputError(
                f"reliability curve {name!r} lacks columns {missing}; "
                "pass the output of reliability_table()"
            )
    values = np.concatenate([
        np.concatenate([t["mean_predicted"].to_numpy(float), t["observed_rate"].to_numpy(float)])
        for t in curves.values()
    ])
    limit = _upper_limit(values)
    n_max = max((float(t["n"].max()) for t in curves.values() if len(t)), default=1.0)

    fig, ax = _new_figure(title)
    ax.plot([0, limit], [0, limit], linestyle="--", color=_GREY, linewidth=1,
            label="perfect calibration")
    for name, table in curves.items():
        x = table["mean_predicted"].to_numpy(float)
        obs = table["observed_rate"].to_numpy(float)
        sizes = 15.0 + 185.0 * table["n"].to_numpy(float) / max(n_max, 1.0)
        (line,) = ax.plot(x, obs, linewidth=1, alpha=0.8)
        colour = line.get_color()
        if {"lo", "hi"} <= set(table.columns):
            err = np.vstack([obs - table["lo"].to_numpy(float),
                             table["hi"].to_numpy(float) - obs])
            ax.errorbar(x, obs, yerr=np.clip(err, 0, None), fmt="none", ecolor=colour,
                        elinewidth=1, capsize=2, alpha=0.6)
        ax.scatter(x, obs, s=sizes, color=colour, edgecolor="white", linewidth=0.5,
                   zorder=3, label=f"{name} (n={int(table['n'].sum())})")
    ax.set_xlim(0, limit)
    ax.set_ylim(0, limit)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel("mean predicted probability (per bin)")
    ax.set_ylabel("observed rate (95 % Wilson interval)")
    legend = ax.legend(loc="upper left", fontsize="small", frameon=False,
                       title="marker area ∝ shows per bin", title_fontsize="x-small")
    for handle in legend.legend_handles:  # one marker size in the legend, whatever the bins
        if isinstance(handle, PathCollection):
            handle.set_sizes([30.0])
    return _save(fig, path)


def curve_plot(
    curves: Mapping[str, tuple[ArrayLike, ArrayLike]],
    path: Path,
    title: str,
    xlabel: str,
    ylabel: str,
) -> Path:
    """Draw forecast curves (e.g. P(new season) by years since the finale), one per name.

    ``curves`` maps a name to ``(x, y)`` arrays of equal length. The y axis runs from 0 to
    1.1 × the largest value (capped at 1). Returns ``path``.
    """
    if not curves:
        raise MetricInputError("curve_plot needs at least one curve")
    series: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for name, (xs, ys) in curves.items():
        x = np.asarray(xs, dtype=float)
        y = np.asarray(ys, dtype=float)
        if x.ndim != 1 or x.shape != y.shape:
            raise MetricInputError(
                f"curve {name!r}: x and y must be 1-D and the same length, "
                f"got shapes {x.shape} and {y.shape}"
            )
        series[name] = (x, y)

    fig, ax = _new_figure(title)
    for name, (x, y) in series.items():
        ax.plot(x, y, marker="o", markersize=4, linewidth=1.5, label=name)
    ax.set_ylim(0, _upper_limit(np.concatenate([y for _, y in series.values()])))
    xs_all = np.concatenate([x for x, _ in series.values()])
    if np.isfinite(xs_all).any():
        left = min(0.0, float(np.nanmin(xs_all)))
        right = float(np.nanmax(xs_all)) * 1.02
        ax.set_xlim(left, right if right > left else left + 1.0)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(loc="upper left", fontsize="small", frameon=False)
    return _save(fig, path)
