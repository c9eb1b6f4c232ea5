"""Search benchmark: query latency over ~100,000 articles (SaudiNewsNet x3, dates shifted).

Builds a SQLite store (or, with --db postgresql://…, a PostgreSQL one: the
database must be empty) from SaudiNewsNet (31,030 records, 30,671 articles):
the records are extracted (and enriched, unless --no-enrich) once, then
stored again and again as new pages with their dates shifted by a year per
copy until --articles are stored; `add_batch` indexes them as it stores them.
Then runs a fixed, seeded set of realistic queries (single words, two words,
names, quoted phrases, common and rare terms; with and without filters;
filters alone) through `Store.search` (parse, entity expansion, ranking,
snippets; 20 results) and prints p50/p95/max latency in ms, the build times
and the database size.

    python bench/search.py [--db bench/out/search.db [--reuse]] [--articles 100000]
                           [--workers 2] [--no-enrich] [--rebuild] [--cache FILE]

--reuse queries an existing --db without building it; --cache keeps the
extracted records in a pickle so a rebuild skips extraction and enrichment;
--rebuild also times indexing all articles again from scratch.
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import pickle
import platform
import random
import re
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date, timedelta
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rasd.ingest import iter_pages  # noqa: E402
from rasd.pipeline import process_batch  # noqa: E402
from rasd.records import Enrichment, IngestError, content_hash  # noqa: E402
from rasd.store import SearchQuery, open_store  # noqa: E402
from rasd.store import resolve_url  # noqa: E402
from rasd.store.sqlite_search import rebuild_index  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "saudinewsnet"
BATCH = 200
SEED = 7

# Queries an analyst of Saudi/Gulf news in 2015 would type: topics, places,
# people (several spellings), institutions, two-word phrases.
CURATED = """
السعودية|الرياض|جدة|مكة المكرمة|المدينة المنورة|خادم الحرمين الشريفين|الملك سلمان|ولي العهد|الأمير محمد بن نايف
محمد بن سلمان|وزير الخارجية|عادل الجبير|اليمن|الحوثيين|عاصفة الحزم|إعادة الأمل|صنعاء|عدن|التحالف العربي
إيران|الاتفاق النووي|روسيا|بوتين|أوباما|أوباما إيران|سوريا|بشار الأسد|داعش|تنظيم داعش|الإرهاب|تفجير
مسجد|الحج|الحجاج|منى|رافعة|الحرم المكي|العمرة|رمضان|عيد الفطر|عيد الأضحى|النفط|أسعار النفط|أوبك
سوق الأسهم|تاسي|البورصة|الريال|الميزانية|الاستثمار|البطالة|وزارة العمل|السعودة|الإسكان|وزارة الصحة
كورونا|فيروس كورونا|المستشفى|التعليم|وزارة التعليم|الجامعة|الطلاب|الابتعاث|مجلس الشورى|الانتخابات البلدية
المرأة|الهلال|النصر|الاتحاد|الأهلي|كأس|المنتخب السعودي|دوري جميل|الشرطة|المرور|حادث مروري|الأمطار|السيول
الدفاع المدني|أمير منطقة عسير|أمير منطقة الرياض|الجوازات|العمالة المنزلية|الكهرباء|المياه|أرامكو|سابك
"دول الخليج"|"مجلس التعاون"|طهران|واشنطن|القاهرة|مصر|السيسي|تركيا|أردوغان|لبنان|حزب الله|العراق|بغداد
"""


def _shift(published: str | None, days: int) -> str | None:
    if not published or days == 0:
        return published
    try:
        return (date.fromisoformat(published[:10]) + timedelta(days=days)).isoformat() + published[10:]
    except ValueError:
        return published


def extract(data: Path, workers: int, enrich: bool, cache: Path | None = None) -> list[tuple]:
    """SaudiNewsNet through extraction (and enrichment), kept in memory batch by batch.

    With `cache`, the result is pickled there and read back by later runs (to iterate on search
    code without re-extracting)."""
    if cache and cache.exists():
        with open(cache, "rb") as fh:
            return pickle.load(fh)
    stages = ("extract", "enrich") if enrich else ("extract",)
    pages = [p for p in iter_pages([data]) if not isinstance(p, IngestError)]
    batches = [pages[i : i + BATCH] for i in range(0, len(pages), BATCH)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        out = [r[:3] for r in pool.map(partial(process_batch, stages=stages), batches)]
    for pages, _, _ in out:  # the page text is not stored; drop it before pickling
        for p in pages:
            p.content = ""
    if cache:
        with open(cache, "wb") as fh:
            pickle.dump(out, fh, protocol=pickle.HIGHEST_PROTOCOL)
    return out


def copy_batch(batch: tuple, k: int) -> tuple[list, list, list]:
    """Copy k of a batch: new page hashes (so new pages and article ids), dates shifted by k years."""
    pages, articles, enrichments = batch
    if k == 0:
        return pages, articles, enrichments
    new_id = {}
    new_pages = []
    for p in pages:
        q = dataclasses.replace(p, source=f"{p.source}~{k}", hash=content_hash(f"{p.hash}#{k}"))
        new_id[p.page_id] = q.page_id
        new_pages.append(q)
    ids = {}
    new_articles = []
    for a in articles:
        b = dataclasses.replace(a, page_id=new_id[a.page_id], published=_shift(a.published, 365 * k))
        ids[a.id] = b.id
        new_articles.append(b)
    new_enrich = [Enrichment(ids[e.article_id], e.entities, e.mentions, e.quotes) for e in enrichments if e.article_id in ids]
    return new_pages, new_articles, new_enrich


def build(db: str, data: Path, target: int, workers: int, enrich: bool, cache: Path | None) -> dict:
    t0 = time.perf_counter()
    cached = bool(cache and cache.exists())
    batches = extract(data, workers, enrich, cache)
    t_extract = time.perf_counter() - t0
    stored = 0
    t0 = time.perf_counter()
    with open_store(db) as store:
        k = 0
        while stored < target:
            for batch in batches:
                pages, articles, enrichments = copy_batch(batch, k)
                if stored + len(articles) > target:  # the last pages: just enough articles
                    keep_pages = []
                    n = stored
                    for p in pages:
                        n_p = sum(1 for a in articles if a.page_id == p.page_id)
                        if n + n_p > target:
                            break
                        keep_pages.append(p)
                        n += n_p
                    keep = {p.page_id for p in keep_pages}
                    pages = keep_pages
                    articles = [a for a in articles if a.page_id in keep]
                    kept_ids = {a.id for a in articles}
                    enrichments = [e for e in enrichments if e.article_id in kept_ids]
                stored += store.add_batch(pages, articles, enrichments).articles_added
                if stored >= target:
                    break
            k += 1
    t_store = time.perf_counter() - t0
    return {"extract": t_extract, "store": t_store, "copies": k, "enrich": enrich, "cached": cached, "stored": stored}


# -- queries ---------------------------------------------------------------------------

_WORD = re.compile(r"[\u0621-\u064a]{4,}")


class _Conn:
    """store.connection with SQLite's "?" placeholders on either backend."""

    def __init__(self, store) -> None:
        self.conn = store.connection
        self.pg = not hasattr(self.conn, "in_transaction")

    def execute(self, sql: str, params=()):
        return self.conn.execute(sql.replace("?", "%s") if self.pg else sql, params)


