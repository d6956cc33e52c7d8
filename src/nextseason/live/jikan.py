"""Jikan v4, the unofficial MyAnimeList REST API: anime by MAL id, season lists.

``anime(mal_id)`` asks ``/anime/{id}/full`` (the entry with its relations in one request);
when that answers 404 it falls back to ``/anime/{id}`` plus ``/anime/{id}/relations`` (an
older or partial self-hosted Jikan). Season lists follow ``pagination.has_next_page``.
Every answer becomes a :class:`~nextseason.live.records.RemoteAnime` in the catalogue's
vocabulary: MyAnimeList's type words, ``finished | airing | not_yet_aired``, dates cut to
the precision ``aired.prop`` gives, relation kinds as MyAnimeList writes them.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import httpx

from ..errors import ApiNotFoundError, ApiResponseError, ConfigError
from ..ingest.dates import PartialDate, parse_iso_date
from .cache import ResponseCache
from .config import LiveConfig
from .fields import Node, fuzzy_date
from .http import ApiResponse, Clock, HttpCore
from .records import RemoteAnime, RemoteRelation

__all__ = ["JikanClient", "parse_anime", "parse_relations", "parse_page", "SEASONS",
           "describe_error"]

SEASONS = ("winter", "spring", "summer", "fall")
STATUS = {"Finished Airing": "finished", "Currently Airing": "airing",
          "Not yet aired": "not_yet_aired"}
FIGURES = {"members": "members", "score": "score", "scored_by": "scored_by", "rank": "rank",
           "popularity": "popularity", "favorites": "favorites"}
TITLE_KINDS = {"english": "english", "japanese": "japanese", "synonym": "synonym"}
MAX_PAGES = 40   # a season is ~4–8 pages of 25; a server that never stops is an error


def describe_error(body: Any) -> str | None:
    """Jikan's error body ``{"status", "type", "message"|"messages", "error"}`` in words."""
    if not isinstance(body, dict) or not ("type" in body or "message" in body):
        return None
    message = body.get("message")
    if not message and isinstance(body.get("messages"), dict):
        message = "; ".join(f"{k}: {' '.join(map(str, v)) if isinstance(v, list) else v}"
                            for k, v in body["messages"].items())
    text = f"{body.get('type') or 'error'}: {message or 'no message'}"
    detail = body.get("error")
    if isinstance(detail, str) and detail:
        text += f" ({detail[:200]})"
    return text


def _iso(when: Any) -> str:
    return when.isoformat() if hasattr(when, "isoformat") else str(when)


def parse_relations(items: Iterator[Node]) -> tuple[RemoteRelation, ...]:
    """``[{relation, entry: [{mal_id, type, name}]}]`` as relations (anime and manga)."""
    out: list[RemoteRelation] = []
    for group in items:
        kind = group.req("relation", str)
        for entry in group.items("entry", required=True):
            target_type = entry.req("type", str).lower()
            out.append(RemoteRelation(kind=kind, target_type=target_type,
                                      target_mal_id=entry.req("mal_id", int),
                                      target_title=entry.opt("name", str)))
    return tuple(out)


def _names(node: Node, key: str) -> tuple[str, ...]:
    return tuple(item.req("name", str) for item in node.items(key))


def _titles(node: Node) -> tuple[str, tuple[tuple[str, str], ...]]:
    main = None
    titles: list[tuple[str, str]] = []
    if node.has("titles") and node.value["titles"] is not None:
        for item in node.items("titles"):
            kind, text = item.req("type", str), item.req("title", str)
            if kind == "Default" and main is None:
                main = text
            elif kind != "Default":
                titles.append((TITLE_KINDS.get(kind.lower(), "synonym"), text))
    else:  # the early-2022 shape: single fields only
        for key, kind in (("title_english", "english"), ("title_japanese", "japanese")):
            single = node.opt(key, str)
            if single:
                titles.append((kind, single))
        titles += [("synonym", s.value) for s in node.items("title_synonyms")
                   if isinstance(s.value, str) and s.value]
    fallback = node.opt("title", str)
    main = main or fallback
    if not main:
        raise node.drift("no title (neither a Default entry in titles nor title)", "title")
    return main, tuple(dict.fromkeys(titles))


def parse_anime(node: Node, *, url: str, fetched_at: str,
                relations: tuple[RemoteRelation, ...] | None = None) -> RemoteAnime:
    """One Jikan anime object. Relations come from the object's own ``relations`` (the
    ``/full`` shape) unless given; when neither, ``relations_known`` is False."""
    mal_id = node.req("mal_id", int)
    title, titles = _titles(node)
    status_text = node.opt("status", str)
    status = None
    if status_text is not None:
        status = STATUS.get(status_text)
        if status is None:
            raise node.drift(f"unknown status {status_text!r} (expected one of "
                             f"{', '.join(STATUS)})", "status")
    start = end = None
    aired = node.obj("aired")
    if aired is not None:
        prop = aired.obj("prop")
        if prop is not None:
            start, end = fuzzy_date(prop.obj("from")), fuzzy_date(prop.obj("to"))
        elif aired.opt("from", str):
            start = _iso_day(aired, "from")
            end = _iso_day(aired, "to")
    if status != "finished" and end == start:
        end = None
    season = node.opt("season", str)
    if season is not None and season.lower() not in SEASONS:
        raise node.drift(f"unknown season {season!r}", "season")
    figures = {name: node.opt(key, float) for key, name in FIGURES.items()}
    if relations is None and node.has("relations"):
        relations = parse_relations(node.items("relations"))
    return RemoteAnime(
        source="jikan", url=url, fetched_at=fetched_at, mal_id=mal_id, anilist_id=None,
        title=title, titles=titles, type=node.opt("type", str),
        episodes=node.opt("episodes", int), status=status, status_detail=status_text,
        start_date=start.value if start else None,
        start_precision=start.precision if start else None,
        end_date=end.value if end else None, end_precision=end.precision if end else None,
        season=season.lower() if season else None, season_year=node.opt("year", int),
        source_type=node.opt("source", str), rating=node.opt("rating", str),
        figures={k: v for k, v in figures.items() if v is not None},
        studios=_names(node, "studios"),
        genres=_names(node, "genres") + _names(node, "explicit_genres"),
        themes=_names(node, "themes"), demographics=_names(node, "demographics"),
        relations=relations or (), relations_known=relations is not None)


