"""Reading API JSON without tracebacks: every field is fetched by path and type-checked.

A :class:`Node` wraps one JSON value with the URL it came from and its path in the body.
``node.req("mal_id", int)`` returns the field or raises :class:`SchemaDriftError` naming
the URL and the path (``data[3].aired.prop.from.year``) and saying what was expected and
found; ``opt`` allows null or absence. Booleans never pass for numbers.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any, TypeVar, overload

from ..errors import SchemaDriftError
from ..ingest.dates import PartialDate

__all__ = ["Node", "fuzzy_date"]

T = TypeVar("T")
_MISSING = object()
_NAMES = {int: "an integer", float: "a number", str: "a string", bool: "true/false",
          dict: "an object", list: "a list"}


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        short = value if len(value) <= 40 else value[:37] + "..."
        return f"the string {short!r}"
    return f"{type(value).__name__} {value!r}"


def _fits(value: Any, kind: type) -> bool:
    if isinstance(value, bool):
        return kind is bool
    if kind is float:
        return isinstance(value, int | float)
    return isinstance(value, kind)


class Node:
    """One JSON value, where it came from (``url``) and where it sits (``path``)."""

    __slots__ = ("value", "url", "path")

    def __init__(self, value: Any, url: str, path: str = "") -> None:
        self.value = value
        self.url = url
        self.path = path

    def _child(self, key: str | int) -> str:
        if isinstance(key, int):
            return f"{self.path}[{key}]"
        return f"{self.path}.{key}" if self.path else key

    def drift(self, message: str, key: str | int | None = None) -> SchemaDriftError:
        return SchemaDriftError(message, url=self.url,
                                field=self._child(key) if key is not None else
                                (self.path or "(the body)"))

    def _obj(self) -> dict[str, Any]:
        if not isinstance(self.value, dict):
            raise self.drift(f"expected an object, found {_describe(self.value)}")
        return self.value

    def has(self, key: str) -> bool:
        return isinstance(self.value, dict) and key in self.value

    def _get(self, key: str, kind: type, *, required: bool) -> Any:
        value = self._obj().get(key, _MISSING)
        if value is _MISSING:
            if required:
                raise self.drift("missing", key)
            return None
        if value is None:
            if required:
                raise self.drift(f"expected {_NAMES.get(kind, kind.__name__)}, found null",
                                 key)
            return None
        if not _fits(value, kind):
            raise self.drift(f"expected {_NAMES.get(kind, kind.__name__)}, found "
                             f"{_describe(value)}", key)
        return float(value) if kind is float else value

    @overload
    def req(self, key: str, kind: type[T]) -> T: ...
    @overload
    def req(self, key: str) -> Node: ...

    def req(self, key: str, kind: type | None = None) -> Any:
        """The field ``key``: present, not null, of ``kind`` (a :class:`Node` if no kind)."""
        if kind is None:
            value = self._obj().get(key, _MISSING)
            if value is _MISSING:
                raise self.drift("missing", key)
            return Node(value, self.url, self._child(key))
        return self._get(key, kind, required=True)

    def opt(self, key: str, kind: type[T]) -> T | None:
        """The field ``key`` if present and not null; of ``kind`` when it is."""
        return self._get(key, kind, required=False)

    def obj(self, key: str, *, required: bool = False) -> Node | None:
        """The object at ``key`` (None when absent or null, unless ``required``)."""
        value = self._get(key, dict, required=required)
        return None if value is None else Node(value, self.url, self._child(key))

    def items(self, key: str, *, required: bool = False) -> Iterator[Node]:
        """The elements of the list at ``key`` (none when absent or null, unless
        ``required``)."""
        value = self._get(key, list, required=required)
        for i, item in enumerate(value or ()):
            yield Node(item, self.url, f"{self._child(key)}[{i}]")

    def elements(self) -> Iterator[Node]:
        """The elements of this value, which must be a list."""
        if not isinstance(self.value, list):
            raise self.drift(f"expected a list, found {_describe(self.value)}")
        for i, item in enumerate(self.value):
            yield Node(item, self.url, f"{self.path}[{i}]")


def fuzzy_date(node: Node | None) -> PartialDate | None:
    """``{year, month, day}`` with nullable parts (AniList's FuzzyDate, Jikan's
    ``aired.prop.from``) as a date cut to its precision; None when the year is unknown."""
    if node is None:
        return None
    year, month, day = node.opt("year", int), node.opt("month", int), node.opt("day", int)
    if year is None:
        return None
    if not 1 <= year <= 9999:
        raise node.drift(f"year {year} is out of range", "year")
    if month is None:
        return PartialDate(f"{year:04d}", "year")
    if not 1 <= month <= 12:
        raise node.drift(f"month {month} is out of range", "month")
    if day is None:
        return PartialDate(f"{year:04d}-{month:02d}", "month")
    try:
        return PartialDate(date(year, month, day).isoformat(), "day")
    except ValueError:
        raise node.drift(f"{year}-{month}-{day} is not a calendar date", "day") from None
