"""Response models of the JSON API, for validation-free serialisation and for OpenAPI."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

__all__ = ["SearchHitOut", "SearchOut", "SeasonShowOut", "SeasonRef", "SeasonOut",
           "TimelineOut", "ErrorOut"]


class SearchHitOut(BaseModel):
    mal_id: int
    title: str = Field(description="The show's main title.")
    matched_alias: str = Field(description="The alias the query matched.")
    matched_kind: str = Field(description="main | english | japanese | synonym | fan")
    match: str = Field(description="exact | prefix | fuzzy")
    score: int = Field(description="0–100")
    members: int = Field(description="MAL members (newest snapshot).")
    type: str | None = None
    year: int | None = None


class SearchOut(BaseModel):
    query: str
    hits: list[SearchHitOut]


class SeasonShowOut(BaseModel):
    mal_id: int
    title: str
    type: str | None
    ended: str = Field(description="ISO date the series' latest season ended.")
    p_1y: float
    p_2y: float
    p_3y: float
    p_5y: float
    p_ever: float
    model: str
    as_of: str


class SeasonRef(BaseModel):
    year: int
    season: str


class SeasonOut(BaseModel):
    year: int
    season: str
    sort: str
    previous: SeasonRef
    next: SeasonRef
    shows: list[SeasonShowOut]


class TimelineOut(BaseModel):
    mal_id: int
    title: str
    timeline: list[dict[str, Any]] = Field(
        description="The franchise's entries in order, as in the outlook report's `timeline`.")


class ErrorOut(BaseModel):
    error: str
    status: int
