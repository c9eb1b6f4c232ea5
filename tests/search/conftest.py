"""Fixtures for the search tests: tiny hand-made stores and the sample corpus, fully ingested."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from rasd.pipeline import run_ingest
from rasd.store import open_store

SAMPLE = Path(__file__).resolve().parents[2] / "rasd" / "data" / "sample"


@pytest.fixture
def store(store_url: str):
    """An empty store on each backend (SQLite, PostgreSQL)."""
    with open_store(store_url) as s:
        yield s


@pytest.fixture(scope="session", params=("sqlite", "postgresql"))
def sample_db(request, tmp_path_factory) -> str:
    """The bundled sample corpus through every stage (extract, enrich, stories), on each backend."""
    if request.param == "postgresql":
        return request.getfixturevalue("pg_sample_url")  # ingested by the CLI, shared with tests/api
    db = str(tmp_path_factory.mktemp("sample") / "sample.db")
    with open_store(db) as s:
        summary = run_ingest([SAMPLE], s, workers=1)
    assert summary.articles >= 50
    return db


@pytest.fixture(scope="session")
def gold_story() -> dict[str, str]:
    """Article id -> gold story label, for the sample articles that have one."""
    from rasd.extract.evaluate import extract_corpus

    pages = extract_corpus(SAMPLE)
    labels = {}
    for line in (SAMPLE.parent / "sample_gold.jsonl").read_text(encoding="utf-8").splitlines():
        gold = json.loads(line) if line.strip() else {}
        if gold.get("position") is not None and gold.get("story"):
            labels[pages[gold["file"]][gold["position"]].id] = gold["story"]
    return labels
