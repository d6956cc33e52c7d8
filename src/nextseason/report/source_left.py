"""How much source material is left, honestly: known counts, what the anime adapted, and a
range with its basis where it is an estimate — or "unknown".

- *Published*: the volume count of the adapted work, as the newest source list gives it
  (a December 2023 list). A finished work's count is final; a running work's is a floor.
  No count in the data means no number, never a guess of volumes per year.
- *Adapted*: what stored articles say (an ``adapted_through`` claim: "through volume 5",
  with the articles' dates), else an estimate from the series' episodes: each 12–13-episode
  cour typically adapts a range of volumes by kind of source.
- *Left*: published minus adapted, never below zero; a finished work the anime adapted to its
  last volume has 0 left.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["SourceLeft", "source_left", "VOLUMES_PER_COUR_RANGE"]

#: volumes one cour of an adaptation typically covers, as a (low, high) range by source kind
VOLUMES_PER_COUR_RANGE = {"light novel": (2.0, 4.0), "novel": (2.0, 4.0), "manga": (3.0, 5.0)}
_KIND = {"Manga": "manga", "Manhwa": "manga", "Manhua": "manga", "Light Novel": "light novel",
         "Novel": "novel"}


@dataclass
class SourceLeft:
    """The answer for one series: numbers where known, the basis, one plain sentence."""

    work: str | None  # the adapted work's title
    kind: str | None  # manga | light novel | novel
    status: str | None  # finished | ongoing
    published: int | None  # volumes, when the data has a count
    published_as_of: str | None
    adapted_low: float | None
    adapted_high: float | None
    adapted_basis: str | None  # "3 articles (2021-06-28 to 2022-01-10)" or "estimate: ..."
    left_low: float | None
    left_high: float | None
    estimate: bool
    sentence: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _fmt(x: float) -> str:
    return f"{x:g}"


def source_left(works: list[dict[str, Any]], episodes: int | None,
                adapted_claim: tuple[float, int, list[str]] | None) -> SourceLeft:
    """``works``: the adapted works (title, type, volumes, status, as_of); ``episodes``: the
    series' episodes aired so far; ``adapted_claim``: (volume, number of articles, their
    dates) from stored articles, when any say how far the anime adapted."""
    usable = [w for w in works if _KIND.get(w.get("type") or "")]
    if not usable:
        return SourceLeft(None, None, None, None, None, None, None, None, None, None, False,
                          "unknown: no source work with volumes is linked to this series")
    w = max(usable, key=lambda w: (w.get("volumes") is not None, w.get("volumes") or 0))
    kind = _KIND[w["type"]]
    vols, status, as_of = w.get("volumes"), w.get("status"), w.get("as_of")
    out = SourceLeft(w["title"], kind, status, vols, as_of, None, None, None, None, None,
                     False, "")
    if adapted_claim is not None:
        vol, n, dates = adapted_claim
        out.adapted_low = out.adapted_high = float(vol)
        span = (f"{min(dates)} to {max(dates)}" if len(set(dates)) > 1 else
                (dates[0] if dates else "undated"))
        out.adapted_basis = (f"{n} article{'s' if n != 1 else ''} ({span}) say the anime"
                             f" adapted it through volume {_fmt(vol)}")
    elif episodes:
        cours = max(1, math.ceil(episodes / 13))
        lo, hi = VOLUMES_PER_COUR_RANGE[kind]
        out.adapted_low, out.adapted_high = cours * lo, cours * hi
        plural = "s" if cours > 1 else ""
        out.adapted_basis = (f"estimate: {episodes} episodes ({cours} cour{plural})"
                             f" × {_fmt(lo)}–{_fmt(hi)} volumes per cour, typical of"
                             f" {kind} adaptations")
        out.estimate = True
    if vols is None:
        running = "is still running" if status == "ongoing" else "has no volume count here"
        out.sentence = (f"unknown: the {kind} {running} and the data has no volume count"
                        " for it")
        return out
    where = f"{vols} volume{'s' if vols != 1 else ''}"
    state = (f"the {kind} finished at {where}" if status == "finished" else
             f"the {kind} had {where} by {as_of} and is still running")
    if out.adapted_low is None or out.adapted_high is None:
        out.sentence = f"unknown: {state}; how far the anime adapted it is not known"
        return out
    out.left_low = max(0.0, vols - out.adapted_high)
    out.left_high = max(0.0, vols - out.adapted_low)
    if out.left_high == 0 and status == "finished":
        how = ("a typical adaptation of these episodes would cover it all" if out.estimate
               else "the anime adapted it to its last volume")
        out.sentence = f"0 volumes left: {state} and {how} ({out.adapted_basis})"
    elif out.left_low == out.left_high:
        more = "" if status == "finished" else " or more"
        out.sentence = (f"{_fmt(out.left_low)}{more} volumes left: {state}"
                        f" ({out.adapted_basis})")
    else:
        more = "" if status == "finished" else ", more by now"
        out.sentence = (f"about {_fmt(out.left_low)}–{_fmt(out.left_high)} volumes left"
                        f"{more}: {state} ({out.adapted_basis})")
    return out
