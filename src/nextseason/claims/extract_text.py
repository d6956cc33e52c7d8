"""Text primitives for the claim extractor: sentences, names, numbers and dates.

Everything here is linear in the input: sentences are capped at ``MAX_SENTENCE`` characters
(a hostile line without punctuation is cut into windows), and every pattern has bounded
repetition, so no input can make a regex backtrack catastrophically. Patterns run through
the ``regex`` module with a per-call timeout as a second guard.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

import regex

from .gazetteer import DEFAULT as DEFAULT_GAZETTEER
from .gazetteer import Gazetteer

__all__ = [
    "Context", "Sentence", "Hit", "split_sentences", "finditer", "search", "scan_name",
    "scan_names", "parse_number", "find_dates", "season_near", "season_in_clause",
    "site_name", "name_before", "iso_date", "month_number",
    "WORD_NUMBERS", "NUMBER_WORDS_RX",
    "ORDINALS", "SITE_RX",
]

MAX_SENTENCE = 1000
MAX_MATCHES = 16  # matches of one pattern in one sentence
MAX_SENTENCES = 2000  # with a limit, split no further (an ordinary article has ~100)
TIMEOUT = 0.25  # seconds per regex call; a guard, never reached on sane input


@dataclass(frozen=True)
class Context:
    """What every sentence of one article shares: its date, its title's words, the names."""

    as_of: str | None = None  # ISO date at the precision known
    title_words: frozenset[str] = frozenset()
    gazetteer: Gazetteer = DEFAULT_GAZETTEER


@dataclass(frozen=True)
class Sentence:
    """One sentence (or table row, or heading) of the article and where it starts."""

    text: str
    start: int
    index: int
    as_of_year: int | None = None
    ctx: Context | None = field(default=None, compare=False)
    before: str = field(default="", compare=False)  # the previous sentence (its last words)
    lower: str = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "lower", self.text.lower())


class Hit(NamedTuple):
    """A rule's finding, with its match span relative to the sentence."""

    field: str
    value: object
    qualifier: str | None
    start: int
    end: int
    confidence: float


def finditer(pattern: regex.Pattern[str], text: str) -> Iterator[regex.Match[str]]:
    """At most ``MAX_MATCHES`` matches: a sentence of 200 repeated trigger words is hostile
    input, not 200 claims, and rules that look around each match stay linear."""
    try:
        for i, m in enumerate(pattern.finditer(text, timeout=TIMEOUT)):
            if i >= MAX_MATCHES:
                return
            yield m
    except TimeoutError:  # pragma: no cover - bounded patterns make this unreachable
        return


def _all(pattern: regex.Pattern[str], text: str) -> Iterator[regex.Match[str]]:
    """Every match (for splitting lines and sentences, which must see the whole text)."""
    try:
        yield from pattern.finditer(text, timeout=TIMEOUT)
    except TimeoutError:  # pragma: no cover
        return


def search(pattern: regex.Pattern[str], text: str, pos: int = 0,
           endpos: int | None = None) -> regex.Match[str] | None:
    try:
        return pattern.search(text, pos, len(text) if endpos is None else endpos,
                              timeout=TIMEOUT)
    except TimeoutError:  # pragma: no cover
        return None


# --- sentences -------------------------------------------------------------------------------

