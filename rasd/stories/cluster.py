"""Online story clustering: each article joins the best active story or starts one.

    clusterer = StoryClusterer(StorySimilarity.load())
    for doc in docs:                       # in publication order
        a = clusterer.add(doc)             # Assignment(article_id, story_id, score, merged)
    clusterer.stories()                    # story id → article ids
    saved = clusterer.state()              # JSON-able; StoryClusterer.from_state(saved) resumes

How an article is placed:

1. Its stems and entities are counted into the document frequencies (IDF of
   the corpus so far) and it is vectorised once (:meth:`StorySimilarity.vectorize`).
2. Candidates are the *active* stories (a story is active while its last
   article is at most ``window_days`` older than the newest date seen, so a
   story stays active as long as it keeps getting articles) that share keys
   with the article in an inverted index of each article's top tf-idf terms
   and person/organisation/misc entities (a key shared by more than
   ``max_posting`` active stories is skipped). The ``max_scored`` stories
   with the most shared weight are scored.
3. A story's score (``link``) is, by default, the mean of the pair scores
   between the article and the story's kept members (its first article and
   the ``max_members_scored - 1`` latest ones); a pair whose tf-idf cosine is
   below ``min_body`` scores 0 without further work, and a near-copy of a
   member (pair score >= ``near_duplicate``) joins that member's story
   whatever the mean. Other links: "max" (single link), "max_mean", and
   "centroid" (against the story's summed vectors). The mean resists the
   chaining that single link suffers on busy news days (a thread of royal
   audiences or market reports is not one story).
4. The article joins the best story when its score is at least
   ``threshold`` (raised by ``size_slope`` per doubling of a story past
   ``size_knee`` articles); otherwise it starts a new story, whose id is
   ``"s" + article_id[:12]`` (a story keeps its id as it grows).
5. When the article links two or more stories at ``merge_threshold`` or
   more, they are merged into the oldest (its id survives) and the merges are
   reported in the Assignment.

An article without a date is placed at the newest date seen so far (the
batch helper sorts it at its ingest position after the last dated article);
its date signal is neutral. A story whose articles are all undated cannot
be placed in time: it stays a candidate for the next ``undated_keep_docs``
articles even when the window has moved on.

Memory is bounded by the window: expired stories leave the index (and,
with ``keep_history=False``, memory; :meth:`state` only ever carries active
stories), and the document frequency table is pruned to ``max_df_terms``.

Defaults were tuned (bench/train_similarity.py --tune) on the sample corpus
gold (BCubed) and on SaudiNewsNet: recall of the articles sharing their first
300 characters, and the size of the largest stories.
"""
from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from rasd.records import StoryDoc
from rasd.stories.features import (
    Analysis,
    DocumentFrequencies,
    DocVector,
    analyze,
    parse_time,
)
from rasd.stories.similarity import StorySimilarity, _dot

__all__ = ["Assignment", "StoryClusterer", "cluster_batch", "story_id_for"]

STATE_VERSION = 1

# Tuned on the sample corpus gold and on SaudiNewsNet prefix duplicates
# (see bench/train_similarity.py and tests/stories/test_cluster.py).
DEFAULT_THRESHOLD = 0.4
DEFAULT_MERGE_THRESHOLD = 0.8
DEFAULT_WINDOW_DAYS = 3.0
# A story past SIZE_KNEE articles asks more of a newcomer: + SIZE_SLOPE per doubling. Routine
# items (royal audiences, market reports) otherwise chain into week-long topic threads. Tuned
# on SaudiNewsNet (bench/train_similarity.py --tune): largest story 270 → 223 (the next ones
# 269/216/171/137 → 129/126/122/112) while the recall of the articles that share their first
# 300 characters rose from 0.978 to 0.985; the sample corpus BCubed is unchanged.
DEFAULT_SIZE_SLOPE = 0.1
DEFAULT_SIZE_KNEE = 10

CENTROID_TERMS = 300  # terms kept in a story's centroid
LINKS = ("centroid", "max", "mean", "max_mean")
INDEX_ENTITY_TYPES = ("PER", "ORG", "MISC")


