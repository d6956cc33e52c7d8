"""``download`` against an in-process ``httpx.MockTransport`` (the machine has no internet)."""

from __future__ import annotations

import gzip
import hashlib
import io
import tarfile
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from nextseason import __version__
from nextseason.errors import DownloadError
from nextseason.ingest.download import MANIFEST, RawFile, download

RAW = Path(__file__).resolve().parents[2] / "shared" / "data" / "raw"
BODY_A = b"mal_id,title\n1,Cowboy Bebop\n" * 50
BODY_B = b'[{"mal_id": 1}]'
SHA = lambda b: hashlib.sha256(b).hexdigest()  # noqa: E731
URL_A = "https://example.test/a.csv"
URL_B = "https://example.test/b.json"

ENTRIES = (
    RawFile("a", "dir_a/a.csv", URL_A, "raw", SHA(BODY_A), len(BODY_A)),
    RawFile("b", "dir_b/b.json.gz", URL_B, "gzip", SHA(BODY_B), len(BODY_B)),
    RawFile("m", "sales/m.csv", "https://example.test/m.pickle", "manual", SHA(b"m"), 1,
            note="copy it"),
)


Route = Callable[[], httpx.Response]


def serve(routes: dict[str, Route], log: list[httpx.Request] | None = None) -> httpx.Client:
    """A client whose transport answers ``routes`` by URL (404 otherwise)."""

    def handler(request: httpx.Request) -> httpx.Response:
        if log is not None:
            log.append(request)
        answer = routes.get(str(request.url))
        if answer is None:
            return httpx.Response(404)
        return answer()

    return httpx.Client(transport=httpx.MockTransport(handler))


def ok(body: bytes) -> Callable[[], httpx.Response]:
    return lambda: httpx.Response(200, content=body)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob(".*") if p.is_file())


def test_downloads_raw_and_gzip_and_reports_manual(tmp_path: Path) -> None:
    log: list[httpx.Request] = []
    events: list[tuple[str, int, int | None]] = []
    client = serve({URL_A: ok(BODY_A), URL_B: ok(BODY_B)}, log)
    report = download(tmp_path, client=client, manifest=ENTRIES,
                      progress=lambda *a: events.append(a))
    assert (tmp_path / "dir_a/a.csv").read_bytes() == BODY_A
    gz = (tmp_path / "dir_b/b.json.gz").read_bytes()
    assert gzip.decompress(gz) == BODY_B and gz[4:8] == b"\0\0\0\0"  # mtime=0
    assert [(f.name, f.status) for f in report.files] == [
        ("a", "downloaded"), ("b", "downloaded"), ("m", "manual")]
    assert report.bytes_downloaded == len(BODY_A) + len(BODY_B)
    assert [f.name for f in report.missing_manual] == ["m"]
    assert not (tmp_path / "sales/m.csv").exists()
    assert "not downloadable" in report.summary() and "build needs" in report.summary()
    assert [str(r.url) for r in log] == [URL_A, URL_B]  # the manual entry is never fetched
    assert log[0].headers["User-Agent"] == f"nextseason/{__version__}"
    assert events[0] == ("dir_a/a.csv", 0, len(BODY_A))
    assert events[-1] == ("dir_b/b.json.gz", len(BODY_B), len(BODY_B))
    assert leftovers(tmp_path) == []


def test_skips_present_files_and_force_refetches(tmp_path: Path) -> None:
    download(tmp_path, client=serve({URL_A: ok(BODY_A), URL_B: ok(BODY_B)}), manifest=ENTRIES)
    (tmp_path / "sales").mkdir()
    (tmp_path / "sales/m.csv").write_bytes(b"m")
    log: list[httpx.Request] = []
    client = serve({URL_A: ok(BODY_A), URL_B: ok(BODY_B)}, log)
    report = download(tmp_path, client=client, manifest=ENTRIES)
    assert [f.status for f in report.files] == ["skipped", "skipped", "manual"]
    assert log == [] and report.missing_manual == [] and "build needs" not in report.summary()
    report = download(tmp_path, client=client, manifest=ENTRIES, force=True, only=["dir_b"])
    assert [(f.name, f.status) for f in report.files] == [("b", "downloaded")]
    assert [str(r.url) for r in log] == [URL_B]


