"""The web pages: home, stories, story, article, entities, entity, search (server-rendered, Jinja2).

Each handler opens the store, gathers a view with `rasd.api.queries` (the same
reads as the API) and renders a template. Jinja2 autoescapes every template;
the only markup built in Python comes from `rasd.web.render`, which escapes
every piece of scraped text first.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

from rasd import __version__
from rasd.api import queries as q
from rasd.api.errors import ApiError
from rasd.api.state import server
from rasd.records import ENTITY_TYPES
from rasd.store import SearchQuery
from rasd.web import docs, render

WEB_DIR = Path(__file__).resolve().parent
PAGE_SIZE = 20

router = APIRouter(include_in_schema=False)  # pages are not part of the REST API's schema


def _environment() -> Environment:
    # autoescape=True for every template, whatever its extension: scraped text is untrusted.
    env = Environment(loader=FileSystemLoader(WEB_DIR / "templates"), autoescape=True, trim_blocks=True,
                      lstrip_blocks=True)  # fmt: skip
    env.filters.update(
        ar_date=render.ar_date, type_label=render.type_label, kind_label=render.kind_label,
        quote_kind_label=render.quote_kind_label, removed_label=render.removed_label, entity_url=render.entity_url,
        safe_url=render.safe_url, percent=render.percent, excerpt=render.excerpt, snippet_html=render.snippet_html,
        ar_count=render.ar_count,
    )  # fmt: skip
    env.globals.update(version=__version__, entity_types=ENTITY_TYPES, query_string=render.query_string)
    return env


templates = Jinja2Templates(env=_environment())


def page(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def error_page(request: Request, status: int, message: str) -> Response:
    """The HTML version of the error shape, for browsers (see rasd.api.errors)."""
    return page(request, "error.html", status_code=status, status=status, message=message)


def _pages(total: int, page_no: int, size: int = PAGE_SIZE) -> dict[str, int]:
    last = max(1, -(-total // size))
    return {"page": page_no, "last": last, "total": total, "size": size}


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    with server(request).store() as store:
        counts = q.counts(store)
        stats = store.stats()
        covered = [q.story_list_item(s) for s in store.iter_stories(limit=6, order="size")]
        latest = [q.story_list_item(s) for s in store.iter_stories(limit=6, order="recent")]
        _, entities = q.list_entities(store, type_=None, limit=16, offset=0)
    return page(request, "home.html", counts=counts, stats=stats, covered=covered, latest=latest, entities=entities)


@router.get("/stories", response_class=HTMLResponse)
def stories(request: Request, order: Literal["size", "recent"] = "size", page_no: int = Query(1, alias="page", ge=1)) -> HTMLResponse:
    with server(request).store() as store:
        total = store.count_stories()
        rows = [q.story_list_item(s) for s in store.iter_stories(limit=PAGE_SIZE, offset=(page_no - 1) * PAGE_SIZE, order=order)]
    return page(request, "stories.html", stories=rows, order=order, pages=_pages(total, page_no))


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story(request: Request, story_id: str) -> HTMLResponse:
    state = server(request)
    with state.store() as store:
        record = q.story_detail(store, story_id)
        compare = q.story_compare(store, record, state.compare_cache)
    members = {m["id"]: m for m in record.get("members", [])}
    kinds: dict[str, int] = {}
    for m in members.values():
        if m.get("kind"):
            kinds[m["kind"]] = kinds.get(m["kind"], 0) + 1
    return page(request, "story.html", story=record, members=members, compare=compare, kinds=kinds)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article(request: Request, article_id: str) -> HTMLResponse:
    with server(request).store() as store:
        detail = q.article_detail(store, article_id)
        article_obj, enrichment = q.article_with_enrichment(store, detail["id"])
        try:
            similar = q.similar_articles(store, detail["id"], 8)
        except ApiError:  # "more like this" not built in: the section is left out
            similar = None
    names = {e.key: e.name for e in enrichment.entities}
    body_html = render.highlight_body(article_obj.body, enrichment.mentions, enrichment.quotes, names)
    return page(request, "article.html", article=detail, body_html=body_html, similar=similar)


@router.get("/entities", response_class=HTMLResponse)
def entities(request: Request, type: str | None = None, page_no: int = Query(1, alias="page", ge=1)) -> HTMLResponse:
    type_ = type if type in ENTITY_TYPES else None
    with server(request).store() as store:
        total, rows = q.list_entities(store, type_=type_, limit=PAGE_SIZE * 2, offset=(page_no - 1) * PAGE_SIZE * 2)
    return page(request, "entities.html", entities=rows, type=type_, pages=_pages(total, page_no, PAGE_SIZE * 2))


@router.get("/entities/{name:path}", response_class=HTMLResponse)
def entity(request: Request, name: str, page_no: int = Query(1, alias="page", ge=1)) -> HTMLResponse:
    with server(request).store() as store:
        detail = q.entity_detail(store, name, limit=PAGE_SIZE, offset=(page_no - 1) * PAGE_SIZE)
    chart = render.bar_chart_svg(detail["timeline"])
    return page(request, "entity.html", entity=detail, chart=chart, pages=_pages(detail["articles"]["total"], page_no))


@router.get("/search", response_class=HTMLResponse)
def search(
    request: Request,
    text: str = Query("", alias="q"),
    date_from: str = Query("", alias="from"),
    date_to: str = Query("", alias="to"),
    outlet: str = "",
    entity: str = "",
    story: str = "",
    page_no: int = Query(1, alias="page", ge=1),
) -> HTMLResponse:
    form = {"q": text.strip(), "from": date_from, "to": date_to, "outlet": outlet, "entity": entity.strip(), "story": story}
    result, error = None, None
    with server(request).store() as store:
        outlets = q.outlets(store)
        if any(form[k] for k in ("q", "from", "to", "outlet", "entity", "story")):
            query = SearchQuery(
                text=form["q"], date_from=date_from or None, date_to=date_to or None, outlet=outlet or None,
                entity=form["entity"] or None, story_id=story or None, limit=PAGE_SIZE, offset=(page_no - 1) * PAGE_SIZE,
            )  # fmt: skip
            try:
                result = q.run_search(store, query)
            except ApiError as exc:  # a bad date, or search not built in: said in the page
                error = exc.message
    pages = _pages(result.total, page_no) if result else None
    params = {k: v for k, v in form.items() if v}
    return page(request, "search.html", form=form, q=form["q"], result=result, error=error, outlets=outlets,
                pages=pages, params=params)  # fmt: skip


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    """The API reference, from the OpenAPI schema (offline: no Swagger UI from a CDN)."""
    schema = request.app.openapi()
    return page(request, "docs.html", info=schema.get("info", {}), endpoints=docs.reference(schema))
