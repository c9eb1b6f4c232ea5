"""Tests for rasd.enrich.link: KB spans, alias resolution, surnames, titles, unknown entities.

Spans that a NER tagger would propose are given by hand (``ner``), so these
tests do not depend on the tagger.
"""
from __future__ import annotations

import pytest

from rasd.enrich.kb import KnowledgeBase
from rasd.enrich.link import find_kb_spans, link_mentions, resolve_title, title_spans
from rasd.records import Entity


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load()


def ner(text: str, *surfaces: str, type_: str = "PER", occurrence: int = 0) -> list[tuple[int, int, str]]:
    """Spans of ``surfaces`` in ``text`` (the ``occurrence``-th one, -1 = last), as a tagger would give."""
    out = []
    for s in surfaces:
        idx = [i for i in range(len(text)) if text.startswith(s, i)]
        assert idx, s
        i = idx[occurrence]
        out.append((i, i + len(s), type_))
    return out


def link(text: str, kb: KnowledgeBase, extra=(), **kw):
    entities, mentions = link_mentions(text, find_kb_spans(text, kb) + list(extra), kb, **kw)
    for m in mentions:  # every mention points exactly into the text
        assert text[m.start:m.end] == m.surface
    assert len({e.key for e in entities}) == len(entities)
    assert {m.entity_key for m in mentions} == {e.key for e in entities}
    return entities, mentions


def key_of(mentions, surface: str, nth: int = 0) -> str:
    found = [m.entity_key for m in mentions if m.surface == surface]
    assert len(found) > nth, (surface, [(m.surface, m.entity_key) for m in mentions])
    return found[nth]


def surfaces(text: str, kb: KnowledgeBase) -> dict[str, str]:
    return {text[s:e]: t for s, e, t in find_kb_spans(text, kb)}


# --- find_kb_spans -------------------------------------------------------------------


def test_kb_spans_tolerate_clitics_and_keep_them_in_the_span(kb):
    text = "قال وبوتين لبوتين إن المحادثات باسطنبول والولايات المتحدة للأمم المتحدة ستستمر."
    found = surfaces(text, kb)
    assert found == {
        "وبوتين": "PER", "لبوتين": "PER", "باسطنبول": "LOC",
        "والولايات المتحدة": "LOC", "للأمم المتحدة": "ORG",
    }


def test_kb_spans_longest_match_on_token_boundaries(kb):
    text = "نشرت واشنطن بوست تقريرا عن واشنطن وعن منطقة الشرق الأوسط كما بثت روسيا اليوم."
    found = surfaces(text, kb)
    assert found["واشنطن بوست"] == "ORG" and found["واشنطن"] == "LOC"
    assert found["منطقة الشرق الأوسط"] == "LOC"
    assert found["روسيا اليوم"] == "ORG"
    assert "روسيا" not in found  # inside the outlet's name
    assert not surfaces("تحدث ترامبولين عن البوتينات", kb)  # no match inside a word


def test_kb_spans_plus_sign_and_dotted_acronyms(kb):
    text = "اتفقت أوبك+ على خفض الإنتاج، بحسب بي.بي.سي وأوبك."
    found = surfaces(text, kb)
    assert found["أوبك+"] == "ORG" and found["بي.بي.سي"] == "ORG" and found["وأوبك"] == "ORG"
    entities, mentions = link(text, kb)
    assert key_of(mentions, "أوبك+") == "ORG:أوبك+" and key_of(mentions, "وأوبك") == "ORG:أوبك"


def test_weak_names_need_support(kb):
    # a common word that is also an outlet: only when quoted or after a media word
    assert "سبق" not in surfaces("كما سبق أن أعلنت الوزارة.", kb)
    assert surfaces("وقال لـ«سبق» إن الوضع مستقر.", kb)["سبق"] == "ORG"
    assert surfaces("وفق “الشرق الأوسط” فإن الاتفاق قريب.", kb)["الشرق الأوسط"] == "ORG"
    assert surfaces("في منطقة الشرق الأوسط وفي الشرق الأوسط", kb) == {
        "منطقة الشرق الأوسط": "LOC", "الشرق الأوسط": "LOC"}
    # a surname that is a common word: only when the text names the person too
    assert "الشرع" not in surfaces("وفق أحكام الشرع والقانون.", kb)
    text = "التقى الرئيس السوري أحمد الشرع وفدا، وقال الشرع إن البلاد تتعافى."
    assert [text[s:e] for s, e, _ in find_kb_spans(text, kb)] == ["أحمد الشرع", "الشرع"]


