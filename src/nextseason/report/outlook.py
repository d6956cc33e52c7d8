"""The outlook: one typed report that answers "will there be another season?".

:func:`build_outlook` reads the store only — the catalogue, the forecasts the build made,
the stored articles' claims — and fills one :class:`OutlookReport`. Renderers (terminal,
Markdown, HTML, JSON, the web app) all read this same object. Every fact carries the number
of its citation in ``sources``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from ..catalogue.franchise import FranchiseReport, franchise_report
from ..claims.articles import article_citations, load_claims
from ..claims.reconcile import reconcile
from ..errors import NotFoundError
from ..link.status import ArticleStatement, nice_date, series_status
from ..store import catalogue
from ..store.articles import status_claims_about
from ..store.conn import Conn
from ..store.forecasts import forecast_row, series_of
from ..store.snapshots import newest_catalogue_date
from .labels import (
    HORIZON_LABELS,
    field_label,
    percentile,
    plural,
    reconcile_status,
    season_name,
    source_label,
    value_label,
)
from .limits import data_age, limit_sentences
from .links import external_links
from .source_left import source_left

__all__ = ["OutlookReport", "Headline", "Fact", "Source", "build_outlook", "SALES_TIERS",
           "data_age", "headline_notes",
           "work_line", "factor_line", "comparable_line", "source_line", "plain_factors"]

#: average first-release discs per volume (thousands) → how the market would call it
SALES_TIERS = ((10.0, "hit (10k+ per volume)"), (3.0, "solid (3k–10k)"),
               (1.0, "modest (1k–3k)"), (0.0, "weak (under 1k)"))


@dataclass
class Source:
    n: int
    kind: str  # catalogue | article | model
    name: str
    as_of: str | None
    detail: str = ""
    url: str | None = None


@dataclass
class Fact:
    label: str
    value: str
    source: int  # index into sources


@dataclass
class Headline:
    status: str  # announced | airing | not announced | concluded (see link.status)
    status_detail: str  # the deciding evidence in one sentence, with its source and date
    as_of: str  # the date of the forecast (or of the newest source, without one)
    probabilities: dict[str, float]  # p_1y, p_2y, p_3y, p_5y, p_ever (none when announced)
    window: str | None  # the likely window if it comes
    model: str | None
    evidence: list[dict[str, Any]] = field(default_factory=list)  # every source's word
    articles_say: list[dict[str, Any]] = field(default_factory=list)  # never decides
    checked: list[str] = field(default_factory=list)  # "MyAnimeList catalogue, 24 March 2025"
    no_forecast_reason: str | None = None


@dataclass
class OutlookReport:
    mal_id: int  # the show asked about
    title: str
    english: str | None
    series_latest: int  # the series' latest season, which the forecast is about
    headline: Headline
    facts: list[Fact]
    source_material: list[dict[str, Any]]
    popularity: list[Fact]
    factors: list[dict[str, Any]]
    comparables: list[dict[str, Any]]
    disagreements: list[dict[str, Any]]
    limits: list[str]
    sources: list[Source]
    curve: list[list[float]]  # [years since the finale, P(new season by then)]
    elapsed: float | None  # years from the finale to the forecast date
    timeline: list[dict[str, Any]] = field(default_factory=list)
    today: str = ""  # the date the answer was made (facts' ages are relative to it)
    data_age: str = ""  # "catalogue as of 24 March 2025, 20 months ago"
    source_left: dict[str, Any] | None = None
    links: list[dict[str, str]] = field(default_factory=list)  # MyAnimeList, AniList, ...

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class _Cite:
    def __init__(self) -> None:
        self.sources: list[Source] = []
        self._index: dict[tuple[str, str, str], int] = {}

    def __call__(self, kind: str, name: str, as_of: str | None, detail: str = "",
                 url: str | None = None) -> int:
        key = (kind, name, as_of or "")
        if key not in self._index:
            self.sources.append(Source(len(self.sources) + 1, kind, name, as_of, detail, url))
            self._index[key] = len(self.sources)
        return self._index[key]


def _window(curve: list[list[float]], elapsed: float, as_of: str) -> str | None:
    """The middle half of the premiere date, if a new season comes within the curve's span."""
    if not curve or curve[-1][1] <= 0.005:
        return None
    top = curve[-1][1]
    q1 = next(t for t, p in curve if p >= top * 0.25)
    q3 = next(t for t, p in curve if p >= top * 0.75)
    start = date.fromisoformat(as_of)

    def when(t: float) -> str:
        return season_name((start + timedelta(days=(t - elapsed) * 365.25)).isoformat())

    a, b = when(q1), when(q3)
    return a if a == b else f"{a} to {b}"


