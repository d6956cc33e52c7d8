"""Dated facts: ``observation`` (a metric's value as a snapshot stated it, and the date it
was true)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ._util import marks
from .conn import Conn
from .dialect import any_value

__all__ = ["put_observation", "observations_of", "catalogue_observations"]


def put_observation(conn: Conn, entity_type: str, entity_id: int, metric: str, value: Any,
                    observed_at: str, snapshot_id: int) -> None:
    """One metric of an anime or a manga as a snapshot states it (replacing that
    snapshot's earlier value)."""
    conn.execute(
        "INSERT INTO observation (entity_type, entity_id, metric, value, observed_at,"
        " snapshot_id) VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (entity_type, entity_id, metric, snapshot_id)"
        " DO UPDATE SET value = excluded.value, observed_at = excluded.observed_at",
        (entity_type, entity_id, metric, any_value(conn, value), observed_at, snapshot_id),
    )


def observations_of(conn: Conn, mal_id: int) -> list[Any]:
    """Every observation of one anime: rows of (metric, value, observed_at, snapshot_id),
    by metric and date."""
    return conn.execute(
        "SELECT metric, value, observed_at, snapshot_id FROM observation"
        " WHERE entity_type = 'anime' AND entity_id = ? ORDER BY metric, observed_at",
        (mal_id,),
    ).fetchall()


def catalogue_observations(conn: Conn, as_of: str,
                           metrics: Iterable[str]) -> list[tuple[Any, ...]]:
    """(mal_id, snapshot_id, metric, value) of the given anime metrics, as every catalogue
    snapshot dated on or before ``as_of`` stated them."""
    metrics = list(metrics)
    return [tuple(r) for r in conn.execute(
        "SELECT o.entity_id, o.snapshot_id, o.metric, o.value FROM observation o"
        " JOIN snapshot s ON s.id = o.snapshot_id"
        " WHERE o.entity_type = 'anime' AND s.kind = 'catalogue' AND s.as_of <= ?"
        f" AND o.metric IN ({marks(len(metrics))})",
        (as_of, *metrics))]
