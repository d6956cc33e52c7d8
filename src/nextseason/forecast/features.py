"""Features of a TV/ONA installment as of a date — each from data known on that date.

Every feature below says where it comes from. ``catalogue_at`` already restricts the
catalogue to the newest snapshot on or before ``as_of``; nothing here reads a later one.

========================  =================================================================
feature                   source and meaning
========================  =================================================================
pop_pct, score_pct        members / score percentile among TV/ONA entries that started the
                          same year, within the snapshot the values come from (rule 2 of
                          PRODUCT.md: a raw count taken years later carries sequel boosts)
log_members               log1p(members) at the snapshot
log_scored_by             log1p(scored_by) at the snapshot (0 and ``score_missing`` when the
                          show had no score yet)
members_growth            log(members / members at the previous catalogue snapshot); 0 and
                          ``growth_missing`` when there is no earlier snapshot
log_episodes, cours       this installment's episode count; cours = ceil(episodes / 13)
series_cours              cours of every installment so far
installment               the season (1, 2, ... ≤ 6) of the one season numbering
                          (:func:`nextseason.link.seasons.number_installments`): the parts of a
                          split season count once
is_part                   the installment is a later part of a split season ("Part 2")
is_ona                    the installment is an ONA
end_year                  year the installment ended, minus 2000 (sequels became commoner)
src_*                     source type one-hot (manga, light novel, novel, game, original, other)
src_linked                an Adaptation relation (or, after the last relation snapshot, the
                          linker) ties the series to a MAL source work
src_finished              the source work ended before the as_of year (from its end year;
                          a later end year is ignored, since it was not known yet)
src_years                 years the source work had been running by as_of
src_volumes_left          estimated source volumes available at as_of minus estimated volumes
                          adapted (series cours × VOLUMES_PER_COUR); volumes are the real count
                          only for works finished by as_of, else years × VOLUMES_PER_YEAR
src_left_ratio            src_volumes_left / volumes available, clipped to [-1, 1]
side_stories              side stories and spin-offs the snapshots listed for the series
log_sales                 log1p(average first-release home-video sales per volume, thousands),
                          for sales up to the as_of year; ``sales_missing`` otherwise
sales_unknown             no sales figure, and none could be known: the season ended after the
                          sales data's coverage (the last year the sales list holds, minus
                          half a year for the discs to come out) or less than half a year
                          before as_of. Then ``sales_missing`` is 0: unknown by coverage is not
                          "untracked"
relations_unknown         the installment started after the last snapshot with typed relations
                          (January 2021): side stories and spin-offs cannot be known
studio_rate               share of the studio's TV/ONA installments that ended 2–12 years
                          before as_of and had a next installment by as_of (smoothed toward
                          the overall share; a training row's own series is left out)
demo_*, genre_*           demographic and genre flags at the snapshot
========================  =================================================================
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ..store.conn import Conn
from ..store.relations import adapted_works_at, linked_adapted_works
from ..store.snapshots import newest_relation_date
from ..store.sources import best_video_sales, newest_sales_year
from .series import Chains
from .snapshot_view import SERIES_TYPES

__all__ = ["FEATURES", "compute_features", "VOLUMES_PER_COUR", "VOLUMES_PER_YEAR"]

#: volumes one 13-episode cour typically adapts, by source kind
VOLUMES_PER_COUR = {"light novel": 3.0, "novel": 3.0, "manga": 4.0}
#: volumes a running work typically publishes per year, by source kind
VOLUMES_PER_YEAR = {"light novel": 3.0, "novel": 2.5, "manga": 4.5}

_SOURCE_GROUPS = {
    "Manga": "manga", "Web manga": "manga", "4-koma manga": "manga", "Digital manga": "manga",
    "Light novel": "light_novel", "Novel": "novel", "Web novel": "novel", "Book": "novel",
    "Game": "game", "Visual novel": "game", "Card game": "game", "Original": "original",
}
_WORK_KIND = {"Manga": "manga", "Manhwa": "manga", "Manhua": "manga", "One shot": "manga",
              "Doujinshi": "manga", "Light Novel": "light novel", "Novel": "novel"}
_ANIME_SOURCE_KIND = {"Light novel": "light novel", "Novel": "novel", "Web novel": "novel",
                      "Manga": "manga", "Web manga": "manga", "4-koma manga": "manga"}
GENRES = ("Action", "Adventure", "Comedy", "Drama", "Fantasy", "Romance", "Sci-Fi",
          "Slice of Life", "Sports", "Supernatural", "Mystery", "Ecchi")
DEMOGRAPHICS = ("Shounen", "Seinen", "Shoujo", "Josei", "Kids")

FEATURES: tuple[str, ...] = (
    "pop_pct", "score_pct", "score_missing", "log_members", "log_scored_by", "members_growth",
    "growth_missing", "log_episodes", "cours", "series_cours", "installment", "is_part",
    "is_ona",
    "end_year",
    *(f"src_{g}" for g in ("manga", "light_novel", "novel", "game", "original", "other")),
    "src_linked", "src_finished", "src_years", "src_volumes_left", "src_left_ratio",
    "side_stories", "relations_unknown", "log_sales", "sales_missing", "sales_unknown",
    "studio_rate",
    *(f"demo_{d.lower()}" for d in DEMOGRAPHICS),
    *("genre_" + g.lower().replace(" ", "_").replace("-", "_") for g in GENRES),
)


def _cohort_pct(series_rows: pd.DataFrame, column: str) -> pd.Series:
    year = series_rows["start"].dt.year
    return series_rows.groupby([series_rows["snapshot"], year])[column].rank(pct=True)


def _works(conn: Conn, as_of: str, use_links: bool) -> pd.DataFrame:
    rows = adapted_works_at(conn, as_of)
    if use_links:
        rows += linked_adapted_works(conn)
    works = pd.DataFrame(rows, columns=["mal_id", "manga_id", "wtype", "volumes", "y0", "y1"])
    year = int(as_of[:4])
    works = works[works["y0"].isna() | (works["y0"] <= year)]
    return works.drop_duplicates(["mal_id", "manga_id"])


def _primary_work(works: dict[int, list[dict[str, Any]]], ids: list[int],
                  source_type: str | None) -> dict[str, Any] | None:
    cand = [w for m in ids for w in works.get(m, ())]
    if not cand:
        return None
    want = _ANIME_SOURCE_KIND.get(str(source_type))
    preferred = [w for w in cand if _WORK_KIND.get(str(w["wtype"])) == want]
    pool = preferred or cand
    return min(pool, key=lambda w: (pd.isna(w["y0"]), w["y0"] if pd.notna(w["y0"]) else 0,
                                    w["manga_id"]))


def compute_features(
    conn: Conn,
    cat: pd.DataFrame,
    ch: Chains,
    side_stories: dict[int, int],
    as_of: str,
    rows: list[int],
    *,
    use_links: bool,
    leave_out_own_series: bool = False,
) -> pd.DataFrame:
    """The feature frame (index ``mal_id``, columns :data:`FEATURES`) for installments ``rows``."""
    year = int(as_of[:4])
    cutoff = pd.Timestamp(as_of)
    series = cat[cat["type"].isin(SERIES_TYPES)].copy()
    series["pop_pct"] = _cohort_pct(series, "members")
    series["score_pct"] = _cohort_pct(series, "score")
    by_id = series.set_index("mal_id")
    works: dict[int, list[dict[str, Any]]] = {}
    for w in _works(conn, as_of, use_links).to_dict(orient="records"):
        works.setdefault(int(w["mal_id"]), []).append(w)
    sales = pd.DataFrame(
        best_video_sales(conn, year),
        columns=["mal_id", "avg"]).set_index("mal_id")["avg"]
    studio = _studio_rates(by_id, ch, cutoff)
    sales_end = newest_sales_year(conn)
    # a season's discs are sold from about half a year after its end: a show that ended after
    # this date has no sales figure the data could hold
    sales_known_until = min(
        pd.Timestamp(f"{int(sales_end)}-12-31") if sales_end is not None else cutoff,
        cutoff) - pd.DateOffset(months=6)
    rel_end = newest_relation_date(conn, on_or_before=as_of, catalogue_only=True)
    relations_until = pd.Timestamp(rel_end) if rel_end is not None else None

    out = []
    for mal_id in rows:
        r = by_id.loc[mal_id]
        chain = _chain_ids(ch, mal_id)
        eps = r["episodes"] if pd.notna(r["episodes"]) and r["episodes"] > 0 else 12.0
        cours = math.ceil(eps / 13)
        series_cours = sum(
            math.ceil((by_id.at[m, "episodes"] if pd.notna(by_id.at[m, "episodes"])
                       and by_id.at[m, "episodes"] > 0 else 12.0) / 13)
            for m in chain if m in by_id.index)
        group = _SOURCE_GROUPS.get(str(r["source_type"]), "other")
        f: dict[str, float] = {
            "pop_pct": float(r["pop_pct"]) if pd.notna(r["pop_pct"]) else 0.0,
            "score_pct": float(r["score_pct"]) if pd.notna(r["score_pct"]) else 0.5,
            "score_missing": float(pd.isna(r["score"])),
            "log_members": math.log1p(r["members"]) if pd.notna(r["members"]) else 0.0,
            "log_scored_by": math.log1p(r["scored_by"]) if pd.notna(r["scored_by"]) else 0.0,
            "log_episodes": math.log1p(eps),
            "cours": float(min(cours, 8)),
            "series_cours": float(min(series_cours, 20)),
            "installment": float(min(ch.season.get(mal_id, ch.installment.get(mal_id, 1)), 6)),
            "is_part": float(mal_id in ch.part),
            "is_ona": float(r["type"] == "ONA"),
            "end_year": float((r["end"].year if pd.notna(r["end"]) else year) - 2000),
        }
        growth_ok = pd.notna(r["members_prev"]) and r["members_prev"] > 0 and pd.notna(
            r["members"])
        f["members_growth"] = (math.log((r["members"] + 1) / (r["members_prev"] + 1))
                               if growth_ok else 0.0)
        f["growth_missing"] = float(not growth_ok)
        for g in ("manga", "light_novel", "novel", "game", "original", "other"):
            f[f"src_{g}"] = float(group == g)
        f.update(_source_features(works, chain, r["source_type"], series_cours, year))
        f["side_stories"] = float(min(sum(side_stories.get(m, 0) for m in chain), 10))
        sale = max((sales[m] for m in chain if m in sales.index), default=None)
        uncovered = sale is None and pd.notna(r["end"]) and r["end"] > sales_known_until
        f["log_sales"] = math.log1p(sale) if sale is not None else 0.0
        f["sales_missing"] = float(sale is None and not uncovered)
        f["sales_unknown"] = float(uncovered)
        f["relations_unknown"] = float(
            relations_until is None or (pd.notna(r["start"]) and r["start"] > relations_until))
        f["studio_rate"] = studio(r["studios"], mal_id if leave_out_own_series else None)
        for d in DEMOGRAPHICS:
            f[f"demo_{d.lower()}"] = float(d in r["demographics"] or d in r["genres"])
        for g in GENRES:
            f["genre_" + g.lower().replace(" ", "_").replace("-", "_")] = float(g in r["genres"])
        out.append(f)
    return pd.DataFrame(out, index=pd.Index(rows, name="mal_id"), columns=list(FEATURES))


def _chain_ids(ch: Chains, mal_id: int) -> list[int]:
    prev = {b: a for a, b in ch.next_installment.items()}
    ids, cur = [mal_id], mal_id
    while cur in prev and prev[cur] not in ids:
        cur = prev[cur]
        ids.append(cur)
    return ids


def _source_features(works: dict[int, list[dict[str, Any]]], chain: list[int],
                     source_type: object,
                     series_cours: int, year: int) -> dict[str, float]:
    w = _primary_work(works, chain, str(source_type))
    if w is None:
        return {"src_linked": 0.0, "src_finished": 0.0, "src_years": 0.0,
                "src_volumes_left": 0.0, "src_left_ratio": 0.0}
    kind = _WORK_KIND.get(str(w["wtype"]), "manga")
    finished = pd.notna(w["y1"]) and w["y1"] < year
    years = max(0.0, year - w["y0"] + 1) if pd.notna(w["y0"]) else 0.0
    if finished and pd.notna(w["volumes"]):
        available = float(w["volumes"])
    else:
        available = years * VOLUMES_PER_YEAR.get(kind, 4.0)
    adapted = series_cours * VOLUMES_PER_COUR.get(kind, 4.0)
    left = available - adapted
    return {
        "src_linked": 1.0,
        "src_finished": float(finished),
        "src_years": float(min(years, 40.0)),
        "src_volumes_left": float(np.clip(left, -30, 60)),
        "src_left_ratio": float(np.clip(left / max(available, 1.0), -1, 1)),
    }


def _studio_rates(by_id: pd.DataFrame, ch: Chains, cutoff: pd.Timestamp):  # type: ignore[no-untyped-def]
    """Smoothed share of each studio's installments (ended 2–12 years before) that got a next
    installment by the cutoff; returns ``rate(studios, leave_out=None)``."""
    ended = by_id["end"]
    window = by_id[(ended <= cutoff - pd.DateOffset(years=2))
                   & (ended >= cutoff - pd.DateOffset(years=12))]
    got = {m: float(m in ch.next_installment) for m in window.index}
    prior = float(np.mean(list(got.values()))) if got else 0.1
    counts: dict[str, list[float]] = {}
    for m, studios in window["studios"].items():
        for s in studios:
            c = counts.setdefault(s, [0.0, 0.0])
            c[0] += got[m]
            c[1] += 1
    strength = 5.0

    def rate(studios: tuple[str, ...], leave_out: int | None = None) -> float:
        best = []
        for s in studios:
            k, n = counts.get(s, [0.0, 0.0])
            if leave_out is not None and leave_out in got and s in window.at[leave_out, "studios"]:
                k, n = k - got[leave_out], n - 1
            best.append((k + strength * prior) / (n + strength))
        return float(max(best)) if best else prior

    return rate
