"""The web app through an in-process client, on a synthetic store built once per module."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from nextseason.cli import app as cli_app
from nextseason.fixtures import SyntheticCatalogue, write_synthetic_data
from nextseason.pipeline import build
from nextseason.web import create_app
from nextseason.web.markdown import render_markdown
from nextseason.web.security import CSP

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SyntheticCatalogue]:
    folder = tmp_path_factory.mktemp("web")
    cat = write_synthetic_data(folder / "raw", seed=0, n_franchises=150)
    build(folder / "raw", folder / "n.db")
    return folder / "n.db", cat


@pytest.fixture(scope="module")
def card(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("reports")
    (folder / "curve.png").write_bytes(b"\x89PNG\r\n\x1a\n fake")
    (folder / "secret.txt").write_text("no", encoding="utf-8")
    path = folder / "model-card.md"
    path.write_text(
        "# Model card <script>alert(1)</script>\n\nThe default is **ensemble**.\n\n"
        "| model | auc |\n|---|---|\n| km | 0.8 |\n| <b>x</b> | 0.9 |\n\n"
        "- one\n- two `code`\n\n![curve](curve.png) ![bad](../etc/passwd.png)"
        " ![remote](http://evil.example/x.png)\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def client(store: tuple[Path, SyntheticCatalogue], card: Path) -> Iterator[TestClient]:
    with TestClient(create_app(store[0], model_card=card), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="module")
def show(store: tuple[Path, SyntheticCatalogue]) -> sqlite3.Row:
    """A series with a forecast: (mal_id, title, ended)."""
    conn = sqlite3.connect(store[0])
    conn.row_factory = sqlite3.Row
    row = conn.execute(
        "SELECT f.mal_id, a.title, f.ended, f.p_1y FROM forecast f JOIN anime a USING (mal_id)"
        " ORDER BY f.mal_id LIMIT 1").fetchone()
    conn.close()
    return row


def _assert_headers(r) -> None:
    assert r.headers["content-security-policy"] == CSP
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"


def _season(ended: str) -> tuple[int, str]:
    return int(ended[:4]), ("winter", "spring", "summer", "fall")[(int(ended[5:7]) - 1) // 3]


# ---- pages ------------------------------------------------------------------------------

def test_home(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert 'id="q"' in r.text and '<script src="/static/search.js"' in r.text
    assert "<script>" not in r.text and "style=" not in r.text  # nothing inline
    js = client.get("/static/search.js")
    assert js.status_code == 200 and "javascript" in js.headers["content-type"]
    assert "textContent" in js.text and "innerHTML" not in js.text
    _assert_headers(js)
    assert client.get("/static/style.css").status_code == 200


def test_search_page_redirects_on_one_exact_hit(client: TestClient, show: sqlite3.Row) -> None:
    r = client.get("/search", params={"q": show["title"]}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/anime/{show['mal_id']}"
    r = client.get("/search", params={"q": show["title"].split()[0][:4]})
    assert r.status_code in (200, 404) and "/anime/" in r.text  # the show, or candidates
    r = client.get("/search", params={"q": "zzqqxxvvkk"})
    assert r.status_code == 404 and "No show called" in r.text
    r = client.get("/search", params={"q": "x" * 5000})
    assert r.status_code == 400 and "characters long" in r.text  # refused, not 500
    r = client.get("/search", params={"q": "!!"})
    assert r.status_code == 400 and "no letters or digits" in r.text
    assert client.get("/search", follow_redirects=False).headers["location"] == "/"


def test_outlook_page(client: TestClient, show: sqlite3.Row) -> None:
    r = client.get(f"/anime/{show['mal_id']}")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "<svg" in r.text and "%" in r.text
    assert f"<h1>{show['title']}</h1>" in r.text or "&" in show["title"]
    assert "<script" not in r.text
    _assert_headers(r)


def test_timeline_page(client: TestClient, show: sqlite3.Row) -> None:
    r = client.get(f"/anime/{show['mal_id']}/timeline")
    assert r.status_code == 200 and "<svg" in r.text and "timeline" in r.text


@pytest.mark.parametrize("path", ["/anime/99999999", "/anime/99999999/timeline",
                                  "/season/2021/autumn", "/season/99999/spring", "/nowhere"])
def test_unknown_pages_are_404_html(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "Not found" in r.text
    _assert_headers(r)


def test_season_page_sorts(client: TestClient, show: sqlite3.Row) -> None:
    year, season = _season(show["ended"])
    base = f"/season/{year}/{season}"
    r = client.get(base)
    assert r.status_code == 200 and show["title"] in r.text.replace("&#39;", "'")
    assert "?sort=p_3y" in r.text and "?sort=title" in r.text
    prev = "fall" if season == "winter" else None
    if prev:
        assert f"/season/{year - 1}/fall" in r.text
    data = client.get(f"/api{base}", params={"sort": "p_ever"}).json()
    ps = [s["p_ever"] for s in data["shows"]]
    assert ps == sorted(ps, reverse=True) and len(ps) >= 1
    titles = [s["title"].casefold() for s in client.get(f"/api{base}?sort=title").json()["shows"]]
    assert titles == sorted(titles)
    for s in data["shows"]:
        assert _season(s["ended"]) == (year, season)
    assert client.get(f"{base}?sort=bogus").status_code == 422
    assert client.get(f"/api{base}?sort=bogus").status_code == 422


def test_season_neighbours(client: TestClient) -> None:
    data = client.get("/api/season/2020/winter").json()
    assert data["previous"] == {"year": 2019, "season": "fall"}
    assert data["next"] == {"year": 2020, "season": "spring"}
    assert client.get("/api/season/2020/fall").json()["next"] == {"year": 2021,
                                                                 "season": "winter"}


def test_model_card_is_rendered_safely(client: TestClient) -> None:
    r = client.get("/model-card")
    assert r.status_code == 200
    assert "<h1>Model card &lt;script&gt;alert(1)&lt;/script&gt;</h1>" in r.text
    assert "<strong>ensemble</strong>" in r.text and "<table>" in r.text
    assert "<td>&lt;b&gt;x&lt;/b&gt;</td>" in r.text and "<li>two <code>code</code></li>" in r.text
    assert '<img src="/reports/curve.png" alt="curve">' in r.text
    assert "evil.example/x.png\"" not in r.text and 'src="/reports/../' not in r.text
    assert client.get("/reports/curve.png").status_code == 200
    for bad in ["secret.txt", "..%2Fmodel-card.md", "%2e%2e%2fsecret.png", "missing.png"]:
        assert client.get(f"/reports/{bad}").status_code == 404


def test_missing_model_card(store: tuple[Path, SyntheticCatalogue], tmp_path: Path) -> None:
    with TestClient(create_app(store[0], model_card=tmp_path / "none.md")) as c:
        r = c.get("/model-card")
    assert r.status_code == 200 and "No model card yet" in r.text
    assert "nextseason backtest" in r.text


def test_markdown_converter_escapes_everything() -> None:
    html = render_markdown(f"## {IMG}\n\n{SCRIPT} **b** `{SCRIPT}`\n\n```\n{SCRIPT}\n```")
    assert "<script" not in html and "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


# ---- API --------------------------------------------------------------------------------

def test_api_search(client: TestClient, show: sqlite3.Row) -> None:
    r = client.get("/api/search", params={"q": show["title"], "limit": 5})
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    hits = r.json()["hits"]
    assert hits[0]["mal_id"] == show["mal_id"] and hits[0]["match"] == "exact"
    assert set(hits[0]) >= {"mal_id", "title", "type", "year", "members", "match", "score"}
    assert len(client.get("/api/search", params={"q": show["title"][:3], "limit": 3})
               .json()["hits"]) <= 3
    assert client.get("/api/search", params={"q": ""}).json()["hits"] == []
    assert client.get("/api/search", params={"q": "x" * 201}).status_code == 422
    assert client.get("/api/search", params={"q": "a", "limit": 500}).status_code == 422
    _assert_headers(r)


def test_api_outlook_mirrors_the_report(client: TestClient, show: sqlite3.Row) -> None:
    r = client.get(f"/api/outlook/{show['mal_id']}")
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    data = r.json()
    assert data["mal_id"] == show["mal_id"] and data["title"] == show["title"]
    assert data["headline"]["probabilities"]["p_1y"] == pytest.approx(show["p_1y"])
    assert {"facts", "sources", "curve", "timeline", "factors", "comparables"} <= set(data)
    assert client.get(f"/api/outlook/{show['mal_id']}").content == r.content  # cached, same


def test_api_timeline(client: TestClient, show: sqlite3.Row) -> None:
    data = client.get(f"/api/timeline/{show['mal_id']}").json()
    assert data["mal_id"] == show["mal_id"] and len(data["timeline"]) >= 1


@pytest.mark.parametrize("path", ["/api/outlook/99999999", "/api/timeline/99999999",
                                  "/api/season/2020/monsoon"])
def test_api_404_is_json(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 404 and r.headers["content-type"] == "application/json"
    assert r.json()["status"] == 404 and r.json()["error"]
    _assert_headers(r)


def test_api_rejects_bad_ids(client: TestClient) -> None:
    assert client.get("/api/outlook/abc").status_code == 422
    assert client.get("/api/outlook/0").status_code == 422


def test_openapi_lists_the_routes(client: TestClient) -> None:
    r = client.get("/openapi.json")
    assert r.status_code == 200
    spec = r.json()
    assert set(spec["paths"]) == {"/api/search", "/api/outlook/{mal_id}",
                                  "/api/timeline/{mal_id}", "/api/season/{year}/{season}"}
    for path in spec["paths"].values():
        assert path["get"]["summary"]
    _assert_headers(r)


# ---- untrusted text ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile(store: tuple[Path, SyntheticCatalogue], show: sqlite3.Row,
            tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, int]:
    """A copy of the store with an article full of payloads about ``show``, and another
    show whose title holds tags. Returns (db, article show id, renamed show id)."""
    folder = tmp_path_factory.mktemp("hostile")
    db = folder / "n.db"
    shutil.copy(store[0], db)
    _db, cat = store
    target = next(s for s in cat.shows if s.mal_id == show["mal_id"])
    # a wrong premiere date, so that the report cites the article under "sources disagree"
    wrong = target.start.replace(day=1 if target.start.day != 1 else 2)
    text = (
        f"{target.title} Season 2: {SCRIPT} {IMG}\n\n"
        f"The first season of {target.title} aired from {target.start:%B} {target.start.day},"
        f" {target.start.year}, to {target.end:%B} {target.end.day}, {target.end.year}, with a"
        f" total of {target.episodes} episodes. {SCRIPT}\n\n"
        f"Season 1 Release Date: {wrong:%B} {wrong.day}, {wrong.year} {IMG}\n\n"
        f"{IMG} As of now, there has been no official confirmation of a second season.\n"
    )
    article = folder / "article.txt"
    article.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli_app, ["ingest", str(article), "--db", str(db)])
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(db)
    renamed = conn.execute("SELECT mal_id FROM forecast WHERE mal_id != ? ORDER BY mal_id"
                           " LIMIT 1", (show["mal_id"],)).fetchone()[0]
    with conn:
        conn.execute("UPDATE anime SET title = ? WHERE mal_id = ?",
                     (f"<b>Bold</b> {SCRIPT}", renamed))
    conn.close()
    return db, show["mal_id"], renamed


def test_article_payloads_show_as_text(hostile: tuple[Path, int, int]) -> None:
    db, mal_id, _ = hostile
    with TestClient(create_app(db)) as c:
        r = c.get(f"/anime/{mal_id}")
        data = c.get(f"/api/outlook/{mal_id}").text
    assert r.status_code == 200
    assert "alert(1)" in data  # the article did reach the report...
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text  # ...and the page, as text
    assert "<script>alert" not in r.text and "<img src=x" not in r.text
    assert "onerror=alert(1)>" not in r.text


def test_title_with_tags_shows_as_text(hostile: tuple[Path, int, int]) -> None:
    db, _, renamed = hostile
    with TestClient(create_app(db)) as c:
        pages = [c.get(f"/anime/{renamed}"), c.get(f"/anime/{renamed}/timeline")]
        ended = c.get(f"/api/outlook/{renamed}").json()
        conn = sqlite3.connect(db)
        end = conn.execute("SELECT ended FROM forecast WHERE mal_id = ?", (renamed,)).fetchone()
        conn.close()
        year, season = _season(end[0])
        pages.append(c.get(f"/season/{year}/{season}?sort=title"))
        pages.append(c.get("/search", params={"q": "Bold"}))
    assert ended["title"] == f"<b>Bold</b> {SCRIPT}"
    for r in pages:
        assert r.status_code in (200, 404), r.url  # the search may end on "not found"
        assert "<b>Bold</b>" not in r.text and "<script>" not in r.text, r.url
    assert "&lt;b&gt;Bold&lt;/b&gt;" in pages[0].text
    assert "&lt;b&gt;Bold&lt;/b&gt;" in pages[2].text


def test_database_is_opened_read_only(client: TestClient) -> None:
    conn = client.app.state.store.conn()  # type: ignore[attr-defined]
    with pytest.raises(sqlite3.OperationalError):
        conn.execute("DELETE FROM anime")
    assert json.loads(client.get("/api/search?q=a").text)["query"] == "a"


def test_unexpected_errors_are_500_with_headers(store: tuple[Path, SyntheticCatalogue],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    app = create_app(store[0])

    def boom(mal_id: int) -> None:
        raise RuntimeError("secret detail")

    monkeypatch.setattr(app.state.store, "outlook", boom)
    with TestClient(app, raise_server_exceptions=False) as c:
        page, api = c.get("/anime/1000"), c.get("/api/timeline/1000")
    assert page.status_code == 500 and api.status_code == 500
    assert "secret detail" not in page.text + api.text
    assert page.headers["content-security-policy"] == CSP
    assert api.json() == {"error": "internal error", "status": 500}


def test_every_page_says_how_old_the_data_is(store: tuple[Path, SyntheticCatalogue],
                                             show: sqlite3.Row) -> None:
    """The age of the data, from the same function as the report's, on every page."""
    app = create_app(store[0], today=lambda: "2026-11-30")
    year, season = _season(show["ended"])
    with TestClient(app, raise_server_exceptions=False) as c:
        for url in ("/", f"/anime/{show['mal_id']}", f"/anime/{show['mal_id']}/timeline",
                    f"/season/{year}/{season}", "/model-card", "/search?q=zzqqxx",
                    "/anime/999999999"):
            r = c.get(url)
            assert "Data: the catalogue as of 24 March 2025, 20 months ago." in r.text, url


