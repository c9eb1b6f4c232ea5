"""INGEST stage: formats, zips, directories, stdin, records and bad input."""
from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from ingest_helpers import ARABIC, jsonl, make_zip, run, write
from rasd.ingest import DEFAULT_MAX_BYTES, read_bytes_as_pages
from rasd.records import IngestError, RawPage

# --------------------------------------------------------------------------- plain formats


def test_text_file(tmp_path: Path) -> None:
    path = write(tmp_path / "page.txt", ARABIC + "\r\n")
    pages, errors = run([path])
    assert errors == []
    (page,) = pages
    assert page.kind == "text"
    assert page.source == str(path)
    assert page.encoding == "utf-8"
    assert page.content.startswith("أعلنت وزارة الصحة") and "\r" not in page.content
    assert page.hash and len(page.hash) == 64 and page.url is None


def test_unknown_extension_that_is_text(tmp_path: Path) -> None:
    pages, errors = run([write(tmp_path / "notes.md", "[Reuters] " + ARABIC)])
    assert errors == []
    assert pages[0].kind == "text" and pages[0].content.startswith("[Reuters]")


def test_html_file_keeps_raw_html_and_canonical_url(tmp_path: Path) -> None:
    html = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        '<meta property="og:url" content="https://example.com/og">'
        '<link href="https://example.com/news/1?a=1&amp;b=2" rel="canonical">'
        f"</head><body><p>{ARABIC}</p></body></html>"
    )
    path = write(tmp_path / "a.html", html)
    pages, errors = run([path])
    assert errors == []
    (page,) = pages
    assert page.kind == "html"
    assert page.content == html
    assert page.url == "https://example.com/news/1?a=1&b=2"


def test_html_og_url_and_relative_canonical(tmp_path: Path) -> None:
    og_only = '<html><head><meta property="og:url" content="https://x.com/a"></head><body>x</body></html>'
    relative = (
        '<html><head><base href="https://site.org/ar/"><link rel="canonical" href="/news/7"></head>'
        "<body>x</body></html>"
    )
    pages, _ = run([write(tmp_path / "og.htm", og_only), write(tmp_path / "rel.html", relative)])
    assert [p.url for p in pages] == ["https://x.com/a", "https://site.org/news/7"]


def test_html_sniffed_without_extension(tmp_path: Path) -> None:
    pages, errors = run([write(tmp_path / "page", "\n  <!doctype html><html><body>مرحبا</body></html>")])
    assert errors == [] and pages[0].kind == "html"


def test_html_declared_windows_1256(tmp_path: Path) -> None:
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1256">'
        f"<title>خبر</title></head><body><p>{ARABIC}</p></body></html>"
    )
    pages, errors = run([write(tmp_path / "old.html", html, encoding="cp1256")])
    assert errors == []
    assert pages[0].encoding == "windows-1256" and ARABIC in pages[0].content


# --------------------------------------------------------------------------- records


RECORD = {
    "Headline": "عنوان الخبر",
    "BODY": "<p>الفقرة الأولى</p><p>الفقرة&nbsp;الثانية<br>سطر</p>",
    "Permalink": "https://news.example/1",
    "published_at": "2015-07-21T10:00:00",
    "Newspaper": {"name": "الرياض"},
    "byline": ["أحمد", "سارة"],
    "Category": "محليات",
    "keywords": "اقتصاد، نفط, الرياض",
    "lang": "ar",
    "id": 17,
    "description": "ملخص",
}


def test_record_key_mapping() -> None:
    (page,) = list(read_bytes_as_pages(json.dumps(RECORD).encode(), "rec.json", name_hint="rec.json"))
    assert isinstance(page, RawPage), page
    assert page.kind == "record" and page.source == "rec.json"
    assert page.content == "الفقرة الأولى\n\nالفقرة الثانية\nسطر"  # HTML body → paragraphs
    assert page.url == "https://news.example/1"
    f = page.fields
    assert f["title"] == "عنوان الخبر"
    assert f["date"] == "2015-07-21T10:00:00"
    assert f["url"] == "https://news.example/1"
    assert f["outlet"] == "الرياض"
    assert f["author"] == "أحمد, سارة"
    assert f["section"] == "محليات"
    assert f["tags"] == ["اقتصاد", "نفط", "الرياض"]
    assert f["language"] == "ar"
    # description is only a body when nothing else is; otherwise it is kept as extra
    assert f["extra"] == {"id": 17, "description": "ملخص"}


