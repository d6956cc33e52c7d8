"""Search keys: one spelling for the many ways a title is typed.

``normalize`` folds case, accents, punctuation and the romanisations of Japanese long
vowels (ō, ou, oh, oo → o; ū, uu → u; ā, aa → a; ī, ii → i) so that
"Kaguya-sama: Love is War", "kaguya sama love is war" and "KAGUYA-SAMA LOVE IS WAR!!" all
meet, and "Shōjo", "Shoujo", "Shohjo" and "Shojo" are one word.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalize"]

_LONG_VOWELS = [
    (re.compile(r"ou|oh(?![aeiou])|oo"), "o"),
    (re.compile(r"uu"), "u"),
    (re.compile(r"aa"), "a"),
    (re.compile(r"ii"), "i"),
]
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
_SPACES = re.compile(r"\s+")


def _strip_accent(c: str) -> str:
    """ō -> o, é -> e; kana and kanji are left whole (ゼ keeps its dakuten)."""
    if c.isascii():
        return c
    base = unicodedata.normalize("NFKD", c)[0]
    return base if base.isascii() else c


def normalize(text: str) -> str:
    """Return the search key of ``text`` (lower case ASCII where possible, single spaces)."""
    t = unicodedata.normalize("NFKC", text)
    # Decompose accents (ō -> o + macron) and drop the combining marks.
    t = "".join(_strip_accent(c) for c in t)
    t = t.casefold().replace("_", " ").replace("&", " and ")
    t = _NON_WORD.sub(" ", t)
    for pattern, repl in _LONG_VOWELS:
        t = pattern.sub(repl, t)
    return _SPACES.sub(" ", t).strip()
