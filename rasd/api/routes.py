"""The REST API under /api: articles, stories, entities, quotes, search, ingest.

Lists use offset pagination: `limit` (default 20, at most 100; more is a 422
error) and `offset`; they answer `{"total", "limit", "offset", "next_offset",
"results"}` with `next_offset` null on the last page. `/api/search` answers
exactly `{"total", "results"}` (same `limit`/`offset` parameters).
Reads are open; POST /api/ingest needs the API key when the server has one.
"""
from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Body, Depends, Path, Query, Request
from fastapi.responses import JSONResponse

from rasd.api import queries as q
from rasd.api.ingest import ingest_body
from rasd.api.schemas import (
    DEFAULT_LIMIT,
    ERROR_RESPONSES,
    INGEST_EXAMPLES,
    MAX_LIMIT,
    ErrorResponse,
    IngestResponse,
    Page,
    SearchResponse,
    page,
)
from rasd.api.state import require_api_key, server
from rasd.records import ENTITY_TYPES
from rasd.store import SearchQuery

router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)

Limit = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"page size (1-{MAX_LIMIT})")
Offset = Query(0, ge=0, description="results to skip")
DateFrom = Query(None, alias="from", description="first day, YYYY-MM-DD (inclusive)")
DateTo = Query(None, alias="to", description="last day, YYYY-MM-DD (inclusive)")


@router.get("/articles", response_model=Page, tags=["articles"])
def list_articles(
    request: Request,
    limit: int = Limit,
    offset: int = Offset,
    outlet: str | None = Query(None, description="exact outlet name"),
    language: str | None = Query(None, description="ISO 639-1 code, e.g. ar"),
    date_from: str | None = DateFrom,
    date_to: str | None = DateTo,
    story: str | None = Query(None, description="story id"),
    entity: str | None = Query(None, description="entity, by any alias (ترمب)"),
) -> dict[str, Any]:
    """Articles, newest first: id, title, outlet, published, source, language, url, story_id, kind, novelty, duplicate_of."""
    with server(request).store() as store:
        total, rows = q.list_articles(
            store, limit=limit, offset=offset, outlet=outlet, language=language, date_from=date_from,
            date_to=date_to, story=story, entity=entity,
        )  # fmt: skip
    return page(total, limit, offset, rows)


@router.get("/articles/{article_id}", tags=["articles"])
def get_article(request: Request, article_id: str = Path(description="id or unique prefix (≥ 4 characters)")) -> dict[str, Any]:
    """The full article (the export record) plus `mentions` and `quotes` with character offsets in `body`,
    and `story` ({id, headline, articles, outlets, kind, novelty, duplicate_of} or null)."""
    with server(request).store() as store:
        return q.article_detail(store, article_id)


@router.get("/articles/{article_id}/similar", response_model=SearchResponse, tags=["articles", "search"])
def similar_articles(request: Request, article_id: str, limit: int = Query(10, ge=1, le=50)) -> dict[str, Any]:
    """More like this: the articles closest to this one by the story similarity."""
    with server(request).store() as store:
        article = q.get_article_or_404(store, article_id)
        hits = q.similar_articles(store, article.id, limit)
    return {"total": len(hits), "results": [q.hit_dict(h) for h in hits]}


@router.get("/stories", response_model=Page, tags=["stories"])
def list_stories(
    request: Request,
    limit: int = Limit,
    offset: int = Offset,
    order: Literal["size", "recent"] = Query("size", description="largest or latest first"),
) -> dict[str, Any]:
    """Stories: id, headline, summary, articles (count), outlets ([{outlet, articles, first}]), first_seen, last_seen, entities."""
    with server(request).store() as store:
        stories = store.iter_stories(limit=limit, offset=offset, order=order)
        total = store.count_stories()
    return page(total, limit, offset, [q.story_list_item(s) for s in stories])


@router.get("/stories/{story_id}", tags=["stories"])
def get_story(request: Request, story_id: str) -> dict[str, Any]:
    """The story record (headline, summary, summary_sentences, timeline, outlet_counts, entities,
    quotes_by_speaker, ...) plus `members`: each article with kind (original/copy/rewrite), novelty and duplicate_of.
    A merged-away id leads to the surviving story."""
    with server(request).store() as store:
        return q.story_detail(store, story_id)


