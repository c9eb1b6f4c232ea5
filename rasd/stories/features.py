"""Text features for story similarity: stems, document frequencies, doc vectors.

A :class:`StoryDoc` is analysed once (:func:`analyze`: light stems of the
normalised title and body, the lead's words, entity weights, time) and then
weighted with the document frequencies of the corpus seen so far
(:class:`DocumentFrequencies`) into a :class:`DocVector`, which is what the
similarity compares and what the clusterer caches per article. Everything
here is pure Python and deterministic (no set iteration decides an output).
"""
from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from rasd.arabic import light_stem, normalize_key
from rasd.records import StoryDoc

__all__ = [
    "Analysis",
    "DocVector",
    "DocumentFrequencies",
    "ENTITY_TYPE_WEIGHTS",
    "STOPWORDS",
    "analyze",
    "char_grams",
    "parse_time",
    "vectorize",
]

# ---------------------------------------------------------------------------
# Tunables (plain data)

#: How much an entity of each type counts in the entity overlap. People and
#: organisations name an event far better than the places it happened in.
ENTITY_TYPE_WEIGHTS: Mapping[str, float] = {"PER": 3.0, "ORG": 2.0, "MISC": 1.5, "LOC": 1.0}
MAX_TERMS = 200  # terms kept per document vector (highest tf-idf first)
LEAD_WORDS = 60  # words of the body that make the lead
TITLE_FALLBACK_WORDS = 20  # an untitled doc uses the first words of its body as title
LEAD_GRAMS = (3, 4, 5)
TITLE_GRAMS = (3, 4)
INDEX_TERMS = 12  # top terms a document offers to the clusterer's inverted index

# Function words and reporting verbs: never content, whatever the corpus says.
# Written in plain Arabic and folded with the same stemmer the text goes through.
_STOPWORDS_RAW = """
في من على إلى الى عن مع أن إن أنه إنه أنها إنها كان كانت يكون تكون كانوا لم لن ما لا هل قد
قد لقد ثم أو أم بل لكن لكنه ولكن حتى إذا اذا إذ كما كل بعض غير بين عند عندما حيث حين منذ خلال
بعد قبل أمام فوق تحت ضد نحو لدى دون مثل عبر وفق وفقا بحسب حسب نحو أي أية هذا هذه ذلك تلك هؤلاء
هنا هناك الذي التي الذين اللذين اللتين اللواتي اللاتي ما ماذا لماذا كيف أين متى من هو هي هم
هن نحن أنا أنت أنتم هما التى الذى وهو وهي أيضا ايضا فقط جدا أكثر أقل أول آخر أخرى اخرى الآن
اليوم أمس غدا يوم عام سنة العام اليوم وقت الوقت فيه فيها منه منها عليه عليها إليه إليها له لها
لهم به بها بهم عنه عنها معه معها بينما ضمن إطار اطار سوى إلا الا وإن لأن لان كذلك وكذلك أما
قال وقال قالت وقالت يقول تقول أضاف وأضاف أضافت وأضافت أكد وأكد أكدت وأكدت أشار وأشار أشارت
وأوضح أوضح أوضحت تابع وتابع ذكر وذكر ذكرت أعلن أعلنت وأعلن لفت ولفت مشيرا مؤكدا مضيفا موضحا
يذكر يشار يأتي تأتي وجاء جاء جاءت إلى جانب وفيما فيما وسط حول لدى علما بأن بان كما ولا
وما وفي ومن وعلى وإلى وعن ومع والتي والذي وأن وكان وكانت ولم وقد وهذا وهذه وذلك وتلك
"""
STOPWORDS: frozenset[str] = frozenset(light_stem(w) for w in _STOPWORDS_RAW.split())

_WORD_RE = re.compile(r"[^\W_]+")  # on key-normalised text: letters and digits


def _words(key_text: str) -> list[str]:
    return _WORD_RE.findall(key_text)


class _StemCache(dict):
    """key word → its light stem, or "" for a stopword/1-letter token (memo, bounded)."""

    limit = 400_000

    def __missing__(self, word: str) -> str:
        s = light_stem(word)
        if len(s) < 2 or s in STOPWORDS:
            s = ""
        if len(self) >= self.limit:
            self.clear()
        self[word] = s
        return s


_CONTENT_STEM = _StemCache()
_content_stem = _CONTENT_STEM.__getitem__


def _content_stems(words: Iterable[str]) -> list[str]:
    """Light stems of the words that can carry content (no stopwords, no 1-letter tokens)."""
    return [s for s in map(_content_stem, words) if s]


# ---------------------------------------------------------------------------
# Time


