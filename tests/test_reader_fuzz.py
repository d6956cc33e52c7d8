"""Fuzzing the article reader and the claim extractor (issue 9).

Hypothesis generates files from an alphabet heavy in markup (Markdown delimiters, HTML
syntax, dates, digits, capitals, control characters, a private-use character, NUL bytes,
invalid UTF-8) and feeds them through exactly what ``nextseason extract`` does: read the file,
then extract claims from its text. Nothing may raise anything but our own errors. The number
of inputs is bounded and the search is derandomised, so CI runs the same inputs every time.

Speed on pathological input is measured by ``benchmarks/bench_hostile.py``; here only a few
pathological shapes that used to run for minutes are read, at a size that now takes
milliseconds.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nextseason.claims.extract import extract_claims
from nextseason.claims.reader import markdown_to_text, read_article
from nextseason.errors import NextseasonError

FUZZ = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

MARKUP = (
    "*_~`#>[]()!<>/=\"'-|\\:;.,{}&%@ \t\n\n"
    "abcxyzABCXYZ0123456789"
    "\ue000\u202e\x1b\x07\x00\x7f\u00e9\u3042"
)
PIECES = [
    "<script>", "</script>", "<!--", "-->", "<p ", "<div>", "</div>", "<time datetime=\"",
    "<meta property=\"article:published_time\" content=\"", "<script type=\"application/ld+json\">",
    "[[[[", "{\"datePublished\": ", "title=\"data:", "javascript:", "```", "~~~", "---\n",
    "# ", "> ", "- ", "1. ", "|---|", "![a](b)", "[x](", "<https://", "**", "__", "\\*",
    "2023-07-17", "July 17, 2023", "published on ", "Season 2", "season two", "episodes",
    "announced", "2999-12-31", "0001-01-01", "99999999999999999999", "Ⅻ", "\r\n",
]

texts = st.lists(st.one_of(st.text(alphabet=MARKUP, max_size=40), st.sampled_from(PIECES)),
                 max_size=60).map("".join)


def _read_and_extract(name: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        try:
            art = read_article(path)
        except NextseasonError:
            return
    assert isinstance(art.text, str) and art.text.strip()
    assert "\x00" not in art.text
    extract_claims(art.text, as_of=art.published)


@pytest.mark.parametrize("name", ["a.txt", "a.md", "a.html"])
@FUZZ
@given(text=texts)
def test_any_text_reads_and_extracts_or_is_refused_with_our_error(name: str, text: str) -> None:
    _read_and_extract(name, text.encode("utf-8", "surrogatepass"))


@pytest.mark.parametrize("name", ["b.txt", "b.md", "b.html"])
@FUZZ
@given(data=st.binary(max_size=300))
def test_any_bytes_read_or_are_refused_with_our_error(name: str, data: bytes) -> None:
    _read_and_extract(name, data)


@FUZZ
@given(text=texts)
def test_markdown_keeps_the_texts_own_characters(text: str) -> None:
    """The private-use character that stands in for escapes while converting is the text's
    own when the text has it: it never picks up an escaped character (it used to)."""
    out = markdown_to_text(text + "\n\nkeep \\* \ue0000\ue000 this\n")
    # (inside an unclosed code fence the line is kept verbatim, escape and all)
    assert out.endswith(("keep * \ue0000\ue000 this", "keep \\* \ue0000\ue000 this"))


@pytest.mark.parametrize("name, text", [
    ("heading.md", "# a" + " " * 300_000 + "x\n"),  # used to backtrack for minutes
    ("table.md", " " * 300_000 + "x\n"),
    ("brackets.md", "![[(" * 75_000),
    ("emphasis.md", "**a *b _c __d ~~e " * 20_000),
    ("backticks.md", "a " + "`" * 100_000 + " " + "``" * 30_000),
    ("openers.md", "<script <!-- <a href=x " * 15_000),
    ("attributes.html", "<p " + "".join(f'a{i}="v>" ' for i in range(50_000)) + ">Season 2</p>"),
])
def test_pathological_shapes_are_read(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    art = read_article(path)
    assert art.text.strip()


# ------------------------------------------------------- the crashes, one by one


def test_a_title_attribute_that_looks_like_a_data_url_is_text(tmp_path: Path) -> None:
    path = tmp_path / "t.html"
    path.write_text('<html><body><p title="data: 2024">Season 2 was announced.</p>'
                    '<a href="data:text/html,x">x</a></body></html>', encoding="utf-8")
    assert read_article(path).text.startswith("Season 2 was announced.")


def test_very_deep_json_ld_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "j.html"
    path.write_text('<html><head><script type="application/ld+json">' + "[" * 200_000
                    + '</script></head><body><p>Season 2 was announced.</p></body></html>',
                    encoding="utf-8")
    art = read_article(path)
    assert art.text == "Season 2 was announced." and art.published is None


def test_a_private_use_character_in_markdown_is_kept_as_written(tmp_path: Path) -> None:
    path = tmp_path / "p.md"
    path.write_text("An \\*escaped\\* star and \ue0000\ue000 stay.\n", encoding="utf-8")
    assert read_article(path).text == "An *escaped* star and \ue0000\ue000 stay."


def test_a_nul_byte_after_the_first_8_kb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "n.txt"
    path.write_bytes(b"Season 2 was announced.\n" * 500 + b"x\x00y\n")
    with pytest.raises(NextseasonError, match="NUL") as info:
        read_article(path)
    assert "line 501, column 2" in str(info.value)
