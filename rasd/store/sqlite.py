"""SQLite backend (standard library sqlite3).

Durability: the database runs in WAL mode with `synchronous=FULL`, so every
committed `add_batch` is fsynced to the WAL before `add_batch` returns; it
survives a SIGKILL of the process and also an OS crash or power loss. The cost
is one fsync per batch, negligible with batches of hundreds of pages.
(`synchronous=NORMAL` would also survive SIGKILL, since committed WAL frames
are already in the OS page cache, but could lose the last commits on an OS
crash; pass synchronous="NORMAL" to trade that for a little speed.)
"""
from __future__ import annotations

import json
import os
import sqlite3
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator

from rasd.records import Article, Enrichment, RawPage
from rasd.store import sqlite_browse as browse
from rasd.store import sqlite_enrich as enrich
from rasd.store import sqlite_search
from rasd.store import sqlite_stories as stories
from rasd.store.delegating import QueryModuleStore
from rasd.store.base import ORDERS, BatchResult, StoreError
from rasd.store.migrations import SQLITE_MIGRATIONS, Migration, current_version, migrate

BUSY_TIMEOUT_S = 30.0
MIN_PREFIX = 4
PAGE_SIZE = 16384  # fits several ~2-4 KB articles per page (4096 wasted ~40% on 2 KB rows)
_IN_CHUNK = 500  # host parameters per IN (...) query; well under SQLite's limit

