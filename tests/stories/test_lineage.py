"""Lineage of a story's articles: original, copy, rewrite, novelty — on the real seed stories."""
from __future__ import annotations

from pathlib import Path

import pytest

from rasd.arabic import sentences
from rasd.records import Quote, StoryDoc
from rasd.stories.dedup import NearDuplicateIndex
from rasd.stories.lineage import REWRITE_NOVELTY, content_stems, lineage

PUTIN = "PER:فلاديمير بوتين"


def cut(text: str, start: str, end: str) -> str:
    i = text.index(start)
    return text[i : text.index(end, i) + len(end)]


def quote(body: str, text: str, kind: str, speaker_key: str) -> Quote:
    start = body.index(text)
    return Quote(text=text, kind=kind, start=start, end=start + len(text),
                 speaker=speaker_key.split(":", 1)[1], speaker_key=speaker_key)


def story_doc(article_id: str, body: str, entities: list[str], quotes: list[Quote],
              published: str, title: str | None = None, seq: int = 0) -> StoryDoc:
    return StoryDoc(
        article_id=article_id, title=title, body=body, published=published, outlet=None, seq=seq,
        entities={k: 1 for k in entities},
        entity_types={k: k.split(":", 1)[0] for k in entities},
        entity_names={k: k.split(":", 1)[1] for k in entities},
        quotes=quotes,
    )


# ---------------------------------------------------------------------------
# The seed stories. Entities and quotes are given by hand, as the enrich stage
# finds them in these bodies (speakers as entity keys).


@pytest.fixture
def seed_texts(seeds_dir: Path) -> tuple[str, str]:
    s0 = (seeds_dir / "000_61762e02e1598835.txt").read_text(encoding="utf-8")
    s1 = (seeds_dir / "001_af79d5efe3dab62c.txt").read_text(encoding="utf-8")
    return s0, s1


@pytest.fixture
def seed000(seed_texts) -> StoryDoc:
    body = cut(seed_texts[0], "أعرب الرئيس الروسي", "إلى البحر الأسود».")
    quotes = [
        quote(body, "أمله في تحسن العلاقات مع الإدارة الأميركية", "indirect", PUTIN),
        quote(body, "الاتصالات الأولية معها تمنح بعض الأمل في تطور إيجابي رغم التحديات المتوقعة", "indirect", PUTIN),
        quote(body, "جميعنا نرى مدى سرعة تغير الوضع في العالم وفي هذا السياق أود أن أشير إلى أن الاتصالات "
              "الأولى مع الإدارة الأميركية تمنحنا بعض الأمل", "direct", PUTIN),
        quote(body, "النخب الغربية تسعى إلى الحفاظ على حالة من عدم الاستقرار في العالم وهو ما قد يعرقل مساعي "
              "الحوار بين موسكو وواشنطن", "direct", PUTIN),
        quote(body, "النخب الغربية عازمة على إبقاء هذا الوضع وستسعى بكل قوة إلى تعطيل الحوار بين روسيا "
              "والولايات المتحدة", "direct", PUTIN),
        quote(body, "روسيا ستدافع عن مصالحها من أي تهديدات", "indirect", PUTIN),
        quote(body, "سيناقش دبلوماسيونا مع القضايا المنهجية التي تراكمت خلال فترة الإدارة السابقة، هذه القضايا "
              "تتعلق بالعوامل التي تعيق عمل السفارات", "direct", "PER:سيرغي لافروف"),
        quote(body, "سيجري محادثات مع الرئيس الروسي فلاديمير بوتين قريباً بهدف إنهاء الحرب الروسية الأوكرانية",
              "indirect", "PER:دونالد ترامب"),
        quote(body, "الحرب التي دخلت عامها الرابع، تسببت في مقتل آلاف الأبرياء ودمار المدن والبنية التحتية",
              "direct", "PER:نعمان قورتولموش"),
        quote(body, "تركيا كونها جارة لكل من روسيا وأوكرانيا، بذلت جهوداً كبيرة منذ البداية لفتح قنوات الحوار "
              "ودعم المفاوضات لإنهاء الحرب", "direct", "PER:نعمان قورتولموش"),
        quote(body, "قامت بتسهيل عملية تبادل الأسرى بين البلدين", "direct", "PER:نعمان قورتولموش"),
    ]
    entities = [
        PUTIN, "ORG:جهاز الأمن الفيدرالي الروسي", "LOC:روسيا", "LOC:موسكو", "LOC:واشنطن",
        "LOC:الولايات المتحدة", "LOC:أوكرانيا", "LOC:إسطنبول", "PER:سيرغي لافروف", "LOC:الرياض",
        "PER:دونالد ترامب", "PER:نعمان قورتولموش", "PER:فالنتينا ماتفيينكو", "LOC:أنقرة", "LOC:تركيا",
        "ORG:مجلس الاتحاد الروسي", "LOC:البحر الأسود",
    ]
    return story_doc("s000", body, entities, quotes, "2025-02-28",
                     "بوتين: الاتصالات الأولية مع واشنطن تبعث على الأمل", seq=1)


