"""The shared HTTP core: rate limits, retries, Retry-After, timeouts, cache, bad bodies.

Every answer is a recorded one (or a recorded one cut short); the clock is fake, so the
waits are measured, never sat through.
"""

from __future__ import annotations

import random
from datetime import timedelta
from email.utils import format_datetime
from pathlib import Path

import httpx
import pytest
from live_support import (
    ANILIST,
    JIKAN,
    FakeClock,
    Replay,
    needs_recordings,
    recordings,
    response_of,
)

from nextseason.errors import (
    ApiError,
    ApiNotFoundError,
    ApiResponseError,
    ApiUnavailableError,
    ConfigError,
    NextseasonError,
    RateLimitedError,
)
from nextseason.live.anilist import AniListClient
from nextseason.live.cache import ResponseCache
from nextseason.live.config import LiveConfig
from nextseason.live.http import RateLimiter, decode_json, parse_retry_after
from nextseason.live.jikan import JikanClient

pytestmark = needs_recordings


def jikan(replay: Replay, clock: FakeClock, tmp_path: Path | None = None, **config
          ) -> JikanClient:
    cfg = LiveConfig(use_cache=tmp_path is not None,
                     cache_dir=tmp_path / "cache" if tmp_path else None, **config)
    return JikanClient(cfg, clock=clock, transport=replay.transport, rng=random.Random(0))


def anilist(replay: Replay, clock: FakeClock, **config) -> AniListClient:
    return AniListClient(LiveConfig(use_cache=False, **config), clock=clock,
                         transport=replay.transport, rng=random.Random(0))


# --- rate limits ----------------------------------------------------------------------

def test_limiter_four_calls_in_a_second_wait_one_second() -> None:
    clock = FakeClock()
    limiter = RateLimiter(((3, 1.0), (60, 60.0)), clock)
    waits = [limiter.acquire() for _ in range(4)]
    assert waits[:3] == [0.0, 0.0, 0.0]
    assert waits[3] == pytest.approx(1.0)


def test_limiter_minute_window() -> None:
    clock = FakeClock()
    limiter = RateLimiter(((3, 1.0), (60, 60.0)), clock)
    for _ in range(60):
        limiter.acquire()
    before = clock.t
    assert before == pytest.approx(19.0)     # 3 a second: 20 bursts, 19 waits of 1 s
    limiter.acquire()                        # the 61st waits for the first to leave
    assert clock.t == pytest.approx(60.0)


def test_jikan_client_spaces_four_requests_by_a_second() -> None:
    clock, replay = FakeClock(), Replay()
    with jikan(replay, clock) as client:
        for mal_id in (6, 69, 100, 439):
            client.anime(mal_id)
    assert replay.count == 4
    assert clock.slept == pytest.approx(1.0)
    assert client.http.limiter.waited == pytest.approx(1.0)


def test_anilist_thirty_a_minute() -> None:
    clock, replay = FakeClock(), Replay()
    with anilist(replay, clock) as client:
        for _ in range(31):
            client.anime(99426)
    assert replay.count == 31
    assert clock.t == pytest.approx(60.0)


# --- retries --------------------------------------------------------------------------

def test_retry_after_honoured_then_success() -> None:
    limited = recordings()["anilist/error_429_too_many_requests.json"]
    calls = {"n": 0}

    def first_limited(request: httpx.Request) -> httpx.Response | None:
        calls["n"] += 1
        return response_of(limited) if calls["n"] == 1 else None

    clock, replay = FakeClock(), Replay(first_limited)
    with anilist(replay, clock) as client:
        record = client.anime(170942)
    assert record.title == "Ao no Hako"
    assert replay.count == 2
    assert clock.slept == pytest.approx(60.0)      # the recorded Retry-After: 60


