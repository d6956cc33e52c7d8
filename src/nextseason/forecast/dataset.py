"""Data sets for the forecast: who is eligible at a date, what was known, what happened.

* :func:`build_dataset` — one row per eligible series at ``as_of`` (its latest TV/ONA
  season finished by then, no continuation listed), with features known at ``as_of`` and
  ``elapsed`` (years since that season ended). Series that are not eligible are listed
  with the reason.
* :func:`training_spells` — what a model may learn from at ``as_of``: every TV/ONA
  installment in the catalogue as it stood then, from its end to its next installment's
  premiere (event) or to ``as_of`` (censored), with when its continuation was announced;
  :func:`~.landmark.landmark_rows` turns them into looks at landmark dates at which nothing
  was announced — the population a forecast is made for.
* :func:`label_outcomes` — what really happened next, from all the data the store has
  (later snapshots and the linker may LABEL outcomes, never feed features).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..store.catalogue import first_listed
from ..store.conn import Conn
from ..store.snapshots import (
    newest_catalogue_date,
    newest_relation_date,
    newest_snapshot_date,
    snapshot_as_of,
)
from ..store.sources import tvdb_seasons
from .features import compute_features
from .series import Chains, chains, eligibility
from .snapshot_view import SERIES_TYPES, catalogue_at, sequel_graph_at

__all__ = ["Dataset", "build_dataset", "training_spells", "label_outcomes", "data_end",
           "drop_announced", "status_date", "ANNOUNCE_LEAD_YEARS",
           "outcome_by"]


@dataclass
class Dataset:
    as_of: str
    frame: pd.DataFrame  # index mal_id: title, series_first, installment, end, elapsed, ...
    X: pd.DataFrame  # index mal_id, columns FEATURES
    ineligible: pd.DataFrame  # mal_id, title, reason
    latest_of: dict[int, int] = field(default_factory=dict)  # installment → latest season

    @property
    def feature_columns(self) -> list[str]:
        return list(self.X.columns)


@dataclass
class _State:
    cat: pd.DataFrame
    ch: Chains
    side: dict[int, int]
    use_links: bool


def _state(conn: Conn, as_of: str) -> _State:
    cat = catalogue_at(conn, as_of)
    newest = newest_relation_date(conn, catalogue_only=True)
    use_links = newest is None or as_of > newest
    graph = sequel_graph_at(conn, as_of, set(cat["mal_id"]), use_links=use_links)
    return _State(cat, chains(cat, graph), graph.side_stories, use_links)


def data_end(conn: Conn) -> str:
    """The date of the newest catalogue snapshot: outcomes are known up to it."""
    return newest_catalogue_date(conn)  # type: ignore[return-value]


def build_dataset(conn: Conn, as_of: str) -> Dataset:
    """Eligible series at ``as_of`` with their features (see the module docstring)."""
    st = _state(conn, as_of)
    reasons = eligibility(st.cat, st.ch, as_of)
    by_id = st.cat.set_index("mal_id")
    eligible = [int(m) for m, r in reasons.items() if r == ""]
    X = compute_features(conn, st.cat, st.ch, st.side, as_of, eligible, use_links=st.use_links)
    frame = pd.DataFrame(index=pd.Index(eligible, name="mal_id"))
    frame["title"] = by_id.loc[eligible, "title"]
    frame["type"] = by_id.loc[eligible, "type"]
    frame["series_first"] = [st.ch.first.get(m, m) for m in eligible]
    frame["installment"] = [st.ch.installment.get(m, 1) for m in eligible]
    frame["end"] = by_id.loc[eligible, "end"]
    frame["elapsed"] = ((pd.Timestamp(as_of) - frame["end"]).dt.days / 365.25).clip(lower=0)
    frame["snapshot"] = by_id.loc[eligible, "snapshot"]
    inel = pd.DataFrame({"mal_id": [int(m) for m, r in reasons.items() if r],
                         "reason": [r for r in reasons if r]})
    inel["title"] = inel["mal_id"].map(by_id["title"])
    latest_of = {}
    for m in st.ch.installment:
        cur, seen = m, {m}
        while cur in st.ch.next_installment and st.ch.next_installment[cur] not in seen:
            cur = st.ch.next_installment[cur]
            seen.add(cur)
        latest_of[int(m)] = int(cur)
    return Dataset(as_of, frame, X, inel[["mal_id", "title", "reason"]], latest_of)


#: a continuation whose announcement no snapshot dates is taken as announced this many years
#: before its premiere (TV continuations are, as a rule, announced months ahead; a fixed
#: assumption, not tuned). A later part of the same season that follows within
#: :data:`SPLIT_GAP_YEARS` counts as announced at the finale: parts of one season count once.
ANNOUNCE_LEAD_YEARS = 0.5
SPLIT_GAP_YEARS = 1.0


def training_spells(conn: Conn, as_of: str, *, min_end: str = "1990-01-01"
                    ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(X, spells)``: features and (duration, event, entry, followup, announced) of every
    installment.

    ``followup`` is the time from the installment's end to ``as_of``: how long it could be
    watched, whatever happened.

    A spell runs from an installment's end to its next installment's premiere if that was on
    or before ``as_of`` (event 1), else to ``as_of`` (event 0). ``announced`` is when (years
    after the end) the continuation was known: the first catalogue snapshot that listed it
    before its premiere, else :data:`ANNOUNCE_LEAD_YEARS` before the premiere; 0 for a later
    part of the same season within :data:`SPLIT_GAP_YEARS`; ``inf`` when nothing was known
    by ``as_of``. :func:`~.landmark.landmark_rows` keeps only the looks before it: the
    forecast population never holds a series whose continuation is announced.
    """
    st = _state(conn, as_of)
    cutoff = pd.Timestamp(as_of)
    cat = st.cat
    series = cat[cat["type"].isin(SERIES_TYPES) & cat["end"].notna()
                 & (cat["end"] <= cutoff) & (cat["end"] >= pd.Timestamp(min_end))]
    series = series[series["status"].eq("finished") | series["mal_id"].isin(
        st.ch.next_installment.keys())]
    starts = cat.set_index("mal_id")["start"]
    listed = _first_listed(conn, as_of)
    rows = []
    for mal_id, end in zip(series["mal_id"], series["end"], strict=True):
        nxt = st.ch.next_installment.get(mal_id)
        nstart = starts.get(nxt) if nxt is not None else None
        if nstart is not None and pd.notna(nstart) and nstart <= cutoff:
            duration, event = max((nstart - end).days / 365.25, 7 / 365.25), 1
        else:
            duration, event = max((cutoff - end).days / 365.25, 1 / 365.25), 0
        followup = max((cutoff - end).days / 365.25, 1 / 365.25)
        announced = np.inf
        if nxt is not None:
            if nstart is not None and pd.notna(nstart):
                announced = (nstart - end).days / 365.25 - ANNOUNCE_LEAD_YEARS
                if (st.ch.season.get(nxt) == st.ch.season.get(mal_id)
                        and nxt in st.ch.part and announced <= SPLIT_GAP_YEARS):
                    announced = 0.0
            first = listed.get(nxt)
            if first is not None and (nstart is None or pd.isna(nstart) or first < nstart):
                announced = min(announced, (first - end).days / 365.25)
            announced = max(announced, 0.0)
        rows.append((int(mal_id), duration, event, 0.0, followup, announced))
    spells = pd.DataFrame(
        rows, columns=["mal_id", "duration", "event", "entry", "followup", "announced"]
    ).set_index("mal_id")
    X = compute_features(conn, st.cat, st.ch, st.side, as_of, list(spells.index),
                         use_links=st.use_links, leave_out_own_series=True)
    return X, spells


