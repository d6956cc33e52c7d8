"""How far a sentence asserts what a word in it says: negation, modality, questions, reports.

A renewal word ("announced", "renewed", "greenlit", "in the works") states a fact only when
nothing in its scope takes the fact back. :func:`assertion` looks at the clause around the
word — the sentence cut at ``;``, ``:``, a dash, and at conjunctions that start a new clause
("but", "however", "while", "although", "though", "whereas") — and says what the clause does
with it:

``question``
    the sentence is a question ("Will there be a season 2?", "Has it been renewed?").
``conditional``
    the word sits under "if", "whether", "unless", "once", "until", "before", "in case"
    ("only a matter of time before a third season is announced").
``negated``
    a negator governs it: "not", "n't", "no", "never", "nothing", "neither/nor",
    "yet to", "without", "un-" prefixed forms ("unconfirmed"), "instead of".
``hedged``
    a modal verb or an attitude holds it: "could", "would", "might", "may", "should",
    "hope", "wish", "want", "expect", "likely", "possibly", "probably", "perhaps", "maybe",
    "chances", "odds", "speculate", "predict", "seems".
``reported``
    someone other than an official source says it: "rumours", "leaks", "a leaker",
    "reportedly", "supposedly", "allegedly", "an insider", "a user", "claims",
    "according to …", "@handle", "tipped".
``None``
    the clause asserts it.

These are rules about English grammar and the domain's vocabulary, not about any article.
Every pattern is bounded and the text examined is one capped sentence.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache

import regex

__all__ = ["assertion", "clause_bounds", "is_question"]

_CLAUSE_BREAK = regex.compile(
    r"[;:—–]|[ ]-[ ]|,?[ ](?:but|however|while|although|though|whereas)[ ,]|,[ ]and[ ]"
    r"|\.[ ]")
_QUESTION_START = regex.compile(
    r"(?i)^[\"“‘'(]?(?:will|would|is|are|was|were|has|have|had|does|do|did|can|could|should|"
    r"when|what|why|how|where|which|who)\b")
_COND = regex.compile(r"(?i)\b(?:if|whether|unless|once|until|till|before|in[ ]case|provided|"
                      r"assuming)\b")
_NEG = regex.compile(
    r"(?i)\b(?:not|no(?=[ ](?-i:\p{Ll})|[ ]\d|[ ]?$)|never|nothing|neither|nor|none|without|"
    r"yet[ ]to|instead[ ]of|"
    r"rather[ ]than|nowhere|lack|lacks|lacking|absence|absent)\b|n['’]t\b"
    r"|\bun(?:announced|confirmed|renewed|official)\b|\bnon-?existent\b"
    r"|(?-i:(?<=\p{Ll})No(?:t)?\b)")  # "Release DateNot Announced": a table cell run on
_HEDGE = regex.compile(
    r"(?i)\b(?:could|would|might|may|should|must[ ]be|hope|hopes|hoped|hoping|hopeful|wish|"
    r"wishes|wishing|want|wants|wanted|expect|expects|expected|expecting|likely|unlikely|"
    r"possibly|possible|probably|probable|perhaps|maybe|chance|chances|odds|speculate|"
    r"speculated|speculation|predict|predicted|prediction|seems?|appears?|guess|assume|"
    r"imagine|believe|believes|think|thinks|hopefully|potential|potentially|plans?[ ]to|"
    r"wait(?:ing)?[ ]for|fans?[ ](?:are[ ])?(?:demand|ask|call))\b")
_REPORT = regex.compile(
    r"(?i)\b(?:rumou?rs?|rumou?red|leaks?|leaked|leaker|leakers|reportedly|supposedly|"
    r"allegedly|alleged|insiders?|tipster|tipped|claims?|claimed|claiming|hearsay|"
    r"unverified|unconfirmed[ ]reports?|reports[ ]suggest|(?:twitter|x|reddit)[ ]user|"
    r"user|according[ ]to)\b|@\w")


_COMPLEMENT = regex.compile(r"(?i)\b(?:that|which|who)\b")
_SAYING = regex.compile(r"(?i)\b(?:announc\w*|confirm\w*|reveal\w*|said|say|says|stated|state|"
                        r"reported|report|indicated|renew\w*|official\w*|word|news)\b")
_ATTRIBUTION = regex.compile(r"(?i)(?:^|[ (])@\w|pic\.twitter\.com|twitter\.com/|\bx\.com/")


_OFFICIAL = regex.compile(r"(?i)[ ](?:the[ ]|its[ ]|an[ ]|a[ ])?(?:official|studio|publisher|staff|"
                          r"producers?|production[ ]committee|website|anime['’]s|show['’]s|"
                          r"series['’]|statement|press[ ]release|announcement)")


def _reported_after(text: str, end: int, b: int) -> bool:
    for m in _REPORT.finditer(text, end, b):
        if not (m.group().lower() == "according to" and _OFFICIAL.match(text, m.end())):
            return True
    return False


def is_question(sentence: str) -> bool:
    return _facts(sentence)[1]


@lru_cache(maxsize=256)
def _facts(text: str) -> tuple[tuple[tuple[int, int], ...], bool, bool, int]:
    """Per sentence, computed once: its clause breaks, whether it is a question, whether it
    is attributed to a handle or a post, and where its first report word ends (-1: none)."""
    breaks = tuple((m.start(), m.end()) for m in _CLAUSE_BREAK.finditer(text))
    s = text.rstrip(" \"”’')")
    question = s.endswith("?") or (_QUESTION_START.match(text) is not None and "?" in s[-3:])
    report = -1
    for m in _REPORT.finditer(text):
        if m.group().lower() == "according to" and _OFFICIAL.match(text, m.end()):
            continue  # "according to the official website": an official word, not a report
        report = m.end()
        break
    return (breaks, question, _ATTRIBUTION.search(text) is not None, report)


def clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """(a, b): the clause of ``text`` that holds ``start:end``."""
    breaks = _facts(text)[0]
    a, b = 0, len(text)
    i = bisect_right(breaks, (start, start))
    for j in range(i - 1, -1, -1):  # the last break ending at or before start
        if breaks[j][1] <= start:
            a = breaks[j][1]
            break
    for x, _ in breaks[max(0, i - 1):]:
        if x >= end:
            b = x
            break
    return a, b


def assertion(text: str, start: int, end: int, *, negators_after: bool = False) -> str | None:
    """What the sentence ``text`` does with the words at ``start:end`` (see the module)."""
    _, question, attributed, report_end = _facts(text)
    if question:
        return "question"
    a, b = clause_bounds(text, start, end)
    before = text[a:start]
    if _COND.search(before):
        return "conditional"
    negators = list(_NEG.finditer(before))
    if negators:
        neg = negators[-1]  # the last negator before the word
        that = _COMPLEMENT.search(before, neg.end())
        if that is None or _SAYING.search(before, neg.end(), that.start()):
            return "negated"  # "has not confirmed (that) season 2 …"
        return "hedged"  # "it is not surprising that …": the negation is not the word's
    if _NEG.search(text[start:end]) or (negators_after and _NEG.search(text[end:b])):
        return "negated"
    if attributed or 0 <= report_end <= start or _reported_after(text, end, b):
        return "reported"  # "… has been greenlit, according to a leaker"
    if _HEDGE.search(before) or _HEDGE.search(text[start:end]):
        return "hedged"
    return None
