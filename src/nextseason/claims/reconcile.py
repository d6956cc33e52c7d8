"""Reconcile what articles claim with the catalogue and with each other.

Claims about one show are grouped by (field, qualifier) — with the catalogue's own facts
turned into the same shape — and each group is classified:

* **agrees** — every source gives the same value (dates compared at the coarser precision);
* **changed over time** — the values differ, the field is one that changes (a volume count,
  a status, a rating) and the sources were written at different dates;
* **different things** — the values differ because they measure different things: a web
  serialization's dates against the print volumes' dates;
* **conflicts** — anything else: each side is shown with its quote and source.

The best value follows the rule: the catalogue beats several agreeing articles, which beat
a single article; for values that change over time, newer beats older. Outlooks
(``predicted_window``) are opinions: they are listed, never reconciled into a fact.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import asdict, dataclass
from dataclasses import field as dc_field
from typing import Any

from rapidfuzz import fuzz

from ..catalogue.franchise import franchise_report
from ..search.normalize import compact, normalize
from ..store import catalogue
from ..store.conn import Conn
from .articles import article_citations
from .model import OUTLOOK_FIELDS, Claim

__all__ = ["Evidence", "ClaimGroup", "Reconciliation", "reconcile", "catalogue_facts",
           "normalize_qualifier", "TIME_VARYING"]

#: fields whose true value changes as time passes
TIME_VARYING = frozenset({
    "renewal_status", "season_count", "source_volume_count", "source_chapter_count",
    "source_status", "source_end", "rating", "popularity_rank", "circulation", "bd_sales",
})
_WEB = re.compile(r"\b(web|online|kakuyomu|syosetu|shousetsuka ni narou|website|serializ)",
                  re.I)
_PRINT = re.compile(r"\b(volumes?|print(ed)?|bunko|imprint|paperback|tankobon|published by)",
                    re.I)
_PER_SEASON = frozenset({"premiere_date", "finale_date", "episode_count"})
#: fields with several true values at once: each value (each character, for the cast) is
#: its own group, so two licensors are not a conflict
_MULTI = frozenset({"licensor", "spin_off", "network"})
#: string similarity (rapidfuzz ratio on search keys) above which two names are one
SAME_NAME = 88
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "1st": 1, "2nd": 2,
             "3rd": 3, "4th": 4, "5th": 5}


@dataclass
class Evidence:
    value: Any
    source: str  # "catalogue" | "article"
    source_id: str  # snapshot name or article id
    as_of: str | None
    quote: str | None
    url: str | None = None
    cite: str | None = None  # an article's title and site, or its file's name


@dataclass
class ClaimGroup:
    field: str
    qualifier: str | None
    status: str  # agrees | changed over time | different things | conflicts | outlook
    best_value: Any
    reason: str
    evidence: list[Evidence] = dc_field(default_factory=list)


@dataclass
class Reconciliation:
    mal_id: int
    title: str
    articles: int
    groups: list[ClaimGroup]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def normalize_qualifier(field_name: str, qualifier: str | None) -> str | None:
    """'first season', 'Season 1', 'S1', '1st season' → 'season 1'; sites lower-cased."""
    if not qualifier:
        return None
    q = qualifier.strip().lower()
    m = (re.search(r"\b(?:season|s)\s*(\d+)\b", q)
         or re.search(r"\b(\d+)(?:st|nd|rd|th)?\s+season", q))
    if m:
        return f"season {int(m[1])}"
    for word, n in _ORDINALS.items():
        if re.search(rf"\b{word}\s+season\b", q):
            return f"season {n}"
    if field_name == "rating" and ("myanimelist" in q.replace(" ", "") or q == "mal"):
        return "myanimelist"
    return q


def catalogue_facts(
    conn: Conn, mal_id: int
) -> list[tuple[str, str | None, Evidence]]:
    """The catalogue's facts about a show's franchise, as (field, qualifier, evidence)."""
    rep = franchise_report(conn, mal_id)
    ids = [e.mal_id for e in rep.entries] or [mal_id]
    seen_in = catalogue.anime_last_seen(conn, ids)
    out: list[tuple[str, str | None, Evidence]] = []

    def add(f: str, q: str | None, v: Any, src: str, as_of: str | None) -> None:
        if v is not None:
            out.append((f, q, Evidence(v, "catalogue", src, as_of, None)))

    series = [e for e in rep.entries if e.season_number]
    for e in series:
        q, (src, as_of) = f"season {e.season_number}", seen_in[e.mal_id]
        add("premiere_date", q, e.start, src, as_of)
        if e.status == "finished":
            add("finale_date", q, e.end, src, as_of)
        add("episode_count", q, e.episodes, src, as_of)
    if series:
        src, as_of = max((seen_in[e.mal_id] for e in series), key=lambda s: s[1])
        add("season_count", None, max(e.season_number or 0 for e in series), src, as_of)
        pending = [e for e in rep.entries if e.status == "not_yet_aired"]
        latest = max(e.season_number or 0 for e in series)
        add("renewal_status", f"season {latest + (0 if pending else 1)}",
            "announced" if pending else "not_announced", src, as_of)
    adapted = [w for w in rep.source_works if w.link != "related title"]
    if adapted:
        w = adapted[0]
        add("source_title", None, w.title, w.source, w.as_of)
        add("source_volume_count", None, w.volumes, w.source, w.as_of)
        add("source_start", None, str(w.start_year) if w.start_year else None, w.source, w.as_of)
        if w.status == "finished":
            add("source_end", None, str(w.end_year) if w.end_year else None, w.source, w.as_of)
        add("source_status", None, w.status, w.source, w.as_of)
        kind = (w.type or "").lower()
        add("source_type", None, kind or None, w.source, w.as_of)
    for o in rep.latest:
        if o.metric == "score":
            add("rating", "myanimelist", o.value, o.source, o.observed_at)
    studios = ", ".join(catalogue.studios(conn, mal_id))
    if studios:
        add("studio", None, studios, *seen_in.get(mal_id, ("catalogue", None)))
    return out


def _norm(value: Any) -> Any:
    if isinstance(value, str):
        return compact(normalize(value))
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _same(a: Any, b: Any) -> bool:
    """Equal values; ISO dates compared at the coarser of their precisions."""
    if isinstance(a, str) and isinstance(b, str) and re.fullmatch(r"\d{4}(-\d{2}){0,2}", a) \
            and re.fullmatch(r"\d{4}(-\d{2}){0,2}", b):
        n = min(len(a), len(b))
        return a[:n] == b[:n]
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(float(a) - float(b)) < 1e-9
    na, nb = _norm(a), _norm(b)
    if isinstance(na, str) and isinstance(nb, str):
        # the same name spelled another way ("Joshikousei" / "Joshi Kōsei"), or shortened
        # ("Kadokawa" / "Kadokawa Shoten")
        return na == nb or na in nb or nb in na or fuzz.ratio(na, nb) >= SAME_NAME
    return bool(na == nb)


def _clusters(evidence: list[Evidence]) -> list[list[Evidence]]:
    groups: list[list[Evidence]] = []
    for e in evidence:
        for g in groups:
            if _same(g[0].value, e.value):
                g.append(e)
                break
        else:
            groups.append([e])
    return groups


def _medium(e: Evidence) -> str | None:
    """Web serialization or print publication, from the claim's own words."""
    if not e.quote:
        return "print" if e.source == "catalogue" else None
    if _WEB.search(e.quote):  # "serialized online ... until the fifth volume" is the web run
        return "web"
    return "print" if _PRINT.search(e.quote) else None


