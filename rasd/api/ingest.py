"""POST /api/ingest: one JSON body → one RawPage → the same pipeline as `rasd ingest`.

Accepted bodies (a JSON object):

* `{"text": "..."}` — a plain page dump, like a .txt file (optional "url");
* `{"html": "..."}` — an HTML page, like a .html file (optional "url");
* a record `{"title", "content", "url", "date", "outlet", ...}` — like one
  JSONL line (the same key names are accepted: body/article, headline,
  published, source/site, author, section, tags, language).

A body with "text" plus record fields ("title", "date", ...) is a record
whose body is "text", as it would be in a JSONL file.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from rasd.api.errors import ApiError
from rasd.ingest.fields import record_to_page
from rasd.ingest.readers import html_url
from rasd.pipeline import KNOWN_STAGES, ingest_pages
from rasd.records import IngestError, RawPage, article_id
from rasd.store import Store

SOURCE = "<api>"  # the `source` of articles posted to the API (files have their path)
_PAGE_KEYS = {"text", "html", "url"}


@dataclass
class IngestOutcome:
    ids: list[str]
    duplicate: bool  # the page was already stored: `ids` are the stored articles


def page_from_body(body: Any) -> RawPage:
    """The RawPage a request body stands for; ApiError(422) with the reason when it is unusable."""
    if not isinstance(body, dict):
        raise ApiError(422, 'the body must be a JSON object: {"text": ...}, {"html": ...} or a record '
                            '{"title", "content", "url", "date", "outlet"}')  # fmt: skip
    url = body.get("url")
    if url is not None and not isinstance(url, str):
        raise ApiError(422, '"url" must be a string')
    if "html" in body:
        html = body["html"]
        if not isinstance(html, str) or not html.strip():
            raise ApiError(422, '"html" must be a non-empty string')
        return RawPage(source=SOURCE, kind="html", content=html, url=url or html_url(html))
    if "text" in body and set(body) <= _PAGE_KEYS:
        text = body["text"]
        if not isinstance(text, str) or not text.strip():
            raise ApiError(422, '"text" must be a non-empty string')
        return RawPage(source=SOURCE, kind="text", content=text.replace("\r\n", "\n").replace("\r", "\n"), url=url)
    page = record_to_page(body, SOURCE, None)
    if isinstance(page, IngestError):
        raise ApiError(422, page.reason)
    return page


def _stored_ids(store: Store, page: RawPage) -> list[str]:
    stored = store.get_page(page.hash)
    if stored is None:
        return []
    ids = [article_id(stored["id"], i) for i in range(int(stored["n_articles"]))]
    return [i for i in ids if store.get_article(i) is not None]


def ingest_body(store: Store, body: Any, lock: threading.Lock) -> IngestOutcome:
    """Extract, enrich, store and cluster the posted page; its article ids.

    Writes are serialised by `lock` (one ingest at a time per server), since the
    story stage loads, updates and saves the clusterer's state."""
    page = page_from_body(body)
    with lock:
        if store.has_page(page.hash):
            return IngestOutcome(_stored_ids(store, page), duplicate=True)
        summary = ingest_pages([page], store, stages=KNOWN_STAGES, workers=1)
        if summary.pages == 0:
            if summary.skipped:  # stored by another writer meanwhile
                return IngestOutcome(_stored_ids(store, page), duplicate=True)
            reason = "; ".join(e.reason for e in summary.errors) or "nothing could be extracted"
            raise ApiError(422, f"the page was not stored: {reason}")
        return IngestOutcome(_stored_ids(store, page), duplicate=False)
