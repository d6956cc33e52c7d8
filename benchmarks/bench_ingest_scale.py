"""Articles at scale: ``ingest`` throughput and the driver's peak memory, plain and on Dask.

    python benchmarks/bench_ingest_scale.py [--n 100000] [--small 10000]
        [--engines plain,dask1,dask2] [--template .dev/real.db] [--pg-url postgresql://…]

1. **Synthetic articles.** ``--n`` new articles are made from the development set
   (``../shared/articles/dev``, 32 real articles: see its README) and written to a
   temporary folder (1,000 files a sub-folder): each takes a show name from the set's
   ``ANIME:`` lines, a headline from a few patterns, a date between 2014 and 2025, and 6–30
   real sentences of the set's bodies in a new order (and the show's name again, in
   a sentence that names it), so every article is different (its text hash, its id) but
   every sentence is one a real article wrote. The same seed gives the same articles.
2. **Runs.** Each engine ingests the folder into a fresh copy of ``--template`` (a built
   database; the real one, ``.dev/real.db``, when present, else a small synthetic catalogue
   is built) through the real command — ``nextseason ingest DIR --quiet [--engine dask
   --workers K]`` — in a child process, first the ``--small`` first articles, then all
   ``--n``. With ``--pg-url`` (a PostgreSQL database with a built catalogue: ``nextseason
   build --db postgresql://…``) the same runs go there through ``--db`` too, the synthetic
   articles deleted between runs; without it PostgreSQL is skipped with a message.
3. **Figures.** Articles per second (wall time of the whole command, start-up, cluster
   start and catalogue index included), CPU seconds (driver and workers, user + sys, from
   ``getrusage`` of the waited children) and the **driver's peak RSS** (``ru_maxrss`` of
   the command's own process, its workers not counted): it should not grow with N, since
   the driver streams — a few hundred articles in flight, not all pages in memory. Rows
   stored are checked: every run stores all N articles, and the same claims.

Measured figures are in the README ("Articles at scale") and CHANGELOG.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "articles" / "dev"
TEMPLATE = ROOT / ".dev" / "real.db"
SITE = "https://synthetic.example"
HEADLINES = (
    "{show} Season {k}: Release Date, Renewal and What We Know",
    "Will {show} Get a Season {k}?",
    "{show} season {k} release date predictions",
    "Is {show} Season {k} Happening? Everything We Know",
    "{show}: Is There Going to Be Another Season?",
)

# ------------------------------------------------------------------------ the articles


def _dev_pool(folder: Path) -> tuple[list[str], list[str]]:
    """(sentences, show names) of the development set's articles."""
    sentences: list[str] = []
    shows: set[str] = set()
    for f in sorted((folder / "articles").glob("*.txt")):
        head, _, body = f.read_text(encoding="utf-8").partition("\n---\n")
        for line in head.splitlines():
            if line.startswith("ANIME:"):
                value = line.split(":", 1)[1].strip()
                romaji, _, english = value.partition(" (")
                shows.update(n.strip(" )") for n in (romaji, english) if n.strip(" )"))
        for line in body.splitlines():
            line = line.strip()
            if len(line) < 20:
                continue
            sentences += [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"“])", line)
                          if len(s) >= 20]
    return sentences, sorted(shows)


def write_articles(n: int, folder: Path, *, seed: int = 13, dev: Path = DEV) -> int:
    """Write ``n`` synthetic articles under ``folder``; returns their total size in bytes."""
    sentences, shows = _dev_pool(dev)
    if not sentences or not shows:
        raise SystemExit(f"no development articles found in {dev}")
    total = 0
    for i in range(n):
        rng = random.Random(seed * 1_000_003 + i)
        show, k = rng.choice(shows), rng.randint(2, 5)
        title = rng.choice(HEADLINES).format(show=show, k=k)
        year, month, day = rng.randint(2014, 2025), rng.randint(1, 12), rng.randint(1, 28)
        body = rng.sample(sentences, rng.randint(6, min(30, len(sentences))))
        body.insert(rng.randint(0, len(body)), f"Fans of {show} have waited for news of "
                    f"season {k} since the last episode aired.")
        paragraphs = [" ".join(body[j:j + 3]) for j in range(0, len(body), 3)]
        text = (f"URL: {SITE}/{year}/{month:02d}/article-{i}\nTITLE: {title}\n"
                f"PUBLISHED: {year}-{month:02d}-{day:02d}\n---\n{title}\n\n"
                + "\n\n".join(paragraphs) + f"\n\n(Synthetic article {i}.)\n")
        sub = folder / f"{i // 1000:04d}"
        if i % 1000 == 0:
            sub.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        (sub / f"article-{i:07d}.txt").write_bytes(data)
        total += len(data)
    return total


