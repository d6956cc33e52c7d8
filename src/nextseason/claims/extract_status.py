"""Rules for what an article says about the show's future: renewal status and outlooks.

A fact ("has been renewed", "no official confirmation") becomes ``renewal_status``; an
opinion ("a second season seems unlikely", "we could see it in 2024", "2 or 3 years")
becomes ``predicted_window`` and never a status. Conditionals ("if a second season is
announced") and questions state nothing and are skipped.
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

from .extract_text import Hit, Sentence, finditer, parse_number, search, season_near

__all__ = ["status_rules"]

_ORD = r"(?:second|third|fourth|fifth|sixth|new|another|next|2nd|3rd|4th|5th|6th)"
SEASON_REF = (rf"(?:{_ORD}[ ](?:tv[ ]|anime[ ])?(?:season|installment|instalment|cour)\b"
              r"|\bseason[ ](?:[2-9]|two|three|four|five)\b|\bsequels?\b(?![ ](?:film|movie|"
              r"novel|manga))|\brenewal\b|\bfollow-up\b(?![ ](?:film|movie|novel|manga))"
              r"|\bcontinuation\b|\bfuture[ ]of[ ]the[ ](?:anime|show|series)\b"
              r"|\b(?:show|anime|series)['’]s[ ]future\b)")
_SEASON_REF = regex.compile(rf"(?i){SEASON_REF}")
_NEG_BEFORE = regex.compile(r"(?i)\b(?:not|no|never|yet[ ]to|n['’]t|without)\b[^.]{0,20}$")
_COND = regex.compile(r"(?i)\b(?:if|whether|unless|could|would|might|may|once|should|hopes?|"
                      r"hoping|wish|wishes|expect|until)\b")

_NOT_ANNOUNCED = [
    regex.compile(r"(?i)\bno[ ](?:official[ ])?(?:confirmation|announcement|word|news|update|"
                  r"information|info)\b"),
    regex.compile(r"(?i)\b(?:hasn['’]t|has[ ]not|haven['’]t|have[ ]not|hadn['’]t)[ ]been[ ]"
                  r"(?:any[ ])?(?:official[ ])?(?:word|news|confirmation|announcement)"),
    regex.compile(r"(?i)\b(?:confirmation|announcement|news|word)\b[^.]{0,80}?\b(?:remains?|is|"
                  r"are)[ ](?:non-?existent|absent|lacking|missing)"),
    regex.compile(rf"(?i){SEASON_REF}[^.;]{{0,50}}?\b(?:(?:has|have|is|was|were|had)(?:[ ]not"
                  r"|n['’]t)[ ](?:yet[ ])?(?:been[ ])?|(?:is|are|has|have)[ ]yet[ ]to[ ]be[ ]|"
                  r"not[ ]yet[ ])(?:officially[ ])?(?:announced|confirmed|renewed|greenlit)"),
    regex.compile(r"(?i)\bnothing[ ](?:has[ ]been|is|was)[ ](?:officially[ ])?(?:confirmed|"
                  r"announced)\b"),
    regex.compile(r"(?i)\b(?:has|have)[ ]not[ ](?:yet[ ])?been[ ]renewed\b"),
]
_ANNOUNCED = [
    regex.compile(r"(?i)\b(?:has|have|had|was|were|is|got|been)[ ](?:officially[ ]|finally[ ]|"
                  r"now[ ]|already[ ])?(?:renewed|greenlit|green-lit|greenlighted)\b"),
    regex.compile(rf"(?i)\b(?:announced|confirmed|revealed|unveiled)[ ](?:that[ ])?(?:a|the|"
                  rf"its)[ ]{_ORD}[ ]season\b"),
    regex.compile(rf"(?i){SEASON_REF}[^.;?]{{0,60}}?\b(?:has|have|was|were|is|had)[ ](?:been[ ])?"
                  r"(?:officially[ ]|finally[ ])?(?:announced|confirmed|greenlit|revealed)\b"),
    regex.compile(rf"(?i){SEASON_REF}[^.;?]{{0,30}}?\bis[ ](?:officially[ ])?(?:in[ ]production|"
                  r"currently[ ]in[ ]production|on[ ]the[ ]way)\b"),
]
_CANCELLED = regex.compile(r"(?i)\b(?:has|have|was|were|been|got|is)[ ](?:officially[ ])?"
                           r"(?:cancell?ed|axed|scrapped)\b|\bcancell?ation[ ]of\b")
_SHOWISH = regex.compile(rf"(?i){SEASON_REF}|\b(?:anime|show|series|production|project|"
                         r"seasons?)\b")
_CONCLUDED = regex.compile(
    r"(?i)\b(?:is|was|will[ ]be|as)[ ](?:the|its)[ ](?:final|last)[ ]season\b"
    r"|\bno[ ](?:more|further)[ ]seasons?[ ](?:are|is|will)\b")
_RUMOUR = regex.compile(r"(?i)\b(?:rumou?rs?|rumou?red|leaks?|leaked|speculation|speculated)\b")
_NO_RUMOUR = regex.compile(r"(?i)\bno[ ](?:rumou?rs?|leaks?|speculation)\b")

_LIKELY = [
    regex.compile(rf"(?i){SEASON_REF}[^.;]{{0,40}}?\b(?:seems?|looks?|appears?|is|remains?)[ ]"
                  r"(?:(?:highly|very|quite|rather|fairly|extremely|pretty)[ ])?(?P<v>unlikely|"
                  r"likely|improbable|probable|possible|doubtful|certain|inevitable)\b"),
    regex.compile(rf"(?i)\bit[ ](?:is|seems|looks)[ ](?:(?:highly|very|quite)[ ])?(?P<v>unlikely|"
                  rf"likely|doubtful)\b[^.;]{{0,60}}?{SEASON_REF}"),
    regex.compile(rf"(?i)\bchances?[ ](?:of|for)[ ](?:a[ ]|an[ ])?{SEASON_REF}[^.;]{{0,30}}?\b"
                  r"(?:are|is|seem|seems|look|looks)[ ](?:very[ ]|quite[ ]|pretty[ ])?"
                  r"(?P<v>slim|low|high|good|grim|bleak|strong|unlikely|likely)\b"),
    regex.compile(rf"(?i){SEASON_REF}[ ](?:(?:very|highly|quite|rather|extremely)[ ])?"
                  r"(?P<v>unlikely|improbable|likely)\b"),
]
_MODAL = regex.compile(r"(?i)\b(?:expect|expected|could|would|might|may|predict|likely|probably|"
                       r"possibly|speculate|estimate|guess|anticipate|hopefully|as[ ]early[ ]as)\b")
_ANIME_REF = regex.compile(rf"(?i){SEASON_REF}|\b(?:adaptation|anime|return)\b")
_YEAR = regex.compile(r"\b(?:19|20)\d{2}\b")
_NUMW = r"(?:\d{1,2}|one|two|three|four|five|six|a[ ]few|a[ ]couple[ ]of)"
_DURATION = regex.compile(
    rf"(?i)\b(?:take|takes|taking|wait|waiting|within|another)[ ](?:(?:almost|about|around|"
    rf"roughly|at[ ]least|up[ ]to|another)[ ])?(?P<n>{_NUMW})(?:[ ]?(?P<c>or|to|-|–)[ ]?"
    rf"(?P<n2>{_NUMW}))?[ ](?P<u>years?|months?)\b")
_OUTLOOK_CTX = regex.compile(r"(?i)\b(?:would|could|might|may|will|expect|likely|usually|"
                             r"typically|generally|probably)\b")


def _conditional(s: Sentence, start: int) -> bool:
    return s.text.rstrip().endswith("?") or search(_COND, s.text, 0, start) is not None


def _renewal(s: Sentence) -> Iterator[Hit]:
    low = s.lower
    has_ref = _SEASON_REF.search(s.text) is not None
    for i, rx in enumerate(_NOT_ANNOUNCED):
        if i in (0, 1, 2, 4) and not has_ref:
            continue
        m = search(rx, s.text)
        if m:
            yield Hit("renewal_status", "not_announced", season_near(s.text, m.start()),
                      m.start(), m.end(), 0.85)
            break
    if any(k in low for k in ("renew", "announc", "confirm", "greenl", "green-l", "reveal",
                              "unveil", "production", "on the way")):
        found = None
        for rx in _ANNOUNCED:
            for m in finditer(rx, s.text):
                if search(_NEG_BEFORE, s.text, max(0, m.start() - 30), m.end()) or \
                        _conditional(s, m.start()) or "not" in m.group().lower().split() or \
                        search(_RUMOUR, s.text, 0, m.start()):
                    continue
                if rx is _ANNOUNCED[0] and not has_ref and "renew" not in m.group().lower():
                    continue
                found = m
                break
            if found:
                break
        if found:
            yield Hit("renewal_status", "announced", season_near(s.text, found.start()),
                      found.start(), found.end(), 0.9)
    if "cancel" in low or "axed" in low or "scrapped" in low:
        m = search(_CANCELLED, s.text)
        if m and _SHOWISH.search(s.text) and not _conditional(s, m.start()) and \
                not search(_NEG_BEFORE, s.text, max(0, m.start() - 30), m.end()):
            yield Hit("renewal_status", "cancelled", season_near(s.text, m.start()),
                      m.start(), m.end(), 0.85)
    m = search(_CONCLUDED, s.text)
    if m and not _conditional(s, m.start()):
        yield Hit("renewal_status", "concluded", None, m.start(), m.end(), 0.75)
    if has_ref and ("rumo" in low or "leak" in low or "specul" in low):
        m = search(_RUMOUR, s.text)
        if m and not _NO_RUMOUR.search(s.text):
            yield Hit("renewal_status", "rumoured", season_near(s.text, m.start()),
                      m.start(), m.end(), 0.6)


def _outlook(s: Sentence) -> Iterator[Hit]:
    for rx in _LIKELY:
        m = search(rx, s.text)
        if m:
            yield Hit("predicted_window", m.group("v").lower(), season_near(s.text, m.start()),
                      m.start(), m.end(), 0.7)
            break
    modal = search(_MODAL, s.text)
    if modal and _ANIME_REF.search(s.text):
        years = []
        first = last = None
        for y in finditer(_YEAR, s.text[modal.start():]):
            if y.group() not in years:
                years.append(y.group())
            first = y.start() if first is None else first
            last = y.end()
        if years and first is not None and last is not None:
            base = modal.start()
            yield Hit("predicted_window", " or ".join(years), season_near(s.text, base),
                      base + first, base + last, 0.6)
    m = search(_DURATION, s.text)
    if m and (_OUTLOOK_CTX.search(s.text) or _SEASON_REF.search(s.text)):
        n, n2 = parse_number(m.group("n")) or m.group("n").lower(), m.group("n2")
        unit = m.group("u").lower()
        if n2:
            joiner = {"-": "-", "–": "-"}.get(m.group("c"), f" {m.group('c').lower()} ")
            val = f"{n}{joiner}{parse_number(n2) or n2.lower()} {unit}"
        else:
            val = f"{n} {unit}"
        yield Hit("predicted_window", val, season_near(s.text, m.start()),
                  m.start(), m.end(), 0.65)


def status_rules(s: Sentence) -> Iterator[Hit]:
    yield from _renewal(s)
    yield from _outlook(s)
