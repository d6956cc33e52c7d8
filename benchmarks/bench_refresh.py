"""Benchmark ``refresh`` on a real database: the recorded Jikan answers served on loopback.

Usage::

    python benchmarks/bench_refresh.py --db .dev/real.db [--ids 6,69 --ids 100,439]

Each ``--ids`` group is one refresh, run in order on a copy of ``--db`` (the original is
never written) through the real client (:func:`nextseason.live.fetch`) against the replay
server (``../shared/data/recorded``). The model cache and the response cache are fresh
temporary folders, so the first refresh trains the forecast model (as the first refresh
after a build does) and the later ones reuse it. Prints, per refresh, the wall and CPU
seconds of each stage (fetch, write, link, forecast, status) and in all, and then the same
first group again (unchanged: nothing stored).
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from functools import partial
from pathlib import Path

RECORDED = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "recorded"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--ids", action="append", default=None,
                        help="comma-separated MAL ids of one refresh (repeatable)")
    args = parser.parse_args()
    groups = [[int(x) for x in g.split(",")] for g in (args.ids or ["6,69", "100,439"])]
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["NEXTSEASON_CACHE"] = str(Path(tmp) / "models")
        from nextseason.live import LiveConfig, fetch
        from nextseason.live.replay import serve
        from nextseason.refresh import refresh
        from nextseason.store import connect

        db = Path(tmp) / "nextseason.db"
        shutil.copy(args.db, db)
        conn = connect(db)
        with serve(RECORDED) as server:
            config = LiveConfig.from_env(jikan_url=f"{server.url}/v4",
                                         cache_dir=Path(tmp) / "http")
            bound = partial(fetch, config=config)
            for ids in [*groups, groups[0]]:
                t, c = time.perf_counter(), time.process_time()
                report = refresh(conn, fetch=bound, sources=["jikan"], ids=ids)
                wall, cpu = time.perf_counter() - t, time.process_time() - c
                stages = ", ".join(f"{k} {w:.1f}/{p:.1f}" for k, (w, p) in
                                   report.timings.items())
                what = (f"{report.snapshots[0].name}, {len(report.touched)} entries touched,"
                        f" {report.forecasts} forecasts" if report.snapshots else "unchanged")
                print(f"refresh {ids}: {wall:.1f} s wall, {cpu:.1f} s CPU ({what});"
                      f" stages wall/CPU s: {stages or '-'}")
        conn.close()


if __name__ == "__main__":
    main()
