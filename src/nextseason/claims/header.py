"""A plain-text article's header block: ``Key: value`` lines ended by a ``---`` line.

Saved articles often start with what the saver knew about the page::

    URL: https://example.com/2021/05/show-season-2
    TITLE: Show Season 2: Everything We Know
    PUBLISHED: 2021-05-03
    ---
    <the article's text>

:func:`split_header` reads such a block as the article's metadata (address, title, date, and
any other keys, lower-cased) and returns the text after the ``---`` line as the article's
text. A block is a header only if it is at the very top, every line before the ``---`` is a
``Key: value`` line (keys are one word of letters, digits, ``_`` or ``-``, at most 40
characters), and it is at most :data:`MAX_LINES` lines long; anything else is ordinary text
and comes back unchanged. The scan looks at no more than :data:`MAX_HEADER` characters, so
a megabyte first line costs nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Header", "split_header", "page_url", "MAX_LINES", "MAX_HEADER"]

MAX_LINES = 30
MAX_HEADER = 8_000
_KEY = re.compile(r"([A-Za-z][A-Za-z0-9_-]{0,39})[ \t]*:[ \t]?(.*)")
_RULE = re.compile(r"-{3,}[ \t]*")
_DATE = re.compile(r"((?:19|20)\d{2})(?:-([01]\d)(?:-([0-3]\d))?)?")
#: keys read as the address, the title and the date (first one present wins)
URL_KEYS = ("url", "link", "source", "address")
TITLE_KEYS = ("title", "headline")
DATE_KEYS = ("published", "date", "published_at", "pubdate")


@dataclass(frozen=True)
class Header:
    """What the header block says; ``offset`` is where the article's text starts."""

    fields: dict[str, str] = field(default_factory=dict)
    offset: int = 0

    @property
    def url(self) -> str | None:
        return _first(self.fields, URL_KEYS, lambda v: v.startswith(("http://", "https://")))

    @property
    def title(self) -> str | None:
        return _first(self.fields, TITLE_KEYS, lambda v: True)

    @property
    def published(self) -> str | None:
        """The date as ISO ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` (``unknown`` → ``None``)."""
        raw = _first(self.fields, DATE_KEYS, lambda v: True)
        m = _DATE.match(raw or "")
        if not m:
            return None
        y, mo, d = m.groups()
        if mo and not 1 <= int(mo) <= 12 or d and not 1 <= int(d) <= 31:
            return None
        return "-".join(p for p in (y, mo, d) if p)


def _first(fields: dict[str, str], keys: tuple[str, ...], ok: object) -> str | None:
    for k in keys:
        v = fields.get(k, "").strip()
        if v and callable(ok) and ok(v):
            return v
    return None


def split_header(text: str) -> tuple[Header, str]:
    """(the header, the text after it); ``(Header(), text)`` when there is no header."""
    head = text[:MAX_HEADER]
    fields: dict[str, str] = {}
    pos = 0
    for _ in range(MAX_LINES + 1):
        nl = head.find("\n", pos)
        if nl < 0:
            return Header(), text
        line = head[pos:nl].rstrip("\r")
        if _RULE.fullmatch(line):
            if not fields:
                return Header(), text
            return Header(fields, nl + 1), text[nl + 1:]
        m = _KEY.fullmatch(line)
        if m is None:
            return Header(), text
        fields.setdefault(m.group(1).lower(), m.group(2).strip())
        pos = nl + 1
    return Header(), text


_HEAD_SCAN = 200_000
_TAG = re.compile(r"<(?:link|meta)\b[^<>]{0,600}>", re.I)
_ATTR = re.compile(r"""([a-zA-Z:-]{1,20})[ \t\n]{0,5}=[ \t\n]{0,5}"""
                   r"""(?:"([^"<>]{0,500})"|'([^'<>]{0,500})')""")


def page_url(html: str) -> str | None:
    """An HTML page's own address: ``<link rel="canonical">``, else ``og:url`` (http(s) only),
    looked for in the first 200,000 characters with bounded patterns."""
    found: dict[str, str] = {}
    for tag in _TAG.finditer(html, 0, min(len(html), _HEAD_SCAN)):
        attrs = {m.group(1).lower(): (m.group(2) or m.group(3) or "").strip()
                 for m in _ATTR.finditer(tag.group())}
        href = attrs.get("href") or attrs.get("content") or ""
        if not href.startswith(("http://", "https://")):
            continue
        if "canonical" in attrs.get("rel", "").lower().split():
            found.setdefault("canonical", href)
        elif attrs.get("property", attrs.get("name", "")).lower() == "og:url":
            found.setdefault("og", href)
    return found.get("canonical") or found.get("og")
