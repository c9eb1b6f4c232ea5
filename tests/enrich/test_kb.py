"""Tests for rasd.enrich.kb: the shipped knowledge base, look-ups, keys and spelling variants."""
from __future__ import annotations

from pathlib import Path

import pytest

from rasd.enrich.kb import DATA_DIR, KnowledgeBase, fold, readings, skeleton, words_match


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load()


def keys(entries) -> list[str]:
    return [e.key for e in entries]


# --- the shipped data -------------------------------------------------------------


def test_load_is_cached_and_sized(kb):
    assert KnowledgeBase.load() is kb
    counts = kb.counts()
    assert counts["PER"] >= 150 and counts["ORG"] >= 120 and counts["LOC"] >= 450, counts
    size = sum(f.stat().st_size for f in DATA_DIR.glob("*"))
    assert size < 2 * 1024 * 1024, size


def test_keys_are_type_and_canonical_name(kb):
    for entry in kb:
        assert entry.key == f"{entry.type}:{entry.name}"
        assert entry.type in {"PER", "ORG", "LOC", "MISC"}
        assert entry.name not in entry.aliases
    trump = kb.get("PER:دونالد ترامب")
    assert trump is not None and trump.surname == "ترامب"
    assert "ترمب" in trump.aliases and "دونالد ترمب" in trump.aliases
    assert any(t.text == "الرئيس الأميركي" for t in trump.titles)


def test_required_people_are_there(kb):
    for name in (
        "دونالد ترامب", "جو بايدن", "ماركو روبيو", "أنتوني بلينكن", "كارولين ليفيت",
        "فلاديمير بوتين", "سيرغي لافروف", "ديمتري بيسكوف", "ميخائيل ميشوستين", "ماريا زاخاروفا",
        "يوري أوشاكوف", "فالنتينا ماتفيينكو", "فولوديمير زيلينسكي", "أندريه سيبيها",
        "رجب طيب أردوغان", "هاكان فيدان", "نعمان قورتولموش", "إيمانويل ماكرون",
        "الملك سلمان بن عبدالعزيز", "محمد بن سلمان", "فيصل بن فرحان", "أحمد الشرع",
        "أنطونيو غوتيريش",
    ):
        assert kb.get(f"PER:{name}") is not None, name


def test_orgs_outlets_and_places_are_there(kb):
    for key in (
        "ORG:الأمم المتحدة", "ORG:مجلس الأمن الدولي", "ORG:حلف شمال الأطلسي", "ORG:الاتحاد الأوروبي",
        "ORG:جامعة الدول العربية", "ORG:أوبك", "ORG:أوبك+", "ORG:صندوق النقد الدولي", "ORG:الكرملين",
        "ORG:البيت الأبيض", "ORG:الاتحاد الأفريقي", "ORG:مجلس التعاون الخليجي",
        "ORG:منظمة الصحة العالمية", "ORG:وكالة الأنباء السعودية", "ORG:رويترز",
        "ORG:وكالة فرانس برس", "ORG:وكالة الأناضول", "ORG:وكالة شينخوا", "ORG:بي بي سي",
        "LOC:الولايات المتحدة", "LOC:روسيا", "LOC:إسطنبول", "LOC:موسكو", "LOC:كييف", "LOC:واشنطن",
        "LOC:الرياض", "LOC:أنقرة", "LOC:البحر الأسود", "LOC:الشرق الأوسط", "LOC:الكاريبي",
    ):
        assert kb.get(key) is not None, key


# --- look-ups -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("surface", "key"),
    [
        ("بوتين", "PER:فلاديمير بوتين"),
        ("وبوتين", "PER:فلاديمير بوتين"),
        ("لبوتين", "PER:فلاديمير بوتين"),
        ("فلافروف", "PER:سيرغي لافروف"),
        ("باسطنبول", "LOC:إسطنبول"),
        ("استانبول", "LOC:إسطنبول"),
        ("والولايات المتحدة", "LOC:الولايات المتحدة"),
        ("للولايات المتحدة", "LOC:الولايات المتحدة"),
        ("بالولايات المتحدة الأمريكية", "LOC:الولايات المتحدة"),
        ("أمريكا", "LOC:الولايات المتحدة"),
        ("أميركا", "LOC:الولايات المتحدة"),
        ("ترمب", "PER:دونالد ترامب"),
        ("دونالد ترمب", "PER:دونالد ترامب"),
        ("زيلنسكي", "PER:فولوديمير زيلينسكي"),
        ("سيرجي لافروف", "PER:سيرغي لافروف"),
        ("غوتيريس", "PER:أنطونيو غوتيريش"),
        ("جوتيريش", "PER:أنطونيو غوتيريش"),
        ("الناتو", "ORG:حلف شمال الأطلسي"),
        ("أوبك+", "ORG:أوبك+"),
        ("أوبك بلس", "ORG:أوبك+"),
        ("أوبك", "ORG:أوبك"),
        ("واس", "ORG:وكالة الأنباء السعودية"),
        ("أ ف ب", "ORG:وكالة فرانس برس"),
        ("المملكة العربية السعودية", "LOC:السعودية"),  # CLDR name kept as an alias
        ("سلمان بن عبد العزيز", "PER:الملك سلمان بن عبدالعزيز"),  # عبد العزيز/عبدالعزيز
    ],
)
def test_lookup(kb, surface, key):
    assert keys(kb.lookup(surface))[:1] == [key]


