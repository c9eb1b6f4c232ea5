"""Find date mentions in Arabic (and English) news text and normalise them to ISO 8601.

Why not just ``dateparser``?  It misses Levantine/Iraqi and Maghrebi month names,
label prefixes ("تاريخ النشر:"), glued AM/PM markers ("مساءًوقال") and it is far
too slow to run over every position of every article.  The main path here is one
precompiled regex plus month tables; ``dateparser`` is only a lazy fallback for
:func:`parse_date` when the regex path finds nothing.

Speed strategy: every date we recognise contains a digit, so :func:`find_dates`
returns immediately on digit-free text, otherwise it walks the digit runs (a C-speed
scan) and tries the anchored core regex at each one.  Things that come *before* the
first digit (label, weekday, English "February" in "February 28, 2025") are picked
up by a small backwards regex that only runs when a candidate was found.

Supported (see tests/extract/test_dates.py):

* Day-month-year with standard Arabic, Levantine/Iraqi (كانون الثاني … آذار … آب,
  مايس), Maghrebi (جانفي، فيفري، أفريل، ماي، جوان، جويلية، أوت) and Moroccan (يوليوز،
  غشت، شتنبر، نونبر، دجنبر) month names, with/without hamza, with harakat/tatweel,
  optional "من"/"شهر" between day and month; English names/abbreviations and
  ordinals ("28th, February 2025", "28 Feb 2025", "February 28, 2025").
* Combined names "شباط/فبراير", "آذار (مارس)", "آذار - مارس" (the first name wins).
* Hijri dates "12 رمضان 1446 هـ" (هـ / ه / هجري / هجرية / للهجرة, or a bare Hijri
  year 1300–1500) → converted to Gregorian (Umm al-Qura via hijridate, tabular
  arithmetic calendar outside its 1343–1500 range; day 30 of a 29-day month is
  read as the following day).
* Numeric dates: ``YYYY-MM-DD`` (also / and .), ISO datetimes with ``T`` and
  ``Z``/offset, and day-first ``DD/MM/YYYY``, ``D-M-YYYY``, ``DD.MM.YYYY``;
  impossible dates are rejected (month-first "04/20/2025" is *not* guessed).
* Arabic-Indic (٠-٩) and Persian (۰-۹) digits anywhere (spans are offsets into the
  original text; nothing is rewritten).
* Weekday before the date (Arabic or English) is included in the span; a label
  before it ("تاريخ النشر:", "نشر في", "آخر تحديث:", "بتاريخ", "Published on", …)
  goes into ``DateMatch.label`` (harakat stripped, colon dropped) and is excluded
  from the span.
* Times before or after the date ("- ", "،", "|", ",", "الساعة", "at"),
  "11:04 مساءً" → 23:04, ص/م/صباحاً/مساءً/ظهراً/عصراً/فجراً/ليلاً/AM/PM;
  markers may be glued to the next word ("مساءًوقال" stops after the tanween).
* Time zones: "GMT"/"UTC"/"بتوقيت غرينتش" (→ +00:00, with optional "+3"),
  a few fixed-offset "بتوقيت مكة/الإمارات/…" names, ``Z``/``+03:00`` after an ISO
  or H:M:S time.  Offsets are only emitted when a time is present.

Not supported / by design:

* Day + month without a year ("18 فبراير") is skipped unless ``default_year`` is
  given.  Year-less "February 28" (month first) is never returned.
* Month + year without a day ("فبراير 2025") is skipped unless ``partial=True``,
  in which case the value is "2025-02" (ISO 8601 reduced precision).
* Gregorian years must be 1900–2100 and Hijri years 1300–1500.
* Relative dates ("منذ 3 ساعات", "أمس") and two-digit years are not handled.
* French month names only via the dateparser fallback of :func:`parse_date`.
* Seconds appear in the value only when written and non-zero.
* Harakat/tatweel are tolerated after a month name and anywhere in labels/weekdays,
  but not *inside* a month name ("أبريـل"); parts of a date may be at most 8
  whitespace characters apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import product

__all__ = ["DateMatch", "MONTHS", "HIJRI_MONTHS", "find_dates", "parse_date"]


@dataclass(frozen=True)
class DateMatch:
    start: int  # char offset of the span in the text
    end: int
    raw: str  # text[start:end], without any label prefix
    value: str  # ISO 8601 "2025-02-28" / "2025-04-20T23:04" / "…T23:04+00:00"
    has_time: bool
    label: str | None  # e.g. "تاريخ النشر", "نشر في", "آخر تحديث"


# --------------------------------------------------------------------------- data

_GREGORIAN_BASE: dict[int, tuple[str, ...]] = {
    1: ("يناير", "جانفي", "كانون الثاني", "كانون ثاني", "january", "jan"),
    2: ("فبراير", "فيفري", "شباط", "february", "feb"),
    3: ("مارس", "آذار", "أذار", "march", "mar"),
    4: ("أبريل", "إبريل", "أفريل", "نيسان", "april", "apr"),
    5: ("مايو", "ماي", "أيار", "مايس", "may"),
    6: ("يونيو", "يونيه", "جوان", "حزيران", "june", "jun"),
    7: ("يوليو", "يوليه", "يوليوز", "جويلية", "جويليه", "تموز", "july", "jul"),
    8: ("أغسطس", "أوت", "غشت", "آب", "august", "aug"),
    9: ("سبتمبر", "شتنبر", "أيلول", "september", "sept", "sep"),
    10: ("أكتوبر", "تشرين الأول", "تشرين أول", "october", "oct"),
    11: ("نوفمبر", "نونبر", "تشرين الثاني", "تشرين ثاني", "november", "nov"),
    12: ("ديسمبر", "دجنبر", "كانون الأول", "كانون أول", "december", "dec"),
}

_HIJRI_BASE: dict[int, tuple[str, ...]] = {
    1: ("محرم", "المحرم"),
    2: ("صفر",),
    3: ("ربيع الأول", "ربيع أول"),
    4: ("ربيع الآخر", "ربيع الأخر", "ربيع آخر", "ربيع الثاني", "ربيع ثاني"),
    5: ("جمادى الأولى", "جمادى الأول", "جمادى أولى", "جمادى الأولي"),
    6: ("جمادى الآخرة", "جمادى الأخرة", "جمادى الآخر", "جمادى الثانية", "جمادى الثاني", "جمادى ثاني"),
    7: ("رجب",),
    8: ("شعبان",),
    9: ("رمضان",),
    10: ("شوال",),
    11: ("ذو القعدة", "ذي القعدة", "ذى القعدة"),
    12: ("ذو الحجة", "ذي الحجة", "ذى الحجة"),
}


def _word_variants(word: str) -> set[str]:
    out = set()
    for dehamza, ya, ta in product((False, True), repeat=3):
        v = word
        if dehamza:
            v = v.replace("أ", "ا").replace("إ", "ا").replace("آ", "ا")
        if ya:
            v = v.replace("ى", "ي")
        if ta:
            v = v.replace("ة", "ه")
        out.add(v)
    return out


def _variants(name: str) -> set[str]:
    """Spelling variants, word by word: hamza-less alef, ى→ي, ة→ه (never *adds* a hamza)."""
    return {" ".join(p) for p in product(*(sorted(_word_variants(w)) for w in name.split()))}


def _expand(base: dict[int, tuple[str, ...]]) -> dict[str, int]:
    table: dict[str, int] = {}
    for num, names in base.items():
        for name in names:
            for v in sorted(_variants(name)):
                table.setdefault(v, num)
    return table


#: Gregorian month names (lower-case English, Arabic with spelling variants) → 1..12.
#: Keys are written without harakat/tatweel and with single spaces.
MONTHS: dict[str, int] = _expand(_GREGORIAN_BASE)
#: Hijri month names → 1..12 (same key conventions as MONTHS).
HIJRI_MONTHS: dict[str, int] = _expand(_HIJRI_BASE)

_WEEKDAYS = (
    "الأحد", "الاثنين", "الإثنين", "الأثنين", "الاتنين", "الثلاثاء", "الثلاثا",
    "الأربعاء", "الأربعا", "الخميس", "الجمعة", "السبت",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
)
# Labels that may stand alone before a date (optionally followed by في/بتاريخ/on).
_LABELS_ALONE = (
    "تاريخ النشر", "تاريخ التحديث", "تاريخ الإضافة", "تاريخ الخبر", "آخر تحديث",
    "آخر تعديل", "تم النشر", "تم التحديث", "تم التعديل", "بتاريخ",
    "published", "updated", "last updated", "posted", "last modified",
)
# Labels that need a following في/بتاريخ/يوم/on.
_LABELS_NEED_SUFFIX = ("نشر", "نشرت", "حدث", "تحديث", "أضيف")
_LABEL_SUFFIXES = ("في", "بتاريخ", "يوم", "on")

# Fixed-offset time zone names ("بتوقيت X"); DST zones are deliberately absent.
_TZ_NAMES: dict[str, str] = {
    "غرينتش": "+00:00", "جرينتش": "+00:00", "غرينيتش": "+00:00", "جرينيتش": "+00:00",
    "مكة المكرمة": "+03:00", "مكة": "+03:00", "السعودية": "+03:00", "الرياض": "+03:00",
    "الدوحة": "+03:00", "قطر": "+03:00", "الكويت": "+03:00", "بغداد": "+03:00",
    "الإمارات": "+04:00", "أبوظبي": "+04:00", "دبي": "+04:00",
}

# ------------------------------------------------------------------------- regexes

_MARKS = "\u064b-\u065f\u0670\u0640"  # harakat, superscript alef, tatweel
_BIDI = "\u200c-\u200f\u061c\u2066-\u2069"
_S = rf"[\s{_BIDI}]"  # whitespace incl. bidi/ZW marks common in scraped pages
_W0 = _S + "{0,8}"  # bounded: a date's parts are never far apart, and this caps backtracking
_W1 = _S + "{1,8}"
_MARKS_RE = re.compile(f"[{_MARKS}]")
_BIDI_RE = re.compile(f"[{_BIDI}]")
_NOT_LETTER = r"(?![^\W\d])"  # not followed by a letter (digits/punct/space ok)

_FOLD = {
    "ا": "[اأإآ]", "أ": "[اأإآ]", "إ": "[اأإآ]", "آ": "[اأإآ]",
    "ى": "[يى]", "ي": "[يى]", "ة": "[ةه]", "ه": "[ةه]",
}


def _tol(word: str, fold: bool = False, marks: bool = True) -> str:
    """Regex for *word*: harakat/tatweel tolerated after each Arabic letter when *marks*
    (month names skip this to keep the regex small: only trailing marks are allowed),
    alef/ya/ta-marbuta variants folded when *fold*."""
    out = []
    for ch in word:
        if ch == " ":
            out.append(_W1)
        elif "\u0600" <= ch <= "\u06ff":
            out.append(_FOLD[ch] if fold and ch in _FOLD else re.escape(ch))
            if marks:
                out.append(f"[{_MARKS}]*")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def _trie(words) -> str:
    """Factored alternation (a regex trie) for a word list: failing matches cost one
    character test instead of one per word, and longer words are preferred."""
    root: dict = {}
    for w in set(words):
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        end = "" in node
        branches = []
        for ch in sorted(k for k in node if k):
            piece = _W1 if ch == " " else re.escape(ch)
            branches.append(piece + emit(node[ch]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and not end else "(?:" + "|".join(branches) + ")"
        if end:
            body = (body if body.startswith("(?:") else "(?:" + body + ")") + "?"
        return body

    return "(?i:" + emit(root) + ")"


def _alt(words, fold: bool = False, marks: bool = True) -> str:
    uniq = sorted(set(words), key=lambda w: (-len(w), w))
    return "(?i:" + "|".join(_tol(w, fold, marks) for w in uniq) + ")"


_MON = (
    "(?:" + _trie(k for k in MONTHS if not k.isascii()) + f"[{_MARKS}]*"
    + "|" + _trie(k for k in MONTHS if k.isascii()) + r"\.?)" + _NOT_LETTER
)
_HMON = _trie(HIJRI_MONTHS) + f"[{_MARKS}]*" + _NOT_LETTER
_WD = _alt(_WEEKDAYS, fold=True) + r"\.?" + _NOT_LETTER
_LABEL = (
    "(?:" + _alt(_LABELS_ALONE, fold=True) + f"(?:{_W1}" + _alt(_LABEL_SUFFIXES, fold=True) + ")?"
    "|" + _alt(_LABELS_NEED_SUFFIX, fold=True) + f"{_W1}" + _alt(_LABEL_SUFFIXES, fold=True) + ")"
    + _NOT_LETTER
)


def _mcombo(p: str) -> str:
    """Month name optionally followed by an alternative name: شباط/فبراير, آذار (مارس)."""
    return f"(?P<{p}>{_MON})(?:{_W0}(?:[/\\-–]|(?P<{p}paren>\\())?{_W0}{_MON}(?({p}paren){_W0}\\)))?"


_TANWIN = "[\u0627\u064b\u064e\u0670]{0,3}"
_AMPM = (
    r"(?i:[ap]\.?\s?m\b\.?)"
    rf"|(?:بعد{_W1})?(?:ال)?(?:مساء|صباح|ظهر|ظهيرة|عصر|فجر|ليل){_TANWIN}"
    rf"|[صم]{_NOT_LETTER}"
)


def _time(p: str) -> str:
    return (
        rf"(?P<{p}h>\d{{1,2}})[:：](?P<{p}mi>\d{{2}})(?!\d)(?:[:：](?P<{p}s>\d{{2}})(?!\d))?"
        rf"(?:{_W0}(?P<{p}ap>{_AMPM}))?"
    )


_ORD = r"(?i:st|nd|rd|th)?"
_AD = rf"(?:{_S}?(?:ميلادية|ميلادي|م){_NOT_LETTER})?"  # "2025م"

_DATE_DMY = (  # 20 أبريل 2025 / 28th, February 2025 / 15 آذار (مارس) 2025 / 18 فبراير
    rf"(?P<ad>\d{{1,2}})(?!\d){_ORD}(?:{_W0}[,،])?{_W0}(?:(?i:of){_W1})?(?:من{_W1})?(?:شهر{_W1})?"
    rf"(?P<amp>{_mcombo('am')})"
    rf"(?:{_W0}[,،]?{_W0}(?P<ay>\d{{4}})(?!\d){_AD})?"
)
_DATE_HIJRI = (  # 12 رمضان 1446 هـ
    rf"(?P<hd>\d{{1,2}})(?!\d){_W0}(?:من{_W1})?(?:شهر{_W1})?(?P<hm>{_HMON})"
    rf"{_W0}[,،]?{_W0}(?P<hy>\d{{4}})(?!\d)"
    rf"(?:{_W0}(?:للهجرة|هجرية|هجريه|هجري|هـ|ه)(?![^\W\d]))?"
)
_DATE_ISO = (  # 2025-04-20, 2025/04/20, 2025-04-20T13:05:00Z
    r"(?P<iy>\d{4})(?P<isep>[-/.])(?P<im>\d{1,2})(?P=isep)(?P<id>\d{1,2})(?!\d)(?![-/.]\d)"
    r"(?:T(?P<ith>\d{1,2}):(?P<itm>\d{2})(?::(?P<its>\d{2})(?:[.,]\d+)?)?"
    r"(?P<itz>Z(?![^\W\d])|[+-]\d{2}(?::?\d{2})?(?!\d))?)?"
)
_DATE_NUM = (  # 20/04/2025, 20-4-2025, 20.04.2025 (day first)
    r"(?P<nd>\d{1,2})(?P<nsep>[-/.])(?P<nm>\d{1,2})(?P=nsep)(?P<ny>\d{4})(?!\d)(?![-/.]\d)"
)
_DATE_MDY = (  # the "28, 2025" of "February 28, 2025" (month checked backwards)
    rf"(?P<qd>\d{{1,2}})(?!\d){_ORD}(?:{_W0}[,،])?{_W0}(?P<qy>\d{{4}})(?!\d)"
)
_DATE_YEAR = r"(?P<py>\d{4})(?!\d)"  # the "2025" of "فبراير 2025" (partial=True only)

_TZ_NAME_RE = "|".join(_tol(n, fold=True) for n in sorted(_TZ_NAMES, key=len, reverse=True))
_TZ = (
    rf"(?:{_W0}\(?(?P<tzn>(?i:GMT|UTC)|بتوقيت{_W1}(?:{_TZ_NAME_RE}))"
    rf"(?:{_W0}(?P<tzo>[+-]){_W0}(?P<tzoh>\d{{1,2}})(?::?(?P<tzom>\d{{2}}))?(?!\d))?\)?)"
)
_SEP_BEFORE = rf"(?:{_W0}[-–—|،,•·]{_W0}|{_W1})"
_SEP_AFTER = (
    rf"(?:{_W0}[-–—|،,•·@]{_W0}|{_W1})"
    rf"(?:(?:في{_W1})?(?:تمام{_W1})?(?:ال)?ساعة{_W0}|(?i:at){_W1})?"
)

_CORE = re.compile(
    r"(?<!\d)(?<!\d[:/.\-])"
    rf"(?:(?P<t1>{_time('a')}){_SEP_BEFORE}(?:(?P<wd2>{_WD}){_W0}[،,\-–—]?{_W0})?)?"
    rf"(?P<date>{_DATE_DMY}|{_DATE_HIJRI}|{_DATE_ISO}|{_DATE_NUM}|{_DATE_MDY}|{_DATE_YEAR})"
    rf"(?:{_SEP_AFTER}(?P<t2>{_time('b')}){_S}?(?P<boff>Z(?![^\W\d])|[+-]\d{{2}}:?\d{{2}}(?!\d))?)?"
    rf"{_TZ}?"
)
_PREFIX = rf"(?:(?<!\w)(?P<label>{_LABEL}){_W0}[:：\-–—|]?{_W0})?(?:(?<!\w)(?P<wd>{_WD}){_W0}[،,\-–—]?{_W0})?"
_BACK = re.compile(_PREFIX + r"\Z")
_BACK_MONTH = re.compile(_PREFIX + rf"(?<!\w)(?P<bmp>{_mcombo('bm')}){_W0}\Z")

_DIGIT_CLASS = "[0-9\u0660-\u0669\u06f0-\u06f9]"  # ASCII, Arabic-Indic, Persian
_HAS_DIGIT = re.compile(_DIGIT_CLASS)
_DIGIT_RUN = re.compile(_DIGIT_CLASS + "+")
_BACK_WINDOW = 80


# ------------------------------------------------------------------------- helpers


def _clean(s: str) -> str:
    """Drop harakat/tatweel, turn bidi marks into spaces, collapse whitespace."""
    return " ".join(_BIDI_RE.sub(" ", _MARKS_RE.sub("", s)).split())


def _key(s: str) -> str:
    return _clean(s).lower()


def _greg_ok(y: int) -> bool:
    return 1900 <= y <= 2100


def _valid(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _hijri_to_gregorian(y: int, m: int, d: int) -> date | None:
    if not (1300 <= y <= 1500 and 1 <= m <= 12 and 1 <= d <= 30):
        return None
    try:
        from hijridate import Hijri
    except ImportError:  # pragma: no cover - hijridate is a hard dependency
        Hijri = None
    if Hijri is not None:
        try:
            g = Hijri(y, m, d).to_gregorian()
            return date(g.year, g.month, g.day)
        except ValueError:
            if d == 30:  # month has 29 days in Umm al-Qura: read as the next day
                g = Hijri(y, m, 29).to_gregorian()
                return date(g.year, g.month, g.day) + timedelta(days=1)
            return None
        except OverflowError:
            pass  # outside Umm al-Qura table (1343–1500): tabular calendar below
    jdn = d + -(-(59 * (m - 1)) // 2) + (y - 1) * 354 + (3 + 11 * y) // 30 + 1948440 - 1
    return date.fromordinal(jdn - 1721425)


def _time_of(m: re.Match, p: str) -> tuple[int, int, int] | None:
    h = int(m.group(p + "h"))
    mi = int(m.group(p + "mi"))
    s = int(m.group(p + "s")) if m.group(p + "s") else 0
    if mi > 59 or s > 59:
        return None
    ap = m.group(p + "ap")
    if ap:
        k = _key(ap).replace(".", "").replace(" ", "")
        if k.startswith("بعد"):
            k = "م"
        k = k[2:] if k.startswith("ال") else k
        if h > 12:
            return (h, mi, s) if h <= 23 and k not in ("am", "ص") else None
        if k in ("pm", "م") or k.startswith(("مساء", "عصر")):
            h = h % 12 + 12 if h != 12 else 12
        elif k.startswith(("ظهر",)):  # "1 ظهراً" = 13:00, "11 ظهراً" = 11:00
            h = h + 12 if 1 <= h <= 6 else h
        elif k.startswith("ليل"):  # "11 ليلاً" = 23:00, "2 ليلاً" = 02:00
            h = h + 12 if 6 <= h < 12 else (0 if h == 12 else h)
        elif k in ("am", "ص") or k.startswith(("صباح", "فجر")):
            h = 0 if h == 12 else h
    if h > 23:
        return None
    return h, mi, s


def _tz_of(m: re.Match) -> str | None:
    name = m.group("tzn")
    if not name:
        return None
    k = _fold(name)
    if k in ("gmt", "utc"):
        off = "+00:00"
    else:
        off = _TZ_LOOKUP.get(k.split(" ", 1)[-1])
        if off is None:
            return None
    if m.group("tzo"):
        oh = int(m.group("tzoh"))
        om = int(m.group("tzom") or 0)
        if oh > 14 or om > 59:
            return None
        return f"{m.group('tzo')}{oh:02d}:{om:02d}"
    return off


_FOLD_TABLE = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه"})


def _fold(s: str) -> str:
    return _key(s).translate(_FOLD_TABLE)


_TZ_LOOKUP = {_fold(n): v for n, v in _TZ_NAMES.items()}


def _offset(raw: str) -> str | None:
    if raw in ("Z", "z"):
        return "+00:00"
    digits = raw[1:].replace(":", "")
    oh, om = int(digits[:2]), int(digits[2:] or 0)
    if oh > 14 or om > 59:
        return None
    return f"{raw[0]}{oh:02d}:{om:02d}"


def _fmt(d: date | tuple[int, int], t: tuple[int, int, int] | None, tz: str | None) -> str:
    if isinstance(d, tuple):  # (year, month) partial
        return f"{d[0]:04d}-{d[1]:02d}"
    v = d.isoformat()
    if t is not None:
        v += f"T{t[0]:02d}:{t[1]:02d}" + (f":{t[2]:02d}" if t[2] else "") + (tz or "")
    return v


def _build(text: str, m: re.Match, floor: int, default_year: int | None, partial: bool):
    """Turn a core-regex match into (DateMatch, is_hijri) or None."""
    start = m.start("date")
    end = m.end()
    day_value: date | tuple[int, int] | None = None
    is_hijri = False
    need_month = False
    iso_time = None
    iso_tz = None
    strict_offset_ok = False

    if m.group("ad") is not None:
        month = MONTHS.get(_key(m.group("am")).rstrip("."))
        day = int(m.group("ad"))
        ay = m.group("ay")
        year = int(ay) if ay is not None else None
        if year is None or not _greg_ok(year):
            if default_year is None:
                return None
            year = default_year
            if ay is not None:  # a 4-digit number that is not a plausible year: stop before it
                end = m.end("amp")
        day_value = _valid(year, month, day) if month else None
    elif m.group("hd") is not None:
        month = HIJRI_MONTHS.get(_key(m.group("hm")))
        day_value = _hijri_to_gregorian(int(m.group("hy")), month, int(m.group("hd"))) if month else None
        is_hijri = True
    elif m.group("iy") is not None:
        year = int(m.group("iy"))
        if _greg_ok(year):
            day_value = _valid(year, int(m.group("im")), int(m.group("id")))
        if m.group("ith") is not None:
            h, mi = int(m.group("ith")), int(m.group("itm"))
            s = int(m.group("its") or 0)
            if h > 23 or mi > 59 or s > 59:
                return None
            iso_time = (h, mi, s)
            if m.group("itz"):
                iso_tz = _offset(m.group("itz"))
        strict_offset_ok = True
    elif m.group("nd") is not None:
        year = int(m.group("ny"))
        if _greg_ok(year):
            day_value = _valid(year, int(m.group("nm")), int(m.group("nd")))
    elif m.group("qd") is not None:
        need_month = True
    elif m.group("py") is not None:
        if not partial:
            return None
        need_month = True
    if day_value is None and not need_month:
        return None

    # -- times ---------------------------------------------------------------
    t = iso_time
    tz = iso_tz
    if m.group("t2") is not None and end == m.end():
        t2 = _time_of(m, "b")
        if t2 is not None and t is None:
            t = t2
            if m.group("boff"):
                if strict_offset_ok or m.group("bs"):
                    tz = _offset(m.group("boff"))
                else:  # "11:00-12:00" is a range, not an offset
                    end = m.end("t2")
        elif t2 is None:
            end = m.end("date")
    if m.group("t1") is not None:
        t1 = _time_of(m, "a")
        if t1 is not None:
            start = m.start("t1")
            if t is None:
                t = t1
        elif m.group("wd2") is not None:
            start = m.start("wd2")
    if end == m.end() and m.group("tzn"):
        named = _tz_of(m)
        if named is not None and tz is None:
            tz = named
    if t is None:
        tz = None

    # -- look backwards for label / weekday / (month of "February 28, 2025") --
    ws = max(floor, start - _BACK_WINDOW)
    label = None
    if need_month:
        if m.group("t1") is not None:  # "11:04 28, 2025" is not a month-first date
            return None
        b = _BACK_MONTH.search(text, ws, start)
        if b is None:
            return None
        month = MONTHS.get(_key(b.group("bm")).rstrip("."))
        if month is None:
            return None
        if m.group("qd") is not None:
            year = int(m.group("qy"))
            if not _greg_ok(year):
                return None
            day_value = _valid(year, month, int(m.group("qd")))
            if day_value is None:
                return None
        else:
            year = int(m.group("py"))
            if not _greg_ok(year):
                return None
            day_value = (year, month)
            t = tz = None
            end = m.end("date")
        start = b.start("bmp")
    else:
        b = _BACK.search(text, ws, start)
    if b is not None:
        if b.group("wd") is not None:
            start = b.start("wd")
        if b.group("label") is not None:
            label = _clean(b.group("label"))

    raw = text[start:end]
    stripped = raw.rstrip()
    end -= len(raw) - len(stripped)
    return DateMatch(start, end, stripped, _fmt(day_value, t, tz), t is not None, label), is_hijri


def _scan(text: str, default_year: int | None, partial: bool):
    if not text or not _HAS_DIGIT.search(text):
        return []
    out = []
    floor = 0
    core_match = _CORE.match
    for run in _DIGIT_RUN.finditer(text):
        pos = run.start()
        if pos < floor:
            continue
        m = core_match(text, pos)
        if m is None:
            continue
        res = _build(text, m, floor, default_year, partial)
        if res is None:
            continue
        out.append(res)
        floor = res[0].end
    return out


# ---------------------------------------------------------------------- public API


def find_dates(text: str, *, default_year: int | None = None, partial: bool = False) -> list[DateMatch]:
    """All date mentions in *text*, in order and non-overlapping.

    ``default_year``: year to use for day+month mentions without a year ("18 فبراير");
    without it those are skipped.  ``partial=True`` also returns month+year mentions
    ("فبراير 2025") with value "2025-02".
    """
    return [dm for dm, _ in _scan(text, default_year, partial)]


def parse_date(raw: str, *, default_year: int | None = None, partial: bool = False) -> str | None:
    """Parse one free-standing date string (label prefix, weekday and time allowed).

    Returns an ISO 8601 string or None.  When the string holds several dates (e.g. a
    Hijri date "الموافق" a Gregorian one) the first Gregorian one wins; a time found
    on another mention of the same day is carried over.  Falls back to ``dateparser``
    (absolute dates only, day/month/year all required) for short strings that contain
    letters and digits but nothing the regex path understands.
    """
    if not raw:
        return None
    found = _scan(raw, default_year, partial)
    if found:
        best = next((dm for dm, hijri in found if not hijri), found[0][0])
        if not best.has_time:
            for dm, _ in found:
                if dm.has_time and dm.value[:10] == best.value:
                    return dm.value
        return best.value
    return _dateparser_fallback(raw)


_HAS_LETTER = re.compile(r"[^\W\d_]")
_TIME_HINT = re.compile(r"\d[:：]\d\d")


def _dateparser_fallback(raw: str) -> str | None:
    raw = raw.strip()
    if len(raw) > 100 or not _HAS_DIGIT.search(raw) or not _HAS_LETTER.search(raw):
        return None  # purely numeric strings were already judged by the regex path
    try:
        import dateparser
    except ImportError:  # pragma: no cover
        return None
    try:
        dt = dateparser.parse(
            raw,
            languages=["ar", "en", "fr"],
            settings={
                "STRICT_PARSING": True,
                "PARSERS": ["absolute-time"],
                "DATE_ORDER": "DMY",
                "PREFER_LOCALE_DATE_ORDER": False,
            },
        )
    except Exception:  # dateparser raises assorted errors on odd input
        return None
    if dt is None or not _greg_ok(dt.year):
        return None
    if not _TIME_HINT.search(raw) and (dt.hour, dt.minute, dt.second) == (0, 0, 0):
        return dt.date().isoformat()
    v = f"{dt.date().isoformat()}T{dt.hour:02d}:{dt.minute:02d}" + (f":{dt.second:02d}" if dt.second else "")
    if dt.utcoffset() is not None:
        off = dt.utcoffset()
        total = int(off.total_seconds()) // 60
        sign = "+" if total >= 0 else "-"
        v += f"{sign}{abs(total) // 60:02d}:{abs(total) % 60:02d}"
    return v
