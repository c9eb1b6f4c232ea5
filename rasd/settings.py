"""Defaults in one place. Command-line flags and environment variables override them."""
from __future__ import annotations

import os

# Store: path or URL of the database; `--db` wins over RASD_DB.
DB_ENV = "RASD_DB"
DEFAULT_DB = "rasd.db"

# Ingest
BATCH_SIZE = 500  # pages per store transaction
MAX_BYTES = 20_000_000  # larger single documents are refused (JSONL/CSV are streamed per record)
WORKERS = max(1, min(4, os.cpu_count() or 1))  # extraction processes for large runs

# Stories: assignments, the touched stories' records and lineage (rebuilt from all of a story's
# articles) and the clusterer state are saved at checkpoints, at most this often during a run
# and always at its end.
STORY_REFRESH_SECONDS = 60.0
# Cyclic GC thresholds during bulk runs (rasd.runtime.bulk_gc); Python's default is (700, 10, 10).
BULK_GC_THRESHOLDS = (200_000, 100, 1_000)

# Bundled sample corpus used by `rasd demo` and the tests.
SAMPLE_DIR = os.path.join(os.path.dirname(__file__), "data", "sample")
