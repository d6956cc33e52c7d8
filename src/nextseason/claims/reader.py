"""Read a fan article (``.txt``, ``.md``, ``.html``) into plain text, safely.

Article files are untrusted user input. :func:`read_article` refuses what is not an article
before looking at it closely, and turns what is into plain text that claims can quote by
offsets:

1. **Extension.** ``.txt``, ``.md``/``.markdown``, ``.html``/``.htm`` (case-insensitive);
   anything else is an :class:`~nextseason.errors.InputError` listing the supported ones.
2. **Size.** Files over ``max_bytes`` (default 5 MB) are refused from ``stat`` before they
   are read, and the read itself never takes more than ``max_bytes + 1`` bytes.
3. **Binary.** NUL bytes, a known binary signature (PNG, JPEG, GIF, PDF, zip, gzip, ...) or
   more than 10 % control bytes in the first 8 KB → :class:`InputError`.
4. **Encoding.** UTF-8 only (a BOM is dropped). Anything else → :class:`EncodingError`
   naming the line and column of the first bad byte.
5. **Empty.** Empty or whitespace-only files, and HTML pages without any text, are refused.

Then, by format (newlines are always normalised to ``\\n``):

* ``txt`` — the text exactly as written.
* ``md`` — :func:`markdown_to_text`, a small regex converter (documented there).
* ``html`` — the page is parsed with lxml (which never runs scripts) and cleaned: ``script``,
  ``style``, ``noscript``, ``iframe``, ``nav``, ``header``, ``footer``, ``form`` and other
  active or chrome elements are dropped, as are ``on*`` event handlers, ``style``
  attributes and ``javascript:``/``vbscript:``/``data:`` URLs. trafilatura then picks the main
  text; if it finds none, the cleaned ``<body>``'s text is used. Either way the result is
  built from text nodes only, so no markup can survive as markup (``&lt;script&gt;`` in the
  page becomes the *text* ``<script>``, which is fine: it is text).

The publication date comes from the page's metadata (HTML meta tags, JSON-LD, ``<time>``;
Markdown front matter) — ``published_source="metadata"`` — or else from an explicit marker
near the top of the text ("date 2023-07-17", "Published on July 17, 2023", "Updated: ...")
— ``published_source="text"`` — or is ``None``.
"""

from __future__ import annotations

import bisect
import itertools
import json
import os
import re
import stat
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import EncodingError, InputError
from .header import page_url, split_header

__all__ = [
    "ArticleText",
    "read_article",
    "read_bytes",
    "markdown_to_text",
    "html_to_text",
    "date_from_text",
    "SUPPORTED_EXTENSIONS",
    "DEFAULT_MAX_BYTES",
]

