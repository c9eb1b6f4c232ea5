"""Structured records (JSON objects, CSV rows) → RawPage(kind="record").

Keys are matched case-insensitively and ignoring "_", "-" and spaces, so
"Full Text", "full_text", "fullText" and "FULL-TEXT" are the same key.
"""
from __future__ import annotations

import html
import re
from typing import Any, Mapping

from rasd.records import IngestError, RawPage

__all__ = ["BODY_KEYS", "key_list", "record_to_page", "looks_like_html", "html_to_text", "norm_key", "missing_body_reason"]


_KEY_PUNCT = re.compile(r"[\s_\-]+")
_KEY_CACHE: dict[Any, str] = {}


def norm_key(key: Any) -> str:
    """"Full Text", "full_text", "fullText" → "fulltext"."""
    try:
        return _KEY_CACHE[key]
    except (KeyError, TypeError):
        pass
    norm = _KEY_PUNCT.sub("", str(key)).lower()
    if len(_KEY_CACHE) < 10_000 and isinstance(key, str):
        _KEY_CACHE[key] = norm
    return norm


# Normalised field → accepted key names, in order of preference. The first
# non-empty one wins; the other matching keys are kept under "extra".
_ALIASES: dict[str, tuple[str, ...]] = {
    "content": (
        "content", "body", "text", "article", "article_body", "full_text", "maintext",
        "main_text", "story", "description",  # description last: used only if no other body
    ),
    "title": ("title", "headline", "heading"),
    "url": ("url", "link", "href", "permalink", "canonical_url", "article_url", "web_url"),
    "date": (
        "date", "published", "published_at", "pubdate", "date_published", "publish_date",
        "publication_date", "date_publish", "datetime", "time", "date_extracted",
    ),
    "outlet": ("source", "outlet", "site", "site_name", "publisher", "newspaper", "domain", "source_domain", "source_name"),
    "author": ("author", "authors", "byline", "writer", "creator"),
    "section": ("section", "category", "article_section", "categories"),
    "tags": ("tags", "keywords", "tag"),
    "language": ("language", "lang", "in_language", "locale"),
}
BODY_KEYS: tuple[str, ...] = _ALIASES["content"]

# normalised key → (field, rank)
_LOOKUP: dict[str, tuple[str, int]] = {}
for _field, _names in _ALIASES.items():
    for _rank, _name in enumerate(_names):
        _LOOKUP.setdefault(norm_key(_name), (_field, _rank))

