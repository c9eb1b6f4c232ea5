"""spark-submit entry point: the same arguments as `rasd spark run`.

    spark-submit --master yarn --py-files dist/rasd.zip rasd_spark_main.py run INPUT OUTPUT --master none
    python -m rasd.spark run INPUT OUTPUT --master local[2]

(`--master none` keeps the master spark-submit sets.) See README "Spark" for
shipping the package to the executors.
"""
from __future__ import annotations

import sys

from rasd.cli import main


def entry(argv: list[str] | None = None) -> int:
    return main(["spark", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(entry())
