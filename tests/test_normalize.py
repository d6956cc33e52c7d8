"""normalize: one key for the many spellings of a title."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nextseason.search import compact, normalize


@pytest.mark.parametrize(
    ("spellings", "key"),
    [
        # case and punctuation
        (
            ["Kaguya-sama: Love is War", "kaguya sama love is war", "KAGUYA-SAMA LOVE IS WAR!!"],
            "kaguya sama love is war",
        ),
        (["Steins;Gate", "steins gate", "Steins-Gate"], "steins gate"),
        # long vowels: macron, ou, oh, oo
        (["Shōjo", "Shoujo", "Shohjo", "Shojo", "SHOOJO"], "shojo"),
        (["Kyūso", "Kyuuso", "Kyuso"], "kyuso"),
        (["Onēsan", "Oneesan"], "onesan"),
        (["Ōkami", "Ookami", "Okami"], "okami"),
        # accents
        (["Pokémon", "Pokemon", "POKÉMON"], "pokemon"),
        # the four spellings of Higehiro's main title
        (
            [
                "Hige wo Soru. Soshite Joshikousei wo Hirou.",
                "hige wo soru soshite joshikosei wo hiro",
            ],
            "hige wo soru soshite joshikosei wo hiro",
        ),
        # apostrophes vanish, the HTML entity the 2025 snapshot carries too
        (
            [
                "Miss Kobayashi's Dragon Maid",
                "Miss Kobayashi&#039;s Dragon Maid",
                "Miss Kobayashi’s Dragon Maid",
            ],
            "miss kobayashis dragon maid",
        ),
        # acronyms, ×, full width
        (["S.A.O.", "S.A.O", "SAO", "ＳＡＯ"], "sao"),
        (["Hunter × Hunter", "Hunter x Hunter", "Hunter×Hunter"], "hunter x hunter"),
        (["Tom & Jerry", "Tom and Jerry"], "tom and jerry"),
    ],
)
def test_spellings_meet(spellings: list[str], key: str) -> None:
    assert {normalize(s) for s in spellings} == {key}


def test_kana_and_kanji_stay_whole() -> None:
    assert normalize("ひげを剃る。そして女子高生を拾う。") == "ひげを剃る そして女子高生を拾う"
    assert normalize("ゼロから") == "ゼロから"  # the dakuten is kept
    assert normalize("ｶﾅ") == "カナ"  # half width becomes full width
    assert normalize("妖狐×僕SS") == "妖狐 僕ss"  # × between kanji is punctuation


def test_decimal_points_are_not_acronyms() -> None:
    assert normalize("Danganronpa 2.5") == "danganronpa 2 5"
    assert normalize("Dr. Stone") == "dr stone"


def test_blank_and_punctuation_only_give_empty_key() -> None:
    assert normalize("") == ""
    assert normalize("   ") == ""
    assert normalize("!!! ... ???") == ""


def test_compact_joins_words_where_spellings_split_them() -> None:
    assert compact(normalize("Re:Zero")) == compact(normalize("ReZero")) == "rezero"
    assert compact(normalize("Sekai'ichi")) == compact(normalize("Sekai Ichi"))


_romaji = st.text(alphabet="aeiouhnkstOUĀōūēî'.-&× :;!?", max_size=40)


@given(st.text(max_size=200))
def test_idempotent(text: str) -> None:
    key = normalize(text)
    assert normalize(key) == key


@given(_romaji)
def test_idempotent_on_vowel_runs(text: str) -> None:
    key = normalize(text)
    assert normalize(key) == key
    assert compact(compact(key)) == compact(key)


@given(st.text(alphabet=st.characters(codec="ascii"), max_size=100))
def test_ascii_case_insensitive(text: str) -> None:
    assert normalize(text.upper()) == normalize(text.lower()) == normalize(text)


@given(st.text(max_size=100))
def test_key_is_trimmed_single_spaced(text: str) -> None:
    key = normalize(text)
    assert key == key.strip()
    assert "  " not in key