@pytest.fixture
def seed001(seed_texts) -> StoryDoc:
    body = cut(seed_texts[1], "أعلن الرئيس الروسي", "والسلم الدوليين.")
    statements = [
        "روسيا مستعدة للدخول في جولة جديدة من مفاوضات السلام مع أوكرانيا",
        "بلاده تضع على رأس أولوياتها تحقيق الاستقرار في المنطقة وحماية مصالحها الاستراتيجية",
        "موسكو لا تمانع في استئناف المحادثات مع الجانب الأوكراني",
        "نجاح أي مفاوضات يتطلب وجود إرادة سياسية حقيقية لدى جميع الأطراف",
        "روسيا ستواصل الدفاع عن مصالحها وأمنها القومي",
        "هناك مؤشرات إيجابية على بدء تحسن العلاقات بين موسكو وواشنطن",
        "الاتصالات الأخيرة بين الجانبين شهدت نوعًا من الانفراج والتفاهم حول بعض الملفات الحساسة",
        "روسيا مستعدة للتعاون مع الولايات المتحدة في القضايا ذات الاهتمام المشترك",
    ]
    quotes = [quote(body, s, "indirect", PUTIN) for s in statements]
    entities = [PUTIN, "LOC:روسيا", "LOC:أوكرانيا", "LOC:موسكو", "LOC:واشنطن", "LOC:الولايات المتحدة"]
    return story_doc("s001", body, entities, quotes, "2025-03-01",
                     "بوتين يعلن استعداد روسيا لجولة جديدة من مفاوضات السلام مع أوكرانيا", seq=2)


NEW_ANGLE = """قال المتحدث باسم الكرملين ديمتري بيسكوف، اليوم الخميس، إن الوفد الروسي إلى جولة المحادثات المقبلة في إسطنبول سيضم 12 عضواً برئاسة مساعد الرئيس فلاديمير ميدينسكي، وإن الجولة ستبدأ في الثاني من يونيو.
وأضاف بيسكوف للصحفيين: «نتوقع أن يسلّم الجانب الأوكراني مذكرة تتضمن رؤيته لشروط وقف إطلاق النار، وسنرد عليها بمذكرة مماثلة».
من جهته، أعلن وزير الدفاع الأوكراني رستم عمروف أن كييف ستشارك بوفد يرأسه هو شخصياً، مشيراً إلى أن أولوية بلاده هي تبادل ألف أسير مقابل ألف أسير وإعادة الأطفال المرحّلين.
وذكرت وكالة «تاس» أن الطرفين اتفقا مبدئياً على إنشاء مجموعات عمل فنية لمتابعة ملفات الأسرى والجثامين، فيما قالت وزارة الخارجية التركية إن الوزير هاكان فيدان سيفتتح الجلسة الأولى في قصر تشيراغان.
وقال فيدان في بيان: «تركيا مستعدة لاستضافة لقاء بين الرئيسين إذا نضجت الظروف»."""


