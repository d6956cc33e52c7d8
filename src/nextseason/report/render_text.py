"""Terminal renderers (Rich) for the reports."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich import box
from rich.console import Console, Group
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from ..catalogue.franchise import FranchiseReport, Observation
from .labels import CATALOGUE_STATUS, plural, source_label
from .terminal import is_plain, table_box

__all__ = ["franchise_text", "search_text", "fmt_date", "fmt_value"]

_STATUS = CATALOGUE_STATUS
_METRIC_ORDER = ["members", "score", "scored_by", "rank", "popularity", "favorites", "status"]


def fmt_date(value: str | None) -> str:
    return value or "?"


def fmt_value(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return _STATUS.get(str(value), str(value))


def _span(start: str | None, end: str | None, status: str | None) -> str:
    if start and end and start == end:
        return start
    if start and not end:
        return f"{start} – " + ("…" if status == "airing" else "?")
    return f"{fmt_date(start)} – {fmt_date(end)}"


def _history(obs: Sequence[Observation], metric: str) -> str:
    points = [o for o in obs if o.metric == metric]
    return " → ".join(f"{fmt_value(o.value)} ({o.observed_at})" for o in points)


def franchise_text(report: FranchiseReport, console: Console) -> None:
    head = Text(report.title, style="bold")  # Text() never parses markup
    head.append(f"  MAL {report.mal_id}", style="dim")
    console.print(head)
    if report.franchise_name and report.franchise_size > 1:
        console.print(
            f"Franchise: {escape(report.franchise_name)} ({report.franchise_size} entries)",
            style="dim",
        )
    table = Table(title="Timeline", title_justify="left", box=table_box(console), pad_edge=False)
    table.add_column("#", justify="right")
    table.add_column("Type")
    table.add_column("Aired", no_wrap=True)
    table.add_column("Eps", justify="right")
    table.add_column("Title", overflow="fold", ratio=1)
    for e in report.entries:
        title = escape(e.title) + f" [dim]({e.mal_id})[/dim]"
        if e.english and e.english != e.title and console.width >= 110:
            title += f"\n[dim]{escape(e.english)}[/dim]"
        table.add_row(
            (f"S{e.season_number}" + (f".{e.part}" if e.part else "")) if e.season_number
            else "",
            e.type or "?",
            _span(e.start, e.end, e.status),
            str(e.episodes) if e.episodes else "?",
            title,
            style="bold yellow" if e.is_query else None,
        )
    console.print(table)
    console.print("  # = season (S2.2: the second part of season 2, a split cour)", style="dim")
    if report.omitted:
        console.print(f"  ({report.omitted} more entries of this franchise not shown)",
                      style="dim")
    console.print(Text("\nSource material", style="bold italic"))
    if not report.source_works:
        console.print("  none linked in the catalogue", style="dim")
    for w in report.source_works:
        years = f"{w.start_year or '?'}–{w.end_year or ''}"
        volumes = plural(w.volumes, "volume") if w.volumes else "volumes unknown"
        how = "adapted" if w.link != "related title" else "related work, not adapted"
        console.print(f"  {escape(w.type or 'Work')}: {escape(w.title)} [dim](manga {w.manga_id},"
                      f" {how})[/dim]")
        console.print(f"    {volumes}, {years}, {w.status or 'status unknown'}"
                      f" [dim]— as of {w.as_of} ({escape(source_label(w.source))})[/dim]")
    obs = Table(title=f"\nFigures for MAL {report.mal_id}", title_justify="left",
                box=table_box(console), pad_edge=False)
    obs.add_column("Metric")
    obs.add_column("Latest", justify="right")
    obs.add_column("As of", no_wrap=True)
    obs.add_column("Earlier", overflow="fold", ratio=1)
    latest = sorted(report.latest, key=lambda o: _METRIC_ORDER.index(o.metric)
                    if o.metric in _METRIC_ORDER else 99)
    for o in latest:
        earlier = [h for h in report.history if h.metric == o.metric and h is not o
                   and h.observed_at < o.observed_at]
        obs.add_row(o.metric, fmt_value(o.value),
                    f"{o.observed_at} [dim]{escape(source_label(o.source))}[/dim]",
                    _history(earlier, o.metric))
    console.print(obs)
    if report.sales:
        lines = [
            f"  {escape(s.title)} ({s.year}): {fmt_value(s.avg_sales_k)}k per volume"
            + (" [red](suspect value)[/red]" if s.avg_sales_suspect else "")
            for s in report.sales
        ]
        console.print(Group(Text("Home-video sales, first release (to 2020)", style="bold italic"),
                            *lines))


def search_text(hits: Sequence[Any], console: Console, query: str) -> None:
    if not hits:
        console.print(f"No title matches {escape(repr(query))}.")
        return
    table = Table(title=f"Search: {escape(query)}", title_justify="left",
                  box=box.HEAVY_HEAD if not is_plain(console) else None)
    table.add_column("MAL", justify="right")
    table.add_column("Title", overflow="fold")
    table.add_column("Type")
    table.add_column("Year")
    table.add_column("Matched", overflow="fold")
    table.add_column("Match", justify="right")
    table.add_column("Members", justify="right")
    for h in hits:
        table.add_row(str(h.mal_id), escape(h.title), h.type or "?", str(h.year or "?"),
                      (f"{escape(h.matched_alias)} " if h.matched_alias != h.title else "")
                      + f"[dim]({h.matched_kind}, {h.match})[/dim]",
                      f"{h.score:.0f}", f"{h.members:,}" if h.members else "?")
    console.print(table)
