"""Articles at scale (issue 13): the streaming write path, and ``ingest --engine dask``.

One local Dask cluster (two worker processes) is started for the module and shared: the
command reaches it with ``--scheduler`` (the existing-cluster path); one test starts its own
cluster with ``--workers 1`` (the local path). Both engines must store exactly the same rows.
"""

from __future__ import annotations

import logging
import shutil
import socket
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_rebuild import article_and_claim_rows
from typer.testing import CliRunner

from nextseason.claims.articles import Failed, Prepared, store_outcomes
from nextseason.claims.dask_engine import DaskEngine
from nextseason.claims.extract import extract_claims
from nextseason.claims.pipeline import plain_outcomes, stage_of
from nextseason.cli import app
from nextseason.errors import ConfigError, InputError
from nextseason.fixtures import SyntheticCatalogue

runner = CliRunner()
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """The address of a local cluster of two single-threaded worker processes."""
    from distributed import LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                           host="127.0.0.1", dashboard_address=None,
                           silence_logs=logging.ERROR,
                           scheduler_kwargs={"dashboard": False,
                                             "dashboard_address": "127.0.0.1:0"})
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


@pytest.fixture
def folder(synthetic: tuple[Path, SyntheticCatalogue], tmp_path: Path) -> Path:
    """Fourteen articles about the synthetic catalogue's shows: plain text with a header,
    Markdown and HTML, in two sub-folders, and two files with the same text."""
    _data, cat = synthetic
    shows = [s for s in cat.shows if s.type == "TV"][:12]
    root = tmp_path / "articles"
    for i, show in enumerate(shows):
        sub = root / ("a" if i % 2 else "b")
        sub.mkdir(parents=True, exist_ok=True)
        body = (f"The first season of {show.title} aired from {show.start:%B} "
                f"{show.start.day}, {show.start.year}, to {show.end:%B} {show.end.day}, "
                f"{show.end.year}, with {show.episodes} episodes. Last year the studio said"
                f" a second season {'is' if i % 3 else 'is not'} in production.")
        if i % 3 == 0:
            (sub / f"{i:02d}.txt").write_text(
                f"URL: https://news.example/{i}\nTITLE: {show.title} Season 2\n"
                f"PUBLISHED: 20{10 + i}-0{1 + i % 9}-15\n---\n{body}\n", encoding="utf-8")
        elif i % 3 == 1:
            (sub / f"{i:02d}.md").write_text(
                f"---\ntitle: {show.title} news\ndate: 2021-0{1 + i % 9}-02\n---\n# "
                f"{show.title}\n\n{body}\n", encoding="utf-8")
        else:
            (sub / f"{i:02d}.html").write_text(
                f"<html><head><title>{show.title}</title></head><body><article><h1>"
                f"{show.title}</h1><p>{body}</p></article></body></html>", encoding="utf-8")
    shutil.copy(root / "b" / "00.txt", root / "a" / "00-copy.txt")  # same text, two files
    shutil.copy(root / "b" / "00.txt", root / "zz-copy.txt")
    return root


@pytest.fixture
def stores(built_db: Path, tmp_path: Path) -> tuple[Path, Path]:
    pair = tmp_path / "plain.db", tmp_path / "dask.db"
    for db in pair:
        shutil.copy(built_db, db)
    return pair


