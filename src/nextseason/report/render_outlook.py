"""Terminal and Markdown renderers of the outlook (the HTML ones are in render_html)."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..textsafe import markdown_url
from .labels import HORIZON_LABELS, percent
from .outlook import (
    OutlookReport,
    comparable_line,
    factor_line,
    headline_notes,
    source_line,
    work_line,
)
from .terminal import item, table_box

__all__ = ["outlook_text", "outlook_markdown"]

_H = tuple(HORIZON_LABELS.items())
_pct = percent


def outlook_text(r: OutlookReport, console: Console) -> None:
    h = r.headline
    console.print(f"[bold]{escape(r.title)}[/bold] [dim]MAL {r.mal_id}[/dim]")
    if r.english and r.english != r.title:
        console.print(f"[dim]{escape(r.english)}[/dim]")
    console.print(f"\n[bold]Will there be another season?[/bold] {escape(h.status.upper())}"
                  f" — {escape(h.status_detail)}")
    for note in headline_notes(r):
        item(console, f"[dim]{escape(note)}[/dim]")
    if h.probabilities:
        t = Table(box=table_box(console), pad_edge=False)
        for _k, label in _H:
            t.add_column(label, justify="right")
        t.add_row(*(_pct(h.probabilities[k]) for k, _ in _H))
        console.print(t)
        console.print(f"Chance of a new TV/ONA season, as of {h.as_of} (model {h.model})."
                      + (f" If it comes, most likely {h.window}." if h.window else ""))

    def section(title: str) -> None:
        console.print(f"\n[bold]{title}[/bold]")

    section("What we know")
    for f in r.facts:
        item(console, f"{escape(f.label)}: {escape(f.value)} [dim][{f.source}][/dim]")
    section("Source material")
    if not r.source_material:
        item(console, "no source work linked in the catalogue")
    for w in r.source_material:
        item(console, f"{escape(work_line(w))} [dim][{w['source']}][/dim]")
    section("Popularity and sales")
    for f in r.popularity:
        item(console, f"{escape(f.label)}: {escape(f.value)} [dim][{f.source}][/dim]")
    if r.factors:
        section("What moves the chance (against a typical series)")
        for fac in r.factors:
            item(console, f"{escape(factor_line(fac))}")
    if r.comparables:
        section("Comparable shows")
        for c in r.comparables:
            item(console, f"{escape(comparable_line(c))}")
    section("Where sources disagree")
    if not r.disagreements:
        item(console, "no disagreements among the stored sources")
    for d in r.disagreements:
        item(console, f"[bold]{escape(d['label'])}[/bold]: {escape(d['status_label'])}, best"
                 f" {escape(str(d['best']))} — {escape(d['reason'])}")
        for s in d["sides"]:
            quote = f' "{escape(s["quote"][:120])}"' if s["quote"] else ""
            item(console, f"{escape(str(s['value']))}{quote} [dim][{s['source']}][/dim]",
                 indent=4)
    section("What the data cannot know")
    for lim in r.limits:
        item(console, f"{escape(lim)}")
    if r.links:
        section("Elsewhere")
        for link in r.links:
            item(console, f"{escape(link['site'])}: {escape(link['url'])}")
    section("Sources")
    for s in r.sources:
        item(console, f"[{s.n}] {escape(source_line(s))}"
                 f"{' ' + escape(s.url) if s.url else ''}")


def _md_escape(s: str) -> str:
    out = str(s).replace("\\", "\\\\")
    for ch in "`*_[]<>|#":
        out = out.replace(ch, "\\" + ch)
    return out


def outlook_markdown(r: OutlookReport, path: Path | None = None) -> str:
    """Markdown; with ``path``, the charts are written as SVG files beside it."""
    h = r.headline
    lines = [f"# {_md_escape(r.title)}", ""]
    if r.english and r.english != r.title:
        lines += [f"*{_md_escape(r.english)}*", ""]
    lines += ["## Will there be another season?", "",
              f"**{h.status.capitalize()}** — {_md_escape(h.status_detail)}", ""]
    lines += [f"- {_md_escape(note)}" for note in headline_notes(r)] + [""]
    if h.probabilities:
        lines += ["| " + " | ".join(label for _, label in _H) + " |",
                  "|" + "---|" * len(_H),
                  "| " + " | ".join(_pct(h.probabilities[k]) for k, _ in _H) + " |", "",
                  f"Chance of a new TV/ONA season within that time of {h.as_of}"
                  f" (model {h.model})."
                  + (f" If it comes, most likely {h.window}." if h.window else ""), ""]
    if path is not None:
        stem = path.with_suffix("")
        curve_file = stem.with_name(stem.name + "-curve.svg")
        timeline_file = stem.with_name(stem.name + "-timeline.svg")
        from .render_html import chart_svg

        curve = chart_svg(r, "chart", width=640, standalone=True)
        timeline = chart_svg(r, "timeline", width=640, standalone=True)
        if curve:
            curve_file.write_text(curve, encoding="utf-8")
            lines += [f"![Chance of a new season by years after the forecast date]"
                      f"({curve_file.name})", ""]
        if timeline:
            timeline_file.write_text(timeline, encoding="utf-8")
    lines += ["## What we know", ""]
    lines += [f"- {_md_escape(f.label)}: {_md_escape(f.value)} [{f.source}]" for f in r.facts]
    lines += ["", "## Source material", ""]
    lines += [f"- {_md_escape(work_line(w))} [{w['source']}]" for w in r.source_material]
    lines += ["", "## Popularity and sales", ""]
    lines += [f"- {_md_escape(f.label)}: {_md_escape(f.value)} [{f.source}]"
              for f in r.popularity]
    if r.factors:
        lines += ["", "## What moves the chance", ""]
        lines += [f"- {_md_escape(factor_line(f))}" for f in r.factors]
    if r.comparables:
        lines += ["", "## Comparable shows", ""]
        lines += [f"- {_md_escape(comparable_line(c))}" for c in r.comparables]
    lines += ["", "## Where sources disagree", ""]
    if not r.disagreements:
        lines.append("No disagreements among the stored sources.")
    for d in r.disagreements:
        lines.append(f"- **{_md_escape(d['label'])}**: {d['status_label']}, best"
                     f" {_md_escape(str(d['best']))} — {_md_escape(d['reason'])}")
        for s in d["sides"]:
            quote = f' — "{_md_escape(s["quote"])}"' if s["quote"] else ""
            lines.append(f"  - {_md_escape(str(s['value']))}{quote} [{s['source']}]")
    lines += ["", "## What the data cannot know", ""]
    lines += [f"- {_md_escape(x)}" for x in r.limits]
    if path is not None and timeline:
        lines += ["", "## Franchise timeline", "", f"![Franchise timeline]({timeline_file.name})"]
    if r.links:
        lines += ["", "## Elsewhere", ""]
        lines += [f"- [{_md_escape(link['site'])}](<{link['url']}>)" for link in r.links]
    lines += ["", "## Sources", ""]
    lines += [f"{s.n}. {_md_escape(source_line(s))}"
              f"{' <' + link + '>' if (link := markdown_url(s.url)) else ''}"
              for s in r.sources]
    return "\n".join(lines) + "\n"
