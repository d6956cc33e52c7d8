"""Response models of the JSON API (for OpenAPI). Records the library already types as
dataclasses (search hits, season rows) are used as they are, not copied."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from ..search.index import SearchHit
from .season import SeasonShow

__all__ = ["SearchOut", "SeasonRef", "SeasonOut", "TimelineOut", "ErrorOut"]


class SearchOut(BaseModel):
    query: str
    hits: list[SearchHit]


class SeasonRef(BaseModel):
    year: int
    season: str


class SeasonOut(BaseModel):
    year: int
    season: str
    sort: str
    previous: SeasonRef
    next: SeasonRef
    shows: list[SeasonShow]


class TimelineOut(BaseModel):
    mal_id: int
    title: str
    timeline: list[dict[str, Any]] = Field(
        description="The franchise's entries in order, as in the outlook report's `timeline`.")


class ErrorOut(BaseModel):
    error: str
    status: int
