"""Benchmark the first line of every answer: the right show and the right status, for
franchises fans ask about.

Usage: ``python benchmarks/bench_status.py --db PATH [--truth CSV] [--today DATE]``

Truth: ``tests/fixtures/status_franchises.csv``, checked by hand: for each query a fan would
type, the show it must open (``expected_mal_id``; empty when the catalogue lacks the show)
and the status the data can support as of the newest source (``announced``, ``airing``,
``not announced``, ``concluded``, or ``not found``). The note says what decides it.

For each query the script resolves the title exactly as ``outlook`` does (a confident match
or "not found") and decides the status from every dated source (``link.status``). It prints
one row per query, the share of queries with the right show and the right status, and the
time per query. The database is opened read-only.
"""

from __future__ import annotations

import argparse
import csv
import time
from datetime import date
from pathlib import Path

from nextseason.catalogue.resolve import resolve_anime
from nextseason.errors import NotFoundError, QueryError
from nextseason.link.status import series_status
from nextseason.search.index import SearchIndex
from nextseason.store import connect_readonly
from nextseason.store.catalogue import anime_title

TRUTH = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "status_franchises.csv"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True, type=Path)
    ap.add_argument("--truth", type=Path, default=TRUTH)
    ap.add_argument("--today", default=date.today().isoformat(),
                    help="the date answers are made on (default: today)")
    args = ap.parse_args()
    conn = connect_readonly(args.db)
    index = SearchIndex.from_db(conn)
    rows = list(csv.DictReader(args.truth.open(encoding="utf-8")))
    right_show = right_status = 0
    times = []
    print(f"{'query':<26} {'opens':<34} {'status':<14} {'expected':<14} ok")
    for row in rows:
        t0 = time.perf_counter()
        try:
            mal_id: int | None = resolve_anime(conn, row["query"], index=index)
        except (NotFoundError, QueryError):
            mal_id = None
        if mal_id is None:
            status, title = "not found", "-"
        else:
            st = series_status(conn, mal_id, args.today)
            status = st.status
            title = anime_title(conn, mal_id) or "-"
        times.append(time.perf_counter() - t0)
        want_id = int(row["expected_mal_id"]) if row["expected_mal_id"] else None
        show_ok = mal_id == want_id
        status_ok = show_ok and status == row["expected_status"]
        right_show += show_ok
        right_status += status_ok
        print(f"{row['query'][:26]:<26} {title[:34]:<34} {status:<14}"
              f" {row['expected_status']:<14} {'yes' if status_ok else 'NO'}")
    n = len(rows)
    times.sort()
    print(f"\nqueries {n}: right show {right_show}/{n} ({right_show / n:.0%}),"
          f" right show and status {right_status}/{n} ({right_status / n:.0%})")
    print(f"time per query (resolve + status): median {times[n // 2] * 1000:.1f} ms,"
          f" max {times[-1] * 1000:.1f} ms (as of {args.today})")


if __name__ == "__main__":
    main()
