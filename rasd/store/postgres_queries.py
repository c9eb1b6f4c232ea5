"""Enrichment, stories and browsing queries for PostgreSQL (the tables of migrations 2-3).

The PostgreSQL counterparts of sqlite_enrich.py, sqlite_stories.py and sqlite_browse.py:
functions of an open psycopg connection, called by `PostgresStore` inside its transactions.
Rows are inserted in a fixed order (sorted keys), so two processes storing overlapping
entities take their row locks in the same order.
"""
from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime, timezone
from typing import Any, Iterable

from rasd.arabic import normalize_key
from rasd.records import Enrichment, Entity, Mention, Quote
from rasd.store.base import StoryUpdate

_QUOTE_COLUMNS = ("speaker", "speaker_key", "text", "kind", "cue", "medium", "start", "end")
_QUOTE_SQL = ", ".join(f'q."{c}"' for c in _QUOTE_COLUMNS)
_STORY_FIELDS = ("story_id", "duplicate_of", "kind", "novelty")
_SUMMARY_COLUMNS = (
    "a.id", "a.title", "a.outlet", "a.published", "a.source", "a.language", "a.url",
    "s.story_id", "s.kind", "s.novelty", "s.duplicate_of",
)  # fmt: skip
_SUMMARY_KEYS = tuple(c.split(".", 1)[1] for c in _SUMMARY_COLUMNS)
_SUMMARY_FROM = "FROM articles a LEFT JOIN story_articles s ON s.article_id = a.id"
_NEWEST = "a.published DESC NULLS LAST, a.ingested_seq"


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _quote(row: tuple) -> Quote:
    return Quote(**dict(zip(_QUOTE_COLUMNS, row)))


# -- enrichment ---------------------------------------------------------------------------


def write_enrichments(conn, enrichments: Iterable[Enrichment]) -> None:
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
        quotes.extend((enrichment.article_id, *(getattr(q, c) for c in _QUOTE_COLUMNS)) for q in enrichment.quotes)
    with conn.cursor() as cur:
        if entities:
            cur.executemany(
                "INSERT INTO entities (key, name, type) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                [(e.key, e.name, e.type) for _, e in sorted(entities.items())],
            )
        if aliases:
            cur.executemany(
                "INSERT INTO entity_aliases (entity_key, alias, alias_key) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                sorted(aliases),
            )
        if mentions:
            cur.executemany(
                'INSERT INTO mentions (article_id, start, "end", surface, entity_key, type) '
                "VALUES (%s, %s, %s, %s, %s, %s)",
                mentions,
            )
        if quotes:
            cols = ", ".join(f'"{c}"' for c in _QUOTE_COLUMNS)
            cur.executemany(
                f"INSERT INTO quotes (article_id, {cols}) VALUES (%s, {', '.join(['%s'] * len(_QUOTE_COLUMNS))})",
                quotes,
            )


