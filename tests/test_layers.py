"""The shape of the code: only the store runs SQL, and the stages depend one way.

* **The store owns the SQL.** Every module outside ``nextseason/store`` is parsed: a call
  of ``.execute``/``.executemany``/``.executescript``, any ``read_sql``, or a string literal
  that reads as SQL (``SELECT … FROM``, ``INSERT INTO``, ``UPDATE … SET``, ``DELETE FROM``,
  ``CREATE TABLE/INDEX/VIEW``) fails the test, naming the file and line.
* **The flow is one-way.** Each package (or top-level module) has a layer; a module may
  import its own package and packages of lower layers only — never a sibling of its layer
  or anything above it. Lazy imports inside functions count too. Two leaf modules that
  import nothing of ours (``live.records``, ``search.normalize``) have a layer of their
  own, below the store that takes their values.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "nextseason"

#: Lowest first. A unit is a sub-package or a top-level module of ``nextseason``.
LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"__init__", "errors"}),  # the version; the one exception tree
    frozenset({"textsafe", "fixtures"}),  # untrusted text; the synthetic test data
    # leaf modules of pure data and text that the store's writes take (they import nothing
    # of ours): a live source's record, the search key of a title
    frozenset({"live.records", "search.normalize"}),
    frozenset({"store"}),  # the SQL: schema, migrations, typed reads and writes
    frozenset({"search"}),  # title keys and the in-memory index
    frozenset({"ingest"}),  # the raw files → the store
    frozenset({"live"}),  # the live sources' clients (Jikan, AniList; dates parsed as ingest)
    frozenset({"link"}),  # sequel links, franchises, adaptation links, the status
    frozenset({"catalogue"}),  # the catalogue read-model: resolve a query, a franchise
    frozenset({"claims", "forecast"}),  # articles → claims; features → model → forecasts
    frozenset({"track"}),  # each series' recorded state and the changes between them
    frozenset({"report"}),  # one typed object per report, its renderers
    # the web app; the whole build (ingest, link, forecast); a live refresh (fetch, store,
    # relink, forecast again)
    frozenset({"web", "pipeline", "refresh"}),
    frozenset({"cli"}),  # the command line: thin commands around the layers below
    frozenset({"__main__"}),
)
LAYER_OF = {unit: i for i, units in enumerate(LAYERS) for unit in units}

_SQL = re.compile(
    r"\bSELECT\b[\s\S]*\bFROM\b|\bINSERT\s+(?:OR\s+\w+\s+)?INTO\b|\bUPDATE\s+\w+\s+SET\b"
    r"|\bDELETE\s+FROM\b|\bCREATE\s+(?:TEMP\s+)?(?:TABLE|INDEX|VIEW)\b|\bPRAGMA\b")
_CALLS = frozenset({"execute", "executemany", "executescript", "read_sql", "read_sql_query",
                    "read_sql_table"})


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _unit(path: Path, root: Path = PACKAGE) -> str:
    rel = path.relative_to(root)
    if len(rel.parts) > 1:
        leaf = f"{rel.parts[0]}.{path.stem}"
        return leaf if leaf in LAYER_OF else rel.parts[0]
    return rel.stem


def _name(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def sql_outside_store(path: Path) -> list[str]:
    """Every place in one module that runs SQL or spells it, as "file:line: what"."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = (func.attr if isinstance(func, ast.Attribute)
                    else func.id if isinstance(func, ast.Name) else None)
            if name in _CALLS:
                found.append(f"{_name(path)}:{node.lineno}: calls {name}()")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            m = _SQL.search(node.value)
            if m:
                found.append(f"{_name(path)}:{node.lineno}: SQL text {m.group(0)[:40]!r}")
    return found