def test_rate_limited_forever_gives_up_with_typed_error() -> None:
    limited = recordings()["anilist/error_429_too_many_requests.json"]
    clock, replay = FakeClock(), Replay(lambda request: response_of(limited))
    with anilist(replay, clock, max_retries=3) as client, \
            pytest.raises(RateLimitedError) as info:
        client.anime(170942)
    error = info.value
    assert replay.count == 4                         # 1 + 3 retries
    assert clock.slept == pytest.approx(180.0)       # 3 waits of 60 s, as asked
    assert error.url.startswith(ANILIST) and '"id": 170942' in error.url
    assert error.retry_after == 60 and error.status == 429
    assert "after 4 attempts" in str(error) and "60 s" in str(error)
    assert isinstance(error, ApiError) and isinstance(error, NextseasonError)
    assert error.exit_code == 7


def test_retry_after_as_http_date() -> None:
    clock = FakeClock()
    when = format_datetime(clock.now() + timedelta(seconds=30), usegmt=True)
    calls = {"n": 0}

    def once(request: httpx.Request) -> httpx.Response | None:
        calls["n"] += 1
        if calls["n"] == 1:
            return httpx.Response(429, headers={"Retry-After": when},
                                  json={"status": 429, "type": "RateLimitException",
                                        "message": "Jikan is being rate limited by "
                                                   "MyAnimeList.", "error": None})
        return None

    replay = Replay(once)
    with jikan(replay, clock) as client:
        assert client.anime(6).mal_id == 6
    assert clock.slept == pytest.approx(30.0)


def test_retry_after_longer_than_max_wait_is_not_sat_through() -> None:
    clock = FakeClock()
    replay = Replay(lambda r: httpx.Response(429, headers={"Retry-After": "3600"},
                                             json={"data": None, "errors": [
                                                 {"message": "Too Many Requests.",
                                                  "status": 429}]}))
    with anilist(replay, clock, max_wait=120) as client, pytest.raises(RateLimitedError) as e:
        client.anime(99426)
    assert replay.count == 1 and clock.slept == 0
    assert e.value.retry_after == 3600


def test_parse_retry_after() -> None:
    clock = FakeClock()
    assert parse_retry_after("60", clock.now()) == 60
    assert parse_retry_after(" 2.5 ", clock.now()) == 2.5
    later = format_datetime(clock.now() + timedelta(seconds=90), usegmt=True)
    assert parse_retry_after(later, clock.now()) == pytest.approx(90)
    earlier = format_datetime(clock.now() - timedelta(seconds=90), usegmt=True)
    assert parse_retry_after(earlier, clock.now()) == 0
    assert parse_retry_after(None, clock.now()) is None
    assert parse_retry_after("soon", clock.now()) is None


def test_server_error_retried_with_backoff_then_typed_error() -> None:
    broken = recordings()["jikan_v4/error_500_reviews_anime.json"]
    clock, replay = FakeClock(), Replay(lambda r: response_of(broken))
    with jikan(replay, clock, max_retries=3, backoff=1.0) as client, \
            pytest.raises(ApiUnavailableError) as info:
        client.anime(6)
    assert replay.count == 4
    # exponential with jitter: each wait within [0.5, 1] × 1, 2, 4 s
    assert len(clock.sleeps) == 3
    for n, wait in enumerate(clock.sleeps):
        assert 0.5 * 2 ** n <= wait <= 2 ** n
    message = str(info.value)
    assert message.startswith(f"{JIKAN}/anime/6/full (HTTP 500)")
    assert "Unhandled Exception" in message and "gave up after 4 attempts" in message


def test_server_error_then_success() -> None:
    broken = recordings()["jikan_v4/error_500_reviews_anime.json"]
    calls = {"n": 0}

    def once(request: httpx.Request) -> httpx.Response | None:
        calls["n"] += 1
        return response_of(broken) if calls["n"] == 1 else None

    clock, replay = FakeClock(), Replay(once)
    with jikan(replay, clock) as client:
        assert client.anime(69).title == "Cluster Edge"
    assert replay.count == 2


@pytest.mark.parametrize("exc, words", [
    (httpx.ConnectError("[Errno 111] Connection refused"), "cannot connect"),
    (httpx.ReadTimeout("timed out"), "no answer within 30 s"),
])
def test_transport_errors_retried_then_typed(exc: Exception, words: str) -> None:
    def fail(request: httpx.Request) -> httpx.Response:
        raise exc

    clock, replay = FakeClock(), Replay(fail)
    with jikan(replay, clock, max_retries=2) as client, \
            pytest.raises(ApiUnavailableError) as info:
        client.anime(6)
    assert replay.count == 3
    assert words in str(info.value) and info.value.status is None
    assert info.value.url == f"{JIKAN}/anime/6/full"