def test_lookup_ambiguous_and_unknown(kb):
    assert set(keys(kb.lookup("عمان"))) == {"LOC:عُمان", "LOC:عمّان"}
    assert len(kb.lookup("بارزاني")) == 3  # three Barzanis share the surname
    assert kb.lookup("سامر الخطيب") == []
    assert kb.lookup("مجلس الأمن القومي") == []  # a BLOCK phrase names nothing


def test_titles_with_years(kb):
    assert "PER:فلاديمير بوتين" in keys(kb.titles("الرئيس الروسي"))
    assert keys(kb.titles("الرئيس الروسي", 2010)) == ["PER:ديمتري ميدفيديف"]
    assert keys(kb.titles("الرئيس الأمريكي", 2024)) == ["PER:جو بايدن"]
    assert keys(kb.titles("الرئيس الأميركي", 2026)) == ["PER:دونالد ترامب"]
    assert len(kb.titles("الرئيس الأميركي", 2025)) == 2  # years, not dates: Jan 2025 had both
    assert keys(kb.titles("للرئيس الأوكراني", 2025)) == ["PER:فولوديمير زيلينسكي"]
    assert keys(kb.titles("المتحدث باسم الكرملين")) == ["PER:ديمتري بيسكوف"]
    assert keys(kb.titles("وزير الخارجية الروسي", 2025)) == ["PER:سيرغي لافروف"]
    assert keys(kb.titles("ولي العهد السعودي", 2025)) == ["PER:محمد بن سلمان"]
    assert keys(kb.titles("رئيس البرلمان التركي", 2025)) == ["PER:نعمان قورتولموش"]
    assert kb.titles("وزير الزراعة الروسي") == []


# --- clitics and spelling variants ---------------------------------------------------


def test_readings_strip_clitics_and_keep_the_article_flag():
    assert ("بوتين", False, 1, False) in readings("وبوتين")
    assert ("اسطنبول", False, 1, False) in readings("باسطنبول")
    assert ("ولايات", True, 1, False) in readings("والولايات")
    assert ("امم", True, 1, True) in readings("للامم")  # لل = ل + ال
    assert readings("بوتين")[0] == ("بوتين", False, 0, False)  # the whole word first
    assert all(len(bare) >= 2 for bare, *_ in readings("وقت"))


def test_skeleton_collapses_transliterations():
    assert skeleton("ترامب") == skeleton("ترمب")
    assert skeleton("زيلينسكي") == skeleton("زيلنسكي")
    assert skeleton("أميركا") == skeleton("أمريكا")
    assert fold("سيرغي") == fold("سيرجي")
    assert skeleton("فولوديمير") == skeleton("فلاديمير")


def test_words_match_keeps_arabic_first_names_apart():
    assert words_match("ترامب", "ترمب", last=True)
    assert words_match("زيلينسكي", "زيلنسكي", last=True)
    assert words_match("سيرغي", "سيرجي", last=False)
    assert not words_match("محمد", "محمود", last=False)
    assert not words_match("سعد", "سعيد", last=True)
    assert not words_match("قاسم", "جاسم", last=False)


def test_skeleton_lookup_links_only_to_known_names(kb):
    hits = kb.skeleton_lookup(["زيلينيسكي"])  # a spelling not in the alias lists
    assert {e.key for e, _kind, _weak in hits} == {"PER:فولوديمير زيلينسكي"}
    assert kb.skeleton_lookup(["هانتر", "بايدن"]) == []


# --- custom files -------------------------------------------------------------------


def test_load_from_a_directory_merges_same_keys(tmp_path: Path):
    (tmp_path / "a.tsv").write_text(
        "# a comment\n"
        "PER\tسامر الخطيب\tسامر خطيب\tمدير الشركة@2020-\tالخطيب\t\tfictional\n"
        "LOC\tمدينة النخيل\tالنخيل\n",
        encoding="utf-8",
    )
    (tmp_path / "b.tsv").write_text(
        "PER\tسامر الخطيب\t~أبو سامر\n"
        "BLOCK\tالنخيل الصناعي\n",
        encoding="utf-8",
    )
    kb = KnowledgeBase.load(tmp_path)
    assert len(kb) == 2
    samer = kb.get("PER:سامر الخطيب")
    assert samer.aliases == ("سامر خطيب", "أبو سامر")
    assert samer.surname == "الخطيب" and samer.ref == "fictional"
    assert samer.titles[0].valid(2021) and not samer.titles[0].valid(2019)
    assert keys(kb.lookup("والخطيب")) == ["PER:سامر الخطيب"]
    assert keys(kb.lookup("أبو سامر")) == ["PER:سامر الخطيب"]  # weak, but a look-up finds it
    assert [m.type for m in kb.match("زرنا النخيل الصناعي ثم مدينة النخيل")] == ["LOC"]


def test_bad_type_is_an_error(tmp_path: Path):
    (tmp_path / "x.tsv").write_text("PERSON\tفلان\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown type"):
        KnowledgeBase.load(tmp_path / "x.tsv")


def test_generated_cldr_file_is_up_to_date():
    pytest.importorskip("babel")
    from rasd.enrich.kb_build import OUT, build_rows

    rows = [line.split("\t")[1] for line in OUT.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]
    assert rows == [name for _type, name, _aliases, _ref in build_rows()]
