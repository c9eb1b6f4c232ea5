"""Story clustering at scale: time-window partitions, the online clusterer per partition, a merge.

The single-process stage feeds every article, in publication order, to one
:class:`~rasd.stories.cluster.StoryClusterer` (candidates from an inverted
index of each article's top tf-idf terms and entities, the learnt
:class:`~rasd.stories.similarity.StorySimilarity` pair score, mean link over a
story's first and latest members, join at 0.4, merge at 0.8, stories active
for a 3-day window) and a :class:`~rasd.stories.dedup.NearDuplicateIndex`
(MinHash LSH bands over word shingles). The clusterer only ever compares an
article with stories active within ``window_days`` of it, so time is the
natural partition key:

1. **Partition by time.** Each article gets an effective time (its date; an
   undated one the date of the last dated article before it in ingest order,
   as :func:`~rasd.stories.cluster.publication_order` does) and a bucket
   ``floor(time / span_days)``. An article is also copied, as *context*, into
   every later bucket whose start is less than ``window_days`` after it: each
   bucket sees the tail of the window before it, the stories still active
   when the bucket starts. An undated article is context for the buckets of
   the next ``undated_keep_docs`` articles, as the stream keeps an all-undated
   story a candidate that long. Each bucket's clusterer starts from the
   document frequencies of all earlier buckets (the stream's IDF when it
   reaches the bucket; the context articles are counted as they are read).
2. **Block and score, per bucket.** In one task per bucket the SAME code as
   the stream runs over context + own articles in publication order: the
   near-duplicate index (LSH blocking over MinHash bands, the copy groups
   behind ``duplicate_of``) and the online clusterer (its key index is the
   candidate blocking; pairs are scored with the same learnt similarity and
   linked by the same rule and thresholds). Buckets run in parallel.
3. **Merge across boundaries.** A local story of bucket *k* that starts with a
   context article continues that article's story in its home bucket: the
   edge ``local story → home story of its founder`` is the only link between
   buckets. Every local story has at most one such edge, pointing to an
   earlier bucket, so the links form a forest (no chaining of unrelated
   stories through a shared member); its roots are the final stories. A
   context article keeps its home bucket's assignment. The story id is, as in
   the stream, ``"s" + first article id[:12]`` of the story's earliest member.
4. **Lineage and records, per story.** Grouped by final story, each story's
   articles go through :func:`~rasd.stories.lineage.lineage` (original / copy
   / rewrite, novelty, ``duplicate_of`` from the copy groups) and
   :func:`~rasd.stories.stage.story_record` (headline, summary, outlets).

What differs from the stream: a story crossing a boundary is scored in the
next bucket against its context members only (not its first article, when
that is older than the window); merges of two stories at >= 0.8 across a
boundary are not redone; the DF table is not pruned. On the sample corpus the
two partitions agree at BCubed F1 1.000 (tests/spark/test_spark.py, with 1-,
7- and 30-day buckets in tests/spark/test_spark_stories.py); on the first two
SaudiNewsNet days with 1-day buckets, 0.984 against `rasd recluster`
(bench/spark.py). Candidate blocking is the clusterer's own key index (top
tf-idf terms and entities); MinHash LSH blocks the near-duplicate search.

Everything here is plain Python over StoryDocs; :mod:`rasd.spark.job` wires
it into Spark (``groupBy(bucket).applyInPandas``), and
:func:`cluster_partitioned` runs the same steps in one process (tests, and
the reference for what Spark computes).
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rasd.records import StoryDoc
from rasd.stories.cluster import DEFAULT_WINDOW_DAYS, StoryClusterer, story_id_for
from rasd.stories.dedup import NearDuplicateIndex
from rasd.stories.features import ENTITY_PREFIX, DocumentFrequencies, analyze, parse_time
from rasd.stories.lineage import lineage
from rasd.stories.similarity import StorySimilarity

DEFAULT_SPAN_DAYS = 7.0  # days of articles per clustering task (plus window_days of context)
UNDATED_KEEP_DOCS = 2000  # StoryClusterer's default undated_keep_docs
NO_TIME = -1.0e18  # sort key of an article before any dated one


def effective_times(rows: Iterable[tuple[str, int, str | None]]) -> dict[str, float | None]:
    """article id → effective time (days), from (id, ingest order, published) rows: the
    article's date, else the last date before it in ingest order (None before any date)."""
    out: dict[str, float | None] = {}
    last: float | None = None
    for article_id, _, published in sorted(rows, key=lambda r: (r[1], r[0])):
        t = parse_time(published)
        if t is not None:
            last = t
        out[article_id] = t if t is not None else last
    return out