def _cited(e: Evidence) -> str:
    return (e.cite or f"article {e.source_id[:8]}") + (f", {e.as_of}" if e.as_of else "")


def _classify(f: str, clusters: list[list[Evidence]]) -> tuple[str, Any, str]:
    catalogue = [e for c in clusters for e in c if e.source == "catalogue"]
    if len(clusters) == 1:
        c = clusters[0]
        articles = len(c) - len(catalogue)
        names = "; ".join(dict.fromkeys(_cited(e) for e in c if e.source == "article"))
        said = (f"confirmed by {articles} articles: {names}" if articles > 1
                else f"a single article: {names}")
        if catalogue:
            return "agrees", catalogue[0].value, (
                f"the catalogue agrees, {said}")
        return "agrees", c[0].value, said
    media = {id(c): {_medium(e) for e in c} for c in clusters}
    if f in ("source_start", "source_end") and all(len(m) == 1 and None not in m
                                                    for m in media.values()) \
            and len({next(iter(m)) for m in media.values()}) == len(clusters):
        best = next((c for c in clusters if media[id(c)] == {"print"}), clusters[0])
        return "different things", best[0].value, (
            "web serialization and print publication give different dates; the print"
            " date is shown")
    dates = {e.as_of for c in clusters for e in c if e.as_of}
    if f in TIME_VARYING and len(dates) > 1:
        newest = max((e for c in clusters for e in c), key=lambda e: e.as_of or "")
        return "changed over time", newest.value, (
            f"newer beats older: {newest.value} as of {newest.as_of}")
    if catalogue:
        return "conflicts", catalogue[0].value, (
            "the catalogue beats the articles")
    ranked = sorted(clusters, key=lambda c: (len(c), max(e.as_of or "" for e in c)),
                    reverse=True)
    if len(ranked[0]) > len(ranked[1]):
        return "conflicts", ranked[0][0].value, (
            f"{len(ranked[0])} articles agree against {len(ranked[1])}")
    return "conflicts", ranked[0][0].value, "no majority: the newest article's value is shown"


