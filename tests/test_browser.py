"""What a person sees: Debian's chromium, driven by Playwright, against a live uvicorn.

Serves the synthetic store, or the real one when ``NEXTSEASON_TEST_DB`` names a built
database (then it searches "higehiro"). Skips when /usr/bin/chromium is missing, unless CI
is set: there the test set-up installs chromium, so a missing browser is a failure.

Every page (home, outlook, timeline, season, not found, model card, API) is checked at 390
and 1280 px: no sideways scrolling, chart text at least 10 px on screen, inputs at least
16 px, citation links at least 24 px, dates on one line, and axe-core (installed by
``make test`` from tests/browser/package.json, injected by Playwright: nothing is fetched at
test time) without serious or critical violations. A screenshot of each goes to
test-output/.
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
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("NEXTSEASON_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
OUTPUT = Path(__file__).resolve().parents[1] / "test-output"
AXE = Path(__file__).resolve().parent / "browser" / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = (390, 1280)
_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

if not CHROMIUM.is_file():
    if _CI:
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
    from nextseason.pipeline import build

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


@pytest.fixture(scope="module")
def urls(target: tuple[Path, str, str]) -> dict[str, str]:
    """The pages to look at, by name (a show with a forecast, its season)."""
    conn = sqlite3.connect(target[0])
    mal_id, ended = conn.execute(
        "SELECT f.mal_id, f.ended FROM forecast f JOIN anime a USING (mal_id)"
        " WHERE length(f.ended) = 10 AND lower(a.title) LIKE ? || '%'"
        " ORDER BY f.mal_id LIMIT 1", (target[2].lower()[:4],)).fetchone() or \
        conn.execute("SELECT mal_id, ended FROM forecast WHERE length(ended) = 10"
                     " ORDER BY mal_id LIMIT 1").fetchone()
    conn.close()
    season = ("winter", "spring", "summer", "fall")[(int(ended[5:7]) - 1) // 3]
    return {"home": "/", "outlook": f"/anime/{mal_id}", "timeline": f"/anime/{mal_id}/timeline",
            "season": f"/season/{ended[:4]}/{season}", "not-found": "/search?q=zzqx+qqzz",
            "model-card": "/model-card", "api": "/api"}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_sync.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        message = (f"{AXE} is missing: install it with `npm install --prefix tests/browser`"
                   " (make test does)")
        if _CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


def _watch(page: Any) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def test_search_pick_and_read_the_outlook(server: str, target: tuple[Path, str, str],
                                          browser: Any) -> None:
    """The search box is a combobox: type, arrow down, Enter opens the outlook."""
    _db, typed, title = target
    OUTPUT.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1100, "height": 1400})
    try:
        errors = _watch(page)
        page.on("response", lambda r: errors.append(f"{r.status} {r.url}")
                if r.status >= 400 else None)
        page.goto(server + "/")
        box = page.locator("#q")
        assert box.get_attribute("role") == "combobox"
        assert box.get_attribute("aria-expanded") == "false"
        box.press_sequentially(typed, delay=40)
        first = page.locator("#suggestions [role=option]").first
        # the suggestions for the whole query (those for its first letters come earlier)
        playwright_sync.expect(first).to_contain_text(title, ignore_case=True, timeout=10_000)
        assert box.get_attribute("aria-expanded") == "true"
        box.press("ArrowDown")
        assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
        assert first.get_attribute("aria-selected") == "true"
        box.press("Escape")
        assert box.get_attribute("aria-expanded") == "false"
        box.press("ArrowDown")
        box.press("Enter")
        page.wait_for_url(re.compile(r"/anime/\d+$"), timeout=10_000)
        heading = page.locator("h1").first
        assert title.casefold() in heading.inner_text().casefold()
        prob = page.locator("[data-key=p_1y]").first
        prob.wait_for(state="visible", timeout=10_000)
        assert re.fullmatch(r"[<>]?\s*\d+(\.\d+)?\s*%", prob.inner_text().strip())
        chart = page.locator("figure.chart svg").first
        assert chart.is_visible()
        size = chart.bounding_box()
        assert size is not None and size["width"] > 100 and size["height"] > 50
        page.screenshot(path=str(OUTPUT / "outlook.png"), full_page=True)
        assert not errors, errors  # no CSP violations or script errors
    finally:
        page.close()
    assert (OUTPUT / "outlook.png").stat().st_size > 10_000


_MEASURE = """() => {
  const doc = document.documentElement;
  const texts = Array.from(document.querySelectorAll("svg text"))
    .filter((t) => t.getBoundingClientRect().width > 0)
    .map((t) => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a);
  const inputs = Array.from(document.querySelectorAll("input:not([type=hidden])"))
    .map((i) => parseFloat(getComputedStyle(i).fontSize));
  const small = Array.from(document.querySelectorAll("sup a, header a, button, input"))
    .map((a) => a.getBoundingClientRect())
    .filter((r) => r.width > 0 && (r.height < 24 || r.width < 24))
    .map((r) => `${Math.round(r.width)}x${Math.round(r.height)}`);
  const wrapped = Array.from(document.querySelectorAll(".date"))
    .filter((d) => d.getClientRects().length > 1).map((d) => d.textContent);
  const headings = Array.from(document.querySelectorAll("h1, h2, h3, h4"))
    .map((h) => Number(h.tagName[1]));
  return {overflow: doc.scrollWidth - window.innerWidth, texts, inputs, small, wrapped,
          headings, lang: doc.lang};
}"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["home", "outlook", "timeline", "season", "not-found",
                                  "model-card", "api"])
def test_page_fits_reads_and_passes_axe(server: str, urls: dict[str, str], browser: Any,
                                        axe_source: str, name: str, width: int) -> None:
    OUTPUT.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        errors = _watch(page)
        response = page.goto(server + urls[name])
        assert response is not None
        assert response.status == (404 if name == "not-found" else 200)
        m = page.evaluate(_MEASURE)
        assert m["lang"] == "en"
        assert m["overflow"] <= 0, f"{name} scrolls sideways by {m['overflow']} px at {width}"
        assert all(size >= 10 for size in m["texts"]), (name, width, min(m["texts"]))
        if name in ("outlook", "timeline"):
            assert m["texts"], f"{name} has no chart text"
        assert all(size >= 16 for size in m["inputs"]), m["inputs"]
        assert not m["small"], f"touch targets under 24 px on {name}: {m['small']}"
        assert not m["wrapped"], f"dates wrap on {name}: {m['wrapped']}"
        h = m["headings"]
        assert h and h[0] == 1 and all(b - a <= 1 for a, b in zip(h, h[1:], strict=False)), h
        page.screenshot(path=str(OUTPUT / f"{name}-{width}.png"), full_page=True)
        page.evaluate(axe_source + "\n;undefined")
        result = page.evaluate("""async () => {
          const r = await axe.run(document, {runOnly: {type: "tag",
            values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}});
          return r.violations.map((v) => ({id: v.id, impact: v.impact,
            nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" "))}));
        }""")
        serious = [v for v in result if v["impact"] in ("serious", "critical")]
        assert not serious, f"axe on {name} at {width} px: {serious}"
        if name == "not-found":  # the page itself answers 404, as it should
            errors = [e for e in errors if "status of 404" not in e]
        assert not errors, errors
    finally:
        page.close()
