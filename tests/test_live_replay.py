"""The loopback replay server answers recorded Jikan and AniList requests over real HTTP."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from nextseason.live.replay import Recordings, serve

RECORDED = Path(os.environ.get(
    "NEXTSEASON_RECORDED",
    Path(__file__).resolve().parents[1].parent / "shared" / "data" / "recorded"))

pytestmark = pytest.mark.skipif(not (RECORDED / "index.json").is_file(),
                                reason=f"recorded responses not found at {RECORDED}")


@pytest.fixture(scope="module")
def recordings() -> Recordings:
    return Recordings(RECORDED)


def test_every_indexed_file_loads(recordings: Recordings) -> None:
    index = json.loads((RECORDED / "index.json").read_text())
    assert len(recordings.all) == len(index)
    assert {r.file for r in recordings} == {e["file"] for e in index}


def test_jikan_paths_statuses_and_headers(recordings: Recordings) -> None:
    with serve(recordings) as server, httpx.Client(base_url=server.url + "/v4") as client:
        full = client.get("/anime/6/full")
        assert full.status_code == 200
        assert full.json()["data"]["mal_id"] == 6
        # the recorded 404 and 500, with their recorded bodies
        missing = client.get("/anime/-1")
        assert missing.status_code == 404 and missing.json()["type"] == "HttpException"
        broken = client.get("/reviews/anime")
        assert broken.status_code == 500 and broken.json()["type"] == "Exception"
        # query order does not matter; page=1 is the default page
        top = client.get("/top/anime", params={"type": "tv", "page": "1"})
        assert top.status_code == 200 and len(top.json()["data"]) == 25
        # recorded headers come back, minus the encodings of the stored (decoded) body
        recorded = client.get("/anime/457")
        assert recorded.headers["x-cache-status"] in {"HIT", "MISS", "STALE"}
        assert "content-encoding" not in recorded.headers
        # what nothing recorded answers gets Jikan's own 404 shape
        unknown = client.get("/anime/999999999/full")
        assert unknown.status_code == 404
        assert unknown.json() == {"status": 404, "type": "HttpException",
                                  "message": "Not Found", "error": None}
    assert ("GET", "/v4/anime/-1") in server.requests_seen


def test_anilist_matched_by_variables(recordings: Recordings) -> None:
    with serve(recordings) as server, httpx.Client(base_url=server.url) as client:
        def ask(variables: dict) -> httpx.Response:
            return client.post("/", json={"query": "query ($id: Int) { Media { id } }",
                                          "variables": variables})

        by_id = ask({"id": 99426})
        assert by_id.status_code == 200
        assert by_id.json()["data"]["Media"]["idMal"] == 35839
        # the site query sent ids as strings; numbers match them
        assert ask({"id": 235, "type": "ANIME"}).json()["data"]["Media"]["id"] == 235
        # a request by MAL id is answered by the recorded Media carrying that idMal
        assert ask({"idMal": 35839}).json()["data"]["Media"]["id"] == 99426
        not_found = ask({"id": 0})
        assert not_found.status_code == 404
        assert not_found.json()["errors"][0]["message"] == "Not Found."
        assert ask({"id": 123456789}).status_code == 404


def test_success_preferred_over_error_for_same_request(recordings: Recordings) -> None:
    # media_170942 (200) and error_429_too_many_requests (429) asked the same thing
    assert recordings.anilist({"id": 170942}).file == "anilist/media_170942.json"
    limited = recordings["anilist/error_429_too_many_requests.json"]
    assert limited.status == 429 and limited.reply_headers()["Retry-After"] == "60"


def test_command_line_server_prints_its_address() -> None:
    proc = subprocess.Popen([sys.executable, "-m", "nextseason.live.replay", str(RECORDED),
                             "--port", "0"], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert "replaying" in line and "http://127.0.0.1:" in line
        url = line.rsplit(" at ", 1)[1].strip()
        answer = httpx.get(url + "/v4/anime/69/full", timeout=10)
        assert answer.status_code == 200 and answer.json()["data"]["mal_id"] == 69
    finally:
        proc.terminate()
        proc.wait(timeout=10)
