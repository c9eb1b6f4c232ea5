"""The storage interface every backend implements (SQLite and PostgreSQL).

Callers (CLI, API, later pipeline stages) talk to a `Store` only; they never
see SQL. A backend is free in how it lays things out, but must keep the
semantics documented here:

* `add_batch` is atomic: after a crash either the whole batch is stored or
  none of it is. A page is stored together with all its articles.
* Pages are identified by their content hash; storing a page whose hash is
  already known is a no-op (it is counted as skipped, with its articles), so
  re-running an ingest over the same input never duplicates anything.
"""
from __future__ import annotations

import abc
import contextlib
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from rasd.records import Article, Enrichment, Entity, Lineage, Quote, RawPage

ORDERS = ("published", "ingested")


class StoreError(Exception):
    """Any storage failure the caller should report (bad url, locked db, schema too new...)."""


@dataclass
class BatchResult:
    """Counts returned by `Store.add_batch`."""

    pages_added: int = 0
    pages_skipped: int = 0  # already stored (or repeated within the batch)
    articles_added: int = 0

    def __iadd__(self, other: "BatchResult") -> "BatchResult":
        self.pages_added += other.pages_added
        self.pages_skipped += other.pages_skipped
        self.articles_added += other.articles_added
        return self


@dataclass
class StoryUpdate:
    """What one clustering step changes, written in one transaction."""

    assignments: list[tuple[str, str, float | None]] = field(default_factory=list)  # (article, story, score)
    lineages: list[Lineage] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)  # story records (with "id")
    merges: list[tuple[str, str, str | None]] = field(default_factory=list)  # (from story, into story, article)
    state: dict[str, Any] | None = None  # the clusterer's state, to resume after a restart


@dataclass
class SearchQuery:
    """A full-text search with filters (every field optional; an empty `text` lists by filters).

    `entity` is any alias of an entity ("ترمب" finds the articles that mention
    دونالد ترامب however they spell him); dates are ISO 8601 days, inclusive.
    `match`: "all" (default) needs every query word, "any" needs one of them
    (what "more like this" uses). Bad values raise ValueError.
    """

    text: str = ""
    date_from: str | None = None
    date_to: str | None = None
    outlet: str | None = None
    story_id: str | None = None
    entity: str | None = None
    language: str | None = None
    limit: int = 20
    offset: int = 0
    match: str = "all"


@dataclass
class SearchHit:
    """One search result; `snippet` is plain text with matches wrapped in \x02...\x03
    (callers escape it, then turn the markers into <mark> or colour)."""

    id: str
    title: str | None
    outlet: str | None
    published: str | None
    source: str
    story_id: str | None
    snippet: str
    score: float = 0.0


@dataclass
class SearchResult:
    total: int
    results: list[SearchHit] = field(default_factory=list)


