"""Versioned schema migrations for the SQLite backend.

Each migration has a strictly increasing integer version. At open, every
migration newer than the database's current version is applied, in order,
and recorded in `schema_migrations(version, name, applied_at)`; all pending
migrations run in ONE transaction (SQLite DDL is transactional), so a crash
mid-migration leaves the database at its old version.

To change the schema, APPEND a new `Migration` to `SQLITE_MIGRATIONS` (never
edit one that has shipped): e.g. version 2 "entities" creating
`entities`/`mentions` tables that reference `articles(id)`. A PostgreSQL
backend will have its own list with the same version numbers.

Migrations that must rebuild a table (SQLite's ALTER TABLE is limited) set
`disable_foreign_keys=True`: the runner then switches foreign keys off around
the transaction (they cannot be toggled inside one) and runs
`PRAGMA foreign_key_check` before committing.
"""
from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable, Union

from rasd.store.base import StoreError


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    # SQL script (several statements separated by ';') or a callable(conn)
    # for data migrations that need Python.
    sql: Union[str, Callable[[sqlite3.Connection], None]]
    disable_foreign_keys: bool = False


V1_CORE = """
CREATE TABLE pages (
    id          TEXT PRIMARY KEY,            -- hash[:16]
    hash        TEXT NOT NULL UNIQUE,        -- content hash (sha256 hex)
    source      TEXT NOT NULL,               -- path, "archive.zip!member", "file.jsonl:12", ...
    url         TEXT,
    kind        TEXT NOT NULL,               -- text | html | record
    encoding    TEXT,
    n_articles  INTEGER NOT NULL DEFAULT 0,  -- articles stored with the page (positions 0..n-1)
    ingested_at TEXT NOT NULL                -- ISO 8601 UTC
);

CREATE TABLE articles (
    id            TEXT PRIMARY KEY,          -- rasd.records.article_id(page_id, position)
    page_id       TEXT NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,          -- 0 = the page's main article
    title         TEXT,
    published     TEXT,                      -- ISO 8601 date or datetime
    published_raw TEXT,
    outlet        TEXT,
    author        TEXT,
    section       TEXT,
    dateline      TEXT,
    language      TEXT,
    url           TEXT,
    source        TEXT NOT NULL,
    body          TEXT NOT NULL,
    agencies      TEXT NOT NULL DEFAULT '[]', -- JSON list of strings
    tags          TEXT NOT NULL DEFAULT '[]', -- JSON list of strings
    related       TEXT NOT NULL DEFAULT '[]', -- JSON list of {title, published, published_raw}
    removed       TEXT NOT NULL DEFAULT '[]', -- JSON list of {kind, text}
    ingested_seq  INTEGER NOT NULL            -- global insertion order
);

CREATE UNIQUE INDEX articles_page ON articles (page_id, position);
CREATE UNIQUE INDEX articles_ingested ON articles (ingested_seq);
-- NULLs sort first in SQLite, so "published DESC" is newest first, undated last.
CREATE INDEX articles_published ON articles (published DESC, ingested_seq);
CREATE INDEX articles_outlet ON articles (outlet);
"""

V2_ENRICH = """
CREATE TABLE entities (
    key   TEXT PRIMARY KEY,                  -- "PER:دونالد ترامب": stable across articles and runs
    name  TEXT NOT NULL,                     -- canonical display name
    type  TEXT NOT NULL                      -- PER | ORG | LOC | MISC
);
CREATE INDEX entities_type ON entities (type);

CREATE TABLE entity_aliases (
    entity_key TEXT NOT NULL REFERENCES entities(key) ON DELETE CASCADE,
    alias      TEXT NOT NULL,                -- a spelling as written (without clitics)
    alias_key  TEXT NOT NULL,                -- rasd.arabic.normalize_key(alias), for lookups
    PRIMARY KEY (entity_key, alias)
);
CREATE INDEX entity_aliases_key ON entity_aliases (alias_key);

CREATE TABLE mentions (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    start      INTEGER NOT NULL,             -- character span in articles.body
    end        INTEGER NOT NULL,
    surface    TEXT NOT NULL,
    entity_key TEXT NOT NULL REFERENCES entities(key),
    type       TEXT NOT NULL
);
CREATE INDEX mentions_article ON mentions (article_id);
CREATE INDEX mentions_entity ON mentions (entity_key);

CREATE TABLE quotes (
    id          INTEGER PRIMARY KEY,
    article_id  TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    speaker     TEXT,
    speaker_key TEXT,
    text        TEXT NOT NULL,
    kind        TEXT NOT NULL,               -- direct | indirect
    cue         TEXT,
    medium      TEXT,
    start       INTEGER NOT NULL,
    end         INTEGER NOT NULL
);
CREATE INDEX quotes_article ON quotes (article_id);
CREATE INDEX quotes_speaker ON quotes (speaker_key);
"""

