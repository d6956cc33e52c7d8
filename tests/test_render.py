"""Renderers keep untrusted text as text."""

from __future__ import annotations

from rich.console import Console

from nextseason.catalogue.franchise import FranchiseReport, Observation, SourceWork, TimelineEntry
from nextseason.report.render_text import franchise_text


def _report(title: str) -> FranchiseReport:
    entry = TimelineEntry(1, title, "[red]English[/red]", "TV", "2023-04-12", "day",
                          "2023-06-28", "day", 11, "finished", 1, True, None)
    work = SourceWork(2, "[bold]Work[/bold]", "Manga", 16, 2020, None, "ongoing",
                      "2023-12-04", "manga_2023", [1])
    return FranchiseReport(1, title, 1, title, 1, [entry], 0, [work],
                           [Observation("members", 1234567, "2025-03-24", "jikan_2025")],
                           [Observation("members", 1234567, "2025-03-24", "jikan_2025")],
                           [], {})


def test_markup_in_titles_is_printed_verbatim() -> None:
    console = Console(width=160, record=True, color_system=None)
    franchise_text(_report("[Oshi no Ko]"), console)
    text = console.export_text()
    assert "[Oshi no Ko]" in text
    assert "[red]English[/red]" in text and "[bold]Work[/bold]" in text
    assert "1,234,567" in text and "2025-03-24" in text
