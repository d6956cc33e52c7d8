"""SearchIndex ranking on a small hand-made catalogue, fan aliases, and the real data."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from nextseason.errors import SchemaError
from nextseason.search import (
    MAX_QUERY_CHARS,
    SearchHit,
    SearchIndex,
    fan_alias_rows,
    load_fan_aliases,
    normalize,
)
from nextseason.store import connect, connect_readonly

HIGEHIRO = 40938
HIGEHIRO_QUERIES = [
    "Higehiro",
    "hige wo soru",
    "Higehiro: After Being Rejected, I Shaved and Took in a High School Runaway",
    "I Shaved. Then I Brought a High School Girl Home.",
]

# (mal_id, type, year, members, [(kind, title), ...]); titles as MAL spells them.
# fmt: off
SHOWS = [
    (40938, "TV", 2021, 642_195, [
        ("main", "Hige wo Soru. Soshite Joshikousei wo Hirou."),
        ("english", "Higehiro: After Being Rejected, I Shaved and Took in a High School Runaway"),
        ("japanese", "ひげを剃る。そして女子高生を拾う。"),
        ("synonym", "I Shaved. Then I Brought a High School Girl Home."),
        ("synonym", "Higehiro"),
    ]),
    (16498, "TV", 2013, 3_900_000, [
        ("main", "Shingeki no Kyojin"), ("english", "Attack on Titan"),
        ("japanese", "進撃の巨人"), ("synonym", "AoT"),
    ]),
    (25777, "TV", 2017, 2_400_000, [
        ("main", "Shingeki no Kyojin Season 2"), ("english", "Attack on Titan Season 2"),
    ]),
    (35760, "TV", 2018, 2_300_000, [
        ("main", "Shingeki no Kyojin Season 3"), ("english", "Attack on Titan Season 3"),
    ]),
    (20, "TV", 2002, 2_000_000, [("main", "Naruto"), ("english", "Naruto")]),
    (1735, "TV", 2007, 2_600_000, [
        ("main", "Naruto: Shippuuden"), ("english", "Naruto Shippuden"),
    ]),
    (34566, "TV", 2017, 1_000_000, [
        ("main", "Boruto: Naruto Next Generations"),
    ]),
    # homonyms: two shows share the English title
    (136, "TV", 1999, 400_000, [("main", "Hunter x Hunter"), ("english", "Hunter x Hunter")]),
    (11061, "TV", 2011, 3_000_000, [
        ("main", "Hunter x Hunter (2011)"), ("english", "Hunter x Hunter"),
    ]),
    (31240, "TV", 2016, 2_300_000, [
        ("main", "Re:Zero kara Hajimeru Isekai Seikatsu"),
        ("english", "Re:ZERO -Starting Life in Another World-"),
    ]),
    (39587, "TV", 2020, 1_000_000, [
        ("main", "Re:Zero kara Hajimeru Isekai Seikatsu 2nd Season"),
    ]),
    (440, "TV", 1997, 200_000, [
        ("main", "Shoujo Kakumei Utena"), ("english", "Revolutionary Girl Utena"),
    ]),
    (853, "TV", 2006, 1_100_000, [
        ("main", "Ouran Koukou Host Club"), ("english", "Ouran High School Host Club"),
    ]),
    (527, "TV", 1997, 600_000, [("main", "Pokemon"), ("english", "Pokémon")]),
    (9253, "TV", 2011, 2_600_000, [("main", "Steins;Gate")]),
    (37999, "TV", 2019, 2_000_000, [
        ("main", "Kaguya-sama wa Kokurasetai: Tensai-tachi no Renai Zunousen"),
        ("english", "Kaguya-sama: Love is War"),
    ]),
    (5114, "TV", 2009, 3_400_000, [
        ("main", "Fullmetal Alchemist: Brotherhood"),
    ]),
    (121, "TV", 2003, 1_500_000, [("main", "Fullmetal Alchemist")]),
    (30831, "TV", 2016, 2_000_000, [
        ("main", "Kono Subarashii Sekai ni Shukufuku wo!"),
        ("english", "KonoSuba: God's Blessing on This Wonderful World!"),
    ]),
]
# fmt: on


def rows() -> list[tuple[int, str, str, str, int]]:
    return [
        (mal_id, title, kind, normalize(title), members)
        for mal_id, _type, _year, members, titles in SHOWS
        for kind, title in titles
    ]


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex.from_rows(rows())


def ids(hits: list[SearchHit]) -> list[int]:
    return [h.mal_id for h in hits]


# -- ranking ---------------------------------------------------------------------------


@pytest.mark.parametrize("query", HIGEHIRO_QUERIES)
def test_higehiro_queries(index: SearchIndex, query: str) -> None:
    assert ids(index.search(query))[0] == HIGEHIRO


def test_first_words_of_a_title_are_a_prefix_match(index: SearchIndex) -> None:
    hit = index.search("hige wo soru")[0]
    assert (hit.mal_id, hit.match, hit.matched_kind) == (HIGEHIRO, "prefix", "main")
    assert hit.title == "Hige wo Soru. Soshite Joshikousei wo Hirou."


def test_exact_before_prefix_before_fuzzy(index: SearchIndex) -> None:
    # Naruto Shippuden (prefix) is more popular than Naruto (exact), Boruto is fuzzy.
    hits = index.search("naruto")
    assert [(h.mal_id, h.match) for h in hits[:3]] == [
        (20, "exact"),
        (1735, "prefix"),
        (34566, "fuzzy"),
    ]
    assert hits[0].score == 100
    assert all(0 <= h.score <= 100 for h in hits)


def test_popularity_breaks_ties_within_a_tier(index: SearchIndex) -> None:
    hits = index.search("Hunter x Hunter")
    assert [(h.mal_id, h.match) for h in hits[:2]] == [(11061, "exact"), (136, "exact")]
    # all three seasons start with "shingeki": most members first
    assert ids(index.search("shingeki"))[:3] == [16498, 25777, 35760]


def test_sequel_exact_title_beats_more_popular_first_season(index: SearchIndex) -> None:
    assert ids(index.search("Attack on Titan Season 2"))[0] == 25777
    assert ids(index.search("Attack on Titan"))[0] == 16498


@pytest.mark.parametrize(
    ("query", "mal_id"),
    [
        ("Shōjo Kakumei Utena", 440),  # macron
        ("shojo kakumei utena", 440),  # no long vowel at all
        ("Ohran Kohkoh Host Club", 853),  # oh-romanisation
        ("POKEMON", 527),
        ("pokémon", 527),
        ("steins gate", 9253),
        ("STEINS;GATE!!", 9253),
        ("kaguya sama love is war", 37999),
        ("ReZero", 31240),  # word break folded away
        ("進撃の巨人", 16498),
        ("ひげを剃る", HIGEHIRO),
    ],
)
def test_insensitive_to_accents_long_vowels_punctuation(
    index: SearchIndex, query: str, mal_id: int
) -> None:
    hit = index.search(query)[0]
    assert hit.mal_id == mal_id
    assert hit.match in ("exact", "prefix")


@pytest.mark.parametrize(
    ("query", "mal_id"),
    [
        ("higehuro", HIGEHIRO),
        ("Atack on Titan", 16498),
        ("Attack on Titan Seson 3", 35760),
        ("fulmetal alchemist brotherhod", 5114),
        ("Stiens Gate", 9253),  # transposition
        ("konosuba gods blesing", 30831),  # first words, with a typo
        ("hige wo sru", HIGEHIRO),
        ("Season 2 Attack on Titan", 25777),  # words in another order
        ("Higehiro After Being Rejected I Shaved and Took in a High Scool Runaway", HIGEHIRO),
    ],
)
def test_typo_tolerance(index: SearchIndex, query: str, mal_id: int) -> None:
    hit = index.search(query)[0]
    assert hit.mal_id == mal_id
    assert hit.match == "fuzzy"


def test_one_hit_per_show_under_its_best_alias(index: SearchIndex) -> None:
    hits = index.search("Shingeki no Kyojin", limit=50)
    assert len(ids(hits)) == len(set(ids(hits)))
    first = hits[0]
    assert (first.mal_id, first.match, first.matched_alias) == (
        16498,
        "exact",
        "Shingeki no Kyojin",
    )


def test_limit(index: SearchIndex) -> None:
    assert len(index.search("a", limit=2)) <= 2
    assert len(index.search("Shingeki", limit=1)) == 1
    assert index.search("Shingeki", limit=0) == []


@pytest.mark.parametrize("query", ["", "   ", "\t\n", "?!."])
def test_empty_query_finds_nothing(index: SearchIndex, query: str) -> None:
    assert index.search(query) == []


def test_long_query_is_bounded(index: SearchIndex) -> None:
    long = "Higehiro " * 1000
    assert len(long) > MAX_QUERY_CHARS
    assert isinstance(index.search(long), list)


def test_hit_is_frozen(index: SearchIndex) -> None:
    hit = index.search("Higehiro")[0]
    with pytest.raises(AttributeError):
        hit.score = 0  # type: ignore[misc]


# -- from_db ---------------------------------------------------------------------------


@pytest.fixture()
def fresh_db() -> sqlite3.Connection:
    conn = connect(":memory:")
    conn.execute(
        "INSERT INTO snapshot (id, name, kind, as_of, file, content_hash, row_count,"
        " stored_count) VALUES (1, 'mal_2021', 'catalogue', '2021-01-24', 'x', 'h', 1, 1),"
        " (2, 'jikan_2025', 'catalogue', '2025-03-24', 'y', 'h', 1, 1)"
    )
    for mal_id, type_, year, members, titles in SHOWS:
        conn.execute(
            "INSERT INTO anime (mal_id, title, type, start_date, first_snapshot, last_snapshot)"
            " VALUES (?, ?, ?, ?, 1, 2)",
            (mal_id, titles[0][1], type_, f"{year}-04-01"),
        )
        conn.executemany(
            "INSERT INTO title (mal_id, title, kind, lang, norm, snapshot_id)"
            " VALUES (?, ?, ?, 'und', ?, 2)",
            [(mal_id, title, kind, normalize(title)) for kind, title in titles],
        )
        conn.executemany(
            "INSERT INTO observation (entity_type, entity_id, metric, value, observed_at,"
            " snapshot_id) VALUES ('anime', ?, 'members', ?, ?, ?)",
            [(mal_id, members // 10, "2021-01-24", 1), (mal_id, members, "2025-03-24", 2)],
        )
    return conn


def test_from_db_reads_newest_members_and_display_fields(fresh_db: sqlite3.Connection) -> None:
    hit = SearchIndex.from_db(fresh_db).search("Higehiro")[0]
    assert hit == SearchHit(
        mal_id=HIGEHIRO,
        title="Hige wo Soru. Soshite Joshikousei wo Hirou.",
        matched_alias="Higehiro",
        matched_kind="synonym",
        match="exact",
        score=100,
        members=642_195,
        type="TV",
        year=2021,
        confidence=1.0,
    )


def test_from_db_ranks_like_from_rows(fresh_db: sqlite3.Connection, index: SearchIndex) -> None:
    db_index = SearchIndex.from_db(fresh_db)
    for query in [*HIGEHIRO_QUERIES, "naruto", "hunter x hunter", "atack on titan"]:
        assert ids(db_index.search(query)) == ids(index.search(query))


def test_from_db_recomputes_stale_keys(fresh_db: sqlite3.Connection) -> None:
    fresh_db.execute("UPDATE title SET norm = upper(norm)")  # written by another normalize
    assert ids(SearchIndex.from_db(fresh_db).search("Higehiro"))[0] == HIGEHIRO


def test_fan_alias_rows_are_searchable(fresh_db: sqlite3.Connection) -> None:
    present = {r[0] for r in fresh_db.execute("SELECT mal_id FROM anime")}
    fresh_db.executemany(
        "INSERT OR IGNORE INTO title (mal_id, title, kind, lang, norm, snapshot_id)"
        " VALUES (?, ?, ?, ?, ?, NULL)",
        [r for r in fan_alias_rows() if r[0] in present],
    )
    hit = SearchIndex.from_db(fresh_db).search("FMAB")[0]
    assert (hit.mal_id, hit.matched_kind, hit.match) == (5114, "fan", "exact")


# -- fan aliases -----------------------------------------------------------------------


def test_packaged_fan_aliases_load() -> None:
    aliases = load_fan_aliases()
    assert len(aliases) >= 30
    assert any(a.mal_id == HIGEHIRO and a.alias == "Higehiro" for a in aliases)
    assert all(r[2:4] == ("fan", "und") for r in fan_alias_rows())


@pytest.mark.parametrize(
    ("body", "line", "says"),
    [
        ("mal_id,alias\n1,x\n", "line 1", "header"),
        ("mal_id,alias,note\n40938,Higehiro,ok\nabc,Foo,bad id\n", "line 3", "positive integer"),
        ("mal_id,alias,note\n40938,,empty\n", "line 2", "empty"),
        ("mal_id,alias,note\n40938,Higehiro,a,b\n", "line 2", "3 fields"),
        ("mal_id,alias,note\n40938,Higehiro,\n\n40938,HIGEHIRO!,dup\n", "line 4", "repeats line 2"),
    ],
)
def test_bad_fan_alias_row_names_file_and_line(
    tmp_path: Path, body: str, line: str, says: str
) -> None:
    path = tmp_path / "fan_aliases.csv"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(SchemaError) as err:
        load_fan_aliases(path)
    assert err.value.file == str(path)
    assert err.value.where == line
    assert says in str(err.value)


# -- the real catalogue ----------------------------------------------------------------


@pytest.fixture(scope="module")
def real_index(real_db: Path) -> SearchIndex:
    conn = connect_readonly(real_db)
    try:
        return SearchIndex.from_db(conn)
    finally:
        conn.close()


@pytest.mark.integration
@pytest.mark.parametrize("query", HIGEHIRO_QUERIES)
def test_higehiro_first_on_real_data(query: str, real_index: SearchIndex) -> None:
    hits = real_index.search(query)
    assert ids(hits)[0] == HIGEHIRO
    assert hits[0].match in ("exact", "prefix")


@pytest.mark.integration
def test_fan_aliases_are_in_the_real_database(real_db: Path) -> None:
    conn = connect_readonly(real_db)
    try:
        fan = {r[0] for r in conn.execute("SELECT title FROM title WHERE kind = 'fan'")}
    finally:
        conn.close()
    assert {a.alias for a in load_fan_aliases()} <= fan