DEFAULT_MAX_BYTES = 5_000_000
#: extension → format
SUPPORTED_EXTENSIONS: dict[str, str] = {
    ".txt": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
}
_SNIFF = 8192
_CONTROL_SHARE = 0.10
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a zip archive (or docx/epub/odt)"),
    (b"PK\x05\x06", "a zip archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "an executable"),
    (b"MZ\x90\x00", "an executable"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document"),
)


@dataclass(frozen=True)
class ArticleText:
    """An article read from a file: plain text plus what we know about it."""

    text: str
    format: str  # txt | md | html
    title: str | None
    published: str | None  # ISO date (YYYY-MM-DD)
    published_source: str | None  # "metadata" | "text" | None
    path: Path | None
    url: str | None = None  # where the page was read (a header's or the page's own address)


# --------------------------------------------------------------------------------- reading


def read_article(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES,
                 shown: Path | None = None) -> ArticleText:
    """Read, validate and convert one article file. Raises :class:`InputError` subclasses.

    ``shown`` is the name the file goes by — in messages and as the article's ``path`` —
    when it is read from another (a worker reading the absolute path of a file the user
    named relative to the folder they were in).
    """
    path = Path(path)
    shown = Path(shown) if shown is not None else path
    name = str(shown)
    fmt = SUPPORTED_EXTENSIONS.get(shown.suffix.lower())
    if fmt is None:
        supported = ", ".join(SUPPORTED_EXTENSIONS)
        raise InputError(
            f"unsupported file type {path.suffix or '(no extension)'!r}; "
            f"articles must be one of {supported}",
            file=name,
        )
    return read_bytes(_read_bounded(path, max_bytes, name), name, fmt=fmt, path=shown)


def read_bytes(data: bytes, name: str, *, fmt: str | None = None,
               path: Path | None = None) -> ArticleText:
    """An article from its bytes; ``name`` (a file name) gives the format unless ``fmt``
    does. The same checks as :func:`read_article` except the size limit."""
    fmt = fmt or SUPPORTED_EXTENSIONS.get(Path(name).suffix.lower(), "txt")
    if not data.strip():
        raise InputError("the file is empty (or only whitespace); nothing to read", file=name)
    raw = _decode(data, name)
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError("the file is empty (or only whitespace); nothing to read", file=name)

    title: str | None
    published: str | None = None
    source: str | None = None
    url: str | None = None
    if fmt == "txt":
        header, text = split_header(text)  # "Key: value" lines ended by "---", if any
        url, published = header.url, header.published
        source = "metadata" if published else None
        title = header.title or _first_line_title(text)
    elif fmt == "md":
        meta, body = _split_front_matter(text)
        text = markdown_to_text(body)
        title = _clean_title(meta.get("title")) or _markdown_title(body)
        published = _normalize_date(meta.get("date") or meta.get("published"))
        if published:
            source = "metadata"
    else:
        url = page_url(text)  # the page's own address (canonical link or og:url)
        text, title, published = html_to_text(text)
        if published:
            source = "metadata"
    if not text.strip():
        raise InputError("no article text found in the file", file=name)
    if published is None:
        published = date_from_text(text)
        if published:
            source = "text"
    return ArticleText(text, fmt, title, published, source, path, url)


def _read_bounded(path: Path, max_bytes: int, name: str) -> bytes:
    """The file's bytes, at most ``max_bytes``; only a regular file is opened.

    A FIFO, a device or a socket named like an article is refused from ``stat`` (opening a
    FIFO would wait forever for a writer); the file is then opened without blocking and
    checked again, in case it was swapped in between. ``name`` is what messages call it.
    """
    try:
        st = path.stat()
    except FileNotFoundError:
        raise InputError("no such file", file=name) from None
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror or exc})", file=name) from exc
    if stat.S_ISDIR(st.st_mode):
        raise InputError("is a directory, not an article file", file=name)
    if not stat.S_ISREG(st.st_mode):
        raise InputError("is not a regular file (a FIFO, device or socket); "
                         "articles must be ordinary files", file=name)
    if st.st_size > max_bytes:
        raise InputError(
            f"the file is {st.st_size:,} bytes, over the limit of {max_bytes:,} bytes; "
            "raise the limit (max_bytes / --max-bytes) or trim the file",
            file=name,
        )
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise InputError("is not a regular file; articles must be ordinary files",
                                 file=name)
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror or exc})", file=name) from exc
    if len(data) > max_bytes:  # it grew, or stat lied (/proc, ...)
        raise InputError(
            f"the file is over the limit of {max_bytes:,} bytes; "
            "raise the limit (max_bytes / --max-bytes) or trim the file",
            file=name,
        )
    if not data.strip():
        raise InputError("the file is empty (or only whitespace); nothing to read", file=name)
    return data


