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
