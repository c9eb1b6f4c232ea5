"""BLAS thread limits for rasd's many small matrix products.

Tagging (numpy LSTM steps) and story records (sentence-similarity matrices) multiply small
matrices many times in every worker process; OpenBLAS's thread pool only adds overhead there
(2-4x more CPU on a 2-core machine whose cores are already busy with the other workers).
"""
from __future__ import annotations

import contextlib
import os
from functools import lru_cache
from typing import ContextManager


@lru_cache(maxsize=1)
def _controller():
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # optional outside the pinned install: then BLAS keeps its own default
        return None
    return ThreadpoolController()  # after numpy is imported: it lists the BLAS libraries loaded


def blas_threads(n: int | None = None) -> ContextManager:
    """Context manager limiting BLAS to `n` threads (default: RASD_BLAS_THREADS, else 1)."""
    import numpy  # noqa: F401  (loads the BLAS the controller must see)

    ctl = _controller()
    if ctl is None:
        return contextlib.nullcontext()
    if n is None:
        n = int(os.environ.get("RASD_BLAS_THREADS", "1"))
    return ctl.limit(limits=n, user_api="blas")
