"""Tests for rasd.enrich.quotes: direct/indirect quotes, speakers, media.

Entities and mentions are built by hand (``_link``) so these tests do not
depend on the linking step.
"""
from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import pytest

try:  # the repo may not be installed into the venv: fall back to the checkout
    import rasd  # noqa: F401
except ImportError:  # pragma: no cover
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from rasd.enrich.quotes import extract_quotes
from rasd.records import Entity, Mention, Quote

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SEEDS = SHARED / "seeds"

# key -> surface forms (longest are matched first)
NAMES: dict[str, list[str]] = {
    "PER:فلاديمير بوتين": ["فلاديمير بوتين", "بوتين"],
    "PER:سيرغي لافروف": ["سيرغي لافروف", "لافروف"],
    "PER:نعمان قورتولموش": ["نعمان قورتولموش", "قورتولموش"],
    "PER:فالنتينا ماتفيينكو": ["فالنتينا ماتفيينكو"],
    "PER:دونالد ترامب": ["دونالد ترامب", "دونالد ترمب", "ترامب", "ترمب"],
    "PER:فولوديمير زيلينسكي": ["فولوديمير زيلينسكي", "زيلينسكي"],
    "PER:ديمتري بيسكوف": ["ديمتري بيسكوف", "بيسكوف"],
    "PER:رجب طيب أردوغان": ["رجب طيب أردوغان", "أردوغان"],
    "PER:ماريا زاخاروفا": ["ماريا زاخاروفا", "زاخاروفا"],
    "ORG:الكرملين": ["الكرملين"],
    "ORG:رويترز": ["رويترز"],
    "ORG:وزارة الخارجية الروسية": ["وزارة الخارجية الروسية"],
    "LOC:روسيا": ["روسيا"],
    "LOC:أوكرانيا": ["أوكرانيا"],
    "LOC:موسكو": ["موسكو"],
    "LOC:واشنطن": ["واشنطن"],
    "LOC:الولايات المتحدة": ["الولايات المتحدة"],
    "LOC:تركيا": ["تركيا"],
    "LOC:أنقرة": ["أنقرة"],
}
_AR_LETTER = "\u0621-\u064a"


