"""How likely two articles report the same news event: a score in [0, 1].

Several signals are computed between two :class:`DocVector` s and combined by
a logistic regression whose weights were learnt on labelled pairs
(``bench/train_similarity.py``; shipped in ``rasd/data/stories/similarity.json``):

* ``body``: tf-idf cosine over light stems of the normalised title + body
  (IDF from the corpus seen so far, see :class:`DocumentFrequencies`);
* ``lead``: cosine of IDF-weighted character 3-4-grams of the first words
  of the body, robust to Arabic morphology (clitics, endings);
* ``title``: Jaccard of the titles' content stems;
* ``title_chars``: cosine of character 3-4-grams of the titles;
* ``entities``: weighted Jaccard of canonical entity keys (people and
  organisations weigh more than places), so ترامب/ترمب do not matter;
  ``entities_missing`` is 1 when either side has no entity;
* ``date``: exp(-|Δdays| / tau); 0.5 (neutral, as for a gap of 1.4 tau)
  when a date is unknown, and ``date_unknown`` = 1 then;
* ``short``: 1 when either doc is headline-sized (fewer than SHORT_WORDS
  content words), so headline pairs get their own offset.

    sim = StorySimilarity.load()
    va, vb = sim.vectorize(doc_a, df), sim.vectorize(doc_b, df)
    sim.score(va, vb), sim.signals(va, vb)
"""
from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from rasd.records import Article, Enrichment, RawPage, StoryDoc
from rasd.stories.features import (
    Analysis,
    DocumentFrequencies,
    DocVector,
    analyze,
    vectorize,
)

__all__ = [
    "DEFAULT_PATH",
    "FEATURES",
    "SIGNALS",
    "StorySimilarity",
    "compute_signals",
    "similarity_of_texts",
    "story_doc",
    "text_story_doc",
]

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "stories"
DEFAULT_PATH = DATA_DIR / "similarity.json"
REFERENCE_DF_PATH = DATA_DIR / "reference_df.json"

#: Model inputs, in order.
FEATURES: tuple[str, ...] = (
    "body",
    "lead",
    "title",
    "title_chars",
    "entities",
    "entities_missing",
    "date",
    "short",
)
#: What ``signals()`` returns: the model inputs and ``date_unknown`` (for
#: explanations only: an unknown date reads as the neutral 0.5, no offset is
#: learnt for it, since the training pairs without dates are mostly headline pairs).
SIGNALS: tuple[str, ...] = FEATURES + ("date_unknown",)
SHORT_WORDS = 30  # a doc with fewer content words than this is a headline or a teaser
DEFAULT_DATE_TAU = 2.0  # days

# Used only when no trained file is found (a fresh checkout before training).
_FALLBACK = {
    "features": list(FEATURES),
    "weights": [6.0, 3.0, 2.0, 1.5, 3.0, -0.5, 2.0, 0.0],
    "intercept": -7.0,
    "date_tau": DEFAULT_DATE_TAU,
}


def _dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    # The key intersection runs in C; only shared keys are visited in Python.
    # fsum is exact, so the result does not depend on the (hash-seeded) set order.
    return math.fsum([a[k] * b[k] for k in a.keys() & b.keys()])


def _jaccard(a: Sequence[str], b: Sequence[str]) -> float:
    if not a or not b:
        return 0.0
    sa, sb = set(a), set(b)
    inter = len(sa & sb)
    return inter / (len(sa) + len(sb) - inter)