def story_id_for(article_id: str) -> str:
    """The id of a story first reported by ``article_id``."""
    return "s" + article_id[:12]


@dataclass
class Assignment:
    article_id: str
    story_id: str
    score: float  # score against the story joined; 0.0 for a new story
    merged: list[tuple[str, str]] = field(default_factory=list)  # (from_id, into_id) merges done at this step
    new_story: bool = False


def _doc_keys(vec: DocVector, n_terms: int, entity_types: Mapping[str, str] | None = None
              ) -> tuple[list[str], list[float]]:
    """Index keys of a doc (top terms, person/organisation/misc entities) and their weights."""
    top = vec.top_terms(n_terms)
    keys = ["t:" + t for t in top]
    weights = [vec.terms[t] for t in top]
    ents = [k for k in sorted(vec.entities)
            if ((entity_types or {}).get(k) or k.partition(":")[0]) in INDEX_ENTITY_TYPES]
    total = math.fsum(vec.entities[k] for k in ents) or 1.0
    for k in ents:
        keys.append("e:" + k)
        weights.append(0.5 * vec.entities[k] / total)  # all entities together weigh like half the terms
    return keys, weights


def _title_jaccard(a: list[str], b: list[str]) -> float:
    if not a or not b:
        return 0.0
    sa, sb = set(a), set(b)
    inter = len(sa & sb)
    return inter / (len(sa) + len(sb) - inter)


def _l2_norm(vec: Mapping[str, float]) -> float:
    return math.sqrt(math.fsum([v * v for v in vec.values()])) or 1.0


def _add_into(acc: dict[str, float], vec: Mapping[str, float], limit: int) -> dict[str, float]:
    for k, w in vec.items():
        acc[k] = acc.get(k, 0.0) + w
    if len(acc) > 2 * limit:
        acc = dict(sorted(acc.items(), key=lambda kv: (-kv[1], kv[0]))[:limit])
    return acc