def _decode(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise EncodingError(
            "the file is UTF-16 text; save it as UTF-8 and try again", file=name, where="line 1"
        )
    head = data[:_SNIFF]
    for magic, what in _SIGNATURES:
        if head.startswith(magic):
            raise InputError(f"binary file ({what}), not a text article", file=name)
    nul = data.find(b"\x00")
    if nul >= 0:  # anywhere in the file, not only in the sniffed head
        line = data.count(b"\n", 0, nul) + 1
        column = nul - (data.rfind(b"\n", 0, nul) + 1) + 1
        raise InputError("binary file (contains NUL bytes), not a text article",
                         file=name, where=f"line {line}, column {column}")
    control = sum(1 for b in head if (b < 32 and b not in b"\t\n\r\f\v\x1b") or b == 127)
    if control > _CONTROL_SHARE * len(head):
        raise InputError(
            f"binary file ({control} control bytes in the first {len(head)}), "
            "not a text article",
            file=name,
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        bad = data[exc.start]
        raise EncodingError(
            f"not UTF-8 text: byte 0x{bad:02X} at column {column} "
            f"(byte offset {exc.start}) is invalid; save the file as UTF-8 and try again",
            file=name,
            where=f"line {line}",
        ) from None


def _first_line_title(text: str) -> str | None:
    """A plain-text article's title: the first of its first three non-empty lines that
    looks like a headline (at most 150 characters, not ending like a sentence with
    ``.``/``,``/``;``/``:``, no sentence break inside). Skips a cookie banner or a dateline.
    """
    lines = [line.strip() for line in text.split("\n") if line.strip()][:3]
    for line in lines:
        if (len(line) <= 150 and not line.endswith((".", ",", ";", ":"))
                and not re.search(r"[.!?]\s+[A-Z]", line) and date_from_text(line) is None):
            return line
    return None


def _clean_title(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split()).strip("\"'")
    return value[:300] or None


# -------------------------------------------------------------------------------- Markdown

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
# Every pattern below is linear by construction: a repeated part never overlaps what follows
# it (possessive quantifiers, or character classes that exclude the next delimiter and the
# pattern's own opener), so a failed attempt stops at the next opener instead of scanning to
# the end of the line and backtracking. ``tests/test_reader_fuzz.py`` and
# ``benchmarks/bench_hostile.py`` check this on pathological input.
_ATX_OPEN = re.compile(r"[ \t]{0,3}+(#{1,6}+)(?![^ \t])")
_RULE = re.compile(r"[ \t]{0,3}+(?:[-*_=][ \t]*+){3,}+\Z")
_TABLE_SEP = re.compile(
    r"[ \t]*+\|?[ \t]*+:?-{3,}+:?[ \t]*+(?:\|[ \t]*+:?-{3,}+:?[ \t]*+)*+\|?[ \t]*+\Z"
)
_REF_DEF = re.compile(r"[ \t]{0,3}+\[[^\[\]]++\]:[ \t]*+\S")
_QUOTE = re.compile(r"^[ \t]{0,3}+(?:>[ \t]?+)++")
_BULLET = re.compile(r"^([ \t]*+)[*+-][ \t]++")
_BACKTICKS = re.compile(r"`+")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>~|])")
_IMAGE = re.compile(r"!\[[^\[\]]*+\](?:\([^()]*+\)|\[[^\[\]]*+\])[ \t]*+")
_LINK = re.compile(
    r"\[([^\[\]]*+)\](?:\((?:[^()]++|\([^()]*+\))*+\)|\[[^\[\]]*+\])"
)
_AUTOLINK = re.compile(r"<((?:https?|ftp)://[^<>\s]++|[^<>\s@]++@[^<>\s@]++)>")
_HTML_DROP = ("script", "style", "noscript", "iframe", "object", "embed", "template")
_HTML_OPEN = re.compile(r"<(" + "|".join(_HTML_DROP) + r")\b|<!--", re.I)
_HTML_CLOSE = re.compile(r"</(" + "|".join(_HTML_DROP) + r")\s*+>|-->", re.I)
_HTML_VOID = re.compile(
    r"<(?:img|br|hr|input|embed|source|wbr|meta|link|area|track)\b[^<>]*+>[ \t]*+", re.I
)
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*+(?:\s[^<>]*+)?/?>")
_EMPHASIS = (
    re.compile(r"(\*\*\*)(?=\S)((?:[^*]|\*(?!\*\*))+?)(?<=\S)\*\*\*"),
    re.compile(r"(___)(?=\S)((?:[^_]|_(?!__))+?)(?<=\S)___"),
    re.compile(r"(\*\*)(?=\S)((?:[^*]|\*(?!\*))+?)(?<=\S)\*\*"),
    re.compile(r"(__)(?=\S)((?:[^_]|_(?!_))+?)(?<=\S)__"),
    re.compile(r"(~~)(?=\S)((?:[^~]|~(?!~))+?)(?<=\S)~~"),
    re.compile(r"(\*)(?=[^\s*])([^*]+?)(?<=[^\s*])\*"),
    re.compile(r"(?<![A-Za-z0-9_])(_)(?=[^\s_])((?:[^_]|(?<=[A-Za-z0-9])_(?=[A-Za-z0-9]))+?)"
               r"(?<=[^\s_])_(?![A-Za-z0-9_])"),
)
#: Nested emphasis is unwrapped one level per pass; deeper nesting stays as written.
_EMPHASIS_PASSES = 4
_PROTECT = "\ue000"  # private-use: stands in for escaped characters while stripping
_PROTECTED = re.compile(f"{_PROTECT}(\\d++){_PROTECT}")
_ESCAPE_OR_PROTECT = re.compile(f"{_ESCAPE.pattern}|{_PROTECT}")


