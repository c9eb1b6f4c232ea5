"""The ingest pipeline: read inputs → extract articles → store, batch by batch.

Each batch is one store transaction, so a run killed at any point keeps every
batch it reported and no half-written article; rerunning skips the stored
pages (by content hash) and completes the rest.
"""
from __future__ import annotations

import functools
import itertools
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import BinaryIO

from rasd import settings
from rasd.extract import ExtractError, extract_page
from rasd.ingest import iter_pages
from rasd.records import Article, Enrichment, IngestError, RawPage
from rasd.runtime import bulk_gc, init_worker
from rasd.search.fold import prepare_search_text
from rasd.store.base import Store

# Stages `rasd ingest --stages` accepts; later stages come with their issues.
KNOWN_STAGES: tuple[str, ...] = ("extract", "enrich", "stories")


@dataclass
class RunSummary:
    pages: int = 0  # pages read and stored
    articles: int = 0  # articles stored
    skipped: int = 0  # pages already in the store (or twice in this run)
    stories_touched: int = 0  # story records created or updated
    errors: list[IngestError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when something was stored or nothing failed."""
        return self.pages > 0 or self.skipped > 0 or not self.errors


def parse_stages(spec: str | None) -> tuple[str, ...]:
    """"extract" / "all" / None → the stages to run, checked up front."""
    if spec is None or spec == "all":
        return KNOWN_STAGES
    stages = tuple(s.strip() for s in spec.split(",") if s.strip())
    unknown = [s for s in stages if s not in KNOWN_STAGES]
    if unknown:
        raise ValueError(f"unknown stage(s) {', '.join(unknown)}; choose from: {', '.join(KNOWN_STAGES)}")
    if "extract" not in stages:
        raise ValueError("the 'extract' stage is required")
    return stages


# (pages kept, articles, enrichments, errors, story docs: prepared for the story stage)
BatchOutput = tuple[list[RawPage], list[Article], list[Enrichment], list[IngestError], list]


def process_batch(pages: list[RawPage], stages: tuple[str, ...] = KNOWN_STAGES) -> BatchOutput:
    """Run the stages over a batch of pages (in a worker process for large runs)."""
    kept, articles, errors = extract_batch(pages)
    prepare_search_text(articles)  # fold for the search index here: the storing process is the bottleneck
    enrichments: list[Enrichment] = []
    if "enrich" in stages and articles:
        from rasd.enrich.stage import enrich_article, enrich_articles, load_resources

        resources = load_resources()
        try:
            enrichments = enrich_articles(articles, resources)
        except Exception:  # find the article that failed; the others keep their enrichment
            enrichments = []
            for article in articles:
                try:
                    enrichments.append(enrich_article(article, resources))
                except Exception as exc:  # the article is still stored, without enrichment
                    errors.append(IngestError(article.source, f"enrichment failed: {type(exc).__name__}: {exc}"))
    docs = []
    if "stories" in stages and articles:
        from rasd.stories.stage import prepare_docs

        docs = prepare_docs(articles, enrichments)
    return kept, articles, enrichments, errors, docs


def extract_batch(pages: list[RawPage]) -> tuple[list[RawPage], list[Article], list[IngestError]]:
    """Extract every page of a batch; a failing page becomes an error, not an exception."""
    kept: list[RawPage] = []
    articles: list[Article] = []
    errors: list[IngestError] = []
    for page in pages:
        try:
            found = extract_page(page)
        except ExtractError as exc:
            errors.append(IngestError(page.source, str(exc)))
            continue
        except Exception as exc:  # a bug on one odd page must not stop the run
            errors.append(IngestError(page.source, f"extraction failed: {type(exc).__name__}: {exc}"))
            continue
        kept.append(page)
        articles.extend(found)
    return kept, articles, errors


def _batches(items: Iterable[RawPage | IngestError], size: int, errors: list[IngestError]) -> Iterator[list[RawPage]]:
    batch: list[RawPage] = []
    for item in items:
        if isinstance(item, IngestError):
            errors.append(item)
            continue
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def run_ingest(
    paths: Iterable[str | os.PathLike],
    store: Store,
    *,
    stages: tuple[str, ...] = KNOWN_STAGES,
    batch_size: int = settings.BATCH_SIZE,
    workers: int = 1,
    stdin: BinaryIO | None = None,
    max_bytes: int = settings.MAX_BYTES,
    on_batch: Callable[[RunSummary], None] | None = None,
) -> RunSummary:
    """Ingest `paths` into `store`; returns counts and per-document errors."""
    return ingest_pages(
        iter_pages(paths, stdin=stdin, max_bytes=max_bytes),
        store,
        stages=stages,
        batch_size=batch_size,
        workers=workers,
        on_batch=on_batch,
    )


def ingest_pages(
    items: Iterable[RawPage | IngestError],
    store: Store,
    *,
    stages: tuple[str, ...] = KNOWN_STAGES,
    batch_size: int = settings.BATCH_SIZE,
    workers: int = 1,
    on_batch: Callable[[RunSummary], None] | None = None,
) -> RunSummary:
    """Ingest pages already read (the REST API posts them one by one); same stages as `run_ingest`."""
    with bulk_gc():
        return _ingest_pages(items, store, stages, batch_size, workers, on_batch)


def _ingest_pages(
    items: Iterable[RawPage | IngestError],
    store: Store,
    stages: tuple[str, ...],
    batch_size: int,
    workers: int,
    on_batch: Callable[[RunSummary], None] | None,
) -> RunSummary:
    summary = RunSummary()
    seen: set[str] = set()
    batches = _fresh_batches(_batches(items, batch_size, summary.errors), store, seen, summary)
    # A pool pays off only when there is more than one batch to extract.
    head = list(itertools.islice(batches, 2))
    pool = ProcessPoolExecutor(max_workers=workers, initializer=init_worker) if workers > 1 and len(head) > 1 else None
    stories = _story_stage(store, pool) if "stories" in stages else None
    try:
        todo = itertools.chain(head, batches)
        work = functools.partial(process_batch, stages=stages)
        results = bounded_map(pool, work, todo, 2 * workers) if pool else map(work, todo)
        for kept, articles, enrichments, errors, docs in results:
            summary.errors.extend(errors)
            if kept:
                result = store.add_batch(kept, articles, enrichments)
                summary.pages += result.pages_added
                summary.articles += result.articles_added
                summary.skipped += result.pages_skipped
            if stories is not None:
                stories.remember(docs)
                update = stories.update()
                summary.stories_touched += len(update.records)
            if on_batch:
                on_batch(summary)
        if stories is not None:
            summary.stories_touched += len(stories.update(final=True).records)
    finally:
        if pool:
            pool.shutdown(cancel_futures=True)
    return summary


def _story_stage(store: Store, pool: ProcessPoolExecutor | None):
    from rasd.stories.stage import StoryStage

    return StoryStage(store, pool=pool)


def bounded_map(pool: ProcessPoolExecutor, fn: Callable, items: Iterator, in_flight: int) -> Iterator:
    """Like pool.map, in order, but reads ahead only `in_flight` items (pool.map reads all)."""
    pending: deque = deque()
    for item in items:
        pending.append(pool.submit(fn, item))
        if len(pending) >= in_flight:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _fresh_batches(batches: Iterator[list[RawPage]], store: Store, seen: set[str], summary: RunSummary) -> Iterator[list[RawPage]]:
    """Drop pages already stored or already seen in this run, before extraction."""
    for batch in batches:
        known = store.known_hashes([p.hash for p in batch])
        fresh: list[RawPage] = []
        for page in batch:
            if page.hash in known or page.hash in seen:
                summary.skipped += 1
                continue
            seen.add(page.hash)
            fresh.append(page)
        if fresh:
            yield fresh