class _Story:
    """An active story: members, the vectors of its origin and latest members, centroid sums."""

    __slots__ = (
        "_centroid",
        "c_entities",
        "c_lead_grams",
        "c_terms",
        "c_title_grams",
        "first_time",
        "id",
        "keys",
        "last_active",
        "last_n",
        "last_time",
        "members",
        "n",
        "order",
        "vectors",
    )

    def __init__(self, sid: str, order: int) -> None:
        self.id = sid
        self.order = order  # creation order: the older story has the smaller order
        self.members: list[str] = []
        self.vectors: list[DocVector] = []  # the first member and the most recent ones
        self.first_time: float | None = None
        self.last_time: float | None = None  # dated range of the members
        self.last_active: float | None = None  # clock when the story last got an article
        self.last_n = 0  # articles seen by the clusterer when the story last got one
        self.c_terms: dict[str, float] = {}  # sums of the members' vectors (pruned)
        self.c_title_grams: dict[str, float] = {}
        self.c_lead_grams: dict[str, float] = {}
        self.c_entities: dict[str, float] = {}
        self.n = 0  # members summed into the centroid
        self.keys: dict[str, None] = {}  # index keys
        self._centroid: DocVector | None = None

    @property
    def undated(self) -> bool:
        return self.last_time is None

    def add_vector(self, vec: DocVector, keep: int, centroid: bool) -> None:
        self.vectors.append(vec)
        if len(self.vectors) > keep:
            self.vectors = [self.vectors[0]] + self.vectors[-(keep - 1):]
        if vec.time is not None:
            self.first_time = vec.time if self.first_time is None else min(self.first_time, vec.time)
            self.last_time = vec.time if self.last_time is None else max(self.last_time, vec.time)
        if centroid:
            self.c_terms = _add_into(self.c_terms, vec.terms, CENTROID_TERMS)
            self.c_title_grams = _add_into(self.c_title_grams, vec.title_grams, CENTROID_TERMS)
            self.c_lead_grams = _add_into(self.c_lead_grams, vec.lead_grams, 2 * CENTROID_TERMS)
            self.c_entities = _add_into(self.c_entities, vec.entities, CENTROID_TERMS)
            self.n += 1
            self._centroid = None

    def absorb(self, other: _Story, keep: int) -> None:
        self.members.extend(other.members)
        vecs = sorted(self.vectors[1:] + other.vectors, key=lambda v: (v.seq, v.article_id))
        self.vectors = [self.vectors[0]] + vecs[-(keep - 1):]
        for t in (other.first_time, other.last_time):
            if t is not None:
                self.first_time = t if self.first_time is None else min(self.first_time, t)
                self.last_time = t if self.last_time is None else max(self.last_time, t)
        if other.last_active is not None:
            self.last_active = other.last_active if self.last_active is None else max(self.last_active, other.last_active)
        self.last_n = max(self.last_n, other.last_n)
        self.c_terms = _add_into(self.c_terms, other.c_terms, CENTROID_TERMS)
        self.c_title_grams = _add_into(self.c_title_grams, other.c_title_grams, CENTROID_TERMS)
        self.c_lead_grams = _add_into(self.c_lead_grams, other.c_lead_grams, 2 * CENTROID_TERMS)
        self.c_entities = _add_into(self.c_entities, other.c_entities, CENTROID_TERMS)
        self.n += other.n
        self._centroid = None

    def centroid(self) -> DocVector:
        """The story as one vector: normalised sums, mean entity weights, the longest member's length."""
        if self._centroid is None:
            nt, ng, nl = _l2_norm(self.c_terms), _l2_norm(self.c_title_grams), _l2_norm(self.c_lead_grams)
            n = max(self.n, 1)
            self._centroid = DocVector(
                article_id=self.id,
                time=None,
                terms={k: v / nt for k, v in self.c_terms.items()},
                title_grams={k: v / ng for k, v in self.c_title_grams.items()},
                lead_grams={k: v / nl for k, v in self.c_lead_grams.items()},
                entities={k: v / n for k, v in self.c_entities.items()},
                length=max((v.length for v in self.vectors), default=0),
            )
        return self._centroid

    def gap(self, time: float | None) -> float | None:
        """Days between ``time`` and the story's dated range (0 inside it); None when unknown."""
        if time is None or self.first_time is None or self.last_time is None:
            return None
        if time < self.first_time:
            return self.first_time - time
        if time > self.last_time:
            return time - self.last_time
        return 0.0

    def to_dict(self) -> dict[str, Any]:
        def r(d: Mapping[str, float]) -> dict[str, float]:
            return {k: round(v, 6) for k, v in d.items()}

        return {
            "id": self.id,
            "order": self.order,
            "members": list(self.members),
            "vectors": [v.to_dict() for v in self.vectors],
            "first_time": self.first_time,
            "last_time": self.last_time,
            "last_active": self.last_active,
            "last_n": self.last_n,
            "n": self.n,
            "centroid": {"terms": r(self.c_terms), "title_grams": r(self.c_title_grams),
                         "lead_grams": r(self.c_lead_grams), "entities": r(self.c_entities)},
            "keys": list(self.keys),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> _Story:
        s = cls(data["id"], int(data["order"]))
        s.members = list(data["members"])
        s.vectors = [DocVector.from_dict(v) for v in data["vectors"]]
        s.first_time = data.get("first_time")
        s.last_time = data.get("last_time")
        s.last_active = data.get("last_active")
        s.last_n = int(data.get("last_n", 0))
        s.n = int(data.get("n", len(s.members)))
        c = data.get("centroid") or {}
        s.c_terms = dict(c.get("terms") or {})
        s.c_title_grams = dict(c.get("title_grams") or {})
        s.c_lead_grams = dict(c.get("lead_grams") or {})
        s.c_entities = dict(c.get("entities") or {})
        s.keys = dict.fromkeys(data.get("keys") or [])
        return s


class StoryClusterer:
    """Online clustering of StoryDocs into stories (see the module docstring)."""

    def __init__(
        self,
        similarity: StorySimilarity | None = None,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        merge_threshold: float = DEFAULT_MERGE_THRESHOLD,
        window_days: float = DEFAULT_WINDOW_DAYS,
        size_slope: float = DEFAULT_SIZE_SLOPE,
        size_knee: int = DEFAULT_SIZE_KNEE,
        link: str = "mean",
        index_terms: int = 15,
        max_scored: int = 4,
        max_members_scored: int = 5,
        max_posting: int = 150,
        min_body: float = 0.05,
        near_duplicate: float = 0.98,
        min_score: float = 0.05,
        undated_keep_docs: int = 2000,
        keep_history: bool = True,
        max_df_terms: int = 500_000,
        df: DocumentFrequencies | None = None,
    ) -> None:
        if link not in LINKS:
            raise ValueError(f"unknown link {link!r}: choose one of {', '.join(LINKS)}")
        self.similarity = similarity or StorySimilarity.load()
        self.threshold = threshold
        self.merge_threshold = max(merge_threshold, threshold)
        self.window_days = window_days
        self.size_slope = size_slope
        self.size_knee = max(1, int(size_knee))
        self.link = link
        self.index_terms = index_terms
        self.max_scored = max_scored
        self.max_members_scored = max_members_scored
        self.max_posting = max_posting
        self.min_body = min_body
        self.near_duplicate = near_duplicate
        self.min_score = min_score
        self.undated_keep_docs = undated_keep_docs
        self.keep_history = keep_history
        self.max_df_terms = max_df_terms
        self.df = df or DocumentFrequencies()
        self.clock: float | None = None  # newest date seen (days since epoch)
        self.n_seen = 0
        self._order = 0
        self._last_sweep: float | None = None
        self._active: dict[str, _Story] = {}
        self._index: dict[str, dict[str, None]] = {}
        self._history: dict[str, list[str]] = {}  # expired stories (when keep_history)
        self._story_of: dict[str, str] = {}  # article → story, for articles of active stories

    # -- parameters / state ------------------------------------------------

    def params(self) -> dict[str, Any]:
        return {
            "threshold": self.threshold,
            "merge_threshold": self.merge_threshold,
            "window_days": self.window_days,
            "size_slope": self.size_slope,
            "size_knee": self.size_knee,
            "link": self.link,
            "index_terms": self.index_terms,
            "max_scored": self.max_scored,
            "max_members_scored": self.max_members_scored,
            "max_posting": self.max_posting,
            "min_body": self.min_body,
            "near_duplicate": self.near_duplicate,
            "min_score": self.min_score,
            "undated_keep_docs": self.undated_keep_docs,
            "keep_history": self.keep_history,
            "max_df_terms": self.max_df_terms,
        }

    def state(self) -> dict[str, Any]:
        """JSON-able state: parameters, clock, DF counts and the active stories (with their vectors)."""
        return {
            "version": STATE_VERSION,
            "params": self.params(),
            "clock": self.clock,
            "n_seen": self.n_seen,
            "order": self._order,
            "last_sweep": self._last_sweep,
            "df": self.df.to_dict(),
            "stories": [s.to_dict() for s in self._active.values()],
        }

    @classmethod
    def from_state(cls, state: Mapping[str, Any], similarity: StorySimilarity | None = None,
                   **overrides: Any) -> StoryClusterer:
        """Resume from :meth:`state` (parameters may be overridden)."""
        if state.get("version") != STATE_VERSION:
            raise ValueError(f"unsupported story state version {state.get('version')!r}")
        params = {**state.get("params", {}), **overrides}
        c = cls(similarity, df=DocumentFrequencies.from_dict(state["df"]), **params)
        c.clock = state.get("clock")
        c.n_seen = int(state.get("n_seen", 0))
        c._order = int(state.get("order", 0))
        c._last_sweep = state.get("last_sweep")
        for sd in state.get("stories", []):
            s = _Story.from_dict(sd)
            c._active[s.id] = s
            for k in s.keys:
                c._index.setdefault(k, {})[s.id] = None
            for aid in s.members:
                c._story_of[aid] = s.id
        return c

    # -- queries -------------------------------------------------------------

    def stories(self) -> dict[str, list[str]]:
        """Story id → article ids (active stories, plus expired ones when keep_history)."""
        out = {sid: list(m) for sid, m in self._history.items()}
        for sid, s in self._active.items():
            out[sid] = list(s.members)
        return out

    def members(self, story_id: str) -> list[str]:
        """Article ids of one story (active, or expired when keep_history); [] when unknown."""
        story = self._active.get(story_id)
        return list(story.members) if story is not None else list(self._history.get(story_id, []))

    def active_stories(self) -> list[str]:
        return list(self._active)

    def assignments(self) -> dict[str, str]:
        """Article id → story id for every article of :meth:`stories`."""
        return {aid: sid for sid, members in self.stories().items() for aid in members}

    # -- adding --------------------------------------------------------------

    def add(self, doc: StoryDoc) -> Assignment:
        """Place one article (see the module docstring); returns where it went."""
        return self.add_analysis(analyze(doc), doc.entity_types)

    def add_analysis(self, analysis: Analysis, entity_types: Mapping[str, str] | None = None) -> Assignment:
        self.df.add(analysis)
        if len(self.df) > self.max_df_terms * 1.2:
            self.df.prune(self.max_df_terms)
        vec = self.similarity.vectorize(analysis, self.df)
        self.n_seen += 1
        if vec.time is not None and (self.clock is None or vec.time > self.clock):
            self.clock = vec.time
        self._maybe_sweep()
        keys, key_weights = _doc_keys(vec, self.index_terms, entity_types)
        scored = self._score_candidates(vec, keys, key_weights)
        merged: list[tuple[str, str]] = []
        eligible = [(sc, s) for sc, s in scored if sc >= self.join_threshold(s)]
        if eligible:
            best_score, best = eligible[0]
            linked = [s for sc, s in scored if sc >= max(self.merge_threshold, self.join_threshold(s))]
            if best_score >= self.merge_threshold and len(linked) > 1:
                survivor = min(linked, key=lambda s: s.order)
                for s in sorted(linked, key=lambda s: s.order):
                    if s is not survivor:
                        self._merge(s, survivor)
                        merged.append((s.id, survivor.id))
                best = survivor
            self._join(best, vec, keys)
            return Assignment(vec.article_id, best.id, round(best_score, 6), merged)
        story = self._new_story(vec)
        self._join(story, vec, keys)
        return Assignment(vec.article_id, story.id, 0.0, [], new_story=True)

    def join_threshold(self, story: _Story) -> float:
        """The score an article needs to join `story`: `threshold`, raised for large stories."""
        size = len(story.members)
        if self.size_slope <= 0 or size <= self.size_knee:
            return self.threshold
        return self.threshold + self.size_slope * math.log2(size / self.size_knee)

    def _score_candidates(self, vec: DocVector, keys: list[str], key_weights: list[float]) -> list[tuple[float, _Story]]:
        # Stories sharing index keys with the doc, ranked by the doc's weight on the shared keys.
        overlap: dict[str, float] = {}
        cap = self.max_posting
        for k, w in zip(keys, key_weights):
            posting = self._index.get(k)
            if posting and len(posting) <= cap:  # a key shared by too many stories tells nothing
                get = overlap.get
                for sid in posting:
                    overlap[sid] = get(sid, 0.0) + w
        if not overlap:
            return []
        active = self._active
        ranked = [sid for _, _, sid in heapq.nsmallest(
            self.max_scored, [(-w, active[sid].order, sid) for sid, w in overlap.items()])]
        out = [(self.story_score(vec, active[sid]), active[sid]) for sid in ranked]
        out.sort(key=lambda x: (-x[0], x[1].order))
        return out

    def story_score(self, vec: DocVector, story: _Story) -> float:
        """Score of a doc against a story, by ``link``: against the story's centroid
        (title: best member title; date: gap to the story's dated range), or the
        max / mean of its pair scores with the kept members."""
        sim = self.similarity
        if self.link == "centroid":
            c = story.centroid()
            signals = sim.signals(vec, c, gap=story.gap(vec.time))
            signals["title"] = max(_title_jaccard(vec.title, m.title) for m in story.vectors)
            return sim.score_signals(signals)
        scores = [self._pair_score(vec, m) for m in story.vectors]
        best = max(scores)
        if self.link == "max" or best >= self.near_duplicate:  # a copy of a member belongs with it
            return best
        if self.link == "mean":
            return math.fsum(scores) / len(scores)
        return 0.5 * (best + math.fsum(scores) / len(scores))

    def _pair_score(self, a: DocVector, b: DocVector) -> float:
        """``similarity.score``, with shortcuts: a pair sharing almost no terms
        (cosine < ``min_body``), or one that cannot score ``min_score``, scores 0."""
        body = _dot(a.terms, b.terms)
        if body < self.min_body:
            return 0.0
        return self.similarity.score(a, b, body, floor=self.min_score)

    def _new_story(self, vec: DocVector) -> _Story:
        sid = story_id_for(vec.article_id)
        while sid in self._active or sid in self._history:  # the same article twice: keep ids unique
            sid = sid + "_"
        story = _Story(sid, self._order)
        self._order += 1
        self._active[sid] = story
        return story

    def _join(self, story: _Story, vec: DocVector, keys: list[str]) -> None:
        story.members.append(vec.article_id)
        story.add_vector(vec, self.max_members_scored, self.link == "centroid")
        now = vec.time if vec.time is not None else self.clock
        if now is not None:
            story.last_active = now if story.last_active is None else max(story.last_active, now)
        story.last_n = self.n_seen
        for k in keys:
            if k not in story.keys:
                story.keys[k] = None
                self._index.setdefault(k, {})[story.id] = None
        self._story_of[vec.article_id] = story.id

    def _merge(self, young: _Story, old: _Story) -> None:
        for k in young.keys:
            posting = self._index.get(k)
            if posting is not None:
                posting.pop(young.id, None)
            if k not in old.keys:
                old.keys[k] = None
                self._index.setdefault(k, {})[old.id] = None
        for aid in young.members:
            self._story_of[aid] = old.id
        old.absorb(young, self.max_members_scored)
        del self._active[young.id]

    # -- expiry --------------------------------------------------------------

    def _expired(self, s: _Story) -> bool:
        if self.clock is None or s.last_active is None:
            return False
        if self.clock - s.last_active <= self.window_days:
            return False
        return not (s.undated and self.n_seen - s.last_n <= self.undated_keep_docs)

    def _maybe_sweep(self) -> None:
        if self.clock is None:
            return
        if self._last_sweep is not None and self.clock - self._last_sweep < self.window_days / 8:
            return
        self._last_sweep = self.clock
        self.expire()

    def expire(self) -> list[str]:
        """Retire the stories that left the window; returns their ids."""
        gone = [s for s in self._active.values() if self._expired(s)]
        for s in gone:
            for k in s.keys:
                posting = self._index.get(k)
                if posting is not None:
                    posting.pop(s.id, None)
                    if not posting:
                        del self._index[k]
            for aid in s.members:
                self._story_of.pop(aid, None)
            if self.keep_history:
                self._history[s.id] = s.members
            del self._active[s.id]
        return [s.id for s in gone]


# ---------------------------------------------------------------------------
# Batch


def publication_order(docs: Iterable[StoryDoc]) -> list[StoryDoc]:
    """Docs in publication order; an undated doc sits at its ingest (seq) position,
    dated with the last known date before it in ingest order."""
    by_seq = sorted(docs, key=lambda d: (d.seq, d.article_id))
    keyed = []
    last: float | None = None
    for d in by_seq:
        t = parse_time(d.published)
        if t is not None:
            last = t
        eff = t if t is not None else last
        keyed.append(((eff if eff is not None else float("-inf")), d.seq, d.article_id, d))
    keyed.sort(key=lambda x: x[:3])
    return [x[3] for x in keyed]


def cluster_batch(docs: list[StoryDoc], similarity: StorySimilarity | None = None,
                  **clusterer_args: Any) -> dict[str, str]:
    """Article id → story id, by feeding the docs in publication order to one StoryClusterer.

    The same docs streamed in that order through :meth:`StoryClusterer.add`
    give the same stories.
    """
    clusterer = StoryClusterer(similarity, **clusterer_args)
    for doc in publication_order(docs):
        clusterer.add(doc)
    return clusterer.assignments()
