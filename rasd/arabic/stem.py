"""Light stemming of Arabic words, for KEYS only (matching, search, grouping).

Arabic glues conjunctions, prepositions and the article to the front of a
word (و + ب + ال + مفاوضات) and pronouns and plural/feminine endings to the
back. A light stemmer strips the common ones so والمفاوضات, المفاوضات and
مفاوضاتها meet on one key. It has no dictionary, so it is deliberately
conservative: it never leaves a stem shorter than 2-3 letters, and short
lists protect frequent words whose first letter only looks like a clitic
(وزير, واشنطن, بريطانيا). Stems are keys, not words: never display them.

Prefix rule (``strip_prefix_clitics``), on a ``normalize_key``'d word:

0. Words in KEEP_WHOLE (exact) and words starting with an entry of
   PROTECTED_STEMS (prefix match) are left whole.
1. Article forms, longest first: [و|ف][ب|ك]ال, [و|ف]لل, then ال, لل
   (لل is ل + ال with the alef dropped). Bare ال/لل must leave at least
   2 letters (الحرب -> حرب); forms with a clitic in front must leave 3
   (والده is "his father", not و + ال + ده).
2. Otherwise a conjunction و is stripped if at least 3 letters remain
   (وقال -> قال, ومصر -> مصر; وقت stays whole), and the rest goes through
   the same rules again. Since وو never means two conjunctions, this
   guarantees ``strip(و + w) == strip(w)``: a name like ويليام gets the
   same key with or without "and" in front.
   ف is only stripped in front of an article (فالمفاوضات): bare, most
   ف-words in news are root ف (فيلم, فبراير) or names (فلاديمير).
3. Otherwise a preposition ب/ل/ك is stripped if at least 5 letters remain.
   Words starting with a root ب/ل/ك are common and many are names (بوتين,
   بيروت, لبنان, كوريا), so short ones are never stripped: وبوتين ->
   بوتين, but باسطنبول -> اسطنبول. The cost is that بمصر/لغزة keep their
   ب/ل: :func:`prefix_candidates` lists every reading for gazetteer lookups.
"""
from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from rasd.arabic.normalize import normalize_key

__all__ = [
    "KEEP_WHOLE",
    "PROTECTED_STEMS",
    "light_stem",
    "prefix_candidates",
    "stem_tokens",
    "strip_prefix_clitics",
    "strip_suffixes",
]

# Article forms with a clitic in front, longest first.
_ARTICLE_FORMS: tuple[str, ...] = (
    "وبال", "وكال", "فبال", "فكال", "وال", "فال", "بال", "كال", "ولل", "فلل",
)
_BARE_ARTICLE_FORMS: tuple[str, ...] = ("لل", "ال")
_MIN_AFTER_BARE_ARTICLE = 2
_MIN_AFTER_ARTICLE = 3
_MIN_AFTER_CONJUNCTION = 3
_PREPOSITIONS = "بلك"
_MIN_AFTER_PREPOSITION = 5

#: Words never stripped at all (exact match, key form): function words and
#: frequent words that a rule would mangle into another word's key.
KEEP_WHOLE: frozenset[str] = frozenset(
    normalize_key(w)
    for w in (
        "الله", "إلى", "ألا", "إلا", "الآن", "التي", "الذي", "الذين", "اللذان",
        "اللذين", "اللتان", "اللتين", "اللاتي", "اللواتي", "اللائي", "اللي",
        "والد", "والدة", "والده", "والدي", "والدا", "والدين", "والي", "والٍ",
        "كورونا",
    )
)

