"""HTML pages: trafilatura finds the main text and the HTML metadata.

The text it returns still carries what scrapers leave in Arabic pages
(widget headings, credit lines, glued articles), so it goes through the same
line segmentation as a text dump afterwards.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import trafilatura


@dataclass
class HtmlContent:
    text: str
    title: str | None = None
    date: str | None = None
    author: str | None = None
    sitename: str | None = None
    url: str | None = None
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    language: str | None = None


def extract_html(html: str, url: str | None = None) -> HtmlContent:
    """Main text and metadata of an HTML page ("" text when none is found)."""
    doc = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_precision=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if doc is None:
        return HtmlContent(text="")
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    tags = [t.strip(" ,،") for t in data.get("tags") or [] if t and t.strip(" ,،")]
    title = (data.get("title") or "").strip() or None
    # trafilatura falls back to the title when a page has no keywords; that is no tag.
    tags = [t for t in tags if t != title]
    return HtmlContent(
        text=data.get("text") or "",
        title=title,
        date=data.get("date"),
        author=(data.get("author") or "").strip() or None,
        sitename=(data.get("sitename") or "").strip() or None,
        url=data.get("url") or url,
        categories=[c for c in data.get("categories") or [] if c],
        tags=tags,
        language=data.get("language"),
    )
