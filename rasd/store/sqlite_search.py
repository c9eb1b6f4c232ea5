"""Full-text search in SQLite: an FTS5 index over folded title and body (migration 4).

Index: ``article_fts(title, body)`` holds the folded words
(:func:`rasd.search.fold.fold_text`) of every article, keyed by
``articles.ingested_seq`` (stable, unlike the implicit rowid, which VACUUM
may renumber). It is contentless (``content=''``): snippets are cut from the
stored original text, so the folded text is not kept twice. `add_batch`
indexes its articles in its own transaction, so the index is always in step
with the articles. rasd never deletes articles; a future delete must call
:func:`unindex` with the rows before deleting them.

Ranking::

    relevance = -bm25(article_fts, TITLE_WEIGHT, BODY_WEIGHT)    (title words count 3x)
    age       = days between the article's day and the reference day
                (the newest publication day stored, at most today)
    score     = relevance * (1 + RECENCY_WEIGHT / (1 + age / RECENCY_DAYS))

so an article of the reference day gets x1.5, one a month older x1.25, one a
year older x1.04, an undated one x1: recency breaks ties and nudges close
calls, while a clearly better match still wins. Without query text the
results are listed newest first.

Speed: BM25 costs about a microsecond per matching article, so a query
matching most of a large store ("في") would take 100+ ms. When more than
MAX_SCORED articles match, only the MAX_SCORED most recently stored of them
are ranked (FTS5 walks its rowids, which are the ingest order, backwards);
`total` still counts every match. For a news monitor that ingests as it goes,
those are the newest articles, which the recency boost favours anyway.
Query words are checked against the index first and spellings that occur
nowhere are dropped from the expression (each costs a lookup per match).

Filters: published day range (inclusive), outlet (exact), language, story
(a merged-away story id leads to the survivor), entity (any alias; articles
with a mention of it).
"""
from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from rasd.records import Article
from rasd.search.common import (  # noqa: F401  (re-exported: callers import them from here)
    BODY_WEIGHT, MAX_LIMIT, MAX_SCORED, RECENCY_DAYS, RECENCY_WEIGHT, TITLE_WEIGHT, check_query, choose_entities,
    filter_clauses, make_hits,
)
from rasd.search.fold import fold_text, search_text
from rasd.search.query import ParsedQuery, parse_query
from rasd.store import sqlite_stories
from rasd.store.base import SearchHit, SearchQuery, SearchResult
from rasd.store.sqlite_enrich import find_entity

FTS_TABLE = "article_fts"
LIST_WALK_MIN = 1000  # see _listed
_BACKFILL_CHUNK = 2000

SCHEMA = f"""
-- The folded text is plain words separated by spaces, so the simple 'ascii'
-- tokenizer suffices (3x faster than unicode61 on Arabic).
CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(
    title, body, content='', tokenize='ascii'
);
-- Per-hit lookups of the ranking and filters read this small index, never the
-- article rows (which hold the bodies): 15 ms instead of 65 ms for 20,000 hits.
CREATE INDEX articles_search ON articles (ingested_seq, published, outlet, language, id);
-- Entity filter: the article ids of an entity straight from the index.
DROP INDEX mentions_entity;
CREATE INDEX mentions_entity_article ON mentions (entity_key, article_id);
"""

# -- index ------------------------------------------------------------------------


def create_schema(conn: sqlite3.Connection) -> None:
    for statement in SCHEMA.split(";"):
        if statement.strip():
            conn.execute(statement)


def index_articles(conn: sqlite3.Connection, items: Iterable[tuple[int, Article]]) -> None:
    """Index (ingested_seq, article) pairs; call inside the transaction that stores them.

    Uses the folded text the extraction workers prepared (rasd.search.fold.prepare_search_text).
    """
    conn.executemany(
        f"INSERT INTO {FTS_TABLE} (rowid, title, body) VALUES (?, ?, ?)",
        ((seq, *search_text(article)) for seq, article in items),
    )


def index_rows(conn: sqlite3.Connection, rows: Iterable[tuple[int, str | None, str | None]]) -> None:
    """Index (ingested_seq, title, body) rows of stored articles."""
    conn.executemany(
        f"INSERT INTO {FTS_TABLE} (rowid, title, body) VALUES (?, ?, ?)",
        ((seq, fold_text(title), fold_text(body)) for seq, title, body in rows),
    )


def unindex(conn: sqlite3.Connection, rows: Iterable[tuple[int, str | None, str | None]]) -> None:
    """Remove (ingested_seq, title, body) rows from the index (a contentless index needs the text)."""
    conn.executemany(
        f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, title, body) VALUES ('delete', ?, ?, ?)",
        ((seq, fold_text(title), fold_text(body)) for seq, title, body in rows),
    )


