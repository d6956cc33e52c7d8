"""Which show an article is about: its headline and the titles it names, through search.

Candidates are the headline, quoted titles, and the words before "Season N" or "season 2";
each is looked up with the title search, and the show named most often (exact and prefix
matches only, so a passing fuzzy likeness never decides) is the subject.
"""

from __future__ import annotations

import re
from collections import Counter

from ..search.index import SearchIndex
from ..store.conn import Conn

__all__ = ["resolve_subject", "subject_in", "candidate_titles"]

_QUOTED = re.compile(r"(?:^|(?<=[\s(\[]))[\"“‘]([^\"“”‘’\n]{3,120}?)[,.]?[\"”’]")
_BEFORE_SEASON = re.compile(
    r"((?:[A-Z0-9][\w:'!?.-]*\s+){0,8}?[A-Z][\w:'!?.-]*)\s+(?:Season|season)\s+\d", re.U)
_HEAD_SPLIT = re.compile(r"\s*(?:Season \d+|season \d+|:|\||–|—| - |\?|!)\s*")
#: a candidate shorter than this (letters and digits) is too common a word to decide
MIN_CHARS = 5


def candidate_titles(text: str, title: str | None = None) -> list[str]:
    """Strings that may name the article's show, most telling first."""
    heads = [line.strip() for line in text.strip().splitlines()[:6]
             if 0 < len(line.strip()) <= 150][:3]
    out: list[str] = []
    for head in (title, *heads):
        if head:
            out.append(head.strip()[:200])
            out += [p for p in _HEAD_SPLIT.split(head) if len(p) >= 3][:3]
    out += [m.group(1).strip() for m in _QUOTED.finditer(text[:20_000])]
    out += [m.group(1).strip() for m in _BEFORE_SEASON.finditer(text[:20_000])]
    seen: set[str] = set()
    unique = []
    for c in out:
        key = c.lower()
        if key not in seen and len(re.sub(r"\W", "", key)) >= MIN_CHARS:
            seen.add(key)
            unique.append(c)
    return unique


def resolve_subject(conn: Conn, text: str, title: str | None = None,
                    *, index: SearchIndex | None = None) -> tuple[str | None, int | None]:
    """``(name as written, MAL id)`` of the show the article is about, or ``(None, None)``."""
    return subject_in(index or SearchIndex.from_db(conn), text, title)


def subject_in(index: SearchIndex, text: str, title: str | None = None
               ) -> tuple[str | None, int | None]:
    """:func:`resolve_subject` with the catalogue's search index alone (no database)."""
    votes: Counter[int] = Counter()
    names: dict[int, str] = {}
    for cand in candidate_titles(text, title):
        hits = index.search(cand, limit=1, fuzzy=False)  # a fuzzy hit never decides
        if not hits or hits[0].match not in ("exact", "prefix"):
            continue
        hit = hits[0]
        weight = 2 if hit.match == "exact" else 1
        votes[hit.mal_id] += weight
        names.setdefault(hit.mal_id, cand)
    if not votes:
        return None, None
    mal_id, _ = votes.most_common(1)[0]
    return names[mal_id], mal_id
