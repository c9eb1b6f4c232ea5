"""Enrich stage: Article → Enrichment (entities with aliases resolved, mentions, quotes).

    resources = load_resources()          # NER model + knowledge base, once per process
    enrichment = enrich_article(article, resources)

Entity spans come from two sources: the CRF tagger trained on ANERcorp and the
shipped knowledge base (gazetteer of people, organisations, places). The
linker resolves their overlaps and gives every span one canonical entity; the
quote extractor then attributes quotes to those entities.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rasd.arabic import sentence_spans
from rasd.enrich.kb import KnowledgeBase
from rasd.enrich.link import find_kb_spans, link_mentions, resolve_title
from rasd.enrich.quotes import extract_quotes
from rasd.records import Article, Enrichment

__all__ = ["EnrichResources", "enrich_article", "enrich_articles", "enrich_text", "load_resources", "ner_spans"]

# Tokens as ANERcorp writes them: words (with clitics attached), numbers, single punctuation marks.
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|\w+|[^\w\s]")
MAX_SENTENCE_TOKENS = 200  # a "sentence" longer than this is cut; the CRF is linear in length anyway


@dataclass
class EnrichResources:
    kb: KnowledgeBase
    tagger: object | None  # rasd.enrich.ner.model.NERTagger; None when no model is shipped


@lru_cache(maxsize=2)
def load_resources(model_dir: str | None = None) -> EnrichResources:
    """The NER model and knowledge base, loaded once per process (and per worker)."""
    from rasd.enrich.ner.model import DEFAULT_DIR, NERTagger

    path = Path(model_dir) if model_dir else DEFAULT_DIR
    tagger = NERTagger.load(path) if (path / "config.json").exists() else None
    return EnrichResources(kb=KnowledgeBase.load(), tagger=tagger)


def _sentence_chunks(text: str) -> list[tuple[int, list[str]]]:
    """(start offset, tokens) per sentence, long sentences cut into chunks of MAX_SENTENCE_TOKENS.
    Only strings here (no match objects: most tokens never need their offsets)."""
    chunks: list[tuple[int, list[str]]] = []
    for s_start, s_end in sentence_spans(text):
        tokens = _TOKEN.findall(text, s_start, s_end)
        if len(tokens) <= MAX_SENTENCE_TOKENS:
            chunks.append((s_start, tokens))
            continue
        offsets = _token_offsets(text, s_start, tokens)
        for i in range(0, len(tokens), MAX_SENTENCE_TOKENS):
            chunks.append((offsets[i][0], tokens[i : i + MAX_SENTENCE_TOKENS]))
    return chunks


def _token_offsets(text: str, start: int, tokens: list[str]) -> list[tuple[int, int]]:
    """Character offsets of consecutive tokens: every non-space character belongs to a token
    (see _TOKEN), so each one is found at the next non-space position."""
    out = []
    pos = start
    for tok in tokens:
        pos = text.find(tok, pos)
        out.append((pos, pos + len(tok)))
        pos += len(tok)
    return out


def ner_spans_many(texts: list[str], tagger) -> list[list[tuple[int, int, str]]]:
    """Character spans (start, end, type) of the entities the tagger finds, per text.

    The sentences of all texts go to the tagger in one call (it batches them:
    far fewer steps than text by text); an entity found in one sentence is then
    propagated to its other mentions within the same text only.
    """
    from rasd.enrich.ner.metrics import get_entities
    from rasd.enrich.ner.model import PUBLIC_TYPE
    from rasd.enrich.ner.propagate import propagate

    per_text = [_sentence_chunks(t) for t in texts]
    sentences = [tokens for chunks in per_text for _start, tokens in chunks]
    tags = tagger.tag_many(sentences, propagate=False) if sentences else []
    window = getattr(tagger, "propagate_window", 0)
    out: list[list[tuple[int, int, str]]] = []
    pos = 0
    for text, chunks in zip(texts, per_text):
        words = sentences[pos : pos + len(chunks)]
        text_tags = tags[pos : pos + len(chunks)]
        pos += len(chunks)
        if window > 0 and words:
            text_tags = propagate(words, text_tags, window=window)
        spans: list[tuple[int, int, str]] = []
        for (start, tokens), chunk_tags in zip(chunks, text_tags):
            entities = get_entities(chunk_tags)
            if not entities:
                continue
            offsets = _token_offsets(text, start, tokens[: entities[-1][1] + 1])
            for first, last, type_ in entities:
                spans.append((offsets[first][0], offsets[last][1], PUBLIC_TYPE.get(type_, type_)))
        out.append(spans)
    return out


def ner_spans(text: str, tagger) -> list[tuple[int, int, str]]:
    return ner_spans_many([text], tagger)[0]


def enrich_text(
    text: str,
    resources: EnrichResources,
    article_id: str = "",
    year: int | None = None,
    model_spans: list[tuple[int, int, str]] | None = None,
) -> Enrichment:
    """Entities, mentions and quotes of a text. `year` (of publication) picks who held a title then;
    `model_spans` are the tagger's spans when they were computed for a whole batch already."""
    kb_spans = find_kb_spans(text, resources.kb)
    if model_spans is None:
        model_spans = ner_spans(text, resources.tagger) if resources.tagger is not None else []
    # The linker resolves overlaps itself: a longer model span beats a nested KB surname
    # ("هانتر بايدن" is not "بايدن"), a KB name beats a title + name span.
    entities, mentions = link_mentions(text, kb_spans + model_spans, resources.kb, year=year)
    quotes = extract_quotes(
        text, entities, mentions, resolve_title=lambda title: resolve_title(title, entities, resources.kb, year=year)
    )
    return Enrichment(article_id=article_id, entities=entities, mentions=mentions, quotes=quotes)


def _year(article: Article) -> int | None:
    return int(article.published[:4]) if article.published and article.published[:4].isdigit() else None


def enrich_article(article: Article, resources: EnrichResources) -> Enrichment:
    """Entities, mentions and quotes of an article's body."""
    return enrich_text(article.body, resources, article.id, _year(article))


def enrich_articles(articles: list[Article], resources: EnrichResources) -> list[Enrichment]:
    """`enrich_article` for a batch, with the tagger run once over all of it (several times faster)."""
    if resources.tagger is None:
        return [enrich_article(a, resources) for a in articles]
    spans = ner_spans_many([a.body for a in articles], resources.tagger)
    return [
        enrich_text(a.body, resources, a.id, _year(a), model_spans=s) for a, s in zip(articles, spans)
    ]
