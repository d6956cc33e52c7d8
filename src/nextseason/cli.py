"""The ``nextseason`` command: thin wrappers, one library call each.

Every command opens the store, calls one library function and renders the result; errors
of the :mod:`nextseason.errors` hierarchy become a one-line message and an exit code here.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import date
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.segment import Segment

from . import __version__
from .errors import ConfigError, InputError, NextseasonError, NotFoundError, StoreError
from .forecast.defaults import DEFAULT_MODEL
from .store.db import (
    ENV_DB,
    Location,
    busy_error,
    connect_readonly,
    describe,
    exists,
    identity,
    is_busy,
    is_db_error,
    require_current,
    resolve_db_path,
)
from .textsafe import terminal_safe

if TYPE_CHECKING:
    from .claims.gazetteer import Gazetteer

class _App(typer.Typer):
    """The last line of defence: whatever escapes a command becomes one line on stderr and
    a non-zero exit, never a traceback (our own errors are handled in :func:`_run`)."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().__call__(*args, **kwargs)
        except NextseasonError as exc:
            _print_error(exc)
            sys.exit(exc.exit_code)
        except sqlite3.OperationalError as exc:
            if not is_busy(exc):
                _print_error(f"database error: {exc}")
                sys.exit(1)
            error = busy_error()
            _print_error(error)
            sys.exit(error.exit_code)
        except OSError as exc:
            where = f" {exc.filename}" if exc.filename else ""
            _print_error(f"cannot use{where}: {exc.strerror or exc}")
            sys.exit(1)
        except KeyboardInterrupt:
            _print_error("interrupted")
            sys.exit(130)
        except Exception as exc:  # a bug: say so plainly, without the traceback
            if is_db_error(exc):  # PostgreSQL's (a busy server is a BusyError already)
                _print_error("database error: " + (str(exc).strip().splitlines() or [""])[0])
                sys.exit(1)
            _print_error(f"internal error ({type(exc).__name__}: {exc}). This is a bug in "
                         "nextseason; please report it with the command that caused it")
            sys.exit(70)


class _SafeConsole(Console):
    """A console that never sends the text's own escape sequences or control characters to
    the terminal (article text is untrusted); Rich's own styling is unaffected."""

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        return super()._render_buffer(
            segment if segment.control else Segment(terminal_safe(segment.text),
                                                    segment.style)
            for segment in buffer)


def _print_error(exc: object) -> None:
    err.print(f"[bold red]error:[/bold red] {escape(str(exc))}", soft_wrap=True)


