"""Terminal renderers for extracted claims and their reconciliation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..claims.model import Claim
from ..claims.reconcile import Reconciliation
from .labels import field_label, nice_date, plural, reconcile_status, source_label
from .terminal import item, table_box

__all__ = ["claims_text", "reconciliation_text"]

_STYLE = {"conflicts": "bold red", "different things": "yellow", "changed over time": "cyan",
          "agrees": "green", "outlook": "magenta", "only one source": "dim"}


def _short(text: str | None, n: int = 110) -> str:
    t = " ".join((text or "").split())
    return t if len(t) <= n else t[: n - 1] + "…"


def _v(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def claims_text(claims: Sequence[Claim], console: Console, *, header: str) -> None:
    console.print(header)
    if not claims:
        console.print("No claims found.")
        return
    t = Table(box=table_box(console), pad_edge=False)
    for col in ("field", "value", "qualifier", "quote", "conf."):
        t.add_column(col, overflow="fold", ratio=3 if col == "quote" else None)
    for c in claims:
        t.add_row(escape(field_label(c.field)), escape(_v(c.value)), escape(c.qualifier or ""),
                  escape(_short(c.quote)), f"{c.confidence:.2f}")
    console.print(t)


def reconciliation_text(rec: Reconciliation, console: Console) -> None:
    console.print(f"[bold]{escape(rec.title)}[/bold] [dim]MAL {rec.mal_id}[/dim]:"
                  f" claims from {plural(rec.articles, 'article')} beside the catalogue")
    if not rec.groups:
        console.print("No claims stored for this show. Add articles with `nextseason ingest`.")
        return
    for g in rec.groups:
        label = field_label(g.field, g.qualifier)
        best = "" if g.best_value is None else f" → [bold]{escape(_v(g.best_value))}[/bold]"
        said = reconcile_status(g.status, len({(e.source, e.source_id) for e in g.evidence}))
        console.print(f"[{_STYLE.get(said, _STYLE.get(g.status, 'bold'))}]{said.upper()}[/]"
                      f" {escape(label)}{best}"
                      f" [dim]— {escape(g.reason)}[/dim]")
        for e in g.evidence:
            where = (source_label(e.source_id) if e.source == "catalogue"
                     else e.cite or f"article {e.source_id[:8]}")
            when = f", {nice_date(e.as_of)}" if e.as_of else ", date unknown"
            quote = f' "{escape(_short(e.quote))}"' if e.quote else ""
            item(console, f"{escape(_v(e.value))} [dim]({escape(where)}{when})[/dim]{quote}",
                 indent=4)
