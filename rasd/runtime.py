"""Process-level tuning for bulk runs: BLAS threads and Python's cyclic garbage collector.

- BLAS: tagging (numpy LSTM steps) and story records (sentence-similarity matrices) multiply
  small matrices many times in every worker process; OpenBLAS's thread pool only adds overhead
  there (2-4x more CPU on a 2-core machine whose cores are already busy with the other workers).
- GC: a bulk ingest allocates millions of short-lived containers while it holds millions of
  long-lived ones (models, the clusterer's state, caches). With the default thresholds the
  collector ran every 700 allocations and cost ~8 % of the CPU of a SaudiNewsNet run; almost
  nothing it finds is garbage (reference counting frees the rest), so bulk runs collect less often.
"""
from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Iterator
from functools import lru_cache

from rasd import settings


@contextlib.contextmanager
def bulk_gc() -> Iterator[None]:
    """Cyclic GC at `settings.BULK_GC_THRESHOLDS` for the duration (restored after)."""
    old = gc.get_threshold()
    gc.set_threshold(*settings.BULK_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*old)


def init_worker() -> None:
    """Initializer of rasd's process pools: the bulk GC thresholds for the worker's life."""
    gc.set_threshold(*settings.BULK_GC_THRESHOLDS)


@lru_cache(maxsize=1)
def _controller():
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # optional outside the pinned install: then BLAS keeps its own default
        return None
    return ThreadpoolController()  # after numpy is imported: it lists the BLAS libraries loaded


def blas_threads(n: int | None = None) -> contextlib.AbstractContextManager:
    """Context manager limiting BLAS to `n` threads (default: RASD_BLAS_THREADS, else 1)."""
    import numpy  # noqa: F401  (loads the BLAS the controller must see)

    ctl = _controller()
    if ctl is None:
        return contextlib.nullcontext()
    if n is None:
        n = int(os.environ.get("RASD_BLAS_THREADS", "1"))
    return ctl.limit(limits=n, user_api="blas")
