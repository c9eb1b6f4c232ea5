"""The sample corpus in a real SQLite database, built once per session, and clients over it."""
from __future__ import annotations

from pathlib import Path

import pytest
from api_helpers import XSS_PAGE, TestClient, copy_db
from serving import ingest_sample

from rasd.api import create_app


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory) -> Path:
    """rasd/data/sample ingested with every stage (extract, enrich, stories)."""
    return ingest_sample(tmp_path_factory.mktemp("api") / "sample.db")


@pytest.fixture(scope="session")
def client(sample_db: Path):
    """Read-only client over the sample database (no API key)."""
    with TestClient(create_app(sample_db, api_key="")) as c:
        yield c


@pytest.fixture
def fresh_db(sample_db: Path, tmp_path: Path) -> Path:
    """A private copy of the sample database, for tests that write."""
    return copy_db(sample_db, tmp_path / "copy.db")


@pytest.fixture
def make_client():
    """make_client(db, **create_app_kwargs) → a TestClient (closed after the test)."""
    clients = []

    def make(db, raise_server_exceptions: bool = True, **kwargs):
        kwargs.setdefault("api_key", "")
        c = TestClient(create_app(db, **kwargs), raise_server_exceptions=raise_server_exceptions)
        clients.append(c)
        return c

    yield make
    for c in clients:
        c.close()


@pytest.fixture(scope="session")
def xss_db(sample_db: Path, tmp_path_factory) -> tuple[Path, str]:
    """A copy of the sample database plus the XSS article (posted through the API); (db, article id)."""
    db = copy_db(sample_db, tmp_path_factory.mktemp("xss") / "xss.db")
    with TestClient(create_app(db, api_key="")) as c:
        r = c.post("/api/ingest", json={"text": XSS_PAGE})
        assert r.status_code == 201, r.text
        return db, r.json()["ids"][0]

