"""POST /api/ingest: the three body kinds, duplicates, bad bodies, the API key, the size limit."""
from __future__ import annotations

import pytest

from rasd.api.state import API_KEY_ENV

TEXT_PAGE = """القمة الخليجية تبحث أمن الملاحة في البحر الأحمر
الأحد، 7 ديسمبر 2025 09:00 ص

انطلقت في الدوحة اليوم أعمال القمة الخليجية الخامسة والأربعين بمشاركة قادة دول مجلس التعاون، لبحث أمن الملاحة في البحر الأحمر وتطورات الأوضاع الإقليمية.

وقال الأمين العام لمجلس التعاون جاسم البديوي إن «أمن الممرات البحرية مسؤولية جماعية»، مؤكداً أن القمة ستصدر بياناً ختامياً يتضمن آليات عملية للتنسيق.
"""

RECORD = {
    "title": "ارتفاع أسعار الذهب إلى مستوى قياسي جديد",
    "content": "ارتفعت أسعار الذهب في التعاملات الفورية اليوم إلى مستوى قياسي جديد، مدفوعة بتوقعات خفض أسعار الفائدة "
    "الأميركية وتزايد الطلب على الملاذات الآمنة.\n\nوقال محللون إن المعدن الأصفر قد يواصل مكاسبه حتى نهاية العام.",
    "url": "https://example.com/gold/1",
    "date": "2025-12-01",
    "outlet": "الاقتصادية اليوم",
}

HTML_PAGE = """<!doctype html><html lang="ar"><head><meta charset="utf-8"><title>افتتاح معرض الكتاب الدولي في الرياض</title>
<meta property="og:site_name" content="قناة المدار"></head><body><article><h1>افتتاح معرض الكتاب الدولي في الرياض</h1>
<p>افتتح معرض الرياض الدولي للكتاب أبوابه اليوم بمشاركة أكثر من ألفي دار نشر من ثلاثين دولة، في دورة تحتفي بالأدب العربي المعاصر.</p>
<p>ويستمر المعرض عشرة أيام، ويتضمن برنامجه الثقافي ندوات وأمسيات شعرية وورش عمل للأطفال والشباب.</p></article></body></html>"""


def test_ingest_text_then_duplicate(fresh_db, make_client):
    client = make_client(fresh_db)
    before = client.get("/api/articles").json()["total"]
    r = client.post("/api/ingest", json={"text": TEXT_PAGE})
    assert r.status_code == 201, r.text
    ids = r.json()["ids"]
    assert r.json() == {"ids": ids, "duplicate": False} and len(ids) == 1
    assert client.get("/api/articles").json()["total"] == before + 1
    article = client.get(f"/api/articles/{ids[0]}").json()
    assert article["title"].startswith("القمة الخليجية") and article["published"].startswith("2025-12-07")
    assert article["source"] == "<api>"
    assert article["story"] is not None  # the stories stage ran
    assert article["entities"]  # and enrichment
    again = client.post("/api/ingest", json={"text": TEXT_PAGE})
    assert again.status_code == 200 and again.json() == {"ids": ids, "duplicate": True}
    assert client.get("/api/articles").json()["total"] == before + 1


def test_ingest_record_and_html(fresh_db, make_client):
    client = make_client(fresh_db)
    r = client.post("/api/ingest", json=RECORD)
    assert r.status_code == 201, r.text
    article = client.get(f"/api/articles/{r.json()['ids'][0]}").json()
    assert article["title"] == RECORD["title"] and article["outlet"] == RECORD["outlet"]
    assert article["url"] == RECORD["url"] and article["published"].startswith("2025-12-01")

    r = client.post("/api/ingest", json={"html": HTML_PAGE, "url": "https://example.com/book-fair"})
    assert r.status_code == 201, r.text
    article = client.get(f"/api/articles/{r.json()['ids'][0]}").json()
    assert "معرض" in article["title"] and "ألفي دار نشر" in article["body"]
    assert article["url"] == "https://example.com/book-fair"


@pytest.mark.parametrize(
    "body, words",
    [
        ([1, 2], "JSON object"),
        ("just a string", "JSON object"),
        ({}, "no body text"),
        ({"text": "   "}, '"text" must be a non-empty string'),
        ({"html": 42}, '"html" must be a non-empty string'),
        ({"title": "عنوان فقط"}, "no body text"),
        ({"text": "x", "url": 5}, '"url" must be a string'),
        ({"text": "الرئيسية / أخبار\nشارك: فيسبوك تويتر"}, "not stored"),
    ],
)
def test_ingest_bad_bodies_are_422_with_reason(fresh_db, make_client, body, words):
    r = make_client(fresh_db).post("/api/ingest", json=body)
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] == "validation_error" and words in r.json()["error"]["message"]


def test_ingest_malformed_json_is_422(fresh_db, make_client):
    r = make_client(fresh_db).post("/api/ingest", content=b'{"text": ', headers={"content-type": "application/json"})
    assert r.status_code == 422 and r.json()["error"]["status"] == 422


def test_api_key_protects_writes_only(fresh_db, make_client):
    client = make_client(fresh_db, api_key="s3cret")
    missing = client.post("/api/ingest", json=RECORD)
    assert missing.status_code == 401
    assert missing.json()["error"]["code"] == "unauthorized" and "X-API-Key" in missing.json()["error"]["message"]
    wrong = client.post("/api/ingest", json=RECORD, headers={"X-API-Key": "guess"})
    assert wrong.status_code == 401 and "wrong API key" in wrong.json()["error"]["message"]
    assert client.get("/api/articles").status_code == 200  # reads stay open
    assert client.get("/").status_code == 200
    ok = client.post("/api/ingest", json=RECORD, headers={"X-API-Key": "s3cret"})
    assert ok.status_code == 201 and ok.json()["ids"]


def test_api_key_from_environment(fresh_db, make_client, monkeypatch):
    monkeypatch.setenv(API_KEY_ENV, "from-env")
    client = make_client(fresh_db, api_key=None)
    assert client.post("/api/ingest", json=RECORD).status_code == 401
    assert client.post("/api/ingest", json=RECORD, headers={"X-API-Key": "from-env"}).status_code == 201


def test_body_size_limit(fresh_db, make_client):
    client = make_client(fresh_db, max_body_bytes=2_000)
    big = {"text": "كلمة " * 1_000}
    r = client.post("/api/ingest", json=big)
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "payload_too_large" and "2,000 bytes" in r.json()["error"]["message"]

    def chunks():  # no Content-Length: the limit is enforced while reading
        for _ in range(10):
            yield b" " * 500

    streamed = client.post("/api/ingest", content=chunks(), headers={"content-type": "application/json"})
    assert streamed.status_code == 413 and streamed.json()["error"]["code"] == "payload_too_large"
    assert client.post("/api/ingest", json=RECORD).status_code == 201  # under the limit
