"""erengy/anime-relations: explicit prequel → sequel episode rules (public domain).

Rule syntax (from the file's own header)::

    10001|10002|10003:14-26 -> 20001|20002|20003:1-13!

MAL | Kitsu | AniList ids, then an episode or range. ``~`` repeats the source id, ``?`` is
unknown, and a trailing ``!`` also redirects the destination to itself. Only rules under
``::rules`` are read; a line there that does not parse is an input error.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import EncodingError, RecordError
from ..store.sources import add_sequel_rule
from .context import ImportContext, ImportResult
from .readers import open_text

__all__ = ["import_rules", "parse_rule"]

_RULE = re.compile(
    r"^(?P<src>[\d?~]+\|[\d?~]+\|[\d?~]+):(?P<src_eps>[\d?]+(?:-[\d?]+)?)\s*->\s*"
    r"(?P<dst>[\d?~]+\|[\d?~]+\|[\d?~]+):(?P<dst_eps>[\d?]+(?:-[\d?]+)?)(?P<bang>!?)$"
)


def parse_rule(line: str) -> tuple[int | None, str, int | None, str, bool]:
    """``(from_mal, from_eps, to_mal, to_eps, self_redirect)``; ValueError if malformed."""
    m = _RULE.match(line.strip())
    if not m:
        raise ValueError(f"not a rule: {line.strip()!r}")
    src = m["src"].split("|")[0]
    dst = m["dst"].split("|")[0]
    from_mal = int(src) if src.isdigit() else None
    to_mal = from_mal if dst == "~" else int(dst) if dst.isdigit() else None
    return from_mal, m["src_eps"], to_mal, m["dst_eps"], bool(m["bang"])


def import_rules(path: Path, ctx: ImportContext) -> ImportResult:
    result = ImportResult()
    section = None
    with open_text(path) as f:
        try:
            lines = list(f)
        except UnicodeDecodeError as exc:
            raise EncodingError("not UTF-8 text", file=str(path)) from exc
    for n, raw in enumerate(lines, 1):
        line = raw.strip().lstrip("\ufeff")
        if not line or line.startswith("#"):
            continue
        if line.startswith("::"):
            section = line[2:].strip()
            continue
        if section != "rules":
            continue
        result.read += 1
        line = line.removeprefix("-").strip()
        try:
            from_mal, from_eps, to_mal, to_eps, _bang = parse_rule(line)
        except ValueError as exc:
            raise RecordError(str(exc), file=str(path), where=f"line {n}") from None
        if from_mal is None or to_mal is None:
            result.skipped["no MAL id on one side"] += 1
            continue
        add_sequel_rule(ctx.conn, from_mal_id=from_mal, from_eps=from_eps, to_mal_id=to_mal,
                        to_eps=to_eps, line=n, snapshot_id=ctx.snapshot_id)
        result.stored += 1
    return result
