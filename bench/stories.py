"""Stories benchmark: SaudiNewsNet (31,030 articles, July–August 2015) through the
whole pipeline (ingest → extract → enrich → stories) into a fresh SQLite database.

Prints articles/s for the whole pipeline (with the CPU per article of the main
process and of the workers), for a full re-cluster, and for clustering alone (the
near-duplicate index and the online clusterer over prepared articles: CPU time of
a one-process re-cluster, so nothing else shares the cores), peak memory,
the number of stories and the story-size distribution, and writes the 20
largest stories (headline, outlets, sizes) to bench/out/largest_stories.txt.

    python bench/stories.py [--data ../shared/data/saudinewsnet] [--workers 2] [--skip-alone]
"""
from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rasd.pipeline import parse_stages, run_ingest  # noqa: E402
from rasd.store import open_store  # noqa: E402
from rasd.stories.stage import rebuild  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "saudinewsnet"
OUT = Path(__file__).resolve().parent / "out"


def size_histogram(sizes: list[int]) -> str:
    buckets = [(1, 1), (2, 2), (3, 5), (6, 10), (11, 20), (21, 50), (51, 100), (101, 10**9)]
    parts = []
    for lo, hi in buckets:
        n = sum(1 for s in sizes if lo <= s <= hi)
        label = f"{lo}" if lo == hi else (f"{lo}+" if hi == 10**9 else f"{lo}-{hi}")
        parts.append(f"{label}: {n}")
    return ", ".join(parts)


def _cpu() -> tuple[float, float]:
    """CPU seconds of this process and of its finished children (the pool's workers)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def _peaks() -> tuple[float, float]:
    """Peak resident MB so far of this process and of its largest finished child."""
    return (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--skip-alone", action="store_true", help="skip the one-process clustering-alone run (~3 min)")
    args = parser.parse_args()
    if not args.data.exists():
        print(f"skip: {args.data} not found (the SaudiNewsNet zips live in ../shared/data/saudinewsnet)")
        return 0
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "bench.db")
        start = time.perf_counter()
        cpu0 = _cpu()
        with open_store(db) as store:
            summary = run_ingest([args.data], store, stages=parse_stages("all"), workers=args.workers)
        whole = time.perf_counter() - start
        cpu_main, cpu_workers = (b - a for a, b in zip(cpu0, _cpu()))
        peak_ingest = _peaks()
        with open_store(db) as store:
            start = time.perf_counter()
            stage, update = rebuild(store, workers=args.workers)
            reclustering = time.perf_counter() - start
            stories = store.iter_stories(limit=None, order="size")
        # Clustering alone: the same re-cluster in one process with nothing else running (the
        # workers' text analysis and record building above share the cores and inflate the
        # clustering process's CPU time); only the near-duplicate index + clusterer CPU counts.
        alone_stage = None
        if not args.skip_alone:
            copy = os.path.join(tmp, "alone.db")
            shutil.copy(db, copy)
            with open_store(copy) as store:
                alone_stage, _ = rebuild(store, workers=1)
    sizes = [len(s.get("articles", [])) for s in stories]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"articles: {summary.articles}, errors: {len(summary.errors)}, workers: {args.workers}")
    print(f"whole pipeline: {whole:.1f} s, {summary.articles / whole:,.0f} articles/s")
    per = 1000 / max(1, summary.articles)
    print(f"  CPU per article: main process {cpu_main * per:.2f} ms (read, store, clustering), "
          f"workers {cpu_workers * per:.2f} ms (extract, enrich, text analysis, story records); "
          f"cores busy {(cpu_main + cpu_workers) / (whole * (os.cpu_count() or 1)):.0%}")
    n = len(update.assignments)
    cpu = stage.cpu
    if alone_stage is not None:
        alone = alone_stage.cpu["cluster"]
        print(f"clustering alone (near-duplicate index + online clusterer over prepared articles, "
              f"one process, nothing else running): {alone:.1f} s CPU, {n / alone:,.0f} articles/s")
    print(f"clustering inside the re-cluster below (CPU of the clustering process while {args.workers} "
          f"workers run beside it): {cpu['cluster']:.1f} s, {n / cpu['cluster']:,.0f} articles/s")
    print(f"recluster end to end (read + text analysis in {args.workers} workers + clustering + lineage + "
          f"story records + save): {reclustering:.1f} s, {n / reclustering:,.0f} articles/s")
    print("recluster main-process CPU by phase: " + ", ".join(f"{k} {v:.1f} s" for k, v in cpu.items()))
    print(f"peak memory, whole pipeline: main process {peak_ingest[0]:,.0f} MB, largest worker {peak_ingest[1]:,.0f} MB; "
          f"after the re-clusters: largest process {max(_peaks()):,.0f} MB")
    print(f"stories: {len(stories)}; multi-article: {sum(1 for s in sizes if s > 1)}; merges: {len(update.merges)}")
    print(f"story sizes: {size_histogram(sizes)}")
    print(f"largest: {Counter(sizes).most_common(1)} … max {max(sizes, default=0)}")
    with open(OUT / "largest_stories.txt", "w", encoding="utf-8") as fh:
        for s in stories[:20]:
            outlets = Counter()
            for o in s.get("outlet_counts", []):
                outlets[o["outlet"]] = o["articles"]
            fh.write(f"{len(s['articles'])} articles, {len(outlets)} outlets, {s.get('first_seen')} → {s.get('last_seen')}\n")
            fh.write(f"  {s.get('headline')}\n")
            fh.write("  " + ", ".join(f"{k} {v}" for k, v in outlets.most_common()) + "\n")
            for t in s.get("timeline", [])[:6]:
                fh.write(f"    - {t.get('outlet')}: {t.get('title')}\n")
            fh.write("\n")
    print(f"20 largest stories written to {OUT / 'largest_stories.txt'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
