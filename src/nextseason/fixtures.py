"""A seeded synthetic catalogue, written in the raw formats of every real source.

``write_synthetic_data(folder, seed=0)`` lays out a data directory shaped exactly like the
real one (same sub-folders, file names, columns, archive formats and quirks: HTML entities,
Python-literal columns, Jikan error bodies, shows listed in several season folders, shifted
manga rows, truncated grosses), small enough for unit tests and examples. The shows are
invented; their structure (sequel chains, source works, snapshots that disagree over time)
is what the real data has.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import random
import tarfile
import zipfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

__all__ = ["Show", "SyntheticCatalogue", "make_catalogue", "visible_at", "write_synthetic_data",
           "SNAPSHOT_2018", "SNAPSHOT_2021", "SNAPSHOT_2025"]

SNAPSHOT_2018 = date(2018, 6, 30)
SNAPSHOT_2021 = date(2021, 1, 24)
SNAPSHOT_2025 = date(2025, 3, 24)
_SYLLABLES = ["ka", "ri", "to", "shi", "mo", "na", "yu", "ki", "ra", "ho", "se", "tsu", "ne",
              "mi", "ko", "ha", "ru", "sa", "wa", "no"]
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_STUDIOS = ["Studio Alpha", "Beta Pictures", "Gamma Works", "Delta Animation"]
_GENRES = ["Action", "Comedy", "Drama", "Romance", "Fantasy", "School", "Shounen", "Seinen"]


@dataclass
class Show:
    mal_id: int
    title: str
    english: str | None
    type: str
    start: date
    end: date
    episodes: int
    franchise: int
    season_number: int
    manga_id: int | None
    members: int
    score: float
    synonyms: list[str] = field(default_factory=list)


@dataclass
class SyntheticCatalogue:
    shows: list[Show]
    sequels: list[tuple[int, int]]  # (prequel, sequel), TV/ONA only
    manga: dict[int, tuple[str, str, int | None, int, int | None]]  # id -> title,type,vols,y0,y1


def _name(rng: random.Random) -> str:
    words = ["".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
             for _ in range(rng.randint(1, 3))]
    return " ".join(words) + rng.choice(["", " no Monogatari", " Academy", "!!"])


def make_catalogue(seed: int = 0, n_franchises: int = 24) -> SyntheticCatalogue:
    rng = random.Random(seed)
    shows: list[Show] = []
    sequels: list[tuple[int, int]] = []
    manga: dict[int, tuple[str, str, int | None, int, int | None]] = {}
    next_id = 1000
    for f in range(n_franchises):
        base = _name(rng)
        manga_id = 5000 + f
        start = date(2010, 1, 5) + timedelta(days=rng.randint(0, 14 * 365))
        finished = rng.random() < 0.6
        y0 = start.year - rng.randint(1, 4)
        manga[manga_id] = (base, rng.choice(["Manga", "Light-Novel"]),
                           rng.randint(3, 30) if finished else None, y0,
                           y0 + rng.randint(2, 8) if finished else None)
        seasons = rng.choice([1, 1, 1, 2, 2, 3])
        prev = None
        for s in range(1, seasons + 1):
            title = base if s == 1 else rng.choice(
                [f"{base} {s}nd Season" if s == 2 else f"{base} {s}rd Season",
                 f"{base} Season {s}", f"{base} Part {s}"])
            eps = rng.choice([12, 12, 13, 24, 25])
            show = Show(next_id, title, f"{base} EN" + ("" if s == 1 else f" Season {s}"),
                        "TV" if rng.random() < 0.85 else "ONA", start,
                        start + timedelta(weeks=eps - 1), eps, f, s, manga_id,
                        rng.randint(2_000, 900_000), round(rng.uniform(5.5, 9.0), 2))
            shows.append(show)
            if prev:
                sequels.append((prev.mal_id, show.mal_id))
            prev = show
            next_id += 1
            start = show.end + timedelta(days=rng.randint(200, 1400))
        if rng.random() < 0.3:
            movie_start = prev.end + timedelta(days=rng.randint(60, 500))  # type: ignore[union-attr]
            shows.append(Show(next_id, f"{base} Movie", None, "Movie", movie_start, movie_start,
                              1, f, 0, manga_id, rng.randint(1_000, 90_000), 7.0))
            next_id += 1
    next(s for s in shows if 2010 <= s.start.year <= 2017).synonyms = ["Sample Alias & Co."]
    return SyntheticCatalogue(shows, sequels, manga)


def _source(cat: SyntheticCatalogue, s: Show) -> str:
    if s.manga_id is None:
        return "Original"
    return "Light novel" if cat.manga[s.manga_id][1] == "Light-Novel" else "Manga"


def _aired_string(s: Show, as_of: date) -> tuple[str, str]:
    def fmt(d: date) -> str:
        return f"{_MONTHS[d.month - 1]} {d.day}, {d.year}"

    if s.start > as_of:
        return f"{_MONTHS[s.start.month - 1]}, {s.start.year} to ?", "Not yet aired"
    if s.end > as_of:
        return f"{fmt(s.start)} to ?", "Currently Airing"
    if s.type == "Movie":
        return fmt(s.start), "Finished Airing"
    return f"{fmt(s.start)} to {fmt(s.end)}", "Finished Airing"


def visible_at(s: Show, as_of: date) -> bool:
    return s.start <= as_of + timedelta(days=200)


def _related(cat: SyntheticCatalogue, s: Show, as_of: date, *, v3: bool) -> dict[str, list]:
    by_id = {x.mal_id: x for x in cat.shows}
    rel: dict[str, list] = {}
    key = "name" if v3 else "title"
    if s.manga_id:
        rel["Adaptation"] = [{"mal_id": s.manga_id, "type": "manga", key: cat.manga[s.manga_id][0],
                              "url": f"https://myanimelist.net/manga/{s.manga_id}"}]
    for p, q in cat.sequels:
        for kind, a, b in (("Sequel", p, q), ("Prequel", q, p)):
            if a == s.mal_id and visible_at(by_id[b], as_of):
                rel.setdefault(kind, []).append(
                    {"mal_id": b, "type": "anime", key: by_id[b].title,
                     "url": f"https://myanimelist.net/anime/{b}"})
    return rel


def _write_2018(cat: SyntheticCatalogue, folder: Path) -> None:
    cols = ["anime_id", "title", "title_english", "title_japanese", "title_synonyms",
            "image_url", "type", "source", "episodes", "status", "airing", "aired_string",
            "aired", "duration", "rating", "score", "scored_by", "rank", "popularity", "members",
            "favorites", "background", "premiered", "broadcast", "related", "producer",
            "licensor", "studio", "genre", "opening_theme", "ending_theme"]
    buf = io.StringIO()
    w = csv.DictWriter(buf, cols)
    w.writeheader()
    for s in cat.shows:
        if not visible_at(s, SNAPSHOT_2018):
            continue
        aired, status = _aired_string(s, SNAPSHOT_2018)
        w.writerow({
            "anime_id": s.mal_id, "title": s.title, "title_english": s.english or "",
            "title_japanese": "テスト", "title_synonyms": ", ".join(s.synonyms), "image_url": "",
            "type": s.type, "source": _source(cat, s),
            "episodes": s.episodes if status != "Not yet aired"
            else 0, "status": status, "airing": str(status == "Currently Airing"),
            "aired_string": aired, "aired": repr({"from": s.start.isoformat(), "to": None}),
            "duration": "24 min. per ep.", "rating": "PG-13 - Teens 13 or older",
            "score": s.score, "scored_by": s.members // 2, "rank": 100, "popularity": 50,
            "members": s.members // 3, "favorites": s.members // 100, "background": "",
            "premiered": f"Spring {s.start.year}", "broadcast": "",
            "related": repr(_related(cat, s, SNAPSHOT_2018, v3=False)),
            "producer": "Aniplex &amp; Friends", "licensor": "",
            "studio": _STUDIOS[s.franchise % 4],
            "genre": ", ".join(_GENRES[s.franchise % 8: s.franchise % 8 + 2]),
            "opening_theme": "[]", "ending_theme": "[]",
        })
    target = folder / "mal_2018_azathoth42"
    target.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target / "AnimeList.csv.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("AnimeList.csv", buf.getvalue())


def _v3_record(cat: SyntheticCatalogue, s: Show) -> dict:
    aired, status = _aired_string(s, SNAPSHOT_2021)
    return {
        "mal_id": s.mal_id, "url": f"https://myanimelist.net/anime/{s.mal_id}", "title": s.title,
        "title_english": s.english, "title_japanese": "テスト", "title_synonyms": s.synonyms,
        "type": s.type, "source": _source(cat, s),
        "episodes": s.episodes if status == "Finished Airing" else None, "status": status,
        "airing": status == "Currently Airing",
        "aired": {"from": s.start.isoformat() + "T00:00:00+00:00", "to": None, "prop": {},
                  "string": aired},
        "duration": "24 min per ep", "rating": "PG-13 - Teens 13 or older", "score": s.score,
        "scored_by": s.members // 2, "rank": 100, "popularity": 50, "members": s.members // 2,
        "favorites": s.members // 50, "premiered": f"Spring {s.start.year}",
        "related": _related(cat, s, SNAPSHOT_2021, v3=True),
        "producers": [{"mal_id": 1, "type": "anime", "name": "Aniplex", "url": ""}],
        "licensors": [], "studios": [{"mal_id": 2, "type": "anime",
                                      "name": _STUDIOS[s.franchise % 4], "url": ""}],
        "genres": [{"mal_id": 3, "type": "anime", "name": "Drama", "url": ""}],
    }


def _write_2021(cat: SyntheticCatalogue, folder: Path) -> None:
    target = folder / "mal_2021_jikan_v3_senpaislist"
    target.mkdir(parents=True, exist_ok=True)
    files: list[tuple[str, bytes]] = []
    for s in cat.shows:
        if s.start.year < 2010 or not visible_at(s, SNAPSHOT_2021):
            continue
        body = json.dumps(_v3_record(cat, s)).encode()
        season = ["winter", "spring", "summer", "fall"][(s.start.month - 1) // 3]
        files.append((f"db/data/{s.start.year}{season}/{s.start.year}_{season}_{s.mal_id}.json",
                      body))
        if s.end > s.start + timedelta(days=100):  # a two-cour show is listed twice
            files.append((f"db/data/{s.start.year}zz/{s.start.year}_zz_{s.mal_id}.json", body))
    files.append(("db/data/2019fall/2019_fall_999999.json",
                  json.dumps({"status": 500, "type": "ParserException", "message": "x",
                              "error": "y", "report_url": ""}).encode()))
    with tarfile.open(target / "senpaislist_db_data_jikan_v3.tar.gz", "w:gz") as tf:
        for name, body in files:
            info = tarfile.TarInfo(name)
            info.size = len(body)
            info.mtime = 0
            tf.addfile(info, io.BytesIO(body))


def _gz_csv(path: Path, cols: list[str], rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    w = csv.DictWriter(buf, cols)
    w.writeheader()
    w.writerows(rows)
    data = buf.getvalue().encode()
    if path.suffix == ".gz":
        path.write_bytes(gzip.compress(data, mtime=0))
    else:
        path.write_bytes(data)


def _write_2025(cat: SyntheticCatalogue, folder: Path) -> None:
    cols = ["mal_id", "title", "title_english", "title_japanese", "type", "source", "episodes",
            "status", "airing", "aired", "duration", "rating", "score", "scored_by", "rank",
            "popularity", "members", "favorites", "background", "premiered", "broadcast",
            "producers", "licensors", "studios", "genres", "explicit_genres", "themes",
            "demographics"]
    rows = []
    for s in cat.shows:
        if not visible_at(s, SNAPSHOT_2025):
            continue
        aired, status = _aired_string(s, SNAPSHOT_2025)
        rows.append({
            "mal_id": s.mal_id, "title": s.title, "title_english": s.english or "",
            "title_japanese": "テスト", "type": s.type, "source": _source(cat, s),
            "episodes": f"{float(s.episodes)}", "status": status, "airing": "False",
            "aired": aired.replace(",", "", 1) if status == "Not yet aired" else aired,
            "duration": "24 min per ep", "rating": "PG-13 - Teens 13 or older",
            "score": s.score, "scored_by": f"{float(s.members)}", "rank": "100.0",
            "popularity": 50, "members": s.members, "favorites": s.members // 40,
            "background": "", "premiered": "spring", "broadcast": "",
            "producers": "Aniplex", "licensors": "", "studios": _STUDIOS[s.franchise % 4],
            "genres": "Drama", "explicit_genres": "", "themes": "School",
            "demographics": "Shounen",
        })
    _gz_csv(folder / "mal_2025_jikan_v4" / "anime_data.csv.gz", cols, rows)


def _write_sources(cat: SyntheticCatalogue, folder: Path) -> None:
    cols = ["id", "Title", "Type", "Volumes", "releaseData", "endData", "page_url", "image_url"]
    rows = [{"id": "", "Title": t, "Type": ty, "Volumes": v or "", "releaseData": y0,
             "endData": y1 or "", "page_url": f"https://myanimelist.net/manga/{mid}/x",
             "image_url": ""} for mid, (t, ty, v, y0, y1) in cat.manga.items()]
    rows.append({"id": "", "Title": "Shifted", "Type": "17235", "Volumes": "", "releaseData": "",
                 "endData": "", "page_url": "1972", "image_url": "https://myanimelist.net/manga/9"})
    _gz_csv(folder / "manga_mal_2023_mangashiro" / "bancodedadosmanga.csv.gz", cols, rows)
    ln = [{"ID": mid, "Title": t, "Medium_Picture": "", "Large_Picture": "", "Mean": "7.5",
           "Rank": 10, "Popularity": 20, "Genres": "", "Synopsis": "x"}
          for mid, (t, ty, *_r) in cat.manga.items() if ty == "Light-Novel"]
    ln.append({"ID": 8888, "Title": "Unlisted Novel", "Medium_Picture": "", "Large_Picture": "",
               "Mean": "N/A", "Rank": "", "Popularity": 99, "Genres": "", "Synopsis": ""})
    _gz_csv(folder / "ln_mal_2025_reinforcedln" / "light_novels.csv.gz",
            ["ID", "Title", "Medium_Picture", "Large_Picture", "Mean", "Rank", "Popularity",
             "Genres", "Synopsis"], ln)
    first_manga = next(t for t, ty, *_r in cat.manga.values() if ty == "Manga")
    best = "\ufeff" + (
        "Manga series,Author(s),Publisher,Demographic,No. of volumes,Published,End,"
        "Approximate sales in million(s),Average sales per volume in million(s)\n"
        f"{first_manga},Some Author,Kodansha,Shōnen,20,2001,2009,39,1.69\n"
        "Unknown Hit,Other Author,Shueisha,Seinen,12,2015,present,20.5,1.7\n"
    )
    (folder / "manga_bestselling_wikipedia").mkdir(parents=True, exist_ok=True)
    (folder / "manga_bestselling_wikipedia" / "manga.csv").write_text(best, encoding="utf-8")


def _write_sales(cat: SyntheticCatalogue, folder: Path) -> None:
    cols = ["title", "year", "season_qtr", "avg_sales", "re_rls", "total", "gross_1st_rls",
            "studio", "source"]
    rows, linked, info = [], [], []
    for i, s in enumerate(x for x in cat.shows if x.type == "TV" and x.start.year <= 2019):
        gross = "¥3" if i == 0 else f"¥{12.5 + i:.1f}"
        row = {"title": s.title, "year": s.start.year, "season_qtr": "Spring",
               "avg_sales": 950 if i == 1 else 2 + i, "re_rls": 0, "total": 2 + i,
               "gross_1st_rls": gross, "studio": _STUDIOS[s.franchise % 4], "source": "manga"}
        rows.append(row)
        if i % 3 != 2:
            linked.append({**row, "link": f"https://myanimelist.net/anime/{s.mal_id}/x"})
            info.append({"title": s.title, "episodes": s.episodes, "broadcast": "",
                         "genres": "['Drama']", "duration": 24, "rating": "PG-13",
                         "score": s.score, "members": s.members // 2, "favorites": 10})
    target = folder / "sales_someanithing_2020"
    _gz_csv(target / "anime_sales_df_matched.csv", cols, rows)
    _gz_csv(target / "anime_sales_df_linked.csv", [*cols, "link"], linked)
    _gz_csv(target / "mal_info_df.csv", ["title", "episodes", "broadcast", "genres", "duration",
                                         "rating", "score", "members", "favorites"], info)


def _write_ids(cat: SyntheticCatalogue, folder: Path) -> None:
    target = folder / "ids_fribb"
    target.mkdir(parents=True, exist_ok=True)
    mini = [{"mal_id": s.mal_id, "anilist_id": s.mal_id + 100_000, "anidb_id": s.mal_id + 200_000,
             "kitsu_id": s.mal_id + 300_000, "thetvdb_id": 400_000 + s.franchise,
             "type": s.type.upper()} for s in cat.shows]
    mini.append({"kitsu_id": 1, "type": "SPECIAL"})
    reduced = [{"anidb_id": s.mal_id + 200_000, "tvdb_id": 400_000 + s.franchise,
                "themoviedb_id": {"tv": 500_000 + s.franchise},
                "season": {"tvdb": s.season_number, "tmdb": s.season_number}}
               for s in cat.shows if s.type in ("TV", "ONA")]
    (target / "anime-list-mini.json.gz").write_bytes(gzip.compress(json.dumps(mini).encode(),
                                                                   mtime=0))
    (target / "anime-lists-reduced.json.gz").write_bytes(
        gzip.compress(json.dumps(reduced, indent=2).encode(), mtime=0))


def _write_rules(cat: SyntheticCatalogue, folder: Path) -> None:
    lines = ["# Synthetic anime-relations", "", "::meta", "", "- version: 1.3.0", "", "::rules", ""]
    by_id = {s.mal_id: s for s in cat.shows}
    for p, q in cat.sequels[:3]:
        a, b = by_id[p], by_id[q]
        lines += [f"# {a.title} -> {b.title}",
                  f"- {p}|?|{p}:{a.episodes + 1}-{a.episodes + b.episodes} -> {q}|?|{q}:"
                  f"1-{b.episodes}!", ""]
    lines.append("- ?|123|456:1 -> ?|124|457:1")
    (folder / "relations_erengy").mkdir(parents=True, exist_ok=True)
    (folder / "relations_erengy" / "anime-relations.txt").write_text("\n".join(lines) + "\n",
                                                                     encoding="utf-8")


def write_synthetic_data(
    folder: str | Path, seed: int = 0, n_franchises: int = 24
) -> SyntheticCatalogue:
    """Write a complete synthetic data directory into ``folder``; returns what it holds."""
    root = Path(folder)
    cat = make_catalogue(seed, n_franchises)
    _write_2018(cat, root)
    _write_2021(cat, root)
    _write_2025(cat, root)
    _write_sources(cat, root)
    _write_sales(cat, root)
    _write_ids(cat, root)
    _write_rules(cat, root)
    return cat
