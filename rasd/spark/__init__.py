"""Spark batch pipeline: the single-process stages, per partition, at scale.

    pip install 'rasd[spark]'
    rasd spark run INPUT OUTPUT [--master local[*]] [--db URL]
    spark-submit --py-files rasd.zip -m rasd.spark run INPUT OUTPUT   # see README "Spark"

    from rasd.spark import run
    run("corpus/", "out/", master="local[2]")

`rasd.spark.job` is the Spark wiring (inputs, tables, store loading),
`rasd.spark.tasks` the pandas functions run in the tasks (they call
`rasd.ingest`, `rasd.pipeline.process_batch` and the story stage), and
`rasd.spark.stories` the story clustering at scale (time buckets, the
online clusterer per bucket, the boundary merge; design in its docstring).
Importing this package does not import pyspark.
"""
from __future__ import annotations

INSTALL_HINT = "pyspark is not installed: pip install 'rasd[spark]' (Spark needs Java 17 or later)"


def require_pyspark() -> None:
    """Raise ImportError with the install hint when pyspark is missing."""
    try:
        import pyspark  # noqa: F401
    except ImportError as exc:
        raise ImportError(INSTALL_HINT) from exc


def run(*args, **kwargs):
    """`rasd.spark.job.run` (see there)."""
    require_pyspark()
    from rasd.spark.job import run as _run

    return _run(*args, **kwargs)


__all__ = ["INSTALL_HINT", "require_pyspark", "run"]