_HTML_TAG = re.compile(
    r"<(?:/?(?:p|br|div|span|a|b|i|u|em|strong|font|sup|sub|h[1-6]|ul|ol|li|table|tbody|tr|td|th|img|"
    r"blockquote|figure|figcaption|section|article|header|footer|iframe|script|style)\b[^<>]*>|!--)",
    re.IGNORECASE,
)
_BLOCK_TAGS = (
    "p|div|li|ul|ol|h[1-6]|blockquote|section|article|header|footer|aside|nav|table|thead|tbody|tr|"
    "figure|figcaption|pre|hr|dl|dd|dt|address|main"
)
_DROP_ELEMENTS = re.compile(r"<(script|style|noscript|template|iframe)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_BR = re.compile(r"<br\s*/?\s*>", re.IGNORECASE)
_BLOCK = re.compile(rf"</?(?:{_BLOCK_TAGS})\b[^<>]*>", re.IGNORECASE)
_CELL = re.compile(r"</?t[dh]\b[^<>]*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_SPACES = re.compile(r"[ \t\u00a0\u200b]+")
_MANY_NEWLINES = re.compile(r"\n{3,}")
_TAG_SPLIT = re.compile(r"\s*[,،;؛]\s*")


def looks_like_html(text: str) -> bool:
    return "<" in text and _HTML_TAG.search(text) is not None


def html_to_text(fragment: str) -> str:
    """Text of an HTML fragment, one blank line between paragraphs, <br> → newline."""
    s = _DROP_ELEMENTS.sub(" ", fragment)
    s = _COMMENT.sub(" ", s)
    s = _BR.sub("\n", s)
    s = _BLOCK.sub("\n\n", s)
    s = _CELL.sub(" ", s)
    s = _ANY_TAG.sub("", s)
    s = html.unescape(s)
    lines = [_SPACES.sub(" ", line).strip() for line in s.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return _MANY_NEWLINES.sub("\n\n", "\n".join(lines)).strip()


def _as_text(value: Any) -> str:
    """A scalar-ish JSON value as a stripped string ("" for nothing usable)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dict):
        for key in ("name", "title", "text", "value", "@value", "url", "id"):
            if key in value:
                return _as_text(value[key])
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(t for t in (_as_text(v) for v in value) if t)
    return str(value).strip()


def _as_body(value: Any) -> str:
    if isinstance(value, (list, tuple)):  # a list of paragraphs
        return "\n\n".join(t for t in (_as_body(v) for v in value) if t)
    if isinstance(value, dict):
        return _as_text(value)
    text = _as_text(value)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _as_tags(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        tags = [_as_text(v) for v in value]
    else:
        tags = _TAG_SPLIT.split(_as_text(value))
    out: list[str] = []
    for tag in tags:
        tag = tag.strip()
        if tag and tag not in out:
            out.append(tag)
    return out


def key_list(keys: Any, limit: int = 12) -> str:
    """"a, b, c" for an error message: at most `limit` keys, long ones shortened."""
    names = [str(k) if len(str(k)) <= 40 else str(k)[:39] + "…" for k in list(keys)[:limit]]
    more = len(list(keys)) - limit
    return ", ".join(names) + (f" (+{more} more)" if more > 0 else "")


def missing_body_reason(keys: list[str] | None = None, empty_key: str | None = None) -> str:
    if empty_key is not None:
        return f'record has no body text ("{empty_key}" is empty)'
    expected = ", ".join(BODY_KEYS)
    found = f"; found keys: {key_list(keys)}" if keys else "; the record is empty"
    return f"record has no body text (expected one of: {expected}){found}"


def record_to_page(record: Any, source: str, encoding: str | None) -> RawPage | IngestError:
    """One JSON object / CSV row → RawPage(kind="record"), or IngestError if it has no body."""
    if not isinstance(record, (dict, Mapping)):
        kind = type(record).__name__
        kind = {"list": "array", "str": "string", "dict": "object", "NoneType": "null", "int": "number", "float": "number"}.get(kind, kind)
        return IngestError(source, f"record is not a JSON object (got {kind})")

    # field → (rank, original key, raw value, converted value)
    chosen: dict[str, tuple[int, str, Any, Any]] = {}
    empty_body_key: str | None = None
    extra: dict[str, Any] = {}
    for key, value in record.items():
        if key is None:  # csv: cells beyond the header
            if value and any(v for v in value):
                extra["_extra_columns"] = value
            continue
        hit = _LOOKUP.get(norm_key(key))
        if hit is None:
            if value is not None:
                extra[str(key)] = value
            continue
        field, rank = hit
        converted = _as_tags(value) if field == "tags" else _as_body(value) if field == "content" else _as_text(value)
        if not converted:
            if field == "content" and empty_body_key is None:
                empty_body_key = str(key)
            continue
        previous = chosen.get(field)
        if previous is None or rank < previous[0]:
            if previous is not None:
                extra[previous[1]] = previous[2]
            chosen[field] = (rank, str(key), value, converted)
        else:
            extra[str(key)] = value

    body_hit = chosen.pop("content", None)
    if body_hit is None:
        return IngestError(source, missing_body_reason(list(map(str, record.keys())), empty_body_key))
    body = body_hit[3]
    if looks_like_html(body):
        body = html_to_text(body)
        if not body:
            return IngestError(source, f'record has no body text ("{body_hit[1]}" holds only HTML markup)')

    fields: dict[str, Any] = {}
    for field in ("title", "date", "url", "outlet", "author", "section", "tags", "language"):
        hit = chosen.get(field)
        if hit is not None:
            fields[field] = hit[3]
    title = fields.get("title")
    if title and looks_like_html(title):
        fields["title"] = html_to_text(title)
    if extra:
        fields["extra"] = extra
    return RawPage(source=source, kind="record", content=body, encoding=encoding, url=fields.get("url"), fields=fields)
