"""HTML renderers of the outlook, with Jinja2 (autoescaping on: every title, quote and URL
from the data is escaped; only our own SVG charts are inserted as markup)."""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, PackageLoader, select_autoescape

from .charts import curve_svg, timeline_svg
from .labels import HORIZON_LABELS, catalogue_status, nice_date, percent
from .outlook import OutlookReport, headline_notes, source_line

__all__ = ["outlook_fragment", "timeline_fragment", "outlook_page", "HORIZONS"]

HORIZONS = tuple(HORIZON_LABELS.items())
pct = percent


@lru_cache(maxsize=1)
def _env() -> Environment:
    env = Environment(loader=PackageLoader("nextseason.report", "templates"),
                      autoescape=select_autoescape(["html"]), trim_blocks=True,
                      lstrip_blocks=True)
    env.globals.update(pct=pct, horizons=HORIZONS, source_line=source_line,
                       nice_date=nice_date, catalogue_status=catalogue_status)
    return env


def outlook_fragment(r: OutlookReport) -> str:
    """The outlook's sections as an HTML fragment (for the web app and the page)."""
    svg = curve_svg(r.curve, r.elapsed, "Chance of a new TV/ONA season")
    return _env().get_template("outlook_fragment.html").render(
        r=r, curve_svg=svg, notes=headline_notes(r))


def timeline_fragment(r: OutlookReport) -> str:
    svg = timeline_svg(r.timeline, "Franchise timeline")
    return _env().get_template("timeline_fragment.html").render(r=r, timeline_svg=svg)


def outlook_page(r: OutlookReport) -> str:
    """A standalone HTML page (no scripts, no external resources)."""
    return _env().get_template("outlook_page.html").render(
        r=r, outlook=outlook_fragment(r), timeline=timeline_fragment(r))
