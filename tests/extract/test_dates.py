"""Tests for rasd.extract.dates: date spans in Arabic news text → ISO 8601."""
from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

try:  # the repo may not be installed into the venv: fall back to the checkout
    import rasd  # noqa: F401
except ImportError:  # pragma: no cover
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from rasd.extract.dates import HIJRI_MONTHS, MONTHS, DateMatch, find_dates, parse_date


def one(text: str, **kw) -> DateMatch:
    found = find_dates(text, **kw)
    assert len(found) == 1, found
    m = found[0]
    assert text[m.start:m.end] == m.raw
    return m


# --------------------------------------------------------------------------- real pages

WIDGET = (
    "الكرملين: بوتين لم يأمر بتمديد الهدنة في أوكرانيا 20 أبريل 2025 - 11:04 مساءً "
    "زيلينسكي يتهم روسيا بتكثيف هجماتها.. “لا تنوي إنهاء الحرب” 20 أبريل 2025 - 2:32 مساءًوقال ترمب"
)


def test_real_page_published_label_english_ordinal():
    text = "تاريخ النشر: 28th, February 2025 GMT"
    m = one(text)
    assert m.value == "2025-02-28"
    assert m.label == "تاريخ النشر"
    assert m.raw.startswith("28th, February 2025")
    assert not m.has_time
    assert parse_date(text) == "2025-02-28"


def test_real_page_widget_two_dates_with_glued_time():
    found = find_dates(WIDGET)
    assert [m.value for m in found] == ["2025-04-20T23:04", "2025-04-20T14:32"]
    first, second = found
    assert first.raw == "20 أبريل 2025 - 11:04 مساءً"
    assert second.raw == "20 أبريل 2025 - 2:32 مساءً"
    assert WIDGET[second.end:].startswith("وقال ترمب")
    assert first.start == WIDGET.index("20 أبريل")
    assert second.start == WIDGET.rindex("20 أبريل")
    assert all(m.has_time and m.label is None for m in found)
    for m in found:
        assert WIDGET[m.start:m.end] == m.raw


# ----------------------------------------------------------------------------- months

STANDARD = [
    ("يناير", 1), ("فبراير", 2), ("مارس", 3), ("أبريل", 4), ("ابريل", 4), ("إبريل", 4),
    ("مايو", 5), ("يونيو", 6), ("يونيه", 6), ("يوليو", 7), ("يوليه", 7), ("أغسطس", 8),
    ("اغسطس", 8), ("سبتمبر", 9), ("أكتوبر", 10), ("اكتوبر", 10), ("نوفمبر", 11), ("ديسمبر", 12),
]
LEVANTINE = [
    ("كانون الثاني", 1), ("شباط", 2), ("آذار", 3), ("اذار", 3), ("نيسان", 4), ("أيار", 5),
    ("ايار", 5), ("حزيران", 6), ("تموز", 7), ("آب", 8), ("اب", 8), ("أيلول", 9),
    ("تشرين الأول", 10), ("تشرين الاول", 10), ("تشرين الثاني", 11), ("كانون الأول", 12),
    ("كانون الاول", 12), ("مايس", 5),  # Iraqi May
]
MAGHREBI = [
    ("جانفي", 1), ("فيفري", 2), ("مارس", 3), ("أفريل", 4), ("افريل", 4), ("ماي", 5), ("جوان", 6),
    ("جويلية", 7), ("أوت", 8), ("اوت", 8), ("سبتمبر", 9), ("أكتوبر", 10), ("نوفمبر", 11), ("ديسمبر", 12),
    ("يوليوز", 7), ("غشت", 8), ("شتنبر", 9), ("نونبر", 11), ("دجنبر", 12),  # Moroccan
]


@pytest.mark.parametrize("name,num", STANDARD + LEVANTINE + MAGHREBI)
def test_month_names(name, num):
    assert MONTHS[name] == num
    text = f"قال في 7 {name} 2024 إن"
    m = one(text)
    assert m.value == f"2024-{num:02d}-07"
    assert m.raw == f"7 {name} 2024"


def test_months_table_is_data():
    assert isinstance(MONTHS, dict) and all(isinstance(v, int) for v in MONTHS.values())
    assert MONTHS["february"] == 2 and MONTHS["feb"] == 2 and MONTHS["sept"] == 9
    assert HIJRI_MONTHS["رمضان"] == 9 and HIJRI_MONTHS["ذي الحجة"] == 12
    assert "أب" not in MONTHS  # "father", never a month