def _imported(path: Path, root: Path = PACKAGE) -> list[tuple[int, str]]:
    """(line, unit) of every ``nextseason`` unit the module imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    rel = path.relative_to(root.parent).with_suffix("")
    here = list(rel.parts if rel.name != "__init__" else rel.parts[:-1])
    if rel.name != "__init__":
        here = here[:-1]  # the package the module is in
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[:len(here) - (node.level - 1)] if node.level > 1 else here
                target = [*base, *(node.module.split(".") if node.module else [])]
                if not node.module:  # from . import x, y
                    for alias in node.names:
                        out.append((node.lineno, [*target, alias.name]))
                    continue
            else:
                target = (node.module or "").split(".")
            out.append((node.lineno, target))
        elif isinstance(node, ast.Import):
            out += [(node.lineno, alias.name.split(".")) for alias in node.names]
    return [(line, _unit_of(parts, root)) for line, parts in out
            if parts and parts[0] == "nextseason"]


def _unit_of(parts: list[str], root: Path) -> str:
    """The unit ``nextseason.a.b`` names: ``a`` if it is a module or package, else the
    package itself (``from nextseason import __version__``)."""
    if len(parts) > 2 and f"{parts[1]}.{parts[2]}" in LAYER_OF:
        return f"{parts[1]}.{parts[2]}"
    if len(parts) > 1 and ((root / parts[1]).is_dir() or (root / f"{parts[1]}.py").exists()):
        return parts[1]
    return "__init__"


def upward_imports(path: Path, root: Path = PACKAGE) -> list[str]:
    """Every import of a unit of the same or a higher layer (other than its own unit)."""
    unit = _unit(path, root)
    mine = LAYER_OF[unit]
    return [f"{_name(path)}:{line}: {unit} (layer {mine}) imports {target} "
            f"(layer {LAYER_OF.get(target, '?')})"
            for line, target in _imported(path, root)
            if target != unit and LAYER_OF.get(target, len(LAYERS)) >= mine]


def test_every_unit_has_a_layer() -> None:
    units = {_unit(p) for p in _modules()}
    assert units - set(LAYER_OF) == set(), "give every package a layer in LAYERS"


def test_only_the_store_runs_sql() -> None:
    found = [hit for p in _modules() if _unit(p) != "store" for hit in sql_outside_store(p)]
    assert found == [], "SQL outside nextseason/store:\n" + "\n".join(found)


def test_the_flow_is_one_way() -> None:
    found = [hit for p in _modules() for hit in upward_imports(p)]
    assert found == [], "imports against the layer order:\n" + "\n".join(found)


@pytest.mark.parametrize("source, expected", [
    ('conn.execute("SELECT 1")', "calls execute()"),
    ("rows = pd.read_sql(q, conn)", "calls read_sql()"),
    ("c.executemany(sql, rows)", "calls executemany()"),
    ('Q = "SELECT title FROM anime WHERE mal_id = ?"', "SQL text"),
    ('Q = f"INSERT INTO {table} (a) VALUES (?)"', "SQL text"),
    ('Q = "UPDATE anime SET franchise_id = NULL"', "SQL text"),
    ('Q = "DELETE FROM forecast"', "SQL text"),
    ('Q = "CREATE TABLE t (x INTEGER)"', "SQL text"),
    ('"""Select the shows from the season and insert them into the page."""', None),
    ('text = "Season 2 is set for 2025; update the page"', None),
])
def test_the_sql_check_sees_sql_and_only_sql(tmp_path: Path, source: str,
                                             expected: str | None) -> None:
    """The checker itself: it finds calls and SQL text, and leaves English prose alone."""
    module = tmp_path / "probe.py"
    module.write_text(source + "\n", encoding="utf-8")
    hits = sql_outside_store(module)
    if expected is None:
        assert hits == []
    else:
        assert len(hits) == 1 and expected in hits[0]


def test_the_layer_check_sees_an_upward_import(tmp_path: Path) -> None:
    """The checker itself: store importing report is caught; report importing store and
    errors, and a package importing itself, are not."""
    root = tmp_path / "nextseason"
    (root / "store").mkdir(parents=True)
    (root / "report").mkdir()
    bad = root / "store" / "x.py"
    bad.write_text("from ..report.outlook import build_outlook\nfrom . import conn\n",
                   encoding="utf-8")
    good = root / "report" / "y.py"
    good.write_text("from ..store import catalogue\nimport nextseason.errors\n"
                    "from .labels import plural\n", encoding="utf-8")
    hits = upward_imports(bad, root)
    assert len(hits) == 1 and f"store (layer {LAYER_OF['store']}) imports report" in hits[0]
    assert upward_imports(good, root) == []
