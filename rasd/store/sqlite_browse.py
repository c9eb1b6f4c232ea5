"""Read-only browsing queries for the API and web UI (SQLite).

The `Store` interface serves the pipeline and the CLI; a browser needs a few
more shapes: article lists with filters and a total (for pagination) without
loading bodies, entity and quote lists with offsets, an entity's mentions per
date. Like `sqlite_enrich`, these are functions of an open connection;
`rasd.api.queries` calls them. A PostgreSQL backend brings its own version.
"""
from __future__ import annotations

import sqlite3
from typing import Any

from rasd.records import Quote

_IN_CHUNK = 500
# Summary of an article for lists: everything but the body and the list fields.
_SUMMARY_COLUMNS = (
    "a.id", "a.title", "a.outlet", "a.published", "a.source", "a.language", "a.url",
    "s.story_id", "s.kind", "s.novelty", "s.duplicate_of",
)  # fmt: skip
_SUMMARY_KEYS = tuple(c.split(".", 1)[1] for c in _SUMMARY_COLUMNS)
_SUMMARY_FROM = "FROM articles a LEFT JOIN story_articles s ON s.article_id = a.id"
_QUOTE_COLUMNS = ("speaker", "speaker_key", "text", "kind", "cue", "medium", "start", "end")


def _summary(row: tuple) -> dict[str, Any]:
    return dict(zip(_SUMMARY_KEYS, row))


def article_page(
    conn: sqlite3.Connection,
    *,
    limit: int,
    offset: int = 0,
    outlet: str | None = None,
    language: str | None = None,
    published_from: str | None = None,
    published_before: str | None = None,
    story_id: str | None = None,
    entity_key: str | None = None,
) -> tuple[int, list[dict[str, Any]]]:
    """(total, summaries) of the articles matching every given filter, newest first.

    `published_before` is exclusive (the day after an inclusive "to" date), so
    both bounds compare ISO strings and use the `articles_published` index.
    """
    where: list[str] = []
    params: list[Any] = []
    for sql, value in (
        ("a.outlet = ?", outlet),
        ("a.language = ?", language),
        ("a.published >= ?", published_from),
        ("a.published < ?", published_before),
        ("s.story_id = ?", story_id),
        ("a.id IN (SELECT article_id FROM mentions WHERE entity_key = ?)", entity_key),
    ):
        if value is not None:
            where.append(sql)
            params.append(value)
    where_sql = f"WHERE {' AND '.join(where)}" if where else ""
    total = conn.execute(f"SELECT COUNT(*) {_SUMMARY_FROM} {where_sql}", params).fetchone()[0]
    rows = conn.execute(
        f"SELECT {', '.join(_SUMMARY_COLUMNS)} {_SUMMARY_FROM} {where_sql} "
        "ORDER BY a.published DESC, a.ingested_seq LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ).fetchall()
    return int(total), [_summary(r) for r in rows]


def article_summaries(conn: sqlite3.Connection, ids: list[str]) -> dict[str, dict[str, Any]]:
    """id → summary (with story id and lineage) for the given ids; unknown ids are left out."""
    out: dict[str, dict[str, Any]] = {}
    for i in range(0, len(ids), _IN_CHUNK):
        chunk = ids[i : i + _IN_CHUNK]
        rows = conn.execute(
            f"SELECT {', '.join(_SUMMARY_COLUMNS)} {_SUMMARY_FROM} WHERE a.id IN ({', '.join('?' * len(chunk))})",
            chunk,
        ).fetchall()
        for row in rows:
            out[row[0]] = _summary(row)
    return out


def entity_page(
    conn: sqlite3.Connection, *, type_: str | None, limit: int, offset: int
) -> tuple[int, list[dict[str, Any]]]:
    """(total, [{key, name, type, mentions, articles}]) most mentioned first."""
    where = "WHERE e.type = ?" if type_ else ""
    params: list[Any] = [type_] if type_ else []
    mentioned = "EXISTS (SELECT 1 FROM mentions m WHERE m.entity_key = e.key)"
    type_sql = " AND e.type = ?" if type_ else ""
    total = conn.execute(f"SELECT COUNT(*) FROM entities e WHERE {mentioned}{type_sql}", params).fetchone()[0]
    rows = conn.execute(
        "SELECT e.key, e.name, e.type, COUNT(*) AS n, COUNT(DISTINCT m.article_id) AS a "
        f"FROM mentions m JOIN entities e ON e.key = m.entity_key {where} "
        "GROUP BY e.key ORDER BY n DESC, a DESC, e.name LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ).fetchall()
    keys = ("key", "name", "type", "mentions", "articles")
    return int(total), [dict(zip(keys, r)) for r in rows]


def quote_page(
    conn: sqlite3.Connection, *, speaker_key: str | None, limit: int, offset: int
) -> tuple[int, list[tuple[str, Quote]]]:
    """(total, [(article id, quote)]) newest articles first."""
    where = "WHERE q.speaker_key = ?" if speaker_key else ""
    params: list[Any] = [speaker_key] if speaker_key else []
    total = conn.execute(f"SELECT COUNT(*) FROM quotes q {where}", params).fetchone()[0]
    rows = conn.execute(
        f"SELECT q.article_id, {', '.join('q.' + c for c in _QUOTE_COLUMNS)} FROM quotes q "
        f"JOIN articles a ON a.id = q.article_id {where} "
        "ORDER BY a.published DESC, a.ingested_seq, q.start LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ).fetchall()
    return int(total), [(r[0], Quote(**dict(zip(_QUOTE_COLUMNS, r[1:])))) for r in rows]


def entity_mentions_by_article(conn: sqlite3.Connection, key: str) -> list[tuple[str | None, int]]:
    """(published, mentions) for every article that mentions the entity (for a chart over time)."""
    return conn.execute(
        "SELECT a.published, COUNT(*) FROM mentions m JOIN articles a ON a.id = m.article_id "
        "WHERE m.entity_key = ? GROUP BY m.article_id",
        (key,),
    ).fetchall()


def entity_stories(conn: sqlite3.Connection, key: str, limit: int) -> list[tuple[str, int]]:
    """(story id, articles of the story that mention the entity), most such articles first."""
    return conn.execute(
        "SELECT s.story_id, COUNT(DISTINCT m.article_id) AS n FROM mentions m "
        "JOIN story_articles s ON s.article_id = m.article_id WHERE m.entity_key = ? "
        "GROUP BY s.story_id ORDER BY n DESC, MAX(s.seq) DESC LIMIT ?",
        (key, limit),
    ).fetchall()


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Corpus counts for the home page."""

    def one(sql: str) -> int:
        return int(conn.execute(sql).fetchone()[0])

    return {
        "articles": one("SELECT COUNT(*) FROM articles"),
        "stories": one("SELECT COUNT(*) FROM stories"),
        "outlets": one("SELECT COUNT(DISTINCT outlet) FROM articles WHERE outlet IS NOT NULL"),
        "entities": one("SELECT COUNT(DISTINCT entity_key) FROM mentions"),
        "quotes": one("SELECT COUNT(*) FROM quotes"),
    }


def outlets(conn: sqlite3.Connection) -> list[tuple[str, int]]:
    """(outlet, articles), largest first: the outlet filter's choices."""
    return conn.execute(
        "SELECT outlet, COUNT(*) AS n FROM articles WHERE outlet IS NOT NULL GROUP BY outlet ORDER BY n DESC, outlet"
    ).fetchall()
