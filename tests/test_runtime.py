"""Process tuning for bulk runs (rasd.runtime): GC thresholds restored, worker pools tuned, and
enrichment leaving no reference cycles behind (bulk runs collect them rarely)."""
from __future__ import annotations

import gc
from concurrent.futures import ProcessPoolExecutor

from rasd import settings
from rasd.enrich.stage import enrich_article, load_resources
from rasd.extract.evaluate import extract_corpus
from rasd.runtime import blas_threads, bulk_gc, init_worker


def test_bulk_gc_sets_the_thresholds_and_restores_them():
    before = gc.get_threshold()
    with bulk_gc():
        assert gc.get_threshold() == settings.BULK_GC_THRESHOLDS
    assert gc.get_threshold() == before


def test_pool_workers_run_with_the_bulk_thresholds():
    with ProcessPoolExecutor(max_workers=1, initializer=init_worker) as pool:
        assert pool.submit(gc.get_threshold).result() == settings.BULK_GC_THRESHOLDS


def test_blas_threads_is_a_context_manager():
    import numpy as np

    with blas_threads(1):
        assert float(np.ones((4, 4)) @ np.ones(4) @ np.ones(4)) == 16.0


def test_enrichment_leaves_no_reference_cycles():
    """Linking (mentions ↔ clusters) and quotes (cues ↔ direct quotes) used to leave ~50
    cyclic objects per article for the collector."""
    articles = [a for found in extract_corpus(settings.SAMPLE_DIR).values() for a in found][:12]
    resources = load_resources()
    enrich_article(articles[0], resources)  # caches and lazy loads first
    gc.collect()
    gc.disable()
    try:
        found = [enrich_article(a, resources) for a in articles]
        assert sum(len(e.quotes) for e in found) > 0 and sum(len(e.entities) for e in found) > 0
        assert gc.collect() == 0
    finally:
        gc.enable()
