"""AniList GraphQL: recorded answers become records; errors in 200s, 404, 429, pages."""

from __future__ import annotations

import copy
import json
import random

import httpx
import pytest
from live_support import (
    ANILIST,
    RECORDED,
    FakeClock,
    Replay,
    needs_recordings,
    recordings,
    response_of,
    variables_of,
)

from nextseason.errors import (
    ApiNotFoundError,
    ApiResponseError,
    RateLimitedError,
    SchemaDriftError,
)
from nextseason.live.anilist import (
    MEDIA_QUERY,
    RELATIONS,
    SEASON_QUERY,
    AniListClient,
    check_body,
    parse_media,
    parse_page,
    parse_relation_edges,
)
from nextseason.live.config import LiveConfig
from nextseason.live.fields import Node

pytestmark = needs_recordings


def client(replay: Replay, clock: FakeClock | None = None, **config) -> AniListClient:
    return AniListClient(LiveConfig(use_cache=False, **config), clock=clock or FakeClock(),
                         transport=replay.transport, rng=random.Random(0))


def test_media_by_mal_id() -> None:
    replay = Replay()
    with client(replay) as anilist:
        record = anilist.anime_by_mal_id(35839)
    request = replay.seen[0]
    assert request.method == "POST" and str(request.url) == ANILIST
    payload = json.loads(request.content)
    assert payload["query"] == MEDIA_QUERY and payload["variables"] == {"idMal": 35839}
    assert record.source == "anilist" and record.anilist_id == 99426
    assert record.mal_id == 35839 and record.title == "Sora yori mo Tooi Basho"
    assert ("english", "A Place Further Than the Universe") in record.titles
    assert ("synonym", "Yorimoi") in record.titles
    assert record.type == "TV" and record.status == "finished" and record.episodes == 13
    assert (record.start_date, record.end_date) == ("2018-01-02", "2018-03-27")
    assert (record.season, record.season_year) == ("winter", 2018)
    assert record.source_type == "Original"
    assert record.figures == {"anilist_popularity": 145662, "anilist_average_score": 84,
                              "anilist_mean_score": 84, "anilist_favourites": 8352}
    assert record.url == f'{ANILIST} variables {{"idMal": 35839}}'


def test_site_query_relations_and_next_airing() -> None:
    with client(Replay()) as anilist:
        conan = anilist.anime(235)
    assert conan.status == "airing" and conan.status_detail == "RELEASING"
    assert conan.next_airing == "2023-04-29T09:00:00+00:00" and conan.next_episode == 1082
    assert conan.end_date is None and conan.relations_known
    source = [r for r in conan.relations if r.target_anilist_id == 31061]
    assert source and source[0].kind == "Adaptation" and source[0].target_type == "manga"
    assert source[0].target_format == "Manga"
    assert all(r.kind in set(RELATIONS.values()) for r in conan.relations)


def test_relations_with_mal_ids() -> None:
    rec = recordings()["anilist/media_full_16498_2024.json"]
    record = parse_media(Node(rec.body, rec.url).req("data").req("Media"), url=rec.url,
                         fetched_at="t")
    assert record is not None and record.studios == ("Wit Studio",)
    sequel = [r for r in record.relations if r.kind == "Sequel"]
    assert sequel and sequel[0].target_mal_id is not None
    assert sequel[0].target_type == "anime"


def test_formats_and_statuses() -> None:
    formats = {"media_sitequery_98291.json": "TV",        # TV_SHORT
               "media_sitequery_3167.json": "ONA", "media_sitequery_20954.json": "Movie",
               "media_sitequery_2685.json": "OVA", "media_sitequery_97731.json": "Music",
               "media_search_attack_on_titan_sort_id_desc.json": "Special"}
    for file, expected in formats.items():
        rec = recordings()[f"anilist/{file}"]
        record = parse_media(Node(rec.body, rec.url).req("data").req("Media"),
                             url=rec.url, fetched_at="t")
        assert record is not None and record.type == expected, file
    # the recorded entry with every field null is still a record
    empty = recordings()["anilist/media_sitequery_135643.json"]
    record = parse_media(Node(empty.body, empty.url).req("data").req("Media"), url="u",
                         fetched_at="t")
    assert record is not None and record.type is None and record.status is None