def test_not_found_is_not_retried() -> None:
    clock, replay = FakeClock(), Replay()
    with jikan(replay, clock) as client, pytest.raises(ApiNotFoundError) as info:
        client.http.get("anime/-1")
    assert replay.count == 1 and clock.slept == 0
    assert str(info.value) == (f"{JIKAN}/anime/-1 (HTTP 404): Jikan says: "
                               "HttpException: Not Found")


# --- bodies that are not JSON ---------------------------------------------------------

PROXY_PAGE = (b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
              b"<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center>"
              b"</body></html>")


def test_html_instead_of_json() -> None:
    page = lambda r: httpx.Response(200, headers={"Content-Type": "text/html"},  # noqa: E731
                                    content=PROXY_PAGE)
    clock, replay = FakeClock(), Replay(page)
    with jikan(replay, clock) as client, pytest.raises(ApiResponseError) as info:
        client.anime(6)
    assert replay.count == 1                      # not retried: the page will not change
    assert "HTML page came instead of JSON" in str(info.value)
    assert "'502 Bad Gateway'" in str(info.value)
    assert info.value.url == f"{JIKAN}/anime/6/full" and info.value.exit_code == 7


def test_html_error_page_with_5xx_is_retried() -> None:
    page = lambda r: httpx.Response(502, headers={"Content-Type": "text/html"},  # noqa: E731
                                    content=PROXY_PAGE)
    clock, replay = FakeClock(), Replay(page)
    with jikan(replay, clock, max_retries=1) as client, \
            pytest.raises(ApiUnavailableError) as info:
        client.anime(6)
    assert replay.count == 2 and "HTML page" in str(info.value)