app = _App(
    name="nextseason",
    help="Will there be another season, and when? Anime facts with their dates and sources.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
data_app = typer.Typer(help="Get the public raw data files.", no_args_is_help=True)
app.add_typer(data_app, name="data")

class _PlainConsole(_SafeConsole):
    """``--plain``: no colour, no styles, no box drawing (renderers ask ``plain``)."""

    plain = True


out = _SafeConsole(highlight=False)
err = _SafeConsole(stderr=True, highlight=False)
T = TypeVar("T")

DbOption = Annotated[
    str | None,
    typer.Option("--db", metavar="PATH|URL", show_default=False,
                 help="Database file, or a postgresql:// URL."
                      f" Default: ${ENV_DB}, else the user data dir."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
PlainOption = Annotated[bool, typer.Option(
    "--plain", help="No colour and no box drawing (for pipes and screen readers).")]


def _console(plain: bool) -> _SafeConsole:
    """Where a command prints: the terminal, or plain text with ``--plain``."""
    if not plain:
        return out
    return _PlainConsole(highlight=False, no_color=True, emoji=False,
                         width=out.width if out.is_terminal else 80)


def _fail(exc: NextseasonError) -> NoReturn:
    """Print one of our errors and exit with its code."""
    _print_error(exc)
    raise typer.Exit(exc.exit_code)


def _run(fn: Callable[[], T]) -> T:
    """Call the library; turn our errors (and a busy database) into a message and an exit
    code."""
    try:
        return fn()
    except NextseasonError as exc:
        _fail(exc)
    except sqlite3.OperationalError as exc:
        if is_busy(exc):
            _fail(busy_error())
        raise


_KEPT = {"watchlist": "watched shows", "series_history": "recorded series states",
         "live snapshot": "refreshed snapshots"}


def _today() -> date:
    """Today, read once at the edge; the library is given it (tests pass their own)."""
    return date.today()


EARLIEST = date(1900, 1, 1)


def _iso_date(value: str, option: str, today: date | None = None, *,
              years_ahead: int = 0) -> str:
    """``value`` as an ISO date between 1900-01-01 and ``today`` (plus ``years_ahead``
    years, for a date a forecast looks ahead to), else a ConfigError."""
    today = today or _today()
    try:
        d = date.fromisoformat(value.strip())
    except ValueError:
        raise ConfigError(f"{option} {value!r} is not a date (use YYYY-MM-DD)") from None
    if d < EARLIEST:
        raise ConfigError(f"{option} {value} is before {EARLIEST}; no data goes back that far")
    if not years_ahead and d > today:
        raise ConfigError(f"{option} {value} is after today ({today}); dates cannot be in "
                          "the future")
    latest = date(today.year + years_ahead, 12, 31)
    if d > latest:
        raise ConfigError(f"{option} {value} is more than {years_ahead} years ahead; the"
                          f" forecasts do not look past {latest}")
    return d.isoformat()


#: how far past today ``forecast --until`` may look
UNTIL_YEARS = 30


def _inode(path: Location) -> tuple[int, ...] | None:
    return identity(path)


def _opt_date(value: str | None, option: str) -> str | None:
    return None if value is None else _iso_date(value, option)


def _writable(output: Path | None) -> None:
    """Check an output file can be written before doing the work (not after)."""
    if output is None:
        return
    folder = output.parent if str(output.parent) else Path(".")
    if output.is_dir():
        raise ConfigError(f"-o {output} is a directory; give a file name")
    if not folder.is_dir():
        raise ConfigError(f"-o {output}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK) or (output.exists() and not os.access(output, os.W_OK)):
        raise ConfigError(f"-o {output}: no permission to write there")


def _write_text(output: Path, text: str) -> None:
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"-o {output}: cannot write ({exc.strerror or exc})") from None


def _open_current(path: Location) -> Any:
    """Open ``path`` read-only; an error if an older nextseason made it (see ``migrate``)."""
    conn = connect_readonly(path)
    try:
        require_current(conn, path)
    except BaseException:
        conn.close()
        raise
    return conn


@contextmanager
def _readonly(db: str | None) -> Iterator[Any]:
    path = resolve_db_path(db)
    conn = _run(lambda: _open_current(path))
    try:
        yield conn
    finally:
        conn.close()


def _resolve(conn: Any, query: str, *, json_errors: bool) -> int:
    """The show ``query`` names, or exit: code 4 with the closest titles when no show
    matches confidently (as ``{"error": "not_found", ...}`` on stdout with JSON output),
    code 2 for a query that cannot name a show."""
    from .catalogue.resolve import resolve_anime

    try:
        return resolve_anime(conn, query)
    except NotFoundError as exc:
        if json_errors:
            out.print_json(json.dumps(exc.to_dict(), ensure_ascii=False))
            raise typer.Exit(exc.exit_code) from None
        _fail(exc)
    except NextseasonError as exc:
        _fail(exc)


def _version(value: bool) -> None:
    if value:
        out.print(f"nextseason {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """Will there be another season, and when?"""


def _rich_progress_class() -> type:
    """The build's progress drawn with Rich (defined here so that other commands start
    without importing the importers)."""
    from .ingest.context import ImportResult
    from .ingest.importer import Progress as BuildProgress
    from .ingest.sources import Source

    class _RichProgress(BuildProgress):
        def __init__(self, bar: Progress) -> None:
            self.bar = bar
            self.tasks: dict[str, TaskID] = {}

        def start(self, source: Source) -> None:
            self.tasks[source.name] = self.bar.add_task(source.name, total=source.size_hint)

        def advance(self, source: Source, n: int) -> None:
            self.bar.advance(self.tasks[source.name], n)

        def finish(self, source: Source, result: ImportResult) -> None:
            task = self.tasks[source.name]
            self.bar.update(task, total=result.read, completed=result.read)
            for w in result.warnings:
                self.bar.console.print(f"  [dim]{source.name}: {escape(w)}[/dim]")

        def stage(self, name: str) -> None:
            self.bar.console.print(f"[dim]… {name}[/dim]")

    return _RichProgress


@app.command()
def build(
    data: Annotated[Path | None, typer.Option(
        "--data", metavar="DIR", show_default=False,
        help="Folder of raw files (see SOURCES.md). Default: $NEXTSEASON_DATA.")] = None,
    allow_shrink: Annotated[bool, typer.Option(
        "--allow-shrink", help="Replace the database even if a source is empty or lost over"
        " 10% of its rows (or the sequel links, franchises or forecasts did).")] = False,
    db: DbOption = None,
) -> None:
    """Import every raw file into a new database; replaces the old one only on success.

    The articles and claims of the old database are carried into the new one.
    """
    from .pipeline import build as run_build

    target = resolve_db_path(db)
    _RichProgress = _rich_progress_class()
    with Progress(TextColumn("{task.description:<18}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err, transient=False,
                  disable=not err.is_terminal and not sys.stderr.isatty()) as bar:
        report = _run(lambda: run_build(data, target, progress=_RichProgress(bar),
                                        allow_shrink=allow_shrink))
    for name, r in report.results.items():
        skipped = ", ".join(f"{n} {why}" for why, n in r.skipped.items())
        out.print(f"{name:<18} {r.read:>7,} read {r.stored:>7,} stored"
                  + (f"  [dim](skipped {escape(skipped)})[/dim]" if skipped else ""))
    counts = ", ".join(f"{k} {v:,}" for k, v in report.counts.items())
    out.print(f"[bold]Built[/bold] {escape(describe(report.db_path))}"
              f" ({report.size_bytes / 1e6:.1f} MB): {counts}")
    if report.link_stats:
        out.print("Linker: " + ", ".join(f"{k} {v:,}" for k, v in report.link_stats.items()))
    if report.kept:
        out.print("Kept from the previous database: "
                  + ", ".join(f"{v:,} {_KEPT.get(k, k + 's')}" for k, v in report.kept.items()))
    if report.shrunk:
        err.print("[yellow]warning:[/yellow] allowed to shrink: "
                  + escape("; ".join(report.shrunk)))
    if report.removed_stale:
        err.print(f"Removed {report.removed_stale / 1e6:.1f} MB of temporary files left by"
                  " interrupted builds")


@app.command()
def search(
    query: Annotated[str, typer.Argument(metavar="QUERY", help="A title in any spelling.")],
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=100, metavar="N",
                                       help="How many results.")] = 10,
    json_: JsonOption = False,
    plain: PlainOption = False,
    db: DbOption = None,
) -> None:
    """Find a show by any of its titles: exact, then prefix, then fuzzy matches."""
    from .report.render_text import search_text
    from .search.index import SearchIndex

    with _readonly(db) as conn:
        hits = _run(lambda: SearchIndex.from_db(conn).search(query, limit=limit))
    if json_:
        out.print_json(json.dumps([asdict(h) for h in hits], ensure_ascii=False))
    else:
        search_text(hits, _console(plain), query)


@app.command()
def show(
    query: Annotated[str, typer.Argument(metavar="QUERY",
                                         help="A title in any spelling, or a MAL id.")],
    json_: JsonOption = False,
    plain: PlainOption = False,
    db: DbOption = None,
) -> None:
    """The franchise of a show as a timeline, its source work, and its latest figures."""
    from .catalogue.franchise import franchise_report
    from .report.render_text import franchise_text

    with _readonly(db) as conn:
        report = _run(lambda: franchise_report(conn, _resolve(conn, query, json_errors=json_)))
    if json_:
        out.print_json(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        franchise_text(report, _console(plain))


@data_app.command("download")
def data_download(
    dest: Annotated[Path, typer.Argument(metavar="DIR",
                                         help="Folder to fill (created if needed).")],
    force: Annotated[bool, typer.Option("--force", help="Fetch again even if present.")] = False,
    only: Annotated[list[str] | None, typer.Option(
        "--only", metavar="SOURCE",
        help="Fetch only this source (name, file or folder); repeatable.",
        show_default=False)] = None,
) -> None:
    """Fetch the public raw files by URL, checking each against its known SHA-256.

    The sales CSVs were converted from pickles by the data's curator and cannot be fetched
    safely; copy them from a checkout that has them.
    """
    from .ingest.download import download

    with Progress(TextColumn("{task.description:<40}"), BarColumn(), TextColumn(
            "{task.completed:,.0f} B"), TimeElapsedColumn(), console=err,
                  disable=not sys.stderr.isatty()) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(name: str, done: int, total: int | None) -> None:
            if name not in tasks:
                tasks[name] = bar.add_task(name, total=total)
            bar.update(tasks[name], completed=done, total=total)

        report = _run(lambda: download(dest, force=force, only=only, progress=progress))
    out.print(escape(report.summary()))
    if report.missing_manual:
        raise typer.Exit(1)


FormatOption = Annotated[str, typer.Option("--format", metavar="csv|jsonl",
                                           help="Output format of the batch forecast.")]


@app.command()
def backtest(
    json_: JsonOption = False,
    report_dir: Annotated[Path, typer.Option(
        "--report-dir", metavar="DIR", help="Where the model card and plots go.")
    ] = Path("reports"),
    db: DbOption = None,
) -> None:
    """Score every model on forecasts made at past dates; write the model card.

    Origins 2018-06-30 and 2021-01-24; horizons 1, 2, 3 years and "by" the data's end.
    Each model is shown beside the Kaplan-Meier baseline and three simple references.
    """
    from .forecast.backtest import run_backtest
    from .forecast.card import write_model_card
    from .report.render_forecast import backtest_text

    with _readonly(db) as conn, err.status("backtest…") as status:
        result = _run(lambda: run_backtest(conn, progress=lambda m: status.update(m)))
    card = write_model_card(result, report_dir)
    if json_:
        out.print_json(json.dumps({
            "default_model": result.default_model, "seconds": round(result.seconds, 1),
            "main_horizon": result.main_horizon, "counts": result.counts,
            "scores": json.loads(result.table().to_json(orient="records")),
            "model_card": str(card)}))
    else:
        backtest_text(result, out)
        out.print(f"Model card: {escape(str(card))}")


@app.command()
def forecast(
    query: Annotated[str | None, typer.Argument(
        metavar="[QUERY]", help="One show (any title or a MAL id); omit for every series.",
        show_default=False)] = None,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", metavar="DATE", help="Forecast date. Default: the newest snapshot's.",
        show_default=False)] = None,
    until: Annotated[str | None, typer.Option(
        "--until", metavar="DATE",
        help="Also give p_until: the chance of a premiere by DATE (at most "
             f"{UNTIL_YEARS} years ahead).",
        show_default=False)] = None,
    fmt: FormatOption = "csv",
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", metavar="FILE", help="Write the batch forecast here (else stdout).",
        show_default=False)] = None,
    model: Annotated[str, typer.Option("--model", metavar="NAME",
                                       help="Model to use (see `backtest`).")] = DEFAULT_MODEL,
    json_: JsonOption = False,
    plain: PlainOption = False,
    db: DbOption = None,
) -> None:
    """Chance of a new TV/ONA season within 1, 2, 3, 5 years and ever.

    With QUERY: one show, with the factors that moved its chance and five comparable shows,
    read from the forecasts the build stored (instant); a model is trained only when
    --as-of or --model asks for another forecast than the build's.
    Without: every eligible series as CSV or JSON Lines, and every other series with the
    reason it gets no forecast (announced, still airing, ...).
    """
    from .report.show_forecast import show_forecast_text, stored_as_of, stored_forecast

    if fmt not in ("csv", "jsonl"):
        _fail(ConfigError(f"--format must be csv or jsonl, not {fmt!r}"))
    as_of = _run(lambda: _opt_date(as_of, "--as-of"))
    until = _run(lambda: None if until is None else _iso_date(until, "--until",
                                                              years_ahead=UNTIL_YEARS))
    if query is not None:
        batch_only = [name for name, given in (("--until", until is not None),
                                                ("--format", fmt != "csv"),
                                                ("-o", output is not None)) if given]
        if batch_only:
            _fail(ConfigError(
                f"{', '.join(batch_only)} {'is' if len(batch_only) == 1 else 'are'} for the"
                " forecast of every series (no QUERY); for one show use --json, or --as-of"
                " and --model"))
    _run(lambda: _writable(output))
    if query is not None:
        with _readonly(db) as conn:
            mal_id = _resolve(conn, query, json_errors=json_)
            made = _run(lambda: stored_as_of(conn))
            if made is not None and as_of in (None, made[0]) and model == made[1]:
                result: Any = _run(lambda: stored_forecast(conn, mal_id,
                                                           today=_today().isoformat()))
            else:
                from .forecast.explain import forecast_show

                with err.status("training on what was known at that date…"):
                    result = _run(lambda: forecast_show(conn, mal_id, as_of, model=model))
        if json_:
            out.print_json(json.dumps(result.to_dict(), ensure_ascii=False))
        else:
            show_forecast_text(result, _console(plain))
        return
    from .forecast.predict import forecast_all
    from .report.render_forecast import write_batch

    with _readonly(db) as conn, err.status("training on what was known at that date…"):
        run = _run(lambda: forecast_all(conn, as_of, until=until, model=model))
    if output is None:
        write_batch(run, sys.stdout, fmt)
    else:
        def write() -> None:
            try:
                with open(output, "w", encoding="utf-8", newline="") as f:
                    write_batch(run, f, fmt)
            except OSError as exc:
                raise ConfigError(f"-o {output}: cannot write ({exc.strerror or exc})") from None

        _run(write)
        err.print(f"{len(run.rows):,} forecasts and {len(run.ineligible):,} series without one"
                  f" → {escape(str(output))}")


MaxBytesOption = Annotated[int, typer.Option(
    "--max-bytes", metavar="N", min=1, help="Refuse files larger than this.")]


def _subject_finder(db: str | None) -> Callable[[Any], tuple[str | None, int | None]]:
    """Resolve an article's show through the catalogue, if one has been built."""
    from .search.index import SearchIndex

    path = resolve_db_path(db)
    if not exists(path):
        return lambda art: (None, None)
    from .claims.subject import resolve_subject

    conn = connect_readonly(path)
    index = SearchIndex.from_db(conn)
    return lambda art: resolve_subject(conn, art.text, art.title, index=index)


def _gazetteer(db: Path | str | None) -> Gazetteer | None:
    """The catalogue's names for the extractor, when there is a database."""
    path = resolve_db_path(db)
    if not exists(path):
        return None
    from .claims.gazetteer import Gazetteer

    conn = connect_readonly(path)
    try:
        return Gazetteer.from_db(conn)
    finally:
        conn.close()


@app.command()
def extract(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A .txt, .md or .html article.")],
    json_: JsonOption = False,
    max_bytes: MaxBytesOption = 5_000_000,
    db: DbOption = None,
) -> None:
    """Print the claims an article makes, with their quotes. Stores nothing."""
    from .claims.extract import extract_claims
    from .claims.reader import read_article
    from .report.render_claims import claims_text

    art = _run(lambda: read_article(file, max_bytes=max_bytes))
    subject, mal_id = _run(lambda: _subject_finder(db)(art))
    claims = extract_claims(art.text, subject=subject, subject_mal_id=mal_id,
                            as_of=art.published, title=art.title, gazetteer=_gazetteer(db))
    if json_:
        out.print_json(json.dumps({
            "file": str(file), "title": art.title, "published": art.published,
            "published_source": art.published_source or "unknown", "subject": subject,
            "subject_mal_id": mal_id, "claims": [c.to_dict() for c in claims]},
            ensure_ascii=False))
    else:
        when = (f"published {art.published} (from the {art.published_source})"
                if art.published else "publication date unknown")
        about = f"about {subject} (MAL {mal_id})" if mal_id else "subject not found"
        claims_text(claims, out, header=f"{escape(str(file))}: {escape(about)}; {when}")


class EngineName(StrEnum):
    plain = "plain"
    dask = "dask"


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(metavar="FILE|DIR...",
                                                help="Articles, or folders of them.")],
    url: Annotated[str | None, typer.Option("--url", metavar="URL",
                                            help="Where the (single) article was read.",
                                            show_default=False)] = None,
    published: Annotated[str | None, typer.Option(
        "--published", metavar="DATE", help="Its publication date (beats the page's).",
        show_default=False)] = None,
    max_bytes: MaxBytesOption = 5_000_000,
    engine: Annotated[EngineName, typer.Option(
        "--engine", case_sensitive=False,
        help="plain: read and extract in this process, one file after another. dask: in "
        "parallel partitions on Dask worker processes (a local cluster, or --scheduler).")
    ] = EngineName.plain,
    workers: Annotated[int | None, typer.Option(
        "--workers", metavar="N", show_default=False,
        help="With --engine dask: start a local cluster of N worker processes (one thread "
        "each). Default 2.")] = None,
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", metavar="ADDRESS", show_default=False,
        help="With --engine dask: use the existing cluster at tcp://HOST:PORT (its workers "
        "must see the files at the same paths and have nextseason installed).")] = None,
    strict: Annotated[bool | None, typer.Option(
        "--strict/--keep-going", show_default=False,
        help="--strict: all or nothing, a file that fails stops the run and nothing is "
        "stored. --keep-going: a file that fails is reported with its name and why, the "
        "rest are stored (exit code 3 at the end). Default: --strict with the plain engine, "
        "--keep-going with dask.")] = None,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="No line per article: only failures and the summary.")] = False,
    db: DbOption = None,
) -> None:
    """Store articles and their claims. Ingesting the same text again changes nothing.

    Files are read, extracted and written in batches as they come, so memory stays
    bounded however many there are.
    """
    from .claims import pipeline
    from .claims.articles import Failed, IngestResult, check_one_url, expand_paths
    from .store.db import connect
    from .textsafe import check_url

    dask = engine is EngineName.dask
    if not dask and (workers is not None or scheduler is not None):
        _fail(ConfigError("--workers and --scheduler apply to --engine dask"))
    strict = (not dask) if strict is None else strict
    target = resolve_db_path(db)
    if not _run(lambda: exists(target)):
        _fail(StoreError(f"no database at {describe(target)}. Build one first: nextseason build"
                         " --data DIR"))
    url = _run(lambda: check_url(url))
    published = _run(lambda: _opt_date(published, "--published"))
    files = _run(lambda: expand_paths(paths))
    _run(lambda: check_one_url(url, files))
    runner: Any = None
    if dask:
        from .claims.dask_engine import DaskEngine

        runner = _run(lambda: DaskEngine(workers=workers, scheduler=scheduler))

    def catalogue() -> pipeline.CatalogueIndex:
        conn = connect_readonly(target)  # ours (never add our tables to another)
        try:
            return pipeline.CatalogueIndex.from_db(conn)
        finally:
            conn.close()

    stage = pipeline.catalogue_stage(_run(catalogue), url=url, published=published,
                            max_bytes=max_bytes)

    def show(r: IngestResult) -> None:
        if quiet:
            return
        state = "stored" if r.created else "already stored (unchanged)"
        when = r.published or "date unknown"
        about = f"{r.subject} (MAL {r.subject_mal_id})" if r.subject_mal_id else "subject unknown"
        out.print(f"{escape(str(r.path))}: {state}, article {r.article_id}, {len(r.claims)}"
                  f" claims, {escape(about)}, {when}")

    def failed(f: Failed) -> None:
        _print_error(f.reason)

    with contextlib.ExitStack() as stack:
        if runner is not None:
            _run(lambda: stack.enter_context(runner))
        bar = stack.enter_context(Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), console=err, transient=True,
            disable=not err.is_terminal and not sys.stderr.isatty()))
        task = bar.add_task(f"ingest ({engine.value})", total=len(files))

        def store(first: bool) -> Any:
            conn = _run(lambda: connect(target))
            try:
                return pipeline.run_ingest(
                    conn, files, stage, engine=runner, strict=strict,
                    on_read=(lambda n: bar.advance(task, n)) if first else None,
                    on_result=show if first else None, on_failure=failed if first else None)
            except InputError as exc:
                if strict:
                    raise type(exc)(f"{exc}; nothing was stored (--strict: all or nothing)"
                                    ) from None
                raise
            finally:
                conn.close()

        # A build that replaces the file meanwhile may have copied the articles before this
        # ingest committed them; ingesting is idempotent, so store them again in the new file.
        summary = None
        for attempt in range(3):
            before = _inode(target)
            result = _run(partial(store, attempt == 0))
            summary = summary or result
            if _inode(target) == before:
                break
    assert summary is not None
    out.print(f"{len(files):,} files: {summary.stored:,} new ({summary.claims:,} claims), "
              f"{summary.unchanged:,} unchanged, {len(summary.failed):,} failed")
    if summary.failed:
        raise typer.Exit(summary.failed[0].error.exit_code)