def test_month_with_harakat_after_name():
    assert parse_date("20 أبريلَ 2025") == "2025-04-20"


@pytest.mark.parametrize(
    "text,value,raw",
    [
        ("شباط/فبراير 2025", "2025-02", "شباط/فبراير 2025"),
        ("15 آذار (مارس) 2025", "2025-03-15", "15 آذار (مارس) 2025"),
        ("15 شباط/فبراير 2025", "2025-02-15", "15 شباط/فبراير 2025"),
        ("15 آذار / مارس 2025", "2025-03-15", "15 آذار / مارس 2025"),
        ("3 كانون الثاني (يناير) 2025", "2025-01-03", "3 كانون الثاني (يناير) 2025"),
    ],
)
def test_combined_month_forms(text, value, raw):
    m = one(f"بيروت - {text} (أ ف ب)", partial=True)
    assert (m.value, m.raw) == (value, raw)


def test_month_year_without_day_needs_partial():
    assert find_dates("في شباط/فبراير 2025 أعلن") == []
    assert parse_date("فبراير 2025") is None
    assert parse_date("فبراير 2025", partial=True) == "2025-02"
    assert one("Published: February 2025", partial=True).value == "2025-02"


# ------------------------------------------------------------------------------ Hijri


@pytest.mark.parametrize(
    "text,value",
    [
        ("12 رمضان 1446 هـ", "2025-03-12"),
        ("12 رمضان 1446هـ", "2025-03-12"),
        ("12 رمضان 1446 ه", "2025-03-12"),
        ("12 رمضان 1446 هجري", "2025-03-12"),
        ("12 رمضان 1446", "2025-03-12"),
        ("1 محرم 1446 هـ", "2024-07-07"),
        ("5 ربيع الأول 1446 هـ", "2024-09-08"),
        ("5 ربيع الآخر 1446 هـ", "2024-10-08"),
        ("5 ربيع الثاني 1446 هـ", "2024-10-08"),
        ("1 جمادى الأولى 1446 هـ", "2024-11-03"),
        ("1 جمادي الاولى 1446 هـ", "2024-11-03"),
        ("1 جمادى الآخرة 1446 هـ", "2024-12-02"),
        ("1 جمادى الثانية 1446 هـ", "2024-12-02"),
        ("1 رجب 1446 هـ", "2025-01-01"),
        ("1 شعبان 1446 هـ", "2025-01-31"),
        ("1 شوال 1446 هـ", "2025-03-30"),
        ("30 رمضان 1446 هـ", "2025-03-30"),  # 29-day month in Umm al-Qura: read as next day
        ("10 ذو القعدة 1445 هـ", "2024-05-18"),
        ("10 ذي القعدة 1445 للهجرة", "2024-05-18"),
        ("10 ذو الحجة 1445 هـ", "2024-06-16"),
        ("10 ذي الحجه 1445 ه", "2024-06-16"),
        ("1 صفر 1447 هـ", "2025-07-26"),
        ("1 محرم 1320 هـ", "1902-04-10"),  # before the Umm al-Qura table: tabular calendar
    ],
)
def test_hijri(text, value):
    m = one(f"الرياض {text} واس")
    assert (m.value, m.raw) == (value, text)


def test_hijri_with_gregorian_equivalent():
    text = "الأحد 20 رمضان 1446هـ الموافق 20 مارس 2025"
    hijri, greg = find_dates(text)
    assert hijri.raw == "الأحد 20 رمضان 1446هـ" and hijri.value == "2025-03-20"
    assert greg.raw == "20 مارس 2025" and greg.value == "2025-03-20"
    assert parse_date(text) == "2025-03-20"
    # Gregorian wins even when the two disagree and whichever comes first
    assert parse_date("الأحد 21 رمضان 1446هـ الموافق 20 مارس 2025") == "2025-03-20"
    assert parse_date("20 مارس 2025 الموافق 21 رمضان 1446هـ") == "2025-03-20"


def test_hijri_year_out_of_range_is_not_a_date():
    assert find_dates("قرأ 12 رمضان 2025 مرة") == []
    assert find_dates("12 رمضان 1600 هـ") == []


# ----------------------------------------------------------------------------- digits


