"""Search over a real store, on SQLite (FTS5) and PostgreSQL (tsvector): index, migration,
entities, filters, ranking, snippets, paging."""
from __future__ import annotations

from pathlib import Path

import pytest

from rasd.records import Entity, Enrichment, Mention
from rasd.search.snippet import MARK_END, MARK_START
from rasd.store import SearchQuery, SQLiteStore, StoreError
from rasd.store.base import StoryUpdate
from rasd.store.migrations import SQLITE_MIGRATIONS

from search_helpers import add_docs, make_doc


def ids(store: SQLiteStore, text: str = "", **filters) -> list[str]:
    return [h.id for h in store.search(SearchQuery(text=text, limit=100, **filters)).results]


def marked(snippet: str) -> list[str]:
    return [part.split(MARK_END)[0] for part in snippet.split(MARK_START)[1:]]


def fts_rows(store) -> int:
    if isinstance(store, SQLiteStore):
        return store.connection.execute("SELECT COUNT(*) FROM article_fts_docsize").fetchone()[0]
    return store.connection.execute("SELECT COUNT(*) FROM articles WHERE search <> ''::tsvector").fetchone()[0]


# -- index and migration -----------------------------------------------------------


def test_issue_examples(store):
    talks, city, _ = add_docs(store, [
        make_doc(1, "عنوان", "وأكدت الأطراف أن ومفاوضات السلام مستمرة."),
        make_doc(2, "رحلة", "وصل الوفد باسطنبول أمس."),
        make_doc(3, "آخر", "خبر عن الطقس فقط."),
    ])  # fmt: skip
    assert ids(store, "المفاوضات") == [talks]
    assert ids(store, "إسطنبول") == [city]
    assert ids(store, "اسطنبول الوفد") == [city]  # words are ANDed
    assert ids(store, "اسطنبول الطقس") == []


def test_index_is_written_in_the_batch_transaction(store):
    add_docs(store, [make_doc(1, "أ", "نص أول عن مسقط")])
    assert fts_rows(store) == store.count_articles() == 1
    page, article = make_doc(2, "ب", "نص ثان عن مسقط")
    twin = type(article)(**{**vars(article), "body": "نسخة"})  # same page and position: the batch must fail
    with pytest.raises(StoreError):
        store.add_batch([page], [article, twin])
    assert fts_rows(store) == store.count_articles() == 1
    assert store.search(SearchQuery(text="مسقط")).total == 1


def test_migration_backfills_a_version_3_database(tmp_path: Path):
    db = tmp_path / "old.db"
    with SQLiteStore(db) as old:  # made a version 3 database: articles, no index
        (aid,) = add_docs(old, [make_doc(1, "المفاوضات في مسقط", "بدأت ومفاوضات جديدة.")])
        for sql in ("DROP TABLE article_fts", "DROP INDEX articles_search", "DROP INDEX mentions_entity_article",
                    "CREATE INDEX mentions_entity ON mentions (entity_key)",
                    "DELETE FROM schema_migrations WHERE version = 4"):  # fmt: skip
            old.connection.execute(sql)
    with SQLiteStore(db, migrations=SQLITE_MIGRATIONS[:3]) as old:
        assert old.schema_version() == 3 and old.count_articles() == 1
    with SQLiteStore(db) as new:
        assert new.applied_migrations == [4]
        assert ids(new, "مفاوضات") == [aid]
        assert fts_rows(new) == 1
        indexes = {r[0] for r in new.connection.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"articles_search", "mentions_entity_article"} <= indexes and "mentions_entity" not in indexes


def test_unindex_removes_rows(store):
    if not isinstance(store, SQLiteStore):
        pytest.skip("SQLite FTS5 only (PostgreSQL keeps the tsvector in the article row)")
    from rasd.store.sqlite_search import unindex

    add_docs(store, [make_doc(1, "عنوان", "خبر عن مسقط")])
    seq, title, body = store.connection.execute("SELECT ingested_seq, title, body FROM articles").fetchone()
    unindex(store.connection, [(seq, title, body)])
    assert store.search(SearchQuery(text="مسقط")).total == 0


# -- entities ------------------------------------------------------------------------------

TRUMP = Entity(key="PER:دونالد ترامب", name="دونالد ترامب", type="PER", aliases=["ترامب", "ترمب", "دونالد ترمب"])


