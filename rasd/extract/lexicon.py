"""Word lists the page segmenter relies on, kept as data.

Phrases are written once in their common spelling; `loose_regex` makes them
tolerant to hamza/alef forms, ya/alef maqsura, ta marbuta/ha, tanween and
tatweel, so "اقرأ أيضا", "إقرأ أيضاً" and "اقرا ايضا" all match one entry.
"""
from __future__ import annotations

import re

# Widget headings: lists of other articles (related, most read, ...).
WIDGET_HEADINGS: tuple[str, ...] = (
    "أخبار ذات صلة",
    "اخبار ذات علاقة",
    "أخبار متعلقة",
    "أخبار مرتبطة",
    "مواضيع ذات صلة",
    "موضوعات ذات صلة",
    "مقالات ذات صلة",
    "روابط ذات صلة",
    "قد يهمك أيضا",
    "قد يهمك",
    "أخبار قد تهمك",
    "قد يعجبك أيضا",
    "قد يعجبك",
    "ننصحك بقراءة",
    "الأكثر قراءة",
    "الأكثر مشاهدة",
    "الأكثر تداولا",
    "الأكثر تعليقا",
    "الأكثر شعبية",
    "شاهد أيضا",
    "شاهد أيضًا",
    "شاهد ايضا",
    "شاهد المزيد",
    "اقرأ أيضا",
    "اقرأ المزيد",
    "اقرأ كذلك",
    "طالع أيضا",
    "تابع أيضا",
    "المزيد من الأخبار",
    "آخر الأخبار",
    "أحدث الأخبار",
    "اخترنا لك",
)

# Headings after which a whole second article may be glued onto the page.
GLUED_ARTICLE_HEADINGS: tuple[str, ...] = (
    "اقرأ أيضا",
    "اقرأ كذلك",
    "طالع أيضا",
    "اقرأ المزيد",
)

# One-line page furniture: tickers and the like, removed wherever they stand alone.
TICKER_LINES: tuple[str, ...] = (
    "أخبار عاجلة",
    "عاجل",
    "آخر الأخبار",
    "شريط الأخبار",
    "الرئيسية",
    "إعلان",
    "إعلانات",
    "Advertisement",
)

# Words that make a short line a share/follow/print line.
SHARE_WORDS: tuple[str, ...] = (
    "شارك",
    "شاركها",
    "مشاركة",
    "تابعونا",
    "تابعنا",
    "تابعوا",
    "فيسبوك",
    "فيس بوك",
    "تويتر",
    "واتساب",
    "واتس اب",
    "تيليجرام",
    "تلغرام",
    "انستغرام",
    "إنستغرام",
    "لينكد إن",
    "يوتيوب",
    "طباعة",
    "البريد الإلكتروني",
    "نسخ الرابط",
    "حجم الخط",
    "Facebook",
    "Twitter",
    "WhatsApp",
    "Telegram",
    "Pinterest",
    "LinkedIn",
    "Email",
)

# "المصدر: صحيفة الاتحاد", "كلمات دلالية: ...": label → field.
SOURCE_LABELS: tuple[str, ...] = ("المصدر", "مصدر الخبر", "نقلا عن", "المرجع")
TAG_LABELS: tuple[str, ...] = ("كلمات دلالية", "الكلمات الدلالية", "كلمات مفتاحية", "الكلمات المفتاحية", "الوسوم", "وسوم", "الكلمات", "Tags")
AUTHOR_LABELS: tuple[str, ...] = ("كتب", "كتبت", "بقلم", "إعداد", "تحرير", "الكاتب", "المحرر", "الكاتبة", "تقرير")
SECTION_LABELS: tuple[str, ...] = ("القسم", "التصنيف", "التصنيفات", "القسم الرئيسي")

# News agencies and their usual short names, as credited in bylines.
AGENCIES: tuple[str, ...] = (
    "وكالات",
    "وكالة",
    "واس",
    "وام",
    "قنا",
    "كونا",
    "بنا",
    "العمانية",
    "سبأ",
    "سانا",
    "بترا",
    "وفا",
    "الأناضول",
    "أ ش أ",
    "أ.ش.أ",
    "رويترز",
    "فرانس برس",
    "أ ف ب",
    "ا ف ب",
    "أ.ف.ب",
    "أسوشيتد برس",
    "أسوشيتيد برس",
    "أ ب",
    "د ب أ",
    "شينخوا",
    "سبوتنيك",
    "تاس",
    "نوفوستي",
    "إرنا",
    "يونهاب",
    "كيودو",
    "بلومبرغ",
    "بلومبيرغ",
    "قنا",
    "الأنباء الكويتية",
    "الأنباء السعودية",
    "وكالة الأنباء الألمانية",
    "وكالة الأنباء الفرنسية",
    "متابعات",
    "وأج",
    "وات",
    "ومع",
    "قنا",
    "الأنباء الأردنية",
    "الأنباء العمانية",
)

# Words that open an outlet's name in a credit ("صحيفة الفجر", "موقع الميدان").
OUTLET_WORDS: tuple[str, ...] = (
    "صحيفة", "جريدة", "موقع", "قناة", "بوابة", "وكالة", "مجلة", "إذاعة", "تلفزيون", "شبكة", "منصة", "راديو",
)

# Copyright lines: the site's name stands next to these.
COPYRIGHT_PHRASES: tuple[str, ...] = (
    "جميع الحقوق محفوظة",
    "الحقوق محفوظة",
    "حقوق النشر محفوظة",
    "كل الحقوق محفوظة",
    "All rights reserved",
)

# Error pages scraped as if they were articles.
NOT_FOUND_PHRASES: tuple[str, ...] = (
    "الصفحة التي تبحث عنها غير موجودة",
    "الصفحة غير موجودة",
    "لم يتم العثور على",
    "الصفحة المطلوبة غير موجودة",
    "Page not found",
    "404",
)

# Words that mark a line as a credit/source rather than the start of a sentence.
CREDIT_SUFFIXES: tuple[str, ...] = ("متابعات", "خاص", "وكالات")

# ---------------------------------------------------------------------------
# Loose matching

_DIACRITICS = "[\u064b-\u0652\u0670\u0640]*"
_LOOSE_CHARS = {
    "ا": "[اأإآٱ]",
    "أ": "[اأإآٱ]",
    "إ": "[اأإآٱ]",
    "آ": "[اأإآٱ]",
    "ي": "[يى]",
    "ى": "[يى]",
    "ة": "[ةه]",
    "ه": "[هة]",
}


def loose_regex(phrase: str) -> str:
    """Regex source matching `phrase` across common Arabic spelling variants.

    Spaces match any run of spaces; tanween, diacritics and tatweel may follow
    any letter ("أيضاً", "أيضـا").
    """
    out: list[str] = []
    for ch in phrase:
        if ch == " ":
            out.append(r"[ \t\u00a0]+")
        elif ch in _LOOSE_CHARS:
            out.append(_LOOSE_CHARS[ch] + _DIACRITICS)
        elif ch in "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652":
            continue  # diacritics in the phrase itself are optional anyway
        else:
            out.append(re.escape(ch) + _DIACRITICS)
    return "".join(out)


def phrases_regex(phrases: tuple[str, ...]) -> str:
    """Alternation of loose phrase patterns, longest first so the longest wins."""
    unique = sorted(set(phrases), key=len, reverse=True)
    return "(?:" + "|".join(loose_regex(p) for p in unique) + ")"