def test_a_name_inside_another_name_is_not_a_mention(kb):
    # someone else's nasab: فيصل بن سلمان is not محمد بن سلمان
    assert not any(t == "PER" for t in surfaces("استقبل الأمير فيصل بن سلمان أمير منطقة المدينة المنورة الوفد.", kb).values())
    assert surfaces("وقال بن سلمان إن الرؤية تتقدم.", kb) == {"بن سلمان": "PER"}
    # an institution named after a person
    found = surfaces("وقال المتحدث باسم مركز الملك سلمان للإغاثة إن القافلة وصلت، وتقع جامعة الملك سلمان جنوبا.", kb)
    assert found == {"مركز الملك سلمان للإغاثة": "ORG"}


def test_ambiguous_name_uses_article_context(kb):
    text = "وصل الوفد إلى عمان حيث التقى وزير الخارجية الأردني."
    assert key_of(link(text, kb)[1], "عمان") == "LOC:عمّان"
    text = "وصل الوفد إلى عمان حيث التقى السلطان في مسقط."
    assert key_of(link(text, kb)[1], "عمان") == "LOC:عُمان"


# --- alias resolution ------------------------------------------------------------------


def test_clitics_are_stripped_for_the_entity_not_the_mention(kb):
    text = "التقى فلاديمير بوتين الوفد. وقال بوتين إن لبوتين رأيا، ووصل وفد باسطنبول."
    entities, mentions = link(text, kb)
    putin = [m for m in mentions if m.entity_key == "PER:فلاديمير بوتين"]
    assert [m.surface for m in putin] == ["فلاديمير بوتين", "بوتين", "لبوتين"]
    assert key_of(mentions, "باسطنبول") == "LOC:إسطنبول"
    by_key = {e.key: e for e in entities}
    assert by_key["LOC:إسطنبول"].type == "LOC" and by_key["LOC:إسطنبول"].name == "إسطنبول"
    assert "اسطنبول" in by_key["LOC:إسطنبول"].aliases
    aliases = by_key["PER:فلاديمير بوتين"].aliases
    assert "بوتين" in aliases and "لبوتين" not in aliases


def test_trump_spellings_across_articles_share_one_key(kb):
    _, m1 = link("وقال الرئيس الأميركي دونالد ترامب إن ترامب سيزور المنطقة.", kb)
    _, m2 = link("وأكد ترمب أن المحادثات مثمرة.", kb)
    _, m3 = link("وأكد دونالد ترمب أن المحادثات مثمرة.", kb)
    assert {m.entity_key for m in m1 + m2 + m3} == {"PER:دونالد ترامب"}


@pytest.mark.parametrize(
    ("text", "span", "key"),
    [
        ("وقال زيلنسكي إن بلاده مستعدة.", "زيلنسكي", "PER:فولوديمير زيلينسكي"),
        ("وقال فلاديمير زيلنسكي إن بلاده مستعدة.", "فلاديمير زيلنسكي", "PER:فولوديمير زيلينسكي"),
        ("وقال سيرجي لافروف إن موسكو مستعدة.", "سيرجي لافروف", "PER:سيرغي لافروف"),
        ("وصل الوفد إلى أمريكا أمس.", "أمريكا", "LOC:الولايات المتحدة"),
        ("وصل الوفد إلى أميركا أمس.", "أميركا", "LOC:الولايات المتحدة"),
        ("وصل الوفد إلى الولايات المتحدة الأمريكية أمس.", "الولايات المتحدة الأمريكية", "LOC:الولايات المتحدة"),
    ],
)
def test_spelling_variants(kb, text, span, key):
    assert key_of(link(text, kb)[1], span) == key


