"""The HTTP core both live clients share: rate limits, retries, timeouts, cache, errors.

* **Rate limits**: one :class:`RateLimiter` per API in the process (:func:`shared_limiter`:
  every client of it, in every call, waits on the same window) allows at most *n* requests
  in any window of *p* seconds, for each ``(n, p)`` it is given (Jikan: 3 per second and 60
  per minute; AniList: 30 per minute). It is a sliding window rather than a refilling
  bucket because the servers count that way: a refilling bucket of 3 tokens would let a
  fourth request through a third of a second later, inside the same second. A 429 pauses
  the limiter for the wait the server asked for, so later requests wait too.
* **Retries**: on 429, on 5xx and on transport errors (timeouts, refused or dropped
  connections), up to ``max_retries`` times, waiting ``Retry-After`` when the server says
  (seconds or an HTTP date), else an exponential backoff (``backoff·2ⁿ``) with jitter (×0.5–1).
  A wait longer than ``max_wait`` is not sat through: the error is raised at once.
* **Errors** are the :class:`~nextseason.errors.ApiError` family, each naming the URL:
  404 → :class:`ApiNotFoundError`; 429 past the limit → :class:`RateLimitedError`; 5xx or
  no connection past the limit → :class:`ApiUnavailableError`; another 4xx, an error body
  in a 200, HTML, truncated or non-JSON bodies → :class:`ApiResponseError`.
* **Cache**: good answers, and 404s (an id the API does not know, so a rerun does not
  ask again), are kept (see :mod:`nextseason.live.cache`) and reused while younger than
  the API's time-to-live; ``use_cache=False`` neither reads nor writes.
* **Time** comes from an injectable :class:`Clock` (``monotonic``, ``sleep``, ``now``), so
  tests never wait and never depend on the wall clock.
"""

from __future__ import annotations

import json
import random
import time
import weakref
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from typing import Any, Protocol

import httpx

from ..errors import (
    ApiError,
    ApiNotFoundError,
    ApiResponseError,
    ApiUnavailableError,
    RateLimitedError,
)
from .cache import CachedAnswer, ResponseCache, cache_key
from .config import LiveConfig

__all__ = ["Clock", "SystemClock", "SYSTEM_CLOCK", "RateLimiter", "shared_limiter",
           "ApiResponse", "HttpCore", "parse_retry_after", "decode_json"]

BodyCheck = Callable[[Any, str, int], None]


class Clock(Protocol):
    def monotonic(self) -> float: ...
    def sleep(self, seconds: float) -> None: ...
    def now(self) -> datetime: ...


class SystemClock:
    """The real clock: ``time.monotonic``, ``time.sleep``, the current UTC time."""

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)

    def now(self) -> datetime:
        return datetime.now(UTC)


class RateLimiter:
    """At most ``n`` requests in any ``period`` seconds, for every ``(n, period)`` given."""

    def __init__(self, limits: Sequence[tuple[int, float]], clock: Clock) -> None:
        if any(n < 1 or period <= 0 for n, period in limits):
            raise ValueError(f"bad rate limits {limits!r}")
        self.limits = tuple(limits)
        self.clock = clock
        depth = max((n for n, _ in self.limits), default=0)
        self._sent: deque[float] = deque(maxlen=depth or None)
        self._paused_until = 0.0
        self.waited = 0.0                 # total seconds this limiter made callers wait

    def _delay(self, now: float) -> float:
        delay = max(0.0, self._paused_until - now)
        for n, period in self.limits:
            if len(self._sent) >= n:
                # the n-th most recent request must be at least `period` ago
                delay = max(delay, self._sent[-n] + period - now)
        return delay

    def acquire(self) -> float:
        """Wait until one more request is allowed, count it, return the seconds waited."""
        waited = 0.0
        while True:
            now = self.clock.monotonic()
            delay = self._delay(now)
            if delay <= 1e-9:
                break
            self.clock.sleep(delay)
            waited += delay
        self._sent.append(self.clock.monotonic())
        self.waited += waited
        return waited

    def pause(self, seconds: float) -> None:
        """No request for ``seconds`` from now (the server said to wait)."""
        self._paused_until = max(self._paused_until, self.clock.monotonic() + seconds)


#: the process's clock: one instance, so that every client of an API shares its limiter
SYSTEM_CLOCK = SystemClock()
_LIMITERS: weakref.WeakKeyDictionary[Any, dict[tuple[Any, ...], RateLimiter]] = (
    weakref.WeakKeyDictionary())


