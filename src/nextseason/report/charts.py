"""Charts as SVG, written directly (no plotting library at question time).

Text is sized in CSS pixels at any width: the outer ``<svg>`` has no ``viewBox`` (one user
unit is one CSS pixel), horizontal positions are percentages of the chart's width, and only
the curve itself sits in an inner, stretched ``<svg>`` whose stroke does not scale. So a label
set at 12 px stays 12 px on a 360 px phone and on a 1280 px screen (a scaled ``viewBox``
shrank it to 4–5 px).

Each chart carries its text alternative (``<title>`` and ``<desc>``, named by
``aria-labelledby``); the pages put a data table beside it. Plain SVG with presentation
attributes only (no scripts, no styles) and every text escaped, so the charts can be inlined
under a strict Content-Security-Policy, saved beside Markdown, and served alone for embedding
(``width`` = a number of pixels). The PNG twins are drawn by :mod:`.chart_png` from the same
axes (:func:`curve_axes`, :func:`year_ticks`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from typing import Any

from .labels import HORIZON_LABELS, nice_date, percent, plural

__all__ = ["curve_svg", "timeline_svg", "CurveAxes", "curve_axes", "year_ticks", "y_ticks",
           "TYPE_COLORS", "LEGEND", "short_title", "entry_year", "FONT_PX"]

#: the smallest text in a chart, in CSS pixels
FONT_PX = 12
_INK, _MUTED, _GRID, _LINE = "#1d1d1f", "#555", "#e2e2e2", "#2458b3"
TYPE_COLORS = {"TV": "#2458b3", "ONA": "#2458b3", "Movie": "#b0630f", "OVA": "#4d7a1f",
               "Special": "#7a4fa8", "TV Special": "#7a4fa8"}
#: the timeline's legend: (label, colour)
LEGEND = (("TV / web", "#2458b3"), ("Film", "#b0630f"), ("OVA", "#4d7a1f"),
          ("Special", "#7a4fa8"), ("Other", "#777"))
_HORIZON_YEARS = {"p_1y": 1, "p_2y": 2, "p_3y": 3, "p_5y": 5}


def _text(x: str, y: float, s: str, anchor: str = "middle", size: int = FONT_PX,
          weight: str = "normal", fill: str = _INK) -> str:
    return (f'<text x="{x}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}"'
            f' font-weight="{weight}" fill="{fill}" font-family="system-ui, sans-serif">'
            f"{escape(s)}</text>")


def _pc(v: float) -> str:
    return f"{v:.2f}%"


def _head(width: int | None, height: int, ident: str, title: str, desc: str) -> str:
    w = "100%" if width is None else str(width)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{height}"'
            f' role="img" aria-labelledby="{ident}-title {ident}-desc" class="chart-svg">'
            f'<title id="{ident}-title">{escape(title)}</title>'
            f'<desc id="{ident}-desc">{escape(desc)}</desc>'
            f'<rect x="0" y="0" width="100%" height="{height}" fill="#fff"/>')


def y_ticks(top: float) -> list[float]:
    """Round probability ticks from 0 to at least ``top``, at most five of them."""
    for step in (0.005, 0.01, 0.02, 0.025, 0.05, 0.1, 0.2, 0.25):
        n = math.ceil(top / step - 1e-9)
        if n <= 4:
            return [round(step * i, 4) for i in range(max(n, 1) + 1)]
    return [0.0, 0.25, 0.5, 0.75, 1.0]


def _tick_label(p: float) -> str:
    return f"{p * 100:.1f}%" if round(p * 1000) % 10 else f"{p:.0%}"


@dataclass(frozen=True)
class CurveAxes:
    """The curve on the table's time axis: years after the forecast date."""

    points: list[tuple[float, float]]  # (years after the forecast date, P(new season by then))
    horizons: list[tuple[float, float, str]]  # the table's columns: (years, P, label)
    x_max: float
    y_ticks: list[float]
    finale: str  # "June 2021, 3.7 years before" (the forecast date)