#: Word beginnings (key form) whose first letter is a root letter, not a
#: clitic (prefix match). Only words long enough to be stripped need
#: listing: و 4+ letters, ب/ل/ك 6+ letters, and article look-alikes.
PROTECTED_STEMS: frozenset[str] = frozenset(
    normalize_key(w)
    for w in (
        # و. Entries are prefixes, so short ones are avoided where و + a
        # common word shares them (وعد/وعدد, وجه/وجهود, وحد/وحدث).
        "وزير", "وزارة", "وزارات", "وزراء", "وكالة", "وكالات", "وكالت", "ولاية",
        "ولايات", "ولايت", "واشنطن", "وثيقة", "وثائق", "وطن", "وفاة", "وفدا",
        "وجود", "وصول", "وقوع", "وضعت", "وضعه", "وقعت", "وقعه", "وصلت", "وصلوا",
        "وقف", "وصفت", "وصفه", "وصفها", "وفقا", "وسط", "وجهة", "وجهت", "وجهات", "وجدت", "وجدوا",
        "واقع", "واردات", "وافق", "واجهت", "واجهوا", "وسيط", "وسائل", "وسيلة", "وحدة", "وحدات",
        "وحدت", "وحدها", "وحدهم", "وكيل", "وليد", "وائل", "ولاء", "وظيف", "وظائف",
        "ودية", "وباء",
        "ورشة", "ورشات", "ورقة", "ورقات", "وفير", "وتير", "وقود", "ودائع", "وداع",
        "واحد", "وراء", "واضح", "وجبة", "وجبات", "وادي", "واسع", "واصل", "وجوه",
        "واحة", "وضوح", "وسام", "واجب", "وصيف",
        # ف/ك + ال look-alikes
        "فالنسيا", "كاليفورني",
        # ب (only 6+ letter words can be stripped)
        "بريطاني", "برلمان", "باكستان", "بنغلاديش", "بنغلادش", "بلجيك", "بولند",
        "بلغاري", "برنامج", "برامج", "بيان", "بطولات", "بنيامين", "بلينكن", "بومبيو",
        "برازيل", "بروكسل", "بوركينا", "بيلاروس", "بلدي", "بولسونارو", "بوتفليق",
        "بيلوسي", "بلومبرغ", "بيتكوين", "بايرن", "برشلونة", "بنزيما", "بطاقات",
        "بيئي", "بحيرات", "بلاستيك", "بروتوكول", "بورصات", "بنايات", "برتغال",
        "بترول", "بضائع", "بعثات", "بطالة", "بلاد", "بلدان", "بين", "بلاتيني",
        "بنغازي", "بارتوميو", "بوروندي", "بيوت", "باحث", "بداية", "بدايت", "بطولة",
        "بطولت", "بريد",
        # ل (6+ letters)
        "لاجئ", "لافروف", "ليبرمان", "لوكسمبورغ", "لوكاشينكو", "لقاءات", "لبنان",
        "ليبي", "ليفربول", "لاتفيا", "ليتوانيا", "لاعب", "لجان", "لجنة", "لجنت",
        "لاسيما", "لياقة", "ليونيل", "لودريان",
        # ك (6+ letters)
        "كورونا", "كولومبي", "كازاخستان", "كرواتي", "كمبودي", "كاليفورني",
        "كلينتون", "كيسنجر", "كامير", "كيلومتر", "كوباني", "كوميدي", "كريستيان",
        "كثير", "كردستان", "كورنيش", "كارلوس", "كاسياس", "كتاب", "كبير", "كامل", "كيماوي", "كيميائي", "كهرب",
        "كاتالوني", "كوسوفو", "كتائب", "كنائس", "كميات", "كوريا",
    )
)

# Suffixes. Pronouns come off first, then one number/gender ending:
# مفاوضاتها -> مفاوضات -> مفاوض. Key form, so ة is already ه.
# A lone ه is both the pronoun "his" and a key-form ة; either way it goes
# in the first pass, so حكومته -> حكومت(ه) -> حكوم like حكومة.
_PRONOUN_SUFFIXES: tuple[str, ...] = ("ها", "هم", "هن", "كم", "نا", "ه")
# (suffix, minimum stem length), longest first. ون/ين need a 4-letter stem:
# names and nouns ending in -ين/-ون (بوتين, برلين, قانون, مليون) are common.
# The nisba plurals يين/يون/يات bring مدنيين back to مدني's stem.
# Endings starting with ي are left alone after alef (ولاية, نهاية, ولايات:
# the ي is a root letter there) and the next, shorter ending is tried.
_ENDING_SUFFIXES: tuple[tuple[str, int], ...] = (
    ("يين", 3), ("يون", 3), ("يات", 3),
    ("ات", 3), ("ون", 4), ("ين", 4), ("يه", 3),
    ("ه", 3), ("ي", 3),
)
_MIN_STEM = 3


