"""Charts as SVG, written directly (no plotting library at question time).

Both charts are plain SVG with presentation attributes only (no scripts, no styles), every
text escaped, so they can be inlined in HTML under a strict Content-Security-Policy and saved
beside Markdown as files.
"""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

__all__ = ["curve_svg", "timeline_svg"]

_W, _H, _PAD = 640, 300, 48
_COLORS = {"TV": "#3b6fb6", "ONA": "#3b6fb6", "Movie": "#d08a2e", "OVA": "#7a9b3c",
           "Special": "#8f6bb3", "TV Special": "#8f6bb3"}


def _text(x: float, y: float, s: str, anchor: str = "middle", size: int = 11) -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}"'
            f' fill="#333" font-family="sans-serif">{escape(s)}</text>')


def curve_svg(curve: list[list[float]], elapsed: float | None, title: str) -> str:
    """Chance of a new season by years since the finale, from the forecast date on."""
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_W} {_H}" role="img"'
            f' aria-label="{escape(title)}" width="{_W}" height="{_H}">')
    if not curve:
        return head + _text(_W / 2, _H / 2, "no forecast for this show") + "</svg>"
    xs = [0.0] + [t for t, _ in curve]
    x_max = max(xs) or 1.0
    y_max = min(1.0, max(0.05, max(p for _, p in curve) * 1.15))
    pw, ph = _W - 2 * _PAD, _H - 2 * _PAD

    def X(t: float) -> float:
        return _PAD + pw * t / x_max

    def Y(p: float) -> float:
        return _H - _PAD - ph * p / y_max

    parts = [head, f'<rect x="0" y="0" width="{_W}" height="{_H}" fill="#fff"/>',
             _text(_W / 2, 20, title, size=13)]
    for i in range(5):
        p = y_max * i / 4
        parts.append(f'<line x1="{_PAD}" x2="{_W - _PAD}" y1="{Y(p):.1f}" y2="{Y(p):.1f}"'
                     ' stroke="#e5e5e5"/>')
        label = f"{p:.1%}" if y_max < 0.1 else f"{p:.0%}"
        parts.append(_text(_PAD - 6, Y(p) + 4, label, anchor="end", size=10))
    step = max(1, round(x_max / 8))
    for t in range(0, int(x_max) + 1, step):
        parts.append(_text(X(t), _H - _PAD + 16, str(t), size=10))
    parts.append(_text(_W / 2, _H - 10, "years since the finale", size=11))
    start = elapsed or 0.0
    pts = [(start, 0.0), *((t, p) for t, p in curve)]
    path = " ".join(f"{X(t):.1f},{Y(p):.1f}" for t, p in pts)
    parts.append(f'<polyline points="{path}" fill="none" stroke="#3b6fb6" stroke-width="2.5"/>')
    parts.append(f'<line x1="{X(start):.1f}" x2="{X(start):.1f}" y1="{_PAD}" y2="{_H - _PAD}"'
                 ' stroke="#999" stroke-dasharray="4 3"/>')
    parts.append(_text(X(start) + 4, _PAD + 10, "forecast date", anchor="start", size=10))
    return "".join(parts) + "</svg>"


def timeline_svg(entries: list[dict[str, Any]], title: str) -> str:
    """Each season, film and OVA of the franchise as a bar from its start to its end."""
    dated = [e for e in entries if e.get("start")]
    rows = max(1, len(dated))
    height = max(120, 40 + 22 * rows + 40)
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_W} {height}" role="img"'
            f' aria-label="{escape(title)}" width="{_W}" height="{height}">')
    if not dated:
        return head + _text(_W / 2, height / 2, "no dated entries") + "</svg>"

    def year(s: str) -> float:
        parts = [int(p) for p in s.split("-")] + [7, 1][len(s.split("-")) - 1:]
        d = date(parts[0], parts[1] if len(parts) > 1 else 7, parts[2] if len(parts) > 2 else 1)
        return d.year + (d.timetuple().tm_yday - 1) / 365.25

    y0 = min(year(e["start"]) for e in dated)
    y1 = max(year(e.get("end") or e["start"]) for e in dated) + 0.5
    label_w = 230
    pw = _W - label_w - _PAD

    def X(t: float) -> float:
        return label_w + pw * (t - y0) / max(y1 - y0, 1.0)

    parts = [head, f'<rect x="0" y="0" width="{_W}" height="{height}" fill="#fff"/>',
             _text(_W / 2, 20, title, size=13)]
    for i, e in enumerate(dated):
        y = 40 + 22 * i
        a = year(e["start"])
        b = year(e["end"]) if e.get("end") else a + 0.08
        color = _COLORS.get(e.get("type") or "", "#888")
        name = (e.get("title") or "")[:34]
        parts.append(_text(label_w - 8, y + 12, f"{e.get('type') or ''} · {name}", "end", 10))
        parts.append(f'<rect x="{X(a):.1f}" y="{y}" width="{max(X(b) - X(a), 3):.1f}"'
                     f' height="14" fill="{color}" rx="2"/>')
    for t in range(int(y0), int(y1) + 1, max(1, round((y1 - y0) / 8))):
        parts.append(_text(X(t), height - 12, str(t), size=10))
    return "".join(parts) + "</svg>"
