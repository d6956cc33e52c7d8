"""Helpers for the live-client tests: the recordings, a fake clock, a replaying transport.

Nothing here waits or touches the network: the clock's ``sleep`` only moves its own time
forward, and the transport answers from ``../shared/data/recorded`` in process.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from nextseason.live.replay import Recording, Recordings

RECORDED = Path(os.environ.get(
    "NEXTSEASON_RECORDED",
    Path(__file__).resolve().parents[1].parent / "shared" / "data" / "recorded"))

needs_recordings = pytest.mark.skipif(not (RECORDED / "index.json").is_file(),
                                      reason=f"recorded responses not found at {RECORDED}")

JIKAN = "https://api.jikan.moe/v4"
ANILIST = "https://graphql.anilist.co"

_RECORDINGS: Recordings | None = None


def recordings() -> Recordings:
    global _RECORDINGS
    if _RECORDINGS is None:
        _RECORDINGS = Recordings(RECORDED)
    return _RECORDINGS


class FakeClock:
    """Time that moves only when someone sleeps (or the test says so)."""

    def __init__(self, start: datetime = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)) -> None:
        self.start = start
        self.t = 0.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.t += max(0.0, seconds)

    def now(self) -> datetime:
        return self.start + timedelta(seconds=self.t)

    def advance(self, seconds: float) -> None:
        self.t += seconds

    @property
    def slept(self) -> float:
        return sum(self.sleeps)


def response_of(rec: Recording, *, body: bytes | None = None) -> httpx.Response:
    """An httpx response replaying a recording (headers minus the stored encodings)."""
    headers = rec.reply_headers()
    headers.setdefault("Content-Type", "application/json")
    return httpx.Response(rec.status, headers=headers,
                          content=rec.body_bytes() if body is None else body)


Handler = Callable[[httpx.Request], httpx.Response | None]


class Replay:
    """An ``httpx.MockTransport`` answering from the recordings; ``script`` may answer a
    request first (return None to fall through). ``seen`` lists the requests sent."""

    def __init__(self, script: Handler | None = None) -> None:
        self.script = script
        self.seen: list[httpx.Request] = []
        self.transport = httpx.MockTransport(self._handle)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        if self.script is not None:
            answer = self.script(request)
            if answer is not None:
                return answer
        status, headers, body = recordings().answer(
            request.method, request.url.path, request.url.query.decode(), request.content)
        return httpx.Response(status, headers=headers, content=body)

    @property
    def count(self) -> int:
        return len(self.seen)


def variables_of(request: httpx.Request) -> dict[str, Any]:
    payload = json.loads(request.content or b"{}")
    return payload.get("variables") or {}
