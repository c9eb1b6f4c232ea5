"""Article storage: `open_store(url)` returns a `Store` (SQLite or PostgreSQL).

    with open_store("sqlite:///data/rasd.db") as store:
        store.add_batch(pages, articles)

URL resolution: the `url` argument, else the RASD_DB environment variable,
else "./rasd.db". Accepted forms:

* a plain path ("rasd.db", "/data/rasd.db", "~/rasd.db") or ":memory:"
* "sqlite:///relative/path.db", "sqlite:////absolute/path.db" (SQLAlchemy
  style), "sqlite:///:memory:" or "sqlite://" (in memory)
* "postgresql://user:password@host:port/dbname" (also "postgres://", and libpq
  parameters such as "postgresql://postgres@/rasd?host=/tmp/sock" for a unix
  socket): the PostgreSQL backend (rasd/store/postgres.py; needs
  `pip install 'rasd[postgresql]'`).
"""
from __future__ import annotations

import os

from rasd.store.base import BatchResult, SearchHit, SearchQuery, SearchResult, Store, StoreError
from rasd.store.sqlite import SQLiteStore

DEFAULT_DB = "rasd.db"
ENV_VAR = "RASD_DB"

__all__ = [
    "BatchResult", "DEFAULT_DB", "SearchHit", "SearchQuery", "SearchResult", "ENV_VAR", "SQLiteStore", "Store", "StoreError",
    "open_store", "resolve_url",
]  # fmt: skip


def resolve_url(url: str | os.PathLike[str] | None = None) -> tuple[str, str]:
    """(backend, target) for a db url: ("sqlite", path-or-":memory:") or ("postgresql", url)."""
    if url is None or str(url).strip() == "":
        url = os.environ.get(ENV_VAR, "").strip() or os.path.join(".", DEFAULT_DB)
    url = os.fspath(url)
    if "://" not in url:
        return "sqlite", url
    scheme, _, rest = url.partition("://")
    scheme = scheme.lower()
    if scheme == "sqlite":
        # SQLAlchemy convention: sqlite:///rel.db is relative, sqlite:////abs.db absolute.
        if rest in ("", "/", "/:memory:"):
            return "sqlite", ":memory:"
        if not rest.startswith("/"):
            raise StoreError(f"bad SQLite url {url!r}: use sqlite:///relative.db or sqlite:////absolute.db")
        return "sqlite", rest[1:]
    if scheme in ("postgresql", "postgres") or scheme.startswith("postgresql+"):
        return "postgresql", url
    raise StoreError(f"unsupported database url {url!r}: use a file path, sqlite:///path or postgresql://...")


def open_store(url: str | os.PathLike[str] | None = None) -> Store:
    """Open (creating and migrating if needed) the store at `url`; see module doc."""
    backend, target = resolve_url(url)
    if backend == "postgresql":
        from rasd.store.postgres import PostgresStore

        return PostgresStore(target)
    return SQLiteStore(target)
