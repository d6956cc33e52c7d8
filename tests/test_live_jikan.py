"""Jikan v4: recorded answers become records; pagination, fallback, errors, drift."""

from __future__ import annotations

import copy
import json
import random
from urllib.parse import urlsplit

import httpx
import pytest
from live_support import JIKAN, RECORDED, FakeClock, Replay, needs_recordings, recordings

from nextseason.errors import (
    ApiNotFoundError,
    ApiResponseError,
    ApiUnavailableError,
    ConfigError,
    SchemaDriftError,
)
from nextseason.live.config import LiveConfig
from nextseason.live.fields import Node
from nextseason.live.jikan import (
    JikanClient,
    describe_error,
    parse_anime,
    parse_page,
    parse_relations,
)
from nextseason.live.records import RemoteRelation

pytestmark = needs_recordings


def client(replay: Replay, clock: FakeClock | None = None) -> JikanClient:
    return JikanClient(LiveConfig(use_cache=False), clock=clock or FakeClock(),
                       transport=replay.transport, rng=random.Random(0))


def test_anime_full_carries_figures_dates_and_relations() -> None:
    replay = Replay()
    with client(replay) as jikan:
        trigun = jikan.anime(6)
    assert [str(r.url) for r in replay.seen] == [f"{JIKAN}/anime/6/full"]
    assert trigun.source == "jikan" and trigun.mal_id == 6 and trigun.anilist_id is None
    assert trigun.url == f"{JIKAN}/anime/6/full"
    assert trigun.title == "Trigun" and ("japanese", "トライガン") in trigun.titles
    assert trigun.type == "TV" and trigun.episodes == 26 and trigun.status == "finished"
    assert (trigun.start_date, trigun.start_precision) == ("1998-04-01", "day")
    assert (trigun.end_date, trigun.end_precision) == ("1998-09-30", "day")
    assert (trigun.season, trigun.season_year) == ("spring", 1998)
    assert trigun.source_type == "Manga" and trigun.studios == ("Madhouse",)
    assert trigun.genres == ("Action", "Adventure", "Sci-Fi")
    assert trigun.figures == {"members": 703667, "score": 8.22, "scored_by": 345561,
                              "rank": 315, "popularity": 245, "favorites": 14356}
    assert trigun.relations_known
    assert RemoteRelation("Adaptation", "manga", 703, target_title="Trigun") \
        in trigun.relations
    assert RemoteRelation("Side story", "anime", 4106,
                          target_title="Trigun: Badlands Rumble") in trigun.relations


def test_fallback_to_anime_and_relations_when_full_is_missing() -> None:
    replay = Replay()
    with client(replay) as jikan:
        sao = jikan.anime(11757)
    assert [urlsplit(str(r.url)).path for r in replay.seen] == [
        "/v4/anime/11757/full", "/v4/anime/11757", "/v4/anime/11757/relations"]
    assert sao.title == "Sword Art Online" and sao.relations_known
    sequels = [r for r in sao.relations if r.kind == "Sequel"]
    assert sequels and all(r.target_type == "anime" for r in sequels)
    assert {r.target_mal_id for r in sao.relations if r.kind == "Adaptation"} == {21479, 43921}


def test_fallback_without_relations_says_they_are_unknown() -> None:
    with client(Replay()) as jikan:
        bebop = jikan.anime(1)        # /anime/1 recorded; neither /full nor /relations
    assert bebop.title == "Cowboy Bebop"
    assert bebop.relations == () and not bebop.relations_known


def test_unknown_id_is_not_found_naming_the_url() -> None:
    replay = Replay()
    with client(replay) as jikan, pytest.raises(ApiNotFoundError) as info:
        jikan.anime(99999999)
    assert info.value.url == f"{JIKAN}/anime/99999999"
    assert info.value.status == 404 and "HttpException: Not Found" in str(info.value)


def test_bad_ids_are_refused_before_any_request() -> None:
    replay = Replay()
    with client(replay) as jikan:
        for bad in (0, -1, True):
            with pytest.raises(ConfigError):
                jikan.anime(bad)
    assert replay.count == 0