def _snapshot(conn: Conn, mal_id: int) -> tuple[str, str]:
    return catalogue.anime_last_seen(conn, [mal_id]).get(mal_id, ("catalogue", ""))


def work_line(w: dict[str, Any]) -> str:
    """One source-material entry as a plain sentence (renderers escape it)."""
    if w.get("source_left"):
        return f"Source left: {w['sentence']}"
    tag = "" if w["adapted"] else " (related, not adapted)"
    volumes = plural(w["volumes"], "volume") if w["volumes"] else "? volumes"
    return (f"{w['type'] or 'Work'}: {w['title']}{tag} — {volumes},"
            f" {w['start_year'] or '?'}–{w['end_year'] or ''}, {w['status'] or 'status unknown'}")


def source_line(s: Source) -> str:
    """A citation in words: "MyAnimeList catalogue, 24 March 2025 — detail"."""
    when = f", {nice_date(s.as_of)}" if s.as_of else ""
    return f"{s.name}{when}" + (f" — {s.detail}" if s.detail else "")


def plain_factors(factors: list[dict[str, Any]], features: dict[str, float]) -> None:
    """Say the percentile factors in words that cannot exceed 100% (in place)."""
    for f in factors:
        if f.get("name") == "popularity in its season" and "pop_pct" in features:
            f["detail"] = percentile(features["pop_pct"], "more members than",
                                     "the shows that started that year")
        elif (f.get("name") == "score" and "score_pct" in features
              and not features.get("score_missing")):
            f["detail"] = percentile(features["score_pct"], "scored above",
                                     "its year's shows")


def headline_notes(r: OutlookReport) -> list[str]:
    """The lines under the status, as plain sentences (renderers escape them): the other
    sources' word, what stored articles say (which never decides), why there is no
    forecast, and the age of the answer."""
    h = r.headline
    notes = [f"Also: {ev['says']} ({ev['name']}, {nice_date(ev['as_of'])})."
             for ev in h.evidence[1:]]
    for a in h.articles_say:
        when = nice_date(a["as_of"]) if a["as_of"] else "undated"
        notes.append(f"An article says {a['says']}: {a['name']} ({when}).")
    if h.no_forecast_reason and not h.probabilities:
        notes.append(h.no_forecast_reason[0].upper() + h.no_forecast_reason[1:] + ".")
    notes.append(f"Answer made {nice_date(r.today)} from the {r.data_age}.")
    return notes


def factor_line(f: dict[str, Any]) -> str:
    way = "raised" if f["effect"] > 0 else "lowered"
    detail = f" — {f['detail']}" if f.get("detail") else ""
    return f"{f['name']}: {way} the 3-year chance by {abs(f['effect']) * 100:.1f} points{detail}"


def comparable_line(c: dict[str, Any]) -> str:
    return f"{c['title']} (ended {c['ended']}): {c['outcome']}"


def _safe_url(url: str | None) -> str | None:
    """Only web addresses become links; anything else (``javascript:``...) is dropped."""
    return url if url and url.lower().startswith(("http://", "https://")) else None


