"""Series: TV/ONA installments joined along sequel edges, and who is eligible for a forecast.

For each TV/ONA entry, its *next installment* is the first TV/ONA entry reached by
following sequel edges forward (passing through films, OVAs and specials), its
*installment number* counts the TV/ONA entries behind it. The *latest season* of a series is
an installment with no next installment. A series is **eligible** for a forecast at
``as_of`` when its latest season is TV or ONA, finished airing on or before ``as_of``, and
no continuation of any type is listed that has not yet aired (that is status *announced*,
reported, not forecast).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..link.seasons import number_installments, reachable
from .snapshot_view import SERIES_TYPES, SequelGraph

__all__ = ["Chains", "chains", "eligibility"]


@dataclass
class Chains:
    next_installment: dict[int, int]  # TV/ONA → next TV/ONA
    installment: dict[int, int]  # TV/ONA → 1, 2, ...
    first: dict[int, int]  # TV/ONA → first TV/ONA installment of its series
    continuations: dict[int, list[int]]  # any entry → every entry reachable forward
    season: dict[int, int] = field(default_factory=dict)  # TV/ONA → season (parts share it)
    part: dict[int, int] = field(default_factory=dict)  # later parts of a split season → 2, 3..


def chains(cat: pd.DataFrame, graph: SequelGraph) -> Chains:
    """Walk the sequel graph once (:func:`nextseason.link.seasons.number_installments`, the
    one season numbering the reports use too)."""
    types = dict(zip(cat["mal_id"], cat["type"], strict=True))
    starts = {m: (None if pd.isna(s) else s.date().isoformat())
              for m, s in zip(cat["mal_id"], cat["start"], strict=True)}
    titles = {m: (str(t),) for m, t in zip(cat["mal_id"], cat["title"], strict=True)
              if isinstance(t, str)}
    numbered = number_installments(graph.sequels, types, starts, titles)
    continuations = {m: reachable(graph.sequels, m) for m in numbered}
    return Chains(
        next_installment={m: i.next for m, i in numbered.items() if i.next is not None},
        installment={m: i.installment for m, i in numbered.items()},
        first={m: i.first for m, i in numbered.items()},
        continuations=continuations,
        season={m: i.season for m, i in numbered.items()},
        part={m: i.part for m, i in numbered.items() if i.part is not None},
    )


def eligibility(cat: pd.DataFrame, ch: Chains, as_of: str) -> pd.Series:
    """For each TV/ONA entry without a next installment: '' if eligible, else the reason."""
    cutoff = pd.Timestamp(as_of)
    by_id = cat.set_index("mal_id")
    reasons = {}
    for mal_id, row in by_id.iterrows():
        if row["type"] not in SERIES_TYPES or mal_id in ch.next_installment:
            continue
        pending = [
            m for m in ch.continuations.get(mal_id, [])
            if m in by_id.index and (by_id.at[m, "status"] == "not_yet_aired"
                                     or (pd.notna(by_id.at[m, "start"])
                                         and by_id.at[m, "start"] > cutoff))
        ]
        if row["status"] == "not_yet_aired" and ch.installment.get(mal_id, 1) > 1:
            when = row["start_raw"] or "date unknown"
            reason = f"announced: {row['type']} {row['title']!r} ({when})"
        elif row["status"] == "not_yet_aired":
            reason = "not yet aired"
        elif row["status"] == "airing":
            reason = "still airing"
        elif pending:
            m = pending[0]
            when = by_id.at[m, "start_raw"] or "date unknown"
            reason = f"announced: {by_id.at[m, 'type']} {by_id.at[m, 'title']!r} ({when})"
        elif pd.isna(row["end"]):
            reason = "end date unknown"
        elif row["end"] > cutoff:
            reason = "ends after the forecast date"
        else:
            reason = ""
        reasons[mal_id] = reason
    return pd.Series(reasons, name="reason", dtype=object)
