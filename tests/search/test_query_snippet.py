"""Query parsing (groups, phrases, entity expansion) and snippets (pure functions)."""
from __future__ import annotations

import pytest

from rasd.arabic import normalize_key
from rasd.search.query import MAX_QUERY_WORDS, is_spelling_of, parse_query
from rasd.search.snippet import MARK_END, MARK_START, make_snippet

TRUMP = ["دونالد ترامب", "ترامب", "ترمب", "دونالد ترمب", "Trump"]
# what a real alias table also holds: partial names and a wrong link
KING = ["الملك سلمان", "سلمان بن عبدالعزيز", "سلمان", "عبدالعزيز", "عبد العزيز", "سعود"]
SAUDI = ["السعودية", "المملكة العربية السعودية", "السعادة"]


def lookup(keys: list[str]) -> dict[str, list[str]]:
    """A fake alias table keyed like entity_aliases.alias_key: alias key -> the entity's aliases."""
    table = {normalize_key(a): aliases for aliases in (TRUMP, KING, SAUDI) for a in aliases}
    return {k: table[k] for k in keys if k in table}


def marked(snippet: str) -> list[str]:
    return [part.split(MARK_END)[0] for part in snippet.split(MARK_START)[1:]]


def test_words_are_anded_groups_of_variants():
    q = parse_query("المفاوضات في مصر")
    assert [g.text for g in q.groups] == ["المفاوضات", "في", "مصر"]
    assert ("مفاوضات",) in q.groups[0].phrases
    assert {("مصر",), ("بمصر",), ("لمصر",)} <= set(q.groups[2].phrases)
    match = q.fts_match()
    assert match.count(" AND ") == 2 and '"مصر" OR "بمصر"' in match
    assert " OR " in q.fts_match(any_group=True).replace('" OR "', "")


def test_quoted_phrase_stays_a_phrase():
    q = parse_query('"الأمم المتحدة" «مجلس الأمن» غزة')
    assert [g.text for g in q.groups] == ["الأمم المتحدة", "مجلس الأمن", "غزة"]
    assert ("امم", "متحده") in q.groups[0].phrases
    assert '"امم متحده"' in q.fts_match()


def test_punctuation_and_operators_are_plain_text():
    q = parse_query('ترامب AND (OR) NOT * "')
    assert all('"' not in p for g in q.groups for phrase in g.phrases for p in phrase)
    assert parse_query("، . ؟").empty
    assert parse_query("").empty


def test_entity_alias_expands_to_every_spelling():
    q = parse_query("ترمب", lookup)
    (group,) = q.groups
    assert group.entity
    phrases = set(group.phrases)
    assert {("ترمب",), ("ترامب",)} <= phrases
    # "دونالد ترامب" contains "ترامب", so it adds nothing and is pruned; "Trump" is another script
    assert ("دونالد", "ترامب") not in phrases and ("trump",) not in phrases


def test_multiword_alias_and_clitic_in_front():
    q = parse_query("ودونالد ترمب يزور الصين", lookup)
    assert [g.text for g in q.groups] == ["ودونالد ترمب", "يزور", "الصين"]
    assert q.groups[0].entity and {("دونالد", "ترمب"), ("دونالد", "ترامب")} <= set(q.groups[0].phrases)
    q = parse_query("وترمب", lookup)
    assert q.groups[0].entity


def test_only_spellings_are_added_not_partial_names_or_wrong_links():
    (king,) = parse_query("عبدالعزيز", lookup).groups
    assert set(king.phrases) >= {("عبدالعزيز",), ("عبد", "عزيز")}  # the spaced spelling
    assert not {("سلمان",), ("سعود",)} & set(king.phrases)
    (saudi,) = parse_query("السعودية", lookup).groups
    assert saudi.entity and ("سعاده",) not in saudi.phrases


@pytest.mark.parametrize(
    ("alias", "words", "same"),
    [
        ("ترامب", ["ترمب"], True),
        ("بوتن", ["بوتين"], True),
        ("أوباما", ["اوباما"], True),
        ("دونالد ترامب", ["دونالد", "ترمب"], True),
        ("عبد العزيز", ["عبدالعزيز"], True),
        ("السعادة", ["السعودية"], False),  # و -> ا is a substitution, not a vowel left out
        ("سلمان", ["محمد"], False),
        ("دونالد ترامب", ["ترمب"], False),  # a longer name is not a spelling
        ("Trump", ["ترمب"], False),
        ("ان", ["اين"], False),  # too short to tell
    ],
)
def test_is_spelling_of(alias, words, same):
    assert is_spelling_of(alias, words) is same


def test_no_lookup_no_expansion():
    (group,) = parse_query("ترمب").groups
    assert not group.entity and ("ترامب",) not in group.phrases


def test_too_long_queries_are_refused():
    with pytest.raises(ValueError, match="too many words"):
        parse_query(" ".join(["كلمة"] * (MAX_QUERY_WORDS + 1)))
    with pytest.raises(ValueError, match="too long"):
        parse_query("ا" * 5000)


BODY = (
    "افتتاحية طويلة عن أمور أخرى لا علاقة لها بالبحث. " * 6
    + "وقال الرئيس الأميركي دونالد ترامب إن المحادثات في إسطنبول كانت جيدة، "
    + "وأضاف أن ترمب سيزور المنطقة. " + "خاتمة طويلة أخرى. " * 10
)


def test_snippet_window_marks_original_spellings():
    q = parse_query("ترمب اسطنبول", lookup)
    group_of = [k for k, g in enumerate(q.groups) for _ in g.phrases]
    snippet = make_snippet(BODY, "عنوان", q.phrases(), group_of)
    assert marked(snippet) == ["ترامب", "إسطنبول", "ترمب"]  # as written, hamza and all
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert "\n" not in snippet and len(snippet) < 300


def test_snippet_marks_a_phrase_once_and_keeps_clitics_inside():
    q = parse_query('"دونالد ترامب" والمحادثات')
    snippet = make_snippet(BODY, None, q.phrases())
    assert "دونالد ترامب" in marked(snippet) and "المحادثات" in marked(snippet)


def test_snippet_falls_back_to_the_title_then_the_lead():
    q = parse_query("مسقط")
    assert marked(make_snippet("نص لا يذكر المدينة.", "محادثات في مسقط", q.phrases())) == ["مسقط"]
    plain = make_snippet("نص لا يذكر المدينة.", "عنوان آخر", q.phrases())
    assert plain == "نص لا يذكر المدينة." and MARK_START not in plain


def test_snippet_strips_forged_markers():
    q = parse_query("مسقط")
    snippet = make_snippet(f"نص {MARK_START}مزور{MARK_END} عن مسقط", None, q.phrases())
    assert marked(snippet) == ["مسقط"] and snippet.count(MARK_START) == 1