def parse_time(value: str | None) -> float | None:
    """ISO 8601 date or datetime (maybe with offset) → days since 1970-01-01 UTC.

    A bare date stands for its midday (the middle of the day it names), a
    naive datetime is read as UTC. None or unreadable → None.
    """
    if not value:
        return None
    text = str(value).strip()
    try:
        if len(text) == 10:
            dt = datetime.fromisoformat(text).replace(hour=12)
        else:
            dt = datetime.fromisoformat(text.replace(" ", "T", 1).replace("Z", "+00:00"))
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.timestamp() / 86400.0


# ---------------------------------------------------------------------------
# Analysis (corpus-independent) and document frequencies


@dataclass
class Analysis:
    """What a doc is made of, before any corpus statistic is applied."""

    article_id: str
    seq: int
    time: float | None
    outlet: str | None
    term_counts: dict[str, int]  # stems of title (counted twice) and body
    title_stems: list[str]  # content stems of the title, in order
    title_words: list[str]  # key-normalised content words of the title
    lead_stems: list[str]  # content stems of the lead (first LEAD_WORDS words of the body)
    length: int  # content stems in the body
    entities: dict[str, float]  # entity key → weight (type weight × (1 + log count))

    def term_set(self) -> list[str]:
        return list(self.term_counts)


def analyze(doc: StoryDoc) -> Analysis:
    """Stems, title, lead, entity weights and time of a StoryDoc."""
    body_key = normalize_key(doc.body or "")
    body_words = _words(body_key)
    title = (doc.title or "").strip()
    if title:
        title_words_all = _words(normalize_key(title))
    else:
        title_words_all = body_words[:TITLE_FALLBACK_WORDS]
    title_stems = _content_stems(title_words_all)
    body_stems = _content_stems(body_words)
    counts = Counter(body_stems)
    if title:  # the headline says what the story is: count its words twice
        for s in title_stems:
            counts[s] += 2
    lead_stems = _content_stems(body_words[:LEAD_WORDS])
    title_words = [w for w in title_words_all if _content_stem(w)]
    entities: dict[str, float] = {}
    for key, count in sorted(doc.entities.items()):
        if count <= 0:
            continue
        type_ = doc.entity_types.get(key) or key.partition(":")[0]
        entities[key] = ENTITY_TYPE_WEIGHTS.get(type_, 1.0) * (1.0 + math.log(count))
    return Analysis(
        article_id=doc.article_id,
        seq=doc.seq,
        time=parse_time(doc.published),
        outlet=doc.outlet,
        term_counts=dict(sorted(counts.items())),
        title_stems=title_stems,
        title_words=title_words,
        lead_stems=lead_stems,
        length=len(body_stems),
        entities=entities,
    )


class DocumentFrequencies:
    """Document frequencies of stems over the corpus seen so far, with a smoothed IDF.

    ``add(doc)`` counts each distinct stem of a doc once. ``to_dict()`` /
    ``from_dict()`` persist the counts (JSON-able) so a restarted ingest
    keeps its IDF. ``prune(max_terms)`` bounds memory by forgetting the
    rarest terms (which then read as unseen: maximal IDF, as before).
    """

    def __init__(self, n_docs: int = 0, counts: Mapping[str, int] | None = None) -> None:
        self.n_docs = n_docs
        self.counts: dict[str, int] = dict(counts or {})

    def add(self, doc: StoryDoc | Analysis | Iterable[str]) -> None:
        if isinstance(doc, StoryDoc):
            terms: Iterable[str] = analyze(doc).term_counts
        elif isinstance(doc, Analysis):
            terms = doc.term_counts
        else:
            terms = set(doc)
        counts = self.counts
        for t in terms:
            counts[t] = counts.get(t, 0) + 1
        self.n_docs += 1

    def idf(self, term: str) -> float:
        """Smoothed IDF: ln((1 + N) / (1 + df)) + 1 (never below 1, unseen terms highest)."""
        return math.log((1.0 + self.n_docs) / (1.0 + self.counts.get(term, 0))) + 1.0

    def prune(self, max_terms: int) -> None:
        if len(self.counts) <= max_terms:
            return
        kept = sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0]))[:max_terms]
        self.counts = dict(kept)

    def __len__(self) -> int:
        return len(self.counts)

    def to_dict(self) -> dict[str, Any]:
        return {"n_docs": self.n_docs, "counts": dict(sorted(self.counts.items()))}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "DocumentFrequencies":
        return cls(int(data.get("n_docs", 0)), {str(k): int(v) for k, v in (data.get("counts") or {}).items()})

    def merged(self, other: "DocumentFrequencies") -> "DocumentFrequencies":
        """A new table with both tables' counts (e.g. a reference corpus + the texts at hand)."""
        out = DocumentFrequencies(self.n_docs, self.counts)
        for t, c in other.counts.items():
            out.counts[t] = out.counts.get(t, 0) + c
        out.n_docs += other.n_docs
        return out


# ---------------------------------------------------------------------------
# Vectors


