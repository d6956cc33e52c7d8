"""The SVG charts: text in CSS pixels, round ticks, the table's time axis, a text
alternative, no empty boxes, titles kept as text."""

from __future__ import annotations

import re

from nextseason.report.chart_png import curve_png, timeline_png
from nextseason.report.charts import curve_axes, curve_svg, timeline_svg, y_ticks, year_ticks

CURVE = [[3.7 + 0.25 * i, round(0.004 * i, 4)] for i in range(41)]
PROBS = {"p_1y": 0.016, "p_2y": 0.032, "p_3y": 0.048, "p_5y": 0.08, "p_ever": 0.2}
ENTRIES = [
    {"mal_id": 1, "title": "A <script>alert(1)</script> show with a very long title indeed",
     "type": "TV", "start": "2021-04-05", "end": "2021-06-28", "season_number": 1},
    {"mal_id": 2, "title": "The film", "type": "Movie", "start": "2022-01-10",
     "end": "2022-01-10"},
    {"mal_id": 3, "title": "Undated", "type": "OVA", "start": None, "end": None},
]


def _outer(svg: str) -> str:
    return svg[:svg.index(">") + 1]


def test_text_is_sized_in_css_pixels() -> None:
    for svg in (curve_svg(CURVE, 3.7, "Chance", as_of="2025-03-24", probabilities=PROBS),
                timeline_svg(ENTRIES, "Franchise timeline")):
        assert "viewBox" not in _outer(svg)  # one user unit = one CSS pixel
        sizes = [int(s) for s in re.findall(r'font-size="(\d+)"', svg)]
        assert sizes and min(sizes) >= 11
        assert 'width="100%"' in _outer(svg)


def test_text_alternative_and_escaping() -> None:
    svg = timeline_svg(ENTRIES, "Franchise timeline")
    assert "<title id=\"timeline-title\">Franchise timeline</title>" in svg
    assert 'aria-labelledby="timeline-title timeline-desc"' in svg and "<desc" in svg
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    # the full title on hover, a short one on the chart
    assert "very long title indeed, 2021-04-05 to 2021-06-28</title>" in svg
    assert "…" in svg
    # a legend of the colours used
    assert ">TV / web<" in svg and ">Film<" in svg and ">Special<" not in svg


def test_curve_shares_the_tables_axis() -> None:
    axes = curve_axes(CURVE, 3.7, "2025-03-24", PROBS)
    assert axes is not None
    assert axes.points[0] == (0.0, 0.0)  # starts at the forecast date
    assert [x for x, _, _ in axes.horizons] == [1.0, 2.0, 3.0, 5.0]
    assert axes.finale == "July 2021, 3.7 years before"  # from the years alone
    axes = curve_axes(CURVE, 3.7, "2025-03-24", PROBS, finale="2021-06-28")
    assert axes is not None and axes.finale == "28 June 2021, 3.7 years before"
    svg = curve_svg(CURVE, 3.7, "Chance", as_of="2025-03-24", probabilities=PROBS,
                    finale="2021-06-28")
    assert "years after the forecast date" in svg and "Finale: 28 June 2021" in svg
    assert svg.count("<circle") == 4  # the table's four horizons


def test_round_ticks() -> None:
    assert y_ticks(0.038) == [0.0, 0.01, 0.02, 0.03, 0.04]
    assert y_ticks(0.7) == [0.0, 0.2, 0.4, 0.6, 0.8]
    assert y_ticks(0.012) == [0.0, 0.005, 0.01, 0.015]
    svg = curve_svg([[1.0, 0.0], [2.0, 0.012], [3.0, 0.03]], 1.0, "c", as_of="2025-03-24")
    labels = re.findall(r">(\d+(?:\.\d)?%)<", svg)
    assert labels == ["1%", "2%", "3%", "4%"]  # room above the top value
    assert year_ticks(2003.2, 2025.1) == [2005, 2010, 2015, 2020, 2025]
    assert year_ticks(2020.5, 2022.3) == [2021, 2022]


def test_no_empty_boxes() -> None:
    assert curve_svg([], None, "c", as_of="2025-03-24") == ""
    assert timeline_svg([ENTRIES[2]], "t") == ""
    assert curve_png([], None, "c", as_of="2025-03-24") is None


def test_png_twins() -> None:
    png = curve_png(CURVE, 3.7, "Chance", as_of="2025-03-24", probabilities=PROBS)
    assert png is not None and png[:8] == b"\x89PNG\r\n\x1a\n"
    png = timeline_png(ENTRIES, "Timeline")
    assert png is not None and png[:8] == b"\x89PNG\r\n\x1a\n"


def test_an_airing_entry_runs_to_the_charts_end() -> None:
    entries = [{"mal_id": 1, "title": "Long runner", "type": "TV", "start": "2000-01-01",
                "end": None, "status": "airing", "season_number": 1},
               {"mal_id": 2, "title": "Film", "type": "Movie", "start": "2010-01-01",
                "end": "2010-01-01"}]
    svg = timeline_svg(entries, "t")
    widths = [float(w) for w in re.findall(r'<rect x="[\d.]+%" y="\d+" width="([\d.]+)%"',
                                           svg)]
    assert widths[0] > 90  # from 2000 to the chart's end, not a dot