def entity_store(store):
    body_a = "قال الرئيس دونالد ترامب إن المحادثات جيدة."
    docs = [
        make_doc(1, "تصريحات", body_a),
        make_doc(2, "تعليق", "وكتب ترمب على منصته أن الاتفاق قريب."),
        make_doc(3, "طقس", "أمطار غزيرة في الرياض."),
    ]
    start = body_a.index("دونالد")
    mention = Mention(start, start + len("دونالد ترامب"), "دونالد ترامب", TRUMP.key, "PER")
    # only the first article has a stored mention (the second one was not enriched)
    return add_docs(store, docs, [Enrichment(docs[0][1].id, [TRUMP], [mention])])


def test_alias_matches_every_spelling(store):
    a, b, _ = entity_store(store)
    assert set(ids(store, "ترمب")) == {a, b}
    assert set(ids(store, "ترامب")) == {a, b}
    assert ids(store, "دونالد ترمب") == [a]  # a multiword alias: one phrase, in any spelling
    hit = next(h for h in store.search(SearchQuery(text="ترمب")).results if h.id == a)
    assert marked(hit.snippet) == ["ترامب"]  # the spelling the article uses


def test_entity_filter_needs_a_mention(store):
    a, _, _ = entity_store(store)
    assert ids(store, entity="ترمب") == [a]
    assert ids(store, "المحادثات", entity="دونالد ترامب") == [a]
    assert store.search(SearchQuery(entity="غير موجود")).total == 0


# -- filters -------------------------------------------------------------------------------


def filter_store(store):
    return add_docs(store, [
        make_doc(1, "مسقط ١", "محادثات في مسقط", published="2025-03-01", outlet="الفجر"),
        make_doc(2, "مسقط ٢", "محادثات في مسقط", published="2025-03-02T23:30", outlet="النهار"),
        make_doc(3, "مسقط ٣", "محادثات في مسقط", published="2025-03-03", outlet="الفجر", language="en"),
        make_doc(4, "مسقط ٤", "محادثات في مسقط", published=None, outlet="الفجر"),
    ])  # fmt: skip


def test_date_range_is_inclusive_and_drops_undated(store):
    d1, d2, d3, d4 = filter_store(store)
    assert ids(store, "مسقط", date_from="2025-03-02", date_to="2025-03-02") == [d2]  # a datetime on the last day
    assert set(ids(store, "مسقط", date_from="2025-03-02")) == {d2, d3}
    assert set(ids(store, "مسقط", date_to="2025-03-02")) == {d1, d2}
    assert set(ids(store, "مسقط")) == {d1, d2, d3, d4}


def test_outlet_and_language_filters(store):
    d1, d2, d3, d4 = filter_store(store)
    assert set(ids(store, "مسقط", outlet="الفجر")) == {d1, d3, d4}
    assert ids(store, "مسقط", outlet="النهار") == [d2]
    assert ids(store, "مسقط", language="en") == [d3]
    assert ids(store, "مسقط", outlet="الفجر", language="en", date_from="2025-03-03") == [d3]


def test_story_filter_and_merged_story_id(store):
    d1, d2, d3, _ = filter_store(store)
    store.save_stories(StoryUpdate(assignments=[(d1, "s1", None), (d2, "s1", 0.9), (d3, "s3", None)],
                                   records=[{"id": "s1", "articles": [d1, d2]}, {"id": "s3", "articles": [d3]}]))  # fmt: skip
    assert set(ids(store, "مسقط", story_id="s1")) == {d1, d2}
    store.save_stories(StoryUpdate(merges=[("s3", "s1", d3)]))
    assert set(ids(store, "مسقط", story_id="s3")) == {d1, d2, d3}  # s3 was merged into s1
    assert store.search(SearchQuery(text="مسقط", story_id="s-none")).total == 0
    hit = store.search(SearchQuery(text="مسقط", story_id="s1", limit=1)).results[0]
    assert hit.story_id == "s1"


def test_filters_alone_list_newest_first(store):
    d1, d2, d3, d4 = filter_store(store)
    result = store.search(SearchQuery(outlet="الفجر"))
    assert result.total == 3 and [h.id for h in result.results] == [d3, d1, d4]  # undated last
    assert result.results[0].snippet == "محادثات في مسقط"  # plain lead, nothing marked
    assert [h.id for h in store.search(SearchQuery()).results] == [d3, d2, d1, d4]