def _split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """YAML-ish front matter (``---`` … ``---`` at the very top, every line ``key: value``,
    an indented continuation, a ``- item`` or a ``# comment``); flat keys are read."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, text
    lines = [line for line in m.group(1).split("\n") if line.strip()]
    if not lines or not all(
        re.match(r"[A-Za-z0-9_.-]+[ \t]*:", line) or line[0] in " \t-#" for line in lines
    ):
        return {}, text  # not front matter: a thematic break around ordinary prose
    meta: dict[str, str] = {}
    for line in m.group(1).split("\n"):
        key, sep, value = line.partition(":")
        if sep and key.strip() and not key.startswith((" ", "\t")):
            meta[key.strip().lower()] = value.strip().strip("\"'")
    return meta, text[m.end():]


def _atx(line: str) -> str | None:
    """The text of an ATX heading line (``## Title ##`` → ``Title``), or None."""
    m = _ATX_OPEN.match(line)
    if m is None:
        return None
    content = line[m.end():].strip(" \t")
    bare = content.rstrip("#")
    if bare != content and bare and bare[-1] in " \t":  # a closing sequence ` ##`
        content = bare.rstrip(" \t")
    return content


def _markdown_title(md: str) -> str | None:
    in_fence = False
    for line in md.split("\n"):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        heading = None if in_fence else _atx(line)
        if heading:
            return _clean_title(_inline(heading))
    return None


def _drop_html_blocks(text: str) -> str:
    """Remove ``<script>…</script>`` (and the other active elements) with their content, and
    ``<!-- comments -->``, with the spaces after them; an opener without its closer stays.

    Linear: the closers are found once, and each opener looks up the next one by bisection.
    """
    closers: dict[str, list[tuple[int, int]]] = {}
    for m in _HTML_CLOSE.finditer(text):
        key = (m.group(1) or "--").lower()
        closers.setdefault(key, []).append((m.start(), m.end()))
    if not closers:
        return text
    parts: list[str] = []
    pos = 0
    for m in _HTML_OPEN.finditer(text):
        if m.start() < pos:
            continue
        key = (m.group(1) or "--").lower()
        found = closers.get(key, [])
        i = bisect.bisect_left(found, (m.end(), -1))  # a closer after the opener ("<!-->"
        # is not a closed comment)
        if i == len(found):
            continue
        end = found[i][1]
        while end < len(text) and text[end] in " \t":
            end += 1
        parts.append(text[pos:m.start()])
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def markdown_to_text(md: str) -> str:
    """Plain text from Markdown, minimally and predictably (no dependency).

    Line by line, outside code fences:

    * front matter is *not* handled here (:func:`read_article` removes it first);
    * ATX headings ``## Title ##`` → ``Title``; lines that are only markup — setext
      underlines and thematic breaks (``---``, ``***``, ``===``), table separator rows
      (``|---|---|``) and reference definitions — are dropped entirely;
    * block quotes lose their ``>``; ``*``/``+`` bullets become ``-`` bullets; ordered
      lists and table rows are kept as written;
    * images ``![alt](src)`` are dropped (with the spaces after them); links
      ``[text](url)`` / ``[text][id]`` → ``text``; autolinks ``<http://…>`` → the URL;
    * emphasis ``***``, ``**``, ``__``, ``*``, ``_`` (not inside words) and ``~~`` are
      unwrapped; inline code spans keep their content verbatim, without backticks;
    * raw HTML: ``script``/``style``/``iframe``/… blocks are dropped with their content, other
      tags are removed (their text stays; an empty tag such as ``<img>`` takes the spaces
      after it too); backslash escapes ``\\*`` → ``*``.

    Code fences (```` ``` ```` / ``~~~``) are dropped and the code inside is kept verbatim as
    text. Trailing spaces are removed, runs of blank lines collapse to one, and the result is
    stripped.
    """
    md = md.replace("\r\n", "\n").replace("\r", "\n")
    out: list[str] = []
    fence: str | None = None
    prose: list[str] = []

    def flush() -> None:
        if prose:
            block = _drop_html_blocks("\n".join(prose))
            for line in block.split("\n"):
                converted = _markdown_line(line)
                if converted is not None:
                    out.append(converted)
            prose.clear()

    for line in md.split("\n"):
        m = _FENCE.match(line)
        if fence is not None:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and (
                not line.strip().strip(fence[0])
            ):
                fence = None
            else:
                out.append(line)
            continue
        if m:
            flush()
            fence = m.group(1)
            continue
        prose.append(line)
    flush()

    lines: list[str] = []
    for line in out:
        line = line.rstrip()
        if not line and (not lines or not lines[-1]):
            continue
        lines.append(line)
    return "\n".join(lines).strip()


def _markdown_line(line: str) -> str | None:
    """One prose line as text; None for a line that is only markup (dropped entirely)."""
    if _RULE.match(line) or _TABLE_SEP.match(line) or _REF_DEF.match(line):
        return None
    heading = _atx(line)
    if heading is not None:
        return _inline(heading)
    line = _QUOTE.sub("", line)
    line = _BULLET.sub(r"\1- ", line)
    return _inline(line)


def _code_spans(line: str) -> list[tuple[int, int, int, int]]:
    """``(start, end, content start, content end)`` of each code span: a run of n backticks
    up to the next run of exactly n (CommonMark). Linear: each run's next equal run is found
    in one backward pass."""
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(line)]
    following: list[int | None] = [None] * len(runs)
    last: dict[int, int] = {}
    for i in range(len(runs) - 1, -1, -1):
        n = runs[i][1] - runs[i][0]
        following[i] = last.get(n)
        last[n] = i
    spans = []
    i = 0
    while i < len(runs):
        j = following[i]
        if j is None:
            i += 1
            continue
        spans.append((runs[i][0], runs[j][1], runs[i][1], runs[j][0]))
        i = j + 1
    return spans


