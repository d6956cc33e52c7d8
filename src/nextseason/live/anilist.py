"""AniList's GraphQL API: an anime by MAL or AniList id, the anime of a season.

Every request is a POST of ``{"query", "variables"}`` to ``config.anilist_url``; errors may
come inside an HTTP 200 (``{"errors": [...], "data": ...}``) and are raised as the matching
:class:`~nextseason.errors.ApiError`. Lists come from ``Page(page:, perPage: 50)`` and
follow ``pageInfo.hasNextPage`` (AniList's ``total``/``lastPage`` are not accurate).

Answers become :class:`~nextseason.live.records.RemoteAnime` records in the catalogue's
vocabulary:

* ``format``: TV and TV_SHORT → "TV" (MyAnimeList lists TV shorts as TV), ONA → "ONA",
  MOVIE → "Movie", SPECIAL → "Special", OVA → "OVA", MUSIC → "Music"; related manga and
  novels: MANGA → "Manga", NOVEL → "Light novel", ONE_SHOT → "One-shot".
* ``status``: FINISHED → finished, RELEASING → airing, NOT_YET_RELEASED → not_yet_aired,
  HIATUS → airing (the run has begun and is not over; MyAnimeList keeps such shows
  "Currently Airing"), CANCELLED → no status (None): it will not air, yet it has not
  finished either, and calling it "not yet aired" would count a cancelled sequel as
  announced. The source's own word is kept in ``status_detail`` either way.
* ``relationType(version: 2)``: SEQUEL → "Sequel", PREQUEL → "Prequel", SIDE_STORY →
  "Side story", PARENT → "Parent story", SPIN_OFF → "Spin-off", ALTERNATIVE → "Alternative
  version", SUMMARY → "Summary", CHARACTER → "Character", OTHER → "Other", ADAPTATION and
  SOURCE → "Adaptation" (MyAnimeList has one word for both directions), COMPILATION →
  "Summary" and CONTAINS → "Full story" (the related entry is a compilation of this one /
  contains it).
* figures: ``anilist_popularity`` (users with the entry on a list), ``anilist_average_score``
  and ``anilist_mean_score`` (0–100), ``anilist_favourites`` — named apart from Jikan's
  ``popularity`` (a rank) and ``score`` (0–10) so both can sit on one record.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx

from ..errors import ApiNotFoundError, ApiResponseError, ConfigError, RateLimitedError
from .cache import ResponseCache
from .config import LiveConfig
from .fields import Node, fuzzy_date
from .http import Clock, HttpCore
from .records import RemoteAnime, RemoteRelation

__all__ = ["AniListClient", "parse_media", "parse_page", "parse_relation_edges",
           "describe_error", "check_body", "MEDIA_QUERY", "SEASON_QUERY", "FORMATS",
           "STATUS", "RELATIONS"]

FORMATS = {"TV": "TV", "TV_SHORT": "TV", "ONA": "ONA", "MOVIE": "Movie",
           "SPECIAL": "Special", "OVA": "OVA", "MUSIC": "Music"}
TARGET_FORMATS = {**FORMATS, "MANGA": "Manga", "NOVEL": "Light novel",
                  "ONE_SHOT": "One-shot"}
STATUS: dict[str, str | None] = {
    "FINISHED": "finished", "RELEASING": "airing", "NOT_YET_RELEASED": "not_yet_aired",
    "HIATUS": "airing", "CANCELLED": None}
RELATIONS = {
    "SEQUEL": "Sequel", "PREQUEL": "Prequel", "SIDE_STORY": "Side story",
    "PARENT": "Parent story", "SPIN_OFF": "Spin-off", "ALTERNATIVE": "Alternative version",
    "SUMMARY": "Summary", "CHARACTER": "Character", "OTHER": "Other",
    "ADAPTATION": "Adaptation", "SOURCE": "Adaptation", "COMPILATION": "Summary",
    "CONTAINS": "Full story"}
SOURCES = {"ORIGINAL": "Original", "MANGA": "Manga", "LIGHT_NOVEL": "Light novel",
           "VISUAL_NOVEL": "Visual novel", "VIDEO_GAME": "Game", "GAME": "Game",
           "NOVEL": "Novel", "WEB_NOVEL": "Web novel", "PICTURE_BOOK": "Picture book",
           "MULTIMEDIA_PROJECT": "Mixed media", "OTHER": "Other", "DOUJINSHI": "Other",
           "ANIME": "Other", "LIVE_ACTION": "Other", "COMIC": "Other"}
SEASONS = ("winter", "spring", "summer", "fall")
PER_PAGE = 50        # AniList's maximum
MAX_PAGES = 40

MEDIA_FIELDS = """
  id idMal type format status(version: 2) episodes season seasonYear source(version: 2)
  title { romaji english native }
  synonyms
  startDate { year month day }
  endDate { year month day }
  averageScore meanScore popularity favourites
  genres
  studios { edges { isMain node { name isAnimationStudio } } }
  nextAiringEpisode { airingAt episode }
  relations {
    edges {
      relationType(version: 2)
      node { id idMal type format title { romaji english native } }
    }
  }
