"""Stories stage: keep stories current as articles are stored.

After each stored batch, `StoryStage.update` takes every article no story
holds yet, in publication order (ingest order for undated ones), through the
near-duplicate index and the online clusterer. At a checkpoint (every
`settings.STORY_REFRESH_SECONDS`, and at the end of a run) the assignments,
the lineage and records of the stories they touched and the clusterer's state
are saved in one transaction, so a restarted `rasd ingest` resumes from the
last checkpoint. The text analysis of each article is done before, in the
extraction workers (`prepare_docs`).
`recluster` forgets the stories and replays every article through the same
code, so a re-cluster gives what the stream gave on the same input order.

Several processes on one database (PostgreSQL: two `rasd ingest` runs, API posts):
a store that tracks a state version (`Store.story_state_version()` is not None) is
shared. Each `update` then holds `Store.story_lock()` (an advisory lock) while it
reloads the saved clusterer state if another process saved a newer one, clusters
every article no story holds (its own and the other process's), and saves the
assignments with the state before releasing the lock. So every article is placed
exactly once, by one clusterer that has seen every earlier article, and no story id
is created twice. Story records are still refreshed at most every
`refresh_seconds` (the stories waiting for it are part of the saved state), and at
the end of every run.
"""
from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Iterable
from concurrent.futures import Executor, ProcessPoolExecutor

from rasd import settings
from rasd.pipeline import bounded_map
from rasd.records import Article, Enrichment, Lineage, StoryDoc
from rasd.runtime import blas_threads, bulk_gc, init_worker
from rasd.store.base import Store, StoryUpdate
from rasd.stories import summary
from rasd.stories.cluster import StoryClusterer, publication_order
from rasd.stories.dedup import NearDuplicateIndex
from rasd.stories.features import analyze
from rasd.stories.lineage import lineage

# story_doc lives with the similarity so `rasd similarity` and the clusterer see articles alike
from rasd.stories.similarity import StorySimilarity, story_doc
from rasd.stories.summary import build_story, to_dict

DOC_CACHE_SIZE = 8_000  # StoryDocs kept in memory (the active stories of a few days; others are re-read)
REFRESH_TASK_DOCS = 300  # documents per story-record task sent to the worker pool
# Memos the clusterer and the near-duplicate index read once, on arrival: dropped after it.
_ARRIVAL_MEMOS = ("analysis", "dedup")
_preparer: NearDuplicateIndex | None = None


def prepare_docs(articles: list[Article], enrichments: list[Enrichment]) -> list[StoryDoc]:
    """StoryDocs of freshly extracted articles, with their text analysis done and memoised
    (clusterer terms, near-duplicate hashes, sentence stems). Pure: `rasd ingest` runs it in
    the extraction workers, so the story stage in the main process only compares."""
    global _preparer
    if _preparer is None:
        _preparer = NearDuplicateIndex()  # same parameters as the stage's index
    by_id = {e.article_id: e for e in enrichments}
    docs = [story_doc(a, by_id.get(a.id)) for a in articles]
    for doc in docs:
        analyze(doc)
        _preparer.prepare(doc)
        summary.prepare(doc)
    return docs