def _link(text: str, names: dict[str, list[str]] = NAMES) -> tuple[list[Entity], list[Mention]]:
    """A stand-in for the linker: every (clitic-prefixed) occurrence of a known name."""
    entities = [Entity(key, key.split(":", 1)[1], key.split(":", 1)[0], list(forms)) for key, forms in names.items()]
    pairs = sorted(((form, key) for key, forms in names.items() for form in forms), key=lambda p: -len(p[0]))
    taken: list[tuple[int, int]] = []
    mentions: list[Mention] = []
    for form, key in pairs:
        pattern = f"(?<![{_AR_LETTER}])(?:[وبلف]|ول|وب)?{re.escape(form)}(?![{_AR_LETTER}])"
        for m in re.finditer(pattern, text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            taken.append(m.span())
            mentions.append(Mention(m.start(), m.end(), m.group(), key, key.split(":", 1)[0]))
    mentions.sort(key=lambda m: m.start)
    return entities, mentions


def _quotes(text: str, **kwargs) -> list[Quote]:
    entities, mentions = _link(text)
    quotes = extract_quotes(text, entities, mentions, **kwargs)
    for q in quotes:  # spans always index the text given
        assert text[q.start:q.end] == q.text
        assert q.kind in ("direct", "indirect")
    return quotes


def _find(quotes: list[Quote], prefix: str) -> Quote:
    found = [q for q in quotes if q.text.startswith(prefix)]
    assert found, f"no quote starting with {prefix!r} in {[q.text[:30] for q in quotes]}"
    return found[0]


def _cut(text: str, start: str, end: str | None = None) -> str:
    i = text.index(start)
    j = text.index(end, i) + len(end) if end else len(text)
    return text[i:j]


# ---------------------------------------------------------------------------
# Seeds
# ---------------------------------------------------------------------------


def _seed(prefix: str) -> str:
    if not SEEDS.is_dir():
        pytest.skip(f"{SEEDS} not found: these tests read the shared seeds next to the repo")
    paths = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not paths:
        pytest.skip(f"seed {prefix} not found in {SEEDS}")
    return paths[0].read_text(encoding="utf-8")


@pytest.fixture
def seed000_main() -> str:
    return _cut(_seed("000"), "أعرب الرئيس الروسي", "إلى البحر الأسود».")


@pytest.fixture
def seed000_second() -> str:
    return _cut(_seed("000"), "قال الكرملين، اليوم الاثنين")


@pytest.fixture
def seed001() -> str:
    return _cut(_seed("001"), "أعلن الرئيس الروسي", "والسلم الدوليين.")


PUTIN = "PER:فلاديمير بوتين"
KURTULMUS = "PER:نعمان قورتولموش"


def test_seed000_main_putin(seed000_main):
    quotes = _quotes(seed000_main)
    direct = [q for q in quotes if q.kind == "direct" and q.speaker_key == PUTIN]
    starts = [q.text[:20] for q in direct]
    assert len(direct) == 3, starts
    q1 = _find(quotes, "جميعنا نرى")
    assert (q1.kind, q1.speaker, q1.cue) == ("direct", "فلاديمير بوتين", "قال")
    assert q1.text.endswith("تمنحنا بعض الأمل")
    q2 = _find(quotes, "النخب الغربية تسعى")
    assert (q2.kind, q2.speaker_key, q2.cue) == ("direct", PUTIN, "حذر")
    q3 = _find(quotes, "النخب الغربية عازمة")
    assert (q3.kind, q3.speaker_key) == ("direct", PUTIN)
    assert q3.cue == "مضيفا"  # continuation cue, resolved to the last speaker
    ind = _find(quotes, "روسيا ستدافع عن مصالحها")
    assert (ind.kind, ind.speaker_key, ind.cue) == ("indirect", PUTIN, "شدد")
    # the short scare-quoted phrase is nobody else's quote
    for q in quotes:
        if "زيادة نشاط أجهزة الاستخبارات" in q.text:
            assert q.speaker_key == PUTIN
    # أعرب ... عن أمله (no أن needed) and مؤكداً أن
    assert _find(quotes, "أمله في تحسن العلاقات").speaker_key == PUTIN
    assert _find(quotes, "الاتصالات الأولية معها").cue == "مؤكدا"


def test_seed000_main_lavrov_and_kurtulmus(seed000_main):
    quotes = _quotes(seed000_main)
    lavrov = _find(quotes, "سيناقش دبلوماسيونا")
    assert (lavrov.kind, lavrov.speaker, lavrov.cue) == ("direct", "سيرغي لافروف", "قال")
    assert lavrov.text.endswith("تعيق عمل السفارات")

    k1 = _find(quotes, "الحرب التي دخلت عامها الرابع")
    assert (k1.kind, k1.speaker_key, k1.cue, k1.medium) == ("direct", KURTULMUS, "أوضح", "مؤتمر صحفي")
    k2 = _find(quotes, "تركيا كونها جارة")
    assert (k2.kind, k2.speaker_key, k2.cue) == ("direct", KURTULMUS, "أكد")  # وأكد أن: continuation
    k3 = _find(quotes, "قامت بتسهيل عملية تبادل الأسرى")
    assert (k3.kind, k3.speaker_key, k3.cue) == ("direct", KURTULMUS, "أشار")  # title-only speaker
    assert k3.text.endswith("إلى البحر الأسود")
    assert len([q for q in quotes if q.speaker_key == KURTULMUS and q.kind == "direct"]) == 3
    # no quote is attributed to the person Kurtulmuş met
    assert not any(q.speaker_key == "PER:فالنتينا ماتفيينكو" for q in quotes)
    # Trump's announcement (subject before the verb: ترامب قد أعلن أنه)
    assert _find(quotes, "سيجري محادثات").speaker_key == "PER:دونالد ترامب"


def test_seed000_second_article(seed000_second):
    quotes = _quotes(seed000_second)
    trump = _find(quotes, "ستبدأ كلتاهما")
    assert (trump.kind, trump.speaker_key, trump.cue, trump.medium) == (
        "direct", "PER:دونالد ترامب", "أضاف", "تروث سوشيال")
    z1 = _find(quotes, "منذ بداية اليوم")
    assert (z1.kind, z1.speaker_key, z1.cue, z1.medium) == (
        "direct", "PER:فولوديمير زيلينسكي", "قال", "تلغرام")
    assert "(فلاديمير) بوتين" in z1.text  # a name inside the quote does not steal it
    z2 = _find(quotes, "وقف أي ضربات")
    assert (z2.kind, z2.speaker_key, z2.cue) == ("direct", "PER:فولوديمير زيلينسكي", "اقترح")
    peskov = _find(quotes, "موقف إدارة الرئيس الأميركي")
    assert (peskov.kind, peskov.speaker, peskov.cue) == ("indirect", "ديمتري بيسكوف", "صرح")
    assert peskov.text.endswith("هذا الأسبوع")  # stops before "، وفق “الشرق الأوسط”"
    kremlin = _find(quotes, "الرئيس فلاديمير بوتين وروسيا")
    assert (kremlin.kind, kremlin.speaker, kremlin.speaker_key, kremlin.cue) == (
        "indirect", "الكرملين", "ORG:الكرملين", "قال")
    assert kremlin.text.endswith("مستمر")
    # media/outlet names in quote marks are not quotes
    texts = {q.text for q in quotes}
    assert not texts & {"تروث سوشيال", "تلغرام", "الشرق الأوسط", "لا تنوي إنهاء الحرب"}


def test_seed001_all_indirect_by_putin(seed001):
    quotes = _quotes(seed001)
    assert quotes and all(q.kind == "indirect" for q in quotes)
    assert all(q.speaker_key == PUTIN for q in quotes), [(q.speaker, q.text[:30]) for q in quotes]
    assert len(quotes) >= 5
    cues = [q.cue for q in quotes]
    for cue in ("أعلن", "أكد", "أوضح", "مشددا", "أشار", "مؤكدا"):
        assert cue in cues
    first = _find(quotes, "روسيا مستعدة للدخول")
    assert first.medium == "تصريحات"
    # وأوضح الرئيس الروسي أن: title-only, resolved by the fallback
    assert _find(quotes, "موسكو لا تمانع").speaker == "فلاديمير بوتين"
    # the ", مشدداً على أن" clause is cut out of the previous one
    assert _find(quotes, "موسكو لا تمانع").text.endswith("بشكل جاد وبنّاء")


def test_seed000_whole_page_has_no_junk():
    page = _seed("000")
    quotes = _quotes(page)
    assert all(q.speaker is not None for q in quotes)
    assert not any(q.text in ("تروث سوشيال", "تلغرام") for q in quotes)


# ---------------------------------------------------------------------------
# Direct quotes
# ---------------------------------------------------------------------------


def test_quote_marks_straight_curly_and_reversed():
    for text in (
        'وقال ترامب: "سنعقد اتفاقا عظيما مع روسيا قريبا".',
        "وقال ترامب: “سنعقد اتفاقا عظيما مع روسيا قريبا”.",
        "وقال ترامب: ”سنعقد اتفاقا عظيما مع روسيا قريبا“.",
        "وقال ترامب: «سنعقد اتفاقا عظيما مع روسيا قريبا».",
    ):
        [q] = _quotes(text)
        assert (q.text, q.kind, q.speaker_key, q.cue) == (
            "سنعقد اتفاقا عظيما مع روسيا قريبا", "direct", "PER:دونالد ترامب", "قال")


def test_nested_quote_is_one_quote():
    text = 'وقال بوتين: «إن ما وصفه الغرب بـ"العملية الخاصة" لن يتوقف قريبا».'
    [q] = _quotes(text)
    assert q.text == 'إن ما وصفه الغرب بـ"العملية الخاصة" لن يتوقف قريبا'
    assert q.speaker_key == PUTIN


def test_unclosed_quote_runs_to_line_end():
    text = "وقال بوتين: «روسيا لن تتراجع عن أهدافها في أوكرانيا\nوانتهى الاجتماع في وقت متأخر."
    [q] = _quotes(text)
    assert q.text == "روسيا لن تتراجع عن أهدافها في أوكرانيا"
    assert q.speaker_key == PUTIN


def test_stray_closing_mark_is_ignored():
    text = "وقال بوتين» إن روسيا ستواصل العمل مع شركائها."
    [q] = _quotes(text)
    assert (q.kind, q.text, q.speaker_key) == ("indirect", "روسيا ستواصل العمل مع شركائها", PUTIN)


def test_short_quoted_names_and_scare_quotes_are_not_quotes():
    assert _quotes("ونشر الخبر عبر تطبيق «تلغرام» مساء أمس.") == []
    assert _quotes("ويأتي ذلك في مواجهة «زيادة نشاط أجهزة الاستخبارات الأجنبية» في البلاد.") == []
    # a cue far before the quoted phrase does not make it speech
    assert _quotes("وشدد على ضرورة التصدي في مواجهة «زيادة نشاط أجهزة الاستخبارات الأجنبية».") == []


def test_trailing_attribution():
    [q] = _quotes("«لن نسمح بأي تهديد لأمننا القومي»، قال بوتين في كلمة متلفزة.")
    assert (q.kind, q.speaker_key, q.cue, q.medium) == ("direct", PUTIN, "قال", "كلمة")
    [q] = _quotes("«لن نسمح بأي تهديد لأمننا القومي»، بحسب بوتين.")
    assert (q.speaker_key, q.cue) == (PUTIN, "بحسب")


def test_chained_quotes_and_paragraph_quote_keep_the_speaker():
    quotes = _quotes('وقال بوتين: «روسيا قوية جدا اليوم»، و«لن تسمح لأحد بتهديدها أبدا».')
    assert [q.text for q in quotes] == ["روسيا قوية جدا اليوم", "لن تسمح لأحد بتهديدها أبدا"]
    assert all(q.speaker_key == PUTIN and q.kind == "direct" for q in quotes)
    quotes = _quotes("وقال بوتين إن الوضع خطير للغاية.\n«نحن مستعدون للحوار مع الجميع دون أي شروط مسبقة».")
    assert [(q.kind, q.speaker_key) for q in quotes] == [("indirect", PUTIN), ("direct", PUTIN)]


def test_colon_quote_after_pronoun_verb_continues_last_speaker():
    text = "وقال زيلينسكي إن الهجمات مستمرة. وتابع: «لن نتوقف عن الدفاع عن أرضنا»."
    quotes = _quotes(text)
    q = _find(quotes, "لن نتوقف")
    assert (q.kind, q.speaker_key, q.cue) == ("direct", "PER:فولوديمير زيلينسكي", "تابع")


# ---------------------------------------------------------------------------
# Indirect speech and speakers
# ---------------------------------------------------------------------------


def test_cue_spellings_diacritics_and_hamza():
    for text, cue in (
        ("وأكّد بوتين أنّ روسيا ستواصل العمل مع شركائها.", "أكد"),
        ("واكد بوتين ان روسيا ستواصل العمل مع شركائها.", "اكد"),
        ("فأكد بوتين أن روسيا ستواصل العمل مع شركائها.", "أكد"),
        ("وقالت روسيا إن روسيا ستواصل العمل مع شركائها.", "قالت"),
    ):
        [q] = _quotes(text)
        assert q.kind == "indirect" and q.cue == cue
        assert q.text == "روسيا ستواصل العمل مع شركائها"
    [q] = _quotes("وقالت روسيا إن الجيش سيواصل العمليات.")
    assert (q.speaker_key, q.speaker) == ("LOC:روسيا", "روسيا")


def test_org_speaker_and_statement_medium():
    [q] = _quotes("وقالت وزارة الخارجية الروسية في بيان إن العقوبات الجديدة غير قانونية.")
    assert (q.speaker_key, q.cue, q.medium) == ("ORG:وزارة الخارجية الروسية", "قالت", "بيان")


def test_title_then_name_and_skipped_phrases():
    text = "وقالت المتحدثة باسم الخارجية الروسية ماريا زاخاروفا، في مؤتمر صحفي، إن موسكو سترد على أي خطوة عدائية."
    [q] = _quotes(text)
    assert (q.speaker_key, q.medium, q.text) == (
        "PER:ماريا زاخاروفا", "مؤتمر صحفي", "موسكو سترد على أي خطوة عدائية")
    # the person in a prepositional phrase after the subject is not the speaker
    [q] = _quotes("وقال ترامب لأردوغان إن واشنطن تدعم أنقرة.")
    assert q.speaker_key == "PER:دونالد ترامب"


def test_title_only_speaker_resolve_title_callback_and_fallback():
    text = "وقال الرئيس التركي في مقابلة تلفزيونية إن بلاده لن تتخلى عن دورها."
    [q] = _quotes(text)
    assert (q.speaker, q.speaker_key, q.medium) == ("الرئيس التركي", None, "مقابلة تلفزيونية")
    erdogan = Entity("PER:رجب طيب أردوغان", "رجب طيب أردوغان", "PER")
    seen = []

    def resolve(title: str) -> Entity | None:
        seen.append(title)
        return erdogan if title == "الرئيس التركي" else None

    [q] = _quotes(text, resolve_title=resolve)
    assert seen == ["الرئيس التركي"]
    assert (q.speaker, q.speaker_key) == ("رجب طيب أردوغان", "PER:رجب طيب أردوغان")
    # fallback: the same title followed by a name elsewhere in the article
    text2 = "التقى الرئيس التركي رجب طيب أردوغان وفدا روسيا. " + text
    quotes = _quotes(text2)
    assert _find(quotes, "بلاده لن تتخلى").speaker_key == "PER:رجب طيب أردوغان"


def test_unknown_subject_is_not_guessed():
    text = "وقال بوتين إن الوضع معقد. وقال مراقبون إن المحادثات لن تحقق أي تقدم يذكر."
    quotes = _quotes(text)
    assert _find(quotes, "المحادثات لن تحقق").speaker is None
    [q] = _quotes("وقال مسؤول أميركي إن المحادثات ستستأنف الأسبوع المقبل.")
    assert (q.speaker, q.speaker_key) == ("مسؤول أميركي", None)


def test_turn_marker_passes_to_the_person_just_named():
    text = (
        "وقال بوتين إن روسيا مستعدة للحوار. والتقى بوتين نظيره التركي رجب طيب أردوغان في أنقرة. "
        "من جهته، قال إن تركيا مستعدة للوساطة بين الطرفين."
    )
    q = _find(_quotes(text), "تركيا مستعدة للوساطة")
    assert q.speaker_key == "PER:رجب طيب أردوغان"


def test_pronoun_subject_and_prepositional_mentions():
    # "لكنه أكد" goes to the subject of the sentence, not the last speaker
    text = ("وقال ترامب إن الاتفاق قريب. واتهم الرئيس الأوكراني فولوديمير زيلينسكي روسيا بخرق الهدنة، "
            "لكنه أكد أنه لم تحدث أي غارات جوية.")
    q = _find(_quotes(text), "لم تحدث أي غارات")
    assert q.speaker_key == "PER:فولوديمير زيلينسكي"
    # a name after مع is not the subject: the last speaker keeps it
    text = "وقال بوتين إن الوضع معقد.\nوفي اتصال هاتفي مع أردوغان، أكد أن بلاده تدعم الحل السلمي."
    q = _find(_quotes(text), "بلاده تدعم")
    assert (q.speaker_key, q.medium) == (PUTIN, "اتصال هاتفي")


def test_relay_verb_gives_the_quoted_person():
    [q] = _quotes("ونقلت وكالة تاس عن بيسكوف قوله إن الكرملين يرحب بالمبادرة.")
    assert (q.speaker_key, q.cue, q.text) == ("PER:ديمتري بيسكوف", "نقلت", "الكرملين يرحب بالمبادرة")


def test_prepositional_complements():
    [q] = _quotes("ودعا بوتين إلى وقف فوري لإطلاق النار في المنطقة.")
    assert (q.speaker_key, q.cue, q.text) == (PUTIN, "دعا", "وقف فوري لإطلاق النار في المنطقة")
    [q] = _quotes("وطالب أردوغان بوقف الهجمات على المدنيين فوراً.")
    assert (q.speaker_key, q.cue, q.text) == ("PER:رجب طيب أردوغان", "طالب", "وقف الهجمات على المدنيين فوراً")


def test_conjunction_an_is_not_a_complementizer():
    assert _quotes("وأعلن الجيش بعد أن سيطر على المدينة وقف العمليات العسكرية.") == []


def test_embedded_and_coordinated_cues():
    # an embedded report stays inside the clause
    [q] = _quotes("وقال بوتين إن الحكومة أكدت أن الوضع مستقر.")
    assert q.text == "الحكومة أكدت أن الوضع مستقر" and q.speaker_key == PUTIN
    # a coordinated one starts a new quote by the same speaker
    quotes = _quotes("وقال بوتين إن الوضع مستقر، مضيفاً أن الاقتصاد ينمو بسرعة.")
    assert [(q.text, q.cue, q.speaker_key) for q in quotes] == [
        ("الوضع مستقر", "قال", PUTIN), ("الاقتصاد ينمو بسرعة", "مضيفا", PUTIN)]


def test_according_to_sources():
    [q] = _quotes("وارتفع عدد القتلى إلى 20 شخصاً، بحسب رويترز.")
    assert (q.kind, q.speaker_key, q.cue, q.text) == ("indirect", "ORG:رويترز", "بحسب", "وارتفع عدد القتلى إلى 20 شخصاً")
    [q] = _quotes("وتراجعت أسعار النفط بشكل حاد هذا الأسبوع، وفقاً لـ«الشرق الأوسط».")
    assert (q.speaker, q.speaker_key, q.cue) == ("الشرق الأوسط", None, "وفقا")
    [q] = _quotes("وبحسب وكالة رويترز، فإن المحادثات ستستأنف الأسبوع المقبل.")
    assert q.speaker_key == "ORG:رويترز" and q.text.startswith("فإن المحادثات")
    # "according to the law" is no source
    assert _quotes("وسيتم تطبيق الإجراءات الجديدة وفق القانون المعمول به منذ سنوات.") == []


def test_glued_words_from_scraping():
    text = "أخبار ذات صلةأعرب بوتين عن أمله في تحسن العلاقات مع واشنطن."
    [q] = _quotes(text)
    assert (q.cue, q.speaker_key, q.text) == ("أعرب", PUTIN, "أمله في تحسن العلاقات مع واشنطن")


def test_degenerate_inputs():
    assert extract_quotes("", [], []) == []
    assert extract_quotes("«", [], []) == []
    assert extract_quotes("قال", [], []) == []
    assert extract_quotes("«»«»“”\"\"", [], []) == []
    quotes = extract_quotes("وقال: «لا».", [], [])
    assert [(q.text, q.speaker) for q in quotes] == [("لا", None)]


# ---------------------------------------------------------------------------
# Speed
# ---------------------------------------------------------------------------

_BENCH_ARTICLE = (
    "أعرب الرئيس الروسي فلاديمير بوتين أمس، عن أمله في تحسن العلاقات مع الإدارة الأميركية، "
    "مؤكداً أن الاتصالات الأولية معها تمنح بعض الأمل في تطور إيجابي رغم التحديات المتوقعة.\n"
    "وقال بوتين خلال اجتماع موسع: «جميعنا نرى مدى سرعة تغير الوضع في العالم وفي هذا السياق أود "
    "أن أشير إلى أن الاتصالات الأولى مع الإدارة الأميركية تمنحنا بعض الأمل».\n"
    "وجرت أمس محادثات الوفدين الروسي والأميركي في إطار تطبيع العلاقات بين البلدين والتي دامت لمدة "
    "ست ساعات ونصف في القنصلية العامة باسطنبول، وسط اهتمام إعلامي واسع ومتابعة دقيقة من العواصم.\n"
    "وأوضح قورتولموش، في مؤتمر صحفي عقده أمس في العاصمة أنقرة، أن «الحرب التي دخلت عامها الرابع "
    "تسببت في مقتل آلاف الأبرياء ودمار المدن والبنية التحتية».\n"
    "وأشار رئيس البرلمان التركي إلى أن بلاده «قامت بتسهيل عملية تبادل الأسرى بين البلدين».\n"
    "وارتفع عدد القتلى إلى عشرين شخصاً في الهجمات الأخيرة على المدن الشرقية، بحسب رويترز.\n"
) * 2


def test_speed_articles_per_second():
    entities, mentions = _link(_BENCH_ARTICLE)
    words = len(_BENCH_ARTICLE.split())
    assert 250 <= words <= 400
    extract_quotes(_BENCH_ARTICLE, entities, mentions)  # warm the caches
    n = 300
    t0 = time.perf_counter()
    for _ in range(n):
        extract_quotes(_BENCH_ARTICLE, entities, mentions)
    rate = n / (time.perf_counter() - t0)
    # ~2,000/s on a quiet machine (speed is measured by bench/enrich.py); this floor only
    # catches a pathological regression (regex backtracking), even on a loaded CI machine
    assert rate > 100, f"{rate:.0f} articles/s"
