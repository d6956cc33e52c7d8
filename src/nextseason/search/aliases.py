"""The project's own fan aliases: short names fans type that the catalogue may lack.

The table is ``fan_aliases.csv`` next to this module, UTF-8, with a header row:

========  ===========================================================================
column    meaning
========  ===========================================================================
mal_id    the MyAnimeList anime id the alias points to (a positive integer). Only ids
          checked by hand against the raw catalogue belong here; an alias shared by a
          whole franchise points to its first TV season.
alias     what fans type, e.g. ``Higehiro``, ``ReZero``, ``FMAB`` (non-empty; its search
          key, :func:`~nextseason.search.normalize`, must be non-empty too).
note      free text for the reader: which entry the id is (optional, may be empty).
========  ===========================================================================

Blank lines are skipped. A (mal_id, alias) pair may appear once. The importer stores each
row in ``title`` with ``kind='fan'``, ``lang='und'`` and ``snapshot_id`` NULL, only for ids
present in ``anime`` (:func:`fan_alias_rows` gives it the rows).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..errors import SchemaError
from .normalize import normalize

__all__ = ["FanAlias", "FAN_ALIASES_FILE", "load_fan_aliases", "fan_alias_rows"]

#: The packaged table.
FAN_ALIASES_FILE = "fan_aliases.csv"
_COLUMNS = ("mal_id", "alias", "note")


@dataclass(frozen=True, slots=True)
class FanAlias:
    """One row of the fan alias table; ``line`` is its line number in the file."""

    mal_id: int
    alias: str
    note: str
    line: int

    @property
    def norm(self) -> str:
        """The alias's search key."""
        return normalize(self.alias)


def _default_path() -> Path:
    return Path(str(resources.files(__package__).joinpath(FAN_ALIASES_FILE)))


def load_fan_aliases(path: str | Path | None = None) -> list[FanAlias]:
    """Read and validate the fan alias table (the packaged one unless ``path`` is given).

    Raises :class:`~nextseason.errors.SchemaError` naming the file and line of the first
    bad row: wrong header, wrong number of fields, a bad id, an empty alias, a duplicate.
    """
    p = Path(path) if path is not None else _default_path()
    name = str(p)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SchemaError(f"not UTF-8 ({exc.reason})", file=name) from exc
    reader = csv.reader(text.splitlines())
    header = next(reader, None)
    if header is None or tuple(h.strip() for h in header) != _COLUMNS:
        raise SchemaError(
            f"header must be {','.join(_COLUMNS)}, found {','.join(header or [])!r}",
            file=name,
            where="line 1",
        )
    out: list[FanAlias] = []
    seen: dict[tuple[int, str], int] = {}
    for fields in reader:
        line = reader.line_num
        where = f"line {line}"
        if not fields or all(not f.strip() for f in fields):
            continue
        if len(fields) != len(_COLUMNS):
            raise SchemaError(
                f"expected 3 fields (mal_id,alias,note), found {len(fields)}: {fields!r}; "
                "quote a note that contains a comma",
                file=name,
                where=where,
            )
        raw_id, alias, note = (f.strip() for f in fields)
        if not raw_id.isdigit() or int(raw_id) <= 0:
            raise SchemaError(
                f"mal_id must be a positive integer, found {raw_id!r}", file=name, where=where
            )
        if not alias or not normalize(alias):
            raise SchemaError(
                f"alias is empty or has no letters: {alias!r}", file=name, where=where
            )
        row = FanAlias(int(raw_id), alias, note, line)
        key = (row.mal_id, row.norm)
        if key in seen:
            raise SchemaError(
                f"alias {alias!r} for mal_id {row.mal_id} repeats line {seen[key]}",
                file=name,
                where=where,
            )
        seen[key] = line
        out.append(row)
    return out


def fan_alias_rows(path: str | Path | None = None) -> list[tuple[int, str, str, str, str]]:
    """Rows ready for the ``title`` table: (mal_id, title, kind, lang, norm).

    ``kind`` is ``'fan'`` and ``lang`` ``'und'``; the caller sets ``snapshot_id`` NULL and
    keeps only the ids present in ``anime``.
    """
    return [(a.mal_id, a.alias, "fan", "und", a.norm) for a in load_fan_aliases(path)]
