"""Text stays text: checks and escapes for what users give us and what we print back.

* :func:`check_url` — an article's URL is an ``http``/``https`` address or nothing.
* :func:`markdown_url` — a URL made safe to put inside a Markdown autolink ``<…>``.
* :func:`terminal_safe` — text with escape sequences and control characters removed, for
  a terminal (article text is untrusted: ``ESC]0;…`` retitles a terminal, ``ESC[2J``
  clears it, bidirectional overrides reorder what is shown).
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from .errors import InputError

__all__ = ["check_url", "markdown_url", "terminal_safe", "MAX_URL"]

MAX_URL = 2048
_URL_BAD_CHARS = re.compile(r"[\x00-\x20\x7f-\x9f<>\"`\\]")
# An escape sequence: CSI (ESC [ … final), OSC/DCS/PM/APC strings (up to BEL or ESC \, at
# most 512 characters and never past a line end, so an unterminated one cannot swallow the
# text), or a two-character escape. Every part is possessive: no backtracking.
_ESCAPES = re.compile(
    r"\x1b(?:\[[0-?]*+[ -/]*+[@-~]?|[\]P^_X][^\x07\x1b\n]{0,512}+(?:\x07|\x1b\\)?|[ -~])?"
    r"|\x9b[0-?]*+[ -/]*+[@-~]?|[\x90\x9d\x9e\x9f][^\x07\x1b\x9c\n]{0,512}+[\x07\x9c]?"
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def check_url(url: str | None) -> str | None:
    """``url`` if it is an absolute ``http``/``https`` address; None for None or blank.

    Raises :class:`InputError` for anything else (``javascript:``, a relative path, spaces,
    control characters, more than :data:`MAX_URL` characters).
    """
    if url is None or not url.strip():
        return None
    value = url.strip()
    problem = None
    if len(value) > MAX_URL:
        problem = f"is {len(value):,} characters long (at most {MAX_URL:,})"
    elif _URL_BAD_CHARS.search(value):
        problem = "contains spaces, quotes, angle brackets or control characters"
    else:
        try:
            parts = urlsplit(value)
        except ValueError as exc:
            problem = f"cannot be parsed ({exc})"
        else:
            if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
                problem = "must be an http:// or https:// address"
    if problem:
        shown = value if len(value) <= 80 else value[:77] + "..."
        raise InputError(f"--url {shown!r} {problem}")
    return value


def markdown_url(url: str | None) -> str | None:
    """``url`` percent-encoded so that it stays one link inside ``<…>`` in Markdown, or None
    if it is not an ``http``/``https`` address."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return quote(url.strip(), safe=":/?#@!$&'*+,;=%~-._")


def terminal_safe(text: str) -> str:
    """``text`` without escape sequences, control characters (newline and tab stay) or
    bidirectional overrides; lone surrogates (from a file name that is not UTF-8) become
    ``?`` so that printing them cannot fail."""
    if not text.isprintable():
        text = _CONTROLS.sub("", _ESCAPES.sub("", text))
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text
