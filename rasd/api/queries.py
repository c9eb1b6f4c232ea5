"""Reads shared by the REST API and the web pages: one place that turns the store into views.

Every function takes an open `Store` and returns plain dicts/lists (JSON-ready),
raising `ApiError` for what the client got wrong (unknown id, bad date), so
the API returns them as they are and the templates render them.
"""
from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from dataclasses import asdict
from datetime import date, timedelta
from typing import Any

from rasd.api.errors import ApiError
from rasd.records import Article, Enrichment, Quote
from rasd.store import SearchHit, SearchQuery, SearchResult, Store, StoreError

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MARK_OPEN, MARK_CLOSE = "\x02", "\x03"  # search snippet highlight markers (see SearchHit)


# ---------------------------------------------------------------------------
# parameters


def parse_day(value: str | None, name: str) -> str | None:
    """A filter date: "2025-11-18" (checked) or None."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        if not _DAY.match(value):
            raise ValueError
        date.fromisoformat(value)
    except ValueError:
        raise ApiError(422, f"{name} must be a date like 2025-11-18, not {value!r}") from None
    return value


def day_after(day: str | None) -> str | None:
    return None if day is None else (date.fromisoformat(day) + timedelta(days=1)).isoformat()


def check_range(date_from: str | None, date_to: str | None) -> None:
    if date_from and date_to and date_from > date_to:
        raise ApiError(422, f"'from' ({date_from}) is after 'to' ({date_to})")


# ---------------------------------------------------------------------------
# articles


def get_article_or_404(store: Store, ident: str) -> Article:
    try:
        article = store.get_article(ident)
    except StoreError as exc:  # an ambiguous id prefix
        raise ApiError(400, str(exc)) from exc
    if article is None:
        raise ApiError(404, f"no article with id {ident!r}")
    return article


def quote_dict(quote: Quote, article_id: str | None = None) -> dict[str, Any]:
    data = asdict(quote)
    if article_id is not None:
        data = {"article_id": article_id, **data}
    return data


def article_detail(store: Store, ident: str) -> dict[str, Any]:
    """The full article: record, entities (with counts), mentions and quotes (with offsets), story."""
    article = get_article_or_404(store, ident)
    enrichment = store.get_enrichment(article.id)
    names = {e.key: e.name for e in enrichment.entities}
    data = article.to_dict()
    data["entities"] = store.article_entities(article.id)
    data["mentions"] = [{**asdict(m), "name": names.get(m.entity_key)} for m in enrichment.mentions]
    data["quotes"] = [quote_dict(q) for q in enrichment.quotes]
    lineage = store.article_story(article.id)
    story = store.get_story(lineage["story_id"]) if lineage.get("story_id") else None
    data["story"] = (
        {
            "id": story["id"],
            "headline": story.get("headline"),
            "articles": len(story.get("articles") or []),
            "outlets": len(story.get("outlets") or []),
            "kind": lineage.get("kind"),
            "novelty": lineage.get("novelty"),
            "duplicate_of": lineage.get("duplicate_of"),
        }
        if story
        else None
    )
    data["story_id"] = story["id"] if story else lineage.get("story_id")
    data["kind"], data["novelty"], data["duplicate_of"] = lineage["kind"], lineage["novelty"], lineage["duplicate_of"]
    return data


def article_with_enrichment(store: Store, ident: str) -> tuple[Article, Enrichment]:
    article = get_article_or_404(store, ident)
    return article, store.get_enrichment(article.id)


def list_articles(
    store: Store,
    *,
    limit: int,
    offset: int = 0,
    outlet: str | None = None,
    language: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    story: str | None = None,
    entity: str | None = None,
) -> tuple[int, list[dict[str, Any]]]:
    """(total, article summaries), newest first, with the given filters (all exact and indexed)."""
    date_from, date_to = parse_day(date_from, "from"), parse_day(date_to, "to")
    check_range(date_from, date_to)
    story_id = None
    if story:
        found = store.get_story(story)
        if found is None:
            return 0, []
        story_id = found["id"]
    entity_key = None
    if entity:
        found_entity = store.find_entity(entity)
        if found_entity is None:
            return 0, []
        entity_key = found_entity.key
    return store.article_page(
        limit=limit, offset=offset, outlet=outlet or None, language=language or None,
        published_from=date_from, published_before=day_after(date_to), story_id=story_id, entity_key=entity_key,
    )  # fmt: skip


def article_summaries(store: Store, ids: list[str]) -> list[dict[str, Any]]:
    """Summaries in the order of `ids` (unknown ids skipped)."""
    found = store.article_summaries(ids)
    return [found[i] for i in ids if i in found]


# ---------------------------------------------------------------------------
# stories


def get_story_or_404(store: Store, ident: str) -> dict[str, Any]:
    story = store.get_story(ident)
    if story is None:
        raise ApiError(404, f"no story with id {ident!r}")
    return story


def story_list_item(story: dict[str, Any]) -> dict[str, Any]:
    """A story in lists: id, headline, summary, counts, dates, outlets with counts, top entities."""
    return {
        "id": story["id"],
        "headline": story.get("headline"),
        "summary": story.get("summary"),
        "articles": len(story.get("articles") or []),
        "outlets": story.get("outlet_counts") or [],
        "first_seen": story.get("first_seen"),
        "last_seen": story.get("last_seen"),
        "entities": [{"name": e.get("name"), "type": e.get("type")} for e in (story.get("entities") or [])[:8]],
    }


def story_detail(store: Store, ident: str) -> dict[str, Any]:
    """The story record plus `members`: every article with its lineage (kind, novelty, duplicate_of)."""
    story = dict(get_story_or_404(store, ident))
    story["members"] = article_summaries(store, list(story.get("articles") or []))
    return story


class CompareCache:
    """compare_outlets reads and re-analyses every article of a story (about a second for a
    large one), so results are kept per exact member list: a story that grows gets a new key."""

    def __init__(self, size: int = 64) -> None:
        self._items: OrderedDict[str, list[dict]] = OrderedDict()
        self._lock = threading.Lock()
        self.size = size

    def get_or_build(self, key: str, build) -> list[dict]:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = build()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value


def story_compare(store: Store, story: dict[str, Any], cache: CompareCache | None = None) -> list[dict]:
    """Outlet by outlet: what each adds to the story and what it omits (rasd compare)."""
    from rasd.stories.compare import compare_outlets
    from rasd.stories.stage import story_doc

    ids = list(story.get("articles") or [])

    def build() -> list[dict]:
        docs = []
        for i, article_id in enumerate(ids):
            article = store.get_article(article_id)
            if article is not None:
                docs.append(story_doc(article, store.get_enrichment(article.id), i))
        return compare_outlets(docs)

    if cache is None:
        return build()
    key = hashlib.sha1("\x1f".join([story["id"], *ids]).encode()).hexdigest()
    return cache.get_or_build(key, build)


# ---------------------------------------------------------------------------
# entities and quotes


def list_entities(store: Store, *, type_: str | None, limit: int, offset: int) -> tuple[int, list[dict]]:
    total, rows = store.entity_page(type_=type_, limit=limit, offset=offset)
    aliases = store.entity_aliases([r["key"] for r in rows])
    for row in rows:
        row["aliases"] = aliases.get(row["key"], [])
    return total, rows


def get_entity_or_404(store: Store, name: str):
    entity = store.find_entity(name)
    if entity is None:
        raise ApiError(404, f"no entity named {name!r}")
    return entity


def mention_timeline(rows: list[tuple[str | None, int]]) -> dict[str, Any]:
    """Mentions per period for a bar chart: per day over a short span, per month, else per year.

    Periods without mentions are included (zero bars), so the chart's x axis is time."""
    dated = [(p[:10], n) for p, n in rows if p and len(p) >= 10 and _DAY.match(p[:10])]
    undated = sum(n for p, n in rows if not (p and len(p) >= 10 and _DAY.match(p[:10])))
    if not dated:
        return {"unit": "month", "periods": [], "undated": undated}
    first, last = min(d for d, _ in dated), max(d for d, _ in dated)
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    if (end - start).days <= 45:
        unit, key_len = "day", 10
        labels = [(start + timedelta(days=i)).isoformat() for i in range((end - start).days + 1)]
    elif months <= 48:
        unit, key_len = "month", 7
        labels = [f"{start.year + (start.month - 1 + i) // 12:04d}-{(start.month - 1 + i) % 12 + 1:02d}" for i in range(months)]
    else:
        unit, key_len = "year", 4
        labels = [f"{y:04d}" for y in range(start.year, end.year + 1)]
    counts = dict.fromkeys(labels, 0)
    for day, n in dated:
        counts[day[:key_len]] = counts.get(day[:key_len], 0) + n
    return {"unit": unit, "periods": [{"period": k, "mentions": v} for k, v in counts.items()], "undated": undated}


