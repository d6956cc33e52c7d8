"""Time `forecast QUERY` from a cold CLI start to printed output, beside `outlook QUERY`.

    python benchmarks/bench_forecast_query.py --db .dev/bench.db [--query Higehiro] [--runs 10]

Each run is a fresh process, so imports and opening the database are counted. Without
--as-of the forecast is read from the tables the build filled (no training).
Target (issue 11): ≤ 1 s, as fast as `outlook`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path


def _time(cmd: list[str], runs: int) -> list[float]:
    env = {**os.environ, "COLUMNS": "100"}
    subprocess.run(cmd, check=True, capture_output=True, env=env)  # warm the OS file cache
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, env=env)
        times.append((time.perf_counter() - t0) * 1000)
        if done.returncode != 0:
            raise SystemExit(done.stderr.decode())
    return sorted(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--db", default=".dev/bench.db")
    ap.add_argument("--query", default="Higehiro")
    ap.add_argument("--runs", type=int, default=10)
    args = ap.parse_args()
    exe = str(Path(sys.executable).with_name("nextseason"))
    medians = {}
    for command in ("forecast", "outlook"):
        times = _time([exe, command, args.query, "--db", args.db], args.runs)
        medians[command] = statistics.median(times)
        p90 = times[int(0.9 * (len(times) - 1))]
        print(f"{command} {args.query!r}, cold CLI, {len(times)} runs: median"
              f" {medians[command]:.0f} ms, p90 {p90:.0f} ms, min {times[0]:.0f} ms")
    print(f"forecast / outlook: {medians['forecast'] / medians['outlook']:.2f}×"
          " (target: forecast ≤ 1000 ms)")
    return 0 if medians["forecast"] <= 1000 else 1


if __name__ == "__main__":
    sys.exit(main())
