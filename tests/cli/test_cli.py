"""The CLI end to end over real SQLite files in tmp_path."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pyarrow.parquet as pq
import pytest

from rasd.cli import main

PAGE = """ارتفاع صادرات التمور بنسبة عشرين في المئة
نشر في: الأحد 6 نيسان 2025 - 10:15 صباحاً
الرياض - واس
أعلنت هيئة الصادرات اليوم أن صادرات التمور ارتفعت بنسبة عشرين في المئة خلال الربع الأول من العام، مدفوعة بطلب متزايد من الأسواق الآسيوية والأوروبية.
وأوضحت الهيئة في بيان أن عدد الدول المستوردة بلغ مئة وعشر دول، مقارنة بخمس وتسعين دولة في الفترة نفسها من العام الماضي.
كلمات دلالية: التمور، الصادرات، الاقتصاد
"""

EXPORT_KEYS = {
    "id", "page_id", "position", "title", "published", "published_raw", "outlet", "author", "section",
    "dateline", "agencies", "tags", "body", "language", "related", "source",
}  # fmt: skip


@pytest.fixture
def loaded_db(tmp_path, db_path, capsys):
    (tmp_path / "dates.txt").write_text(PAGE, encoding="utf-8")
    assert main(["ingest", str(tmp_path / "dates.txt"), "--db", db_path, "-q"]) == 0
    capsys.readouterr()
    return db_path


def test_export_jsonl_has_the_documented_keys(loaded_db, capsys):
    assert main(["export", "--db", loaded_db]) == 0
    [row] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert EXPORT_KEYS <= set(row)
    assert row["published"] == "2025-04-06T10:15"
    assert row["dateline"] == "الرياض" and row["agencies"] == ["واس"]
    assert row["tags"] == ["التمور", "الصادرات", "الاقتصاد"]
    assert row["body"].startswith("أعلنت هيئة الصادرات") and "كلمات دلالية" not in row["body"]


def test_export_csv_and_parquet_files(loaded_db, tmp_path, capsys):
    out_csv = tmp_path / "a.csv"
    out_pq = tmp_path / "a.parquet"
    assert main(["export", "--db", loaded_db, "--format", "csv", "--out", str(out_csv)]) == 0
    assert main(["export", "--db", loaded_db, "--format", "parquet", "--out", str(out_pq)]) == 0
    [row] = list(csv.DictReader(io.StringIO(out_csv.read_text(encoding="utf-8-sig"))))
    assert row["title"] == "ارتفاع صادرات التمور بنسبة عشرين في المئة"
    assert json.loads(row["agencies"]) == ["واس"]
    table = pq.read_table(out_pq).to_pylist()
    assert table[0]["title"] == row["title"] and table[0]["tags"] == ["التمور", "الصادرات", "الاقتصاد"]
    assert main(["export", "--db", loaded_db, "--format", "parquet"]) == 2  # parquet needs --out


def test_articles_table_and_show(loaded_db, capsys):
    assert main(["articles", "--db", loaded_db]) == 0
    out = capsys.readouterr().out
    assert "ارتفاع صادرات التمور" in out and "2025-04-06" in out
    article_id = out.splitlines()[1].split()[0]
    assert main(["show", article_id[:6], "--db", loaded_db]) == 0
    shown = capsys.readouterr().out
    assert "واس" in shown and "[date]" in shown and "[tags]" in shown
    assert main(["show", "ffffffffffff", "--db", loaded_db]) == 1


def test_stdin_and_unknown_stage(db_path, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(PAGE.encode("utf-8"))))
    assert main(["ingest", "-", "--db", db_path, "-q"]) == 0
    assert "articles stored: 1" in capsys.readouterr().out
    assert main(["ingest", "-", "--db", db_path, "--stages", "nonsense"]) == 2
    assert "unknown stage" in capsys.readouterr().err


def test_rasd_db_environment_variable(tmp_path, monkeypatch, capsys):
    (tmp_path / "p.txt").write_text(PAGE, encoding="utf-8")
    monkeypatch.setenv("RASD_DB", str(tmp_path / "env.db"))
    assert main(["ingest", str(tmp_path / "p.txt"), "-q"]) == 0
    assert (tmp_path / "env.db").exists()


def test_python_dash_m(tmp_path):
    (tmp_path / "p.txt").write_text(PAGE, encoding="utf-8")
    db = str(tmp_path / "m.db")
    done = subprocess.run(
        [sys.executable, "-m", "rasd", "ingest", str(tmp_path / "p.txt"), "--db", db],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "articles stored: 1" in done.stdout
