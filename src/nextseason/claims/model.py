"""What an article claims: the typed claim and the field vocabulary.

A claim is one statement of one article about one show, with its exact words: ``quote`` is
always ``text[start:end]`` of the article's stored plain text. Values keep the precision the
article gave (``2021``, ``2021-06``, ``2021-06-28``); numbers are numbers.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["Claim", "FIELDS", "RENEWAL_STATUSES", "OUTLOOK_FIELDS"]

#: field → what its value is
FIELDS: dict[str, str] = {
    # status and dates
    "renewal_status": "announced | not_announced | cancelled | concluded | rumoured",
    "premiere_date": "date (qualifier: the season)",
    "finale_date": "date (qualifier: the season)",
    "episode_count": "number (qualifier: the season)",
    "season_count": "number",
    # staff
    "studio": "name", "director": "name", "writer": "name", "composer": "name",
    "character_designer": "name",
    # source
    "source_type": "light novel | manga | web novel | novel | original | game | ...",
    "source_title": "title", "source_author": "name", "source_illustrator": "name",
    "source_publisher": "name (qualifier: imprint or site)",
    "source_volume_count": "number", "source_chapter_count": "number",
    "source_status": "ongoing | finished", "source_start": "date", "source_end": "date",
    "adapted_through": "volume or chapter number", "spin_off": "title",
    # sales and reception
    "bd_sales": "number (qualifier: e.g. first week, per volume)",
    "circulation": "number", "rating": "number (qualifier: the site)",
    "popularity_rank": "number (qualifier: the chart)",
    # other
    "predicted_window": "an outlook, not a fact: e.g. 'unlikely', '2024', '2 or 3 years'",
    "cast": "Character: Voice actor", "licensor": "name", "network": "name",
}
RENEWAL_STATUSES = ("announced", "not_announced", "cancelled", "concluded", "rumoured")
#: fields that hold opinions and guesses rather than facts
OUTLOOK_FIELDS = frozenset({"predicted_window"})


@dataclass
class Claim:
    field: str
    value: Any
    qualifier: str | None
    subject: str | None
    subject_mal_id: int | None
    quote: str
    start: int
    end: int
    article: str | None  # the article's id
    as_of: str | None  # the article's date
    confidence: float

    def __post_init__(self) -> None:
        if self.field not in FIELDS:
            raise ValueError(f"unknown claim field {self.field!r}")
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span {self.start}:{self.end}")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
