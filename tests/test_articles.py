"""Storing articles and claims: idempotent, all-or-nothing, dated, quotes exact."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from nextseason.claims.articles import (
    article_id,
    expand_paths,
    get_article,
    ingest_article,
    ingest_paths,
    list_articles,
    load_claims,
)
from nextseason.claims.model import Claim
from nextseason.claims.reader import ArticleText
from nextseason.errors import EncodingError, InputError, RecordError
from nextseason.store import connect

TEXT = (
    "Show X Season 2: What We Know\n\n"
    "The first season aired from April 5, 2021, to June 28, 2021, with 13 episodes. "
    "It holds a 7.4 rating on MyAnimeList, and the light novel has sold 400,000 copies. "
    "No second season has been announced — “yet”.\n"
)


@pytest.fixture
def db(tmp_path: Path):
    conn = connect(tmp_path / "x.db")
    yield conn
    conn.close()


def dump(conn: sqlite3.Connection) -> list[str]:
    return list(conn.iterdump())


def claim(text: str, phrase: str, field: str, value: object, qualifier: str | None = None,
          subject: str | None = None, subject_mal_id: int | None = None) -> Claim:
    start = text.index(phrase)
    return Claim(field, value, qualifier, subject, subject_mal_id, phrase, start,
                 start + len(phrase), None, None, 0.9)


def claims_for(art: ArticleText) -> list[Claim]:
    """A stand-in extractor: a few fixed claims, found wherever they occur."""
    out = []
    for phrase, field, value, qualifier in [
        ("April 5, 2021", "premiere_date", "2021-04-05", "season 1"),
        ("13 episodes", "episode_count", 13, "season 1"),
        ("7.4 rating", "rating", 7.4, "MyAnimeList"),
        ("400,000 copies", "circulation", 400000, None),
        ("No second season has been announced — “yet”", "renewal_status", "not_announced",
         None),
    ]:
        if phrase in art.text:
            out.append(claim(art.text, phrase, field, value, qualifier))
    return out


def art(text: str = TEXT, published: str | None = None, source: str | None = None,
        path: Path | None = None, fmt: str = "txt") -> ArticleText:
    return ArticleText(text, fmt, "Show X Season 2: What We Know", published, source, path)


# ------------------------------------------------------------------------------- ingest


def test_article_id_is_a_content_hash() -> None:
    assert article_id(TEXT) == hashlib.sha256(TEXT.encode("utf-8")).hexdigest()[:16]
    assert len(article_id("x")) == 16 and article_id("x") != article_id("y")


def test_ingest_stores_article_and_claims_exactly(db: sqlite3.Connection) -> None:
    a = art(published="2023-07-17", source="text")
    res = ingest_article(db, a, claims_for(a), url="https://example.com/x",
                         subject="Show X", subject_mal_id=42)
    assert res.created and res.article_id == article_id(TEXT)
    assert (res.published, res.published_source) == ("2023-07-17", "text")
    assert len(res.claims) == 5
    assert all(c.article == res.article_id and c.as_of == "2023-07-17" for c in res.claims)

    row = db.execute("SELECT * FROM article").fetchone()
    assert row["text"] == TEXT and row["url"] == "https://example.com/x"
    assert (row["format"], row["subject"], row["subject_mal_id"]) == ("txt", "Show X", 42)

    loaded = load_claims(db, 42)
    assert loaded == list(res.claims)
    for c in loaded:
        assert c.quote == row["text"][c.start:c.end]
    values = {c.field: c.value for c in loaded}
    assert values["episode_count"] == 13 and isinstance(values["episode_count"], int)
    assert values["rating"] == 7.4 and values["circulation"] == 400000
    assert values["premiere_date"] == "2021-04-05"
    assert [r["idx"] for r in db.execute("SELECT idx FROM claim ORDER BY idx")] == [0, 1, 2, 3, 4]


def test_claim_subject_defaults_to_the_articles_but_keeps_its_own(
    db: sqlite3.Connection,
) -> None:
    a = art()
    cs = [claim(TEXT, "13 episodes", "episode_count", 13),
          claim(TEXT, "400,000 copies", "circulation", 400000, subject="Other", subject_mal_id=7)]
    ingest_article(db, a, cs, subject="Show X", subject_mal_id=42)
    assert [c.field for c in load_claims(db, 42)] == ["episode_count"]
    assert [c.field for c in load_claims(db, 7)] == ["circulation"]
    assert [x.id for x in list_articles(db, 7)] == [article_id(TEXT)]


def test_ingest_does_not_change_the_callers_claims(db: sqlite3.Connection) -> None:
    cs = claims_for(art())
    ingest_article(db, art(), cs, published="2024-01-01")
    assert all(c.article is None and c.as_of is None for c in cs)


def test_same_text_twice_is_one_article(db: sqlite3.Connection) -> None:
    first = ingest_article(db, art(), claims_for(art()), subject_mal_id=42)
    before = dump(db)
    again = ingest_article(db, art(path=Path("elsewhere.txt")), claims_for(art())[:1],
                           published="2030-01-01", subject_mal_id=99)
    assert not again.created and again.article_id == first.article_id
    assert again.claims == first.claims
    assert dump(db) == before


def test_same_text_from_different_paths_is_one_article(
    db: sqlite3.Connection, tmp_path: Path
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "two.txt").write_text(TEXT, encoding="utf-8")
    res = ingest_paths(db, [tmp_path / "a" / "one.txt", tmp_path / "two.txt"],
                       extract=claims_for)
    assert [r.created for r in res] == [True, False]
    before = dump(db)
    res = ingest_paths(db, [tmp_path], extract=claims_for)
    assert [r.created for r in res] == [False, False]
    assert dump(db) == before
    assert db.execute("SELECT count(*) FROM article").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM claim").fetchone()[0] == 5


@pytest.mark.parametrize(
    "given, art_date, art_source, expected",
    [
        ("2024-02-03", "2023-01-01", "metadata", ("2024-02-03", "given")),
        (None, "2023-01-01", "metadata", ("2023-01-01", "metadata")),
        (None, "2022-05-06", "text", ("2022-05-06", "text")),
        (None, None, None, (None, "unknown")),
    ],
)
def test_published_date_precedence(
    db: sqlite3.Connection, given: str | None, art_date: str | None, art_source: str | None,
    expected: tuple[str | None, str],
) -> None:
    a = art(published=art_date, source=art_source)
    res = ingest_article(db, a, claims_for(a), published=given, subject_mal_id=1)
    assert (res.published, res.published_source) == expected
    row = db.execute("SELECT published, published_source FROM article").fetchone()
    assert (row["published"], row["published_source"]) == expected
    assert {c.as_of for c in load_claims(db, 1)} == {expected[0]}


@pytest.mark.parametrize("bad", ["17/07/2023", "2023-02-30", "July 17, 2023", "2023-7-1", ""])
def test_bad_published_is_refused_and_nothing_is_written(
    db: sqlite3.Connection, tmp_path: Path, bad: str
) -> None:
    before = dump(db)
    with pytest.raises(InputError, match="ISO date"):
        ingest_article(db, art(), claims_for(art()), published=bad)
    p = tmp_path / "a.txt"
    p.write_text(TEXT, encoding="utf-8")
    with pytest.raises(InputError, match="ISO date"):
        ingest_paths(db, [p], extract=claims_for, published=bad)
    assert dump(db) == before


def test_a_quote_that_is_not_the_text_is_refused(db: sqlite3.Connection) -> None:
    bad = claim(TEXT, "13 episodes", "episode_count", 13)
    bad.quote = "12 episodes"
    before = dump(db)
    with pytest.raises(RecordError, match="12 episodes"):
        ingest_article(db, art(), [*claims_for(art()), bad])
    assert dump(db) == before


def test_quotes_round_trip_through_a_file(db: sqlite3.Connection, tmp_path: Path) -> None:
    p = tmp_path / "crlf.txt"
    p.write_bytes(b"\xef\xbb\xbf" + TEXT.replace("\n", "\r\n").encode("utf-8"))
    (res,) = ingest_paths(db, [p], extract=claims_for,
                          resolve_subject=lambda a: ("Show X", 3))
    stored = get_article(db, res.article_id)
    assert stored is not None and stored.text == TEXT and stored.claims == 5
    assert stored.subject == "Show X" and stored.path == str(p)
    for c in load_claims(db, 3):
        assert stored.text[c.start:c.end] == c.quote


# ------------------------------------------------------------------------ bad batches

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"


@pytest.mark.parametrize(
    "name, data, error, words",
    [
        ("image.txt", PNG, InputError, "binary"),
        ("empty.txt", b"", InputError, "empty"),
        ("blank.txt", b" \n\t \n", InputError, "whitespace"),
        ("latin1.txt", "Show X: la saison 2 est annoncée".encode("latin-1"), EncodingError,
         "not UTF-8"),
        ("big.txt", b"Season two. " * 50, InputError, "over the limit"),
        ("article.pdf", b"%PDF-1.4 whatever", InputError, "unsupported file type"),
    ],
)
def test_a_bad_file_in_a_batch_writes_nothing(
    db: sqlite3.Connection, tmp_path: Path, name: str, data: bytes,
    error: type[InputError], words: str,
) -> None:
    ingest_article(db, art(text="An older article.\n"), [])
    before = dump(db)
    good = tmp_path / "a_good.txt"
    good.write_text(TEXT, encoding="utf-8")
    bad = tmp_path / name
    bad.write_bytes(data)
    with pytest.raises(error) as info:
        ingest_paths(db, [good, bad], extract=claims_for, max_bytes=400)
    assert str(bad) in str(info.value) and words in str(info.value)
    assert dump(db) == before


def test_a_bad_file_in_a_directory_writes_nothing(db: sqlite3.Connection, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.html").write_bytes(PNG)
    before = dump(db)
    with pytest.raises(InputError, match="b.html"):
        ingest_paths(db, [tmp_path], extract=claims_for)
    assert dump(db) == before


def test_an_extractor_error_writes_nothing(db: sqlite3.Connection, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.txt").write_text("Another article.\n", encoding="utf-8")

    def extract(a: ArticleText) -> list[Claim]:
        if a.text.startswith("Another"):
            raise RuntimeError("extractor bug")
        return claims_for(a)

    before = dump(db)
    with pytest.raises(RuntimeError):
        ingest_paths(db, [tmp_path], extract=extract)
    assert dump(db) == before
    assert not db.in_transaction


def test_a_failed_write_rolls_back(db: sqlite3.Connection, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.txt").write_text("Another article.\n", encoding="utf-8")
    db.execute("CREATE TRIGGER no_b BEFORE INSERT ON article WHEN NEW.text LIKE 'Another%' "
               "BEGIN SELECT RAISE(ABORT, 'refused'); END")
    before = dump(db)
    with pytest.raises(sqlite3.IntegrityError):
        ingest_paths(db, [tmp_path], extract=claims_for)
    assert dump(db) == before
    assert not db.in_transaction


def test_url_needs_exactly_one_file(db: sqlite3.Connection, tmp_path: Path) -> None:
    for n in ("a.txt", "b.txt"):
        (tmp_path / n).write_text(f"{n} article.\n", encoding="utf-8")
    with pytest.raises(InputError, match="--url names one page, but 2 files"):
        ingest_paths(db, [tmp_path], extract=claims_for, url="https://example.com")
    (res,) = ingest_paths(db, [tmp_path / "a.txt"], extract=claims_for, url="https://e.com/a")
    assert get_article(db, res.article_id).url == "https://e.com/a"  # type: ignore[union-attr]


def test_expand_paths(tmp_path: Path) -> None:
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / ".hidden").mkdir()
    for rel in ("b.txt", "a.md", "sub/c.HTML", "sub/deeper/d.htm", "sub/notes.pdf",
                ".hidden/e.txt", "sub/.f.txt"):
        (tmp_path / rel).write_text("x", encoding="utf-8")
    got = expand_paths([tmp_path, tmp_path / "b.txt"])
    assert [p.relative_to(tmp_path).as_posix() for p in got] == [
        "a.md", "b.txt", "sub/c.HTML", "sub/deeper/d.htm"]
    with pytest.raises(InputError, match="no such file"):
        expand_paths([tmp_path / "missing.txt"])
    (tmp_path / "none").mkdir()
    with pytest.raises(InputError, match="no article files"):
        expand_paths([tmp_path / "none"])


def test_list_articles_and_load_claims_order(db: sqlite3.Connection) -> None:
    old = art(text="Old: 13 episodes.\n", published="2021-01-01", source="metadata")
    new = art(text="New: 13 episodes.\n", published="2023-01-01", source="text")
    undated = art(text="Undated: 13 episodes.\n")
    other = art(text="Other show: 13 episodes.\n")
    for a, mal in ((new, 42), (undated, 42), (old, 42), (other, 9)):
        ingest_article(db, a, claims_for(a), subject_mal_id=mal)
    assert [a.published for a in list_articles(db)] == ["2021-01-01", "2023-01-01", None, None]
    assert len(list_articles(db, 42)) == 3 and len(list_articles(db, 9)) == 1
    assert [c.as_of for c in load_claims(db, 42)] == ["2021-01-01", "2023-01-01", None]
    assert load_claims(db, 12345) == []
    assert get_article(db, "0" * 16) is None
