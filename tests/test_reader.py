"""Reading article files: bad input is refused clearly, HTML becomes safe plain text."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from nextseason.claims import reader
from nextseason.claims.reader import (
    ArticleText,
    date_from_text,
    markdown_to_text,
    read_article,
)
from nextseason.errors import EncodingError, InputError

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


def write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    p = tmp_path / name
    if isinstance(data, str):
        p.write_text(data, encoding="utf-8", newline="")
    else:
        p.write_bytes(data)
    return p


def zip_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("article.txt", "Season 2 was announced.")
    return buf.getvalue()


# ------------------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    "name, data, words",
    [
        ("image.txt", PNG, "binary file (a PNG image)"),
        ("archive.txt", zip_bytes(), "binary file (a zip archive"),
        ("nul.md", b"Season 2\x00\x00 was announced", "NUL bytes"),
        ("control.txt", bytes(range(1, 9)) * 20 + b"Season 2", "control bytes"),
        ("empty.txt", b"", "empty"),
        ("blank.md", b"  \n\t\r\n   \n", "only whitespace"),
        ("blank.html", b"\n\n   ", "empty"),
    ],
)
def test_bad_files_are_refused_naming_the_file(
    tmp_path: Path, name: str, data: bytes, words: str
) -> None:
    p = write(tmp_path, name, data)
    with pytest.raises(InputError) as info:
        read_article(p)
    message = str(info.value)
    assert str(p) in message
    assert words in message
    assert info.value.file == str(p)


def test_latin1_is_an_encoding_error_with_line_and_column(tmp_path: Path) -> None:
    p = write(tmp_path, "latin1.txt", "Title\nSecond line\nThe café season\n".encode("latin-1"))
    with pytest.raises(EncodingError) as info:
        read_article(p)
    message = str(info.value)
    assert str(p) in message
    assert "line 3: " in message and "column 8" in message and "0xE9" in message
    assert "UTF-8" in message


def test_utf16_is_an_encoding_error(tmp_path: Path) -> None:
    p = write(tmp_path, "utf16.txt", "Season 2 announced".encode("utf-16"))
    with pytest.raises(EncodingError, match="UTF-16"):
        read_article(p)


def test_file_over_the_limit_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = write(tmp_path, "big.txt", "Season 2 was announced. " * 100)  # 2,400 bytes

    def no_open(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", no_open)
    with pytest.raises(InputError) as info:
        read_article(p, max_bytes=1000)
    message = str(info.value)
    assert str(p) in message and "2,400 bytes" in message and "1,000 bytes" in message


def test_default_limit_is_five_megabytes(tmp_path: Path) -> None:
    p = write(tmp_path, "big.txt", b"a" * (5_000_001))
    with pytest.raises(InputError, match="5,000,000 bytes"):
        read_article(p)
    ok = write(tmp_path, "ok.txt", b"a" * 5_000_000)
    assert len(read_article(ok).text) == 5_000_000


@pytest.mark.parametrize("name", ["article.pdf", "article.docx", "article", "notes.rtf"])
def test_unsupported_extension_lists_the_supported_ones(tmp_path: Path, name: str) -> None:
    p = write(tmp_path, name, "Season 2 was announced.")
    with pytest.raises(InputError) as info:
        read_article(p)
    message = str(info.value)
    assert str(p) in message and "unsupported file type" in message
    for ext in (".txt", ".md", ".html", ".htm"):
        assert ext in message


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_article(tmp_path / "nope.txt")
    (tmp_path / "dir.txt").mkdir()
    with pytest.raises(InputError, match="directory"):
        read_article(tmp_path / "dir.txt")


def test_html_without_text_is_refused(tmp_path: Path) -> None:
    p = write(tmp_path, "empty.html", "<html><head><script>alert(1)</script></head><body>"
              "<nav>Home</nav></body></html>")
    with pytest.raises(InputError, match="no article text"):
        read_article(p)


# -------------------------------------------------------------------------------- txt


def test_txt_is_kept_exactly_except_newlines(tmp_path: Path) -> None:
    body = "Headline  here\r\n\r\n  Indented – “quoted” 7.4/10\ttab\rold mac line\n\n\n"
    p = write(tmp_path, "a.txt", b"\xef\xbb\xbf" + body.encode("utf-8"))
    art = read_article(p)
    assert art == ArticleText(
        text="Headline  here\n\n  Indented – “quoted” 7.4/10\ttab\nold mac line\n\n\n",
        format="txt", title="Headline  here", published=None, published_source=None, path=p,
    )


def test_txt_title_skips_banners_and_paragraphs(tmp_path: Path) -> None:
    p = write(tmp_path, "a.txt", "We use cookies. Learn more.\n\nShow X Season 2 - What We Know"
              "\n\nIt aired in 2021.\n")
    assert read_article(p).title == "Show X Season 2 - What We Know"
    p = write(tmp_path, "b.txt", "A long opening paragraph. " * 10 + "\n")
    assert read_article(p).title is None


# ------------------------------------------------------------------------------- HTML

HOSTILE = """<!DOCTYPE html>
<html><head>
<meta charset="utf-8">
<title>Show X Season 2 Release Date | Fan Site</title>
<meta property="og:title" content="Show X Season 2 Release Date">
<meta property="article:published_time" content="2023-05-02T10:00:00+00:00">
<script>alert(1)</script>
<style>body { background: url(javascript:alert(2)) } .x { color: red }</style>
<link rel="stylesheet" href="evil.css">
</head>
<body onload="alert(3)">
<header><h2>Fan Site Header</h2></header>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">Latest News Menu</a></li></ul></nav>
<article>
<h1>Show X Season 2 Release Date</h1>
<p style="color:red; background:url(javascript:alert(4))">The first season of Show X aired
from April 5, 2021, to June 28, 2021, with a total of 12 episodes.</p>
<p>No second season has been announced yet. <img src=x onerror=alert(1)> The light novel
has five volumes and more than 400,000 copies in circulation.</p>
<p>Read the <a href="javascript:alert(1)">click</a> statement, or the
<a href=" JaVaScRiPt:alert(5)" onclick="alert(6)">studio page</a>, for details.</p>
<p>Writers sometimes say &lt;script&gt; in prose; that is only text.</p>
<iframe src="https://evil.example/frame"></iframe>
<noscript>Enable JavaScript please</noscript>
<form action="javascript:alert(7)"><input name="q" value="search here"></form>
<svg onload="alert(8)"><text>svg text</text></svg>
</article>
<footer>Copyright Fan Site Footer</footer>
<script src="https://evil.example/tracker.js"></script>
</body></html>
"""


def test_hostile_html_yields_safe_plain_text(tmp_path: Path) -> None:
    art = read_article(write(tmp_path, "hostile.html", HOSTILE))
    text = art.text
    assert art.format == "html"
    assert "The first season of Show X aired" in text
    assert "with a total of 12 episodes." in text
    assert "No second season has been announced yet." in text
    assert "more than 400,000 copies in circulation." in text
    assert "Read the click statement, or the studio page, for details." in text
    for gone in ("alert(", "onerror", "onclick", "onload", "javascript:", "color:", "color: red",
                 "background", "Home", "Latest News Menu", "Fan Site Header",
                 "Fan Site Footer", "Enable JavaScript", "search here", "svg text",
                 "evil.example", "tracker.js", "<a", "<img", "<p", "<iframe", "<style"):
        assert gone.lower() not in text.lower(), gone
    assert not re.search(r"<\s*[a-z]+[^<>]*\bon\w+\s*=", text, re.I)
    # an escaped tag in the page is prose, and stays as the text it is
    assert "say <script> in prose" in text
    assert art.title == "Show X Season 2 Release Date"
    assert (art.published, art.published_source) == ("2023-05-02", "metadata")


def test_html_falls_back_to_the_cleaned_body(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import trafilatura

    monkeypatch.setattr(trafilatura, "extract", lambda *a, **k: None)
    art = read_article(write(tmp_path, "short.html", HOSTILE))
    assert "The first season of Show X aired from April 5, 2021" in art.text
    assert "No second season has been announced yet. The light novel" in art.text
    for gone in ("alert(", "javascript:", "Home", "Fan Site Footer", "color:", "search here"):
        assert gone not in art.text
    assert art.text.count("\n") >= 3  # one line per block


def test_html_title_falls_back_to_title_tag(tmp_path: Path) -> None:
    page = ("<html><head><title> Show Y\n Season 3 </title></head><body><article>"
            + "<p>Show Y season three was announced by the studio in a long statement.</p>" * 3
            + "</article></body></html>")
    art = read_article(write(tmp_path, "y.htm", page))
    assert art.title == "Show Y Season 3"
    assert art.published is None and art.published_source is None


def _page(head: str = "", body: str = "") -> str:
    para = "<p>Show Z is a quiet comedy about a baker; its first season had twelve episodes.</p>"
    return (f"<html><head><title>Show Z</title>{head}</head><body><article>{body}"
            f"{para * 3}</article></body></html>")


@pytest.mark.parametrize(
    "head, body, expected",
    [
        ('<meta property="article:published_time" content="2022-01-09T08:00:00Z">', "",
         "2022-01-09"),
        ('<meta name="date" content="2021-12-24">', "", "2021-12-24"),
        ('<meta itemprop="datePublished" content="2020-02-29">', "", "2020-02-29"),
        ('<script type="application/ld+json">{"@graph": [{"@type": "NewsArticle", '
         '"datePublished": "2019-03-04T10:00:00+09:00"}]}</script>', "", "2019-03-04"),
        ("", '<p class="meta"><time datetime="2018-05-06" pubdate>May 6</time></p>',
         "2018-05-06"),
        ("", '<header><time datetime="2017-07-08T09:00">July 8</time></header>', "2017-07-08"),
        ("", '<div class="byline">By A. Writer, <time datetime="2016-01-02">Jan 2</time></div>',
         "2016-01-02"),
        # a <time> inside the prose is a claim about the show, not the article's date
        ("", '<p>The finale aired <time datetime="2021-06-28">June 28</time>.</p>', None),
        ('<meta property="article:published_time" content="not a date">', "", None),
    ],
)
def test_html_metadata_date(tmp_path: Path, head: str, body: str, expected: str | None) -> None:
    art = read_article(write(tmp_path, "z.html", _page(head, body)))
    assert art.published == expected
    assert art.published_source == ("metadata" if expected else None)


def test_html_date_in_text_when_no_metadata(tmp_path: Path) -> None:
    art = read_article(write(tmp_path, "z.html", _page(body="<p>Published on March 3, 2024</p>")))
    assert (art.published, art.published_source) == ("2024-03-03", "text")


def test_html_never_fetches_or_runs_anything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket
    import subprocess

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network or process use while reading an article")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(subprocess, "Popen", refuse)
    assert "Show X aired" in read_article(write(tmp_path, "h.html", HOSTILE)).text


# ------------------------------------------------------------------------------ dates


@pytest.mark.parametrize(
    "text, expected",
    [
        (" date 2023-07-17 The popular romantic comedy light novel series", "2023-07-17"),
        ("Show X Season 2\nPublished on July 17, 2023\n\nThe anime aired in 2021.", "2023-07-17"),
        ("Posted: Jul. 4th 2022 by Fan", "2022-07-04"),
        ("Updated: 17 July 2023\nShow X news", "2023-07-17"),
        ("Last updated — 2023/08/01. Show X.", "2023-08-01"),
        ("Updated: 2024-01-05\nFirst published: 2023-02-03\n", "2023-02-03"),
        ("Show X\nMarch 9, 2024\n\nThe studio said...", "2024-03-09"),
        ("The first season aired from April 5, 2021, to June 28, 2021.", None),
        ("Date: 07/08/2023 (ambiguous)", None),
        ("Date: 2023-02-30 is not a day", None),
        ("x" * 320 + " Published on July 17, 2023", None),
        ("No date here at all.", None),
    ],
)
def test_date_from_text(text: str, expected: str | None) -> None:
    assert date_from_text(text) == expected


def test_txt_date_source_is_text(tmp_path: Path) -> None:
    art = read_article(write(tmp_path, "a.txt", " date 2023-07-17 The popular series."))
    assert (art.published, art.published_source) == ("2023-07-17", "text")


# --------------------------------------------------------------------------- Markdown


def test_markdown_converter() -> None:
    md = "\n".join([
        "# Show X Season 2 #",
        "",
        "Some **bold**, *italic*, ***both***, __strong__, _under_ and ~~struck~~ words;",
        "snake_case_name and 5 * 3 * 2 stay as written.",
        "![poster](poster.png) A [link](http://example.com \"t\") and a [ref][1] and "
        "<https://example.org/x>.",
        "",
        "> The studio said: *no comment*.",
        "* first bullet",
        "+ second bullet",
        "1. numbered",
        r"\*not emphasis\* and a \[bracket\]",
        "`code **kept**` inline",
        "",
        "```python",
        "x = **1**",
        "# not a heading",
        "```",
        "",
        "| Season | Episodes |",
        "|--------|---------:|",
        "| 1      | 12       |",
        "",
        "---",
        "",
        "Setext heading",
        "==============",
        "[1]: http://example.com/ref",
        "<script>alert(1)</script> raw <b>html</b> <!-- hidden -->",
        "",
        "",
        "",
        "The end.  ",
    ])
    assert markdown_to_text(md) == "\n".join([
        "Show X Season 2",
        "",
        "Some bold, italic, both, strong, under and struck words;",
        "snake_case_name and 5 * 3 * 2 stay as written.",
        "A link and a ref and https://example.org/x.",
        "",
        "The studio said: no comment.",
        "- first bullet",
        "- second bullet",
        "1. numbered",
        "*not emphasis* and a [bracket]",
        "code **kept** inline",
        "",
        "x = **1**",
        "# not a heading",
        "",
        "| Season | Episodes |",
        "| 1      | 12       |",
        "",
        "Setext heading",
        "raw html",
        "",
        "The end.",
    ])


def test_markdown_file_front_matter_and_title(tmp_path: Path) -> None:
    md = ("---\ntitle: \"Show X: the sequel\"\ndate: 2023-09-10\ntags: [anime]\n---\n"
          "# Heading\n\nThe **sequel** was announced.\n")
    art = read_article(write(tmp_path, "a.md", md))
    assert art.text == "Heading\n\nThe sequel was announced."
    assert art.title == "Show X: the sequel"
    assert (art.published, art.published_source) == ("2023-09-10", "metadata")
    art = read_article(write(tmp_path, "b.markdown", "Intro\n\n## Show Y Returns\n\nUpdated: "
                             "May 1, 2022\n"))
    assert art.title == "Show Y Returns"
    assert (art.published, art.published_source) == ("2022-05-01", "text")


def test_markdown_rule_around_prose_is_not_front_matter(tmp_path: Path) -> None:
    art = read_article(write(tmp_path, "r.md", "---\nThe sequel was announced.\n---\nMore.\n"))
    assert art.text == "The sequel was announced.\nMore."
    assert art.published is None


def test_markdown_hostile_html_is_removed(tmp_path: Path) -> None:
    md = ('Text <img src=x onerror=alert(1)> and <a href="javascript:alert(1)">click</a>.\n'
          "<script>\nalert(1)\n</script>\nMore text.\n")
    art = read_article(write(tmp_path, "h.md", md))
    assert art.text == "Text and click.\n\nMore text."


# ------------------------------------------------------------------------------ seeds


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seed articles not found")
def test_the_seed_articles_read() -> None:
    arts = {p.name[:3]: read_article(p) for p in sorted(SEEDS.glob("*.txt"))}
    assert set(arts) == {"000", "001", "002"}
    assert (arts["000"].published, arts["000"].published_source) == ("2023-07-17", "text")
    assert arts["002"].title == "Higehiro Season 2 Release Date: Is The Anime Returning?"
    for art in arts.values():
        assert art.text == (SEEDS / art.path.name).read_text(encoding="utf-8")  # type: ignore[union-attr]


def test_module_exports() -> None:
    for name in reader.__all__:
        assert hasattr(reader, name)
