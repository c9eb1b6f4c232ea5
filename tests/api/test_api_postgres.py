"""The CLI and the API over PostgreSQL (`--db postgresql://…`), checked against SQLite."""
from __future__ import annotations

import json

import pytest
from api_helpers import TestClient

from rasd.api import create_app
from rasd.cli import main


@pytest.fixture(scope="module")
def pg_sample(pg_sample_url) -> str:
    """The sample corpus ingested into PostgreSQL by `rasd ingest --db postgresql://…` (tests/conftest.py)."""
    return pg_sample_url


def test_cli_ingest_export_stories_on_postgresql(pg_sample: str, sample_db, capsys):
    capsys.readouterr()
    assert main(["export", "--db", pg_sample]) == 0
    pg_rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert main(["export", "--db", str(sample_db)]) == 0
    lite_rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(pg_rows) == len(lite_rows) >= 50
    # same articles, entities and quotes, in the same order (newest first)
    strip = ("story_id", "duplicate_of", "kind", "novelty")
    assert [{k: v for k, v in r.items() if k not in strip} for r in pg_rows] == [
        {k: v for k, v in r.items() if k not in strip} for r in lite_rows]
    assert all(r["story_id"] for r in pg_rows)

    assert main(["stories", "--db", pg_sample, "--format", "json"]) == 0
    pg_stories = json.loads(capsys.readouterr().out)
    assert main(["stories", "--db", str(sample_db), "--format", "json"]) == 0
    lite_stories = json.loads(capsys.readouterr().out)
    assert [(s["id"], s["articles"], s["headline"]) for s in pg_stories] == [
        (s["id"], s["articles"], s["headline"]) for s in lite_stories]

    # a re-cluster (under the story lock) rebuilds the same stories
    assert main(["recluster", "--db", pg_sample]) == 0
    capsys.readouterr()
    assert main(["stories", "--db", pg_sample, "--format", "json"]) == 0
    assert [(s["id"], s["articles"]) for s in json.loads(capsys.readouterr().out)] == [
        (s["id"], s["articles"]) for s in pg_stories]

    assert main(["search", "ترمب", "--db", pg_sample, "--format", "json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["total"] >= 4
    assert main(["entity", "ترمب", "--db", pg_sample]) == 0
    assert "ترامب" in capsys.readouterr().out


def test_api_over_postgresql(pg_sample: str, client):
    with TestClient(create_app(pg_sample, api_key="")) as pg:
        for path in ("/api/stories?limit=100", "/api/entities?limit=50", "/api/quotes?limit=100",
                     "/api/articles?limit=100", "/api/articles?entity=ترمب", "/api/entities/ترمب"):
            got, want = pg.get(path), client.get(path)
            assert got.status_code == want.status_code == 200, (path, got.text)
            assert got.json() == want.json(), path
        search = pg.get("/api/search", params={"q": "ترمب"}).json()
        assert search["total"] >= 4 and set(search["results"][0]) == {
            "id", "title", "outlet", "published", "source", "story_id", "snippet"}
        story_id = search["results"][0]["story_id"]
        assert pg.get(f"/api/stories/{story_id}").json()["members"]
        assert pg.get(f"/api/stories/{story_id}/compare").status_code == 200
        article = pg.get(f"/api/articles/{search['results'][0]['id']}").json()
        assert article["story"]["id"] == story_id and article["mentions"]
        assert pg.get(f"/api/articles/{article['id']}/similar").json()["total"] >= 1
        for page in ("/", "/stories", f"/stories/{story_id}", "/entities", "/search?q=مسقط"):
            r = pg.get(page, headers={"Accept": "text/html"})
            assert r.status_code == 200 and "<html" in r.text, page

def test_api_ingest_over_postgresql(pg_url: str):
    with TestClient(create_app(pg_url, api_key="")) as pg:
        body = {"title": "خبر تجريبي", "content": "قال وزير الخارجية إن المحادثات في مسقط كانت بناءة. " * 5,
                "outlet": "اختبار", "date": "2025-03-06"}  # fmt: skip
        first = pg.post("/api/ingest", json=body)
        assert first.status_code == 201 and first.json()["duplicate"] is False
        again = pg.post("/api/ingest", json=body)
        assert again.status_code == 200 and again.json() == {"ids": first.json()["ids"], "duplicate": True}
        assert pg.get(f"/api/articles/{first.json()['ids'][0]}").json()["story_id"]
