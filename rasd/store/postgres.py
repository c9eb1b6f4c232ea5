"""PostgreSQL backend (psycopg 3): `open_store("postgresql://user@host/db")` or `RASD_DB`.

Same semantics as the SQLite store (rasd/store/base.py), and safe with several
processes on one database (two `rasd ingest` runs plus API readers):

* `add_batch` is one transaction. Pages are inserted with
  `INSERT ... ON CONFLICT (hash) DO NOTHING RETURNING hash`: a page another process
  is storing at the same moment waits for that transaction and is then skipped, so a
  page (and so its articles, whose ids derive from the page) is stored exactly once.
  Rows are written in a fixed order (sorted hashes and keys); a deadlock PostgreSQL
  still detects between two batches rolls the batch back and it is retried.
* `ingested_seq` comes from an identity column (a sequence), not MAX()+1.
* The story stage is serialised across processes by `story_lock()` (a session-level
  advisory lock) and `story_state_version()` (a counter bumped with every saved
  clusterer state): see rasd/stories/stage.py.

Search: PostgreSQL full-text search (rasd/store/postgres_search.py).
"""
from __future__ import annotations

import contextlib
import json
import re
import time
from collections import defaultdict
from datetime import datetime, timezone
from typing import Any, Iterable, Iterator

from rasd.records import Article, Enrichment, RawPage
from rasd.search.fold import search_text
from rasd.store import postgres_queries as pq
from rasd.store import postgres_search
from rasd.store.delegating import QueryModuleStore
from rasd.store.base import ORDERS, BatchResult, StoreError
from rasd.store.postgres_schema import POSTGRES_MIGRATIONS, PgMigration, current_version, migrate

try:  # optional dependency: pip install rasd[postgresql]
    import psycopg
    from psycopg import errors as pg_errors
except ImportError:  # pragma: no cover - depends on the environment
    psycopg = None
    pg_errors = None

MIN_PREFIX = 4
STORY_LOCK = 0x7261_7364_0002  # advisory lock key of the story stage ("rasd" + 2)
CONNECT_TIMEOUT_S = 10
BATCH_RETRIES = 5
_LIST_FIELDS = ("agencies", "tags", "related", "removed")
ARTICLE_COLUMNS = (
    "id", "page_id", "position", "title", "published", "published_raw", "outlet", "author",
    "section", "dateline", "language", "url", "source", "body",
    "agencies", "tags", "related", "removed",
)  # fmt: skip
_SCALAR_COLUMNS = ARTICLE_COLUMNS[: -len(_LIST_FIELDS)]
_SELECT_ARTICLES = f"SELECT {', '.join(ARTICLE_COLUMNS)} FROM articles"
_INSERT_ARTICLE = (
    f"INSERT INTO articles ({', '.join(ARTICLE_COLUMNS)}, search) "
    f"VALUES ({', '.join(['%s'] * len(ARTICLE_COLUMNS))}, {postgres_search.TSVECTOR_SQL})"
)
_PAGE_COLUMNS = ("id", "hash", "source", "url", "kind", "encoding", "n_articles", "ingested_at")
_ORDER_SQL = {
    "published": "ORDER BY published DESC NULLS LAST, ingested_seq",
    "ingested": "ORDER BY ingested_seq",
}


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _article_row(article: Article) -> tuple:
    row: list[Any] = [getattr(article, c) for c in _SCALAR_COLUMNS]
    for name in _LIST_FIELDS:
        items = getattr(article, name) or []
        row.append(_dumps([item if isinstance(item, (str, dict)) else dict(vars(item)) for item in items]))
    row.extend(search_text(article))
    return tuple(row)


def _row_article(row: tuple) -> Article:
    data = dict(zip(ARTICLE_COLUMNS, row))
    for name in _LIST_FIELDS:
        data[name] = json.loads(data[name]) if data[name] else []
    return Article.from_dict(data)