def reconcile(conn: Conn, mal_id: int, claims: list[Claim],
              urls: dict[str, str | None] | None = None) -> Reconciliation:
    """Group, classify and choose, for the show ``mal_id`` (see the module docstring)."""
    cites = article_citations(conn)
    if urls is None:  # every stored article's address
        urls = {aid: url for aid, (_, _, url) in cites.items()}
    title = catalogue.anime_title(conn, mal_id)
    groups: dict[tuple[str, str | None], list[Evidence]] = defaultdict(list)
    facts = catalogue_facts(conn, mal_id)
    for f, q, ev in facts:
        groups[(f, q)].append(ev)
    # a show with one season: a date or episode count given without a season is season 1's
    seasons = {q for f, q, _ in facts if f == "premiere_date"}
    default_season = "season 1" if seasons == {"season 1"} else None
    next_season = f"season {len(seasons) + 1}"
    outlooks: list[Evidence] = []
    for c in claims:
        ev = Evidence(c.value, "article", c.article or "", c.as_of, c.quote,
                      urls.get(c.article or ""), cites.get(c.article or "", (None,))[0])
        if c.field in OUTLOOK_FIELDS:
            outlooks.append(ev)
            continue
        q = normalize_qualifier(c.field, c.qualifier)
        if q is None and c.field in _PER_SEASON:
            q = default_season
        if c.field == "renewal_status":
            q = q or next_season
            if c.value == "rumoured":  # a rumour neither makes nor denies an announcement
                q = f"{q} (rumour)"
        elif c.field == "cast" and isinstance(c.value, str) and ":" in c.value:
            q = c.value.split(":", 1)[0].strip()
        elif c.field in _MULTI:
            q = str(_norm(c.value))
        groups[(c.field, q)].append(ev)
    out: list[ClaimGroup] = []
    for (f, q), evidence in groups.items():
        if not any(e.source == "article" for e in evidence):
            continue  # catalogue facts nobody wrote about are shown by `show`, not here
        status, best, reason = _classify(f, _clusters(evidence))
        out.append(ClaimGroup(f, None if f in _MULTI else q, status, best, reason, evidence))
    if outlooks:
        out.append(ClaimGroup("predicted_window", None, "outlook", None,
                              "opinions and guesses, not facts: listed, not reconciled",
                              outlooks))
    order = {"conflicts": 0, "different things": 1, "changed over time": 2, "agrees": 3,
             "outlook": 4}
    out.sort(key=lambda g: (order[g.status], g.field, g.qualifier or ""))
    articles = len({e.source_id for g in out for e in g.evidence if e.source == "article"})
    return Reconciliation(mal_id, title if title is not None else str(mal_id), articles, out)