_LINE = regex.compile(r"[^\n\r]+")
_BOUNDARY = regex.compile(r"[.!?…]{1,5}[\"”’)\]]{0,3}[ \t]+")
_ABBREV = {"no", "nos", "mr", "mrs", "ms", "dr", "st", "vol", "vols", "vs", "e.g", "i.e",
           "jr", "sr", "inc", "co", "ltd", "ep", "eps", "approx", "ch", "pt", "feat", "ft",
           "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}


_INITIALS = regex.compile(r"(?:\p{L}\.){1,4}\p{L}")


def _cut(line: str, base: int, out: list[tuple[int, int]]) -> None:
    """Append (start, end) of the stripped pieces of ``line``, each at most MAX_SENTENCE."""
    s, e = 0, len(line)
    while s < e and line[s].isspace():
        s += 1
    while e > s and line[e - 1].isspace():
        e -= 1
    while e - s > MAX_SENTENCE:
        cut = line.rfind(" ", s + MAX_SENTENCE // 2, s + MAX_SENTENCE)
        cut = cut if cut > s else s + MAX_SENTENCE
        out.append((base + s, base + cut))
        s = cut
        while s < e and line[s].isspace():
            s += 1
    if e > s:
        out.append((base + s, base + e))


def _open_quote(piece: str) -> bool:
    """Does ``piece`` end inside an open double quote (opened in its last 160 chars)?"""
    straight = piece.count('"') % 2 == 1
    curly = piece.rfind("“") > piece.rfind("”")
    if not (straight or curly):
        return False
    last = max(piece.rfind('"'), piece.rfind("“"))
    return len(piece) - last < 160


def _open_paren(piece: str) -> bool:
    """Does ``piece`` end inside a parenthesis opened in its last 160 characters?"""
    tail = piece[-160:]
    return tail.rfind("(") > tail.rfind(")")


def split_sentences(text: str, as_of_year: int | None = None,
                    ctx: Context | None = None, limit: int | None = None) -> list[Sentence]:
    """The sentences of ``text`` (those starting before ``limit``, if given)."""
    spans: list[tuple[int, int]] = []
    for lm in _all(_LINE, text):
        if limit is not None and (lm.start() >= limit or len(spans) >= MAX_SENTENCES):
            break
        line, base, pos = lm.group(), lm.start(), 0
        for b in _all(_BOUNDARY, line):
            nxt = line[b.end():b.end() + 1]
            if not nxt or not (nxt.isupper() or nxt.isdigit() or nxt in "\"“‘'("):
                continue
            if line[b.start()] == ".":
                ws = line.rfind(" ", max(pos, b.start() - 12), b.start())
                word = line[(ws + 1 if ws >= 0 else pos):b.start()].lower().strip("(\"“")
                if word in _ABBREV or (len(word) == 1 and word.isalpha()) or \
                        _INITIALS.fullmatch(word):
                    continue  # "Mr.", "J.", "J.C. Staff"
            if _open_quote(line[pos:b.start() + 1]) or _open_paren(line[pos:b.start() + 1]):
                continue
            _cut(line[pos:b.end()], base + pos, spans)
            pos = b.end()
        _cut(line[pos:], base + pos, spans)
    if limit is not None:
        spans = spans[:MAX_SENTENCES]
    return [Sentence(text[s:e], s, i, as_of_year, ctx,
                     text[max(spans[i - 1][0], spans[i - 1][1] - 300):spans[i - 1][1]] if i else "")
            for i, (s, e) in enumerate(spans)]


# --- names -----------------------------------------------------------------------------------

_TOKEN = regex.compile(
    r"(?:\p{Lu}\.){2,}(?:[\p{L}]{1,20})?"  # initials: P.A. / J.C.Staff
    r"|No\.[ ]?\d{1,4}"  # Project No. 9
    r"|\p{Lu}[\p{L}\p{M}\p{N}'’&-]{0,30}(?:\.(?=[\p{L}\p{N}])[\p{L}\p{M}\p{N}'’&-]{1,30}){0,3}"
)
_GAP = regex.compile(r"[ \t]{1,3}")
_STOP = {
    "The", "A", "An", "Which", "Who", "Whose", "That", "This", "These", "Those", "And", "But",
    "Or", "However", "In", "On", "At", "It", "Its", "He", "She", "They", "We", "I", "You",
    "As", "With", "For", "If", "While", "Is", "Was", "Are", "Were", "Has", "Have", "Had",
    "Season", "Seasons", "Episode", "Episodes", "Volume", "Volumes", "Chapter", "After",
    "Before", "Since", "Also", "Although", "So", "Then", "To", "From", "By", "Of", "Not",
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday",
    "Friday", "Saturday", "Sunday", "Blu-ray", "DVD", "Twitter", "Unfortunately",
}
_SUFFIX = {"communication", "communications", "pictures", "animation", "studio", "studios",
           "entertainment", "inc", "ltd", "works", "productions", "media", "games",
           "publishing"}
_SUFFIX_RX = regex.compile(r"[a-z]{2,16}\b")


def scan_name(text: str, pos: int, max_tokens: int = 6) -> tuple[int, int] | None:
    """The span of a capitalised name starting at ``pos`` (e.g. "Project No. 9")."""
    end, n, p = -1, 0, pos
    while n < max_tokens:
        m = _TOKEN.match(text, p)
        if m is None and n > 0:
            s = _SUFFIX_RX.match(text, p)
            if s is None or s.group().lower() not in _SUFFIX:
                break
            m = s
        if m is None or m.group() in _STOP:
            break
        end, n = m.end(), n + 1
        if m.group().endswith(("'s", "’s")) and len(m.group()) > 3:
            break  # a possessive ends the name: "Shueisha's Weekly Shōnen Jump"
        g = _GAP.match(text, end)
        if g is None:
            break
        p = g.end()
    if end < 0:
        return None
    for tail in ("'s", "’s", "’", "'"):
        if text.endswith(tail, pos, end) and end - len(tail) > pos:
            end -= len(tail)
            break
    return (pos, end)


_VERB_AFTER = regex.compile(r"[ ](?!(?:and|or|respectively|as|in|for|on|at|from|with|of|"
                            r"outside|in)\b)[a-z]")
_LIST_SEP = regex.compile(r"(?:,[ ]{0,2}(?:and[ ]{1,2}|&[ ]{1,2})?|[ ]{1,2}(?:and|&)[ ]{1,2})")


def scan_names(text: str, pos: int, limit: int = 5) -> list[tuple[int, int]]:
    """Names in a list "A, B and C" starting at ``pos``."""
    out: list[tuple[int, int]] = []
    while len(out) < limit:
        span = scan_name(text, pos)
        if span is None:
            break
        if out and _VERB_AFTER.match(text, span[1]):
            break  # "by A, and B composed the score": B starts a new clause
        out.append(span)
        sep = _LIST_SEP.match(text, span[1])
        if sep is None or (len(out) < 2 and sep.group().startswith(",") and "and" in sep.group()):
            break
        pos = sep.end()
    return out


# --- numbers ---------------------------------------------------------------------------------

WORD_NUMBERS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}
WORD_NUMBERS.update({"thirty": 30, "forty": 40, "fifty": 50, "a dozen": 12, "a couple of": 2})
ORDINALS = {w: i for i, w in enumerate(
    "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth"
    .split())}
_ORD_NUM = regex.compile(r"(\d{1,3})(?:st|nd|rd|th)")
_UNITS = "one|two|three|four|five|six|seven|eight|nine"
_COMPOUND = regex.compile(rf"(twenty|thirty|forty|fifty)[- ]({_UNITS})")
#: a number in words, compound tens first ("twenty-four", then "twenty", then "four")
NUMBER_WORDS_RX = (rf"(?:(?:twenty|thirty|forty|fifty)[- ](?:{_UNITS})|"
                   + "|".join(sorted(WORD_NUMBERS, key=len, reverse=True)) + ")")
_SCALE = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}