def make_queries(store, n_sampled: int = 150) -> list[tuple[str, SearchQuery]]:
    rng = random.Random(SEED)
    conn = _Conn(store)
    curated = [q for line in CURATED.split("\n") for q in line.split("|") if q.strip()]
    total = store.count_articles()
    sample = [
        conn.execute("SELECT title, body FROM articles WHERE ingested_seq = ?", (rng.randint(1, total),)).fetchone()
        for _ in range(n_sampled)
    ]
    sample = [r for r in sample if r]
    queries: list[tuple[str, SearchQuery]] = [("curated", SearchQuery(text=q)) for q in curated]
    for i, (title, body) in enumerate(sample):
        title_words = _WORD.findall(title or "")
        body_words = [w for w in _WORD.findall(body or "") if len(w) >= 7]  # long words: rarer terms
        if i % 3 == 0 and title_words:
            queries.append(("title word", SearchQuery(text=rng.choice(title_words))))
        elif i % 3 == 1 and len(title_words) >= 2:
            j = rng.randrange(len(title_words) - 1)
            queries.append(("two words", SearchQuery(text=" ".join(title_words[j : j + 2]))))
        elif body_words:
            queries.append(("rare word", SearchQuery(text=rng.choice(body_words))))
    outlets = [r[0] for r in conn.execute(
        "SELECT outlet FROM articles WHERE outlet IS NOT NULL GROUP BY outlet ORDER BY COUNT(*) DESC LIMIT 10")]
    entities = [e["name"] for e in store.top_entities(limit=30)]
    first = date.fromisoformat(conn.execute("SELECT MIN(substr(published,1,10)) FROM articles").fetchone()[0])
    last = date.fromisoformat(conn.execute("SELECT MAX(substr(published,1,10)) FROM articles").fetchone()[0])
    texts = [q.text for _, q in queries]
    for i in range(80):
        text = rng.choice(texts) if i % 5 else ""
        kind = i % 4
        q = SearchQuery(text=text)
        if kind == 0:
            start = first + timedelta(days=rng.randrange(max(1, (last - first).days)))
            q.date_from, q.date_to = start.isoformat(), (start + timedelta(days=30)).isoformat()
        elif kind == 1 and outlets:
            q.outlet = rng.choice(outlets)
        elif kind == 2 and entities:
            q.entity = rng.choice(entities)
        else:
            q.language = "ar"
        queries.append(("filtered" if text else "filters only", q))
    return queries


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(p / 100 * len(values)) - 1))]


