"""More like this: the articles closest to one article, by the story similarity.

1. Candidates from the full-text index: the article's most distinctive
   words (tf x idf over its folded title and body, title words counted
   three times, idf from the index; stopwords, numbers and words in more
   than MAX_DF_SHARE of the articles left out) are ORed in one search, and
   its best CANDIDATES hits (BM25 with the recency boost) are kept.
2. Each candidate is scored against the article with the story similarity
   (:class:`rasd.stories.similarity.StorySimilarity`, the model the
   clusterer uses: body and lead tf-idf, titles, entities, dates), with the
   bundled reference document frequencies plus the candidates themselves as
   the IDF, as `rasd similarity` does for a pair of texts.
3. Best first; the article itself is never returned. The hits carry the
   similarity as `score` and the search snippet (shared words marked).
"""
from __future__ import annotations

import math
from collections import Counter

from rasd.arabic import light_stem
from rasd.search.fold import WORD_RE, fold_word, is_arabic_word
from rasd.store.base import SearchHit, SearchQuery, Store
from rasd.stories.features import STOPWORDS, DocumentFrequencies, analyze
from rasd.stories.similarity import StorySimilarity, reference_df, story_doc

__all__ = ["CANDIDATES", "distinctive_words", "more_like_this"]

QUERY_WORDS = 10  # words ORed in the candidate search
CANDIDATES = 50  # hits re-scored with the story similarity
MAX_DF_SHARE = 0.05  # a word in more articles than this says little (and would make the OR slow)
MIN_DF_CAP = 100  # ...but on a small corpus every word of a big story is in "many" articles
TITLE_REPEAT = 3


def _content(word: str) -> bool:
    return len(word) >= 3 and (is_arabic_word(word) or word.isalpha())  # no numbers, no particles


def distinctive_words(store: Store, title: str | None, body: str, n: int = QUERY_WORDS) -> list[str]:
    """The article's `n` most distinctive words, as written (so the search folds them like the index)."""
    counts: Counter[str] = Counter()
    surface: dict[str, str] = {}
    for text, weight in ((title or "", TITLE_REPEAT), (body, 1)):
        for word in WORD_RE.findall(text):
            folded = fold_word(word)
            if not _content(folded) or light_stem(word) in STOPWORDS:
                continue
            counts[folded] += weight
            surface.setdefault(folded, word)
    n_docs, df = store.term_document_counts(list(counts))
    scored = []
    for folded, tf in counts.items():
        if n_docs:
            d = df.get(folded, 0)
            if d > max(MIN_DF_CAP, MAX_DF_SHARE * n_docs):
                continue
            idf = math.log((1 + n_docs) / (1 + d)) + 1
        else:
            idf = 1.0
        scored.append((-(1 + math.log(tf)) * idf, folded))
    return [surface[f] for _, f in sorted(scored)[:n]]


def more_like_this(store: Store, article_id: str, limit: int = 10) -> list[SearchHit]:
    """Articles most like `article_id` (id or unique prefix), best first.

    Raises LookupError when there is no such article, ValueError for a bad limit.
    """
    if not 1 <= limit <= CANDIDATES:
        raise ValueError(f"limit must be between 1 and {CANDIDATES}, not {limit!r}")
    article = store.get_article(article_id)
    if article is None:
        raise LookupError(f"no article with id {article_id!r}")
    words = distinctive_words(store, article.title, article.body)
    if not words:
        return []
    found = store.search(SearchQuery(text=" ".join(words), match="any", limit=CANDIDATES))
    hits = [h for h in found.results if h.id != article.id]
    if not hits:
        return []
    docs = {article.id: story_doc(article, store.get_enrichment(article.id))}
    for hit in hits:
        other = store.get_article(hit.id)
        if other is not None:
            docs[hit.id] = story_doc(other, store.get_enrichment(hit.id))
    analyses = {i: analyze(d) for i, d in docs.items()}
    df = DocumentFrequencies.from_dict(reference_df().to_dict())
    for a in analyses.values():
        df.add(a)
    sim = StorySimilarity.load()
    vectors = {i: sim.vectorize(a, df) for i, a in analyses.items()}
    target = vectors[article.id]
    for hit in hits:
        hit.score = round(sim.score(target, vectors[hit.id]), 4) if hit.id in vectors else 0.0
    hits.sort(key=lambda h: -h.score)
    return hits[:limit]