class StoryStage:
    """Online story maintenance over a store."""

    def __init__(self, store: Store, similarity: StorySimilarity | None = None,
                 refresh_seconds: float = settings.STORY_REFRESH_SECONDS, pool: Executor | None = None) -> None:
        self.store = store
        # The extraction workers' pool, when there is one: the refresh builds records there too,
        # so the workers do not idle while this process rebuilds stories (and the last refresh
        # of a run does not run on one core).
        self.pool = pool
        self.refresh_seconds = refresh_seconds
        self.similarity = similarity or StorySimilarity.load()
        # read before the state: a state saved in between only causes one more reload
        self._version = store.story_state_version()
        self.shared = self._version is not None  # other processes may write stories too
        self._load(store.load_story_state() or {})
        self.dedup = NearDuplicateIndex()
        self._docs: OrderedDict[str, StoryDoc] = OrderedDict()
        # Docs clustered since the last refresh, kept out of the cache's eviction: the refresh
        # reads every one of them (at most DOC_CACHE_SIZE: a checkpoint is due then).
        self._pinned: dict[str, StoryDoc] = {}
        self._refreshed = time.monotonic()
        self._held = StoryUpdate()  # assignments and merges since the last checkpoint
        self._held_ids: set[str] = set()
        # CPU seconds of this process per phase (read by bench/stories.py)
        self.cpu = {"read": 0.0, "cluster": 0.0, "refresh": 0.0, "save": 0.0}
        self.clustered = 0

    def _load(self, state: dict) -> None:
        self.clusterer = (
            StoryClusterer.from_state(state["clusterer"], self.similarity)
            if state.get("clusterer")
            else StoryClusterer(self.similarity)
        )
        self._seq = int(state.get("seq", 0))
        # Stories whose lineage and record wait for the next refresh. Rebuilding a story costs
        # about its size, so rebuilding every touched story after every batch would cost the
        # square of a growing story's size; assignments are current after every batch anyway.
        self._dirty: set[str] = set(state.get("dirty", []))

    def _sync(self) -> None:
        """Shared store, lock held: take the state another process saved since ours."""
        if not self.shared:
            return
        version = self.store.story_state_version()
        if version != self._version:
            # nothing is held here: a shared stage saves its assignments before unlocking
            self._load(self.store.load_story_state() or {})
            self._version = version

    # -- documents -------------------------------------------------------------

    def remember(self, docs: Iterable[StoryDoc]) -> None:
        """Keep freshly built docs so the update needs not read them back."""
        for doc in docs:
            self._docs[doc.article_id] = doc
            self._docs.move_to_end(doc.article_id)
        while len(self._docs) > DOC_CACHE_SIZE:
            self._docs.popitem(last=False)

    def _doc(self, article_id: str) -> StoryDoc | None:
        doc = self._docs.get(article_id) or self._pinned.get(article_id)
        if doc is None:
            article = self.store.get_article(article_id)
            if article is None:
                return None
            doc = story_doc(article, self.store.get_enrichment(article_id))
            self.remember([doc])
        return doc

    # -- the step ----------------------------------------------------------------

    def update(self, final: bool = False) -> StoryUpdate:
        """Cluster every article that no story holds yet; returns what this step changed.

        Assignments are held in memory and saved, with the lineage and records of the stories
        they touched and the clusterer's state, at a checkpoint: when `refresh_seconds` have
        passed since the last one, and always with `final`. Saving the state (megabytes of
        JSON on a large corpus) after every batch cost more than the clustering; a killed
        run loses only the held assignments, and its next run clusters those articles again
        from the saved state."""
        with self.store.story_lock():  # a no-op unless other processes share the store
            self._sync()
            held = self._held_ids
            clock = time.process_time()
            pending = [
                d for d in (self._doc(i) for i in self.store.unclustered_article_ids() if i not in held)
                if d is not None
            ]
            self._tick("read", clock)
            for doc in pending:  # ingest order: the tie-breaker, and the order of undated articles
                self._seq += 1
                doc.seq = self._seq
            step = self.cluster_docs(publication_order(pending))
            # A re-cluster holds every article here: let them go, so the refresh keeps only the
            # docs of the cache (memory bounded by the cache and the window, not the corpus).
            del pending
            return self.checkpoint(final, save=self.shared) or step

    def cluster_docs(self, docs: list[StoryDoc]) -> StoryUpdate:
        """Place `docs` (already in publication order, `seq` set) and hold their assignments."""
        clock = time.process_time()
        step = StoryUpdate()
        touched: set[str] = set()
        for doc in docs:
            self.dedup.insert(doc)
            assignment = self.clusterer.add(doc)
            for name in _ARRIVAL_MEMOS:
                doc.derived.pop(name, None)
            step.assignments.append((doc.article_id, assignment.story_id, assignment.score))
            self._held_ids.add(doc.article_id)
            self._pinned[doc.article_id] = doc
            touched.add(assignment.story_id)
            for from_id, into_id in assignment.merged:
                step.merges.append((from_id, into_id, doc.article_id))
                touched.discard(from_id)
                self._dirty.discard(from_id)
                touched.add(into_id)
        self._dirty |= touched
        self.clustered += len(step.assignments)
        self._held.assignments.extend(step.assignments)
        self._held.merges.extend(step.merges)
        self._tick("cluster", clock)
        return step

    def checkpoint(self, final: bool = False, save: bool = False) -> StoryUpdate | None:
        """Save the held assignments with the touched stories' lineage and records and the
        state, when `refresh_seconds` have passed (or `final`); None when not due. With `save`
        (a shared store) the held assignments and the state are saved even when the refresh
        is not due (the records then wait for it)."""
        due = (final or time.monotonic() - self._refreshed >= self.refresh_seconds
               or len(self._pinned) >= DOC_CACHE_SIZE)  # fast bulk runs: memory stays bounded
        if not (due or (save and (self._held.assignments or self._held.merges))):
            return None
        if not (self._held.assignments or self._dirty):
            return None
        clock = time.process_time()
        update, self._held, self._held_ids = self._held, StoryUpdate(), set()
        if due:
            self._refresh(update)
        clock = self._tick("refresh", clock)
        update.state = {"clusterer": self.clusterer.state(), "seq": self._seq, "dirty": sorted(self._dirty)}
        self.store.save_stories(update)
        if self.shared:
            self._version = self.store.story_state_version()
        self._tick("save", clock)
        return update

    def _tick(self, phase: str, since: float) -> float:
        now = time.process_time()
        self.cpu[phase] += now - since
        return now

    def _refresh(self, update: StoryUpdate) -> None:
        members = self.clusterer.stories()
        held: dict[str, list[str]] = {}  # story → articles assigned since the last checkpoint
        for article_id, story_id, _ in update.assignments:
            held.setdefault(story_id, []).append(article_id)
        for from_id, into_id, _ in update.merges:
            held.setdefault(into_id, []).extend(held.pop(from_id, []))
        jobs: list[RecordJob] = []
        for story_id in sorted(self._dirty):
            # an expired story is no longer in the clusterer's memory: its stored members
            ids = members.get(story_id) or self.store.story_member_ids(story_id) + held.get(story_id, [])
            docs = [d for d in (self._doc(i) for i in ids) if d is not None]
            if not docs:
                continue
            docs = publication_order(docs)
            jobs.append((story_id, docs, {d.article_id: self._copy_root(d.article_id) for d in docs}))
        for lines, record in self._build_records(jobs):
            update.lineages.extend(lines)
            update.records.append(record)
        self._dirty.clear()
        self._pinned.clear()
        self._refreshed = time.monotonic()

    def _build_records(self, jobs: list[RecordJob]) -> list[tuple[list[Lineage], dict]]:
        """`build_records` over `jobs`, in order: in the pool when there is one and the work is
        worth shipping. This process takes back the tasks no worker has started yet and builds
        them itself, so it works too instead of waiting behind queued extraction batches."""
        tasks: list[list[RecordJob]] = [[]]
        size = 0
        for job in jobs:
            if size >= REFRESH_TASK_DOCS:
                tasks.append([])
                size = 0
            tasks[-1].append(job)
            size += len(job[1])
        if self.pool is None or len(tasks) < 2:
            return build_records(jobs)
        futures = [self.pool.submit(build_records, task) for task in tasks]
        done: dict[int, list] = {}
        for k in range(len(tasks) - 1, -1, -1):  # the latest-queued tasks are the least likely started
            if futures[k].cancel():
                done[k] = build_records(tasks[k])
        out: list[tuple[list[Lineage], dict]] = []
        for k, future in enumerate(futures):
            out.extend(done[k] if k in done else future.result())
        return out

    def _copy_root(self, article_id: str) -> str | None:
        """Root of the article's near-duplicate group (None for a root, or once it left the
        index's window: lineage's own text rule still catches copies then)."""
        root = self.dedup.group_of(article_id)
        return None if root == article_id else root


