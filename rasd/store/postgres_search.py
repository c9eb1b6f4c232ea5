"""Full-text search in PostgreSQL: a tsvector over rasd-folded text, GIN-indexed (migration 4).

Index: ``articles.search`` is ``setweight(to_tsvector('arabic', folded title), 'A') ||
setweight(to_tsvector('arabic', folded body), 'D')``. The text is folded by rasd first
(:func:`rasd.search.fold.search_text`: one alef, ى → ي, ة → ه, no diacritics, و/ال and
their combinations stripped), because PostgreSQL's ``arabic`` configuration (a Snowball
stemmer) neither folds alef forms nor strips و+ال consistently; the stemmer then adds its
own light stemming on top (وزير/وزراء stay apart, بمصر and مصر meet). The column is written
in the same INSERT as the article, so the index never lags behind the articles.

Queries: the same parsed query as SQLite (:func:`rasd.search.query.parse_query`: entity
spellings, clitic variants, phrases). Each alternative phrase becomes
``phraseto_tsquery('arabic', 'w1 w2')``; alternatives are ORed (``||``), groups ANDed
(``&&``; ORed for "more like this").

Ranking: ``ts_rank_cd`` (cover density; title weight A = 3 x body weight D, length
normalised) x the recency boost of the SQLite search, ``1 + 0.5 / (1 + age / 30)`` with
the age in days from the newest stored publication day (at most today). As in SQLite, over
MAX_SCORED matches only the most recently stored MAX_SCORED are ranked; `total` counts all.

Filters: published day range (inclusive), outlet, language, story (a merged-away id leads
to the survivor), entity (any alias).
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from rasd.search.common import MAX_SCORED, RECENCY_DAYS, RECENCY_WEIGHT, TITLE_WEIGHT, BODY_WEIGHT
from rasd.search.common import check_query, choose_entities, filter_clauses, make_hits
from rasd.search.fold import fold_text
from rasd.search.query import ParsedQuery, parse_query
from rasd.store.base import SearchHit, SearchQuery, SearchResult

CONFIG = "arabic"
# ts_rank_cd weights for {D, C, B, A}: the body is D, the title A.
RANK_WEIGHTS = f"{{{BODY_WEIGHT / TITLE_WEIGHT:.4f}, 0, 0, 1.0}}"
RANK_NORMALIZATION = 1  # divide by 1 + log(document length)
TSVECTOR_SQL = f"setweight(to_tsvector('{CONFIG}', %s), 'A') || setweight(to_tsvector('{CONFIG}', %s), 'D')"
_BACKFILL_CHUNK = 2000
_DAY_RE = r"^\d{4}-\d{2}-\d{2}"


def create_schema(conn) -> None:
    """Add the tsvector column, fill it for stored articles and index it (inside the migration)."""
    conn.execute("ALTER TABLE articles ADD COLUMN search tsvector")
    last = -1
    while True:
        rows = conn.execute(
            "SELECT ingested_seq, title, body FROM articles WHERE ingested_seq > %s ORDER BY ingested_seq LIMIT %s",
            (last, _BACKFILL_CHUNK),
        ).fetchall()
        if not rows:
            break
        with conn.cursor() as cur:
            cur.executemany(
                f"UPDATE articles SET search = {TSVECTOR_SQL} WHERE ingested_seq = %s",
                [(fold_text(title), fold_text(body), seq) for seq, title, body in rows],
            )
        last = rows[-1][0]
    conn.execute("UPDATE articles SET search = ''::tsvector WHERE search IS NULL")
    conn.execute("ALTER TABLE articles ALTER COLUMN search SET NOT NULL")
    conn.execute("CREATE INDEX articles_search_gin ON articles USING GIN (search)")


def rebuild_index(conn) -> int:
    """Recompute every article's tsvector (after the folding rules change); returns the count."""
    done, last = 0, -1
    while True:
        rows = conn.execute(
            "SELECT ingested_seq, title, body FROM articles WHERE ingested_seq > %s ORDER BY ingested_seq LIMIT %s",
            (last, _BACKFILL_CHUNK),
        ).fetchall()
        if not rows:
            return done
        with conn.cursor() as cur:
            cur.executemany(
                f"UPDATE articles SET search = {TSVECTOR_SQL} WHERE ingested_seq = %s",
                [(fold_text(title), fold_text(body), seq) for seq, title, body in rows],
            )
        done += len(rows)
        last = rows[-1][0]


