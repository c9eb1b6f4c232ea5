"""Text features for story similarity: stems, document frequencies, doc vectors.

A :class:`StoryDoc` is analysed once (:func:`analyze`: light stems of the
normalised title and body, the lead's words, entity weights, time) and then
weighted with the document frequencies of the corpus seen so far
(:class:`DocumentFrequencies`) into a :class:`DocVector`, which is what the
similarity compares and what the clusterer caches per article. Everything
here is pure Python and deterministic (no set iteration decides an output).
"""
from __future__ import annotations

import dataclasses
import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from rasd.arabic import light_stem, normalize_key
from rasd.records import StoryDoc

__all__ = [
    "ENTITY_TYPE_WEIGHTS",
    "STOPWORDS",
    "Analysis",
    "DocVector",
    "DocumentFrequencies",
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
MAX_TERMS = 100  # terms kept per document vector (highest tf-idf first)
LEAD_WORDS = 60  # words of the body that make the lead
TITLE_FALLBACK_WORDS = 20  # an untitled doc uses the first words of its body as title
LEAD_GRAMS = (3, 4)
TITLE_GRAMS = (3, 4)
INDEX_TERMS = 12  # top terms a document offers to the clusterer's inverted index
ENTITY_PREFIX = "@"  # entity keys are counted in the document frequencies as "@PER:..."

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
            dt = datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
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
    title_grams: dict[str, float] = field(default_factory=dict)  # of title_words (corpus-independent)

    def term_set(self) -> list[str]:
        return list(self.term_counts)


def analyze(doc: StoryDoc) -> Analysis:
    """Stems, title, lead, entity weights and time of a StoryDoc (memoised on the doc, so an
    ingest worker can compute it and the clusterer in the main process only reads it)."""
    key = (doc.article_id, doc.text_key(), doc.published, doc.outlet, doc.entity_key(), tuple(doc.entities.values()))
    analysis = doc.memo("analysis", key, _analyze)
    if analysis.seq != doc.seq:  # the ingest order is set in the main process, after the workers
        analysis = dataclasses.replace(analysis, seq=doc.seq)
    return analysis


def _analyze(doc: StoryDoc) -> Analysis:
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
        title_grams=_title_grams(title_words),
    )