def aliases(conn, keys: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    if keys:
        for key, alias in conn.execute(
            "SELECT entity_key, alias FROM entity_aliases WHERE entity_key = ANY(%s) ORDER BY entity_key, alias",
            (list(keys),),
        ).fetchall():
            out[key].append(alias)
    return out


def read_enrichment(conn, article_id: str) -> Enrichment:
    mentions = [
        Mention(start=r[0], end=r[1], surface=r[2], entity_key=r[3], type=r[4])
        for r in conn.execute(
            'SELECT start, "end", surface, entity_key, type FROM mentions WHERE article_id = %s ORDER BY start',
            (article_id,),
        ).fetchall()
    ]
    keys = sorted({m.entity_key for m in mentions})
    found = aliases(conn, keys)
    entities = [
        Entity(key=key, name=name, type=type_, aliases=found.get(key, []))
        for key, name, type_ in conn.execute(
            "SELECT key, name, type FROM entities WHERE key = ANY(%s)", (keys,)
        ).fetchall()
    ] if keys else []  # fmt: skip
    quotes = [
        _quote(r)
        for r in conn.execute(
            f"SELECT {_QUOTE_SQL} FROM quotes q WHERE q.article_id = %s ORDER BY q.start", (article_id,)
        ).fetchall()
    ]
    return Enrichment(article_id=article_id, entities=entities, mentions=mentions, quotes=quotes)


def entity_summary(conn, article_id: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        "SELECT e.name, e.type, COUNT(*) AS n FROM mentions m JOIN entities e ON e.key = m.entity_key "
        "WHERE m.article_id = %s GROUP BY e.key ORDER BY n DESC, e.name",
        (article_id,),
    ).fetchall()
    return [{"name": name, "type": type_, "count": n} for name, type_, n in rows]


def top_entities(conn, type_: str | None, limit: int | None) -> list[dict[str, Any]]:
    where = "WHERE e.type = %s" if type_ else ""
    params: list[Any] = [type_] if type_ else []
    rows = conn.execute(
        "SELECT e.key, e.name, e.type, COUNT(*) AS n, COUNT(DISTINCT m.article_id) AS a "
        f"FROM mentions m JOIN entities e ON e.key = m.entity_key {where} "
        "GROUP BY e.key ORDER BY n DESC, a DESC, e.name LIMIT %s",
        [*params, limit],
    ).fetchall()
    found = aliases(conn, [r[0] for r in rows])
    return [
        {"key": k, "name": name, "type": t, "mentions": n, "articles": a, "aliases": found.get(k, [])}
        for k, name, t, n, a in rows
    ]


def find_entity(conn, name: str) -> Entity | None:
    key = normalize_key(name)
    rows = conn.execute(
        "SELECT e.key, e.name, e.type FROM entities e WHERE e.key = %s OR e.key IN "
        "(SELECT entity_key FROM entity_aliases WHERE alias_key = %s) "
        "ORDER BY (SELECT COUNT(*) FROM mentions m WHERE m.entity_key = e.key) DESC, e.key LIMIT 1",
        (name, key),
    ).fetchall()
    if not rows:
        return None
    k, canonical, type_ = rows[0]
    return Entity(key=k, name=canonical, type=type_, aliases=aliases(conn, [k]).get(k, []))


def entity_article_ids(conn, key: str) -> list[str]:
    rows = conn.execute(
        "SELECT m.article_id FROM mentions m JOIN articles a ON a.id = m.article_id WHERE m.entity_key = %s "
        f"GROUP BY m.article_id, a.published, a.ingested_seq ORDER BY {_NEWEST}",
        (key,),
    ).fetchall()
    return [r[0] for r in rows]


def list_quotes(conn, speaker_key: str | None, limit: int | None) -> list[tuple[str, Quote]]:
    where = "WHERE q.speaker_key = %s" if speaker_key else ""
    params: list[Any] = [speaker_key] if speaker_key else []
    rows = conn.execute(
        f"SELECT q.article_id, {_QUOTE_SQL} FROM quotes q JOIN articles a ON a.id = q.article_id {where} "
        f"ORDER BY {_NEWEST}, q.start LIMIT %s",
        [*params, limit],
    ).fetchall()
    return [(r[0], _quote(r[1:])) for r in rows]


# -- stories ------------------------------------------------------------------------------


def unclustered_article_times(conn) -> list[tuple[str, str | None]]:
    rows = conn.execute(
        "SELECT a.id, a.published FROM articles a LEFT JOIN story_articles s ON s.article_id = a.id "
        "WHERE s.article_id IS NULL ORDER BY a.ingested_seq"
    ).fetchall()
    return [(r[0], r[1]) for r in rows]


def write_update(conn, update: StoryUpdate) -> None:
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    seq = conn.execute("SELECT COALESCE(MAX(seq), 0) FROM story_articles").fetchone()[0]
    for from_id, into_id, article_id in update.merges:
        conn.execute("UPDATE story_articles SET story_id = %s WHERE story_id = %s", (into_id, from_id))
        conn.execute("DELETE FROM stories WHERE id = %s", (from_id,))
        conn.execute(
            "INSERT INTO story_merges (from_id, into_id, article_id, merged_at) VALUES (%s, %s, %s, %s)",
            (from_id, into_id, article_id, now),
        )
    with conn.cursor() as cur:
        rows = []
        for article_id, story_id, score in update.assignments:
            seq += 1
            rows.append((article_id, story_id, score, seq))
        if rows:
            cur.executemany(
                "INSERT INTO story_articles (article_id, story_id, score, seq) VALUES (%s, %s, %s, %s) "
                "ON CONFLICT (article_id) DO UPDATE SET story_id = excluded.story_id, score = excluded.score",
                rows,
            )
        if update.lineages:
            cur.executemany(
                "UPDATE story_articles SET duplicate_of = %s, kind = %s, novelty = %s WHERE article_id = %s",
                [(x.duplicate_of, x.kind, x.novelty, x.article_id) for x in update.lineages],
            )
        if update.records:
            cur.executemany(
                "INSERT INTO stories (id, headline, first_seen, last_seen, size, record) "
                "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO UPDATE SET headline = excluded.headline, "
                "first_seen = excluded.first_seen, last_seen = excluded.last_seen, size = excluded.size, "
                "record = excluded.record",
                [(r["id"], r.get("headline"), r.get("first_seen"), r.get("last_seen"),
                  len(r.get("articles") or []), _dumps(r)) for r in update.records],
            )  # fmt: skip
    if update.state is not None:
        conn.execute(
            "INSERT INTO story_state (name, value) VALUES ('clusterer', %s) "
            "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            (_dumps(update.state),),
        )
        bump_version(conn)


def bump_version(conn) -> None:
    conn.execute(
        "INSERT INTO story_state (name, value) VALUES ('version', '1') "
        "ON CONFLICT (name) DO UPDATE SET value = (story_state.value::bigint + 1)::text"
    )


def state_version(conn) -> int:
    row = conn.execute("SELECT value FROM story_state WHERE name = 'version'").fetchone()
    return int(row[0]) if row else 0


def load_state(conn) -> dict | None:
    row = conn.execute("SELECT value FROM story_state WHERE name = 'clusterer'").fetchone()
    return json.loads(row[0]) if row else None


def clear(conn) -> None:
    conn.execute("DELETE FROM story_articles; DELETE FROM stories; DELETE FROM story_merges")
    conn.execute("DELETE FROM story_state WHERE name <> 'version'")
    bump_version(conn)  # processes holding the old state reload it


def member_ids(conn, story_id: str) -> list[str]:
    rows = conn.execute(
        "SELECT s.article_id FROM story_articles s JOIN articles a ON a.id = s.article_id "
        "WHERE s.story_id = %s ORDER BY s.seq",
        (story_id,),
    ).fetchall()
    return [r[0] for r in rows]


def article_story(conn, article_id: str) -> dict[str, Any]:
    row = conn.execute(
        f"SELECT {', '.join(_STORY_FIELDS)} FROM story_articles WHERE article_id = %s", (article_id,)
    ).fetchone()
    return dict(zip(_STORY_FIELDS, row)) if row else dict.fromkeys(_STORY_FIELDS)


def get_story(conn, story_id: str, depth: int = 0) -> dict[str, Any] | None:
    row = conn.execute("SELECT record FROM stories WHERE id = %s", (story_id,)).fetchone()
    if row is None:
        merged = conn.execute(
            "SELECT into_id FROM story_merges WHERE from_id = %s ORDER BY id DESC LIMIT 1", (story_id,)
        ).fetchone()
        return get_story(conn, merged[0], depth + 1) if merged and depth < 100 else None
    record = json.loads(row[0])
    record["merged_from"] = [
        r[0] for r in conn.execute(
            "SELECT from_id FROM story_merges WHERE into_id = %s ORDER BY id", (record["id"],)
        ).fetchall()
    ]  # fmt: skip
    return record


def resolve_story_id(conn, ident: str) -> str | None:
    ident = ident.strip()
    if conn.execute("SELECT 1 FROM stories WHERE id = %s", (ident,)).fetchone():
        return ident
    pattern = ident.replace("\\", "").replace("%", "").replace("_", "\\_") + "%"
    rows = conn.execute("SELECT id FROM stories WHERE id LIKE %s LIMIT 2", (pattern,)).fetchall()
    if len(rows) == 1:
        return rows[0][0]
    merged = conn.execute("SELECT into_id FROM story_merges WHERE from_id = %s ORDER BY id LIMIT 1", (ident,)).fetchone()
    return merged[0] if merged else None


def list_stories(conn, limit: int | None, offset: int, order: str) -> list[dict[str, Any]]:
    order_sql = {
        "size": "size DESC, last_seen DESC NULLS LAST",
        "recent": "last_seen DESC NULLS LAST, size DESC",
    }[order]
    rows = conn.execute(
        f"SELECT record FROM stories ORDER BY {order_sql}, id LIMIT %s OFFSET %s", (limit, offset)
    ).fetchall()
    return [json.loads(r[0]) for r in rows]


# -- browsing -----------------------------------------------------------------------------


def article_page(conn, *, limit: int, offset: int = 0, outlet: str | None = None, language: str | None = None,
                 published_from: str | None = None, published_before: str | None = None,
                 story_id: str | None = None, entity_key: str | None = None) -> tuple[int, list[dict[str, Any]]]:
    where: list[str] = []
    params: list[Any] = []
    for sql, value in (
        ("a.outlet = %s", outlet),
        ("a.language = %s", language),
        ("a.published >= %s", published_from),
        ("a.published < %s", published_before),
        ("s.story_id = %s", story_id),
        ("a.id IN (SELECT article_id FROM mentions WHERE entity_key = %s)", entity_key),
    ):
        if value is not None:
            where.append(sql)
            params.append(value)
    where_sql = f"WHERE {' AND '.join(where)}" if where else ""
    total = conn.execute(f"SELECT COUNT(*) {_SUMMARY_FROM} {where_sql}", params).fetchone()[0]
    rows = conn.execute(
        f"SELECT {', '.join(_SUMMARY_COLUMNS)} {_SUMMARY_FROM} {where_sql} ORDER BY {_NEWEST} LIMIT %s OFFSET %s",
        [*params, limit, offset],
    ).fetchall()
    return int(total), [dict(zip(_SUMMARY_KEYS, r)) for r in rows]


def article_summaries(conn, ids: list[str]) -> dict[str, dict[str, Any]]:
    if not ids:
        return {}
    rows = conn.execute(f"SELECT {', '.join(_SUMMARY_COLUMNS)} {_SUMMARY_FROM} WHERE a.id = ANY(%s)", (list(ids),))
    return {r[0]: dict(zip(_SUMMARY_KEYS, r)) for r in rows.fetchall()}


def entity_page(conn, *, type_: str | None, limit: int, offset: int) -> tuple[int, list[dict[str, Any]]]:
    where = "WHERE e.type = %s" if type_ else ""
    params: list[Any] = [type_] if type_ else []
    type_sql = " AND e.type = %s" if type_ else ""
    total = conn.execute(
        f"SELECT COUNT(*) FROM entities e WHERE EXISTS (SELECT 1 FROM mentions m WHERE m.entity_key = e.key){type_sql}",
        params,
    ).fetchone()[0]
    rows = conn.execute(
        "SELECT e.key, e.name, e.type, COUNT(*) AS n, COUNT(DISTINCT m.article_id) AS a "
        f"FROM mentions m JOIN entities e ON e.key = m.entity_key {where} "
        "GROUP BY e.key ORDER BY n DESC, a DESC, e.name LIMIT %s OFFSET %s",
        [*params, limit, offset],
    ).fetchall()
    keys = ("key", "name", "type", "mentions", "articles")
    return int(total), [dict(zip(keys, r)) for r in rows]


def quote_page(conn, *, speaker_key: str | None, limit: int, offset: int) -> tuple[int, list[tuple[str, Quote]]]:
    where = "WHERE q.speaker_key = %s" if speaker_key else ""
    params: list[Any] = [speaker_key] if speaker_key else []
    total = conn.execute(f"SELECT COUNT(*) FROM quotes q {where}", params).fetchone()[0]
    rows = conn.execute(
        f"SELECT q.article_id, {_QUOTE_SQL} FROM quotes q JOIN articles a ON a.id = q.article_id {where} "
        f"ORDER BY {_NEWEST}, q.start LIMIT %s OFFSET %s",
        [*params, limit, offset],
    ).fetchall()
    return int(total), [(r[0], _quote(r[1:])) for r in rows]


def entity_mentions_by_article(conn, key: str) -> list[tuple[str | None, int]]:
    return [
        (p, int(n)) for p, n in conn.execute(
            "SELECT a.published, COUNT(*) FROM mentions m JOIN articles a ON a.id = m.article_id "
            "WHERE m.entity_key = %s GROUP BY m.article_id, a.published",
            (key,),
        ).fetchall()
    ]  # fmt: skip


def entity_stories(conn, key: str, limit: int) -> list[tuple[str, int]]:
    return [
        (s, int(n)) for s, n in conn.execute(
            "SELECT s.story_id, COUNT(DISTINCT m.article_id) AS n FROM mentions m "
            "JOIN story_articles s ON s.article_id = m.article_id WHERE m.entity_key = %s "
            "GROUP BY s.story_id ORDER BY n DESC, MAX(s.seq) DESC LIMIT %s",
            (key, limit),
        ).fetchall()
    ]  # fmt: skip


def counts(conn) -> dict[str, int]:
    row = conn.execute(
        "SELECT (SELECT COUNT(*) FROM articles), (SELECT COUNT(*) FROM stories), "
        "(SELECT COUNT(DISTINCT outlet) FROM articles WHERE outlet IS NOT NULL), "
        "(SELECT COUNT(DISTINCT entity_key) FROM mentions), (SELECT COUNT(*) FROM quotes)"
    ).fetchone()
    return dict(zip(("articles", "stories", "outlets", "entities", "quotes"), map(int, row)))


def outlets(conn) -> list[tuple[str, int]]:
    return [
        (o, int(n)) for o, n in conn.execute(
            "SELECT outlet, COUNT(*) AS n FROM articles WHERE outlet IS NOT NULL GROUP BY outlet ORDER BY n DESC, outlet"
        ).fetchall()
    ]  # fmt: skip