def shared_limiter(api: str, base_url: str, limits: Sequence[tuple[int, float]],
                   clock: Clock) -> RateLimiter:
    """The one limiter of the API at ``base_url`` on ``clock``: every client of it in this
    process counts against the same window (a refresh asks in several calls — the entries,
    the season, the sequels they list — and a new limiter per call could start a burst
    right after the last one's)."""
    per_clock = _LIMITERS.setdefault(clock, {})
    key = (api, base_url.rstrip("/"), tuple(limits))
    if key not in per_clock:
        per_clock[key] = RateLimiter(limits, clock)
    return per_clock[key]


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """``Retry-After`` as seconds from ``now``: delta-seconds or an HTTP date; None if absent
    or unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


class _Title(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self._in = False
        self.title = ""

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self._in = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self._in = False

    def handle_data(self, data: str) -> None:
        if self._in:
            self.title += data


def _looks_html(text: str, content_type: str) -> bool:
    head = text.lstrip()[:200].lower()
    return "html" in content_type.lower() or head.startswith(("<!doctype", "<html", "<"))


def decode_json(text: str, *, url: str, status: int, content_type: str = "") -> Any:
    """The JSON of a body, or an :class:`ApiResponseError` saying what came instead."""
    if _looks_html(text, content_type):
        parser = _Title()
        try:
            parser.feed(text[:20000])
        except Exception:  # noqa: BLE001 - a broken page is still a page
            pass
        title = " ".join(parser.title.split())[:120]
        raise ApiResponseError(
            "an HTML page came instead of JSON" + (f" ({title!r})" if title else "")
            + "; a proxy, captive portal or maintenance page may be in the way",
            url=url, status=status)
    if not text.strip():
        raise ApiResponseError("the body is empty, not JSON", url=url, status=status)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        cut = exc.pos >= len(text.rstrip()) or _unclosed(text)
        what = "truncated JSON (the body ends early" if cut else "malformed JSON ("
        raise ApiResponseError(
            f"{what}{', ' if cut else ''}line {exc.lineno} column {exc.colno}, "
            f"{len(text)} characters received: {exc.msg})", url=url, status=status) from None


def _unclosed(text: str) -> bool:
    """Whether the text ends inside a string or with brackets left open (cut short)."""
    depth, in_string, escaped = 0, False, False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
    return in_string or depth > 0


@dataclass(frozen=True)
class ApiResponse:
    """One good answer: its URL, status, decoded JSON, when it was fetched, and whether it
    came from the cache."""

    url: str
    status: int
    data: Any
    fetched_at: datetime
    from_cache: bool = False


class HttpCore:
    """Requests to one API through its limiter, retries and cache.

    ``describe_error(body)`` turns an error body of this API into a sentence (or None);
    ``check_body(data, url, status)`` raises for an error carried in a good status (AniList's
    ``errors`` in an HTTP 200).
    """

    def __init__(self, name: str, base_url: str, *, config: LiveConfig, ttl: float,
                 limits: Sequence[tuple[int, float]], clock: Clock | None = None,
                 cache: ResponseCache | None = None,
                 transport: httpx.BaseTransport | None = None,
                 rng: random.Random | None = None,
                 describe_error: Callable[[Any], str | None] | None = None,
                 check_body: BodyCheck | None = None) -> None:
        self.name = name
        self.base_url = base_url.rstrip("/")
        self.config = config
        self.ttl = ttl
        self.clock: Clock = clock or SYSTEM_CLOCK
        self.limiter = shared_limiter(name, self.base_url, limits, self.clock)
        self.cache = cache if config.use_cache else None
        if self.cache is None and config.use_cache:
            self.cache = ResponseCache(config.cache_dir)
        self.rng = rng or random.Random()
        self.describe_error = describe_error or (lambda body: None)
        self.check_body = check_body
        self.requests = 0               # HTTP requests actually sent
        self.cache_hits = 0
        self.client = httpx.Client(
            transport=transport,
            timeout=httpx.Timeout(config.timeout, connect=min(10.0, config.timeout)),
            headers={"User-Agent": config.user_agent, "Accept": "application/json"},
            follow_redirects=True)

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> HttpCore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def url(self, path: str, params: Mapping[str, Any] | None = None) -> str:
        """The full URL of ``path`` under the base URL, with its query."""
        full = f"{self.base_url}/{path.lstrip('/')}" if path else self.base_url
        return str(httpx.URL(full, params={k: v for k, v in (params or {}).items()
                                           if v is not None}))

    def get(self, path: str, params: Mapping[str, Any] | None = None) -> ApiResponse:
        return self.request("GET", self.url(path, params))

    def post_json(self, payload: Any, *, label: str | None = None) -> ApiResponse:
        return self.request("POST", self.base_url, payload=payload, label=label)

    # --- the request loop -------------------------------------------------------------

    def request(self, method: str, url: str, *, payload: Any = None,
                label: str | None = None) -> ApiResponse:
        """Send one request (or answer it from the cache); ``label`` is what the error
        messages call it besides the URL (e.g. GraphQL variables)."""
        where = f"{url} {label}" if label else url
        key = cache_key(method, url, payload)
        if self.cache is not None:
            hit = self.cache.get(key, ttl=self.ttl, now=self.clock.now())
            if hit is not None:
                self.cache_hits += 1
                if hit.status == 404:
                    message = self._error_message(hit.body, "") or "not found"
                    raise ApiNotFoundError(f"{self.name} says: {message} (answer of "
                                           f"{hit.fetched_at.isoformat()}, cached)",
                                           url=where, status=404)
                return ApiResponse(url=url, status=hit.status, fetched_at=hit.fetched_at,
                                   data=json.loads(hit.body), from_cache=True)
        last: ApiError | None = None
        for attempt in range(self.config.max_retries + 1):
            if attempt:
                assert last is not None
                wait = self._wait_for(last, attempt)
                if wait is None:
                    break
                self.limiter.pause(wait)
            self.limiter.acquire()
            try:
                self.requests += 1
                response = self.client.request(method, url, json=payload)
                text = response.text
            except httpx.TimeoutException as exc:
                last = ApiUnavailableError(f"no answer within {self.config.timeout:g} s "
                                           f"({type(exc).__name__})", url=where)
                continue
            except httpx.TransportError as exc:
                last = ApiUnavailableError(f"cannot connect: {exc or type(exc).__name__}",
                                           url=where)
                continue
            fetched_at = self.clock.now()
            try:
                data = self._judge(response.status_code, text,
                                   response.headers.get("content-type", ""),
                                   response.headers.get("retry-after"), where)
            except (RateLimitedError, ApiUnavailableError) as exc:
                last = exc
                continue
            except ApiNotFoundError:
                if self.cache is not None and response.status_code == 404:
                    self.cache.put(key, CachedAnswer(url=url, status=404, body=text,
                                                     fetched_at=fetched_at),
                                   method=method, payload=payload)
                raise
            if self.cache is not None:
                self.cache.put(key, CachedAnswer(url=url, status=response.status_code,
                                                 body=text, fetched_at=fetched_at),
                               method=method, payload=payload)
            return ApiResponse(url=url, status=response.status_code, data=data,
                               fetched_at=fetched_at)
        assert last is not None
        tries = self.config.max_retries + 1
        if isinstance(last, RateLimitedError):
            asked = (f"; it last asked to wait {last.retry_after:g} s"
                     if last.retry_after is not None else "")
            raise RateLimitedError(f"{self.name} still refuses with 429 Too Many Requests "
                                   f"after {tries} attempts{asked}; try again later",
                                   url=where, retry_after=last.retry_after)
        raise ApiUnavailableError(f"{last.detail} (gave up after {tries} attempts)",
                                  url=where, status=last.status)

    def _wait_for(self, error: ApiError, attempt: int) -> float | None:
        """Seconds to wait before retry ``attempt`` (1-based), or None to give up now."""
        backoff = self.config.backoff * 2 ** (attempt - 1) * self.rng.uniform(0.5, 1.0)
        if isinstance(error, RateLimitedError) and error.retry_after is not None:
            if error.retry_after > self.config.max_wait:
                return None
            return error.retry_after
        return min(backoff, self.config.max_wait)

    def _judge(self, status: int, text: str, content_type: str, retry_after: str | None,
               where: str) -> Any:
        """The JSON of a good answer, or the error this answer is."""
        if status == 429 or 500 <= status < 600:
            message = self._error_message(text, content_type) or f"HTTP {status}"
            if status == 429:
                raise RateLimitedError(message, url=where,
                                       retry_after=parse_retry_after(retry_after,
                                                                     self.clock.now()))
            raise ApiUnavailableError(f"server error: {message}", url=where, status=status)
        if status >= 400 or status < 200:
            message = self._error_message(text, content_type) or "no explanation given"
            error = ApiNotFoundError if status == 404 else ApiResponseError
            raise error(f"{self.name} says: {message}", url=where, status=status)
        data = decode_json(text, url=where, status=status, content_type=content_type)
        if self.check_body is not None:
            self.check_body(data, where, status)
        return data

    def _error_message(self, text: str, content_type: str) -> str | None:
        try:
            body = decode_json(text, url="", status=0, content_type=content_type)
        except ApiResponseError as exc:
            return exc.detail
        return self.describe_error(body)
