"""Where else to read about a show: MyAnimeList always, and every site whose id the ID
crosswalk holds (AniList, AniDB, Kitsu, TVDB, TMDB, IMDb, LiveChart). Addresses are built
from integer ids (IMDb's from its ``tt`` pattern), never from free text."""

from __future__ import annotations

import re

from ..store.conn import Conn
from ..store.sources import crosswalk_ids

__all__ = ["external_links", "SITES"]

#: crosswalk column → (site, address pattern)
SITES = {
    "anilist_id": ("AniList", "https://anilist.co/anime/{}"),
    "anidb_id": ("AniDB", "https://anidb.net/anime/{}"),
    "kitsu_id": ("Kitsu", "https://kitsu.app/anime/{}"),
    "livechart_id": ("LiveChart", "https://www.livechart.me/anime/{}"),
    "tvdb_id": ("TVDB", "https://thetvdb.com/dereferrer/series/{}"),
    "tmdb_id": ("TMDB", "https://www.themoviedb.org/{}/{}"),
    "imdb_id": ("IMDb", "https://www.imdb.com/title/{}/"),
}
_IMDB = re.compile(r"tt\d{5,10}")


def external_links(conn: Conn, mal_id: int,
                   anime_type: str | None = None) -> list[dict[str, str]]:
    """``[{"site": "MyAnimeList", "url": ...}, {"site": "AniList", ...}, ...]``."""
    links = [{"site": "MyAnimeList", "url": f"https://myanimelist.net/anime/{int(mal_id)}"}]
    row = crosswalk_ids(conn, mal_id)
    if row is None:
        return links
    for column in SITES:
        value = row[column]
        site, pattern = SITES[column]
        if value is None or value == "":
            continue
        if column == "imdb_id":
            if not _IMDB.fullmatch(str(value)):
                continue
            url = pattern.format(value)
        elif column == "tmdb_id":
            url = pattern.format("movie" if anime_type == "Movie" else "tv", int(value))
        else:
            url = pattern.format(int(value))
        links.append({"site": site, "url": url})
    return links