def test_record_aliases_and_description_fallback() -> None:
    records = [
        {"text": "نص", "heading": "ع", "link": "u1", "pubdate": "d", "site": "s", "writer": "w", "section": "x", "tags": ["a", "b", "a"]},
        {"article": "نص", "href": "u2", "date_published": "d", "publisher": "p", "author": "a"},
        {"article_body": "نص", "permalink": "u3", "datetime": "d", "domain": "dm"},
        {"Full Text": "نص", "url": "u4", "time": "d", "outlet": "o"},
        {"content": "نص", "date_extracted": "crawl", "source": "aawsat"},
        {"description": "وصف فقط", "title": "t"},
        {"content": "   ", "body": "الجسم", "title": ""},
    ]
    pages = list(read_bytes_as_pages(json.dumps(records).encode(), "r.json", name_hint="r.json"))
    assert all(isinstance(p, RawPage) for p in pages), pages
    assert [p.source for p in pages] == [f"r.json#{i}" for i in range(len(records))]
    assert [p.url for p in pages[:4]] == ["u1", "u2", "u3", "u4"]
    assert pages[0].fields["tags"] == ["a", "b"] and pages[0].fields["author"] == "w"
    assert pages[1].fields["outlet"] == "p"
    assert pages[2].fields["outlet"] == "dm"
    assert pages[4].fields == {"date": "crawl", "outlet": "aawsat"}
    assert pages[5].content == "وصف فقط"
    assert pages[6].content == "الجسم" and "title" not in pages[6].fields


def test_record_without_body_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path / "feed.jsonl", jsonl([{"content": "جيد"}, {"title": "بلا نص", "url": "u"}, {"body": "جيد ٢"}]))
    pages, errors = run([path])
    assert [p.content for p in pages] == ["جيد", "جيد ٢"]
    (error,) = errors
    assert error.source == f"{path}:2"
    assert "record has no body text (expected one of: content, body, text" in error.reason
    assert "found keys: title, url" in error.reason


def test_jsonl_malformed_line_continues(tmp_path: Path) -> None:
    text = jsonl([{"content": "١"}]) + '{"content": "٢", oops}\n\n' + jsonl([{"content": "٣"}, ["not", "object"]])
    path = write(tmp_path / "f.ndjson", text)
    pages, errors = run([path])
    assert [p.content for p in pages] == ["١", "٣"]
    assert [p.source for p in pages] == [f"{path}:1", f"{path}:4"]
    assert [e.source for e in errors] == [f"{path}:2", f"{path}:5"]
    assert errors[0].reason.startswith("invalid JSON at line 2: Expecting property name")
    assert errors[1].reason == "line 5 is not a JSON object (got array)"


def test_jsonl_that_is_not_jsonl_is_one_error(tmp_path: Path) -> None:
    pages, errors = run([write(tmp_path / "x.jsonl", "hello\n" * 50)])
    assert pages == []
    (error,) = errors
    assert error.reason.startswith("not a JSON Lines file")


def test_json_array_object_and_wrapped_list(tmp_path: Path) -> None:
    arr = write(tmp_path / "a.json", json.dumps([{"content": "أ"}, {"content": "ب"}], ensure_ascii=False))
    one = write(tmp_path / "b.json", json.dumps({"title": "t", "content": "ج"}))
    wrapped = write(tmp_path / "c.json", json.dumps({"status": "ok", "Articles": [{"body": "د"}]}))
    items = write(tmp_path / "d.json", json.dumps({"items": [{"text": "هـ"}], "next": None}))
    pages, errors = run([arr, one, wrapped, items])
    assert errors == []
    assert [(p.source, p.content) for p in pages] == [
        (f"{arr}#0", "أ"),
        (f"{arr}#1", "ب"),
        (str(one), "ج"),
        (f"{wrapped}#0", "د"),
        (f"{items}#0", "هـ"),
    ]
    assert all(p.kind == "record" for p in pages)


def test_json_file_that_is_really_jsonl_and_vice_versa(tmp_path: Path) -> None:
    path = write(tmp_path / "dump.json", jsonl([{"content": "١"}, {"content": "٢"}]))
    array = write(tmp_path / "dump.jsonl", json.dumps([{"content": "١"}, {"content": "٢"}], indent=2))
    pages, errors = run([path, array])
    assert errors == []
    assert [p.source for p in pages] == [f"{path}:1", f"{path}:2", f"{array}#0", f"{array}#1"]


