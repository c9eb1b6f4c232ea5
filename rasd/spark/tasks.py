"""What runs inside the Spark tasks: pandas batches in, pandas batches out.

Every function here is plain Python over pandas DataFrames (no pyspark
import), calling the single-process stage functions: `rasd.ingest.iter_pages`
to read a file, `rasd.ingest.record_to_page` for a Parquet row,
`rasd.pipeline.process_batch` (extract → enrich → search folding → story
docs) for a batch of pages, and the story functions of `rasd.spark.stories`.
`rasd.spark.job` passes them to `mapInPandas` / `applyInPandas`.
"""
from __future__ import annotations

import dataclasses
import json
import math
import pickle
from collections.abc import Iterator
from typing import Any

import pandas as pd

from rasd.ingest import iter_pages, record_to_page
from rasd.records import Article, Enrichment, Entity, IngestError, Mention, Quote, RawPage
from rasd.stories.features import parse_time

PROCESS_CHUNK = 100  # pages per process_batch call inside a task
POSITIONS = 1024  # article order = page order * POSITIONS + position

# Spark DDL schemas of the task outputs (job.py passes them to mapInPandas/applyInPandas).
PAGES_SCHEMA = (
    "row_type string, page_order long, source string, kind string, content string, encoding string, "
    "url string, fields_json string, hash string, reason string"
)
PROCESSED_SCHEMA = (
    "row_type string, article_id string, page_id string, page_hash string, page_order long, position int, "
    "published string, t double, article_json string, enrichment_json string, page_json string, doc binary, "
    "terms array<string>, source string, reason string"
)
ARTICLES_SCHEMA = (
    "id string, page_id string, position int, title string, published string, published_raw string, "
    "outlet string, author string, section string, dateline string, agencies array<string>, "
    "tags array<string>, body string, language string, "
    "related array<struct<title:string,published:string>>, source string, url string"
)
ENTITIES_SCHEMA = "article_id string, entity_key string, name string, type string, count int, aliases array<string>"
MENTIONS_SCHEMA = "article_id string, start int, end int, surface string, entity_key string, type string"
QUOTES_SCHEMA = (
    "article_id string, text string, kind string, start int, end int, speaker string, speaker_key string, "
    "cue string, medium string"
)
LOCAL_SCHEMA = (
    "bucket long, article_id string, is_context boolean, local_story string, founder string, "
    "dup_root string, score double"
)
STORY_ROWS_SCHEMA = (
    "row_type string, story_id string, article_id string, duplicate_of string, kind string, novelty double, "
    "score double, headline string, summary string, n_articles int, outlets array<string>, "
    "first_seen string, last_seen string, record_json string"
)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _none(value: Any) -> Any:
    """pandas NaN/None → None."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


# -- reading -------------------------------------------------------------------


def _page_row(order: int, item: RawPage | IngestError) -> dict[str, Any]:
    if isinstance(item, IngestError):
        return {"row_type": "error", "page_order": order, "source": item.source, "reason": item.reason}
    return {"row_type": "page", "page_order": order, "source": item.source, "kind": item.kind,
            "content": item.content, "encoding": item.encoding, "url": item.url,
            "fields_json": _dumps(item.fields), "hash": item.hash}


PAGE_COLUMNS = [c.split()[0] for c in PAGES_SCHEMA.split(", ")]


def _frame(rows: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    """Every column as Python objects with None for missing values (an all-NaN float column
    cannot become an Arrow string column)."""
    return pd.DataFrame({c: pd.Series([r.get(c) for r in rows], dtype=object) for c in columns}, columns=columns)


def read_files(batches: Iterator[pd.DataFrame], max_bytes: int) -> Iterator[pd.DataFrame]:
    """(file_index, path) rows → one row per page (or error), read by `rasd.ingest.iter_pages`."""
    for pdf in batches:
        for fi, path in zip(pdf["file_index"], pdf["path"]):
            rows: list[dict[str, Any]] = []
            for pi, item in enumerate(iter_pages([path], max_bytes=max_bytes)):
                rows.append(_page_row((int(fi) << 32) | pi, item))
                if len(rows) >= 500:
                    yield _frame(rows, PAGE_COLUMNS)
                    rows = []
            if rows:
                yield _frame(rows, PAGE_COLUMNS)


def read_records(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """Parquet rows (any columns, plus _order and _source) → pages, as JSON/CSV records are."""
    for pdf in batches:
        rows = []
        data = [c for c in pdf.columns if c not in ("_order", "_source")]
        for rec in pdf.to_dict("records"):
            record = {k: _plain(rec[k]) for k in data}
            rows.append(_page_row(int(rec["_order"]), record_to_page(record, rec["_source"], None)))
        yield _frame(rows, PAGE_COLUMNS)


def _plain(value: Any) -> Any:
    if hasattr(value, "tolist"):  # numpy arrays of list columns
        return value.tolist()
    return _none(value)


# -- processing ----------------------------------------------------------------

PROCESSED_COLUMNS = [c.split()[0] for c in PROCESSED_SCHEMA.split(", ")]


def page_of_row(row: dict[str, Any]) -> RawPage:
    return RawPage(source=row["source"], kind=row["kind"], content=row["content"], encoding=_none(row["encoding"]),
                   url=_none(row["url"]), fields=json.loads(row["fields_json"] or "{}"), hash=row["hash"])


def page_json(page: RawPage) -> str:
    return _dumps(dataclasses.asdict(page))


def process_pages(batches: Iterator[pd.DataFrame], stages: tuple[str, ...]) -> Iterator[pd.DataFrame]:
    """Pages → one row per article (record, enrichment, pickled StoryDoc with its text analysis)
    or per error, by the single-process `process_batch`."""
    from rasd.pipeline import process_batch
    from rasd.spark.stories import doc_terms

    for pdf in batches:
        records = pdf.to_dict("records")
        for i in range(0, len(records), PROCESS_CHUNK):
            chunk = records[i:i + PROCESS_CHUNK]
            pages = [page_of_row(r) for r in chunk]
            order = {p.page_id: int(r["page_order"]) for p, r in zip(pages, chunk)}
            by_id = {p.page_id: p for p in pages}
            _, articles, enrichments, errors, docs = process_batch(pages, stages)
            enrich = {e.article_id: e for e in enrichments}
            doc_of = {d.article_id: d for d in docs}
            rows: list[dict[str, Any]] = []
            for a in articles:
                doc = doc_of.get(a.id)
                e = enrich.get(a.id)
                rows.append({
                    "row_type": "article", "article_id": a.id, "page_id": a.page_id,
                    "page_hash": by_id[a.page_id].hash, "page_order": order[a.page_id], "position": a.position,
                    "published": a.published, "t": parse_time(a.published),
                    "article_json": _dumps(a.to_dict()),
                    "enrichment_json": _dumps(dataclasses.asdict(e)) if e is not None else None,
                    "page_json": page_json(by_id[a.page_id]),
                    "doc": pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL) if doc is not None else None,
                    "terms": doc_terms(doc) if doc is not None else [],
                    "source": a.source,
                })
            for err in errors:
                rows.append({"row_type": "error", "source": err.source, "reason": err.reason})
            yield _frame(rows, PROCESSED_COLUMNS)


# -- tables --------------------------------------------------------------------


def article_of(text: str) -> Article:
    return Article.from_dict(json.loads(text))


def enrichment_of(text: str | None, article_id: str) -> Enrichment:
    if not text:
        return Enrichment(article_id)
    data = json.loads(text)
    return Enrichment(
        article_id=data["article_id"],
        entities=[Entity(**x) for x in data.get("entities") or []],
        mentions=[Mention(**x) for x in data.get("mentions") or []],
        quotes=[Quote(**x) for x in data.get("quotes") or []],
    )


def _columns(schema: str) -> list[str]:
    depth, cur, out = 0, "", []
    for ch in schema:  # split on top-level commas only
        if ch == "<":
            depth += 1
        elif ch == ">":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur.strip().split()[0])
            cur = ""
        else:
            cur += ch
    out.append(cur.strip().split()[0])
    return out


def article_rows(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    cols = _columns(ARTICLES_SCHEMA)
    for pdf in batches:
        rows = []
        for text in pdf["article_json"]:
            d = json.loads(text)
            d["related"] = [{"title": r.get("title"), "published": r.get("published")} for r in d.get("related") or []]
            rows.append({k: d.get(k) for k in cols})
        yield _frame(rows, cols)


def enrichment_rows(batches: Iterator[pd.DataFrame], table: str) -> Iterator[pd.DataFrame]:
    """The entities / mentions / quotes of each article, one row each."""
    schema = {"entities": ENTITIES_SCHEMA, "mentions": MENTIONS_SCHEMA, "quotes": QUOTES_SCHEMA}[table]
    cols = _columns(schema)
    for pdf in batches:
        rows = []
        for aid, text in zip(pdf["article_id"], pdf["enrichment_json"]):
            e = enrichment_of(_none(text), aid)
            if table == "entities":
                counts: dict[str, int] = {}
                for m in e.mentions:
                    counts[m.entity_key] = counts.get(m.entity_key, 0) + 1
                for ent in e.entities:
                    rows.append({"article_id": aid, "entity_key": ent.key, "name": ent.name, "type": ent.type,
                                 "count": counts.get(ent.key, 0), "aliases": list(ent.aliases)})
            elif table == "mentions":
                rows.extend({"article_id": aid, **dataclasses.asdict(m)} for m in e.mentions)
            else:
                rows.extend({"article_id": aid, **dataclasses.asdict(q)} for q in e.quotes)
        yield _frame(rows, cols)


# -- stories -------------------------------------------------------------------


def _items(pdf: pd.DataFrame, with_context: bool = True) -> list[tuple]:
    out = []
    for row in pdf.to_dict("records"):
        doc = pickle.loads(row["doc"])
        order = int(row["page_order"]) * POSITIONS + int(row["position"])
        item = (doc, _none(row["eff_t"]), order)
        out.append(item + (bool(row["is_context"]),) if with_context else item)
    return out


def cluster_group(pdf: pd.DataFrame, seeds: dict, window_days: float) -> pd.DataFrame:
    """One time bucket (own + context articles) → where each landed (rasd.spark.stories)."""
    from rasd.spark.stories import cluster_bucket
    from rasd.stories.features import DocumentFrequencies

    bucket = int(pdf["bucket"].iloc[0])
    seed = seeds.get(bucket)
    df = DocumentFrequencies(seed[0], seed[1]) if seed is not None else None
    rows = cluster_bucket(bucket, _items(pdf), df=df, window_days=window_days)
    return _frame([dataclasses.asdict(r) for r in rows], _columns(LOCAL_SCHEMA))


def story_group(pdf: pd.DataFrame) -> pd.DataFrame:
    """One final story's articles → lineage rows (kind, novelty, duplicate_of) and its record."""
    from rasd.spark.stories import story_lineage
    from rasd.stories.stage import story_record

    story_id = pdf["story_id"].iloc[0]
    items = _items(pdf, with_context=False)
    roots = {a: _none(r) for a, r in zip(pdf["article_id"], pdf["dup_root"])}
    scores = {a: _none(s) for a, s in zip(pdf["article_id"], pdf["score"])}
    lines, ordered = story_lineage(items, roots)
    record = story_record(story_id, ordered, {x.article_id: x.kind for x in lines})
    rows: list[dict[str, Any]] = [
        {"row_type": "member", "story_id": story_id, "article_id": x.article_id, "duplicate_of": x.duplicate_of,
         "kind": x.kind, "novelty": x.novelty, "score": scores.get(x.article_id)}
        for x in lines
    ]
    rows.append({"row_type": "story", "story_id": story_id, "headline": record.get("headline"),
                 "summary": record.get("summary"), "n_articles": len(ordered),
                 "outlets": list(record.get("outlets") or []), "first_seen": record.get("first_seen"),
                 "last_seen": record.get("last_seen"), "record_json": _dumps(record)})
    return _frame(rows, _columns(STORY_ROWS_SCHEMA))
