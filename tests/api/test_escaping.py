"""Scraped content is untrusted: markup in titles, bodies, outlets and quotes renders as text everywhere."""
from __future__ import annotations

from urllib.parse import quote

import pytest
from api_helpers import XSS_IMG, XSS_SCRIPT, TestClient

from rasd.api import create_app

ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture(scope="module")
def xss(xss_db):
    """(client, article id, story id) over the sample corpus plus the article carrying markup."""
    db, article_id = xss_db
    with TestClient(create_app(db, api_key="")) as client:
        story_id = client.get(f"/api/articles/{article_id}").json()["story_id"]
        yield client, article_id, story_id


def assert_inert(text: str) -> None:
    """No live markup from the scraped page: the payloads appear only escaped."""
    assert XSS_SCRIPT not in text and "<script>alert" not in text
    assert XSS_IMG not in text and "<img src=x" not in text
    assert ESCAPED_SCRIPT in text  # ...and they are shown, as text


def test_the_payload_is_really_stored(xss):
    client, article_id, _ = xss
    article = client.get(f"/api/articles/{article_id}").json()
    assert XSS_SCRIPT in article["title"] and XSS_IMG in article["title"]
    assert XSS_SCRIPT in article["body"] and XSS_SCRIPT in article["outlet"]
    assert any(XSS_SCRIPT in q["text"] for q in article["quotes"])


@pytest.mark.parametrize("page", ["article", "story", "home", "search", "entity", "stories"])
def test_pages_render_markup_as_text(xss, page):
    client, article_id, story_id = xss
    path, params = {
        "article": (f"/articles/{article_id}", None),
        "story": (f"/stories/{story_id}", None),
        "home": ("/", None),
        "stories": ("/stories", {"order": "recent"}),
        "search": ("/search", {"q": "قريبون"}),
        "entity": ("/entities/" + quote("ترامب"), None),
    }[page]
    r = client.get(path, params=params)
    assert r.status_code == 200
    assert_inert(r.text)
    assert "script-src 'self'" in r.headers["content-security-policy"]  # and inline script would not run


def test_highlighted_article_body_escapes_every_piece(xss):
    client, article_id, _ = xss
    page = client.get(f"/articles/{article_id}").text
    body = page.split('data-testid="article-body">', 1)[1].split("</div>", 1)[0]
    assert 'class="quote' in body and 'class="mention' in body  # highlighting ran over the payload
    assert "&lt;img src=x onerror=alert(1)&gt;" in body and "<img" not in body


def test_api_json_carries_markup_as_plain_strings(xss):
    client, article_id, story_id = xss
    for path, params in ((f"/api/articles/{article_id}", None), ("/api/search", {"q": "قريبون"}),
                         (f"/api/stories/{story_id}", None), ("/api/articles", {"limit": 5})):  # fmt: skip
        r = client.get(path, params=params)
        assert r.headers["content-type"].startswith("application/json")
        assert r.headers["x-content-type-options"] == "nosniff"
        assert XSS_SCRIPT in r.text  # data is returned as it was scraped, JSON-encoded (never as HTML)
    hits = client.get("/api/search", params={"q": "قريبون"}).json()["results"]
    assert any(h["id"] == article_id and XSS_SCRIPT in h["title"] for h in hits)
