"""Benchmark the claim extractor against the hand-written seed fixture: precision and recall.

Usage::

    python benchmarks/bench_extract.py [--seeds ../shared/seeds] [--fixture FILE] [--json]

It runs :func:`nextseason.claims.extract.extract_claims` on each seed article and matches
the claims against ``tests/fixtures/seeds_expected.json`` (the claims a careful reader finds,
written by hand). A predicted claim matches an expected one when the fields are equal, the
values are equal after normalisation (case, spacing and punctuation for text; numbers as
numbers) and the prediction's span overlaps one of the expected quotes, or the expected
quote lies within the sentence the prediction was found in. Qualifiers are reported but do
not decide a match.

Precision = matched predictions / predictions; recall = expected claims matched / expected
claims; both overall and per field. Misses and false positives are listed, and the time
per article. Targets: precision >= 0.90 and recall >= 0.80.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nextseason.claims.extract import extract_claims
from nextseason.claims.extract_text import split_sentences
from nextseason.claims.model import Claim

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SEEDS = ROOT.parent / "shared" / "seeds"
DEFAULT_FIXTURE = ROOT / "tests" / "fixtures" / "seeds_expected.json"
TARGET_PRECISION, TARGET_RECALL = 0.90, 0.80


def normalize(value: Any) -> Any:
    """Values compared loosely: numbers as floats, text without case, accents or punctuation."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return float(value)
    s = unicodedata.normalize("NFKD", str(value))
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    s = "".join(c if c.isalnum() or c.isspace() else " " for c in s)
    return " ".join(s.split())


@dataclass
class Score:
    predicted: list[tuple[str, Claim, bool]] = field(default_factory=list)  # (article, claim, ok)
    expected: list[tuple[str, dict[str, Any], bool]] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    def _pr(self, pred: list[bool], exp: list[bool]) -> tuple[float, float]:
        p = sum(pred) / len(pred) if pred else 1.0
        r = sum(exp) / len(exp) if exp else 1.0
        return p, r

    @property
    def precision(self) -> float:
        return self._pr([ok for _, _, ok in self.predicted], [])[0]

    @property
    def recall(self) -> float:
        return self._pr([], [ok for _, _, ok in self.expected])[1]

    def per_field(self) -> dict[str, dict[str, float | int]]:
        fields = sorted({c.field for _, c, _ in self.predicted} |
                        {e["field"] for _, e, _ in self.expected})
        out = {}
        for f in fields:
            pred = [ok for _, c, ok in self.predicted if c.field == f]
            exp = [ok for _, e, ok in self.expected if e["field"] == f]
            p, r = self._pr(pred, exp)
            out[f] = {"predicted": len(pred), "expected": len(exp), "precision": p, "recall": r}
        return out


def _spans(text: str, entry: dict[str, Any], name: str) -> list[tuple[int, int]]:
    spans = []
    for q in entry["quotes"]:
        i = text.find(q)
        if i < 0:
            raise ValueError(f"{name}: fixture quote not in the article: {q!r}")
        spans.append((i, i + len(q)))
    return spans


def score_article(text: str, expected: list[dict[str, Any]], name: str, score: Score) -> None:
    t0 = time.perf_counter()
    claims = extract_claims(text, article=name)
    score.seconds[name] = time.perf_counter() - t0
    sentences = split_sentences(text)
    starts = [s.start for s in sentences]

    def sentence_of(pos: int) -> tuple[int, int]:
        lo, hi = 0, len(starts)
        while lo < hi:  # last sentence starting at or before pos
            mid = (lo + hi) // 2
            if starts[mid] <= pos:
                lo = mid + 1
            else:
                hi = mid
        s = sentences[max(0, lo - 1)]
        return s.start, s.start + len(s.text)

    exp_spans = [_spans(text, e, name) for e in expected]
    hit = [False] * len(expected)
    for c in claims:
        ss, se = sentence_of(c.start)
        ok = False
        for i, e in enumerate(expected):
            if e["field"] != c.field or normalize(e["value"]) != normalize(c.value):
                continue
            if any((a < c.end and c.start < b) or (ss <= a and b <= se) for a, b in exp_spans[i]):
                hit[i] = ok = True
        score.predicted.append((name, c, ok))
    score.expected.extend((name, e, h) for e, h in zip(expected, hit, strict=True))


def run(seeds: Path, fixture: Path) -> Score:
    data = json.loads(fixture.read_text(encoding="utf-8"))["seeds"]
    score = Score()
    for name, expected in sorted(data.items()):
        text = (seeds / name).read_text(encoding="utf-8")
        score_article(text, expected, name, score)
    return score


def long_article_seconds(seeds: Path, words: int = 5000, repeat: int = 5) -> float:
    """Median seconds to extract from one article of ``words`` words made of the seeds."""
    base = " ".join(p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt")))
    text = (base + "\n") * (words // max(1, len(base.split())) + 1)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        extract_claims(text)
        times.append(time.perf_counter() - t0)
    return sorted(times)[len(times) // 2]


def report(score: Score) -> str:
    lines = [f"{'field':22} {'pred':>5} {'exp':>5} {'prec':>6} {'recall':>6}"]
    for f, r in score.per_field().items():
        lines.append(f"{f:22} {r['predicted']:>5} {r['expected']:>5} {r['precision']:>6.2f} "
                     f"{r['recall']:>6.2f}")
    lines.append(f"{'OVERALL':22} {len(score.predicted):>5} {len(score.expected):>5} "
                 f"{score.precision:>6.2f} {score.recall:>6.2f}   (targets: precision >= "
                 f"{TARGET_PRECISION}, recall >= {TARGET_RECALL})")
    lines.append("\nmisses (expected, not found):")
    for name, e, ok in score.expected:
        if not ok:
            lines.append(f"  {name[:3]} {e['field']:20} {e['value']!r}  ← {e['quotes'][0][:70]!r}")
    lines.append("\nfalse positives (found, not expected):")
    for name, c, ok in score.predicted:
        if not ok:
            lines.append(f"  {name[:3]} {c.field:20} {c.value!r}  ← {c.quote[:70]!r}")
    lines.append("\nseconds per article: " + ", ".join(
        f"{n[:3]} {s * 1000:.1f} ms" for n, s in score.seconds.items()))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    ap.add_argument("--fixture", type=Path, default=DEFAULT_FIXTURE)
    ap.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = ap.parse_args(argv)
    if not args.seeds.is_dir():
        print(f"seeds folder not found: {args.seeds} (pass --seeds DIR)", file=sys.stderr)
        return 2
    score = run(args.seeds, args.fixture)
    if args.json:
        print(json.dumps({"precision": score.precision, "recall": score.recall,
                          "fields": score.per_field()}, indent=2))
    else:
        print(report(score))
        print(f"a 5,000-word article (the seeds repeated): "
              f"{long_article_seconds(args.seeds) * 1000:.0f} ms median of 5 (target < 500 ms)")
    met = score.precision >= TARGET_PRECISION and score.recall >= TARGET_RECALL
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
