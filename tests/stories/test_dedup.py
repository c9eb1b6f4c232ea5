"""NearDuplicateIndex: copies, edited copies, chains, bridges, short texts, time window, determinism."""
from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from datasketch import MinHash

from rasd.arabic import normalize_key
from rasd.records import StoryDoc
from rasd.stories.dedup import (
    NearDuplicateIndex,
    jaccard,
    parse_time,
    shingle_hashes,
    text_words,
    word_hashes,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


def vocabulary(seed: int = 0, size: int = 3000) -> list[str]:
    rng = random.Random(seed)
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(_LETTERS) for _ in range(rng.randint(3, 7))))
    return sorted(words)


VOCAB = vocabulary()


def words(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [rng.choice(VOCAB) for _ in range(n)]


def doc(article_id: str, body: str | list[str], published: str | None = "2025-03-01",
        seq: int = 0, title: str | None = None) -> StoryDoc:
    if isinstance(body, list):
        body = " ".join(body)
    return StoryDoc(article_id=article_id, title=title, body=body, published=published,
                    outlet=None, seq=seq)


def replaced(base: list[str], start: int, end: int, seed: int) -> list[str]:
    out = list(base)
    out[start:end] = words(end - start, seed)
    return out


def real_jaccard(a: list[str], b: list[str]) -> float:
    return jaccard(shingle_hashes(" ".join(a)), shingle_hashes(" ".join(b)))


# ---------------------------------------------------------------------------
# Hashing


def test_word_hashes_segment_like_regex_words_and_are_position_free():
    key = normalize_key("قال الرئيس، في بيان: إن 2,000 شخص_ما تظاهروا! والرئيس قال «نعم» 😀 COVID-19")
    found = re.findall(r"\w+", key)
    hashes = word_hashes(key)
    assert len(hashes) == len(found)
    by_word: dict[str, int] = {}
    for w, h in zip(found, hashes.tolist()):
        assert by_word.setdefault(w, h) == h  # same word, same hash, wherever it stands
    assert len(set(by_word.values())) == len(by_word)


def test_shingles_ignore_diacritics_hamza_and_punctuation():
    a = "أعلنَ الرئيسُ، اليومَ: إنّ المفاوضاتِ ستبدأ في إسطنبول"
    b = "اعلن الرئيس اليوم ان المفاوضات ستبدا في اسطنبول"
    assert np.array_equal(shingle_hashes(a), shingle_hashes(b))
    assert text_words(a) == text_words(b)


def test_minhash_matches_datasketch_update_batch():
    index = NearDuplicateIndex(num_perm=64, seed=7)
    shingles = shingle_hashes(" ".join(words(200, 1)))
    ours = index._minhash(shingles)
    ref = MinHash(num_perm=64, seed=7, scheme="affine32", hashfunc=int)
    ref.update_batch([int(x) & 0xFFFFFFFF for x in shingles])
    assert np.array_equal(ours.hashvalues, ref.hashvalues)


def test_parse_time():
    assert parse_time("2025-03-01") == parse_time("2025-03-01T00:00:00Z")
    assert parse_time("2025-03-01T03:00:00+03:00") == parse_time("2025-03-01T00:00:00")
    assert parse_time("2015-07-21 02:51:32") is not None
    assert parse_time(None) is None and parse_time("yesterday") is None


# ---------------------------------------------------------------------------
# Matching


def test_exact_copy_and_edited_copy_point_to_the_first_member():
    base = words(300, 1)
    edited = list(base)
    for i in (10, 80, 150, 220, 290):
        edited[i] = "تعديل"
    edited.insert(40, "وقال")
    index = NearDuplicateIndex()
    assert index.insert(doc("a", base, seq=1)) is None
    assert index.insert(doc("b", base, seq=2)) == "a"
    assert index.insert(doc("c", edited, seq=3)) == "a"
    assert index.insert(doc("d", words(300, 2), seq=4)) is None
    assert index.query(doc("q", edited)) == ["a", "b", "c"]
    assert index.group_of("c") == "a" and index.group_of("d") == "d"
    assert len(index) == 4


def test_unrelated_texts_sharing_phrases_do_not_match():
    shared = words(60, 9)  # a common boilerplate paragraph
    a = words(240, 10) + shared
    b = words(240, 11) + shared
    assert real_jaccard(a, b) < 0.2
    index = NearDuplicateIndex()
    index.insert(doc("a", a))
    assert index.insert(doc("b", b)) is None


def test_verification_uses_the_real_jaccard():
    base = words(300, 3)
    # Just below the threshold: 25% of the text rewritten in one block.
    other = replaced(base, 0, 60, 4)
    assert 0.5 < real_jaccard(base, other) < 0.7
    index = NearDuplicateIndex(threshold=0.7)
    index.insert(doc("a", base))
    assert index.query(doc("b", other)) == []
    low = NearDuplicateIndex(threshold=0.5)
    low.insert(doc("a", base))
    assert low.query(doc("b", other)) == ["a"]


def test_chain_points_to_the_earliest_member():
    a = words(300, 5)
    b = replaced(a, 255, 300, 6)  # B copies A, minus its last paragraph
    c = replaced(b, 0, 45, 7)  # C copies B, minus B's first paragraph
    assert real_jaccard(a, b) >= 0.7 and real_jaccard(b, c) >= 0.7
    assert real_jaccard(a, c) < 0.7
    index = NearDuplicateIndex()
    assert index.insert(doc("A", a, seq=1)) is None
    assert index.insert(doc("B", b, seq=2)) == "A"
    assert index.insert(doc("C", c, seq=3)) == "A"


def test_a_bridging_article_merges_two_groups_into_the_earlier_one():
    base = words(300, 12)
    x = replaced(base, 0, 45, 13)
    y = replaced(base, 255, 300, 14)
    assert real_jaccard(x, y) < 0.7 <= min(real_jaccard(base, x), real_jaccard(base, y))
    merges: list[tuple[str, str]] = []
    index = NearDuplicateIndex(on_merge=lambda old, new: merges.append((old, new)))
    assert index.insert(doc("X", x, seq=1)) is None
    assert index.insert(doc("X2", x, seq=2)) == "X"
    assert index.insert(doc("Y", y, seq=3)) is None
    assert index.insert(doc("Y2", y, seq=4)) == "Y"
    assert index.insert(doc("E", base, seq=5)) == "X"
    assert merges == [("Y", "X")]
    assert [index.group_of(i) for i in ("X", "X2", "Y", "Y2", "E")] == ["X"] * 5


def test_reinserting_an_article_returns_its_answer_without_indexing_twice():
    base = words(200, 15)
    index = NearDuplicateIndex()
    index.insert(doc("a", base))
    assert index.insert(doc("b", base)) == "a"
    assert index.insert(doc("b", base)) == "a"
    assert index.insert(doc("a", base)) is None
    assert len(index) == 2
    assert index.query(doc("a", base)) == ["b"]  # the doc itself is left out


# ---------------------------------------------------------------------------
# Short and empty texts


def test_short_texts_match_on_exact_normalised_text_only():
    flash = "عاجل: الرئيسُ يعلن إجراء انتخابات مبكرة في أيلول المقبل بعد اجتماع طارئ للحكومة"
    same = "عاجل - الرئيس يعلن اجراء انتخابات مبكرة في ايلول المقبل بعد اجتماع طارئ للحكومه"
    other = "عاجل: الرئيس يعلن إجراء انتخابات مبكرة في تشرين المقبل بعد اجتماع طارئ للحكومة"
    index = NearDuplicateIndex()
    assert index.insert(doc("a", flash)) is None
    assert index.insert(doc("b", same)) == "a"
    assert index.insert(doc("c", other)) is None
    # A long text never matches a short one.
    assert index.insert(doc("d", flash + " " + " ".join(words(60, 16)))) is None


def test_tiny_bodies_need_the_same_title_too():
    # Scraped pages whose "body" is only the columnist's name.
    index = NearDuplicateIndex()
    assert index.insert(doc("a", "مساعد الزويهري", title="استقبال مميز للاعبي الأهلي")) is None
    assert index.insert(doc("b", "مساعد الزويهري", title="الزويهري يتحضر لرئاسة الأهلي")) is None
    assert index.insert(doc("c", "مساعد الزويهري", title="استقبال مميز للاعبي الأهلي")) == "a"


def test_empty_bodies_are_not_indexed():
    index = NearDuplicateIndex()
    assert index.insert(doc("a", "")) is None
    assert index.insert(doc("b", "  \u00a0 ، . ")) is None
    assert len(index) == 0 and index.query(doc("c", "")) == []


# ---------------------------------------------------------------------------
# Time window


def test_documents_further_apart_than_the_window_do_not_match():
    base = words(200, 17)
    index = NearDuplicateIndex(window_days=14)
    index.insert(doc("a", base, published="2025-03-01"))
    assert index.query(doc("b", base, published="2025-03-20")) == []
    assert index.query(doc("b", base, published="2025-03-10")) == ["a"]
    unlimited = NearDuplicateIndex(window_days=None)
    unlimited.insert(doc("a", base, published="2025-03-01"))
    assert unlimited.insert(doc("b", base, published="2026-03-01")) == "a"


def test_streaming_evicts_old_documents_and_remove_older_than():
    index = NearDuplicateIndex(window_days=2)
    for day in range(1, 11):
        for k in range(3):
            index.insert(doc(f"{day}-{k}", words(100, day * 10 + k), published=f"2025-03-{day:02d}"))
    # Only the last 2 days (plus the day on the edge) are kept.
    assert len(index) == 9
    assert "1-0" not in index and "10-2" in index
    assert index.remove_older_than("2025-03-10") == 6
    assert len(index) == 3
    with pytest.raises(ValueError):
        index.remove_older_than("not a date")
    # The index still works after evictions.
    assert index.insert(doc("again", words(100, 100), published="2025-03-10")) == "10-0"


def test_undated_documents_are_matched_and_eventually_evicted():
    base = words(150, 18)
    index = NearDuplicateIndex(window_days=1)
    index.insert(doc("dated", words(150, 19), published="2025-03-01"))
    assert index.insert(doc("u1", base, published=None)) is None
    assert index.insert(doc("u2", base, published=None)) == "u1"
    index.insert(doc("later", words(150, 20), published="2025-03-05"))
    assert "u1" not in index and "u2" not in index


# ---------------------------------------------------------------------------
# Determinism


def _stream() -> list[StoryDoc]:
    docs = []
    for i in range(60):
        base = words(120, 1000 + i // 3)  # groups of three related texts
        if i % 3:
            base = replaced(base, 0, 8 * (i % 3), 5000 + i)
        docs.append(doc(f"d{i}", base, published=f"2025-03-{1 + i // 10:02d}", seq=i))
    return docs


def _run(docs: list[StoryDoc]) -> list[str | None]:
    index = NearDuplicateIndex()
    return [index.insert(d) for d in docs]


def test_same_input_order_gives_the_same_output():
    first, second = _run(_stream()), _run(_stream())
    assert first == second
    assert sum(r is not None for r in first) >= 30


def test_output_does_not_depend_on_the_process_hash_seed():
    script = (
        "import json, sys\n"
        f"sys.path.insert(0, {str(Path(__file__).resolve().parent)!r})\n"
        "from test_dedup import _stream\n"
        "from rasd.stories.dedup import NearDuplicateIndex\n"
        "index = NearDuplicateIndex()\n"
        "print(json.dumps([index.insert(d) for d in _stream()]))\n"
    )
    outputs = []
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        run = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                             text=True, check=True, cwd=REPO_ROOT)
        outputs.append(json.loads(run.stdout))
    assert outputs[0] == outputs[1] == _run(_stream())