class DocumentFrequencies:
    """Document frequencies of stems (and entity keys, as "@KEY") over the corpus
    seen so far, with a smoothed IDF.

    ``add(doc)`` counts each distinct stem and entity of a doc once. ``to_dict()`` /
    ``from_dict()`` persist the counts (JSON-able) so a restarted ingest
    keeps its IDF. ``prune(max_terms)`` bounds memory by forgetting the
    rarest terms (which then read as unseen: maximal IDF, as before).
    """

    def __init__(self, n_docs: int = 0, counts: Mapping[str, int] | None = None) -> None:
        self.n_docs = n_docs
        self.counts: dict[str, int] = dict(counts or {})

    def add(self, doc: StoryDoc | Analysis | Iterable[str]) -> None:
        if isinstance(doc, StoryDoc):
            doc = analyze(doc)
        if isinstance(doc, Analysis):
            terms: Iterable[str] = itertools.chain(doc.term_counts, (ENTITY_PREFIX + k for k in doc.entities))
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
    def from_dict(cls, data: Mapping[str, Any]) -> DocumentFrequencies:
        return cls(int(data.get("n_docs", 0)), {str(k): int(v) for k, v in (data.get("counts") or {}).items()})

    def merged(self, other: DocumentFrequencies) -> DocumentFrequencies:
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
    the vectors of the articles still inside its window). The character
    grams are not stored: they are rebuilt from the title words and the
    lead's (stem, weight) pairs, which gives the very same vectors back.
    Weights are rounded to 6 decimals when made, so a JSON round trip is exact.
    """

    article_id: str
    seq: int = 0
    time: float | None = None  # days since epoch (UTC), None when the date is unknown
    outlet: str | None = None
    terms: dict[str, float] = field(default_factory=dict)  # L2-normalised tf-idf of title+body stems (top MAX_TERMS), heaviest first
    title: list[str] = field(default_factory=list)  # distinct content stems of the title
    title_grams: dict[str, float] = field(default_factory=dict)  # L2-normalised char 3-4-grams of the title words
    lead_grams: dict[str, float] = field(default_factory=dict)  # L2-normalised idf-weighted char 3-4-grams of the lead stems
    length: int = 0  # content words in the body
    entities: dict[str, float] = field(default_factory=dict)  # entity key → weight (type × mentions × idf)
    title_words: list[str] = field(default_factory=list)  # what title_grams are made of
    lead: list[tuple[str, float]] = field(default_factory=list)  # (stem, idf) pairs lead_grams are made of

    def top_terms(self, n: int = INDEX_TERMS) -> list[str]:
        """The ``n`` heaviest terms (ties by term), for the inverted index."""
        return list(itertools.islice(self.terms, n)) if self._sorted() else \
            [t for t, _ in sorted(self.terms.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]

    def _sorted(self) -> bool:
        vals = list(itertools.islice(self.terms.values(), INDEX_TERMS * 2))
        return all(a >= b for a, b in itertools.pairwise(vals))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.article_id,
            "seq": self.seq,
            "time": self.time,
            "outlet": self.outlet,
            "terms": [list(self.terms), list(self.terms.values())],
            "title": self.title,
            "entities": self.entities,
            "length": self.length,
            "title_words": self.title_words,
            "lead": [[w for w, _ in self.lead], [x for _, x in self.lead]],
        }
        if not self.title_words and self.title_grams:
            out["title_grams"] = self.title_grams
        if not self.lead and self.lead_grams:
            out["lead_grams"] = self.lead_grams
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DocVector:
        terms = data.get("terms") or {}
        if isinstance(terms, list):  # [keys, values]
            terms = dict(zip(terms[0], terms[1]))
        lead_raw = data.get("lead") or [[], []]
        lead = list(zip(lead_raw[0], lead_raw[1]))
        title_words = list(data.get("title_words") or [])
        return cls(
            article_id=data["id"],
            seq=int(data.get("seq", 0)),
            time=data.get("time"),
            outlet=data.get("outlet"),
            terms=dict(terms),
            title=list(data.get("title") or []),
            title_grams=dict(data.get("title_grams") or {}) or _title_grams(title_words),
            lead_grams=dict(data.get("lead_grams") or {}) or _lead_grams(lead),
            entities=dict(data.get("entities") or {}),
            length=int(data.get("length", 0)),
            title_words=title_words,
            lead=lead,
        )


def _title_grams(words: list[str]) -> dict[str, float]:
    return char_grams(words, TITLE_GRAMS)


def _lead_grams(lead: list[tuple[str, float]]) -> dict[str, float]:
    weights = dict(lead)
    return char_grams([w for w, _ in lead], LEAD_GRAMS, weight_of=weights.__getitem__)


def _r6(vec: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 6) for k, v in vec.items()}


def _by_weight(kv: tuple[str, float]) -> tuple[float, str]:
    return (-kv[1], kv[0])


def vectorize(analysis: Analysis, df: DocumentFrequencies) -> DocVector:
    """Weight an analysis with the current document frequencies."""
    idf = df.idf
    # df.idf inlined (same expression, same floats): this runs once per term of every article
    log, n1, df_of = math.log, 1.0 + df.n_docs, df.counts.get
    weights = {t: (1.0 + log(c)) * (log(n1 / (1.0 + df_of(t, 0))) + 1.0) for t, c in analysis.term_counts.items()}
    # heaviest first (ties by term), so top_terms() is a prefix
    top = sorted(weights.items(), key=_by_weight)[:MAX_TERMS]
    # Char grams of the lead's stems, each weighted by the IDF of its stem:
    # the grams of rare words dominate without a second frequency table.
    lead = [(w, round(idf(w), 6)) for w in analysis.lead_stems]
    return DocVector(
        article_id=analysis.article_id,
        seq=analysis.seq,
        time=analysis.time,
        outlet=analysis.outlet,
        terms=_r6(_l2(dict(top))),
        title=sorted(set(analysis.title_stems)),
        title_grams=analysis.title_grams or _title_grams(analysis.title_words),
        lead_grams=_lead_grams(lead),
        title_words=list(analysis.title_words),
        lead=lead,
        # Entities weigh by type, mentions and rarity: the head of state every
        # article names says less than a minister named in two.
        entities={k: round(w * idf(ENTITY_PREFIX + k), 6) for k, w in analysis.entities.items()},
        length=analysis.length,
    )
