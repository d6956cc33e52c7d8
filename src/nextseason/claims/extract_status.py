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
from .scope import assertion, clause_bounds, is_question

__all__ = ["status_rules"]

_ORD = r"(?:second|third|fourth|fifth|sixth|new|another|next|2nd|3rd|4th|5th|6th)"
SEASON_REF = (rf"(?:\b{_ORD}[ ](?:tv[ ]|anime[ ])?(?:season|installment|instalment|cour)\b"
              r"|\bseasons?[ ](?:[2-9]|two|three|four|five)\b|\bsequels?\b(?![ ](?:film|movie|"
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
    r"|\bseason\b[^.;?]{0,60}?\bwill[ ]be[ ](?:its|the)[ ](?:last|final)\b"
    r"|\bno[ ](?:more|further)[ ]seasons?[ ](?:are|is|will)\b")
_RUMOUR = regex.compile(r"(?i)\b(?:rumou?rs?|rumou?red|leaks?|leaked|leaker|insiders?|"
                        r"reportedly|supposedly|allegedly)\b")
_NEGATOR = regex.compile(r"(?i)\b(?:not|never|no)\b|n['’]t\b")
_PENDING = regex.compile(r"(?i)(?:[ ](?:about|of|for|regarding|on)[ ][^.;,?]{1,40}?)?"
                         r"[ ](?:could|may|might|should|will|is[ ]expected[ ]to)[ ](?:soon[ ])?"
                         r"(?:come|follow|arrive|be[ ]made|drop)\b")
_WHETHER_WILL = regex.compile(r"(?i)\bwhether[ ](?:or[ ]not[ ])?(?:[\w:!'’-]{1,25}[ ]){1,6}?will[ ]"
                              r"(?:be[ ])?$")
_BASE_FORMS = frozenset({"announce", "confirm", "renew"})
_INSTEAD = regex.compile(r"(?i)\binstead[ ]of\b")
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
                       r"possibly|speculate|estimate|guess|anticipate|hopefully|as[ ]early[ ]as|"
                       r"wait|waiting)\b")
_ANIME_REF = regex.compile(rf"(?i){SEASON_REF}|\b(?:adaptation|anime|return|episodes)\b")
_YEAR = regex.compile(r"\b(?:19|20)\d{2}\b")
_PART_OF_YEAR = regex.compile(r"(?i)\b(early|late|mid|spring|summer|fall|autumn|winter)[ -]"
                              r"(?:of[ ])?$")
_NUMW = r"(?:\d{1,2}|one|two|three|four|five|six|a[ ]few|a[ ]couple[ ]of)"
_DURATION = regex.compile(
    rf"(?i)\b(?:take|takes|taking|wait|waiting|within|another)[ ](?:(?:almost|about|around|"
    rf"roughly|at[ ]least|up[ ]to|another)[ ])?(?P<n>{_NUMW})(?:[ ]?(?P<c>or|to|-|–)[ ]?"
    rf"(?P<n2>{_NUMW}))?[ ](?P<u>years?|months?)\b")
_OUTLOOK_CTX = regex.compile(r"(?i)\b(?:would|could|might|may|will|expect|likely|usually|"
                             r"typically|generally|probably)\b")


def _conditional(s: Sentence, start: int) -> bool:
    return s.text.rstrip().endswith("?") or search(_COND, s.text, 0, start) is not None


_TRIGGER = regex.compile(
    r"(?i)\b(?:(?P<noun>announcements?|confirmation|renewal|word|news|update|talk|plans?|"
    r"details)|announced|announces|announcing|announce|confirmed|confirms|confirm|renewed|"
    r"renews|renew|green-?lit|"
    r"greenlighted|revived?|ordered|(?P<prog>in[ ]the[ ]works|in[ ](?:active[ ])?production|"
    r"under[ ](?:production|development)|in[ ]development|underway|on[ ]the[ ]way|"
    r"(?:has|have)[ ]come[ ]up[ ]with|will[ ]return[ ](?:with|for)|returns?[ ]with|"
    r"(?:will|to)[ ]stream[ ]the[ ](?:second|third|fourth|fifth|next|new)[ ]season|"
    r"(?:is|are)[ ]officially[ ](?:happening|coming|returning)))\b")
