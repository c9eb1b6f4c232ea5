"""The story record (headline, summary, timeline, outlets, entities, quotes) on the
sample corpus stories, built from extracted + enriched articles and the gold story labels."""
from __future__ import annotations

import dataclasses
import json
import time
from datetime import datetime, timezone

import pytest

from rasd.records import Lineage, StoryDoc
from rasd.stories.compare import compare_outlets
from rasd.stories.summary import build_story, content_stems, jaccard, outlet_key, to_dict

STORIES = ("gulf-talks", "opec-cut", "arab-cup-final", "arabic-llm", "iraq-vaccination", "nabeul-floods", "food-summit")


@pytest.fixture(scope="module")
def records(stories):
    return {sid: build_story(sid, docs) for sid, docs in stories.items()}


def by_file(docs: list[StoryDoc], prefix: str) -> StoryDoc:
    return next(d for d in docs if d.file.startswith(prefix))


def _instant(published: str) -> tuple:
    """Independent check of the timeline order: UTC when an offset is given, a date-only
    value after the timed ones of its day."""
    if len(published) <= 10:
        return (published, 1, "")
    moment = datetime.fromisoformat(published)
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return (moment.date().isoformat(), 0, moment.time().isoformat())


def test_sample_has_the_seven_stories(stories):
    assert set(stories) == set(STORIES)
    assert len(stories["opec-cut"]) == 7


# ---------------------------------------------------------------------------
# opec-cut in detail


def test_opec_headline_is_one_of_its_titles(stories, records):
    record = records["opec-cut"]
    titles = {d.title for d in stories["opec-cut"]}
    assert record.headline in titles
    # The central title is the wire's «أوبك+» تقرر خفضاً طوعياً ... carried by four outlets,
    # not the Algerian angle or the price angle.
    assert record.headline.startswith("«أوبك+» تقرر خفضاً طوعياً")


def test_opec_summary(stories, records):
    docs = {d.article_id: d for d in stories["opec-cut"]}
    record = records["opec-cut"]
    assert 3 <= len(record.summary) <= 5
    assert len(record.summary_sources) == len(record.summary)
    outlets = {outlet_key(docs[a].outlet) for a in record.summary_sources}
    assert len(outlets) >= 2
    for sentence, source in zip(record.summary, record.summary_sources):
        assert sentence in docs[source].body  # extractive, verbatim
        assert 6 <= len(sentence.split()) <= 60
    stems = [set(content_stems(s)) for s in record.summary]
    for i in range(len(stems)):
        for j in range(i + 1, len(stems)):
            assert jaccard(stems[i], stems[j]) < 0.6, (record.summary[i], record.summary[j])


def test_opec_summary_credits_the_original_not_a_copy(stories, records):
    # The wire's lead is copied word for word by iqtisadiya and nabd (months renamed)
    # and alsahel (Indic digits): when a copied sentence is picked, the wire is its source.
    wire = by_file(stories["opec-cut"], "feeds/wire.jsonl")
    record = records["opec-cut"]
    for sentence, source in zip(record.summary, record.summary_sources):
        if sentence.startswith("قررت ثماني دول"):
            assert source == wire.article_id


def test_opec_timeline_outlets_and_dates(stories, records):
    record = records["opec-cut"]
    timeline = record.timeline
    assert [t["article_id"] for t in timeline].count(timeline[0]["article_id"]) == 1
    assert len(timeline) == 7
    # The wire (Sunday evening, +03:00) comes first, the dailies of Monday after.
    wire = by_file(stories["opec-cut"], "feeds/wire.jsonl")
    assert timeline[0]["article_id"] == wire.article_id
    assert record.first_seen == wire.published
    assert record.last_seen.startswith("2025-04-28")
    assert [row["articles"] for row in record.outlets] == [1] * 7
    assert {row["outlet"] for row in record.outlets} == {d.outlet for d in stories["opec-cut"]}
    assert all(set(t) == {"article_id", "published", "outlet", "title"} for t in timeline)


def test_opec_syndicated_quote_collapses(stories, records):
    record = records["opec-cut"]
    hits = [
        (speaker, q)
        for speaker in record.quotes_by_speaker
        for q in speaker["quotes"]
        if "يبعث برسالة واضحة" in q["text"]
    ]
    assert len(hits) == 1, hits  # one entry for the wire and its three copies
    _, quote = hits[0]
    wire = by_file(stories["opec-cut"], "feeds/wire.jsonl")
    assert quote["article_id"] == wire.article_id  # shown from the earliest report
    expected = {by_file(stories["opec-cut"], p).outlet for p in ("feeds/wire", "txt/iqtisadiya", "txt/nabd", "txt/alsahel")}
    assert set(quote["outlets"]) == expected
    assert len(quote["outlets"]) == len(set(quote["outlets"]))
    # ... and the Algerian expert's quotes, which only alatlas has, stay single.
    solo = [q for s in record.quotes_by_speaker for q in s["quotes"] if "سيدعم إيرادات" in q["text"]]
    assert len(solo) == 1 and len(solo[0]["outlets"]) == 1