_LIST_FIELDS = ("agencies", "tags", "related", "removed")
ARTICLE_COLUMNS = (
    "id", "page_id", "position", "title", "published", "published_raw", "outlet", "author",
    "section", "dateline", "language", "url", "source", "body",
    "agencies", "tags", "related", "removed",
)  # fmt: skip
assert ARTICLE_COLUMNS[-len(_LIST_FIELDS):] == _LIST_FIELDS
_SCALAR_COLUMNS = ARTICLE_COLUMNS[: -len(_LIST_FIELDS)]
_SELECT_ARTICLES = f"SELECT {', '.join(ARTICLE_COLUMNS)} FROM articles"
_INSERT_ARTICLE = (
    f"INSERT INTO articles ({', '.join(ARTICLE_COLUMNS)}, ingested_seq) "
    f"VALUES ({', '.join('?' * (len(ARTICLE_COLUMNS) + 1))})"
)
_INSERT_PAGE = (
    "INSERT OR IGNORE INTO pages (id, hash, source, url, kind, encoding, n_articles, ingested_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
_PAGE_COLUMNS = ("id", "hash", "source", "url", "kind", "encoding", "n_articles", "ingested_at")
_ORDER_SQL = {
    "published": "ORDER BY published DESC, ingested_seq",
    "ingested": "ORDER BY ingested_seq",
}


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _article_row(article: Article, seq: int) -> tuple:
    # Same content as Article.to_dict(), without dataclasses.asdict's recursive
    # deep copy, which was half the cost of storing a batch. Items of the list
    # fields are flat dataclasses (RelatedItem, Removed), dicts or strings.
    row: list[Any] = [getattr(article, c) for c in _SCALAR_COLUMNS]
    for name in _LIST_FIELDS:
        items = getattr(article, name) or []
        row.append(_dumps([item if isinstance(item, (str, dict)) else dict(vars(item)) for item in items]))
    row.append(seq)
    return tuple(row)


def _row_article(row: tuple) -> Article:
    data = dict(zip(ARTICLE_COLUMNS, row))
    for name in _LIST_FIELDS:
        data[name] = json.loads(data[name]) if data[name] else []
    return Article.from_dict(data)


def _prefix_upper(prefix: str) -> str:
    """Smallest string greater than every string starting with `prefix`."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


class SQLiteStore(QueryModuleStore):
    """Store backed by one SQLite file (or ":memory:")."""

    _enrich_q, _stories_q, _browse_q, _search_q = enrich, stories, browse, sqlite_search

    def __init__(
        self,
        path: str | os.PathLike[str] = "rasd.db",
        *,
        synchronous: str = "FULL",
        page_size: int = PAGE_SIZE,
        migrations: list[Migration] = SQLITE_MIGRATIONS,
    ) -> None:
        if synchronous.upper() not in ("FULL", "NORMAL", "EXTRA"):
            raise StoreError(f"synchronous must be FULL, NORMAL or EXTRA, not {synchronous!r}")
        self.memory = str(path) == ":memory:"
        if self.memory:
            self.path = ":memory:"
        else:
            p = Path(path).expanduser()
            if p.is_dir():
                raise StoreError(f"database path {p} is a directory")
            try:
                p.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create directory for database {p}: {exc}") from exc
            self.path = str(p.resolve())
        self._conn: sqlite3.Connection | None = None
        try:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open database {self.path}: {exc}") from exc
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            # Only takes effect on a new, empty database (must precede WAL).
            conn.execute(f"PRAGMA page_size = {int(page_size)}")
            if not self.memory:
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute(f"PRAGMA synchronous = {synchronous.upper()}")
            conn.execute("PRAGMA foreign_keys = ON")
            self.applied_migrations = migrate(conn, migrations, where=f"database {self.path}")
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise StoreError(f"cannot open database {self.path}: {exc}") from exc
        except BaseException:
            conn.close()
            raise
        self._conn = conn

    # -- plumbing -------------------------------------------------------------

    @property
    def connection(self) -> sqlite3.Connection:
        """The raw connection (autocommit mode), for modules adding their own tables."""
        if self._conn is None:
            raise StoreError(f"database {self.path} is closed")
        return self._conn

    def _query(self, sql: str, params: Iterable[Any] = ()) -> list[tuple]:
        try:
            return self.connection.execute(sql, tuple(params)).fetchall()
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: {exc}") from exc

    def __repr__(self) -> str:
        return f"SQLiteStore({self.path!r})"

    # -- writing --------------------------------------------------------------

    def add_batch(
        self, pages: list[RawPage], articles: list[Article], enrichments: list[Enrichment] | None = None
    ) -> BatchResult:
        result = BatchResult()
        if not pages and not articles:
            return result

        # Unique pages of the batch, in order; a repeated hash is a skip.
        unique: dict[str, RawPage] = {}
        for page in pages:
            if page.hash in unique:
                result.pages_skipped += 1
            else:
                unique[page.hash] = page
        by_page: dict[str, list[Article]] = defaultdict(list)
        for article in articles:
            by_page[article.page_id].append(article)
        batch_ids = {p.page_id for p in unique.values()}

        conn = self.connection
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        try:
            # IMMEDIATE: take the write lock up front so the "already stored?"
            # check below cannot race with another writer.
            conn.execute("BEGIN IMMEDIATE")
            try:
                existing = self._known_hashes(unique)
                new_pages = [p for h, p in unique.items() if h not in existing]
                result.pages_skipped += len(unique) - len(new_pages)

                # Articles of pages outside the batch must belong to stored pages.
                orphans = [pid for pid in by_page if pid not in batch_ids]
                if orphans:
                    stored = {r[0] for r in self._in_query("SELECT id FROM pages WHERE id IN", orphans)}
                    missing = [pid for pid in orphans if pid not in stored]
                    if missing:
                        raise StoreError(
                            f"{len(missing)} page id(s) of the batch's articles are neither in "
                            f"the batch nor stored, e.g. {missing[0]}"
                        )

                cur = conn.executemany(
                    _INSERT_PAGE,
                    [
                        (p.page_id, p.hash, p.source, p.url, p.kind, p.encoding,
                         len(by_page.get(p.page_id, ())), now)
                        for p in new_pages
                    ],
                )  # fmt: skip
                if cur.rowcount != len(new_pages):
                    raise StoreError(
                        "page id collision: two different page hashes share the same "
                        "16-character page id; the batch was not stored"
                    )
                result.pages_added = len(new_pages)

                seq = conn.execute("SELECT COALESCE(MAX(ingested_seq), 0) FROM articles").fetchone()[0]
                rows = []
                stored: list[tuple[int, Article]] = []
                for page in new_pages:
                    for article in sorted(by_page.get(page.page_id, ()), key=lambda a: a.position):
                        seq += 1
                        rows.append(_article_row(article, seq))
                        stored.append((seq, article))
                if rows:
                    conn.executemany(_INSERT_ARTICLE, rows)
                    # same transaction: the search index never lags behind the articles
                    sqlite_search.index_articles(conn, stored)
                result.articles_added = len(rows)
                if enrichments:
                    stored_ids = {r[0] for r in rows}
                    enrich.write_enrichments(conn, [e for e in enrichments if e.article_id in stored_ids])
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        except sqlite3.IntegrityError as exc:
            raise StoreError(
                f"{self.path}: batch rejected, nothing stored: {exc} (duplicate article "
                f"position on a page, or an article id collision)"
            ) from exc
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: batch not stored: {exc}") from exc
        return result

    # -- reading --------------------------------------------------------------

    def _in_query(self, sql_prefix: str, values: list[str]) -> list[tuple]:
        out: list[tuple] = []
        conn = self.connection
        for i in range(0, len(values), _IN_CHUNK):
            chunk = values[i : i + _IN_CHUNK]
            out.extend(conn.execute(f"{sql_prefix} ({', '.join('?' * len(chunk))})", chunk).fetchall())
        return out

    def _known_hashes(self, hashes: Iterable[str]) -> set[str]:
        values = list(dict.fromkeys(hashes))
        return {r[0] for r in self._in_query("SELECT hash FROM pages WHERE hash IN", values)}

    def has_page(self, page_hash: str) -> bool:
        return bool(self._query("SELECT 1 FROM pages WHERE hash = ?", (page_hash,)))

    def known_hashes(self, hashes: Iterable[str]) -> set[str]:
        try:
            return self._known_hashes(hashes)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: {exc}") from exc

    def _resolve_prefix(self, table: str, ident: str) -> str | None:
        ident = ident.strip().lower()
        if not ident:
            return None
        if self._query(f"SELECT 1 FROM {table} WHERE id = ?", (ident,)):
            return ident
        if len(ident) < MIN_PREFIX:
            return None
        rows = self._query(
            f"SELECT id FROM {table} WHERE id >= ? AND id < ? ORDER BY id LIMIT 3",
            (ident, _prefix_upper(ident)),
        )
        if len(rows) > 1:
            shown = ", ".join(r[0] for r in rows[:2])
            raise StoreError(f"id prefix {ident!r} is ambiguous: matches {shown}, ...; give more characters")
        return rows[0][0] if rows else None

    def get_article(self, article_id: str) -> Article | None:
        found = self._resolve_prefix("articles", article_id)
        if found is None:
            return None
        rows = self._query(f"{_SELECT_ARTICLES} WHERE id = ?", (found,))
        return _row_article(rows[0]) if rows else None

    def iter_articles(
        self, *, limit: int | None = None, offset: int = 0, order: str = "published"
    ) -> Iterator[Article]:
        if order not in ORDERS:
            raise StoreError(f"order must be one of {', '.join(ORDERS)}, not {order!r}")
        if (limit is not None and limit < 0) or offset < 0:
            raise StoreError("limit and offset must be >= 0")
        return self._iter_articles(-1 if limit is None else limit, offset, _ORDER_SQL[order])

    def _iter_articles(self, limit: int, offset: int, order_sql: str) -> Iterator[Article]:
        # A generator: rows are fetched in chunks while the caller consumes them,
        # so exporting a large database does not load it into memory.
        try:
            cur = self.connection.execute(f"{_SELECT_ARTICLES} {order_sql} LIMIT ? OFFSET ?", (limit, offset))
            try:
                while rows := cur.fetchmany(500):
                    for row in rows:
                        yield _row_article(row)
            finally:
                cur.close()
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: {exc}") from exc

    def count_articles(self) -> int:
        return int(self._query("SELECT COUNT(*) FROM articles")[0][0])

    def count_pages(self) -> int:
        return int(self._query("SELECT COUNT(*) FROM pages")[0][0])

    def get_page(self, page_id: str) -> dict[str, Any] | None:
        ident = page_id.strip().lower()
        if len(ident) > 16:  # a full content hash
            rows = self._query(f"SELECT {', '.join(_PAGE_COLUMNS)} FROM pages WHERE hash = ?", (ident,))
        else:
            found = self._resolve_prefix("pages", ident)
            if found is None:
                return None
            rows = self._query(f"SELECT {', '.join(_PAGE_COLUMNS)} FROM pages WHERE id = ?", (found,))
        return dict(zip(_PAGE_COLUMNS, rows[0])) if rows else None

    def schema_version(self) -> int:
        return current_version(self.connection)

    def stats(self) -> dict[str, Any]:
        first, last = self._query(
            "SELECT MIN(published), MAX(published) FROM articles WHERE published IS NOT NULL"
        )[0]
        per_outlet = self._query(
            "SELECT outlet, COUNT(*) AS n FROM articles GROUP BY outlet ORDER BY n DESC, outlet"
        )
        named = {outlet: n for outlet, n in per_outlet if outlet is not None}
        return {
            "db": self.path,
            "schema_version": self.schema_version(),
            "pages": self.count_pages(),
            "articles": self.count_articles(),
            "outlets": len(named),
            "first_published": first,
            "last_published": last,
            "per_outlet": named,  # outlet -> article count, largest first
            "no_outlet": sum(n for outlet, n in per_outlet if outlet is None),
            "undated": int(self._query("SELECT COUNT(*) FROM articles WHERE published IS NULL")[0][0]),
        }

    # -- enrichment -------------------------------------------------------------

    def _read(self, fn, *args, **kwargs):
        try:
            return fn(self.connection, *args, **kwargs)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: {exc}") from exc

    # -- stories ----------------------------------------------------------------

    def _write(self, fn, *args) -> None:
        conn = self.connection
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                fn(conn, *args)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: {exc}") from exc

    def unclustered_article_ids(self) -> list[str]:
        return self._read(stories.unclustered_article_ids)

    def count_stories(self) -> int:
        return self._read(stories.count)

    # -- browsing (rasd/store/sqlite_browse.py) ---------------------------------------

    # -- search (rasd/store/sqlite_search.py) ----------------------------------------

    def close(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            conn.close()