# ------------------------------------------------------------------------------ runs

CHILD = """
import json, resource, sys, time
from nextseason.cli import app
t0 = time.perf_counter()
code = 0
try:
    app(sys.argv[2:], prog_name="nextseason")
except SystemExit as exc:
    code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
ru = resource.getrusage(resource.RUSAGE_SELF)
with open(sys.argv[1], "w") as fh:
    json.dump({"code": code, "wall": time.perf_counter() - t0, "maxrss_kb": ru.ru_maxrss,
               "driver_cpu": ru.ru_utime + ru.ru_stime}, fh)
"""


@dataclass
class Run:
    engine: str
    backend: str
    n: int
    wall: float
    cpu: float
    driver_cpu: float
    peak_mb: float
    stored: int
    claims: int
    output: str

    @property
    def rate(self) -> float:
        return self.n / self.wall if self.wall else 0.0


def _engine_args(engine: str) -> list[str]:
    if engine == "plain":
        return []
    workers = engine.removeprefix("dask")
    return ["--engine", "dask", "--workers", workers or "2"]


def run_ingest(engine: str, paths: list[Path], db: str, n: int, backend: str) -> Run:
    with tempfile.NamedTemporaryFile("r", suffix=".json") as result:
        args = [sys.executable, "-c", CHILD, result.name, "ingest", *map(str, paths),
                "--quiet", "--db", db, *_engine_args(engine)]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        proc = subprocess.run(args, capture_output=True, text=True)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        try:
            info: dict[str, Any] = json.loads(Path(result.name).read_text() or "{}")
        except json.JSONDecodeError:
            info = {}
    output = (proc.stdout + proc.stderr).strip()
    if proc.returncode != 0 or info.get("code", 1) != 0:
        raise RuntimeError(f"{engine} on {backend} failed ({proc.returncode}): {output[-800:]}")
    stored = re.search(r"([\d,]+) new \(([\d,]+) claims\)", output)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(engine, backend, n, wall, cpu, info.get("driver_cpu", 0.0),
               info.get("maxrss_kb", 0) / 1024,
               int(stored.group(1).replace(",", "")) if stored else -1,
               int(stored.group(2).replace(",", "")) if stored else -1, output)


def _template(path: Path | None, work: Path) -> Path:
    if path is not None and path.is_file():
        return path
    from nextseason.ingest.build import build

    from nextseason.fixtures import write_synthetic_data

    print(f"no template database at {path}: building the small synthetic catalogue",
          flush=True)
    raw = work / "raw"
    write_synthetic_data(raw, seed=0)
    db = work / "template.db"
    build(raw, db, forecasts=False)
    return db


def _pg_clear(url: str) -> None:
    """Delete the synthetic articles from the PostgreSQL database (between runs)."""
    from nextseason.store import connect
    from nextseason.store.conn import atomic

    conn = connect(url)  # the store's connection: its schema, its placeholders
    try:
        with atomic(conn):
            conn.execute("DELETE FROM claim WHERE article_id IN "
                         "(SELECT id FROM article WHERE url LIKE ?)", (SITE + "/%",))
            conn.execute("DELETE FROM article WHERE url LIKE ?", (SITE + "/%",))
    finally:
        conn.close()