def test_arabic_indic_and_persian_digits():
    m = one("نشر في ٢٠ أبريل ٢٠٢٥ - ١١:٠٤ مساءً")
    assert m.value == "2025-04-20T23:04" and m.raw == "٢٠ أبريل ٢٠٢٥ - ١١:٠٤ مساءً"
    assert parse_date("۲۰ أبريل ۲۰۲۵") == "2025-04-20"
    assert parse_date("٢٠٢٥-٠٤-٢٠") == "2025-04-20"
    assert parse_date("١٢ رمضان ١٤٤٦ هـ") == "2025-03-12"
    assert parse_date("٢٠/٠٤/٢٠٢٥") == "2025-04-20"


# ---------------------------------------------------------------------------- English


@pytest.mark.parametrize(
    "text,value",
    [
        ("28th, February 2025 GMT", "2025-02-28"),
        ("February 28, 2025", "2025-02-28"),
        ("February 28th, 2025", "2025-02-28"),
        ("28 Feb 2025", "2025-02-28"),
        ("28 Feb. 2025", "2025-02-28"),
        ("1st January 2000", "2000-01-01"),
        ("2nd of March, 2021", "2021-03-02"),
        ("Sept 3, 2023", "2023-09-03"),
        ("Sunday, April 20, 2025", "2025-04-20"),
        ("Sun, 20 Apr 2025 13:05:00 GMT", "2025-04-20T13:05+00:00"),
        ("Sun, 20 Apr 2025 13:05:00 +0300", "2025-04-20T13:05+03:00"),
        ("April 20, 2025 11:04 PM", "2025-04-20T23:04"),
        ("20 April 2025 at 9:05 a.m.", "2025-04-20T09:05"),
    ],
)
def test_english(text, value):
    m = one(text)
    assert (m.raw, m.value) == (text, value)


def test_english_month_after_label():
    m = one("Published on February 28, 2025 by staff")
    assert m.label == "Published on" and m.raw == "February 28, 2025"


# ----------------------------------------------------------------------------- numeric


@pytest.mark.parametrize(
    "text,value",
    [
        ("2025-04-20", "2025-04-20"),
        ("20/04/2025", "2025-04-20"),
        ("20-4-2025", "2025-04-20"),
        ("2025/04/20", "2025-04-20"),
        ("20.04.2025", "2025-04-20"),
        ("5/4/2025", "2025-04-05"),
        ("2025-04-20T13:05:00Z", "2025-04-20T13:05+00:00"),
        ("2025-04-20T13:05:30+03:00", "2025-04-20T13:05:30+03:00"),
        ("2025-04-20T13:05", "2025-04-20T13:05"),
        ("2025-04-20 13:05:00", "2025-04-20T13:05"),
        ("20/04/2025 - 11:04 ص", "2025-04-20T11:04"),
    ],
)
def test_numeric(text, value):
    m = one(f"قبل {text} بعد")
    assert (m.raw, m.value) == (text, value)


@pytest.mark.parametrize(
    "text", ["31/02/2025", "2025-02-30", "2025-13-01", "04/20/2025", "32.01.2025", "2150-01-01", "1899-12-31"]
)
def test_numeric_impossible_rejected(text):
    assert find_dates(text) == []
    assert parse_date(text) is None


# ---------------------------------------------------------------------------- weekdays


@pytest.mark.parametrize(
    "wd", ["الاثنين", "الإثنين", "الثلاثاء", "الأربعاء", "الاربعاء", "الخميس", "الجمعة", "السبت", "الأحد", "الاحد"]
)
def test_weekday_included(wd):
    m = one(f"نشر الخبر {wd} 20 أبريل 2025")
    assert m.raw == f"{wd} 20 أبريل 2025"
    m = one(f"خبر: {wd}، 20 أبريل 2025 - 10:00")
    assert m.raw == f"{wd}، 20 أبريل 2025 - 10:00"


# ------------------------------------------------------------------------------ labels


@pytest.mark.parametrize(
    "prefix,label",
    [
        ("تاريخ النشر:", "تاريخ النشر"),
        ("تاريخ النشر :", "تاريخ النشر"),
        ("نشر في:", "نشر في"),
        ("نُشر في", "نشر في"),
        ("نشر بتاريخ", "نشر بتاريخ"),
        ("آخر تحديث:", "آخر تحديث"),
        ("اخر تحديث:", "اخر تحديث"),
        ("تم النشر", "تم النشر"),
        ("تم النشر في", "تم النشر في"),
        ("بتاريخ", "بتاريخ"),
        ("Updated:", "Updated"),
    ],
)
def test_label_prefix(prefix, label):
    text = f"الرئيسية {prefix} الأحد 20 أبريل 2025 - 11:04 مساءً"
    m = one(text)
    assert m.label == label
    assert m.raw == "الأحد 20 أبريل 2025 - 11:04 مساءً"
    assert m.value == "2025-04-20T23:04"
    assert parse_date(f"{prefix} 20 أبريل 2025") == "2025-04-20"