def test_wrong_existing_file_is_replaced(tmp_path: Path) -> None:
    (tmp_path / "dir_a").mkdir()
    (tmp_path / "dir_a/a.csv").write_bytes(b"stale")
    report = download(tmp_path, client=serve({URL_A: ok(BODY_A)}), manifest=ENTRIES[:1])
    assert report.files[0].status == "downloaded"
    assert (tmp_path / "dir_a/a.csv").read_bytes() == BODY_A


def test_unknown_only_name_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DownloadError, match="unknown file"):
        download(tmp_path, client=serve({}), manifest=ENTRIES, only=["nope"])


@pytest.mark.parametrize("store", ["raw", "gzip"])
def test_hash_mismatch_keeps_old_file_and_leaves_no_partial(tmp_path: Path, store: str) -> None:
    entry = RawFile("a", "dir_a/a.bin", URL_A, store, SHA(BODY_A), len(BODY_A))  # type: ignore[arg-type]
    (tmp_path / "dir_a").mkdir()
    (tmp_path / "dir_a/a.bin").write_bytes(b"old")
    with pytest.raises(DownloadError, match="SHA-256 mismatch") as err:
        download(tmp_path, client=serve({URL_A: ok(b"tampered")}), manifest=[entry])
    assert "dir_a/a.bin" in str(err.value) and URL_A in str(err.value)
    assert (tmp_path / "dir_a/a.bin").read_bytes() == b"old"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("status", [404, 500])
def test_http_error_names_url(tmp_path: Path, status: int) -> None:
    client = serve({URL_A: lambda: httpx.Response(status)})
    with pytest.raises(DownloadError, match=f"HTTP {status}") as err:
        download(tmp_path, client=client, manifest=ENTRIES[:1])
    assert URL_A in str(err.value) and "dir_a/a.csv" in str(err.value)
    assert not (tmp_path / "dir_a/a.csv").exists() and leftovers(tmp_path) == []


def test_network_error_says_offline(tmp_path: Path) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno -3] Temporary failure in name resolution",
                                 request=request)

    client = httpx.Client(transport=httpx.MockTransport(refuse))
    with pytest.raises(DownloadError, match="offline") as err:
        download(tmp_path, client=client, manifest=ENTRIES[:1])
    assert URL_A in str(err.value) and leftovers(tmp_path) == []


def test_truncated_body_is_refused(tmp_path: Path) -> None:
    short = lambda: httpx.Response(200, headers={"Content-Length": "9999"},  # noqa: E731
                                   content=BODY_A[:10])
    with pytest.raises(DownloadError, match="truncated"):
        download(tmp_path, client=serve({URL_A: short}), manifest=ENTRIES[:1])
    assert not (tmp_path / "dir_a/a.csv").exists() and leftovers(tmp_path) == []


def test_redirect_is_followed(tmp_path: Path) -> None:
    moved = "https://example.test/moved.csv"
    client = serve({URL_A: lambda: httpx.Response(302, headers={"Location": moved}),
                    moved: ok(BODY_A)})
    download(tmp_path, client=client, manifest=ENTRIES[:1])
    assert (tmp_path / "dir_a/a.csv").read_bytes() == BODY_A


# -- the senpaislist repository archive ------------------------------------------------------

TOP = "senpaislist-backend-75ec479"
JSON_MEMBERS = ["db/data/2010winter/2010_winter_1.json", "db/data/2010winter/2010_winter_2.json",
                "db/data/2021spring/2021_spring_40938.json"]
TAR_URL = "https://codeload.test/harbchun/senpaislist-backend/tar.gz/abc"


