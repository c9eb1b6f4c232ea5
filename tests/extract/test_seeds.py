"""The two real page dumps in ../shared/seeds, end to end: ingest, then export.

Expectations are the ones written in the foundation issue (section 8).
"""
from __future__ import annotations

import json

import pytest

from rasd.cli import main


@pytest.fixture
def exported(seeds_dir, db_path, capsys) -> dict[str, list[dict]]:
    assert main(["ingest", str(seeds_dir), "--db", db_path, "-q"]) == 0
    capsys.readouterr()
    assert main(["export", "--db", db_path]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    by_file: dict[str, list[dict]] = {}
    for row in rows:
        name = row["source"].replace("\\", "/").rsplit("/", 1)[-1]
        by_file.setdefault(name[:3], []).append(row)
    for articles in by_file.values():
        articles.sort(key=lambda r: r["position"])
    return by_file


def test_seed_000_main_article(exported):
    articles = exported["000"]
    assert len(articles) == 2
    a = articles[0]
    assert a["position"] == 0
    assert a["title"] == "بوتين: الاتصالات الأولية مع واشنطن تبعث على الأمل"
    assert a["published"] == "2025-02-28"
    assert "28th, February 2025" in a["published_raw"]
    assert "الاتحاد" in a["outlet"]
    assert a["dateline"] == "عواصم"
    assert "وكالات" in a["agencies"]
    assert a["tags"]
    assert a["body"].startswith("أعرب الرئيس الروسي فلاديمير بوتين أمس")
    assert a["body"].endswith("إلى البحر الأسود».")
    for noise in ("أخبار ذات صلة", "المصدر", "كلمات دلالية", "إقرأ أيضاً", "الكرملين: روسيا منفتحة"):
        assert noise not in a["body"], noise
    assert a["language"] == "ar"


def test_seed_000_glued_second_article(exported):
    b = exported["000"][1]
    assert b["position"] == 1
    assert b["title"] == "الكرملين: روسيا منفتحة على إيجاد تسوية للأزمة الأوكرانية"
    assert "المناطق" in b["outlet"]
    assert b["published"] in (None, "2025-04-21")
    assert b["body"].startswith("قال الكرملين، اليوم الاثنين")
    assert "وقال ترمب، أمس إنه يأمل" in b["body"]
    assert b["body"].endswith("لمدة لا تقل عن 30 يوماً».")
    for noise in ("أخبار قد تهمك", "11:04", "زيلينسكي يتهم روسيا بتكثيف هجماتها"):
        assert noise not in b["body"], noise
    assert len(b["related"]) == 2
    assert all(r["published"].startswith("2025-04-20") for r in b["related"])
    assert b["related"][0]["title"].startswith("الكرملين: بوتين لم يأمر بتمديد الهدنة")
    assert b["related"][1]["title"].startswith("زيلينسكي يتهم روسيا بتكثيف هجماتها")


def test_seed_001_content_site(exported):
    articles = exported["001"]
    assert len(articles) == 1
    a = articles[0]
    assert a["title"] == (
        "بوتين يعلن استعداد روسيا لجولة جديدة من مفاوضات السلام مع أوكرانيا"
        " ويشير إلى تحسن العلاقات مع الولايات المتحدة"
    )
    assert a["published"] is None
    assert a["author"] == "admin"
    assert a["section"] == "سياسة"
    assert a["body"].startswith("أعلن الرئيس الروسي فلاديمير بوتين في تصريحات رسمية")
    assert a["body"].endswith("فرص الأمن والسلم الدوليين.")
    for noise in ("أخبار عاجلة", "الرئيسية", "عن admin", "شاهد أيضاً", "وزير خارجية تركيا"):
        assert noise not in a["body"], noise
    assert len(a["related"]) == 1
    assert a["related"][0]["title"].startswith("وزير خارجية تركيا يؤكد في افتتاح محادثات موسكو وكييف")


def test_show_displays_removed_boilerplate(exported, db_path, capsys):
    article_id = exported["001"][0]["id"]
    assert main(["show", article_id, "--db", db_path]) == 0
    out = capsys.readouterr().out
    assert "removed from the page" in out
    assert "عن admin" in out and "أخبار عاجلة" in out
    assert "related" in out


def test_reingest_is_idempotent(seeds_dir, db_path, capsys):
    assert main(["ingest", str(seeds_dir), "--db", db_path, "-q"]) == 0
    first = capsys.readouterr().out
    assert "articles stored: 3" in first
    assert main(["ingest", str(seeds_dir), "--db", db_path, "-q"]) == 0
    second = capsys.readouterr().out
    assert "articles stored: 0" in second and "skipped duplicates: 2" in second
