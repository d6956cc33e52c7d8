"""Benchmark the sequel linker against the 2021 snapshot's own Sequel / Prequel relations.

Usage: ``python benchmarks/bench_linker.py --db PATH [--examples N]``

Truth: the 2021 snapshot's Sequel edges plus its reversed Prequel edges, both ends TV/ONA
and both present in the 2021 snapshot. The 2021 relations are hidden from the linker, which
predicts over the whole catalogue; only predicted TV/ONA -> TV/ONA edges with both ends in
2021 are scored. Two settings:

(a) everything except 2021 relations: 2018 relations + rules + TVDB + titles;
(b) no typed relations at all: rules + TVDB + titles (what the 2025-only entries face).

Per method, precision is over the edges that method chose; recall is the share of the truth
that method found. The database is opened read-only.
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import time
from collections import Counter, defaultdict
from collections.abc import Iterable

from nextseason.link import SequelEdge, predict_sequel_edges
from nextseason.link.adaptation import predict_title_links
from nextseason.store import connect_readonly

TRUTH_SNAPSHOT = "jikan_2021"
SERIES = ("TV", "ONA")


def _present(conn: sqlite3.Connection) -> set[int]:
    rows = conn.execute(
        "SELECT v.mal_id FROM anime_version v JOIN snapshot s ON s.id = v.snapshot_id"
        " JOIN anime a ON a.mal_id = v.mal_id WHERE s.name = ? AND a.type IN (?, ?)",
        (TRUTH_SNAPSHOT, *SERIES),
    )
    return {r[0] for r in rows}


def _all_truth(conn: sqlite3.Connection) -> set[tuple[int, int]]:
    rows = conn.execute(
        "SELECT r.from_id, r.to_id, r.kind FROM relation r JOIN snapshot s"
        " ON s.id = r.snapshot_id WHERE s.name = ? AND r.to_type = 'anime'"
        " AND r.kind IN ('Sequel', 'Prequel')",
        (TRUTH_SNAPSHOT,),
    )
    return {(a, b) if kind == "Sequel" else (b, a) for a, b, kind in rows if a != b}


def truth_edges(conn: sqlite3.Connection, present: set[int]) -> set[tuple[int, int]]:
    """2021 Sequel edges and reversed Prequel edges between present TV/ONA entries."""
    return {(a, b) for a, b in _all_truth(conn) if a in present and b in present}


def series_edges(edges: Iterable[tuple[int, int]], series: set[int]) -> set[tuple[int, int]]:
    """Project a sequel graph onto TV/ONA entries: A -> B when B is the first TV/ONA entry
    on a sequel path from A (through movies, OVAs, specials, ...)."""
    nxt: dict[int, set[int]] = defaultdict(set)
    for a, b in edges:
        nxt[a].add(b)
    out = set()
    for a in series:
        stack, seen = list(nxt.get(a, ())), {a}
        while stack:
            x = stack.pop()
            if x in seen:
                continue
            seen.add(x)
            if x in series:
                out.add((a, x))
            else:
                stack.extend(nxt.get(x, ()))
    return out


def _detail(e: SequelEdge) -> str:
    m = re.match(r"title\[(\w+)\]", e.evidence)
    return f"title[{m.group(1)}]" if m else e.method


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _report(label: str, predicted: dict[tuple[int, int], str], truth: set[tuple[int, int]]
            ) -> list[tuple[int, int]]:
    tp = sum(1 for k in predicted if k in truth)
    p, r, f = _prf(tp, len(predicted) - tp, len(truth) - tp)
    print(f"{label}: truth {len(truth)}, predicted {len(predicted)}")
    print(f"  ALL              tp={tp:5d} fp={len(predicted) - tp:4d} "
          f"fn={len(truth) - tp:4d}  P={p:.3f} R={r:.3f} F1={f:.3f}")
    by: Counter[str] = Counter(predicted.values())
    hits: Counter[str] = Counter(m for k, m in predicted.items() if k in truth)
    for d in sorted(by, key=lambda d: -by[d]):
        print(f"  {d:16} n={by[d]:5d} tp={hits[d]:5d} fp={by[d] - hits[d]:4d} "
              f"P={hits[d] / by[d]:.3f} R={hits[d] / max(len(truth), 1):.3f}")
    return sorted(k for k in predicted if k not in truth)


def score(conn: sqlite3.Connection, name: str, snapshots: Iterable[str], examples: int) -> None:
    """Predict with ``snapshots``' relations and print the scores against the truth."""
    present = _present(conn)
    all_truth = _all_truth(conn)
    t0 = time.perf_counter()
    edges = predict_sequel_edges(conn, relation_snapshots=list(snapshots))
    elapsed = time.perf_counter() - t0
    print(f"\n=== ({name}) relations from {list(snapshots) or 'none'}; "
          f"{len(edges)} edges predicted in {elapsed:.2f}s ===")
    detail = {(e.prequel_id, e.sequel_id): _detail(e) for e in edges}
    direct = {k: m for k, m in detail.items() if k[0] in present and k[1] in present}
    truth = {k for k in all_truth if k[0] in present and k[1] in present}
    fps = _report("direct TV/ONA -> TV/ONA edges (the brief's measure)", direct, truth)
    into = {b: m for (_, b), m in detail.items()}
    series = {k: into[k[1]] for k in series_edges(detail, present)}
    _report("series level (next TV/ONA entry, through movies / OVAs / specials)",
            series, series_edges(all_truth, present))
    titles = dict(conn.execute("SELECT mal_id, title FROM anime"))
    evidence = {(e.prequel_id, e.sequel_id): e.evidence for e in edges}
    print(f"-- example direct false positives ({min(examples, len(fps))} of {len(fps)})")
    for a, b in fps[:examples]:
        print(f"  {titles[a]!r} -> {titles[b]!r} [{evidence[(a, b)][:80]}]")
    fns = sorted(truth - set(direct))
    print(f"-- example direct false negatives ({min(examples, len(fns))} of {len(fns)})")
    for a, b in fns[:examples]:
        print(f"  {a} {titles[a]!r} -> {b} {titles[b]!r}")