def test_csv_comma_semicolon_tab(tmp_path: Path) -> None:
    comma = write(tmp_path / "a.csv", '\ufefftitle,content,date\nع1,"نص, مع فاصلة",2015-01-01\nع2,"سطر\nثان",2015-01-02\n,,\n')
    semi = write(tmp_path / "b.csv", "Headline;Text;Tags\nع;نص;أ, ب\n")
    tab = write(tmp_path / "c.tsv", "title\tbody\nع\tنص\n")
    tabcsv = write(tmp_path / "d.csv", "title\tbody\nع\tنص\n")
    pages, errors = run([comma, semi, tab, tabcsv])
    assert errors == []
    assert [(p.source, p.content) for p in pages] == [
        (f"{comma}:2", "نص, مع فاصلة"),
        (f"{comma}:3", "سطر\nثان"),
        (f"{semi}:2", "نص"),
        (f"{tab}:2", "نص"),
        (f"{tabcsv}:2", "نص"),
    ]
    assert pages[0].fields == {"title": "ع1", "date": "2015-01-01"}
    assert pages[2].fields == {"title": "ع", "tags": ["أ", "ب"]}


def test_csv_without_body_column(tmp_path: Path) -> None:
    pages, errors = run([write(tmp_path / "x.csv", "a,b\n1,2\n3,4\n")])
    assert pages == []
    (error,) = errors
    assert error.reason.startswith("CSV file has no body column (expected one of: content, body")


# --------------------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    "codec, expected",
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("utf-16", "utf-16"),
        ("utf-16-le", "utf-16-le"),
        ("utf-16-be", "utf-16-be"),
        ("utf-32", "utf-32"),
        ("cp1256", "windows-1256"),
    ],
)
def test_encodings_of_text_files(tmp_path: Path, codec: str, expected: str) -> None:
    pages, errors = run([write(tmp_path / "p.txt", ARABIC, encoding=codec)])
    assert errors == []
    assert pages[0].content == ARABIC and pages[0].encoding == expected


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-16", "cp1256", "utf-8-sig"])
def test_encodings_of_records(tmp_path: Path, codec: str) -> None:
    path = write(tmp_path / "r.jsonl", jsonl([{"title": "عنوان", "content": ARABIC}]), encoding=codec)
    pages, errors = run([path])
    assert errors == []
    assert pages[0].content == ARABIC and pages[0].fields["title"] == "عنوان"


def test_random_bytes_are_rejected(tmp_path: Path) -> None:
    import random

    rng = random.Random(7)
    blobs = [rng.randbytes(4096), bytes(b for b in rng.randbytes(4096) if b >= 0x20), bytes(b for b in rng.randbytes(4096) if b >= 0x80)]
    for i, blob in enumerate(blobs):
        write(tmp_path / f"r{i}.dat", blob)
    pages, errors = run([tmp_path / f"r{i}.dat" for i in range(len(blobs))])
    assert pages == []
    assert len(errors) == 3
    assert errors[0].reason == "binary file (contains NUL bytes), not a text page"
    assert errors[1].reason == errors[2].reason == "unknown text encoding (not UTF-8, UTF-16 or windows-1256)"


# --------------------------------------------------------------------------- zips


def test_zip_members_and_nested_zip(tmp_path: Path) -> None:
    inner = make_zip({"deep.txt": "نص داخلي"})
    archive = write(
        tmp_path / "batch.zip",
        make_zip(
            {
                "day/": b"",
                "day/articles.json": json.dumps([{"content": "أ"}, {"content": "ب"}]),
                "day/page.html": "<html><body>ص</body></html>",
                "notes.txt": ARABIC.encode("cp1256"),
                ".hidden.txt": "skip me",
                "__MACOSX/._notes.txt": b"\x00\x05junk",
                "inner.zip": inner,
            }
        ),
    )
    pages, errors = run([archive])
    assert errors == []
    assert [p.source for p in pages] == [
        f"{archive}!day/articles.json#0",
        f"{archive}!day/articles.json#1",
        f"{archive}!day/page.html",
        f"{archive}!notes.txt",
        f"{archive}!inner.zip!deep.txt",
    ]
    assert [p.kind for p in pages] == ["record", "record", "html", "text", "text"]
    assert pages[3].content == ARABIC and pages[3].encoding == "windows-1256"