def run(store, queries, passes: int = 2) -> list[list[float]]:
    out = []
    for _ in range(passes):
        times = []
        for _, q in queries:
            t = time.perf_counter()
            store.search(q)
            times.append((time.perf_counter() - t) * 1000)
        out.append(times)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--db", help="database to build (default: a temporary file)")
    parser.add_argument("--reuse", action="store_true", help="query the --db as it is, without building it")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--no-enrich", action="store_true", help="extract only (no entities: no entity filter)")
    parser.add_argument("--rebuild", action="store_true", help="also time rebuilding the whole index from scratch")
    parser.add_argument("--cache", type=Path, help="pickle of the extracted records, written once and reused")
    args = parser.parse_args()
    if args.reuse and not (args.db and (os.path.exists(args.db) or resolve_url(args.db)[0] == "postgresql")):
        print(f"error: --reuse needs an existing --db (got {args.db!r})")
        return 2
    if not args.reuse and not args.data.exists():
        print(f"skip: {args.data} not found (the SaudiNewsNet zips live in ../shared/data/saudinewsnet)")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or os.path.join(tmp, "search.db")
        postgres = resolve_url(db)[0] == "postgresql"
        print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
        if postgres:
            if not args.reuse:
                with open_store(db) as store:
                    if store.count_articles():
                        print("error: the PostgreSQL database must be empty (or use --reuse)")
                        return 2
            info = build(db, args.data, args.articles, args.workers, not args.no_enrich, args.cache) if not args.reuse else None
            if info:
                print(f"build: storing {info['stored']:,} articles in PostgreSQL with their enrichment and the "
                      f"tsvector (add_batch) {info['store']:.1f} s (extraction {info['extract']:.1f} s)")
            return _query_postgres(db, args.rebuild)
        if not args.reuse:
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(db + suffix):
                    os.remove(db + suffix)
            info = build(db, args.data, args.articles, args.workers, not args.no_enrich, args.cache)
            stages = "extract + enrich" if info["enrich"] else "extract"
            how = "read from the --cache" if info["cached"] else f"{args.workers} workers"
            print(f"build: {stages} of SaudiNewsNet once {info['extract']:.1f} s ({how}); storing "
                  f"{info['stored']:,} articles (copies 1-{info['copies']}, the last partial, each dated a year "
                  f"later) with their enrichment and the index (add_batch) {info['store']:.1f} s")  # fmt: skip
        with open_store(db) as store:
            conn = store.connection
            n = store.count_articles()
            if args.rebuild:
                t = time.perf_counter()
                conn.execute("BEGIN IMMEDIATE")
                rebuild_index(conn)
                conn.execute("COMMIT")
                print(f"index rebuilt from scratch over {n:,} articles: {time.perf_counter() - t:.1f} s")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            fts_mb = conn.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'article_fts%'").fetchone()[0] / 1e6
            size_mb = os.path.getsize(db) / 1e6
            print(f"corpus: {n:,} articles; database {size_mb:,.0f} MB, of which the search index {fts_mb:,.0f} MB")
            _report(store, make_queries(store))
    return 0


def _report(store, queries) -> None:
    cold, warm = run(store, queries)
    kinds: dict[str, list[float]] = {}
    for (kind, _), ms in zip(queries, warm):
        kinds.setdefault(kind, []).append(ms)
    print(f"queries: {len(queries)} ({', '.join(f'{k} {len(v)}' for k, v in kinds.items())}), 20 results each")
    print(f"first pass: p50 {statistics.median(cold):.1f} ms, p95 {pct(cold, 95):.1f} ms, max {max(cold):.1f} ms")
    print(f"latency: p50 {statistics.median(warm):.1f} ms, p95 {pct(warm, 95):.1f} ms, max {max(warm):.1f} ms "
          f"(second pass; target p95 <= 50 ms)")  # fmt: skip
    for kind, ms in kinds.items():
        print(f"  {kind:<13} p50 {statistics.median(ms):6.1f}  p95 {pct(ms, 95):6.1f}  max {max(ms):6.1f}")
    slowest = sorted(zip(warm, queries), key=lambda x: -x[0])[:5]
    print("slowest: " + "; ".join(f"{q.text or '-'!r} {_filters(q)} {ms:.0f} ms" for ms, (_, q) in slowest))


def _query_postgres(db: str, rebuild: bool) -> int:
    from rasd.store import postgres_search

    with open_store(db) as store:
        conn = store.connection
        n = store.count_articles()
        if rebuild:
            t = time.perf_counter()
            with conn.transaction():
                postgres_search.rebuild_index(conn)
            print(f"tsvectors recomputed over {n:,} articles: {time.perf_counter() - t:.1f} s")
        conn.execute("VACUUM ANALYZE articles")
        size_mb = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0] / 1e6
        gin_mb = conn.execute("SELECT pg_relation_size('articles_search_gin')").fetchone()[0] / 1e6
        print(f"corpus: {n:,} articles; database {size_mb:,.0f} MB, of which the GIN index {gin_mb:,.0f} MB "
              "(the tsvectors live in the article rows)")
        _report(store, make_queries(store))
    return 0


def _filters(q: SearchQuery) -> str:
    parts = [f"{k}={v}" for k, v in (("from", q.date_from), ("outlet", q.outlet), ("entity", q.entity),
                                     ("language", q.language)) if v]  # fmt: skip
    return f"[{', '.join(parts)}]" if parts else ""


if __name__ == "__main__":
    raise SystemExit(main())
