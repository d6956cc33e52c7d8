"""Shared fixtures: a seeded synthetic data directory, fresh and built databases."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from nextseason.fixtures import SyntheticCatalogue, write_synthetic_data
from nextseason.pipeline import build
from nextseason.store import connect

SHARED_RAW = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "raw"


@pytest.fixture(scope="session")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SyntheticCatalogue]:
    folder = tmp_path_factory.mktemp("raw")
    return folder, write_synthetic_data(folder, seed=0)


@pytest.fixture(scope="session")
def synthetic_data(synthetic: tuple[Path, SyntheticCatalogue]) -> Path:
    return synthetic[0]


@pytest.fixture
def data_copy(synthetic_data: Path, tmp_path: Path) -> Path:
    """A private, writable copy of the synthetic data directory (for corrupting)."""
    target = tmp_path / "raw"
    shutil.copytree(synthetic_data, target)
    return target


@pytest.fixture
def fresh_db(tmp_path: Path):
    conn = connect(tmp_path / "fresh.db")
    yield conn
    conn.close()


@pytest.fixture(scope="session")
def built_db(synthetic_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("db") / "nextseason.db"
    build(synthetic_data, path)
    return path


@pytest.fixture(scope="session")
def shared_raw() -> Path:
    path = Path(os.environ.get("NEXTSEASON_DATA", SHARED_RAW))
    if not (path / "mal_2025_jikan_v4").is_dir():
        pytest.skip(f"real data not found at {path}")
    return path


@pytest.fixture(scope="session")
def real_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A full build of ../shared/data/raw (or $NEXTSEASON_TEST_DB if it names one)."""
    given = os.environ.get("NEXTSEASON_TEST_DB")
    if given and Path(given).is_file():
        return Path(given)
    path = Path(os.environ.get("NEXTSEASON_DATA", SHARED_RAW))
    if not (path / "mal_2025_jikan_v4").is_dir():
        pytest.skip(f"real data not found at {path}")
    db = tmp_path_factory.mktemp("real") / "nextseason.db"
    build(path, db)
    return db


# ---------------------------------------------------------------- PostgreSQL beside SQLite

PG_DATABASE = "nextseason_test"


@pytest.fixture(scope="session")
def pg_cluster():
    """A throwaway PostgreSQL cluster for the whole session (tests/pg_cluster.py). Without
    server binaries the PostgreSQL tests skip — except under CI=true, where they fail."""
    import tempfile

    from pg_cluster import Cluster, find_bindir

    bindir = find_bindir()
    if bindir is None:
        message = ("no PostgreSQL server binaries (initdb, pg_ctl) found in $PG_BINDIR, "
                   "pg_config --bindir or /usr/lib/postgresql/*/bin: the PostgreSQL tests "
                   "need them (Debian: apt-get install postgresql)")
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " — CI=true, so this is a failure, not a skip")
        pytest.skip(message)
    cluster = Cluster(Path(tempfile.mkdtemp(prefix="nextseason-pg-")), bindir)
    try:
        cluster.start()
        cluster.create_database(PG_DATABASE)
    except BaseException:
        cluster.stop()
        raise
    yield cluster
    cluster.stop()


_schemas = iter(range(1, 1 << 30))


def _fresh_schema(pg_cluster):
    """A URL naming a new schema of the test database; every schema made from it —
    builds', replaced ones — is dropped when the generator finishes."""
    import psycopg

    schema = f"t{next(_schemas)}_{os.getpid()}"
    yield pg_cluster.url(PG_DATABASE, schema=schema)
    with psycopg.connect(pg_cluster.url(PG_DATABASE), autocommit=True) as conn:
        conn.execute("SET lock_timeout = '5s'")
        for (name,) in conn.execute("SELECT nspname FROM pg_namespace WHERE nspname = %s"
                                    " OR nspname LIKE %s", (schema, schema + r"\_%")).fetchall():
            try:
                conn.execute(f'DROP SCHEMA "{name}" CASCADE')
            except psycopg.errors.LockNotAvailable:  # a connection the test left open
                conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                             " WHERE datname = %s AND pid <> pg_backend_pid()", (PG_DATABASE,))
                conn.execute(f'DROP SCHEMA "{name}" CASCADE')


@pytest.fixture
def pg_url(pg_cluster):
    """A URL naming a fresh schema of the test database, for one test."""
    yield from _fresh_schema(pg_cluster)


@pytest.fixture(scope="module")
def pg_module_url(pg_cluster):
    """A URL naming a fresh schema of the test database, for one test module."""
    yield from _fresh_schema(pg_cluster)


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request) -> str:
    """Run the test on each database: ``sqlite`` and ``postgresql``."""
    return str(request.param)


@pytest.fixture
def db_location(backend: str, tmp_path: Path, request) -> str:
    """Where the test's database goes: a file (SQLite) or a fresh schema (PostgreSQL)."""
    if backend == "postgresql":
        return str(request.getfixturevalue("pg_url"))
    return str(tmp_path / "nextseason.db")


@pytest.fixture
def any_db(db_location: str):
    """A fresh, migrated database on each backend."""
    conn = connect(db_location)
    yield conn
    conn.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that needs the PostgreSQL cluster (``-m "not postgresql"`` skips it)."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_pg = callspec is not None and callspec.params.get("backend") == "postgresql"
        if on_pg or "pg_cluster" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgresql)
