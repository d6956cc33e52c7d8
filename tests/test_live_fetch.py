"""The refresh's entry point: fetch by id or season from jikan, anilist or both; merging;
what is skipped and what is fatal; and the same over real HTTP on loopback."""

from __future__ import annotations

import copy
import json
import random
from dataclasses import replace
from datetime import date
from pathlib import Path

import httpx
import pytest
from live_support import JIKAN, RECORDED, FakeClock, Replay, needs_recordings, recordings

from nextseason.errors import (
    ApiNotFoundError,
    ApiResponseError,
    ConfigError,
    RateLimitedError,
    SchemaDriftError,
)
from nextseason.live import LiveConfig, fetch, merge, parse_season
from nextseason.live.anilist import parse_media, parse_relation_edges
from nextseason.live.fetch import SeasonSpec, current_season
from nextseason.live.fields import Node
from nextseason.live.jikan import parse_anime, parse_page
from nextseason.live.replay import serve

pytestmark = needs_recordings

NO_CACHE = LiveConfig(use_cache=False)


def run(source: str, replay: Replay, **kwargs):
    skipped: list[ApiNotFoundError] = []
    steps: list[tuple[int, int | None, str]] = []
    records = list(fetch(source, config=kwargs.pop("config", NO_CACHE), clock=FakeClock(),
                         transport=replay.transport, rng=random.Random(0),
                         on_skip=skipped.append,
                         progress=lambda *step: steps.append(step), **kwargs))
    return records, skipped, steps


def test_jikan_ids_with_one_unknown_skipped() -> None:
    records, skipped, steps = run("jikan", Replay(), ids=[6, 99999999, 69, 6])
    assert [r.mal_id for r in records] == [6, 69]           # repeated ids asked once
    assert [e.url for e in skipped] == [f"{JIKAN}/anime/99999999"]
    assert steps == [(1, 3, "MAL 6"), (2, 3, "MAL 99999999"), (3, 3, "MAL 69")]


def test_every_id_not_found_yields_nothing_and_reports_each() -> None:
    records, skipped, _ = run("jikan", Replay(), ids=[99999997, 99999998])
    assert records == [] and len(skipped) == 2


def test_anilist_ids() -> None:
    records, skipped, _ = run("anilist", Replay(), ids=[35839, 47917, 6])
    assert [(r.mal_id, r.anilist_id) for r in records] == [(35839, 99426), (47917, 130003)]
    assert len(skipped) == 1 and '"idMal": 6' in skipped[0].url


def test_both_by_id_keeps_what_either_source_knows() -> None:
    records, skipped, _ = run("both", Replay(), ids=[6, 35839])
    trigun, yorimoi = records
    assert trigun.source == "jikan" and trigun.mal_id == 6      # AniList: not recorded
    assert yorimoi.source == "anilist" and yorimoi.anilist_id == 99426   # Jikan: not
    assert len(skipped) == 2


def test_fatal_errors_stop_the_fetch() -> None:
    page = b"<html><head><title>Just a moment...</title></head></html>"
    replay = Replay(lambda r: httpx.Response(200, headers={"Content-Type": "text/html"},
                                             content=page))
    with pytest.raises(ApiResponseError, match="HTML page"):
        run("jikan", replay, ids=[6, 69])
    assert replay.count == 1

    limited = Replay(lambda r: httpx.Response(429, headers={"Retry-After": "1"},
                                              json={"status": 429}))
    with pytest.raises(RateLimitedError):
        run("jikan", limited, ids=[6])

    body = copy.deepcopy(recordings()["jikan_v4/anime_6_full.json"].body)
    body["data"]["episodes"] = "26"
    drift = Replay(lambda r: httpx.Response(200, json=body))
    with pytest.raises(SchemaDriftError, match=r"anime/6/full: field data.episodes"):
        run("jikan", drift, ids=[6])


def test_bad_arguments() -> None:
    with pytest.raises(ConfigError, match="--source"):
        list(fetch("mal", ids=[1], config=NO_CACHE))
    with pytest.raises(ConfigError, match="nothing to fetch"):
        list(fetch("jikan", config=NO_CACHE))
    with pytest.raises(ConfigError, match="--id"):
        list(fetch("jikan", ids=[0], config=NO_CACHE))
    with pytest.raises(ConfigError, match="--season"):
        list(fetch("jikan", season="2018-monsoon", config=NO_CACHE))


def test_parse_season_and_current_season() -> None:
    assert parse_season("now") == SeasonSpec("now")
    assert parse_season(" Upcoming ") == SeasonSpec("upcoming")
    assert parse_season("2018/winter") == SeasonSpec("year", 2018, "winter")
    assert parse_season("2024-Autumn") == SeasonSpec("year", 2024, "fall")
    assert str(parse_season("2018/winter")) == "2018/winter"
    assert current_season(date(2026, 11, 30)) == (2026, "fall")
    assert current_season(date(2026, 1, 1)) == (2026, "winter")
    assert current_season(date(2026, 6, 30)) == (2026, "spring")


def test_season_from_jikan() -> None:
    page = recordings()["jikan_v4/seasons_2018_winter.json"].body
    last = copy.deepcopy(page)
    last["pagination"]["has_next_page"] = False

    def paged(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=page if "page" not in request.url.params else last)

    records, _, steps = run("jikan", Replay(paged), season="2018/winter")
    assert len(records) == 25                  # page 2 repeats page 1: nothing twice
    assert steps[-1] == (25, None, "Jikan 2018/winter")


