"""Typed mentions: dates with their precision, and numbers written in digits or words.

Dates (:func:`date_mentions`) are the strict forms of :func:`.extract_text.find_dates`
("October 2, 2015", "5th January 2014", "the 17th of March 2016", "April 2020", "fall
2018", "2008"), plus forms that need the article's own date (``as_of``) to resolve:

* a month and day without a year ("on January 16") — the year of ``as_of``, or, when the
  words around it speak of the future ("will", "is due to", "is set to", "coming") and the
  day is already past on ``as_of``, the next year; in the past tense, the last such day;
* a date followed by "last year" / "this year" / "next year" ("July 7th last year");
* "tomorrow", "today", "yesterday" — only with a full ``as_of``;
* "this fall", "next spring", "last winter" — a year;
* a month range sharing one year ("January to March 2017", "from April to June, 2024").

Each mention carries its ISO value at the precision the text gives (``2017``, ``2017-03``,
``2017-03-07``) and whether it was resolved against ``as_of``. Dates are parsed by these
bounded patterns rather than ``dateparser``'s free-text search, which guesses dates in
ordinary words ("may", "march", "second") and is two orders of magnitude slower; the
arithmetic is :mod:`datetime`'s.

Numbers (:func:`number_value`): digits with separators ("400,000", "400,000+"), decimals
with a scale word ("2.2 million", "3.5 million"), and number words up to the nineties
("twelve", "twenty-four", "a dozen").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import regex

from .extract_text import find_dates, finditer, iso_date, month_number, parse_number

__all__ = ["DateMention", "date_mentions", "number_value"]


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    value: str  # ISO partial date
    relative: bool = False  # resolved against the article's date


_MON = (r"(?:january|february|march|april|may|june|july|august|september|october|november|"
        r"december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?")
_Y = r"(?:19|20)\d{2}"
_MONTH_RANGE = regex.compile(
    rf"(?i)\b(?:from[ ])?(?P<m1>{_MON})[ ](?:to|until|through|till|–|-)[ ](?P<m2>{_MON}),?[ ]"
    rf"(?P<y>{_Y})\b")
_CMON = (r"(?:January|February|March|April|May|June|July|August|September|October|November|"
         r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?")
_MONTH_DAY = regex.compile(
    rf"\b(?:(?P<m1>{_CMON})[ ](?P<d1>[0-3]?\d)(?:st|nd|rd|th)?|(?:the[ ])?(?P<d2>[0-3]?\d)"
    rf"(?:st|nd|rd|th)?[ ](?:of[ ])?(?P<m2>{_CMON}))\b(?!,?[ ](?:{_Y}|of[ ]{_Y}))"
    rf"(?P<rel>[ ](?:last|this|next)[ ]year)?")
_DAY_WORD = regex.compile(r"(?i)\b(?P<w>tomorrow|today|yesterday)\b")
_SEASON_REL = regex.compile(r"(?i)\b(?P<r>this|next|last)[ ](?P<s>spring|summer|fall|autumn|"
                            r"winter)\b")
_FUTURE = regex.compile(r"(?i)\b(?:will|is[ ]due|are[ ]due|due[ ]to|is[ ]set|are[ ]set|set[ ]to|"
                        r"coming|upcoming|scheduled|slated|going[ ]to|expected)\b")
_PAST = regex.compile(r"(?i)\b(?:was|were|had|did|aired|premiered|debuted|released|began|"
                      r"started|ended|came|went)\b")
_SEASON_MONTH = {"winter": 1, "spring": 4, "summer": 7, "fall": 10, "autumn": 10}


def _as_date(as_of: str | None) -> date | None:
    if not as_of or len(as_of) < 10:
        return None
    try:
        return date.fromisoformat(as_of[:10])
    except ValueError:
        return None


def date_mentions(text: str, as_of: str | None = None) -> list[DateMention]:
    """Every date in ``text`` (one capped sentence), sorted by position; see the module."""
    as_of_year = int(as_of[:4]) if as_of and as_of[:4].isdigit() else None
    day = _as_date(as_of)
    out: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for m in finditer(_MONTH_RANGE, text):
        y = int(m.group("y"))
        first = iso_date(y, month_number(m.group("m1")))
        last = iso_date(y, month_number(m.group("m2")))
        if first and last:
            out += [DateMention(m.start("m1"), m.end("m1"), first),
                    DateMention(m.start("m2"), m.end(), last)]
            taken.append((m.start(), m.end()))
    if as_of_year is not None:
        for m in finditer(_MONTH_DAY, text):
            if m.group("rel"):
                y = as_of_year + {"last": -1, "this": 0, "next": 1}[
                    m.group("rel").split()[0].lower()]
                v = iso_date(y, month_number(m.group("m1") or m.group("m2")),
                         int(m.group("d1") or m.group("d2")))
                if v:
                    out.append(DateMention(m.start(), m.end(), v, relative=True))
                    taken.append((m.start(), m.end()))
    for a, b, v in find_dates(text, as_of_year):
        if any(x <= a < y or x < b <= y for x, y in taken):
            continue
        out.append(DateMention(a, b, v, relative=not regex.search(r"\d{4}", text[a:b])))
        taken.append((a, b))
    for m in finditer(_MONTH_DAY, text):
        if as_of_year is None or m.group("rel") or \
                any(x <= m.start() < y or x < m.end() <= y for x, y in taken):
            continue
        mon = month_number(m.group("m1") or m.group("m2"))
        dd = int(m.group("d1") or m.group("d2"))
        y = as_of_year
        cand = iso_date(y, mon, dd)
        if day is not None and cand is not None:
            when = date.fromisoformat(cand)
            window = text[max(0, m.start() - 80):m.start()]
            if _FUTURE.search(window) and when < day:
                y += 1
            elif _PAST.search(window) and not _FUTURE.search(window) and when > day:
                y -= 1
        v = iso_date(y, mon, dd)
        if v:
            out.append(DateMention(m.start(), m.end(), v, relative=True))
            taken.append((m.start(), m.end()))
    if day is not None:
        for m in finditer(_DAY_WORD, text):
            shift = {"tomorrow": 1, "today": 0, "yesterday": -1}[m.group("w").lower()]
            try:
                when = day + timedelta(days=shift)
            except OverflowError:  # the day after 9999-12-31
                continue
            out.append(DateMention(m.start(), m.end(), when.isoformat(), relative=True))
    if as_of_year is not None:
        for m in finditer(_SEASON_REL, text):
            y = as_of_year + {"this": 0, "next": 1, "last": -1}[m.group("r").lower()]
            out.append(DateMention(m.start(), m.end(), f"{y:04d}", relative=True))
    out.sort(key=lambda d: (d.start, d.end))
    return out


def number_value(raw: str) -> int | float | None:
    """ "twelve" → 12, "twenty-four" → 24, "2.2 million" → 2200000, "400,000+" → 400000."""
    return parse_number(raw)
