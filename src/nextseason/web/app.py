"""The web app: pages and a JSON API over one read-only store.

Each route opens nothing itself: it asks :class:`~.store.WebStore` for a connection, calls
one library function, and renders the result; errors become HTTP statuses in one place
(:func:`_error_response`). Usage::

    from nextseason.web import create_app
    app = create_app("nextseason.db", model_card=Path("reports/model-card.md"))
    # uvicorn.run(app, host="127.0.0.1", port=8000)
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..catalogue.resolve import resolve_anime
from ..errors import (
    BusyError,
    ConfigError,
    NextseasonError,
    NotFoundError,
    QueryError,
    StoreError,
)
from ..report.labels import nice_date, percent
from ..report.outlook import OutlookReport
from ..store.db import is_busy
from .api_page import api_examples
from .markdown import SAFE_ASSET, render_markdown
from .model_card import card_summary, find_model_card
from .schemas import ErrorOut, SearchOut, SeasonOut, TimelineOut
from .season import SEASONS, home_view, season_view
from .security import HEADERS, SecurityHeaders
from .store import WebStore

__all__ = ["create_app"]

log = logging.getLogger(__name__)
HERE = Path(__file__).parent
MAX_QUERY = 200
Sort = Literal["p_1y", "p_3y", "p_ever", "title"]
MalId = Annotated[int, PathParam(ge=1, le=10**9, description="A MAL anime id.")]
_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "No such anime or season."}}


#: Seconds a client is asked to wait when the database is busy (a build or an ingest).
RETRY_AFTER = 5


def _status(exc: Exception) -> tuple[int, str]:
    if isinstance(exc, BusyError) or is_busy(exc):
        log.warning("database busy: %s", exc)
        return 503, "the database is busy (being rebuilt or written); try again in a moment"
    if isinstance(exc, NotFoundError):
        return 404, str(exc)
    if isinstance(exc, (StoreError, ConfigError)):
        log.error("store error: %s", exc)
        return 500, "the database is unavailable"
    if isinstance(exc, NextseasonError):
        return 400, str(exc)
    if isinstance(exc, StarletteHTTPException):
        return exc.status_code, str(exc.detail)
    if isinstance(exc, RequestValidationError):
        where = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        return 422, f"invalid request ({where})"
    log.exception("unexpected error", exc_info=exc)
    return 500, "internal error"


def create_app(db_path: str | Path, *, model_card: Path | None = None,
               today: Callable[[], str] | None = None) -> FastAPI:
    """The app over the database at ``db_path`` (opened read-only); ``today`` fixes the
    date answers are made on (tests), else the real date."""
    store = WebStore(db_path, today=today)
    card = find_model_card(model_card)
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True)
    templates = Jinja2Templates(env=env)
    env.globals.update(pct=percent, nice_date=nice_date)

    def page_data_age() -> str:
        """The age of the data, for every page's footer (never fails a page)."""
        try:
            return store.data_age()
        except Exception:  # a busy or broken store: the page says what went wrong
            return ""

    env.globals["data_age"] = page_data_age

    app = FastAPI(
        title="nextseason",
        summary="Will there be another anime season? Forecasts, evidence and outlooks.",
        version="0.1.0",
        # /docs would load Swagger UI from a CDN, which the CSP (script-src 'self') blocks:
        # the API is documented by /openapi.json.
        docs_url=None, redoc_url=None,
    )
    app.state.store = store
    app.router.add_event_handler("shutdown", store.close)
    app.add_middleware(SecurityHeaders)

    @app.middleware("http")
    async def notice_a_changed_database(request: Request, call_next: Any) -> Response:
        """A build or an ingest changed the file: drop the cached pages and the index."""
        if store.changed():
            await run_in_threadpool(store.reload)
        response: Response = await call_next(request)
        return response
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    def page(request: Request, name: str, status_code: int = 200, **ctx: object) -> HTMLResponse:
        return templates.TemplateResponse(request, name, ctx, status_code=status_code)

    def _error_response(request: Request, exc: Exception,
                        headers: dict[str, str] | None = None) -> Response:
        """The one place where errors become HTTP statuses: JSON under /api/, else a page."""
        status, message = _status(exc)
        if status == 503:
            headers = {**(headers or {}), "Retry-After": str(RETRY_AFTER)}
        if request.url.path.startswith("/api/") or request.url.path == "/openapi.json":
            return JSONResponse({"error": message, "status": status}, status, headers=headers)
        response = page(request, "error.html", status, status=status, message=message)
        response.headers.update(headers or {})
        return response

    async def known_error(request: Request, exc: Exception) -> Response:
        return _error_response(request, exc)

    async def unexpected_error(request: Request, exc: Exception) -> Response:
        # This handler runs outside the middleware: it sets the security headers itself.
        return _error_response(request, exc, HEADERS)

    for exc_class in (NextseasonError, StarletteHTTPException, RequestValidationError):
        app.add_exception_handler(exc_class, known_error)
    app.add_exception_handler(Exception, unexpected_error)

    # ---- pages ---------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request) -> HTMLResponse:
        return page(request, "home.html", home=home_view(store.conn()))

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, q: str = "") -> Response:
        q = q.strip()
        if not q:
            return RedirectResponse("/", 303)
        try:
            mal_id = resolve_anime(store.conn(), q, index=store.index)
        except QueryError as exc:
            return page(request, "search.html", 400, q=q, hits=[], problem=str(exc))
        except NotFoundError as exc:
            hits = store.index.search(q, limit=10)
            return page(request, "search.html", 404, q=q, hits=hits, problem=str(exc))
        return RedirectResponse(f"/anime/{mal_id}", 303)

    @app.get("/anime/{mal_id}", response_class=HTMLResponse, include_in_schema=False)
    def outlook_page(request: Request, mal_id: MalId) -> HTMLResponse:
        from ..report.render_html import outlook_fragment

        report = store.outlook(mal_id)
        # outlook_fragment escapes every piece of text it puts in.
        return page(request, "outlook.html", report=report,
                    fragment=Markup(outlook_fragment(report, base_url=str(request.base_url))))

    @app.get("/anime/{mal_id}/timeline", response_class=HTMLResponse, include_in_schema=False)
    def timeline_page(request: Request, mal_id: MalId) -> HTMLResponse:
        from ..report.render_html import timeline_fragment

        report = store.outlook(mal_id)
        return page(request, "timeline.html", report=report,
                    fragment=Markup(timeline_fragment(report,
                                                      base_url=str(request.base_url))))

    @app.get("/anime/{mal_id}/calendar.ics", include_in_schema=False)
    def calendar_file(mal_id: MalId) -> Response:
        """The announced premiere of this show's next season, for a calendar app (an empty
        calendar when none is announced with a day or month)."""
        from ..report.feeds import calendar_ics, premieres

        conn = store.conn()
        if not store.exists(mal_id):
            raise NotFoundError(f"no anime with MAL id {mal_id}")
        body, _ = calendar_ics(premieres(conn, [mal_id], store.today()),
                               name=f"nextseason: MAL {mal_id}")
        return Response(body, media_type="text/calendar; charset=utf-8", headers={
            "Content-Disposition": f'inline; filename="nextseason-{mal_id}.ics"'})

    @app.get("/feed/changes.atom", include_in_schema=False)
    def changes_feed(request: Request, all: bool = False) -> Response:  # noqa: A002
        """What changed for the watched shows (``?all=1``: every series), as Atom."""
        from ..report.feeds import changes_atom
        from ..store.coverage import newest_data_date
        from ..track.changes import find_changes

        conn = store.conn()
        found = find_changes(conn, everything=all)
        url = str(request.url)
        body = changes_atom(found, title="nextseason: what changed", feed_id=url, link=url,
                            updated=newest_data_date(conn) or store.today())
        return Response(body, media_type="application/atom+xml; charset=utf-8")

    @app.get("/anime/{mal_id}/{name}.svg", include_in_schema=False)
    def chart_svg_file(mal_id: MalId, name: Literal["chart", "timeline"]) -> Response:
        """A chart alone, for writers to embed (640 px wide; text stays text)."""
        from ..report.render_html import chart_svg

        svg = chart_svg(store.outlook(mal_id), name, width=640, standalone=True)
        if not svg:
            raise NotFoundError(f"no {name} for MAL id {mal_id}: nothing to draw")
        return Response(svg, media_type="image/svg+xml")

    @app.get("/anime/{mal_id}/{name}.png", include_in_schema=False)
    async def chart_png_file(mal_id: MalId, name: Literal["chart", "timeline"]) -> Response:
        """The same chart as a PNG image."""
        from ..report.render_html import chart_png

        png = await run_in_threadpool(lambda: chart_png(store.outlook(mal_id), name))
        if png is None:
            raise NotFoundError(f"no {name} for MAL id {mal_id}: nothing to draw")
        return Response(png, media_type="image/png")

    @app.get("/season/{year}/{season}", response_class=HTMLResponse, include_in_schema=False)
    def season_page(request: Request, year: int, season: str,
                    sort: Sort = "p_1y") -> HTMLResponse:
        view = season_view(store.conn(), year, season, sort)
        return page(request, "season.html", view=view)

    @app.get("/model-card", response_class=HTMLResponse, include_in_schema=False)
    def model_card_page(request: Request) -> HTMLResponse:
        if not card.is_file():
            return page(request, "model_card.html", body=None, path=str(card))
        text = card.read_text(encoding="utf-8", errors="replace")
        return page(request, "model_card.html", body=Markup(render_markdown(text)),
                    path=str(card), summary=card_summary(text))

    @app.get("/api", response_class=HTMLResponse, include_in_schema=False)
    def api_page(request: Request) -> HTMLResponse:
        """Every route of the API with an example, as a page (no outside scripts)."""
        return page(request, "api.html", routes=api_examples(app, store.conn()),
                    base=str(request.base_url).rstrip("/"))

    @app.get("/reports/{name}", include_in_schema=False)
    def report_asset(name: str) -> FileResponse:
        target = (card.parent / name).resolve()
        if (not SAFE_ASSET.fullmatch(name) or target.parent != card.parent
                or not target.is_file()):
            raise StarletteHTTPException(404, f"no report file {name!r}")
        return FileResponse(target)

    # ---- JSON API ------------------------------------------------------------------------

    @app.get("/api/search", response_model=SearchOut, tags=["search"],
             summary="Titles matching a query, best first")
    def api_search(
        q: Annotated[str, Query(max_length=MAX_QUERY, description="Any spelling of a title.")],
        limit: Annotated[int, Query(ge=1, le=50)] = 10,
    ) -> SearchOut:
        """Exact alias matches first, then title prefixes, then fuzzy matches; the search
        suggestions of the home page."""
        hits = store.index.search(q, limit=limit) if q.strip() else []
        return SearchOut(query=q, hits=hits)

    @app.get("/api/outlook/{mal_id}", response_model=OutlookReport, responses=_ERRORS,
             tags=["outlook"], summary="The outlook report for one anime")
    async def api_outlook(mal_id: MalId) -> Response:
        """The same report object as the outlook page: headline probabilities, facts with
        citations, source material, popularity, factors, comparables, disagreements,
        limits, sources, the forecast curve and the franchise timeline."""
        body = store.cached_outlook_json(mal_id)
        if body is None:
            body = await run_in_threadpool(store.outlook_json, mal_id)
        return Response(body, media_type="application/json")

    @app.get("/api/timeline/{mal_id}", response_model=TimelineOut, responses=_ERRORS,
             tags=["outlook"], summary="The franchise timeline of one anime")
    def api_timeline(mal_id: MalId) -> TimelineOut:
        report = store.outlook(mal_id)
        return TimelineOut(mal_id=report.mal_id, title=report.title, timeline=report.timeline)

    @app.get("/api/season/{year}/{season}", response_model=SeasonOut, responses=_ERRORS,
             tags=["season"], summary="Every series whose latest season ended in a season")
    def api_season(
        year: Annotated[int, PathParam(description="Calendar year of the finale.")],
        season: Annotated[str, PathParam(description=" | ".join(SEASONS))],
        sort: Sort = "p_1y",
    ) -> SeasonOut:
        """winter = Jan–Mar, spring = Apr–Jun, summer = Jul–Sep, fall = Oct–Dec of the
        latest season's end date; sorted by probability (highest first) or title."""
        return SeasonOut.model_validate(season_view(store.conn(), year, season, sort).to_dict())

    return app


def app_from_env() -> FastAPI:
    """An app factory for ``uvicorn --factory`` (several workers need an import string):
    the database from ``NEXTSEASON_DB``, the model card from ``NEXTSEASON_MODEL_CARD``."""
    import os

    db = os.environ.get("NEXTSEASON_DB")
    if not db:
        raise ConfigError("set NEXTSEASON_DB to the database the web app should serve")
    return create_app(db)