def _weighted_jaccard(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """sum(min) / sum(max) over the union of keys (0 when either side is empty)."""
    if not a or not b:
        return 0.0
    shared = a.keys() & b.keys()
    if not shared:
        return 0.0
    num = math.fsum([min(a[k], b[k]) for k in shared])
    den = math.fsum(a.values()) + math.fsum(b.values()) - num  # sum(max) = sum(a) + sum(b) - sum(min)
    return num / den if den > 0 else 0.0


def time_gap(a: DocVector, b: DocVector) -> float | None:
    """|Δt| in days, or None when either date is unknown."""
    if a.time is None or b.time is None:
        return None
    return abs(a.time - b.time)


def compute_signals(a: DocVector, b: DocVector, date_tau: float = DEFAULT_DATE_TAU,
                    gap: float | None | bool = False) -> dict[str, float]:
    """The individual signals between two vectors (keys: SIGNALS).

    ``gap`` overrides the time gap (days, or None for unknown); by default it
    is taken from the vectors' times.
    """
    dt = time_gap(a, b) if gap is False else gap
    ents_missing = not a.entities or not b.entities
    return {
        "body": min(1.0, _dot(a.terms, b.terms)),
        "lead": min(1.0, _dot(a.lead_grams, b.lead_grams)),
        "title": _jaccard(a.title, b.title),
        "title_chars": min(1.0, _dot(a.title_grams, b.title_grams)),
        "entities": 0.0 if ents_missing else _weighted_jaccard(a.entities, b.entities),
        "entities_missing": 1.0 if ents_missing else 0.0,
        "date": 0.5 if dt is None else math.exp(-dt / date_tau),
        "date_unknown": 1.0 if dt is None else 0.0,
        "short": 1.0 if min(a.length, b.length) < SHORT_WORDS else 0.0,
    }


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


@dataclass
class StorySimilarity:
    """A logistic model over pair signals; weights learnt by bench/train_similarity.py."""

    weights: dict[str, float]
    intercept: float
    date_tau: float = DEFAULT_DATE_TAU
    meta: dict[str, Any] = field(default_factory=dict)  # training provenance and measured quality

    @classmethod
    def load(cls, path: str | Path | None = None) -> StorySimilarity:
        """The shipped weights (or those at ``path``)."""
        return _load_cached(str(path or DEFAULT_PATH))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StorySimilarity:
        feats = list(data["features"])
        return cls(
            weights={f: float(w) for f, w in zip(feats, data["weights"])},
            intercept=float(data["intercept"]),
            date_tau=float(data.get("date_tau", DEFAULT_DATE_TAU)),
            meta={k: v for k, v in data.items() if k not in ("features", "weights", "intercept", "date_tau")},
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "features": list(FEATURES),
            "weights": [self.weights.get(f, 0.0) for f in FEATURES],
            "intercept": self.intercept,
            "date_tau": self.date_tau,
            **self.meta,
        }

    # -- vectors ---------------------------------------------------------

    def analyze(self, doc: StoryDoc) -> Analysis:
        return analyze(doc)

    def vectorize(self, doc: StoryDoc | Analysis, df: DocumentFrequencies) -> DocVector:
        """The doc weighted with ``df`` (which the caller updates; this does not add to it)."""
        return vectorize(doc if isinstance(doc, Analysis) else analyze(doc), df)

    # -- scoring ---------------------------------------------------------

    def signals(self, a: DocVector, b: DocVector, gap: float | None | bool = False) -> dict[str, float]:
        return compute_signals(a, b, self.date_tau, gap)

    def score_signals(self, signals: Mapping[str, float]) -> float:
        z = self.intercept
        for name, w in self.weights.items():
            z += w * signals.get(name, 0.0)
        return _sigmoid(z)

    def score(self, a: DocVector, b: DocVector, body: float | None = None, floor: float = 0.0) -> float:
        """Probability-like score in [0, 1] that ``a`` and ``b`` report the same story.

        Same as ``score_signals(signals(a, b))``, computed without the dict
        (``body``: the terms' cosine when the caller has it already). With
        ``floor`` > 0, a pair that cannot reach ``floor`` whatever its character
        grams say returns 0.0 before they are compared (a shortcut for clustering).
        """
        w = self.weights
        z = self.intercept
        if w.get("body"):
            z += w["body"] * min(1.0, _dot(a.terms, b.terms) if body is None else body)
        if w.get("title"):
            z += w["title"] * _jaccard(a.title, b.title)
        if not a.entities or not b.entities:
            z += w.get("entities_missing", 0.0)
        elif w.get("entities"):
            z += w["entities"] * _weighted_jaccard(a.entities, b.entities)
        if w.get("date"):
            dt = time_gap(a, b)
            z += w["date"] * (0.5 if dt is None else math.exp(-dt / self.date_tau))
        if w.get("short") and min(a.length, b.length) < SHORT_WORDS:
            z += w["short"]
        wl, wt = w.get("lead", 0.0), w.get("title_chars", 0.0)
        if floor > 0.0 and _sigmoid(z + max(wl, 0.0) + max(wt, 0.0)) < floor:
            return 0.0
        if wl:
            z += wl * min(1.0, _dot(a.lead_grams, b.lead_grams))
        if wt:
            z += wt * min(1.0, _dot(a.title_grams, b.title_grams))
        return _sigmoid(z)


@lru_cache(maxsize=4)
def _load_cached(path: str) -> StorySimilarity:
    p = Path(path)
    if not p.exists():
        if p == DEFAULT_PATH:
            return StorySimilarity.from_dict(_FALLBACK)
        raise FileNotFoundError(path)
    return StorySimilarity.from_dict(json.loads(p.read_text(encoding="utf-8")))


# ---------------------------------------------------------------------------
# Building StoryDocs


def story_doc(article: Article, enrichment: Enrichment | None = None, seq: int = 0) -> StoryDoc:
    """The StoryDoc of an extracted (and maybe enriched) article."""
    entities: dict[str, int] = {}
    types: dict[str, str] = {}
    names: dict[str, str] = {}
    quotes = []
    if enrichment is not None:
        for m in enrichment.mentions:
            entities[m.entity_key] = entities.get(m.entity_key, 0) + 1
        for e in enrichment.entities:
            entities.setdefault(e.key, 1)
            types[e.key] = e.type
            names[e.key] = e.name
        quotes = list(enrichment.quotes)
    return StoryDoc(
        article_id=article.id,
        title=article.title,
        body=article.body,
        published=article.published,
        outlet=article.outlet,
        seq=seq,
        entities=entities,
        entity_types=types,
        entity_names=names,
        quotes=quotes,
    )


def text_story_doc(text: str, resources=None, seq: int = 0, source: str = "<text>") -> StoryDoc:
    """A raw text through the pipeline's extraction and enrichment → StoryDoc.

    The text is read as a plain page dump (RawPage kind "text"); when
    extraction finds no article the whole text is the body.
    """
    from rasd.enrich.stage import enrich_text, load_resources
    from rasd.extract import extract_page
    from rasd.records import article_id

    page = RawPage(source=source, kind="text", content=text)
    try:
        article = extract_page(page)[0]
    except Exception:  # noqa: BLE001 - ExtractError, or a bug on an odd text: the raw text is the body
        article = Article(page_id=page.page_id, position=0, source=source, body=text.strip())
    resources = resources if resources is not None else load_resources()
    enrichment = enrich_text(article.body, resources, article_id(article.page_id, article.position))
    return story_doc(article, enrichment, seq=seq)


@lru_cache(maxsize=1)
def reference_df() -> DocumentFrequencies:
    """Document frequencies of the bundled sample corpus (a small, fictional, Apache-2.0 reference).

    Used as the IDF when two texts are compared on their own (an IDF from two
    documents is meaningless).
    """
    if REFERENCE_DF_PATH.exists():
        return DocumentFrequencies.from_dict(json.loads(REFERENCE_DF_PATH.read_text(encoding="utf-8")))
    return DocumentFrequencies()


def similarity_of_texts(
    text1: str,
    text2: str,
    *,
    similarity: StorySimilarity | None = None,
    resources=None,
    df: DocumentFrequencies | None = None,
    with_signals: bool = False,
) -> float | tuple[float, dict[str, float]]:
    """Story similarity of two raw texts, each read like the pipeline reads a page.

    ``df`` is the IDF reference (default: the bundled sample corpus); the two
    texts are counted into a copy of it. With ``with_signals`` returns
    ``(score, signals)``.
    """
    sim = similarity or StorySimilarity.load()
    a = analyze(text_story_doc(text1, resources, seq=0, source="<text1>"))
    b = analyze(text_story_doc(text2, resources, seq=1, source="<text2>"))
    local = DocumentFrequencies.from_dict((df or reference_df()).to_dict())
    local.add(a)
    local.add(b)
    va, vb = sim.vectorize(a, local), sim.vectorize(b, local)
    signals = sim.signals(va, vb)
    score = sim.score_signals(signals)
    return (score, signals) if with_signals else score
