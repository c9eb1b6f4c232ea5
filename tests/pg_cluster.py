"""The PostgreSQL server the tests use (imported by tests/conftest.py).

`RASD_TEST_PG` (a url to a server where the user may CREATE DATABASE, e.g.
postgresql://postgres@/postgres?host=/tmp/rasd-pg-0) is used when set. Otherwise a
throwaway cluster is started with scripts/pg-test-cluster.sh on a temp dir and a
unix socket (as root it runs as the "postgres" user), and stopped at the end of the
session. When neither works the PostgreSQL variants skip with the reason, except
under CI=true, where they fail.
"""
from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "pg-test-cluster.sh"
TEMPLATE = "rasd_test_template"


def with_database(url: str, name: str) -> str:
    """`url` pointing at database `name` (query parameters such as host= kept)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def _binaries_available() -> str | None:
    """None when a cluster can be started here, else why not."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install 'rasd[postgresql]')"
    have = shutil.which("initdb") and shutil.which("pg_ctl")
    if not have and not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        return "PostgreSQL is not installed (initdb/pg_ctl not found; apt-get install postgresql)"
    if os.geteuid() == 0:
        if not shutil.which("runuser"):
            return "running as root without runuser (initdb refuses root)"
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root without a 'postgres' user (initdb refuses root)"
    return None


class PgServer:
    """A server for the tests: fresh databases cloned from a migrated template."""

    def __init__(self) -> None:
        self.url: str | None = None
        self.dir: str | None = None
        self.skip_reason: str | None = None
        self._names = itertools.count()

    def start(self) -> None:
        url = os.environ.get("RASD_TEST_PG", "").strip()
        if not url:
            reason = _binaries_available()
            if reason:
                self.skip_reason = reason
                return
            # a short path: the socket's must stay under 108 bytes, and postgres must reach it
            self.dir = tempfile.mkdtemp(prefix="rasd-pg-", dir="/tmp" if os.path.isdir("/tmp") else None)
            proc = subprocess.run(["sh", str(SCRIPT), "start", self.dir], capture_output=True, text=True, timeout=120)
            if proc.returncode != 0:
                self.skip_reason = f"could not start a PostgreSQL test cluster: {proc.stderr.strip()[-500:]}"
                self.stop()
                return
            url = proc.stdout.strip().splitlines()[-1]
        self.url = url
        try:
            self._make_template()
        except Exception as exc:  # noqa: BLE001 - reported as the skip reason
            from rasd.store.postgres import redact

            self.skip_reason = f"PostgreSQL at {redact(url)} is not usable: {exc}"
            self.url = None

    def _admin(self):
        import psycopg

        return psycopg.connect(self.url, autocommit=True, connect_timeout=10)

    def _make_template(self) -> None:
        from rasd.store.postgres import PostgresStore

        with self._admin() as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {TEMPLATE} ENCODING 'UTF8' TEMPLATE template0")
        PostgresStore(with_database(self.url, TEMPLATE)).close()

    def new_database(self) -> str:
        """A fresh, migrated, empty database; returns its url."""
        name = f"rasd_test_{os.getpid()}_{next(self._names)}"
        import psycopg

        with self._admin() as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            try:  # FILE_COPY (PostgreSQL 15+) is faster than WAL_LOG for a small template
                conn.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE} STRATEGY FILE_COPY")
            except psycopg.errors.SyntaxError:
                conn.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
        return with_database(self.url, name)

    def drop_database(self, url: str) -> None:
        name = urlsplit(url).path.lstrip("/")
        try:
            with self._admin() as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        except Exception:  # noqa: BLE001 - a leftover database in a throwaway cluster
            pass

    def stop(self) -> None:
        if self.dir:
            subprocess.run(["sh", str(SCRIPT), "stop", self.dir], capture_output=True, timeout=60)
            self.dir = None
        elif self.url:
            try:
                with self._admin() as conn:
                    conn.execute(f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)")
            except Exception:  # noqa: BLE001
                pass
