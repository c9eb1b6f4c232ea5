"""Ingest benchmark: SaudiNewsNet (31,030 articles) → a fresh SQLite database.

Measures ingest + extraction + store (`rasd ingest --stages extract`), prints
articles/s and peak memory (this process and, separately, the largest worker).

    python bench/ingest.py [--data ../shared/data/saudinewsnet] [--workers 2]
"""
from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rasd.pipeline import parse_stages, run_ingest  # noqa: E402
from rasd.store import open_store  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "saudinewsnet"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--stages", default="extract")
    args = parser.parse_args()
    if not args.data.exists():
        print(f"skip: {args.data} not found (the SaudiNewsNet zips live in ../shared/data/saudinewsnet)")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "bench.db")
        start = time.perf_counter()
        with open_store(db) as store:
            summary = run_ingest([args.data], store, stages=parse_stages(args.stages), workers=args.workers)
        elapsed = time.perf_counter() - start
        size_mb = os.path.getsize(db) / 1e6
    self_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"input: {args.data}")
    print(f"stages: {args.stages}, workers: {args.workers}")
    print(f"pages: {summary.pages}, articles: {summary.articles}, skipped: {summary.skipped}, errors: {len(summary.errors)}")
    for err in summary.errors[:5]:
        print(f"  error: {err}")
    print(f"time: {elapsed:.1f} s")
    print(f"throughput: {summary.articles / elapsed:,.0f} articles/s")
    print(f"peak memory: main process {self_mb:,.0f} MB, largest worker {child_mb:,.0f} MB")
    print(f"database size: {size_mb:,.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
