"""Read endpoints over the sample corpus: shapes, pagination, filters, alias lookups."""
from __future__ import annotations

import pytest

from rasd.store import open_store

TRUMP = "دونالد ترامب"
TRUMP_KEY = "PER:دونالد ترامب"


def _page_keys(data: dict) -> None:
    assert set(data) == {"total", "limit", "offset", "next_offset", "results"}


def test_openapi_schema_and_docs(client):
    schema = client.get("/openapi.json").json()
    for path in ("/api/articles", "/api/articles/{article_id}", "/api/stories", "/api/stories/{story_id}",
                 "/api/stories/{story_id}/compare", "/api/entities", "/api/entities/{name}", "/api/quotes",
                 "/api/search", "/api/ingest"):  # fmt: skip
        assert path in schema["paths"], path
    docs = client.get("/docs")
    assert docs.status_code == 200 and "text/html" in docs.headers["content-type"]
    assert "/api/search" in docs.text and "X-API-Key" in docs.text
    assert "cdn" not in docs.text.lower()  # offline: no Swagger UI from a CDN


def test_articles_pagination(client, sample_db):
    with open_store(sample_db) as store:
        total = store.count_articles()
    first = client.get("/api/articles", params={"limit": 5}).json()
    _page_keys(first)
    assert first["total"] == total and first["limit"] == 5 and first["next_offset"] == 5
    second = client.get("/api/articles", params={"limit": 5, "offset": 5}).json()
    assert not {a["id"] for a in first["results"]} & {a["id"] for a in second["results"]}
    last = client.get("/api/articles", params={"limit": 10, "offset": total - 3}).json()
    assert len(last["results"]) == 3 and last["next_offset"] is None
    row = first["results"][0]
    assert {"id", "title", "outlet", "published", "source", "story_id", "kind", "novelty", "duplicate_of"} <= set(row)
    dates = [a["published"] for a in first["results"] if a["published"]]
    assert dates == sorted(dates, reverse=True)  # newest first


@pytest.mark.parametrize("params", [{"limit": 101}, {"limit": 0}, {"offset": -1}, {"limit": "ten"}])
def test_limit_cap_and_bad_paging_are_422(client, params):
    r = client.get("/api/articles", params=params)
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "validation_error"
    assert next(iter(params)) in r.json()["error"]["message"]


def test_articles_filters(client, sample_db):
    outlet = "صحيفة الفجر"
    data = client.get("/api/articles", params={"outlet": outlet, "limit": 100}).json()
    assert data["total"] > 0 and all(a["outlet"] == outlet for a in data["results"])

    ranged = client.get("/api/articles", params={"from": "2025-11-18", "to": "2025-11-19", "limit": 100}).json()
    assert ranged["total"] > 0
    assert all("2025-11-18" <= a["published"][:10] <= "2025-11-19" for a in ranged["results"])

    with open_store(sample_db) as store:
        trump_articles = set(store.entity_articles(TRUMP_KEY))
        story_id = store.iter_stories(limit=1)[0]["id"]
        members = set(store.story_member_ids(story_id))
    by_alias = client.get("/api/articles", params={"entity": "ترمب", "limit": 100}).json()
    assert {a["id"] for a in by_alias["results"]} == trump_articles
    in_story = client.get("/api/articles", params={"story": story_id, "limit": 100}).json()
    assert {a["id"] for a in in_story["results"]} == members
    assert client.get("/api/articles", params={"language": "ar"}).json()["total"] > 0
    assert client.get("/api/articles", params={"entity": "لا يوجد أبداً"}).json()["total"] == 0


@pytest.mark.parametrize(
    "params, words",
    [({"from": "2025-13-01"}, "from must be a date"), ({"to": "yesterday"}, "to must be a date"),
     ({"from": "2025-05-02", "to": "2025-05-01"}, "is after")],
)  # fmt: skip
def test_bad_dates_are_explained(client, params, words):
    r = client.get("/api/articles", params=params)
    assert r.status_code == 422 and words in r.json()["error"]["message"]


def test_article_detail(client):
    listed = client.get("/api/articles", params={"entity": TRUMP, "limit": 1}).json()["results"][0]
    data = client.get(f"/api/articles/{listed['id']}").json()
    assert data["id"] == listed["id"] and data["body"] and data["title"] == listed["title"]
    assert any(e["name"] == TRUMP for e in data["entities"])
    for m in data["mentions"]:
        assert data["body"][m["start"] : m["end"]] == m["surface"]
    for q in data["quotes"]:
        assert data["body"][q["start"] : q["end"]] == q["text"]
    assert data["story"]["id"] == data["story_id"] and data["story"]["headline"]
    assert data["kind"] in ("original", "copy", "rewrite")
    assert isinstance(data["removed"], list) and isinstance(data["related"], list)
    # a unique prefix works like the CLI
    assert client.get(f"/api/articles/{listed['id'][:8]}").json()["id"] == listed["id"]


def test_unknown_ids_are_404(client):
    for path in ("/api/articles/ffffffffffffffff", "/api/stories/sNOPE", "/api/stories/sNOPE/compare",
                 "/api/entities/لا-يوجد-أبداً"):  # fmt: skip
        r = client.get(path)
        assert r.status_code == 404, path
        assert r.json()["error"]["code"] == "not_found"


