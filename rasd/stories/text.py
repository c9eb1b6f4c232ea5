"""Text helpers shared by lineage, the story record and outlet comparison: content
stems, outlet keys and timeline order.

One analysis per article: ``sentence_rows`` splits the body into sentences and
stems each once (memoised on the :class:`~rasd.records.StoryDoc`, and computed
in the extraction workers during an ingest), so lineage and the story record
read the same stems instead of tokenising the text again.

*Content stems* are ``light_stem`` of every word of the key-normalised text,
minus function words, reporting verbs and filler, with month names folded to
one token per month (يونيو / حزيران / جوان all read as month 6) and digits
kept whole (key normalisation folds them to ASCII), so a syndicated copy that
only rewrites the months or the digits still matches.
"""
from __future__ import annotations

import re
from datetime import date, datetime, time, timezone
from functools import lru_cache

from rasd.arabic import light_stem, normalize_key, sentence_spans
from rasd.records import StoryDoc

# Function words and pronouns: they carry no story content, and left in they make
# any two sentences look alike. Stemmed at import so they compare with stems.
_FUNCTION_WORDS = """
في من على إلى الى عن مع منذ حتى خلال بعد قبل عند لدى بين ضد نحو حول دون عبر وفق وفقا
تجاه لدى أمام خلف فوق تحت إثر اثر عقب جراء بسبب
و ف ثم أو او أم بل لكن لكنه لكنها لكن إلا الا غير سوى
أن إن أنه إنه أنها إنها أنهم إنهم كان كانت كانوا يكون تكون يكونوا ليس ليست لم لن لا ما ماذا
قد لقد سوف سـ هل كل بعض أي أية أيضا أيضاً كذلك كما مثل حيث إذ إذا اذا لو لولا كي لكي
هو هي هم هن هما نحن أنا أنت أنتم
هذا هذه هذان هاتان هؤلاء ذلك تلك أولئك هنا هناك
الذي التي الذين اللذان اللتان اللاتي اللواتي ما من
فيه فيها فيهم منه منها منهم عليه عليها عليهم إليه إليها لها له لهم بها به بهم عنه عنها
وقال قال قالت يقول تقول وأضاف أضاف أضافت مضيفا مضيفة مضيفاً مضيفةً
أكد أكدت مؤكدا مؤكدة مؤكداً وأكد وأوضح أوضح أوضحت موضحا موضحاً أشار أشارت مشيرا مشيراً مشيرة
ذكر ذكرت بحسب حسب وفقاً
اليوم أمس غدا الأحد الاثنين الإثنين الثلاثاء الأربعاء الخميس الجمعة السبت
يوم عام العام شهر الشهر
"""
# Reporting verbs and filler that news prose uses whatever the story.
_FILLER_WORDS = """
وكان ولكن عندما حين لأي اللذين اللتين لماذا كيف أين متى وهو وهي ايضا فقط جدا الآن معه معها بينما
ضمن إطار وإن لأن أما نفس نفسه نفسها ذات جميع عدة عديد العديد مزيد المزيد بشكل بصورة نوع نوعا
يتم تم شأن بشأن خاصة سياق متصل ظل وقت الوقت فترة مدى جانب الجانب لدي قيام يؤكد يشير تابع أعلن
أعلنت أعرب أعربت شدد شددت لفت مشددا معربا لافتا يذكر يشار تحدث يأتي تأتي جاء جاءت وتأتي وجاء
فيما
"""
_MONTHS = {
    1: "يناير كانون_الثاني جانفي",
    2: "فبراير شباط فيفري",
    3: "مارس آذار",
    4: "أبريل ابريل نيسان أفريل",
    5: "مايو أيار ماي",
    6: "يونيو يونية حزيران جوان",
    7: "يوليو يولية تموز جويلية",
    8: "أغسطس أغسطوس آب أوت",
    9: "سبتمبر أيلول",
    10: "أكتوبر تشرين_الأول",
    11: "نوفمبر تشرين_الثاني نونبر",
    12: "ديسمبر كانون_الأول دجنبر",
}
MONTH_STEMS: dict[str, str] = {
    light_stem(name): f"#m{number}"
    for number, names in _MONTHS.items()
    for name in names.split()
    if "_" not in name
}
STOP_STEMS: frozenset[str] = frozenset(light_stem(w) for w in (_FUNCTION_WORDS + _FILLER_WORDS).split())

