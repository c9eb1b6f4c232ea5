"""Rendering helpers: highlighted bodies, snippets, the chart, dates (pure functions)."""
from __future__ import annotations

from markupsafe import Markup

from rasd.api.queries import mention_timeline
from rasd.records import Mention, Quote
from rasd.web.render import (
    ar_count,
    ar_date,
    bar_chart_svg,
    highlight_body,
    query_string,
    safe_url,
    snippet_html,
)

BODY = "قال ترامب إن «المحادثات <b>جيدة</b>» جداً.\n\nوأكد بوتين الأمر."


def _mention(surface: str, key: str, start: int | None = None) -> Mention:
    start = BODY.index(surface) if start is None else start
    return Mention(start=start, end=start + len(surface), surface=surface, entity_key=key, type="PER")


def test_highlight_body_wraps_quotes_and_mentions_and_escapes():
    quote_text = "المحادثات <b>جيدة</b>"
    q_start = BODY.index(quote_text)
    quote = Quote(text=quote_text, kind="direct", start=q_start, end=q_start + len(quote_text), speaker="دونالد ترامب")
    html = highlight_body(
        BODY, [_mention("ترامب", "PER:ترامب"), _mention("بوتين", "PER:بوتين")], [quote],
        {"PER:ترامب": "دونالد ترامب", "PER:بوتين": "فلاديمير بوتين"},
    )  # fmt: skip
    assert isinstance(html, Markup)
    assert html.count("<p>") == 2  # paragraphs kept
    assert '<span class="quote quote-direct" id="q-0"' in html
    assert "المحادثات &lt;b&gt;جيدة&lt;/b&gt;</span>" in html and "<b>" not in html
    assert 'href="/entities/%D8%AF%D9%88%D9%86%D8%A7%D9%84%D8%AF%20%D8%AA%D8%B1%D8%A7%D9%85%D8%A8"' in html
    assert ">بوتين</a>" in html


def test_highlight_body_skips_stale_offsets_and_survives_overlaps():
    stale = Mention(start=0, end=3, surface="بوتين", entity_key="PER:x", type="PER")  # text does not match
    out_of_range = Quote(text="x", kind="direct", start=500, end=510)
    overlapping = [_mention("ترامب", "PER:a"), Mention(start=BODY.index("ترامب") + 1, end=BODY.index("ترامب") + 4,
                                                      surface=BODY[BODY.index("ترامب") + 1 : BODY.index("ترامب") + 4],
                                                      entity_key="PER:b", type="PER")]  # fmt: skip
    html = highlight_body(BODY, [stale, *overlapping], [out_of_range], {})
    assert html.count('class="mention') == 1 and "quote" not in html
    plain = str(highlight_body(BODY, [], [], {}))
    assert plain.startswith("<p>قال ترامب") and "<a" not in plain and "<span" not in plain


def test_quote_across_paragraphs_is_closed_and_reopened():
    body = "قال: «أولاً\n\nثانياً»"
    quote = Quote(text="أولاً\n\nثانياً", kind="direct", start=body.index("أولاً"), end=body.index("»"))
    html = str(highlight_body(body, [], [quote], {}))
    assert html.count('<span class="quote') == 2 and html.count("</span>") == 2


def test_snippet_html():
    assert snippet_html("a <b> \x02ترمب\x03 & \x02x") == Markup("a &lt;b&gt; <mark>ترمب</mark> &amp; x")
    assert snippet_html(None) == Markup("")


def test_mention_timeline_buckets():
    days = mention_timeline([("2025-03-03T10:00", 2), ("2025-03-05", 4), (None, 1)])
    assert days["unit"] == "day" and [p["mentions"] for p in days["periods"]] == [2, 0, 4] and days["undated"] == 1
    months = mention_timeline([("2025-01-18", 1), ("2025-12-08T09:00+03:00", 3)])
    assert months["unit"] == "month" and len(months["periods"]) == 12 and months["periods"][-1]["mentions"] == 3
    years = mention_timeline([("2001-01-01", 1), ("2025-06-01", 1)])
    assert years["unit"] == "year" and len(years["periods"]) == 25
    assert mention_timeline([]) == {"unit": "month", "periods": [], "undated": 0}


def test_bar_chart_svg():
    svg = bar_chart_svg(mention_timeline([("2025-03-03", 2), ("2025-03-05", 4)]))
    assert svg.startswith("<svg") and svg.count("<rect") == 3 and "مارس 2025" in svg
    assert bar_chart_svg({"periods": []}) == Markup("")


def test_small_helpers():
    assert ar_date("2025-11-18T12:30") == "18 نوفمبر 2025، 12:30"
    assert ar_date("2025-11") == "نوفمبر 2025" and ar_date(None) == "—" and ar_date("أمس") == "أمس"
    assert safe_url("javascript:alert(1)") is None and safe_url("https://x.org/a") == "https://x.org/a"
    assert query_string({"q": "ترمب", "outlet": ""}, page=2) == "?q=%D8%AA%D8%B1%D9%85%D8%A8&page=2"


def test_ar_count_agrees_the_noun_with_the_number():
    assert ar_count(1, "مقالات") == "مقال واحد"
    assert ar_count(2, "مصادر") == "مصدران"
    assert ar_count(5, "نتائج") == "5 نتائج"
    assert ar_count(10, "مقالات") == "10 مقالات"
    assert ar_count(12, "مقالات") == "12 مقالاً"
    assert ar_count(100, "مقالات") == "100 مقال"
    assert ar_count(103, "إشارات") == "103 إشارات"
    assert ar_count(0, "نتائج") == "0 نتائج"
    assert ar_count(7, "أشياء") == "7 أشياء"  # unknown noun: left as it is