def backfill(conn: sqlite3.Connection) -> int:
    """Index every stored article (the index must be empty); returns the number indexed."""
    done, last = 0, -1
    while True:
        rows = conn.execute(
            "SELECT ingested_seq, title, body FROM articles WHERE ingested_seq > ? ORDER BY ingested_seq LIMIT ?",
            (last, _BACKFILL_CHUNK),
        ).fetchall()
        if not rows:
            return done
        index_rows(conn, rows)
        done += len(rows)
        last = rows[-1][0]


def rebuild_index(conn: sqlite3.Connection) -> int:
    """Empty the index and index every article again (after the folding rules change)."""
    conn.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('delete-all')")
    done = backfill(conn)
    conn.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('optimize')")
    return done


def term_document_counts(conn: sqlite3.Connection, words: list[str]) -> tuple[int, dict[str, int]]:
    """(articles indexed, {folded word: number of articles containing it}) from the index's vocabulary."""
    # A TEMP vocabulary table: nothing is added to the database schema.
    conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{FTS_TABLE}_vocab USING fts5vocab(main, {FTS_TABLE}, row)")
    counts: dict[str, int] = {}
    words = sorted(set(words))
    for i in range(0, len(words), 500):
        chunk = words[i : i + 500]
        counts.update(conn.execute(
            f"SELECT term, doc FROM temp.{FTS_TABLE}_vocab WHERE term IN ({', '.join('?' * len(chunk))})", chunk
        ).fetchall())  # fmt: skip
    total = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    return total, counts


# -- entities ---------------------------------------------------------------------------


