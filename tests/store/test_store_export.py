"""export_articles: jsonl, csv (BOM), parquet (typed lists), Arabic round trip."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from rasd.records import Article, RawPage, RelatedItem, Removed
from rasd.store import SQLiteStore, StoreError, open_store
from rasd.store.export import EXPORT_FIELDS, export_articles, export_record

TITLE = "الرئيس يستقبل وفداً من «الأمم المتحدة» في القصر"
BODY = "قال مصدر مطلع، الثلاثاء، إن المحادثات ستُستأنف.\nوأضاف: \"الأمور تسير بشكل جيد\"، بحسب واس."


@pytest.fixture
def store(store_url: str):
    with open_store(store_url) as s:
        pages, articles = [], []
        for i in range(12):
            p = RawPage(source=f"dump/{i}.html", kind="html", content=f"صفحة {i}", url=f"https://x.com/{i}")
            pages.append(p)
            for pos in range(2 if i % 3 == 0 else 1):
                articles.append(Article(
                    page_id=p.page_id, position=pos, source=p.source, body=f"{BODY} {i}/{pos}",
                    title=f"{TITLE} {i}/{pos}", published=f"2024-05-{i + 1:02d}" if i != 5 else None,
                    published_raw="١٢ مايو" if i != 5 else None, outlet="الشرق الأوسط", author="محمد",
                    section="عربي", dateline="الرياض", agencies=["واس", "رويترز"] if i % 2 else [],
                    tags=["السعودية"], language="ar", url=p.url,
                    related=[RelatedItem(f"خبر ذو صلة {i}", "2024-05-01", "أمس"), RelatedItem("بلا تاريخ")],
                    removed=[Removed("widget", "الأكثر قراءة")],
                ))
        s.add_batch(pages, articles)
        yield s


def expected_records(store) -> list[dict]:
    return [export_record(a) for a in store.iter_articles()]


def test_export_fields_constant():
    assert EXPORT_FIELDS[:3] == ("id", "page_id", "position")
    assert "removed" not in EXPORT_FIELDS
    assert {"agencies", "tags", "related", "body", "source", "url"} <= set(EXPORT_FIELDS)


def test_jsonl_to_path(store, tmp_path: Path):
    out = tmp_path / "a.jsonl"
    n = export_articles(store, "jsonl", out)
    assert n == store.count_articles() == 16
    text = out.read_text(encoding="utf-8")
    assert TITLE in text  # ensure_ascii=False: Arabic is readable, not \u escapes
    rows = [json.loads(line) for line in text.splitlines()]
    assert len(rows) == 16
    assert all(list(r) == list(EXPORT_FIELDS) for r in rows)
    assert rows == expected_records(store)
    r = rows[0]
    assert r["related"][0] == {"title": r["related"][0]["title"], "published": "2024-05-01"}
    assert set(r["related"][0]) == {"title", "published"}  # no published_raw
    assert isinstance(r["agencies"], list) and isinstance(r["tags"], list)
    assert rows[-1]["published"] is None  # undated last


def test_jsonl_to_text_and_binary_streams(store):
    text = io.StringIO()
    assert export_articles(store, "jsonl", text) == 16
    binary = io.BytesIO()
    assert export_articles(store, "jsonl", binary, order="ingested") == 16
    assert not binary.closed  # the caller's stream is left open
    by_ingest = [json.loads(x) for x in binary.getvalue().decode("utf-8").splitlines()]
    by_pub = [json.loads(x) for x in text.getvalue().splitlines()]
    assert sorted(r["id"] for r in by_ingest) == sorted(r["id"] for r in by_pub)
    assert [r["id"] for r in by_ingest] == [a.id for a in store.iter_articles(order="ingested")]


def test_csv_has_bom_and_json_lists(store, tmp_path: Path):
    out = tmp_path / "a.csv"
    assert export_articles(store, "csv", out) == 16
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM so Excel reads UTF-8 Arabic
    assert raw.count(b"\xef\xbb\xbf") == 1
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 16 and list(rows[0]) == list(EXPORT_FIELDS)
    expected = expected_records(store)
    for row, exp in zip(rows, expected):
        for key in EXPORT_FIELDS:
            if key in ("agencies", "tags", "related"):
                assert json.loads(row[key]) == exp[key]
            elif exp[key] is None:
                assert row[key] == ""
            else:
                assert row[key] == str(exp[key])
    assert "\n" in rows[0]["body"]  # multi-line bodies survive quoting


def test_csv_to_binary_stream(store):
    buf = io.BytesIO()
    export_articles(store, "csv", buf)
    assert buf.getvalue().startswith(b"\xef\xbb\xbf")
    assert TITLE in buf.getvalue().decode("utf-8-sig")


def test_parquet_types_and_arabic_round_trip(store, tmp_path: Path):
    out = tmp_path / "a.parquet"
    assert export_articles(store, "parquet", out, row_group_size=5) == 16
    pf = pq.ParquetFile(out)
    assert pf.metadata.num_row_groups == 4  # 5 + 5 + 5 + 1
    table = pf.read()
    assert table.column_names == list(EXPORT_FIELDS)
    schema = table.schema
    assert schema.field("agencies").type == pa.list_(pa.string())
    assert schema.field("tags").type == pa.list_(pa.string())
    assert schema.field("related").type == pa.list_(
        pa.struct([("title", pa.string()), ("published", pa.string())])
    )
    assert schema.field("position").type == pa.int32()
    assert schema.field("title").type == pa.string()
    assert table.to_pylist() == expected_records(store)
    assert table.column("title")[0].as_py().startswith(TITLE)
    assert table.column("body")[0].as_py().startswith(BODY)


def test_parquet_to_binary_stream_and_empty_store(tmp_path: Path, store):
    buf = io.BytesIO()
    assert export_articles(store, "parquet", buf) == 16
    assert not buf.closed
    assert pq.read_table(io.BytesIO(buf.getvalue())).num_rows == 16
    with SQLiteStore(tmp_path / "empty.db") as empty:
        out = tmp_path / "empty.parquet"
        assert export_articles(empty, "parquet", out) == 0
        t = pq.read_table(out)
        assert t.num_rows == 0 and t.column_names == list(EXPORT_FIELDS)
        assert export_articles(empty, "jsonl", tmp_path / "e.jsonl") == 0
        assert export_articles(empty, "csv", tmp_path / "e.csv") == 0
        assert (tmp_path / "e.csv").read_text(encoding="utf-8-sig").startswith("id,page_id")


def test_parquet_large_export_uses_row_groups(tmp_path: Path):
    with SQLiteStore(tmp_path / "big.db") as s:
        pages, articles = [], []
        for i in range(12_000):
            p = RawPage(source=f"{i}", kind="text", content=f"نص {i}")
            pages.append(p)
            articles.append(Article(page_id=p.page_id, position=0, source=p.source, body=f"نص {i}", tags=[str(i)]))
        s.add_batch(pages, articles)
        out = tmp_path / "big.parquet"
        assert export_articles(s, "parquet", out) == 12_000
        meta = pq.ParquetFile(out).metadata
        assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == [5000, 5000, 2000]


def test_unknown_format(store, tmp_path: Path):
    with pytest.raises(StoreError, match="unknown export format"):
        export_articles(store, "xml", tmp_path / "x.xml")