@pytest.fixture
def new_angle() -> StoryDoc:
    """Another angle on the same story, written for the test: new names, figures and voices."""
    body = NEW_ANGLE
    quotes = [
        quote(body, "الوفد الروسي إلى جولة المحادثات المقبلة في إسطنبول سيضم 12 عضواً برئاسة مساعد الرئيس "
              "فلاديمير ميدينسكي", "indirect", "PER:ديمتري بيسكوف"),
        quote(body, "نتوقع أن يسلّم الجانب الأوكراني مذكرة تتضمن رؤيته لشروط وقف إطلاق النار، وسنرد عليها "
              "بمذكرة مماثلة", "direct", "PER:ديمتري بيسكوف"),
        quote(body, "كييف ستشارك بوفد يرأسه هو شخصياً", "indirect", "PER:رستم عمروف"),
        quote(body, "تركيا مستعدة لاستضافة لقاء بين الرئيسين إذا نضجت الظروف", "direct", "PER:هاكان فيدان"),
    ]
    entities = [
        "ORG:الكرملين", "PER:ديمتري بيسكوف", "LOC:إسطنبول", "PER:فلاديمير ميدينسكي", "PER:رستم عمروف",
        "LOC:كييف", "ORG:تاس", "ORG:وزارة الخارجية التركية", "PER:هاكان فيدان", "LOC:تركيا",
        "LOC:أوكرانيا", "LOC:روسيا",
    ]
    return story_doc("new", body, entities, quotes, "2025-05-29",
                     "بيسكوف: الوفد الروسي إلى إسطنبول يضم 12 عضواً برئاسة ميدينسكي", seq=3)


@pytest.fixture
def kremlin(seed_texts) -> StoryDoc:
    """The second article on seed page 000 (a real follow-up: Kremlin, Trump, Zelensky)."""
    body = cut(seed_texts[0], "قال الكرملين، اليوم الاثنين", "لمدة لا تقل عن 30 يوماً».")
    quotes = [
        quote(body, "الرئيس فلاديمير بوتين وروسيا لا يزالان منفتحين على إيجاد تسوية للأزمة الأوكرانية",
              "indirect", "ORG:الكرملين"),
        quote(body, "موقف إدارة الرئيس الأميركي دونالد ترمب بشأن استبعاد انضمام أوكرانيا لحلف شمال الأطلسي "
              "(ناتو) يبعث على الرضا لدى موسكو", "indirect", "PER:ديمتري بيسكوف"),
        quote(body, "يأمل أن تتوصل روسيا وأوكرانيا إلى اتفاق هذا الأسبوع لإنهاء الصراع بينهما", "indirect",
              "PER:دونالد ترامب"),
        quote(body, "ستبدأ كلتاهما بعد ذلك في إقامة علاقات تجارية ضخمة مع الولايات المتحدة الأميركية "
              "المزدهرة وتحقيق ثروة طائلة!", "direct", "PER:دونالد ترامب"),
        quote(body, "منذ بداية اليوم، انتهك الجيش الروسي وقف إطلاق النار الذي أعلنه (فلاديمير) بوتين أكثر "
              "من 2000 مرة", "direct", "PER:فولوديمير زيلينسكي"),
    ]
    entities = [
        "ORG:الكرملين", PUTIN, "LOC:روسيا", "LOC:الولايات المتحدة", "PER:ديمتري بيسكوف",
        "PER:دونالد ترامب", "ORG:حلف شمال الأطلسي", "LOC:موسكو", "LOC:أوكرانيا",
        "PER:فولوديمير زيلينسكي", "MISC:تروث سوشيال", "MISC:تلغرام",
    ]
    return story_doc("kremlin", body, entities, quotes, "2025-04-21",
                     "الكرملين: روسيا منفتحة على إيجاد تسوية للأزمة الأوكرانية", seq=4)


def test_seed_001_after_000_is_a_low_novelty_rewrite(seed000, seed001):
    first, second = lineage([seed000, seed001])
    assert (first.kind, first.novelty, first.duplicate_of) == ("original", 1.0, None)
    assert second.kind == "rewrite"
    assert second.novelty <= 0.35
    assert second.duplicate_of is None