def _inline(line: str) -> str:
    """Inline markup of one line; code spans are kept verbatim."""
    parts: list[str] = []
    pos = 0
    for start, end, inner_start, inner_end in _code_spans(line):
        parts.append(_inline_prose(line[pos:start]))
        code = line[inner_start:inner_end]
        parts.append(code.strip() if code.strip() else code)
        pos = end
    parts.append(_inline_prose(line[pos:]))
    return "".join(parts)


def _inline_prose(s: str) -> str:
    escaped: list[str] = []

    def protect(m: re.Match[str]) -> str:
        escaped.append(m.group(1) or m.group(0))
        return f"{_PROTECT}{len(escaped) - 1}{_PROTECT}"

    # the placeholder character itself, when the text has it, is protected like an escape,
    # so that restoring the placeholders gives back exactly the text's own characters
    s = _ESCAPE_OR_PROTECT.sub(protect, s)
    s = _IMAGE.sub("", s)
    s = _LINK.sub(r"\1", s)
    s = _AUTOLINK.sub(r"\1", s)
    s = _HTML_VOID.sub("", s)
    s = _HTML_TAG.sub("", s)
    for pattern in _EMPHASIS:
        for _ in range(_EMPHASIS_PASSES):
            s, n = pattern.subn(r"\2", s)
            if not n:
                break
    return _PROTECTED.sub(lambda m: escaped[int(m.group(1))], s)


