"""Live data: Jikan v4 and AniList clients, and what a refresh adds to the store.

``fetch(source, ids=..., season=..., config=LiveConfig.from_env())`` is the entry point;
:mod:`.jikan` and :mod:`.anilist` are the two clients over one HTTP core (:mod:`.http`:
rate limits, retries, timeouts, the response cache of :mod:`.cache`); :mod:`.replay`
serves recorded answers on loopback for tests and trials.
"""

from .anilist import AniListClient
from .cache import ResponseCache
from .config import DEFAULT_ANILIST_URL, DEFAULT_JIKAN_URL, LiveConfig
from .fetch import SOURCES, SeasonSpec, fetch, merge, parse_season
from .jikan import JikanClient
from .records import RemoteAnime, RemoteRelation

__all__ = ["fetch", "merge", "parse_season", "SeasonSpec", "SOURCES", "LiveConfig",
           "DEFAULT_JIKAN_URL", "DEFAULT_ANILIST_URL", "JikanClient", "AniListClient",
           "ResponseCache", "RemoteAnime", "RemoteRelation"]
