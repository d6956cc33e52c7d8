"""Title search: from what a fan types to the show they mean.

A :class:`SearchIndex` holds every alias of every show (main, English, Japanese, synonyms,
the project's fan aliases) under its search key (:func:`~nextseason.search.normalize`).
:meth:`SearchIndex.search` ranks shows in three tiers:

``exact``
    the query's key equals an alias's key (compared without spaces, so "ReZero" meets
    "Re:Zero"); score 100.
``prefix``
    the query's key starts an alias's key ("hige wo soru" starts "hige wo soru soshite
    joshikosei wo hiro"); score = the share of the alias the query covers.
``fuzzy``
    anything else scoring at least 60 of 100 (see below).

Exact hits come before prefix hits, prefix before fuzzy. Within the exact and prefix tiers
the more popular show (newest member count) comes first; within the fuzzy tier the higher
score, then popularity. A show appears once, under its best alias.

Fuzzy matching has two steps, both rapidfuzz, to stay within ~20 ms on ~70k keys:

1. *candidates*: the keys most similar as whole strings (``fuzz.ratio``, a plain edit
   distance that is cheap enough to run over every key: typos in short and long titles), plus
   the keys sharing the query's rarer words (an inverted word index: a query that is the
   first or some words of a long title, or words in another order);
2. *rerank* those few hundred by the best of: ``fuzz.ratio`` (the whole alias, typos
   anywhere); 0.95 × ``fuzz.token_sort_ratio`` (the same words in another order: "Season 2
   Attack on Titan"); 0.9 × ``fuzz.ratio`` against the alias's first ``len(query)``
   characters (its first words, typed with a typo: "hige wo sru"). The weights keep a
   complete match above a partial one.

``fuzz.WRatio`` was tried for step 2 and rejected: for a query much shorter than the title
its partial token-set part scores 85 for *any* shared word, so "hige wo sru" ranked every
long title containing "wo" level with Higehiro.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from ..store.catalogue import anime_years, search_aliases
from ..store.conn import Conn
from .normalize import compact, normalize

__all__ = ["SearchHit", "SearchIndex", "MAX_QUERY_CHARS", "CONFIDENT", "match_confidence"]

#: Queries are user input: longer ones are cut to this many characters.
MAX_QUERY_CHARS = 300

MatchKind = Literal["exact", "prefix", "fuzzy"]
_TIERS: dict[MatchKind, int] = {"exact": 0, "prefix": 1, "fuzzy": 2}
#: Which alias names a hit when several match equally well.
_KIND_ORDER = {"main": 0, "english": 1, "synonym": 2, "fan": 3, "japanese": 4}

# Tuning (measured with benchmarks/bench_search.py on the full catalogue, see its docstring).
_RATIO_LIMIT = 40  # whole-string candidates
_RATIO_CUTOFF = 60  # also bounds the lengths compared: see _length_band
_WORD_LIMIT = 120  # shared-word candidates
_WORD_MAX_DF = 1500  # words in more keys than this ("no", "the", "season") pick nothing
_WORD_MAX_TOKENS = 8
_FUZZY_CUTOFF = 60  # below this a fuzzy hit is noise
_ORDER_WEIGHT = 0.95  # the same words in another order: nearly as good as in order
_PREFIX_WEIGHT = 0.9  # the first words of a title, typed with a typo


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One show found for a query, under its best-matching alias."""

    mal_id: int
    title: str  # the show's main title
    matched_alias: str
    matched_kind: str  # main | english | japanese | synonym | fan
    match: MatchKind
    score: int  # 0-100
    members: int
    type: str | None = None
    year: int | None = None
    #: how sure the match is, 0–1 (see :func:`match_confidence`); commands that answer about
    #: one show need :data:`CONFIDENT` or more
    confidence: float = 0.0


_ARTICLE = re.compile(r"^(?:the|a|an) ")
_TYPE_SUFFIX = re.compile(r"\s*\((?:TV|ONA)\)$")

#: The confidence a hit needs before ``outlook``, ``show`` or ``forecast`` answer about it.
CONFIDENT = 0.85