"""
MEDIA_QUERY = ("query ($id: Int, $idMal: Int) {\n  Media(id: $id, idMal: $idMal, type: ANIME) {"
               + MEDIA_FIELDS + "  }\n}\n")
SEASON_QUERY = (
    "query ($season: MediaSeason, $seasonYear: Int, $page: Int, $perPage: Int) {\n"
    "  Page(page: $page, perPage: $perPage) {\n"
    "    pageInfo { hasNextPage currentPage }\n"
    "    media(season: $season, seasonYear: $seasonYear, type: ANIME, sort: [ID]) {"
    + MEDIA_FIELDS + "    }\n  }\n}\n")


def _messages(body: Any) -> list[dict[str, Any]]:
    errors = body.get("errors") if isinstance(body, dict) else None
    return [e for e in errors if isinstance(e, dict)] if isinstance(errors, list) else []


def describe_error(body: Any) -> str | None:
    """AniList's ``errors`` array in words (messages and validation details)."""
    parts = []
    for error in _messages(body):
        text = str(error.get("message") or "error")
        validation = error.get("validation")
        if isinstance(validation, dict):
            text += " (" + "; ".join(
                f"{k}: {' '.join(map(str, v)) if isinstance(v, list) else v}"
                for k, v in validation.items()) + ")"
        parts.append(text)
    return "; ".join(parts) or None


def check_body(data: Any, where: str, status: int) -> None:
    """Raise for the errors AniList sends inside an HTTP 200."""
    errors = _messages(data)
    if errors:
        statuses = {e.get("status") for e in errors}
        message = f"AniList says: {describe_error(data)}"
        if 429 in statuses:
            raise RateLimitedError(message, url=where, status=status)
        if 404 in statuses:
            raise ApiNotFoundError(message, url=where, status=status)
        raise ApiResponseError(message, url=where, status=status)
    if not isinstance(data, dict) or not isinstance(data.get("data"), dict):
        raise ApiResponseError("the answer has no data object (and no error)", url=where,
                               status=status)


def _word(node: Node, key: str, table: dict[str, Any]) -> Any:
    raw = node.opt(key, str)
    if raw is None:
        return None
    if raw not in table:
        raise node.drift(f"unknown value {raw!r} (known: {', '.join(table)})", key)
    return table[raw]


def _title(node: Node | None) -> str | None:
    if node is None:
        return None
    for key in ("romaji", "userPreferred", "english", "native"):
        text = node.opt(key, str)
        if text:
            return text
    return None


