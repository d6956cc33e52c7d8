"""Title analysis on real MAL titles (2018, 2021 and 2025 snapshots)."""

from __future__ import annotations

import pytest

from nextseason.link.titles import is_side_title, parse_title, roman_to_int

# title, base_norm, season, part, marker
CASES = [
    ("Shingeki no Kyojin Season 3 Part 2", "shingeki no kyojin", 3, 2, "season"),
    ("Shingeki no Kyojin: The Final Season Part 2", "shingeki no kyojin", None, 2, "final"),
    ("Attack on Titan: Final Season Part 2", "attack on titan", None, 2, "final"),
    ("Re:Zero kara Hajimeru Isekai Seikatsu 2nd Season", "re zero kara hajimeru isekai seikatsu",
     2, None, "season"),
    ("Re:Zero kara Hajimeru Isekai Seikatsu 2nd Season Part 2",
     "re zero kara hajimeru isekai seikatsu", 2, 2, "season"),
    ("Mushoku Tensei: Isekai Ittara Honki Dasu Part 2", "mushoku tensei", None, 2, "part"),
    ("Mushoku Tensei II: Isekai Ittara Honki Dasu", "mushoku tensei", 2, None, "season"),
    ("Kaguya-sama wa Kokurasetai: Tensai-tachi no Renai Zunousen", "kaguya sama wa kokurasetai",
     None, None, None),
    ("Kaguya-sama wa Kokurasetai? Tensai-tachi no Renai Zunousen", "kaguya sama wa kokurasetai",
     None, None, None),
    ("Kaguya-sama: Love is War Season 2", "kaguya sama", 2, None, "season"),
    ("Steins;Gate", "steins gate", None, None, None),
    ("Steins;Gate 0", "steins gate 0", None, None, None),
    ("Mob Psycho 100", "mob psycho 100", None, None, None),
    ("Mob Psycho 100 II", "mob psycho 100", 2, None, "season"),
    ("Natsume Yuujinchou Shi", "natsume yujincho", 4, None, "season"),
    ("Zoku Natsume Yuujinchou", "natsume yujincho", None, None, "zoku"),
    ("Zoku Owarimonogatari", "owarimonogatari", None, None, "zoku"),
    ("Yami Shibai 5", "yami shibai", 5, None, "number"),
    ("Kuroshitsuji II", "kuroshitsuji", 2, None, "season"),
    ("Toaru Majutsu no Index III", "toaru majutsu no index", 3, None, "season"),
    ("Code Geass: Hangyaku no Lelouch R2", "code geass", 2, None, "season"),
    ("Initial D Second Stage", "initial d", 2, None, "season"),
    ("Gantz 2nd Stage", "gantz", 2, None, "season"),
    ("Diamond no Ace: Act II", "diamond no ace", 2, None, "season"),
    ("Kingdom: Season 3", "kingdom", 3, None, "season"),
    ("Major S4", "major", 4, None, "season"),
    ("Wagnaria!!3", "wagnaria", 3, None, "number"),
    ("Uchouten Kazoku 2", "uchoten kazoku", 2, None, "number"),
    ("Bakuman. 2nd Season", "bakuman", 2, None, "season"),
    ("Mahou Shoujo Nante Mou Ii Desukara. Second Season", "maho shojo nante mo i desukara",
     2, None, "season"),
    ("Fruits Basket: The Final", "fruits basket", None, None, "final"),
    ("Spy x Family Part 2", "spy x family", None, 2, "part"),
    ("Ore dake Level Up na Ken Season 2: Arise from the Shadow", "ore dake level up na ken",
     2, None, "season"),
    ("Dungeon ni Deai wo Motomeru no wa Machigatteiru Darou ka IV: Shin Shou - Yakusai-hen",
     "dungeon ni deai wo motomeru no wa machigatteiru daro ka", 4, None, "season"),
    ("Kaiju No. 8", "kaiju no 8", None, None, None),
    ("No.6", "no 6", None, None, None),
    ("Digimon Adventure 02", "digimon adventure 02", None, None, None),
    ("Youjo Senki", "yojo senki", None, None, None),
    ("Baki", "baki", None, None, None),
    ("Hunter x Hunter (2011)", "hunter x hunter", None, None, "remake"),
    ("Kemurikusa (TV)", "kemurikusa", None, None, None),
    # Continuations announced in the 2025 snapshot (issue 8)
    ("Mushoku Tensei III: Isekai Ittara Honki Dasu", "mushoku tensei", 3, None, "season"),
    ("Golden Kamuy: Saishuushou", "golden kamuy", None, None, "final"),
    ("Boruto: Naruto Next Generations Part 2", "boruto", None, 2, "part"),
    ("Diamond no Ace: Act II (Zoku-hen)", "diamond no ace", 2, None, "season"),
    ("Tensui no Sakuna-hime (Zoku-hen)", "tensui no sakuna hime", None, None, "zoku"),
    ("Natsume Yuujinchou Zoku-hen", "natsume yujincho", None, None, "zoku"),
    ("Ranma ½ (2024) 2nd Season", "ranma 1 2", 2, None, "season"),
    ("Boukyaku Battery (TV) 2nd Season", "bokyaku battery", 2, None, "season"),
    ("Bakusou Kyoudai Let&#039;s & Go WGP", "bakuso kyodai lets and go wgp", None, None, None),
]