def codeload_archive() -> bytes:
    """A small stand-in for GitHub's archive: a top folder, code, .DS_Store and data JSON."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        for name in ["", "db", "db/data", "db/data/2010winter"]:
            info = tarfile.TarInfo(f"{TOP}/{name}".rstrip("/"))
            info.type = tarfile.DIRTYPE
            tf.addfile(info)
        files = {"README.md": b"# senpaislist", "db/schema.json": b"{}",
                 "db/data/.DS_Store": b"\0\1", "db/data/2010winter/.DS_Store": b"\0",
                 "db/data/notes.txt": b"x", "server/main.go": b"package main"}
        files |= {m: b'{"mal_id": %d}' % i for i, m in enumerate(JSON_MEMBERS)}
        for name, body in files.items():
            info = tarfile.TarInfo(f"{TOP}/{name}")
            info.size = len(body)
            tf.addfile(info, io.BytesIO(body))
    return buf.getvalue()


def tar_entry(members: int) -> RawFile:
    return RawFile("jikan_2021", "jikan/senpai.tar.gz", TAR_URL, "repack", members=members)


def test_repack_keeps_only_db_data_json(tmp_path: Path) -> None:
    body = codeload_archive()
    report = download(tmp_path, client=serve({TAR_URL: ok(body)}), manifest=[tar_entry(3)])
    assert report.files[0].status == "downloaded" and report.files[0].bytes == len(body)
    out = tmp_path / "jikan/senpai.tar.gz"
    with tarfile.open(out, "r:gz") as tf:
        assert tf.getnames() == JSON_MEMBERS
        assert tf.extractfile(JSON_MEMBERS[2]).read() == b'{"mal_id": 2}'  # type: ignore[union-attr]
    assert out.read_bytes()[4:8] == b"\0\0\0\0"
    assert leftovers(tmp_path) == []
    again = download(tmp_path, client=serve({}), manifest=[tar_entry(3)])
    assert again.files[0].status == "skipped"


def test_repack_with_wrong_member_count_fails(tmp_path: Path) -> None:
    client = serve({TAR_URL: ok(codeload_archive())})
    with pytest.raises(DownloadError, match="expected 11500 db/data JSON files, found 3"):
        download(tmp_path, client=client, manifest=[tar_entry(11500)])
    assert not (tmp_path / "jikan/senpai.tar.gz").exists() and leftovers(tmp_path) == []


def test_repack_of_corrupt_archive_fails(tmp_path: Path) -> None:
    client = serve({TAR_URL: ok(codeload_archive()[:200])})
    with pytest.raises(DownloadError, match="corrupt or truncated"):
        download(tmp_path, client=client, manifest=[tar_entry(3)])
    assert leftovers(tmp_path) == []


# -- the real manifest ---------------------------------------------------------------------


def test_real_manifest_shape() -> None:
    names = [e.name for e in MANIFEST]
    assert len(set(names)) == len(names) == 12
    for e in MANIFEST:
        if e.store in ("raw", "gzip", "manual"):
            assert e.sha256 and len(e.sha256) == 64 and e.size
        if e.store in ("raw", "gzip"):
            assert e.url.startswith("https://raw.githubusercontent.com/")
        assert (e.store == "gzip") == e.target.endswith(".gz") or e.store == "repack"
    manual = [e.target for e in MANIFEST if e.store == "manual"]
    assert manual and all(t.startswith("sales_someanithing_2020/") for t in manual)


@pytest.mark.integration
@pytest.mark.skipif(not RAW.is_dir(), reason="shared/data/raw is absent")
def test_real_manifest_matches_shared_raw_data(tmp_path: Path) -> None:
    on_disk = {str(p.relative_to(RAW)) for p in RAW.rglob("*") if p.is_file()} - {"SOURCES.md"}
    assert {e.target for e in MANIFEST} == on_disk
    for e in MANIFEST:
        path = RAW / e.target
        if e.store == "repack":
            with tarfile.open(path, "r:gz") as tf:
                assert sum(m.name.endswith(".json") for m in tf) == e.members
            continue
        data = gzip.decompress(path.read_bytes()) if e.store == "gzip" else path.read_bytes()
        assert (SHA(data), len(data)) == (e.sha256, e.size), e.target
    # a complete copy is recognised as present: nothing is fetched, nothing is missing
    report = download(RAW, client=serve({}), manifest=MANIFEST)
    assert {f.status for f in report.files} == {"skipped", "manual"}
    assert report.missing_manual == [] and report.bytes_downloaded == 0


def test_unwritable_destination_raises_download_error(tmp_path: Path) -> None:
    (tmp_path / "dir_a").write_bytes(b"a file where a folder should be")
    with pytest.raises(DownloadError, match="cannot write into"):
        download(tmp_path, client=serve({URL_A: ok(BODY_A)}), manifest=ENTRIES[:1])