def parse_relation_edges(edges: Iterator[Node]) -> tuple[RemoteRelation, ...]:
    """``relations.edges[]`` as relations (anime, manga and novels alike)."""
    out = []
    for edge in edges:
        kind = _word(edge, "relationType", RELATIONS)
        node = edge.req("node")
        if kind is None or node.value is None:
            continue
        raw_format = node.opt("format", str)
        out.append(RemoteRelation(
            kind=kind, target_type=(node.opt("type", str) or "anime").lower(),
            target_mal_id=node.opt("idMal", int), target_anilist_id=node.req("id", int),
            target_title=_title(node.obj("title")),
            target_format=TARGET_FORMATS.get(raw_format, raw_format) if raw_format else None))
    return tuple(out)


def _studios(node: Node) -> tuple[str, ...]:
    studios = node.obj("studios")
    if studios is None:
        return ()
    main, animators = [], []
    for edge in studios.items("edges"):
        studio = edge.req("node")
        name = studio.req("name", str)
        if edge.opt("isMain", bool):
            main.append(name)
        elif studio.opt("isAnimationStudio", bool):
            animators.append(name)
    return tuple(dict.fromkeys(main or animators))


def parse_media(node: Node, *, url: str, fetched_at: str) -> RemoteAnime | None:
    """One ``Media`` object; None when it is not an anime (a manga or novel in a list)."""
    media_type = node.opt("type", str)
    if media_type is not None and media_type != "ANIME":
        return None
    anilist_id = node.req("id", int)
    names = node.obj("title", required=True)
    title = _title(names)
    if not title:
        raise node.drift("no romaji, english or native title", "title")
    titles: list[tuple[str, str]] = []
    for key, kind in (("english", "english"), ("native", "japanese")):
        text = names.opt(key, str) if names is not None else None
        if text and text != title:
            titles.append((kind, text))
    titles += [("synonym", s.value) for s in node.items("synonyms")
               if isinstance(s.value, str) and s.value]
    raw_status = node.opt("status", str)
    status = _word(node, "status", STATUS)
    start, end = fuzzy_date(node.obj("startDate")), fuzzy_date(node.obj("endDate"))
    if status != "finished" and end == start:
        end = None
    season = node.opt("season", str)
    if season is not None and season.lower() not in SEASONS:
        raise node.drift(f"unknown season {season!r}", "season")
    figures = {"anilist_popularity": node.opt("popularity", float),
               "anilist_average_score": node.opt("averageScore", float),
               "anilist_mean_score": node.opt("meanScore", float),
               "anilist_favourites": node.opt("favourites", float)}
    next_airing = next_episode = None
    upcoming = node.obj("nextAiringEpisode")
    if upcoming is not None:
        airing_at = upcoming.opt("airingAt", int)
        if airing_at is not None:
            next_airing = datetime.fromtimestamp(airing_at, UTC).isoformat()
        next_episode = upcoming.opt("episode", int)
    relations = node.obj("relations")
    raw_source = node.opt("source", str)
    return RemoteAnime(
        source="anilist", url=url, fetched_at=fetched_at, mal_id=node.opt("idMal", int),
        anilist_id=anilist_id, title=title, titles=tuple(dict.fromkeys(titles)),
        type=_word(node, "format", FORMATS), episodes=node.opt("episodes", int),
        status=status, status_detail=raw_status,
        start_date=start.value if start else None,
        start_precision=start.precision if start else None,
        end_date=end.value if end else None, end_precision=end.precision if end else None,
        season=season.lower() if season else None, season_year=node.opt("seasonYear", int),
        source_type=SOURCES.get(raw_source, raw_source.replace("_", " ").capitalize())
        if raw_source else None,
        figures={k: v for k, v in figures.items() if v is not None},
        studios=_studios(node),
        genres=tuple(g.value for g in node.items("genres") if isinstance(g.value, str)),
        relations=parse_relation_edges(relations.items("edges")) if relations else (),
        relations_known=relations is not None,
        next_airing=next_airing, next_episode=next_episode)