def parse_number(raw: str) -> int | float | None:
    """ "400,000" → 400000, "7.4" → 7.4, "five" → 5, "1.5 million" → 1500000, "fifth" → 5."""
    s = raw.strip().lower().replace("\u00a0", " ").rstrip("+").rstrip()
    if s in WORD_NUMBERS:
        return WORD_NUMBERS[s]
    tens = _COMPOUND.fullmatch(s)
    if tens:  # "twenty-four"
        return WORD_NUMBERS[tens.group(1)] + WORD_NUMBERS[tens.group(2)]
    if s in ORDINALS:
        return ORDINALS[s]
    m = _ORD_NUM.fullmatch(s)
    if m:
        return int(m.group(1))
    scale = 1
    parts = s.split()
    if len(parts) == 2 and parts[1] in _SCALE:
        s, scale = parts[0], _SCALE[parts[1]]
        if s in WORD_NUMBERS:
            return WORD_NUMBERS[s] * scale
    s = s.replace(",", "")
    try:
        if "." in s:
            v = float(s) * scale
            return int(v) if scale > 1 and v.is_integer() else v
        return int(s) * scale
    except ValueError:
        return None


# --- dates -----------------------------------------------------------------------------------

_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december"]
_MON = (r"(?:january|february|march|april|may|june|july|august|september|october|november|"
        r"december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?")
