"""Time the outlook for one title from a cold CLI start to printed output.

    python benchmarks/bench_outlook.py --db .dev/bench.db [--query Higehiro] [--runs 15]

Each run is a fresh process (`nextseason outlook QUERY`), so imports and opening the
database are counted; the one-time build (which precomputes the forecasts) is not.
Target (issue 5): ≤ 300 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--db", default=".dev/bench.db")
    ap.add_argument("--query", default="Higehiro")
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--format", default="text", choices=["text", "md", "html", "json"])
    args = ap.parse_args()
    exe = Path(sys.executable).with_name("nextseason")
    cmd = [str(exe), "outlook", args.query, "--db", args.db, "--format", args.format]
    env = {**os.environ, "COLUMNS": "100"}
    subprocess.run(cmd, check=True, capture_output=True, env=env)  # warm the OS file cache
    times = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, env=env)
        times.append((time.perf_counter() - t0) * 1000)
        if done.returncode != 0:
            print(done.stderr.decode(), file=sys.stderr)
            return 1
    times.sort()
    p50 = statistics.median(times)
    p90 = times[int(0.9 * (len(times) - 1))]
    print(f"outlook {args.query!r} ({args.format}), cold CLI, {len(times)} runs:"
          f" median {p50:.0f} ms, p90 {p90:.0f} ms, min {times[0]:.0f} ms (target ≤ 300 ms)")
    return 0 if p50 <= 300 else 1


if __name__ == "__main__":
    sys.exit(main())
