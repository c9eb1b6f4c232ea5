"""Outlet comparison (what each outlet adds to a story, what it omits) on the sample corpus."""
from __future__ import annotations

import json

import pytest

from rasd.records import Quote, StoryDoc
from rasd.stories.compare import compare_outlets, format_comparison
from rasd.stories.summary import outlet_key



@pytest.fixture(scope="module")
def comparisons(stories):
    return {sid: compare_outlets(docs) for sid, docs in stories.items()}


def row_of(rows: list[dict], docs: list[StoryDoc], prefix: str) -> dict:
    doc = next(d for d in docs if d.file.startswith(prefix))
    return next(r for r in rows if doc.article_id in r["articles"])


def _texts(items: list[dict]) -> list[str]:
    return [i["text"] for i in items]


@pytest.mark.parametrize("story", ["gulf-talks", "opec-cut", "arab-cup-final", "arabic-llm",
                                   "iraq-vaccination", "nabeul-floods", "food-summit"])
def test_rows_cover_every_article_once(stories, comparisons, story):
    docs, rows = stories[story], comparisons[story]
    ids = [a for r in rows for a in r["articles"]]
    assert sorted(ids) == sorted(d.article_id for d in docs)
    assert len(rows) == len({outlet_key(d.outlet) for d in docs})
    by_id = {d.article_id: d for d in docs}
    for row in rows:
        assert set(row) == {"outlet", "articles", "adds", "omits"}
        assert set(row["adds"]) == {"sentences", "quotes", "entities"}
        assert set(row["omits"]) == {"entities", "quotes"}
        assert len(row["adds"]["sentences"]) <= 5
        for s in row["adds"]["sentences"]:
            assert s["article_id"] in row["articles"] and s["text"] in by_id[s["article_id"]].body
        for q in row["adds"]["quotes"]:
            assert q["article_id"] in row["articles"] and q["text"] in by_id[q["article_id"]].body
        # What it adds, it has; what it omits, it lacks.
        own_names = {by_id[a].entity_names.get(k) for a in row["articles"] for k in by_id[a].entities}
        assert set(row["adds"]["entities"]) <= own_names
        assert not set(row["omits"]["entities"]) & own_names
    json.dumps(rows, ensure_ascii=False)


def test_syndicated_copies_add_nothing(stories, comparisons):
    docs, rows = stories["opec-cut"], comparisons["opec-cut"]
    # The wire, and nabd's copy of it (months renamed حزيران/تموز), and alsahel's (Indic digits).
    for prefix in ("feeds/wire.jsonl", "txt/nabd_002", "txt/alsahel_002"):
        row = row_of(rows, docs, prefix)
        assert row["adds"]["sentences"] == [], (prefix, row["adds"]["sentences"])
        assert row["adds"]["quotes"] == []


def test_copy_with_a_changed_paragraph_omits_its_quote(stories, comparisons):
    # alsahel_002 cut "مضيفاً أن توقيته «جاء مفاجئاً لكثير من المتعاملين»", which the wire,
    # iqtisadiya and nabd (3 of the 6 other outlets) all carry.
    row = row_of(comparisons["opec-cut"], stories["opec-cut"], "txt/alsahel_002")
    omitted = _texts(row["omits"]["quotes"])
    assert any("جاء مفاجئاً" in t for t in omitted)
    assert not any("يبعث برسالة واضحة" in t for t in omitted)  # it has that one
    wire = row_of(comparisons["opec-cut"], stories["opec-cut"], "feeds/wire.jsonl")
    assert wire["omits"]["quotes"] == []


def test_outlet_with_unique_quotes_and_facts(stories, comparisons):
    docs, rows = stories["opec-cut"], comparisons["opec-cut"]
    fajr = row_of(rows, docs, "txt/alfajr_002")
    # Only الفجر quotes the Gulf bank analyst ليلى فرحات and gives the Brent intraday figures.
    assert any(t.startswith("السوق كانت تسعّر زيادات") for t in _texts(fajr["adds"]["quotes"]))
    assert any("68.40" in t for t in _texts(fajr["adds"]["sentences"]))
    # ... and it leaves out the member list most outlets print.
    assert "العراق" in fajr["omits"]["entities"]
    atlas = row_of(rows, docs, "txt/alatlas_001")
    # Only الأطلس gives Algeria's share of the cut.
    assert any("12 ألف برميل" in t for t in _texts(atlas["adds"]["sentences"]))


