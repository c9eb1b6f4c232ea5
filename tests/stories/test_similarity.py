"""Story similarity: signals, learnt weights, and the text-pair entry point."""
from __future__ import annotations

import json
from dataclasses import replace
from itertools import combinations

import pytest

from rasd.records import StoryDoc
from rasd.stories.evaluate import sample_story_docs
from rasd.stories.features import DocumentFrequencies, analyze, parse_time
from rasd.stories.similarity import (
    DEFAULT_PATH,
    FEATURES,
    SIGNALS,
    StorySimilarity,
    similarity_of_texts,
    text_story_doc,
)


@pytest.fixture(scope="module")
def sim() -> StorySimilarity:
    return StorySimilarity.load()


@pytest.fixture(scope="module")
def sample(sim):
    docs, labels, keys = sample_story_docs(with_keys=True)
    df = DocumentFrequencies()
    analyses = [analyze(d) for d in docs]
    for a in analyses:
        df.add(a)
    vectors = {k: sim.vectorize(a, df) for k, a in zip(keys, analyses)}
    return vectors, dict(zip(keys, labels))


def test_shipped_weights_are_learnt(sim):
    data = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    assert data["features"] == list(FEATURES)
    assert data["trained"]["script"] == "bench/train_similarity.py"
    assert set(sim.weights) == set(FEATURES)
    # the text signals all push towards "same story"
    for name in ("body", "lead", "title", "title_chars", "entities", "date"):
        assert sim.weights[name] > 0, name


def test_scores_are_probabilities_and_match_signals(sample, sim):
    vectors, _ = sample
    vs = list(vectors.values())
    for a, b in combinations(vs[:20], 2):
        s = sim.score(a, b)
        assert 0.0 <= s <= 1.0
        assert s == pytest.approx(sim.score_signals(sim.signals(a, b)), abs=1e-12)
        assert set(sim.signals(a, b)) == set(SIGNALS)
        assert s == pytest.approx(sim.score(b, a), abs=1e-12)


def test_same_story_pair_scores_higher_than_different_story_pair(sample, sim):
    vectors, labels = sample
    opec_wire = vectors["feeds/wire.jsonl#2[0]"]
    opec_copy = vectors["txt/iqtisadiya_001.txt[0]"]  # near-duplicate of the wire
    opec_angle = vectors["txt/alatlas_001.txt[0]"]  # Algeria's reaction, rewritten
    cup_wire = vectors["feeds/wire.jsonl#3[0]"]
    assert sim.score(opec_wire, opec_copy) > 0.99
    assert sim.score(opec_wire, opec_copy) > sim.score(opec_wire, opec_angle) > 0.6
    assert sim.score(opec_wire, cup_wire) < 0.1
    # and over the whole corpus
    same, diff = [], []
    for (ka, a), (kb, b) in combinations(vectors.items(), 2):
        la, lb = labels[ka], labels[kb]
        (same if la is not None and la == lb else diff).append(sim.score(a, b))
    assert sum(same) / len(same) > 0.7
    assert sum(diff) / len(diff) < 0.05
    # ranking: a same-story pair beats a different-story pair almost always (AUC)
    wins = sum(1 for s in same for d in diff if s > d)
    assert wins / (len(same) * len(diff)) > 0.99


def test_far_dates_lower_the_score_and_unknown_is_neutral(sample, sim):
    vectors, _ = sample
    a, b = vectors["html/almadar_003.html[0]"], vectors["txt/alnahar_004.txt[0]"]  # nabeul floods, a day apart
    near = sim.score(a, b)
    far = sim.score(a, replace(b, time=b.time + 60))
    unknown = sim.score(a, replace(b, time=None))
    assert far < near
    assert far < unknown  # an unknown date costs less than a known far one
    assert sim.signals(a, replace(b, time=None))["date"] == 0.5
    assert sim.signals(a, replace(b, time=None))["date_unknown"] == 1.0


