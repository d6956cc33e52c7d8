"""Rules for sales and reception: Blu-ray/DVD sales, circulation, ratings and chart ranks.

Numbers are numbers ("1,759" → 1759, "3.5 million" → 3500000, "7.4" → 7.4); the qualifier
says what the number is of: the period of a sale ("first week"), the site of a rating or a
chart ("MyAnimeList", "Crunchyroll"), the date of a circulation figure ("as of 2023-05").
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

from .extract_text import (
    SITE_RX,
    Hit,
    Sentence,
    find_dates,
    finditer,
    parse_number,
    search,
    site_name,
)

__all__ = ["reception_rules"]

_BIG = (r"(?P<n>\d{1,3}(?:,\d{3})+\+?|\d{1,9}(?:\.\d{1,3})?(?:[ ](?:thousand|million|billion))?\+?|"
        r"(?:one|two|three|four|five|six|seven|eight|nine|ten)[ ](?:thousand|million))")


_DISC = regex.compile(r"(?i)\b(?:blu-?rays?|bds?|dvds?|home[ ]video|discs?)\b")
_BD = [
    regex.compile(rf"(?i)\b(?:sold|sell|selling|sales[ ]of|moved)[ ](?:(?:over|more[ ]than|about|"
                  rf"around|roughly|approximately|an[ ]estimated|only|just|a[ ]total[ ]of|just[ ]"
                  rf"shy[ ]of|nearly|almost|close[ ]to)[ ])?{_BIG}\b"),
    regex.compile(rf"(?i)(?<![\d,.]){_BIG}[ ](?:(?:blu-?ray|bd|dvd|home[ ]video)[ ]?(?:/|and|or)?"
                  r"[ ]?){1,2}(?:units|copies|discs|sets|volumes)\b"),
]
_BD_Q = [(regex.compile(r"(?i)\bfirst[ ]week\b"), "first week"),
         (regex.compile(r"(?i)\bper[ ]volume\b"), "per volume"),
         (regex.compile(r"(?i)\bfirst[ ]volume\b"), "first volume"),
         (regex.compile(r"(?i)\b(?:total|cumulative|combined)\b"), "total")]
_CIRC = [
    regex.compile(rf"(?i)(?<![\d,.]){_BIG}[ ](?:million[ ])?(?:cumulative[ ]|total[ ])?copies[ ]"
                  rf"(?:of[ ](?:its|the|all)[ ](?:[\w-]{{1,15}}[ ]){{0,2}}?)?"
                  rf"(?:in[ ]circulation|in[ ]print|"
                  r"sold|have[ ]been[ ](?:sold|printed))"),
    regex.compile(rf"(?i)\bcirculation[ ]of[ ](?:over[ ]|more[ ]than[ ]|about[ ])?{_BIG}\b"),
    regex.compile(rf"(?i)\b(?:sold|sell|sells|selling)[ ](?:over[ ]|more[ ]than[ ]|about[ ]|ar"
                  rf"ound[ ])?"
                  rf"{_BIG}[ ]copies"),
]
_AS_OF = regex.compile(r"(?i)\bas[ ]of[ ]")
_RATING = [
    regex.compile(rf"(?i)(?<![#\d.])(?<!top[ ])(?P<n>100(?=%)|\d{{1,2}}(?:\.\d{{1,2}})?)"
                  rf"(?P<pct>%)?(?:"
                  rf"[ ]?/[ ]?10|[ ]out[ ]of"
                  rf"[ ]10|[ ]stars?)?[ ](?:on|at|from)[ ](?P<site>{SITE_RX})(?![\p{{L}}])"),
    regex.compile(rf"(?i)\b(?P<site>{SITE_RX})(?:['’]s)?[ ](?:score|rating)[ ](?:of[ ]|is[ ]|w"
                  rf"as[ ])?"
                  r"(?P<n>\d{1,2}(?:\.\d{1,2})?)(?P<pct>%)?"),
]
_RANK = [
    regex.compile(rf"(?i)\btop[ ](?P<n>\d{{1,3}})\b[^.;]{{0,40}}?\b(?:on|in|of|at)[ ](?P<site>"
                  rf"{SITE_RX})"),
    regex.compile(rf"(?i)\b(?P<site>{SITE_RX})(?:['’]?s['’]?)?[ ](?:list[ ]of[ ]|chart[ ]of[ ]"
                  rf"|weekly"
                  r"[ ]|popularity[ ])?(?:the[ ])?top[ ](?P<n>\d{1,3})\b"),
    regex.compile(rf"(?i)\branked[ ](?:#|no\.[ ]?|number[ ])?(?P<n>\d{{1,3}})(?:st|nd|rd|th)?\b"
                  rf"[^.;]{{0,40}}?\b(?:on|in)[ ](?P<site>{SITE_RX})"),
]


_RANK_PLAIN = regex.compile(
    r"(?i)\b(?:ranked|ranks|placed|sits)[ ](?:at[ ])?(?:the[ ])?(?:#|no\.[ ]?|number[ ])?"
    r"(?P<n>\d{1,5})(?:st|nd|rd|th)?(?:[ ](?:rank|place|spot|position))?[ ](?:in[ ]popularity|"
    r"among[ ]the[ ]top|for[ ]popularity|most[ ]popular)")


def _sales(s: Sentence) -> Iterator[Hit]:
    text, low = s.text, s.lower
    disc = _DISC.search(text) is not None or (
        _DISC.search(s.before) is not None and any(k in low for k in ("units", "formats", "copies"))
        and not regex.search(r"(?i)\b(?:manga|novels?|volumes?|books?|print)\b", text))
    if disc and any(k in low for k in ("sold", "sell", "sales", "units", "copies", "moved")):
        for rx in _BD:
            m = search(rx, text)
            if m:
                n = parse_number(m.group("n"))
                q = next((q for qrx, q in _BD_Q if qrx.search(text)), None)
                if isinstance(n, int | float) and n > 0:
                    yield Hit("bd_sales", n, q, m.start(), m.end(), 0.85)
                break
    elif "cop" in low or "circulation" in low:
        for rx in _CIRC:
            m = search(rx, text)
            if m:
                n = parse_number(m.group("n"))
                q = None
                ao = search(_AS_OF, text, m.end())
                if ao:
                    d = find_dates(text[ao.end():ao.end() + 30], s.as_of_year)
                    q = f"as of {d[0][2]}" if d and d[0][0] == 0 else None
                if isinstance(n, int | float) and n > 0:
                    yield Hit("circulation", n, q, m.start(), m.end(), 0.85)
                break
    rated = any(k in low for k in ("rating", "rated", "score", "stars", "/10", "out of 10"))
    if rated or " on " in low:
        for rx in _RATING:
            for m in finditer(rx, text):
                n = parse_number(m.group("n"))
                if n is None or (not m.group("pct") and not 0 < n <= 10):
                    continue
                if not rated and "." not in m.group("n") and not m.group("pct"):
                    continue  # "7.9 on MyAnimeList" is a score even unnamed; "3 on X" is not
                yield Hit("rating", n, site_name(m.group("site")), m.start(), m.end(), 0.85)
    if "rank" in low or "placed" in low:
        for m in finditer(_RANK_PLAIN, text):
            n = parse_number(m.group("n"))
            if isinstance(n, int) and n > 0:
                yield Hit("popularity_rank", n, None, m.start(), m.end(), 0.7)
    if "top" in low or "ranked" in low:
        for rx in _RANK:
            for m in finditer(rx, text):
                n = parse_number(m.group("n"))
                if isinstance(n, int) and n > 0:
                    yield Hit("popularity_rank", n, site_name(m.group("site")), m.start(),
                              m.end(), 0.75)



def reception_rules(s: Sentence) -> Iterator[Hit]:
    yield from _sales(s)