def test_opec_entities(records):
    entities = records["opec-cut"].entities
    assert 0 < len(entities) <= 15
    assert entities[0]["name"] == "أوبك+" and entities[0]["articles"] == 7
    keys = [(-e["articles"], -e["mentions"]) for e in entities]
    assert keys == sorted(keys)
    assert all(set(e) == {"key", "name", "type", "articles", "mentions"} for e in entities)


# ---------------------------------------------------------------------------
# Every story


@pytest.mark.parametrize("story", STORIES)
def test_story_record_invariants(stories, records, story):
    docs = stories[story]
    record = records[story]
    by_id = {d.article_id: d for d in docs}

    assert record.headline in {d.title for d in docs}
    assert 3 <= len(record.summary) <= 5
    assert len({outlet_key(by_id[a].outlet) for a in record.summary_sources}) >= 2
    for sentence, source in zip(record.summary, record.summary_sources):
        assert sentence in by_id[source].body
    stems = [set(content_stems(s)) for s in record.summary]
    assert all(jaccard(a, b) < 0.6 for i, a in enumerate(stems) for b in stems[i + 1 :])
    # Reading order: by article in the timeline, then by position in the article.
    rank = {t["article_id"]: i for i, t in enumerate(record.timeline)}
    order = [(rank[a], by_id[a].body.index(s)) for s, a in zip(record.summary, record.summary_sources)]
    assert order == sorted(order)

    # Timeline: every article once, dated by time, undated last in ingest order.
    assert sorted(t["article_id"] for t in record.timeline) == sorted(by_id)
    dated = [t for t in record.timeline if t["published"]]
    undated = [t for t in record.timeline if not t["published"]]
    assert record.timeline == dated + undated
    instants = [_instant(t["published"]) for t in dated]
    assert instants == sorted(instants)
    assert [by_id[t["article_id"]].seq for t in undated] == sorted(by_id[t["article_id"]].seq for t in undated)
    assert record.first_seen == dated[0]["published"] and record.last_seen == dated[-1]["published"]

    # Outlets: every article counted once, most articles first.
    assert sum(row["articles"] for row in record.outlets) == len(docs)
    counts = [row["articles"] for row in record.outlets]
    assert counts == sorted(counts, reverse=True)

    # Entities: at most 15, by articles then mentions, counts consistent with the docs.
    assert len(record.entities) <= 15
    for e in record.entities:
        assert e["articles"] == sum(1 for d in docs if d.entities.get(e["key"], 0) > 0)
        assert e["mentions"] == sum(d.entities.get(e["key"], 0) for d in docs)

    # Quotes: speakers by number of quotes, unattributed last; every quote from the story.
    named = [s for s in record.quotes_by_speaker if s["speaker"] is not None]
    assert [len(s["quotes"]) for s in named] == sorted((len(s["quotes"]) for s in named), reverse=True)
    assert all(s["speaker"] is not None for s in record.quotes_by_speaker[: len(named)])
    for speaker in record.quotes_by_speaker:
        for q in speaker["quotes"]:
            assert q["article_id"] in by_id and q["text"] in by_id[q["article_id"]].body
            assert q["outlet"] == by_id[q["article_id"]].outlet
            assert {"text", "kind", "medium", "article_id", "outlet", "outlets"} <= set(q)

    json.dumps(to_dict(record), ensure_ascii=False)  # plain data


def test_glued_article_counts_for_its_page_outlet(stories, records):
    # alfajr_001 carries a glued second article (the Kremlin reaction), extracted with the
    # short outlet name "الفجر": it is still صحيفة الفجر, with two articles.
    rows = {outlet_key(r["outlet"]): r for r in records["gulf-talks"].outlets}
    assert rows[outlet_key("صحيفة الفجر")]["articles"] == 2
    assert records["gulf-talks"].outlets[0]["articles"] == 2
    assert len(records["gulf-talks"].outlets) == 6


def test_gulf_talks_quotes_grouped_by_speaker(records):
    speakers = {s["speaker_key"]: s for s in records["gulf-talks"].quotes_by_speaker if s["speaker_key"]}
    zelensky = speakers["PER:فولوديمير زيلينسكي"]
    # Reported by four outlets under two spellings (زيلينسكي / زيلنسكي), one speaker.
    outlets = {o for q in zelensky["quotes"] for o in q["outlets"]}
    assert len(outlets) >= 4
    assert records["gulf-talks"].quotes_by_speaker[0]["speaker_key"] == "PER:فولوديمير زيلينسكي"


def test_content_farm_is_undated_and_last(stories, records):
    farm = by_file(stories["arabic-llm"], "txt/trend_001")
    assert farm.published is None
    assert records["arabic-llm"].timeline[-1]["article_id"] == farm.article_id


# ---------------------------------------------------------------------------
# Small synthetic cases


