"""Benchmark the extractor on a directory of unseen articles: recall, precision, speed.

Usage::

    python benchmarks/bench_extract_dev.py [--articles ../shared/articles/dev] [--misses]
        [--repeat 5] [--json]

The directory holds ``articles/*.txt`` and ``expected.json`` (see its README). Claims are
scored with the shared scorer's own matching functions (``--scorer``, default
``../shared/tools/score_claims.py``), in process, so the figures equal those of
``score_claims.py --cmd "nextseason extract {file} --json"`` without a process per
article. Figures are printed for the whole set and for its two halves (even- and
odd-numbered files: develop on one, check on the other), with the renewal statuses the
articles do not state.

Names are matched as ``python3 score_claims.py`` matches them without rapidfuzz installed
(exact or contained after normalising); ``--fuzzy`` lets the scorer use rapidfuzz's token
set ratio, as it does when rapidfuzz is importable.

Speed: every article is read from its bytes and extracted ``--repeat`` times in this one
process (one core); the figure is articles per second. Targets: recall >= 0.85, precision
>= 0.93, no unstated statuses, >= 30 articles per second.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

from nextseason.claims.extract import extract_article

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SET = ROOT.parent / "shared" / "articles" / "dev"
DEFAULT_SCORER = ROOT.parent / "shared" / "tools" / "score_claims.py"
TARGETS = {"recall": 0.85, "precision": 0.93, "unstated": 0, "articles_per_second": 30.0}


def load_scorer(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_claims", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load the scorer at {path}")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def score(sc: ModuleType, expected: dict[str, Any], got: dict[str, list[dict[str, Any]]],
          names: list[str]) -> dict[str, Any]:
    """The scorer's recall, precision and unstated statuses over ``names``."""
    must = found = judged = ok = 0
    misses: list[str] = []
    flips: list[str] = []
    for name in names:
        spec, claims = expected[name], got[name]
        fields = {c["field"] for c in spec["claims"]}
        for c in (c for c in spec["claims"] if c.get("must")):
            must += 1
            hit = any(g["field"] == c["field"] and sc.qual_ok(c.get("qualifier"), g["qualifier"])
                      and sc.value_match(c["value"], g["value"]) for g in claims)
            found += hit
            if not hit:
                misses.append(f"{name}: {c['field']}={c['value']!r}  | {c['quote']}")
        for g in claims:
            if g["field"] in fields:
                judged += 1
                good = any(c["field"] == g["field"] and sc.value_match(c["value"], g["value"])
                           for c in spec["claims"])
                ok += good
                if not good:
                    misses.append(f"{name}: WRONG {g['field']}={g['value']!r} "
                                  f"[{g['qualifier']}] | {g['quote'][:120]}")
        stated = {str(c["value"]) for c in spec["claims"] if c["field"] == "renewal_status"}
        flips += [f"{name}: {g['value']!r} from {g['quote'][:100]!r}" for g in claims
                  if g["field"] == "renewal_status" and str(g["value"]) not in
                  stated | {"rumoured"}]
    return {"recall": found / must if must else 0.0, "precision": ok / judged if judged else 0.0,
            "found": found, "must": must, "right": ok, "judged": judged, "unstated": flips,
            "misses": misses}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=Path, default=DEFAULT_SET)
    ap.add_argument("--scorer", type=Path, default=DEFAULT_SCORER)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--misses", action="store_true", help="list misses and wrong claims")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--fuzzy", action="store_true",
                    help="let the scorer use rapidfuzz (by default it is hidden from it, as "
                         "under a plain python3 without it)")
    a = ap.parse_args()
    if not a.fuzzy:
        sys.modules["rapidfuzz"] = None  # type: ignore[assignment]  # the import then fails
    sc = load_scorer(a.scorer)
    expected = {k: v for k, v in json.loads((a.articles / "expected.json").read_text()).items()
                if not k.startswith("_")}
    names = sorted(expected)
    data = {n: (a.articles / "articles" / n).read_bytes() for n in names}
    got: dict[str, list[dict[str, Any]]] = {}
    t0 = time.perf_counter()
    for _ in range(max(1, a.repeat)):
        for n in names:
            _, claims = extract_article(data[n], n)
            got[n] = [c.to_dict() for c in claims]
    rate = len(names) * max(1, a.repeat) / (time.perf_counter() - t0)
    res = {"all": score(sc, expected, got, names),
           "even": score(sc, expected, got, names[0::2]),
           "odd": score(sc, expected, got, names[1::2]),
           "articles_per_second": rate}
    if a.json:
        print(json.dumps(res, indent=1))
        return
    if a.misses:
        for m in res["all"]["misses"]:
            print(" ", m)
    for part in ("all", "even", "odd"):
        r = res[part]
        print(f"{part:>4}: recall {r['recall']:.3f} ({r['found']}/{r['must']}), precision "
              f"{r['precision']:.3f} ({r['right']}/{r['judged']}), unstated statuses "
              f"{len(r['unstated'])}")
        for f in r["unstated"] if part == "all" else []:
            print("       unstated", f)
    print(f"speed: {rate:.0f} articles/second on one core "
          f"(target {TARGETS['articles_per_second']:.0f})")


if __name__ == "__main__":
    main()
