"""Gazetteer building: CLDR place names (via babel, build time only) + small curated lists.

The combined list is written to ``rasd/data/ner/gazetteer.tsv`` (``TYPE<TAB>phrase``) at
training time, so tagging never needs babel.
"""

from __future__ import annotations

from .features import normalize, tokenize

# Curated, hand-written lists (general knowledge; not taken from any labelled corpus).
PERSON_FIRST = """
محمد أحمد احمد محمود مصطفى علي عمر عثمان خالد حسن حسين حسني عبدالله عبدالرحمن عبدالعزيز عبدالملك
عبدالمجيد عبدالكريم عبدالرحيم عبدالحميد عبدالقادر عبدالسلام عبداللطيف عبدالوهاب عبدالفتاح
عبدالناصر عبدالرزاق عبدالهادي عبدالغني عبدالإله سعد سعيد سعود سلمان سلطان فهد فيصل نايف بندر تركي
طلال متعب مشعل منصور ماجد مازن ناصر نبيل نجيب نزار هشام هاني هيثم وليد ياسر يوسف يحيى يونس إبراهيم
ابراهيم إسماعيل اسماعيل إسحاق اسحاق يعقوب موسى عيسى داود سليمان أيمن ايمن أنور انور أسامة اسامة
أمين امين أشرف اشرف بشار بشير جمال جميل جعفر جلال حمد حمدي حامد حازم حافظ حسام حمزة رامي رائد
رشيد رضا رفيق زكي زياد زيد سامي سمير سليم شريف صالح صلاح صدام طارق طه عادل عاطف عامر عدنان عزت
عصام علاء عماد عمار عمرو غازي غسان فؤاد فاروق فريد فتحي قاسم كمال كريم لؤي ماهر مجدي مروان مراد
معتز منير مهدي نادر نواف نور هادي هاشم وائل وجدي ياسين يزيد إياد اياد باسم بسام ثامر جاسم حمود
خليل راشد ربيع رياض سامر سالم شادي شاكر شوقي ضياء عبير عزيز فارس فواز قيس لطفي مالك محسن مختار
معمر منذر نعيم نهاد هلال وسام فاطمة عائشة خديجة مريم زينب سارة نورة هند ليلى سلمى رانيا منى سميرة
سعاد نادية ناديا لمياء هدى أمل امل إيمان ايمان رشا دينا ريم سوزان كوندوليزا هيلاري انجيلا أنجيلا
جورج جون جيمس توني ديفيد دافيد مايكل ريتشارد روبرت وليام بيل باراك دونالد فلاديمير ديمتري
نيكولا نيكولاس جاك فرانسوا ايهود إيهود أرييل ارييل بنيامين شمعون إسحق اسحق موشيه عمير
كوفي بان هوغو هوجو فيدل راؤول جاكوب ميشال ميشيل اميل إميل رفيق سعدالدين نجيب وليد سمير بطرس
"""

PERSON_TITLE_NOUNS = ""  # titles live in features.TRIGGERS

ORGS = """
الأمم المتحدة
مجلس الأمن
جامعة الدول العربية
الجامعة العربية
الاتحاد الأوروبي
حلف شمال الأطلسي
حلف الناتو
الناتو
منظمة التحرير الفلسطينية
السلطة الفلسطينية
حركة حماس
حماس
حركة فتح
فتح
حزب الله
الجهاد الإسلامي
تنظيم القاعدة
القاعدة
طالبان
داعش
الإخوان المسلمين
الإخوان المسلمون
البنك الدولي
صندوق النقد الدولي
منظمة الصحة العالمية
منظمة التجارة العالمية
الوكالة الدولية للطاقة الذرية
اليونسكو
اليونيسيف
أوبك
منظمة أوبك
الصليب الأحمر
الهلال الأحمر
الكونغرس
الكونجرس
الكنيست
البنتاغون
البنتاجون
البيت الأبيض
الكرملين
مجلس التعاون الخليجي
مجلس التعاون
منظمة المؤتمر الإسلامي
الاتحاد الأفريقي
الاتحاد الافريقي
وكالة الأنباء الفرنسية
رويترز
أسوشيتد برس
بي بي سي
سي إن إن
الجزيرة
العربية
فرانس برس
الفيفا
فيفا
الاتحاد الدولي لكرة القدم
اللجنة الأولمبية الدولية
مايكروسوفت
جوجل
غوغل
أبل
سامسونج
نوكيا
تويوتا
أرامكو
سابك
"""

MISC = """
الإسلام
المسيحية
اليهودية
كأس العالم
الألعاب الأولمبية
دوري أبطال أوروبا
"""


def _phrases(block: str) -> list[str]:
    return [ln.strip() for ln in block.strip().splitlines() if ln.strip()]


def cldr_places() -> list[tuple[str, str]]:
    """(type, phrase) for CLDR Arabic territory names and time-zone exemplar cities."""
    try:
        import babel
    except ImportError:  # pragma: no cover - build-time dependency only
        return []
    loc = babel.Locale("ar")
    out = []
    for code, name in loc.territories.items():
        out.append(("LOC", name))
    for _tz, data in loc.time_zones.items():
        city = data.get("city") if hasattr(data, "get") else None
        if city:
            out.append(("LOC", city))
    return out


def build_gazetteer() -> list[tuple[str, str]]:
    entries: list[tuple[str, str]] = []
    entries += cldr_places()
    entries += [("PERF", w) for w in PERSON_FIRST.split()]  # person first names
    entries += [("ORG", p) for p in _phrases(ORGS)]
    entries += [("MISC", p) for p in _phrases(MISC)]
    seen = set()
    out = []
    for t, p in entries:
        key = (t, " ".join(normalize(x) for x in tokenize(p)))
        if key[1] and key not in seen:
            seen.add(key)
            out.append(key)
    return sorted(out)


def write_gazetteer(path) -> int:
    rows = build_gazetteer()
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("# TYPE<TAB>normalised phrase; built by rasd.enrich.ner.gazetteer from CLDR (babel) + curated lists\n")
        for t, p in rows:
            fh.write(f"{t}\t{p}\n")
    return len(rows)


def read_gazetteer(path) -> dict[tuple[str, ...], set[str]]:
    out: dict[tuple[str, ...], set[str]] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            t, p = line.rstrip("\n").split("\t", 1)
            out.setdefault(tuple(p.split(" ")), set()).add(t)
    return out