def test_recorded_season_404() -> None:
    with client(Replay()) as jikan, pytest.raises(ConfigError, match="out of range"):
        list(jikan.season(-1, "winter"))
    # the recorded 404 for /seasons/-1/winter, as the API gave it
    with client(Replay()) as jikan, pytest.raises(ApiNotFoundError) as info:
        jikan.http.get("seasons/-1/winter")
    assert info.value.url == f"{JIKAN}/seasons/-1/winter"


def test_recorded_500_is_unavailable_after_retries() -> None:
    clock = FakeClock()
    with client(Replay(), clock) as jikan, pytest.raises(ApiUnavailableError) as info:
        jikan.http.get("reviews/anime")
    assert "Exception: Unhandled Exception" in str(info.value)
    assert "Call to undefined method" in str(info.value)


def test_season_pages_follow_has_next_page() -> None:
    """Page 1 of winter 2018 (recorded, has_next_page true), then a recorded last page
    (schedules for Monday, has_next_page false) standing in for page 2, which was never
    recorded."""
    last = recordings()["jikan_v4/schedules_monday.json"]

    def page_two(request: httpx.Request) -> httpx.Response | None:
        if request.url.params.get("page") == "2":
            return httpx.Response(200, json=last.body)
        return None

    replay = Replay(page_two)
    with client(replay) as jikan:
        records = list(jikan.season(2018, "winter"))
    assert [r.url.params.get("page") for r in replay.seen] == [None, "2"]
    first_page = recordings()["jikan_v4/seasons_2018_winter.json"].body["data"]
    assert len(records) == len(first_page) + len(last.body["data"])
    yorimoi = next(r for r in records if r.mal_id == 35839)
    assert yorimoi.title == "Sora yori mo Tooi Basho" and yorimoi.season == "winter"
    assert not yorimoi.relations_known        # season lists carry no relations


def test_season_now_and_upcoming() -> None:
    answers = {"/v4/seasons/now": "jikan_v4/seasons_now.json",
               "/v4/seasons/upcoming": "jikan_v4/seasons_upcoming.json"}

    def one_page(request: httpx.Request) -> httpx.Response | None:
        body = copy.deepcopy(recordings()[answers[request.url.path]].body)
        body["pagination"]["has_next_page"] = False   # stop after the recorded page
        return httpx.Response(200, json=body)

    with client(Replay(one_page)) as jikan:
        now = list(jikan.season_now())
        upcoming = list(jikan.season_upcoming())
    assert len(now) == 25 and {r.status for r in now} <= {"airing", "finished",
                                                         "not_yet_aired"}
    assert len(upcoming) == 25 and {r.status for r in upcoming} == {"not_yet_aired"}
    assert all("score" not in r.figures for r in upcoming)   # recorded null, not 0


def test_endless_pagination_is_an_error() -> None:
    page = recordings()["jikan_v4/seasons_2018_winter.json"]
    replay = Replay(lambda r: httpx.Response(200, json=page.body))
    with client(replay) as jikan, pytest.raises(ApiResponseError, match="after 40 pages"):
        list(jikan.season(2018, "winter"))
    assert replay.count == 40


def test_year_precision_of_upcoming_dates() -> None:
    body = recordings()["jikan_v4/seasons_upcoming.json"].body
    records, has_next = parse_page(body, url="u", fetched_at="t")
    assert has_next
    precisions = {r.start_precision for r in records}
    assert precisions <= {"day", "month", "year", None} and len(precisions) > 1
    for record in records:
        if record.start_precision == "year":
            assert len(record.start_date or "") == 4
        if record.start_precision == "month":
            assert len(record.start_date or "") == 7


# --- schema drift ---------------------------------------------------------------------

def _drifted(edit) -> SchemaDriftError:
    body = copy.deepcopy(recordings()["jikan_v4/anime_6_full.json"].body)
    edit(body["data"])
    replay = Replay(lambda r: httpx.Response(200, json=body))
    with client(replay) as jikan, pytest.raises(SchemaDriftError) as info:
        jikan.anime(6)
    return info.value