def entity_detail(store: Store, name: str, *, limit: int = 20, offset: int = 0) -> dict[str, Any]:
    """An entity by any alias: aliases, counts, articles (paginated), stories, quotes, mentions over time."""
    entity = get_entity_or_404(store, name)
    rows = store.entity_mentions_by_article(entity.key)
    total, articles = list_articles(store, limit=limit, offset=offset, entity=entity.key)
    stories = []
    for story_id, n in store.entity_stories(entity.key, 20):
        story = store.get_story(story_id)
        if story is not None:
            stories.append({**story_list_item(story), "articles_mentioning": n})
    quotes = store.quotes(speaker_key=entity.key, limit=100)
    return {
        "key": entity.key,
        "name": entity.name,
        "type": entity.type,
        "aliases": entity.aliases,
        "mentions": sum(n for _, n in rows),
        "articles": {"total": total, "limit": limit, "offset": offset, "results": articles},
        "stories": stories,
        "quotes": [quote_dict(q, aid) for aid, q in quotes],
        "timeline": mention_timeline(rows),
    }


def list_quotes(store: Store, *, speaker: str | None, limit: int, offset: int) -> tuple[int, list[dict]]:
    speaker_key = None
    if speaker:
        entity = store.find_entity(speaker)
        if entity is None:
            return 0, []
        speaker_key = entity.key
    total, rows = store.quote_page(speaker_key=speaker_key, limit=limit, offset=offset)
    return total, [quote_dict(q, aid) for aid, q in rows]