def _first_listed(conn: Conn, as_of: str) -> dict[int, pd.Timestamp]:
    """The first catalogue snapshot (on or before ``as_of``) that lists each entry."""
    return {m: pd.Timestamp(d) for m, d in first_listed(conn, as_of).items()}


def label_outcomes(conn: Conn, frame: pd.DataFrame) -> pd.DataFrame:
    """What happened after each row's season ended, from everything the store knows.

    Adds ``next_mal_id``, ``next_title``, ``next_start`` (the next TV/ONA installment),
    ``any_start`` (the first continuation of any type), ``followup_end`` (the data's end)
    and ``years_to_next`` (NaN when none came by the data's end).
    """
    end_date = data_end(conn)
    full = catalogue_at(conn, "9999-12-31")
    graph = sequel_graph_at(conn, "9999-12-31", set(full["mal_id"]), use_links=True)
    ch = chains(full, graph)
    by_id = full.set_index("mal_id")
    out = frame.copy()
    nxt, nstart, anystart = [], [], []
    for mal_id, end in zip(out.index, out["end"], strict=True):
        n = ch.next_installment.get(mal_id)
        s = by_id.at[n, "start"] if n is not None else pd.NaT
        if n is not None and (pd.isna(s) or s <= end):
            s = pd.NaT if pd.isna(s) else s
        nxt.append(n)
        nstart.append(s)
        later = [by_id.at[m, "start"] for m in ch.continuations.get(mal_id, [])
                 if m in by_id.index and pd.notna(by_id.at[m, "start"])
                 and by_id.at[m, "start"] > end]
        anystart.append(min(later) if later else pd.NaT)
    unknown, unknown_listed = _crosswalk_sequels(conn, out, by_id, nstart)
    for i, mal_id in enumerate(out.index):
        dated = unknown.get(mal_id, (None, pd.NaT))
        if pd.isna(nstart[i]) and pd.notna(dated[1]):
            nxt[i], nstart[i] = dated
    out["next_mal_id"] = pd.array(nxt, dtype="Int64")
    out["next_title"] = [by_id.at[n, "title"] if n is not None else None for n in nxt]
    out["next_start"] = pd.to_datetime(pd.Series(nstart, index=out.index))
    out["any_start"] = pd.to_datetime(pd.Series(anystart, index=out.index))
    out["undated_sequel"] = pd.array(
        [unknown.get(m, (None, pd.NaT))[0] if pd.isna(out.at[m, "next_start"]) else None
         for m in out.index], dtype="Int64")
    out["undated_listed_by"] = unknown_listed
    out["followup_end"] = pd.Timestamp(end_date)
    within = out["next_start"] <= out["followup_end"]
    out["years_to_next"] = np.where(
        within, (out["next_start"] - out["end"]).dt.days / 365.25, np.nan)
    return out