def test_zip_nested_too_deep_and_bad_members(tmp_path: Path) -> None:
    level3 = make_zip({"x.txt": "x"})
    level2 = make_zip({"l3.zip": level3, "ok.txt": "ok"})
    archive = write(tmp_path / "a.zip", make_zip({"l2.zip": level2, "empty.txt": b"", "img.png": b"\x89PNG\r\n\x1a\n" + bytes(50)}))
    pages, errors = run([archive])
    assert [p.source for p in pages] == [f"{archive}!l2.zip!ok.txt"]
    assert [(e.source, e.reason.split(" (")[0]) for e in errors] == [
        (f"{archive}!l2.zip!l3.zip", "zip nested too deeply"),
        (f"{archive}!empty.txt", "empty file"),
        (f"{archive}!img.png", "binary file"),
    ]


def test_zip_member_size_limit_and_streamed_jsonl_member(tmp_path: Path) -> None:
    big_text = "كلمة " * 400  # 3.6 kB
    records = [{"content": f"خبر رقم {i}"} for i in range(100)]
    archive = write(tmp_path / "a.zip", make_zip({"big.txt": big_text, "many.jsonl": jsonl(records), "small.txt": "صغير"}))
    pages, errors = run([archive], max_bytes=1000)
    (error,) = errors
    assert error.source == f"{archive}!big.txt"
    assert error.reason.startswith("file (uncompressed) is 3.6 kB, larger than the 1.0 kB limit")
    assert len(pages) == 101
    assert pages[0].source == f"{archive}!many.jsonl:1" and pages[-1].source == f"{archive}!small.txt"


# --------------------------------------------------------------------------- directories


def test_directory_walk_sorted_recursive_skips_hidden(tmp_path: Path) -> None:
    root = tmp_path / "in"
    write(root / "b.txt", "ب")
    write(root / "a" / "z.txt", "ز")
    write(root / "a" / "c" / "y.txt", "ي")
    write(root / ".git" / "config", "[core]")
    write(root / ".hidden.txt", "خفي")
    write(root / "README.txt", "About this dataset")
    write(root / "c.jsonl", jsonl([{"content": "ج"}]))
    pages, errors = run([root])
    assert errors == []
    assert [Path(p.source).relative_to(root).as_posix() for p in pages] == ["a/c/y.txt", "a/z.txt", "b.txt", "c.jsonl:1"]


def test_explicit_readme_is_read(tmp_path: Path) -> None:
    pages, errors = run([write(tmp_path / "README.txt", "readme")])
    assert errors == [] and pages[0].content == "readme"


def test_directory_with_nothing_readable(tmp_path: Path) -> None:
    root = tmp_path / "empty"
    (root / "sub").mkdir(parents=True)
    write(root / ".DS_Store", b"\x00\x00\x00\x01Bud1")
    pages, errors = run([root, write(tmp_path / "good.txt", "جيد")])
    assert len(pages) == 1
    (error,) = errors
    assert error.source == str(root)
    assert error.reason.startswith("directory contains no readable files")


# --------------------------------------------------------------------------- stdin


@pytest.mark.parametrize(
    "data, kind, sources",
    [
        (ARABIC.encode(), "text", ["<stdin>"]),
        (b"<!DOCTYPE html><html><body>x</body></html>", "html", ["<stdin>"]),
        (json.dumps([{"content": "أ"}, {"content": "ب"}]).encode(), "record", ["<stdin>#0", "<stdin>#1"]),
        (json.dumps({"content": "أ"}).encode(), "record", ["<stdin>"]),
        (jsonl([{"content": "أ"}, {"content": "ب"}]).encode(), "record", ["<stdin>:1", "<stdin>:2"]),
        (ARABIC.encode("utf-16"), "text", ["<stdin>"]),
        (b"[AFP] " + ARABIC.encode(), "text", ["<stdin>"]),
    ],
)
def test_stdin_sniffing(data: bytes, kind: str, sources: list[str]) -> None:
    pages, errors = run(["-"], stdin=io.BytesIO(data))
    assert errors == []
    assert [p.kind for p in pages] == [kind] * len(sources)
    assert [p.source for p in pages] == sources


def test_stdin_zip() -> None:
    pages, errors = run(["-"], stdin=io.BytesIO(make_zip({"a.txt": "أ", "b.json": '[{"body": "ب"}]'})))
    assert errors == []
    assert [p.source for p in pages] == ["<stdin>!a.txt", "<stdin>!b.json#0"]