def _iso_day(node: Node, key: str) -> PartialDate | None:
    text = node.opt(key, str)
    try:
        return parse_iso_date(text)
    except ValueError:
        raise node.drift(f"{text!r} is not an ISO date", key) from None


def parse_page(body: Any, *, url: str, fetched_at: str) -> tuple[list[RemoteAnime], bool]:
    """A list answer (``/seasons/...``, ``/top/anime``, ``/schedules``, search): its anime
    and whether another page follows."""
    root = Node(body, url)
    records = [parse_anime(item, url=url, fetched_at=fetched_at)
               for item in root.req("data").elements()]
    pagination = root.obj("pagination")
    has_next = bool(pagination.opt("has_next_page", bool)) if pagination else False
    return records, has_next


class JikanClient:
    """Jikan v4 at ``config.jikan_url``: 3 requests/s and 60/min, answers cached 24 h."""

    def __init__(self, config: LiveConfig | None = None, *, cache: ResponseCache | None = None,
                 clock: Clock | None = None, transport: httpx.BaseTransport | None = None,
                 rng: random.Random | None = None) -> None:
        self.config = config or LiveConfig()
        self.http = HttpCore("Jikan", self.config.jikan_url, config=self.config,
                             ttl=self.config.jikan_ttl, limits=self.config.jikan_limits,
                             clock=clock, cache=cache, transport=transport, rng=rng,
                             describe_error=describe_error)

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> JikanClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _data(self, answer: ApiResponse) -> Node:
        return Node(answer.data, answer.url).req("data")

    def anime(self, mal_id: int) -> RemoteAnime:
        """One anime with its relations; :class:`ApiNotFoundError` if MAL has no such id."""
        if isinstance(mal_id, bool) or not isinstance(mal_id, int) or mal_id < 1:
            raise ConfigError(f"a MyAnimeList id is a positive whole number, not {mal_id!r}")
        try:
            answer = self.http.get(f"anime/{mal_id}/full")
        except ApiNotFoundError:
            return self._anime_in_parts(mal_id)
        return parse_anime(self._data(answer), url=answer.url,
                           fetched_at=_iso(answer.fetched_at))

    def _anime_in_parts(self, mal_id: int) -> RemoteAnime:
        answer = self.http.get(f"anime/{mal_id}")   # 404 here: no such anime
        relations: tuple[RemoteRelation, ...] | None
        try:
            rel = self.http.get(f"anime/{mal_id}/relations")
        except ApiNotFoundError:
            relations = None
        else:
            relations = parse_relations(Node(rel.data, rel.url).req("data").elements())
        return parse_anime(self._data(answer), url=answer.url,
                           fetched_at=_iso(answer.fetched_at), relations=relations)

    def _pages(self, path: str, params: dict[str, Any] | None = None
               ) -> Iterator[RemoteAnime]:
        seen: set[int] = set()
        for page in range(1, MAX_PAGES + 1):
            query = dict(params or {})
            if page > 1:
                query["page"] = page
            answer = self.http.get(path, query)
            records, has_next = parse_page(answer.data, url=answer.url,
                                           fetched_at=_iso(answer.fetched_at))
            for record in records:
                if record.mal_id not in seen:   # Jikan repeats entries across pages
                    seen.add(record.mal_id)      # type: ignore[arg-type]
                    yield record
            if not has_next:
                return
        raise ApiResponseError(f"still has_next_page after {MAX_PAGES} pages",
                               url=self.http.url(path, params))

    def season(self, year: int, season: str, *, kind: str | None = None
               ) -> Iterator[RemoteAnime]:
        """Every anime of a season (``kind``: tv, movie, ova, special, ona, music)."""
        season = season.lower()
        if season not in SEASONS:
            raise ConfigError(f"unknown season {season!r}: use one of {', '.join(SEASONS)}")
        if not 1917 <= year <= 2100:
            raise ConfigError(f"season year {year} is out of range")
        return self._pages(f"seasons/{year}/{season}", {"filter": kind})

    def season_now(self, *, kind: str | None = None) -> Iterator[RemoteAnime]:
        return self._pages("seasons/now", {"filter": kind})

    def season_upcoming(self, *, kind: str | None = None) -> Iterator[RemoteAnime]:
        return self._pages("seasons/upcoming", {"filter": kind})

