"""CLI command for the Spark batch pipeline (registered by rasd.cli).

    rasd spark run INPUT... OUTPUT [--master local[*]] [--db URL] [--stages ...] [--span-days 7]
"""
from __future__ import annotations

import argparse
import sys

from rasd.pipeline import parse_stages
from rasd.store import StoreError


def register(sub, add_db) -> None:
    p = sub.add_parser("spark", help="batch pipeline on Spark: inputs → Parquet tables (pip install rasd[spark])")
    spark_sub = p.add_subparsers(dest="spark_command", required=True, metavar="SUBCOMMAND")
    r = spark_sub.add_parser("run", help="extract, enrich and cluster INPUT into Parquet tables under OUTPUT")
    r.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="directories of pages, .txt/.html/.json/.jsonl/.csv/.zip files, Parquet files or directories")
    r.add_argument("output", metavar="OUTPUT", help="directory for the Parquet tables (overwritten)")
    r.add_argument("--master", default="local[*]",
                   help="Spark master (default: %(default)s; 'none' leaves it to spark-submit)")
    r.add_argument("--db", default=None,
                   help="also load the results into this store (SQLite path/URL or postgresql://...; default: none)")
    r.add_argument("--stages", default="all", help="extract,enrich,stories (default: all)")
    r.add_argument("--span-days", type=float, default=None, help="days per story-clustering task (default: 7)")
    r.add_argument("--partitions", type=int, default=None, help="spark.sql.shuffle.partitions for a new session")
    r.set_defaults(func=cmd_spark_run)


def cmd_spark_run(args: argparse.Namespace) -> int:
    from rasd import spark

    try:
        stages = parse_stages(args.stages)
    except ValueError as exc:
        print(f"rasd spark run: error: {exc}", file=sys.stderr)
        return 2
    try:
        spark.require_pyspark()
    except ImportError as exc:
        print(f"rasd spark run: error: {exc}", file=sys.stderr)
        return 2
    from rasd.spark.job import session
    from rasd.spark.stories import DEFAULT_SPAN_DAYS

    master = None if args.master.lower() == "none" else args.master
    ss = session(master, shuffle_partitions=args.partitions)
    ss.sparkContext.setLogLevel("WARN")
    try:
        summary = spark.run(args.inputs, args.output, master, args.db, stages=stages, spark=ss,
                            span_days=args.span_days or DEFAULT_SPAN_DAYS)
    except (ValueError, StoreError) as exc:
        print(f"rasd spark run: error: {exc}", file=sys.stderr)
        return 2
    print(summary.line())
    for name, n in summary.counts.items():
        print(f"  {name}: {n} rows")
    return 0 if summary.articles or not summary.errors else 1
