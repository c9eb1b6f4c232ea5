"""Tests for rasd.arabic.stem: light stemming for keys."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

try:  # the repo may not be installed into the venv: fall back to the checkout
    import rasd  # noqa: F401
except ImportError:  # pragma: no cover
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from rasd.arabic import light_stem as exported_light_stem
from rasd.arabic.normalize import normalize_key
from rasd.arabic.stem import (
    KEEP_WHOLE,
    PROTECTED_STEMS,
    light_stem,
    prefix_candidates,
    stem_tokens,
    strip_prefix_clitics,
    strip_suffixes,
)
from rasd.arabic.tokenize import tokenize


def prefix(word: str) -> str:
    return strip_prefix_clitics(normalize_key(word))


# --- strip_prefix_clitics -----------------------------------------------------


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("والمفاوضات", "مفاوضات"),
        ("المفاوضات", "مفاوضات"),
        ("بالقاهرة", "قاهره"),
        ("كالعادة", "عاده"),
        ("فالحكومة", "حكومه"),
        ("وبالتالي", "تالي"),
        ("للرئيس", "رئيس"),
        ("وللرئيس", "رئيس"),
        ("لليمن", "يمن"),
        ("الحرب", "حرب"),  # bare article: 2 letters may remain
    ],
)
def test_strip_prefix_article_forms(word, expected):
    assert prefix(word) == normalize_key(expected)


def test_strip_prefix_matches_the_plain_word():
    assert prefix("باسطنبول") == normalize_key("اسطنبول")
    assert prefix("بإسطنبول") == normalize_key("اسطنبول")
    assert prefix("وبوتين") == normalize_key("بوتين")
    assert prefix("وأردوغان") == normalize_key("أردوغان")
    assert prefix("بأردوغان") == normalize_key("أردوغان")


def test_strip_prefix_conjunction_needs_three_letters_left():
    assert prefix("وقال") == "قال"
    assert prefix("ومصر") == "مصر"
    assert prefix("وقت") == "وقت"  # و + 2 letters: a word, not a clitic
    assert prefix("فقط") == "فقط"


def test_strip_prefix_preposition_needs_five_letters_left():
    assert prefix("بوتين") == "بوتين"  # ب + وتين would be wrong
    assert prefix("بيروت") == "بيروت"
    assert prefix("لبنان") == "لبنان"
    assert prefix("بمصر") == "بمصر"  # too short to tell: see prefix_candidates
    assert prefix("لروسيا") == "روسيا"
    assert prefix("بموسكو") == "موسكو"


def test_strip_prefix_protected_words():
    for word in ["وزير", "وزارة", "وكالة", "ولاية", "واشنطن", "فرنسا", "فلسطين", "بريطانيا", "برلمان"]:
        assert prefix(word) == normalize_key(word), word
    # ...but a real clitic in front of them still goes.
    assert prefix("وفرنسا") == normalize_key("فرنسا")
    assert prefix("وبريطانيا") == normalize_key("بريطانيا")
    assert prefix("الوزير") == "وزير"


def test_strip_prefix_protection_does_not_block_common_conjoined_words():
    assert prefix("وحدث") == "حدث"
    assert prefix("وعدد") == "عدد"
    assert prefix("وجهود") == "جهود"
    assert prefix("وأجهزة") == normalize_key("أجهزة")
    assert prefix("وأردف") == normalize_key("أردف")
    assert prefix("وصفقة") == normalize_key("صفقة")


def test_strip_prefix_fa_only_before_the_article():
    assert prefix("فالمفاوضات") == "مفاوضات"
    assert prefix("فللرئيس") == "رئيس"
    for word in ["فبراير", "فيلم", "فلاديمير", "فرنسا", "فيها", "فقال"]:
        assert prefix(word) == normalize_key(word), word


@pytest.mark.parametrize(
    "word",
    ["ويليام", "وزير", "وقت", "واشنطن", "بوتين", "باسطنبول", "الحرب", "المفاوضات",
     "فلسطين", "بريطانيا", "لبنان", "ولي", "الدم", "اليمن", "الله", "وكالة", "مصر"],
)
def test_strip_prefix_waw_in_front_changes_nothing(word):
    # وو never means two conjunctions, so "and W" must key like W.
    key = normalize_key(word)
    assert strip_prefix_clitics("و" + key) == strip_prefix_clitics(key)
    assert light_stem("و" + word) == light_stem(word)


def test_strip_prefix_keep_whole():
    for word in ["الله", "إلى", "التي", "الذي", "والده", "والي"]:
        assert prefix(word) == normalize_key(word), word
    assert prefix("واليمن") == "يمن"
    assert prefix("والله") == "الله"


def test_strip_prefix_never_leaves_fewer_than_two_letters():
    for word in ["الم", "لله", "وال", "بال", "ولد", "بن", "و", ""]:
        result = prefix(word)
        assert len(result) >= min(2, len(normalize_key(word))), (word, result)


def test_protection_lists_are_key_normalized():
    assert all(normalize_key(w) == w for w in PROTECTED_STEMS | KEEP_WHOLE)


# --- strip_suffixes -----------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("مفاوضات", "مفاوض"),  # ات
        ("مفاوضاتها", "مفاوض"),  # ها then ات
        ("مسلمون", "مسلم"),  # ون
        ("لاعبين", "لاعب"),  # ين
        ("مدنيين", "مدن"),  # يين (nisba plural)
        ("اقتصادية", "اقتصاد"),  # ية
        ("مصري", "مصر"),  # ي
        ("حكومة", "حكوم"),  # ة
        ("حكومتها", "حكوم"),  # feminine ت before a pronoun
        ("حكومته", "حكوم"),
        ("بلادنا", "بلاد"),  # نا
        ("كتابهم", "كتاب"),  # هم
        ("رسالتكم", "رسال"),  # كم, then ت -> ة -> stripped
        ("ولاية", "ولاي"),  # ية after alef: only the ة goes
        ("ولايات", "ولاي"),
    ],
)
def test_strip_suffixes(word, expected):
    assert strip_suffixes(normalize_key(word)) == normalize_key(expected)


def test_strip_suffixes_min_stem_length():
    assert strip_suffixes("منها") == "منها"  # stem would be 2 letters
    assert strip_suffixes("علي") == "علي"
    assert strip_suffixes("قوات") == "قوات"
    assert strip_suffixes("بوتين") == "بوتين"  # -ين needs a 4-letter stem
    assert strip_suffixes("قانون") == "قانون"
    assert strip_suffixes("مليون") == "مليون"


# --- light_stem -------------------------------------------------------------------


def test_light_stem_shared_stems():
    assert light_stem("المفاوضات") == light_stem("ومفاوضات") == light_stem("مفاوضاتها")
    assert light_stem("الحكومة") == light_stem("حكومتها") == light_stem("والحكومة")
    assert light_stem("الفلسطينيين") == light_stem("فلسطيني")
    assert light_stem("إسطنبول") == light_stem("باسطنبول") == light_stem("اسطنبول")
    assert light_stem("بوتين") == light_stem("وبوتين") == light_stem("بـــوتين") == "بوتين"
    assert light_stem("الوزير") == light_stem("وزير")


def test_light_stem_normalizes_first():
    assert light_stem("المُفَاوَضَاتُ") == light_stem("المفاوضات")
    assert light_stem("إلى") == light_stem("الى")


def test_light_stem_leaves_non_arabic_tokens_alone():
    assert light_stem("Reuters") == "reuters"
    assert light_stem("2,000") == "2,000"
    assert light_stem("٢٠٢٥") == "2025"
    assert light_stem("،") == ","
    assert light_stem("") == ""


def test_light_stem_keep_whole_words():
    assert light_stem("الله") == "الله"
    assert light_stem("كورونا") == light_stem("بكورونا") == "كورونا"


def test_light_stem_is_exported_and_cached():
    assert exported_light_stem is light_stem
    light_stem("والمفاوضات")
    hits = light_stem.cache_info().hits
    light_stem("والمفاوضات")
    assert light_stem.cache_info().hits == hits + 1


def test_stem_tokens_lines_up_with_tokens():
    tokens = tokenize("وقال الرئيس إن المفاوضات في إسطنبول مستمرة، Reuters")
    stems = stem_tokens(tokens)
    assert len(stems) == len(tokens)
    assert stems == ["قال", "رئيس", "ان", "مفاوض", "في", "اسطنبول", "مستمر", ",", "reuters"]


# --- prefix_candidates ------------------------------------------------------------


def test_prefix_candidates():
    assert prefix_candidates("بمصر") == ["بمصر", "مصر"]
    assert prefix_candidates("وبالمفاوضات") == ["وبالمفاوضات", "بالمفاوضات", "المفاوضات", "مفاوضات"]
    assert "ليبيا" in prefix_candidates("لليبيا")  # ل + ليبيا, not ل + ال + يبيا
    assert prefix_candidates("بوتين")[0] == "بوتين"