def _protected(word: str) -> bool:
    """True when a prefix of ``word`` (3+ letters) is in PROTECTED_STEMS."""
    return any(word[:k] in PROTECTED_STEMS for k in range(3, len(word) + 1))


def strip_prefix_clitics(word: str) -> str:
    """Strip a leading conjunction/preposition/article (rules in module doc).

    Expects a ``normalize_key``'d word (hamzas folded, ة -> ه):
    والمفاوضات -> مفاوضات, باسطنبول -> اسطنبول, للرئيس -> رئيس,
    وبوتين -> بوتين, وزير -> وزير.
    """
    if word in KEEP_WHOLE or _protected(word):
        return word
    for prefix in _ARTICLE_FORMS:
        if word.startswith(prefix) and len(word) - len(prefix) >= _MIN_AFTER_ARTICLE:
            return word[len(prefix):]
    for prefix in _BARE_ARTICLE_FORMS:
        if word.startswith(prefix) and len(word) - len(prefix) >= _MIN_AFTER_BARE_ARTICLE:
            return word[len(prefix):]
    if word.startswith("و") and len(word) - 1 >= _MIN_AFTER_CONJUNCTION:
        return strip_prefix_clitics(word[1:])
    if word[:1] in _PREPOSITIONS and len(word) - 1 >= _MIN_AFTER_PREPOSITION:
        return word[1:]
    return word


def strip_suffixes(word: str) -> str:
    """Strip one pronoun suffix, then one plural/feminine/nisba ending.

    Pass 1: ها هم هن كم نا ه. Pass 2: يين يون يات ات ون ين ية ه ي (ة is read
    as ه, as in keys). Never leaves fewer than 3 letters (4 for ون/ين).
    Endings starting with ي stay after alef (ولاية/ولايات -> ولاي, not ولا),
    and a feminine ت exposed by a pronoun is read as ة, so حكومتها, حكومته
    and حكومة all give حكوم.
    """
    word = word.replace("\u0629", "\u0647")  # ة -> ه, as in keys
    if word in KEEP_WHOLE:
        return word
    for suffix in _PRONOUN_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            word = word[: -len(suffix)]
            if word.endswith("ت") and not word.endswith("ات") and len(word) >= 5:
                word = word[:-1] + "ه"
            break
    for suffix, min_stem in _ENDING_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= min_stem:
            if suffix[0] == "ي" and word[-len(suffix) - 1] == "ا":
                continue
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=1 << 18)  # a news vocabulary with clitics runs to hundreds of thousands
def light_stem(word: str) -> str:
    """Key-normalize a token, then strip prefix clitics and suffixes.

    Non-Arabic tokens (Latin words, numbers, punctuation) come back
    key-normalized but otherwise unchanged. Memoized: token streams repeat.
    """
    key = normalize_key(word)
    if " " in key:
        return " ".join(light_stem(part) for part in key.split(" "))
    if not key or not ("\u0621" <= key[0] <= "\u06ff") or key in KEEP_WHOLE:
        return key
    return strip_suffixes(strip_prefix_clitics(key))


def stem_tokens(tokens: Iterable[str]) -> list[str]:
    """``light_stem`` every token; the result lines up one-to-one."""
    return [light_stem(token) for token in tokens]


def prefix_candidates(word: str) -> list[str]:
    """Every reading of ``word`` with some leading clitics removed.

    Ignores the length thresholds and protection lists (a letter or two may
    remain), so a gazetteer lookup can try each: بمصر -> [بمصر, مصر]. Key form,
    longest first, the whole word included.
    """
    key = normalize_key(word)
    found: dict[str, None] = {key: None}
    for conj in ("", "و", "ف"):
        if not key.startswith(conj):
            continue
        rest = key[len(conj):]
        for prep in ("", "ب", "ل", "ك"):
            if not rest.startswith(prep):
                continue
            stem = rest[len(prep):]
            options = [stem]
            if stem.startswith("ال"):
                options.append(stem[2:])
            if prep == "ل" and stem.startswith("ل"):  # لل = ل + ال
                options.append(stem[1:])
            for option in options:
                if len(option) >= 2:
                    found[option] = None
    return sorted(found, key=len, reverse=True)
