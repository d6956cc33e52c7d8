"""Source material: MAL manga / light novels (2023), light-novel popularity (2025), and the
best-selling manga list (2024).

* ``bancodedadosmanga.csv``: volumes and start / end years. An empty ``endData`` means the
  work was still running on the snapshot date; an empty ``Volumes`` means ongoing or unknown.
  A few rows are shifted by one column (``Type`` holds a number); they are skipped and
  counted, since their values cannot be trusted.
* ``light_novels.csv``: MAL mean score, rank and popularity of light novels, stored as dated
  observations on the manga id. Works missing from the 2023 list are added as source works
  with no volume count.
* ``manga.csv``: best-selling manga with sales in millions; linked to a source work by title.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..search.normalize import normalize
from ..store.observations import put_observation
from ..store.sources import (
    add_light_novel,
    add_source_work,
    count_linked_manga_sales,
    manga_titles,
    put_manga_sales,
)
from .context import ImportContext, ImportResult, to_float, to_int
from .readers import iter_csv

__all__ = ["import_manga2023", "import_ln2025", "import_bestselling"]

MANGA_COLUMNS = ["Title", "Type", "Volumes", "releaseData", "endData", "page_url"]
LN_COLUMNS = ["ID", "Title", "Mean", "Rank", "Popularity"]
BEST_COLUMNS = [
    "Manga series", "Author(s)", "Publisher", "Demographic", "No. of volumes", "Published",
    "End", "Approximate sales in million(s)", "Average sales per volume in million(s)",
]
_KNOWN_TYPES = {"Manga", "One-shot", "Manhwa", "Light-Novel", "Manhua", "Doujinshi", "Novel"}
_MANGA_URL = re.compile(r"myanimelist\.net/manga/(\d+)")


def import_manga2023(path: Path, ctx: ImportContext) -> ImportResult:
    result = ImportResult()
    for line, row in iter_csv(path, MANGA_COLUMNS):
        result.read += 1
        if result.read % 1000 == 0:
            ctx.advance(1000)
        where = {"file": str(path), "where": f"line {line}"}
        if row["Type"] not in _KNOWN_TYPES:
            result.skipped["row shifted by a column (Type is not a type)"] += 1
            continue
        m = _MANGA_URL.search(row["page_url"])
        if not m:
            result.skipped["no MAL manga id in page_url"] += 1
            continue
        start = to_int(row["releaseData"], column="releaseData", **where)
        end = to_int(row["endData"], column="endData", **where)
        volumes = to_int(row["Volumes"], column="Volumes", **where)
        if add_source_work(
            ctx.conn, manga_id=int(m[1]), title=row["Title"], type=row["Type"].replace("-", " "),
            volumes=volumes, start_year=start, end_year=end,
            status="finished" if end else "ongoing", as_of=ctx.as_of, snapshot_id=ctx.snapshot_id,
        ):
            result.stored += 1
        else:
            result.skipped["duplicate manga id"] += 1
    return result


def import_ln2025(path: Path, ctx: ImportContext) -> ImportResult:
    result = ImportResult()
    for line, row in iter_csv(path, LN_COLUMNS):
        result.read += 1
        if result.read % 1000 == 0:
            ctx.advance(1000)
        where = {"file": str(path), "where": f"line {line}"}
        manga_id = to_int(row["ID"], column="ID", **where)
        if manga_id is None:
            result.skipped["empty ID"] += 1
            continue
        add_light_novel(ctx.conn, manga_id=manga_id, title=row["Title"], as_of=ctx.as_of,
                        snapshot_id=ctx.snapshot_id)
        metrics = {
            "score": to_float(row["Mean"], column="Mean", **where),
            "rank": to_int(row["Rank"], column="Rank", **where),
            "popularity": to_int(row["Popularity"], column="Popularity", **where),
        }
        for metric, value in metrics.items():
            if value is not None:
                put_observation(ctx.conn, "manga", manga_id, metric, value, ctx.as_of,
                                ctx.snapshot_id)
        result.stored += 1
    return result


def import_bestselling(path: Path, ctx: ImportContext) -> ImportResult:
    result = ImportResult()
    by_title: dict[str, int] = {}
    for manga_id, title in manga_titles(ctx.conn):
        by_title.setdefault(normalize(title), manga_id)
    for line, row in iter_csv(path, BEST_COLUMNS):
        result.read += 1
        where = {"file": str(path), "where": f"line {line}"}
        end = row["End"].strip()
        title = row["Manga series"].strip()
        put_manga_sales(
            ctx.conn,
            (
                title,
                by_title.get(normalize(title)),
                row["Author(s)"] or None,
                row["Publisher"] or None,
                row["Demographic"] or None,
                to_int(row["No. of volumes"], column="No. of volumes", **where),
                to_int(row["Published"], column="Published", **where),
                None if end.lower() == "present" else to_int(end, column="End", **where),
                to_float(row["Approximate sales in million(s)"], column="sales", **where),
                to_float(row["Average sales per volume in million(s)"], column="avg", **where),
                ctx.as_of,
                ctx.snapshot_id,
            ),
        )
        result.stored += 1
    linked = count_linked_manga_sales(ctx.conn)
    result.warnings.append(f"{linked} of {result.stored} best-sellers matched a MAL manga by title")
    return result
