"""Bad input through `rasd ingest`: each bad document is one clear error in the
summary, the good documents of the same run are stored, and nothing already
stored is lost."""
from __future__ import annotations

import os
import zlib
import struct

import pytest

from rasd.cli import main
from rasd.store import open_store

GOOD_PAGE = """وزير الطاقة يفتتح محطة جديدة للطاقة الشمسية في الصحراء
تاريخ النشر: 12 مارس 2025
افتتح وزير الطاقة اليوم محطة جديدة لتوليد الكهرباء من الطاقة الشمسية بقدرة خمسمئة ميغاواط، في خطوة قال إنها تقرب البلاد من هدفها في إنتاج ثلث حاجتها من مصادر متجددة.
وأوضح الوزير أن المحطة ستزود نحو مئتي ألف منزل بالكهرباء، وأن المرحلة الثانية من المشروع ستبدأ في العام المقبل.
"""


def _png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)) + chunk(b"IEND", b"")


@pytest.fixture
def inputs(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text(GOOD_PAGE, encoding="utf-8")
    (d / "empty.txt").write_bytes(b"")
    (d / "image.png").write_bytes(_png_bytes())
    (d / "report.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + bytes(range(256)) * 4)
    with open(d / "huge.txt", "wb") as fh:  # 50 MB, sparse: the size check must not read it
        fh.truncate(50_000_000)
    (d / "boilerplate.txt").write_text("أخبار عاجلة\nالرئيسية / سياسة\nشارك: فيسبوك تويتر واتساب\n", encoding="utf-8")
    (d / "feed.jsonl").write_text(
        '{"title": "خبر أول", "content": "نص الخبر الأول عن افتتاح معرض الكتاب في المدينة بمشاركة مئات الناشرين.", "source": "صحيفة الأمس"}\n'
        '{"title": "خبر ثان", "content": \n'
        '{"title": "خبر ثالث", "content": "نص الخبر الثالث عن مباراة كرة القدم التي انتهت بالتعادل بين الفريقين.", "source": "صحيفة الأمس"}\n',
        encoding="utf-8",
    )
    (d / "mystery.txt").write_bytes(bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) * 40 + b"\xff\xfe\xfd" * 50)
    return d


def _errors(out: str) -> dict[str, str]:
    errors = {}
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("error: "):
            source, _, reason = line[len("error: "):].partition(": ")
            errors[os.path.basename(source)] = reason
    return errors


def test_each_bad_document_is_reported_and_the_rest_is_stored(inputs, db_path, capsys):
    missing = inputs / "does-not-exist.txt"
    code = main(["ingest", str(inputs), str(missing), "--db", db_path, "-q"])
    out = capsys.readouterr().out
    assert code == 0, out
    errors = _errors(out)
    assert "empty" in errors["empty.txt"]
    assert "binary" in errors["image.png"] and "PNG" in errors["image.png"]
    assert "binary" in errors["report.pdf"] and "PDF" in errors["report.pdf"]
    assert "50.0 MB" in errors["huge.txt"] and "limit" in errors["huge.txt"]
    assert "boilerplate" in errors["boilerplate.txt"]
    assert "encoding" in errors["mystery.txt"]
    assert "feed.jsonl:2" in errors and "JSON" in errors["feed.jsonl:2"]
    assert "does-not-exist.txt" in errors
    with open_store(db_path) as store:
        titles = {a.title for a in store.iter_articles()}
    assert titles == {"وزير الطاقة يفتتح محطة جديدة للطاقة الشمسية في الصحراء", "خبر أول", "خبر ثالث"}
    assert "Traceback" not in out


def test_a_later_bad_run_loses_nothing_already_stored(inputs, tmp_path, db_path, capsys):
    assert main(["ingest", str(inputs / "good.txt"), "--db", db_path, "-q"]) == 0
    capsys.readouterr()
    code = main(["ingest", str(inputs / "image.png"), str(inputs / "empty.txt"), "--db", db_path, "-q"])
    out = capsys.readouterr().out
    assert code == 1  # nothing good in this run: a failure exit, but no traceback
    assert len(_errors(out)) == 2
    with open_store(db_path) as store:
        assert store.count_articles() == 1


def test_unreadable_path(tmp_path, db_path, capsys):
    if os.geteuid() == 0:
        pytest.skip("running as root: file permissions do not block reads")
    p = tmp_path / "secret.txt"
    p.write_text(GOOD_PAGE, encoding="utf-8")
    p.chmod(0)
    main(["ingest", str(p), "--db", db_path, "-q"])
    assert "Permission denied" in capsys.readouterr().out