def test_anilist_now_and_upcoming_use_today() -> None:
    replay = Replay(lambda r: httpx.Response(200, json={"data": {"Page": {
        "pageInfo": {"hasNextPage": False}, "media": []}}}))
    run("anilist", replay, season="now", today=date(2026, 11, 30))
    run("anilist", replay, season="upcoming", today=date(2026, 11, 30))
    asked = [(v["season"], v["seasonYear"]) for v in
             (json.loads(r.content)["variables"] for r in replay.seen)]
    assert asked == [("FALL", 2026), ("WINTER", 2027)]


def test_season_with_relations_asks_each_entry() -> None:
    listing = copy.deepcopy(recordings()["jikan_v4/seasons_2018_winter.json"].body)
    listing["data"] = [a for a in listing["data"] if a["mal_id"] in (35839, 34798)]
    listing["pagination"]["has_next_page"] = False

    def season_or_full(request: httpx.Request) -> httpx.Response | None:
        if request.url.path == "/v4/seasons/2018/winter":
            return httpx.Response(200, json=listing)
        return None         # /anime/{id}/full: not recorded → 404 → fallback → 404

    replay = Replay(season_or_full)
    records, skipped, _ = run("jikan", replay, season="2018/winter", with_relations=True)
    assert [r.mal_id for r in records] == [34798, 35839] or \
        [r.mal_id for r in records] == [35839, 34798]
    assert len(skipped) == 2 and all(not r.relations_known for r in records)


# --- merging, on real pairs of answers ------------------------------------------------

def _jikan_full(file: str):
    rec = recordings()[file]
    return parse_anime(Node(rec.body, rec.url).req("data"), url=rec.url,
                       fetched_at="2026-11-30T09:00:00+00:00")


def _anilist(file: str):
    rec = recordings()[file]
    record = parse_media(Node(rec.body, rec.url).req("data").req("Media"), url=rec.url,
                         fetched_at="2026-11-30T09:00:05+00:00")
    assert record is not None
    return record


def test_merge_prefers_anilist_typed_relations_and_lends_mal_ids() -> None:
    jikan = _jikan_full("jikan_v4/anime_100_full.json")          # MAL 100, Prétear
    anilist = replace(_anilist("anilist/media_sitequery_100.json"), mal_id=100)
    merged = merge(jikan, anilist)
    assert merged.source == "jikan+anilist" and merged.anilist_id == 100
    assert merged.title == jikan.title and merged.figures["members"] == 61134
    assert merged.figures["anilist_popularity"] == 7366
    # one relation: AniList's SOURCE (→ Adaptation), matched by title, with MAL's id
    assert len(merged.relations) == 1
    (rel,) = merged.relations
    assert (rel.kind, rel.target_type, rel.target_mal_id, rel.target_anilist_id) == \
        ("Adaptation", "manga", 1248, 31248)
    assert [s for s, _, _ in merged.sources] == ["jikan", "anilist"]
    assert merged.fetched_at == "2026-11-30T09:00:05+00:00"


def test_merge_season_entry_with_anilist_relations() -> None:
    page = recordings()["jikan_v4/seasons_2018_winter.json"]
    listed, _ = parse_page(page.body, url=page.url, fetched_at="2026-11-30T09:00:00+00:00")
    jikan = next(r for r in listed if r.mal_id == 35839)
    edges = recordings()["anilist/media_relations_99426.json"].body
    relations = parse_relation_edges(
        Node(edges, "u").req("data").req("Media").req("relations").items("edges"))
    anilist = replace(_anilist("anilist/media_99426.json"), relations=relations,
                      relations_known=True)
    merged = merge(jikan, anilist)
    assert not jikan.relations_known and merged.relations_known
    assert merged.relations == relations
    assert merged.status == "finished" and merged.type == "TV"
    assert merged.figures["members"] == jikan.figures["members"]
    assert merged.figures["anilist_average_score"] == 84


def test_merge_takes_the_finer_agreeing_date_and_fills_gaps() -> None:
    jikan = replace(_jikan_full("jikan_v4/anime_69_full.json"), start_date="2005-10",
                    start_precision="month", episodes=None)
    anilist = replace(_anilist("anilist/media_99426.json"), start_date="2005-10-05",
                      start_precision="day", next_airing="2026-12-01T15:00:00+00:00",
                      next_episode=3)
    merged = merge(jikan, anilist)
    assert (merged.start_date, merged.start_precision) == ("2005-10-05", "day")
    assert merged.episodes == 13 and merged.next_airing == "2026-12-01T15:00:00+00:00"
    disagree = merge(replace(jikan, start_date="2005-11", start_precision="month"), anilist)
    assert disagree.start_date == "2005-11"
    assert merge(jikan, None) is jikan and merge(None, anilist) is anilist
    with pytest.raises(ValueError):
        merge(None, None)


# --- over real HTTP, on loopback ------------------------------------------------------

def test_fetch_through_the_loopback_replay_server(tmp_path: Path) -> None:
    with serve(RECORDED) as server:
        config = LiveConfig.from_env({}, jikan_url=server.url + "/v4",
                                     anilist_url=server.url, cache_dir=tmp_path)
        skipped: list[ApiNotFoundError] = []
        records = list(fetch("both", ids=[6, 69, 35839], config=config, clock=FakeClock(),
                             on_skip=skipped.append))
        later = FakeClock()
        later.advance(600)          # ten minutes on: within both APIs' time-to-live
        again = list(fetch("both", ids=[6, 69, 35839], config=config, clock=later))
    assert [r.mal_id for r in records] == [6, 69, 35839]
    assert records[0].url == f"{server.url}/v4/anime/6/full"
    assert records[0].figures["members"] == 703667
    assert records == again          # the second run came from the cache, 404s included
    # 6 and 69: Jikan /full, AniList not found; 35839: Jikan /full, /anime both not
    # found (no fallback to /relations), AniList found — and nothing the second time
    assert len(server.requests_seen) == 7
    assert len(skipped) == 3