def test_stdin_too_large_and_streamed_jsonl() -> None:
    _, errors = run(["-"], stdin=io.BytesIO(("نص " * 1000).encode()), max_bytes=1000)
    (error,) = errors
    assert error.source == "<stdin>" and "larger than the 1.0 kB limit" in error.reason
    pages, errors = run(["-"], stdin=io.BytesIO(jsonl([{"content": "خبر " * 20}] * 200).encode()), max_bytes=1000)
    assert errors == [] and len(pages) == 200


# --------------------------------------------------------------------------- bad input

BAD_FILES: dict[str, tuple[bytes, str]] = {
    "empty.txt": (b"", "empty file"),
    "blank.txt": (b"  \n\t\n", "file has no text (only whitespace)"),
    "img.png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "binary file (PNG), not a text page"),
    "paper.pdf": (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "binary file (PDF), not a text page"),
    "photo.jpg": (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(32), "binary file (JPEG), not a text page"),
    "anim.txt": (b"GIF89a\x01\x00\x01\x00\x80\x00\x00", "binary file (GIF), not a text page"),
    "prog": (b"\x7fELF\x02\x01\x01\x00" + bytes(64), "binary file (ELF executable), not a text page"),
    "blob.bin": (b"abc\x00\x01\x02\x03\xff\xfe\x80" * 20, "binary file (contains NUL bytes), not a text page"),
    "report.docx": (b"PK\x03\x04\x14\x00\x06\x00" + bytes(30), "binary file (ZIP-based .docx document), not a text page"),
    "fake.zip": (b"this is not a zip at all", "not a valid zip archive"),
    "pdf.zip": (b"%PDF-1.7\n" + bytes(20), "not a valid zip archive (it is a PDF file)"),
    "cut.zip": (make_zip({"a.txt": "x" * 1000})[:-30], "not a valid zip archive (truncated or corrupt)"),
    "empty-archive.zip": (make_zip({}), "zip archive contains no readable files"),
    "broken.json": (b'[\n  {"content": "a"},\n  {"content": "b" "title": "c"}\n]', "invalid JSON at line 3: Expecting ',' delimiter (column 19)"),
    "none.json": (b"[]", "JSON file holds no records (the JSON array is empty)"),
    "strings.json": (b'["a", "b"]', "JSON file holds no records (the JSON array holds str values, not objects)"),
    "scalar.json": (b"42", "JSON file holds no records (it is a single number value, not an object or array)"),
    "meta.json": (b'{"version": 2, "count": 0}', "JSON file holds no records: an object with neither a body field (content, body, text…) nor an articles/items/data list; found keys: version, count"),
    "header.csv": (b"title,content\n", "CSV file holds no records (only a header row)"),
    "random.txt": (bytes(range(0x80, 0x100)) * 8, "unknown text encoding (not UTF-8, UTF-16 or windows-1256)"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_yields_one_error_and_good_files_still_read(tmp_path: Path, name: str) -> None:
    data, reason = BAD_FILES[name]
    root = tmp_path / "in"
    good_before = write(root / "0-good.txt", "خبر أول")
    bad = write(root / f"1-{name}", data)
    good_after = write(root / "2-good.jsonl", jsonl([{"content": "خبر ثان"}]))
    pages, errors = run([root])
    assert [p.source for p in pages] == [str(good_before), f"{good_after}:1"]
    assert len(errors) == 1, errors
    assert errors[0].source == str(bad)
    assert errors[0].reason == reason


def test_missing_path(tmp_path: Path) -> None:
    good = write(tmp_path / "good.txt", "جيد")
    missing = tmp_path / "nope.txt"
    pages, errors = run([missing, good])
    assert [p.source for p in pages] == [str(good)]
    assert errors == [IngestError(str(missing), "cannot read: [Errno 2] No such file or directory")]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read files with mode 000")
def test_permission_denied(tmp_path: Path) -> None:
    locked = write(tmp_path / "locked.txt", "سري")
    locked_dir = tmp_path / "locked_dir"
    write(locked_dir / "x.txt", "x")
    good = write(tmp_path / "good.txt", "جيد")
    locked.chmod(0)
    locked_dir.chmod(0)
    try:
        pages, errors = run([locked, locked_dir, good])
    finally:
        locked.chmod(0o644)
        locked_dir.chmod(0o755)
    assert [p.source for p in pages] == [str(good)]
    assert [(e.source, e.reason) for e in errors] == [
        (str(locked), "cannot read: [Errno 13] Permission denied"),
        (str(locked_dir), "cannot read: [Errno 13] Permission denied"),
    ]


def test_too_large_file_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "huge.txt"
    with open(big, "wb") as fh:  # sparse: 50 MB on paper, nothing on disk
        fh.truncate(50_000_000)
    good = write(tmp_path / "good.txt", "جيد")
    real_open = open

    def guarded_open(file, *args, **kwargs):
        assert os.fspath(file) != str(big), "the oversized file must not be opened"
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("rasd.ingest.walk.open", guarded_open, raising=False)
    pages, errors = run([big, good])
    assert DEFAULT_MAX_BYTES == 20_000_000
    assert [p.source for p in pages] == [str(good)]
    assert errors == [
        IngestError(str(big), "file is 50.0 MB, larger than the 20 MB limit; split it or raise --max-bytes")
    ]


def test_large_jsonl_is_streamed_with_a_per_line_limit(tmp_path: Path) -> None:
    lines = [json.dumps({"content": f"خبر رقم {i} " + "نص " * 20}, ensure_ascii=False) for i in range(300)]
    lines[5] = json.dumps({"content": "طويل " * 400}, ensure_ascii=False)  # > max_bytes on its own
    path = write(tmp_path / "big.jsonl", "\n".join(lines) + "\n")
    assert path.stat().st_size > 10_000
    pages, errors = run([path], max_bytes=2000)
    assert len(pages) == 299
    (error,) = errors
    assert error.source == f"{path}:6"
    assert error.reason.startswith("line is 3.6 kB, larger than the 2.0 kB limit")
    assert pages[5].source == f"{path}:7"


def test_large_csv_and_utf16_jsonl_are_streamed(tmp_path: Path) -> None:
    rows = "".join(f'"عنوان {i}","{"نص " * 30}"\n' for i in range(100))
    csv_path = write(tmp_path / "big.csv", "title,content\n" + rows)
    u16 = write(tmp_path / "big16.jsonl", jsonl([{"content": "نص " * 30}] * 50), encoding="utf-16")
    pages, errors = run([csv_path, u16], max_bytes=1000)
    assert errors == []
    assert len(pages) == 150
    assert pages[0].source == f"{csv_path}:2" and pages[0].fields["title"] == "عنوان 0"
    assert pages[100].source == f"{u16}:1" and pages[100].encoding == "utf-16"


def test_large_json_array_is_rejected_with_a_hint(tmp_path: Path) -> None:
    path = write(tmp_path / "big.json", json.dumps([{"content": "نص " * 100}] * 20))
    pages, errors = run([path], max_bytes=1000)
    assert pages == []
    assert "JSON Lines files are streamed" in errors[0].reason


def test_read_bytes_as_pages_never_raises_on_garbage() -> None:
    import random

    rng = random.Random(3)
    for n in range(200):
        blob = rng.randbytes(rng.randint(0, 300))
        for hint in (None, "x.json", "x.jsonl", "x.csv", "x.html", "x.zip", "x.txt"):
            for item in read_bytes_as_pages(blob, "g", name_hint=hint):
                assert isinstance(item, (RawPage, IngestError))
                if isinstance(item, IngestError):
                    assert item.reason and "unexpected error" not in item.reason, item


def test_sniffed_json_that_does_not_parse_is_an_error() -> None:
    (item,) = list(read_bytes_as_pages(b'{"content": "x", broken', "<stdin>"))
    assert isinstance(item, IngestError) and item.reason.startswith("invalid JSON at line 1")


def test_symlink_loop_in_directory(tmp_path: Path) -> None:
    root = tmp_path / "in"
    write(root / "a.txt", "أ")
    (root / "loop").symlink_to(root, target_is_directory=True)
    pages, errors = run([root])
    assert errors == [] and [Path(p.source).name for p in pages] == ["a.txt"]


def test_permission_error_message_simulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Same as test_permission_denied, but runs as root too: open() is made to fail."""
    locked = write(tmp_path / "locked.txt", "سري")
    good = write(tmp_path / "good.txt", "جيد")
    real_open = open

    def failing_open(file, *args, **kwargs):
        if os.fspath(file) == str(locked):
            raise PermissionError(13, "Permission denied", str(locked))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("rasd.ingest.walk.open", failing_open, raising=False)
    pages, errors = run([locked, good])
    assert [p.source for p in pages] == [str(good)]
    assert errors == [IngestError(str(locked), "cannot read: [Errno 13] Permission denied")]