# ------------------------------------------------------------------------------------ HTML

_DROP_TAGS = frozenset({
    "script", "style", "noscript", "iframe", "frame", "frameset", "object", "embed", "applet",
    "template", "nav", "header", "footer", "form", "button", "select", "textarea", "input",
    "svg", "math", "canvas", "audio", "video", "link", "meta", "base", "aside",
})
_URL_ATTRS = frozenset({
    "href", "src", "action", "formaction", "xlink:href", "background", "poster", "data",
    "srcset", "lowsrc", "dynsrc", "codebase", "cite", "longdesc", "usemap", "ping",
})
_BAD_URL = re.compile(r"^(?:javascript|vbscript|data|livescript):", re.I)
_BLOCKS = frozenset({
    "p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
    "tr", "table", "section", "article", "main", "blockquote", "pre", "figure", "figcaption",
    "hr", "caption", "address", "details", "summary",
})
_DATE_META = (
    "article:published_time", "og:published_time", "og:article:published_time",
    "datepublished", "date", "pubdate", "publishdate", "publish_date", "publish-date",
    "publication_date", "published_time", "article.published", "dc.date.issued",
    "dc.date", "dcterms.issued", "dcterms.date", "dcterms.created", "sailthru.date",
    "parsely-pub-date", "citation_publication_date", "citation_date", "datecreated",
)
#: Pages with more elements than this skip trafilatura (see :func:`html_to_text`).
MAX_MAIN_TEXT_ELEMENTS = 20_000
_HTML_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]+")
_PUBLISH_CLASS = re.compile(r"publish|posted|entry-date|post-date|byline|dateline", re.I)


def html_to_text(html: str) -> tuple[str, str | None, str | None]:
    """``(plain text, title, published ISO date or None)`` of an HTML page.

    Nothing in the page is run: lxml only parses, and everything active is removed before
    trafilatura sees the page.
    """
    import lxml.etree
    import lxml.html
    import trafilatura

    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        # control characters are parse errors in HTML, and lxml refuses them as node text
        html = _HTML_CONTROL.sub("", html)
        tree = lxml.html.document_fromstring(_limit_attributes(html).encode("utf-8"),
                                             parser=parser)
    except (lxml.etree.ParserError, ValueError):  # "Document is empty": no elements at all
        return "", None, None
    title = _html_title(tree)
    published = _html_published(tree)
    _clean(tree)
    text = None
    # trafilatura's main-text search grows faster than the page beyond some tens of thousands
    # of elements (a 4 MB page of short paragraphs with dates took minutes); such a page is
    # not an article anyway, and its cleaned body text is used instead
    if sum(1 for _ in itertools.islice(tree.iter(), MAX_MAIN_TEXT_ELEMENTS + 1)
           ) <= MAX_MAIN_TEXT_ELEMENTS:
        text = _main_text(trafilatura, lxml.html.tostring(tree, encoding="unicode"))
    if not text or not text.strip():
        text = _body_text(tree)
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    return text, title, published


def _main_text(trafilatura: Any, cleaned: str) -> str | None:
    text: str | None = trafilatura.extract(
        cleaned,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        output_format="txt",
        favor_precision=True,
        deduplicate=False,
        # no readability/jusText fallbacks: jusText's paragraph revision is quadratic in the
        # number of paragraphs (a 1 MB page of short paragraphs took minutes)
        fast=True,
        with_metadata=False,
    )
    return text


def _html_title(tree: Any) -> str | None:
    for xpath in (
        '//meta[@property="og:title"]/@content',
        '//meta[@name="twitter:title"]/@content',
        "//title//text()",
        "//h1//text()",
    ):
        found = _clean_title(" ".join(str(v) for v in tree.xpath(xpath)))
        if found:
            return found
    return None


