"""Spark benchmark: SaudiNewsNet through `rasd.spark.run` with local[1] and local[2], beside the
single-process pipeline (`rasd.pipeline.run_ingest`, 2 workers) on the same input.

Every run is the whole pipeline (read → extract → enrich → stories); Spark writes its Parquet
tables, the single-process run a SQLite store. Prints articles/s for each, the Spark session
start-up apart, and the BCubed agreement of the story partitions (Spark local[2] vs the
single-process run).

    python bench/spark.py [--data ../shared/data/saudinewsnet] [--limit DAYS] [--masters local[1],local[2]]
                          [--span-days 7]
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rasd.pipeline import parse_stages, run_ingest  # noqa: E402
from rasd.store import open_store  # noqa: E402
from rasd.stories.evaluate import bcubed  # noqa: E402
from rasd.stories.stage import rebuild  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "saudinewsnet"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=0, help="first N daily zips only (0 = all 18)")
    parser.add_argument("--masters", default="local[1],local[2]")
    parser.add_argument("--workers", type=int, default=2, help="single-process run's worker processes")
    parser.add_argument("--span-days", type=float, default=7.0, help="days per story-clustering task (default 7)")
    args = parser.parse_args()
    if not args.data.exists():
        print(f"skip: {args.data} not found (the SaudiNewsNet zips live in ../shared/data/saudinewsnet)")
        return 0
    try:
        import pyspark  # noqa: F401
    except ImportError:
        print("skip: pyspark is not installed (pip install 'rasd[spark]')")
        return 0
    from rasd.spark.job import run, session

    zips = sorted(str(p) for p in args.data.glob("*.zip"))
    if args.limit:
        zips = zips[: args.limit]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"load average at start: {os.getloadavg()[0]:.1f} (other jobs on the machine slow every figure)")
    print(f"input: {len(zips)} SaudiNewsNet daily zips ({Path(zips[0]).stem} … {Path(zips[-1]).stem})")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        with open_store(os.path.join(tmp, "single.db")) as store:
            summary = run_ingest(zips, store, stages=parse_stages("all"), workers=args.workers)
            single_secs = time.perf_counter() - start
            n = summary.articles
            streamed = {a.id: store.article_story(a.id)["story_id"] for a in store.iter_articles(limit=None)}
            print(f"single process ({args.workers} workers, SQLite): {n} articles, {single_secs:.1f} s, "
                  f"{n / single_secs:,.1f} articles/s", flush=True)
            # `rasd ingest` clusters each batch of 500 pages in publication order; a re-cluster (and
            # Spark) takes the whole input in publication order: compare with both
            rebuild(store, workers=args.workers)
            reclustered = {a.id: store.article_story(a.id)["story_id"] for a in store.iter_articles(limit=None)}
        for master in [m.strip() for m in args.masters.split(",") if m.strip()]:
            start = time.perf_counter()
            spark = session(master, app="rasd-bench", shuffle_partitions=4)
            spark.sparkContext.setLogLevel("ERROR")
            boot = time.perf_counter() - start
            out = os.path.join(tmp, "out-" + master.replace("[", "").replace("]", ""))
            start = time.perf_counter()
            result = run(zips, out, spark=spark, span_days=args.span_days)
            secs = time.perf_counter() - start
            results[master] = (result, secs)
            print(f"spark {master}: {result.articles} articles, {secs:.1f} s, {result.articles / secs:,.1f} articles/s "
                  f"(session start {boot:.1f} s not counted; {result.stories} stories, {result.buckets} time buckets)",
                  flush=True)
            import pyarrow.parquet as pq

            rows = pq.read_table(os.path.join(out, "stories"), columns=["article_id", "story_id"]).to_pylist()
            got = {r["article_id"]: r["story_id"] for r in rows}
            print("  wall seconds by step: " + ", ".join(f"{k} {v:.1f}" for k, v in result.phases.items()))
            for label, reference in (("rasd ingest (batch order)", streamed), ("rasd recluster", reclustered)):
                score = bcubed(got, reference)
                print(f"  stories vs single-process {label}: BCubed P {score['precision']:.3f} "
                      f"R {score['recall']:.3f} F1 {score['f1']:.3f} "
                      f"({len(set(got.values()))} vs {len(set(reference.values()))} stories)", flush=True)
            spark.stop()
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
