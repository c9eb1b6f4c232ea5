"""Response and request models: they document the API at /docs and pin the shapes clients rely on.

Larger nested records (an article, a story, a comparison) are returned as
free-form objects; their keys are listed in the endpoint descriptions and the
README.
"""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

MAX_LIMIT = 100  # the cap of every `limit` parameter (more → 422)
DEFAULT_LIMIT = 20


class ErrorDetail(BaseModel):
    field: str
    message: str


class ErrorInfo(BaseModel):
    status: int = Field(examples=[404])
    code: str = Field(examples=["not_found"])
    message: str = Field(examples=["no article with id 'abcd1234'"])
    details: list[ErrorDetail] | None = None


class ErrorResponse(BaseModel):
    """Every error: 400, 401, 404, 405, 413, 422, 500, 501."""

    error: ErrorInfo


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorResponse, "description": text}
    for code, text in ((404, "Not found"), (422, "Invalid parameters"), (500, "Server error"))
}


class Page(BaseModel):
    """Offset pagination: `next_offset` is null on the last page."""

    total: int
    limit: int
    offset: int
    next_offset: int | None
    results: list[dict[str, Any]]


def page(total: int, limit: int, offset: int, results: list) -> dict[str, Any]:
    return {
        "total": total,
        "limit": limit,
        "offset": offset,
        "next_offset": offset + limit if offset + limit < total else None,
        "results": results,
    }


class SearchHitOut(BaseModel):
    id: str
    title: str | None
    outlet: str | None
    published: str | None
    source: str
    story_id: str | None
    snippet: str = Field(description="plain text around the matches (highlight markers removed)")


class SearchResponse(BaseModel):
    total: int
    results: list[SearchHitOut]


INGEST_EXAMPLES: dict[str, dict[str, Any]] = {
    "text": {"summary": "a plain page dump", "value": {"text": "عنوان الخبر\n\nنص الخبر كما نُسخ من الصفحة..."}},
    "html": {"summary": "an HTML page", "value": {"html": "<html><head><title>...</title></head><body>...</body></html>"}},
    "record": {
        "summary": "a record",
        "value": {
            "title": "ترامب يعلن ...",
            "content": "قال الرئيس الأميركي دونالد ترامب ...",
            "url": "https://example.com/news/1",
            "date": "2025-11-18",
            "outlet": "وكالة أنباء المشرق",
        },
    },
}


class IngestResponse(BaseModel):
    ids: list[str] = Field(description="ids of the page's articles (a page may hold several glued articles)")
    duplicate: bool = Field(description="true when the same content was already stored: `ids` are the stored ones")
