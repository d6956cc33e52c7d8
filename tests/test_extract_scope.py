"""The extractor on short articles written for these tests (invented shows and staff):
negation, hedging, questions, reported speech, other shows, headline against body, relative
dates, number words, who-made-what credits, the header block and the pure stage."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nextseason.claims.extract import Hints, extract_article, extract_claims
from nextseason.claims.gazetteer import Gazetteer
from nextseason.claims.header import split_header
from nextseason.claims.mentions import date_mentions, number_value
from nextseason.claims.scope import assertion
from nextseason.errors import InputError


def facts(text: str, **kw: object) -> set[tuple[str, object]]:
    return {(c.field, c.value) for c in extract_claims(text, **kw)}  # type: ignore[arg-type]


def statuses(text: str, **kw: object) -> set[object]:
    return {v for f, v in facts(text, **kw) if f == "renewal_status"}


# --- negation, hedging, questions, reports ---------------------------------------------------

@pytest.mark.parametrize("sentence", [
    "Lantern Row has not been renewed for a second season.",
    "No second season of Lantern Row has been announced yet.",
    "There is no word yet on a second season.",
    "A second season is still unconfirmed.",
    "The studio has not revived the series for another season.",
    "There have been no official announcements about season 2, or even hints.",
    "Lantern Row Season 2 Release Date: Not Announced",
])
def test_negated_renewal_is_not_announced(sentence: str) -> None:
    assert statuses(sentence) == {"not_announced"}


@pytest.mark.parametrize("sentence", [
    "If it is renewed, season 2 could arrive in 2026.",
    "Fans hope that a second season will be announced soon.",
    "Will there be a season 2? Nobody knows.",
    "Has season 2 been confirmed?",
    "We expect a second season to be greenlit next year.",
    "A second season would be announced only if the discs sell well.",
])
def test_hypothetical_hoped_for_or_asked_renewal_is_never_announced(sentence: str) -> None:
    assert "announced" not in statuses(sentence)


@pytest.mark.parametrize("sentence", [
    "Rumours say a second season has been greenlit.",
    "A leaker on X has reported that season 2 has been greenlit.",
    "According to leaks, the studio started working on seasons 2 and 3.",
])
def test_reported_renewal_is_a_rumour(sentence: str) -> None:
    assert statuses(sentence) == {"rumoured"}


def test_plain_announcement_is_announced_with_its_season() -> None:
    [c] = [c for c in extract_claims("The official website announced that a third season "
                                     "is in production.") if c.field == "renewal_status"]
    assert (c.value, c.qualifier) == ("announced", "season 3")


def test_another_shows_season_is_not_this_shows_renewal() -> None:
    text = "Other hits did well too, and even Harbor Lights Season 9 is on the way."
    assert "announced" not in statuses(text, title="Lantern Row Season 2: What We Know")
    assert "announced" in statuses(text, title="Harbor Lights Season 9 News")


def test_what_was_confirmed_is_another_clause() -> None:
    text = "It is officially confirmed that the staff came back for season 2."
    assert "announced" not in statuses(text)


def test_opinions_are_outlooks_not_statuses() -> None:
    got = facts("A second season seems likely. We expect season 2 in 2027. The odds of "
                "a second season are extremely high. A sequel does not look possible soon.")
    assert ("predicted_window", "likely") in got
    assert ("predicted_window", "2027") in got
    assert ("predicted_window", "unlikely") in got
    assert not any(f == "renewal_status" for f, _ in got)


def test_a_renewal_still_to_come_is_not_announced() -> None:
    assert statuses("An official announcement about a second season could follow soon.") == \
        {"not_announced"}
    assert statuses("It is unclear whether or not the show will be renewed for a second "
                    "season.") == {"not_announced"}


def test_scope_reports_each_kind() -> None:
    def how(text: str, word: str) -> str | None:
        i = text.index(word)
        return assertion(text, i, i + len(word))
    assert how("Season 2 was announced.", "announced") is None
    assert how("Season 2 was not announced.", "announced") == "negated"
    assert how("If season 2 is announced, we will know.", "announced") == "conditional"
    assert how("Fans hope season 2 is announced.", "announced") == "hedged"
    assert how("Rumours say season 2 was announced.", "announced") == "reported"
    assert how("Was season 2 announced?", "announced") == "question"
    # a negation in another clause does not reach across "but"
    assert how("The film was not a hit, but season 2 was announced.", "announced") is None


# --- headline against body -------------------------------------------------------------------

def test_body_beats_a_contradicting_headline() -> None:
    title = "Lantern Row Season 2: Confirmed For July 2026 Release"
    text = (f"{title}\n\nFans are waiting. Lantern Row Season 2 has not been renewed by "
            "official sources.")
    claims = extract_claims(text, title=title)
    assert {c.value for c in claims if c.field == "renewal_status"} == {"not_announced"}
    [date] = [c for c in claims if c.field == "premiere_date"]
    assert date.value == "2026-07" and "headline only" in (date.qualifier or "")


def test_a_headline_the_body_does_not_contradict_stands() -> None:
    title = "Lantern Row Season 2 Confirmed For July 2026"
    text = f"{title}\n\nThe studio shared a teaser on Friday."
    assert statuses(text, title=title) == {"announced"}


# --- dates -----------------------------------------------------------------------------------

def test_relative_dates_resolve_against_the_article_date() -> None:
    text = ("The first season premiered on July 7th last year. It is wrapping up tomorrow. "
            "Season 2 will come back with new episodes on January 16.")
    got = {(c.field, c.value) for c in extract_claims(text, as_of="2025-12-17")}
    assert ("premiere_date", "2024-07-07") in got
    assert ("finale_date", "2025-12-18") in got
    assert ("premiere_date", "2026-01-16") in got  # future tense, already past this year


def test_relative_dates_need_the_article_date() -> None:
    assert date_mentions("It premiered on July 7th last year.") == []


def test_month_ranges_and_ranges_give_start_and_end() -> None:
    got = facts("The anime aired on TV Kanto from January to March 2017. Season 2 was "
                "broadcast between October 2, 2015 – December 25, 2015.")
    assert {("premiere_date", "2017-01"), ("finale_date", "2017-03"),
            ("premiere_date", "2015-10-02"), ("finale_date", "2015-12-25")} <= got


def test_source_dates_and_hedged_dates() -> None:
    got = facts("The manga first came out in May 2015 and ended on November 2, 2022. "
                "The series could return in 2027.")
    assert ("source_start", "2015-05") in got and ("source_end", "2022-11-02") in got
    assert ("premiere_date", "2027") not in got


def test_a_finale_after_a_start_verb_is_an_end() -> None:
    got = facts("Fans have waited ever since the finale of the second season came out on "
                "December 26, 2015.")
    assert ("finale_date", "2015-12-26") in got and ("premiere_date", "2015-12-26") not in got


# --- numbers ---------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, value", [
    ("twelve", 12), ("twenty-four", 24), ("thirty one", 31), ("a dozen", 12),
    ("2.2 million", 2_200_000), ("400,000+", 400_000), ("3.5 million", 3_500_000), ("13", 13),
])
def test_number_values(raw: str, value: int) -> None:
    assert number_value(raw) == value


def test_number_words_in_claims() -> None:
    got = facts("The first season ran for twelve episodes. The manga has more than 3.5 "
                "million cumulative copies of its volumes in circulation.")
    assert ("episode_count", 12) in got and ("circulation", 3_500_000) in got


# --- who made what ---------------------------------------------------------------------------

def test_credits_by_the_words_between_name_and_role() -> None:
    got = facts(
        "Hana Oyama (Blue Orchard, Quiet Tide) is the new director, and Kojiro Studio is the "
        "new animation studio. The rest of the staff returns, including Ren Aoki as series "
        "script supervisor, Mio Kudo as character designer and Sora Endo as music composer. "
        "Tide Works made season one. Yui Kaneda replaced Taro Ishii as the director.")
    assert {("director", "Hana Oyama"), ("studio", "Kojiro Studio"), ("writer", "Ren Aoki"),
            ("character_designer", "Mio Kudo"), ("composer", "Sora Endo"),
            ("studio", "Tide Works"), ("director", "Yui Kaneda")} <= got
    assert ("director", "Taro Ishii") not in got


def test_gazetteer_names_networks_and_catalogue_studios() -> None:
    g = Gazetteer(studios=("Blue Harbor",))
    got = facts("Blue Harbor made the anime, which aired on channels such as Tokyo MX and BS11.",
                gazetteer=g)
    assert {("studio", "Blue Harbor"), ("network", "Tokyo MX"), ("network", "BS11")} <= got
    assert pickle.loads(pickle.dumps(g)).find("studio", "by Blue Harbor") == \
        [(3, 14, "Blue Harbor")]


# --- the header block and the pure stage ------------------------------------------------------

ARTICLE = (b"URL: https://www.example.org/2021/05/lantern-row-season-2\n"
           b"TITLE: Lantern Row Season 2: Everything We Know\n"
           b"PUBLISHED: 2021-05-03 (date in the address)\n"
           b"---\n"
           b"Lantern Row Season 2: Everything We Know\n\n"
           b"The first season premiered last year and a second season has not been announced.\n")


def test_header_block_is_metadata_not_text() -> None:
    header, text = split_header(ARTICLE.decode())
    assert header.url == "https://www.example.org/2021/05/lantern-row-season-2"
    assert header.title == "Lantern Row Season 2: Everything We Know"
    assert header.published == "2021-05-03"
    assert text.startswith("Lantern Row Season 2") and "URL:" not in text


@pytest.mark.parametrize("text", [
    "Just a first line: with a colon\nand prose after it\n---\nmore",
    "---\nno keys before the rule\n",
    "Title: fine\nbut this line is prose\n---\n",
])
def test_text_that_is_not_a_header_is_left_alone(text: str) -> None:
    header, rest = split_header(text)
    assert header.fields == {} and rest == text


def test_pure_stage_reads_bytes_and_uses_the_header() -> None:
    art, claims = extract_article(ARTICLE, "lantern-row.txt")
    assert art.url and art.url.endswith("lantern-row-season-2")
    assert art.published == "2021-05-03" and art.title and art.title.startswith("Lantern Row")
    assert ("premiere_date", "2020") in {(c.field, c.value) for c in claims}
    assert all(art.text[c.start:c.end] == c.quote for c in claims)
    hinted, _ = extract_article(ARTICLE, "x.txt", Hints(url="https://b.example/x",
                                                        published="2022-01-01"))
    assert (hinted.url, hinted.published) == ("https://b.example/x", "2022-01-01")


def test_pure_stage_refuses_what_is_not_an_article() -> None:
    with pytest.raises(InputError):
        extract_article(b"\x89PNG\r\n\x1a\n\x00\x00", "image.txt")
    with pytest.raises(InputError):
        extract_article(b"   \n ", "empty.txt")


_PIECES = st.sampled_from(
    list("abcdefghij ABCDEFGH.,;:?!'\"()-–—\n0123456789") +
    ["season 2", " not ", "announced", "renewed", "January", " 2021", "twelve", "Studio ",
     " as director", "URL: x\n", "---\n", "tomorrow", " last year", "Pictures", "@user"])
_TEXT = st.lists(_PIECES, max_size=120).map("".join)


@settings(max_examples=150, deadline=None)
@given(_TEXT, st.sampled_from([None, "2020-02-29", "2021-05", "2019", "9999-12-31",
                               "0001-01-01", "2021-13-45", "soon"]))
def test_new_stages_never_raise_and_quotes_hold(text: str, as_of: str | None) -> None:
    claims = extract_claims(text, as_of=as_of, title=text[:40])
    assert all(text[c.start:c.end] == c.quote for c in claims)
    header, rest = split_header(text)
    assert text.endswith(rest)
    for d in date_mentions(text, as_of):
        assert 0 <= d.start <= d.end <= len(text)
    try:
        art, claims = extract_article(text.encode(), "fuzz.txt")
    except InputError:
        return
    assert all(art.text[c.start:c.end] == c.quote for c in claims)


def test_claims_come_from_every_line_and_sentence() -> None:
    filler = "".join(f"Line {i} says nothing much.\n" for i in range(40))
    filler += " ".join(f"Sentence {i} says nothing either." for i in range(40))
    got = facts(filler + "\nThe anime was animated by Studio Kestrel.\n")
    assert ("studio", "Studio Kestrel") in got


def test_an_html_page_gives_its_own_address() -> None:
    page = (b'<html><head><title>Lantern Row Season 2</title>'
            b'<link rel="canonical" href="https://news.example/lantern-row-2">'
            b'<meta property="og:url" content="https://other.example/x"></head>'
            b'<body><article><p>Lantern Row has not been renewed for a second season, and '
            b'the studio has said nothing about it since the finale aired.</p></article>'
            b'</body></html>')
    art, claims = extract_article(page, "page.html")
    assert art.url == "https://news.example/lantern-row-2"
    assert ("renewal_status", "not_announced") in {(c.field, c.value) for c in claims}


@pytest.mark.parametrize("sentence, expected", [
    ("The studio is yet to confirm a second season.", {"not_announced"}),
    ("It hasn't been renewed yet.", {"not_announced"}),
    ("The studio will announce a second season soon, fans hope.", set()),
    ("The manga was renewed in popularity.", set()),
])
def test_verb_forms_of_renewal(sentence: str, expected: set[str]) -> None:
    assert statuses(sentence) == expected


@pytest.mark.parametrize("sentence, absent", [
    ("The movie premiered in theaters on May 5, 2023.", "premiere_date"),
    ("Volume 10 of the manga was released on March 4, 2022.", "source_start"),
    ("The trailer was released on June 1, 2024.", "premiere_date"),
    ("The anime was produced by Kumo Records, a music label.", "studio"),
])
def test_dates_and_makers_of_other_things_are_not_the_series(sentence: str, absent: str) -> None:
    assert absent not in {f for f, _ in facts(sentence, as_of="2024-07-01")}


@pytest.mark.parametrize("sentence, expected", [
    ("It is not surprising that a second season was announced.", set()),
    ("The studio has not confirmed that a second season is in production.", {"not_announced"}),
    ("There is no news that season 2 has been greenlit.", {"not_announced"}),
])
def test_a_negation_reaches_a_that_clause_only_through_a_verb_of_saying(
        sentence: str, expected: set[str]) -> None:
    assert statuses(sentence) == expected


@pytest.mark.parametrize("sentence, expected", [
    ("Season 2 was announced, according to a leaker.", {"rumoured"}),
    ("Season 2 has been greenlit, claims an insider.", {"rumoured"}),
    ("According to the official Twitter account, season 2 is in production.", {"announced"}),
])
def test_who_says_it(sentence: str, expected: set[str]) -> None:
    assert statuses(sentence) == expected


def test_compound_number_words_and_plus_figures() -> None:
    got = facts("The first season has twenty-four episodes. The light novel has sold "
                "400,000+ copies.")
    assert ("episode_count", 24) in got and ("circulation", 400_000) in got


@pytest.mark.parametrize("sentence, expected", [
    ("The show has been renewed!", {"announced"}),
    ("The anime was renewed in popularity by the film.", set()),
    ("The anime has been renewed, according to rumors.", {"rumoured"}),
    ("Season 2 is officially happening.", {"announced"}),
    ("Season 2 is coming, we hope.", set()),
])
def test_a_renewal_needs_no_season_but_must_be_one(sentence: str, expected: set[str]) -> None:
    assert statuses(sentence) == expected


def test_a_renewal_under_before_or_until_is_still_to_come() -> None:
    got = facts("It is only a matter of time before a third season is announced.")
    assert ("predicted_window", "soon") in got
    assert not any(f == "renewal_status" for f, _ in got)
    assert statuses("Season 2 was announced before the finale aired.") == {"announced"}


def test_names_are_trimmed_and_whole() -> None:
    got = facts("The original work has been written and illustrated by Kana Mori since 2010. "
                "The anime adaptation is produced by Studio Wren. The game of the same name "
                "was developed by Nine Lanterns.")
    assert ("source_author", "Kana Mori") in got
    assert ("studio", "Studio Wren") in got and ("studio", "Wren") not in got
    assert ("studio", "Nine Lanterns") not in got


@pytest.mark.parametrize("sentence, absent", [
    ("It is unlikely that the second season will begin airing before 2017.", "premiere_date"),
    ("Plenty of new anime have come out in 2025, but nothing matches it.", "premiere_date"),
    ("At first, the anime was scheduled to be released in April 2020, but it was delayed.",
     "premiere_date"),
    ("The manga was published from 2002 to 2010.", "finale_date"),
])
def test_dates_that_are_not_the_series_premiere_or_finale(sentence: str, absent: str) -> None:
    assert absent not in {f for f, _ in facts(sentence, as_of="2019-05-01")}


def test_the_subject_also_tells_other_shows_apart() -> None:
    text = "Other hits did well too, and even Harbor Lights Season 9 is on the way."
    assert statuses(text, subject="Lantern Row") == set()


def test_catalogue_studio_names_inside_titles_or_other_vocabularies_are_not_studios() -> None:
    import sqlite3

    from nextseason.claims.gazetteer import Gazetteer

    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE tag (id INTEGER PRIMARY KEY, kind TEXT, name TEXT)")
    conn.executemany("INSERT INTO tag (kind, name) VALUES ('studio', ?)",
                     [("Bones",), ("Connect",), ("Code",), ("drop",), ("NHK",), ("Shueisha",),
                      ("Kinema Citrus",)])
    g = Gazetteer.from_db(conn)
    assert set(g.studios) == {"Bones", "Connect", "Code", "Kinema Citrus"}
    assert g.find("studio", "an anime show titled Princess Connect Re Dive.") == []
    assert g.find("studio", "Spy x Family Movie: Code: White") == []
    assert [n for _, _, n in g.find("studio", "made by Studio Bones in 2021")] == ["Bones"]
    assert [n for _, _, n in g.find("studio", "Kinema Citrus made it")] == ["Kinema Citrus"]