_WORD_RE = re.compile(r"[^\W_]+")  # on key-normalised text: letters and digits


class _StemCache(dict):
    """key-normalised word → its content stem, or "" when it carries no content (bounded memo)."""

    limit = 400_000

    def __missing__(self, word: str) -> str:
        if word.isdigit():
            stem = word
        else:
            stem = light_stem(word)
            stem = MONTH_STEMS.get(stem, stem)
            if len(stem) < 2 or stem in STOP_STEMS:
                stem = ""
        if len(self) >= self.limit:
            self.clear()
        self[word] = stem
        return stem


_STEM = _StemCache()
_stem_of = _STEM.__getitem__


def key_words(text: str) -> list[str]:
    """The words (letters/digits runs) of the key-normalised text."""
    return _WORD_RE.findall(normalize_key(text))


def content_stems(text: str) -> list[str]:
    """Content stems of ``text``, in order, repeats kept."""
    return [s for s in map(_stem_of, key_words(text)) if s]


# (start, end, content stems, word count) per body sentence; the text is body[start:end]
# (not kept: the memo travels from the ingest workers to the main process)
SentenceRow = tuple[int, int, tuple[str, ...], int]


def sentence_rows(doc: StoryDoc) -> list[SentenceRow]:
    """The body's sentences with their content stems and word counts (memoised on the doc)."""
    return doc.memo("sentences", doc.text_key(), _sentence_rows)


def _sentence_rows(doc: StoryDoc) -> list[SentenceRow]:
    body = doc.body or ""
    rows = []
    for start, end in sentence_spans(body):
        text = body[start:end]
        words = key_words(text)
        rows.append((start, end, tuple(s for s in map(_stem_of, words) if s), len(words)))
    return rows


def title_stems(doc: StoryDoc) -> tuple[str, ...]:
    return doc.memo("title_stems", (doc.title,), lambda d: tuple(content_stems(d.title or "")))


# ---------------------------------------------------------------------------
# Outlets and time
# ---------------------------------------------------------------------------

# Generic words in outlet names: "صحيفة الفجر", "الفجر" and "جريدة الفجر" are one outlet.
_OUTLET_GENERIC = frozenset(
    normalize_key(w)
    for w in "صحيفة جريدة مجلة قناة بوابة موقع وكالة أنباء انباء شبكة إذاعة اذاعة تلفزيون راديو يومية".split()
)


@lru_cache(maxsize=4096)
def outlet_key(name: str | None) -> str:
    """Grouping key of an outlet name: key-normalized, generic words (صحيفة, قناة...) dropped."""
    if not name:
        return ""
    words = normalize_key(name).split()
    kept = [w for w in words if w not in _OUTLET_GENERIC]
    return " ".join(kept or words)


def time_key(doc: StoryDoc) -> tuple:
    """Sort key of a document in time: dated first (UTC when an offset is given), a
    date-only value after the timed ones of the same day, undated last; then `seq`."""
    parsed = parse_published(doc.published)
    if parsed is None:
        return (1, date.max, 1, time.min, doc.seq)
    day, moment = parsed
    return (0, day, 0 if moment is not None else 1, moment or time.min, doc.seq)


def parse_published(value: str | None) -> tuple[date, time | None] | None:
    if not value:
        return None
    text = value.strip()
    try:
        if len(text) <= 10:
            return date.fromisoformat(text), None
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            return date.fromisoformat(text[:10]), None
        except ValueError:
            return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment.date(), moment.time()


def timeline_order(docs: list[StoryDoc]) -> list[StoryDoc]:
    return sorted(docs, key=time_key)