# -- ranking, snippets, paging --------------------------------------------------------------


def test_recency_breaks_ties(store):
    old, new, mid = add_docs(store, [
        make_doc(1, "خبر", "انطلقت المحادثات في مسقط اليوم", published="2025-01-01"),
        make_doc(2, "خبر", "انطلقت المحادثات في مسقط اليوم", published="2025-03-01"),
        make_doc(3, "خبر", "انطلقت المحادثات في مسقط اليوم", published="2025-02-01"),
    ])  # fmt: skip
    add_docs(store, [make_doc(10 + i, "طقس", f"أمطار في الرياض {i}") for i in range(5)])  # so the word is rare
    hits = store.search(SearchQuery(text="مسقط")).results
    assert [h.id for h in hits] == [new, mid, old]
    assert hits[0].score > hits[1].score > hits[2].score > 0


def test_title_match_outranks_body_match(store):
    in_body, in_title = add_docs(store, [
        make_doc(1, "اجتماع وزاري", "عقد الوزراء اجتماعا في مسقط لبحث التعاون", published="2025-03-02"),
        make_doc(2, "اجتماع في مسقط", "عقد الوزراء اجتماعا لبحث التعاون الإقليمي", published="2025-03-01"),
    ])  # fmt: skip
    assert ids(store, "مسقط") == [in_title, in_body]  # despite being a day older


def test_more_occurrences_rank_higher(store):
    once, thrice = add_docs(store, [
        make_doc(1, "خبر", "ذكرت مسقط مرة واحدة في نص طويل عن أمور أخرى كثيرة"),
        make_doc(2, "خبر", "مسقط ثم مسقط ثم مسقط في نص طويل عن أمور أخرى"),
    ])  # fmt: skip
    assert ids(store, "مسقط") == [thrice, once]


def test_snippet_highlights_the_original_spelling(store):
    add_docs(store, [make_doc(1, "عنوان", "تمهيد. " * 40 + "ووصلت الوفود باسطنبول للمشاركة في المفاوضات. " + "خاتمة. " * 40)])
    (hit,) = store.search(SearchQuery(text="إسطنبول المفاوضات")).results
    assert marked(hit.snippet) == ["باسطنبول", "المفاوضات"]
    assert hit.snippet.startswith("… ") and hit.snippet.endswith(" …")
    assert hit.title == "عنوان" and hit.outlet == "صحيفة الفجر" and hit.source == "doc1.txt"


def test_pagination(store):
    docs = [make_doc(i, f"خبر {i}", f"محادثات مسقط رقم {i}", published=f"2025-03-{1 + i:02d}") for i in range(25)]
    all_ids = add_docs(store, docs)
    pages = [store.search(SearchQuery(text="مسقط", limit=10, offset=o)) for o in (0, 10, 20)]
    assert [p.total for p in pages] == [25, 25, 25]
    assert [len(p.results) for p in pages] == [10, 10, 5]
    got = [h.id for p in pages for h in p.results]
    assert got == list(reversed(all_ids))  # equal relevance: newest first, no repeats
    beyond = store.search(SearchQuery(text="مسقط", offset=30))
    assert beyond.total == 25 and beyond.results == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (SearchQuery(limit=0), "limit"),
        (SearchQuery(limit=101), "limit"),
        (SearchQuery(offset=-1), "offset"),
        (SearchQuery(date_from="2025-3-1"), "date_from"),
        (SearchQuery(date_to="yesterday"), "date_to"),
        (SearchQuery(date_from="2025-03-02", date_to="2025-03-01"), "after"),
        (SearchQuery(match="some"), "match"),
    ],
)
def test_bad_queries_raise_value_error(store, query, message):
    with pytest.raises(ValueError, match=message):
        store.search(query)


def test_punctuation_only_query_matches_nothing(store):
    add_docs(store, [make_doc(1, "عنوان", "نص")])
    assert store.search(SearchQuery(text="؟ ، !")).total == 0


def test_match_any(store):
    a, b, _ = add_docs(store, [
        make_doc(1, "أ", "خبر عن مسقط"), make_doc(2, "ب", "خبر عن الرياض"), make_doc(3, "ج", "خبر عن الطقس"),
    ])  # fmt: skip
    assert ids(store, "مسقط الرياض") == []
    assert set(ids(store, "مسقط الرياض", match="any")) == {a, b}