def test_trump_spellings_meet_on_the_entity_key(sim):
    text = (
        "واشنطن - أعلن الرئيس الأمريكي دونالد {name} أمس أنه سيلتقي نظيره الفرنسي في البيت الأبيض "
        "الأسبوع المقبل لبحث ملف التجارة. وقال {name} في مؤتمر صحفي إن المحادثات ستتناول الرسوم الجمركية "
        "والتعاون الاقتصادي بين البلدين، مؤكدا أن العلاقات بين واشنطن وباريس متينة."
    )
    a = text_story_doc(text.format(name="ترامب"))
    b = text_story_doc(text.format(name="ترمب"))
    keys_a = {k for k in a.entities if k.startswith("PER:")}
    keys_b = {k for k in b.entities if k.startswith("PER:")}
    assert keys_a and keys_a == keys_b
    df = DocumentFrequencies()
    for d in (a, b):
        df.add(d)
    va, vb = sim.vectorize(a, df), sim.vectorize(b, df)
    assert sim.signals(va, vb)["entities"] == pytest.approx(1.0)
    assert sim.score(va, vb) > 0.95


def test_similarity_of_texts(sim):
    flood = (
        "نابل - لقي ستة أشخاص حتفهم وفقد اثنان إثر فيضانات جارفة ضربت مدينة نابل التونسية بعد أمطار "
        "قياسية، وأعلنت السلطات إجلاء مئات العائلات من الأحياء المنخفضة وتعليق الدراسة في المدارس."
    )
    flood2 = (
        "ارتفعت حصيلة ضحايا الفيضانات في نابل بتونس إلى ستة قتلى ومفقودين اثنين، فيما أجلت السلطات "
        "مئات العائلات بعد أمطار قياسية غمرت الأحياء المنخفضة وأغلقت المدارس."
    )
    football = (
        "الدوحة - توج نادي شباب الأطلس بلقب كأس الأندية العربية بعد فوزه على الصقور بهدفين مقابل هدف "
        "في المباراة النهائية التي أقيمت على استاد خليفة الدولي بحضور جماهيري كبير."
    )
    same = similarity_of_texts(flood, flood2)
    other = similarity_of_texts(flood, football)
    assert 0.0 <= other < same <= 1.0
    assert same > 0.5 and other < 0.2
    score, signals = similarity_of_texts(flood, flood, with_signals=True)
    assert score > 0.95 and signals["body"] == pytest.approx(1.0)
    # a text extraction cannot read still compares (the raw text is the body)
    assert 0.0 <= similarity_of_texts("نص", "نص آخر") <= 1.0


def test_document_frequencies_persist():
    df = DocumentFrequencies()
    df.add(["a", "b", "a"])
    df.add(["b", "c"])
    assert df.n_docs == 2 and df.counts == {"a": 1, "b": 2, "c": 1}
    again = DocumentFrequencies.from_dict(json.loads(json.dumps(df.to_dict())))
    assert again.to_dict() == df.to_dict()
    assert df.idf("b") < df.idf("a") < df.idf("never-seen")
    assert df.idf("b") >= 1.0
    df.prune(2)
    assert len(df) == 2 and "b" in df.counts


def test_entities_are_counted_in_the_document_frequencies():
    doc = StoryDoc("x", "عنوان", "نص الخبر", None, None, entities={"PER:أ": 2}, entity_types={"PER:أ": "PER"})
    df = DocumentFrequencies()
    df.add(doc)
    assert df.counts.get("@PER:أ") == 1


def test_parse_time():
    assert parse_time("2025-03-03") == pytest.approx(parse_time("2025-03-03T12:00"))
    assert parse_time("2025-04-27T21:10+03:00") == pytest.approx(parse_time("2025-04-27T18:10"))
    assert parse_time("2015-07-21 02:51:32") is not None
    assert parse_time(None) is None and parse_time("not a date") is None
