"""Backend-neutral parts of search: parameter checks, ranking constants, entity choice, hits.

Every store backend (SQLite FTS5 in rasd/store/sqlite_search.py, PostgreSQL
full-text search in rasd/store/postgres_search.py) parses the query with
:func:`rasd.search.query.parse_query`, checks it with :func:`check_query`,
ranks with the same recency boost (:data:`RECENCY_WEIGHT`,
:data:`RECENCY_DAYS`) and builds its hits with :func:`make_hits`, so the two
give the same result shape, snippets and filters.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from rasd.search.query import ParsedQuery
from rasd.search.snippet import lead, make_snippet

__all__ = [
    "BODY_WEIGHT", "MAX_LIMIT", "MAX_SCORED", "RECENCY_DAYS", "RECENCY_WEIGHT", "TITLE_WEIGHT",
    "check_query", "choose_entities", "make_hits", "recency_boost",
]  # fmt: skip

TITLE_WEIGHT = 3.0
BODY_WEIGHT = 1.0
RECENCY_WEIGHT = 0.5
RECENCY_DAYS = 30.0
MAX_LIMIT = 100
MAX_SCORED = 10_000  # matches ranked per query (the most recently stored ones)


def _day(value: str | None, name: str) -> date | None:
    if value is None or value == "":
        return None
    try:
        if len(value) != 10:
            raise ValueError
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be an ISO date YYYY-MM-DD, not {value!r}") from None


def check_query(query) -> tuple[date | None, date | None]:
    """Validate limit, offset, match and dates of a SearchQuery; returns the (from, to) days.
    Raises ValueError."""
    if isinstance(query.limit, bool) or not isinstance(query.limit, int) or not 1 <= query.limit <= MAX_LIMIT:
        raise ValueError(f"limit must be between 1 and {MAX_LIMIT}, not {query.limit!r}")
    if isinstance(query.offset, bool) or not isinstance(query.offset, int) or query.offset < 0:
        raise ValueError(f"offset must be 0 or more, not {query.offset!r}")
    if query.match not in ("all", "any"):
        raise ValueError(f"match must be 'all' or 'any', not {query.match!r}")
    lo, hi = _day(query.date_from, "date_from"), _day(query.date_to, "date_to")
    if lo and hi and lo > hi:
        raise ValueError(f"date_from ({lo}) is after date_to ({hi})")
    return lo, hi


def recency_boost(age_days: float | None) -> float:
    """The factor a relevance score is multiplied by (x1.5 on the reference day, x1 undated)."""
    if age_days is None:
        return 1.0
    return 1.0 + RECENCY_WEIGHT / (1.0 + max(0.0, age_days) / RECENCY_DAYS)


def choose_entities(
    candidates: Iterable[tuple[str, str]],
    mention_counts: Callable[[list[str]], Mapping[str, int]],
    spellings: Callable[[list[str]], Mapping[str, list[str]]],
) -> dict[str, list[str]]:
    """Alias key -> the aliases of the entity it names, the most mentioned one when several
    entities share the alias key.

    `candidates` are (alias key, entity key) rows; `mention_counts(entity keys)` and
    `spellings(entity keys)` read the backend's tables. The choice of one entity keeps the
    many half-linked entities of a large corpus (every "محمد …" has the alias محمد) from
    adding their spellings (محمود) to everybody's.
    """
    by_key: dict[str, list[str]] = {}
    for alias_key, entity_key in candidates:
        by_key.setdefault(alias_key, []).append(entity_key)
    shared = sorted({e for ents in by_key.values() if len(ents) > 1 for e in ents})
    mentions = dict(mention_counts(shared)) if shared else {}
    chosen = {k: min(ents, key=lambda e: (-mentions.get(e, 0), e)) for k, ents in by_key.items()}
    entity_keys = sorted(set(chosen.values()))
    found = spellings(entity_keys) if entity_keys else {}
    return {k: list(found.get(e, [])) for k, e in chosen.items()}


def make_hits(ranked: list[tuple], rows: Mapping, parsed: ParsedQuery, hit_type) -> list:
    """SearchHits in the order of `ranked` [(key, score)]; `rows[key]` is
    (id, title, outlet, published, source, body, story_id). Snippets come from the original
    body: a window around the best match, or the lead when the query had no words."""
    phrases = parsed.phrases()
    group_of = [k for k, g in enumerate(parsed.groups) for _ in g.phrases]
    hits = []
    for key, score in ranked:
        article_id, title, outlet, published, source, body, story_id = rows[key]
        snippet = make_snippet(body, title, phrases, group_of) if phrases else lead(body)
        hits.append(hit_type(id=article_id, title=title, outlet=outlet, published=published, source=source,
                             story_id=story_id, snippet=snippet, score=float(score)))  # fmt: skip
    return hits


def filter_clauses(
    query, lo: date | None, hi: date | None, *, mark: str,
    resolve_story: Callable[[str], str | None], find_entity: Callable[[str], Any],
) -> tuple[list[str], list[Any]] | None:
    """SQL conditions on `a` (articles) for the query's filters and their parameters, with the
    backend's placeholder `mark` ("?" or "%s"); None when a filter can match nothing (an unknown
    story or entity). `resolve_story` leads a merged-away story id to its survivor."""
    where: list[str] = []
    params: list[Any] = []
    if lo:
        where.append(f"a.published >= {mark}")
        params.append(lo.isoformat())
    if hi:  # inclusive day: anything before the next day, dates and datetimes alike
        where.append(f"a.published < {mark}")
        params.append((hi + timedelta(days=1)).isoformat())
    if query.outlet:
        where.append(f"a.outlet = {mark}")
        params.append(query.outlet)
    if query.language:
        where.append(f"a.language = {mark}")
        params.append(query.language)
    if query.story_id:
        story = resolve_story(query.story_id)
        if story is None:
            return None
        where.append(f"a.id IN (SELECT article_id FROM story_articles WHERE story_id = {mark})")
        params.append(story)
    if query.entity:
        entity = find_entity(query.entity)
        if entity is None:
            return None
        where.append(f"a.id IN (SELECT article_id FROM mentions WHERE entity_key = {mark})")
        params.append(entity.key)
    return where, params