def curve_axes(curve: list[list[float]], elapsed: float | None, as_of: str,
               probabilities: dict[str, float] | None = None,
               finale: str | None = None) -> CurveAxes | None:
    """The stored curve (years since the finale) moved onto years after the forecast date,
    the axis the probability table uses; None without a curve. ``finale`` (its date, when
    known) names the finale, else the month ``elapsed`` years before ``as_of``."""
    if not curve:
        return None
    start = elapsed or 0.0
    points = [(0.0, 0.0)] + [(round(t - start, 2), p) for t, p in curve if t - start > 1e-6]
    probs = probabilities or {}
    horizons = [(float(y), probs[k], HORIZON_LABELS[k]) for k, y in _HORIZON_YEARS.items()
                if k in probs]
    x_max = max(5.0, math.ceil(max(x for x, _ in points)))
    top = max([p for _, p in points] + [p for _, p, _ in horizons] + [0.01])
    if not finale:
        ended = date.fromisoformat(as_of) - timedelta(days=round(start * 365.25))
        finale = ended.isoformat()[:7]
    said = f"{nice_date(finale)}, {plural(round(start, 1), 'year')} before"
    return CurveAxes(points, horizons, x_max, y_ticks(top * 1.05), said)


def curve_svg(curve: list[list[float]], elapsed: float | None, title: str, *,
              as_of: str, probabilities: dict[str, float] | None = None,
              finale: str | None = None, width: int | None = None,
              ident: str = "curve") -> str:
    """The chance of a new season by each number of years after the forecast date (the
    table's axis), with the table's horizons marked; '' without a forecast (no empty box)."""
    axes = curve_axes(curve, elapsed, as_of, probabilities, finale)
    if axes is None:
        return ""
    height, top, bottom = 316, 82, 46
    ph = height - top - bottom
    y_max = axes.y_ticks[-1]
    left, span = 3.0, 94.0  # percent of the width

    def X(x: float) -> float:
        return left + span * x / axes.x_max

    def Y(p: float) -> float:
        return top + ph * (1 - p / y_max)

    said = "; ".join(f"{label}: {percent(p)}" for _, p, label in axes.horizons)
    desc = (f"Chance that a new TV/ONA season premieres within a number of years after the"
            f" forecast date ({nice_date(as_of)}): {said}. The finale was {axes.finale}.")
    parts = [_head(width, height, ident, title, desc),
             _text("4", 18, short_title(title, 44), "start", 15, "bold"),
             _text("4", 38, f"Forecast date: {nice_date(as_of)}", "start", fill=_MUTED),
             _text("4", 56, f"Finale: {axes.finale}", "start", fill=_MUTED)]
    for p in axes.y_ticks:
        parts.append(f'<line x1="0" x2="100%" y1="{Y(p):.1f}" y2="{Y(p):.1f}"'
                     f' stroke="{_GRID}"/>')
        if p > 0:
            parts.append(_text("4", Y(p) - 4, _tick_label(p), "start", FONT_PX, fill=_MUTED))
    step = 1 if axes.x_max <= 10 else 2
    for x in range(0, int(axes.x_max) + 1, step):
        anchor = "start" if x == 0 else "end" if x == int(axes.x_max) else "middle"
        parts.append(_text(_pc(X(x)), height - bottom + 18, str(x), anchor))
    parts.append(_text("50%", height - 8, "years after the forecast date", size=FONT_PX,
                       fill=_MUTED))
    scale_x, scale_y = 1000 / axes.x_max, 1000 / y_max
    pts = " ".join(f"{x * scale_x:.1f},{1000 - p * scale_y:.1f}" for x, p in axes.points)
    parts.append(f'<svg x="{_pc(left)}" y="{top}" width="{_pc(span)}" height="{ph}"'
                 ' viewBox="0 0 1000 1000" preserveAspectRatio="none" overflow="visible">'
                 f'<polyline points="{pts}" fill="none" stroke="{_LINE}" stroke-width="2.5"'
                 ' vector-effect="non-scaling-stroke"/></svg>')
    for hx, p, label in axes.horizons:
        parts.append(f'<circle cx="{_pc(X(hx))}" cy="{Y(p):.1f}" r="4" fill="{_LINE}">'
                     f"<title>{escape(label)}: {escape(percent(p))}</title></circle>")
    return "".join(parts) + "</svg>"


