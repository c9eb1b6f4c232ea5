"""Extraction stage: RawPage → clean Article records (one or more per page).

`extract_page` is a pure function of the page, so it runs the same in the
CLI, behind the API, or per partition on Spark.
"""
from __future__ import annotations

from rasd.arabic import normalize_key
from rasd.extract.dates import parse_date
from rasd.extract import lines as ln
from rasd.extract.html import extract_html
from rasd.extract.metadata import detect_language, outlet_from_url, pick_outlet, split_tags
from rasd.extract.segment import Draft, page_lines, split_articles, walk_article
from rasd.records import Article, RawPage, Removed

__all__ = ["extract_page", "ExtractError"]


SITE_PRIORITY = 3  # outlet candidates at or below this rank come from page furniture


class ExtractError(ValueError):
    """The page holds no article (only boilerplate, or nothing at all)."""


def extract_page(page: RawPage) -> list[Article]:
    """All articles on a page, main article first (position 0).

    Raises ExtractError when the page holds no article text.
    """
    fields = dict(page.fields)
    url = page.url or fields.get("url")
    text = page.content
    if page.kind == "html":
        html = extract_html(page.content, url=url)
        text = html.text
        url = url or html.url
        fields.setdefault("title", html.title)
        fields.setdefault("date", html.date)
        fields.setdefault("author", html.author)
        fields.setdefault("site", html.sitename)
        if html.section or html.categories:
            fields.setdefault("section", html.section or html.categories[0])
        if html.tags:
            fields.setdefault("tags", html.tags)
        page_related = html.related
    else:
        page_related = []
    lines = page_lines(text)
    drafts: list[Draft] = []
    for position, (piece, heading) in enumerate(split_articles(lines)):
        known_title = (fields.get("title") or None) if position == 0 else None
        draft = walk_article(piece, known_title=known_title)
        if heading:
            draft.removed.insert(0, Removed(kind="heading", text=heading))
        if position == 0:
            _apply_page_fields(draft, fields, url)
            draft.related.extend(page_related)
        drafts.append(draft)
    # The site's own name (header, breadcrumb, copyright) stands for every article on the page.
    site_names = [o for d in drafts for o in d.outlets if o[0] >= SITE_PRIORITY]
    articles: list[Article] = []
    for position, draft in enumerate(drafts):
        if not draft.paragraphs or ln.is_not_found("\n".join(draft.paragraphs)):
            continue
        draft.outlets.extend(site_names)
        articles.append(_to_article(page, draft, len(articles), url if position == 0 else None, text))
    if not articles:
        raise ExtractError("no article text found (the page holds only boilerplate)")
    return articles


def _apply_page_fields(draft: Draft, fields: dict, url: str | None) -> None:
    """Metadata that came with the page (record keys, HTML meta) for its main article."""
    if draft.published is None and fields.get("date"):
        raw = str(fields["date"]).strip()
        draft.published = parse_date(raw)
        draft.published_raw = raw if draft.published else None
    if fields.get("outlet"):
        draft.outlets.append((1, str(fields["outlet"])))
    if fields.get("site"):
        draft.outlets.append((1, str(fields["site"])))  # og:site_name: the site's own word
    domain = outlet_from_url(url)
    if domain:
        draft.outlets.append((4, domain))
    draft.author = draft.author or (str(fields["author"]).strip() or None if fields.get("author") else None)
    draft.section = draft.section or fields.get("section") or None
    tags = fields.get("tags")
    if tags and not draft.tags_raw:
        draft.tags_raw.append("، ".join(tags) if isinstance(tags, list) else str(tags))


def _to_article(page: RawPage, draft: Draft, position: int, url: str | None, page_text: str) -> Article:
    body = "\n\n".join(draft.paragraphs)
    tags: list[str] = []
    for raw in draft.tags_raw:
        tags.extend(t for t in split_tags(raw, page_text) if t not in tags)
    language = page.fields.get("language") or detect_language(body)
    outlet = pick_outlet(draft.outlets)
    # An agency credited on its own wire ("(مشرق)" on وكالة أنباء المشرق) is the outlet, not a source.
    agencies = [a for a in draft.agencies if not outlet or normalize_key(a) not in normalize_key(outlet)]
    return Article(
        page_id=page.page_id,
        position=position,
        source=page.source,
        body=body,
        title=draft.title,
        published=draft.published,
        published_raw=draft.published_raw,
        outlet=outlet,
        author=draft.author,
        section=draft.section,
        dateline=draft.dateline,
        agencies=agencies,
        tags=tags,
        language=language,
        url=url,
        related=draft.related,
        removed=draft.removed,
    )
