"""Search keys: one spelling for the many ways a title is typed.

``normalize`` folds case, accents, punctuation and the romanisations of Japanese long
vowels (ō, ou, oh, oo → o; ū, uu → u; ā, aa → a; ī, ii → i; ē, ee → e) so that
"Kaguya-sama: Love is War", "kaguya sama love is war" and "KAGUYA-SAMA LOVE IS WAR!!" all
meet, and "Shōjo", "Shoujo", "Shohjo" and "Shojo" are one word.

The rules, in order:

1. HTML entities are decoded (the 2025 snapshot has ``Kobayashi&#039;s``) and the text is
   NFKC-normalised (full-width ``ＡＢＣ`` → ``ABC``, half-width ｶﾅ → カナ).
2. Latin letters lose their accents (é → e, ō → o; ø → o, æ → ae, ß → ss); kana and kanji are
   kept whole (ゼ keeps its dakuten), as are other scripts.
3. Case is folded; ``&`` becomes ``and``, ``×`` between words becomes ``x``
   (Hunter × Hunter); apostrophes vanish (``JoJo's`` → ``jojos``); the dots of an acronym
   vanish (``S.A.O.`` → ``sao``); every other run of punctuation is one space.
4. Long vowels collapse: a run starting with ``o`` and continuing with ``o``, ``u`` or an
   ``h`` not followed by a vowel is one ``o``; runs of ``u``, ``a``, ``i``, ``e`` are one
   letter.

The result is idempotent: ``normalize(normalize(x)) == normalize(x)`` (property-tested).
It is the ``norm`` column of the ``title`` table; change it and the catalogue must be
rebuilt (``SearchIndex.from_db`` recomputes keys, so search itself stays consistent).
"""

from __future__ import annotations

import html
import re
import unicodedata

__all__ = ["normalize", "compact"]

_LONG_VOWELS = [
    (re.compile(r"o(?:o|u|h(?![aeiou]))+"), "o"),
    (re.compile(r"u{2,}"), "u"),
    (re.compile(r"a{2,}"), "a"),
    (re.compile(r"i{2,}"), "i"),
    (re.compile(r"e{2,}"), "e"),
]
#: Latin letters that NFKD does not decompose into an ASCII base letter.
_FOLD = str.maketrans(
    dict(
        zip(
            "øØæÆœŒðÐđĐłŁþÞı",
            ["o", "o", "ae", "ae", "oe", "oe", "d", "d", "d", "d", "l", "l", "th", "th", "i"],
            strict=True,
        )
    )
)
_APOSTROPHES = re.compile(r"['’‘`´]")
_TIMES = re.compile(r"(?<=[a-z0-9])\s*×\s*(?=[a-z0-9])")
_ACRONYM = re.compile(r"(?<![\w.])[^\W\d_](?:\.[^\W\d_])+\.?(?!\w)")
_NON_WORD = re.compile(r"[\W_]+")
_SPACES = re.compile(r"\s+")


def _strip_accent(c: str) -> str:
    """ō -> o, é -> e; kana and kanji are left whole (ゼ keeps its dakuten)."""
    if c.isascii():
        return c
    base = unicodedata.normalize("NFKD", c)[0]
    return base if base.isascii() else c


def _fold(text: str) -> str:
    t = unicodedata.normalize("NFKC", html.unescape(text)).translate(_FOLD)
    t = "".join(_strip_accent(c) for c in t)
    t = t.casefold()
    t = _TIMES.sub(" x ", t).replace("&", " and ")
    t = _APOSTROPHES.sub("", t)
    t = _ACRONYM.sub(lambda m: m.group(0).replace(".", ""), t)
    t = _NON_WORD.sub(" ", t)
    return _SPACES.sub(" ", _collapse_vowels(t)).strip()


def _collapse_vowels(t: str) -> str:
    for pattern, repl in _LONG_VOWELS:
        t = pattern.sub(repl, t)
    return t


def normalize(text: str) -> str:
    """Return the search key of ``text`` (lower case ASCII where possible, single spaces).

    >>> normalize("Hige wo Soru. Soshite Joshikousei wo Hirou.")
    'hige wo soru soshite joshikosei wo hiro'
    >>> normalize("Shōjo") == normalize("SHOUJO") == normalize("shohjo") == "shojo"
    True
    """
    return _fold(text)


def compact(key: str) -> str:
    """The key of ``normalize`` without its spaces, long vowels collapsed again.

    Word breaks are where spellings disagree most ("Re:Zero" / "ReZero", "Sekai'ichi" /
    "Sekai Ichi"), so exact and prefix matching compare compact keys.

    >>> compact(normalize("Sekai Ichi")) == compact(normalize("Sekai'ichi")) == "sekaichi"
    True
    """
    return _collapse_vowels(key.replace(" ", ""))