def _crosswalk_sequels(
    conn: Conn, frame: pd.DataFrame, by_id: pd.DataFrame, nstart: list
) -> tuple[dict[int, tuple[int, pd.Timestamp]], pd.Timestamp]:
    """Later TVDB seasons of each row's series, from the ID crosswalk.

    The 2025 catalogue is a subset of MAL, so a sequel that aired after 2021 may be missing
    from it. The crosswalk (2024) still lists it, with its TVDB season. Returns, per row, the
    first later TV/ONA season: ``(mal_id, start)`` with the start from the catalogue when it
    has the entry, else ``NaT`` (a sequel known to exist, date unknown); and the date of the
    crosswalk.
    """
    listed = snapshot_as_of(conn, "ids_2024")
    seasons = pd.DataFrame([r[:4] for r in tvdb_seasons(conn)],
                           columns=["mal_id", "type", "tvdb_id", "season"])
    own = seasons.set_index("mal_id")
    own = own[~own.index.duplicated()]
    series = seasons[seasons["type"].isin(["TV", "ONA"])]
    by_series = {k: g for k, g in series.groupby("tvdb_id")}
    out: dict[int, tuple[int, pd.Timestamp]] = {}
    for i, (mal_id, end) in enumerate(zip(frame.index, frame["end"], strict=True)):
        if pd.notna(nstart[i]) or mal_id not in own.index:
            continue
        g = by_series.get(own.at[mal_id, "tvdb_id"])
        if g is None:
            continue
        later = g[(g["season"] > own.at[mal_id, "season"]) & (g["mal_id"] != mal_id)]
        if later.empty:
            continue
        dated = [(int(m), by_id.at[m, "start"]) for m in later["mal_id"]
                 if m in by_id.index and pd.notna(by_id.at[m, "start"])
                 and by_id.at[m, "start"] > end]
        undated = [int(m) for m in later["mal_id"] if m not in by_id.index]
        if dated:
            out[mal_id] = min(dated, key=lambda x: x[1])
        elif undated:
            out[mal_id] = (min(undated), pd.NaT)
    return out, pd.Timestamp(listed) if listed else pd.NaT


