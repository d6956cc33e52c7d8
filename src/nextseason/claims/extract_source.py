"""Rules for the source work (type, title, author, publisher, volumes, status, how much was
adapted, spin-offs). Sales and reception are in :mod:`.extract_reception`.
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

from .extract_show import SOURCE_WORDS
from .extract_text import (
    NUMBER_WORDS_RX,
    ORDINALS,
    Hit,
    Sentence,
    finditer,
    name_before,
    parse_number,
    scan_name,
    scan_names,
    search,
)

__all__ = ["source_rules"]

_TYPE = (r"(?P<t>light[ -]novels?|web[ ]novels?|visual[ ]novels?|novels?|manga|manhwa|webtoons?|"
         r"video[ ]games?|games?)")
_NUM = rf"(?:\d{{1,4}}|{NUMBER_WORDS_RX})"
_QUOTE = (r"(?:\"(?P<q1>[^\"\n]{2,150}?)\"|“(?P<q2>[^”\n]{2,150}?)”"
          r"|‘(?P<q3>[^\n’]{1,150}(?:’\p{L}[^\n’]{0,150}){0,3}?)’(?!\p{L}))")
_SPIN = r"(?:spin-?offs?|side[ ]stor(?:y|ies)|gaiden|epilogue|prequel)"
_SPIN_RX = regex.compile(rf"(?i)\b{_SPIN}\b")


def _quoted(m: regex.Match[str]) -> tuple[str, int, int]:
    for g in ("q1", "q2", "q3"):
        if m.group(g) is not None:
            v = m.group(g).strip().rstrip(",.;:").strip()
            return v, m.start(g), m.end(g)
    raise ValueError("no quote group")  # pragma: no cover


def _type_value(raw: str) -> str:
    t = raw.lower().replace("-", " ")
    t = {"video game": "game", "video games": "game", "games": "game"}.get(t, t)
    return t[:-1] if t.endswith("s") and t not in ("manhwas",) else t


# --- the source work -------------------------------------------------------------------------

_TYPE_RX = [
    regex.compile(rf"(?i)(?<!not[ ])\bbased[ ]on[ ](?:[\w'’,-]{{1,20}}[ ]){{0,10}}?(?:the|a|an"
                  rf")[ ](?:(?:popular|"
                  rf"best-?selling|hit|original|acclaimed|ongoing|long-running|award-winning|"
                  rf"same-named|eponymous)[ ])?{_TYPE}\b"),
    regex.compile(r"(?i)\b(?:the|a|an|this|its)[ ](?:[\w-]{1,20}[ ]){0,3}?(?P<t>light[ -]novel|"
                  r"web[ ]novel|manga|manhwa|webtoon)[ ]series\b"),
    regex.compile(rf"(?i)\b(?:original|source)[ ]{_TYPE}\b"),
    regex.compile(rf"(?i)\badapt(?:ation|s|ing|ed)[ ](?:(?:of|from)[ ])?(?:the|a|an)[ ]"
                  rf"(?:[\w-]{{1,20}}[ ]){{0,3}}?{_TYPE}\b"),
    regex.compile(r"(?i)\ban[ ](?P<t>original)[ ](?:anime|series|work|story|production|"
                  r"anime[ ]series|tv[ ]anime)\b(?!-only)"),
    regex.compile(rf"(?i)\b(?:based[ ]on|adapted[ ]from)[ ](?-i:\p{{Lu}}[\p{{L}}-]{{1,20}})['’]s"
                  rf"[ ](?:[\w-]{{1,20}}[ ]){{0,2}}?{_TYPE}\b"),
    regex.compile(rf"(?i)\bone[ ]of[ ]the[ ](?:best-?selling|most[ ]popular|top|biggest|"
                  rf"highest-selling)[ ]{_TYPE}\b"),
    regex.compile(rf"(?i)\b(?:was|is|started|began)[ ](?:originally|first)[ ](?:as[ ])?(?:a|an)"
                  rf"[ ]{_TYPE}\b"),
    regex.compile(rf"(?i)\b(?:author|creator|illustrator)[ ]of[ ]the[ ](?:original[ ])?"
                  rf"(?:[\w!:?.'’-]{{1,25}}[ ]){{0,4}}?{_TYPE}\b"),
    regex.compile(rf"(?i)\b{_TYPE}[ ](?:series[ ])?of[ ]the[ ]same[ ](?:name|title)\b"),
    regex.compile(r"(?i)\bthe[ ](?P<t>manga|light[ ]novel|web[ ]novel|novel)[ ](?:was|is|has"
                  r"[ ]been)"
                  r"[ ](?:first[ ])?(?:serialized|serialised|published)\b"),
]
_SOURCE_OF = {0, 3, 5}  # "based on …", "adaptation of …": the rules naming the source itself
_TITLE_RX = [
    regex.compile(rf"(?i)\b{_TYPE}[ ](?:series[ ]?)?,?[ ]?(?:titled[ ]|called[ ]|named[ ]|"
                  rf"entitled[ ])?{_QUOTE}"),
    regex.compile(rf"(?i)\bbased[ ]on[ ](?:the[ ])?(?:{_TYPE}[ ])?{_QUOTE}"),
    regex.compile(rf"{_QUOTE}[ ](?:is|was)[ ](?:also[ ])?based[ ]on\b[^.;]{{0,80}}?\b(?:of|with)"
                  r"[ ]the[ ]same[ ](?:name|title)\b"),
]
_AUTHOR_RX = [
    regex.compile(r"(?i)\b(?P<w>light[ -]novels?|web[ ]novels?|novels?|manga|series|story|work)"
                  r"[ ](?:series[ ])?(?:written[ ]|created[ ]|penned[ ]|authored[ ])?by[ ](?:(?:the"
                  r"[ ])?(?:author|writer|mangaka|artist|creator|novelist)[ ])?(?=\p{Lu})"),
    regex.compile(r"\b(?i:author|mangaka|novelist|original[ ]creator)(?:['’]s)?,?[ ](?=\p{Lu})"),
]
_AUTHOR_BEFORE = regex.compile(r"(?i)[ ](?:is|was)[ ]the[ ](?:original[ ])?(?:author|creator|"
                               r"mangaka)\b")
_WRITTEN_BY = regex.compile(r"(?i)\bwritten[ ]by[ ](?!and\b)(?=\p{Lu})")
_BOTH = regex.compile(r"(?i)\bwritten[ ]and[ ]illustrated[ ]by[ ](?P<a>[^,.;()]{1,40}?)(?:[ ]and"
                      r"[ ](?P<b>[^,.;()]{1,40}?)[ ]respectively\b"
                      r"|(?=[,.;]|$|[ ]and[ ](?-i:\p{Ll})))")
_WORKS_OF = regex.compile(r"(?i)\bbased[ ]on[ ](?:the[ ])?(?:works?|stories|story|novels?|manga)[ ]"
                          r"(?:written[ ])?(?:of|by)[ ](?=\p{Lu})")
_ILLUS = regex.compile(r"(?i)\b(?<!written[ ]and[ ])(?:illustrated|illustrations|art|artwork)[ ]"
                       r"(?:is[ ]|was[ ]|are[ ]|were[ ])?(?:done[ ]|provided[ ])?by[ ](?=\p{Lu})"
                       r"|\billustrator[ ](?=\p{Lu})")
_PUB = regex.compile(r"(?i)\bpublished[ ](?:in[ ](?P<lang>English)[ ])?by[ ](?=\p{Lu})"
                     r"|\bpublisher[ ](?=\p{Lu})")
_IMPRINT = regex.compile(r"(?i)[ ]under[ ](?:their|its|the)[ ](?=\p{Lu})")
_PUB_BEFORE = regex.compile(r"(?i)[ ](?:were|was|is|are)[ ](?:its|the)[ ](?P<q>English|North[ ]"
                            r"American|US)[ ]publishers?\b")
_SERIAL_SITE = regex.compile(r"(?i)\bserial(?:ized|ised)[ ](?:in|on)[ ](?=\p{Lu})")
_POSS_SITE = regex.compile(r"['’]s[ ](?:[\w-]{1,15}[ ]){0,4}?(?=\p{Lu})")


def _source_work(s: Sentence) -> Iterator[Hit]:
    text, spin = s.text, _SPIN_RX.search(s.text) is not None
    if not spin:
        types: list[tuple[int, Hit]] = []
        for i, rx in enumerate(_TYPE_RX):
            for m in finditer(rx, text):
                types.append((i, Hit("source_type", _type_value(m.group("t")), None, m.start(),
                                     m.end(), 0.8)))
        based = [h for i, h in types if i in _SOURCE_OF]
        # "X is a manga series which is based on a light novel": the source is what it is
        # based on; the other type names the work itself
        yield from based or [h for _, h in types]
        for rx in _TITLE_RX:
            for m in finditer(rx, text):
                v = _quoted(m)[0]
                yield Hit("source_title", v, None, m.start(), m.end(), 0.75)
    for i, rx in enumerate(_AUTHOR_RX):
        for m in finditer(rx, text):
            if i == 0 and m.group("w").lower() in ("series", "story", "work") and \
                    search(regex.compile(r"(?i)\b(?:anime|tv)[ ]$"), text,
                           max(0, m.start() - 8), m.start()):
                continue
            span = scan_name(text, m.end())
            if span:
                yield Hit("source_author", text[span[0]:span[1]], None, m.start(), span[1], 0.85)
    for m in finditer(_AUTHOR_BEFORE, text):
        span = name_before(text, m.start())
        if span:
            yield Hit("source_author", text[span[0]:span[1]], None, span[0], m.end(), 0.8)
    for m in finditer(_WRITTEN_BY, text):
        if search(SOURCE_WORDS, text, max(0, m.start() - 40), m.start()) and \
                not search(_AUTHOR_RX[0], text, max(0, m.start() - 40), m.end()):
            span = scan_name(text, m.end())
            if span:
                yield Hit("source_author", text[span[0]:span[1]], None, m.start(), span[1], 0.8)
    for m in finditer(_WORKS_OF, text):
        span = scan_name(text, m.end(), max_tokens=3)
        if span:
            yield Hit("source_author", text[span[0]:span[1]], None, m.start(), span[1], 0.75)
    for m in finditer(_BOTH, text):
        author = m.group("a").strip()
        span = scan_name(text, m.start("a"))
        if span and not m.group("b"):
            author = text[span[0]:span[1]]  # "by Adachitoka since 2010": the name only
        artist = (m.group("b") or "").strip() or author
        yield Hit("source_author", author, None, m.start(), m.end(), 0.85)
        yield Hit("source_illustrator", artist, None, m.start(), m.end(), 0.85)
    for m in finditer(_ILLUS, text):
        span = scan_name(text, m.end())
        if span:
            yield Hit("source_illustrator", text[span[0]:span[1]], None, m.start(), span[1], 0.8)
    yield from _publisher(s)


def _publisher(s: Sentence) -> Iterator[Hit]:
    text = s.text
    for m in finditer(_PUB, text):
        spans = scan_names(text, m.end())
        for a, b in spans:
            q = m.group("lang")
            imp = _IMPRINT.match(text, b)
            if imp:
                ispan = scan_name(text, imp.end())
                if ispan and text.startswith(" imprint", ispan[1]):
                    q = text[ispan[0]:ispan[1]]
            after = _PUB_BEFORE.match(text, b)
            if after:  # "… and X were its English publishers": the next rule has it
                continue
            yield Hit("source_publisher", text[a:b], q, m.start(), b, 0.85)
    for m in finditer(_PUB_BEFORE, text):
        span = name_before(text, m.start())
        if span:
            yield Hit("source_publisher", text[span[0]:span[1]], m.group("q"), span[0], m.end(),
                      0.8)
    for m in finditer(_SERIAL_SITE, text):
        span = scan_name(text, m.end())
        if not span:
            continue
        poss = _POSS_SITE.match(text, span[1])
        if poss:
            site = scan_name(text, poss.end())
            if site:
                yield Hit("source_publisher", text[span[0]:span[1]], text[site[0]:site[1]],
                          m.start(), site[1], 0.7)


# --- volumes, status, adaptation, spin-offs --------------------------------------------------

_VOLUMES = regex.compile(rf"(?i)\b(?P<n>{_NUM})(?:[ ](?:(?:light[ -]novel|manga|tank[oō]u?bon|"
                         r"collected|published|compiled|print|book)[ ])?(?P<u>volumes|chapters)\b"
                         r"|-volume\b)")
_COUNT_SKIP = regex.compile(r"(?i)\b(?:first|last|next|final|remaining|previous|additional|more|"
                            r"new|these|those|few|of[ ]the|other|two|leaves|leaving|left|remai"
                            r"n|remains)[ ]$")
_LEFT_AFTER = regex.compile(r"(?i)[ ](?:left|remain|remaining|to[ ]go|more)\b")
_ORD_VOL = regex.compile(r"(?i)\bthe[ ](?P<o>\w{3,12})[ ](?:and[ ](?:final|last)[ ])?volume\b")
_END_CTX = regex.compile(r"(?i)\b(?:final|last|conclud\w*|ended|finished|until)\b"
                         r"|\bto[ ](?:\p{L}{3,9}[ ])?(?:\d{1,2},?[ ])?(?:19|20)\d{2}\b")
_FINISHED = [
    regex.compile(r"(?i)\b(?:light[ ]novels?|novels?|manga|web[ ]novel|source[ ]material|original"
                  r"[ ]work)\b(?P<gap>[^.;]{0,120}?)\b(?:has|have|had|is|was)[ ](?:already[ ]|"
                  r"officially[ ]|now[ ]|since[ ])?(?:concluded|ended|finished|completed|been[ ]"
                  r"completed|complete)\b"),
    regex.compile(r"(?i)\b(?:put[ ]out|published|released)[ ]the[ ](?:last|final)[ ]volume\b"
                  r"|\b(?:last|final)[ ]volume[ ](?:was[ ]|has[ ]been[ ])?(?:released|published|"
                  r"came[ ]out|went[ ]on[ ]sale)\b"),
    regex.compile(r"(?i)\b(?:manga|novel|series)[ ](?:ended|concluded|completed)[ ](?:its[ ])?"
                  r"(?:serialization|serialisation|run)\b"),
    regex.compile(r"(?i)\b(?:manga|light[ ]novels?|novels?|web[ ]novel)[ ](?:series[ ])?(?:ended|"
                  r"concluded|finished|wrapped[ ]up)\b"),
    regex.compile(r"(?i)\b(?:\d{1,3}(?:st|nd|rd|th)|[a-z]{3,12}(?:th|st|nd|rd))[ ]and[ ](?:final|"
                  r"last)[ ]volume\b"),
]
_ONGOING = regex.compile(r"(?i)\b(?:is|remains|are)[ ](?:also[ ])?(?:still[ ])?(?:ongoing|being[ ]"
                         r"(?:serialized|serialised|published)|running|going)\b|\b(?:more|new)[ ]"
                         r"(?:manga|light[ ]novel|novel)?[ ]?(?:source[ ]material|chapters|volumes)"
                         r"[ ](?:coming[ ]out|being[ ]released|releasing)\b"
                         r"|\bcontinues[ ]to[ ]be[ ](?:serialized|"
                         r"serialised|published)\b|\bongoing[ ](?:manga|light[ ]novel|web[ ]novel|"
                         r"novel)\b")
_ADAPTATION = regex.compile(r"(?i)\badaptation\b")
_ADAPT_ALL = [
    (regex.compile(r"(?i)\badapt(?:ed|s|ing)[ ](?P<al>(?:almost|nearly)[ ])?all[ ](?:of[ ])?(?:the"
                   r"[ ]|its[ ])?(?:\w+[ ]){0,2}?(?:novels|volumes|source[ ]material|manga|chapters"
                   r"|books|story)\b"), 0.8),
    (regex.compile(r"(?i)\badapted[ ](?P<al>(?:almost|nearly)[ ])?(?:completely|entirely|in[ ]full|"
                   r"fully)\b|\b(?P<al2>(?:almost|nearly)[ ])?(?:completely|entirely|fully)[ ]"
                   r"adapted\b"), 0.7),
    (regex.compile(r"(?i)\b(?:contained|reached|adapted|covered)[ ](?:the[ ])?(?:same[ ])?(?:m"
                   r"ain[ ]"
                   r"|plot[ ]|story[ ])*(?:conclusion|ending)[ ]of[ ](?:its|the)[ ](?:source[ ]"
                   r"material|novels?|light[ ]novels?|manga)\b"), 0.6),
]
_ADAPT_N = regex.compile(rf"(?i)\b(?:adapt\w{{0,6}}|cover\w{{0,4}})[ ](?:the[ ])?first[ ](?P<n"
                         rf">{_NUM})"
                         r"[ ](?P<u>volumes|chapters|novels|books)\b|\b(?:adapt\w{0,6}|cover\w"
                         r"{0,4})"
                         r"[^.;]{0,40}?\b(?:up[ ]to|through)[ ](?:the[ ]end[ ]of[ ])?(?P<u2>volume|"
                         r"chapter)[ ](?P<n2>\d{1,4})\b|\b(?:adapt\w{0,6}|cover\w{0,4})[ ](?:t"
                         r"he[ ])?"
                         rf"(?P<u3>volumes|chapters)[ ](?:1|one)[ ](?:through|to|-)[ ](?P<n3>"
                         rf"{_NUM})\b")
_COND = regex.compile(r"(?i)\b(?:if|could|would|might|may|unless)\b")
_SPIN_RX_LIST = [
    regex.compile(rf"(?i)\b(?:{_SPIN}|sequel)\b[^.;\"“]{{0,30}}?\b(?:titled|called|named|entitled)"
                  rf"[ ]{_QUOTE}"),
    regex.compile(rf"(?i)\b{_SPIN}[ ](?:(?:manga|novel|anime|series|light[ ]novel|web[ ]novel)[ ])"
                  rf"{{0,2}},?[ ]?{_QUOTE}"),
    regex.compile(rf"(?i){_QUOTE},?[ ](?:is[ ])?(?:a|an|the)[ ](?:[\w-]{{1,15}}[ ]){{0,3}}?"
                  rf"{_SPIN}\b"),
]
_SPIN_BARE = regex.compile(r"\b\p{Lu}[\p{L}\p{N}’'!-]{0,30}(?:[ ]\p{Lu}[\p{L}\p{N}’'!-]{0,30}){0,5}"
                           r":[ ](?:\p{Lu}[\p{L}’'-]{0,30}[ ]){0,4}(?i:side[ ]stor(?:y|ies)|gaiden|"
                           r"spin-?off)\b")


_ADAPTED_UP_TO = regex.compile(r"(?i)\b(?:adapt\w*|cover\w*)[ ](?:(?:up[ ]to|through|until|"
                               r"the[ ]first|the)[ ])?$")


def _volumes(s: Sentence) -> Iterator[Hit]:
    text, low = s.text, s.lower
    if "volume" in low or "chapter" in low:
        spin = _SPIN_RX.search(text) is not None
        for m in finditer(_VOLUMES, text):
            if spin or search(_COUNT_SKIP, text, max(0, m.start() - 12), m.start()) or \
                    _LEFT_AFTER.match(text, m.end()):
                continue
            n = parse_number(m.group("n"))
            if search(_ADAPTED_UP_TO, text, max(0, m.start() - 30), m.start()):
                unit = (m.group("u") or "volumes").lower().rstrip("s")
                if isinstance(n, int) and 0 < n < 5000:
                    yield Hit("adapted_through", f"{unit} {n}", None, m.start(), m.end(), 0.7)
                continue
            field = "source_chapter_count" if (m.group("u") or "").lower() == "chapters" \
                else "source_volume_count"
            if isinstance(n, int) and 0 < n < 5000:
                yield Hit(field, n, None, m.start(), m.end(), 0.85)
        for m in finditer(_ORD_VOL, text):
            n = ORDINALS.get(m.group("o").lower()) or parse_number(m.group("o"))
            if n and n >= 2 and not spin and _END_CTX.search(text):
                yield Hit("source_volume_count", n, None, m.start(), m.end(), 0.6)
    for i, rx in enumerate(_FINISHED):
        m = search(rx, text)
        if m and not (i == 0 and regex.search(r"(?i)\b(?:anime|season|episode)", m.group("gap"))) \
                and not _COND.search(text, 0, m.start()):
            yield Hit("source_status", "finished", None, m.start(), m.end(), 0.8)
            break
    m = search(_ONGOING, text)
    if m and (SOURCE_WORDS.search(text) or "ongoing" in m.group().lower()) and \
            not search(_ADAPTATION, text, 0, m.start()):
        yield Hit("source_status", "ongoing", None, m.start(), m.end(), 0.75)
    if "adapt" in low or "cover" in low or "conclusion" in low:
        for rx, conf in _ADAPT_ALL:
            m = search(rx, text)
            if m and not _COND.search(text, 0, m.start()):
                almost = m.groupdict().get("al") or m.groupdict().get("al2")
                yield Hit("adapted_through", "all", "volume", m.start(), m.end(),
                          conf - (0.15 if almost else 0))
                break
        for m in finditer(_ADAPT_N, text):
            n = parse_number(m.group("n") or m.group("n2") or m.group("n3"))
            unit = (m.group("u") or m.group("u2") or m.group("u3") or "").lower()
            q = "chapter" if unit.startswith("chapter") else "volume"
            if isinstance(n, int):
                yield Hit("adapted_through", n, q, m.start(), m.end(), 0.8)


def _spin_offs(s: Sentence) -> Iterator[Hit]:
    low = s.lower
    if not any(k in low for k in ("spin", "side stor", "gaiden", "epilogue", "prequel", "sequel")):
        return
    used: list[tuple[int, int]] = []
    for rx in _SPIN_RX_LIST:
        for m in finditer(rx, s.text):
            v, a, b = _quoted(m)
            if any(a < y and x < b for x, y in used):
                continue
            used.append((a, b))
            yield Hit("spin_off", v, None, m.start(), m.end(), 0.8)
    for m in finditer(_SPIN_BARE, s.text):
        before = s.text[max(0, m.start() - 160):m.start()]
        inside = before.count('"') % 2 == 1 or before.rfind("“") > before.rfind("”")
        if inside or any(m.start() < y and x < m.end() for x, y in used):
            continue
        yield Hit("spin_off", m.group(), None, m.start(), m.end(), 0.65)


def source_rules(s: Sentence) -> Iterator[Hit]:
    yield from _source_work(s)
    yield from _volumes(s)
    yield from _spin_offs(s)