def test_stories(client):
    data = client.get("/api/stories", params={"limit": 3}).json()
    _page_keys(data)
    assert data["total"] >= 7 and len(data["results"]) == 3
    sizes = [s["articles"] for s in data["results"]]
    assert sizes == sorted(sizes, reverse=True)
    story = data["results"][0]
    assert {"id", "headline", "summary", "articles", "outlets", "first_seen", "last_seen", "entities"} <= set(story)
    assert story["outlets"][0]["outlet"] and story["outlets"][0]["articles"] >= 1
    recent = client.get("/api/stories", params={"order": "recent", "limit": 100}).json()["results"]
    seen = [s["last_seen"][:10] for s in recent if s["last_seen"]]
    assert seen == sorted(seen, reverse=True)
    assert client.get("/api/stories", params={"order": "size-ish"}).status_code == 422

    detail = client.get(f"/api/stories/{story['id']}").json()
    assert detail["headline"] == story["headline"] and detail["timeline"] and detail["quotes_by_speaker"]
    assert len(detail["members"]) == story["articles"]
    assert {m["kind"] for m in detail["members"]} <= {"original", "copy", "rewrite"}


def test_story_compare(client):
    story_id = client.get("/api/stories", params={"limit": 1}).json()["results"][0]["id"]
    data = client.get(f"/api/stories/{story_id}/compare").json()
    assert data["story_id"] == story_id and len(data["outlets"]) >= 2
    row = data["outlets"][0]
    assert set(row["adds"]) == {"sentences", "quotes", "entities"} and set(row["omits"]) == {"entities", "quotes"}
    assert client.get(f"/api/stories/{story_id}/compare").json() == data  # cached, same answer


def test_entities(client):
    data = client.get("/api/entities", params={"type": "PER", "limit": 10}).json()
    _page_keys(data)
    assert data["total"] > 10 and all(e["type"] == "PER" for e in data["results"])
    mentions = [e["mentions"] for e in data["results"]]
    assert mentions == sorted(mentions, reverse=True)
    assert {"key", "name", "type", "mentions", "articles", "aliases"} <= set(data["results"][0])
    assert client.get("/api/entities", params={"type": "PERSON"}).status_code == 422


def test_entity_by_alias(client):
    data = client.get("/api/entities/ترمب").json()
    assert data["name"] == TRUMP and data["key"] == TRUMP_KEY and "ترمب" in data["aliases"]
    assert data["mentions"] > 0 and data["articles"]["total"] > 0 and data["stories"]
    assert data["timeline"]["periods"] and sum(p["mentions"] for p in data["timeline"]["periods"]) <= data["mentions"]
    assert client.get("/api/entities/Trump").json()["key"] == TRUMP_KEY
    assert client.get(f"/api/entities/{TRUMP_KEY}").json()["name"] == TRUMP


def test_quotes_by_speaker_alias(client):
    data = client.get("/api/quotes", params={"speaker": "ترمب"}).json()
    _page_keys(data)
    assert data["total"] > 0 and all(q["speaker_key"] == TRUMP_KEY for q in data["results"])
    assert {"article_id", "speaker", "text", "kind", "cue", "medium", "start", "end"} <= set(data["results"][0])
    every = client.get("/api/quotes", params={"limit": 100}).json()
    assert every["total"] > data["total"]
    assert client.get("/api/quotes", params={"speaker": "لا يوجد أبداً"}).json()["total"] == 0


def test_search(client):
    data = client.get("/api/search", params={"q": "ترمب"}).json()
    assert set(data) == {"total", "results"}
    assert data["total"] > 0
    for hit in data["results"]:
        assert set(hit) == {"id", "title", "outlet", "published", "source", "story_id", "snippet"}
        assert "\x02" not in hit["snippet"] and "\x03" not in hit["snippet"]
    # paging
    one = client.get("/api/search", params={"q": "ترمب", "limit": 1, "offset": 1}).json()
    assert one["total"] == data["total"] and one["results"][0]["id"] == data["results"][1]["id"]
    # filters
    outlet = data["results"][0]["outlet"]
    filtered = client.get("/api/search", params={"q": "ترمب", "outlet": outlet}).json()
    assert filtered["total"] >= 1 and all(h["outlet"] == outlet for h in filtered["results"])
    assert client.get("/api/search", params={"q": "ترمب", "to": "2000-01-01"}).json()["total"] == 0
    assert client.get("/api/search", params={"q": "ترمب", "from": "01/01/2025"}).status_code == 422
    assert client.get("/api/search", params={"q": "ترمب", "limit": 500}).status_code == 422


def test_similar_articles(client):
    article_id = client.get("/api/search", params={"q": "ترمب"}).json()["results"][0]["id"]
    data = client.get(f"/api/articles/{article_id}/similar", params={"limit": 5}).json()
    assert set(data) == {"total", "results"} and len(data["results"]) <= 5
    assert all(h["id"] != article_id for h in data["results"])
    assert client.get("/api/articles/ffffffffffffffff/similar").status_code == 404
