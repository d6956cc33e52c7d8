"""The catalogue as it stood on a date: every value from the newest snapshot at or before it.

:func:`catalogue_at` gives one row per anime known at ``as_of`` (its newest version on or
before that date, with that snapshot's figures); :func:`sequel_graph_at` gives the sequel
edges that were knowable then. Nothing here reads a snapshot dated after ``as_of``:

* relations: the typed Sequel / Prequel relations stated by snapshots on or before
  ``as_of``;
* linker edges (``sequel_link``, built with later crosswalks and rules) are added only
  when ``as_of`` is later than every relation snapshot — the 2025 entries have no relations
  of their own — and only between entries that were in the catalogue at ``as_of``.

So a forecast as of 2018-06-30 or 2021-01-24 depends on the snapshots of those dates alone,
and adding a later snapshot to the store changes none of its inputs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from ..store.catalogue import (
    catalogue_versions,
    finished_versions,
    snapshot_tags,
)
from ..store.conn import Conn
from ..store.observations import catalogue_observations
from ..store.relations import relations_at, sequel_links
from ..store.snapshots import newest_relation_date

__all__ = ["catalogue_at", "SequelGraph", "sequel_graph_at", "SERIES_TYPES", "years_between"]

SERIES_TYPES = ("TV", "ONA")
_METRICS = ("members", "score", "scored_by", "popularity", "favorites")


def years_between(a: pd.Series | date, b: pd.Series | date) -> pd.Series | float:
    """Years from ``a`` to ``b`` (365.25-day years)."""
    delta = pd.to_datetime(b) - pd.to_datetime(a)
    if isinstance(delta, pd.Series):
        return delta.dt.days / 365.25
    return delta.days / 365.25  # type: ignore[union-attr]


def _to_date(values: pd.Series) -> pd.Series:
    """ISO dates of any precision → Timestamps at the middle of what they name.

    ``2021-04-05`` is that day; ``2021-04`` is taken as 2021-04-15 and ``2021`` as 2021-07-01,
    which is unbiased for a date known only to the month or the year.
    """
    text = values.astype("string")
    text = text.str.replace(r"^(\d{4})$", r"\1-07-01", regex=True)
    text = text.str.replace(r"^(\d{4}-\d{2})$", r"\1-15", regex=True)
    return pd.to_datetime(text, errors="coerce", format="%Y-%m-%d")


def catalogue_at(conn: Conn, as_of: str) -> pd.DataFrame:
    """One row per anime known at ``as_of``, with that snapshot's values and figures.

    Columns: mal_id, snapshot_id, snapshot, snapshot_as_of, title, type, source_type,
    episodes, start (Timestamp), end (Timestamp), start_raw, end_raw, status, rating,
    members, score, scored_by, popularity, favorites, members_prev (from the previous
    catalogue snapshot that saw the show finished, if any), studios, genres, themes,
    demographics (tuples).
    """
    rows = catalogue_versions(conn, as_of)
    cols = ["mal_id", "snapshot_id", "snapshot", "snapshot_as_of", "title", "type",
            "source_type", "episodes", "start_raw", "end_raw", "status", "rating"]
    df = pd.DataFrame([tuple(r) for r in rows], columns=cols)
    df["start"] = _to_date(df["start_raw"])
    df["end"] = _to_date(df["end_raw"])
    obs = pd.DataFrame(
        catalogue_observations(conn, as_of, _METRICS),
        columns=["mal_id", "snapshot_id", "metric", "value"],
    )
    current = obs.merge(df[["mal_id", "snapshot_id"]], on=["mal_id", "snapshot_id"])
    wide = current.pivot_table(index="mal_id", columns="metric", values="value", aggfunc="first")
    df = df.merge(wide, left_on="mal_id", right_index=True, how="left")
    for m in _METRICS:
        if m not in df:
            df[m] = float("nan")
        df[m] = pd.to_numeric(df[m], errors="coerce")
    members = obs[obs["metric"] == "members"].merge(
        df[["mal_id", "snapshot_id"]].rename(columns={"snapshot_id": "current"}), on="mal_id")
    # growth is measured only from a snapshot where the show had finished airing: members
    # counted before a premiere are not comparable
    finished = finished_versions(conn)
    was_finished = [(m, s) in finished for m, s in zip(members["mal_id"],
                                                       members["snapshot_id"], strict=True)]
    earlier = members[(members["snapshot_id"] < members["current"])
                      & pd.Series(was_finished, index=members.index, dtype=bool)]
    prev = earlier.sort_values("snapshot_id").groupby("mal_id")["value"].last()
    df["members_prev"] = df["mal_id"].map(pd.to_numeric(prev, errors="coerce"))
    tags = pd.DataFrame(
        snapshot_tags(conn, as_of, ("studio", "genre", "theme", "demographic")),
        columns=["mal_id", "snapshot_id", "kind", "name"],
    ).merge(df[["mal_id", "snapshot_id"]], on=["mal_id", "snapshot_id"])
    for kind, col in (("studio", "studios"), ("genre", "genres"), ("theme", "themes"),
                      ("demographic", "demographics")):
        names = tags[tags["kind"] == kind].groupby("mal_id")["name"].agg(lambda s: tuple(sorted(s)))
        df[col] = df["mal_id"].map(names).apply(lambda v: v if isinstance(v, tuple) else ())
    return df


@dataclass
class SequelGraph:
    """Sequel edges among the anime known at a date (prequel → sequels)."""

    sequels: dict[int, set[int]] = field(default_factory=dict)
    prequels: dict[int, set[int]] = field(default_factory=dict)
    side_stories: dict[int, int] = field(default_factory=dict)  # listed side stories/spin-offs

    def add(self, prequel: int, sequel: int) -> None:
        if prequel == sequel:
            return
        self.sequels.setdefault(prequel, set()).add(sequel)
        self.prequels.setdefault(sequel, set()).add(prequel)


def sequel_graph_at(
    conn: Conn, as_of: str, known: set[int], *, use_links: bool | None = None
) -> SequelGraph:
    """Sequel edges knowable at ``as_of`` among ``known`` anime (see the module docstring)."""
    graph = SequelGraph()
    for a, b, kind in relations_at(conn, as_of, ("Sequel", "Prequel", "Side story",
                                                  "Spin-off")):
        if kind in ("Side story", "Spin-off"):
            graph.side_stories[a] = graph.side_stories.get(a, 0) + 1
        elif a in known and b in known:
            graph.add(a, b) if kind == "Sequel" else graph.add(b, a)
    if use_links is None:
        newest = newest_relation_date(conn, catalogue_only=True)
        use_links = newest is None or as_of > newest
    if use_links:
        for a, b in sequel_links(conn):
            if a in known and b in known:
                graph.add(a, b)
    return graph
