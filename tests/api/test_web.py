"""The web pages over the sample corpus: they render, are right-to-left, and show what they should."""
from __future__ import annotations

import re
from urllib.parse import quote

from rasd.store import open_store

TRUMP = "دونالد ترامب"


def html(client, path: str, params: dict | None = None) -> str:
    r = client.get(path, params=params)
    assert r.status_code == 200, (path, r.text[:500])
    assert r.headers["content-type"].startswith("text/html")
    text = r.text
    assert '<html dir="rtl" lang="ar">' in text
    assert 'id="search-box"' in text and 'data-testid="search-box"' in text  # search on every page
    assert "Content-Security-Policy".lower() in {k.lower() for k in r.headers}
    return text


def test_static_files_are_served(client):
    css = client.get("/static/rasd.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert "Noto Naskh Arabic" in css.text
    assert client.get("/static/rasd.js").status_code == 200


def test_home(client, sample_db):
    page = html(client, "/")
    with open_store(sample_db) as store:
        top = store.iter_stories(limit=1)[0]
        n_articles = store.count_articles()
    assert 'data-testid="most-covered"' in page and 'data-testid="latest-stories"' in page
    assert f'href="/stories/{top["id"]}"' in page
    assert f'data-testid="count-articles">{n_articles}<' in page
    assert "آخر تحديث" in page and "مصادر" in page


def test_story_page(client, sample_db):
    with open_store(sample_db) as store:
        story = store.iter_stories(limit=1)[0]
    page = html(client, f"/stories/{story['id']}")
    for testid in ("story-headline", "story-summary", "timeline", "compare", "quotes", "outlets"):
        assert f'data-testid="{testid}"' in page, testid
    assert page.count('data-testid="timeline-item"') == len(story["timeline"])
    assert 'data-testid="lineage-kind"' in page and "أصلي" in page
    assert page.count('data-testid="speaker-group"') == len(story["quotes_by_speaker"])
    assert "<meter" in page  # novelty per article


def test_stories_and_entities_lists(client):
    page = html(client, "/stories", {"order": "recent"})
    assert page.count('data-testid="story-card"') >= 7
    page = html(client, "/entities", {"type": "PER"})
    assert TRUMP in page and 'href="/entities/' in page


def test_article_page_highlights_entities_and_quotes(client):
    article_id = client.get("/api/articles", params={"entity": TRUMP, "limit": 1}).json()["results"][0]["id"]
    detail = client.get(f"/api/articles/{article_id}").json()
    page = html(client, f"/articles/{article_id}")
    assert 'data-testid="article-title"' in page
    assert f'href="/stories/{detail["story_id"]}" id="story-link" data-testid="story-link"' in page
    assert f'class="mention type-PER" href="/entities/{quote(TRUMP, safe="")}"' in page
    assert page.count('data-testid="quote-span"') == len(detail["quotes"])
    assert 'data-testid="quotes"' in page
    if detail["removed"]:
        assert '<details class="removed" data-testid="removed">' in page
    assert 'data-testid="similar"' in page


def test_entity_page_by_alias_with_chart(client):
    page = html(client, "/entities/" + quote("ترمب"))
    assert f'data-testid="entity-name">{TRUMP}' in page
    assert 'data-testid="aliases"' in page and "ترمب" in page
    chart = re.search(r'<svg class="chart".*?</svg>', page, re.DOTALL)
    assert chart and "<rect" in chart.group(0)
    assert 'data-testid="quotes"' in page


def test_search_page(client):
    page = html(client, "/search")
    assert 'data-testid="search-form"' in page and 'data-testid="search-results"' not in page
    page = html(client, "/search", {"q": "ترمب"})
    links = re.findall(r'class="result-link" href="/articles/([0-9a-f]+)" data-testid="result-link"', page)
    assert links and "<mark>" in page
    assert 'value="ترمب"' in page  # the query stays in the box
    assert 'data-testid="filter-outlet"' in page and 'data-testid="filter-from"' in page


def test_search_page_filters_and_pagination(client):
    api = client.get("/api/search", params={"q": "", "from": "2025-01-01", "limit": 1}).json()
    assert api["total"] > 20  # filters only: enough for two pages
    page = html(client, "/search", {"from": "2025-01-01"})
    assert page.count('data-testid="search-result"') == 20 and 'data-testid="next-page"' in page
    page2 = html(client, "/search", {"from": "2025-01-01", "page": 2})
    first_ids = set(re.findall(r'href="/articles/([0-9a-f]+)" data-testid="result-link"', page))
    second_ids = set(re.findall(r'href="/articles/([0-9a-f]+)" data-testid="result-link"', page2))
    assert second_ids and not first_ids & second_ids
    bad = html(client, "/search", {"q": "ترمب", "from": "not-a-date"})
    assert 'data-testid="search-error"' in bad


def test_api_reference_page(client):
    page = html(client, "/docs")
    assert 'data-testid="api-docs"' in page and "/api/stories/{story_id}/compare" in page
