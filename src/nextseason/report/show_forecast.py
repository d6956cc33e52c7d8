"""One show's forecast read from the forecasts the build stored, and its terminal renderer.

``nextseason forecast QUERY`` answers from the ``forecast`` and ``forecast_series`` tables
(filled once by the build, as of the newest catalogue snapshot) exactly as the outlook does:
no model is trained, and neither pandas nor the model libraries are imported, so the answer
prints as fast as ``outlook``. Only a forecast date or a model the build did not use
(``--as-of``, ``--model``) trains a model (:func:`nextseason.forecast.explain.forecast_show`).

Both paths give the same record, :class:`~nextseason.forecast.records.ShowForecast`.
"""

from __future__ import annotations

import json

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..errors import NotFoundError
from ..forecast.records import Comparable, Factor, ShowForecast
from ..store.catalogue import anime_title
from ..store.conn import Conn
from ..store.forecasts import forecast_made, forecast_row, series_of
from ..store.snapshots import newest_catalogue_date
from .labels import HORIZON_LABELS, percent
from .outlook import comparable_line, data_age, factor_line, plain_factors
from .terminal import item, table_box

__all__ = ["stored_forecast", "stored_as_of", "show_forecast_text",
           "NOT_A_SERIES"]

NOT_A_SERIES = "not a TV/ONA series in the catalogue at that date"


def stored_as_of(conn: Conn) -> tuple[str, str] | None:
    """(forecast date, model) of the build's stored forecasts, or None when it made none."""
    return forecast_made(conn)


def stored_forecast(conn: Conn, mal_id: int, *, today: str) -> ShowForecast:
    """The build's forecast for the series ``mal_id`` belongs to (its latest season), or
    why that series has none; ``today`` dates the data's age. Raises
    :class:`NotFoundError` for an unknown id."""
    title = anime_title(conn, mal_id)
    if title is None:
        raise NotFoundError(f"no anime with MAL id {mal_id}")
    catalogue = newest_catalogue_date(conn) or ""
    age = data_age(catalogue, today) if catalogue else ""
    made = stored_as_of(conn)
    as_of, model = made if made else (catalogue, "")
    series = series_of(conn, mal_id)
    latest = series[0] if series else mal_id
    fc = forecast_row(conn, latest) if series else None
    if fc is None:
        reason = (series[1] if series else "") or NOT_A_SERIES
        return ShowForecast(mal_id, title, as_of, model, False, reason, data_age=age)
    factors = json.loads(fc["factors"])
    plain_factors(factors, json.loads(fc["features"] or "{}"))
    return ShowForecast(
        latest, fc["latest_title"], fc["as_of"], fc["model"], True, "",
        ended=fc["ended"], years_since_end=float(fc["elapsed"]),
        probabilities={k: float(fc[k]) for k in HORIZON_LABELS},
        factors=[Factor(**f) for f in factors],
        comparables=[Comparable(**c) for c in json.loads(fc["comparables"])], data_age=age)


def show_forecast_text(f: ShowForecast, console: Console) -> None:
    """One show's forecast for the terminal, stored or trained."""
    d = f.to_dict()
    console.print(f"[bold]{escape(d['title'])}[/bold] [dim]MAL {d['mal_id']},"
                  f" as of {d['as_of']}[/dim]")
    if d.get("data_age"):
        console.print(f"[dim]Data: the {escape(d['data_age'])}.[/dim]")
    if not d["eligible"]:
        console.print(f"No forecast: {escape(d['reason'])}")
        return
    console.print(f"Latest season ended {d['ended']} ({d['years_since_end']:.1f} years"
                  f" before). Model: {d['model']}.")
    console.print("[bold]Chance of a new TV/ONA season[/bold]")
    t = Table(box=table_box(console), pad_edge=False)
    t.add_column("")
    t.add_column("chance", justify="right")
    for k, label in HORIZON_LABELS.items():
        t.add_row(label, percent(d["probabilities"][k]))
    console.print(t)
    if d["factors"]:
        console.print("[bold]What moved it[/bold] (change in the 3-year chance against a"
                      " typical series)")
        for fac in d["factors"]:
            item(console, escape(factor_line(fac)))
    if d["comparables"]:
        console.print("[bold]Comparable shows[/bold]")
        for c in d["comparables"]:
            item(console, f"{escape(comparable_line(c))} [dim](MAL {c['mal_id']})[/dim]")
