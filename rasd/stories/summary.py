"""The story record: what a reader needs to know about one story, from its articles.

    record = build_story("opec-cut", docs, lineage={"a3f9…": "original", …})
    to_dict(record)   # plain JSON-ready dict

Everything here is a pure function of the story's :class:`~rasd.records.StoryDoc`
list (no storage, no model): the headline is the most central title, the
summary is extractive (MMR over sentence centrality across articles), and the
timeline, outlets, entities and quotes are tallies over the articles.

Text is compared on *content stems* (:mod:`rasd.stories.text`, shared with
lineage and :mod:`rasd.stories.compare`).
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, fields
from functools import cached_property
from typing import Any, Mapping

import numpy as np
from scipy import sparse

from rasd.records import StoryDoc
from rasd.stories.quotes import QuoteCluster, quote_clusters, quote_stems
from rasd.stories.text import (
    content_stems,
    outlet_key,
    parse_published,
    sentence_rows,
    time_key,
    timeline_order,
    title_stems,
)

__all__ = [
    "StoryRecord",
    "build_story",
    "content_stems",
    "outlet_key",
    "quote_clusters",
    "time_key",
    "to_dict",
]

# ---------------------------------------------------------------------------
# Sentences and similarity
# ---------------------------------------------------------------------------

MIN_WORDS = 6
MAX_WORDS = 60
LEAD_BONUS = (0.10, 0.05)  # added to the (0..1) centrality of body sentences 1 and 2
MMR_LAMBDA = 0.5
OUTLET_PENALTY = 0.05  # per sentence already taken from the same outlet
MIN_EXTRA_SCORE = 0.1  # a 4th or 5th sentence must score at least this
MAX_REDUNDANT_JACCARD = 0.5  # hard cap between two summary sentences (stem sets)
MAX_COVERAGE = 0.35  # hard cap on the share of a sentence's weight the picks already cover
_QUOTE_PAIR = re.compile("«[^«»]*»|\u201c[^\u201c\u201d]*\u201d|\"[^\"\n]*\"")


@dataclass
class Unit:
    """A sentence (or title) of one document, with what similarity needs."""

    doc_index: int
    position: int  # -1 for the title, else the sentence's index in the body
    start: int
    end: int
    text: str
    stems: list[str]
    words: int
    quoted: float = 0.0  # share of the sentence inside quotation marks
    vector: dict[str, float] = field(default_factory=dict)

    @cached_property
    def stem_set(self) -> frozenset[str]:
        return frozenset(self.stems)


def prepare(doc: StoryDoc) -> None:
    """Compute (and memoise on the doc) the text analysis a story record reads; pure, so an
    ingest worker can do it before the doc reaches the story stage."""
    doc.memo("summary_quoted", doc.text_key(), _quoted_shares)
    title_stems(doc)
    quote_stems(doc)


def doc_units(doc: StoryDoc, doc_index: int) -> list[Unit]:
    """The body sentences of a document (position 0, 1, ...); fresh Unit objects on every call
    (callers set their vectors), built from sentence data memoised on the doc."""
    body = doc.body or ""
    quoted = doc.memo("summary_quoted", doc.text_key(), _quoted_shares)
    return [
        Unit(doc_index=doc_index, position=position, start=start, end=end, text=body[start:end], stems=stems,
             words=words, quoted=share)
        for position, ((start, end, stems, words), share) in enumerate(zip(sentence_rows(doc), quoted))
    ]


def _quoted_shares(doc: StoryDoc) -> list[float]:
    """Per body sentence, the share of it inside quotation marks or a direct-quote span."""
    body = doc.body or ""
    quoted = _quoted_mask(doc, body)
    shares = []
    for start, end, _stems, _words in sentence_rows(doc):
        text = body[start:end]
        letters = end - start
        inside = sum(quoted[start:end])
        if text.count("»") > text.count("«") or text.count("\u201d") > text.count("\u201c"):
            inside = letters  # the tail of a quote that started in an earlier sentence
        shares.append(inside / letters if letters else 0.0)
    return shares


def _quoted_mask(doc: StoryDoc, body: str) -> bytearray:
    """1 for each body offset inside quotation marks or a direct-quote span."""
    mask = bytearray(len(body))
    for m in _QUOTE_PAIR.finditer(body):
        mask[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
    for q in doc.quotes:
        if q.kind == "direct" and 0 <= q.start < q.end <= len(body):
            mask[q.start : q.end] = b"\x01" * (q.end - q.start)
    return mask


def _vectorize(units: list[Unit]) -> None:
    """TF-IDF over the units themselves, L2-normalized, stored on each unit."""
    df: Counter = Counter()
    for unit in units:
        df.update(set(unit.stems))
    n = len(units)
    idf = {stem: math.log((n + 1) / (count + 1)) + 1.0 for stem, count in df.items()}
    for unit in units:
        tf = Counter(unit.stems)
        vec = {stem: (1.0 + math.log(count)) * idf[stem] for stem, count in tf.items()}
        norm = math.sqrt(sum(w * w for w in vec.values()))
        unit.vector = {stem: w / norm for stem, w in vec.items()} if norm else {}


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(stem, 0.0) for stem, w in a.items())


def jaccard(a: frozenset[str] | set[str], b: frozenset[str] | set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _similarities(queries: list[Unit], targets: list[Unit]) -> list[dict[int, float]]:
    """For each query, {target index: cosine} over the targets sharing a stem with it."""
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for j, unit in enumerate(targets):
        for stem, w in unit.vector.items():
            postings[stem].append((j, w))
    out = []
    for unit in queries:
        acc: dict[int, float] = defaultdict(float)
        for stem, w in unit.vector.items():
            for j, wj in postings.get(stem, ()):
                acc[j] += w * wj
        out.append(acc)
    return out


# ---------------------------------------------------------------------------
# The record
# ---------------------------------------------------------------------------


@dataclass
class StoryRecord:
    story_id: str
    headline: str
    summary: list[str]
    summary_sources: list[str]
    timeline: list[dict]
    outlets: list[dict]
    entities: list[dict]
    quotes_by_speaker: list[dict]
    first_seen: str | None
    last_seen: str | None


def to_dict(record: StoryRecord) -> dict[str, Any]:
    # shallow: the fields are already plain lists/dicts (dataclasses.asdict deep-copies them all)
    return {f.name: getattr(record, f.name) for f in fields(record)}


def build_story(
    story_id: str, docs: list[StoryDoc], lineage: Mapping[str, Any] | None = None
) -> StoryRecord:
    """The story record of ``docs`` (the articles of one story, any order).

    ``lineage`` maps article id → kind ("original" / "copy" / "rewrite", or a
    :class:`~rasd.records.Lineage`); when given, timeline entries carry it.
    """
    ordered = timeline_order(list(docs))
    dated = [d for d in ordered if parse_published(d.published) is not None]
    sentences, sources = summarize(summary_sample(ordered))
    return StoryRecord(
        story_id=story_id,
        headline=pick_headline(ordered),
        summary=sentences,
        summary_sources=sources,
        timeline=_timeline(ordered, lineage),
        outlets=_outlets(ordered),
        entities=_entities(ordered),
        quotes_by_speaker=_quotes_by_speaker(ordered),
        first_seen=dated[0].published if dated else None,
        last_seen=dated[-1].published if dated else None,
    )


def _timeline(ordered: list[StoryDoc], lineage: Mapping[str, Any] | None) -> list[dict]:
    out = []
    for doc in ordered:
        entry = {"article_id": doc.article_id, "published": doc.published, "outlet": doc.outlet, "title": doc.title}
        if lineage is not None and doc.article_id in lineage:
            kind = lineage[doc.article_id]
            entry["kind"] = getattr(kind, "kind", kind)
        out.append(entry)
    return out


def _outlet_names(ordered: list[StoryDoc]) -> dict[str, str]:
    """Display name per outlet key: the most used spelling, ties → the longest."""
    spellings: dict[str, Counter] = defaultdict(Counter)
    for doc in ordered:
        spellings[outlet_key(doc.outlet)][doc.outlet] += 1
    return {
        key: max(names, key=lambda n: (names[n], len(n or ""))) for key, names in spellings.items()
    }


def _outlets(ordered: list[StoryDoc]) -> list[dict]:
    names = _outlet_names(ordered)
    rows: dict[str, dict] = {}
    for rank, doc in enumerate(ordered):
        key = outlet_key(doc.outlet)
        row = rows.setdefault(key, {"outlet": names[key], "articles": 0, "first": None, "_rank": rank})
        row["articles"] += 1
        if row["first"] is None and parse_published(doc.published) is not None:
            row["first"] = doc.published  # `ordered` is chronological: the first dated one is the earliest
    out = sorted(rows.values(), key=lambda r: (-r["articles"], r["_rank"]))
    for row in out:
        del row["_rank"]
    return out


MAX_ENTITIES = 15


def _entities(ordered: list[StoryDoc]) -> list[dict]:
    articles: Counter = Counter()
    mentions: Counter = Counter()
    names: dict[str, Counter] = defaultdict(Counter)
    types: dict[str, Counter] = defaultdict(Counter)
    for doc in ordered:
        for key, count in doc.entities.items():
            if count <= 0:
                continue
            articles[key] += 1
            mentions[key] += count
            names[key][doc.entity_names.get(key) or key.partition(":")[2] or key] += 1
            types[key][doc.entity_types.get(key) or key.partition(":")[0] or "MISC"] += 1
    keys = sorted(articles, key=lambda k: (-articles[k], -mentions[k], k))[:MAX_ENTITIES]
    return [
        {
            "key": k,
            "name": names[k].most_common(1)[0][0],
            "type": types[k].most_common(1)[0][0],
            "articles": articles[k],
            "mentions": mentions[k],
        }
        for k in keys
    ]


def _quotes_by_speaker(ordered: list[StoryDoc]) -> list[dict]:
    names = _outlet_names(ordered)
    by_speaker: dict[str | None, list[QuoteCluster]] = defaultdict(list)
    for cluster in quote_clusters(ordered, loose=False):
        by_speaker[cluster.speaker].append(cluster)
    rank = {doc.article_id: i for i, doc in enumerate(ordered)}
    out = []
    for speaker, clusters in by_speaker.items():
        clusters.sort(key=lambda c: (rank[c.items[0].doc.article_id], c.items[0].quote.start))
        quotes = []
        for c in clusters:
            first = c.items[0]
            quotes.append(
                {
                    "text": first.quote.text,
                    "kind": first.quote.kind,
                    "medium": first.quote.medium or next((m.quote.medium for m in c.items if m.quote.medium), None),
                    "article_id": first.doc.article_id,
                    "outlet": first.doc.outlet,
                    "outlets": [names[k] for k in c.outlets],
                    "article_ids": list(dict.fromkeys(m.doc.article_id for m in c.items)),
                }
            )
        speaker_names = Counter(c.speaker_name for c in clusters if c.speaker_name)
        key = speaker if speaker and not speaker.startswith("name:") else None
        out.append(
            {
                "speaker": speaker_names.most_common(1)[0][0] if speaker_names else None,
                "speaker_key": key,
                "quotes": quotes,
                "_reports": sum(len(c.items) for c in clusters),
                "_first": min(rank[c.items[0].doc.article_id] for c in clusters),
            }
        )
    # Speakers by number of (distinct) quotes, then reports; unattributed quotes last.
    out.sort(key=lambda s: (s["speaker"] is None, -len(s["quotes"]), -s["_reports"], s["_first"]))
    for s in out:
        del s["_reports"], s["_first"]
    return out


# ---------------------------------------------------------------------------
# Headline and summary
# ---------------------------------------------------------------------------


def pick_headline(ordered: list[StoryDoc]) -> str:
    """The title most similar on average to the other articles' title + lead.

    TF-IDF over the story's titles and leads; ties go to the earliest article.
    """
    titled = [(i, d) for i, d in enumerate(ordered) if d.title and d.title.strip()]
    if not titled:
        for d in ordered:
            rows = sentence_rows(d)
            if rows:
                return d.body[rows[0][0] : rows[0][1]]
        return ""
    if len(titled) == 1 or len(ordered) == 1:
        return titled[0][1].title.strip()
    titles = [Unit(i, -1, 0, 0, d.title, title_stems(d), 0) for i, d in titled]
    contexts = []
    for i, d in enumerate(ordered):
        rows = sentence_rows(d)
        lead, lead_stems = (d.body[rows[0][0] : rows[0][1]], rows[0][2]) if rows else ("", ())
        contexts.append(Unit(i, 0, 0, 0, f"{d.title or ''}\n{lead}", title_stems(d) + lead_stems, 0))
    _vectorize(titles + contexts)
    sims = _similarities(titles, contexts)
    best, best_score = titled[0][1].title, -1.0
    for (i, d), acc in zip(titled, sims):
        others = [acc.get(j, 0.0) for j in range(len(ordered)) if j != i]
        score = round(sum(others) / len(others), 9)
        if score > best_score:  # strict: ties keep the earlier (ordered) title
            best, best_score = d.title, score
    return best.strip()


#: The summary of a larger story is drawn from this many of its articles, spread evenly over its
#: timeline (first and last included): sentence centrality compares every sentence with every
#: other, and a few dozen articles already show what the coverage agrees on.
SUMMARY_MAX_ARTICLES = 40


def summary_sample(ordered: list[StoryDoc], limit: int = SUMMARY_MAX_ARTICLES) -> list[StoryDoc]:
    """At most `limit` of the (timeline-ordered) articles, evenly spread, in order."""
    n = len(ordered)
    if n <= limit:
        return ordered
    picks = sorted({round(i * (n - 1) / (limit - 1)) for i in range(limit)})
    return [ordered[i] for i in picks]


def summary_size(n_articles: int) -> int:
    return max(3, min(5, n_articles))


def summarize(ordered: list[StoryDoc], size: int | None = None) -> tuple[list[str], list[str]]:
    """Extractive summary: (sentences, article id of each), in reading order.

    MMR over centrality. A sentence's centrality is the sum, over the other
    articles, of its best TF-IDF cosine with that article's sentences (one
    vote per article, so ten copies of a wire story are ten votes for its
    sentences but a long article is not a hundred); normalized to 0..1, plus
    a small bonus for body sentences 1–2 (the lead). Sentences under 6 or over
    60 words, or mostly inside quotation marks (or the tail of a quote), are
    skipped unless the story has too few others. Each pick scores
    ``λ·centrality − (1−λ)·redundancy − 0.05·(picks from the same outlet)``,
    where redundancy is the larger of the best cosine with a pick and the
    share of the sentence's weight already covered by the picks' stems. Never
    taken: a sentence with stem-set Jaccard ≥ 0.5 with a pick, mostly contained
    in one, or more than 35% covered. 3 picks at least (when there are
    sentences enough), then up to ``size`` while the score stays ≥ 0.1.

    The sentences are rows of a sparse TF-IDF matrix (numpy/scipy): a story
    record is built for every story touched by a refresh, so this runs for
    most articles of a run.
    """
    size = size or summary_size(len(ordered))
    units: list[Unit] = []
    for i, doc in enumerate(ordered):
        units.extend(u for u in doc_units(doc, i) if u.stems)
    if not units:
        return [], []
    X = _tfidf(units)
    # Exact duplicates (syndicated copies): keep the earliest article's sentence (units are in
    # timeline order).
    first: dict[frozenset[str], int] = {}
    for j, unit in enumerate(units):
        first.setdefault(unit.stem_set, j)
    pool_ix = np.fromiter(first.values(), dtype=np.intp, count=len(first))
    pool = [units[j] for j in pool_ix]
    P = len(pool)
    Xp = X[pool_ix]
    sims = _array(Xp @ X.T)  # (pool, units) cosines, all >= 0
    doc_of = np.fromiter((u.doc_index for u in units), dtype=np.intp, count=len(units))
    if len(ordered) > 1:
        # best cosine per other article: units are grouped by article, in order
        starts = np.flatnonzero(np.r_[True, doc_of[1:] != doc_of[:-1]])
        best = np.maximum.reduceat(sims, starts, axis=1)
        own = np.searchsorted(doc_of[starts], doc_of[pool_ix])
        best[np.arange(P), own] = 0.0
        centrality = best.sum(axis=1)
    else:
        sims[np.arange(P), pool_ix] = 0.0
        centrality = sims.sum(axis=1)
    top = centrality.max() or 1.0
    scores = centrality / top
    for position, bonus in enumerate(LEAD_BONUS):
        scores[[k for k, u in enumerate(pool) if u.position == position]] += bonus

    cos = _array(Xp @ Xp.T)
    if sparse.issparse(Xp):
        B = Xp.copy()
        B.data[:] = 1.0
    else:
        B = (Xp > 0).astype(np.float64)
    inter = _array(B @ B.T)
    n_stems = np.asarray(B.sum(axis=1)).ravel()
    union = n_stems[:, None] + n_stems[None, :] - inter
    small = np.minimum(n_stems[:, None], n_stems[None, :])
    redundant = (inter / union >= MAX_REDUNDANT_JACCARD) | (inter / small >= 0.8)
    weight = np.asarray(Xp.sum(axis=1)).ravel()
    eligible = np.array([MIN_WORDS <= u.words <= MAX_WORDS and u.quoted <= 0.5 for u in pool])
    outlet_of = [outlet_key(ordered[u.doc_index].outlet) for u in pool]
    outlet_ix = np.array([{o: i for i, o in enumerate(dict.fromkeys(outlet_of))}[o] for o in outlet_of])

    chosen: list[int] = []
    open_ = np.ones(P, dtype=bool)  # not chosen, not redundant with a pick
    covered = np.zeros(X.shape[1])  # 1 on the stems of the picks so far
    best_cos = np.zeros(P)
    picked_outlets = np.zeros(len(set(outlet_of)))
    for strict in (True, False):
        while len(chosen) < size:
            mask = open_ & eligible if strict else open_.copy()
            coverage = np.asarray(Xp @ covered).ravel() / weight if chosen else np.zeros(P)
            if strict:
                mask &= coverage <= MAX_COVERAGE
            if not mask.any():
                break
            score = (MMR_LAMBDA * scores - (1 - MMR_LAMBDA) * np.maximum(best_cos, coverage)
                     - OUTLET_PENALTY * picked_outlets[outlet_ix])
            score[~mask] = -np.inf
            k = int(np.argmax(score))  # first of equals: the earliest sentence
            if len(chosen) >= 3 and score[k] < MIN_EXTRA_SCORE:
                break
            chosen.append(k)
            open_ &= ~redundant[k]
            open_[k] = False
            covered[_row_stems(Xp, k)] = 1.0
            np.maximum(best_cos, cos[k], out=best_cos)
            picked_outlets[outlet_ix[k]] += 1
        if len(chosen) >= min(3, size):
            break
    chosen.sort(key=lambda k: (pool[k].doc_index, pool[k].position))
    return [pool[k].text for k in chosen], [ordered[pool[k].doc_index].article_id for k in chosen]


# Small stories' sentence × stem matrices are dense: the products then cost about
# sentences² × stems multiply-adds, cheaper up to here than scipy's overhead per matrix.
DENSE_WORK = 2_000_000


def _tfidf(units: list[Unit]) -> np.ndarray | sparse.csr_matrix:
    """L2-normalised TF-IDF rows of the units, IDF over the units themselves."""
    vocab: dict[str, int] = {}
    flat = [vocab.setdefault(stem, len(vocab)) for unit in units for stem in unit.stems]
    n, V = len(units), len(vocab)
    rows = np.repeat(np.arange(n), [len(unit.stems) for unit in units])
    cells, tf = np.unique(rows * V + np.array(flat, dtype=np.intp), return_counts=True)
    r, c = np.divmod(cells, V)
    df = np.bincount(c, minlength=V)
    w = (1.0 + np.log(tf)) * (np.log((n + 1) / (df[c] + 1.0)) + 1.0)
    w /= np.sqrt(np.bincount(r, weights=w * w, minlength=n))[r]
    if n * n * V <= DENSE_WORK:
        X = np.zeros((n, V))
        X[r, c] = w
        return X
    return sparse.csr_matrix((w, (r, c)), shape=(n, V))


def _array(m) -> np.ndarray:
    return m.toarray() if sparse.issparse(m) else m


def _row_stems(X, k: int) -> np.ndarray:
    """Column indices of the stems of row k."""
    if sparse.issparse(X):
        return X.indices[X.indptr[k] : X.indptr[k + 1]]
    return np.flatnonzero(X[k])