@pytest.mark.parametrize(("title", "base_norm", "season", "part", "marker"), CASES)
def test_parse_title(title: str, base_norm: str, season: int | None, part: int | None,
                     marker: str | None) -> None:
    p = parse_title(title)
    assert (p.base_norm, p.season, p.part, p.marker) == (base_norm, season, part, marker)


def test_subtitle_is_kept_and_colon_inside_a_name_is_not_a_separator() -> None:
    p = parse_title("Owari no Seraph: Nagoya Kessen-hen")
    assert (p.base, p.subtitle) == ("Owari no Seraph", "Nagoya Kessen-hen")
    p = parse_title("Re:Zero kara Hajimeru Isekai Seikatsu")
    assert (p.base, p.subtitle) == ("Re:Zero kara Hajimeru Isekai Seikatsu", None)
    p = parse_title("Mushoku Tensei II: Isekai Ittara Honki Dasu Part 2")
    assert (p.base, p.season, p.part, p.subtitle) == (
        "Mushoku Tensei", 2, 2, "Isekai Ittara Honki Dasu")


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Kimetsu no Yaiba 2nd Season", True),
        ("Shingeki no Kyojin: The Final Season", True),
        ("Zoku Natsume Yuujinchou", True),
        ("Spy x Family Part 2", True),
        ("Initial D First Stage", False),
        ("Kimetsu no Yaiba", False),
        ("Hunter x Hunter (2011)", False),
        ("Owari no Seraph: Nagoya Kessen-hen", False),
    ],
)
def test_is_continuation(title: str, expected: bool) -> None:
    assert parse_title(title).is_continuation is expected


def test_same_show_in_romaji_and_english_share_a_base() -> None:
    a = parse_title("Shingeki no Kyojin Season 2")
    b = parse_title("Shingeki no Kyojin")
    assert a.base_norm == b.base_norm and a.season == 2 and b.season is None


def test_roman_to_int() -> None:
    assert [roman_to_int(t) for t in ("II", "iv", "IX", "XIV", "ABC", "")] == [
        2, 4, 9, 14, None, None]


def test_zoku_hen_continues_the_same_number_and_a_bracketed_year_names_the_edition() -> None:
    p = parse_title("Diamond no Ace: Act II (Zoku-hen)")
    assert p.same_number and p.is_continuation
    assert not parse_title("Diamond no Ace: Act II").same_number
    assert not parse_title("Zoku Natsume Yuujinchou").same_number  # "Zoku X" is a new season
    assert parse_title("Ranma ½ (2024) 2nd Season").edition == "2024"
    assert parse_title("Ranma ½ (2024)").marker == "remake"
    assert parse_title("Boukyaku Battery (TV) 2nd Season").edition is None


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Zhen Hun Jie Recaps", True),
        ("Ponkotsu Quest Specials", True),
        ("Hyakushou Kizoku 2nd Season Specials", True),
        ("Nihon e Youkoso Elf-san Mini Anime", True),
        ("Machikado Mazoku Mini", True),
        ("Tamagotchi Short Anime 2nd Season", True),
        ("Kemono Friends PV", True),
        ("Sword Art Online: Chibi Theater", True),
        ("Cang Yuan Tu: Dongning Fu Fanwai Pian", True),
        ("Douluo Dalu Juchang Ban: Jiandao Chenxin", True),
        # main titles that merely contain such a word
        ("Chibi Maruko-chan", False),
        ("Special A", False),
        ("Active Raid: Special Public Security Fifth Division", False),
        ("Tono to Issho: Ippunkan Gekijou", False),
        ("Minute! Kaijuu 8-gou", False),
        ("Sousou no Frieren 2nd Season", False),
    ],
)
def test_is_side_title(title: str, expected: bool) -> None:
    assert is_side_title(title) is expected
