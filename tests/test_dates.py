from __future__ import annotations

import pytest

from nextseason.ingest.dates import PartialDate, parse_mal_date, parse_mal_range


@pytest.mark.parametrize(
    "text, start, end",
    [
        ("Apr 5, 2021 to Jun 28, 2021", ("2021-04-05", "day"), ("2021-06-28", "day")),
        ("Apr, 2021 to ?", ("2021-04", "month"), None),
        ("Oct 2025 to ?", ("2025-10", "month"), None),
        ("2020 to ?", ("2020", "year"), None),
        ("Jul 2, 2011 to Jul 2011", ("2011-07-02", "day"), ("2011-07", "month")),
        ("1977 to Jun 6, 2012", ("1977", "year"), ("2012-06-06", "day")),
        ("Dec 18, 1988", ("1988-12-18", "day"), ("1988-12-18", "day")),
        ("Not available", None, None),
        ("", None, None),
    ],
)
def test_ranges(text, start, end) -> None:
    s, e = parse_mal_range(text)
    assert (tuple(s) if s else None) == start
    assert (tuple(e) if e else None) == end


@pytest.mark.parametrize("bad", ["Aprill 5, 2021", "Feb 30, 2021", "5/4/2021", "Spring 2021"])
def test_bad_dates_raise(bad) -> None:
    with pytest.raises(ValueError):
        parse_mal_date(bad)


def test_partial_date_as_date() -> None:
    assert PartialDate("2021-04", "month").as_date().isoformat() == "2021-04-01"
