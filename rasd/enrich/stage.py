"""Enrich stage: Article → Enrichment (entities with aliases resolved, mentions, quotes).

    resources = load_resources()          # NER model + knowledge base, once per process
    enrichment = enrich_article(article, resources)

Entity spans come from two sources: the CRF tagger trained on ANERcorp and the
shipped knowledge base (gazetteer of people, organisations, places). Where they
overlap the knowledge-base span wins (it names a known entity exactly); the
linker then gives every span one canonical entity, and the quote extractor
attributes quotes to those entities.
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

__all__ = ["EnrichResources", "enrich_article", "enrich_text", "load_resources", "ner_spans"]

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


def ner_spans(text: str, tagger) -> list[tuple[int, int, str]]:
    """Character spans (start, end, type) of the entities the tagger finds, sentence by sentence."""
    spans: list[tuple[int, int, str]] = []
    for s_start, s_end in sentence_spans(text):
        tokens = list(_TOKEN.finditer(text, s_start, s_end))
        for i in range(0, len(tokens), MAX_SENTENCE_TOKENS):
            chunk = tokens[i : i + MAX_SENTENCE_TOKENS]
            for first, last, type_ in tagger.entities([m.group() for m in chunk]):
                spans.append((chunk[first].start(), chunk[last - 1].end(), type_))
    return spans


def merge_spans(preferred: list[tuple[int, int, str]], others: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """All `preferred` spans, plus the `others` that overlap none of them (and no longer kept one)."""
    kept = sorted(set(preferred))
    taken = [(s, e) for s, e, _ in kept]
    for s, e, t in sorted(others, key=lambda x: (x[0], -(x[1] - x[0]))):
        if all(e <= ts or s >= te for ts, te in taken):
            kept.append((s, e, t))
            taken.append((s, e))
    return sorted(kept)


def enrich_text(text: str, resources: EnrichResources, article_id: str = "") -> Enrichment:
    kb_spans = find_kb_spans(text, resources.kb)
    model_spans = ner_spans(text, resources.tagger) if resources.tagger is not None else []
    entities, mentions = link_mentions(text, merge_spans(kb_spans, model_spans), resources.kb)
    quotes = extract_quotes(text, entities, mentions, resolve_title=lambda title: resolve_title(title, entities))
    return Enrichment(article_id=article_id, entities=entities, mentions=mentions, quotes=quotes)


def enrich_article(article: Article, resources: EnrichResources) -> Enrichment:
    """Entities, mentions and quotes of an article's body (title and body are both read for entities)."""
    return enrich_text(article.body, resources, article.id)
