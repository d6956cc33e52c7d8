"""The forecast of one show as a plain record (no pandas, no models), shared by the trained
path (:func:`nextseason.forecast.explain.forecast_show`) and the build's stored forecasts
(:mod:`nextseason.report.show_forecast`), so that both print and serialise the same way."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["Factor", "Comparable", "ShowForecast"]


@dataclass
class Factor:
    name: str
    effect: float  # change in P(new season within 3 years), in probability points (0-1)
    detail: str


@dataclass
class Comparable:
    mal_id: int
    title: str
    ended: str
    outcome: str
    years_to_next: float | None


@dataclass
class ShowForecast:
    mal_id: int
    title: str
    as_of: str
    model: str
    eligible: bool
    reason: str  # why not eligible ('' when eligible)
    ended: str | None = None
    years_since_end: float | None = None
    probabilities: dict[str, float] = field(default_factory=dict)
    factors: list[Factor] = field(default_factory=list)
    comparables: list[Comparable] = field(default_factory=list)
    data_age: str = ""  # "catalogue as of 24 March 2025, 20 months ago" (when known)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
