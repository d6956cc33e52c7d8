"""Replay recorded Jikan and AniList responses, in process or over real HTTP on loopback.

A folder of recordings (``../shared/data/recorded``: ``index.json`` plus one JSON file per
response holding ``request``, ``status``, ``headers``, ``body``, ``provenance``) answers
requests the way the APIs answered them:

* **Jikan**: ``GET /v4/<path>?<query>`` is matched on the path under ``/v4`` and the query
  parameters (order ignored; ``page=1`` is the default page and matches no ``page``).
* **AniList**: ``POST /`` (or ``/graphql``) with ``{"query", "variables"}`` is matched on the
  variables (digit strings count as numbers; ``type``/``isAdult`` filters and null values are
  ignored), never on the query text, since every client writes its own query. A request
  by ``idMal`` alone, which no recording made, is answered by the recorded ``Media`` whose
  body carries that ``idMal`` (the most complete one): the same entry, asked another way.

When several recordings answer the same request, a successful one is preferred, then the
most trusted (a recorded HTTP exchange before a pasted body), then the file name. Recorded
headers are sent back except ``Content-Encoding``, ``Transfer-Encoding``, ``Content-Length``
and ``Connection`` (the stored bodies are already decoded). A request nothing matches gets
a Jikan-style ``{"status":404,"type":"HttpException","message":"Not Found"}`` (or AniList's
``{"errors":[{"message":"Not Found.","status":404}]}`` on the GraphQL endpoint).

Run it by hand::

    python -m nextseason.live.replay ../shared/data/recorded --port 8765
    nextseason refresh --source jikan --id 6 --jikan-url http://127.0.0.1:8765/v4
"""

from __future__ import annotations

import argparse
import json
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

__all__ = ["Recording", "Recordings", "ReplayServer", "serve", "main"]

JIKAN_PREFIX = "/v4"
DROPPED_HEADERS = {"content-encoding", "transfer-encoding", "content-length", "connection"}
IGNORED_VARIABLES = {"type", "isAdult"}
TRUST_ORDER = ("recorded-http-exchange", "raw-body-download", "real-body-copied-by-author",
               "real-body-trimmed-by-author", "quoted-in-issue", "documentation-example")
JIKAN_NOT_FOUND = {"status": 404, "type": "HttpException", "message": "Not Found",
                   "error": None}
ANILIST_NOT_FOUND = {"errors": [{"message": "Not Found.", "status": 404}], "data": None}


@dataclass(frozen=True)
class Recording:
    """One recorded response and the request that got it."""

    file: str                     # relative to the folder: "jikan_v4/anime_6_full.json"
    method: str
    url: str
    request_body: Any
    status: int
    headers: dict[str, str]
    body: Any
    trust: str

    @property
    def api(self) -> str:
        return "anilist" if self.file.startswith("anilist/") else "jikan"

    @property
    def variables(self) -> dict[str, Any]:
        body = self.request_body if isinstance(self.request_body, dict) else {}
        variables = body.get("variables")
        return variables if isinstance(variables, dict) else {}

    def body_bytes(self) -> bytes:
        return json.dumps(self.body, ensure_ascii=False).encode("utf-8")

    def reply_headers(self) -> dict[str, str]:
        """The recorded headers a replay sends back (the body is stored decoded)."""
        return {k: v for k, v in self.headers.items() if k.lower() not in DROPPED_HEADERS}

    def _rank(self) -> tuple[int, int, str]:
        trust = TRUST_ORDER.index(self.trust) if self.trust in TRUST_ORDER else len(TRUST_ORDER)
        return (0 if 200 <= self.status < 300 else 1, trust, self.file)


def jikan_key(path: str, query: Mapping[str, str] | list[tuple[str, str]]) -> tuple[str, tuple]:
    """The matching key of a Jikan request: its path under ``/v4`` and sorted query."""
    if path.startswith(JIKAN_PREFIX + "/") or path == JIKAN_PREFIX:
        path = path[len(JIKAN_PREFIX):]
    pairs = query.items() if isinstance(query, Mapping) else query
    params = tuple(sorted((k, str(v)) for k, v in pairs if not (k == "page" and str(v) == "1")))
    return (path.rstrip("/") or "/", params)


def _norm_value(value: Any) -> Any:
    if isinstance(value, str) and value.isdigit():
        return int(value)
    if isinstance(value, list):
        return tuple(_norm_value(v) for v in value)
    return value


def anilist_key(variables: Mapping[str, Any] | None) -> tuple:
    """The matching key of an AniList request: its variables, normalised."""
    return tuple(sorted((k, _norm_value(v)) for k, v in (variables or {}).items()
                        if v is not None and k not in IGNORED_VARIABLES))


