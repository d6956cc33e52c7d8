"""Benchmark the API's outlook route under load: 50 concurrent clients on loopback.

Usage::

    python benchmarks/bench_api.py --db .dev/bench.db [--clients 50] [--seconds 30]
        [--workers 1] [--procs 2] [--ids 300] [--seed 0] [--route outlook|season]
    python benchmarks/bench_api.py --db 'postgresql://user@host/db' ...   # PostgreSQL

``--db`` is a SQLite file or a ``postgresql://`` URL (the app then reads through its
connection pool). ``--route season`` requests ``/api/season/{year}/{season}`` for random
seasons instead: not cached by the app, so every request queries the database.

It starts uvicorn in a subprocess on 127.0.0.1 (a free port; ``--workers`` processes)
serving :func:`nextseason.web.create_app` over ``--db``, draws ``--ids`` real series ids
that have a forecast (seeded), warms up (every id a few times, so each worker has built and
cached its reports: the database never changes while the app runs), then runs ``--clients``
httpx.AsyncClient loops (spread over ``--procs`` client processes), each requesting
``/api/outlook/{id}`` for a random id until ``--seconds`` are up. It prints the requests,
errors, throughput and p50/p95/p99 latency in ms, and the cold (first, uncached) latency
measured during warm-up.

Targets (issue 5, 2-core machine): p50 <= 30 ms, p99 <= 150 ms, no errors.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import httpx

from nextseason.store import connect_readonly


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pick_ids(db: str, n: int, seed: int) -> list[int]:
    conn = connect_readonly(db)
    ids = [r[0] for r in conn.execute("SELECT mal_id FROM forecast ORDER BY mal_id")]
    conn.close()
    if not ids:
        sys.exit(f"{db}: no forecasts; build the database first")
    return random.Random(seed).sample(ids, min(n, len(ids)))


def start_server(db: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    where = db if db.startswith(("postgresql://", "postgres://")) else str(Path(db).resolve())
    env = dict(os.environ, NEXTSEASON_DB=where)
    cmd = [sys.executable, "-m", "uvicorn", "--factory", "nextseason.web.app:app_from_env",
           "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
           "--log-level", "warning", "--no-access-log"]
    return subprocess.Popen(cmd, env=env)


def wait_ready(base: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"uvicorn exited with {proc.returncode}")
        try:
            if httpx.get(base + "/api/search?q=a", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    sys.exit(f"uvicorn not ready after {timeout} s")


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))] if s else float("nan")


SEASONS = [f"/api/season/{y}/{s}" for y in range(2000, 2026)
           for s in ("winter", "spring", "summer", "fall")]


def route_of(route: str, key: int) -> str:
    return SEASONS[key % len(SEASONS)] if route == "season" else f"/api/outlook/{key}"


async def warm_up(base: str, ids: list[int], rounds: int, route: str = "outlook"
                  ) -> list[float]:
    cold: list[float] = []
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        for r in range(rounds):
            for mal_id in ids:
                t = time.perf_counter()
                resp = await client.get(route_of(route, mal_id))
                if r == 0:
                    cold.append((time.perf_counter() - t) * 1000)
                resp.raise_for_status()
    return cold


async def load(base: str, ids: list[int], clients: int, seconds: float,
               seed: int, route: str = "outlook") -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = 0
    stop = time.monotonic() + seconds

    async def one(k: int) -> None:
        nonlocal errors
        rng = random.Random(seed * 1000 + k)
        async with httpx.AsyncClient(base_url=base, timeout=10) as client:
            while time.monotonic() < stop:
                mal_id = rng.choice(ids)
                t = time.perf_counter()
                try:
                    resp = await client.get(route_of(route, mal_id))
                    ok = resp.status_code == 200 and resp.content[:1] == b"{"
                except httpx.HTTPError:
                    ok = False
                latencies.append((time.perf_counter() - t) * 1000)
                errors += not ok

    await asyncio.gather(*(one(k) for k in range(clients)))
    return latencies, errors


def load_in_process(base: str, ids: list[int], clients: int, seconds: float,
                    seed: int, route: str = "outlook") -> tuple[list[float], int]:
    return asyncio.run(load(base, ids, clients, seconds, seed, route))


def run_load(base: str, ids: list[int], clients: int, seconds: float, seed: int,
             procs: int, route: str = "outlook") -> tuple[list[float], int]:
    """The clients, split over ``procs`` processes: one Python process running 50 httpx
    clients saturates its core before the server does, and would measure itself."""
    if procs <= 1:
        return load_in_process(base, ids, clients, seconds, seed, route)
    shares = [clients // procs + (i < clients % procs) for i in range(procs)]
    with ProcessPoolExecutor(procs) as pool:
        futures = [pool.submit(load_in_process, base, ids, n, seconds, seed * 100 + i, route)
                   for i, n in enumerate(shares)]
        results = [f.result() for f in futures]
    return [x for lat, _ in results for x in lat], sum(e for _, e in results)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", required=True, help="a SQLite file or a postgresql:// URL")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--procs", type=int, default=2,
                    help="client processes the --clients are spread over (default 2)")
    ap.add_argument("--ids", type=int, default=300)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--route", choices=("outlook", "season"), default="outlook")
    args = ap.parse_args()

    ids = pick_ids(args.db, args.ids, args.seed)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start_server(args.db, port, args.workers)
    try:
        wait_ready(base, proc)
        t = time.perf_counter()
        cold = asyncio.run(warm_up(base, ids, rounds=2 * args.workers + 1, route=args.route))
        print(f"warm-up ({args.route}): {len(ids)} ids in {time.perf_counter() - t:.1f} s;"
              f" first request per id p50 {statistics.median(cold):.1f} ms,"
              f" p99 {pct(cold, 0.99):.1f} ms")
        lat, errors = run_load(base, ids, args.clients, args.seconds, args.seed, args.procs,
                               args.route)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
    n = len(lat)
    p50, p95, p99 = pct(lat, 0.50), pct(lat, 0.95), pct(lat, 0.99)
    kind = "PostgreSQL" if args.db.startswith(("postgresql://", "postgres://")) else "SQLite"
    print(f"{kind}, route {args.route}, workers {args.workers}, clients {args.clients} in"
          f" {args.procs} process(es),"
          f" {args.seconds:g} s, {len(ids)} ids")
    print(f"requests {n}  errors {errors}  throughput {n / args.seconds:.0f}/s")
    print(f"latency ms: p50 {p50:.1f}  p95 {p95:.1f}  p99 {p99:.1f}  max {max(lat):.1f}")
    met = p50 <= 30 and p99 <= 150 and errors == 0
    print("targets (p50 <= 30 ms, p99 <= 150 ms, no errors):", "met" if met else "NOT met")


if __name__ == "__main__":
    main()