_UN = regex.compile(r"(?i)\b(?:unconfirmed|unannounced|not[ ](?:been[ ])?(?:officially[ ])?"
                    r"(?:announced|confirmed|renewed|greenlit))\b")
_NAME_WORD = r"\p{Lu}[\p{L}\p{N}'’:!-]{0,30}"
_SHOW_NAME_BEFORE = regex.compile(rf"({_NAME_WORD}(?:[ ]{_NAME_WORD}){{0,5}})[ ]{{1,2}}"
                                  r"(?i:season|s)[ ]?\d{1,2}\b")
_STOPWORDS = {"the", "a", "an", "of", "no", "season", "anime", "and", "to", "in", "on", "is",
              "for", "with", "new", "second", "third", "next", "will", "be", "tv"}


def _words(text: str) -> set[str]:
    return {w for w in regex.findall(r"[\p{L}\p{N}]{2,}", text.lower())} - _STOPWORDS


def _other_show(s: Sentence, ref: regex.Match[str]) -> bool:
    """Is the season reference "<Name> Season N" about a show the article is not about?"""
    title = s.ctx.title_words if s.ctx else frozenset()
    if not title:
        return False
    m = _SHOW_NAME_BEFORE.search(s.text, max(0, ref.start() - 120), ref.end() + 1)
    if m is None or m.end() < ref.end() - 2:
        return False
    name = _words(m.group(1))
    return bool(name) and not (name & title)


def _season_ref(s: Sentence, a: int, b: int) -> regex.Match[str] | None:
    """The season reference in ``s.text[a:b]`` (the clause), if any."""
    return search(_SEASON_REF, s.text, a, b)


_PREP_BEFORE = regex.compile(r"(?i)\b(?:for|in|during|of|from|since|after|before)[ ](?:the[ ])?$")


def _circumstantial(text: str, trigger: regex.Match[str],
                    ref: regex.Match[str] | None) -> bool:
    """ "confirmed that the staff came back for season 2": what was confirmed is another
    clause, and the season is only its circumstance (after a preposition)."""
    if ref is None:
        return False
    between = text[trigger.end():ref.start()]
    if ref.start() < trigger.end() or not regex.match(r"(?i)[ ]that\b", between):
        return False
    return search(_PREP_BEFORE, text, max(trigger.end(), ref.start() - 12), ref.start()) \
        is not None


def _next_season(text: str, pos: int) -> str | None:
    """The season a renewal word is about: the nearest numbered sequel reference ("season 3",
    "a third season", "seasons 3 and 4"), else the nearest season mention if it is a sequel
    (a renewal is never of season 1)."""
    best: tuple[int, str] | None = None
    for m in finditer(_SEASON_REF, text):
        q = season_near(m.group(), 0)
        if q and q != "season 1":
            dist = abs(m.start() - pos)
            if best is None or dist < best[0]:
                best = (dist, q)
    if best:
        return best[1]
    q = season_near(text, pos)
    return q if q and q != "season 1" else None


_RENEWAL_END = regex.compile(r"(?:[ ](?:for|by|again|already|officially)\b|[ ]?[.!,;)]|$)")


def _bare_renewal(text: str, m: regex.Match[str]) -> bool:
    """ "The show has been renewed!" needs no season: a renewal is one; "renewed in
    popularity" is another sense of the word."""
    return m.group().lower() in ("renewed", "renews") and \
        _RENEWAL_END.match(text, m.end()) is not None


def _pending(s: Sentence, m: regex.Match[str], how: str | None, noun: bool, a: int) -> bool:
    """ "an official announcement could follow soon" (a renewal still to come) or "whether
    or not it will be renewed" (still undecided): either way, not announced yet."""
    if noun:
        official = "offic" in s.lower or "season" in s.lower or "sequel" in s.lower
        return official and _PENDING.match(s.text, m.end()) is not None
    return how == "conditional" and _SEASON_REF.search(s.text) is not None and \
        search(_WHETHER_WILL, s.text, max(a, m.start() - 120), m.start()) is not None