def redact(url: str) -> str:
    """The url without its password, for messages."""
    return re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", url)


class PostgresStore(QueryModuleStore):
    """Store backed by a PostgreSQL database (created tables are migrated at open)."""

    _enrich_q = _stories_q = _browse_q = pq
    _search_q = postgres_search

    def __init__(self, url: str, *, migrations: list[PgMigration] = POSTGRES_MIGRATIONS) -> None:
        if psycopg is None:
            raise StoreError(
                "the PostgreSQL backend needs the psycopg driver: pip install 'rasd[postgresql]' "
                "(or pip install 'psycopg[binary]')"
            )
        self.url = url
        self.where = f"database {redact(url)}"
        self._conn = None
        conninfo = re.sub(r"^postgres(ql)?\+[a-z0-9]+://", "postgresql://", url)
        if conninfo.startswith("postgres://"):
            conninfo = "postgresql://" + conninfo[len("postgres://"):]
        self._conninfo = conninfo
        try:
            conn = psycopg.connect(conninfo, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to PostgreSQL {self.where}: {str(exc).strip()}") from exc
        try:
            encoding = conn.execute("SHOW server_encoding").fetchone()[0]
            if encoding.upper() not in ("UTF8", "UTF-8"):
                raise StoreError(f"{self.where} has encoding {encoding}; rasd needs a UTF8 database")
            self.applied_migrations = migrate(conn, migrations, where=self.where)
        except psycopg.Error as exc:
            conn.close()
            raise StoreError(f"cannot open {self.where}: {str(exc).strip()} (is it a rasd database?)") from exc
        except BaseException:
            conn.close()
            raise
        self._conn = conn
        self._story_locks = 0

    # -- plumbing -------------------------------------------------------------

    @property
    def connection(self):
        """The raw psycopg connection (autocommit mode)."""
        if self._conn is None:
            raise StoreError(f"{self.where} is closed")
        return self._conn

    def __repr__(self) -> str:
        return f"PostgresStore({redact(self.url)!r})"

    def _read(self, fn, *args, **kwargs):
        try:
            return fn(self.connection, *args, **kwargs)
        except psycopg.Error as exc:
            raise StoreError(f"{self.where}: {str(exc).strip()}") from exc

    def _write(self, fn, *args) -> Any:
        conn = self.connection
        try:
            with conn.transaction():
                return fn(conn, *args)
        except psycopg.Error as exc:
            raise StoreError(f"{self.where}: {str(exc).strip()}") from exc

    def _query(self, sql: str, params: Iterable[Any] = ()) -> list[tuple]:
        return self._read(lambda conn: conn.execute(sql, tuple(params)).fetchall())

    def schema_version(self) -> int:
        return self._read(current_version)

    # -- writing --------------------------------------------------------------

    def add_batch(
        self, pages: list[RawPage], articles: list[Article], enrichments: list[Enrichment] | None = None
    ) -> BatchResult:
        if not pages and not articles:
            return BatchResult()
        for attempt in range(BATCH_RETRIES):
            try:
                return self._write(self._add_batch, pages, articles, enrichments)
            except StoreError as exc:
                cause = exc.__cause__
                retry = isinstance(cause, (pg_errors.DeadlockDetected, pg_errors.SerializationFailure))
                if not retry or attempt == BATCH_RETRIES - 1:
                    if isinstance(cause, pg_errors.UniqueViolation):
                        raise StoreError(
                            f"{self.where}: batch rejected, nothing stored: {str(cause).strip()} (page id "
                            "collision: two different page hashes share the same 16-character page id, a "
                            "duplicate article position on a page, or an article id collision)"
                        ) from cause
                    if isinstance(cause, pg_errors.ForeignKeyViolation):
                        raise StoreError(f"{self.where}: batch not stored: {str(cause).strip()}") from cause
                    raise
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")

    def _add_batch(self, conn, pages: list[RawPage], articles: list[Article],
                   enrichments: list[Enrichment] | None) -> BatchResult:
        result = BatchResult()
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
        orphans = [pid for pid in by_page if pid not in batch_ids]
        if orphans:
            stored = {r[0] for r in conn.execute("SELECT id FROM pages WHERE id = ANY(%s)", (orphans,)).fetchall()}
            missing = [pid for pid in orphans if pid not in stored]
            if missing:
                raise StoreError(
                    f"{len(missing)} page id(s) of the batch's articles are neither in "
                    f"the batch nor stored, e.g. {missing[0]}"
                )
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        ordered = sorted(unique.values(), key=lambda p: p.hash)  # a fixed lock order across processes
        inserted: set[str] = set()
        if ordered:
            cols = list(zip(*[
                (p.page_id, p.hash, p.source, p.url, p.kind, p.encoding, len(by_page.get(p.page_id, ())), now)
                for p in ordered
            ]))  # fmt: skip
            rows = conn.execute(
                "INSERT INTO pages (id, hash, source, url, kind, encoding, n_articles, ingested_at) "
                "SELECT * FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[], "
                "%s::int[], %s::text[]) ON CONFLICT (hash) DO NOTHING RETURNING hash",
                [list(c) for c in cols],
            ).fetchall()
            inserted = {r[0] for r in rows}
        new_pages = [p for h, p in unique.items() if h in inserted]  # batch order
        result.pages_skipped += len(unique) - len(new_pages)
        result.pages_added = len(new_pages)
        rows = [
            _article_row(article)
            for page in new_pages
            for article in sorted(by_page.get(page.page_id, ()), key=lambda a: a.position)
        ]
        if rows:
            with conn.cursor() as cur:
                cur.executemany(_INSERT_ARTICLE, rows)
        result.articles_added = len(rows)
        if enrichments and rows:
            stored_ids = {r[0] for r in rows}
            pq.write_enrichments(conn, [e for e in enrichments if e.article_id in stored_ids])
        return result

    # -- reading --------------------------------------------------------------

    def has_page(self, page_hash: str) -> bool:
        return bool(self._query("SELECT 1 FROM pages WHERE hash = %s", (page_hash,)))

    def known_hashes(self, hashes: Iterable[str]) -> set[str]:
        values = list(dict.fromkeys(hashes))
        if not values:
            return set()
        return {r[0] for r in self._query("SELECT hash FROM pages WHERE hash = ANY(%s)", (values,))}

    def _resolve_prefix(self, table: str, ident: str) -> str | None:
        ident = ident.strip().lower()
        if not ident:
            return None
        if self._query(f"SELECT 1 FROM {table} WHERE id = %s", (ident,)):
            return ident
        if len(ident) < MIN_PREFIX:
            return None
        upper = ident[:-1] + chr(ord(ident[-1]) + 1)
        rows = self._query(f"SELECT id FROM {table} WHERE id >= %s AND id < %s ORDER BY id LIMIT 3", (ident, upper))
        if len(rows) > 1:
            shown = ", ".join(r[0] for r in rows[:2])
            raise StoreError(f"id prefix {ident!r} is ambiguous: matches {shown}, ...; give more characters")
        return rows[0][0] if rows else None

    def get_article(self, article_id: str) -> Article | None:
        found = self._resolve_prefix("articles", article_id)
        if found is None:
            return None
        rows = self._query(f"{_SELECT_ARTICLES} WHERE id = %s", (found,))
        return _row_article(rows[0]) if rows else None

    def iter_articles(self, *, limit: int | None = None, offset: int = 0, order: str = "published") -> Iterator[Article]:
        if order not in ORDERS:
            raise StoreError(f"order must be one of {', '.join(ORDERS)}, not {order!r}")
        if (limit is not None and limit < 0) or offset < 0:
            raise StoreError("limit and offset must be >= 0")
        return self._iter_articles(limit, offset, _ORDER_SQL[order])

    def _iter_articles(self, limit: int | None, offset: int, order_sql: str) -> Iterator[Article]:
        # A server-side cursor on a connection of its own, read in chunks while the caller
        # consumes them: exporting millions of articles needs neither the memory nor an
        # OFFSET per chunk, and the caller may use the store meanwhile (export reads each
        # article's entities and story as it goes).
        self.connection  # noqa: B018 - raises StoreError when the store is closed
        try:
            with psycopg.connect(self._conninfo, connect_timeout=CONNECT_TIMEOUT_S) as conn:
                with conn.cursor(name="rasd_iter_articles") as cur:
                    cur.itersize = 500
                    cur.execute(f"{_SELECT_ARTICLES} {order_sql} LIMIT %s OFFSET %s", (limit, offset))
                    for row in cur:
                        yield _row_article(row)
        except psycopg.Error as exc:
            raise StoreError(f"{self.where}: {str(exc).strip()}") from exc

    def count_articles(self) -> int:
        return int(self._query("SELECT COUNT(*) FROM articles")[0][0])

    def count_pages(self) -> int:
        return int(self._query("SELECT COUNT(*) FROM pages")[0][0])

    def get_page(self, page_id: str) -> dict[str, Any] | None:
        ident = page_id.strip().lower()
        cols = ", ".join(_PAGE_COLUMNS)
        if len(ident) > 16:
            rows = self._query(f"SELECT {cols} FROM pages WHERE hash = %s", (ident,))
        else:
            found = self._resolve_prefix("pages", ident)
            if found is None:
                return None
            rows = self._query(f"SELECT {cols} FROM pages WHERE id = %s", (found,))
        return dict(zip(_PAGE_COLUMNS, rows[0])) if rows else None

    def stats(self) -> dict[str, Any]:
        first, last = self._query("SELECT MIN(published), MAX(published) FROM articles WHERE published IS NOT NULL")[0]
        per_outlet = self._query("SELECT outlet, COUNT(*) AS n FROM articles GROUP BY outlet ORDER BY n DESC, outlet")
        named = {outlet: int(n) for outlet, n in per_outlet if outlet is not None}
        return {
            "db": redact(self.url),
            "schema_version": self.schema_version(),
            "pages": self.count_pages(),
            "articles": self.count_articles(),
            "outlets": len(named),
            "first_published": first,
            "last_published": last,
            "per_outlet": named,
            "no_outlet": sum(int(n) for outlet, n in per_outlet if outlet is None),
            "undated": int(self._query("SELECT COUNT(*) FROM articles WHERE published IS NULL")[0][0]),
        }

    # -- enrichment -------------------------------------------------------------

    # -- stories ----------------------------------------------------------------

    def unclustered_article_ids(self) -> list[str]:
        return [i for i, _ in self._read(pq.unclustered_article_times)]

    def count_stories(self) -> int:
        return int(self._query("SELECT COUNT(*) FROM stories")[0][0])

    @contextlib.contextmanager
    def story_lock(self) -> Iterator[None]:
        """Session-level advisory lock: one process at a time clusters and saves stories.
        Re-entrant within a process; released when the connection ends (a killed process
        never leaves it held)."""
        if self._story_locks == 0:
            self._read(lambda conn: conn.execute("SELECT pg_advisory_lock(%s)", (STORY_LOCK,)))
        self._story_locks += 1
        try:
            yield
        finally:
            self._story_locks -= 1
            if self._story_locks == 0 and self._conn is not None and not self._conn.closed:
                with contextlib.suppress(psycopg.Error):
                    self._conn.execute("SELECT pg_advisory_unlock(%s)", (STORY_LOCK,))

    def story_state_version(self) -> int | None:
        return self._read(pq.state_version)

    # -- browsing ----------------------------------------------------------------

    # -- search -----------------------------------------------------------------------

    def close(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            conn.close()