@pytest.mark.parametrize("raw, status", [("CANCELLED", None), ("HIATUS", "airing"),
                                         ("NOT_YET_RELEASED", "not_yet_aired")])
def test_cancelled_and_hiatus(raw: str, status: str | None) -> None:
    body = copy.deepcopy(recordings()["anilist/media_99426.json"].body)
    body["data"]["Media"]["status"] = raw
    record = parse_media(Node(body, "u").req("data").req("Media"), url="u", fetched_at="t")
    assert record is not None and record.status == status and record.status_detail == raw


def test_recorded_404() -> None:
    with client(Replay()) as anilist, pytest.raises(ApiNotFoundError) as info:
        anilist.media({"id": 0})   # as recorded: HTTP 404, errors and data.Media null
    assert info.value.status == 404 and "Not Found." in str(info.value)
    assert info.value.url.startswith(ANILIST) and '"id": 0' in info.value.url


def test_unrecorded_mal_id_is_not_found() -> None:
    with client(Replay()) as anilist, pytest.raises(ApiNotFoundError):
        anilist.anime_by_mal_id(6)


def test_recorded_429_retried_after_its_retry_after() -> None:
    limited = recordings()["anilist/error_429_too_many_requests.json"]
    clock = FakeClock()
    replay = Replay(lambda r: response_of(limited))
    with client(replay, clock, max_retries=2) as anilist, \
            pytest.raises(RateLimitedError) as info:
        anilist.anime(170942)
    assert clock.sleeps == [60.0, 60.0] and replay.count == 3
    assert "AniList still refuses with 429 Too Many Requests after 3 attempts" \
        in str(info.value)
    assert info.value.retry_after == 60


def test_429_inside_http_200_is_retried() -> None:
    calls = {"n": 0}

    def once(request: httpx.Request) -> httpx.Response | None:
        calls["n"] += 1
        if calls["n"] == 1:
            return httpx.Response(200, json={"data": None, "errors": [
                {"message": "Too Many Requests.", "status": 429}]})
        return None

    clock = FakeClock()
    with client(Replay(once), clock) as anilist:
        assert anilist.anime(99426).anilist_id == 99426
    assert len(clock.sleeps) == 1     # a backoff: no Retry-After in a 200


@pytest.mark.parametrize("file, status, words", [
    ("docs_example_error_400_invalid_field.json", 400, "nonexistentField"),
    ("docs_example_error_400_validation.json", 400, "The selected id is invalid."),
    ("docs_example_error_403_api_disabled.json", 403, "temporarily disabled"),
])
def test_documented_error_bodies(file: str, status: int, words: str) -> None:
    """Documentation examples (illustrative, not recordings): 400 and 403 bodies."""
    rec = recordings()[f"anilist/{file}"]
    replay = Replay(lambda r: response_of(rec))
    with client(replay) as anilist, pytest.raises(ApiResponseError) as info:
        anilist.anime(99426)
    assert info.value.status == status and words in str(info.value)
    assert replay.count == 1          # a client error is not retried


def test_errors_inside_http_200_are_raised() -> None:
    body = recordings()["anilist/docs_example_error_400_validation.json"].body
    replay = Replay(lambda r: httpx.Response(200, json=body))
    with client(replay) as anilist, pytest.raises(ApiResponseError) as info:
        anilist.anime(99426)
    assert info.value.status == 200
    assert "validation (id: The selected id is invalid.; score:" in str(info.value)


def test_no_data_and_no_errors() -> None:
    with pytest.raises(ApiResponseError, match="no data object"):
        check_body({"data": None}, "u", 200)


def test_pages_follow_has_next_page() -> None:
    """The recorded two pages of a search for "fate" (perPage 50)."""
    replay = Replay()
    with client(replay) as anilist:
        records = list(anilist.pages(SEASON_QUERY, {"search": "fate"}))
    assert [variables_of(r) for r in replay.seen] == [
        {"search": "fate", "page": 1, "perPage": 50},
        {"search": "fate", "page": 2, "perPage": 50}]
    p1 = recordings()["anilist/page_media_search_fate_p1.json"].body
    p2 = recordings()["anilist/page_media_search_fate_p2.json"].body
    anime = [m["id"] for b in (p1, p2) for m in b["data"]["Page"]["media"]
             if m["type"] == "ANIME"]
    assert [r.anilist_id for r in records] == anime   # manga and novels left out


