"""The raw sources nextseason reads, in the order they are imported.

Each :class:`Source` names its file (relative to the data directory), the date its data was
true (``as_of``, estimated in ``SOURCES.md`` from the data itself and the commit dates), and
its importer. Catalogue snapshots come first, oldest first, so that the newest snapshot's
values end up in ``anime``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .context import ImportContext, ImportResult
from .crosswalk import import_ids, import_tvdb_seasons
from .jikan2021 import import_jikan2021
from .jikan2025 import import_jikan2025
from .mal2018 import import_mal2018
from .rules import import_rules
from .sales import import_sales
from .source_works import import_bestselling, import_ln2025, import_manga2023

__all__ = ["Source", "SOURCES", "source_by_name"]


@dataclass(frozen=True)
class Source:
    name: str
    kind: str
    path: str
    as_of: str
    importer: Callable[[Path, ImportContext], ImportResult]
    description: str
    #: rough number of records, for the progress bar
    size_hint: int


SOURCES: tuple[Source, ...] = (
    Source("mal_2018", "catalogue", "mal_2018_azathoth42/AnimeList.csv.zip", "2018-06-30",
           import_mal2018, "MAL catalogue with typed relations (azathoth42, Kaggle)", 14478),
    Source("jikan_2021", "catalogue",
           "mal_2021_jikan_v3_senpaislist/senpaislist_db_data_jikan_v3.tar.gz", "2021-01-24",
           import_jikan2021, "Jikan v3 per-anime JSON with typed relations (senpaislist)", 11500),
    Source("jikan_2025", "catalogue", "mal_2025_jikan_v4/anime_data.csv.gz", "2025-03-24",
           import_jikan2025, "Jikan v4 MAL catalogue, no relations", 15050),
    Source("sales_2020", "sales", "sales_someanithing_2020", "2020-10-13",
           import_sales, "Japanese home-video sales (Someanithing) linked to MAL", 2058),
    Source("manga_2023", "source_works", "manga_mal_2023_mangashiro/bancodedadosmanga.csv.gz",
           "2023-12-04", import_manga2023, "MAL manga and light novels: volumes, years", 17811),
    Source("ln_2025", "source_works", "ln_mal_2025_reinforcedln/light_novels.csv.gz",
           "2025-02-28", import_ln2025, "MAL light-novel score, rank and popularity", 10587),
    Source("bestselling_2024", "source_works", "manga_bestselling_wikipedia/manga.csv",
           "2024-03-30", import_bestselling, "Best-selling manga (Wikipedia list)", 186),
    Source("ids_2024", "crosswalk", "ids_fribb/anime-list-mini.json.gz", "2024-05-07",
           import_ids, "ID crosswalk MAL/AniList/AniDB/Kitsu/TVDB (Fribb)", 33687),
    Source("tvdb_seasons_2026", "crosswalk", "ids_fribb/anime-lists-reduced.json.gz",
           "2026-06-30", import_tvdb_seasons, "AniDB → TVDB/TMDB season numbers (Fribb)", 10701),
    Source("sequel_rules_2026", "rules", "relations_erengy/anime-relations.txt", "2026-08-03",
           import_rules, "prequel → sequel episode rules (erengy, public domain)", 543),
)


def source_by_name(name: str) -> Source:
    for s in SOURCES:
        if s.name == name:
            return s
    raise KeyError(name)