def bucket_of(t: float | None, span_days: float, first_bucket: int = 0) -> int:
    return first_bucket if t is None else math.floor(t / span_days)


def context_buckets(t: float | None, span_days: float, window_days: float) -> list[int]:
    """The later buckets an article is context for: those starting less than a window after it."""
    if t is None:
        return []
    home = math.floor(t / span_days)
    last = math.floor((t + window_days) / span_days)
    return list(range(home + 1, last + 1))


def undated_reach(counts: Mapping[int, int], keep_docs: int) -> dict[int, int]:
    """bucket → the last later bucket an undated article of it is context for. The stream keeps
    a story whose articles are all undated a candidate for the next ``undated_keep_docs``
    articles whatever the window: here, for the buckets that start within that many articles."""
    buckets = sorted(counts)
    out: dict[int, int] = {}
    for i, b in enumerate(buckets):
        seen, last = 0, b
        for later in buckets[i + 1:]:
            if seen >= keep_docs:
                break
            last = later
            seen += counts[later]
        out[b] = last
    return out


def sort_key(t: float | None, order: int, article_id: str) -> tuple:
    return (NO_TIME if t is None else t, order, article_id)


@dataclass
class LocalRow:
    """Where one article landed in one bucket's clustering."""

    bucket: int
    article_id: str
    is_context: bool
    local_story: str  # "bucket/story id": unique across buckets
    founder: str  # first article of the local story
    dup_root: str | None  # earliest near-duplicate, when a copy
    score: float


def doc_terms(doc: StoryDoc) -> list[str]:
    """What one article adds to the document frequencies (as DocumentFrequencies.add counts it)."""
    analysis = analyze(doc)
    return [*analysis.term_counts, *(ENTITY_PREFIX + k for k in analysis.entities)]


def prefix_frequencies(counts: Mapping[int, tuple[int, Mapping[str, int]]]) -> dict[int, DocumentFrequencies]:
    """bucket → DF of every article of the earlier buckets, from bucket → (articles, term counts)."""
    out: dict[int, DocumentFrequencies] = {}
    running = DocumentFrequencies()
    for b in sorted(counts):
        out[b] = DocumentFrequencies(running.n_docs, running.counts)
        n, terms = counts[b]
        running.n_docs += n
        for t, c in terms.items():
            running.counts[t] = running.counts.get(t, 0) + c
    return out


def cluster_bucket(bucket: int, items: list[tuple[StoryDoc, float | None, int, bool]],
                   similarity: StorySimilarity | None = None, df: DocumentFrequencies | None = None,
                   **clusterer_args) -> list[LocalRow]:
    """Cluster one bucket: `items` are (doc, effective time, ingest order, is_context); `df` the
    document frequencies of the earlier buckets (context articles included: taken out here, the
    clusterer counts them again as it reads them), so IDF is close to the stream's."""
    items = sorted(items, key=lambda x: sort_key(x[1], x[2], x[0].article_id))
    seed = DocumentFrequencies(df.n_docs, df.counts) if df is not None else DocumentFrequencies()
    if df is not None:
        for doc, _, _, is_context in items:
            if is_context:
                seed.n_docs -= 1
                for t in doc_terms(doc):
                    c = seed.counts.get(t, 0) - 1
                    if c > 0:
                        seed.counts[t] = c
                    else:
                        seed.counts.pop(t, None)
    clusterer = StoryClusterer(similarity or StorySimilarity.load(), df=seed, **clusterer_args)
    dedup = NearDuplicateIndex()
    scores: dict[str, float] = {}
    for doc, _, order, _ in items:
        doc.seq = order
        dedup.insert(doc)
        scores[doc.article_id] = clusterer.add(doc).score
    founder_of: dict[str, tuple[str, str]] = {}
    for sid, members in clusterer.stories().items():
        for aid in members:
            founder_of[aid] = (sid, members[0])
    rows = []
    for doc, _, _, is_context in items:
        sid, founder = founder_of[doc.article_id]
        root = dedup.group_of(doc.article_id)
        rows.append(LocalRow(bucket, doc.article_id, is_context, f"{bucket}/{sid}", founder,
                             None if root in (None, doc.article_id) else root, scores[doc.article_id]))
    return rows


def boundary_edges(rows: Iterable[LocalRow]) -> dict[str, str]:
    """local story → home story of its founder, for local stories founded by a context article."""
    rows = list(rows)
    home = {r.article_id: r.local_story for r in rows if not r.is_context}
    return {r.local_story: home[r.article_id] for r in rows
            if r.is_context and r.founder == r.article_id and r.article_id in home}