def test_wrong_typed_field_names_url_and_path() -> None:
    error = _drifted(lambda d: d["aired"]["prop"]["from"].update(year="1998"))
    assert error.url == f"{JIKAN}/anime/6/full"
    assert error.field == "data.aired.prop.from.year"
    assert str(error) == (f"{JIKAN}/anime/6/full: field data.aired.prop.from.year: "
                          "expected an integer, found the string '1998'")
    assert error.exit_code == 7


def test_missing_field_names_url_and_path() -> None:
    error = _drifted(lambda d: d.pop("mal_id"))
    assert error.field == "data.mal_id" and "missing" in str(error)


@pytest.mark.parametrize("edit, field", [
    (lambda d: d.update(members="many"), "data.members"),
    (lambda d: d.update(score=True), "data.score"),
    (lambda d: d.update(status="Cancelled"), "data.status"),
    (lambda d: d["relations"][0]["entry"][0].update(mal_id=None),
     "data.relations[0].entry[0].mal_id"),
    (lambda d: d.update(studios={"name": "Madhouse"}), "data.studios"),
    (lambda d: d["aired"]["prop"]["to"].update(month=13), "data.aired.prop.to.month"),
])
def test_drift_cases(edit, field: str) -> None:
    assert _drifted(edit).field == field


def test_not_an_object_at_all() -> None:
    replay = Replay(lambda r: httpx.Response(200, json=["not", "an", "object"]))
    with client(replay) as jikan, pytest.raises(SchemaDriftError) as info:
        jikan.anime(6)
    assert info.value.field == "(the body)"
    assert "expected an object, found a list" in str(info.value)


# --- every recorded Jikan answer ------------------------------------------------------

def _jikan_files() -> list[str]:
    if not (RECORDED / "index.json").is_file():
        return []
    return [e["file"] for e in json.loads((RECORDED / "index.json").read_text())
            if e["file"].startswith("jikan_v4/")]


def _endpoint(url: str) -> str:
    path = urlsplit(url).path.removeprefix("/v4")
    parts = path.strip("/").split("/")
    if parts[0] == "anime" and len(parts) == 2:
        return "anime"
    if parts[0] == "anime" and len(parts) == 3:
        return {"full": "anime", "relations": "relations", "episodes": "other"}[parts[2]]
    if parts == ["random", "anime"]:
        return "anime"
    if parts[0] in ("anime", "top", "schedules") or (parts[0] == "seasons" and len(parts) > 1):
        return "list"
    return "other"    # /genres/anime, /seasons (the list of seasons), the docs template


@pytest.mark.parametrize("file", _jikan_files())
def test_every_recorded_jikan_answer(file: str) -> None:
    rec = recordings()[file]
    if rec.status >= 400:
        # error bodies (404, 500, the docs' template) read as a sentence
        text = describe_error(rec.body)
        assert text and rec.body["message"] in text
        return
    kind = _endpoint(rec.url)
    if kind == "anime":
        record = parse_anime(Node(rec.body, rec.url).req("data"), url=rec.url,
                             fetched_at="2026-11-30T09:00:00+00:00")
        assert record.mal_id == rec.body["data"]["mal_id"] and record.title
        assert record.relations_known == ("relations" in rec.body["data"])
    elif kind == "list":
        records, _ = parse_page(rec.body, url=rec.url, fetched_at="t")
        assert [r.mal_id for r in records] == [a["mal_id"] for a in rec.body["data"]]
        assert all(r.status in ("finished", "airing", "not_yet_aired") for r in records)
    elif kind == "relations":
        relations = parse_relations(Node(rec.body, rec.url).req("data").elements())
        expected = sum(len(g["entry"]) for g in rec.body["data"])
        assert len(relations) == expected
        assert {r.target_type for r in relations} <= {"anime", "manga"}
    else:
        pytest.skip(f"{file}: not an anime answer ({urlsplit(rec.url).path})")