def outcome_by(labels: pd.DataFrame, origin: str, until: str, complete_until: str
               ) -> np.ndarray:
    """1 if the next TV/ONA season premiered after ``origin`` and by ``until``, else 0;
    NaN where it cannot be told.

    A sequel the crosswalk lists but the catalogue lacks (``undated_sequel``) premiered after
    ``complete_until`` (the catalogue lists every season up to then) and, we assume, by the
    date of the crosswalk: it counts as 0 for a horizon ending by ``complete_until``, 1 for
    one ending after the crosswalk's date, and is left out in between.
    """
    start, stop = pd.Timestamp(origin), pd.Timestamp(until)
    y = ((labels["next_start"] > start) & (labels["next_start"] <= stop)).astype(float)
    undated = labels["undated_sequel"].notna().to_numpy()
    listed_by = labels["undated_listed_by"]
    if stop <= pd.Timestamp(complete_until):
        fill = 0.0
    elif pd.notna(listed_by).all() and (stop >= listed_by).all():
        fill = 1.0
    else:
        fill = np.nan
    y = y.to_numpy()
    y[undated] = fill
    return y




def status_date(conn: Conn, as_of: str) -> str:
    """The date a forecast's "is it announced?" is answered at: ``as_of`` itself for a past
    date; for the newest catalogue's date ("now"), the newest dated source in the store (the
    TVDB season list and the sequel rules are dated after the catalogue)."""
    if as_of < data_end(conn):
        return as_of
    newest = newest_snapshot_date(conn)
    return max(as_of, newest or as_of)


def drop_announced(conn: Conn, ds: Dataset,
                   only: Iterable[int] | None = None) -> Dataset:
    """``ds`` without the series whose status is *announced* or *airing* by any source dated
    on or before :func:`status_date` (:func:`nextseason.link.status.series_status`: the
    newest catalogue snapshot, the ID crosswalk's TVDB seasons, the sequel rules). Each moves
    to ``ineligible`` with the evidence as its reason.

    Those sources only decide who gets no forecast: features stay as of ``ds.as_of``.
    """
    from ..link.status import series_status

    today = status_date(conn, ds.as_of)
    dropped: dict[int, str] = {}
    check = ds.frame.index if only is None else [m for m in only if m in ds.frame.index]
    for mal_id in check:
        st = series_status(conn, int(mal_id), today)
        if st.status in ("announced", "airing") and st.evidence:
            ev = st.evidence[0]
            dropped[int(mal_id)] = f"{st.status}: {ev.says} ({ev.name}, {ev.as_of})"
    if not dropped:
        return ds
    keep = ~ds.frame.index.isin(list(dropped))
    extra = pd.DataFrame({"mal_id": list(dropped), "reason": list(dropped.values())})
    extra["title"] = extra["mal_id"].map(ds.frame["title"])
    inel = pd.concat([ds.ineligible, extra[["mal_id", "title", "reason"]]], ignore_index=True)
    return Dataset(ds.as_of, ds.frame[keep], ds.X[keep], inel, ds.latest_of)
