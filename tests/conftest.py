"""Shared fixtures: paths to ../shared (skipped when absent), the sample corpus, and the
database backends (`store_url` runs a test on SQLite and on PostgreSQL; see tests/pg_cluster.py)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = Path(os.environ.get("RASD_SHARED", REPO_ROOT.parent / "shared"))
SAMPLE_DIR = REPO_ROOT / "rasd" / "data" / "sample"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip the test with a message saying what is missing."""
    path = SHARED_DIR.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not found: this test reads the shared data folder next to the repo (../shared)")
    return path


@pytest.fixture
def seeds_dir() -> Path:
    return shared_path("seeds")


@pytest.fixture
def sample_dir() -> Path:
    return SAMPLE_DIR


@pytest.fixture
def db_path(tmp_path: Path) -> str:
    return str(tmp_path / "rasd.db")


@pytest.fixture
def shared():
    """`shared("data", "anercorp")` → the path, or the test is skipped when ../shared lacks it."""
    return shared_path


# -- database backends ----------------------------------------------------------------

BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def pg_server():
    """The PostgreSQL server of the session (RASD_TEST_PG, else a throwaway cluster), or skip."""
    from pg_cluster import PgServer

    server = PgServer()
    server.start()
    try:
        if server.url is None:
            message = f"PostgreSQL variants skipped: {server.skip_reason}"
            if os.environ.get("CI", "").lower() == "true":
                pytest.fail(f"{message} (CI=true: PostgreSQL must be available)")
            pytest.skip(message)
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_url(pg_server) -> str:
    """The url of a fresh, migrated, empty PostgreSQL database (dropped after the test)."""
    url = pg_server.new_database()
    yield url
    pg_server.drop_database(url)


@pytest.fixture(params=BACKENDS)
def store_url(request, tmp_path: Path) -> str:
    """A fresh database url on each backend: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "rasd.db")
    return request.getfixturevalue("pg_url")


@pytest.fixture(scope="session")
def pg_sample_url(pg_server) -> str:
    """The sample corpus ingested once into PostgreSQL by `rasd ingest --db postgresql://…`
    (every stage); read-only: tests that write use `pg_url`."""
    from rasd.cli import main

    url = pg_server.new_database()
    assert main(["ingest", str(SAMPLE_DIR), "--db", url, "--workers", "1", "-q"]) == 0
    return url
