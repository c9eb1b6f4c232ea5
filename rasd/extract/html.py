"""HTML pages: trafilatura finds the main text and the HTML metadata.

The text it returns still carries what scrapers leave in Arabic pages
(widget headings, credit lines, glued articles), so it goes through the same
line segmentation as a text dump afterwards. Widget lists ("الأكثر قراءة",
"اقرأ أيضاً"...), the breadcrumb and tag list are read from the markup, where
their structure is still visible.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import lxml.html
import trafilatura

from rasd.extract import lexicon as lx
from rasd.extract.dates import find_dates, parse_date
from rasd.records import RelatedItem

_WIDGET_ONLY = re.compile(r"^\s*" + lx.phrases_regex(lx.WIDGET_HEADINGS) + r"\s*[:：]?\s*$")
_HOME = re.compile(r"^\s*(?:" + lx.loose_regex("الرئيسية") + r"|Home)\s*$", re.IGNORECASE)
_TAG_LABEL = re.compile(r"^\s*" + lx.phrases_regex(lx.TAG_LABELS) + r"\s*[:：]?\s*$", re.IGNORECASE)
_PUBLISHED_META = (
    "article:published_time", "datePublished", "pubdate", "publishdate", "date", "dc.date", "og:published_time",
)  # fmt: skip
MIN_ITEM_WORDS = 2


@dataclass
class HtmlContent:
    text: str
    title: str | None = None
    date: str | None = None
    author: str | None = None
    sitename: str | None = None
    url: str | None = None
    section: str | None = None
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    related: list[RelatedItem] = field(default_factory=list)
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
    title = (data.get("title") or "").strip() or None
    # trafilatura falls back to the title when a page has no keywords; that is no tag.
    tags = [t.strip(" ,،") for t in data.get("tags") or [] if t and t.strip(" ,،") and t.strip(" ,،") != title]
    content = HtmlContent(
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
    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return content
    content.date = _meta_published(tree) or content.date
    content.sitename = _meta(tree, "og:site_name") or content.sitename
    content.section = _breadcrumb_section(tree)
    content.tags = content.tags or _tag_list(tree)
    content.related = widget_items(tree)
    return content


def _meta(tree, name: str) -> str | None:
    for el in tree.iter("meta"):
        if name in (el.get("property"), el.get("name"), el.get("itemprop")):
            value = (el.get("content") or "").strip()
            if value:
                return value
    return None


def _meta_published(tree) -> str | None:
    """The publication datetime from meta tags or <time>, keeping the time of day."""
    for name in _PUBLISHED_META:
        value = _meta(tree, name)
        if value and parse_date(value):
            return value
    for el in tree.iter("time"):
        value = el.get("datetime")
        if value and parse_date(value):
            return value
    return None


def _classes(el) -> str:
    return (el.get("class") or "") + " " + (el.get("id") or "")


def _breadcrumb_section(tree) -> str | None:
    for el in tree.iter():
        if isinstance(el.tag, str) and "breadcrumb" in _classes(el).lower():
            parts = [t.strip() for t in el.itertext() if t.strip() and t.strip() not in "/>»›|"]
            for i, part in enumerate(parts[:-1]):
                if _HOME.match(part):
                    return parts[i + 1]
    return None


def _tag_list(tree) -> list[str]:
    for el in tree.iter():
        if isinstance(el.tag, str) and re.search(r"\btags?\b", _classes(el).lower()):
            tags = [a.text_content().strip() for a in el.iter("a")]
            tags = [t for t in tags if t and not _TAG_LABEL.match(t)]
            if tags:
                return tags
    return []


def widget_items(tree) -> list[RelatedItem]:
    """Items of the page's widget lists, in page order."""
    items: list[RelatedItem] = []
    seen: set[str] = set()
    for heading in tree.iter("h1", "h2", "h3", "h4", "h5", "h6", "strong", "span", "div", "p", "a"):
        text = heading.text_content()
        if len(text) > 60 or not _WIDGET_ONLY.match(text):
            continue
        top = heading
        while top.getparent() is not None and top.getparent().tag in ("a", "span", "strong", "h1", "h2", "h3", "h4", "h5", "h6"):
            top = top.getparent()
        container = top.getparent()
        if container is None:
            continue
        for link in container.iter("a"):
            if _inside(link, top):
                continue
            title = " ".join(link.text_content().split())
            if len(title.split()) < MIN_ITEM_WORDS or title in seen:
                continue
            seen.add(title)
            items.append(_item(link, title, container))
    return items


def _inside(el, ancestor) -> bool:
    while el is not None:
        if el is ancestor:
            return True
        el = el.getparent()
    return False


def _item(link, title: str, container) -> RelatedItem:
    """The item for a link, with the date printed next to it when there is one."""
    box = link
    while box.getparent() is not None and box.getparent() is not container:
        parent = box.getparent()
        if sum(1 for a in parent.iter("a") if len(a.text_content().split()) >= MIN_ITEM_WORDS) > 1:
            break
        box = parent
    rest = " ".join(box.text_content().split()).replace(title, " ")
    dates = find_dates(rest)
    if dates:
        return RelatedItem(title=title, published=dates[0].value, published_raw=dates[0].raw)
    for el in box.iter("time"):
        value = el.get("datetime")
        if value and parse_date(value):
            return RelatedItem(title=title, published=parse_date(value), published_raw=value)
    return RelatedItem(title=title)