def _renewal(s: Sentence) -> Iterator[Hit]:
    low = s.lower
    text = s.text
    question = is_question(text)
    seen: set[str] = set()
    ref_all = _season_ref(s, 0, len(text))
    for m in finditer(_TRIGGER, text):
        a, b = clause_bounds(text, m.start(), m.end())
        ref = (_season_ref(s, a, b) if ref_all is not None else None) or ref_all
        if ref is not None and _other_show(s, ref):
            continue
        how = assertion(text, m.start(), m.end())
        noun = m.group("noun") is not None
        if how == "negated" and "not_announced" not in seen and not question:
            official = "offic" in low or "yet" in low or "confirm" in m.group().lower() or \
                "announc" in m.group().lower()
            if ref is None and not (noun and official) and \
                    not m.group().lower().startswith("renew"):
                continue  # "it has not been renewed" needs no season: a renewal is one
            if noun and m.group().lower() in ("word", "news", "update", "talk", "details",
                                              "plan", "plans") and \
                    _season_ref(s, a, b) is None:
                continue
            if search(_INSTEAD, text, a, m.start()):
                continue
            seen.add("not_announced")
            yield Hit("renewal_status", "not_announced", _next_season(text, m.start()),
                      m.start(), m.end(), 0.85)
        elif (how in ("hedged", "conditional") or (noun and how is None)) and \
                not question and "not_announced" not in seen and _pending(s, m, how, noun, a):
            # "an official announcement could follow soon": none yet; "whether or not it
            # will be renewed": not yet decided
            seen.add("not_announced")
            yield Hit("renewal_status", "not_announced", _next_season(text, m.start()),
                      m.start(), m.end(), 0.7)
        elif how == "reported" and (ref is not None or _bare_renewal(text, m)) and \
                "rumoured" not in seen and \
                not noun and not question:
            seen.add("rumoured")
            yield Hit("renewal_status", "rumoured", _next_season(text, m.start()),
                      m.start(), m.end(), 0.6)
        elif how is None and not noun and "announced" not in seen and \
                (ref is not None or _bare_renewal(text, m)) and \
                m.group().lower() not in _BASE_FORMS:  # "will announce" has not announced
            if assertion(text, m.start(), m.end(), negators_after=True) == "negated":
                continue
            if _circumstantial(text, m, ref):
                continue
            seen.add("announced")
            yield Hit("renewal_status", "announced", _next_season(text, m.start()),
                      m.start(), m.end(), 0.9)
    if "not_announced" not in seen and not question:
        m = search(_UN, text)
        if m and (_SEASON_REF.search(text) or "renew" in m.group().lower()):
            how = assertion(text, m.start(), m.end())
            if how in (None, "negated"):
                seen.add("not_announced")
                yield Hit("renewal_status", "not_announced", _next_season(text, m.start()),
                          m.start(), m.end(), 0.85)
    if "cancel" in low or "axed" in low or "scrapped" in low:
        m = search(_CANCELLED, text)
        if m and _SHOWISH.search(text) and assertion(text, m.start(), m.end()) is None:
            yield Hit("renewal_status", "cancelled", _next_season(text, m.start()),
                      m.start(), m.end(), 0.85)
    m = search(_CONCLUDED, text)
    if m and not question and assertion(text, m.start(), m.end()) in (None, "hedged") and \
            not _conditional(s, m.start()):
        yield Hit("renewal_status", "concluded", None, m.start(), m.end(), 0.75)
    if "rumoured" not in seen and not question and _SEASON_REF.search(text):
        for m in finditer(_RUMOUR, text):
            if assertion(text, m.start(), m.end()) in ("negated", "conditional"):
                continue
            if _NO_RUMOUR.search(text):
                break
            ref = _season_ref(s, 0, len(text))
            if ref is not None and _other_show(s, ref):
                break
            yield Hit("renewal_status", "rumoured", _next_season(text, m.start()),
                      m.start(), m.end(), 0.6)
            break