# (story id, its docs in publication order, article id → root of its near-duplicate group)
RecordJob = tuple[str, list[StoryDoc], dict[str, str | None]]


def build_records(jobs: list[RecordJob]) -> list[tuple[list[Lineage], dict]]:
    """Lineage and record of each story. Pure: runs in the worker pool as well as here."""
    out = []
    with blas_threads():  # the summary's sentence matrices are small
        for story_id, docs, copy_roots in jobs:
            lines = lineage(docs, copy_roots)
            out.append((lines, story_record(story_id, docs, {x.article_id: x.kind for x in lines})))
    return out


def story_record(story_id: str, docs: list[StoryDoc], kinds: dict[str, str]) -> dict:
    """The stored/exported story: the record from `build_story` plus list-friendly fields."""
    record = to_dict(build_story(story_id, docs, kinds))
    record["id"] = story_id
    record["articles"] = [d.article_id for d in docs]
    record["outlet_counts"] = record.get("outlets") or []
    record["outlets"] = [o["outlet"] for o in record["outlet_counts"] if o.get("outlet")]
    record["summary_sentences"] = record.get("summary") or []
    record["summary"] = " ".join(record["summary_sentences"])
    return record


RECLUSTER_CHUNK = 1_000  # articles read and prepared per worker task


def recluster(store: Store, workers: int = 1) -> StoryUpdate:
    """Forget all stories and rebuild them from every stored article, in publication order.

    Articles are read in chunks; with `workers` > 1 their text analysis runs in a process pool
    while this process clusters the previous chunk (what `rasd ingest` does). Returns every
    assignment and merge, with the lineage and records of the final checkpoint."""
    return rebuild(store, workers)[1]