def _live_forecast(conn: Conn, mal_id: int, as_of: str) -> dict[str, Any] | None:
    """A forecast made now as of a past date (fits the model; slow, see ``forecast``)."""
    from ..forecast.explain import forecast_show

    f = forecast_show(conn, mal_id, as_of)
    if not f.eligible:
        return {"reason": f.reason, "latest": mal_id}
    elapsed = f.years_since_end or 0.0
    p = f.probabilities
    return {
        "mal_id": f.mal_id, "as_of": as_of, "model": f.model, "elapsed": elapsed,
        **p,
        "curve": json.dumps([[round(elapsed, 2), 0.0]] + [
            [round(elapsed + h, 2), p[k]] for h, k in
            ((1, "p_1y"), (2, "p_2y"), (3, "p_3y"), (5, "p_5y"))]),
        "factors": json.dumps([asdict(x) for x in f.factors]),
        "comparables": json.dumps([asdict(x) for x in f.comparables]),
        "features": "{}",
    }


def _article_statements(conn: Conn, ids: list[int]) -> list[ArticleStatement]:
    """The stored articles' renewal-status claims about these shows, each article named the
    way every citation names it (title, site or file name)."""
    names = article_citations(conn)
    return [ArticleStatement(json.loads(r[0]), r[1],
                             names.get(r[2], (f"article {r[2][:8]}",))[0], r[3], r[4])
            for r in status_claims_about(conn, ids)]