def test_charts_served_alone_for_embedding(client: TestClient, show: sqlite3.Row) -> None:
    page = client.get(f"/anime/{show['mal_id']}").text
    assert f"/anime/{show['mal_id']}/chart.svg" in page and "Embed this chart" in page
    svg = client.get(f"/anime/{show['mal_id']}/chart.svg")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.text.startswith("<svg") and 'width="640"' in svg.text and "<desc" in svg.text
    png = client.get(f"/anime/{show['mal_id']}/timeline.png")
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert client.get(f"/anime/{show['mal_id']}/other.svg").status_code in (404, 422)


def test_home_has_places_to_go(client: TestClient, store: tuple[Path, SyntheticCatalogue],
                               show: sqlite3.Row) -> None:
    conn = sqlite3.connect(store[0])
    confirmed = conn.execute(
        "SELECT a.title FROM forecast_series s JOIN anime a ON a.mal_id = s.latest_id"
        " WHERE s.reason LIKE 'announced: %' LIMIT 1").fetchone()
    latest = conn.execute("SELECT a.title FROM forecast f JOIN anime a USING (mal_id)"
                          " WHERE length(f.ended) = 10 ORDER BY f.ended DESC, a.title"
                          " LIMIT 1").fetchone()
    conn.close()
    text = client.get("/").text.replace("&#39;", "'")
    assert "Recently ended" in text and latest[0] in text
    assert "Browse by the season" in text and "/season/" in text
    if confirmed:
        assert "New season confirmed" in text and confirmed[0] in text


