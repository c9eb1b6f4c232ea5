"""Classifiers for single lines of a page dump.

Each function looks at one line and says what it is (a date line, a credit
line, a breadcrumb...) and returns the parsed parts, or None. They are pure
and cheap; the segmenter in `segment.py` walks a page with them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from rasd.extract import lexicon as lx
from rasd.extract.dates import DateMatch, find_dates

ARABIC_WORD = r"[\u0621-\u064a\u0660-\u0669\u0671-\u06d3\u064b-\u0652\u0640]+"

_WIDGET_AT_START = re.compile(r"^\s*(" + lx.phrases_regex(lx.WIDGET_HEADINGS) + r")\s*[:：]?")
_GLUED_HEADING_LINE = re.compile(r"^\s*(" + lx.phrases_regex(lx.GLUED_ARTICLE_HEADINGS) + r")\s*[:：.]?\s*(?P<rest>.*)$")
_TICKER = re.compile(
    r"^\s*" + lx.phrases_regex(lx.TICKER_LINES) + r"\s*(?:[:：]?\s*$|[|:：]\s*[^|]+\|.*$)", re.IGNORECASE
)
_SHARE = re.compile(lx.phrases_regex(lx.SHARE_WORDS), re.IGNORECASE)
_SOURCE_LINE = re.compile(r"^\s*" + lx.phrases_regex(lx.SOURCE_LABELS) + r"\s*[:：]\s*(?P<value>.+?)\s*$")
_TAGS_LINE = re.compile(r"^\s*" + lx.phrases_regex(lx.TAG_LABELS) + r"\s*[:：]\s*(?P<value>.+?)\s*$", re.IGNORECASE)
_AUTHOR_LINE = re.compile(
    r"^\s*" + lx.phrases_regex(lx.AUTHOR_LABELS) + r"\s*(?:[:：\-–]\s*|\s)(?P<value>[^.،:]{2,60}?)\s*$"
)
_ABOUT_AUTHOR = re.compile(r"^\s*عن\s+(?P<value>\S+(?:\s+\S+)?)\s*$")
_SECTION_LINE = re.compile(r"^\s*" + lx.phrases_regex(lx.SECTION_LABELS) + r"\s*[:：]\s*(?P<value>.+?)\s*$")
_BREADCRUMB_SPLIT = re.compile(r"\s+(?:/|>|»|«|\\|›|‹|\|)\s+")
_HOME = re.compile(r"^(?:" + lx.loose_regex("الرئيسية") + r"|" + lx.loose_regex("الصفحة الرئيسية") + r"|Home)$", re.IGNORECASE)
_AGENCY = re.compile(r"^" + lx.phrases_regex(lx.AGENCIES) + r"$")
_FOLLOWUP_CREDIT = re.compile(r"^\s*(?P<outlet>[^\s_–\-].{0,25}?)\s*[_\-–—]\s*(?P<kind>متابعات|خاص)\s*$")
_PAREN_CREDIT = re.compile(r"^\s*(?P<city>[^()\d]{0,30}?)\s*\((?P<credit>[^()]{2,60})\)\s*[:：\-–—]?\s*$")
_DASH_CREDIT = re.compile(r"^\s*(?P<city>" + ARABIC_WORD + r"(?:\s+" + ARABIC_WORD + r"){0,2})\s*[-–—]\s*(?P<credit>[^\d.:،]{2,30}?)\s*[:：]?\s*$")
_BODY_DATELINE = re.compile(
    r"^(?P<city>" + ARABIC_WORD + r"(?:\s+" + ARABIC_WORD + r"){0,2})\s*"
    r"(?:[،,]\s*[\d٠-٩]{1,2}\s+" + ARABIC_WORD + r"(?:\s+[\d٠-٩]{4})?\s*)?"
    r"(?:\((?P<paren>[^()]{2,40})\)\s*[-–—:]?|[-–—]\s*(?P<dash>" + lx.phrases_regex(lx.AGENCIES) + r"|[^\s\d:()]{2,8})\s*[-–—:])\s*"
)
_DATE_LABEL_WORDS = re.compile(
    r"(?:" + "|".join(lx.loose_regex(w) for w in (
        "تاريخ النشر", "نشر في", "نشر بتاريخ", "نشر", "آخر تحديث", "تم النشر", "بتاريخ", "التاريخ",
        "تحديث", "محدث", "الساعة", "منذ", "يوم", "في", "GMT", "UTC", "بتوقيت", "مكة", "المكرمة", "غرينتش",
    )) + r")",
    re.IGNORECASE,
)
_SPLIT_CREDITS = re.compile(r"\s*[،,/&]\s*|\s+و(?=" + lx.phrases_regex(lx.AGENCIES) + r")")
_WORD = re.compile(r"\S+")
_OUTLET_WORD = lx.phrases_regex(lx.OUTLET_WORDS)
_COPYRIGHT = re.compile(lx.phrases_regex(lx.COPYRIGHT_PHRASES), re.IGNORECASE)
_READ_MORE = re.compile(
    r"^\s*" + lx.loose_regex("اقرأ المزيد") + r"\s+(?:على|في|عبر|من)\s+(?P<site>[^»>›]{2,40}?)\s*[»>›.]*\s*$"
)
_LINK_LINE = re.compile(
    r"^\s*(?:(?:" + lx.phrases_regex(("رابط مختصر", "الرابط المختصر", "رابط الخبر", "الرابط", "Short link"))
    + r")\s*[:：]\s*\S+|(?:https?://|www\.)\S+)\s*$",
    re.IGNORECASE,
)
_SIGNOFF = re.compile(r"^\s*[/(]?\s*" + lx.loose_regex("انتهى") + r"\s*[/)]?\s*(?:[\w.]{1,8}\s*){0,2}$")
_NOT_FOUND = re.compile(lx.phrases_regex(lx.NOT_FOUND_PHRASES), re.IGNORECASE)
_LIST_NUMBER = re.compile(r"^\s*[\d٠-٩]{1,2}\s*[.\-)–]\s+")
_DIGIT = re.compile(r"\d")  # \d covers Arabic-Indic digits too
MAX_DATE_LINE_CHARS = 160  # a longer line is a sentence that mentions a date


def word_count(line: str) -> int:
    return len(_WORD.findall(line))


def ends_sentence(line: str) -> bool:
    return line.rstrip().endswith((".", "!", "؟", "?", "»", "”", '"', ":", "؛")) and not is_teaser(line)


def is_teaser(line: str) -> bool:
    """A teaser cut short by the site ("...", "…")."""
    return line.rstrip().endswith(("…", "...", "..", "[…]"))


def is_ticker(line: str) -> bool:
    return bool(_TICKER.match(line))


def is_share_line(line: str) -> bool:
    """Short lines made of share/follow/print buttons."""
    if word_count(line) > 10:
        return False
    hits = _SHARE.findall(line)
    if not hits:
        return False
    rest = _SHARE.sub(" ", line)
    rest = re.sub(r"[\s:：|/\-–·•،,]+", " ", rest).strip()
    return len(hits) >= 2 or word_count(rest) <= 3


def widget_heading(line: str) -> re.Match[str] | None:
    """A widget heading at the start of the line, possibly glued to the next word."""
    return _WIDGET_AT_START.match(line)


def glued_heading(line: str) -> re.Match[str] | None:
    """"إقرأ أيضاً:" (alone or followed by a title) that may introduce a whole article."""
    return _GLUED_HEADING_LINE.match(line)


def source_line(line: str) -> str | None:
    m = _SOURCE_LINE.match(line)
    return m.group("value").strip(" .") if m else None


def tags_line(line: str) -> str | None:
    m = _TAGS_LINE.match(line)
    return m.group("value") if m else None


def author_line(line: str) -> str | None:
    """"كتب: فلان", "بقلم فلان"; not "كتب الرئيس في رسالته..." (too long)."""
    m = _AUTHOR_LINE.match(line)
    if m and word_count(m.group("value")) <= 5:
        return m.group("value").strip()
    return None


def about_author_line(line: str) -> str | None:
    """Footer "عن admin" that many WordPress themes print under the article."""
    m = _ABOUT_AUTHOR.match(line)
    return m.group("value").strip() if m else None


def section_line(line: str) -> str | None:
    m = _SECTION_LINE.match(line)
    return m.group("value") if m else None


@dataclass
class Breadcrumb:
    """"صحيفة الساحل | الرئيسية > سياسة > عنوان" → site "صحيفة الساحل", parts ["سياسة", "عنوان"]."""

    site: str | None
    parts: list[str]


def breadcrumb(line: str) -> Breadcrumb | None:
    parts = [p.strip() for p in _BREADCRUMB_SPLIT.split(line.strip())]
    if len(parts) == 1 and _HOME.match(parts[0]):
        return Breadcrumb(site=None, parts=[])
    for home in range(min(2, len(parts) - 1)):
        if _HOME.match(parts[home]):
            site = " ".join(parts[:home]) or None
            return Breadcrumb(site=site if site and word_count(site) <= 4 else None, parts=parts[home + 1 :])
    return None


def copyright_line(line: str) -> str | None:
    """"جريدة الأطلس © 2025 - جميع الحقوق محفوظة" → "جريدة الأطلس" ("" when no name is left)."""
    if word_count(line) > 15 or not (_COPYRIGHT.search(line) or "©" in line):
        return None
    name = _COPYRIGHT.sub(" ", line).replace("©", " ")
    name = re.sub(r"\b(?:19|20)\d\d\b|[\d٠-٩]+", " ", name)
    name = re.sub(r"[\s\-–—|،,.:]+", " ", name).strip()
    name = re.sub(r"^ل(?=" + _OUTLET_WORD + r")", "", name)  # "لبوابة النهار" → "بوابة النهار"
    return name if word_count(name) <= 5 else ""


def read_more_line(line: str) -> str | None:
    """"اقرأ المزيد على موقع الميدان »" → "موقع الميدان"."""
    m = _READ_MORE.match(line)
    return m.group("site").strip() if m else None


def is_link_line(line: str) -> bool:
    """"رابط مختصر: https://…" or a bare URL."""
    return bool(_LINK_LINE.match(line))


def is_signoff(line: str) -> bool:
    """Agency sign-off "/انتهى/ ع.ح"."""
    return bool(_SIGNOFF.match(line))


def is_not_found(text: str) -> bool:
    """An error page ("الصفحة التي تبحث عنها غير موجودة") scraped as if it were an article."""
    return word_count(text) < 80 and bool(_NOT_FOUND.search(text))


def strip_list_number(line: str) -> str:
    """"١. عنوان" / "2- عنوان" → "عنوان"."""
    return _LIST_NUMBER.sub("", line, count=1)


def date_line(line: str) -> DateMatch | None:
    """The date when the line is (almost) only a date, with an optional label."""
    if len(line) > MAX_DATE_LINE_CHARS or not _DIGIT.search(line):
        return None
    matches = find_dates(line)
    if not matches:
        return None
    rest = line
    for m in reversed(matches):
        rest = rest[: m.start] + " " + rest[m.end :]
    rest = _DATE_LABEL_WORDS.sub(" ", rest)
    rest = re.sub(r"[\s:：|/\-–—·•،,()\[\]]+", " ", rest).strip()
    if word_count(rest) <= 1:
        return matches[0]
    return None


@dataclass
class Credit:
    """Parsed dateline/credit line: "عواصم (الاتحاد، وكالات)", "الرياض - واس"."""

    dateline: str | None = None
    outlets: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)


def _split_credit(text: str) -> tuple[list[str], list[str], list[str]]:
    """Credit parts → (outlets, agencies, authors).

    Agencies: known names, or a single word without the article (acronyms
    like "واس", "وأج"). Outlets: "صحيفة …"-style names or a name with the
    article ("الفجر"). Other names of two to four words are people: authors.
    """
    outlets: list[str] = []
    agencies: list[str] = []
    authors: list[str] = []
    for part in _SPLIT_CREDITS.split(text):
        part = part.strip(" .-–")
        n = word_count(part)
        if not part or n > 4:
            continue
        if _AGENCY.match(part) or (n == 1 and not part.startswith("ال")):
            agencies.append(part)
        elif re.match(_OUTLET_WORD, part) or part.startswith("ال"):
            outlets.append(part)
        else:
            authors.append(part)
    return outlets, agencies, authors


def credit_line(line: str) -> Credit | None:
    """A short dateline/credit line, as papers print it above the body."""
    if word_count(line) > 8 or date_line(line):
        return None
    m = _FOLLOWUP_CREDIT.match(line)
    if m:
        return Credit(outlets=[m.group("outlet").strip()])
    m = _PAREN_CREDIT.match(line)
    if m:
        outlets, agencies, authors = _split_credit(m.group("credit"))
        if not outlets and not agencies:
            return None
        return Credit(dateline=m.group("city").strip(" -–") or None, outlets=outlets, agencies=agencies, authors=authors)
    m = _DASH_CREDIT.match(line)
    if m:
        outlets, agencies, authors = _split_credit(m.group("credit"))
        if agencies or outlets or authors:
            return Credit(dateline=m.group("city").strip(), outlets=outlets, agencies=agencies, authors=authors)
        return None
    if _AGENCY.match(line.strip(" ()")):
        return Credit(agencies=[line.strip(" ()")])
    return None


def body_dateline(paragraph: str) -> tuple[Credit, int] | None:
    """A dateline that opens the first paragraph: "الرياض (رويترز) - قال ..." → (credit, offset of the text)."""
    m = _BODY_DATELINE.match(paragraph)
    if not m:
        return None
    credit_text = m.group("paren") or m.group("dash") or ""
    outlets, agencies, _ = _split_credit(credit_text)
    if not agencies and not (m.group("paren") and outlets and word_count(credit_text) <= 2):
        return None
    return Credit(dateline=m.group("city"), outlets=outlets, agencies=agencies), m.end()


def is_title_like(line: str, max_words: int = 30) -> bool:
    n = word_count(line)
    return 2 <= n <= max_words and not line.rstrip().endswith((".", "…", "...", ":"))