def _html_published(tree: Any) -> str | None:
    """The publication date from explicit metadata only (never from the prose)."""
    metas: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key and meta.get("content") and key not in metas:
            metas[key] = meta.get("content")
    for key in _DATE_META:
        found = _normalize_date(metas.get(key))
        if found:
            return found
    for script in tree.xpath('//script[contains(@type, "ld+json")]'):
        try:
            data = json.loads(script.text_content())
        except (ValueError, TypeError, RecursionError):  # RecursionError: absurdly deep JSON
            continue
        for key in ("datePublished", "dateCreated"):
            found = _normalize_date(_find_key(data, key))
            if found:
                return found
    times = [t for t in tree.iter("time") if t.get("datetime")]
    ranked = (
        [t for t in times if t.get("pubdate") is not None
         or (t.get("itemprop") or "").lower() == "datepublished"],
        [t for t in times if _PUBLISH_CLASS.search(t.get("class") or "")
         or any(a.tag == "header" or _PUBLISH_CLASS.search(a.get("class") or "")
                for a in t.iterancestors())],
        # a <time> that is part of the prose (a paragraph, a list, a table) is a claim,
        # not the article's date
        [t for t in times if not any(a.tag in ("p", "li", "td", "th", "blockquote")
                                     for a in t.iterancestors())],
    )
    for group in ranked:
        for t in group:
            found = _normalize_date(t.get("datetime"))
            if found:
                return found
    return None


def _find_key(data: Any, key: str, depth: int = 0) -> Any:
    if depth > 8:
        return None
    if isinstance(data, dict):
        if isinstance(data.get(key), str):
            return data[key]
        items = list(data.values())
    elif isinstance(data, list):
        items = data
    else:
        return None
    for item in items:
        found = _find_key(item, key, depth + 1)
        if found:
            return found
    return None


# A start tag and its attribute section, the way an HTML tokenizer reads it (quoted values may
# hold ">"); it cannot fail once it has seen "<" and a letter, so matches never overlap and one
# pass over the page is linear.
_START_TAG = re.compile(
    r"""<[A-Za-z][^\s/>]*+((?:[\s/]++(?:[^\s"'>/=]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s>]*+))?+)?+)*+)"""
)
_ATTRIBUTE = re.compile(
    r"""[^\s"'>/=]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s>]*+))?+"""
)
#: More attributes than this on one element are dropped before parsing: libxml2 checks each
#: new attribute against all earlier ones, so 50,000 attributes took minutes.
MAX_ATTRIBUTES = 100
_LONG_ATTRIBUTES = 2_000  # characters; only tags with a longer attribute section are counted


def _limit_attributes(html: str) -> str:
    """``html`` with every start tag cut to its first :data:`MAX_ATTRIBUTES` attributes."""
    parts: list[str] = []
    pos = 0
    for m in _START_TAG.finditer(html):
        if m.end(1) - m.start(1) < _LONG_ATTRIBUTES:
            continue
        attrs = [a.group(0) for a in itertools.islice(
            _ATTRIBUTE.finditer(html, m.start(1), m.end(1)), MAX_ATTRIBUTES + 1)]
        if len(attrs) <= MAX_ATTRIBUTES:
            continue
        parts.append(html[pos:m.start(1)])
        parts.append(" " + " ".join(attrs[:MAX_ATTRIBUTES]))
        pos = m.end(1)
    if not parts:
        return html
    parts.append(html[pos:])
    return "".join(parts)


def _bad_attribute(name: str, value: str) -> bool:
    low = name.lower()
    return low.startswith("on") or low == "style" or (
        low in _URL_ATTRS and _BAD_URL.match(re.sub(r"[\s\x00-\x1f]+", "", value)) is not None
    )


def _clean(tree: Any) -> None:
    """Remove active content and page chrome from ``tree`` in place."""
    for el in list(tree.iter()):
        if not isinstance(el.tag, str):  # comments, PIs, entities
            if el.getparent() is not None:
                el.drop_tree()
            continue
        if el.tag.lower() in _DROP_TAGS and el.getparent() is not None:
            el.drop_tree()
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        bad = [name for name, value in el.attrib.items() if _bad_attribute(name, value)]
        for name in bad:
            del el.attrib[name]
    _assert_clean(tree)