def test_skeleton_links_tagger_spans_to_known_entities_only(kb):
    # a spelling in no alias list, proposed by the tagger: the skeleton finds Zelensky
    text = "وقال زيلينيسكي إن الهجوم فشل."
    _, mentions = link(text, kb, ner(text, "زيلينيسكي"))
    assert key_of(mentions, "زيلينيسكي") == "PER:فولوديمير زيلينسكي"
    # but a different first name is a different person
    text = "وقال هانتر بايدن إن والده سيترشح."
    _, mentions = link(text, kb, ner(text, "هانتر بايدن"))
    assert key_of(mentions, "هانتر بايدن") == "PER:هانتر بايدن"


def test_surname_links_to_the_full_name_in_the_article(kb):
    text = "بوتين: لا تراجع. وقال الرئيس فلاديمير بوتين إن روسيا مستعدة، وأضاف بوتين أن الحوار ممكن."
    _, mentions = link(text, kb)
    assert {m.entity_key for m in mentions if "بوتين" in m.surface} == {"PER:فلاديمير بوتين"}


def test_two_people_sharing_a_surname_stay_two(kb):
    text = ("التقى جو بايدن نجله هانتر بايدن. وقال بايدن إنه فخور به. "
            "ثم تحدث جو بايدن مجددا، وقال بايدن إن الحملة مستمرة.")
    entities, mentions = link(text, kb, ner(text, "هانتر بايدن"))
    assert {e.key for e in entities} == {"PER:جو بايدن", "PER:هانتر بايدن"}
    biden = [(m.surface, m.entity_key) for m in mentions]
    assert biden == [
        ("جو بايدن", "PER:جو بايدن"),
        ("هانتر بايدن", "PER:هانتر بايدن"),
        ("بايدن", "PER:هانتر بايدن"),  # most recent full name before it
        ("جو بايدن", "PER:جو بايدن"),
        ("بايدن", "PER:جو بايدن"),
    ]


def test_fictional_namesakes_and_the_lone_surname(kb):
    text = "قال سامر الخطيب إن الوضع صعب، وردت ليلى الخطيب بأن الخطيب مخطئ."
    spans = ner(text, "سامر الخطيب", "ليلى الخطيب") + ner(text, "الخطيب", occurrence=-1)
    entities, mentions = link(text, kb, spans)
    assert [e.key for e in entities] == ["PER:سامر الخطيب", "PER:ليلى الخطيب"]
    assert [m.entity_key for m in mentions] == ["PER:سامر الخطيب", "PER:ليلى الخطيب", "PER:ليلى الخطيب"]
    # before any full name, the first full name after it
    text = "الخطيب يرد. وقال سامر الخطيب إن الرد جاهز."
    _, mentions = link(text, kb, ner(text, "الخطيب") + ner(text, "سامر الخطيب"))
    assert [m.entity_key for m in mentions] == ["PER:سامر الخطيب", "PER:سامر الخطيب"]


def test_lone_surname_across_articles(kb):
    # unique in the KB: linked
    _, mentions = link("وقال بايدن إن الاقتصاد يتحسن.", kb)
    assert key_of(mentions, "بايدن") == "PER:جو بايدن"
    # shared by several KB people: its own entity, keyed on the surname
    entities, mentions = link("وقال بارزاني إن الإقليم مستعد.", kb)
    assert key_of(mentions, "بارزاني") == "PER:بارزاني"
    assert entities[0].type == "PER"
    # ... unless the article names one of them in full
    _, mentions = link("وقال مسرور بارزاني إن الإقليم مستعد، وأضاف بارزاني أن الحوار مستمر.", kb)
    assert {m.entity_key for m in mentions} == {"PER:مسرور بارزاني"}


def test_unknown_entities_take_their_longest_form(kb):
    text = "وقال لسامر الخطيب صديقه إن سامر سيعود. وأكد الخطيب ذلك، ثم وصل وفد شركة النخيل المتحدة."
    spans = (ner(text, "لسامر الخطيب") + ner(text, "الخطيب", occurrence=-1)
             + ner(text, "شركة النخيل المتحدة", type_="ORG"))
    entities, mentions = link(text, kb, spans)
    assert [e.key for e in entities] == ["PER:سامر الخطيب", "ORG:شركة النخيل المتحدة"]
    assert entities[0].name == "سامر الخطيب" and entities[0].aliases == ["الخطيب"]
    assert [m.surface for m in mentions if m.type == "PER"] == ["لسامر الخطيب", "الخطيب"]


