"""Arabic NER: metrics on hand-made cases, the shipped model, and an F1 floor on ANERcorp test."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from rasd.enrich.ner.conll import iter_conll
from rasd.enrich.ner.metrics import evaluate, format_report, get_entities

REPO_ROOT = Path(__file__).resolve().parents[2]
ANER_TEST = REPO_ROOT.parent / "shared" / "data" / "anercorp" / "ANERcorp_camelstyle_test.txt"

# Floor measured for the shipped model on ANERcorp_camelstyle_test (see rasd/data/ner/README.md) minus 0.01.
F1_FLOOR = 0.728  # shipped model: 0.738


# ----------------------------------------------------------------------------- metrics


def test_get_entities_bio_and_seqeval_quirks():
    assert get_entities(["B-PER", "I-PER", "O", "B-LOC"]) == [(0, 1, "PER"), (3, 3, "LOC")]
    # I- without B- starts a chunk (seqeval default)
    assert get_entities(["O", "I-ORG", "I-ORG", "O"]) == [(1, 2, "ORG")]
    # type change inside I- run splits the chunk
    assert get_entities(["B-PER", "I-LOC"]) == [(0, 0, "PER"), (1, 1, "LOC")]
    # B- right after B- of the same type: two chunks
    assert get_entities(["B-LOC", "B-LOC", "I-LOC"]) == [(0, 0, "LOC"), (1, 2, "LOC")]
    # entity running to the end of the sentence
    assert get_entities(["O", "B-MISC", "I-MISC"]) == [(1, 2, "MISC")]


def test_fast_iob2_path_matches_the_general_rules():
    """get_entities has a one-pass path for O/B-x/I-x tags; it must give seqeval's spans."""
    import random

    from rasd.enrich.ner import metrics

    def general(seq):
        out, prev_tag, prev_type, begin = [], "O", "_", 0
        for i, chunk in enumerate(list(seq) + ["O"]):
            tag, type_ = metrics._split(chunk)
            if metrics._end_of_chunk(prev_tag, tag, prev_type, type_):
                out.append((begin, i - 1, prev_type))
            if metrics._start_of_chunk(prev_tag, tag, prev_type, type_):
                begin = i
            prev_tag, prev_type = tag, type_
        return out

    rng = random.Random(7)
    tags = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "I-ORG", "B-ORG"]
    for _ in range(3000):
        seq = [rng.choice(tags) for _ in range(rng.randint(0, 10))]
        assert get_entities(seq) == general(seq), seq


def test_exact_span_partial_is_wrong_and_per_type():
    gold = [["B-PER", "I-PER", "O", "B-LOC", "O", "B-ORG", "I-ORG"]]
    pred = [["B-PER", "O", "O", "B-LOC", "O", "B-ORG", "I-ORG"]]  # PER truncated -> wrong
    s = evaluate(gold, pred)
    assert s["LOC"][:3] == (1.0, 1.0, 1.0)
    assert s["ORG"][:3] == (1.0, 1.0, 1.0)
    assert s["PER"][:3] == (0.0, 0.0, 0.0)
    p, r, f, n = s["micro"]
    assert n == 3 and p == pytest.approx(2 / 3) and r == pytest.approx(2 / 3) and f == pytest.approx(2 / 3)


def test_wrong_type_and_spurious_and_missed():
    gold = [["B-PER", "O", "O"], ["O", "B-LOC", "I-LOC"]]
    pred = [["B-LOC", "O", "B-ORG"], ["O", "O", "O"]]
    s = evaluate(gold, pred)
    assert s["micro"][:3] == (0.0, 0.0, 0.0)
    assert s["PER"][3] == 1 and s["LOC"][3] == 1 and s["ORG"][3] == 0
    gold2 = [["B-PER", "I-PER", "O", "B-LOC"]]
    pred2 = [["B-PER", "I-PER", "O", "O"]]
    p, r, f, _ = evaluate(gold2, pred2)["micro"]
    assert (p, r) == (1.0, 0.5) and f == pytest.approx(2 / 3)


def test_report_last_line():
    rep = format_report(evaluate([["B-PER", "O"]], [["B-PER", "O"]]))
    assert rep.splitlines()[-1] == "micro F1: 1.000"
    assert any(line.startswith("PER") for line in rep.splitlines())