V3_STORIES = """
CREATE TABLE stories (
    id          TEXT PRIMARY KEY,            -- stable: "s" + first article id
    headline    TEXT,
    first_seen  TEXT,
    last_seen   TEXT,
    size        INTEGER NOT NULL DEFAULT 0,
    record      TEXT NOT NULL DEFAULT '{}'   -- JSON story record (summary, timeline, outlets, ...)
);
CREATE INDEX stories_last_seen ON stories (last_seen DESC);

CREATE TABLE story_articles (
    article_id   TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    story_id     TEXT NOT NULL,
    score        REAL,                       -- similarity that placed it (NULL for a story's first article)
    duplicate_of TEXT,                       -- earliest near-duplicate (copy group)
    kind         TEXT,                       -- original | copy | rewrite
    novelty      REAL,
    seq          INTEGER NOT NULL            -- order of assignment
);
CREATE INDEX story_articles_story ON story_articles (story_id);

CREATE TABLE story_merges (
    from_id    TEXT NOT NULL,
    into_id    TEXT NOT NULL,
    article_id TEXT,                         -- the article whose arrival joined them
    merged_at  TEXT NOT NULL
);

CREATE TABLE story_state (
    name  TEXT PRIMARY KEY,                  -- e.g. "clusterer"
    value TEXT NOT NULL                      -- JSON
);
"""



def v4_search(conn: sqlite3.Connection) -> None:
    """The full-text index, filled with the articles already stored, and the indexes search reads
    (articles_search covering the filter columns; mentions by (entity_key, article_id) replacing
    mentions_entity). Schema in rasd/store/sqlite_search.py."""
    from rasd.store import sqlite_search  # imported here: it imports the store modules

    sqlite_search.create_schema(conn)
    sqlite_search.backfill(conn)


SQLITE_MIGRATIONS: list[Migration] = [
    Migration(1, "core: pages and articles", V1_CORE),
    Migration(2, "enrichment: entities, aliases, mentions, quotes", V2_ENRICH),
    Migration(3, "stories: stories, assignments, merges, clusterer state", V3_STORIES),
    Migration(4, "search: full-text index over folded title and body", v4_search),
]


def latest_version(migrations: list[Migration] = SQLITE_MIGRATIONS) -> int:
    return max((m.version for m in migrations), default=0)


def current_version(conn: sqlite3.Connection) -> int:
    """The highest applied version (0 for a database without rasd tables)."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
    ).fetchone()
    if not exists:
        return 0
    row = conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
    return int(row[0] or 0)


def _is_blank(sql: str) -> bool:
    """True if `sql` holds only whitespace, ';' and comments."""
    sql = re.sub(r"/\*.*?\*/", " ", sql, flags=re.S)
    sql = re.sub(r"--[^\n]*", " ", sql)
    return not sql.replace(";", " ").strip()


def split_sql(script: str) -> list[str]:
    """Split a script into complete statements (handles ';' in strings and triggers)."""
    statements: list[str] = []
    pieces = script.split(";")
    buf = ""
    for i, piece in enumerate(pieces):
        buf += piece
        if i < len(pieces) - 1:
            buf += ";"
            if not sqlite3.complete_statement(buf):
                continue
        if not _is_blank(buf):
            statements.append(buf.strip())
        buf = ""
    return statements


def _check_order(migrations: list[Migration]) -> None:
    versions = [m.version for m in migrations]
    if versions != sorted(set(versions)) or (versions and versions[0] < 1):
        raise StoreError(f"migration versions must be strictly increasing from 1: {versions}")


def migrate(
    conn: sqlite3.Connection, migrations: list[Migration] = SQLITE_MIGRATIONS, *, where: str = "database"
) -> list[int]:
    """Apply pending migrations; return the versions applied ([] when up to date).

    `conn` must be in autocommit mode (isolation_level=None). Raises StoreError
    when the database was written by a newer rasd (unknown, higher version).
    """
    _check_order(migrations)
    latest = latest_version(migrations)

    def check_not_newer(version: int) -> None:
        if version > latest:
            raise StoreError(
                f"{where} has schema version {version}, but this version of rasd only knows "
                f"schema versions up to {latest}; upgrade rasd to open it (the database was "
                f"not modified)"
            )

    current = current_version(conn)
    check_not_newer(current)
    if current == latest:
        return []

    pending = [m for m in migrations if m.version > current]
    fk_off = any(m.disable_foreign_keys for m in pending)
    if fk_off:
        conn.execute("PRAGMA foreign_keys = OFF")
    try:
        # IMMEDIATE takes the write lock now, so two processes opening a fresh
        # database at once serialise here; the second one re-reads the
        # version below and finds nothing left to do.
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            current = current_version(conn)
            check_not_newer(current)
            applied: list[int] = []
            for m in migrations:
                if m.version <= current:
                    continue
                if callable(m.sql):
                    m.sql(conn)
                else:
                    for stmt in split_sql(m.sql):
                        conn.execute(stmt)
                conn.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (m.version, m.name, datetime.now(timezone.utc).isoformat(timespec="seconds")),
                )
                applied.append(m.version)
            if fk_off:
                bad = conn.execute("PRAGMA foreign_key_check").fetchall()
                if bad:
                    raise StoreError(f"migration left {len(bad)} foreign key violations, e.g. {bad[0]}")
            conn.execute("COMMIT")
            return applied
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    except sqlite3.Error as exc:
        raise StoreError(
            f"cannot migrate {where} to schema version {latest}: {exc} "
            f"(is it a rasd database?)"
        ) from exc
    finally:
        if fk_off:
            conn.execute("PRAGMA foreign_keys = ON")
