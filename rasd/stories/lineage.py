"""Lineage: where each article of a story stands — first report, copy or rewrite.

For the articles of ONE story, earliest first, :func:`lineage` gives each a
:class:`~rasd.records.Lineage`: a ``novelty`` score and a ``kind``.

Novelty
-------
The share of the article's *units* that earlier articles of the story do not
already have, in [0, 1]. Units and weights:

* **sentences** (``SENTENCE_WEIGHT`` 0.6). A sentence is *present* when an
  earlier sentence is a near-match (stem-set Jaccard ≥ ``NEAR_JACCARD`` or
  containment ≥ ``NEAR_CONTAINMENT``), or when it is *mostly present*: at
  least ``MOSTLY_PRESENT`` of its content stems (light stems, stopwords and
  one-letter tokens dropped, numbers kept) occur in the earlier articles
  (titles and bodies; in a long story, the ``SOURCES`` earlier articles
  closest to this one). The second test catches paraphrases, which share
  words but not sentences. Sentences with fewer than
  ``MIN_SENTENCE_STEMS`` content stems (datelines, "source:" lines) are not
  units.
* **quotes** (``QUOTE_WEIGHT`` 0.2), from ``StoryDoc.quotes``. A quote is
  present when an earlier quote says nearly the same words (same near-match
  test on stems), or, for an *indirect* quote, when its speaker was already
  quoted in the story and the quote brings no new hard facts: no number and
  no name of an entity that earlier articles did not have. Reported speech is
  the writer's paraphrase, so its wording says little; who speaks and which
  names and figures are reported says whether it is news.
* **entities** (``ENTITY_WEIGHT`` 0.2): the article's entity keys; present
  when an earlier article has the key.

When an article has no unit of a type, the other weights are renormalised
(a text without quotes: sentences 0.75, entities 0.25). An article with no
unit at all has novelty 0.

Kind
----
* The first article is ``"original"`` with novelty 1.0.
* ``"copy"`` when ``duplicate_of`` (from the near-duplicate index) says the
  article belongs to the copy group of an earlier article of the story; or,
  from the text alone, when novelty ≤ ``COPY_NOVELTY`` and at least
  ``COPY_SENTENCE_SHARE`` of its sentences near-match earlier sentences
  (this also catches truncated copies, which MinHash Jaccard misses).
* ``"rewrite"`` when it retells the story with little new: novelty ≤
  ``REWRITE_NOVELTY``, no new quote, and no new entity of a type in
  ``FACT_TYPES`` (PER, ORG): no new voice, no new actor.
* ``"original"`` otherwise: it adds reporting of its own.

``Lineage.duplicate_of`` is the article's copy-group root (earliest member)
from ``duplicate_of`` whenever it has one (even when that root is outside the
story); for a copy found from the text only, it is the earlier article whose
sentences it repeats most (or that article's group root).

Pure and deterministic: no state, no randomness, no set iteration decides
an output.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from rasd.arabic import normalize_key
from rasd.records import Lineage, Quote, StoryDoc
from rasd.stories.quotes import quote_stems
from rasd.stories.text import content_stems, sentence_rows, title_stems

__all__ = [
    "COPY_NOVELTY",
    "COPY_SENTENCE_SHARE",
    "ENTITY_WEIGHT",
    "FACT_TYPES",
    "MIN_SENTENCE_STEMS",
    "MOSTLY_PRESENT",
    "NEAR_CONTAINMENT",
    "NEAR_JACCARD",
    "QUOTE_WEIGHT",
    "REWRITE_NOVELTY",
    "SENTENCE_WEIGHT",
    "SOURCES",
    "ArticleUnits",
    "content_stems",
    "lineage",
]

# ---------------------------------------------------------------------------
# Tunables (measured on the seed stories: see tests/stories/test_lineage.py)

SENTENCE_WEIGHT = 0.6
QUOTE_WEIGHT = 0.2
ENTITY_WEIGHT = 0.2
#: Near-match of two sentences (or quotes): stem-set Jaccard, or the share of
#: the newer one's stems found in the earlier one.
NEAR_JACCARD = 0.6
NEAR_CONTAINMENT = 0.8
#: A sentence is "mostly present" when this share of its content stems occurs
#: in earlier articles of the story. The seed retelling (001 after 000) has
#: sentences at 0.2–0.6; sentences of a new angle on the same story (new
#: names, figures, voices) stay at 0.1–0.3.
MOSTLY_PRESENT = 0.35
#: "Earlier articles" for the mostly-present test: the SOURCES earlier
#: articles that share most content stems with this one. A rewrite retells
#: one or a few reports; the union of a whole long story would cover most
#: of the generic vocabulary and make any sentence look known.
SOURCES = 3
#: Sentences with fewer content stems are not units (datelines, credits).
MIN_SENTENCE_STEMS = 3
#: Copy from the text alone (without, or beyond, the near-duplicate map).
COPY_NOVELTY = 0.1
COPY_SENTENCE_SHARE = 0.9
#: Rewrite: at most this novelty, and no new quote or new PER/ORG entity.
REWRITE_NOVELTY = 0.35
FACT_TYPES: tuple[str, ...] = ("PER", "ORG")

# ---------------------------------------------------------------------------
# Units of one article


@dataclass
class _QuoteUnit:
    stems: frozenset[str]
    kind: str
    speaker: str | None
    numbers: frozenset[str]


@dataclass
class ArticleUnits:
    """What an article is made of, for novelty: sentences, quotes, entities."""

    text_stems: frozenset[str]  # every content stem of title + body
    sentences: list[frozenset[str]] = field(default_factory=list)
    quotes: list[_QuoteUnit] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)  # distinct keys, sorted
    entity_types: dict[str, str] = field(default_factory=dict)
    entity_stems: dict[str, frozenset[str]] = field(default_factory=dict)  # key → stems of its name

    @classmethod
    def of(cls, doc: StoryDoc) -> "ArticleUnits":
        """The units of `doc`, from the sentence stems memoised on the doc (a story is rebuilt
        from its articles many times)."""
        units = []
        text = set(title_stems(doc))
        for _start, _end, stems, _words in sentence_rows(doc):  # sentences cover the body: their stems are its stems
            text.update(stems)
            unit = frozenset(stems)
            if len(unit) >= MIN_SENTENCE_STEMS:
                units.append(unit)
        quotes = [_quote_unit(q, stems) for q, stems, _speaker in quote_stems(doc)]  # quotes with content
        keys = sorted(set(doc.entities or {}) | set(doc.entity_types or {}))
        types = {k: _entity_type(doc, k) for k in keys}
        names = {k: _name_stems(_entity_name(doc, k)) for k in keys}
        return cls(frozenset(text), units, quotes, keys, types, names)


@lru_cache(maxsize=50_000)
def _name_stems(name: str) -> frozenset[str]:
    return frozenset(content_stems(name))  # entity names recur across articles


def _quote_unit(quote: Quote, stems: list[str]) -> _QuoteUnit:
    return _QuoteUnit(
        stems=frozenset(stems),
        kind=quote.kind or "direct",
        speaker=quote.speaker_key or (normalize_key(quote.speaker) if quote.speaker else None),
        numbers=frozenset(s for s in stems if s.isdigit()),
    )


def _entity_type(doc: StoryDoc, key: str) -> str:
    typ = (doc.entity_types or {}).get(key)
    if typ:
        return typ
    prefix, sep, _ = key.partition(":")
    return prefix if sep else "MISC"


def _entity_name(doc: StoryDoc, key: str) -> str:
    name = (doc.entity_names or {}).get(key)
    if name:
        return name
    _, sep, rest = key.partition(":")
    return rest if sep else key


def _near(new: frozenset[str], old: frozenset[str]) -> bool:
    inter = len(new & old)
    if not inter:
        return False
    return inter / len(new | old) >= NEAR_JACCARD or inter / len(new) >= NEAR_CONTAINMENT


# ---------------------------------------------------------------------------
# What the story already has


class _Story:
    """Everything the earlier articles of the story said (grows article by article)."""

    def __init__(self) -> None:
        self.stems: set[str] = set()
        self.article_stems: list[frozenset[str]] = []
        self.stem_articles: dict[str, list[int]] = {}  # stem → articles that use it
        self.sentences: list[tuple[frozenset[str], int]] = []  # (stems, article index)
        self.sentence_index: dict[str, list[int]] = {}  # stem → sentence numbers
        self.quotes: list[_QuoteUnit] = []
        self.speakers: set[str] = set()
        self.entities: set[str] = set()

    def add(self, units: ArticleUnits, article: int) -> None:
        self.stems |= units.text_stems
        self.article_stems.append(units.text_stems)
        for stem in units.text_stems:
            self.stem_articles.setdefault(stem, []).append(article)
        for stems in units.sentences:
            n = len(self.sentences)
            self.sentences.append((stems, article))
            for stem in stems:
                self.sentence_index.setdefault(stem, []).append(n)
        self.quotes.extend(units.quotes)
        self.speakers.update(q.speaker for q in units.quotes if q.speaker)
        self.entities.update(units.entities)

    def sources(self, stems: frozenset[str]) -> set[str]:
        """Stems of the ``SOURCES`` earlier articles sharing most stems with ``stems``."""
        if len(self.article_stems) <= SOURCES:
            return self.stems
        shared: Counter[int] = Counter()
        for stem in stems:
            shared.update(self.stem_articles.get(stem, ()))
        best = sorted(shared, key=lambda a: (-shared[a], a))[:SOURCES]
        return set().union(*(self.article_stems[a] for a in best))

    def near_sentence(self, stems: frozenset[str]) -> int | None:
        """Article index of the earliest earlier sentence that near-matches, or None."""
        # Prefix filter: a near-match shares at least `need` stems, so it has
        # one of the len - need + 1 rarest; only those postings are read.
        need = math.ceil(min(NEAR_JACCARD, NEAR_CONTAINMENT) * len(stems) - 1e-9)
        probe = sorted(stems, key=lambda s: (len(self.sentence_index.get(s, ())), s))
        candidates: set[int] = set()
        for stem in probe[: len(stems) - need + 1]:
            candidates.update(self.sentence_index.get(stem, ()))
        best = None
        for n in candidates:
            old, article = self.sentences[n]
            if best is not None and article >= best:
                continue
            inter = len(stems & old)
            if inter / (len(stems) + len(old) - inter) >= NEAR_JACCARD or inter / len(stems) >= NEAR_CONTAINMENT:
                best = article
        return best


def _mostly_present(stems: frozenset[str], known: set[str]) -> bool:
    return sum(s in known for s in stems) >= MOSTLY_PRESENT * len(stems)


@dataclass
class _Score:
    novelty: float
    sentence_matches: int  # sentences with a near-match
    sentence_count: int
    new_quotes: int
    new_fact_entities: int
    matched_articles: Counter  # article index → sentences it near-matches


def _score(units: ArticleUnits, story: _Story) -> _Score:
    matched: Counter[int] = Counter()
    new_sentences = 0
    known = story.sources(units.text_stems)
    for stems in units.sentences:
        article = story.near_sentence(stems)
        if article is not None:
            matched[article] += 1
        elif not _mostly_present(stems, known):
            new_sentences += 1
    new_entity_keys = [k for k in units.entities if k not in story.entities]
    new_names: set[str] = set()
    for key in new_entity_keys:
        new_names |= units.entity_stems.get(key, frozenset())
    new_quotes = sum(_quote_is_new(q, story, new_names) for q in units.quotes)
    parts = []
    if units.sentences:
        parts.append((SENTENCE_WEIGHT, new_sentences / len(units.sentences)))
    if units.quotes:
        parts.append((QUOTE_WEIGHT, new_quotes / len(units.quotes)))
    if units.entities:
        parts.append((ENTITY_WEIGHT, len(new_entity_keys) / len(units.entities)))
    total = sum(w for w, _ in parts)
    novelty = sum(w * share for w, share in parts) / total if total else 0.0
    facts = sum(units.entity_types.get(k) in FACT_TYPES for k in new_entity_keys)
    return _Score(novelty, sum(matched.values()), len(units.sentences), new_quotes, facts, matched)


def _quote_is_new(quote: _QuoteUnit, story: _Story, new_names: set[str]) -> bool:
    if any(_near(quote.stems, old.stems) for old in story.quotes):
        return False
    if quote.kind != "indirect" or not quote.speaker or quote.speaker not in story.speakers:
        return True
    # A paraphrase by a speaker already quoted: new only with new hard facts.
    if any(n not in story.stems for n in quote.numbers):
        return True
    return bool(quote.stems & new_names)


# ---------------------------------------------------------------------------
# Entry point


def lineage(docs: list[StoryDoc], duplicate_of: Mapping[str, str | None] | None = None) -> list[Lineage]:
    """Lineage of each article of one story, in the order of ``docs``.

    ``docs`` must be in publication order, earliest first, ties by ``seq``
    (what :func:`rasd.stories.cluster.publication_order` gives): "earlier"
    means earlier in this list. ``duplicate_of`` maps an article_id to the
    root of its near-duplicate group (None or missing: no group), as
    :meth:`NearDuplicateIndex.insert` returns it.
    """
    dup_map: Mapping[str, str | None] = duplicate_of or {}
    story = _Story()
    results: list[Lineage] = []
    earlier_ids: list[str] = []
    earlier_roots: set[str] = set()  # ids and copy-group roots of earlier articles
    last = len(docs) - 1
    for rank, doc in enumerate(docs):
        root = dup_map.get(doc.article_id)
        if rank == 0:
            results.append(Lineage(doc.article_id, "original", 1.0, root))
            if last == 0:  # a one-article story: nothing to compare (most stories)
                break
            units = ArticleUnits.of(doc)
        else:
            units = ArticleUnits.of(doc)
            score = _score(units, story)
            results.append(_decide(doc, score, root, earlier_ids, earlier_roots, dup_map))
        if rank < last:  # later articles compare with this one
            story.add(units, rank)
        earlier_ids.append(doc.article_id)
        earlier_roots.add(doc.article_id)
        if root:
            earlier_roots.add(root)
    return results


def _decide(doc: StoryDoc, score: _Score, root: str | None, earlier_ids: list[str],
            earlier_roots: set[str], dup_map: Mapping[str, str | None]) -> Lineage:
    novelty = round(min(1.0, max(0.0, score.novelty)), 4)
    if root and root in earlier_roots:
        return Lineage(doc.article_id, "copy", novelty, root)
    if (score.sentence_count and novelty <= COPY_NOVELTY
            and score.sentence_matches >= COPY_SENTENCE_SHARE * score.sentence_count):
        source = earlier_ids[min(score.matched_articles, key=lambda a: (-score.matched_articles[a], a))]
        return Lineage(doc.article_id, "copy", novelty, dup_map.get(source) or source)
    if novelty <= REWRITE_NOVELTY and not score.new_quotes and not score.new_fact_entities:
        return Lineage(doc.article_id, "rewrite", novelty, root)
    return Lineage(doc.article_id, "original", novelty, root)