def entry_year(s: str) -> float:
    """A date ("2021-04-05", "2021-04" or "2021") as a fractional year."""
    bits = [int(p) for p in s.split("-")[:3]]
    d = date(bits[0], bits[1] if len(bits) > 1 else 7, bits[2] if len(bits) > 2 else 1)
    return d.year + (d.timetuple().tm_yday - 1) / 365.25


def year_ticks(y0: float, y1: float, most: int = 7) -> list[int]:
    """Whole years between ``y0`` and ``y1`` at a round step (1, 2, 5, 10…), at most
    ``most`` of them."""
    for step in (1, 2, 5, 10, 20, 25, 50):
        first = math.ceil(y0 / step) * step
        ticks = list(range(first, int(y1) + 1, step))
        if len(ticks) <= most:
            return ticks
    return [int(y0), int(y1)]


def short_title(title: str, n: int = 38) -> str:
    return title if len(title) <= n else title[: n - 1].rstrip() + "…"


def _entry_label(e: dict[str, Any]) -> str:
    season = f"Season {e['season_number']}" if e.get("season_number") else None
    kind = {"Movie": "Film", "TV Special": "Special"}.get(e.get("type") or "", e.get("type"))
    head = season or kind
    return (head + ": " if head else "") + short_title(e.get("title") or "", 32)


def timeline_svg(entries: list[dict[str, Any]], title: str, *, width: int | None = None,
                 ident: str = "timeline") -> str:
    """Each season, film and OVA of the franchise as a bar from its start to its end, its
    label on the line above (never beside: labels do not collide at any width), with a
    legend; '' when no entry has a date (no empty box)."""
    dated = [e for e in entries if e.get("start")]
    if not dated:
        return ""
    row, top, bottom = 38, 84, 34
    height = top + row * len(dated) + bottom
    y0 = min(entry_year(e["start"]) for e in dated)
    y1 = max(entry_year(e.get("end") or e["start"]) for e in dated) + 0.25
    if y1 - y0 < 2:
        y0, y1 = y0 - 0.5, y1 + 0.5
    left, span = 1.0, 98.0

    def X(t: float) -> float:
        return left + span * (t - y0) / (y1 - y0)

    first, last = dated[0], dated[-1]
    desc = (f"{plural(len(dated), 'dated entry', 'dated entries')} from "
            f"{nice_date(first['start'])} to {nice_date(last.get('end') or last['start'])};"
            " the table below lists each with its dates.")
    parts = [_head(width, height, ident, title, desc),
             _text("4", 18, short_title(title, 44), "start", 15, "bold")]
    colors = {TYPE_COLORS.get(e.get("type") or "", "#777") for e in dated}
    x = 4
    for label, color in LEGEND:  # the legend of the colours shown, under the title
        if color not in colors:
            continue
        parts.append(f'<rect x="{x}" y="32" width="12" height="12" fill="{color}" rx="2"/>')
        parts.append(_text(str(x + 16), 43, label, "start", FONT_PX, fill=_MUTED))
        x += 26 + 7 * len(label)
    for t in year_ticks(y0, y1):
        parts.append(f'<line x1="{_pc(X(t))}" x2="{_pc(X(t))}" y1="{top - 14}"'
                     f' y2="{height - bottom + 4}" stroke="{_GRID}"/>')
        parts.append(_text(_pc(X(t)), height - bottom + 20, str(t), fill=_MUTED))
        if len(dated) > 8:  # a long chart has its years at the top too
            parts.append(_text(_pc(X(t)), top - 18, str(t), fill=_MUTED))
    for i, e in enumerate(dated):
        y = top + row * i
        a = entry_year(e["start"])
        # an entry still airing runs to the chart's end; one with no end date is a point
        b = (entry_year(e["end"]) if e.get("end")
             else y1 if e.get("status") == "airing" else a + 0.08)
        color = TYPE_COLORS.get(e.get("type") or "", "#777")
        when = f"{e['start']} to {e.get('end') or '?'}"
        parts.append(f"<g><title>{escape((e.get('title') or '') + ', ' + when)}</title>"
                     + _text("4", y, _entry_label(e), "start",
                             weight="bold" if e.get("is_query") else "normal")
                     + f'<rect x="{_pc(X(a))}" y="{y + 6}" width="{_pc(max(X(b) - X(a), 0.6))}"'
                     f' height="12" fill="{color}" rx="2"/></g>')
    return "".join(parts) + "</svg>"
