"""`nextseason data download` at the CLI edge (no network here: the library call is faked)."""

from __future__ import annotations

from pathlib import Path

import httpx
from typer.testing import CliRunner

from nextseason.cli import app
from nextseason.errors import DownloadError
from nextseason.ingest import download as dl

runner = CliRunner()


def test_offline_gives_a_clear_error(tmp_path: Path, monkeypatch) -> None:
    def offline(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("no route to host", request=request)

    real = dl.download

    def fake(dest, **kw):
        return real(dest, client=httpx.Client(transport=httpx.MockTransport(offline)), **kw)

    monkeypatch.setattr(dl, "download", fake)
    result = runner.invoke(app, ["data", "download", str(tmp_path), "--only", "mal_2018"])
    assert result.exit_code == DownloadError.exit_code
    assert "offline" in result.output and "AnimeList.csv.zip" in result.output
    assert not any(tmp_path.rglob("*.zip"))
