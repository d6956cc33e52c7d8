"""Rule-based claim extraction: plain article text in, typed and quoted claims out.

>>> [(c.field, c.value) for c in extract_claims("The anime aired from April 5, 2021, to "
...                                              "June 28, 2021, with 13 episodes.")]
[('premiere_date', '2021-04-05'), ('finale_date', '2021-06-28'), ('episode_count', 13)]

How it works — a pipeline, each stage general, none keyed to a show, a site or an article:

1. **Metadata** (:mod:`.header`, via the reader): a plain-text article's ``Key: value``
   header block is its address, title and date, not its text.
2. **Sentences** (:func:`.extract_text.split_sentences`): lines, then sentence ends that are
   not abbreviations, initials ("J.C. Staff"), or inside quotes or parentheses; table rows
   and headings are their own sentences; every sentence is capped in length.
3. **Typed mentions**: dates at their precision, resolved against the article's own date
   for "last year", "tomorrow", "this fall" or a day without a year (:mod:`.mentions`);
   numbers in digits or words; names — studios from the catalogue, networks, streaming
   services, publishers and magazines from a listed vocabulary (:mod:`.gazetteer`), and
   capitalised runs of words.
4. **Scope** (:mod:`.scope`): what the clause around a word does with it — negates it,
   makes it conditional, hedges it, reports it as someone else's, or asks about it.
5. **Claims** from the mentions and the words that tie them: renewal status and outlooks
   (:mod:`.extract_status`), air and publication events (:mod:`.extract_dates`), credits —
   who made, directed, wrote, composed, voiced (:mod:`.extract_roles`), counts, casts,
   licensors and table rows (:mod:`.extract_show`), the source work (:mod:`.extract_source`)
   and sales, ratings, ranks (:mod:`.extract_reception`).

A renewal status comes from a sentence only as far as its scope allows: a negated clause
gives ``not_announced``, a conditional, hedge or question gives nothing, a report gives
``rumoured``; another show's "Name Season N" is not this show's; and a headline whose
renewal the body denies loses to the body (its date stays, marked "headline only").

Libraries, and why: the ``regex`` module for every rule — Unicode classes (``\\p{Lu}`` for
names in any script), variable-length lookbehind, and a per-call timeout as a second guard
behind bounded patterns; :mod:`datetime` for date arithmetic. ``dateparser`` is not used
for finding dates: its free-text search guesses dates in ordinary words ("may", "second")
and is about a hundred times slower than these bounded patterns. A spaCy blank pipeline was
weighed for sentences and its rule ``Matcher`` for patterns: its sentencizer splits on the
same punctuation without the headings, table rows, initials and parentheses handled here,
and token patterns would restate these rules with a tokenizer pass on top, with no model
to add (models cannot be downloaded at run time). Number words are a small table
(:func:`.mentions.number_value`) rather than a dependency.

Each claim quotes the sentence that states it (or, for a very long sentence, the words
around the match), so ``claim.quote == text[claim.start:claim.end]`` always holds. One
article states a fact once: repeated mentions of the same (field, value, qualifier) collapse
into the most confident, earliest one, and a date beside a more precise one of the same
event is dropped. Outlooks ("a second season seems unlikely") are kept as
``predicted_window`` and are never turned into a ``renewal_status``.

The extractor is pure (no database, no clock) and linear: sentences are capped in length,
every pattern is bounded, a pattern yields at most 16 matches in a sentence, and claims come
from the first :data:`MAX_TEXT` characters (at most 2,000 sentences), so hostile input
(megabyte lines, long runs of dates, numbers or capitals) cannot make it slow.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

import regex

from .extract_dates import date_rules
from .extract_reception import reception_rules
from .extract_roles import role_rules
from .extract_show import show_rules
from .extract_source import source_rules
from .extract_status import _words, status_rules
from .extract_text import DEFAULT_GAZETTEER, Context, Hit, Sentence, split_sentences
from .gazetteer import Gazetteer
from .model import Claim
from .reader import ArticleText, read_bytes

__all__ = ["extract_claims", "extract_article", "with_hints", "Hints", "RULES", "MAX_QUOTE",
           "MAX_TEXT"]

#: the rule families, each ``Sentence -> Iterator[Hit]``
RULES: tuple[Callable[[Sentence], Iterator[Hit]], ...] = (
    status_rules, show_rules, source_rules, reception_rules, role_rules, date_rules)
#: a quote longer than this is cut to the words around the match
MAX_QUOTE = 300
#: claims come from the first MAX_TEXT characters (about a hundred ordinary articles) and
#: at most ``extract_text.MAX_SENTENCES`` sentences
MAX_TEXT = 200_000
_PAD = 100


def _quote_span(s: Sentence, start: int, end: int) -> tuple[int, int]:
    """Absolute (start, end) of the quote for a hit spanning ``start:end`` of ``s``."""
    if len(s.text) <= MAX_QUOTE:
        return s.start, s.start + len(s.text)
    a, b = max(0, start - _PAD), min(len(s.text), end + _PAD)
    if a > 0:
        sp = s.text.find(" ", a, start)
        a = sp + 1 if sp >= 0 else a
    if b < len(s.text):
        sp = s.text.rfind(" ", end, b)
        b = sp if sp >= 0 else b
    while a < b and s.text[a].isspace():
        a += 1
    while b > a and s.text[b - 1].isspace():
        b -= 1
    return s.start + a, s.start + b


def _norm(value: Any) -> Any:
    return " ".join(value.casefold().split()) if isinstance(value, str) else value


_NAME_FIELDS = frozenset({"studio", "director", "writer", "composer", "character_designer",
                          "source_author", "source_illustrator", "source_publisher", "network",
                          "licensor"})
_DATE_FIELDS = frozenset({"premiere_date", "finale_date", "source_start", "source_end"})


def _part_of_another(x: tuple[Hit, int, int], names: list[tuple[Hit, int]]) -> bool:
    """ "Bind" beside "Studio Bind" from the same words: keep the whole name."""
    h0, a0 = x[0], x[1]
    if h0.field not in _NAME_FIELDS or not isinstance(h0.value, str):
        return False
    part = regex.compile(rf"(?<!\w){regex.escape(h0.value)}(?!\w)")
    return any(h.field == h0.field and a == a0 and h.value != h0.value and
               part.search(str(h.value)) is not None for h, a in names)


def _postprocess(hits: list[tuple[Hit, int, int]]) -> list[tuple[Hit, int, int]]:
    types = {h.value for h, _, _ in hits if h.field == "source_type"}
    if types & {"light novel", "web novel", "visual novel"}:
        hits = [x for x in hits if not (x[0].field == "source_type" and x[0].value == "novel")]
    volumes = {h.value for h, _, _ in hits if h.field == "source_volume_count"}
    if len(volumes) == 1:  # "adapted all the novels" + "five volumes" → adapted through 5
        n = next(iter(volumes))
        hits = [(h._replace(value=n) if h.field == "adapted_through" and h.value == "all"
                 else h, a, b) for h, a, b in hits]
    dates = {(h.field, h.qualifier, h.value) for h, _, _ in hits if h.field in _DATE_FIELDS}
    hits = [x for x in hits if not (x[0].field in _DATE_FIELDS and any(
        f == x[0].field and q == x[0].qualifier and isinstance(v, str) and
        isinstance(x[0].value, str) and len(v) > len(x[0].value) and v.startswith(x[0].value)
        for f, q, v in dates))]  # "2021-06" beside "2021-06-05" from the same words: keep one
    names = [(h, a) for h, a, _ in hits if h.field in _NAME_FIELDS and isinstance(h.value, str)]
    hits = [x for x in hits if not _part_of_another(x, names)]
    qualified = {(h.field, _norm(h.value)) for h, _, _ in hits if h.qualifier}
    hits = [x for x in hits if x[0].qualifier or (x[0].field, _norm(x[0].value)) not in qualified]
    best: dict[tuple[str, Any, str | None], tuple[Hit, int, int]] = {}
    for x in hits:
        h = x[0]
        key = (h.field, _norm(h.value), h.qualifier)
        old = best.get(key)
        if old is None or h.confidence > old[0].confidence:
            best[key] = x
    return sorted(best.values(), key=lambda x: (x[1], x[0].start, x[0].end, x[0].field))


def _title_words(title: str | None) -> set[str]:
    return _words(title) if title else set()


def _body_wins(hits: list[tuple[Hit, int, int]], headline: set[int]
               ) -> list[tuple[Hit, int, int]]:
    """A headline's renewal status that the body contradicts is dropped: the body wins.

    "Season 4: Confirmed For July 2024" over "Season 4 has not been renewed" keeps the
    body's ``not_announced``; the headline's date stays a claim, its qualifier noting that
    the body disagrees, so the conflict within the article is visible.
    """
    if not headline:
        return hits
    body = {h.value for i, (h, _, _) in enumerate(hits)
            if i not in headline and h.field == "renewal_status"}
    if "not_announced" not in body:
        return hits
    out = []
    for i, (h, a, b) in enumerate(hits):
        if i in headline and h.field == "renewal_status" and h.value == "announced":
            continue
        if i in headline and h.field in ("premiere_date", "finale_date"):
            h = h._replace(qualifier=f"{h.qualifier or 'next season'}; headline only, the "
                           "body says it is not announced")
        out.append((h, a, b))
    return out


def extract_claims(text: str, *, subject: str | None = None, subject_mal_id: int | None = None,
                   article: str | None = None, as_of: str | None = None,
                   title: str | None = None, gazetteer: Gazetteer | None = None
                   ) -> list[Claim]:
    """The claims ``text`` states, sorted by position, each with its exact quote.

    ``subject``, ``subject_mal_id``, ``article`` and ``as_of`` are copied onto every claim;
    ``as_of`` (an ISO date, at any precision) also resolves relative dates in the text ("last
    year", "tomorrow", "January 16"). ``title`` (the headline) and ``subject`` say which show
    the article is about, so another show's "Season N" is not taken for this one's, and a
    headline the body contradicts is known as such. ``gazetteer`` holds the catalogue's names
    (the built-in vocabulary alone when ``None``).
    """
    as_of_year = int(as_of[:4]) if as_of and as_of[:4].isdigit() else None
    known = _title_words(title) | _title_words(subject)  # what the article is about
    ctx = Context(as_of=as_of, title_words=frozenset(known),
                  gazetteer=gazetteer or DEFAULT_GAZETTEER)
    hits: list[tuple[Hit, int, int]] = []
    headline: list[int] = []
    for s in split_sentences(text, as_of_year, ctx, limit=MAX_TEXT):
        if s.start >= MAX_TEXT:
            break  # a real article is far shorter: the rest is read and stored, not searched
        for rule in RULES:
            for h in rule(s):
                a, b = _quote_span(s, h.start, h.end)
                hits.append((h, a, b))
                if s.index == 0 and title and _words(s.text) == _words(title):
                    headline.append(len(hits) - 1)
    hits = _body_wins(hits, set(headline))
    return [
        Claim(field=h.field, value=h.value, qualifier=h.qualifier, subject=subject,
              subject_mal_id=subject_mal_id, quote=text[a:b], start=a, end=b, article=article,
              as_of=as_of, confidence=round(h.confidence, 2))
        for h, a, b in _postprocess(hits)
    ]


@dataclass(frozen=True)
class Hints:
    """What the caller knows about an article beyond its bytes (each beats the article's own)."""

    url: str | None = None
    published: str | None = None
    title: str | None = None
    subject: str | None = None
    subject_mal_id: int | None = None


def with_hints(art: ArticleText, hints: Hints) -> ArticleText:
    """The article with what the caller knows put before what the page says: the address,
    the headline and the date (its source then ``given``)."""
    return replace(art, url=hints.url or art.url, title=hints.title or art.title,
                   published=hints.published or art.published,
                   published_source="given" if hints.published else art.published_source)


def extract_article(data: bytes, name: str, hints: Hints | None = None,
                    gazetteer: Gazetteer | None = None) -> tuple[ArticleText, list[Claim]]:
    """The pure extraction stage: an article's bytes → (the article, its claims).

    No database and no clock: ``name`` is the file's name (it gives the format), ``hints``
    what the caller knows, ``gazetteer`` the picklable names index (the built-in vocabulary
    when ``None``). Raises only :class:`~nextseason.errors.InputError` subclasses, for
    input that is not an article.
    """
    h = hints or Hints()
    art = with_hints(read_bytes(data, name), h)
    claims = extract_claims(art.text, subject=h.subject, subject_mal_id=h.subject_mal_id,
                            as_of=art.published, title=art.title, gazetteer=gazetteer)
    return art, claims
