"""HTML renderers of the outlook, with Jinja2 (autoescaping on: every title, quote and URL
from the data is escaped; only our own SVG charts are inserted as markup)."""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, PackageLoader, select_autoescape

from .charts import curve_svg, timeline_svg
from .labels import HORIZON_LABELS, catalogue_status, nice_date, percent
from .outlook import OutlookReport, headline_notes, source_line

__all__ = ["outlook_fragment", "timeline_fragment", "outlook_page", "HORIZONS", "chart_svg",
           "chart_png", "CHARTS"]

#: the charts a report has, by the name of their standalone file
CHARTS = ("chart", "timeline")

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


def finale_of(r: OutlookReport) -> str | None:
    """The end date of the season the forecast is about (from the report's timeline)."""
    return next((e.get("end") for e in r.timeline if e.get("mal_id") == r.series_latest),
                None)


def chart_svg(r: OutlookReport, name: str, *, width: int | None = None,
              standalone: bool = False) -> str:
    """One of the report's charts (``chart``: the forecast curve; ``timeline``) as SVG; ''
    when it has nothing to show. ``standalone`` names the show in the title (for
    embedding) and ``width`` fixes the width in pixels (else 100%)."""
    name_it = f"{r.title}: " if standalone else ""
    if name == "chart":
        return curve_svg(r.curve, r.elapsed, f"{name_it}chance of a new TV/ONA season"
                         if standalone else "Chance of a new TV/ONA season",
                         as_of=r.headline.as_of, probabilities=r.headline.probabilities,
                         finale=finale_of(r), width=width)
    if name == "timeline":
        return timeline_svg(r.timeline, f"{name_it}franchise timeline" if standalone
                            else "Franchise timeline", width=width)
    raise ValueError(f"no chart {name!r}: use one of {', '.join(CHARTS)}")


def chart_png(r: OutlookReport, name: str) -> bytes | None:
    """The same chart as a PNG (None when it has nothing to show)."""
    from .chart_png import curve_png, timeline_png

    if name == "chart":
        return curve_png(r.curve, r.elapsed, f"{r.title}: chance of a new TV/ONA season",
                         as_of=r.headline.as_of, probabilities=r.headline.probabilities,
                         finale=finale_of(r))
    if name == "timeline":
        return timeline_png(r.timeline, f"{r.title}: franchise timeline")
    raise ValueError(f"no chart {name!r}: use one of {', '.join(CHARTS)}")


def outlook_fragment(r: OutlookReport, *, base_url: str = "") -> str:
    """The outlook's sections as an HTML fragment (for the web app and the page);
    ``base_url`` (the web app's) adds the snippet that embeds the chart elsewhere."""
    return _env().get_template("outlook_fragment.html").render(
        r=r, curve_svg=chart_svg(r, "chart"), notes=headline_notes(r), base_url=base_url)


def timeline_fragment(r: OutlookReport, *, base_url: str = "") -> str:
    return _env().get_template("timeline_fragment.html").render(
        r=r, timeline_svg=chart_svg(r, "timeline"), base_url=base_url)


def outlook_page(r: OutlookReport) -> str:
    """A standalone HTML page (no scripts, no external resources)."""
    return _env().get_template("outlook_page.html").render(
        r=r, outlook=outlook_fragment(r), timeline=timeline_fragment(r))
