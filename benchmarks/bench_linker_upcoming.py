"""Benchmark the sequel linker on the shows users ask about most: the newest snapshot's
not-yet-aired and currently airing TV/ONA entries.

Usage: ``python benchmarks/bench_linker_upcoming.py --db PATH [--truth CSV]``

Population: every TV/ONA entry whose status is ``not_yet_aired`` or ``airing`` in the newest
catalogue snapshot (``jikan_2025``, March 2025; it has no typed relations).

Truth: ``tests/fixtures/upcoming_continuations.csv``, checked by hand, one row per entry of
the population. ``expected_prequel_mal_id`` is the entry's prequel installment: the latest
earlier TV/ONA installment of the same series that is in the catalogue. So when a movie or
OVA sits between two seasons, the earlier TV/ONA season is the prequel; when the direct
prequel season is missing from the catalogue (a subset of MAL), the latest earlier season
that is present is; when no earlier TV/ONA installment is present, or the entry is a first
season, a new series of a franchise, a spin-off, a mini / chibi series, a recap or a special,
the field is empty. Rows marked "(doubtful)" in the note are judgement calls.

Prediction: the linker as the build runs it (every source). The predicted prequel of an entry
is its direct prequel, followed up the chain through movies, OVAs and specials to the first
TV/ONA entry. Precision = correct prequels / predicted continuations; recall = correct
prequels / expected continuations. The database is opened read-only.
"""

from __future__ import annotations

import argparse
import csv
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from nextseason.link import predict_sequel_edges
from nextseason.store import connect_readonly

SNAPSHOT = "jikan_2025"
STATUSES = ("not_yet_aired", "airing")
SERIES = ("TV", "ONA")
TRUTH = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "upcoming_continuations.csv"


@dataclass(frozen=True)
class Row:
    """One hand-checked entry of the population."""

    mal_id: int
    title: str
    status: str
    expected: int | None
    note: str

    @property
    def doubtful(self) -> bool:
        return "doubtful" in self.note


def read_truth(path: Path) -> dict[int, Row]:
    """The hand-checked list, by MAL id."""
    with path.open(newline="", encoding="utf-8") as f:
        return {
            int(r["mal_id"]): Row(int(r["mal_id"]), r["title"], r["status"],
                                  int(r["expected_prequel_mal_id"])
                                  if r["expected_prequel_mal_id"] else None, r["note"])
            for r in csv.DictReader(f)
        }


def population(conn: sqlite3.Connection) -> dict[int, str]:
    """Not-yet-aired and airing TV/ONA entries of the newest snapshot: MAL id -> status."""
    rows = conn.execute(
        "SELECT v.mal_id, v.status FROM anime_version v JOIN snapshot s ON s.id = v.snapshot_id"
        f" WHERE s.name = ? AND v.status IN ({', '.join('?' * len(STATUSES))})"
        f" AND v.type IN ({', '.join('?' * len(SERIES))})",
        (SNAPSHOT, *STATUSES, *SERIES),
    )
    return {r[0]: r[1] for r in rows}


def catalogue(conn: sqlite3.Connection) -> dict[int, tuple[str, str | None]]:
    """Every anime: MAL id -> (title, type)."""
    return {r[0]: (r[1], r[2]) for r in conn.execute("SELECT mal_id, title, type FROM anime")}


def series_prequel(prequel_of: dict[int, int], types: dict[int, str | None], mal_id: int
                   ) -> int | None:
    """The first TV/ONA entry up the prequel chain of ``mal_id`` (through movies, OVAs, ...)."""
    node, seen = prequel_of.get(mal_id), {mal_id}
    while node is not None and node not in seen:
        if types.get(node) in SERIES:
            return node
        seen.add(node)
        node = prequel_of.get(node)
    return None


def main(argv: list[str] | None = None) -> int:
    """Score the linker on the population and print the figures and the misses."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True, help="a built nextseason database (read-only)")
    ap.add_argument("--truth", type=Path, default=TRUTH, help="the hand-checked list (CSV)")
    args = ap.parse_args(argv)
    conn = connect_readonly(args.db)
    truth = read_truth(args.truth)
    pop = population(conn)
    info = catalogue(conn)
    types = {k: v[1] for k, v in info.items()}
    unchecked = sorted(set(pop) - set(truth))
    stale = sorted(set(truth) - set(pop))
    t0 = time.perf_counter()
    edges = predict_sequel_edges(conn)
    elapsed = time.perf_counter() - t0
    prequel_of = {e.sequel_id: e.prequel_id for e in edges}
    method = {e.sequel_id: e.method for e in edges}
    scored = [truth[m] for m in sorted(pop) if m in truth]
    predicted = {r.mal_id: series_prequel(prequel_of, types, r.mal_id) for r in scored}
    n_pred = sum(1 for p in predicted.values() if p is not None)
    n_exp = sum(1 for r in scored if r.expected is not None)
    correct = sum(1 for r in scored if r.expected is not None and predicted[r.mal_id] == r.expected)
    precision = correct / n_pred if n_pred else 0.0
    recall = correct / n_exp if n_exp else 0.0
    by_status = {s: sum(1 for r in scored if pop[r.mal_id] == s) for s in STATUSES}
    print(f"population: {len(pop)} TV/ONA entries of {SNAPSHOT} "
          + ", ".join(f"{s} {n}" for s, n in by_status.items())
          + f"; hand-checked {len(scored)} ({sum(r.doubtful for r in scored)} doubtful); "
          f"{len(edges)} edges predicted in {elapsed:.2f}s")
    if unchecked or stale:
        print(f"!! not in the list: {unchecked[:10]}; in the list, not in the population: "
              f"{stale[:10]}")
    print(f"expected continuations {n_exp}, predicted {n_pred}, correct {correct}")
    print(f"precision {precision:.3f}  recall {recall:.3f}")
    for m in ("relation", "rule", "tvdb", "title"):
        mine = [r for r in scored if predicted[r.mal_id] is not None and method[r.mal_id] == m]
        ok = sum(1 for r in mine if predicted[r.mal_id] == r.expected)
        if mine:
            print(f"  {m:9} predicted {len(mine):3d} correct {ok:3d}")

    def name(mal_id: int | None) -> str:
        return "-" if mal_id is None else f"{mal_id} {info[mal_id][0]!r}"

    wrong = [r for r in scored if predicted[r.mal_id] is not None
             and predicted[r.mal_id] != r.expected]
    print(f"-- wrong predictions ({len(wrong)})")
    for r in wrong:
        print(f"  {r.mal_id} {r.title!r}: predicted {name(predicted[r.mal_id])} "
              f"[{method[r.mal_id]}], expected {name(r.expected)}")
    missed = [r for r in scored if r.expected is not None and predicted[r.mal_id] is None]
    print(f"-- missed continuations ({len(missed)})")
    for r in missed:
        print(f"  {r.mal_id} {r.title!r}: expected {name(r.expected)}"
              + (f"  ({r.note})" if r.note else ""))
    return 0 if not unchecked and not stale else 1


if __name__ == "__main__":
    raise SystemExit(main())
