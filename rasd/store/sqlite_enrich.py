"""Entities, mentions and quotes in SQLite (tables of migration 2).

Functions take an open connection; `SQLiteStore` calls them inside its own
transactions, so enrichment is written atomically with its articles.
"""
from __future__ import annotations

import sqlite3
from collections import defaultdict
from typing import Any, Iterable

from rasd.arabic import normalize_key
from rasd.records import Enrichment, Entity, Mention, Quote

_QUOTE_COLUMNS = ("speaker", "speaker_key", "text", "kind", "cue", "medium", "start", "end")


def write_enrichments(conn: sqlite3.Connection, enrichments: Iterable[Enrichment]) -> None:
    """Insert entities (merged by key), aliases, mentions and quotes."""
    entities: dict[str, Entity] = {}
    aliases: set[tuple[str, str, str]] = set()
    mentions: list[tuple] = []
    quotes: list[tuple] = []
    for enrichment in enrichments:
        for entity in enrichment.entities:
            entities.setdefault(entity.key, entity)
            for alias in {entity.name, *entity.aliases}:
                aliases.add((entity.key, alias, normalize_key(alias)))
        mentions.extend(
            (enrichment.article_id, m.start, m.end, m.surface, m.entity_key, m.type) for m in enrichment.mentions
        )
        quotes.extend(
            (enrichment.article_id, *(getattr(q, c) for c in _QUOTE_COLUMNS)) for q in enrichment.quotes
        )
    conn.executemany(
        "INSERT OR IGNORE INTO entities (key, name, type) VALUES (?, ?, ?)",
        [(e.key, e.name, e.type) for e in entities.values()],
    )
    conn.executemany("INSERT OR IGNORE INTO entity_aliases (entity_key, alias, alias_key) VALUES (?, ?, ?)", aliases)
    conn.executemany(
        "INSERT INTO mentions (article_id, start, end, surface, entity_key, type) VALUES (?, ?, ?, ?, ?, ?)", mentions
    )
    conn.executemany(
        f"INSERT INTO quotes (article_id, {', '.join(_QUOTE_COLUMNS)}) VALUES (?, {', '.join('?' * len(_QUOTE_COLUMNS))})",
        quotes,
    )


def aliases(conn: sqlite3.Connection, keys: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for i in range(0, len(keys), 500):
        chunk = keys[i : i + 500]
        rows = conn.execute(
            f"SELECT entity_key, alias FROM entity_aliases WHERE entity_key IN ({', '.join('?' * len(chunk))}) "
            "ORDER BY entity_key, alias",
            chunk,
        ).fetchall()
        for key, alias in rows:
            out[key].append(alias)
    return out


def read_enrichment(conn: sqlite3.Connection, article_id: str) -> Enrichment:
    mentions = [
        Mention(start=r[0], end=r[1], surface=r[2], entity_key=r[3], type=r[4])
        for r in conn.execute(
            "SELECT start, end, surface, entity_key, type FROM mentions WHERE article_id = ? ORDER BY start",
            (article_id,),
        )
    ]
    keys = sorted({m.entity_key for m in mentions})
    known = aliases(conn, keys)
    entities = []
    for i in range(0, len(keys), 500):
        chunk = keys[i : i + 500]
        for key, name, type_ in conn.execute(
            f"SELECT key, name, type FROM entities WHERE key IN ({', '.join('?' * len(chunk))})", chunk
        ):
            entities.append(Entity(key=key, name=name, type=type_, aliases=known.get(key, [])))
    quotes = [
        Quote(**dict(zip(_QUOTE_COLUMNS, r)))
        for r in conn.execute(
            f"SELECT {', '.join(_QUOTE_COLUMNS)} FROM quotes WHERE article_id = ? ORDER BY start", (article_id,)
        )
    ]
    return Enrichment(article_id=article_id, entities=entities, mentions=mentions, quotes=quotes)


def entity_summary(conn: sqlite3.Connection, article_id: str) -> list[dict[str, Any]]:
    """[{name, type, count}] for an article, most mentioned first (the export shape)."""
    rows = conn.execute(
        "SELECT e.name, e.type, COUNT(*) AS n FROM mentions m JOIN entities e ON e.key = m.entity_key "
        "WHERE m.article_id = ? GROUP BY e.key ORDER BY n DESC, e.name",
        (article_id,),
    ).fetchall()
    return [{"name": name, "type": type_, "count": n} for name, type_, n in rows]


def top_entities(conn: sqlite3.Connection, type_: str | None, limit: int | None) -> list[dict[str, Any]]:
    where = "WHERE e.type = ?" if type_ else ""
    params: list[Any] = [type_] if type_ else []
    rows = conn.execute(
        "SELECT e.key, e.name, e.type, COUNT(*) AS n, COUNT(DISTINCT m.article_id) AS a "
        f"FROM mentions m JOIN entities e ON e.key = m.entity_key {where} "
        "GROUP BY e.key ORDER BY n DESC, a DESC, e.name LIMIT ?",
        [*params, -1 if limit is None else limit],
    ).fetchall()
    known = aliases(conn, [r[0] for r in rows])
    return [
        {"key": k, "name": name, "type": t, "mentions": n, "articles": a, "aliases": known.get(k, [])}
        for k, name, t, n, a in rows
    ]


def find_entity(conn: sqlite3.Connection, name: str) -> Entity | None:
    """The entity with this key, canonical name or any alias (the most mentioned when several match)."""
    key = normalize_key(name)
    rows = conn.execute(
        "SELECT e.key, e.name, e.type FROM entities e WHERE e.key = ? OR e.key IN "
        "(SELECT entity_key FROM entity_aliases WHERE alias_key = ?) "
        "ORDER BY (SELECT COUNT(*) FROM mentions m WHERE m.entity_key = e.key) DESC LIMIT 1",
        (name, key),
    ).fetchall()
    if not rows:
        return None
    k, canonical, type_ = rows[0]
    return Entity(key=k, name=canonical, type=type_, aliases=aliases(conn, [k]).get(k, []))


def entity_article_ids(conn: sqlite3.Connection, key: str) -> list[str]:
    rows = conn.execute(
        "SELECT m.article_id FROM mentions m JOIN articles a ON a.id = m.article_id WHERE m.entity_key = ? "
        "GROUP BY m.article_id ORDER BY a.published DESC, a.ingested_seq",
        (key,),
    ).fetchall()
    return [r[0] for r in rows]


def list_quotes(conn: sqlite3.Connection, speaker_key: str | None, limit: int | None) -> list[tuple[str, Quote]]:
    where = "WHERE q.speaker_key = ?" if speaker_key else ""
    params: list[Any] = [speaker_key] if speaker_key else []
    rows = conn.execute(
        f"SELECT q.article_id, {', '.join('q.' + c for c in _QUOTE_COLUMNS)} FROM quotes q "
        f"JOIN articles a ON a.id = q.article_id {where} "
        "ORDER BY a.published DESC, a.ingested_seq, q.start LIMIT ?",
        [*params, -1 if limit is None else limit],
    ).fetchall()
    return [(r[0], Quote(**dict(zip(_QUOTE_COLUMNS, r[1:])))) for r in rows]