def counts(store: Store) -> dict[str, int]:
    return store.corpus_counts()


def outlets(store: Store) -> list[tuple[str, int]]:
    return store.outlets()


# ---------------------------------------------------------------------------
# search


def run_search(store: Store, query: SearchQuery) -> SearchResult:
    query.date_from = parse_day(query.date_from, "from")
    query.date_to = parse_day(query.date_to, "to")
    check_range(query.date_from, query.date_to)
    try:
        return store.search(query)
    except NotImplementedError as exc:
        raise ApiError(501, f"search is not available in this build: {exc}") from exc


def plain_snippet(snippet: str) -> str:
    """The snippet without its highlight markers."""
    return snippet.replace(MARK_OPEN, "").replace(MARK_CLOSE, "")


def hit_dict(hit: SearchHit) -> dict[str, Any]:
    """The documented search result shape (snippet as plain text)."""
    return {
        "id": hit.id,
        "title": hit.title,
        "outlet": hit.outlet,
        "published": hit.published,
        "source": hit.source,
        "story_id": hit.story_id,
        "snippet": plain_snippet(hit.snippet or ""),
    }


def similar_articles(store: Store, article_id: str, limit: int = 10) -> list[SearchHit]:
    """"More like this" (rasd.search.similar); raises ApiError(501) when search is not built in."""
    try:
        from rasd.search.similar import more_like_this
    except ImportError as exc:
        raise ApiError(501, f"'more like this' is not available in this build: {exc}") from exc
    try:
        return list(more_like_this(store, article_id, limit=limit))
    except NotImplementedError as exc:
        raise ApiError(501, f"'more like this' is not available in this build: {exc}") from exc