def test_truncated_json() -> None:
    full = recordings()["jikan_v4/anime_6_full.json"]
    cut = full.body_bytes()[: len(full.body_bytes()) // 2]
    clock, replay = FakeClock(), Replay(lambda r: response_of(full, body=cut))
    with jikan(replay, clock) as client, pytest.raises(ApiResponseError) as info:
        client.anime(6)
    assert "truncated JSON" in str(info.value)
    assert str(info.value).startswith(f"{JIKAN}/anime/6/full (HTTP 200)")


def test_decode_json_messages() -> None:
    with pytest.raises(ApiResponseError, match="malformed JSON"):
        decode_json('{"data": ]}', url="u", status=200)
    with pytest.raises(ApiResponseError, match="empty"):
        decode_json("  ", url="u", status=200)
    assert decode_json('{"a": 1}', url="u", status=200) == {"a": 1}


# --- the cache ------------------------------------------------------------------------

def test_cache_second_call_costs_nothing(tmp_path: Path) -> None:
    clock, replay = FakeClock(), Replay()
    with jikan(replay, clock, tmp_path) as client:
        first = client.anime(6)
        clock.advance(3600)
        second = client.anime(6)
    assert replay.count == 1
    assert client.http.cache_hits == 1
    assert second == first                        # the fetch date is the first answer's
    assert first.fetched_at == clock.start.isoformat()
    # a new client (a rerun) on the same folder within the day: still no request
    replay2 = Replay()
    with jikan(replay2, clock, tmp_path) as client:
        assert client.anime(6) == first
    assert replay2.count == 0


def test_cache_expires_after_ttl(tmp_path: Path) -> None:
    clock, replay = FakeClock(), Replay()
    with jikan(replay, clock, tmp_path) as client:
        first = client.anime(6)
        clock.advance(24 * 3600 + 1)
        second = client.anime(6)
    assert replay.count == 2
    assert second.fetched_at > first.fetched_at


def test_no_cache_neither_reads_nor_writes(tmp_path: Path) -> None:
    clock, replay = FakeClock(), Replay()
    with jikan(replay, clock, tmp_path) as client:   # fills the cache
        client.anime(6)
    config = LiveConfig(use_cache=False, cache_dir=tmp_path / "other")
    with JikanClient(config, clock=clock, transport=replay.transport) as client:
        client.anime(6)
        client.anime(6)
    assert replay.count == 3
    assert not (tmp_path / "other").exists()


def test_not_found_is_cached_other_errors_are_not(tmp_path: Path) -> None:
    clock, replay = FakeClock(), Replay()
    with jikan(replay, clock, tmp_path) as client:
        for _ in range(2):
            with pytest.raises(ApiNotFoundError) as info:
                client.http.get("anime/-1")
        assert replay.count == 1
        assert "HttpException: Not Found (answer of 2026-11-30T09:00:00+00:00, cached)" \
            in str(info.value)
        with pytest.raises(ApiUnavailableError):
            client.http.get("reviews/anime")
        tries = replay.count
        with pytest.raises(ApiUnavailableError):
            client.http.get("reviews/anime")
        assert replay.count == 2 * tries - 1


def test_graphql_cache_key_includes_variables(tmp_path: Path) -> None:
    clock, replay = FakeClock(), Replay()
    config = LiveConfig(cache_dir=tmp_path)
    with AniListClient(config, clock=clock, transport=replay.transport) as client:
        a = client.anime(99426)
        b = client.anime(170942)
        assert client.anime(99426) == a and client.anime(170942) == b
    assert replay.count == 2


def test_broken_cache_entry_is_a_miss(tmp_path: Path) -> None:
    clock, replay = FakeClock(), Replay()
    with jikan(replay, clock, tmp_path) as client:
        client.anime(6)
    for entry in (tmp_path / "cache").glob("*/*.json"):
        entry.write_text("{not json")
    with jikan(replay, clock, tmp_path) as client:
        assert client.anime(6).mal_id == 6
    assert replay.count == 2


def test_default_cache_dir_is_the_user_cache_dir(monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert ResponseCache().folder == tmp_path / "nextseason" / "http"


# --- requests and settings ------------------------------------------------------------

def test_user_agent_names_the_project() -> None:
    clock, replay = FakeClock(), Replay()
    with jikan(replay, clock, contact="https://example.org/me") as client:
        client.anime(6)
    agent = replay.seen[0].headers["user-agent"]
    assert agent.startswith("nextseason/") and "+https://example.org/me" in agent


def test_config_from_env_and_overrides() -> None:
    env = {"NEXTSEASON_JIKAN_URL": "http://127.0.0.1:9/v4/",
           "NEXTSEASON_ANILIST_URL": "http://127.0.0.1:9"}
    config = LiveConfig.from_env(env)
    assert config.jikan_url == "http://127.0.0.1:9/v4"    # trailing slash dropped
    assert config.anilist_url == "http://127.0.0.1:9"
    assert LiveConfig.from_env({}).jikan_url == "https://api.jikan.moe/v4"
    assert LiveConfig.from_env({}).anilist_url == "https://graphql.anilist.co"
    assert LiveConfig.from_env(env, jikan_url="https://jikan.example/v4",
                               anilist_url=None).jikan_url == "https://jikan.example/v4"
    with pytest.raises(ConfigError, match="--jikan-url 'ftp://x'"):
        LiveConfig.from_env(env, jikan_url="ftp://x")
    with pytest.raises(ConfigError, match="--anilist-url"):
        LiveConfig(anilist_url="graphql.anilist.co")


def test_clients_of_one_api_share_its_limiter() -> None:
    """A refresh asks in several calls (the entries, then the sequels they list): the new
    client's first request still counts the last one's."""
    clock, replay = FakeClock(), Replay()
    with jikan(replay, clock) as first:
        for mal_id in (6, 69, 100):
            first.anime(mal_id)
    assert clock.slept == 0
    with jikan(replay, clock) as second:
        second.anime(439)
    assert replay.count == 4
    assert clock.slept == pytest.approx(1.0)
    other = FakeClock()  # another clock (another test, another process): its own window
    with jikan(replay, other) as third:
        third.anime(6)
    assert other.slept == 0
