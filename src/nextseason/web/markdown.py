"""A small, safe Markdown → HTML converter for the model card.

Everything is escaped first; only headings, pipe tables, lists, paragraphs, fenced code,
``**bold**``, ```code``` and images of ``.png``/``.svg`` files *in the card's own folder*
(served under ``/reports/``) become HTML. Links, raw HTML and anything else stay text.
"""

from __future__ import annotations

import re
from html import escape

__all__ = ["render_markdown", "SAFE_ASSET"]

#: A file name the app may serve from the reports folder: no slashes, no leading dot.
SAFE_ASSET = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,200}\.(?:png|svg)")
_HEADING = re.compile(r"(#{1,6})\s+(.*)")
_BULLET = re.compile(r"[-*+]\s+(.*)")
_NUMBERED = re.compile(r"\d{1,4}[.)]\s+(.*)")
_TABLE_RULE = re.compile(r"\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
# Applied to escaped text: the alt text is already escaped; the target must be a safe name.
_IMAGE = re.compile(r"!\[([^\]]*)\]\((?:\./)?([^)\s]+)\)")


def _image(m: re.Match[str]) -> str:
    alt, target = m.group(1), m.group(2)
    if not SAFE_ASSET.fullmatch(target):
        return m.group(0)
    return f'<img src="/reports/{target}" alt="{alt}">'


def inline(text: str) -> str:
    """Escape ``text`` and turn code spans, images and bold into HTML."""
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an unmatched backtick: keep it as text
        parts[-2:] = [parts[-2] + "`" + parts[-1]]
    out = []
    for i, part in enumerate(parts):
        if i % 2:
            out.append(f"<code>{escape(part)}</code>")
        else:
            s = escape(part)
            s = _IMAGE.sub(_image, s)
            out.append(_BOLD.sub(r"<strong>\1</strong>", s))
    return "".join(out)


def _cells(line: str) -> list[str]:
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|"):
        line = line[:-1]
    return [c.strip() for c in line.split("|")]


def _table(lines: list[str]) -> str:
    head, body = lines[0], lines[1:]
    if body and _TABLE_RULE.fullmatch(body[0].strip()):
        body = body[1:]
    th = "".join(f"<th>{inline(c)}</th>" for c in _cells(head))
    rows = "".join(
        "<tr>" + "".join(f"<td>{inline(c)}</td>" for c in _cells(r)) + "</tr>" for r in body)
    # a wide table scrolls in its own box, which the keyboard can reach and scroll
    return ('<div class="table-scroll" role="region" aria-label="Table" tabindex="0">'
            f"<table><thead><tr>{th}</tr></thead><tbody>{rows}</tbody></table></div>")


def render_markdown(text: str) -> str:
    """``text`` (Markdown) as an HTML fragment in which all source text is escaped."""
    out: list[str] = []
    lines = text.splitlines()
    i = 0
    para: list[str] = []

    def flush() -> None:
        if para:
            out.append("<p>" + inline(" ".join(para)) + "</p>")
            para.clear()

    while i < len(lines):
        line = lines[i].rstrip()
        stripped = line.strip()
        if stripped.startswith("```"):
            flush()
            j = i + 1
            while j < len(lines) and not lines[j].strip().startswith("```"):
                j += 1
            out.append("<pre><code>" + escape("\n".join(lines[i + 1:j])) + "</code></pre>")
            i = j + 1
            continue
        if not stripped:
            flush()
        elif m := _HEADING.fullmatch(stripped):
            flush()
            n = len(m.group(1))
            out.append(f"<h{n}>{inline(m.group(2))}</h{n}>")
        elif stripped.startswith("|"):
            flush()
            j = i
            while j < len(lines) and lines[j].strip().startswith("|"):
                j += 1
            out.append(_table([x.strip() for x in lines[i:j]]))
            i = j
            continue
        elif _BULLET.fullmatch(stripped) or _NUMBERED.fullmatch(stripped):
            flush()
            pattern, tag = (_BULLET, "ul") if _BULLET.fullmatch(stripped) else (_NUMBERED, "ol")
            items = []
            while i < len(lines) and (m2 := pattern.fullmatch(lines[i].strip())):
                items.append(f"<li>{inline(m2.group(1))}</li>")
                i += 1
            out.append(f"<{tag}>{''.join(items)}</{tag}>")
            continue
        else:
            para.append(stripped)
        i += 1
    flush()
    return "\n".join(out)
