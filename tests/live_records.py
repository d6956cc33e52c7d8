"""RemoteAnime records made from the recorded Jikan v4 bodies in ../shared/data/recorded, for
refresh tests that do not go through the HTTP clients (a fake fetch)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from nextseason.live.records import RemoteAnime, RemoteRelation

RECORDED = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "recorded"
_STATUS = {"Finished Airing": "finished", "Currently Airing": "airing",
           "Not yet aired": "not_yet_aired"}


def _date(prop: dict[str, Any]) -> tuple[str | None, str | None]:
    y, m, d = prop.get("year"), prop.get("month"), prop.get("day")
    if y and m and d:
        return f"{y:04d}-{m:02d}-{d:02d}", "day"
    if y and m:
        return f"{y:04d}-{m:02d}", "month"
    if y:
        return f"{y:04d}", "year"
    return None, None


def jikan_record(data: dict[str, Any], *, url: str, fetched_at: str) -> RemoteAnime:
    """A Jikan v4 ``/anime/{id}/full`` ``data`` object as a RemoteAnime (the fields the
    refresh stores)."""
    start, sp = _date(data["aired"]["prop"]["from"])
    end, ep = _date(data["aired"]["prop"]["to"])
    titles = tuple((t["type"].lower(), t["title"]) for t in data.get("titles", [])
                   if t["type"] in ("English", "Japanese", "Synonym"))
    relations = tuple(
        RemoteRelation(rel["relation"], e["type"], e["mal_id"], target_title=e["name"])
        for rel in data.get("relations", []) for e in rel["entry"])
    figures = {k: float(data[k]) for k in ("members", "score", "scored_by", "rank",
                                           "popularity", "favorites") if data.get(k) is not None}
    return RemoteAnime(
        source="jikan", url=url, fetched_at=fetched_at, mal_id=data["mal_id"], anilist_id=None,
        title=data["title"], titles=titles, type=data.get("type"),
        episodes=data.get("episodes"), status=_STATUS.get(data.get("status") or ""),
        start_date=start, start_precision=sp, end_date=end, end_precision=ep,
        season=data.get("season"), season_year=data.get("year"),
        source_type=data.get("source"), rating=data.get("rating"), figures=figures,
        studios=tuple(s["name"] for s in data.get("studios", [])),
        genres=tuple(g["name"] for g in data.get("genres", [])), relations=relations)


def recorded(name: str, fetched_at: str = "2026-11-30T10:00:00+00:00") -> RemoteAnime:
    """The record of one recorded Jikan body (``anime_6_full.json`` → Trigun)."""
    body = json.loads((RECORDED / "jikan_v4" / name).read_text(encoding="utf-8"))
    return jikan_record(body["body"]["data"], url=body["request"]["url"], fetched_at=fetched_at)