def ingest(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["ingest", *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


# ------------------------------------------------------------------- dask = plain, rows


def test_dask_stores_exactly_the_plain_engines_rows_and_a_rerun_changes_nothing(
        folder: Path, stores: tuple[Path, Path], scheduler: str) -> None:
    plain, dask = stores
    held = len(article_and_claim_rows(plain)[0])
    code, out = ingest(str(folder), "--db", str(plain))
    assert code == 0, out
    assert "14 files: 12 new" in out and "2 unchanged" in out  # b/00, zz-copy
    code, out = ingest(str(folder), "--db", str(dask), "--engine", "dask",
                       "--scheduler", scheduler)
    assert code == 0, out
    articles, claims = article_and_claim_rows(dask)
    assert (articles, claims) == article_and_claim_rows(plain)
    assert len(articles) == held + 12 and len(claims) > 12
    paths = {r[6] for r in articles}
    assert str(folder / "a" / "00-copy.txt") in paths  # the files' order decides, not timing
    assert str(folder / "zz-copy.txt") not in paths
    code, out = ingest(str(folder), "--db", str(dask), "--engine", "dask",
                       "--scheduler", scheduler)
    assert code == 0 and "0 new" in out and "14 unchanged" in out, out
    assert article_and_claim_rows(dask) == (articles, claims)


def test_a_local_cluster_of_one_worker(folder: Path, stores: tuple[Path, Path]) -> None:
    plain, dask = stores
    assert ingest(str(folder), "--db", str(plain), "-q")[0] == 0
    code, out = ingest(str(folder), "--db", str(dask), "-q", "--engine", "dask",
                       "--workers", "1")
    assert code == 0, out
    assert article_and_claim_rows(dask) == article_and_claim_rows(plain)


# ------------------------------------------------------------------------ failed files


def test_a_bad_file_is_reported_and_the_rest_are_stored(
        folder: Path, stores: tuple[Path, Path], scheduler: str) -> None:
    plain, dask = stores
    held = len(article_and_claim_rows(plain)[0])
    (folder / "a" / "05-image.txt").write_bytes(PNG)
    code, out = ingest(str(folder), "--db", str(dask), "--engine", "dask",
                       "--scheduler", scheduler)
    assert code == 3, out
    assert "05-image.txt: binary file" in out
    assert "15 files: 12 new" in out and "1 failed" in out
    code, out = ingest(str(folder), "--db", str(plain), "--keep-going")  # plain, the same
    assert code == 3 and "05-image.txt: binary file" in out, out
    assert article_and_claim_rows(dask) == article_and_claim_rows(plain)
    assert len(article_and_claim_rows(dask)[0]) == held + 12


@pytest.mark.parametrize("engine", ["plain", "dask"])
def test_strict_writes_nothing(folder: Path, stores: tuple[Path, Path], scheduler: str,
                               engine: str) -> None:
    db = stores[0]
    before = article_and_claim_rows(db)
    (folder / "a" / "07-latin1.txt").write_bytes("la saison 2 est annoncée".encode("latin-1"))
    extra = ["--strict", "--engine", "dask", "--scheduler", scheduler] if engine == "dask" \
        else []  # strict is the plain engine's default
    code, out = ingest(str(folder), "--db", str(db), *extra)
    assert code == 3, out
    assert "07-latin1.txt" in out and "not UTF-8" in out and "nothing was stored" in out
    assert article_and_claim_rows(db) == before


# ------------------------------------------------------------------------ bad options


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize("options, words", [
    (["--engine", "dask", "--workers", "0"], "--workers must be at least 1"),
    (["--engine", "dask", "--workers", "-3"], "--workers must be at least 1"),
    (["--engine", "dask", "--workers", "2", "--scheduler", "tcp://127.0.0.1:8786"],
     "not both"),
    (["--engine", "dask", "--scheduler", "not an address"], "not a Dask scheduler address"),
    (["--engine", "dask", "--scheduler", "tcp://127.0.0.1:{port}"],
     "cannot reach the Dask scheduler"),
    (["--workers", "2"], "apply to --engine dask"),
    (["--engine", "spark"], "'spark' is not one of"),
])
def test_bad_options_are_refused_and_write_nothing(
        folder: Path, stores: tuple[Path, Path], options: list[str], words: str) -> None:
    db = stores[0]
    before = article_and_claim_rows(db)
    port = str(_closed_port())
    code, out = ingest(str(folder), "--db", str(db),
                       *[o.replace("{port}", port) for o in options])
    assert code == 2, out
    assert words in out
    assert article_and_claim_rows(db) == before


def test_the_engine_checks_its_options_before_starting() -> None:
    with pytest.raises(ConfigError, match="at least 1"):
        DaskEngine(workers=0)
    with pytest.raises(ConfigError, match="not both"):
        DaskEngine(workers=1, scheduler="tcp://127.0.0.1:1")
    with pytest.raises(ConfigError, match="cannot reach"):
        DaskEngine(scheduler=f"tcp://127.0.0.1:{_closed_port()}", timeout=2).start()


def test_a_cluster_without_workers_is_refused() -> None:
    from distributed import LocalCluster

    with LocalCluster(n_workers=0, host="127.0.0.1", dashboard_address=None,
                      silence_logs=logging.ERROR,
                      scheduler_kwargs={"dashboard": False,
                                        "dashboard_address": "127.0.0.1:0"}) as empty:
        engine = DaskEngine(scheduler=empty.scheduler_address, timeout=1)
        with pytest.raises(ConfigError, match="has no workers"):
            engine.start()


# -------------------------------------------------------------- the engines, as a library


def _files(folder: Path, n: int) -> list[Path]:
    folder.mkdir(exist_ok=True)
    out = []
    for i in range(n):
        p = folder / f"{i:03d}.txt"
        p.write_text(f"Season {i + 2} was announced on March 3, 2024, with 12 episodes.\n",
                     encoding="utf-8")
        out.append(p)
    return out


def _claims(art: object) -> list:  # type: ignore[type-arg]
    return extract_claims(art.text)  # type: ignore[attr-defined]


def test_dask_outcomes_come_in_the_files_order(tmp_path: Path, scheduler: str) -> None:
    files = _files(tmp_path / "f", 9)
    files.insert(4, tmp_path / "missing.txt")
    stage = stage_of(_claims)
    with DaskEngine(scheduler=scheduler, partition_size=2, in_flight=2) as engine:
        got = list(engine.outcomes(files, stage))
    want = list(plain_outcomes(files, stage))
    def same(o: Prepared | Failed) -> object:
        return o if isinstance(o, Prepared) else (o.path, o.reason)  # errors: by message

    assert [same(o) for o in got] == [same(o) for o in want]
    assert [o.art.path for o in got if isinstance(o, Prepared)] == files[:4] + files[5:]
    assert isinstance(got[4], Failed) and "no such file" in got[4].reason


def test_strict_spans_batches_and_keep_going_commits_each(fresh_db: sqlite3.Connection,
                                                          tmp_path: Path) -> None:
    files = _files(tmp_path / "f", 7)
    (tmp_path / "f" / "005.txt").write_bytes(PNG)
    stage = stage_of(_claims)
    with pytest.raises(InputError, match="005.txt"):
        store_outcomes(fresh_db, plain_outcomes(files, stage), strict=True, batch_size=2)
    assert fresh_db.execute("SELECT count(*) FROM article").fetchone()[0] == 0
    assert not fresh_db.in_transaction
    seen: list[str] = []
    summary = store_outcomes(fresh_db, plain_outcomes(files, stage), strict=False,
                             batch_size=2, on_failure=lambda f: seen.append(f.path))
    assert (summary.stored, summary.unchanged, len(summary.failed)) == (6, 0, 1)
    assert seen == [str(files[5])]
    assert fresh_db.execute("SELECT count(*) FROM article").fetchone()[0] == 6
    again = store_outcomes(fresh_db, plain_outcomes(files, stage), strict=False, batch_size=2)
    assert (again.stored, again.unchanged) == (0, 6)


def test_the_plain_engine_reads_one_file_at_a_time(tmp_path: Path) -> None:
    files = _files(tmp_path / "f", 3)
    read: list[int] = []
    stream = plain_outcomes(files, stage_of(_claims), on_read=read.append)
    first = next(stream)
    assert isinstance(first, Prepared) and read == [1]  # nothing read ahead
    assert len(list(stream)) == 2 and read == [1, 1, 1]
