"""What a running server shares between requests: the database, the API key, the write lock.

SQLite connections must stay in the thread that opened them, and FastAPI runs
sync endpoints (and their dependencies) in a thread pool, so a connection is
opened per request inside the endpoint (`with server.store() as store:`);
opening costs about half a millisecond. A fresh connection per request also
follows a database file that was replaced (`make demo` rebuilds it).
"""
from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader

from rasd.api.errors import ApiError
from rasd.api.queries import CompareCache
from rasd.store import Store, open_store

API_KEY_HEADER = "X-API-Key"
API_KEY_ENV = "RASD_API_KEY"


@dataclass
class ServerState:
    db: str  # database path, as resolved at start-up
    api_key: str | None = None  # required on write endpoints when set
    max_body_bytes: int = 5_000_000
    ingest_lock: threading.Lock = field(default_factory=threading.Lock)
    compare_cache: CompareCache = field(default_factory=CompareCache)

    def store(self) -> Store:
        """A new store on the server's database; use it as a context manager."""
        return open_store(self.db)


def server(request: Request) -> ServerState:
    return request.app.state.rasd


_api_key_scheme = APIKeyHeader(name=API_KEY_HEADER, auto_error=False, description="needed when the server has a key")


async def require_api_key(request: Request, key: str | None = Depends(_api_key_scheme)) -> None:
    """Write endpoints: the X-API-Key header must match the configured key (when one is)."""
    expected = server(request).api_key
    if not expected:
        return
    if not key:
        raise ApiError(401, f"this endpoint needs an API key: send it in the {API_KEY_HEADER} header")
    if not secrets.compare_digest(key.encode(), expected.encode()):
        raise ApiError(401, f"wrong API key in the {API_KEY_HEADER} header")