def lookup_aliases(conn: sqlite3.Connection, keys: list[str]) -> dict[str, list[str]]:
    """Alias key -> the aliases of the entity it names (rasd.search.common.choose_entities).

    The query keeps only the aliases that are spellings of what was typed.
    """
    if not keys:
        return {}

    def in_query(sql: str, values: list[str]) -> list[tuple]:
        out: list[tuple] = []
        for i in range(0, len(values), 500):
            chunk = values[i : i + 500]
            out.extend(conn.execute(sql.format(", ".join("?" * len(chunk))), chunk).fetchall())
        return out

    def spellings(entity_keys: list[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for entity_key, alias in in_query(
            "SELECT entity_key, alias FROM entity_aliases WHERE entity_key IN ({}) ORDER BY entity_key, alias",
            entity_keys,
        ):
            out[entity_key].append(alias)
        return out

    return choose_entities(
        in_query("SELECT alias_key, entity_key FROM entity_aliases WHERE alias_key IN ({})", keys),
        lambda ents: dict(in_query(
            "SELECT entity_key, COUNT(*) FROM mentions WHERE entity_key IN ({}) GROUP BY entity_key", ents
        )),  # fmt: skip
        spellings,
    )


# -- search ------------------------------------------------------------------------------


def _filters(conn: sqlite3.Connection, query: SearchQuery, lo: date | None, hi: date | None) -> tuple[list[str], list[Any]] | None:
    """SQL conditions on `a` (articles) and their parameters; None when a filter can match nothing."""
    return filter_clauses(query, lo, hi, mark="?", resolve_story=lambda s: sqlite_stories.resolve_story_id(conn, s),
                          find_entity=lambda name: find_entity(conn, name))


def _reference_day(conn: sqlite3.Connection) -> float | None:
    """Julian day of the newest stored publication day, at most today (a misparsed future date must not age everything)."""
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    row = conn.execute(
        "SELECT julianday(substr(MAX(published), 1, 10)) FROM articles WHERE published < ?", (tomorrow,)
    ).fetchone()
    return row[0] if row else None


def _in_index(conn: sqlite3.Connection, parsed: ParsedQuery) -> ParsedQuery:
    """The query without the alternatives whose words occur nowhere (cheaper to match and rank)."""
    words = {w for g in parsed.groups for p in g.phrases for w in p}
    present = {
        w for w in words
        if conn.execute(f"SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ? LIMIT 1", (_quote(w),)).fetchone()
    }  # fmt: skip
    return parsed.keep(lambda phrase: all(w in present for w in phrase))


def _quote(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


# FTS first (CROSS JOIN fixes the loop order), then the covering index for the per-hit columns.
_HITS = f"FROM {FTS_TABLE} f CROSS JOIN articles a INDEXED BY articles_search ON a.ingested_seq = f.rowid"


def _ranked(conn: sqlite3.Connection, parsed: ParsedQuery, where: list[str], params: list[Any],
            limit: int, offset: int, any_group: bool = False) -> tuple[int, list[tuple[int, float]]]:
    """(total, [(ingested_seq, score)]) for a text query, best first."""
    parsed = _in_index(conn, parsed)
    if any_group:
        parsed = ParsedQuery([g for g in parsed.groups if g.phrases])
    if parsed.empty or not all(g.phrases for g in parsed.groups):
        return 0, []  # a word that occurs nowhere
    match = parsed.fts_match(any_group=any_group)
    cond = "".join(f" AND {w}" for w in where)
    if where:
        total = conn.execute(f"SELECT COUNT(*) {_HITS} WHERE {FTS_TABLE} MATCH ?{cond}", [match, *params]).fetchone()[0]
    else:
        total = conn.execute(f"SELECT COUNT(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?", (match,)).fetchone()[0]
    if total == 0 or offset >= total:
        return total, []
    ref = _reference_day(conn)
    boost = (
        "COALESCE(1.0 + ? / (1.0 + max(0.0, ? - julianday(substr(published, 1, 10))) / ?), 1.0)"
        if ref is not None else "1.0"
    )  # fmt: skip
    boost_params = [RECENCY_WEIGHT, ref, RECENCY_DAYS] if ref is not None else []
    # The inner query stops after MAX_SCORED matches, newest stored first: bm25 is
    # computed for those rows only. The outer query ranks them.
    rows = conn.execute(
        f"SELECT seq, -bm * {boost} AS score FROM ("
        f" SELECT f.rowid AS seq, bm25({FTS_TABLE}, {TITLE_WEIGHT}, {BODY_WEIGHT}) AS bm, a.published AS published"
        f" {_HITS} WHERE {FTS_TABLE} MATCH ?{cond} ORDER BY f.rowid DESC LIMIT ?"
        ") ORDER BY score DESC, published DESC, seq DESC LIMIT ? OFFSET ?",
        [*boost_params, match, *params, MAX_SCORED, limit, offset],
    ).fetchall()
    return total, rows


def _listed(conn: sqlite3.Connection, where: list[str], params: list[Any], limit: int, offset: int,
            by_set: bool) -> tuple[int, list[tuple[int, float]]]:
    """(total, [(ingested_seq, 0.0)]) of the articles passing the filters, newest first."""
    cond = f" WHERE {' AND '.join(where)}" if where else ""
    total = conn.execute(f"SELECT COUNT(*) FROM articles a{cond}", params).fetchone()[0]
    # SQLite starts from a story's or entity's article set and sorts it: right for a few
    # articles, slow for thousands, where walking the date index newest first stops early.
    walk = " INDEXED BY articles_published" if by_set and total >= LIST_WALK_MIN else ""
    rows = conn.execute(
        f"SELECT a.ingested_seq, 0.0 FROM articles a{walk}{cond} ORDER BY a.published DESC, a.ingested_seq "
        "LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ).fetchall()
    return total, rows


def _hits(conn: sqlite3.Connection, ranked: list[tuple[int, float]], parsed: ParsedQuery) -> list[SearchHit]:
    if not ranked:
        return []
    seqs = [seq for seq, _ in ranked]
    rows = {
        r[0]: r[1:]
        for r in conn.execute(
            "SELECT a.ingested_seq, a.id, a.title, a.outlet, a.published, a.source, a.body, s.story_id "
            "FROM articles a LEFT JOIN story_articles s ON s.article_id = a.id "
            f"WHERE a.ingested_seq IN ({', '.join('?' * len(seqs))})",
            seqs,
        )
    }
    return make_hits(ranked, rows, parsed, SearchHit)


def search(conn: sqlite3.Connection, query: SearchQuery) -> SearchResult:
    """Run a search (see the module doc). Raises ValueError for bad limits, dates or queries."""
    lo, hi = check_query(query)
    parsed = parse_query(query.text, lambda keys: lookup_aliases(conn, keys))
    filters = _filters(conn, query, lo, hi)
    if filters is None:
        return SearchResult(total=0)
    where, params = filters
    if parsed.empty:
        if (query.text or "").strip():  # only punctuation: nothing can match
            return SearchResult(total=0)
        by_set = bool(query.story_id or query.entity)
        total, ranked = _listed(conn, where, params, query.limit, query.offset, by_set)
    else:
        total, ranked = _ranked(conn, parsed, where, params, query.limit, query.offset, query.match == "any")
    return SearchResult(total=total, results=_hits(conn, ranked, parsed))