def test_seed_001_without_quotes_is_still_a_rewrite(seed000, seed001):
    seed001.quotes = []  # weights renormalised over sentences and entities
    assert lineage([seed000, seed001])[1].kind == "rewrite"


def test_a_new_angle_on_the_story_is_original(seed000, seed001, new_angle):
    result = lineage([seed000, seed001, new_angle])
    assert [x.kind for x in result] == ["original", "rewrite", "original"]
    assert result[2].novelty >= 0.5
    assert lineage([seed000, new_angle])[1].novelty >= 0.5


def test_the_real_follow_up_on_seed_page_000_is_original(seed000, seed001, kremlin):
    result = lineage([seed000, seed001, kremlin])
    assert result[2].kind == "original" and result[2].novelty >= 0.5


def test_order_matters_000_after_001_adds_reporting(seed000, seed001):
    seed001.published, seed000.published = "2025-02-27", "2025-02-28"
    first, second = lineage([seed001, seed000])
    assert first.kind == "original" and second.kind == "original"
    assert second.novelty > REWRITE_NOVELTY


def test_exact_copy_is_a_copy_with_duplicate_of(seed000, seed001):
    copy = story_doc("copy", seed000.body, list(seed000.entities), list(seed000.quotes), "2025-03-02",
                     seed000.title, seq=5)
    index = NearDuplicateIndex()
    dups = {d.article_id: index.insert(d) for d in (seed000, seed001, copy)}
    assert dups == {"s000": None, "s001": None, "copy": "s000"}
    result = lineage([seed000, seed001, copy], dups)
    assert (result[2].kind, result[2].duplicate_of) == ("copy", "s000")
    assert result[2].novelty <= 0.1
    # Without the near-duplicate map the text says the same.
    result = lineage([seed000, seed001, copy])
    assert (result[2].kind, result[2].duplicate_of) == ("copy", "s000")


def test_copy_with_small_edits_is_a_copy(seed000, seed001):
    body = (seed000.body.replace("أمس،", "اليوم،", 1)
            .replace("الأميركية", "الأمريكية")
            .replace("6 ساعات ونصف", "ست ساعات ونصف")
            .replace("وفي الوقت ذاته ", "")
            + "\nالمصدر: وكالات")
    edited = story_doc("edited", body, list(seed000.entities), [], "2025-03-02", "بوتين متفائل", seq=5)
    index = NearDuplicateIndex()
    dups = {d.article_id: index.insert(d) for d in (seed000, seed001, edited)}
    assert dups["edited"] == "s000"
    assert lineage([seed000, seed001, edited], dups)[2].kind == "copy"
    no_map = lineage([seed000, seed001, edited])[2]
    assert (no_map.kind, no_map.duplicate_of) == ("copy", "s000")


def test_truncated_copy_is_a_copy_from_the_text(seed000):
    half = "\n".join(sentences(seed000.body)[:6])
    short = story_doc("half", half, [PUTIN, "LOC:روسيا", "LOC:موسكو", "LOC:واشنطن"], [], "2025-03-02", seq=5)
    index = NearDuplicateIndex()
    dups = {d.article_id: index.insert(d) for d in (seed000, short)}
    assert dups["half"] is None  # too short a part of the original for Jaccard
    second = lineage([seed000, short], dups)[1]
    assert (second.kind, second.duplicate_of) == ("copy", "s000")


def test_copy_group_root_outside_the_story_is_reported_but_not_a_copy(seed000, seed001):
    dups = {"s000": None, "s001": "elsewhere"}
    second = lineage([seed000, seed001], dups)[1]
    assert second.kind == "rewrite" and second.duplicate_of == "elsewhere"
    # Sharing an earlier article's group root makes it a copy.
    dups = {"s000": "root", "s001": "root"}
    second = lineage([seed000, seed001], dups)[1]
    assert (second.kind, second.duplicate_of) == ("copy", "root")


