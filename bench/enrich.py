"""Enrichment benchmark: NER + entity linking + quotes over SaudiNewsNet.

Articles are extracted first (not timed), then enriched with N worker
processes (default: all cores). Prints articles/s, tokens/s and what was found.

    python bench/enrich.py [--data ../shared/data/saudinewsnet] [--workers 2] [--limit N]
"""
from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rasd.enrich.stage import enrich_articles, load_resources  # noqa: E402
from rasd.ingest import iter_pages  # noqa: E402
from rasd.pipeline import extract_batch  # noqa: E402
from rasd.records import RawPage  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "saudinewsnet"
CHUNK = 200


def _enrich_chunk(articles) -> tuple[int, int, int]:
    enrichments = enrich_articles(articles, load_resources())
    return len(articles), sum(len(e.mentions) for e in enrichments), sum(len(e.quotes) for e in enrichments)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--limit", type=int, default=0, help="articles to enrich (0 = all)")
    args = parser.parse_args()
    if not args.data.exists():
        print(f"skip: {args.data} not found (the SaudiNewsNet zips live in ../shared/data/saudinewsnet)")
        return 0
    pages = [p for p in iter_pages([args.data]) if isinstance(p, RawPage)]
    _, articles, _ = extract_batch(pages)
    if args.limit:
        articles = articles[: args.limit]
    tokens = sum(len(a.body.split()) for a in articles)
    chunks = [articles[i : i + CHUNK] for i in range(0, len(articles), CHUNK)]
    load_resources()  # loaded before the fork: workers share it
    start = time.perf_counter()
    if args.workers > 1:
        with ProcessPoolExecutor(args.workers) as pool:
            results = list(pool.map(_enrich_chunk, chunks))
    else:
        results = [_enrich_chunk(c) for c in chunks]
    elapsed = time.perf_counter() - start
    n = sum(r[0] for r in results)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"articles: {n}, words: {tokens:,} ({tokens / max(n, 1):.0f} per article), workers: {args.workers}")
    print(f"mentions: {sum(r[1] for r in results):,}, quotes: {sum(r[2] for r in results):,}")
    print(f"time: {elapsed:.1f} s")
    print(f"throughput: {n / elapsed:,.0f} articles/s, {tokens / elapsed:,.0f} words/s")
    peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    print(f"peak memory (largest process): {peak / 1024:,.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