_Y = r"(?:19|20)\d{2}"
_DATE = regex.compile(
    rf"(?i)\b(?:(?P<m1>{_MON})[ ]{{1,2}}(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?[ ]{{1,2}}(?P<y1>{_Y})"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?[ ]{{1,2}}(?:of[ ])?(?P<m2>{_MON}),?[ ]{{1,2}}(?P<y2>{_Y})"
    rf"|(?P<y5>{_Y})-(?P<m5>[01]\d)-(?P<d5>[0-3]\d)"
    rf"|(?P<m3>{_MON}),?[ ]{{1,2}}(?:of[ ])?(?P<y3>{_Y})"
    rf"|(?P<s4>spring|summer|fall|autumn|winter)[ ]{{1,2}}(?:of[ ])?(?P<y4>{_Y})"
    rf"|(?P<m7>{_MON})[ ](?:of[ ])?this[ ]year"
    rf"|(?P<rel>this|last|next)[ ]year"
    rf"|(?P<y6>{_Y}))\b")
_SEASON_MONTH = {"winter": 1, "spring": 4, "summer": 7, "fall": 10, "autumn": 10}


def month_number(name: str) -> int:
    """``"Sept."`` → 9: a month's name or its abbreviation."""
    n = name.lower().rstrip(".")
    return next(i for i, m in enumerate(_MONTHS, 1) if m.startswith(n[:3]))


def iso_date(y: int, m: int | None = None, d: int | None = None) -> str | None:
    """``2021, 4`` → ``2021-04``; ``None`` for a day or month that does not exist."""
    try:
        date(y, m or 1, d or 1)
    except ValueError:
        return None
    return f"{y:04d}" + (f"-{m:02d}" if m else "") + (f"-{d:02d}" if d else "")


def find_dates(text: str, as_of_year: int | None = None, *, years: bool = True
               ) -> list[tuple[int, int, str]]:
    """(start, end, ISO value at the stated precision) for each date in ``text``."""
    out = []
    for m in finditer(_DATE, text):
        g = m.groupdict()
        if g["y1"]:
            v = iso_date(int(g["y1"]), month_number(g["m1"]), int(g["d1"]))
        elif g["y2"]:
            v = iso_date(int(g["y2"]), month_number(g["m2"]), int(g["d2"]))
        elif g["y5"]:
            v = iso_date(int(g["y5"]), int(g["m5"]), int(g["d5"]))
        elif g["y3"]:
            v = iso_date(int(g["y3"]), month_number(g["m3"]))
        elif g["y4"]:
            v = iso_date(int(g["y4"]), _SEASON_MONTH[g["s4"].lower()])
        elif g["m7"]:
            v = iso_date(as_of_year, month_number(g["m7"])) if as_of_year else None
        elif g["rel"]:
            shift = {"this": 0, "last": -1, "next": 1}[g["rel"].lower()]
            v = iso_date(as_of_year + shift) if as_of_year else None
        else:
            v = iso_date(int(g["y6"])) if years else None
        if v:
            out.append((m.start(), m.end(), v))
    return out


# --- seasons and sites -----------------------------------------------------------------------

_SEASON = regex.compile(
    r"(?i)\bseason[ ]{1,2}(?P<n>\d{1,2}|one|two|three|four|five|six)\b"
    r"|\b(?P<o>first|second|third|fourth|fifth|sixth|\d{1,2}(?:st|nd|rd|th))[ ]{1,2}"
    r"(?:tv[ ]|anime[ ])?season\b"
    r"|\bS(?P<s>\d{1,2})\b")