def test_new_person_or_new_direct_quote_blocks_rewrite(seed000, seed001):
    seed001.entities["PER:سيرغي شويغو"] = 1
    seed001.entity_types["PER:سيرغي شويغو"] = "PER"
    assert lineage([seed000, seed001])[1].kind == "original"
    seed001.entities.pop("PER:سيرغي شويغو")
    seed001.entity_types.pop("PER:سيرغي شويغو")
    assert lineage([seed000, seed001])[1].kind == "rewrite"
    seed001.quotes.append(quote(seed001.body, "أن روسيا مستعدة للتعاون", "direct", PUTIN))
    assert lineage([seed000, seed001])[1].kind == "original"


def test_indirect_quote_with_a_new_number_is_new(seed000, seed001):
    seed001.body += "\nوأكد بوتين أن موسكو ستفرج عن 500 أسير أوكراني."
    seed001.quotes.append(quote(seed001.body, "موسكو ستفرج عن 500 أسير أوكراني", "indirect", PUTIN))
    assert lineage([seed000, seed001])[1].kind == "original"


# ---------------------------------------------------------------------------
# Novelty arithmetic on small texts


def _plain(article_id: str, body: str, entities=(), quotes=(), seq: int = 0) -> StoryDoc:
    return story_doc(article_id, body, list(entities), list(quotes), "2025-03-01", seq=seq)


A = ("وصل وفد البنك الدولي إلى العاصمة عمان لبحث تمويل مشروع المياه الجديد. "
     "ويستمر البرنامج التدريبي للمهندسين ثلاثة أسابيع في مدينة العقبة.")
B_NEW = ("أعلنت وزارة الزراعة إطلاق حملة لمكافحة الجراد في وادي الأردن. "
         "وخصصت الحكومة مبلغ خمسة ملايين دينار لتعويض المزارعين المتضررين. "
         "وتشارك فرق من الدفاع المدني في رش المبيدات خلال عطلة نهاية الأسبوع.")


def test_first_article_is_original_with_full_novelty():
    (only,) = lineage([_plain("a", A)])
    assert (only.kind, only.novelty) == ("original", 1.0)
    assert lineage([]) == []


def test_weights_are_renormalised_over_the_unit_types_present():
    first = _plain("a", A, entities=["LOC:عمان"])
    second_text = A.split(". ")[0] + ". " + B_NEW
    # Sentences only: 3 new of 4.
    second = _plain("b", second_text, seq=1)
    assert lineage([first, second])[1].novelty == pytest.approx(0.75)
    # Sentences 0.6 and entities 0.2, renormalised: (0.6 * 3/4 + 0.2 * 1/2) / 0.8.
    second = _plain("b", second_text, entities=["LOC:عمان", "ORG:وزارة الزراعة"], seq=1)
    assert lineage([first, second])[1].novelty == pytest.approx((0.6 * 0.75 + 0.2 * 0.5) / 0.8)
    # All three: one quote, new.
    q = Quote(text="الحملة ستستمر شهرا", kind="direct", start=0, end=0, speaker_key="PER:خالد")
    second = _plain("b", second_text, entities=["LOC:عمان", "ORG:وزارة الزراعة"], quotes=[q], seq=1)
    assert lineage([first, second])[1].novelty == pytest.approx(0.6 * 0.75 + 0.2 * 0.5 + 0.2 * 1.0)


def test_article_without_units_has_zero_novelty():
    result = lineage([_plain("a", A), _plain("b", "", seq=1)])
    assert result[1].novelty == 0.0


def test_results_follow_the_input_order_and_are_deterministic():
    docs = [_plain("a", A), _plain("b", B_NEW, seq=1), _plain("c", A + " " + B_NEW, seq=2)]
    first = lineage(docs)
    assert [x.article_id for x in first] == ["a", "b", "c"]
    assert first == lineage(docs)
    assert first[2].kind in ("copy", "rewrite") and first[2].novelty <= 0.1


def test_content_stems_drop_function_words_and_keep_numbers():
    stems = content_stems("وقال الرئيس إن المفاوضات في 2025 ستبدأ من جديد")
    assert "2025" in stems
    assert not {"قال", "في", "من", "ان"} & set(stems)
    assert any(s.startswith("مفاوض") for s in stems)
