"""Stories in SQLite (tables of migration 3): assignments, lineage, records, merges, state.

Functions take an open connection; `SQLiteStore` wraps them in transactions.
"""
from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone
from typing import Any

from rasd.store.base import StoryUpdate

_STORY_FIELDS = ("story_id", "duplicate_of", "kind", "novelty")


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def unclustered_article_ids(conn: sqlite3.Connection) -> list[str]:
    """Stored articles that no story holds yet, in ingest order."""
    rows = conn.execute(
        "SELECT a.id FROM articles a LEFT JOIN story_articles s ON s.article_id = a.id "
        "WHERE s.article_id IS NULL ORDER BY a.ingested_seq"
    ).fetchall()
    return [r[0] for r in rows]


def unclustered_article_times(conn: sqlite3.Connection) -> list[tuple[str, str | None]]:
    """(id, published) of the stored articles no story holds yet, in ingest order."""
    rows = conn.execute(
        "SELECT a.id, a.published FROM articles a LEFT JOIN story_articles s ON s.article_id = a.id "
        "WHERE s.article_id IS NULL ORDER BY a.ingested_seq"
    ).fetchall()
    return [(r[0], r[1]) for r in rows]


def write_update(conn: sqlite3.Connection, update: StoryUpdate) -> None:
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    seq = conn.execute("SELECT COALESCE(MAX(seq), 0) FROM story_articles").fetchone()[0]
    for from_id, into_id, article_id in update.merges:
        conn.execute("UPDATE story_articles SET story_id = ? WHERE story_id = ?", (into_id, from_id))
        conn.execute("DELETE FROM stories WHERE id = ?", (from_id,))
        conn.execute(
            "INSERT INTO story_merges (from_id, into_id, article_id, merged_at) VALUES (?, ?, ?, ?)",
            (from_id, into_id, article_id, now),
        )
    for article_id, story_id, score in update.assignments:
        seq += 1
        conn.execute(
            "INSERT INTO story_articles (article_id, story_id, score, seq) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(article_id) DO UPDATE SET story_id = excluded.story_id, score = excluded.score",
            (article_id, story_id, score, seq),
        )
    conn.executemany(
        "UPDATE story_articles SET duplicate_of = ?, kind = ?, novelty = ? WHERE article_id = ?",
        [(x.duplicate_of, x.kind, x.novelty, x.article_id) for x in update.lineages],
    )
    for record in update.records:
        conn.execute(
            "INSERT INTO stories (id, headline, first_seen, last_seen, size, record) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET headline = excluded.headline, first_seen = excluded.first_seen, "
            "last_seen = excluded.last_seen, size = excluded.size, record = excluded.record",
            (record["id"], record.get("headline"), record.get("first_seen"), record.get("last_seen"),
             len(record.get("articles") or []), _dumps(record)),
        )  # fmt: skip
    if update.state is not None:
        conn.execute(
            "INSERT INTO story_state (name, value) VALUES ('clusterer', ?) "
            "ON CONFLICT(name) DO UPDATE SET value = excluded.value",
            (_dumps(update.state),),
        )


def load_state(conn: sqlite3.Connection) -> dict | None:
    row = conn.execute("SELECT value FROM story_state WHERE name = 'clusterer'").fetchone()
    return json.loads(row[0]) if row else None


def clear(conn: sqlite3.Connection) -> None:
    for table in ("story_articles", "stories", "story_merges", "story_state"):
        conn.execute(f"DELETE FROM {table}")


def member_ids(conn: sqlite3.Connection, story_id: str) -> list[str]:
    rows = conn.execute(
        "SELECT s.article_id FROM story_articles s JOIN articles a ON a.id = s.article_id "
        "WHERE s.story_id = ? ORDER BY s.seq",
        (story_id,),
    ).fetchall()
    return [r[0] for r in rows]


def article_story(conn: sqlite3.Connection, article_id: str) -> dict[str, Any]:
    row = conn.execute(
        f"SELECT {', '.join(_STORY_FIELDS)} FROM story_articles WHERE article_id = ?", (article_id,)
    ).fetchone()
    return dict(zip(_STORY_FIELDS, row)) if row else dict.fromkeys(_STORY_FIELDS)


def get_story(conn: sqlite3.Connection, story_id: str) -> dict[str, Any] | None:
    row = conn.execute("SELECT record FROM stories WHERE id = ?", (story_id,)).fetchone()
    if row is None:
        merged = conn.execute(
            "SELECT into_id FROM story_merges WHERE from_id = ? ORDER BY rowid DESC LIMIT 1", (story_id,)
        ).fetchone()
        return get_story(conn, merged[0]) if merged else None
    record = json.loads(row[0])
    record["merged_from"] = [
        r[0] for r in conn.execute("SELECT from_id FROM story_merges WHERE into_id = ?", (record["id"],))
    ]
    return record


def resolve_story_id(conn: sqlite3.Connection, ident: str) -> str | None:
    ident = ident.strip()
    if conn.execute("SELECT 1 FROM stories WHERE id = ?", (ident,)).fetchone():
        return ident
    rows = conn.execute("SELECT id FROM stories WHERE id LIKE ? LIMIT 2", (ident.replace("%", "") + "%",)).fetchall()
    if len(rows) == 1:
        return rows[0][0]
    merged = conn.execute("SELECT into_id FROM story_merges WHERE from_id = ?", (ident,)).fetchone()
    return merged[0] if merged else None


def list_stories(conn: sqlite3.Connection, limit: int | None, offset: int, order: str) -> list[dict[str, Any]]:
    order_sql = {"size": "size DESC, last_seen DESC", "recent": "last_seen DESC, size DESC"}[order]
    rows = conn.execute(
        f"SELECT record FROM stories ORDER BY {order_sql}, id LIMIT ? OFFSET ?",
        (-1 if limit is None else limit, offset),
    ).fetchall()
    return [json.loads(r[0]) for r in rows]


def count(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT COUNT(*) FROM stories").fetchone()[0])