def test_per_page_never_above_fifty() -> None:
    replay = Replay(lambda r: httpx.Response(200, json={"data": {"Page": {
        "pageInfo": {"hasNextPage": False}, "media": []}}}))
    with client(replay) as anilist:
        assert list(anilist.pages(SEASON_QUERY, {"search": "x", "perPage": 500})) == []
    assert variables_of(replay.seen[0])["perPage"] == 50


def test_season_query_variables() -> None:
    replay = Replay(lambda r: httpx.Response(200, json={"data": {"Page": {
        "pageInfo": {"hasNextPage": False}, "media": []}}}))
    with client(replay) as anilist:
        list(anilist.season(2026, "Fall"))
    assert variables_of(replay.seen[0]) == {"season": "FALL", "seasonYear": 2026,
                                            "page": 1, "perPage": 50}


def test_wrong_type_names_the_field() -> None:
    body = copy.deepcopy(recordings()["anilist/media_99426.json"].body)
    body["data"]["Media"]["startDate"]["month"] = "January"
    with client(Replay(lambda r: httpx.Response(200, json=body))) as anilist, \
            pytest.raises(SchemaDriftError) as info:
        anilist.anime(99426)
    assert info.value.field == "data.Media.startDate.month"
    assert info.value.url.startswith(ANILIST)


def test_unknown_enum_value_is_drift() -> None:
    body = copy.deepcopy(recordings()["anilist/media_99426.json"].body)
    body["data"]["Media"]["format"] = "HOLOGRAM"
    with pytest.raises(SchemaDriftError, match="unknown value 'HOLOGRAM'"):
        parse_media(Node(body, "u").req("data").req("Media"), url="u", fetched_at="t")


# --- every recorded AniList answer ----------------------------------------------------

def _files() -> list[str]:
    if not (RECORDED / "index.json").is_file():
        return []
    return [e["file"] for e in json.loads((RECORDED / "index.json").read_text())
            if e["file"].startswith("anilist/")]


@pytest.mark.parametrize("file", _files())
def test_every_recorded_anilist_answer(file: str) -> None:
    rec = recordings()[file]
    body = rec.body
    if rec.status >= 400 or body.get("errors"):
        # 404, 429 (recorded), 400/403/429 (documentation examples): typed errors
        expected = {404: ApiNotFoundError, 429: RateLimitedError}.get(rec.status,
                                                                      ApiResponseError)
        with pytest.raises(expected):
            check_body(body, rec.url, rec.status)
        return
    data = body["data"]
    media = data.get("Media")
    if media is not None and "id" not in media:
        # partial selections of one Media (its relations, studios, airing schedule or
        # recommendations only): no id to make a record of, which drift reports...
        with pytest.raises(SchemaDriftError, match="data.Media.id: missing"):
            parse_media(Node(body, rec.url).req("data").req("Media"), url=rec.url,
                        fetched_at="t")
        # ...and the relations among them still read as relations
        if "relations" in media:
            relations = parse_relation_edges(
                Node(media["relations"], rec.url).items("edges"))
            assert len(relations) == len(media["relations"]["edges"])
        return
    if media is not None:
        record = parse_media(Node(body, rec.url).req("data").req("Media"), url=rec.url,
                             fetched_at="t")
        if media.get("type") not in (None, "ANIME"):
            assert record is None
        else:
            assert record is not None and record.anilist_id == media["id"] and record.title
            assert record.mal_id == media.get("idMal")
            assert record.relations_known == ("relations" in media)
        return
    records, _ = parse_page(body, url=rec.url, fetched_at="t")
    pages = [v for v in data.values() if isinstance(v, dict)]
    listed = [m for p in pages for m in p["media"] if m.get("type") in (None, "ANIME")]
    assert [r.anilist_id for r in records] == [m["id"] for m in listed]