def resolve(edges: Mapping[str, str]) -> dict[str, str]:
    """Follow the edges (a forest: each node has one parent, in an earlier bucket) to the roots."""
    out: dict[str, str] = {}
    for node in edges:
        path = []
        cur = node
        while cur in edges and cur not in out:
            path.append(cur)
            cur = edges[cur]
        root = out.get(cur, cur)
        for p in path:
            out[p] = root
    return out


def final_assignments(rows: Iterable[LocalRow], times: Mapping[str, float | None],
                      orders: Mapping[str, int]) -> dict[str, tuple[str, str | None, float]]:
    """article id → (story id, duplicate_of root, score), from every bucket's rows."""
    rows = list(rows)
    roots = resolve(boundary_edges(rows))
    own = [r for r in rows if not r.is_context]
    first: dict[str, tuple] = {}
    for r in own:
        comp = roots.get(r.local_story, r.local_story)
        key = sort_key(times.get(r.article_id), orders[r.article_id], r.article_id)
        if comp not in first or key < first[comp]:
            first[comp] = key
    return {r.article_id: (story_id_for(first[roots.get(r.local_story, r.local_story)][2]), r.dup_root, r.score)
            for r in own}


def story_lineage(docs: list[tuple[StoryDoc, float | None, int]], dup_roots: Mapping[str, str | None]):
    """(lineages, ordered docs) of one story's articles: the stream's lineage rule."""
    ordered = [d for d, _, _ in sorted(docs, key=lambda x: sort_key(x[1], x[2], x[0].article_id))]
    ids = {d.article_id for d in ordered}
    known = {aid: root for aid, root in dup_roots.items() if aid in ids}
    return lineage(ordered, known), ordered


def partition_items(docs: list[StoryDoc], orders: Mapping[str, int], times: Mapping[str, float | None],
                    span_days: float, window_days: float, undated_keep_docs: int = UNDATED_KEEP_DOCS
                    ) -> dict[int, list[tuple[StoryDoc, float | None, int, bool]]]:
    """bucket → (doc, time, order, is_context) items, as the Spark job groups them."""
    dated = [t for t in times.values() if t is not None]
    first = bucket_of(min(dated), span_days) if dated else 0
    home = {d.article_id: bucket_of(times[d.article_id], span_days, first) for d in docs}
    counts: dict[int, int] = {}
    for b in home.values():
        counts[b] = counts.get(b, 0) + 1
    reach = undated_reach(counts, undated_keep_docs)
    out: dict[int, list] = {}
    for doc in docs:
        t = times[doc.article_id]
        o = orders[doc.article_id]
        b = home[doc.article_id]
        out.setdefault(b, []).append((doc, t, o, False))
        if parse_time(doc.published) is None:  # undated: context for the next undated_keep_docs articles
            later = [x for x in counts if b < x <= reach[b]]
        else:
            later = context_buckets(t, span_days, window_days)
        for x in later:
            out.setdefault(x, []).append((doc, t, o, True))
    return out


def cluster_partitioned(docs: list[StoryDoc], *, span_days: float = DEFAULT_SPAN_DAYS,
                        window_days: float = DEFAULT_WINDOW_DAYS,
                        similarity: StorySimilarity | None = None) -> dict[str, str]:
    """article id → story id by the partitioned algorithm, in one process (docs in ingest
    order). What the Spark job computes, without Spark."""
    orders = {d.article_id: n for n, d in enumerate(docs)}
    times = effective_times((d.article_id, orders[d.article_id], d.published) for d in docs)
    similarity = similarity or StorySimilarity.load()
    parts = partition_items(docs, orders, times, span_days, window_days)
    counts: dict[int, tuple[int, dict[str, int]]] = {}
    for bucket, items in parts.items():
        terms: dict[str, int] = {}
        own = [doc for doc, _, _, is_context in items if not is_context]
        for doc in own:
            for t in doc_terms(doc):
                terms[t] = terms.get(t, 0) + 1
        counts[bucket] = (len(own), terms)
    seeds = prefix_frequencies(counts)
    rows: list[LocalRow] = []
    for bucket, items in sorted(parts.items()):
        rows.extend(cluster_bucket(bucket, items, similarity, seeds[bucket], window_days=window_days))
    return {aid: sid for aid, (sid, _, _) in final_assignments(rows, times, orders).items()}
