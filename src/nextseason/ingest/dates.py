"""MAL's display dates, parsed strictly and with their precision kept.

MAL writes air dates as ``Apr 5, 2021``, ``Apr, 2021`` or ``Apr 2021`` (month known),
``2021`` (year known), ``?`` (unknown) or ``Not available``, and ranges as
``<date> to <date>``. A date keeps the precision it was stated with: ``Apr 2021`` is
stored as ``2021-04`` with precision ``month``, never as ``2021-04-01``.

Anything else raises :class:`ValueError`; importers turn that into a RecordError that names
the file and row.
"""

from __future__ import annotations

import re
from datetime import date
from typing import NamedTuple

__all__ = ["PartialDate", "parse_mal_date", "parse_mal_range", "parse_iso_date"]

_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
_FULL = ["january", "february", "march", "april", "may", "june", "july", "august",
         "september", "october", "november", "december"]
_DAY = re.compile(r"^([A-Za-z]+)\.? (\d{1,2}), (\d{4})$")
_MONTH = re.compile(r"^([A-Za-z]+)\.?,? (\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:+.Z-]*)?$")
_UNKNOWN = {"", "?", "not available", "unknown", "none"}


class PartialDate(NamedTuple):
    """An ISO date string cut to its precision (``2021``, ``2021-04``, ``2021-04-05``)."""

    value: str
    precision: str  # day | month | year

    def as_date(self) -> date:
        """The earliest calendar day the partial date can mean."""
        parts = [int(p) for p in self.value.split("-")] + [1, 1]
        return date(parts[0], parts[1], parts[2])


def _month(name: str, text: str) -> int:
    n = name.lower()
    if n in _MONTHS:
        return _MONTHS[n]
    if n in _FULL:
        return _FULL.index(n) + 1
    if n == "sept":
        return 9
    raise ValueError(f"unknown month {name!r} in date {text!r}")


def parse_mal_date(text: str | None) -> PartialDate | None:
    """Parse one MAL display date. ``None`` when the source says it is unknown."""
    t = (text or "").strip()
    if t.lower() in _UNKNOWN:
        return None
    if m := _DAY.match(t):
        d = date(int(m[3]), _month(m[1], t), int(m[2]))
        return PartialDate(d.isoformat(), "day")
    if m := _MONTH.match(t):
        return PartialDate(f"{int(m[2]):04d}-{_month(m[1], t):02d}", "month")
    if m := _YEAR.match(t):
        return PartialDate(m[1], "year")
    if m := _ISO.match(t):
        return PartialDate(date(int(m[1]), int(m[2]), int(m[3])).isoformat(), "day")
    raise ValueError(f"unrecognised date {t!r}")


def parse_mal_range(text: str | None) -> tuple[PartialDate | None, PartialDate | None]:
    """Parse ``<date> to <date>`` (or a single date, which is both start and end)."""
    t = (text or "").strip()
    if t.lower() in _UNKNOWN:
        return None, None
    if " to " in t:
        start, _, end = t.partition(" to ")
        return parse_mal_date(start), parse_mal_date(end)
    single = parse_mal_date(t)
    return single, single


def parse_iso_date(text: str | None) -> PartialDate | None:
    """Parse ``YYYY-MM-DD`` (with an optional time part); None for empty."""
    t = (text or "").strip()
    if t.lower() in _UNKNOWN:
        return None
    if m := _ISO.match(t):
        return PartialDate(date(int(m[1]), int(m[2]), int(m[3])).isoformat(), "day")
    raise ValueError(f"unrecognised ISO date {t!r}")