def parse_page(body: Any, *, url: str, fetched_at: str) -> tuple[list[RemoteAnime], bool]:
    """A ``Page`` answer (or several aliased pages): its anime and whether more follow."""
    data = Node(body, url).req("data")
    pages = [data.req("Page")] if data.has("Page") else \
        [data.req(k) for k in data.value if isinstance(data.value[k], dict)
         and "media" in data.value[k]]
    if not pages:
        raise data.drift("missing", "Page")
    records: list[RemoteAnime] = []
    has_next = False
    for page in pages:
        for item in page.items("media", required=True):
            record = parse_media(item, url=url, fetched_at=fetched_at)
            if record is not None:
                records.append(record)
        info = page.obj("pageInfo")
        has_next = has_next or bool(info and info.opt("hasNextPage", bool))
    return records, has_next


class AniListClient:
    """AniList at ``config.anilist_url``: 30 requests/min (its degraded-state limit),
    answers cached ``config.anilist_ttl`` seconds."""

    def __init__(self, config: LiveConfig | None = None, *, cache: ResponseCache | None = None,
                 clock: Clock | None = None, transport: httpx.BaseTransport | None = None,
                 rng: random.Random | None = None) -> None:
        self.config = config or LiveConfig()
        self.http = HttpCore("AniList", self.config.anilist_url, config=self.config,
                             ttl=self.config.anilist_ttl, limits=self.config.anilist_limits,
                             clock=clock, cache=cache, transport=transport, rng=rng,
                             describe_error=describe_error, check_body=check_body)

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> AniListClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def query(self, query: str, variables: dict[str, Any]) -> tuple[Any, str, str]:
        """Run one GraphQL query: its body, the URL and the fetch date (ISO)."""
        label = "variables " + json.dumps(variables, sort_keys=True)
        answer = self.http.post_json({"query": query, "variables": variables}, label=label)
        return answer.data, f"{answer.url} {label}", answer.fetched_at.isoformat()

    def media(self, variables: dict[str, Any]) -> RemoteAnime:
        """The anime ``Media(id:, idMal:)`` answers for these variables."""
        body, url, fetched_at = self.query(MEDIA_QUERY, variables)
        node = Node(body, url).req("data").req("Media")
        if node.value is None:
            raise ApiNotFoundError("AniList has no such anime", url=url)
        record = parse_media(node, url=url, fetched_at=fetched_at)
        if record is None:
            raise ApiNotFoundError("AniList answered with an entry that is not an anime",
                                   url=url)
        return record

    def anime_by_mal_id(self, mal_id: int) -> RemoteAnime:
        _check_id(mal_id, "MyAnimeList")
        return self.media({"idMal": mal_id})

    def anime(self, anilist_id: int) -> RemoteAnime:
        _check_id(anilist_id, "AniList")
        return self.media({"id": anilist_id})

    def pages(self, query: str, variables: dict[str, Any]) -> Iterator[RemoteAnime]:
        """Every anime of a ``Page`` query, page after page (``$page``/``$perPage`` set
        here; ``perPage`` at most 50)."""
        seen: set[int] = set()
        for page in range(1, MAX_PAGES + 1):
            per_page = min(int(variables.get("perPage") or PER_PAGE), PER_PAGE)
            body, url, fetched_at = self.query(query, {**variables, "page": page,
                                                       "perPage": per_page})
            records, has_next = parse_page(body, url=url, fetched_at=fetched_at)
            for record in records:
                if record.anilist_id not in seen:
                    seen.add(record.anilist_id)  # type: ignore[arg-type]
                    yield record
            if not has_next:
                return
        raise ApiResponseError(f"still hasNextPage after {MAX_PAGES} pages",
                               url=self.config.anilist_url)

    def season(self, year: int, season: str) -> Iterator[RemoteAnime]:
        """Every anime of a season (AniList's WINTER of a year includes December before)."""
        season = season.lower()
        if season not in SEASONS:
            raise ConfigError(f"unknown season {season!r}: use one of {', '.join(SEASONS)}")
        if not 1917 <= year <= 2100:
            raise ConfigError(f"season year {year} is out of range")
        return self.pages(SEASON_QUERY, {"season": season.upper(), "seasonYear": year})


def _check_id(value: int, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"an {what} id is a positive whole number, not {value!r}")
