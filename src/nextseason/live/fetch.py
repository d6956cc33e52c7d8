"""The one entry point a refresh uses: :func:`fetch` anime from Jikan, AniList or both.

``fetch("jikan" | "anilist" | "both", ids=..., season=..., config=...)`` yields
:class:`~nextseason.live.records.RemoteAnime` records as the answers arrive.

**Errors.** An id the API does not know (HTTP 404, AniList's "Not Found.") is reported to
``on_skip`` and skipped; the rest go on. Everything else is fatal and raised as the typed
:class:`~nextseason.errors.ApiError` naming the URL: 429 past the retry limit, 5xx or no
connection past the retry limit, HTML or truncated JSON, a missing or wrong-typed field.

**Both sources** (:func:`merge`): records are paired by MAL id. The Jikan record is the base
(MyAnimeList's vocabulary and figures: title, type, status, dates, season, studios,
genres, members/score/rank/popularity/favorites). AniList adds its id, its figures (named
``anilist_*``), the next airing episode, titles Jikan lacks, any field Jikan left empty,
and a date where it is more precise and agrees with Jikan's (``2026-04`` → ``2026-04-05``).
Relations: where AniList reported relations, its typed relation wins for every target it
names (matched to Jikan's by MAL id, else by type and title, which also lends AniList's
target its MAL id); Jikan's relations to targets AniList does not name are kept. An anime
only one source knows is yielded as that source's record (a Jikan 404 is still reported).
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date

import httpx

from ..errors import ApiNotFoundError, ConfigError
from .anilist import AniListClient
from .cache import ResponseCache
from .config import LiveConfig
from .http import SYSTEM_CLOCK, Clock
from .jikan import SEASONS, JikanClient
from .records import RemoteAnime, RemoteRelation

__all__ = ["fetch", "merge", "SeasonSpec", "parse_season", "current_season", "SOURCES",
           "Progress"]

SOURCES = ("jikan", "anilist", "both")
Progress = Callable[[int, int | None, str], None]   # (done, total or None, what)


@dataclass(frozen=True)
class SeasonSpec:
    """``now``, ``upcoming`` or a year and season (``2018/winter``)."""

    which: str                    # now | upcoming | year
    year: int | None = None
    season: str | None = None

    def __str__(self) -> str:
        return self.which if self.which != "year" else f"{self.year}/{self.season}"


_SEASON_RE = re.compile(r"^(\d{4})[/-](winter|spring|summer|fall|autumn)$", re.IGNORECASE)


def parse_season(text: str) -> SeasonSpec:
    """``now``, ``upcoming``, ``2018/winter`` (or ``2018-winter``)."""
    value = text.strip().lower()
    if value in ("now", "upcoming"):
        return SeasonSpec(value)
    match = _SEASON_RE.match(value)
    if not match:
        raise ConfigError(f"--season {text!r}: use now, upcoming or YEAR/SEASON "
                          f"(e.g. 2018/winter; seasons: {', '.join(SEASONS)})")
    season = "fall" if match.group(2) == "autumn" else match.group(2)
    return SeasonSpec("year", int(match.group(1)), season)


def current_season(today: date) -> tuple[int, str]:
    """MyAnimeList's season of a date: winter Jan–Mar, spring Apr–Jun, summer Jul–Sep,
    fall Oct–Dec."""
    return today.year, SEASONS[(today.month - 1) // 3]


def _next_season(year: int, season: str) -> tuple[int, str]:
    i = SEASONS.index(season)
    return (year + 1, SEASONS[0]) if i == 3 else (year, SEASONS[i + 1])


def _key(title: str | None) -> str:
    text = unicodedata.normalize("NFKC", title or "").casefold()
    return re.sub(r"\W+", "", text)


def _finer(base: str | None, base_precision: str | None, other: str | None,
           other_precision: str | None) -> tuple[str | None, str | None]:
    """``base`` unless empty, or unless ``other`` says the same more precisely."""
    if base is None:
        return other, other_precision
    if other is not None and len(other) > len(base) and other.startswith(base):
        return other, other_precision
    return base, base_precision


def _merge_relations(jikan: RemoteAnime, anilist: RemoteAnime) -> tuple[RemoteRelation, ...]:
    if not anilist.relations_known:
        return jikan.relations
    by_mal = {(r.target_type, r.target_mal_id): r for r in jikan.relations
              if r.target_mal_id is not None}
    by_title = {(r.target_type, _key(r.target_title)): r for r in jikan.relations
                if r.target_title}
    used: set[int] = set()
    out: list[RemoteRelation] = []
    for rel in anilist.relations:
        twin = by_mal.get((rel.target_type, rel.target_mal_id)) \
            if rel.target_mal_id is not None else None
        twin = twin or by_title.get((rel.target_type, _key(rel.target_title)))
        if twin is not None:
            used.add(id(twin))
            rel = replace(rel, target_mal_id=rel.target_mal_id or twin.target_mal_id,
                          target_title=rel.target_title or twin.target_title)
        out.append(rel)
    out += [r for r in jikan.relations if id(r) not in used]
    return tuple(out)


def merge(jikan: RemoteAnime | None, anilist: RemoteAnime | None) -> RemoteAnime:
    """One record from a Jikan and an AniList record of the same anime (see the module
    docstring for who wins what); either may be None."""
    if jikan is None or anilist is None:
        record = jikan or anilist
        if record is None:
            raise ValueError("merge needs at least one record")
        return record
    start, start_p = _finer(jikan.start_date, jikan.start_precision, anilist.start_date,
                            anilist.start_precision)
    end, end_p = _finer(jikan.end_date, jikan.end_precision, anilist.end_date,
                        anilist.end_precision)
    return replace(
        jikan, source="jikan+anilist", url=f"{jikan.url} + {anilist.url}",
        fetched_at=max(jikan.fetched_at, anilist.fetched_at),
        anilist_id=anilist.anilist_id,
        titles=tuple(dict.fromkeys(jikan.titles + tuple(
            t for t in anilist.titles if t[1] != jikan.title))),
        type=jikan.type or anilist.type, episodes=jikan.episodes or anilist.episodes,
        status=jikan.status or anilist.status,
        status_detail=jikan.status_detail or anilist.status_detail,
        start_date=start, start_precision=start_p, end_date=end, end_precision=end_p,
        season=jikan.season or anilist.season,
        season_year=jikan.season_year or anilist.season_year,
        source_type=jikan.source_type or anilist.source_type,
        figures={**anilist.figures, **jikan.figures},
        studios=jikan.studios or anilist.studios, genres=jikan.genres or anilist.genres,
        relations=_merge_relations(jikan, anilist),
        relations_known=jikan.relations_known or anilist.relations_known,
        next_airing=anilist.next_airing, next_episode=anilist.next_episode,
        sources=((jikan.source, jikan.url, jikan.fetched_at),
                 (anilist.source, anilist.url, anilist.fetched_at)))


def fetch(source: str, *, ids: Iterable[int] = (), season: str | SeasonSpec | None = None,
          config: LiveConfig | None = None, cache: ResponseCache | None = None,
          progress: Progress | None = None,
          on_skip: Callable[[ApiNotFoundError], None] | None = None,
          today: date | None = None, with_relations: bool = False,
          clock: Clock | None = None,
          transport: httpx.BaseTransport | None = None,
          rng: random.Random | None = None) -> Iterator[RemoteAnime]:
    """Anime from ``source`` (jikan | anilist | both): each MAL id of ``ids``, then every
    anime of ``season`` (``now``, ``upcoming``, ``YEAR/SEASON``). ``today`` dates AniList's
    ``now``/``upcoming`` (which it has no endpoint for; default: the clock's date).
    Jikan's season lists carry no relations (``relations_known`` False);
    ``with_relations`` asks ``/anime/{id}/full`` for each entry as well (one request
    each, about a minute per 60 entries at Jikan's limit).
    ``clock``, ``transport`` and ``rng`` are for tests (no waiting, replayed answers)."""
    if source not in SOURCES:
        raise ConfigError(f"--source {source!r}: use one of {', '.join(SOURCES)}")
    ids = list(dict.fromkeys(ids))
    for mal_id in ids:
        if isinstance(mal_id, bool) or not isinstance(mal_id, int) or mal_id < 1:
            raise ConfigError(f"--id {mal_id!r}: a MyAnimeList id is a positive whole number")
    spec = parse_season(season) if isinstance(season, str) else season
    if not ids and spec is None:
        raise ConfigError("nothing to fetch: give --id MAL_ID or --season")
    config = config or LiveConfig.from_env()
    clock = clock or SYSTEM_CLOCK
    shared = dict(cache=cache, clock=clock, transport=transport, rng=rng)
    use_jikan, use_anilist = source in ("jikan", "both"), source in ("anilist", "both")
    jikan = JikanClient(config, **shared) if use_jikan else None  # type: ignore[arg-type]
    anilist = AniListClient(config, **shared) if use_anilist else None  # type: ignore[arg-type]
    report = progress or (lambda done, total, what: None)
    skip = on_skip or (lambda error: None)
    try:
        for done, mal_id in enumerate(ids, 1):
            found_j = found_a = None
            if jikan is not None:
                try:
                    found_j = jikan.anime(mal_id)
                except ApiNotFoundError as exc:
                    skip(exc)
            if anilist is not None:
                try:
                    found_a = anilist.anime_by_mal_id(mal_id)
                except ApiNotFoundError as exc:
                    skip(exc)
            report(done, len(ids), f"MAL {mal_id}")
            if found_j is not None or found_a is not None:
                yield merge(found_j, found_a)
        if spec is not None:
            yield from _season(spec, jikan, anilist, today or clock.now().date(), report,
                               with_relations, skip)
    finally:
        for client in (jikan, anilist):
            if client is not None:
                client.close()


def _season(spec: SeasonSpec, jikan: JikanClient | None, anilist: AniListClient | None,
            today: date, report: Progress, with_relations: bool,
            skip: Callable[[ApiNotFoundError], None]) -> Iterator[RemoteAnime]:
    if spec.which == "year":
        assert spec.year is not None and spec.season is not None
        year, season = spec.year, spec.season
    else:
        year, season = current_season(today)
        if spec.which == "upcoming":
            year, season = _next_season(year, season)
    from_anilist: dict[int, RemoteAnime] = {}
    alone: list[RemoteAnime] = []
    done = 0
    if anilist is not None:
        for record in anilist.season(year, season):
            done += 1
            report(done, None, f"AniList {year}/{season}")
            if record.mal_id is not None and jikan is not None:
                from_anilist[record.mal_id] = record
            else:
                alone.append(record)
    if jikan is not None:
        listing = {"now": jikan.season_now, "upcoming": jikan.season_upcoming}
        records = listing[spec.which]() if spec.which in listing else \
            jikan.season(year, season)
        for record in records:
            done += 1
            report(done, None, f"Jikan {spec}")
            mal_id = record.mal_id
            assert mal_id is not None
            if with_relations:
                try:
                    record = jikan.anime(mal_id)
                except ApiNotFoundError as exc:   # listed, then gone: keep the listing
                    skip(exc)
            yield merge(record, from_anilist.pop(mal_id, None))
    yield from alone
    yield from from_anilist.values()