_POSITIVE = {"likely", "probable", "possible", "certain", "inevitable", "high", "good", "strong"}
_CHANCE_WORD = {"slim": "unlikely", "low": "unlikely", "grim": "unlikely", "bleak": "unlikely",
                "poor": "unlikely", "high": "likely", "good": "likely", "strong": "likely"}
_OPINIONS = [  # (pattern, value or None for the matched words)
    (regex.compile(rf"(?i)\b(?P<v>high|good|strong|slim|low|poor)[ ]chances?[ ](?:of|for)[ ]"
                   rf"(?:[\w-]{{1,15}}[ ]){{0,3}}?{SEASON_REF}"), None),
    (regex.compile(rf"(?i)\bchances?[ ](?:of|for)[ ](?:getting|seeing|having)[ ](?:a[ ]|an[ ])?"
                   rf"{SEASON_REF}[^.;]{{0,30}}?\b(?:are|is|seems?|looks?)[ ](?:very[ ]|quite[ ]|"
                   r"pretty[ ]|incredibly[ ]|extremely[ ])?(?P<v>slim|low|high|good|grim|bleak|"
                   r"strong)\b"), None),
    (regex.compile(rf"(?i)\bonly[ ]a[ ]matter[ ]of[ ]time[ ]before[ ](?:[\w-]{{1,15}}[ ]){{0,3}}?"
                   rf"{SEASON_REF}"), "soon"),
    (regex.compile(rf"(?i)\b(?:will|would)[ ](?:likely|probably|most[ ]likely)[ ]never[ ]"
                   rf"(?:see|get|have|receive)[ ](?:[\w-]{{1,15}}[ ]){{0,2}}?{SEASON_REF}"),
     "unlikely"),
    (regex.compile(rf"(?i){SEASON_REF}[^.;?]{{0,40}}?\b(?:is|are)[ ](?:definitely|certainly|"
                   r"surely|100%)[ ](?:happening|coming|on[ ]the[ ]way)\b"), "certain"),
    (regex.compile(rf"(?i){SEASON_REF}[^.;?]{{0,20}}?\b(?P<w>(?:may|might|could)[ ]be[ ]"
                   r"(?:delayed|cancell?ed|called[ ]off|postponed)(?:[ ]or[ ](?:delayed|"
                   r"cancell?ed|called[ ]off|postponed))?)\b"), None),
]


def _opinions(s: Sentence) -> Iterator[Hit]:
    for rx, value in _OPINIONS:
        m = search(rx, s.text)
        if m is None:
            continue
        if value is None:
            g = m.groupdict()
            value = _CHANCE_WORD[g["v"].lower()] if g.get("v") else g["w"].lower()
        yield Hit("predicted_window", value, season_near(s.text, m.start()), m.start(),
                  m.end(), 0.65)


def _outlook(s: Sentence) -> Iterator[Hit]:
    yield from _opinions(s)
    for rx in _LIKELY:
        m = search(rx, s.text)
        if m:
            v = m.group("v").lower()
            a, _ = clause_bounds(s.text, m.start("v"), m.end("v"))
            if v in _POSITIVE and search(_NEGATOR, s.text, a, m.start("v")):
                v = "unlikely"  # "a sequel does not look possible any time soon"
            yield Hit("predicted_window", v, season_near(s.text, m.start()),
                      m.start(), m.end(), 0.7)
            break
    modal = search(_MODAL, s.text)
    if modal and _ANIME_REF.search(s.text):
        years = []
        first = last = None
        tail = s.text[modal.start():]
        for y in finditer(_YEAR, tail):
            part = _PART_OF_YEAR.search(tail, max(0, y.start() - 12), y.start())
            v = f"{part.group(1).lower()} {y.group()}" if part else y.group()
            if v not in years:
                years.append(v)
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
