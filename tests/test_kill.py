"""``kill -9`` of ``build`` and ``ingest`` at several moments (issue 9).

A child process runs the real build or ingest on the small synthetic catalogue and sends
itself SIGKILL at a chosen moment (a progress stage, just before the atomic replace, in the
middle of the ingest's write transaction): no timing is involved. Afterwards the database must
be the old one, byte for byte, or a complete new one; it must pass SQLite's integrity check
and still hold the user's articles; and the next build must clean up what the killed one
left behind.
"""

from __future__ import annotations

import hashlib
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from nextseason.claims.articles import ingest_paths
from nextseason.claims.extract import extract_claims
from nextseason.pipeline import build
from nextseason.store import connect

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")

CHILD_BUILD = """
import os, signal, sys
from pathlib import Path
import nextseason.pipeline  # noqa: F401
mod = sys.modules["nextseason.pipeline"]
data, db, moment = sys.argv[1], Path(sys.argv[2]), sys.argv[3]

def die():
    os.kill(os.getpid(), signal.SIGKILL)

class Progress(mod.Progress):
    def start(self, source):
        if moment == "importing " + source.name:
            die()
    def stage(self, name):
        if name.startswith(moment):
            die()

if moment == "replace":
    real = os.replace
    def replace(src, dst):
        die()
    mod.os.replace = replace
mod.build(data, db, forecasts=False, progress=Progress())
"""

CHILD_INGEST = """
import os, signal, sys
from pathlib import Path
import nextseason.claims.articles as articles
from nextseason.claims.extract import extract_claims
from nextseason.store import connect
db, folder, moment = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]

def die():
    os.kill(os.getpid(), signal.SIGKILL)

real_write = articles._write
def write(*args, **kwargs):
    result = real_write(*args, **kwargs)
    if moment == "mid-transaction":
        die()
    return result
articles._write = write

def extract(art):
    if moment == "extracting":
        die()
    return extract_claims(art.text)

conn = connect(db)
articles.ingest_paths(conn, [folder], extract=extract)
"""

ARTICLE = ("Season {n} announced\n\nThe sequel was announced on March 3, 2024. It will "
           "premiere in January 2025 with 12 episodes. ({n})\n")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _run_child(script: str, *args: str) -> int:
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(script), *args],
                          capture_output=True, text=True, timeout=300)
    return proc.returncode


def _check(db: Path) -> tuple[int, int]:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM anime").fetchone()[0] > 0
        return (conn.execute("SELECT count(*) FROM article").fetchone()[0],
                conn.execute("SELECT count(*) FROM claim").fetchone()[0])
    finally:
        conn.close()


def _articles(folder: Path, n: int, first: int = 2) -> Path:
    folder.mkdir(exist_ok=True)
    for i in range(n):
        (folder / f"a{i}.txt").write_text(ARTICLE.format(n=first + i), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def base_db(synthetic_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with one ingested article, built once for the module."""
    folder = tmp_path_factory.mktemp("kill")
    db = folder / "n.db"
    build(synthetic_data, db, forecasts=False)
    conn = connect(db)
    ingest_paths(conn, [_articles(folder / "first", 1)],
                 extract=lambda art: extract_claims(art.text))
    conn.close()
    return db


@pytest.mark.parametrize("moment", ["importing jikan_2021", "importing jikan_2025", "linking",
                                    "checking", "carrying over", "replace"])
def test_build_killed_at_any_moment(synthetic_data: Path, base_db: Path, tmp_path: Path,
                                    moment: str) -> None:
    db = tmp_path / "n.db"
    shutil.copy(base_db, db)
    before, kept = _digest(db), _check(db)
    assert _run_child(CHILD_BUILD, str(synthetic_data), str(db), moment) == -signal.SIGKILL
    assert _digest(db) == before  # killed before the replace: the old file, untouched
    assert _check(db) == kept
    leftovers = [p for p in tmp_path.iterdir() if p.name.startswith(".n.db.building-")]
    assert leftovers  # the killed build's temporary file ...
    report = build(synthetic_data, db, forecasts=False)
    assert report.removed_stale > 0  # ... is removed by the next build
    assert [p.name for p in tmp_path.iterdir()] == ["n.db"]
    assert _check(db) == kept  # and the user's articles are still there


@pytest.mark.parametrize("moment", ["extracting", "mid-transaction"])
def test_ingest_killed_at_any_moment(base_db: Path, tmp_path: Path, moment: str) -> None:
    db = tmp_path / "n.db"
    shutil.copy(base_db, db)
    kept = _check(db)
    folder = _articles(tmp_path / "more", 3, first=10)
    assert _run_child(CHILD_INGEST, str(db), str(folder), moment) == -signal.SIGKILL
    assert _check(db) == kept  # nothing half-written: the hot journal is rolled back
    conn = connect(db)  # and the next ingest works
    results = ingest_paths(conn, [folder], extract=lambda art: extract_claims(art.text))
    conn.close()
    assert [r.created for r in results] == [True, True, True]
    assert _check(db)[0] == kept[0] + 3
