"""The partitioned story clustering (rasd.spark.stories) without Spark: the same steps in one process."""
from __future__ import annotations

import pytest

from rasd import settings
from rasd.ingest import iter_pages
from rasd.pipeline import process_batch
from rasd.records import RawPage
from rasd.spark.stories import (
    LocalRow,
    cluster_partitioned,
    context_buckets,
    final_assignments,
    resolve,
    undated_reach,
)
from rasd.stories.cluster import cluster_batch
from rasd.stories.evaluate import bcubed


@pytest.fixture(scope="module")
def sample_docs():
    pages = [p for p in iter_pages([settings.SAMPLE_DIR]) if isinstance(p, RawPage)]
    docs = process_batch(pages)[4]
    for n, doc in enumerate(docs, start=1):
        doc.seq = n
    return docs


@pytest.mark.parametrize("span", [1.0, 7.0, 30.0])
def test_partitioned_agrees_with_the_stream(sample_docs, span):
    stream = cluster_batch(sample_docs)
    parted = cluster_partitioned(sample_docs, span_days=span)
    assert set(parted) == set(stream)
    assert bcubed(parted, stream)["f1"] >= 0.95
    # story ids follow the stream's rule: "s" + the first article's id
    for sid in set(parted.values()):
        assert sid.startswith("s") and len(sid) == 13


def test_context_buckets():
    assert context_buckets(None, 7, 3) == []
    assert context_buckets(6.5, 7, 3) == [1]  # within 3 days of the next bucket's start
    assert context_buckets(2.0, 7, 3) == []
    assert context_buckets(0.5, 1, 3) == [1, 2, 3]  # a short span: several later buckets
    assert undated_reach({0: 10, 1: 1500, 2: 600, 3: 5}, 2000) == {0: 2, 1: 3, 2: 3, 3: 3}


def test_merge_is_a_forest_and_keeps_home_assignments():
    rows = [
        LocalRow(0, "a", False, "0/sa", "a", None, 0.0),
        LocalRow(0, "b", False, "0/sb", "b", None, 0.0),
        # bucket 1 saw a and b as context and put them together: only the founder's link counts
        LocalRow(1, "a", True, "1/sa", "a", None, 0.0),
        LocalRow(1, "b", True, "1/sa", "a", None, 0.5),
        LocalRow(1, "c", False, "1/sa", "a", "a", 0.6),
        LocalRow(1, "d", False, "1/sd", "d", None, 0.0),
    ]
    assert resolve({"2/x": "1/y", "1/y": "0/z"}) == {"2/x": "0/z", "1/y": "0/z"}
    times = {"a": 1.0, "b": 1.5, "c": 8.0, "d": 8.5}
    orders = {"a": 1, "b": 2, "c": 3, "d": 4}
    out = final_assignments(rows, times, orders)
    assert out["a"][0] == out["c"][0] == "sa"
    assert out["b"][0] == "sb"  # not merged through a's story
    assert out["d"][0] == "sd"
    assert out["c"][1] == "a"  # duplicate_of root