def _claims_digest(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(
            "SELECT c.article_id, c.idx, c.field, c.value, c.qualifier, c.subject_mal_id, "
            "c.start, c.end, c.as_of FROM claim c JOIN article a ON a.id = c.article_id "
            "WHERE a.url LIKE ? ORDER BY c.article_id, c.idx", (SITE + "/%",)).fetchall()
    finally:
        conn.close()
    import hashlib

    return hashlib.sha256(repr(rows).encode()).hexdigest()[:16]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=100_000, help="articles (default 100,000)")
    ap.add_argument("--small", type=int, default=None,
                    help="the smaller size, to show peak memory does not grow (default n/10)")
    ap.add_argument("--engines", default="plain,dask1,dask2",
                    help="comma-separated: plain, daskK (K local workers)")
    ap.add_argument("--template", type=Path, default=TEMPLATE,
                    help="a built database to copy for each run (default .dev/real.db)")
    ap.add_argument("--pg-url", default=None,
                    help="also ingest into this PostgreSQL database (a built catalogue)")
    ap.add_argument("--backends", default="sqlite,postgresql",
                    help="comma-separated: sqlite, postgresql (this one with --pg-url)")
    ap.add_argument("--dev", type=Path, default=DEV)
    ap.add_argument("--keep", type=Path, default=None,
                    help="write the articles here and keep them (default: a temporary "
                         "folder, removed at the end)")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    a = ap.parse_args()
    small = a.small if a.small is not None else max(a.n // 10, 1)
    engines = [e.strip() for e in a.engines.split(",") if e.strip()]
    asked = [b.strip() for b in a.backends.split(",") if b.strip()]
    if not asked or set(asked) - {"sqlite", "postgresql"}:
        raise SystemExit(f"--backends {a.backends!r}: sqlite and/or postgresql")
    for e in engines:
        if e != "plain" and not re.fullmatch(r"dask\d+", e):
            raise SystemExit(f"unknown engine {e!r}: plain or daskK")
    work = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    folder = a.keep or work / "articles"
    try:
        t0 = time.perf_counter()
        size = write_articles(a.n, folder, dev=a.dev)
        print(f"{a.n:,} synthetic articles ({size / 1e6:.1f} MB) written to {folder} in "
              f"{time.perf_counter() - t0:.1f} s; {os.cpu_count()} cores", flush=True)
        template = _template(a.template, work)
        print(f"template database: {template}", flush=True)
        subs = sorted(p for p in folder.iterdir() if p.is_dir())
        sizes = sorted({small, a.n}) if small < a.n else [a.n]
        backends = [b for b in ("sqlite", "postgresql") if b in asked
                     and (b == "sqlite" or a.pg_url)]
        if "postgresql" in asked and not a.pg_url:
            print("PostgreSQL: skipped (give --pg-url postgresql://… with a built catalogue)")
        runs: list[Run] = []
        digests: dict[tuple[int, str], set[str]] = {}
        failed_backends: set[str] = set()
        for backend in backends:
            for n in sizes:
                if backend in failed_backends:
                    break
                if n % 1000 and n != a.n:
                    raise SystemExit("--small must be a multiple of 1,000")
                paths = subs[:max(n // 1000, 1)] if n != a.n else [folder]
                for engine in engines:
                    if backend == "sqlite":
                        db = work / f"{engine}-{n}.db"
                        shutil.copy(template, db)
                        target = str(db)
                    else:
                        try:
                            _pg_clear(a.pg_url)
                        except Exception as exc:  # no server, no catalogue there, …
                            print(f"PostgreSQL: skipped, cannot use {a.pg_url}: {exc}")
                            failed_backends.add(backend)
                            break
                        target = a.pg_url
                    try:
                        r = run_ingest(engine, paths, target, n, backend)
                    except RuntimeError as exc:
                        if backend != "postgresql":
                            raise
                        print(f"PostgreSQL: skipped, the command failed: {exc}")
                        failed_backends.add(backend)
                        break
                    runs.append(r)
                    print(f"{backend:<10} {engine:<6} N={n:>7,}: {r.rate:7.1f} articles/s "
                          f"({r.wall:7.1f} s wall, {r.cpu:7.1f} s CPU of which driver "
                          f"{r.driver_cpu:6.1f}), driver peak RSS {r.peak_mb:6.0f} MB, "
                          f"{r.stored:,} stored, {r.claims:,} claims", flush=True)
                    if r.stored != n:
                        print(f"  WARNING: expected {n:,} articles stored, got {r.stored:,}")
                    if backend == "sqlite":
                        digests.setdefault((n, backend), set()).add(_claims_digest(db))
                        db.unlink()
        for (n, backend), ds in digests.items():
            same = "the same claim rows" if len(ds) == 1 else "DIFFERENT claim rows"
            print(f"N={n:,} {backend}: every engine stored {same}")
        if a.json:
            a.json.write_text(json.dumps([{k: v for k, v in vars(r).items() if k != "output"}
                                          | {"rate": r.rate} for r in runs], indent=1))
        return 0 if all(len(ds) == 1 for ds in digests.values()) else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
