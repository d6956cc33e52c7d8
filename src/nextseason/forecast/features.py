"""Features of a TV/ONA installment as of a date — each from data known on that date.

Every feature below says where it comes from. A forecast row's date is ``as_of``; a training
look's date is its landmark (:mod:`.landmark`), so a look years before the origin sees the
figures of its own time, never the origin's. ``catalogue_at`` restricts the catalogue to the
newest snapshot on or before a date; nothing here reads a later one for a figure. What an
entry *is* — format, episodes, source type, genres, studios, its place in the series, the
work it adapts — does not change, and comes from the catalogue at ``as_of``.

========================  =================================================================
feature                   source and meaning
========================  =================================================================
pop_pct, score_pct        members / score percentile among TV/ONA entries that started the
                          same year, within the snapshot the values come from: the newest
                          catalogue snapshot dated on or before the row's date (rule 2 of
                          PRODUCT.md: a raw count taken years later carries sequel boosts)
figures_unknown           no catalogue snapshot dated on or before the row's date lists the
                          show: its members and score were not observed then (all figures 0,
                          ``score_missing`` and ``growth_missing`` 1)
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
src_finished              the source work ended before the row's year (from its end year;
                          a later end year is ignored, since it was not known yet)
src_years                 years the source work had been running by the row's year (a work
                          that started later is not linked yet)
src_volumes_left          estimated source volumes available at the row's date minus
                          estimated volumes adapted (series cours × VOLUMES_PER_COUR); volumes
                          are the real count only for works finished by then, else years ×
                          VOLUMES_PER_YEAR
src_left_ratio            src_volumes_left / volumes available, clipped to [-1, 1]
side_stories              side stories and spin-offs of the series that a snapshot dated on
                          or before the row's date listed, or that had premiered by then
log_sales                 log1p(average first-release home-video sales per volume, thousands),
                          for sales of the years up to the row's year; ``sales_missing``
                          otherwise
sales_unknown             no sales figure, and none could be known: the season ended after the
                          sales data's coverage (the last year the sales list holds, minus
                          half a year for the discs to come out) or less than half a year
                          before the row's date. Then ``sales_missing`` is 0: unknown by
                          coverage is not "untracked"
relations_unknown         the installment started after the last snapshot with typed relations
                          (January 2021): side stories and spin-offs cannot be known
studio_rate               share of the studio's TV/ONA installments that ended 2–12 years
                          before the row's date and whose next installment had premiered by
                          then (smoothed toward the overall share; a training row's own
                          installment is left out)
demo_*, genre_*           demographic and genre flags at the snapshot
========================  =================================================================
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..store.conn import Conn
from ..store.relations import adapted_works_at, linked_adapted_works
from ..store.snapshots import catalogue_dates, newest_relation_date
from ..store.sources import best_video_sales_by_year, newest_sales_year
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
#: the source-type groups of the ``src_*`` one-hot features
_SOURCE_KINDS = ("manga", "light_novel", "novel", "game", "original", "other")


def _genre_feature(genre: str) -> str:
    return "genre_" + genre.lower().replace(" ", "_").replace("-", "_")


FEATURES: tuple[str, ...] = (
    "pop_pct", "score_pct", "score_missing", "log_members", "log_scored_by", "members_growth",
    "growth_missing", "figures_unknown", "log_episodes", "cours", "series_cours", "installment",
    "is_part", "is_ona",
    "end_year",
    *(f"src_{g}" for g in _SOURCE_KINDS),
    "src_linked", "src_finished", "src_years", "src_volumes_left", "src_left_ratio",
    "side_stories", "relations_unknown", "log_sales", "sales_missing", "sales_unknown",
    "studio_rate",
    *(f"demo_{d.lower()}" for d in DEMOGRAPHICS),
    *(_genre_feature(g) for g in GENRES),
)


_GENRE_FEATURES = tuple((g, _genre_feature(g)) for g in GENRES)
#: the features that do not depend on the row's date
_STATIC: tuple[str, ...] = (
    "log_episodes", "cours", "series_cours", "installment", "is_part", "is_ona",
    "relations_unknown", *(f"src_{g}" for g in _SOURCE_KINDS),
    *(f"demo_{d.lower()}" for d in DEMOGRAPHICS), *(_genre_feature(g) for g in GENRES))


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
                  source_type: str | None, year: int) -> dict[str, Any] | None:
    cand = [w for m in ids for w in works.get(m, ()) if pd.isna(w["y0"]) or w["y0"] <= year]
    if not cand:
        return None
    want = _ANIME_SOURCE_KIND.get(str(source_type))
    preferred = [w for w in cand if _WORK_KIND.get(str(w["wtype"])) == want]
    pool = preferred or cand
    return min(pool, key=lambda w: (pd.isna(w["y0"]), w["y0"] if pd.notna(w["y0"]) else 0,
                                    w["manga_id"]))


def _figures(series: pd.DataFrame) -> dict[int, tuple[float, ...]]:
    """``mal_id → (pop_pct, score_pct, members, score, scored_by, members_prev)``."""
    pop = _cohort_pct(series, "members")
    score = _cohort_pct(series, "score")
    return {int(m): tuple(vals) for m, *vals in zip(
        series["mal_id"], pop, score, series["members"], series["score"],
        series["scored_by"], series["members_prev"], strict=True)}


def compute_features(
    conn: Conn,
    cat: pd.DataFrame,
    ch: Chains,
    side_links: dict[int, list[tuple[int, str]]],
    as_of: str,
    rows: list[int],
    *,
    use_links: bool,
    leave_out_own_series: bool = False,
    at: Sequence[pd.Timestamp] | None = None,
    figures_at: bool = True,
) -> pd.DataFrame:
    """The feature frame (index ``mal_id``, columns :data:`FEATURES`) for installments ``rows``.

    ``cat``, ``ch`` and ``side_links`` describe the catalogue as it stood at ``as_of``. With
    ``at`` (one date per row, none after ``as_of``), each row's features are taken as of its
    own date instead (a landmark look): figures (members, score, their cohort percentiles,
    growth) from the newest catalogue snapshot dated on or before it (``figures_unknown``
    when there is none), sales of the years up to its year, the source work's years,
    volumes and whether it had ended as of its year, side stories that a snapshot dated on
    or before it listed or that had premiered by then, and the studio's record up to it.
    What an entry is (format, episodes, source type, genres, studios, its place in the
    series, the work it adapts) does not change and comes from ``cat``. With ``figures_at``
    false, the figures alone come from ``cat`` (the snapshot at ``as_of``) for every row.
    """
    n = len(rows)
    cutoff = pd.Timestamp(as_of)
    dates = (np.full(n, cutoff, dtype="datetime64[ns]") if at is None
             else np.asarray(pd.to_datetime(pd.Series(at)), dtype="datetime64[ns]"))
    if n and (dates > np.datetime64(cutoff)).any():
        raise ValueError(f"a feature date is after as_of {as_of}")
    years = pd.DatetimeIndex(dates).year.to_numpy() if n else np.zeros(0, dtype=int)
    series = cat[cat["type"].isin(SERIES_TYPES)]
    by_id = series.set_index("mal_id")
    # figures: from the newest catalogue snapshot on or before each row's date
    snaps = catalogue_dates(conn, as_of)
    snap_at = np.searchsorted(np.array(snaps, dtype="datetime64[ns]"), dates, side="right") - 1
    if not figures_at:
        snap_at[:] = len(snaps) - 1
    figures: dict[int, dict[int, tuple[float, ...]]] = {}
    for k in sorted(set(snap_at.tolist()) - {-1}):
        if k == len(snaps) - 1:
            figures[k] = _figures(series)  # ``cat`` is the catalogue at the newest snapshot
        else:
            from .snapshot_view import catalogue_at

            older = catalogue_at(conn, snaps[k])
            figures[k] = _figures(older[older["type"].isin(SERIES_TYPES)])
    works: dict[int, list[dict[str, Any]]] = {}
    for w in _works(conn, as_of, use_links).to_dict(orient="records"):
        works.setdefault(int(w["mal_id"]), []).append(w)
    sales = _sales_by_year(conn, int(as_of[:4]))
    studio = _studio_rates(by_id, ch, dates)
    sales_end = newest_sales_year(conn)
    sales_end_date = (pd.Timestamp(f"{int(sales_end)}-12-31") if sales_end is not None
                      else None)
    rel_end = newest_relation_date(conn, on_or_before=as_of, catalogue_only=True)
    relations_until = pd.Timestamp(rel_end) if rel_end is not None else None
    starts_any = dict(zip(cat["mal_id"], cat["start"], strict=True))
    # a season's discs are sold from about half a year after its end: a show that ended after
    # this date has no sales figure the data could hold
    known_until = (np.minimum(dates, np.datetime64(sales_end_date)) if sales_end_date is not None
                   else dates) - np.timedelta64(182, "D")
    prev = {b: a for a, b in ch.next_installment.items()}

    col = {c: by_id[c].to_dict() for c in ("episodes", "source_type", "type", "end", "start",
                                           "studios", "genres", "demographics")}
    cours_of = {m: math.ceil((e if pd.notna(e) and e > 0 else 12.0) / 13)
                for m, e in col["episodes"].items()}
    out = np.zeros((n, len(FEATURES)))
    pos = {f: i for i, f in enumerate(FEATURES)}
    static_at = np.array([pos[k] for k in _STATIC])
    # what does not change with the row's date, once per installment (a training set holds
    # each installment once per landmark look)
    static: dict[int, tuple[np.ndarray, list[int], int, Any, Any]] = {}
    for i, mal_id in enumerate(rows):
        got = static.get(mal_id)
        if got is None:
            chain = _chain_ids(prev, mal_id)
            eps = col["episodes"][mal_id]
            eps = eps if pd.notna(eps) and eps > 0 else 12.0
            series_cours = sum(cours_of.get(m, 1) for m in chain if m in cours_of)
            group = _SOURCE_GROUPS.get(str(col["source_type"][mal_id]), "other")
            start = col["start"][mal_id]
            demos, genres = col["demographics"][mal_id], col["genres"][mal_id]
            fixed: dict[str, float] = {
                "log_episodes": math.log1p(eps),
                "cours": float(min(math.ceil(eps / 13), 8)),
                "series_cours": float(min(series_cours, 20)),
                "installment": float(min(ch.season.get(mal_id, ch.installment.get(mal_id, 1)),
                                         6)),
                "is_part": float(mal_id in ch.part),
                "is_ona": float(col["type"][mal_id] == "ONA"),
                "relations_unknown": float(
                    relations_until is None or (pd.notna(start) and start > relations_until)),
            }
            for g in _SOURCE_KINDS:
                fixed[f"src_{g}"] = float(group == g)
            for d in DEMOGRAPHICS:
                fixed[f"demo_{d.lower()}"] = float(d in demos or d in genres)
            for g, name in _GENRE_FEATURES:
                fixed[name] = float(g in genres)
            got = static[mal_id] = (np.array([fixed[k] for k in _STATIC]), chain,
                                    series_cours, col["end"][mal_id],
                                    col["source_type"][mal_id])
        vec, chain, series_cours, end, source_type = got
        out[i, static_at] = vec
        day = pd.Timestamp(dates[i])
        today = day.isoformat()[:10]
        year = int(years[i])
        fig = figures.get(int(snap_at[i]), {}).get(mal_id)
        f: dict[str, float] = {"end_year": float((end.year if pd.notna(end) else year) - 2000)}
        if fig is None:
            f.update(pop_pct=0.0, score_pct=0.5, score_missing=1.0, log_members=0.0,
                     log_scored_by=0.0, members_growth=0.0, growth_missing=1.0,
                     figures_unknown=1.0)
        else:
            pop, spct, members, score, scored_by, members_prev = fig
            growth_ok = pd.notna(members_prev) and members_prev > 0 and pd.notna(members)
            f.update(
                pop_pct=float(pop) if pd.notna(pop) else 0.0,
                score_pct=float(spct) if pd.notna(spct) else 0.5,
                score_missing=float(pd.isna(score)),
                log_members=math.log1p(members) if pd.notna(members) else 0.0,
                log_scored_by=math.log1p(scored_by) if pd.notna(scored_by) else 0.0,
                members_growth=(math.log((members + 1) / (members_prev + 1))
                                if growth_ok else 0.0),
                growth_missing=float(not growth_ok), figures_unknown=0.0)
        f.update(_source_features(works, chain, source_type, series_cours, year))
        f["side_stories"] = float(min(sum(
            1 for m in chain for b, first in side_links.get(m, ())
            if first <= today
            or (pd.notna(starts_any.get(b)) and starts_any[b] <= day)), 10))
        sale = max((v for m in chain if (v := _sale_by(sales, m, year)) is not None),
                   default=None)
        uncovered = sale is None and pd.notna(end) and end > known_until[i]
        f["log_sales"] = math.log1p(sale) if sale is not None else 0.0
        f["sales_missing"] = float(sale is None and not uncovered)
        f["sales_unknown"] = float(uncovered)
        f["studio_rate"] = studio(i, col["studios"][mal_id],
                                  mal_id if leave_out_own_series else None)
        for k, v in f.items():
            out[i, pos[k]] = v
    return pd.DataFrame(out, index=pd.Index(rows, name="mal_id"), columns=list(FEATURES))


def _sales_by_year(conn: Conn, last_year: int) -> dict[int, list[tuple[int, float]]]:
    """``mal_id → [(year, best average sales per volume up to that year)]``, by year."""
    rows = best_video_sales_by_year(conn, last_year)
    out: dict[int, list[tuple[int, float]]] = {}
    for m, y, v in rows:
        seq = out.setdefault(int(m), [])
        best = max(float(v), seq[-1][1]) if seq else float(v)
        seq.append((int(y) if y is not None else 0, best))
    return out


def _sale_by(sales: dict[int, list[tuple[int, float]]], mal_id: int, year: int
             ) -> float | None:
    best = None
    for y, v in sales.get(mal_id, ()):
        if y > year:
            break
        best = v
    return best


def _chain_ids(prev: dict[int, int], mal_id: int) -> list[int]:
    """``mal_id`` and the installments before it, newest first (``prev``: next → previous)."""
    ids, cur = [mal_id], mal_id
    while cur in prev and prev[cur] not in ids:
        cur = prev[cur]
        ids.append(cur)
    return ids


def _source_features(works: dict[int, list[dict[str, Any]]], chain: list[int],
                     source_type: object,
                     series_cours: int, year: int) -> dict[str, float]:
    w = _primary_work(works, chain, str(source_type), year)
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


def _studio_rates(by_id: pd.DataFrame, ch: Chains, dates: np.ndarray):  # type: ignore[no-untyped-def]
    """Smoothed share of each studio's installments (ended 2–12 years before the cutoff)
    whose next installment had premiered by the cutoff; returns
    ``rate(row, studios, leave_out=None)``. The cutoff is the first day of the quarter of the
    row's date (on or before it), so the tables are computed once per quarter."""
    ids = by_id.index.to_numpy()
    end = by_id["end"].to_numpy(dtype="datetime64[ns]")
    nxt = by_id["start"].reindex([ch.next_installment.get(int(m), -1) for m in ids]
                                 ).to_numpy(dtype="datetime64[ns]")
    names: dict[str, int] = {}
    p_row, p_code = [], []
    for i, studios in enumerate(by_id["studios"]):
        for s in studios:
            p_row.append(i)
            p_code.append(names.setdefault(s, len(names)))
    pr, pc = np.array(p_row, dtype=int), np.array(p_code, dtype=int)
    row_of = {int(m): i for i, m in enumerate(ids)}
    quarters = pd.DatetimeIndex(dates).to_period("Q").start_time.to_numpy(
        dtype="datetime64[ns]")
    strength = 5.0
    tables: dict[np.datetime64, tuple[np.ndarray, np.ndarray, np.ndarray, float]] = {}

    def table(q: np.datetime64) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
        if q not in tables:
            cut = pd.Timestamp(q)
            lo = np.datetime64(cut - pd.DateOffset(years=12))
            hi = np.datetime64(cut - pd.DateOffset(years=2))
            inside = (end <= hi) & (end >= lo)
            got = (nxt <= np.datetime64(cut)).astype(float)  # NaT compares False
            prior = float(got[inside].mean()) if inside.any() else 0.1
            w = inside[pr]
            k = np.bincount(pc[w], weights=got[pr[w]], minlength=len(names))
            n = np.bincount(pc[w], minlength=len(names)).astype(float)
            tables[q] = (k, n, inside * got + np.where(inside, 0.0, np.nan), prior)
        return tables[q]

    def rate(row: int, studios: tuple[str, ...], leave_out: int | None = None) -> float:
        k, n, own, prior = table(quarters[row])
        drop_k = drop_n = 0.0
        if leave_out is not None and leave_out in row_of:
            g = own[row_of[leave_out]]
            if not np.isnan(g):  # the left-out installment is in the window
                drop_k, drop_n = g, 1.0
        best = [(k[names[s]] - drop_k + strength * prior) / (n[names[s]] - drop_n + strength)
                if s in names else prior for s in studios]
        return float(max(best)) if best else prior

    return rate