def _doc(aid: str, title: str | None, body: str, published: str | None, outlet: str | None, seq: int) -> StoryDoc:
    return StoryDoc(article_id=aid, title=title, body=body, published=published, outlet=outlet, seq=seq)


def test_time_order_offsets_date_only_and_undated():
    docs = [
        _doc("undated-late", "ع", "نص.", None, "أ", 5),
        _doc("date-only", "ع", "نص.", "2025-03-03", "ب", 1),
        _doc("evening-local", "ع", "نص.", "2025-03-03T18:40+03:00", "ج", 2),  # 15:40 UTC
        _doc("afternoon", "ع", "نص.", "2025-03-03T16:00", "د", 3),
        _doc("undated-early", "ع", "نص.", None, "هـ", 0),
        _doc("previous-day", "ع", "نص.", "2025-03-02T23:00", "و", 4),
    ]
    record = build_story("t", docs)
    assert [t["article_id"] for t in record.timeline] == [
        "previous-day", "evening-local", "afternoon", "date-only", "undated-early", "undated-late",
    ]
    assert record.first_seen == "2025-03-02T23:00"
    assert record.last_seen == "2025-03-03"


def test_lineage_kind_in_timeline():
    docs = [
        _doc("a", "عنوان أول", "جملة أولى طويلة بما يكفي لتكون في الملخص هنا.", "2025-01-01", "أ", 0),
        _doc("b", "عنوان ثان", "جملة ثانية طويلة بما يكفي لتكون في الملخص هنا.", "2025-01-02", "ب", 1),
    ]
    record = build_story("s", docs, lineage={"a": "original", "b": Lineage("b", "copy", 0.0, "a")})
    assert [t.get("kind") for t in record.timeline] == ["original", "copy"]
    assert "kind" not in build_story("s", docs).timeline[0]
    assert "kind" not in build_story("s", docs, lineage={"a": "original"}).timeline[1]


def test_headline_tie_goes_to_the_earliest():
    # Same content words (only a function word differs): equal scores, the earlier one wins.
    body = "أعلنت الحكومة خطة جديدة للنقل العام في العاصمة تشمل خطوطاً إضافية."
    docs = [
        _doc("late", "الحكومة تعلن خطة النقل العام في العاصمة", body, "2025-05-02", "أ", 0),
        _doc("early", "الحكومة تعلن خطة النقل العام بالعاصمة", body, "2025-05-01", "ب", 1),
    ]
    assert build_story("h", docs).headline == "الحكومة تعلن خطة النقل العام بالعاصمة"


def test_small_and_empty_stories():
    empty = build_story("e", [])
    assert empty.headline == "" and empty.summary == [] and empty.timeline == [] and empty.first_seen is None
    one = build_story("o", [_doc("x", None, "خبر قصير.", "bad date", None, 0)])
    assert one.headline == "خبر قصير."  # no title: the lead stands in
    assert one.summary == ["خبر قصير."]  # fewer than 3: the story has only one sentence
    assert one.outlets == [{"outlet": None, "articles": 1, "first": None}]
    assert one.first_seen is None


def test_quote_fragment_and_short_sentences_are_not_summarized():
    body = (
        "قال الوزير: «لن نتراجع عن هذه الخطة مهما كانت الضغوط الداخلية والخارجية علينا.\n"
        "وسنمضي فيها حتى النهاية مهما كلف الأمر ذلك من جهد ومال ووقت».\n"
        "شكراً جزيلاً.\n"
        "وأعلنت الوزارة إطلاق خطة وطنية لإصلاح شبكة الطرق في عشر محافظات خلال ثلاث سنوات.\n"
        "وتشمل الخطة إنشاء جسور جديدة وتوسيع الطرق السريعة بين المدن الكبرى في البلاد.\n"
        "ويتوقع أن توفر الخطة آلاف فرص العمل للشباب في قطاع البناء والمقاولات المحلية."
    )
    record = build_story("q", [_doc("x", "خطة الطرق", body, "2025-01-01", "أ", 0)])
    assert len(record.summary) == 3
    assert not any("النهاية" in s or "شكراً" in s for s in record.summary)


# ---------------------------------------------------------------------------
# Speed


def _fifty(stories) -> list[StoryDoc]:
    pool = [d for sid in STORIES for d in stories[sid]]
    return [
        dataclasses.replace(d, article_id=f"{d.article_id}-{i}", outlet=f"{d.outlet} {i % 9}", seq=i)
        for i, d in enumerate((pool * 2)[:50])
    ]


def test_fifty_article_story_is_fast(stories):
    docs = _fifty(stories)
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        record = build_story("big", docs)
        compare_outlets(docs)
        best = min(best, time.perf_counter() - start)
    print(f"build_story + compare_outlets, 50 articles: {best * 1000:.0f} ms")
    assert len(record.timeline) == 50 and 3 <= len(record.summary) <= 5
    assert best < 2.0  # ~0.1 s on a quiet machine: this only catches a quadratic regression