@app.command()
def claims(
    query: Annotated[str, typer.Argument(metavar="QUERY", help="A title or a MAL id.")],
    json_: JsonOption = False,
    plain: PlainOption = False,
    db: DbOption = None,
) -> None:
    """What the stored articles claim about a show, beside the catalogue, with conflicts."""
    from .catalogue.resolve import resolve_anime
    from .claims.articles import load_claims
    from .claims.reconcile import reconcile
    from .report.render_claims import reconciliation_text

    with _readonly(db) as conn:
        def run() -> Any:
            mal_id = resolve_anime(conn, query)
            return reconcile(conn, mal_id, load_claims(conn, mal_id))

        rec = _run(run)
    if json_:
        out.print_json(json.dumps(rec.to_dict(), ensure_ascii=False, default=str))
    else:
        reconciliation_text(rec, _console(plain))


@app.command()
def outlook(
    query: Annotated[str, typer.Argument(metavar="QUERY", help="A title or a MAL id.")],
    as_of: Annotated[str | None, typer.Option(
        "--as-of", metavar="DATE", show_default=False,
        help="Forecast as of this date (default: the build's, which is instant).")] = None,
    fmt: Annotated[str, typer.Option("--format", metavar="text|md|html|json",
                                     help="Output format.")] = "text",
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", metavar="FILE", show_default=False,
        help="Write here (Markdown: the charts go beside it as SVG files).")] = None,
    plain: PlainOption = False,
    db: DbOption = None,
) -> None:
    """Will there be another season? The whole answer on one page, with its sources."""
    from .report.outlook import build_outlook

    if fmt not in ("text", "md", "html", "json"):
        _fail(ConfigError(f"--format must be text, md, html or json, not {fmt!r}"))
    _run(lambda: _writable(output))
    when = _run(lambda: _opt_date(as_of, "--as-of"))
    with _readonly(db) as conn:
        mal_id = _resolve(conn, query, json_errors=fmt == "json")
        report = _run(lambda: build_outlook(conn, mal_id, when,
                                            today=_today().isoformat()))
    if fmt == "text":
        from .report.render_outlook import outlook_text

        if output is None:
            outlook_text(report, _console(plain))
        else:
            with open(output, "w", encoding="utf-8") as f:
                cls = _PlainConsole if plain else _SafeConsole
                outlook_text(report, cls(file=f, width=80, highlight=False))
        return
    if fmt == "md":
        from .report.render_outlook import outlook_markdown

        text = outlook_markdown(report, output)
    elif fmt == "html":
        from .report.render_html import outlook_page

        text = outlook_page(report)
    else:
        text = json.dumps(report.to_dict(), ensure_ascii=False, indent=2)
    if output is None:
        sys.stdout.write(text if fmt == "json" else terminal_safe(text))
    else:
        _run(lambda: _write_text(output, text))
        err.print(f"wrote {escape(str(output))}")


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", metavar="HOST",
                                      help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", metavar="PORT", min=1, max=65535,
                                      help="Port.")] = 8000,
    db: DbOption = None,
) -> None:
    """Serve the outlook pages and the JSON API (read-only) in the browser."""
    import uvicorn

    from .web.app import create_app

    path = resolve_db_path(db)
    _run(lambda: _open_current(path).close())
    out.print(f"nextseason on http://{host}:{port}/ (database {escape(describe(path))},"
              " read-only)")
    uvicorn.run(create_app(path), host=host, port=port, log_level="warning")


