"""Export stored articles as JSON Lines, CSV or Parquet.

The exported columns are `EXPORT_FIELDS`, in that order (the `removed` list is
internal and never exported). To add a column later (e.g. entities), append
its name to `EXPORT_FIELDS`, fill it in `export_record`, and give its Parquet
type in `PARQUET_TYPES` (columns without an entry are strings).

jsonl and csv stream article by article; parquet buffers `ROW_GROUP_SIZE`
articles at a time.
"""
from __future__ import annotations

import csv
import io
import json
import os
from contextlib import contextmanager
from typing import IO, Any, Iterator, Union

from rasd.records import Article
from rasd.store.base import Store, StoreError

EXPORT_FIELDS: tuple[str, ...] = (
    "id", "page_id", "position", "title", "published", "published_raw", "outlet", "author",
    "section", "dateline", "agencies", "tags", "body", "language", "related", "source", "url",
    "entities", "quotes", "story_id", "duplicate_of", "kind", "novelty",
)  # fmt: skip
LIST_FIELDS = frozenset({"agencies", "tags", "related", "entities", "quotes"})  # JSON-encoded in CSV
QUOTE_FIELDS = ("speaker", "text", "kind", "cue", "medium")
FORMATS = ("jsonl", "csv", "parquet")
ROW_GROUP_SIZE = 5000

Output = Union[str, "os.PathLike[str]", IO[str], IO[bytes]]


def export_record(article: Article, store: Store | None = None) -> dict[str, Any]:
    """The exported fields of one article, as plain JSON-able values.

    With a store, the article's entities ([{name, type, count}]) and quotes
    ([{speaker, text, kind, cue, medium}]) are added from it.
    """
    data = article.to_dict()
    data["related"] = [{"title": r.title, "published": r.published} for r in article.related]
    data["agencies"] = list(article.agencies or [])
    data["tags"] = list(article.tags or [])
    data["entities"] = store.article_entities(article.id) if store is not None else []
    data["quotes"] = (
        [{k: getattr(q, k) for k in QUOTE_FIELDS} for q in store.get_enrichment(article.id).quotes]
        if store is not None
        else []
    )
    story = store.article_story(article.id) if store is not None else {}
    data.update(story)
    return {k: data.get(k) for k in EXPORT_FIELDS}


def parquet_types() -> dict[str, Any]:
    import pyarrow as pa

    return {
        "position": pa.int32(),
        "agencies": pa.list_(pa.string()),
        "tags": pa.list_(pa.string()),
        "related": pa.list_(pa.struct([("title", pa.string()), ("published", pa.string())])),
        "entities": pa.list_(pa.struct([("name", pa.string()), ("type", pa.string()), ("count", pa.int32())])),
        "quotes": pa.list_(pa.struct([(k, pa.string()) for k in QUOTE_FIELDS])),
        "novelty": pa.float64(),
    }


def parquet_schema() -> Any:
    import pyarrow as pa

    types = parquet_types()
    return pa.schema([(name, types.get(name, pa.string())) for name in EXPORT_FIELDS])


def _is_text_stream(out: Any) -> bool:
    if isinstance(out, io.TextIOBase):
        return True
    if isinstance(out, (io.RawIOBase, io.BufferedIOBase)):
        return False
    return "b" not in getattr(out, "mode", "")


@contextmanager
def _text_out(out: Output, *, bom: bool) -> Iterator[IO[str]]:
    """A text stream on `out` (path, text stream or binary stream), utf-8."""
    if isinstance(out, (str, os.PathLike)):
        with open(out, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
            yield fh
    elif _is_text_stream(out):
        if bom:
            out.write("\ufeff")
        yield out  # type: ignore[misc]
        out.flush()
    else:
        wrapper = io.TextIOWrapper(out, encoding="utf-8-sig" if bom else "utf-8", newline="")  # type: ignore[arg-type]
        try:
            yield wrapper
            wrapper.flush()
        finally:
            wrapper.detach()  # leave the caller's stream open


def _write_jsonl(store: Store, out: Output, order: str) -> int:
    n = 0
    with _text_out(out, bom=False) as fh:
        for article in store.iter_articles(order=order):
            fh.write(json.dumps(export_record(article, store), ensure_ascii=False))
            fh.write("\n")
            n += 1
    return n


def _write_csv(store: Store, out: Output, order: str) -> int:
    n = 0
    with _text_out(out, bom=True) as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(EXPORT_FIELDS)
        for article in store.iter_articles(order=order):
            rec = export_record(article, store)
            writer.writerow(
                json.dumps(v, ensure_ascii=False) if k in LIST_FIELDS else ("" if v is None else v)
                for k, v in rec.items()
            )
            n += 1
    return n


def _write_parquet(store: Store, out: Output, order: str, row_group_size: int) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:  # pragma: no cover - pyarrow is a dependency
        raise StoreError("parquet export needs pyarrow (pip install pyarrow)") from exc

    if isinstance(out, (str, os.PathLike)):
        sink: Any = os.fspath(out)
    elif _is_text_stream(out):
        sink = getattr(out, "buffer", None)
        if sink is None:
            raise StoreError("parquet export needs a binary stream or a path, not a text stream")
        out.flush()
    else:
        sink = out
    schema = parquet_schema()
    n = 0
    with pq.ParquetWriter(sink, schema, compression="zstd") as writer:
        columns: dict[str, list[Any]] = {name: [] for name in EXPORT_FIELDS}

        def flush() -> None:
            if columns["id"]:
                table = pa.Table.from_pydict(columns, schema=schema)
                writer.write_table(table, row_group_size=row_group_size)
                for values in columns.values():
                    values.clear()

        for article in store.iter_articles(order=order):
            for k, v in export_record(article, store).items():
                columns[k].append(v)
            n += 1
            if n % row_group_size == 0:
                flush()
        flush()
    return n


def export_articles(
    store: Store,
    fmt: str,
    out: Output,
    *,
    order: str = "published",
    row_group_size: int = ROW_GROUP_SIZE,
) -> int:
    """Write every stored article to `out` (path or open stream); return the count.

    fmt: "jsonl" (one JSON object per line, UTF-8), "csv" (UTF-8 with BOM so
    Excel shows Arabic; list fields as JSON strings) or "parquet".
    order: as in `Store.iter_articles` ("published" or "ingested").
    """
    fmt = fmt.lower().lstrip(".")
    if fmt == "jsonl":
        return _write_jsonl(store, out, order)
    if fmt == "csv":
        return _write_csv(store, out, order)
    if fmt == "parquet":
        return _write_parquet(store, out, order, row_group_size)
    raise StoreError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