@router.get("/stories/{story_id}/compare", tags=["stories"])
def compare_story(request: Request, story_id: str) -> dict[str, Any]:
    """Outlet by outlet: `{"story_id", "headline", "outlets": [{outlet, articles, adds: {sentences, quotes,
    entities}, omits: {entities, quotes}}]}`."""
    state = server(request)
    with state.store() as store:
        story = q.get_story_or_404(store, story_id)
        rows = q.story_compare(store, story, state.compare_cache)
    return {"story_id": story["id"], "headline": story.get("headline"), "outlets": rows}


@router.get("/entities", response_model=Page, tags=["entities"])
def list_entities(
    request: Request,
    type: Literal[ENTITY_TYPES] | None = Query(None, description="PER, ORG, LOC or MISC"),  # type: ignore[valid-type]
    limit: int = Limit,
    offset: int = Offset,
) -> dict[str, Any]:
    """Entities, most mentioned first: key, name, type, mentions, articles, aliases."""
    with server(request).store() as store:
        total, rows = q.list_entities(store, type_=type, limit=limit, offset=offset)
    return page(total, limit, offset, rows)


@router.get("/entities/{name}", tags=["entities"])
def get_entity(request: Request, name: str, limit: int = Limit, offset: int = Offset) -> dict[str, Any]:
    """One entity by key, canonical name or any alias (ترمب → دونالد ترامب): aliases, mentions,
    articles (paginated by limit/offset), stories, quotes, timeline (mentions per day/month/year)."""
    with server(request).store() as store:
        return q.entity_detail(store, name, limit=limit, offset=offset)


@router.get("/quotes", response_model=Page, tags=["entities"])
def list_quotes(
    request: Request,
    speaker: str | None = Query(None, description="speaker entity, by any alias"),
    limit: int = Limit,
    offset: int = Offset,
) -> dict[str, Any]:
    """Quotes, newest first: article_id, speaker, speaker_key, text, kind, cue, medium, start, end."""
    with server(request).store() as store:
        total, rows = q.list_quotes(store, speaker=speaker, limit=limit, offset=offset)
    return page(total, limit, offset, rows)


@router.get("/search", response_model=SearchResponse, tags=["search"])
def search(
    request: Request,
    text: str = Query("", alias="q", description="words to find (Arabic spelling variants and entity aliases match)"),
    date_from: str | None = DateFrom,
    date_to: str | None = DateTo,
    outlet: str | None = Query(None),
    entity: str | None = Query(None, description="only articles mentioning this entity (any alias)"),
    story: str | None = Query(None, description="story id"),
    language: str | None = Query(None),
    limit: int = Limit,
    offset: int = Offset,
) -> dict[str, Any]:
    """Full-text search, BM25 with a recency boost. `snippet` is plain text (highlight markers removed).
    An empty `q` lists the articles matching the filters."""
    query = SearchQuery(
        text=text.strip(), date_from=date_from, date_to=date_to, outlet=outlet or None, story_id=story or None,
        entity=entity or None, language=language or None, limit=limit, offset=offset,
    )  # fmt: skip
    with server(request).store() as store:
        result = q.run_search(store, query)
    return {"total": result.total, "results": [q.hit_dict(h) for h in result.results]}


@router.post(
    "/ingest",
    response_model=IngestResponse,
    status_code=201,
    dependencies=[Depends(require_api_key)],
    tags=["ingest"],
    responses={
        200: {"model": IngestResponse, "description": "already stored: the existing ids"},
        401: {"model": ErrorResponse, "description": "API key missing or wrong"},
        413: {"model": ErrorResponse, "description": "body over the size limit"},
    },
)
def ingest(request: Request, body: Any = Body(openapi_examples=INGEST_EXAMPLES)) -> Any:
    """Store one page: `{"text": ...}`, `{"html": ...}` or a record `{"title", "content", "url", "date", "outlet"}`.
    Runs extraction, enrichment and stories like `rasd ingest`. 201 with the new article ids; posting
    content already stored answers 200 with the stored ids and `"duplicate": true`."""
    state = server(request)
    with state.store() as store:
        outcome = ingest_body(store, body, state.ingest_lock)
    data = {"ids": outcome.ids, "duplicate": outcome.duplicate}
    return JSONResponse(data, status_code=200) if outcome.duplicate else data
