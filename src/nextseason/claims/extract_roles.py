"""Who made what: names tied to roles by the words between them.

A role is a noun from a small vocabulary (:data:`ROLES`: "director", "series composer",
"script supervisor", "character designer", "music composer", "illustrator", "author",
"animation studio", …) and a name is a capitalised run of words
(:func:`~.extract_text.scan_name`). The rules are the English ways of tying them:

* ``ROLE NAME`` — "script supervisor Yasuhiro Nakanishi", "creator Paru Itagaki";
* ``ROLE by NAME`` and ``VERB-ed by NAME`` — "illustrations by …", "directed by …",
  "produced by studio …";
* ``NAME as (the) ROLE`` — "Koji Yabuno as character designer", "… taking part as the
  character designer";
* ``NAME (…) is/was/will be the (new) ROLE`` and ``NAME, the ROLE of …`` — a parenthesised
  list of credits between the name and the verb is skipped;
* ``NAME will handle / take over / take the helm …`` and ``NAME VERB-ed the series/season``
  ("Masayuki Kojima directed the series", "Madhouse made season one", "White Fox produced
  the first anime season");
* ``NAME's … manga/novel`` — the possessive names the source's author;
* a studio by its form ("Studio X", "X Pictures", "X Animation") or by the catalogue
  (:class:`~.gazetteer.Gazetteer`), a network or streaming service by the built-in
  vocabulary, where the sentence speaks of making or airing.

No rule names a show or a person.
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

from .extract_text import (
    Hit,
    Sentence,
    finditer,
    name_before,
    scan_name,
    scan_names,
    search,
    season_in_clause,
)
from .gazetteer import DEFAULT

__all__ = ["role_rules", "ROLES"]

#: (field, role noun phrase) — longer phrases first
ROLES: tuple[tuple[str, str], ...] = (
    ("writer", r"(?:series[ ])?script[ ]supervisor|series[ ]composer|series[ ]composition|"
               r"scriptwriter|screenwriter|script[ ]writer|head[ ]writer"),
    ("composer", r"music[ ]composer|sound[ ]composer|(?<!series[ ])composer"),
    ("character_designer", r"character[ ]designer|character[ ]designs?"),
    ("director", r"(?<!(?:animation|sound|art|photography|action|cg|3d)[ ])(?:chief[ ]|series[ ]|"
                 r"main[ ])?director(?![ ]of[ ]photography)"),
    ("source_illustrator", r"illustrator|illustrations"),
    ("source_author", r"(?:original[ ])?(?:author|creator|mangaka)"),
    ("studio", r"(?:new[ ])?animation[ ]studio|animation[ ]production[ ]studio|"
               r"production[ ]team|studio[ ]behind[ ]the[ ](?:anime|series|show)"),
)
_ROLE = "|".join(f"(?P<{f}{i}>{rx})" for i, (f, rx) in enumerate(ROLES))
_FIELD_OF = {f"{f}{i}": f for i, (f, _) in enumerate(ROLES)}


def _field(m: regex.Match[str]) -> str | None:
    for k, v in m.groupdict().items():
        if v is not None and k in _FIELD_OF:
            return _FIELD_OF[k]
    return None


# ROLE NAME ("script supervisor Yasuhiro Nakanishi"); "the" before the role is allowed
_ROLE_NAME = regex.compile(rf"(?i)\b(?:{_ROLE})(?-i:[ ](?=\p{{Lu}}|\d{{2,3}}\b))")
# ROLE by NAME
_ROLE_BY = regex.compile(rf"(?i)\b(?:{_ROLE})[ ](?:(?:is|are|was|were|will[ ]be)[ ])?"
                         r"(?:(?:handled|done|provided|drawn)[ ])?by[ ]")
# NAME as (the) ROLE / NAME taking part as the ROLE
_AS_ROLE = regex.compile(rf"(?i)(?:[ ]\([^()]{{1,120}}\))?[ ](?:(?:taking[ ]part|serving|serves|"
                         rf"served|returns|returning|"
                         rf"joins|joining|will[ ]join|(?:is|are)[ ]set[ ]to[ ]join|works|worked)"
                         rf"[ ])?as[ ](?:the[ ]|a[ ]|its[ ])?(?:new[ ]|returning[ ])?(?:{_ROLE})\b")
# NAME (...) is/was/will be the (new) ROLE
_IS_ROLE = regex.compile(rf"(?i)(?:[ ]\([^()]{{1,120}}\)|,[ ](?:a|an|the)[ ][^,;()]{{1,60}},)?,?[ ]"
                         rf"(?:is|was|will[ ]be|has[ ]been|"
                         rf"(?:is|was)[ ]set[ ]to[ ]be|remains|returns[ ]as)[ ](?:also[ ])?"
                         rf"(?:the|its|a)[ ](?:new[ ]|returning[ ]|main[ ])?(?:{_ROLE})\b")
# NAME, the ROLE of …
_APPOS_ROLE = regex.compile(rf"(?i),[ ](?:the|its|a)[ ](?:[\p{{L}}-]{{1,15}}[ ]){{0,2}}?"
                            rf"(?:{_ROLE})\b")
# NAME(s) will handle the ROLE
_HANDLE_ROLE = regex.compile(rf"(?i)[ ](?:will[ ])?(?:handle|handles|handled|handling|oversee|"
                             rf"oversees|is[ ]in[ ]charge[ ]of|will[ ]be[ ]in[ ]charge[ ]of)[ ]"
                             rf"(?:the[ ])?(?:{_ROLE})\b")
# VERB-ed by NAME
_BY_VERB = (r"directed|helmed|composed|scored|illustrated|created|drawn|produced|animated|made|"
            r"animation[ ]produced|animation[ ]production")
_BY = regex.compile(
    rf"(?i)\b(?<!written[ ]and[ ])(?:(?P<v0>{_BY_VERB})[ ](?:and|&)[ ])?(?P<v>{_BY_VERB})[ ]by[ ]"
    r"(?:(?:the[ ])?studio[ ])?")
_BY_FIELD = {"directed": "director", "helmed": "director", "composed": "composer",
             "scored": "composer", "illustrated": "source_illustrator",
             "created": "source_author", "drawn": "source_illustrator", "produced": "studio",
             "animated": "studio", "made": "studio",
             "animation produced": "studio", "animation production": "studio"}
# NAME VERB-ed the series / the first anime season / season one
_OBJ = (r"(?:the[ ]|its[ ]|a[ ]|this[ ])?(?:(?:first|second|third|fourth|fifth|new|next|"
        r"original|latest|final|sci-fi|\d{1,2}(?:st|nd|rd|th))[ ])?(?:tv[ ]|anime[ ])?"
        r"(?:series|anime|show|adaptation|season|installment|episodes?|story|sequel|film)\b"
        r"|season[ ](?:one|two|three|four|\d{1,2})\b")
_DID = regex.compile(
    rf"(?i)[ ](?:\([^()]{{1,120}}\)[ ]?)?(?:,[ ](?:on[ ]the[ ]other[ ]hand|however|meanwhile|"
    rf"in[ ]turn|too|also|instead),[ ])?(?:,[ ]?)?(?:has[ ]|have[ ]|had[ ]|also[ ]|once[ ]again[ ]|"
    rf"will[ ]|is[ ]set[ ]to[ ])?(?P<v>directed|direct|wrote|write|composed|compose|scored|"
    rf"produced|produce|produces|animated|animate|animates|made|makes|released|"
    rf"followed[ ]with|worked[ ]on|delivered|handled|handles)[ ](?:up[ ])?(?:{_OBJ})")
_DID_FIELD = {"directed": "director", "direct": "director", "wrote": "writer", "write": "writer",
              "composed": "composer", "compose": "composer", "scored": "composer",
              "worked on": "writer"}
_REPLACED = regex.compile(r"(?i)[ ](?:also[ ]|later[ ])?(?:replaced|replaces|replacing|succeeded|"
                          r"succeeds|took[ ]over[ ]from)[ ]$")
_APPOS_STUDIO = regex.compile(r"(?i),[ ](?:the|a)[ ](?:same[ ]|very[ ])?(?:animation[ ])?studio"
                              r"[ ](?:that|which|who|behind|responsible)\b")
_CAST_CTX = regex.compile(r"(?i)\b(?:cast|voice[sd]?|voicing|seiyuu|actors?|actress(?:es)?|"
                          r"starring|stars|roles?|reprise[sd]?|reprising)\b")
_CHAR_AS = regex.compile(r"[ ]as[ ](?=\p{Lu})")
_CHAR_BY = regex.compile(r"[ ](?:by|–|-|:)[ ](?=\p{Lu})")
_HELM = regex.compile(r"(?i)[ ](?:will[ ]be[ ]|is[ ]|was[ ])?(?:back[ ])?(?:at|taking|take|takes|"
                      r"took|is[ ]set[ ]to[ ]take)[ ](?:the[ ])?(?P<a>animation[ ])?helm\b"
                      r"|[ ](?:is|was|will[ ]be)[ ]set[ ]to[ ]take[ ]over\b")
_POSSESSIVE = regex.compile(r"['’]s[ ](?:(?:[\p{L}-]{1,20}|\([^()]{0,80}\))[ ]){0,8}?"
                            r"(?:(?:fantasy|ongoing|hit|popular|original|best-selling)[ ])?"
                            r"(?P<t>light[ ]novels?|manga|novels?|web[ ]novels?|webtoon)\b")
_ADAPT_OF = regex.compile(r"(?i)\b(?:adaptation[ ]of|adapts|adapting|based[ ]on)[ ](?=\p{Lu})")
_STUDIO_FORM = regex.compile(
    r"(?<![\p{L}\p{N}])(?:Studio(?:[ ](?:\p{Lu}[\p{L}\p{N}-]{0,20}|\d\p{L}{1,5})){1,2}"
    r"|(?:\p{Lu}[\p{L}\p{N}.-]{0,20}[ ]){1,2}(?:Pictures|Animation|Studios?)"
    r"|\p{Lu}-?\d[ ]Pictures)(?![\p{L}\p{N}])")
_MAKING = regex.compile(r"(?i)\b(?:produc\w*|animat\w*|made|make|studio|helm|adaptation|"
                        r"released|delivered|working|work|confirmed|busy|series|season|episode|"
                        r"anime)\b")
_AIRING = regex.compile(r"(?i)\b(?:air\w*|broadcast\w*|channels?|network|tv|television|"
                        r"premier\w*|began|begins|simulcast\w*|stations?)\b")
_STREAMING = regex.compile(r"(?i)\b(?:stream\w*|airing[ ]on|available[ ]on|licen[cs]\w*|"
                           r"watch\w*[ ]on|exclusively[ ]on)\b")
_OF_SEASON = regex.compile(r"(?i)[ ](?:of|for|in)[ ](?:the[ ])?(?:season[ ]\d{1,2}|(?:first|second|"
                           r"third|fourth|fifth)[ ]season)")
_THE_STUDIO = regex.compile(r"\b[Tt]he[ ](?P<n>\p{Lu}[\p{L}\p{N}.-]{0,20}"
                            r"(?:[ ]\p{Lu}[\p{L}\p{N}.-]{0,20}){0,2})[ ](?:animation[ ])?studio\b")
_STUDIO_VERBS = {"made", "produced", "animated", "animates", "animate", "produce", "produces",
                 "followed with"}
_STUDIO_OBJ = regex.compile(r"(?i)[ ](?:the[ ]|its[ ])?(?:(?:first|second|third|\d{1,2}(?:st|nd|rd|"
                            r"th)|new|next)[ ])?(?:anime[ ]|tv[ ])?(?:season|adaptation|anime|"
                            r"installment|episodes)\b|[ ]season[ ](?:one|two|three|\d)")
_PERSON_STOP = {"Season", "Episode", "Studio", "Anime", "The", "This", "Crunchyroll", "Netflix"}


def _person(name: str, min_tokens: int = 2) -> bool:
    words = name.split()
    return len(words) >= min_tokens and not (set(words) & _PERSON_STOP) and len(name) <= 60


def _hit(s: Sentence, field: str, a: int, b: int, start: int, end: int, conf: float) -> Hit:
    name = s.text[a:b].strip(" ,")
    q = None
    if field in ("studio", "director"):
        after = _OF_SEASON.match(s.text, end)
        q = season_in_clause(s.text, after.end() if after else a)
    return Hit(field, name, q, min(a, start), max(b, end), conf)


def _name_ok(field: str, name: str) -> bool:
    if field in ("studio", "network", "licensor", "source_publisher"):
        return len(name) >= 2 and name.split()[0] not in _PERSON_STOP - {"Studio"}
    if field == "source_illustrator":
        return len(name) >= 2
    return _person(name, 1 if field == "character_designer" else 2)


def _after(s: Sentence) -> Iterator[Hit]:
    for rx, conf in ((_ROLE_NAME, 0.75), (_ROLE_BY, 0.85)):
        for m in finditer(rx, s.text):
            f = _field(m)
            if f is None:
                continue
            for a, b in scan_names(s.text, m.end(), limit=4):
                if _name_ok(f, s.text[a:b]):
                    yield _hit(s, f, a, b, m.start(), m.end(), conf)
    for m in finditer(_BY, s.text):
        for v in (m.group("v0"), m.group("v")):
            f = _BY_FIELD.get((v or "").lower())
            if f is None:
                continue
            if f == "source_author" and not _SOURCEISH.search(s.text):
                continue
            for a, b in scan_names(s.text, m.end(), limit=4):
                name = s.text[a:b]
                if f == "studio" and (v or "").lower() == "produced" and \
                        not m.group().lower().startswith("animation") and \
                        not m.group().lower().endswith("studio ") and not _is_studio(s, name):
                    continue  # "produced by" names producers too; a studio must look like one
                if _name_ok(f, name):
                    yield _hit(s, f, a, b, m.start(), m.end(), 0.85)


_SOURCEISH = regex.compile(r"(?i)\b(?:manga|novels?|light[ ]novels?|books?|series|webtoon|"
                           r"original|story)\b")


def _before(s: Sentence) -> Iterator[Hit]:
    for rx, conf in ((_AS_ROLE, 0.85), (_IS_ROLE, 0.85), (_APPOS_ROLE, 0.8),
                     (_HANDLE_ROLE, 0.8)):
        for m in finditer(rx, s.text):
            f = _field(m)
            if f is None:
                continue
            spans = _names_ending(s, m.start()) if rx is _HANDLE_ROLE else \
                [sp for sp in [name_before(s.text, m.start())] if sp]
            if spans and rx is _AS_ROLE:
                rep = _REPLACED.search(s.text[max(0, spans[0][0] - 40):spans[0][0]])
                if rep:  # "A replaced B as the director": the role is A's
                    at = spans[0][0] - (len(s.text[max(0, spans[0][0] - 40):spans[0][0]]) -
                                        rep.start())
                    spans = [sp for sp in [name_before(s.text, at)] if sp]
            for a, b in spans:
                if _name_ok(f, s.text[a:b]):
                    yield _hit(s, f, a, b, a, m.end(), conf)
    for m in finditer(_DID, s.text):
        v = m.group("v").lower()
        f = _DID_FIELD.get(v)
        span = name_before(s.text, m.start())
        if span is None:
            continue
        name = s.text[span[0]:span[1]]
        if f is None:  # made / produced / animated / released …: a studio, if it looks like one
            form = _STUDIO_FORM.search(s.text, max(0, m.start() - 40), m.start())
            if form is not None and form.end() == m.start():
                yield _hit(s, "studio", form.start(), form.end(), form.start(), m.end(), 0.8)
            elif _is_studio(s, name) or (v in _STUDIO_VERBS and len(name.split()) <= 3
                                         and not _known(s, name) and _STUDIO_OBJ.match(
                                             s.text, m.end("v"))):
                yield _hit(s, "studio", span[0], span[1], span[0], m.end(), 0.8)
        elif _person(name):
            yield _hit(s, f, span[0], span[1], span[0], m.end(), 0.8)
    for m in finditer(_THE_STUDIO, s.text):
        if not _known(s, m.group("n")):
            yield _hit(s, "studio", m.start("n"), m.end("n"), m.start(), m.end(), 0.75)
    for m in finditer(_APPOS_STUDIO, s.text):
        span = name_before(s.text, m.start())
        if span and len(s.text[span[0]:span[1]].split()) <= 3:
            yield _hit(s, "studio", span[0], span[1], span[0], m.end(), 0.75)
    for m in finditer(_HELM, s.text):
        span = name_before(s.text, m.start())
        if span is None:
            continue
        name = s.text[span[0]:span[1]]
        if m.group("a") or _is_studio(s, name):
            if _is_studio(s, name) or len(name.split()) == 1:
                yield _hit(s, "studio", span[0], span[1], span[0], m.end(), 0.75)
        elif _person(name) and ("direct" in s.lower or "helm" in m.group().lower() or
                                "direct" in s.before.lower()):
            yield _hit(s, "director", span[0], span[1], span[0], m.end(), 0.75)


def _names_ending(s: Sentence, pos: int) -> list[tuple[int, int]]:
    """The name (or the list "A, B and C") that ends at ``pos``."""
    last = name_before(s.text, pos)
    if last is None:
        return []
    out = [last]
    p = last[0]
    for _ in range(3):
        sep = regex.search(r"(?:,[ ](?:and[ ])?|[ ]and[ ]|[ ]&[ ])$", s.text[max(0, p - 6):p])
        if sep is None:
            break
        prev = name_before(s.text, p - len(sep.group()))
        if prev is None:
            break
        out.insert(0, prev)
        p = prev[0]
    return out


def _is_studio(s: Sentence, name: str) -> bool:
    if _STUDIO_FORM.fullmatch(name):
        return True
    g = s.ctx.gazetteer if s.ctx else DEFAULT
    rx = g.pattern("studio")
    return rx is not None and rx.fullmatch(name) is not None


def _authors(s: Sentence) -> Iterator[Hit]:
    if "'s" not in s.text and "’s" not in s.text:
        return
    for m in finditer(_POSSESSIVE, s.text):
        span = name_before(s.text, m.start())
        if span is None:
            continue
        name = s.text[span[0]:span[1]]
        if not _person(name) or _is_studio(s, name) or _known(s, name):
            continue
        yield Hit("source_author", name, None, span[0], m.end(), 0.75)
    for m in finditer(_ADAPT_OF, s.text):
        span = scan_name(s.text, m.end(), max_tokens=3)
        if span is None or not s.text.startswith(("'s", "’s"), span[1]):
            continue
        name = s.text[span[0]:span[1]]
        if _person(name) and not _known(s, name) and _SOURCEISH.search(s.text, span[1]):
            yield Hit("source_author", name, None, m.start(), span[1], 0.7)


def _known(s: Sentence, name: str) -> bool:
    """A distributor of the vocabulary (not a person)."""
    g = s.ctx.gazetteer if s.ctx else DEFAULT
    for kind in ("network", "streamer", "publisher", "magazine"):
        rx = g.pattern(kind)
        if rx is not None and rx.search(name):
            return True
    return False


def _studios(s: Sentence) -> Iterator[Hit]:
    if not _MAKING.search(s.text):
        return
    seen: set[str] = set()
    for m in finditer(_STUDIO_FORM, s.text):
        name = m.group()
        if name.startswith(("The ", "A ")):
            continue
        seen.add(name)
        yield Hit("studio", name, None, m.start(), m.end(), 0.7)  # a bare mention: no season
    g = s.ctx.gazetteer if s.ctx else DEFAULT
    for a, b, name in g.find("studio", s.text):
        if name not in seen and not any(name in x for x in seen):
            yield Hit("studio", name, None, a, b, 0.7)


def _distributors(s: Sentence) -> Iterator[Hit]:
    g = s.ctx.gazetteer if s.ctx else DEFAULT
    if _AIRING.search(s.text):
        for a, b, name in g.find("network", s.text):
            yield Hit("network", name, None, a, b, 0.7)
    found = g.find("streamer", s.text)
    subject = [x for x in found if regex.match(r"[ ](?:has[ ]|will[ ])?(?:streamed|streams|"
                                               r"licensed|licenses|acquired)\b",
                                               s.text[x[1]:x[1] + 20])]
    for a, b, name in subject or found:
        if subject or search(_STREAMING, s.text, max(0, a - 40), a) or \
                regex.match(r"(?i)[ ](?:exclusive|original)\b", s.text[b:b + 12]):
            yield Hit("licensor", name, None, a, b, 0.65)
        elif regex.match(r"(?i)[ ](?:anime|original)[ ](?:series|show)\b", s.text[b:b + 20]):
            yield Hit("network", name, None, a, b, 0.65)


def _cast(s: Sentence) -> Iterator[Hit]:
    """ "Aoi Koga as Kaguya Shinomiya", "Kaguya Shinomiya by Aoi Koga", in a sentence (or
    after one) about the cast."""
    if not (_CAST_CTX.search(s.text) or _CAST_CTX.search(s.before)):
        return
    for m in finditer(_CHAR_AS, s.text):
        actor, char = name_before(s.text, m.start()), scan_name(s.text, m.end(), max_tokens=3)
        if actor and char and _person(s.text[actor[0]:actor[1]]) and \
                not _ROLE_WORD.match(s.text, m.end()):
            value = f"{s.text[char[0]:char[1]]}: {s.text[actor[0]:actor[1]]}"
            yield Hit("cast", value, None, actor[0], char[1], 0.75)
    for m in finditer(_CHAR_BY, s.text):
        char, actor = name_before(s.text, m.start()), scan_name(s.text, m.end(), max_tokens=3)
        if actor and char and _person(s.text[actor[0]:actor[1]]) and \
                _person(s.text[char[0]:char[1]], 1) and \
                not _known(s, s.text[char[0]:char[1]]):
            value = f"{s.text[char[0]:char[1]]}: {s.text[actor[0]:actor[1]]}"
            yield Hit("cast", value, None, char[0], actor[1], 0.7)


_ROLE_WORD = regex.compile(rf"(?i)(?:the[ ]|a[ ]|new[ ])*(?:{_ROLE})\b")


def role_rules(s: Sentence) -> Iterator[Hit]:
    yield from _cast(s)
    yield from _after(s)
    yield from _before(s)
    yield from _authors(s)
    yield from _studios(s)
    yield from _distributors(s)
