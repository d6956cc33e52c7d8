"""Safe readers for the raw files: zip, gzip, tar and plain CSV / JSON.

Every failure is turned into an :class:`~nextseason.errors.InputError` subclass that names
the file and, where it can, the line or row: a truncated archive, a file that is not UTF-8,
a CSV whose header lacks a column. Readers stream; nothing is loaded whole unless it must be.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import tarfile
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from rapidfuzz import process

from ..errors import ArchiveError, DataMissingError, EncodingError, RecordError, SchemaError

__all__ = [
    "sha256_file",
    "open_text",
    "iter_csv",
    "load_json",
    "iter_tar_json",
    "require",
]

csv.field_size_limit(10 * 1024 * 1024)

_ARCHIVE_ERRORS = (EOFError, zlib.error, gzip.BadGzipFile, zipfile.BadZipFile, tarfile.TarError)


def require(path: Path) -> Path:
    if not path.is_file():
        raise DataMissingError(
            "file not found; the data directory should hold the files listed in "
            "SOURCES.md (see `nextseason build --help`)",
            file=str(path),
        )
    return path


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@contextmanager
def open_text(path: Path, *, member: str | None = None) -> Iterator[IO[str]]:
    """Open ``path`` as UTF-8 text, through gzip (``.gz``) or zip (``.zip``, ``member``)."""
    require(path)
    name = str(path)
    try:
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as zf:
                names = zf.namelist()
                target = member or (names[0] if len(names) == 1 else None)
                if target not in names:
                    raise ArchiveError(
                        f"expected member {member!r} in the zip, found {names}", file=name
                    )
                with zf.open(target) as raw:
                    yield io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        elif path.suffix == ".gz":
            with gzip.open(path, "rb") as raw:
                yield io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        else:
            with open(path, encoding="utf-8-sig", newline="") as f:
                yield f
    except _ARCHIVE_ERRORS as exc:
        raise ArchiveError(f"corrupt or truncated archive ({exc})", file=name) from exc


def _closest(column: str, found: Sequence[str]) -> str:
    match = process.extractOne(column, found, score_cutoff=60)
    return f" (did you mean {match[0]!r}?)" if match else ""


def iter_csv(
    path: Path, required: list[str], *, member: str | None = None
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line, row)`` for each CSV record, after checking the header.

    ``line`` is the physical line where the record ends (1 = the header).
    """
    name = str(path) if member is None else f"{path}!{member}"
    with open_text(path, member=member) as f:
        reader = csv.DictReader(f)
        line = 1
        try:
            header = reader.fieldnames or []
            missing = [c for c in required if c not in header]
            if missing:
                hints = "; ".join(f"{c!r}{_closest(c, header)}" for c in missing)
                raise SchemaError(
                    f"missing column(s) {hints}. Found columns: {', '.join(header)}",
                    file=name,
                    where="line 1 (header)",
                )
            for row in reader:
                line = reader.line_num
                if None in row:  # more fields than the header names
                    extra = [v for v in row[None] if v]  # type: ignore[index]
                    if extra:
                        raise RecordError(
                            f"{len(header) + len(row[None])} fields for a "  # type: ignore[index]
                            f"{len(header)}-column header",
                            file=name,
                            where=f"line {line}",
                        )
                short = [c for c in required if row.get(c) is None]
                if short:  # fewer fields than the header names
                    raise RecordError(
                        f"{len(header) - sum(v is None for v in row.values())} fields for a "
                        f"{len(header)}-column header (no {', '.join(map(repr, short[:3]))}"
                        + (", ...)" if len(short) > 3 else ")"),
                        file=name,
                        where=f"line {line}",
                    )
                yield line, row
        except UnicodeDecodeError as exc:
            bad_line, byte = _first_bad_line(path, member)
            raise EncodingError(
                f"not UTF-8 text (byte 0x{byte:02x}); re-save the file as UTF-8",
                file=name,
                where=f"line {bad_line}",
            ) from exc
        except csv.Error as exc:
            raise RecordError(f"malformed CSV ({exc})", file=name, where=f"line {line}") from exc
        except _ARCHIVE_ERRORS as exc:
            raise ArchiveError(
                f"corrupt or truncated archive ({exc})", file=name, where=f"after line {line}"
            ) from exc


def _first_bad_line(path: Path, member: str | None) -> tuple[int, int]:
    """Find the physical line holding the first byte that is not UTF-8 (called on error)."""
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as zf:
            raw: IO[bytes] = io.BytesIO(zf.read(member or zf.namelist()[0]))
    elif path.suffix == ".gz":
        raw = io.BytesIO(gzip.decompress(path.read_bytes()))
    else:
        raw = io.BytesIO(path.read_bytes())
    for n, line in enumerate(raw, 1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as exc:
            return n, exc.object[exc.start]
    return 0, 0


def load_json(path: Path) -> Any:
    """Load a whole JSON file (optionally gzipped); errors name the line and column."""
    name = str(path)
    with open_text(path) as f:
        try:
            text = f.read()
        except UnicodeDecodeError as exc:
            raise EncodingError("not UTF-8 text", file=name) from exc
        except _ARCHIVE_ERRORS as exc:
            raise ArchiveError(f"corrupt or truncated archive ({exc})", file=name) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RecordError(
            f"invalid JSON ({exc.msg})", file=name, where=f"line {exc.lineno}, column {exc.colno}"
        ) from exc
    if is_error_body(data):
        raise RecordError(
            f"an API error body where data should be: {json.dumps(data)[:200]}", file=name
        )
    return data


def is_error_body(data: Any) -> bool:
    """Jikan/HTTP error bodies look like ``{"status": 500, "type": ..., "message": ...}``."""
    return (
        isinstance(data, dict)
        and "mal_id" not in data
        and ("error" in data or "status" in data and isinstance(data.get("status"), int))
    )


def iter_tar_json(path: Path) -> Iterator[tuple[str, Any]]:
    """Yield ``(member name, parsed JSON)`` for each ``.json`` file in a tarball."""
    require(path)
    name = str(path)
    current = "(start)"
    try:
        with tarfile.open(path, "r:*") as tf:
            for member in tf:
                if not member.isfile() or not member.name.endswith(".json"):
                    continue
                current = member.name
                fh = tf.extractfile(member)
                if fh is None:
                    continue
                raw = fh.read()
                try:
                    yield member.name, json.loads(raw.decode("utf-8"))
                except UnicodeDecodeError as exc:
                    raise EncodingError("not UTF-8 text", file=f"{name}!{member.name}") from exc
                except json.JSONDecodeError as exc:
                    raise RecordError(
                        f"invalid JSON ({exc.msg})",
                        file=f"{name}!{member.name}",
                        where=f"line {exc.lineno}, column {exc.colno}",
                    ) from exc
    except _ARCHIVE_ERRORS as exc:
        raise ArchiveError(
            f"corrupt or truncated archive ({exc})", file=name, where=f"after member {current}"
        ) from exc