def test_no_label_when_absent():
    assert one("وقال في 20 أبريل 2025 إن").label is None


# ------------------------------------------------------------------------------- times


@pytest.mark.parametrize(
    "text,value",
    [
        ("20 أبريل 2025 - 11:04 مساءً", "2025-04-20T23:04"),
        ("20 أبريل 2025 - 2:32 مساءً", "2025-04-20T14:32"),
        ("20 أبريل 2025 - 9:15 صباحاً", "2025-04-20T09:15"),
        ("20 أبريل 2025 - 9:15 صباحا", "2025-04-20T09:15"),
        ("20 أبريل 2025 - 9:15 ص", "2025-04-20T09:15"),
        ("20 أبريل 2025 - 9:15 م", "2025-04-20T21:15"),
        ("20 أبريل 2025 - 12:05 ص", "2025-04-20T00:05"),
        ("20 أبريل 2025 - 12:30 م", "2025-04-20T12:30"),
        ("20 أبريل 2025 - 9:15 AM", "2025-04-20T09:15"),
        ("20 أبريل 2025 - 9:15 PM", "2025-04-20T21:15"),
        ("20 أبريل 2025 - 1:30 ظهراً", "2025-04-20T13:30"),
        ("20 أبريل 2025، 11:04 مساء", "2025-04-20T23:04"),
        ("20 أبريل 2025 | 11:04 مساءا", "2025-04-20T23:04"),
        ("20 أبريل 2025 الساعة 18:40", "2025-04-20T18:40"),
        ("20 أبريل 2025 18:40:00", "2025-04-20T18:40"),
        ("20 أبريل 2025 18:40:09", "2025-04-20T18:40:09"),
        ("11:04 مساءً - 20 أبريل 2025", "2025-04-20T23:04"),
        ("11:04 مساءً، الأحد 20 أبريل 2025", "2025-04-20T23:04"),
        ("11:04 م | 20 أبريل 2025", "2025-04-20T23:04"),
        ("20 أبريل 2025 - 11:04 مساءً بتوقيت غرينتش", "2025-04-20T23:04+00:00"),
        ("20 أبريل 2025 - 11:04 مساءً بتوقيت مكة المكرمة", "2025-04-20T23:04+03:00"),
        ("20 أبريل 2025 11:04 GMT+3", "2025-04-20T11:04+03:00"),
    ],
)
def test_times(text, value):
    m = one(f"خبر {text} تابع")
    assert m.has_time
    assert (m.raw, m.value) == (text, value)


@pytest.mark.parametrize("marker", ["مساء", "مساءا", "مساءً", "مساءاً"])
def test_time_glued_to_next_word(marker):
    text = f"20 أبريل 2025 - 2:32 {marker}وقال ترمب"
    m = one(text)
    assert m.value == "2025-04-20T14:32"
    assert m.raw == f"20 أبريل 2025 - 2:32 {marker}"
    assert text[m.end:].startswith("وقال")


def test_single_letter_marker_does_not_eat_word():
    m = one("20 أبريل 2025 - 10:30 مشيرا إلى")
    assert m.raw == "20 أبريل 2025 - 10:30" and m.value == "2025-04-20T10:30"


def test_invalid_time_dropped_not_date():
    m = one("20 أبريل 2025 - 25:04 وقال")
    assert (m.raw, m.value, m.has_time) == ("20 أبريل 2025", "2025-04-20", False)


def test_time_range_is_not_an_offset():
    m = one("20 أبريل 2025 - 11:00-12:00")
    assert m.value == "2025-04-20T11:00" and m.raw == "20 أبريل 2025 - 11:00"


def test_timezone_without_time_is_kept_in_span_only():
    m = one("28 February 2025 GMT")
    assert m.raw == "28 February 2025 GMT" and m.value == "2025-02-28"


# ------------------------------------------------------------------------------- years


