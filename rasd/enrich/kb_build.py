"""Build ``rasd/data/kb/places_cldr.tsv`` from CLDR's Arabic names (via babel).

Run once, by hand, and commit the output: the runtime knowledge base reads
the TSV and never imports babel::

    .venv/bin/python -m rasd.enrich.kb_build

What goes in:

* every country/territory of ``babel.Locale('ar').territories``, minus
  pseudo-territories (ZZ, XA, ...), the UN/EU (they are ORG entries in
  ``orgs.tsv``) and a few tiny dependencies whose Arabic names are common
  words; a handful of names are overridden with the short form news uses
  (المملكة العربية السعودية -> السعودية, the CLDR name is kept as an alias);
* continents and world regions (the numeric UN M.49 codes) that news names;
* major cities: CLDR's time-zone exemplar cities, restricted to the
  whitelist ``CITY_ZONES`` (most exemplar cities are obscure: ترك, نوم,
  سنتر... are also common words). A city whose key equals a country's
  (الكويت, تونس, الجزائر...) is folded into the country.

Hand-made variants (أميركا/أمريكا, اسطنبول/استانبول...) and the cities CLDR
lacks live in ``places.tsv``, which the loader merges on top of this file.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from rasd.arabic import normalize_key

OUT = Path(__file__).resolve().parents[1] / "data" / "kb" / "places_cldr.tsv"

#: Territory codes left out: pseudo/unknown regions, organisations, and
#: places that are either not news entities or whose name is a common word.
SKIP_TERRITORIES = frozenset(
    "ZZ XA XB QO UN EU EZ 001 UM CP DG EA IC TA AC BV HM IO TF CC CX NF SJ GS"
    " 053 054 057 061 009 202 021".split()
)

#: code -> (canonical name, extra aliases). The CLDR name stays an alias.
OVERRIDES: dict[str, tuple[str, tuple[str, ...]]] = {
    "SA": ("السعودية", ("المملكة العربية السعودية", "المملكة السعودية", "السعوديه")),
    "AE": ("الإمارات", ("الإمارات العربية المتحدة", "دولة الإمارات", "دولة الإمارات العربية المتحدة")),
    "PS": ("فلسطين", ("الأراضي الفلسطينية", "دولة فلسطين", "الأراضي الفلسطينية المحتلة")),
    "OM": ("عُمان", ("سلطنة عمان", "سلطنة عُمان")),
    "MM": ("ميانمار", ("ميانمار (بورما)", "بورما")),
    "HK": ("هونغ كونغ", ("هونغ كونغ الصينية (منطقة إدارية خاصة)", "هونج كونج")),
    "MO": ("ماكاو", ("منطقة ماكاو الإدارية الخاصة",)),
    "CD": ("جمهورية الكونغو الديمقراطية", ("الكونغو - كينشاسا", "الكونغو الديمقراطية", "الكونغو")),
    "CG": ("جمهورية الكونغو", ("الكونغو - برازافيل", "الكونغو برازافيل")),
    "TL": ("تيمور الشرقية", ("تيمور - ليشتي", "تيمور ليشتي")),
    "CC": ("جزر كوكوس", ("جزر كوكوس (كيلينغ)",)),
    "GB": ("المملكة المتحدة", ("بريطانيا", "بريطانيا العظمى")),
    "US": ("الولايات المتحدة", ()),
    "CZ": ("التشيك", ("جمهورية التشيك", "تشيكيا")),
    "DK": ("الدانمرك", ("الدنمارك",)),
    "KR": ("كوريا الجنوبية", ()),
    "KP": ("كوريا الشمالية", ()),
    "SY": ("سوريا", ("سورية", "الجمهورية العربية السورية")),
    "MK": ("مقدونيا الشمالية", ("مقدونيا",)),
    "MT": ("مالطا", ("مالطة",)),
    "SZ": ("إسواتيني", ("سوازيلاند",)),
    "CI": ("ساحل العاج", ("كوت ديفوار",)),
    "CV": ("الرأس الأخضر", ("كابو فيردي",)),
    "ME": ("الجبل الأسود", ("مونتينيغرو",)),
    "HU": ("المجر", ("هنغاريا",)),
}

#: Names that are also frequent common words: kept, but weak (~), so the
#: matcher only takes them when the text also names them unambiguously or
#: the NER tagger proposes them.
WEAK_NAMES = frozenset(
    {"مالي", "بنين", "توغو", "جيرسي", "غيرنزي", "بليز", "نيوي", "ناورو", "تشاد", "العيون", "صوفيا"}
)

#: Time-zone ids whose exemplar city is a capital or a major news city.
CITY_ZONES = """
Europe/Moscow Europe/Kiev Europe/London Europe/Paris Europe/Berlin Europe/Rome Europe/Madrid
Europe/Vienna Europe/Brussels Europe/Amsterdam Europe/Athens Europe/Warsaw Europe/Prague
Europe/Budapest Europe/Bucharest Europe/Sofia Europe/Belgrade Europe/Stockholm Europe/Oslo
Europe/Helsinki Europe/Copenhagen Europe/Lisbon Europe/Dublin Europe/Zurich Europe/Istanbul
Europe/Minsk Europe/Riga Europe/Vilnius Europe/Tallinn Europe/Chisinau Europe/Sarajevo
Europe/Zagreb Europe/Ljubljana Europe/Bratislava Europe/Skopje Europe/Tirane Europe/Kaliningrad
Europe/Volgograd Europe/Simferopol Asia/Riyadh Asia/Dubai Asia/Baghdad Asia/Damascus Asia/Beirut
Asia/Jerusalem Asia/Gaza Asia/Hebron Asia/Tehran Asia/Muscat Asia/Kabul Asia/Karachi
Asia/Dhaka Asia/Shanghai Asia/Tokyo Asia/Seoul Asia/Pyongyang Asia/Taipei Asia/Bangkok
Asia/Jakarta Asia/Manila Asia/Kuala_Lumpur Asia/Baku Asia/Yerevan Asia/Tbilisi Asia/Almaty
Asia/Bishkek Asia/Dushanbe Asia/Ashgabat Asia/Nicosia Asia/Colombo Asia/Katmandu
Asia/Phnom_Penh Asia/Vientiane Asia/Vladivostok Africa/Cairo Africa/Khartoum Africa/Tripoli
Africa/Casablanca Africa/Nouakchott Africa/Mogadishu Africa/Addis_Ababa Africa/Nairobi
Africa/Lagos Africa/Kinshasa Africa/Dakar Africa/Bamako Africa/Niamey Africa/Ndjamena Africa/Juba
Africa/Asmera Africa/Kampala Africa/Kigali Africa/Dar_es_Salaam Africa/Accra Africa/Abidjan
Africa/Luanda Africa/Maputo Africa/El_Aaiun Africa/Tunis Africa/Algiers Asia/Kuwait
America/Chicago America/Los_Angeles America/Toronto America/Vancouver America/Mexico_City
America/Havana America/Bogota America/Lima America/Santiago America/Buenos_Aires
America/Sao_Paulo America/Anchorage Pacific/Honolulu Australia/Sydney Australia/Melbourne
Pacific/Auckland
""".split()

#: code of the country each whitelisted zone's city belongs to (context for
#: ambiguous names, e.g. عمان = Oman or Amman).
_PAREN = re.compile(r"\s*\([^)]*\)")


def _clean(name: str) -> str:
    return " ".join(_PAREN.sub("", name).split())


def build_rows() -> list[tuple[str, str, list[str], str]]:
    """(type, name, aliases, ref) rows: countries, regions, then cities."""
    from babel import Locale  # build-time only

    loc = Locale("ar")
    rows: list[tuple[str, str, list[str], str]] = []
    taken: dict[str, int] = {}  # normalize_key(name or alias) -> row index

    def add(name: str, aliases: list[str], ref: str) -> None:
        keys = {normalize_key(n) for n in [name, *aliases]}
        for k in keys:
            if k in taken:  # same place known under this name already: fold in
                row = rows[taken[k]]
                for a in [name, *aliases]:
                    if a != row[1] and a not in row[2]:
                        row[2].append(a)
                return
        rows.append(("LOC", name, aliases, ref))
        for k in keys:
            taken[k] = len(rows) - 1

    for code, raw in sorted(loc.territories.items(), key=lambda kv: (kv[0].isdigit(), kv[0])):
        if code in SKIP_TERRITORIES:
            continue
        name, extra = OVERRIDES.get(code, (_clean(raw), ()))
        aliases = [a for a in (raw, _clean(raw), *extra) if a != name]
        aliases = list(dict.fromkeys(aliases))
        ref = f"region:{code}" if code.isdigit() else f"iso:{code}"
        if name in WEAK_NAMES:
            aliases = ["~" + name, *aliases]
        add(name, aliases, ref)
    zones = loc.time_zones
    for zone in CITY_ZONES:
        data = zones.get(zone)
        city = data.get("city") if data is not None else None
        if not city:
            print(f"warning: no exemplar city for {zone}", file=sys.stderr)
            continue
        clean = _clean(city)
        aliases = [city] if clean != city else []
        if zone == "Asia/Hebron":
            clean, aliases = "الخليل", [city, "هيبرون"]
        if clean in WEAK_NAMES:
            aliases = ["~" + clean, *aliases]
        add(clean, aliases, f"tz:{zone}")
    return rows


def write(path: Path = OUT) -> int:
    rows = build_rows()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("# GENERATED by `python -m rasd.enrich.kb_build` from CLDR (babel) Arabic names: do not edit,\n")
        fh.write("# put hand-made variants in places.tsv (merged on top at load time).\n")
        fh.write("# type\tname\taliases\ttitles\tsurname\tcontext\tref\n")
        for typ, name, aliases, ref in rows:
            fh.write("\t".join((typ, name, "|".join(aliases), "", "", "", ref)) + "\n")
    return len(rows)


if __name__ == "__main__":
    n = write()
    print(f"wrote {n} places to {OUT}")