def _assert_clean(tree: Any) -> None:
    """Check what :func:`_clean` promises (the same rules: a ``title="data: …"`` is text, not
    a URL, and stays)."""
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag.lower() in _DROP_TAGS:
            raise AssertionError(f"<{el.tag}> survived HTML cleaning")
        for attr, value in el.attrib.items():
            if _bad_attribute(attr, value):
                raise AssertionError(f"{attr}= survived HTML cleaning")


def _body_text(tree: Any) -> str:
    """The text of the cleaned ``<body>``: a line per block element, spaces collapsed
    (``<pre>`` keeps its line breaks), blank lines dropped."""
    body = tree.find("body")
    if body is None:
        body = tree
    for el in body.iter():
        if not isinstance(el.tag, str):
            continue
        # HTML collapses white space (newlines included) except inside <pre>
        if not any(a.tag == "pre" for a in el.iterancestors()):
            if el.tag != "pre" and el.text:
                el.text = re.sub(r"\s+", " ", el.text)
            if el.tail:
                el.tail = re.sub(r"\s+", " ", el.tail)
        if el.tag.lower() in _BLOCKS:
            el.tail = "\n" + (el.tail or "")
            if el.tag.lower() != "br":
                el.text = "\n" + (el.text or "")
    lines = (" ".join(line.split()) for line in body.text_content().split("\n"))
    return "\n".join(line for line in lines if line)


# ----------------------------------------------------------------------------------- dates

_TOP = 300
_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATE = (
    r"(?P<date>\d{4}-\d{1,2}-\d{1,2}(?![\d-])|\d{4}/\d{1,2}/\d{1,2}(?![\d/])"
    rf"|{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS},?\s+\d{{4}})"
)
_MARKERS = (
    # (marker, rank): a publication marker beats an update marker
    (r"(?:first\s+)?published|posted|dated|date|released\s+on|written\s+on", 0),
    (r"(?:last\s+)?updated|modified|revised", 1),
)
_MARKER_RE = [
    (re.compile(rf"\b(?:{m})\b(?:\s+on)?\s*[:\-–—|]?\s*{_DATE}", re.I), rank)
    for m, rank in _MARKERS
]
_DATE_LINE = re.compile(rf"^[ \t]*{_DATE}[ \t]*$", re.I | re.M)


def date_from_text(text: str) -> str | None:
    """An explicit publication date in the first ~300 characters, as an ISO date.

    Accepted: a marker ("date", "dated", "published", "posted", "first published",
    "updated", "last updated", …, optionally followed by "on" and ``:``) then a date
    written as ``2023-07-17``, ``2023/07/17``, ``July 17, 2023``, ``Jul. 17th 2023`` or
    ``17 July 2023``; or a line that is nothing but such a date. Publication markers win
    over update markers, then the earliest in the text. All-numeric day/month orders
    (``07/08/2023``) are ambiguous and ignored.
    """
    top = text[:_TOP]
    found: list[tuple[int, int, str]] = []
    for pattern, rank in _MARKER_RE:
        for m in pattern.finditer(top):
            iso = _normalize_date(m.group("date"))
            if iso:
                found.append((rank, m.start(), iso))
    if found:
        return min(found)[2]
    line = _DATE_LINE.search(top)
    return _normalize_date(line.group("date")) if line else None


def _normalize_date(value: Any) -> str | None:
    """``YYYY-MM-DD`` from an ISO date/datetime or an English day-month-year date."""
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    m = re.match(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:$|[T\s])", value)
    if m:
        try:
            d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
        return d.isoformat() if 1900 <= d.year <= 2200 else None
    if not re.search(r"\d{4}", value) or not re.search(_MONTHS, value, re.I):
        return None
    import dateparser

    parsed = dateparser.parse(
        re.sub(r"(?<=\d)(st|nd|rd|th)\b", "", value),
        languages=["en"],
        settings={"REQUIRE_PARTS": ["day", "month", "year"], "STRICT_PARSING": True},
    )
    if parsed is None or not 1900 <= parsed.year <= 2200:
        return None
    return parsed.date().isoformat()