def test_season_lists_confirmed_sequels_marked(store: tuple[Path, SyntheticCatalogue],
                                               show: sqlite3.Row, tmp_path: Path) -> None:
    """A series whose next season is listed stays in its season's list, marked, with no
    chances (they would be a forecast of a fact)."""
    db = tmp_path / "announced.db"
    shutil.copy(store[0], db)
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE forecast_series SET reason = ? WHERE latest_id = ?",
                     ("announced: TV 'Next Part' (2025-07)", show["mal_id"]))
        conn.execute("DELETE FROM forecast WHERE mal_id = ?", (show["mal_id"],))
        conn.execute("UPDATE anime SET end_date = ? WHERE mal_id = ?",
                     (show["ended"], show["mal_id"]))
    conn.close()
    year, season = _season(show["ended"])
    with TestClient(create_app(db)) as c:
        text = c.get(f"/season/{year}/{season}").text.replace("&#39;", "'")
        data = c.get(f"/api/season/{year}/{season}").json()
        home = c.get("/").text.replace("&#39;", "'")
    assert show["title"] in text and "new season confirmed" in text
    assert "Next Part (TV), July 2025" in text
    marked = [s for s in data["shows"] if s["announced"]]
    assert [s["mal_id"] for s in marked] == [show["mal_id"]] and marked[0]["p_1y"] is None
    assert "New season confirmed" in home and "Next: Next Part (TV), July 2025" in home