def _writable_db(db: str | None) -> Any:
    """The database for a command that writes it: it must exist and be ours."""
    from .store.db import connect

    target = resolve_db_path(db)
    if not _run(lambda: exists(target)):
        _fail(StoreError(f"no database at {describe(target)}. Build one first: nextseason"
                         " build --data DIR"))
    _run(lambda: connect_readonly(target).close())  # ours (never add our tables to another)
    return _run(lambda: connect(target))


@app.command()
def refresh(
    season: Annotated[str | None, typer.Option(
        "--season", metavar="now|upcoming|YEAR/SEASON", show_default=False,
        help="Refresh a season's list (e.g. 2026/fall).")] = None,
    ids: Annotated[list[int] | None, typer.Option(
        "--id", metavar="MAL_ID", show_default=False,
        help="Refresh this MyAnimeList id (repeatable).")] = None,
    watchlist: Annotated[bool, typer.Option(
        "--watchlist", help="Refresh the shows on the watchlist.")] = False,
    source: Annotated[str, typer.Option(
        "--source", metavar="jikan|anilist|both", help="Where to fetch from.")] = "jikan",
    jikan_url: Annotated[str | None, typer.Option(
        "--jikan-url", metavar="URL", show_default=False,
        help="Jikan v4 base URL (default https://api.jikan.moe/v4, or"
             " $NEXTSEASON_JIKAN_URL).")] = None,
    anilist_url: Annotated[str | None, typer.Option(
        "--anilist-url", metavar="URL", show_default=False,
        help="AniList GraphQL URL (default https://graphql.anilist.co, or"
             " $NEXTSEASON_ANILIST_URL).")] = None,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", help="Neither read nor write the response cache.")] = False,
    follow: Annotated[bool, typer.Option(
        "--follow/--no-follow",
        help="Also fetch the sequels the fetched entries list.")] = True,
    db: DbOption = None,
) -> None:
    """Fetch entries from Jikan or AniList and add them as a new dated snapshot; then
    relink, and update the status and forecasts of the series they belong to. The same
    answers again add nothing; an interrupted refresh rerun fetches only what it lacks (the
    answers are cached on disk)."""
    from functools import partial

    from .errors import ApiNotFoundError
    from .live import LiveConfig
    from .live import fetch as live_fetch
    from .refresh import SOURCES, RefreshProgress
    from .refresh import refresh as run_refresh

    if source not in SOURCES:
        _fail(ConfigError(f"--source must be jikan, anilist or both, not {source!r}"))
    config = _run(lambda: LiveConfig.from_env(jikan_url=jikan_url, anilist_url=anilist_url,
                                              use_cache=False if no_cache else None))
    skipped: list[str] = []

    def on_skip(exc: ApiNotFoundError) -> None:
        skipped.append(str(exc))

    fetch = partial(live_fetch, config=config, on_skip=on_skip, today=_today())
    conn = _writable_db(db)

    class _Bar(RefreshProgress):
        def __init__(self, bar: Progress) -> None:
            self.bar = bar
            self.tasks: dict[str, TaskID] = {}

        def fetching(self, source: str, what: str) -> None:
            self.tasks[source] = self.bar.add_task(f"{source}: {what}", total=None)

        def advance(self, source: str, done: int, total: int | None, what: str) -> None:
            self.bar.update(self.tasks[source], completed=done, total=total)

        def stage(self, name: str) -> None:
            self.bar.console.print(f"[dim]… {name}[/dim]")

    try:
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                      MofNCompleteColumn(), TimeElapsedColumn(), console=err,
                      transient=True) as bar:
            report = _run(lambda: run_refresh(
                conn, fetch=fetch, sources=[source], ids=ids or [], season=season,
                watchlist=watchlist, follow=follow, progress=_Bar(bar)))
    finally:
        conn.close()
    for line in skipped + report.not_followed:
        err.print(f"[yellow]skipped:[/yellow] {escape(line)}")
    if not report.snapshots and not report.unchanged:
        out.print("Nothing fetched; nothing stored.")
    for src, name in report.unchanged:
        out.print(f"{src}: unchanged since snapshot {escape(name)} (nothing stored)")
    for s in report.snapshots:
        out.print(f"[bold]Added[/bold] snapshot {escape(s.name)} (as of {s.as_of}):"
                  f" {s.entries} entries ({s.new_entries} new), {s.relations} relations")
    if report.snapshots:
        out.print(f"Relinked: {report.link_stats.get('sequel_links', 0):,} sequel links,"
                  f" {report.link_stats.get('franchises', 0):,} franchises;"
                  f" {report.forecasts} forecasts remade; {report.history_rows} series"
                  " changed")
        err.print("[dim]time (wall / CPU s): " + ", ".join(
            f"{k} {w:.1f} / {c:.1f}" for k, (w, c) in report.timings.items()) + "[/dim]")
        for m, after in report.status_after.items():
            before = report.status_before.get(m)
            if before is not None and before != after:
                out.print(f"  MAL {m}: {before} → [bold]{after}[/bold]")