def build_outlook(conn: Conn, mal_id: int, as_of: str | None = None, *,
                  today: str) -> OutlookReport:
    """The outlook for ``mal_id`` as of ``today`` (the date the answer is made: statuses
    come only from sources dated on or before it, and every fact's age is relative to it);
    ``as_of`` (default: the build's forecast date) makes the forecast as of an earlier date,
    using only what was known then."""
    anime = catalogue.anime_row(conn, mal_id)
    if anime is None:
        raise NotFoundError(f"no anime with MAL id {mal_id}")
    cite = _Cite()
    fr: FranchiseReport = franchise_report(conn, mal_id)
    series = series_of(conn, mal_id)
    latest, reason = series if series else (mal_id, "not a TV/ONA series")
    fc: Any = forecast_row(conn, latest)
    data_end = newest_catalogue_date(conn) or ""
    live = as_of is not None and as_of != (fc["as_of"] if fc is not None else data_end)
    if live:
        made = _live_forecast(conn, mal_id, str(as_of))
        fc = None if made is None or "reason" in made else made
        if made is not None and "reason" in made:
            reason = made["reason"]

    # headline: the status from every dated source (as of the forecast date when one is
    # asked for, else today), then the forecast only where nothing is announced
    when = str(as_of) if live else today
    ids = [e.mal_id for e in fr.entries] or [mal_id]
    st = series_status(conn, mal_id, when, _article_statements(conn, ids))
    decided = st.evidence[0] if st.evidence else None
    if decided is not None:
        detail = f"{decided.says} ({decided.name}, {nice_date(decided.as_of)})"
    else:
        detail = ("no continuation is listed in the " + ", the ".join(
            f"{name} ({nice_date(d)})" for name, d in st.checked))
    no_fc = None
    if not st.shows_probabilities:
        fc, no_fc = None, f"no forecast: the series is {st.status}"
    elif fc is None:
        no_fc = f"no forecast: {reason or 'not a TV/ONA series'}"
    probs = ({k: float(fc[k]) for k in HORIZON_LABELS} if fc is not None else {})
    curve = json.loads(fc["curve"]) if fc is not None else []
    elapsed = float(fc["elapsed"]) if fc is not None else None
    model_src = cite("model", f"nextseason forecast ({fc['model']})", fc["as_of"],
                     "see the model card for its track record") if fc is not None else None
    for word in st.evidence:
        cite(word.source, word.name, word.as_of)
    headline = Headline(
        st.status, detail, fc["as_of"] if fc is not None else when, probs,
        _window(curve, elapsed or 0.0, fc["as_of"]) if fc is not None else None,
        fc["model"] if fc is not None else None,
        evidence=[asdict(ev) for ev in st.evidence],
        articles_say=[asdict(ev) for ev in st.articles],
        checked=[f"{name}, {nice_date(d)}" for name, d in st.checked],
        no_forecast_reason=no_fc)

    # what we know
    facts: list[Fact] = []
    for e in fr.entries:
        if e.season_number is None and not e.is_query:
            continue
        snap, snap_as_of = _snapshot(conn, e.mal_id)
        n = cite("catalogue", source_label(snap), snap_as_of)
        span = f"{e.start or '?'} to {e.end or ('airing' if e.status == 'airing' else '?')}"
        label = (f"Season {e.season_number}" + (f", part {e.part}" if e.part else "")
                 if e.season_number else e.type or "entry")
        eps = plural(e.episodes, "episode") if e.episodes else "? episodes"
        facts.append(Fact(f"{label}: {e.title}", f"{span}, {eps}", n))
    studios = ", ".join(catalogue.studios(conn, mal_id, anime["last_snapshot"]))
    if studios:
        snap, snap_as_of = _snapshot(conn, mal_id)
        facts.append(Fact("Studio", studios, cite("catalogue", source_label(snap),
                                                  snap_as_of)))
    if anime["source_type"]:
        snap, snap_as_of = _snapshot(conn, mal_id)
        facts.append(Fact("Source", anime["source_type"],
                          cite("catalogue", source_label(snap), snap_as_of)))

    # source material
    features = json.loads(fc["features"]) if fc is not None and fc["features"] else {}
    source_material: list[dict[str, Any]] = []
    for w in fr.source_works:
        n = cite("catalogue", source_label(w.source), w.as_of)
        source_material.append({
            "title": w.title, "type": w.type, "volumes": w.volumes, "start_year": w.start_year,
            "end_year": w.end_year, "status": w.status, "as_of": w.as_of, "source": n,
            "adapted": w.link != "related title",
        })
    adapted_claim = None
    claims = load_claims(conn, mal_id) if mal_id else []
    if latest != mal_id:
        claims += load_claims(conn, latest)
    cites = article_citations(conn) if claims else {}

    def cite_article(aid: str) -> int:
        """An article as its title, site or file name and date (agreeing or not)."""
        label, pub, url = cites.get(aid, (f"article {aid[:8]}", None, None))
        n_claims = sum(1 for c in claims if c.article == aid)
        return cite("article", label, pub, f"{n_claims} claims about this show",
                    _safe_url(url))
    through = [c for c in claims if c.field == "adapted_through"
               and isinstance(c.value, int | float) and (c.qualifier or "volume") == "volume"]
    if through:
        best = max(through, key=lambda c: (c.as_of or "", c.value))
        same = [c for c in through if c.value == best.value]
        adapted_claim = (float(best.value), len({c.article for c in same}),
                         sorted({c.as_of for c in same if c.as_of}))
    series_eps = sum(e.episodes or 0 for e in fr.entries
                     if e.season_number is not None and e.mal_id in st.installments
                     and e.mal_id != st.next and e.status != "not_yet_aired")
    left = source_left(
        [{"title": w.title, "type": w.type, "volumes": w.volumes, "status": w.status,
          "as_of": w.as_of} for w in fr.source_works if w.link != "related title"],
        series_eps or None, adapted_claim)
    if left.work is not None:
        if through and best.article:  # the articles that say how far the anime adapted
            left_src = cite_article(best.article)
        else:  # the volume count comes from the source-work list
            left_src = source_material[0]["source"] if source_material else 0
        source_material.append({
            "source_left": True, "sentence": left.sentence, "estimate": left.estimate,
            "left_low": left.left_low, "left_high": left.left_high, "source": left_src,
        })
    factors = json.loads(fc["factors"]) if fc is not None else []
    plain_factors(factors, features)
    for f in factors:
        if f.get("name") == "source material left":
            f["detail"] = left.sentence

    # popularity and sales
    popularity: list[Fact] = []
    by_metric = {o.metric: o for o in fr.latest}
    for metric, label in (("members", "Members"), ("score", "Score"), ("rank", "Rank"),
                          ("popularity", "Popularity rank")):
        o = by_metric.get(metric)
        if o is not None:
            v = f"{o.value:,}" if isinstance(o.value, int) else str(o.value)
            popularity.append(Fact(label, f"{v} (as of {o.observed_at})",
                                   cite("catalogue", source_label(o.source),
                                        o.observed_at)))
    if features:
        popularity.append(Fact(
            "Percentile within its start year",
            percentile(features["pop_pct"], "more members than",
                       "that year's TV/ONA shows"),
            model_src or 0))
    for s in fr.sales:
        tier = next(t for floor, t in SALES_TIERS if (s.avg_sales_k or 0) >= floor)
        popularity.append(Fact(
            f"Home-video sales: {s.title} ({s.year})",
            f"{s.avg_sales_k:g}k discs per volume — {tier}"
            + (" (value looks like a parse error)" if s.avg_sales_suspect else ""),
            cite("catalogue", "Someanithing sales data", s.as_of, "first release, to 2020")))

    # disagreements between sources
    disagreements = []
    if claims:
        rec = reconcile(conn, mal_id, claims)
        for aid in dict.fromkeys(c.article for c in claims if c.article):
            cite_article(aid)  # every article read is cited, agreeing or not
        for g in rec.groups:
            said = [ev for ev in g.evidence if ev.source == "article"]
            if g.status == "agrees" and len({ev.source_id for ev in said}) > 1:
                refs = sorted({cite_article(ev.source_id) for ev in said})
                label = field_label(g.field, g.qualifier)
                also = " ".join(f"[{r}]" for r in refs[1:])
                facts.append(Fact(f"Articles: {label}",
                                  f"{value_label(g.best_value)} — confirmed by"
                                  f" {len(refs)} articles (also {also})", refs[0]))
            if g.status not in ("conflicts", "different things", "changed over time"):
                continue
            sides = []
            for ev in g.evidence:
                if ev.source == "catalogue":
                    n = cite("catalogue", source_label(ev.source_id), ev.as_of)
                else:
                    n = cite_article(ev.source_id)
                sides.append({"value": ev.value, "quote": ev.quote, "source": n})
            disagreements.append({"field": g.field, "qualifier": g.qualifier,
                                  "label": field_label(g.field, g.qualifier),
                                  "status": g.status,
                                  "status_label": reconcile_status(g.status),
                                  "best": g.best_value,
                                  "reason": g.reason, "sides": sides})

    age, limits = limit_sentences(conn, today, mal_id=mal_id)
    age = age or data_age(data_end, today)
    if live:
        limits.insert(0, f"The forecast uses only what was known on {as_of}; the facts shown"
                         " are the catalogue's newest.")
    if any(c.as_of is None for c in claims):
        limits.append("Some articles carry no date; their claims cannot be placed in time.")

    timeline = [asdict(e) for e in fr.entries]
    english = catalogue.english_title(conn, mal_id)
    return OutlookReport(
        mal_id=mal_id, title=anime["title"], english=english,
        series_latest=latest, headline=headline, facts=facts,
        source_material=source_material, popularity=popularity,
        factors=factors,
        comparables=json.loads(fc["comparables"]) if fc is not None else [],
        disagreements=disagreements, limits=limits, sources=cite.sources, curve=curve,
        elapsed=elapsed, timeline=timeline, today=today, data_age=age,
        source_left=left.to_dict() if left.work is not None else None,
        links=external_links(conn, mal_id, anime["type"]))