def main(argv: list[str] | None = None) -> None:
    """Run both settings on the database given by ``--db``."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True, help="a built nextseason database (read-only)")
    ap.add_argument("--examples", type=int, default=8, help="examples of FP / FN to print")
    args = ap.parse_args(argv)
    conn = connect_readonly(args.db)
    others = [
        r[0] for r in conn.execute(
            "SELECT DISTINCT s.name FROM snapshot s JOIN relation r ON r.snapshot_id = s.id"
            " WHERE s.name != ?", (TRUTH_SNAPSHOT,))
    ]
    score(conn, "a", others, args.examples)
    score(conn, "b", [], args.examples)
    score_adaptations(conn)


def score_adaptations(conn) -> None:
    """Title-based adaptation links, scored against the snapshots' Adaptation relations."""
    truth: dict[int, set[int]] = {}
    for mal_id, manga_id in conn.execute(
        "SELECT mal_id, manga_id FROM adaptation_link WHERE method = 'relation'"
    ):
        truth.setdefault(mal_id, set()).add(manga_id)
    pred = predict_title_links(conn, set(truth))
    tp = sum(1 for a, (m, _) in pred.items() if m in truth[a])
    print("\n== adaptation links by title (shows whose snapshot states one; relation hidden)")
    print(f"shows {len(truth):,}  linked {len(pred):,}  correct {tp:,}  "
          f"precision {tp / max(len(pred), 1):.3f}  coverage {len(pred) / max(len(truth), 1):.3f}")
    methods = dict(conn.execute(
        "SELECT method, count(*) FROM adaptation_link GROUP BY method").fetchall())
    print("adaptation links in the database by method: "
          + ", ".join(f"{k} {v:,}" for k, v in sorted(methods.items())))


if __name__ == "__main__":
    main()