@app.command()
def migrate(db: DbOption = None) -> None:
    """Bring a database made by an older nextseason up to date: adds the tables and columns
    this version reads, and keeps everything in it (articles, claims, the watchlist)."""
    from .store.db import connect
    from .store.migrations import pending

    target = resolve_db_path(db)
    if not _run(lambda: exists(target)):
        _fail(StoreError(f"no database at {describe(target)}. Build one first: nextseason"
                         " build --data DIR"))
    with contextlib.closing(_run(lambda: connect_readonly(target))) as ro:  # ours?
        todo = _run(lambda: pending(ro))
    if not todo:
        out.print(f"{escape(describe(target))} is up to date")
        return
    _run(lambda: connect(target).close())  # applies them, each in its own transaction
    out.print(f"{escape(describe(target))}: applied {', '.join(todo)}")


watch_app = typer.Typer(help="The shows you follow: add, remove, list.", no_args_is_help=True)
app.add_typer(watch_app, name="watch")


@watch_app.command("add")
def watch_add(
    query: Annotated[str, typer.Argument(metavar="QUERY", help="A title or a MAL id.")],
    db: DbOption = None,
) -> None:
    """Follow a show: `changes` and `feed` report on it."""
    from .store.watch import watch_add as add
    from .track.state import series_title

    conn = _writable_db(db)
    try:
        mal_id = _resolve(conn, query, json_errors=False)
        title = series_title(conn, mal_id)
        added = _run(lambda: add(conn, mal_id, title, _today().isoformat()))
    finally:
        conn.close()
    out.print(f"{'Watching' if added else 'Already watching'} {escape(title)} (MAL {mal_id})")


