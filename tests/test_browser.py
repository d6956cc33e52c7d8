"""What a person sees: Debian's chromium, driven by Playwright, against a live uvicorn.

Serves the synthetic store, or the real one when ``NEXTSEASON_TEST_DB`` names a built
database (then it searches "higehiro"). Skips when /usr/bin/chromium is missing, unless CI
is set: there the test set-up installs chromium, so a missing browser is a failure.
"""

from __future__ import annotations

import os
import re
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("NEXTSEASON_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
OUTPUT = Path(__file__).resolve().parents[1] / "test-output"

if not CHROMIUM.is_file():
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{CHROMIUM} is missing on CI: the test set-up must install chromium"
                    " (apt-get install -y chromium)", pytrace=False)
    pytest.skip(f"{CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium)"
                " to run the browser test", allow_module_level=True)

playwright_sync = pytest.importorskip("playwright.sync_api")
uvicorn = pytest.importorskip("uvicorn")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """(database, what to type, the title expected on the outlook page)."""
    given = os.environ.get("NEXTSEASON_TEST_DB")
    if given and Path(given).is_file():
        return Path(given), "higehiro", "Hige wo Soru"
    from nextseason.fixtures import write_synthetic_data
    from nextseason.ingest.build import build

    folder = tmp_path_factory.mktemp("browser")
    write_synthetic_data(folder / "raw", seed=0, n_franchises=60)
    build(folder / "raw", folder / "n.db")
    conn = sqlite3.connect(folder / "n.db")
    (title,) = conn.execute(
        "SELECT a.title FROM forecast f JOIN anime a USING (mal_id)"
        " ORDER BY f.mal_id LIMIT 1").fetchone()
    conn.close()
    return folder / "n.db", title.lower(), title


@pytest.fixture(scope="module")
def server(target: tuple[Path, str, str]) -> Iterator[str]:
    from nextseason.web import create_app

    port = _free_port()
    config = uvicorn.Config(create_app(target[0]), host="127.0.0.1", port=port,
                            log_level="warning", lifespan="off")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start within 30 s")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


def test_search_pick_and_read_the_outlook(server: str, target: tuple[Path, str, str]) -> None:
    _db, typed, title = target
    OUTPUT.mkdir(exist_ok=True)
    with playwright_sync.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 1400})
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("response", lambda r: errors.append(f"{r.status} {r.url}")
                    if r.status >= 400 else None)
            page.goto(server + "/")
            page.locator("#q").press_sequentially(typed, delay=40)
            first = page.locator("#suggestions a").first
            first.wait_for(state="visible", timeout=10_000)
            assert title.casefold() in first.inner_text().casefold()
            first.click()
            page.wait_for_url(re.compile(r"/anime/\d+$"), timeout=10_000)
            heading = page.locator("h1").first
            assert title.casefold() in heading.inner_text().casefold()
            prob = page.locator("[data-key=p_1y]").first
            prob.wait_for(state="visible", timeout=10_000)
            assert re.fullmatch(r"[<>]?\s*\d+(\.\d+)?\s*%", prob.inner_text().strip())
            chart = page.locator("svg").first
            assert chart.is_visible()
            box = chart.bounding_box()
            assert box is not None and box["width"] > 100 and box["height"] > 50
            page.screenshot(path=str(OUTPUT / "outlook.png"), full_page=True)
            assert not errors, errors  # no CSP violations or script errors
        finally:
            browser.close()
    assert (OUTPUT / "outlook.png").stat().st_size > 10_000