def season_near(text: str, pos: int) -> str | None:
    """The season mentioned nearest to ``pos`` in ``text`` ("season 1"), if any."""
    best: tuple[int, int] | None = None
    for m in finditer(_SEASON, text):
        raw = m.group("n") or m.group("o") or m.group("s")
        n = parse_number(raw)
        if not isinstance(n, int):
            continue
        dist = abs(m.start() - pos) + (0 if m.start() <= pos else 40)
        if best is None or dist < best[0]:
            best = (dist, n)
    return f"season {best[1]}" if best else None


SITES = {"myanimelist": "MyAnimeList", "mal": "MyAnimeList", "imdb": "IMDb",
         "anilist": "AniList", "crunchyroll": "Crunchyroll", "anime-planet": "Anime-Planet",
         "kitsu": "Kitsu", "rotten tomatoes": "Rotten Tomatoes", "netflix": "Netflix",
         "funimation": "Funimation", "hidive": "HIDIVE", "oricon": "Oricon",
         "anime news network": "Anime News Network", "amazon": "Amazon",
         "hulu": "Hulu", "disney+": "Disney+", "bilibili": "Bilibili", "niconico": "Niconico"}
SITE_RX = (r"(?:myanimelist|anime-planet|anime[ ]news[ ]network|rotten[ ]tomatoes|mal|imdb|"
           r"anilist|crunchyroll|kitsu|netflix|funimation|hidive|oricon|amazon|hulu|disney\+|"
           r"bilibili|niconico)")


_REL_CLAUSE = regex.compile(r",[ ](?:which|who|whose|that)\b[^,]{0,200},")
_CLAUSE_END = regex.compile(r"[;:—–]|,[ ]and[ ]|,?[ ](?:but|however|while|although|though)[ ,]")


def season_in_clause(text: str, pos: int) -> str | None:
    """The season named in the clause around ``pos`` ("season 2"): the nearest mention
    before ``pos``, else after it; mentions inside a relative clause (", which … ,") that
    does not hold ``pos`` are skipped, as are other clauses."""
    a, b = 0, len(text)
    for m in finditer(_CLAUSE_END, text):
        if m.end() <= pos:
            a = m.end()
        elif m.start() >= pos:
            b = m.start()
            break
    skip = [(m.start(), m.end()) for m in finditer(_REL_CLAUSE, text[a:b])
            if not m.start() <= pos - a < m.end()]
    best: tuple[int, int] | None = None
    for m in finditer(_SEASON, text[a:b]):
        if any(x <= m.start() < y for x, y in skip):
            continue
        raw = m.group("n") or m.group("o") or m.group("s")
        n = parse_number(raw)
        if not isinstance(n, int):
            continue
        at = a + m.start()
        dist = pos - at if at <= pos else at - pos + 1000
        if best is None or dist < best[0]:
            best = (dist, n)
    return f"season {best[1]}" if best else None


def site_name(raw: str) -> str:
    key = regex.sub(r"(?:['’]s|s['’]|['’])$", "", raw.strip()).lower()
    return SITES.get(key, raw.strip())


_BEFORE = regex.compile(
    r"(?:(?:\p{Lu}\.){2,}|\p{Lu}[\p{L}\p{M}\p{N}'’&.-]{0,30})"
    r"(?:[ ](?:(?:\p{Lu}\.){2,}|\p{Lu}[\p{L}\p{M}\p{N}'’&.-]{0,30}|No\.[ ]?\d{1,4})){0,4}$")


def name_before(text: str, pos: int) -> tuple[int, int] | None:
    """The span of a capitalised name that ends right at ``pos`` (after trimming spaces)."""
    end = pos
    while end > 0 and text[end - 1] == " ":
        end -= 1
    lo = max(0, end - 120)
    m = search(_BEFORE, text, lo, end)
    if m is None:
        return None
    words = m.group().split(" ")
    start = m.start()
    while words and words[0] in _STOP:  # "The Yoshida" → "Yoshida"
        start += len(words[0]) + 1
        words.pop(0)
    if not words or start >= end:
        return None
    return (start, end)