def test_conjunction_guess_on_unknown_names(kb):
    # ف/و at the start of a name is part of it unless the article shows otherwise
    text = "وقال فارس النجار إن وفارس النجار صديقان؟ ووسام العلي وصل."
    spans = ner(text, "فارس النجار", "وفارس النجار", "ووسام العلي")
    entities, mentions = link(text, kb, spans)
    assert [e.key for e in entities] == ["PER:فارس النجار", "PER:وسام العلي"]


def test_ner_span_with_title_or_honorific(kb):
    text = "وقال الرئيس الروسي فلاديمير بوتين إن ... وأكد الأمير محمد بن سلمان أن ..."
    spans = ner(text, "الرئيس الروسي فلاديمير بوتين", "الأمير محمد بن سلمان")
    _, mentions = link(text, kb, spans)
    assert [(m.surface, m.entity_key) for m in mentions] == [
        ("الرئيس الروسي", "PER:فلاديمير بوتين"),
        ("فلاديمير بوتين", "PER:فلاديمير بوتين"),
        ("الأمير محمد بن سلمان", "PER:محمد بن سلمان"),
    ]
    # a nested KB surname loses to the tagger's longer name
    text = "استقبل الأمير فيصل بن سلمان الوفد."
    entities, _ = link(text, kb, ner(text, "الأمير فيصل بن سلمان"))
    assert [e.key for e in entities] == ["PER:فيصل بن سلمان"]


def test_type_comes_from_the_kb_and_spans_are_snapped(kb):
    text = "أعلن الكرملين، أن الاجتماع تأجل."
    # a tagger span with the wrong type and a trailing comma
    i = text.index("الكرملين")
    _, mentions = link_mentions(text, [(i - 1, i + len("الكرملين") + 1, "LOC")], kb)
    assert [(m.surface, m.entity_key, m.type) for m in mentions] == [("الكرملين", "ORG:الكرملين", "ORG")]
    assert link_mentions("", [], kb) == ([], [])
    assert link_mentions("نص بلا أسماء", [(0, 0, "PER"), (50, 60, "PER")], kb) == ([], [])


# --- titles -------------------------------------------------------------------------------


def test_title_links_only_when_the_article_names_the_person(kb):
    text = "وقال الرئيس الروسي إن المحادثات ستستمر. وأكد بوتين أن موسكو مستعدة."
    _, mentions = link(text, kb)
    assert key_of(mentions, "الرئيس الروسي") == "PER:فلاديمير بوتين"
    text = "وقال الرئيس الروسي إن المحادثات ستستمر في موسكو."
    entities, mentions = link(text, kb)
    assert [m.surface for m in mentions] == ["موسكو"]
    assert [e.key for e in entities] == ["LOC:موسكو"]


def test_title_before_a_name_wins_and_repeats(kb):
    text = ("وقال المتحدث باسم الكرملين ديمتري بيسكوف إن الرد سيأتي. "
            "وأضاف المتحدث باسم الكرملين أن الموعد لم يحدد.")
    _, mentions = link(text, kb)
    titles = [m for m in mentions if m.surface == "المتحدث باسم الكرملين"]
    assert [m.entity_key for m in titles] == ["PER:ديمتري بيسكوف"] * 2
    assert all(m.type == "PER" for m in titles)
    assert [m.entity_key for m in mentions if m.surface == "الكرملين"] == ["ORG:الكرملين"] * 2


def test_title_the_kb_does_not_know_is_learned_in_the_article(kb):
    text = ("قال وزير الدفاع البريطاني جون هيلي إن لندن ستدعم كييف. "
            "وأضاف وزير الدفاع البريطاني أن الدعم مستمر.")
    _, mentions = link(text, kb, ner(text, "جون هيلي"))
    assert [m.entity_key for m in mentions if m.surface == "وزير الدفاع البريطاني"] == ["PER:جون هيلي"] * 2
    # a conjunction breaks the apposition; an honorific + first name is not a title
    text = "ولي العهد نائب رئيس مجلس الوزراء وزير الداخلية، والأمير محمد بن سلمان ولي ولي العهد."
    _, mentions = link(text, kb, year=2016)
    assert "وزير الداخلية" not in [m.surface for m in mentions]


