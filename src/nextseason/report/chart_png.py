"""The charts as PNG, for writers who embed an image: drawn with matplotlib from the same
axes as the SVG charts (:func:`.charts.curve_axes`, :func:`.charts.year_ticks`), so both say
the same thing. Imported only when a PNG is asked for (matplotlib is slow to import)."""

from __future__ import annotations

import io
from typing import Any

from .charts import LEGEND, TYPE_COLORS, curve_axes, entry_year, short_title, year_ticks

__all__ = ["curve_png", "timeline_png"]


def _figure(width: float, height: float) -> Any:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100)


def _png(fig: Any) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight", metadata={"Software": None})
    return buf.getvalue()


def curve_png(curve: list[list[float]], elapsed: float | None, title: str, *, as_of: str,
              probabilities: dict[str, float] | None = None,
              finale: str | None = None) -> bytes | None:
    """The forecast curve as a PNG, or None without a forecast."""
    axes = curve_axes(curve, elapsed, as_of, probabilities, finale)
    if axes is None:
        return None
    fig = _figure(6.4, 3.4)
    ax = fig.add_subplot()
    ax.plot([x for x, _ in axes.points], [p for _, p in axes.points], color="#2458b3", lw=2.5)
    ax.scatter([x for x, _, _ in axes.horizons], [p for _, p, _ in axes.horizons],
               color="#2458b3", zorder=3)
    ax.set_xlim(0, axes.x_max)
    ax.set_ylim(0, axes.y_ticks[-1])
    ax.set_yticks(axes.y_ticks, [f"{p * 100:g}%" for p in axes.y_ticks])
    ax.set_xlabel(f"years after the forecast date ({as_of}); {axes.finale}", fontsize=9)
    ax.set_title(title, loc="left", fontsize=12, fontweight="bold")
    ax.grid(axis="y", color="#e2e2e2")
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def timeline_png(entries: list[dict[str, Any]], title: str) -> bytes | None:
    """The franchise timeline as a PNG, or None when no entry has a date."""
    dated = [e for e in entries if e.get("start")]
    if not dated:
        return None
    fig = _figure(6.4, 1.2 + 0.42 * len(dated))
    ax = fig.add_subplot()
    for i, e in enumerate(dated):
        a = entry_year(e["start"])
        b = entry_year(e["end"]) if e.get("end") else a + 0.08
        ax.barh(i, max(b - a, 0.05), left=a, height=0.5,
                color=TYPE_COLORS.get(e.get("type") or "", "#777"))
    ax.set_yticks(range(len(dated)),
                  [f"{e.get('type') or '?'}: {short_title(e.get('title') or '', 34)}"
                   for e in dated], fontsize=9)
    ax.invert_yaxis()
    lo = min(entry_year(e["start"]) for e in dated)
    hi = max(entry_year(e.get("end") or e["start"]) for e in dated) + 0.25
    ax.set_xticks(year_ticks(lo, hi))
    ax.set_title(title, loc="left", fontsize=12, fontweight="bold")
    from matplotlib.patches import Patch

    ax.legend(handles=[Patch(color=c, label=label) for label, c in LEGEND], fontsize=8,
              loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=5, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)