def term_document_counts(conn, words: list[str]) -> tuple[int, dict[str, int]]:
    """(articles, {folded word: articles whose index holds it}) for "more like this"."""
    words = sorted(set(w for w in words if w))
    counts: dict[str, int] = {}
    if words:
        rows = conn.execute(
            f"SELECT w, (SELECT COUNT(*) FROM articles WHERE search @@ phraseto_tsquery('{CONFIG}', w)) "
            "FROM unnest(%s::text[]) AS w",
            (words,),
        ).fetchall()
        counts = {w: int(n) for w, n in rows if n}
    total = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    return int(total), counts


def lookup_aliases(conn, keys: list[str]) -> dict[str, list[str]]:
    """Alias key -> the aliases of the entity it names (rasd.search.common.choose_entities)."""
    if not keys:
        return {}

    def spellings(entity_keys: list[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for entity_key, alias in conn.execute(
            "SELECT entity_key, alias FROM entity_aliases WHERE entity_key = ANY(%s) ORDER BY entity_key, alias",
            (entity_keys,),
        ).fetchall():
            out[entity_key].append(alias)
        return out

    return choose_entities(
        conn.execute("SELECT alias_key, entity_key FROM entity_aliases WHERE alias_key = ANY(%s)", (keys,)).fetchall(),
        lambda ents: dict(conn.execute(
            "SELECT entity_key, COUNT(*) FROM mentions WHERE entity_key = ANY(%s) GROUP BY entity_key", (ents,)
        ).fetchall()),  # fmt: skip
        spellings,
    )


def _filters(conn, query: SearchQuery, lo: date | None, hi: date | None) -> tuple[list[str], list[Any]] | None:
    from rasd.store import postgres_queries as pq

    return filter_clauses(query, lo, hi, mark="%s", resolve_story=lambda s: pq.resolve_story_id(conn, s),
                          find_entity=lambda name: pq.find_entity(conn, name))


def tsquery(parsed: ParsedQuery, any_group: bool = False) -> tuple[str, list[str]]:
    """The tsquery expression of a parsed query and its parameters (one per alternative)."""
    groups, params = [], []
    for g in parsed.groups:
        alts = []
        for phrase in g.phrases:
            alts.append(f"phraseto_tsquery('{CONFIG}', %s)")
            params.append(" ".join(phrase))
        groups.append("(" + " || ".join(alts) + ")")
    return (" || " if any_group else " && ").join(groups), params


def _reference_day(conn) -> date | None:
    """The newest stored publication day, at most today (read from the articles_published index)."""
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    rows = conn.execute(
        "SELECT published FROM articles WHERE published < %s ORDER BY published DESC NULLS LAST, ingested_seq "
        "LIMIT 20",
        (tomorrow,),
    ).fetchall()
    for (published,) in rows:  # the newest one that reads as a date
        try:
            return date.fromisoformat(published[:10])
        except ValueError:
            continue
    return None


def _ranked(conn, parsed: ParsedQuery, where: list[str], params: list[Any], limit: int, offset: int,
            any_group: bool) -> tuple[int, list[tuple[int, float]]]:
    if any_group:
        parsed = ParsedQuery([g for g in parsed.groups if g.phrases])
    if parsed.empty or not all(g.phrases for g in parsed.groups):
        return 0, []
    tsq, tsq_params = tsquery(parsed, any_group)
    cond = "".join(f" AND {w}" for w in where)
    ref = _reference_day(conn)
    if ref is not None:
        age = "CASE WHEN a.published ~ %s THEN %s::date - (substr(a.published, 1, 10))::date END"
        boost = f"COALESCE(1.0 + %s / (1.0 + GREATEST(0.0, ({age})::float8) / %s), 1.0)"
        boost_params: list[Any] = [RECENCY_WEIGHT, _DAY_RE, ref, RECENCY_DAYS]
    else:
        boost, boost_params = "1.0", []
    # One pass over the GIN index: the matching rows (ids only: no tsvector is read unless a
    # phrase needs checking) give the total; the MAX_SCORED most recently stored of them are
    # ranked, reading their tsvectors; the page is cut from those.
    rows = conn.execute(
        f"WITH q AS (SELECT {tsq} AS q), "
        f"m AS MATERIALIZED (SELECT a.ingested_seq AS seq FROM articles a, q WHERE a.search @@ q.q{cond}), "
        "top AS (SELECT seq FROM m ORDER BY seq DESC LIMIT %s) "
        f"SELECT (SELECT COUNT(*) FROM m), a.ingested_seq, "
        f"ts_rank_cd('{RANK_WEIGHTS}'::float4[], a.search, q.q, {RANK_NORMALIZATION}) * {boost} AS score "
        "FROM top JOIN articles a ON a.ingested_seq = top.seq, q "
        "ORDER BY score DESC, a.published DESC NULLS LAST, a.ingested_seq DESC LIMIT %s OFFSET %s",
        [*tsq_params, *params, MAX_SCORED, *boost_params, limit, offset],
    ).fetchall()
    if rows:
        return int(rows[0][0]), [(seq, float(score)) for _, seq, score in rows]
    if offset == 0:
        return 0, []
    total = conn.execute(
        f"SELECT COUNT(*) FROM articles a WHERE a.search @@ ({tsq}){cond}", [*tsq_params, *params]
    ).fetchone()[0]
    return int(total), []


def _listed(conn, where: list[str], params: list[Any], limit: int, offset: int) -> tuple[int, list[tuple[int, float]]]:
    cond = f" WHERE {' AND '.join(where)}" if where else ""
    total = conn.execute(f"SELECT COUNT(*) FROM articles a{cond}", params).fetchone()[0]
    rows = conn.execute(
        f"SELECT a.ingested_seq, 0.0 FROM articles a{cond} ORDER BY a.published DESC NULLS LAST, a.ingested_seq "
        "LIMIT %s OFFSET %s",
        [*params, limit, offset],
    ).fetchall()
    return int(total), [(seq, 0.0) for seq, _ in rows]


def _hits(conn, ranked: list[tuple[int, float]], parsed: ParsedQuery) -> list[SearchHit]:
    if not ranked:
        return []
    rows = {
        r[0]: r[1:]
        for r in conn.execute(
            "SELECT a.ingested_seq, a.id, a.title, a.outlet, a.published, a.source, a.body, s.story_id "
            "FROM articles a LEFT JOIN story_articles s ON s.article_id = a.id WHERE a.ingested_seq = ANY(%s)",
            ([seq for seq, _ in ranked],),
        ).fetchall()
    }
    return make_hits(ranked, rows, parsed, SearchHit)


def search(conn, query: SearchQuery) -> SearchResult:
    """Run a search (see the module doc). Raises ValueError for bad limits, dates or queries."""
    lo, hi = check_query(query)
    parsed = parse_query(query.text, lambda keys: lookup_aliases(conn, keys))
    filters = _filters(conn, query, lo, hi)
    if filters is None:
        return SearchResult(total=0)
    where, params = filters
    if parsed.empty:
        if (query.text or "").strip():
            return SearchResult(total=0)
        total, ranked = _listed(conn, where, params, query.limit, query.offset)
    else:
        total, ranked = _ranked(conn, parsed, where, params, query.limit, query.offset, query.match == "any")
    return SearchResult(total=total, results=_hits(conn, ranked, parsed))