class Recordings:
    """The recordings of a folder, indexed by the request each answers."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        index = json.loads((self.folder / "index.json").read_text(encoding="utf-8"))
        self.all: list[Recording] = []
        for entry in index:
            raw = json.loads((self.folder / entry["file"]).read_text(encoding="utf-8"))
            request = raw.get("request") or {}
            self.all.append(Recording(
                file=entry["file"], method=str(request.get("method", "GET")).upper(),
                url=str(request.get("url", "")), request_body=request.get("body"),
                status=int(raw.get("status", 200)), headers=dict(raw.get("headers") or {}),
                body=raw.get("body"),
                trust=str((raw.get("provenance") or {}).get("trust", entry.get("trust", "")))))
        self._by_file = {r.file: r for r in self.all}
        self._jikan: dict[tuple, Recording] = {}
        self._anilist: dict[tuple, Recording] = {}
        self._by_idmal: dict[int, Recording] = {}
        for rec in sorted(self.all, key=Recording._rank):
            if rec.api == "jikan":
                parts = urlsplit(rec.url)
                if "..." in parts.path:
                    continue  # the docs' error template names no real route
                key = jikan_key(parts.path, parse_qsl(parts.query))
                self._jikan.setdefault(key, rec)
            else:
                if rec.variables:
                    self._anilist.setdefault(anilist_key(rec.variables), rec)
                media = _media(rec.body)
                if rec.status == 200 and isinstance(media, dict) \
                        and isinstance(media.get("idMal"), int):
                    best = self._by_idmal.get(media["idMal"])
                    if best is None or len(media) > len(_media(best.body) or {}):
                        self._by_idmal[media["idMal"]] = rec

    def __getitem__(self, file: str) -> Recording:
        return self._by_file[file]

    def __iter__(self) -> Iterator[Recording]:
        return iter(self.all)

    def jikan(self, path: str, query: Mapping[str, str] | list[tuple[str, str]] | None = None
              ) -> Recording | None:
        """The recording answering ``GET <path>?<query>`` (path with or without ``/v4``)."""
        pairs = list(query.items()) if isinstance(query, Mapping) else list(query or ())
        return self._jikan.get(jikan_key(path, pairs))

    def anilist(self, variables: Mapping[str, Any] | None) -> Recording | None:
        """The recording answering a GraphQL request with these variables."""
        key = anilist_key(variables)
        found = self._anilist.get(key)
        if found is None and len(key) == 1 and key[0][0] == "idMal" \
                and isinstance(key[0][1], int):
            found = self._by_idmal.get(key[0][1])
        return found

    def answer(self, method: str, path: str, query: str, body: bytes
               ) -> tuple[int, dict[str, str], bytes]:
        """Status, headers and body for one HTTP request."""
        if method == "POST" and path.rstrip("/") in ("", "/graphql"):
            try:
                payload = json.loads(body or b"{}")
            except ValueError:
                payload = {}
            variables = payload.get("variables") if isinstance(payload, dict) else None
            rec = self.anilist(variables if isinstance(variables, dict) else None)
            if rec is None:
                return 404, {"Content-Type": "application/json"}, \
                    json.dumps(ANILIST_NOT_FOUND).encode()
        else:
            rec = self.jikan(path, parse_qsl(query)) if method == "GET" else None
            if rec is None:
                return 404, {"Content-Type": "application/json"}, \
                    json.dumps(JIKAN_NOT_FOUND).encode()
        headers = rec.reply_headers()
        headers.setdefault("Content-Type", "application/json")
        return rec.status, headers, rec.body_bytes()


def _media(body: Any) -> Any:
    data = body.get("data") if isinstance(body, dict) else None
    return data.get("Media") if isinstance(data, dict) else None


class ReplayServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, recordings: Recordings, host: str = "127.0.0.1", port: int = 0) -> None:
        self.recordings = recordings
        self.requests_seen: list[tuple[str, str]] = []
        super().__init__((host, port), _Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        name = host.decode() if isinstance(host, bytes) else str(host)
        return f"http://{name}:{port}"


class _Handler(BaseHTTPRequestHandler):
    server: ReplayServer
    protocol_version = "HTTP/1.1"

    def _reply(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.server.requests_seen.append((self.command, self.path))
        status, headers, payload = self.server.recordings.answer(
            self.command, parts.path, parts.query, body)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = _reply
    do_POST = _reply

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass


@contextmanager
def serve(folder: str | Path | Recordings, *, host: str = "127.0.0.1", port: int = 0
          ) -> Iterator[ReplayServer]:
    """Serve the recordings on ``host:port`` (0: any free port) in a background thread;
    ``server.url`` is its address (Jikan at ``server.url + "/v4"``, AniList at ``server.url``).
    """
    recordings = folder if isinstance(folder, Recordings) else Recordings(folder)
    server = ReplayServer(recordings, host, port)
    thread = threading.Thread(target=server.serve_forever, name="nextseason-replay",
                              daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m nextseason.live.replay",
        description="Serve recorded Jikan and AniList responses over HTTP on loopback.")
    parser.add_argument("folder", type=Path, help="the recordings (with index.json)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    args = parser.parse_args(argv)
    if not (args.folder / "index.json").is_file():
        parser.error(f"{args.folder}: no index.json (not a folder of recordings)")
    recordings = Recordings(args.folder)
    server = ReplayServer(recordings, args.host, args.port)
    print(f"replaying {len(recordings.all)} recordings from {args.folder} at {server.url}\n"
          f"  Jikan:   --jikan-url {server.url}/v4\n"
          f"  AniList: --anilist-url {server.url}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
