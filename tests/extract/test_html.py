"""HTML pages: trafilatura main text + metadata, then the Arabic segmentation."""
from __future__ import annotations

import json

from rasd.extract import extract_page
from rasd.records import RawPage

PAGE = """<!doctype html>
<html lang="ar" dir="rtl"><head>
<title>افتتاح معرض الكتاب الدولي بمشاركة 900 دار نشر | جريدة المساء</title>
<meta property="og:title" content="افتتاح معرض الكتاب الدولي بمشاركة 900 دار نشر">
<meta property="og:site_name" content="جريدة المساء">
<meta name="author" content="سلمى الحداد">
<meta property="article:published_time" content="2025-05-14T09:30:00+03:00">
<link rel="canonical" href="https://www.almasaa.example/culture/book-fair-2025">
</head><body>
<header><nav><a href="/">الرئيسية</a> <a href="/politics">سياسة</a> <a href="/culture">ثقافة</a></nav></header>
<aside><h3>الأكثر قراءة</h3><ul><li><a href="/a">ارتفاع أسعار الذهب في الأسواق المحلية</a></li>
<li><a href="/b">منتخب الشباب يتأهل إلى النهائي</a></li></ul></aside>
<article>
<h1>افتتاح معرض الكتاب الدولي بمشاركة 900 دار نشر</h1>
<p>افتتح وزير الثقافة صباح اليوم الدورة الثلاثين من معرض الكتاب الدولي، بمشاركة تسعمئة دار نشر من اثنتين وثلاثين دولة، وسط إقبال كبير من الزوار في ساعاته الأولى.</p>
<p>وقال الوزير في كلمة الافتتاح إن المعرض «أصبح موعداً سنوياً ينتظره القراء والناشرون»، مشيراً إلى أن برنامج هذا العام يتضمن أكثر من مئتي ندوة وأمسية شعرية.</p>
<p>وأوضحت إدارة المعرض أن أبوابه ستبقى مفتوحة حتى نهاية الشهر، من العاشرة صباحاً حتى العاشرة مساءً، مع تخصيص جناح خاص لكتب الأطفال.</p>
</article>
<footer>جميع الحقوق محفوظة لجريدة المساء 2025 — شارك: فيسبوك تويتر واتساب</footer>
</body></html>"""


def test_html_page_main_text_and_metadata():
    page = RawPage(source="book-fair.html", kind="html", content=PAGE)
    [article] = extract_page(page)
    assert article.title == "افتتاح معرض الكتاب الدولي بمشاركة 900 دار نشر"
    assert article.published == "2025-05-14T09:30+03:00"  # the meta tag keeps the time of day
    assert article.author == "سلمى الحداد"
    assert article.outlet == "جريدة المساء"
    assert article.url == "https://www.almasaa.example/culture/book-fair-2025"
    assert article.body.startswith("افتتح وزير الثقافة صباح اليوم")
    assert article.body.endswith("جناح خاص لكتب الأطفال.")
    for noise in ("الأكثر قراءة", "ارتفاع أسعار الذهب", "جميع الحقوق محفوظة", "فيسبوك"):
        assert noise not in article.body


def test_trafilatura_arabic_eval_page(shared):
    folder = shared("data", "trafilatura-eval-arabic")
    gold = next(iter(json.loads((folder / "evaldata_arabic.json").read_text(encoding="utf-8")).values()))
    html = (folder / gold["file"]).read_bytes()
    from rasd.ingest import read_bytes_as_pages

    [page] = [p for p in read_bytes_as_pages(html, gold["file"], name_hint=gold["file"]) if isinstance(p, RawPage)]
    [article] = extract_page(page)
    assert article.title and article.title.split()[:3] == gold["title"].split()[:3]
    for snippet in gold["with"]:
        assert snippet in article.body, snippet
    for snippet in gold["without"]:
        assert snippet not in article.body, snippet
