"""Source left, honestly (report/source_left.py)."""

from __future__ import annotations

from nextseason.report.source_left import source_left


def _ln(volumes: int | None, status: str, kind: str = "Light Novel") -> dict[str, object]:
    return {"title": "Work", "type": kind, "volumes": volumes, "status": status,
            "as_of": "2023-12-04"}


def test_finished_work_adapted_to_its_last_volume_has_none_left() -> None:
    r = source_left([_ln(5, "finished")], 13, (5.0, 3, ["2021-06-28", "2023-07-17"]))
    assert (r.left_low, r.left_high, r.estimate) == (0.0, 0.0, False)
    assert r.sentence.startswith("0 volumes left")
    assert "3 articles (2021-06-28 to 2023-07-17)" in r.sentence


def test_estimate_is_a_range_with_its_basis_and_never_more_than_published() -> None:
    r = source_left([_ln(14, "finished", "Manga")], 24, None)
    assert r.estimate and r.left_low == 4.0 and r.left_high == 8.0  # 2 cours × 3–5
    assert "estimate" in r.sentence and "about 4–8 volumes left" in r.sentence
    small = source_left([_ln(2, "finished", "Manga")], 48, None)
    assert small.left_low == 0.0 and small.left_high == 0.0


def test_no_volume_count_is_unknown_not_a_guess() -> None:
    r = source_left([_ln(None, "ongoing", "Manga")], 12, None)
    assert r.left_low is None and r.left_high is None
    assert r.sentence.startswith("unknown") and "still running" in r.sentence


def test_running_work_count_is_a_floor() -> None:
    r = source_left([_ln(10, "ongoing", "Manga")], 12, (3.0, 1, []))
    assert r.left_low == r.left_high == 7.0
    assert "or more" in r.sentence and "still running" in r.sentence


def test_no_work_with_volumes() -> None:
    r = source_left([{"title": "Game", "type": "Game", "volumes": None, "status": None,
                      "as_of": "2023-12-04"}], 12, None)
    assert r.work is None and r.sentence.startswith("unknown")