def test_conll_reader():
    lines = ["قال O\n", "بوتين B-PERS\n", "\n", "\n", "موسكو B-LOC\n"]
    assert list(iter_conll(lines)) == [(["قال", "بوتين"], ["O", "B-PERS"]), (["موسكو"], ["B-LOC"])]


# ----------------------------------------------------------------------------- shipped model


@pytest.fixture(scope="module")
def tagger():
    from rasd.enrich.ner.model import NERTagger

    t0 = time.perf_counter()
    t = NERTagger.load()
    assert time.perf_counter() - t0 < 5.0  # < 1 s on a warm machine; generous for CI
    return t


def test_tags_person_and_place(tagger):
    toks = "قال الرئيس الروسي فلاديمير بوتين في موسكو".split()
    tags = tagger.tag(toks)
    assert len(tags) == len(toks)
    ents = tagger.entities(toks)
    assert (3, 5, "PER") in ents, (tags, ents)
    assert (6, 7, "LOC") in ents, (tags, ents)
    assert tagger.tag_many([toks, []]) == [tags, []]


def test_tags_do_not_depend_on_batch_or_warm_caches():
    """The tagger memoises per-word-type projections: a sentence must get the same tags whatever
    was tagged before it and whatever it is batched with."""
    from rasd.enrich.ner.model import NERTagger

    sents = [
        "قال الرئيس الروسي فلاديمير بوتين في موسكو".split(),
        "وصل وزير الخارجية الأمريكي جون كيري إلى القاهرة أمس قادما من الرياض".split(),
        "أعلنت منظمة الصحة العالمية في جنيف أن الوباء انحسر".split(),
    ]
    cold = [NERTagger.load().tag_many([s], propagate=False)[0] for s in sents]
    warm = NERTagger.load()
    warm.tag_many(sents[::-1] * 3, propagate=False)
    assert warm.tag_many(sents, propagate=False) == cold


def test_public_types(tagger):
    toks = "وصل وزير الخارجية الأمريكي جون كيري إلى القاهرة أمس".split()
    for _s, _e, t in tagger.entities(toks):
        assert t in {"PER", "ORG", "LOC", "MISC"}


def test_f1_floor_on_anercorp_test(tagger):
    if not ANER_TEST.exists():
        pytest.skip(f"{ANER_TEST} not found: the F1 floor test needs ../shared/data/anercorp next to the repo")
    with open(ANER_TEST, encoding="utf-8") as fh:
        data = list(iter_conll(fh))
    pred = tagger.tag_many([t for t, _ in data])
    f1 = evaluate([g for _, g in data], pred)["micro"][2]
    assert f1 >= F1_FLOOR, f"micro F1 {f1:.4f} fell below the floor {F1_FLOOR}"


def test_propagation_tags_repeated_names():
    from rasd.enrich.ner.propagate import propagate

    sents = [["قال", "رامسفيلد", "إن"], ["وأكد", "لرامسفيلد", "ذلك"], ["ذهب", "إلى", "القاهرة"]]
    preds = [["O", "B-PERS", "O"], ["O", "O", "O"], ["O", "O", "O"]]
    out = propagate(sents, preds, window=5)
    assert out[1] == ["O", "B-PERS", "O"]  # clitic ل stripped before matching
    assert out[2] == ["O", "O", "O"]
    assert propagate(sents, preds, window=0)[2] == ["O", "O", "O"]


def test_training_batches_accept_sentences_without_multi_token_gazetteer_match(tagger):
    """Featurizer.sentence returns (rows, None) when no multi-token gazetteer entry matches; the
    training-side batch_arrays must accept that (it crashed `rasd train-ner` with a TypeError)."""
    from rasd.enrich.ner.neural import GAZ_TYPES, batch_arrays

    fz = tagger._neural.fz
    plain = fz.sentence("قال الرجل إنه سيعود غدا".split())
    assert plain[1] is None
    multi = fz.sentence("اجتمع مجلس الأمن في نيويورك".split())
    assert multi[1] is not None
    arr = batch_arrays([plain, multi])
    assert arr["dense"].shape == (2, 5, 3 * len(GAZ_TYPES))
    assert not arr["dense"][0, :, len(GAZ_TYPES):].any()
    assert arr["dense"][1, :, len(GAZ_TYPES):].any()
