"""The one season numbering (link/seasons.py) on small hand-made graphs."""

from __future__ import annotations

from nextseason.link.seasons import number_installments, season_label

TV = "TV"


def test_split_cours_share_their_season() -> None:
    # S1, S1 part 2, S2, S2 part 2 (the Mushoku Tensei shape)
    seq = {1: {2}, 2: {3}, 3: {4}}
    types = {1: TV, 2: TV, 3: TV, 4: TV}
    starts = {1: "2021-01-11", 2: "2021-10-04", 3: "2023-07-10", 4: "2024-04-08"}
    titles = {1: ["Show"], 2: ["Show Part 2"], 3: ["Show II"], 4: ["Show II Part 2"]}
    got = number_installments(seq, types, starts, titles)
    assert [(got[m].season, got[m].part, got[m].installment) for m in (1, 2, 3, 4)] == [
        (1, None, 1), (1, 2, 2), (2, None, 3), (2, 2, 4)]
    assert season_label(got[4]) == "season 2, part 2"
    assert got[1].next == 2 and got[4].next is None and got[3].previous == 2
    assert {got[m].first for m in got} == {1}


def test_stated_season_wins_when_earlier_seasons_are_missing() -> None:
    # the catalogue lacks season 5: "6th Season" follows "4th Season" directly
    seq = {1: {4}, 4: {6}}
    types = {1: TV, 4: TV, 6: TV}
    starts = {1: "2016-04-03", 4: "2019-10-12", 6: "2022-10-01"}
    titles = {1: ["Hero"], 4: ["Hero 4th Season"], 6: ["Hero 6th Season"]}
    got = number_installments(seq, types, starts, titles)
    assert (got[4].season, got[6].season) == (4, 6)
    assert got[6].installment == 3  # the third entry of the chain, whatever its name


def test_films_and_specials_are_passed_through_not_counted() -> None:
    seq = {1: {10}, 10: {2}, 2: {11}}
    types = {1: TV, 10: "Movie", 2: "ONA", 11: "Special"}
    starts = {1: "2015", 10: "2016", 2: "2017", 11: "2018"}
    got = number_installments(seq, types, starts)
    assert set(got) == {1, 2}
    assert got[1].next == 2 and got[2].season == 2 and got[2].previous == 1


def test_undated_continuation_is_last_and_earliest_sequel_is_next() -> None:
    seq = {1: {2, 3}}
    types = {1: TV, 2: TV, 3: TV}
    starts = {1: "2020-01-01", 2: None, 3: "2022-04-01"}
    got = number_installments(seq, types, starts)
    assert got[1].next == 3  # dated before undated


def test_cycle_does_not_loop() -> None:
    got = number_installments({1: {2}, 2: {1}}, {1: TV, 2: TV}, {1: "2020", 2: "2021"})
    assert set(got) == {1, 2} and all(i.installment <= 2 for i in got.values())


def test_a_continuation_linked_to_an_earlier_season_continues_the_series_at_its_end() -> None:
    # "Zoku-hen" is linked from season 1, but seasons 2 and 3 came since
    seq = {1: {2, 9}, 2: {3}}
    types = {1: TV, 2: TV, 3: TV, 9: TV}
    starts = {1: "2021-04-11", 2: "2023-01-07", 3: "2023-10-04", 9: None}
    got = number_installments(seq, types, starts)
    assert got[3].next == 9 and got[9].previous == 3 and got[9].season == 4
    assert got[1].next == 2