_GRAMS: dict[tuple[str, tuple[int, ...]], tuple[str, ...]] = {}


def _word_grams(word: str, sizes: tuple[int, ...]) -> tuple[str, ...]:
    key = (word, sizes)
    grams = _GRAMS.get(key)
    if grams is None:
        padded = f" {word} "
        grams = tuple(padded[i : i + n] for n in sizes for i in range(len(padded) - n + 1))
        if len(_GRAMS) >= 400_000:
            _GRAMS.clear()
        _GRAMS[key] = grams
    return grams


def char_grams(words: Iterable[str], sizes: tuple[int, ...], weight_of=None) -> dict[str, float]:
    """Character n-grams of each word padded with spaces, L2-normalised.

    Grams never cross words, so they capture morphology (والمفاوضات and
    مفاوضات share most grams) without the stemmer's decisions. A gram's weight
    sums ``weight_of(word)`` over the words it occurs in (1 by default).
    """
    acc: dict[str, float] = {}
    get = acc.get
    for w in words:
        wt = weight_of(w) if weight_of else 1.0
        for g in _word_grams(w, sizes):
            acc[g] = get(g, 0.0) + wt
    return _l2(acc)


def _l2(vec: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in vec.values()))
    if norm <= 0:
        return {}
    return {k: v / norm for k, v in vec.items()}


@dataclass
class DocVector:
    """A doc weighted with the corpus statistics of its time; what similarity compares.

    JSON-able through ``to_dict``/``from_dict`` (the clusterer's state keeps
    the vectors of the articles still inside its window).
    """

    article_id: str
    seq: int = 0
    time: float | None = None  # days since epoch (UTC), None when the date is unknown
    outlet: str | None = None
    terms: dict[str, float] = field(default_factory=dict)  # L2-normalised tf-idf of title+body stems (top MAX_TERMS)
    title: list[str] = field(default_factory=list)  # distinct content stems of the title
    title_grams: dict[str, float] = field(default_factory=dict)  # L2-normalised char 3-4-grams of the title words
    lead_grams: dict[str, float] = field(default_factory=dict)  # L2-normalised idf-weighted char 3-5-grams of the lead stems
    length: int = 0  # content words in the body
    entities: dict[str, float] = field(default_factory=dict)  # entity key → weight

    def top_terms(self, n: int = INDEX_TERMS) -> list[str]:
        """The ``n`` heaviest terms (ties by term), for the inverted index."""
        return list(itertools.islice(self.terms, n)) if self._sorted() else \
            [t for t, _ in sorted(self.terms.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]

    def _sorted(self) -> bool:
        vals = list(itertools.islice(self.terms.values(), INDEX_TERMS * 2))
        return all(a >= b for a, b in zip(vals, vals[1:]))

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.article_id,
            "seq": self.seq,
            "time": self.time,
            "outlet": self.outlet,
            "terms": {k: round(v, 6) for k, v in self.terms.items()},
            "title": self.title,
            "title_grams": {k: round(v, 6) for k, v in self.title_grams.items()},
            "lead_grams": {k: round(v, 6) for k, v in self.lead_grams.items()},
            "entities": {k: round(v, 6) for k, v in self.entities.items()},
            "length": self.length,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "DocVector":
        return cls(
            article_id=data["id"],
            seq=int(data.get("seq", 0)),
            time=data.get("time"),
            outlet=data.get("outlet"),
            terms=dict(data.get("terms") or {}),
            title=list(data.get("title") or []),
            title_grams=dict(data.get("title_grams") or {}),
            lead_grams=dict(data.get("lead_grams") or {}),
            entities=dict(data.get("entities") or {}),
            length=int(data.get("length", 0)),
        )


def _by_weight(kv: tuple[str, float]) -> tuple[float, str]:
    return (-kv[1], kv[0])


def vectorize(analysis: Analysis, df: DocumentFrequencies) -> DocVector:
    """Weight an analysis with the current document frequencies."""
    idf = df.idf
    weights = {t: (1.0 + math.log(c)) * idf(t) for t, c in analysis.term_counts.items()}
    # heaviest first (ties by term), so top_terms() is a prefix
    weights = dict(sorted(weights.items(), key=_by_weight)[:MAX_TERMS])
    # Char grams of the lead's stems, each weighted by the IDF of its stem:
    # the grams of rare words dominate without a second frequency table.
    lead = char_grams(analysis.lead_stems, LEAD_GRAMS, weight_of=idf)
    title_grams = char_grams(analysis.title_words, TITLE_GRAMS)
    return DocVector(
        article_id=analysis.article_id,
        seq=analysis.seq,
        time=analysis.time,
        outlet=analysis.outlet,
        terms=_l2(weights),
        title=sorted(set(analysis.title_stems)),
        title_grams=title_grams,
        lead_grams=lead,
        entities=dict(analysis.entities),
        length=analysis.length,
    )
