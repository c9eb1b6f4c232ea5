"""Store methods that only run one query function of their backend, shared by the SQLite and
PostgreSQL stores. A backend sets the modules its query functions live in (each function takes
the connection first, with the same name in every backend) and implements `_read(fn, *args,
**kwargs)` and `_write(fn, *args)`, which run them with its own connection, transactions and
error translation.
"""
from __future__ import annotations

from types import ModuleType
from typing import Any

from rasd.records import Enrichment, Entity, Quote
from rasd.store.base import SearchQuery, SearchResult, Store, StoreError, StoryUpdate


class QueryModuleStore(Store):
    """The read and story methods of `Store`, forwarded to the backend's query modules."""

    _enrich_q: ModuleType  # read_enrichment, entity_summary, top_entities, find_entity, ...
    _stories_q: ModuleType  # write_update, load_state, clear, member_ids, article_story, ...
    _browse_q: ModuleType  # article_page, entity_page, quote_page, counts, outlets, ...
    _search_q: ModuleType  # search, term_document_counts

    def _read(self, fn, *args, **kwargs):
        raise NotImplementedError

    def _write(self, fn, *args):
        raise NotImplementedError

    # -- enrichment --------------------------------------------------------------------

    def get_enrichment(self, article_id: str) -> Enrichment:
        return self._read(self._enrich_q.read_enrichment, article_id)

    def article_entities(self, article_id: str) -> list[dict[str, Any]]:
        return self._read(self._enrich_q.entity_summary, article_id)

    def top_entities(self, *, type: str | None = None, limit: int | None = 50) -> list[dict[str, Any]]:
        return self._read(self._enrich_q.top_entities, type, limit)

    def find_entity(self, name: str) -> Entity | None:
        return self._read(self._enrich_q.find_entity, name)

    def entity_articles(self, key: str) -> list[str]:
        return self._read(self._enrich_q.entity_article_ids, key)

    def quotes(self, *, speaker_key: str | None = None, limit: int | None = 100) -> list[tuple[str, Quote]]:
        return self._read(self._enrich_q.list_quotes, speaker_key, limit)

    def entity_aliases(self, keys: list[str]) -> dict[str, list[str]]:
        return dict(self._read(self._enrich_q.aliases, keys))

    # -- stories -----------------------------------------------------------------------

    def unclustered_article_times(self) -> list[tuple[str, str | None]]:
        return self._read(self._stories_q.unclustered_article_times)

    def save_stories(self, update: StoryUpdate) -> None:
        self._write(self._stories_q.write_update, update)

    def load_story_state(self) -> dict[str, Any] | None:
        return self._read(self._stories_q.load_state)

    def clear_stories(self) -> None:
        self._write(self._stories_q.clear)

    def story_member_ids(self, story_id: str) -> list[str]:
        return self._read(self._stories_q.member_ids, story_id)

    def article_story(self, article_id: str) -> dict[str, Any]:
        return self._read(self._stories_q.article_story, article_id)

    def get_story(self, story_id: str) -> dict[str, Any] | None:
        found = self._read(self._stories_q.resolve_story_id, story_id)
        return self._read(self._stories_q.get_story, found) if found else None

    def iter_stories(self, *, limit: int | None = 50, offset: int = 0, order: str = "size") -> list[dict[str, Any]]:
        if order not in ("size", "recent"):
            raise StoreError(f"order must be 'size' or 'recent', not {order!r}")
        return self._read(self._stories_q.list_stories, limit, offset, order)

    # -- browsing ----------------------------------------------------------------------

    def article_page(self, *, limit: int, offset: int = 0, outlet: str | None = None, language: str | None = None,
                     published_from: str | None = None, published_before: str | None = None,
                     story_id: str | None = None, entity_key: str | None = None) -> tuple[int, list[dict[str, Any]]]:
        return self._read(
            self._browse_q.article_page, limit=limit, offset=offset, outlet=outlet, language=language,
            published_from=published_from, published_before=published_before, story_id=story_id,
            entity_key=entity_key,
        )  # fmt: skip

    def article_summaries(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        return self._read(self._browse_q.article_summaries, ids)

    def entity_page(self, *, type_: str | None, limit: int, offset: int) -> tuple[int, list[dict[str, Any]]]:
        return self._read(self._browse_q.entity_page, type_=type_, limit=limit, offset=offset)

    def quote_page(self, *, speaker_key: str | None, limit: int, offset: int) -> tuple[int, list[tuple[str, Quote]]]:
        return self._read(self._browse_q.quote_page, speaker_key=speaker_key, limit=limit, offset=offset)

    def entity_mentions_by_article(self, key: str) -> list[tuple[str | None, int]]:
        return self._read(self._browse_q.entity_mentions_by_article, key)

    def entity_stories(self, key: str, limit: int) -> list[tuple[str, int]]:
        return self._read(self._browse_q.entity_stories, key, limit)

    def corpus_counts(self) -> dict[str, int]:
        return self._read(self._browse_q.counts)

    def outlets(self) -> list[tuple[str, int]]:
        return self._read(self._browse_q.outlets)

    # -- search ------------------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResult:
        return self._read(self._search_q.search, query)

    def term_document_counts(self, words: list[str]) -> tuple[int, dict[str, int]]:
        return self._read(self._search_q.term_document_counts, words)