def test_unique_quote_with_known_speaker(stories, comparisons):
    row = row_of(comparisons["gulf-talks"], stories["gulf-talks"], "txt/nabd_001")
    lavrov = [q for q in row["adds"]["quotes"] if q["speaker"] == "سيرغي لافروف"]
    assert any(q["text"].startswith("لقد اتفقنا على خطوات محددة") for q in lavrov)
    # Trump's "جيدة جداً" is reported by nabd and alnahar alike: shared, not an addition.
    assert not any("جيدة جداً" in t for t in _texts(row["adds"]["quotes"]))


@pytest.mark.parametrize("story,prefix", [("arabic-llm", "txt/trend_001"), ("food-summit", "txt/trend_002")])
def test_content_farm_adds_nothing(stories, comparisons, story, prefix):
    row = row_of(comparisons[story], stories[story], prefix)
    adds = row["adds"]
    assert len(adds["sentences"]) + len(adds["quotes"]) <= 1, adds
    assert adds["entities"] == []


def test_original_report_adds_its_own_details(stories, comparisons):
    # tech_001 is the original of the Nibras story: its benchmark history (2023) and CEO quote
    # are in no other outlet.
    row = row_of(comparisons["arabic-llm"], stories["arabic-llm"], "html/tech_001")
    assert any("2023" in t for t in _texts(row["adds"]["sentences"]))
    assert any(t.startswith("أردنا نموذجاً") for t in _texts(row["adds"]["quotes"]))


def test_synthetic_adds_and_omits():
    def doc(aid, outlet, body, quotes=()):
        return StoryDoc(aid, "عنوان", body, "2025-01-01", outlet, entities={}, quotes=list(quotes))

    shared = "أعلنت الحكومة خطة جديدة لإصلاح شبكة الطرق في عشر محافظات خلال ثلاث سنوات."
    extra = "وقال الوزير سامر الخطيب إن كلفة الخطة تبلغ 450 مليون دينار تمول من الموازنة العامة."
    fluff = "ويرى كثير من المتابعين أن هذه الخطوة مهمة جداً وتأتي في وقت حساس وتعكس اهتماماً كبيراً بالمواطن."
    q_text = "كلفة الخطة تبلغ 450 مليون دينار تمول من الموازنة العامة"
    start = (shared + "\n" + extra).index(q_text)
    quote = Quote(q_text, "indirect", start, start + len(q_text), speaker="سامر الخطيب", speaker_key="PER:سامر الخطيب")
    docs = [
        doc("a", "أ", shared + "\n" + extra, [quote]),
        doc("b", "ب", shared),
        doc("c", "ج", shared + "\n" + fluff),
    ]
    docs[0].entities = {"PER:سامر الخطيب": 1, "LOC:عمان": 1}
    docs[1].entities = {"LOC:عمان": 1}
    docs[2].entities = {"LOC:عمان": 1}
    for d in docs:
        d.entity_names = {"PER:سامر الخطيب": "سامر الخطيب", "LOC:عمان": "عمان"}
    rows = {r["outlet"]: r for r in compare_outlets(docs)}
    assert _texts(rows["أ"]["adds"]["sentences"]) == [extra]
    assert rows["أ"]["adds"]["quotes"][0]["speaker"] == "سامر الخطيب"
    assert rows["أ"]["adds"]["entities"] == ["سامر الخطيب"]
    assert rows["ب"]["adds"] == {"sentences": [], "quotes": [], "entities": []}
    assert rows["ج"]["adds"]["sentences"] == []  # generic prose: nothing checkable
    # Of ب's two other outlets, one (half) has the minister and his quote: ب omits them.
    assert rows["ب"]["omits"]["entities"] == ["سامر الخطيب"]
    assert _texts(rows["ب"]["omits"]["quotes"]) == [q_text]
    assert rows["أ"]["omits"] == {"entities": [], "quotes": []}


def test_format_comparison(stories, comparisons):
    rows = comparisons["opec-cut"]
    text = format_comparison(rows)
    assert isinstance(text, str) and text.endswith("\n")
    for row in rows:
        assert f"■ {row['outlet']}" in text
    assert "ينفرد بـ: لا شيء" in text  # the wire and its copies
    assert "يغفل ما ذكره معظم الآخرين" in text
    assert format_comparison([]).strip()
