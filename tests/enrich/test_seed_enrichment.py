"""Entities and quotes on the two real seed pages, through `rasd ingest` and `rasd export`
(expectations of the entities issue, section 5)."""
from __future__ import annotations

import json

import pytest

from rasd.cli import main


def _export(seeds_dir, db_path, capsys) -> dict[str, dict]:
    assert main(["ingest", str(seeds_dir), "--db", db_path, "-q"]) == 0
    capsys.readouterr()
    assert main(["export", "--db", db_path]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    return {row["title"][:12]: row for row in rows}


@pytest.fixture
def articles(seeds_dir, db_path, capsys):
    return _export(seeds_dir, db_path, capsys)


def _names(article: dict, type_: str) -> set[str]:
    return {e["name"] for e in article["entities"] if e["type"] == type_}


def _quotes(article: dict, speaker: str, kind: str | None = None) -> list[dict]:
    return [q for q in article["quotes"] if q["speaker"] == speaker and (kind is None or q["kind"] == kind)]


def _has_quote(quotes: list[dict], start: str) -> bool:
    return any(q["text"].lstrip("«“\" ").startswith(start) for q in quotes)


def test_putin_article_entities(articles):
    a = articles["بوتين: الاتص"]
    people = _names(a, "PER")
    for name in ("فلاديمير بوتين", "سيرغي لافروف", "دونالد ترامب", "نعمان قورتولموش", "فالنتينا ماتفيينكو"):
        assert name in people, (name, people)
    places = _names(a, "LOC")
    for name in ("روسيا", "أوكرانيا", "واشنطن", "إسطنبول", "الرياض", "أنقرة", "تركيا", "البحر الأسود"):
        assert name in places, (name, places)


def test_putin_article_quotes(articles):
    a = articles["بوتين: الاتص"]
    putin = _quotes(a, "فلاديمير بوتين", "direct")
    for start in ("جميعنا نرى", "النخب الغربية تسعى", "النخب الغربية عازمة"):
        assert _has_quote(putin, start), (start, putin)
    assert _has_quote(_quotes(a, "فلاديمير بوتين", "indirect"), "روسيا ستدافع")
    assert _has_quote(_quotes(a, "سيرغي لافروف", "direct"), "سيناقش دبلوماسيونا")
    kurtulmus = _quotes(a, "نعمان قورتولموش", "direct")
    for start in ("الحرب التي دخلت عامها الرابع", "تركيا كونها جارة", "قامت بتسهيل عملية تبادل الأسرى"):
        assert _has_quote(kurtulmus, start), (start, kurtulmus)


def test_kremlin_article(articles):
    a = articles["الكرملين: رو"]
    people = _names(a, "PER")
    for name in ("ديمتري بيسكوف", "دونالد ترامب", "فولوديمير زيلينسكي", "فلاديمير بوتين"):
        assert name in people, (name, people)
    trump = _quotes(a, "دونالد ترامب", "direct")
    assert _has_quote(trump, "ستبدأ كلتاهما") and any(q["medium"] == "تروث سوشيال" for q in trump)
    zelensky = _quotes(a, "فولوديمير زيلينسكي", "direct")
    assert _has_quote(zelensky, "منذ بداية اليوم") and any(q["medium"] == "تلغرام" for q in zelensky)
    assert _has_quote(zelensky, "وقف أي ضربات")
    assert _has_quote(_quotes(a, "ديمتري بيسكوف", "indirect"), "موقف إدارة")


def test_trump_is_one_entity_across_spellings(articles, db_path, capsys):
    # "ترامب" in the first article, "ترمب" in the second: one entity.
    assert main(["entity", "ترمب", "--db", db_path, "--format", "json"]) == 0
    entity = json.loads(capsys.readouterr().out)
    assert entity["name"] == "دونالد ترامب"
    assert len({a["id"] for a in entity["articles"]}) == 2
    assert main(["entities", "--type", "PER", "--db", db_path, "--format", "json"]) == 0
    top = json.loads(capsys.readouterr().out)
    assert top[0]["name"] == "فلاديمير بوتين"


def test_content_site_article_quotes_are_putins(articles):
    a = articles["بوتين يعلن ا"]
    assert a["quotes"] and all(q["kind"] == "indirect" for q in a["quotes"])
    assert all(q["speaker"] == "فلاديمير بوتين" for q in a["quotes"])
    assert len(a["quotes"]) >= 5


def test_quotes_command_filters_by_speaker(articles, db_path, capsys):
    assert main(["quotes", "--speaker", "زيلنسكي", "--db", db_path, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and all(r["speaker"] == "فولوديمير زيلينسكي" for r in rows)
