"""Benchmark title search on a built catalogue: latency and hit rate for typo'd queries.

Usage::

    python benchmarks/bench_search.py --db .dev/nextseason.db [--n 1000] [--seed 0]

It loads a :class:`~nextseason.search.SearchIndex` from the database (read-only; the load
is timed), draws ``n`` real aliases at random (seeded; fan aliases excluded), spoils each
with 1–2 typos (deletion, insertion, substitution or transposition of a character) and, for
about a third of them, a change of case or punctuation, then searches them in-process.

It prints latency percentiles (p50, p95, p99, in ms) and the hit rate: top-1 and top-5 for
the show the alias was drawn from, and top-1 "any", which also counts a show that carries
the very same alias (a homonym such as "Hunter x Hunter", 1999 and 2011: no query can tell
them apart, so popularity decides). Target on a 2-core machine: p50 <= 20 ms, p99 <= 100 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import string
import sys
import time
from collections import defaultdict

from nextseason.search import SearchIndex, normalize
from nextseason.store import connect_readonly

_PUNCT = " :-!.,'?"


def spoil(text: str, rng: random.Random) -> str:
    """``text`` with 1-2 random typos and, one time in three, a case/punctuation change."""
    chars = list(text)
    alphabet = string.ascii_lowercase if text.isascii() else text
    for _ in range(rng.choice((1, 1, 2))):
        if len(chars) < 2:
            chars.append(rng.choice(alphabet))
            continue
        i = rng.randrange(len(chars))
        op = rng.choice(("delete", "insert", "substitute", "transpose"))
        if op == "delete":
            del chars[i]
        elif op == "insert":
            chars.insert(i, rng.choice(alphabet))
        elif op == "substitute":
            chars[i] = rng.choice(alphabet)
        elif i + 1 < len(chars):
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
    out = "".join(chars)
    r = rng.random()
    if r < 0.1:
        out = out.upper()
    elif r < 0.2:
        out = out.lower()
    elif r < 0.33:
        out = "".join(c for c in out if c not in _PUNCT[1:]) + rng.choice(("", "!", "?", "."))
    return out


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0-100) of ``values``, nearest-rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="a built nextseason database")
    parser.add_argument("--n", type=int, default=1000, help="queries to run (default 1000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--show-misses", type=int, default=0, help="print this many misses")
    args = parser.parse_args(argv)

    conn = connect_readonly(args.db)
    t0 = time.perf_counter()
    index = SearchIndex.from_db(conn)
    load_s = time.perf_counter() - t0
    rows = conn.execute(
        "SELECT mal_id, title FROM title WHERE kind != 'fan' ORDER BY mal_id, kind, title"
    ).fetchall()
    owners: dict[str, set[int]] = defaultdict(set)
    for mal_id, title in rows:
        owners[normalize(title)].add(mal_id)

    rng = random.Random(args.seed)
    sample = rng.sample(rows, min(args.n, len(rows)))
    queries = [(mal_id, title, spoil(title, rng)) for mal_id, title in sample]
    index.search("warm up")

    latencies: list[float] = []
    top1 = top5 = top1_any = 0
    misses = []
    for mal_id, title, query in queries:
        t = time.perf_counter()
        hits = index.search(query, limit=5)
        latencies.append((time.perf_counter() - t) * 1000)
        ids = [h.mal_id for h in hits]
        top1 += bool(ids) and ids[0] == mal_id
        top5 += mal_id in ids
        top1_any += bool(ids) and ids[0] in owners[normalize(title)]
        if mal_id not in ids:
            misses.append((title, query, hits[0].title if hits else None))

    n = len(queries)
    print(f"index: {len(index):,} aliases, loaded in {load_s * 1000:.0f} ms")
    print(f"queries: {n} (seed {args.seed})")
    print(
        f"latency ms: p50 {percentile(latencies, 50):.2f}  p95 {percentile(latencies, 95):.2f}"
        f"  p99 {percentile(latencies, 99):.2f}  max {max(latencies):.2f}"
        f"  mean {statistics.fmean(latencies):.2f}"
    )
    print(
        f"hit rate: top-1 {top1 / n:.1%}  top-5 {top5 / n:.1%}"
        f"  top-1 any show with that alias {top1_any / n:.1%}"
    )
    for title, query, got in misses[: args.show_misses]:
        print(f"  miss: {title!r} typed {query!r} -> {got!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
