"""Terminal output: wrapped lines keep their indent, 80 columns, --plain for pipes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from nextseason.cli import app
from nextseason.fixtures import write_synthetic_data
from nextseason.pipeline import build
from nextseason.report.terminal import item

BOX = set("─━│┃┌┐└┘├┤┬┴┼╇╈╋┏┓┗┛┡┩╭╮╰╯")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("term")
    write_synthetic_data(folder / "raw", seed=0, n_franchises=60)
    build(folder / "raw", folder / "n.db")
    return folder / "n.db"


def test_wrapped_lines_keep_their_indent() -> None:
    buf = io.StringIO()
    console = Console(file=buf, width=40, no_color=True)
    item(console, "one two three four five six seven eight nine ten eleven twelve", indent=4)
    lines = buf.getvalue().splitlines()
    assert len(lines) >= 2 and all(line.startswith("    ") for line in lines)
    assert all(len(line) <= 40 and line == line.rstrip() for line in lines)


@pytest.mark.parametrize("command", [["outlook"], ["forecast"], ["show"], ["claims"]])
def test_fits_80_columns_and_plain_has_no_boxes(store: Path, command: list[str]) -> None:
    import sqlite3

    conn = sqlite3.connect(store)
    (mal_id,) = conn.execute("SELECT mal_id FROM forecast ORDER BY mal_id LIMIT 1").fetchone()
    conn.close()
    runner = CliRunner()
    normal = runner.invoke(app, [*command, str(mal_id), "--db", str(store)],
                           env={"COLUMNS": "80"})
    assert normal.exit_code == 0, normal.output
    assert all(len(line) <= 80 for line in normal.output.splitlines())
    plain = runner.invoke(app, [*command, str(mal_id), "--plain", "--db", str(store)],
                          env={"COLUMNS": "80"})
    assert plain.exit_code == 0, plain.output
    assert not BOX & set(plain.output), command
    assert "\x1b[" not in plain.output
    assert all(len(line) <= 80 for line in plain.output.splitlines())
