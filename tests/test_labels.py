"""The one vocabulary every renderer and the CLI use (report.labels)."""

from __future__ import annotations

from nextseason.report.labels import (
    catalogue_status,
    field_label,
    percent,
    percentile,
    plural,
    reconcile_status,
    season_name,
    season_of,
    source_label,
    value_label,
)


def test_fields_sources_statuses_in_words() -> None:
    assert field_label("premiere_date", "season 1") == "Premiere (season 1)"
    assert field_label("adapted_through") == "Adapted up to"
    assert field_label("some_new_field") == "Some new field"
    assert source_label("jikan_2025", "2025-03-24") == "MyAnimeList catalogue, March 2025"
    assert source_label("jikan_2025") == "MyAnimeList catalogue"
    assert source_label("An article's title", "2024-01-02") == "An article's title, January 2024"
    assert catalogue_status("not_yet_aired") == "not yet aired"
    assert catalogue_status(None) == "status unknown"


def test_seasons_not_half_years() -> None:
    assert season_of("2026-04-10") == (2026, "spring")
    assert season_name("2026-01-31") == "winter 2026"
    assert season_name("2026-09-30") == "summer 2026"
    assert season_name("2026-10-01") == "fall 2026"


def test_plurals_percentages_and_percentiles() -> None:
    assert plural(1, "episode") == "1 episode"
    assert plural(12, "episode") == "12 episodes"
    assert plural(1200, "member") == "1,200 members"
    assert plural(2.5, "volume") == "2.5 volumes"
    assert percent(0.004) == "<1%" and percent(0.0) == "0%" and percent(0.999) == ">99%"
    assert percent(0.256) == "26%"
    # a share of 1.0 or more is still "of" the cohort: never "above 100%"
    assert percentile(1.3, "scored above", "its year's shows") == (
        "scored above almost all of its year's shows")
    assert percentile(0.995, "scored above", "x") == "scored above almost all of x"
    assert percentile(0.83, "scored above", "x") == "scored above 83% of x"
    assert percentile(-0.1, "more members than", "x") == "more members than 0% of x"


def test_one_article_does_not_agree_with_itself() -> None:
    assert reconcile_status("agrees", 1) == "only one source"
    assert reconcile_status("agrees", 2) == "agrees"
    assert reconcile_status("conflicts", 3) == "conflicts"


def test_values_in_words() -> None:
    assert value_label("not_announced") == "not announced"
    assert value_label("not_yet_aired") == "not yet aired"
    assert value_label("Kadokawa Shoten") == "Kadokawa Shoten"
    assert value_label(13) == "13"
