"""The rule-based claim extractor: exact quotes, typed values, opinion kept apart from fact,
general rules measured on articles about other shows, and the seed benchmark's targets."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nextseason.claims.extract import extract_claims
from nextseason.claims.model import FIELDS, RENEWAL_STATUSES

HERE = Path(__file__).resolve().parent
ARTICLES = sorted((HERE / "fixtures" / "articles").glob("*.txt"))
SEEDS = Path(__file__).resolve().parents[2] / "shared/seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
DATE_FIELDS = {"premiere_date", "finale_date", "source_start", "source_end"}
NUMBER_FIELDS = {"episode_count", "season_count", "source_volume_count", "source_chapter_count",
                 "bd_sales", "circulation", "rating", "popularity_rank"}


def _pairs(text: str) -> set[tuple[str, object]]:
    return {(c.field, c.value) for c in extract_claims(text)}


def _check_claims(text: str) -> None:
    claims = extract_claims(text)
    assert [c.start for c in claims] == sorted(c.start for c in claims)
    for c in claims:
        assert c.field in FIELDS
        assert 0 <= c.start <= c.end <= len(text)
        assert c.quote == text[c.start:c.end]
        assert 0.0 <= c.confidence <= 1.0
        if c.field in DATE_FIELDS:
            assert isinstance(c.value, str) and ISO.match(c.value), c
        if c.field in NUMBER_FIELDS:
            assert isinstance(c.value, int | float) and not isinstance(c.value, bool), c
        if c.field == "renewal_status":
            assert c.value in RENEWAL_STATUSES
        if c.field == "source_status":
            assert c.value in ("ongoing", "finished")


# --- every fixture article: exact quotes, typed values ---------------------------------------

@pytest.mark.parametrize("path", ARTICLES + SEED_FILES, ids=lambda p: p.name)
def test_quotes_are_exact_and_values_typed(path: Path) -> None:
    _check_claims(path.read_text(encoding="utf-8"))


def test_metadata_is_copied_onto_every_claim() -> None:
    claims = extract_claims("The anime has been renewed for a second season.", subject="X",
                            subject_mal_id=7, article="abc", as_of="2024-01-02")
    assert claims and all((c.subject, c.subject_mal_id, c.article, c.as_of)
                          == ("X", 7, "abc", "2024-01-02") for c in claims)


_WORDS = st.sampled_from(
    ["season", "second", "aired", "from", "April", "5,", "2021", "to", "June", "28,", "2021.",
     "voiced", "by", "Kana", "Hanazawa", "(", ")", '"', "“", "”", "‘", "’", "volumes", "five",
     "1,759", "Blu-ray", "copies", "in", "circulation", "7.4", "on", "MyAnimeList", "top", "10",
     "Crunchyroll", "renewed", "not", "announced", "unlikely", "spin-off", "titled", "Studio",
     "animated", "No.", "9", "\n", ".", ",", ":", "Season", "2", "Release", "Date", "x" * 50])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=400), st.lists(_WORDS, max_size=80).map(" ".join)))
def test_random_text_never_crashes_and_spans_are_valid(text: str) -> None:
    _check_claims(text)


# --- values keep their precision and type ----------------------------------------------------

@pytest.mark.parametrize("text, field, value, qualifier", [
    ("The first season aired from April 5, 2021, to June 28, 2021.", "premiere_date",
     "2021-04-05", "season 1"),
    ("The first season aired from April 5, 2021, to June 28, 2021.", "finale_date",
     "2021-06-28", "season 1"),
    ("The novel was serialized online from March 2017 to June 2021.", "source_start", "2017-03",
     None),
    ("The novel was serialized online from March 2017 to June 2021.", "source_end", "2021-06",
     None),
    ("The show made its debut in 2021.", "premiere_date", "2021", None),
    ("It sold 1,759 Blu-ray units in the first week.", "bd_sales", 1759, "first week"),
    ("The manga has over 400,000 copies in circulation.", "circulation", 400000, None),
    ("The show holds a rating of 7.4 on MyAnimeList.", "rating", 7.4, "MyAnimeList"),
    ("It was in the top 10 on Crunchyroll for weeks.", "popularity_rank", 10, "Crunchyroll"),
    ("Sayu Ogiwara (voiced by Ichika Ishikawa) returns.", "cast",
     "Sayu Ogiwara: Ichika Ishikawa", None),
    ("The series is animated by Kyoto Animation.", "studio", "Kyoto Animation", None),
    ("It is based on the original light novel by Shimesaba.", "source_author", "Shimesaba", None),
    ("The light novel is published by Kadokawa under its Sneaker Bunko imprint.",
     "source_publisher", "Kadokawa", "Sneaker Bunko"),
    ("The story ran for five volumes in total.", "source_volume_count", 5, None),
    ("A spin-off manga titled \"Blue Days\" starts next month.", "spin_off", "Blue Days", None),
    ("The anime has been renewed for a second season.", "renewal_status", "announced",
     "season 2"),
    ("The studio announced a second season at the event.", "renewal_status", "announced",
     "season 2"),
    ("The anime was cancelled by the studio after one season.", "renewal_status", "cancelled",
     None),
    ("There has been no official confirmation of a second season.", "renewal_status",
     "not_announced", "season 2"),
])
def test_brief_examples(text: str, field: str, value: object, qualifier: str | None) -> None:
    found = [(c.value, c.qualifier) for c in extract_claims(text) if c.field == field]
    assert (value, qualifier) in found, found
    assert all(type(v) is type(value) for v, _ in found)


def test_adapted_all_becomes_the_volume_count_when_known() -> None:
    text = "The light novel has five volumes. The anime adapted all the novels."
    assert ("adapted_through", 5) in _pairs(text)
    assert ("adapted_through", "all") in _pairs("The anime adapted all the novels.")


def test_a_concluded_source_is_not_a_renewal_status() -> None:
    pairs = _pairs("The original light novel by Shimesaba has already concluded.")
    assert ("source_status", "finished") in pairs
    assert not any(f == "renewal_status" for f, _ in pairs)


# --- opinion is not fact ---------------------------------------------------------------------

@pytest.mark.parametrize("text, window", [
    ("Due to the lack of source material, a second season seems unlikely.", "unlikely"),
    ("If a second season is announced, we can expect it in 2024.", "2024"),
    ("It would take almost 2 or 3 years for us to witness the second season.", "2 or 3 years"),
    ("The chances of a second season are slim.", "slim"),
])
def test_outlooks_are_predicted_windows_never_renewal_status(text: str, window: str) -> None:
    claims = extract_claims(text)
    assert ("predicted_window", window) in {(c.field, c.value) for c in claims}
    assert not any(c.field == "renewal_status" for c in claims)


@pytest.mark.parametrize("text", [
    "If a second season of the show is announced, the cast would return.",
    "Could a second season be in production?",
    "The release date for the light novel has not been announced yet.",
    "It was not based on a manga.",
])
def test_conditionals_questions_and_other_works_state_no_status(text: str) -> None:
    pairs = _pairs(text)
    assert not any(f in ("renewal_status", "source_type") for f, _ in pairs), pairs


# --- our own articles about other shows ------------------------------------------------------

EXPECTED_OWN = {
    "frostbound_renewed.txt": {
        "has": [("renewal_status", "announced"), ("premiere_date", "2023-01-08"),
                ("finale_date", "2023-03-26"), ("episode_count", 12), ("network", "Tokyo MX"),
                ("network", "BS11"), ("studio", "Silver Lantern Studio"),
                ("director", "Haruka Menda"), ("writer", "Jun Oyamada"),
                ("composer", "Ryo Takahashi"), ("source_type", "manga"),
                ("source_author", "Kei Aomura"), ("source_publisher", "Shueisha"),
                ("source_start", "2019-06"), ("source_status", "ongoing"),
                ("source_volume_count", 14), ("adapted_through", 4),
                ("premiere_date", "2024-07"), ("cast", "Rin Hoshimiya: Saori Hayami"),
                ("cast", "Tatsuya Kurogane: Yuma Uchida"), ("rating", 8.1),
                ("popularity_rank", 5), ("licensor", "Crunchyroll"),
                ("predicted_window", "2026")],
        "not": [("renewal_status", "not_announced")],
    },
    "neon_drift_cancelled.txt": {
        "has": [("renewal_status", "cancelled"), ("premiere_date", "2022-09-14"),
                ("source_type", "original"), ("studio", "Orbital Nine"),
                ("director", "Marcus Hale"), ("episode_count", 10), ("rating", 7.2),
                ("predicted_window", "unlikely"), ("cast", "Ray Okafor: Daisuke Ono"),
                ("cast", "Mina Saito: Ayane Sakura")],
        "not": [("source_type", "manga"), ("source_type", "novel"),
                ("renewal_status", "announced"), ("licensor", "Spotify")],
    },
    "ashen_bell_manga.txt": {
        "has": [("source_type", "manga"), ("source_author", "Sora Ichijo"),
                ("source_illustrator", "Sora Ichijo"), ("source_publisher", "Kodansha"),
                ("source_start", "2015-04"), ("source_end", "2022-12"),
                ("source_volume_count", 22), ("circulation", 3500000), ("studio", "Grayhound"),
                ("season_count", 2), ("premiere_date", "2019-04"),
                ("finale_date", "2021-12-20"), ("adapted_through", 11), ("bd_sales", 4210),
                ("popularity_rank", 3), ("renewal_status", "not_announced"),
                ("predicted_window", "likely"), ("predicted_window", "2025"),
                ("predicted_window", "2 to 3 years"), ("spin_off", "Ashen Bell: Ember Days")],
        "not": [("renewal_status", "announced")],
    },
    "lanternkeeper_cast.txt": {
        "has": [("source_type", "light novel"), ("source_author", "Yuu Kisaragi"),
                ("source_illustrator", "Nanami Fuji"), ("source_publisher", "Kadokawa"),
                ("source_volume_count", 9), ("source_status", "finished"),
                ("source_end", "2024-02"), ("studio", "Studio Bluebird"),
                ("premiere_date", "2023-10-02"), ("finale_date", "2023-12-18"),
                ("character_designer", "Aya Mori"), ("composer", "Keiji Inai"),
                ("licensor", "HIDIVE"), ("cast", "Mira Lantern: Kana Hanazawa"),
                ("cast", "Toma Ryuuji: Yuuki Kaji"), ("cast", "Old Bastian: Akio Otsuka"),
                ("episode_count", 12), ("adapted_through", 6),
                ("renewal_status", "rumoured"), ("renewal_status", "not_announced"),
                ("rating", 7.9), ("director", "Hana Kishimoto"), ("network", "AT-X")],
        "not": [("renewal_status", "announced"), ("source_volume_count", 3),
                ("character_designer", "Keiji Inai")],
    },
    "crimson_tidewalker_final.txt": {
        "has": [("source_author", "Tetsu Amagi"), ("source_type", "light novel"),
                ("source_status", "finished"), ("source_volume_count", 18),
                ("source_end", "2022-08"), ("season_count", 3),
                ("premiere_date", "2018-07-03"), ("finale_date", "2022-09-24"),
                ("episode_count", 13), ("renewal_status", "concluded"),
                ("adapted_through", 18), ("predicted_window", "unlikely"),
                ("circulation", 6000000), ("popularity_rank", 10)],
        "not": [("renewal_status", "rumoured"), ("renewal_status", "announced"),
                ("source_status", "ongoing")],
    },
}


@pytest.mark.parametrize("name", sorted(EXPECTED_OWN))
def test_own_articles_yield_their_key_claims(name: str) -> None:
    pairs = _pairs((HERE / "fixtures" / "articles" / name).read_text(encoding="utf-8"))
    missing = [p for p in EXPECTED_OWN[name]["has"] if p not in pairs]
    wrong = [p for p in EXPECTED_OWN[name]["not"] if p in pairs]
    assert not missing and not wrong, (missing, wrong)


def test_own_articles_are_all_checked() -> None:
    assert {p.name for p in ARTICLES} == set(EXPECTED_OWN)


# --- the seeds -------------------------------------------------------------------------------

def _bench():
    path = HERE.parent / "benchmarks" / "bench_extract.py"
    spec = importlib.util.spec_from_file_location("bench_extract", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


def test_seed_fixture_quotes_are_in_the_articles() -> None:
    if not SEED_FILES:
        pytest.skip(f"seeds not found at {SEEDS}")
    import json
    data = json.loads((HERE / "fixtures" / "seeds_expected.json").read_text(encoding="utf-8"))
    for name, entries in data["seeds"].items():
        text = (SEEDS / name).read_text(encoding="utf-8")
        for e in entries:
            assert e["field"] in FIELDS
            for q in e["quotes"]:
                assert q in text, (name, q)


def test_seed_precision_and_recall_meet_the_targets() -> None:
    if not SEED_FILES:
        pytest.skip(f"seeds not found at {SEEDS}")
    bench = _bench()
    score = bench.run(SEEDS, HERE / "fixtures" / "seeds_expected.json")
    assert score.precision >= bench.TARGET_PRECISION, bench.report(score)
    assert score.recall >= bench.TARGET_RECALL, bench.report(score)


def test_seed_002_reports_both_sides_of_its_premiere_conflict() -> None:
    path = SEEDS / "002_ddaea5eb50e5b532.txt"
    if not path.exists():
        pytest.skip(f"seed not found at {path}")
    premieres = {c.value for c in extract_claims(path.read_text(encoding="utf-8"))
                 if c.field == "premiere_date" and c.qualifier == "season 1"}
    assert {"2021-04-05", "2021-06-05"} <= premieres


# --- speed and hostile input -----------------------------------------------------------------

def test_a_5000_word_article_gives_the_claims_of_its_parts() -> None:
    # Its speed is measured in benchmarks/bench_extract.py, not here (no wall-clock tests).
    base = " ".join(p.read_text(encoding="utf-8") for p in ARTICLES)
    text = (base + "\n") * (5000 // len(base.split()) + 1)
    assert len(text.split()) >= 5000
    once = {(c.field, c.value) for c in extract_claims(base)}
    claims = extract_claims(text)
    assert once and once <= {(c.field, c.value) for c in claims}
    assert all(c.quote == text[c.start:c.end] for c in claims)


@pytest.mark.parametrize("text", [
    "a" * 1_000_000,
    "Studio " * 100_000,
    ('"' + "Hige wo Soru " * 20) * 2_000,
    "voiced by " * 50_000,
    "(((((" * 100_000 + "season 2 announced",
    "1," * 200_000 + " copies in circulation",
    "The second season " + "very " * 50_000 + "unlikely.",
    ("April 5, 2021, to " * 20_000),
])
def test_hostile_input_is_safe(text: str) -> None:
    # How long these take is measured by benchmarks/bench_hostile.py.
    claims = extract_claims(text)
    assert all(c.quote == text[c.start:c.end] for c in claims)
