"""Helpers shared by the API and browser tests (imported as `serving`): the sample corpus
ingested into a database, and `python -m rasd serve` run for real on a free local port."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SAMPLE = REPO_ROOT / "rasd" / "data" / "sample"


def ingest_sample(path: Path) -> Path:
    """rasd/data/sample ingested with every stage (extract, enrich, stories) into `path`."""
    from rasd.pipeline import run_ingest
    from rasd.store import open_store

    with open_store(path) as store:
        summary = run_ingest([SAMPLE], store, workers=1)
    assert summary.articles > 40
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served(db: Path, log_path: Path, port: int | None = None, timeout: float = 60.0) -> Iterator[str]:
    """Run `python -m rasd serve --db DB` until the block ends; yields its base URL once
    /api/stories answers. Output goes to `log_path` (shown when it does not come up)."""
    port = port or free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "RASD_API_KEY": "", "PYTHONUNBUFFERED": "1"}
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "rasd", "serve", "--db", str(db), "--port", str(port)],
            stdout=log, stderr=subprocess.STDOUT, env=env, cwd=REPO_ROOT,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/api/stories?limit=1", timeout=5) as r:
                        if r.status == 200:
                            break
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"rasd serve did not come up on {base}:\n{log_path.read_text()}")
                time.sleep(0.2)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
