"""The Spark job: inputs → pages → articles → Parquet tables (+ stories), optionally a store.

    from rasd.spark import run
    summary = run("corpus/", "out/", master="local[*]", db="sqlite:///rasd.db")

Steps (each a Spark stage over pandas batches; the Python in the tasks is
`rasd.spark.tasks`, which calls the single-process stage functions):

1. The driver lists the inputs (directories are walked like `rasd ingest`
   does: sorted, hidden and README-like files skipped). Files (.txt, .html,
   .json, .jsonl, .csv, .zip: the SaudiNewsNet daily zips as they are) become
   one row each, read in the tasks by `rasd.ingest.iter_pages`; Parquet files
   are read by Spark and each row becomes a record page (`record_to_page`, the
   JSON/CSV key mapping). Every page gets an ingest order (file, position).
2. Pages with the same content hash are kept once (the earliest), as the
   store does; the rest are counted as skipped.
3. `mapInPandas(process_pages)`: `process_batch` (extract → enrich → search
   folding → story docs) over chunks of pages. The result (articles,
   enrichments, pickled story docs, errors) is written once under
   OUTPUT/_work and read back by the next steps.
4. Tables: articles, entities, mentions, quotes, errors.
5. Stories (see `rasd.spark.stories`): time buckets with context, the online
   clusterer per bucket (`groupBy(bucket).applyInPandas`), the boundary merge
   (a forest resolved on the driver: one edge per story crossing a boundary),
   then lineage and records per story (`groupBy(story_id).applyInPandas`):
   tables stories (assignments) and stories_summary.
6. With `db`: the store's `add_batch` (pages with their articles and
   enrichments, in ingest order) and `save_stories`, for any `open_store` URL.
"""
from __future__ import annotations

import math
import os
import sys
import time
from dataclasses import dataclass, field
from functools import partial

from rasd import settings
from rasd.spark import tasks
from rasd.spark.stories import DEFAULT_SPAN_DAYS, UNDATED_KEEP_DOCS, prefix_frequencies, undated_reach
from rasd.stories.cluster import DEFAULT_WINDOW_DAYS

TABLES = ("articles", "entities", "mentions", "quotes", "stories", "stories_summary", "errors")
PARQUET_SUFFIXES = (".parquet", ".pq")
LOAD_BATCH = 500  # pages per store transaction when loading into a db


@dataclass
class SparkSummary:
    pages: int = 0
    articles: int = 0
    skipped: int = 0  # pages seen twice (same content hash)
    errors: int = 0
    stories: int = 0
    buckets: int = 0
    seconds: float = 0.0
    output: str = ""
    counts: dict[str, int] = field(default_factory=dict)  # rows per table
    phases: dict[str, float] = field(default_factory=dict)  # wall seconds per step

    def line(self) -> str:
        return (f"pages: {self.pages}, articles: {self.articles}, skipped duplicates: {self.skipped}, "
                f"errors: {self.errors}, stories: {self.stories} ({self.buckets} time buckets), "
                f"{self.seconds:.1f} s → {self.output}")


def session(master: str | None = "local[*]", app: str = "rasd", shuffle_partitions: int | None = None):
    """A SparkSession (the active one when there is one). `master=None` leaves it to spark-submit."""
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(app)
    if master:
        builder = builder.master(master)
    builder = (builder.config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.execution.arrow.maxRecordsPerBatch", "1000")
               .config("spark.driver.memory", os.environ.get("RASD_SPARK_DRIVER_MEMORY", "2g")))
    if shuffle_partitions:
        builder = builder.config("spark.sql.shuffle.partitions", str(shuffle_partitions))
    return builder.getOrCreate()


def list_inputs(paths: list[str]) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    """(files, parquet files, errors) as `rasd ingest` would read the paths."""
    from rasd.ingest.walk import _walk

    files: list[str] = []
    parquet: list[str] = []
    errors: list[tuple[str, str]] = []
    for path in paths:
        path = os.fspath(path)
        if os.path.isdir(path):
            skipped: list[str] = []
            found = []
            for entry, _, error in _walk(path, skipped, set()):
                if error is not None:
                    errors.append((error.source, error.reason))
                elif os.path.basename(entry) != "_SUCCESS":  # Spark's marker in Parquet directories
                    found.append(entry)
            if not found:
                errors.append((path, "directory contains no readable files"))
        else:
            found = [path]
        for f in found:
            (parquet if f.lower().endswith(PARQUET_SUFFIXES) else files).append(f)
    return files, parquet, errors