@watch_app.command("remove")
def watch_remove(
    query: Annotated[str, typer.Argument(metavar="QUERY", help="A title or a MAL id.")],
    db: DbOption = None,
) -> None:
    """Stop following a show."""
    from .store.watch import watch_remove as remove
    from .store.watch import watched

    conn = _writable_db(db)
    try:
        mal_id = _resolve(conn, query, json_errors=False)
        if not _run(lambda: remove(conn, mal_id)):
            listed = ", ".join(f"{w.title} (MAL {w.mal_id})" for w in watched(conn))
            _fail(NotFoundError(f"MAL {mal_id} is not on the watchlist"
                                + (f"; it holds {listed}" if listed else "; it is empty"),
                                query=query))
    finally:
        conn.close()
    out.print(f"No longer watching MAL {mal_id}")


@watch_app.command("list")
def watch_list(json_: JsonOption = False, db: DbOption = None) -> None:
    """The shows you follow."""
    from .store.watch import watched

    with _readonly(db) as conn:
        items = _run(lambda: watched(conn))
    if json_:
        out.print_json(json.dumps([asdict(w) for w in items], ensure_ascii=False))
        return
    if not items:
        out.print("The watchlist is empty: nextseason watch add TITLE")
    for w in items:
        out.print(f"{w.mal_id:>6}  {escape(w.title)}  (since {w.added_on})")