def test_day_month_without_year_needs_default_year():
    text = "وصل الوفد يوم 18 فبراير إلى القاهرة"
    assert find_dates(text) == []
    m = one(text, default_year=2025)
    assert (m.raw, m.value) == ("18 فبراير", "2025-02-18")
    assert parse_date("18 فبراير") is None
    assert parse_date("18 فبراير", default_year=2024) == "2024-02-18"
    assert parse_date("30 فبراير", default_year=2024) is None


def test_implausible_year_is_not_a_year():
    text = "في 3 مارس 1500 جندي"
    assert find_dates(text) == []
    m = one(text, default_year=2024)
    assert (m.raw, m.value) == ("3 مارس", "2024-03-03")


def test_year_suffix_miladi():
    m = one("الأربعاء، 2 يوليو 2025م وقال")
    assert (m.raw, m.value) == ("الأربعاء، 2 يوليو 2025م", "2025-07-02")


# ----------------------------------------------------------------------- false positives


@pytest.mark.parametrize(
    "text",
    [
        "أكثر من 2000 مرة",
        "لمدة 30 يوماً",
        "6 ساعات",
        "منذ 3 ساعات",
        "فاز الفريق 2-1 في المباراة",
        "نسبة 20.5% من 3/4 الأصوات",
        "الإصدار 1.2.3 والهاتف 0100-123-4567",
        "الساعة 12:30 ظهراً",
        "قتل 20 شخصا عام 2025",
        "مارس 20 لاعبا الرياضة",
        "لديه 3 أبناء",
        "المادة 12 من القانون رقم 7 لسنة 2019",
    ],
)
def test_no_false_positives(text):
    assert find_dates(text) == []
    assert find_dates(text, default_year=2025) == []
    assert parse_date(text) is None


def test_empty_and_digitless():
    assert find_dates("") == [] and parse_date("") is None
    assert find_dates("لا توجد أرقام هنا") == []


# ------------------------------------------------------------------------- API shape


def test_matches_ordered_nonoverlapping_and_raw_is_slice():
    text = (
        "تاريخ النشر: 28th, February 2025 GMT\n" + WIDGET + "\nآخر تحديث: 2025-04-21T08:00:00Z "
        "والموافق ١٢ رمضان ١٤٤٦ هـ و20/04/2025"
    )
    found = find_dates(text)
    assert len(found) == 6
    for a, b in zip(found, found[1:]):
        assert a.end <= b.start
    for m in found:
        assert text[m.start:m.end] == m.raw
    assert found[3].label == "آخر تحديث" and found[3].value == "2025-04-21T08:00+00:00"
    with pytest.raises(Exception):
        found[0].value = "x"  # frozen


def test_parse_date_picks_from_whole_string():
    assert parse_date("  تاريخ النشر: الأحد 20 أبريل 2025 - 11:04 مساءً  ") == "2025-04-20T23:04"
    assert parse_date("لا تاريخ هنا") is None
    assert parse_date("أبريل") is None


def test_parse_date_dateparser_fallback_only_when_regex_fails():
    # French is not in the regex tables; dateparser handles it
    assert parse_date("20 avril 2025") == "2025-04-20"
    # but the fallback is strict (day, month and year) and never relative
    assert parse_date("منذ 3 ساعات") is None
    assert parse_date("Apr 2025") is None


# --------------------------------------------------------------------------- benchmark


def test_microbenchmark_no_dates(capsys):
    """Not a timed assertion: prints µs/article for a 3,000-character article."""
    para = (
        "قال مسؤولون إن المحادثات بين الجانبين ستستأنف الأسبوع المقبل في العاصمة، وسط توقعات "
        "بأن تتناول ملفات الأمن والاقتصاد والطاقة، فيما أكد المتحدث باسم الحكومة أن الاتصالات "
        "مستمرة على أكثر من مستوى. "
    )
    no_digits = (para * 40)[:3000]
    with_numbers = (para.replace("الأسبوع", "خلال 30 يوماً و2000 مرة و6 ساعات") * 40)[:3000]
    lines = []
    for name, text in (("no digits", no_digits), ("plain numbers", with_numbers)):
        assert find_dates(text) == []
        n = 200
        t0 = time.perf_counter()
        for _ in range(n):
            find_dates(text)
        per = (time.perf_counter() - t0) / n
        lines.append(f"find_dates on {len(text)} chars ({name}): {per * 1e6:.0f} µs")
    with capsys.disabled():
        print("\n" + "\n".join(lines))
