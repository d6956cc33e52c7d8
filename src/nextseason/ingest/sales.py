"""Japanese home-video sales to 2020 (Someanithing, linked to MAL by a 2020 project).

* ``anime_sales_df_matched.csv`` holds every title; ``anime_sales_df_linked.csv`` the subset
  linked to a MAL URL. Rows are keyed by (title, year, season): "Wake Up" names two 2014
  releases.
* ``avg_sales`` is the average first-release sales per volume in thousands of units. Values
  of 900 and above are flagged as suspect: they look like unit counts parsed as thousands
  (e.g. *91Days* 908 next to a ¥24.3M gross).
* ``gross_1st_rls`` is in millions of yen, but the source truncated values of ¥1,000M and
  above at the thousands separator (*Bakemonogatari* reads ``¥3``). A whole number with no
  decimal point is that broken case: stored as NULL with ``gross_broken = 1``.
* ``mal_info_df.csv``: MAL members, score and favorites as of the project's date, stored as
  dated observations for the linked titles.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..store.observations import put_observation
from ..store.sources import add_video_sales, count_unlinked_video_sales
from .context import ImportContext, ImportResult, to_float, to_int
from .readers import iter_csv

__all__ = ["import_sales"]

SALES_COLUMNS = ["title", "year", "season_qtr", "avg_sales", "re_rls", "total", "gross_1st_rls",
                 "studio", "source"]
INFO_COLUMNS = ["title", "score", "members", "favorites"]
_MAL_URL = re.compile(r"myanimelist\.net/anime/(\d+)")
_GROSS = re.compile(r"^¥(\d+(?:\.\d+)?)$")


def _gross(text: str) -> tuple[float | None, int]:
    t = text.strip()
    if not t:
        return None, 0
    m = _GROSS.match(t)
    if not m:
        return None, 1
    if "." not in m[1]:
        return None, 1
    return float(m[1]), 0


def import_sales(path: Path, ctx: ImportContext) -> ImportResult:
    """``path`` is the folder holding the three CSV files."""
    result = ImportResult()
    links: dict[tuple[str, str, str], int] = {}
    linked_file = path / "anime_sales_df_linked.csv"
    for _line, row in iter_csv(linked_file, [*SALES_COLUMNS, "link"]):
        m = _MAL_URL.search(row["link"])
        if m:
            links[(row["title"], row["year"], row["season_qtr"])] = int(m[1])
    matched = path / "anime_sales_df_matched.csv"
    title_to_mal: dict[str, int] = {}
    for line, row in iter_csv(matched, SALES_COLUMNS):
        result.read += 1
        where = {"file": str(matched), "where": f"line {line}"}
        mal_id = links.get((row["title"], row["year"], row["season_qtr"]))
        if mal_id:
            title_to_mal.setdefault(row["title"], mal_id)
        avg = to_float(row["avg_sales"], column="avg_sales", **where)
        gross, broken = _gross(row["gross_1st_rls"])
        if add_video_sales(
            ctx.conn,
            (
                row["title"],
                to_int(row["year"], column="year", **where),
                row["season_qtr"].lower(),
                mal_id,
                avg,
                int(avg is not None and avg >= 900),
                to_float(row["re_rls"], column="re_rls", **where),
                to_float(row["total"], column="total", **where),
                gross,
                broken,
                row["studio"] or None,
                row["source"] or None,
                ctx.as_of,
                ctx.snapshot_id,
            ),
        ):
            result.stored += 1
        else:
            result.skipped["duplicate title, year and season"] += 1
    info = path / "mal_info_df.csv"
    for line, row in iter_csv(info, INFO_COLUMNS):
        where = {"file": str(info), "where": f"line {line}"}
        mal_id = title_to_mal.get(row["title"])
        if mal_id is None:
            result.skipped["MAL info for a title not linked to MAL"] += 1
            continue
        for metric in ("score", "members", "favorites"):
            value = to_float(row[metric], column=metric, **where)
            if value is not None:
                put_observation(ctx.conn, "anime", mal_id, metric,
                                int(value) if metric != "score" else value, ctx.as_of,
                                ctx.snapshot_id)
    unlinked = count_unlinked_video_sales(ctx.conn)
    result.warnings.append(f"{unlinked} sales rows are not linked to a MAL id")
    return result
