"""Title analysis: split an anime title into its base and its season / part marker.

Pure functions, no database. ``parse_title("Shingeki no Kyojin Season 3 Part 2")`` gives the
base ``"Shingeki no Kyojin"`` with ``season=3, part=2``; ``"Owari no Seraph: Nagoya
Kessen-hen"`` gives the base ``"Owari no Seraph"`` and the subtitle ``"Nagoya Kessen-hen"``.
A colon only separates a subtitle when a space follows it, so "Re:Zero" and "Steins;Gate"
stay whole. The linker groups entries by ``base_norm`` and orders them by start date.

What counts as a marker (trailing, case-insensitive, repeated: "Season 3 Part 2"):

- season: "2nd Season", "Season 2", "Second Season", "S2", "2nd Stage", "2nd Series",
  "Act II", roman numerals "II".."XV", a bare number 2..30 ("Yami Shibai 5"),
  "Ni"/"San"/"Shi"/"Roku" after a longer title ("Natsume Yuujinchou Shi"), "R2";
- part: "Part 2", "2nd Part", "Cour 2", "2nd Cour", "Zenpen"/"Kouhen";
- continuation without a number: "Final Season", "The Final", "Saishuushou" (final chapter),
  "Kanketsu-hen", "Zoku ..." (prefix or trailing token), "Zoku-hen", "Kan" (trailing token);
- "Zoku-hen" (trailing or in brackets: "Diamond no Ace: Act II (Zoku-hen)") also sets
  ``same_number``: the entry continues the entry with the same season number;
- a remake's year in brackets, "(2011)", sets ``marker="remake"`` (not a sequel marker); a year
  in brackets before a marker ("Ranma ½ (2024) 2nd Season") is kept as ``edition``, and the
  sequel then belongs to that edition only.

:func:`is_side_title` spots titles of recaps, specials, mini / chibi series, PVs and other
side works ("Recap", "Specials", "Mini Anime", "Chibi", "PV", "Fanwai", ...), which the
linker never takes for a season of the main series.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ..search.normalize import normalize

__all__ = ["TitleParts", "parse_title", "roman_to_int", "is_side_title", "SEQUEL_MARKERS"]

#: Markers that say "this entry continues an earlier one".
SEQUEL_MARKERS = frozenset({"season", "part", "number", "final", "zoku", "kanketsu"})

_ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
}
_JA_NUMBERS = {"ni": 2, "san": 3, "shi": 4, "yon": 4, "roku": 6}
_ROMAN = {"I": 1, "V": 5, "X": 10}

_NUM = r"(\d{1,2}|[IVX]{1,4}|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth" \
    r"|two|three|four|five|six)"
_ORD = r"(\d{1,2})(?:st|nd|rd|th)"
_SEP = r"(?:\s*[:\-–~]\s*|\s+|(?<=[!?.♪'])\s*)"

# (kind, compiled pattern). Each pattern matches a marker at the end of the title; group 1,
# when present, is the number.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("part", re.compile(_SEP + r"(?:part|pt\.?|cour)\s*" + _NUM + r"\)?$", re.I)),
    ("part", re.compile(_SEP + _ORD + r"\s+(?:part|cour|half)$", re.I)),
    ("part", re.compile(_SEP + r"(first|second|third|fourth)\s+(?:part|cour|half)$", re.I)),
    ("part", re.compile(_SEP + r"(zenpen|kouhen|kouhan|zenhan)$", re.I)),
    ("final", re.compile(_SEP + r"(?:the\s+)?final(?:\s+(?:season|stage|chapter|series))?$",
                         re.I)),
    ("final", re.compile(_SEP + r"saish[uū]+[\s-]?(?:sh[oō]u?|ki|hen)$", re.I)),
    ("zoku", re.compile(_SEP + r"(zoku)[\s-]?hen$", re.I)),
    ("kanketsu", re.compile(_SEP + r"kanketsu[\s-]?hen$", re.I)),
    ("season", re.compile(_SEP + _ORD + r"\s+(?:season|stage|series|semester)$", re.I)),
    ("season", re.compile(_SEP + r"(?:the\s+)?" + _NUM + r"\s+(?:season|stage|series)$", re.I)),
    ("season", re.compile(_SEP + r"(?:season|series|stage|act|s)\s*" + _NUM + r"$", re.I)),
    ("season", re.compile(r"\s+(?:dai\s*)?" + _NUM + r"[\s-]?ki$", re.I)),
    ("season", re.compile(r"\s*\bR(\d)$")),
    ("zoku", re.compile(r"\s+(zoku|kan)$", re.I)),
    ("season", re.compile(r"\s+(ni|san|shi|yon|roku)$", re.I)),
    ("season", re.compile(r"(?:\s+|(?<=[!?.♪']))([IVX]{2,4}|V|X)$")),
    ("number", re.compile(r"(?:\s+|(?<=[!?.♪'])\s*)([1-9]\d?)$")),
]
_PREFIX = re.compile(r"^(zoku)[\s.:-]+(?=\S)", re.I)
_BRACKET = re.compile(r"\s*[(\[]([^()\[\]]*)[)\]]$")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_ZOKU_HEN = re.compile(r"^zoku[\s-]?hen$", re.I)
# Side works: a word at the end of the base or subtitle ("... Specials", "... Mini Anime",
# "... Recap") or anywhere but the start of the title ("Sword Art Online: Chibi ...",
# "Douluo Dalu Juchang Ban: ..."); a title that starts with one ("Chibi Maruko-chan",
# "Special A") is a main title.
_SIDE_END = re.compile(
    r"\b(?:recaps?|specials?|mini(?:\s+anime)?|pv|cm|omake|digest|picture\s+drama"
    r"|s[oō]u?sh[uū]+[\s-]?hen|fan\s?wai(?:\s?pian)?)\W*$",
    re.I,
)
_SIDE_ANY = re.compile(
    r"\b(?:recaps?|chibi|petit|puchi|mini\s+anime|short\s+anim(?:e|ation)|pv|movie"
    r"|gekij[oō]u?ban|fan\s?wai|wai\s?zhuan|tebie\s?ban|juchang\s?ban|xiao\s?juchang)\b",
    re.I,
)
_SUBTITLE = re.compile(r":\s+|\s+[-–~]\s+|\s*[~～]\s*|\?\s+(?=\w)")


@dataclass(frozen=True)
class TitleParts:
    """A title split into base, season / part numbers, subtitle and marker kind."""

    base: str
    base_norm: str
    season: int | None = None
    part: int | None = None
    subtitle: str | None = None
    marker: str | None = None
    #: "Zoku-hen": continues the entry with the same season number.
    same_number: bool = False
    #: A year in brackets before the marker: "Ranma ½ (2024) 2nd Season" -> "2024".
    edition: str | None = None

    @property
    def is_continuation(self) -> bool:
        """True when the title itself says it continues an earlier entry."""
        if self.marker not in SEQUEL_MARKERS:
            return False
        if self.marker in ("season", "number") and self.season is not None:
            return self.season >= 2 or (self.part or 0) >= 2
        if self.marker == "part":
            return (self.part or 0) >= 2 or (self.season or 0) >= 2
        return True


def roman_to_int(token: str) -> int | None:
    """``"IV"`` -> 4; ``None`` for anything that is not a roman numeral up to 39."""
    t = token.upper()
    if not t or any(c not in _ROMAN for c in t) or len(t) > 6:
        return None
    total = 0
    for i, c in enumerate(t):
        v = _ROMAN[c]
        total += -v if i + 1 < len(t) and _ROMAN[t[i + 1]] > v else v
    return total if 0 < total < 40 else None


def is_side_title(title: str) -> bool:
    """Does ``title`` name a recap, special, mini / chibi series, PV or another side work?"""
    p = parse_title(title)
    for part, first in ((p.base, 1), (p.subtitle, 0)):
        if part and (_SIDE_END.search(part) or _SIDE_ANY.search(part, first)):
            return True
    return False


def _number(token: str) -> int | None:
    low = token.lower()
    if low.isdigit():
        return int(low)
    if low in _ORDINAL_WORDS:
        return _ORDINAL_WORDS[low]
    if low in _JA_NUMBERS:
        return _JA_NUMBERS[low]
    if low in ("zenpen", "zenhan"):
        return 1
    if low in ("kouhen", "kouhan"):
        return 2
    return roman_to_int(token)


def _clean(title: str) -> str:
    t = unicodedata.normalize("NFKC", html.unescape(title))
    return re.sub(r"\s+", " ", t).strip()


_RANK = {"season": 5, "number": 4, "final": 3, "kanketsu": 2, "zoku": 1, "part": 0}


class _Found:
    """Markers found so far while stripping a title from its end."""

    def __init__(self) -> None:
        self.season: int | None = None
        self.part: int | None = None
        self.kinds: list[str] = []

    def accepts(self, kind: str) -> bool:
        if kind == "part":
            return not self.kinds
        return not set(self.kinds) - {"part"}

    @property
    def marker(self) -> str | None:
        return max(self.kinds, key=_RANK.__getitem__) if self.kinds else None


def _strip_markers(text: str, found: _Found) -> str:
    """Strip trailing markers from ``text`` into ``found``: one part, one season-like."""
    for _ in range(3):
        for kind, pattern in _PATTERNS:
            if not found.accepts(kind):
                continue
            m = pattern.search(text)
            if not m or m.start() == 0:
                continue
            head = text[: m.start()].rstrip(" :-–~,")
            if len(normalize(head)) < 2:
                continue
            token = m.group(1) if m.groups() and m.group(1) else ""
            value = _number(token) if token else None
            if kind in ("season", "number"):
                if value is None or re.search(r"\bno\.?$", head, re.I):
                    continue
                if token.lower() in _JA_NUMBERS and len(head) < 8:
                    continue
                found.season = value
            elif kind == "part":
                found.part = value
            found.kinds.append(kind)
            text = head
            break
        else:
            break
    return text


@lru_cache(maxsize=200_000)
def parse_title(title: str) -> TitleParts:
    """Split ``title`` into base title, season / part numbers, subtitle and marker kind."""
    text = _clean(title)
    remake = same_number = False
    edition: str | None = None
    found = _Found()
    m = _BRACKET.search(text)
    if m and m.start() > 0:
        inner = m.group(1).strip()
        remake = bool(_YEAR.match(inner))
        same_number = bool(_ZOKU_HEN.match(inner))
        text = text[: m.start()].strip()
    zoku = _PREFIX.match(text)
    if zoku:
        text = text[zoku.end():]
    before = len(found.kinds)
    text = _strip_markers(text, found)
    if len(found.kinds) > before:
        # "Ranma ½ (2024) 2nd Season", "Boukyaku Battery (TV) 2nd Season": a bracket before
        # the marker qualifies the base; a year names the edition the sequel continues.
        m = _BRACKET.search(text)
        if m and m.start() > 0:
            inner = m.group(1).strip()
            edition = inner if _YEAR.match(inner) else None
            text = text[: m.start()].strip()
    if "zoku" in found.kinds[before:] and re.search(r"hen$", title.strip(" )]"), re.I):
        same_number = True
    elif same_number:
        found.kinds.append("zoku")
    subtitle: str | None = None
    sm = _SUBTITLE.search(text)
    if sm and sm.start() > 0 and len(normalize(text[: sm.start()])) >= 2:
        subtitle = _strip_markers(text[sm.end():].strip(), found).strip(" :-–~,") or None
        text = _strip_markers(text[: sm.start()].strip(), found)
    if zoku:
        found.kinds.append("zoku")
    marker = found.marker or ("remake" if remake else None)
    base = text.strip(" :-–~,")
    return TitleParts(base, normalize(base), found.season, found.part, subtitle, marker,
                      same_number, edition)