def rebuild(store: Store, workers: int = 1) -> tuple[StoryStage, StoryUpdate]:
    """`recluster`, also returning the stage (its `cpu` per phase, for benchmarks).
    Holds the store's story lock throughout: concurrent ingests wait to cluster."""
    with store.story_lock(), bulk_gc():
        return _rebuild(store, workers)


def _rebuild(store: Store, workers: int) -> tuple[StoryStage, StoryUpdate]:
    store.clear_stories()
    stage = StoryStage(store)
    stubs = [StoryDoc(article_id=i, title=None, body="", published=p, outlet=None, seq=n)
             for n, (i, p) in enumerate(store.unclustered_article_times(), start=1)]
    ordered = [d.article_id for d in publication_order(stubs)]
    seq = {d.article_id: d.seq for d in stubs}
    del stubs
    chunks = [ordered[i : i + RECLUSTER_CHUNK] for i in range(0, len(ordered), RECLUSTER_CHUNK)]
    total = StoryUpdate()

    def read(ids: list[str]) -> tuple[list[Article], list[Enrichment]]:
        articles = [a for a in map(store.get_article, ids) if a is not None]
        return articles, [store.get_enrichment(a.id) for a in articles]

    pool = ProcessPoolExecutor(max_workers=workers, initializer=init_worker) if workers > 1 and len(chunks) > 1 else None
    stage.pool = pool
    try:
        jobs = (read(ids) for ids in chunks)
        prepared = (
            bounded_map(pool, _prepare_job, jobs, 2 * workers) if pool else (_prepare_job(j) for j in jobs)
        )
        for docs in prepared:
            for doc in docs:
                doc.seq = seq[doc.article_id]
            stage.remember(docs)
            step = stage.cluster_docs(docs)
            total.assignments.extend(step.assignments)
            total.merges.extend(step.merges)
            stage.checkpoint()
        stage._seq = len(seq)
        final = stage.checkpoint(final=True)
    finally:
        stage.pool = None
        if pool:
            pool.shutdown(cancel_futures=True)
    if final is not None:
        total.lineages, total.records = final.lineages, final.records
    return stage, total


def _prepare_job(job: tuple[list[Article], list[Enrichment]]) -> list[StoryDoc]:
    return prepare_docs(*job)
