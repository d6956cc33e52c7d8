"""What a live source says about one anime, in the store's vocabulary.

The clients (:mod:`nextseason.live.jikan`, :mod:`nextseason.live.anilist`) turn API responses
into these records; the refresh writes them to the store as a new dated snapshot. Values use
the catalogue's words: ``type`` as MyAnimeList names formats ("TV", "ONA", "Movie", …),
``status`` one of ``finished | airing | not_yet_aired``, dates ISO and truncated to their
precision (``day | month | year``), relation kinds as MyAnimeList names them ("Sequel",
"Prequel", "Side story", …; AniList's ``SEQUEL`` becomes "Sequel").
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["RemoteRelation", "RemoteAnime"]


@dataclass(frozen=True)
class RemoteRelation:
    kind: str                      # "Sequel", "Prequel", "Side story", "Adaptation", ...
    target_type: str               # anime | manga
    target_mal_id: int | None      # None when the source knows only its own id
    target_anilist_id: int | None = None
    target_title: str | None = None
    target_format: str | None = None  # "TV", "ONA", "Movie", "Manga", "Light novel", ...


@dataclass(frozen=True)
class RemoteAnime:
    source: str                    # jikan | anilist | jikan+anilist (merged, see live.fetch)
    url: str                       # the request that answered it
    fetched_at: str                # ISO timestamp of the response (the cache's date)
    mal_id: int | None
    anilist_id: int | None
    title: str                     # the romaji / main title
    titles: tuple[tuple[str, str], ...] = ()  # (kind, title); kind: english | japanese | synonym
    type: str | None = None
    episodes: int | None = None
    status: str | None = None
    start_date: str | None = None
    start_precision: str | None = None
    end_date: str | None = None
    end_precision: str | None = None
    season: str | None = None      # winter | spring | summer | fall
    season_year: int | None = None
    source_type: str | None = None  # Manga, Light novel, Original, ...
    rating: str | None = None
    figures: dict[str, float] = field(default_factory=dict)  # members, score, scored_by, ...
    studios: tuple[str, ...] = ()
    genres: tuple[str, ...] = ()
    relations: tuple[RemoteRelation, ...] = ()
    next_airing: str | None = None  # ISO timestamp of the next episode, when the source has it
    themes: tuple[str, ...] = ()   # MyAnimeList's themes (Jikan); AniList has none
    demographics: tuple[str, ...] = ()  # Shounen, Seinen, ... (Jikan)
    relations_known: bool = True   # False: the source did not say (relations not fetched)
    next_episode: int | None = None  # the number of the episode at next_airing
    status_detail: str | None = None  # the source's own status word ("CANCELLED", ...)
    # a merged record (source "jikan+anilist"): (source, url, fetched_at) of each answer
    sources: tuple[tuple[str, str, str], ...] = ()
