"""Time a full ``build`` from the raw data and report the database's size.

    python benchmarks/bench_build.py --data ../shared/data/raw --db .dev/bench.db [--runs 1]

Target (issue 2): a full build on this 2-core machine in ≤ 60 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from nextseason.ingest.context import ImportResult
from nextseason.ingest.sources import Source
from nextseason.pipeline import Progress, build


class _Timer(Progress):
    def __init__(self) -> None:
        self.t0: dict[str, float] = {}
        self.elapsed: dict[str, float] = {}

    def start(self, source: Source) -> None:
        self.t0[source.name] = time.perf_counter()

    def finish(self, source: Source, result: ImportResult) -> None:
        self.elapsed[source.name] = time.perf_counter() - self.t0[source.name]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data", default=os.environ.get("NEXTSEASON_DATA", "../shared/data/raw"))
    ap.add_argument("--db", default=".dev/bench.db")
    ap.add_argument("--runs", type=int, default=1)
    args = ap.parse_args()
    times = []
    for i in range(args.runs):
        timer = _Timer()
        t0 = time.perf_counter()
        report = build(args.data, Path(args.db), progress=timer)
        times.append(time.perf_counter() - t0)
        print(f"run {i + 1}: {times[-1]:.1f} s total")
        for name, sec in timer.elapsed.items():
            print(f"  {name:<20} {sec:6.2f} s  {report.results[name].stored:>7,} stored")
        rest = times[-1] - sum(timer.elapsed.values())
        print(f"  {'link, forecast, vacuum':<20} {rest:6.2f} s")
    print(f"build time: median {statistics.median(times):.1f} s over {len(times)} run(s)"
          f" (target ≤ 60 s) on {os.cpu_count()} cores")
    print(f"database size: {report.size_bytes / 1e6:.1f} MB ({args.db})")
    for k, v in report.counts.items():
        print(f"  {k:<14} {v:>9,}")
    return 0 if statistics.median(times) <= 60 else 1


if __name__ == "__main__":
    sys.exit(main())