class Store(abc.ABC):
    """Abstract article store. Use as a context manager to close it reliably."""

    @abc.abstractmethod
    def add_batch(
        self, pages: list[RawPage], articles: list[Article], enrichments: list[Enrichment] | None = None
    ) -> BatchResult:
        """Store `pages`, their `articles` and the articles' `enrichments` in ONE transaction.

        Pages whose hash is already stored are skipped together with their
        articles. Every article must belong to a page of the batch (or to an
        already stored page, in which case it is skipped).
        """

    @abc.abstractmethod
    def has_page(self, page_hash: str) -> bool:
        """True if a page with this content hash is stored."""

    @abc.abstractmethod
    def known_hashes(self, hashes: Iterable[str]) -> set[str]:
        """The subset of `hashes` already stored (to skip duplicates before extraction)."""

    @abc.abstractmethod
    def get_article(self, article_id: str) -> Article | None:
        """The article with this id, or with this unique id prefix (>= 4 chars).

        Returns None when nothing matches; raises StoreError when a prefix
        matches several articles.
        """

    @abc.abstractmethod
    def iter_articles(
        self, *, limit: int | None = None, offset: int = 0, order: str = "published"
    ) -> Iterator[Article]:
        """Stream articles. order: "published" (newest first, undated last) or "ingested"."""

    @abc.abstractmethod
    def count_articles(self) -> int: ...

    @abc.abstractmethod
    def count_pages(self) -> int: ...

    @abc.abstractmethod
    def get_page(self, page_id: str) -> dict[str, Any] | None:
        """Page metadata: id, hash, source, url, kind, encoding, n_articles, ingested_at."""

    @abc.abstractmethod
    def stats(self) -> dict[str, Any]:
        """pages, articles, outlets, first_published, last_published, per_outlet, ..."""

    # Enrichment (entities, mentions, quotes)

    @abc.abstractmethod
    def get_enrichment(self, article_id: str) -> Enrichment:
        """Entities, mentions and quotes stored for an article (empty lists when none)."""

    @abc.abstractmethod
    def article_entities(self, article_id: str) -> list[dict[str, Any]]:
        """[{name, type, count}] for an article, most mentioned first."""

    @abc.abstractmethod
    def top_entities(self, *, type: str | None = None, limit: int | None = 50) -> list[dict[str, Any]]:
        """[{key, name, type, mentions, articles, aliases}], most mentioned first."""

    @abc.abstractmethod
    def find_entity(self, name: str) -> Entity | None:
        """The entity with this key, canonical name or any alias spelling."""

    @abc.abstractmethod
    def entity_articles(self, key: str) -> list[str]:
        """Ids of the articles that mention the entity, newest first."""

    @abc.abstractmethod
    def quotes(self, *, speaker_key: str | None = None, limit: int | None = 100) -> list[tuple[str, Quote]]:
        """(article id, quote) pairs, newest articles first."""

    # Stories

    @abc.abstractmethod
    def unclustered_article_ids(self) -> list[str]:
        """Articles no story holds yet, in ingest order."""

    def unclustered_article_times(self) -> list[tuple[str, str | None]]:
        """(id, published) of the articles no story holds yet, in ingest order (a re-cluster
        orders them by publication before reading them in chunks). Backends may do it in one
        query; this default reads each article."""
        out = []
        for article_id in self.unclustered_article_ids():
            article = self.get_article(article_id)
            if article is not None:
                out.append((article_id, article.published))
        return out

    @abc.abstractmethod
    def save_stories(self, update: StoryUpdate) -> None:
        """Apply assignments, merges, lineage, story records and clusterer state atomically."""

    @abc.abstractmethod
    def load_story_state(self) -> dict[str, Any] | None: ...

    @abc.abstractmethod
    def clear_stories(self) -> None:
        """Forget every story (before a full re-cluster)."""

    @abc.abstractmethod
    def story_member_ids(self, story_id: str) -> list[str]: ...

    @abc.abstractmethod
    def article_story(self, article_id: str) -> dict[str, Any]:
        """{story_id, duplicate_of, kind, novelty} (None values when not clustered)."""

    @abc.abstractmethod
    def get_story(self, story_id: str) -> dict[str, Any] | None:
        """The story record; an id (or unique prefix) of a story merged away leads to the survivor."""

    @abc.abstractmethod
    def iter_stories(self, *, limit: int | None = 50, offset: int = 0, order: str = "size") -> list[dict[str, Any]]:
        """Story records, largest ("size") or latest ("recent") first."""

    @abc.abstractmethod
    def count_stories(self) -> int: ...

    # Browsing (the API and web UI): paged lists with totals, without article bodies

    @abc.abstractmethod
    def article_page(
        self, *, limit: int, offset: int = 0, outlet: str | None = None, language: str | None = None,
        published_from: str | None = None, published_before: str | None = None, story_id: str | None = None,
        entity_key: str | None = None,
    ) -> tuple[int, list[dict[str, Any]]]:
        """(total, summaries) of the articles matching every given filter, newest first.

        A summary is {id, title, outlet, published, source, language, url, story_id, kind,
        novelty, duplicate_of}; `published_before` is exclusive, `story_id` a resolved story id,
        `entity_key` an entity key."""

    @abc.abstractmethod
    def article_summaries(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        """id -> summary (as in `article_page`) for the given ids; unknown ids are left out."""

    @abc.abstractmethod
    def entity_page(self, *, type_: str | None, limit: int, offset: int) -> tuple[int, list[dict[str, Any]]]:
        """(total, [{key, name, type, mentions, articles}]) of mentioned entities, most mentioned first."""

    @abc.abstractmethod
    def entity_aliases(self, keys: list[str]) -> dict[str, list[str]]:
        """entity key -> its alias spellings (sorted)."""

    @abc.abstractmethod
    def quote_page(self, *, speaker_key: str | None, limit: int, offset: int) -> tuple[int, list[tuple[str, Quote]]]:
        """(total, [(article id, quote)]), newest articles first."""

    @abc.abstractmethod
    def entity_mentions_by_article(self, key: str) -> list[tuple[str | None, int]]:
        """(published, mentions) for every article that mentions the entity."""

    @abc.abstractmethod
    def entity_stories(self, key: str, limit: int) -> list[tuple[str, int]]:
        """(story id, articles of the story that mention the entity), most such articles first."""

    @abc.abstractmethod
    def corpus_counts(self) -> dict[str, int]:
        """{articles, stories, outlets, entities, quotes} for the home page."""

    @abc.abstractmethod
    def outlets(self) -> list[tuple[str, int]]:
        """(outlet, articles), largest first."""

    # Concurrency of the story stage (see rasd.stories.stage.StoryStage)

    def story_lock(self) -> contextlib.AbstractContextManager:
        """A lock held while a process clusters articles and saves the result, so several
        processes writing to one database never cluster the same article twice. Backends
        used by one process at a time (SQLite) need none: the default does nothing."""
        return contextlib.nullcontext()

    def story_state_version(self) -> int | None:
        """A number that changes whenever the saved clusterer state changes (None when the
        backend does not track it: its state is only changed by the process holding it)."""
        return None

    # Search

    @abc.abstractmethod
    def search(self, query: SearchQuery) -> SearchResult:
        """Arabic-folded full-text search with filters; BM25 with a recency boost."""

    def term_document_counts(self, words: list[str]) -> tuple[int, dict[str, int]]:
        """(indexed articles, {folded word: articles containing it}) for "more like this".

        Optional: a backend without it returns (0, {}) and callers fall back to term counts.
        """
        return 0, {}

    @abc.abstractmethod
    def close(self) -> None:
        """Release the connection. Idempotent."""

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