@app.command()
def changes(
    since: Annotated[str | None, typer.Option(
        "--since", metavar="DATE", show_default=False,
        help="Only changes dated on or after this day.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every series, not just watched ones.")
                    ] = False,
    fmt: Annotated[str, typer.Option("--format", metavar="text|json",
                                     help="Output format.")] = "text",
    db: DbOption = None,
) -> None:
    """What changed for the watched shows between snapshots: status, new seasons, announced
    dates, chances that moved 5 points or more, new article claims — with sources and dates."""
    from .track.changes import find_changes

    if fmt not in ("text", "json"):
        _fail(ConfigError(f"--format must be text or json, not {fmt!r}"))
    when = _run(lambda: _opt_date(since, "--since"))
    with _readonly(db) as conn:
        found = _run(lambda: find_changes(conn, since=when, everything=all_))
    if fmt == "json":
        sys.stdout.write(json.dumps([asdict(c) for c in found], ensure_ascii=False, indent=2)
                         + "\n")
        return
    if not found:
        out.print("No changes" + (f" since {when}" if when else "") + ".")
    for c in found:
        out.print(f"{c.date or 'undated':<10}  {escape(c.says)}  [dim]({escape(c.source)})[/dim]")


@app.command()
def feed(
    fmt: Annotated[str, typer.Option("--format", metavar="ics|atom",
                                     help="ics: premieres; atom: changes.")] = "ics",
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", metavar="FILE", show_default=False,
        help="Write here (default: standard output).")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every series, not just watched ones.")
                    ] = False,
    db: DbOption = None,
) -> None:
    """A calendar of the watched shows' announced premieres (iCalendar) or a feed of their
    changes (Atom)."""
    from .report.feeds import calendar_ics, changes_atom, premieres
    from .store.coverage import newest_data_date
    from .store.watch import watched
    from .track.changes import find_changes
    from .track.state import all_series_members

    if fmt not in ("ics", "atom"):
        _fail(ConfigError(f"--format must be ics or atom, not {fmt!r}"))
    _run(lambda: _writable(output))
    today = _today().isoformat()
    with _readonly(db) as conn:
        if fmt == "ics":
            ids = all_series_members(conn) if all_ else [w.mal_id for w in watched(conn)]
            body, left_out = _run(lambda: calendar_ics(premieres(conn, ids, today)))
        else:
            found = _run(lambda: find_changes(conn, everything=all_))
            newest = newest_data_date(conn) or today
            body = changes_atom(found, title="nextseason: what changed",
                                feed_id="urn:nextseason:changes", link="urn:nextseason:changes",
                                updated=newest)
            left_out = []
    for line in left_out:
        err.print(f"[dim]left out: {escape(line)}[/dim]")
    if output is None:
        sys.stdout.buffer.write(body)
    else:
        try:
            output.write_bytes(body)
        except OSError as exc:
            _fail(ConfigError(f"-o {output}: cannot write ({exc.strerror or exc})"))
        err.print(f"wrote {escape(str(output))}")