def test_outlook_links_out(client: TestClient, show: sqlite3.Row) -> None:
    text = client.get(f"/anime/{show['mal_id']}").text
    assert f'href="https://myanimelist.net/anime/{show["mal_id"]}"' in text
    data = client.get(f"/api/outlook/{show['mal_id']}").json()
    assert data["links"][0]["site"] == "MyAnimeList"


def test_api_page_lists_every_route(client: TestClient) -> None:
    r = client.get("/api")
    assert r.status_code == 200 and "<script" not in r.text
    for path in ("/api/search", "/api/outlook/{mal_id}", "/api/timeline/{mal_id}",
                 "/api/season/{year}/{season}", "/anime/{mal_id}/chart.svg"):
        assert path in r.text
    examples = re.findall(r'<a href="(/api/[^"]+)"', r.text)
    assert examples
    for url in examples:
        assert client.get(url.replace("&amp;", "&")).status_code == 200, url


def test_model_card_found_from_any_folder(store: tuple[Path, SyntheticCatalogue],
                                          tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Started outside the checkout, the app still finds the checkout's card (by the
    package's location) and puts three plain lines on top."""
    from nextseason.web.model_card import find_model_card

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEXTSEASON_MODEL_CARD", raising=False)
    card = find_model_card()
    if not card.is_file():
        pytest.skip("no reports/model-card.md in this checkout")
    with TestClient(create_app(store[0])) as c:
        r = c.get("/model-card")
    assert r.status_code == 200 and "No model card yet" not in r.text
    summary = re.search(r'<section class="summary".*?</section>', r.text, re.S)
    assert summary and summary.group(0).count("<li>") == 3
    assert "What it tells you" in summary.group(0) and "How well" in summary.group(0)


def test_announced_in_words() -> None:
    from nextseason.web.season import announced_words

    assert announced_words("announced: TV 'X 2nd Season' (2025-07)") == (
        "X 2nd Season (TV), July 2025")
    assert announced_words("announced: None 'Y (Zoku-hen)' (date unknown)") == (
        "Y (Zoku-hen), date unknown")
