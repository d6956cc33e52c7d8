"""``download``: fetch the public raw files of ``SOURCES.md`` into a data directory.

Each :class:`RawFile` of :data:`MANIFEST` names its target (relative to the data directory,
the layout of ``shared/data/raw``), the pinned URL it comes from and how it is stored:

``raw``      written as fetched
``gzip``     gzip level 9 of the fetched bytes (no name, ``mtime=0``, like ``gzip -9 -n``)
``repack``   a GitHub repository archive, of which only ``db/data/**/*.json`` is kept
``manual``   not downloadable; copy it from a checkout that has it

``sha256`` is the hash of the *fetched* bytes (the uncompressed content of ``gzip`` targets).
A ``repack`` target is checked by its member count instead, because GitHub does not promise
byte-stable archives. Every file is streamed to a temporary file in the target's folder,
verified, then moved into place with :func:`os.replace`; on any failure the temporary file is
removed, an existing file is left untouched, and :class:`~nextseason.errors.DownloadError`
names the file, the URL and what went wrong.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import tarfile
import tempfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import httpx

from .. import __version__
from ..errors import DownloadError

__all__ = ["RawFile", "MANIFEST", "FileResult", "DownloadReport", "ProgressFn", "download",
           "USER_AGENT", "TIMEOUT"]

Store = Literal["raw", "gzip", "repack", "manual"]
#: ``progress(target, done_bytes, total_bytes)``: called with 0 when a fetch starts, then after
#: each chunk. ``total_bytes`` is the Content-Length, or the expected size, or None if unknown.
ProgressFn = Callable[[str, int, int | None], None]

USER_AGENT = f"nextseason/{__version__}"
TIMEOUT = httpx.Timeout(60.0, connect=15.0)
CHUNK = 1 << 16
RAW = "https://raw.githubusercontent.com/{repo}/{commit}/{path}"
SENPAI_COMMIT = "75ec479d1ac397fc5c2b268b4bad38c352b1a925"
SALES = ("zhouandrewc/anime-sales-prediction", "76ec74bcadb9817031c3067dd5cf68b4ba6e2b12")
MANUAL_NOTE = ("converted by the data's curator from a pandas pickle; nextseason never unpickles "
               "downloaded files (unsafe), so copy it from a checkout that has it")


@dataclass(frozen=True)
class RawFile:
    """One file of the data directory and where it came from."""

    name: str
    target: str
    url: str
    store: Store
    sha256: str | None = None
    size: int | None = None  # of the fetched bytes; the progress total when none is sent
    members: int | None = None  # ``repack``: the expected number of JSON members
    note: str = ""


def _gh(name: str, target: str, repo: str, commit: str, path: str, store: Store, sha: str,
        size: int, note: str = "") -> RawFile:
    url = RAW.format(repo=repo, commit=commit, path=path)
    return RawFile(name, target, url, store, sha, size, note=note)


MANIFEST: tuple[RawFile, ...] = (
    _gh("mal_2018", "mal_2018_azathoth42/AnimeList.csv.zip", "sanket2702/Correlation-in-python",
        "1a2c0d6a25b70760fdd2f4b644ce5c5844165fff", "AnimeList.csv.zip", "raw",
        "f1b50466954c5a02b864340c9b980d96f3cd3f04d0bf89af94ec60d7e75e486b", 3162902),
    RawFile("jikan_2021", "mal_2021_jikan_v3_senpaislist/senpaislist_db_data_jikan_v3.tar.gz",
            f"https://codeload.github.com/harbchun/senpaislist-backend/tar.gz/{SENPAI_COMMIT}",
            "repack", members=11500, note="db/data/**/*.json of the repository archive"),
    _gh("jikan_2025", "mal_2025_jikan_v4/anime_data.csv.gz",
        "pandey-rakshit/Hybrid-Recommendation-System", "832609ea801c8551aa79abee8b10cdac2f9341ef",
        "data/anime_data.csv", "gzip",
        "8aad241d157aadf81e2fe07b928b6c4efc61c7adfe14881302af1db393008d7c", 4102005),
    _gh("manga_2023", "manga_mal_2023_mangashiro/bancodedadosmanga.csv.gz",
        "Mach1r0/Mangashiro-backend", "066b446939d39cba4cf781455bbdbb45ab0d8bf7",
        "bancodedadosmanga.csv", "gzip",
        "7863673992f4fc472cb52365df79f2eb870715fac69f2f9ccf04116eba8f1e35", 3628737),
    _gh("ln_2025", "ln_mal_2025_reinforcedln/light_novels.csv.gz", "n30-Joker/ReinforcedLN",
        "5560f885e61ad2c6c815972bdc31a7ec1ba23834", "light_novels.csv", "gzip",
        "a1b43406297cc750bc2b6e3af315c042a6d123a681e694ba1c754b97a8b42938", 3869740),
    _gh("ids_2024", "ids_fribb/anime-list-mini.json.gz", "Fribb/anime-lists",
        "f0a0f566d6ae101f21dc9c959440b5ffe9067aa2", "anime-list-mini.json", "gzip",
        "3dfdaf7b40ee52e22101e17e331c06a3d9cfb8d20374c81dd3da601deed4a369", 4192132),
    _gh("tvdb_seasons_2026", "ids_fribb/anime-lists-reduced.json.gz", "Fribb/anime-lists",
        "f2a4367dab9be0ea44a300fccaf557528c814117", "anime-lists-reduced.json", "gzip",
        "c4af6e400e334448b4921ec531a921a8199f4680c1df0515b0703c513f543c51", 1234698),
    _gh("sequel_rules_2026", "relations_erengy/anime-relations.txt", "erengy/anime-relations",
        "be28298a2dcb90d8796eecde4ae1438ae91bff10", "anime-relations.txt", "raw",
        "28db35f7bb5fde04b67eb8500b5f82461642c37ad62aa724e3d453d04731455e", 49022),
    _gh("bestselling_2024", "manga_bestselling_wikipedia/manga.csv",
        "bright-arparwut/HCI-MiniProject-Manga-timeline",
        "62b3b6fb81ab1fcf2c1a8897c94fad07f42a142f", "data/manga.csv", "raw",
        "508fd51a1a2ed712b641498ff726ea91d44e26a52682569c46df9c69e181313d", 13673),
    *(
        _gh(f"sales_2020_{stem}", f"sales_someanithing_2020/{csv}.csv", *SALES,
            f"data/{csv}.pickle", "manual", sha, size, MANUAL_NOTE)
        for stem, csv, sha, size in (
            ("linked", "anime_sales_df_linked",
             "12a740bf57e6de2c0290f48f6f15da3c61e73be9a508ac4deee9262129c9fde0", 214244),
            ("matched", "anime_sales_df_matched",
             "9e6c9be3e675a7e3a2463b49062ebb86d46f59be75c6aba08721eb055cbc49e7", 133547),
            ("mal_info", "mal_info_df",
             "bb2c3595e9a11458479e8a2db8c2acd208297d69fba36660c959093ebdccccc9", 195144),
        )
    ),
)


@dataclass(frozen=True)
class FileResult:
    """What happened to one file: ``downloaded``, ``skipped`` (already right) or ``manual``."""

    name: str
    target: str
    status: Literal["downloaded", "skipped", "manual"]
    bytes: int = 0  # bytes fetched over the network (0 unless downloaded)
    present: bool = True  # ``manual``: whether the file is already in the data directory
    note: str = ""


@dataclass
class DownloadReport:
    """The outcome of :func:`download`, one :class:`FileResult` per manifest entry."""

    dest: Path
    files: list[FileResult] = field(default_factory=list)

    @property
    def bytes_downloaded(self) -> int:
        return sum(f.bytes for f in self.files)

    @property
    def missing_manual(self) -> list[FileResult]:
        """Manual files that are absent: ``nextseason build`` will fail until they are copied."""
        return [f for f in self.files if f.status == "manual" and not f.present]

    def summary(self) -> str:
        """A few lines for the terminal."""
        count = {s: sum(f.status == s for f in self.files) for s in ("downloaded", "skipped")}
        lines = [f"{self.dest}: {count['downloaded']} downloaded "
                 f"({self.bytes_downloaded:,} bytes), {count['skipped']} already present"]
        for f in self.missing_manual:
            lines.append(f"  {f.target}: not downloadable — copy from a checkout that has them")
        if self.missing_manual:
            lines.append("  the build needs these files; it will stop until they are copied")
        return "\n".join(lines)


class _Failed(Exception):
    """Internal: a fetch failed; ``download`` adds the file and URL."""


def download(dest: Path, *, client: httpx.Client | None = None, force: bool = False,
             only: Iterable[str] | None = None, progress: ProgressFn | None = None,
             manifest: Iterable[RawFile] = MANIFEST) -> DownloadReport:
    """Fetch every file of ``manifest`` (default :data:`MANIFEST`) into ``dest``.

    ``only`` selects entries by name, target path or target folder. Files already present
    with the right content are skipped unless ``force``. ``manual`` entries are never
    fetched; the report says whether they are present. Raises :class:`DownloadError` on the
    first failure, leaving every existing file as it was.
    """
    entries = _select(tuple(manifest), only)
    dest = Path(dest)
    report = DownloadReport(dest)
    own = client is None
    http = client or httpx.Client(timeout=TIMEOUT, follow_redirects=True,
                                  headers={"User-Agent": USER_AGENT})
    try:
        for entry in entries:
            target = dest / entry.target
            if entry.store == "manual":
                report.files.append(FileResult(entry.name, entry.target, "manual",
                                               present=_is_valid(entry, target),
                                               note=entry.note))
            elif not force and _is_valid(entry, target):
                report.files.append(FileResult(entry.name, entry.target, "skipped"))
            else:
                try:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    fetched = _fetch_into(http, entry, target, progress)
                except _Failed as exc:
                    raise DownloadError(f"{entry.target} from {entry.url}: {exc}") from exc
                except OSError as exc:
                    raise DownloadError(f"{entry.target} from {entry.url}: cannot write into "
                                        f"{target.parent} ({exc})") from exc
                report.files.append(FileResult(entry.name, entry.target, "downloaded", fetched))
    finally:
        if own:
            http.close()
    return report


def _select(entries: tuple[RawFile, ...], only: Iterable[str] | None) -> tuple[RawFile, ...]:
    if only is None:
        return entries
    wanted = set(only)
    keys = {e.name: {e.name, e.target, e.target.split("/")[0]} for e in entries}
    unknown = sorted(w for w in wanted if not any(w in k for k in keys.values()))
    if unknown:
        raise DownloadError(f"unknown file(s) {unknown}; known: {sorted(keys)}")
    return tuple(e for e in entries if keys[e.name] & wanted)


def _is_valid(entry: RawFile, path: Path) -> bool:
    """Whether ``path`` already holds the right content (by hash, or member count)."""
    if not path.is_file():
        return False
    try:
        if entry.store == "repack":
            return _count_json(path) == entry.members
        opener = gzip.open if entry.store == "gzip" else open
        with opener(path, "rb") as f:
            return _sha256(f) == entry.sha256
    except (OSError, EOFError, zlib.error, tarfile.TarError):
        return False


def _sha256(f: io.BufferedIOBase) -> str:
    h = hashlib.sha256()
    for chunk in iter(lambda: f.read(1 << 20), b""):
        h.update(chunk)
    return h.hexdigest()


def _count_json(path: Path) -> int:
    with tarfile.open(path, "r:gz") as tf:
        return sum(m.isfile() and m.name.endswith(".json") for m in tf)


@contextmanager
def _temp_beside(target: Path, tag: str = "part") -> Iterator[Path]:
    """A temporary file in ``target``'s folder, removed on exit unless it was moved away."""
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=f".{tag}")
    os.close(fd)
    try:
        yield Path(name)
    finally:
        Path(name).unlink(missing_ok=True)