def run(inputs: str | list[str], output: str, master: str | None = "local[*]", db: str | None = None, *,
        stages: tuple[str, ...] | None = None, span_days: float = DEFAULT_SPAN_DAYS,
        window_days: float = DEFAULT_WINDOW_DAYS, partitions: int | None = None,
        max_bytes: int = settings.MAX_BYTES, spark=None, keep_work: bool = False) -> SparkSummary:
    """Run the batch pipeline over `inputs`; Parquet tables under `output` (see the module doc)."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    from rasd.pipeline import KNOWN_STAGES

    started = time.monotonic()
    stages = tuple(stages or KNOWN_STAGES)
    spark = spark or session(master)
    sc = spark.sparkContext
    inputs = [inputs] if isinstance(inputs, (str, os.PathLike)) else list(inputs)
    output = os.fspath(output)
    if "://" not in output:  # a local path; URLs (hdfs://, s3a://) go to Spark as they are
        output = os.path.abspath(output)
    work = _join(output, "_work")
    parallelism = max(1, sc.defaultParallelism)
    summary = SparkSummary(output=output)

    # 1. inputs → pages
    files, parquet, list_errors = list_inputs(inputs)
    frames = []
    if files:
        n = max(1, min(len(files), parallelism * 4))
        listing = spark.createDataFrame([(i, f) for i, f in enumerate(files)], "file_index long, path string")
        frames.append(listing.repartition(n).mapInPandas(partial(tasks.read_files, max_bytes=max_bytes),
                                                          tasks.PAGES_SCHEMA))
    if parquet:
        raw = spark.read.parquet(*parquet)
        raw = (raw.withColumn("_source", F.concat(F.col("_metadata.file_path"), F.lit("#"),
                                                   F.col("_metadata.row_index").cast("string")))
               .withColumn("_order", F.lit((len(files) + 1) << 32) + F.monotonically_increasing_id()))
        frames.append(raw.mapInPandas(tasks.read_records, tasks.PAGES_SCHEMA))
    if not frames:
        raise ValueError("no input files found")
    pages = frames[0] if len(frames) == 1 else frames[0].unionByName(frames[1])
    pages.write.mode("overwrite").parquet(_join(work, "pages"))
    pages = spark.read.parquet(_join(work, "pages"))
    clock = _phase(summary, "read", started)
    read_errors = pages.filter("row_type = 'error'").select("source", "reason")

    # 2. one page per content hash, the earliest
    first = Window.partitionBy("hash").orderBy("page_order")
    unique = (pages.filter("row_type = 'page'").withColumn("_n", F.row_number().over(first))
              .filter("_n = 1").drop("_n"))
    n_pages_read = pages.filter("row_type = 'page'").count()

    # 3. process
    n_parts = max(1, min(parallelism * 4, math.ceil(max(n_pages_read, 1) / 50)))
    processed = unique.repartition(n_parts).mapInPandas(partial(tasks.process_pages, stages=stages),
                                                        tasks.PROCESSED_SCHEMA)
    processed.write.mode("overwrite").parquet(_join(work, "processed"))
    processed = spark.read.parquet(_join(work, "processed"))
    clock = _phase(summary, "extract+enrich", clock)
    arts = processed.filter("row_type = 'article'")

    # 4. tables
    def write(name: str, df) -> None:
        df.write.mode("overwrite").parquet(_join(output, name))

    write("articles", arts.select("article_json").mapInPandas(tasks.article_rows, tasks.ARTICLES_SCHEMA))
    for name, schema in (("entities", tasks.ENTITIES_SCHEMA), ("mentions", tasks.MENTIONS_SCHEMA),
                         ("quotes", tasks.QUOTES_SCHEMA)):
        write(name, arts.select("article_id", "enrichment_json")
              .mapInPandas(partial(tasks.enrichment_rows, table=name), schema))
    errors = read_errors.unionByName(processed.filter("row_type = 'error'").select("source", "reason"))
    if list_errors:
        errors = errors.unionByName(spark.createDataFrame(list_errors, "source string, reason string"))
    write("errors", errors)
    clock = _phase(summary, "tables", clock)

    # 5. stories
    if "stories" in stages:
        summary.buckets, summary.stories = _stories(spark, arts, work, output, span_days, window_days, summary)
        clock = _phase(summary, "stories", clock)
    else:  # no story tables from an earlier run into the same OUTPUT
        for name in ("stories", "stories_summary"):
            _delete(spark, _join(output, name))

    for name in TABLES:
        if name in ("stories", "stories_summary") and "stories" not in stages:
            continue
        summary.counts[name] = spark.read.parquet(_join(output, name)).count()
    summary.articles = summary.counts.get("articles", 0)
    summary.pages = arts.select("page_hash").distinct().count()
    summary.skipped = n_pages_read - unique.count()
    summary.errors = summary.counts.get("errors", 0)
    clock = _phase(summary, "counts", clock)

    # 6. store
    if db is not None:
        load_store(spark, db, processed, output, "stories" in stages)
        clock = _phase(summary, "store", clock)
    if not keep_work:
        _delete(spark, work)
    summary.seconds = time.monotonic() - started
    return summary


def _phase(summary: SparkSummary, name: str, since: float) -> float:
    now = time.monotonic()
    summary.phases[name] = now - since
    return now


def _join(base: str, name: str) -> str:
    return base.rstrip("/") + "/" + name


def _delete(spark, path: str) -> None:
    """Remove a directory on any Hadoop filesystem (local, HDFS, S3...)."""
    jvm = spark.sparkContext._jvm
    target = jvm.org.apache.hadoop.fs.Path(path)
    target.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()).delete(target, True)


def _stories(spark, arts, work: str, output: str, span_days: float, window_days: float,
             summary: SparkSummary | None = None) -> tuple[int, int]:
    """Cluster (time buckets + merge), then lineage and records per story; returns (buckets, stories)."""
    clock = time.monotonic()

    def mark(name: str) -> None:
        nonlocal clock
        if summary is not None:
            clock = _phase(summary, "stories." + name, clock)
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    # effective time: an undated article takes the last date before it in ingest order (one
    # global window over four narrow columns; the term lists are joined back afterwards)
    ingest = Window.orderBy("page_order", "position").rowsBetween(Window.unboundedPreceding, 0)
    timed = (arts.select("article_id", "page_order", "position", "t")
             .withColumn("eff_t", F.last("t", ignorenulls=True).over(ingest))
             .join(arts.select("article_id", "terms"), "article_id"))
    low = timed.agg(F.min("t")).first()[0]
    first_bucket = math.floor(low / span_days) if low is not None else 0
    timed = timed.withColumn("bucket", F.when(F.col("eff_t").isNull(), F.lit(first_bucket))
                             .otherwise(F.floor(F.col("eff_t") / span_days)).cast("long"))
    timed.write.mode("overwrite").parquet(_join(work, "timed"))
    timed = spark.read.parquet(_join(work, "timed"))

    # document frequencies of the earlier buckets, to seed each bucket's clusterer
    sizes = {r["bucket"]: r["n"] for r in timed.groupBy("bucket").agg(F.count("*").alias("n")).collect()}
    terms: dict[int, dict[str, int]] = {b: {} for b in sizes}
    for r in timed.select("bucket", F.explode("terms").alias("term")).groupBy("bucket", "term").count().collect():
        terms[r["bucket"]][r["term"]] = r["count"]
    seeds = {b: (df.n_docs, df.counts) for b, df in
             prefix_frequencies({b: (sizes[b], terms[b]) for b in sizes}).items()}
    del terms
    mark("times+df")
    reach = undated_reach(sizes, UNDATED_KEEP_DOCS)
    reach_df = spark.createDataFrame(list(reach.items()), "bucket long, reach long")

    # context copies: dated articles into the buckets starting within a window after them,
    # undated ones into the buckets of the next undated_keep_docs articles
    last_ctx = F.when(F.col("t").isNull(), F.col("reach")).otherwise(
        F.floor((F.col("eff_t") + window_days) / span_days).cast("long"))
    ctx = (timed.join(F.broadcast(reach_df), "bucket").withColumn("_last", last_ctx)
           .filter(F.col("_last") > F.col("bucket"))
           .withColumn("bucket", F.explode(F.sequence(F.col("bucket") + 1, F.col("_last"))))
           .select("article_id", "bucket", F.lit(True).alias("is_context")))
    members = timed.select("article_id", "bucket", F.lit(False).alias("is_context")).unionByName(ctx)
    docs = arts.select("article_id", "page_order", "position", "doc")
    eff = timed.select("article_id", "eff_t")
    items = members.join(docs, "article_id").join(eff, "article_id")
    seeds_bc = spark.sparkContext.broadcast(seeds)

    def cluster(pdf):
        return tasks.cluster_group(pdf, seeds_bc.value, window_days)

    local = items.groupBy("bucket").applyInPandas(cluster, tasks.LOCAL_SCHEMA)
    local.write.mode("overwrite").parquet(_join(work, "local"))
    local = spark.read.parquet(_join(work, "local"))
    mark("cluster")

    # merge across boundaries: local story → home story of its founder (a context article)
    own = local.filter(~F.col("is_context"))
    home = own.select("article_id", F.col("local_story").alias("home"))
    founders = local.filter(F.col("is_context") & (F.col("founder") == F.col("article_id")))
    edges = {r["local_story"]: r["home"] for r in
             founders.join(home, "article_id").select("local_story", "home").collect()}
    from rasd.spark.stories import resolve

    roots = resolve(edges)
    comp = F.col("local_story")
    if roots:
        root_df = spark.createDataFrame(list(roots.items()), "local_story string, root string")
        own = own.join(F.broadcast(root_df), "local_story", "left")
        comp = F.coalesce(F.col("root"), F.col("local_story"))
    own = own.withColumn("comp", comp).join(
        timed.select("article_id", "eff_t", "page_order", "position"), "article_id")
    key = F.struct(F.coalesce(F.col("eff_t"), F.lit(-1.0e18)).alias("k"), "page_order", "position", "article_id")
    founder = own.groupBy("comp").agg(F.min(key).getField("article_id").alias("first"))
    assigned = (own.join(founder, "comp")
                .withColumn("story_id", F.concat(F.lit("s"), F.substring("first", 1, 12)))
                .select("article_id", "story_id", "dup_root", "score", "eff_t", "page_order", "position"))
    story_rows = (assigned.join(docs.select("article_id", "doc"), "article_id")
                  .groupBy("story_id").applyInPandas(tasks.story_group, tasks.STORY_ROWS_SCHEMA))
    story_rows.write.mode("overwrite").parquet(_join(work, "story_rows"))
    story_rows = spark.read.parquet(_join(work, "story_rows"))
    mark("merge+lineage")
    story_rows.filter("row_type = 'member'").select(
        "article_id", "story_id", "duplicate_of", "kind", "novelty", "score"
    ).write.mode("overwrite").parquet(_join(output, "stories"))
    summary_df = story_rows.filter("row_type = 'story'").select(
        "story_id", "headline", "summary", "n_articles", "outlets", "first_seen", "last_seen", "record_json")
    summary_df.write.mode("overwrite").parquet(_join(output, "stories_summary"))
    return len(sizes), summary_df.count()


def load_store(spark, db: str, processed, output: str, with_stories: bool) -> None:
    """Load the run into a rasd store (`open_store(db)`: SQLite path/URL, or PostgreSQL when available):
    pages with their articles and enrichments in ingest order, LOAD_BATCH pages per transaction,
    then the story assignments, lineage and records."""
    import json

    from rasd.records import Lineage, RawPage
    from rasd.store import open_store
    from rasd.store.base import StoryUpdate

    rows = (processed.filter("row_type = 'article'")
            .select("page_hash", "page_order", "position", "page_json", "article_json", "enrichment_json", "article_id")
            .orderBy("page_order", "position"))
    with open_store(db) as store:
        pages: dict[str, RawPage] = {}
        articles, enrichments = [], []

        def flush() -> None:
            if pages:
                store.add_batch(list(pages.values()), articles, enrichments)
            pages.clear()
            articles.clear()
            enrichments.clear()

        for r in rows.toLocalIterator():
            if r["page_hash"] not in pages:
                if len(pages) >= LOAD_BATCH:
                    flush()
                pages[r["page_hash"]] = RawPage(**json.loads(r["page_json"]))
            articles.append(tasks.article_of(r["article_json"]))
            enrichments.append(tasks.enrichment_of(r["enrichment_json"], r["article_id"]))
        flush()
        if not with_stories:
            return
        members = spark.read.parquet(_join(output, "stories"))
        update = StoryUpdate()
        for r in members.toLocalIterator():
            update.assignments.append((r["article_id"], r["story_id"], r["score"]))
            update.lineages.append(Lineage(r["article_id"], r["kind"], r["novelty"], r["duplicate_of"]))
            if len(update.assignments) >= 5000:
                store.save_stories(update)
                update = StoryUpdate()
        records = spark.read.parquet(_join(output, "stories_summary")).select("record_json")
        for r in records.toLocalIterator():
            update.records.append(json.loads(r["record_json"]))
            if len(update.records) >= 5000:
                store.save_stories(update)
                update = StoryUpdate()
        store.save_stories(update)
