"""The API's routes as a small HTML page: each route, what it returns, and an example
address built from the store (a show that has a forecast, its season)."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import FastAPI
from fastapi.routing import APIRoute

from ..store.conn import Conn
from ..store.forecasts import example_forecast

__all__ = ["ApiRoute", "api_examples", "EXTRA_ROUTES"]


@dataclass(frozen=True)
class ApiRoute:
    method: str
    path: str
    summary: str
    example: str  # a working address on this server


#: routes outside the JSON API that writers and scripts use
EXTRA_ROUTES = (
    ("/anime/{mal_id}/chart.svg", "The forecast chart alone, as SVG (640 px wide)."),
    ("/anime/{mal_id}/chart.png", "The same chart as PNG."),
    ("/anime/{mal_id}/timeline.svg", "The franchise timeline alone, as SVG."),
    ("/anime/{mal_id}/timeline.png", "The same timeline as PNG."),
    ("/openapi.json", "The API's machine-readable description (OpenAPI 3)."),
)


#: the show the examples use when the build has a forecast for it (Higehiro)
EXAMPLE_MAL_ID = 40938


def _example_values(conn: Conn) -> dict[str, str]:
    row = example_forecast(conn, prefer=EXAMPLE_MAL_ID)
    if row is None:
        return {"mal_id": "1", "year": "2021", "season": "spring", "q": "higehiro"}
    season = ("winter", "spring", "summer", "fall")[(int(row[1][5:7]) - 1) // 3]
    return {"mal_id": str(row[0]), "year": row[1][:4], "season": season,
            "q": str(row[2]).split()[0].lower()}


def api_examples(app: FastAPI, conn: Conn) -> list[ApiRoute]:
    """Every documented JSON route of ``app`` and the extra routes, with examples."""
    values = _example_values(conn)
    out = []
    for route in app.routes:
        if not isinstance(route, APIRoute) or not route.include_in_schema:
            continue
        example = route.path.format(**values)
        if route.path == "/api/search":
            example += f"?q={values['q']}"
        out.append(ApiRoute(sorted(route.methods or {"GET"})[0], route.path, route.summary or "",
                            example))
    out += [ApiRoute("GET", path, summary, path.format(**values))
            for path, summary in EXTRA_ROUTES]
    return out
