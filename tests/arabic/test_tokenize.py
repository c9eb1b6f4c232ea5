"""Tests for rasd.arabic.tokenize: tokens, word spans, sentences, script ratio."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

try:  # the repo may not be installed into the venv: fall back to the checkout
    import rasd  # noqa: F401
except ImportError:  # pragma: no cover
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from rasd.arabic.tokenize import (
    arabic_ratio,
    is_arabic,
    sentence_spans,
    sentences,
    tokenize,
    word_spans,
)

# --- tokenize -------------------------------------------------------------------


def test_tokenize_arabic_sentence_with_punctuation():
    assert tokenize("قال الرئيس: إن المفاوضات مستمرة، أليس كذلك؟") == [
        "قال", "الرئيس", ":", "إن", "المفاوضات", "مستمرة", "،", "أليس", "كذلك", "؟",
    ]


def test_tokenize_keeps_diacritics_and_tatweel_inside_words():
    assert tokenize("قالَ بـــوتين إنّ") == ["قالَ", "بـــوتين", "إنّ"]


def test_tokenize_numbers():
    assert tokenize("قُتل 2,000 شخص") == ["قُتل", "2,000", "شخص"]
    assert tokenize("نما 3.5 في المئة") == ["نما", "3.5", "في", "المئة"]
    assert tokenize("عام ٢٠٢٥") == ["عام", "٢٠٢٥"]
    assert tokenize("٣٫٥ و١٬٠٠٠") == ["٣٫٥", "و", "١٬٠٠٠"]
    assert tokenize("بنسبة 50%") == ["بنسبة", "50", "%"]


def test_tokenize_sentence_final_dot_is_not_part_of_the_number():
    assert tokenize("في عام 2025.") == ["في", "عام", "2025", "."]
    assert tokenize("1,") == ["1", ","]


def test_tokenize_latin_words_and_mixed_text():
    assert tokenize("وذكرت Reuters أن COVID-19 و F-16 O'Brien") == [
        "وذكرت", "Reuters", "أن", "COVID-19", "و", "F-16", "O'Brien",
    ]


def test_tokenize_splits_arabic_from_latin_and_digits():
    assert tokenize("iPhoneالجديد") == ["iPhone", "الجديد"]
    assert tokenize("٢٠٢٥م") == ["٢٠٢٥", "م"]


def test_tokenize_quotes_and_brackets_are_separate_tokens():
    assert tokenize("«لن نتراجع» (رويترز)") == ["«", "لن", "نتراجع", "»", "(", "رويترز", ")"]


def test_tokenize_drops_whitespace_and_invisibles():
    assert tokenize("  مرحبا\u200b\u00a0\tبكم\n") == ["مرحبا", "بكم"]
    assert tokenize("") == []


# --- word_spans -----------------------------------------------------------------


def test_word_spans_index_the_original_text():
    text = "قال أردوغان، في إسطنبول: 2,000 «شخص»"
    spans = word_spans(text)
    assert [text[a:b] for a, b in spans] == ["قال", "أردوغان", "في", "إسطنبول", "2,000", "شخص"]
    assert spans[0] == (0, 3)


def test_word_spans_match_tokenize_minus_punctuation():
    text = "وقال الوزير، في مؤتمر صحفي بـالقاهرة يوم ٢٠٢٥/٣/١٥: «لن نتراجع» (رويترز) COVID-19!"
    words = [text[a:b] for a, b in word_spans(text)]
    punctuation = set("،:«»()!/")
    assert words == [t for t in tokenize(text) if t not in punctuation]


# --- sentences ------------------------------------------------------------------


def test_sentences_three_sentence_paragraph():
    text = (
        "أعلنت الحكومة عن خطة جديدة لدعم الاقتصاد. "
        "وقال الوزير إن النمو بلغ 3.5 في المئة هذا العام! "
        "فهل تنجح الخطة؟"
    )
    assert sentences(text) == [
        "أعلنت الحكومة عن خطة جديدة لدعم الاقتصاد.",
        "وقال الوزير إن النمو بلغ 3.5 في المئة هذا العام!",
        "فهل تنجح الخطة؟",
    ]


def test_sentences_do_not_split_numbers():
    assert sentences("بلغ التضخم 3.5 بالمئة. ثم تراجع.") == ["بلغ التضخم 3.5 بالمئة.", "ثم تراجع."]
    assert sentences("بلغ ٣.٥ بالمئة") == ["بلغ ٣.٥ بالمئة"]


def test_sentences_single_letter_abbreviations():
    assert sentences("زار الوفد U.S. أمس ثم عاد.") == ["زار الوفد U.S. أمس ثم عاد."]
    assert sentences("قال د. محمد إن الوضع صعب. وأضاف أنه متفائل.") == [
        "قال د. محمد إن الوضع صعب.",
        "وأضاف أنه متفائل.",
    ]
    assert sentences("في عام 300 ق.م بنيت المدينة.") == ["في عام 300 ق.م بنيت المدينة."]
    assert sentences("Mr. Smith arrived. He left.") == ["Mr. Smith arrived.", "He left."]


def test_sentences_list_numbers_stay_with_their_item():
    assert sentences("1. مقدمة البحث\n2. النتائج. والخلاصة") == [
        "1. مقدمة البحث",
        "2. النتائج.",
        "والخلاصة",
    ]


def test_sentences_split_on_newlines():
    assert sentences("العنوان الرئيسي\nالفقرة الأولى. الفقرة الثانية\n\n") == [
        "العنوان الرئيسي",
        "الفقرة الأولى.",
        "الفقرة الثانية",
    ]


def test_sentences_split_after_closing_quote():
    text = "قال الرئيس «لن نتراجع.» ثم غادر القاعة."
    assert sentences(text) == ["قال الرئيس «لن نتراجع.»", "ثم غادر القاعة."]


def test_sentences_keep_guillemet_quotes_intact():
    text = "قال الوزير «الوضع صعب. لكننا سننتصر» وغادر. ثم انتهى الاجتماع."
    assert sentences(text) == [
        "قال الوزير «الوضع صعب. لكننا سننتصر» وغادر.",
        "ثم انتهى الاجتماع.",
    ]
    # A terminator right before the closing quote ends the sentence there.
    text = "قال الوزير «الوضع صعب. لكننا سننتصر!» وغادر."
    assert sentences(text) == ["قال الوزير «الوضع صعب. لكننا سننتصر!»", "وغادر."]
    assert sentences("قالت: “We will win. Soon.” ثم غادرت") == [
        "قالت: “We will win. Soon.”",
        "ثم غادرت",
    ]


def test_sentences_unclosed_quote_does_not_swallow_the_line():
    text = "قال «الوضع صعب. ثم غادر."
    assert sentences(text) == ["قال «الوضع صعب.", "ثم غادر."]


def test_sentences_missing_space_after_arabic_period():
    assert sentences("انتهى الاجتماع.وقال المتحدث إنه ناجح.") == [
        "انتهى الاجتماع.",
        "وقال المتحدث إنه ناجح.",
    ]


def test_sentences_urls_and_ellipsis_are_not_boundaries():
    assert sentences("راجع الموقع www.example.com للمزيد.") == ["راجع الموقع www.example.com للمزيد."]
    assert sentences("قال إن... الوضع صعب.") == ["قال إن... الوضع صعب."]


def test_sentences_question_and_exclamation_runs():
    assert sentences("حقاً؟! لا أصدق!!! انتهى.") == ["حقاً؟!", "لا أصدق!!!", "انتهى."]


def test_sentence_spans_index_the_original_text():
    text = "  الجملة الأولى.   الجملة الثانية؟  "
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == ["الجملة الأولى.", "الجملة الثانية؟"]


def test_sentences_empty():
    assert sentences("") == []
    assert sentences(" \n\n ") == []


# --- script detection -------------------------------------------------------------


def test_arabic_ratio():
    assert arabic_ratio("مرحبا") == 1.0
    assert arabic_ratio("hello") == 0.0
    assert arabic_ratio("مرحبا hello") == pytest.approx(0.5)
    assert arabic_ratio("٢٠٢٥ 2025 ، .") == 0.0  # no letters at all


def test_arabic_ratio_ignores_digits_marks_and_tatweel():
    assert arabic_ratio("بـــوتين 2025 ab") == pytest.approx(5 / 7)
    assert arabic_ratio("قَالَ ab") == pytest.approx(3 / 5)


def test_is_arabic():
    assert is_arabic("قال المتحدث باسم Reuters إن الوضع هادئ")
    assert not is_arabic("The spokesman said في بيان")
    assert is_arabic("The spokesman said في بيان", threshold=0.2)
    assert not is_arabic("")
