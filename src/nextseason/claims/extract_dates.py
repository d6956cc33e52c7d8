"""Air and publication dates from date mentions and the event words that govern them.

For each date mention of a sentence (:func:`.mentions.date_mentions`) the rule finds the
event it dates: the nearest event word to its left in the same stretch of text
("premiered", "aired", "began", "released", "came out", "hit the screens", "came along",
"come back" — a start; "ended", "concluding", "wrapping up", "the finale" — an end), or, if
there is none, an event noun right after it ("July 2024 Release") or a passive verb a little
later ("Way back in 2006, the first season … was released"). A date joined to the previous
one by "and" with no verb of its own ("premiered its first season on A, and its second
season on B") shares its event; a range ("from A to B", "between A – B", "January to March
2017") is a start and an end.

What is dated is decided by the nouns before the event word: the nearest of an anime noun
(anime, season, episode, show, adaptation, cour, TV) and a source noun (manga, novel,
volume, chapter, serialization) wins; volumes and chapters are never the start of the
source, films and movies are not the series. A date under a hedge ("could", "might",
"hope", "likely", "if", rumours) is an outlook, not a date, and is left to the outlook
rules; so is a question, a negated clause, or another show's "Name Season N".
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

from .extract_status import _other_show
from .extract_text import Hit, Sentence, finditer, search, season_in_clause
from .mentions import DateMention, date_mentions
from .scope import clause_bounds, is_question

__all__ = ["date_rules"]

_START = (r"premiere[sd]?|premiering|debut(?:ed|s)?|air(?:ed|s|ing)?|broadcast(?:ed|ing)?|"
          r"began|begins?|start(?:ed|s)?|releas(?:ed|es|e|ing)|came[ ]out|comes?[ ]out|"
          r"hit[ ]the[ ]screens?|hits[ ]the[ ]screens?|came[ ]along|arriv(?:e|es|ed|ing)|"
          r"returns?|returned|returning|come[ ]back|comes[ ]back|be[ ]back|out[ ]by|"
          r"launch(?:ed|es)?|kick(?:ed|s)?[ ]off|first[ ]published|serial(?:ized|ised)|"
          r"published|streaming[ ]from|run[ ]from|ran[ ]from|pushed[ ]back[ ]to|"
          r"delayed[ ]to|moved[ ]to|postponed[ ]to|since")
_END = (r"ended|ends|end|ending|concluded|concludes|concluding|conclude|finale|final[ ]episode|"
        r"last[ ]episode|wrap(?:ped|ping|s)?[ ]up|finished|ran[ ]until|aired[ ]until|"
        r"ended[ ]its[ ]run")
_EVENT = regex.compile(rf"(?i)\b(?:(?P<end>{_END})|(?P<start>{_START}))\b")
_CONTINUE = regex.compile(r"(?i)\bcontinu(?:ed|es|ing)\b")
_NOUN_AFTER = regex.compile(r"(?i)^[ ](?:(?P<start>release|premiere|debut|launch|return)|"
                            r"(?P<end>finale))\b")
_PASSIVE_AFTER = regex.compile(r"(?i)\b(?:was|were|is|has[ ]been)[ ](?:first[ ])?(?P<v>released|"
                               r"aired|premiered|broadcast|published)\b")
_ANIME_NOUN = regex.compile(r"(?i)\b(?:anime|seasons?|episodes?|show|adaptation|cours?|tv|"
                            r"television|series|finale|premiere|installment|part)\b")
_SOURCE_NOUN = regex.compile(r"(?i)\b(?P<n>(?:manga|novels?|light[ ]novels?|web[ ]novels?)"
                             r"(?:[ ](?:series|adaptation|version))?|"
                             r"volumes?|chapters?|serial(?:ization|isation)|books?|webtoon|"
                             r"manhwa|magazine|tank[oō]bon)\b")
_FILM = regex.compile(r"(?i)\b(?:film|movie|ova|oad|special|game|trailer|teaser|visual|"
                      r"stage[ ]play|musical|"
                      r"blu-ray|dvd|disc|home[ ]video|box[ ]set|arcs?)\b")
_HEDGE = regex.compile(r"(?i)\b(?:could|might|may|would|hope|hopes|hoping|hopefully|wish|"
                       r"likely|unlikely|probably|possibly|perhaps|maybe|predict\w*|guess|speculat\w*|"
                       r"if|whether|unless|rumou?r\w*|leak\w*|sometime|expect|we[ ]expect|"
                       r"our[ ]guess|estimate\w*|expected|originally[ ](?:been[ ])?(?:slated|"
                       r"scheduled|planned|set))\b")
_NEG = regex.compile(r"(?i)\b(?:not|never|no)\b|n['’]t\b")
_RANGE_JOIN = regex.compile(r"(?i)^,?[ ]{0,2}(?:to|until|till|through|and|–|—|-)[ ]{0,2}$")
_AND_ONLY = regex.compile(r"(?i)^[ ,]*and\b[^0-9]{0,60}$")
_LEFT_WINDOW = 90
_GENERIC = regex.compile(r"(?i)\b(?:plenty|lots|many|several|most|few)[ ]of\b|\bother[ ](?:anime|"
                         r"shows|series)\b")
_PLAN = regex.compile(r"(?i)\b(?:was|were|had[ ]been)[ ](?:originally[ ]|initially[ ]|first[ ])?"
                      r"(?:scheduled|slated|planned|set)\b")
_BUT = regex.compile(r"(?i)\b(?:but|however|until|before)\b")
_END_NOUN = regex.compile(r"(?i)\b(?:finale|final[ ]episode|last[ ]episode|episode[ ]left)\b")
_SOURCE_EVENT = regex.compile(r"(?i)^(?:first[ ]published|serial(?:ized|ised)|published)$")
_DATELINE = regex.compile(r"(?i)^(?:published|updated|posted|last[ ]updated)\b")


def _event_before(text: str, lo: int, pos: int) -> regex.Match[str] | None:
    last = None
    for m in finditer(_EVENT, text[lo:pos]):
        last = m
    return last


def _what(text: str, a: int, event_pos: int, near: int = 0) -> str | None:
    """'anime', 'source', 'volume' (a volume or chapter release) or None (a film, …);
    source nouns count only from ``near`` on (close to the event)."""
    window = text[a:event_pos]
    anime = source = -1
    for m in finditer(_ANIME_NOUN, window):
        anime = m.end()
    kind = None
    volume = False
    for m in finditer(_SOURCE_NOUN, window):
        if a + m.start() >= near:
            source, kind = m.end(), m.group("n").lower()
            volume = volume or kind.startswith(("volume", "chapter", "tank"))
    film = -1
    for m in finditer(_FILM, window):
        film = m.end()
    if film > max(anime, source):
        return "film"
    if source >= anime and source >= 0:
        return "volume" if volume else "source"  # "Volume 10 of the manga was released"
    return "anime" if anime >= 0 else None


def date_rules(s: Sentence) -> Iterator[Hit]:
    text = s.text
    if is_question(text) or _DATELINE.match(text) or \
            not regex.search(r"\d|tomorrow|today|yesterday|this|next|last", text):
        return
    as_of = s.ctx.as_of if s.ctx else None
    mentions = date_mentions(text, as_of)
    prev: tuple[DateMention, str] | None = None
    prev_ev_pos = 0
    prev_what: str | None = None
    in_range = False
    for i, d in enumerate(mentions):
        a, _ = clause_bounds(text, d.start, d.end)
        lo = max(a, d.start - _LEFT_WINDOW, mentions[i - 1].end if i else 0)
        ev = _event_before(text, lo, d.start)
        kind: str | None = None
        ev_pos = d.start
        if ev is not None:
            kind = "end" if ev.group("end") else "start"
            ev_pos = lo + ev.start()
        if prev is not None:
            gap = text[prev[0].end:d.start]
            in_range = False
            if _RANGE_JOIN.match(gap) or regex.match(r"(?i)^[ ]?(?:to|–|-)[ ]?$", gap):
                kind, ev_pos, in_range = "end", prev_ev_pos, True
            elif ev is None and (_AND_ONLY.match(gap) or regex.match(r"^,[ ](?:the[ ])?$", gap)):
                kind, ev_pos = prev[1], prev_ev_pos
        if kind is None:
            n = _NOUN_AFTER.match(text[d.end:d.end + 20])
            if n:
                kind = "end" if n.group("end") else "start"
            else:
                p = search(_PASSIVE_AFTER, text, d.end, min(len(text), d.end + 120))
                if p and not any(m.start > d.end and m.start < p.start() for m in mentions):
                    kind, ev_pos = "start", p.start()
        if kind == "start" and ev is not None and search(_END_NOUN, text, lo, ev_pos):
            kind = "end"  # "the finale of the second season came out on …"
        if kind is None:
            prev = None
            continue
        prev_ev_pos = ev_pos
        prev = (d, kind)
        if _CONTINUE.search(text, max(a, d.start - 60), d.start) and kind == "start":
            continue  # "continued on X from April to June": the start of a cour, not of the show
        clause_a, _ = clause_bounds(text, min(ev_pos, d.start), d.end)
        scope = text[clause_a:d.start]
        if search(_HEDGE, text, clause_a, d.start) or search(_NEG, text, clause_a, d.start):
            continue
        what = _what(text, clause_a, d.start, near=ev_pos - 60)
        if what is None and _ANIME_NOUN.search(scope) is None and \
                _SOURCE_NOUN.search(scope) is None:
            what = _what(text, 0, d.start, near=ev_pos - 60) or \
                _what(s.before, 0, len(s.before))
        if ev is not None and _SOURCE_EVENT.match(ev.group()):
            what = "source" if what != "volume" else what
        if in_range and prev_what is not None:
            what = prev_what  # "published from 2002 to 2010": both ends of one run
        if _GENERIC.search(text, clause_a, d.start) or (
                _PLAN.search(text, clause_a, d.start) and _BUT.search(text, d.end)):
            continue  # "many new anime came out in 2025"; "was scheduled for April, but …"
        prev_what = what
        if ev is not None and ev.group().lower() == "since" and what != "source":
            continue  # "a hit since 2021": since is a source's start only
        if what in (None, "volume", "film"):
            continue
        ref = search(regex.compile(r"(?i)\bseason[ ]?\d{1,2}\b"), text, 0, len(text))
        if ref is not None and _other_show(s, ref):
            continue
        if what == "anime":
            field = "finale_date" if kind == "end" else "premiere_date"
            q = season_in_clause(text, d.start)
        else:
            field = "source_end" if kind == "end" else "source_start"
            q = None
        yield Hit(field, d.value, q, d.start, d.end, 0.7 if d.relative else 0.75)