def match_confidence(query_key: str, alias_key: str, match: MatchKind) -> float:
    """How sure we are that ``query_key`` names the show of ``alias_key`` (both normalised).

    - ``exact``: 1.0.
    - ``prefix``: 0.9 when the query is whole words at the start of the alias and at least
      two words or four characters long ("hige wo soru", "ouran"); 0.6 otherwise ("hi").
    - ``fuzzy``: 0.9 when the two keys are at most one edit apart per eight characters of
      the query (a typo: "shingeki no kyojn"), never for a query under six characters;
      otherwise below 0.85 ("chainsaw man" is two edits from "chainsaw maid": a different
      show, not a typo).
    """
    if match == "exact":
        return 1.0
    q, a = compact(query_key), compact(alias_key)
    if match == "prefix":
        whole_words = a.startswith(q) and _ends_a_word(alias_key, len(q))
        long_enough = " " in query_key or len(q) >= 4
        return 0.9 if whole_words and long_enough else 0.6
    # "devil is a part timer" for "the devil is a part timer": the article is not a typo
    q, a = compact(_ARTICLE.sub("", query_key)), compact(_ARTICLE.sub("", alias_key))
    if len(q) < 6:
        return 0.3
    edits = Levenshtein.distance(q, a, score_cutoff=len(q) // 8 + 1)
    if edits <= len(q) // 8:
        return 0.9
    return round(min(0.8, fuzz.ratio(q, a) / 100 * 0.8), 3)


def _ends_a_word(key: str, n: int) -> bool:
    """Do the first ``n`` non-space characters of ``key`` end at a word boundary?
    ("dan da dan season 2", 8 → yes: "dandadan" is whole words of it.)"""
    seen = 0
    for i, ch in enumerate(key):
        if ch != " ":
            seen += 1
            if seen == n:
                return i + 1 == len(key) or key[i + 1] == " "
    return False


@dataclass(frozen=True, slots=True)
class _Show:
    title: str
    type: str | None
    year: int | None
    members: int


class SearchIndex:
    """An in-memory index of every alias; build it with :meth:`from_db` or :meth:`from_rows`."""

    def __init__(
        self,
        aliases: Sequence[tuple[int, str, str, str]],
        shows: Mapping[int, _Show],
    ) -> None:
        """Index ``aliases`` as (mal_id, title, kind, key); ``shows`` holds display data."""
        self._aliases = list(aliases)
        self._shows = dict(shows)
        by_key: dict[str, list[int]] = {}
        for i, alias in enumerate(self._aliases):
            if alias[3]:
                by_key.setdefault(alias[3], []).append(i)
        # Latin keys first, then the rest (kana, kanji, ...), each by length, so that the
        # whole-string step compares a query only with keys of its script and a length that
        # can reach the cutoff.
        self._keys = sorted(by_key, key=lambda k: (not k.isascii(), len(k)))
        self._n_ascii = sum(1 for k in self._keys if k.isascii())
        self._lens = [len(k) for k in self._keys]
        self._key_aliases = [tuple(by_key[k]) for k in self._keys]
        by_compact: dict[str, list[int]] = {}
        words: dict[str, list[int]] = {}
        for k, (key, ids) in enumerate(zip(self._keys, self._key_aliases, strict=True)):
            by_compact.setdefault(compact(key) if " " in key else key, []).extend(ids)
            for word in set(key.split()):
                words.setdefault(word, []).append(k)
        self._exact = {c: tuple(ids) for c, ids in by_compact.items()}
        self._compacts = sorted(self._exact)
        self._words = words
        self._n_keys = max(len(self._keys), 1)

    # -- construction -----------------------------------------------------------------

    @classmethod
    def from_rows(
        cls,
        rows: Iterable[Sequence[Any]],
        *,
        shows: Mapping[int, tuple[str, str | None, int | None]] | None = None,
    ) -> SearchIndex:
        """Build from (mal_id, title, kind, norm, members) rows, e.g. of ``search_alias``.

        ``shows`` maps mal_id to (main title, type, year) for display; without it a show is
        shown under its ``main`` alias (else its first alias), with no type or year.
        """
        aliases: list[tuple[int, str, str, str]] = []
        members: dict[int, int] = {}
        first: dict[int, str] = {}
        main: dict[int, str] = {}
        for mal_id, title, kind, norm, pop in rows:
            mal_id = int(mal_id)
            aliases.append((mal_id, title, kind, norm))
            bare = _TYPE_SUFFIX.sub("", title)
            if bare != title and norm.endswith((" tv", " ona")):
                # "Jujutsu Kaisen (TV)": MAL's disambiguator is not part of the name
                aliases.append((mal_id, title, kind, norm.rsplit(" ", 1)[0]))
            members[mal_id] = max(members.get(mal_id, 0), int(pop or 0))
            first.setdefault(mal_id, title)
            if kind == "main":
                main.setdefault(mal_id, title)
        info = shows or {}
        show_map = {}
        for mal_id, pop in members.items():
            title, type_, year = info.get(mal_id, (main.get(mal_id, first[mal_id]), None, None))
            show_map[mal_id] = _Show(title, type_, year, pop)
        return cls(aliases, show_map)

    @classmethod
    def from_db(cls, conn: Conn, *, renormalize: bool | None = None) -> SearchIndex:
        """Build from a catalogue database (the ``search_alias`` view and ``anime``).

        Keys are the stored ``norm`` column unless it was written by another version of
        :func:`normalize`: by default (``renormalize=None``) a sample of rows is checked
        and, if any differs, every key is recomputed from its title.
        """
        rows: list[tuple[Any, ...]] = search_aliases(conn)
        if renormalize is None:
            step = max(len(rows) // 400, 1)
            renormalize = any(normalize(r[1]) != r[3] for r in rows[::step])
        if renormalize:
            rows = [(m, t, k, normalize(t), p) for m, t, k, _n, p in rows]
        return cls.from_rows(rows, shows=anime_years(conn))

    def __len__(self) -> int:
        """The number of aliases indexed."""
        return len(self._aliases)

    # -- search -----------------------------------------------------------------------

    def search(self, query: str, limit: int = 10, *, fuzzy: bool = True) -> list[SearchHit]:
        """The ``limit`` best shows for ``query``; ``[]`` for an empty or blank query.

        ``fuzzy=False`` gives the exact and prefix hits alone, skipping the fuzzy step (most
        of the cost), for callers that would discard fuzzy hits anyway.
        """
        key = normalize(query[:MAX_QUERY_CHARS])
        if not key or limit <= 0:
            return []
        ckey = compact(key)
        best: dict[int, tuple[int, int, int, int]] = {}  # mal_id -> (tier, -score, kind, alias)

        def consider(alias: int, match: MatchKind, score: int) -> None:
            mal_id, _title, kind, _key = self._aliases[alias]
            rank = (_TIERS[match], -score, _KIND_ORDER.get(kind, 9), alias)
            if mal_id not in best or rank < best[mal_id]:
                best[mal_id] = rank

        for alias in self._exact.get(ckey, ()):
            consider(alias, "exact", 100)
        lo = bisect_left(self._compacts, ckey)
        hi = bisect_left(self._compacts, ckey + "\U0010ffff", lo)
        for c in self._compacts[lo:hi]:
            if c != ckey:
                score = round(100 * len(ckey) / len(c))
                for alias in self._exact[c]:
                    consider(alias, "prefix", score)
        # Fuzzy hits rank below every exact and prefix hit: skip them when those fill the page.
        if fuzzy and len(best) < limit:
            for k, score in self._fuzzy(key):
                for alias in self._key_aliases[k]:
                    consider(alias, "fuzzy", score)
        return self._hits(best, limit, key)

    def _fuzzy(self, key: str) -> list[tuple[int, int]]:
        """(key index, score) of the fuzzy candidates scoring at least the cutoff."""
        lo, hi = self._length_band(key)
        cands = {
            lo + j
            for _, _, j in process.extract(
                key,
                self._keys[lo:hi],
                scorer=fuzz.ratio,
                processor=None,
                limit=_RATIO_LIMIT,
                score_cutoff=_RATIO_CUTOFF,
            )
        }
        cands.update(self._word_candidates(key))
        if not cands:
            return []
        n = len(key)
        out = []
        for k in cands:
            text = self._keys[k]
            score = max(
                fuzz.ratio(key, text),
                _ORDER_WEIGHT * fuzz.token_sort_ratio(key, text),
                _PREFIX_WEIGHT * fuzz.ratio(key, text[:n]) if len(text) > n >= 4 else 0.0,
            )
            if score >= _FUZZY_CUTOFF:
                out.append((k, round(score)))
        return out

    def _length_band(self, key: str) -> tuple[int, int]:
        """The slice of ``_keys`` in the query's script whose ratio can reach the cutoff.

        ``fuzz.ratio`` is at most 200·min(a, b)/(a + b), so a key shorter than
        a·c/(200 − c) or longer than a·(200 − c)/c cannot reach c.
        """
        n, c = len(key), _RATIO_CUTOFF
        if key.isascii():
            start, stop = 0, self._n_ascii
        else:
            start, stop = self._n_ascii, len(self._keys)
        lo = bisect_left(self._lens, math.ceil(n * c / (200 - c)), start, stop)
        hi = bisect_right(self._lens, math.floor(n * (200 - c) / c), lo, stop)
        return lo, hi

    def _word_candidates(self, key: str) -> list[int]:
        """Keys sharing the query's rarer words, most shared weight (idf) first."""
        postings = [p for w in set(key.split()) if (p := self._words.get(w))]
        postings = [p for p in postings if len(p) <= _WORD_MAX_DF]
        postings.sort(key=len)
        weight: dict[int, float] = {}
        for p in postings[:_WORD_MAX_TOKENS]:
            idf = math.log(self._n_keys / len(p))
            for k in p:
                weight[k] = weight.get(k, 0.0) + idf
        return sorted(weight, key=weight.__getitem__, reverse=True)[:_WORD_LIMIT]

    def _hits(self, best: Mapping[int, tuple[int, int, int, int]], limit: int, key: str
              ) -> list[SearchHit]:
        def order(mal_id: int) -> tuple[int, int, int, int]:
            tier, neg_score, _kind, _alias = best[mal_id]
            tie = neg_score if tier == _TIERS["fuzzy"] else 0
            return (tier, tie, -self._shows[mal_id].members, mal_id)

        names: list[MatchKind] = ["exact", "prefix", "fuzzy"]
        hits = []
        for mal_id in sorted(best, key=order)[:limit]:
            tier, neg_score, _kind, alias = best[mal_id]
            _mal, alias_title, alias_kind, alias_key = self._aliases[alias]
            show = self._shows[mal_id]
            hits.append(
                SearchHit(
                    mal_id=mal_id,
                    title=show.title,
                    matched_alias=alias_title,
                    matched_kind=alias_kind,
                    match=names[tier],
                    score=-neg_score,
                    members=show.members,
                    type=show.type,
                    year=show.year,
                    confidence=match_confidence(key, alias_key, names[tier]),
                )
            )
        return hits