def _fetch_into(http: httpx.Client, entry: RawFile, target: Path,
                progress: ProgressFn | None) -> int:
    """Fetch ``entry``, verify it and move it over ``target``; return bytes fetched."""
    with _temp_beside(target) as tmp:
        if entry.store == "repack":
            with _temp_beside(target, "download") as archive:
                with open(archive, "wb") as out:
                    fetched, _ = _stream(http, entry, out, progress)
                count = _repack(archive, tmp)
            if count != entry.members:
                raise _Failed(f"expected {entry.members} db/data JSON files, found {count}")
        else:
            with open(tmp, "wb") as raw:
                if entry.store == "gzip":
                    with gzip.GzipFile("", "wb", 9, raw, mtime=0) as gz:
                        fetched, digest = _stream(http, entry, gz, progress)
                else:
                    fetched, digest = _stream(http, entry, raw, progress)
            if digest != entry.sha256:
                raise _Failed(f"SHA-256 mismatch: expected {entry.sha256}, got {digest} "
                              f"({fetched:,} bytes); the source may have changed or the "
                              "transfer was corrupted")
        os.replace(tmp, target)
    return fetched


def _stream(http: httpx.Client, entry: RawFile, out: io.BufferedIOBase,
            progress: ProgressFn | None) -> tuple[int, str]:
    """GET ``entry.url`` into ``out``; return (bytes, SHA-256 of the decoded body)."""
    h = hashlib.sha256()
    try:
        with http.stream("GET", entry.url, follow_redirects=True,
                         headers={"User-Agent": USER_AGENT}) as resp:
            if resp.status_code != 200:
                raise _Failed(f"HTTP {resp.status_code} {resp.reason_phrase}".rstrip())
            length = resp.headers.get("Content-Length", "")
            encoded = resp.headers.get("Content-Encoding", "identity") != "identity"
            # Content-Length counts encoded bytes; it bounds the decoded body only when unencoded
            expected = int(length) if length.isdigit() and not encoded else None
            total = expected or entry.size
            done = 0
            if progress:
                progress(entry.target, 0, total)
            for chunk in resp.iter_bytes(CHUNK):
                out.write(chunk)
                h.update(chunk)
                done += len(chunk)
                if progress:
                    progress(entry.target, done, total)
            if expected is not None and done < expected:
                raise _Failed(f"truncated body: got {done:,} of {expected:,} bytes")
    except httpx.TransportError as exc:
        raise _Failed(f"network error ({type(exc).__name__}: {exc}); the machine may be "
                      "offline, or the host unreachable") from exc
    except OSError as exc:
        raise _Failed(f"could not write the file ({exc})") from exc
    return done, h.hexdigest()


