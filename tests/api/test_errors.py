"""One JSON error shape for every kind of error; browsers asking for a page get it as HTML."""
from __future__ import annotations

import pytest

import rasd.api.queries


def assert_error_shape(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) - {"details"} == {"status", "code", "message"}
    assert error["status"] == status and error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    return error


def test_every_error_kind_has_the_same_shape(fresh_db, make_client, monkeypatch):
    client = make_client(fresh_db, api_key="k", max_body_bytes=1_000, raise_server_exceptions=False)

    assert_error_shape(client.get("/api/articles/ffffffffffffffff"), 404, "not_found")  # unknown id
    error = assert_error_shape(client.get("/api/no-such-endpoint"), 404, "not_found")  # unknown route
    assert "/api/no-such-endpoint" in error["message"]
    assert_error_shape(client.get("/no-such-page"), 404, "not_found")  # unknown page, API client
    assert_error_shape(client.delete("/api/articles"), 405, "method_not_allowed")
    error = assert_error_shape(client.get("/api/articles", params={"limit": 1000}), 422, "validation_error")
    assert error["details"][0]["field"] == "query.limit"
    assert_error_shape(client.post("/api/ingest", json={"text": "x"}), 401, "unauthorized")
    big = {"text": "x" * 2_000}
    assert_error_shape(client.post("/api/ingest", json=big, headers={"X-API-Key": "k"}), 413, "payload_too_large")

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(rasd.api.queries, "list_quotes", broken)
    error = assert_error_shape(client.get("/api/quotes"), 500, "internal_error")
    assert "secret internals" not in error["message"]  # no internals leak to the client


def test_search_unavailable_is_501(client, monkeypatch):
    def not_built(self, query):
        raise NotImplementedError("no index")

    monkeypatch.setattr("rasd.store.sqlite.SQLiteStore.search", not_built)
    assert_error_shape(client.get("/api/search", params={"q": "x"}), 501, "not_implemented")


@pytest.mark.parametrize("path", ["/articles/ffffffffffffffff", "/stories/sNOPE", "/entities/لا-يوجد-أبداً", "/nope"])
def test_browsers_get_an_html_error_page(client, path):
    r = client.get(path, headers={"accept": "text/html,application/xhtml+xml"})
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert 'dir="rtl"' in r.text and 'data-testid="error"' in r.text and 'id="search-box"' in r.text


def test_api_paths_answer_json_even_to_browsers(client):
    r = client.get("/api/articles/ffffffffffffffff", headers={"accept": "text/html"})
    assert_error_shape(r, 404, "not_found")
