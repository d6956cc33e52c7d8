"""Rules for facts about the anime itself: air dates, episode and season counts, staff,
cast, licensors and networks, in prose and in table-like rows ("Studio: X",
"Season 1 Release Date5 june 2021").

Air-date rules share the date-range logic with the source rules: "aired from A to B" is a
premiere and a finale, "serialized ... from A to B" is the source's start and end; the verb
and the words just before it decide which.
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

from .extract_text import (
    NUMBER_WORDS_RX,
    Hit,
    Sentence,
    find_dates,
    finditer,
    name_before,
    parse_number,
    scan_name,
    scan_names,
    search,
    season_near,
)

__all__ = ["show_rules", "SOURCE_WORDS"]

SOURCE_WORDS = regex.compile(r"(?i)\b(?:volumes?|novels?|manga|serial(?:ized|ised|ization|"
                             r"isation)?|chapters?|magazine|webtoon|manhwa|books?|print)\b")
_ANIME_WORDS = regex.compile(r"(?i)\b(?:anime|season|episodes?|tv|broadcast|aired|adaptation|"
                             r"cour|show)\b")
_NUM = rf"(?:\d{{1,4}}|{NUMBER_WORDS_RX})"


_NOT_SERIES = regex.compile(r"(?i)\b(?:film|movie|trailer|teaser|ova|special|game|stage[ ]play|"
                            r"musical|blu-ray|dvd)\b")


def _which(s: Sentence, verb_start: int, verb: str) -> str | None:
    """'anime' or 'source': what a dated verb is about."""
    v = verb.lower()
    if search(_NOT_SERIES, s.text, max(0, verb_start - 60), verb_start):
        return None  # a film's premiere, a trailer's release: not the series' dates
    if any(k in v for k in ("air", "broadcast", "premier")):
        return "anime"
    if v.startswith(("serial", "publish")):
        return "source"
    if search(SOURCE_WORDS, s.text, max(0, verb_start - 60), verb_start):
        return "source"
    if "debut" in v:
        return "anime"
    if _ANIME_WORDS.search(s.text):
        return "anime"
    return None


# --- dates -----------------------------------------------------------------------------------

_RANGE_VERB = regex.compile(r"(?i)\b(?P<v>aired|airing|broadcast|ran|running|run|serialized|"
                            r"serialised|published|released|premiered)\b[^.;]{0,60}?\bfrom[ ]")
_RANGE_JOIN = regex.compile(r"(?i),?[ ]{1,2}(?:to|until|till|through|and[ ]ended[ ]on|–|-)"
                            r"[ ]{1,2}")
_START = regex.compile(
    r"(?i)\b(?P<v>premiered|premieres|premiering|debuted|debuts|first[ ]aired|began[ ]airing|"
    r"started[ ]airing|began[ ]broadcasting|will[ ](?:premiere|air|debut|return)|(?:is|was|are)"
    r"[ ](?:set|scheduled|slated)[ ]to[ ](?:premiere|air|debut|release|return)|made[ ](?:a|its|"
    r"their)[ ](?:[\p{L}-]{1,20}[ ]){0,2}debut|began[ ]serialization|began[ ]serialisation|"
    r"started[ ]serialization|was[ ]first[ ]published|serial(?:ized|ised)\b[^.;]{0,60}?\bsince)\b")
_END = regex.compile(
    r"(?i)\b(?P<v>ended|ending|concluded|concluding|wrapped[ ]up|wrapping[ ]up|finished[ ]airing|"
    r"ran[ ]until|aired[ ]until|final[ ]episode[ ]aired|(?:last|final)[ ]volume[ ](?:was[ ]|has[ ]"
    r"been[ ])?(?:released|published|came[ ]out|went[ ]on[ ]sale))\b")


def _date_right_after(s: Sentence, pos: int, gap: int, years: bool) -> tuple[int, int, str] | None:
    for d in find_dates(s.text[pos:pos + gap + 40], s.as_of_year, years=years):
        if d[0] <= gap and not regex.search(r"[.;,]", s.text[pos:pos + d[0]]):
            return (pos + d[0], pos + d[1], d[2])
        break
    return None


def _dates(s: Sentence) -> Iterator[Hit]:
    used: list[tuple[int, int]] = []
    for m in finditer(_RANGE_VERB, s.text):
        d1 = _date_right_after(s, m.end(), 0, True)
        if not d1:
            continue
        j = _RANGE_JOIN.match(s.text, d1[1])
        d2 = _date_right_after(s, j.end(), 0, True) if j else None
        which = _which(s, m.start(), m.group("v"))
        if which is None:
            continue
        f1, f2 = ("premiere_date", "finale_date") if which == "anime" else \
            ("source_start", "source_end")
        q = season_near(s.text, m.start()) if which == "anime" else None
        yield Hit(f1, d1[2], q, m.start(), d1[1], 0.9)
        used.append((m.start(), d1[1]))
        if d2:
            yield Hit(f2, d2[2], q, m.start(), d2[1], 0.9)
            used.append((d1[1], d2[1]))
    for rx, anime_field, source_field in ((_START, "premiere_date", "source_start"),
                                          (_END, "finale_date", "source_end")):
        for m in finditer(rx, s.text):
            if any(a <= m.start() < b for a, b in used):
                continue
            d = _date_right_after(s, m.end(), 30, True)
            if not d:
                continue
            v = m.group("v").lower()
            serial = "serial" in v or "published" in v or "volume" in v
            which = "source" if serial else _which(s, m.start(), v)
            if which is None:
                continue
            f = anime_field if which == "anime" else source_field
            q = season_near(s.text, m.start()) if which == "anime" else None
            yield Hit(f, d[2], q, m.start(), d[1], 0.85 if "debut" not in v else 0.7)


# --- counts ----------------------------------------------------------------------------------

_EPISODES = regex.compile(rf"(?i)\b(?P<n>{_NUM})[ -]episodes?\b(?![ -]long)")
_EP_SKIP = regex.compile(r"(?i)\b(?:first|last|next|final|remaining|previous|additional|more|"
                         r"few|these|those|every|each|of[ ]the|two[ ]more)[ ]$")
_LAST_EPISODE = regex.compile(r"(?i)\bthe[ ](?P<n>\d{1,4}(?:st|nd|rd|th)|[a-z]{4,12}(?:th|st|nd|"
                              r"rd))[ ]and[ ](?:final|last)[ ]episode\b")
_LEFT = regex.compile(r"(?i)[ ](?:left|remaining|to[ ]go|more)\b")
_SEASONS = regex.compile(
    rf"(?i)\b(?:has|had|have|spans?|spanning|ran[ ]for|across|over|with|total[ ]of|consisting"
    rf"[ ]of|comprising|of[ ]its)[ ](?:(?:only|just|already)[ ])?(?P<n>{_NUM})[ ]seasons\b")


def _counts(s: Sentence) -> Iterator[Hit]:
    if "episode" in s.lower:
        for m in finditer(_EPISODES, s.text):
            if search(_EP_SKIP, s.text, max(0, m.start() - 14), m.start()) or \
                    _LEFT.match(s.text, m.end()):
                continue
            n = parse_number(m.group("n"))
            if isinstance(n, int) and 0 < n < 3000:
                yield Hit("episode_count", n, season_near(s.text, m.start()), m.start(),
                          m.end(), 0.85)
    if "episode" in s.lower:
        for m in finditer(_LAST_EPISODE, s.text):
            n = parse_number(m.group("n"))
            if isinstance(n, int) and 0 < n < 3000:
                yield Hit("episode_count", n, season_near(s.text, m.start()), m.start(),
                          m.end(), 0.75)  # "the 12th and final episode": twelve in all
    if "seasons" in s.lower:
        for m in finditer(_SEASONS, s.text):
            n = parse_number(m.group("n"))
            if isinstance(n, int) and 0 < n < 50:
                yield Hit("season_count", n, None, m.start(), m.end(), 0.8)


# --- staff, cast, licensors, networks --------------------------------------------------------

_AFTER = [  # (field, trigger ending right where the name starts, confidence, min tokens)
    ("studio", r"\b(?i:animated|animation[ ](?:is|was)[ ](?:handled|done|produced)|animation"
               r"[ ]production[ ](?:is|was)[ ](?:handled[ ])?)[ ]by[ ](?:(?i:the[ ])?studio[ ])?",
     0.9, 1),
    ("studio", r"(?<![Tt]he[ ])\bstudio[ ](?=\p{Lu})", 0.8, 1),
    ("studio", r"(?i)\bthe[ ]studio[ ](?:involved|behind|responsible)\b[^.;]{0,60}?\b(?:was|is)"
               r"[ ](?=\p{Lu})", 0.85, 1),
    ("director", r"(?i)\bdirected[ ]by[ ]", 0.9, 1),
    ("director", r"\b(?i:series[ ]|chief[ ])?director[ ](?=\p{Lu})", 0.75, 2),
    ("writer", r"(?i)\b(?:series[ ]composition|scripts?|screenplay|scriptwriting)[ ](?:is[ ]|was"
               r"[ ]|were[ ])?(?:handled[ ]|written[ ])?by[ ]", 0.85, 1),
    ("writer", r"\b(?i:scriptwriter|screenwriter|head[ ]writer|series[ ]composer)[ ](?=\p{Lu})",
     0.75, 2),
    ("composer", r"(?i)\b(?:music|score|soundtrack)[ ](?:is[ ]|was[ ])?(?:composed[ ]|written[ ]"
                 r"|handled[ ]|provided[ ]|produced[ ])?by[ ]", 0.85, 1),
    ("composer", r"(?i)\bcomposed[ ]by[ ]", 0.8, 1),
    ("composer", r"\bcomposer[ ](?=\p{Lu})", 0.75, 2),
    ("composer", r"(?i)\bmusic\b[^.;]{0,25}?\b(?:was|is)[ ](?=\p{Lu})", 0.65, 2),
    ("character_designer", r"(?i)\bcharacter[ ]designs?\b[^.;]{0,20}?\bby[ ]", 0.85, 1),
    ("character_designer", r"\b(?i:character[ ]designer)[ ](?=\p{Lu})", 0.75, 2),
]
_AFTER_RX = [(f, regex.compile(rx), c, k) for f, rx, c, k in _AFTER]
_BEFORE = [  # (field, trigger starting right after the name, confidence)
    ("director", r"(?i)[ ](?:acted|served|serves|acts|worked|works)[ ]as[ ](?:the[ ])?(?:series"
                 r"[ ]|chief[ ])?director\b|[ ](?:was|is)[ ]the[ ](?:series[ ]|chief[ ])?director"
                 r"\b|[ ]directed[ ]the[ ](?:anime|series|show|adaptation)\b", 0.85),
    ("writer", r"(?i)[ ](?:was|is|served[ ]as|acted[ ]as)[ ](?:the[ ])?(?:series[ ]|main[ ]|"
               r"script[ ]|head[ ])?(?:writer|screenwriter|scriptwriter)\b(?![ ]of[ ]the[ ]"
               r"(?:light[ ])?(?:novel|manga))|[ ](?:handled|wrote)[ ](?:the[ ])?(?:series[ ]"
               r"composition|scripts?|screenplay)\b", 0.8),
    ("composer", r"(?i)[ ](?:composed|wrote|scored)[ ](?:the[ ])?(?:music|score|soundtrack)\b",
     0.85),
    ("character_designer", r"(?i)[ ](?:handled|did|provided|was[ ]in[ ]charge[ ]of)[ ](?:the[ ])?"
                           r"character[ ]designs?\b|[ ](?:was|is)[ ]the[ ]character[ ]designer"
                           r"\b", 0.85),
    ("studio", r"(?i)[ ](?:animated|animates|will[ ]animate|is[ ]animating)[ ](?:the[ ])?(?:anime|"
               r"series|show|adaptation|season|sequel)\b", 0.85),
]
_BEFORE_RX = [(f, regex.compile(rx), c) for f, rx, c in _BEFORE]
_VOICED = regex.compile(r"(?i)(?:[ ]?\(|,[ ](?:who[ ](?:is|was|will[ ]be)[ ]|who['’]s[ ])?|[ ]"
                        r"(?:is|"
                        r"was|will[ ]be)[ ](?:also[ ])?)voiced[ ]by[ ]|[ ]?\(CV[.:][ ]?")
_VOICES = regex.compile(r"(?i)[ ](?:voices|will[ ]voice|is[ ]voicing|lends[ ](?:her|his|their)"
                        r"[ ]voice[ ]to)[ ]")
_LICENSED = regex.compile(r"(?i)\blicensed[ ](?:in[ ]North[ ]America[ ]|in[ ]English[ ])?by[ ]"
                          r"|\blicensor[ ](?=\p{Lu})")
_STREAM = regex.compile(r"(?i)\b(?:streams?|streaming|available[ ]to[ ]stream)[ ](?:exclusively"
                        r"[ ])?on[ ](?=crunchyroll|netflix|hidive|funimation|hulu|amazon|disney|"
                        r"bilibili|max\b)")
_NETWORK = regex.compile(r"(?i)\b(?:aired|airs|airing|broadcast|broadcasts|premiered|premieres)"
                         r"[ ](?:in[ ]Japan[ ])?on[ ](?=\p{Lu})")
_NOT_NETWORK = {"Crunchyroll", "Netflix", "Funimation", "HIDIVE", "Hulu", "Amazon", "Twitter",
                "YouTube"}


def _names_from(s: Sentence, field: str, m_start: int, pos: int, conf: float,
                min_tokens: int = 1, many: bool = True) -> Iterator[Hit]:
    spans = scan_names(s.text, pos) if many else [sp for sp in [scan_name(s.text, pos)] if sp]
    for a, b in spans:
        name = s.text[a:b]
        if len(name.split()) < min_tokens or len(name) < 2:
            continue
        yield Hit(field, name, season_near(s.text, m_start) if field == "studio" else None,
                  m_start, b, conf)


def _people(s: Sentence) -> Iterator[Hit]:
    for field, rx, conf, k in _AFTER_RX:
        for m in finditer(rx, s.text):
            yield from _names_from(s, field, m.start(), m.end(), conf, k)
    for field, rx, conf in _BEFORE_RX:
        for m in finditer(rx, s.text):
            span = name_before(s.text, m.start())
            if span:
                yield Hit(field, s.text[span[0]:span[1]], None, span[0], m.end(), conf)
    if "voice" in s.lower or "cv" in s.lower:
        for m in finditer(_VOICED, s.text):
            char, va = name_before(s.text, m.start()), scan_name(s.text, m.end())
            if char and va:
                value = f"{s.text[char[0]:char[1]]}: {s.text[va[0]:va[1]]}"
                yield Hit("cast", value, None, char[0], va[1], 0.85)
        for m in finditer(_VOICES, s.text):
            va, char = name_before(s.text, m.start()), scan_name(s.text, m.end())
            if char and va:
                value = f"{s.text[char[0]:char[1]]}: {s.text[va[0]:va[1]]}"
                yield Hit("cast", value, None, va[0], char[1], 0.8)
    for m in finditer(_LICENSED, s.text):
        yield from _names_from(s, "licensor", m.start(), m.end(), 0.85)
    for m in finditer(_STREAM, s.text):
        yield from _names_from(s, "licensor", m.start(), m.end(), 0.55, many=False)
    for m in finditer(_NETWORK, s.text):
        for h in _names_from(s, "network", m.start(), m.end(), 0.75):
            if h.value not in _NOT_NETWORK:
                yield h


# --- table-like rows -------------------------------------------------------------------------

_ROW_LABELS = {
    "studio": ("studio", "studios", "animation studio", "animation production", "animation by"),
    "director": ("director", "directed by", "series director"),
    "writer": ("series composition", "screenplay", "script", "scripts", "writer"),
    "composer": ("music", "music by", "composer"),
    "character_designer": ("character design", "character designs", "character designer"),
    "source_author": ("original author", "original creator", "author", "created by", "story by",
                      "original story"),
    "source_illustrator": ("illustrator", "illustrated by", "art by"),
    "source_publisher": ("publisher", "published by"),
    "licensor": ("licensed by", "licensor", "licensors"),
    "network": ("network", "original network", "tv network", "broadcaster"),
    "episode_count": ("episodes", "number of episodes", "no. of episodes", "episode count",
                      "total episodes"),
    "season_count": ("seasons", "number of seasons", "total seasons"),
}
_LABEL_OF = {lab: f for f, labs in _ROW_LABELS.items() for lab in labs}
_ROW = regex.compile(
    r"(?i)^(?P<label>" + "|".join(regex.escape(x) for x in sorted(_LABEL_OF, key=len,
                                                                   reverse=True))
    + r")(?:[ ]{0,3}[:|\t][ \t]{0,3}|[ ]{2,6}|(?-i:(?=[\p{Lu}\d])))(?P<value>\S.{0,100})$")
_SEASON_DATE_ROW = regex.compile(
    r"(?i)\bseason[ ]?(?P<n>\d{1,2})[ ](?:release|premiere|air(?:ing)?)[ ]date[ ]?[:|\t-]?[ ]*"
    r"(?=\S)")
_TBA = regex.compile(r"(?i)(?:not[ ](?:yet[ ])?announced|tba|tbd|unknown|to[ ]be[ ](?:announced|"
                     r"confirmed))\b")


def _rows(s: Sentence) -> Iterator[Hit]:
    if len(s.text) > 140:
        return
    m = _SEASON_DATE_ROW.search(s.text)
    if m:
        n = int(m.group("n"))
        d = _date_right_after(s, m.end(), 0, True)
        if d:
            yield Hit("premiere_date", d[2], f"season {n}", m.start(), d[1], 0.8)
        elif n >= 2 and _TBA.match(s.text, m.end()):
            t = _TBA.match(s.text, m.end())
            yield Hit("renewal_status", "not_announced", f"season {n}", m.start(),
                      t.end() if t else m.end(), 0.7)
        return
    if s.text.endswith((".", "?", "!")):
        return
    m = _ROW.match(s.text)
    if not m:
        return
    field = _LABEL_OF[m.group("label").lower()]
    vs = m.start("value")
    if field in ("episode_count", "season_count"):
        n = regex.match(r"\d{1,4}\b", m.group("value"))
        if n:
            yield Hit(field, int(n.group()), None, 0, vs + n.end(), 0.8)
        return
    for a, b in scan_names(s.text, vs):
        yield Hit(field, s.text[a:b], None, 0, b, 0.8)


def show_rules(s: Sentence) -> Iterator[Hit]:
    yield from _dates(s)
    yield from _counts(s)
    yield from _people(s)
    yield from _rows(s)