def test_title_year_and_recency_pick_the_holder(kb):
    text = "التقى جو بايدن ودونالد ترامب في البيت الأبيض، وقال الرئيس الأميركي إن الانتقال سلس."
    _, m2024 = link(text, kb, year=2024)
    assert key_of(m2024, "الرئيس الأميركي") == "PER:جو بايدن"
    _, m2026 = link(text, kb, year=2026)
    assert key_of(m2026, "الرئيس الأميركي") == "PER:دونالد ترامب"


def test_title_spans_and_resolve_title(kb):
    text = "وقال الرئيس الروسي إن وزير الخارجية الروسي سيزور أنقرة."
    assert [(text[s:e], t) for s, e, t in title_spans(text, kb)] == [
        ("الرئيس الروسي", "الرئيس الروسي"), ("وزير الخارجية الروسي", "وزير الخارجية الروسي")]
    putin = Entity("PER:فلاديمير بوتين", "فلاديمير بوتين", "PER")
    lavrov = Entity("PER:سيرغي لافروف", "سيرغي لافروف", "PER")
    ankara = Entity("LOC:أنقرة", "أنقرة", "LOC")
    assert resolve_title("الرئيس الروسي", [ankara, lavrov, putin], kb) is putin
    assert resolve_title("وزير الخارجية الروسي", [ankara, lavrov, putin], kb) is lavrov
    assert resolve_title("للرئيس الروسي", [ankara, lavrov], kb) is None  # nobody named holds it
    assert resolve_title("سائق الحافلة", [putin], kb) is None
    biden = Entity("PER:جو بايدن", "جو بايدن", "PER")
    trump = Entity("PER:دونالد ترامب", "دونالد ترامب", "PER")
    assert resolve_title("الرئيس الأمريكي", [biden, trump], kb, year=2023) is biden
    assert resolve_title("الرئيس الأمريكي", [biden, trump], kb) is trump  # the current holder


# --- the real seed pages ---------------------------------------------------------------------


def _seed(seeds_dir, prefix: str) -> str:
    files = sorted(seeds_dir.glob(f"{prefix}_*.txt"))
    if not files:
        pytest.skip(f"no seed {prefix} in {seeds_dir}")
    return files[0].read_text(encoding="utf-8")


def test_seed_000_kb_spans(kb, seeds_dir):
    text = _seed(seeds_dir, "000")
    entities, mentions = link_mentions(text, find_kb_spans(text, kb), kb)
    keys = {m.entity_key for m in mentions}
    for name in ("فلاديمير بوتين", "سيرغي لافروف", "دونالد ترامب", "فولوديمير زيلينسكي",
                 "ديمتري بيسكوف", "نعمان قورتولموش", "فالنتينا ماتفيينكو"):
        assert f"PER:{name}" in keys, name
    for name in ("روسيا", "أوكرانيا", "واشنطن", "إسطنبول", "الرياض", "أنقرة", "تركيا", "البحر الأسود"):
        assert f"LOC:{name}" in keys, name
    assert key_of(mentions, "ترامب") == key_of(mentions, "ترمب") == "PER:دونالد ترامب"
    assert key_of(mentions, "باسطنبول") == "LOC:إسطنبول"
    assert key_of(mentions, "رئيس البرلمان التركي") == "PER:نعمان قورتولموش"
    assert key_of(mentions, "الشرق الأوسط") == "ORG:صحيفة الشرق الأوسط"  # 'وفق “الشرق الأوسط”'
    for m in mentions:
        assert text[m.start:m.end] == m.surface
    # nothing but KB entities from KB spans
    assert all(kb.get(e.key) is not None for e in entities)


def test_seed_001(kb, seeds_dir):
    text = _seed(seeds_dir, "001")
    _, mentions = link_mentions(text, find_kb_spans(text, kb), kb)
    assert key_of(mentions, "الرئيس الروسي") == "PER:فلاديمير بوتين"
    assert key_of(mentions, "بإسطنبول") == "LOC:إسطنبول"
    assert key_of(mentions, "وكييف") == "LOC:كييف"
    assert {m.entity_key for m in mentions if m.type == "PER"} == {"PER:فلاديمير بوتين"}
