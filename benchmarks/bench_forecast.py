"""Run the backtest on a built database and print its figures against the issue's targets.

    python benchmarks/bench_forecast.py --db .dev/bench.db [--report-dir reports]
    python benchmarks/bench_forecast.py --db .dev/bench.db --build-step   # the build's step only
    python benchmarks/bench_forecast.py --db .dev/bench.db --seeds 6      # the scores' fit luck

``--build-step`` times the build's forecasting step (``precompute_forecasts``: training on the
newest snapshot, forecasting every series, storing statuses, factors and comparables) on a
copy of the database, in wall and CPU seconds (target: no slower than before landmark
training, about 29 s).

Targets (issue 12), for "the next TV/ONA season premieres by 2025-03", default model, on the
primary population (series that ended at most five years before the origin): origin
2021-01-24 AUC ≥ 0.87, Brier skill ≥ 0.18, ICI ≤ 0.02; origin 2018-06-30 AUC ≥ 0.80, Brier
skill ≥ 0.08, ICI ≤ 0.02 — each printed with its 95 % bootstrap interval; forecasts for
≥ 95 % of eligible series; the whole backtest in ≤ 5 minutes.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from nextseason.forecast.backtest import run_backtest
from nextseason.forecast.card import TARGETS, write_model_card
from nextseason.forecast.predict import DEFAULT_MODEL
from nextseason.store import connect_readonly


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--db", default=".dev/bench.db")
    ap.add_argument("--report-dir", default=None, help="also write the model card here")
    ap.add_argument("--build-step", action="store_true",
                    help="time the build's forecasting step instead of the backtest")
    ap.add_argument("--seeds", type=int, default=0, metavar="K",
                    help="instead: refit with K draws of the boosted trees' negatives (seeds"
                         " 0..K-1) and print how the default model's scores move")
    args = ap.parse_args()
    if args.build_step:
        return build_step(Path(args.db))
    if args.seeds:
        return seeds(Path(args.db), args.seeds)
    conn = connect_readonly(args.db)
    cpu0 = time.process_time()
    result = run_backtest(conn, progress=lambda m: print(f"  … {m}", file=sys.stderr))
    cpu = time.process_time() - cpu0
    t = result.table()
    main_rows = t[(t["horizon"] == result.main_horizon) & (t["subset"] == "primary")]
    load = os.getloadavg()[0]
    print(f"backtest: {result.seconds:.0f} s wall, {cpu:.0f} s CPU on {os.cpu_count()} cores"
          f" (load average {load:.1f}; target ≤ 300 s)")
    print(f"default model in forecasts: {DEFAULT_MODEL}; best on {result.main_horizon}:"
          f" {result.default_model}")
    ok = result.seconds <= 300
    for origin, c in result.counts.items():
        cov = result.coverage[origin]
        ok &= cov >= 0.95
        print(f"\norigin {origin}: {c['scored']:,} series scored, "
              f"{c['primary']:,} in the primary population, "
              f"{int(main_rows[main_rows.origin == origin]['events'].iloc[0])} events there; "
              f"coverage {cov:.1%} (target ≥ 95 %)")
        part = main_rows[main_rows["origin"] == origin].sort_values("brier_skill",
                                                                    ascending=False)
        print(f"  {'model':<28}{'AUC [95 %]':>22}{'skill [95 %]':>25}{'ICI [95 %]':>22}"
              f"{'mean p':>8}{'P(default better)':>19}")
        for r in part.itertuples():
            print(f"  {r.model:<28}{r.auc:7.3f} [{r.auc_lo:.3f}, {r.auc_hi:.3f}]"
                  f"{r.brier_skill:+8.3f} [{r.brier_skill_lo:+.3f}, {r.brier_skill_hi:+.3f}]"
                  f"{r.ici:7.3f} [{r.ici_lo:.3f}, {r.ici_hi:.3f}]{r.mean_predicted:8.3f}"
                  f"{r.p_default_better_brier:19.2f}   (base rate {r.base_rate:.3f})")
        row = part[part["model"] == DEFAULT_MODEL].iloc[0]
        for metric, goal in TARGETS.get(origin, {}).items():
            value = float(row[metric])
            met = value <= goal if metric == "ici" else value >= goal
            ok &= met
            print(f"  target {metric} {'≤' if metric == 'ici' else '≥'} {goal}: {value:.3f}"
                  f" [{row[metric + '_lo']:.3f}, {row[metric + '_hi']:.3f}]"
                  f" {'met' if met else 'NOT met'}")
    if args.report_dir:
        print(f"\nmodel card: {write_model_card(result, Path(args.report_dir))}")
    return 0 if ok else 1


def seeds(db: Path, k: int) -> int:
    """The default model's primary-population scores at each origin, refitted with ``k``
    draws of the negatives the boosted trees keep (``DiscreteTimeHazard(seed=...)``): the
    part of a score that is the luck of one fit, beside the bootstrap interval (which holds
    the fit fixed and resamples the series)."""
    import numpy as np

    from nextseason.forecast import backtest

    if k < 1:
        print("--seeds must be at least 1", file=sys.stderr)
        return 2
    conn = connect_readonly(db)
    base = dict(backtest.MODEL_PARAMS["gbm"])
    got: dict[tuple[str, str], list[float]] = {}
    for seed in range(k):
        backtest.MODEL_PARAMS["gbm"] = {**base, "seed": seed}
        try:
            result = run_backtest(conn, previous=False, n_boot=20,
                                  progress=lambda m, seed=seed: print(
                                      f"  … seed {seed}: {m}", file=sys.stderr))
        finally:
            backtest.MODEL_PARAMS["gbm"] = base
        t = result.table()
        rows = t[(t["horizon"] == result.main_horizon) & (t["subset"] == "primary")
                 & (t["model"] == DEFAULT_MODEL)]
        for r in rows.itertuples():
            for metric in ("auc", "brier_skill", "ici"):
                got.setdefault((r.origin, metric), []).append(float(getattr(r, metric)))
            print(f"seed {seed}: {r.origin} AUC {r.auc:.3f}, Brier skill {r.brier_skill:+.3f},"
                  f" ICI {r.ici:.3f}", flush=True)
    print(f"\n{DEFAULT_MODEL} on the primary population over {k} draws of the negatives:")
    for (origin, metric), values in sorted(got.items()):
        v = np.array(values)
        print(f"  {origin} {metric:<12} mean {v.mean():+.3f}, range {v.min():+.3f} to"
              f" {v.max():+.3f} (seed 0, the default: {v[0]:+.3f})")
    return 0


def build_step(db: Path) -> int:
    import shutil
    import tempfile

    from nextseason.forecast.models_dt import gbm_threads
    from nextseason.forecast.precompute import precompute_forecasts
    from nextseason.store import connect

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "step.db"
        shutil.copy(db, copy)
        conn = connect(copy)
        threads = gbm_threads()
        t0, cpu0 = time.perf_counter(), time.process_time()
        n = precompute_forecasts(conn, progress=lambda m: print(
            f"  … {time.perf_counter() - t0:5.1f} s {m}", file=sys.stderr)).count
        wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        conn.close()
    print(f"build's forecasting step: {n:,} series forecast in {wall:.1f} s wall,"
          f" {cpu:.1f} s CPU, boosted trees on {threads} thread(s) (load average"
          f" {os.getloadavg()[0]:.1f}; target ≤ 29 s wall)")
    return 0 if wall <= 29 else 1


if __name__ == "__main__":
    sys.exit(main())