def _repack(archive: Path, out: Path) -> int:
    """Copy ``<top>/db/data/**/*.json`` of a codeload tar.gz into ``out``; return the count.

    Members are copied one at a time (the archive is read from disk with ``r:gz`` rather than
    the ``r|gz`` stream mode, which ends silently at a truncated gzip stream). The output is
    gzip level 9 with ``mtime=0``.
    """
    count = 0
    try:
        with tarfile.open(archive, "r:gz") as src, open(out, "wb") as raw, \
                gzip.GzipFile("", "wb", 9, raw, mtime=0) as gz, \
                tarfile.open(fileobj=gz, mode="w|", format=tarfile.GNU_FORMAT) as dst:
            for member in src:
                _, _, name = member.name.partition("/")
                base = name.rsplit("/", 1)[-1]
                if not (member.isfile() and name.startswith("db/data/")
                        and name.endswith(".json") and base != ".DS_Store"):
                    continue
                info = tarfile.TarInfo(name)
                info.size, info.mtime, info.mode = member.size, member.mtime, 0o644
                dst.addfile(info, src.extractfile(member))
                count += 1
            gz_in = src.fileobj  # read to the end, so that gzip checks its length and CRC
            while gz_in is not None and gz_in.read(CHUNK):
                pass
    except (tarfile.TarError, EOFError, zlib.error) as exc:
        raise _Failed(f"the repository archive is corrupt or truncated ({exc})") from exc
    except OSError as exc:
        raise _Failed(f"could not repack the archive ({exc})") from exc
    return count
