"""Bad input: a clear error naming the file and row, a non-zero exit, the old database intact."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import tarfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nextseason.cli import app
from nextseason.errors import (
    ArchiveError,
    EncodingError,
    InputError,
    RecordError,
    SchemaError,
)
from nextseason.pipeline import build


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _rewrite_gz_csv(path: Path, edit: Callable[[list[list[str]]], None]) -> None:
    rows = list(csv.reader(io.StringIO(gzip.decompress(path.read_bytes()).decode())))
    edit(rows)
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    path.write_bytes(gzip.compress(buf.getvalue().encode()))


def _rewrite_zip_csv(path: Path, edit: Callable[[list[list[str]]], None]) -> None:
    with zipfile.ZipFile(path) as zf:
        rows = list(csv.reader(io.StringIO(zf.read("AnimeList.csv").decode())))
    edit(rows)
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("AnimeList.csv", buf.getvalue())


def _rewrite_tar_json(path: Path, key: str, value: object) -> None:
    """Set ``key`` to ``value`` in the first per-anime JSON file of a tar.gz."""
    with tarfile.open(path) as src:
        members = [(m, src.extractfile(m).read() if m.isfile() else None)  # type: ignore[union-attr]
                   for m in src.getmembers()]
    out = io.BytesIO()
    done = False
    with tarfile.open(fileobj=out, mode="w:gz") as dst:
        for m, data in members:
            if data is not None and not done and m.name.endswith(".json"):
                record = json.loads(data)
                if isinstance(record, dict) and key in record:
                    record[key] = value
                    data = json.dumps(record).encode()
                    m.size = len(data)
                    done = True
            dst.addfile(m, io.BytesIO(data) if data is not None else None)
    path.write_bytes(out.getvalue())


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _set(column: str, value: str, row: int = 1) -> Callable[[list[list[str]]], None]:
    def edit(rows: list[list[str]]) -> None:
        rows[row][rows[0].index(column)] = value

    return edit


def _cut(row: int) -> Callable[[list[list[str]]], None]:
    def edit(rows: list[list[str]]) -> None:
        rows[row] = rows[row][:3]

    return edit


def _rename(old: str, new: str) -> Callable[[list[list[str]]], None]:
    def edit(rows: list[list[str]]) -> None:
        rows[0][rows[0].index(old)] = new

    return edit


def _not_utf8(path: Path) -> None:
    text = gzip.decompress(path.read_bytes())
    lines = text.split(b"\n")
    lines[3] = lines[3].replace(b",", "Pokémon,".encode("latin-1"), 1)
    path.write_bytes(gzip.compress(b"\n".join(lines)))


def _error_body(path: Path) -> None:
    body = {"status": 500, "type": "ParserException", "message": "upstream failed"}
    path.write_bytes(gzip.compress(json.dumps(body).encode()))


M2018 = "mal_2018_azathoth42/AnimeList.csv.zip"
J2021 = "mal_2021_jikan_v3_senpaislist/senpaislist_db_data_jikan_v3.tar.gz"
J2025 = "mal_2025_jikan_v4/anime_data.csv.gz"
MANGA = "manga_mal_2023_mangashiro/bancodedadosmanga.csv.gz"
IDS = "ids_fribb/anime-list-mini.json.gz"

CASES = {
    "truncated zip": (M2018, _truncate, ArchiveError, None),
    "truncated tar": (J2021, _truncate, ArchiveError, None),
    "truncated gzip": (J2025, _truncate, ArchiveError, None),
    "renamed column": (J2025, lambda p: _rewrite_gz_csv(p, _rename("members", "member_count")),
                       SchemaError, "line 1"),
    "JSON error body": (IDS, _error_body, RecordError, None),
    "not UTF-8": (MANGA, _not_utf8, EncodingError, "line 4"),
    "unknown relation kind": (
        M2018,
        lambda p: _rewrite_zip_csv(p, _set("related", "{'Sequal': [{'mal_id': 1, 'type': "
                                                      "'anime', 'url': '', 'title': 'x'}]}")),
        RecordError, "line 2"),
    "unparseable date": (J2025, lambda p: _rewrite_gz_csv(p, _set("aired", "Aprill 5, 2021", 3)),
                         RecordError, "line 4"),
    "not a number": (J2025, lambda p: _rewrite_gz_csv(p, _set("members", "lots", 2)),
                     RecordError, "line 3"),
    # issue 9: these raised TypeError/AttributeError/ValueError/OverflowError tracebacks
    "short CSV row": (J2025, lambda p: _rewrite_gz_csv(p, _cut(2)), RecordError, "line 3"),
    "short zipped CSV row": (M2018, lambda p: _rewrite_zip_csv(p, _cut(2)), RecordError,
                             "line 3"),
    "relation item not an object": (
        M2018, lambda p: _rewrite_zip_csv(p, _set("related", "{'Sequel': ['x']}")),
        RecordError, "line 2"),
    "relation items not a list": (
        M2018, lambda p: _rewrite_zip_csv(p, _set("related", "{'Sequel': 5}")),
        RecordError, "line 2"),
    "relation id not a number": (
        M2018, lambda p: _rewrite_zip_csv(p, _set(
            "related", "{'Sequel': [{'mal_id': 'x', 'type': 'anime', 'url': '', 'title': 'x'}]}")),
        RecordError, "line 2"),
    "24-digit id": (J2025, lambda p: _rewrite_gz_csv(p, _set("mal_id", "1" * 24, 2)),
                    RecordError, "line 3"),
    "24-digit zipped id": (M2018, lambda p: _rewrite_zip_csv(p, _set("anime_id", "9" * 24, 2)),
                           RecordError, "line 3"),
    "JSON relations not an object": (J2021, lambda p: _rewrite_tar_json(p, "related", [1]),
                                     RecordError, "mal_id"),
    "JSON aired not an object": (J2021, lambda p: _rewrite_tar_json(p, "aired", "x"),
                                 RecordError, "mal_id"),
    "JSON title a list": (J2021, lambda p: _rewrite_tar_json(p, "title", ["a"]),
                          RecordError, None),
    "infinite number": (J2025, lambda p: _rewrite_gz_csv(p, _set("episodes", "inf", 2)),
                        RecordError, "line 3"),
}


@pytest.fixture
def previous_db(synthetic_data: Path, tmp_path: Path) -> Path:
    db = tmp_path / "db" / "nextseason.db"
    build(synthetic_data, db)
    return db


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_fails_cleanly(case: str, data_copy: Path, previous_db: Path) -> None:
    rel, corrupt, error, where = CASES[case]
    corrupt(data_copy / rel)
    before = _digest(previous_db)
    with pytest.raises(error) as info:
        build(data_copy, previous_db)
    message = str(info.value)
    assert Path(rel).name in message, message
    if where:
        assert where in message, message
    assert _digest(previous_db) == before
    assert sorted(p.name for p in previous_db.parent.iterdir()) == ["nextseason.db"]


def test_renamed_column_suggests_the_new_name(data_copy: Path, tmp_path: Path) -> None:
    _rewrite_gz_csv(data_copy / J2025, _rename("members", "member_count"))
    with pytest.raises(SchemaError, match="did you mean 'member_count'"):
        build(data_copy, tmp_path / "x.db")


def test_cli_exit_code_and_message(data_copy: Path, previous_db: Path) -> None:
    _truncate(data_copy / J2025)
    before = _digest(previous_db)
    result = CliRunner().invoke(app, ["build", "--data", str(data_copy), "--db", str(previous_db)])
    assert result.exit_code == InputError.exit_code
    assert "anime_data.csv.gz" in result.output and "truncated" in result.output
    assert _digest(previous_db) == before


def test_missing_file(data_copy: Path, tmp_path: Path) -> None:
    (data_copy / IDS).unlink()
    with pytest.raises(InputError, match="anime-list-mini"):
        build(data_copy, tmp_path / "x.db")
    assert not (tmp_path / "x.db").exists()
