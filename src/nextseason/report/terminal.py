"""Terminal output that reads well when wrapped or piped.

:func:`item` prints an indented line whose wrapped continuation keeps the indent (Rich
wraps a printed string back to column 0); :func:`table_box` draws tables with box lines,
or none on a *plain* console (``--plain``: no colour, no box drawing, for pipes and
screen readers). Renderers take any Rich console; a plain one says so with ``plain = True``.
"""

from __future__ import annotations

from rich import box
from rich.box import Box
from rich.console import Console
from rich.text import Text

__all__ = ["item", "table_box", "is_plain", "WIDTH"]

#: the width the output is made to fit when the terminal does not say
WIDTH = 80


def is_plain(console: Console) -> bool:
    return bool(getattr(console, "plain", False))


def item(console: Console, markup: str, indent: int = 2) -> None:
    """Print ``markup`` (Rich markup, already escaped) indented by ``indent`` columns; the
    lines it wraps onto are indented as much."""
    pad = Text(" " * indent)
    for line in Text.from_markup(markup).wrap(console, max(console.width - indent, 20)):
        line.rstrip()
        console.print(pad + line, soft_wrap=True)


def table_box(console: Console) -> Box | None:
    """The box tables are drawn with: a rule under the header, or none when plain."""
    return None if is_plain(console) else box.SIMPLE_HEAD
