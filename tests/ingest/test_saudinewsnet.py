"""Reading the real SaudiNewsNet daily zips straight from ../shared."""
from __future__ import annotations

import json
import time
import zipfile
from pathlib import Path

import pytest

from ingest_helpers import SHARED_DIR, run
from rasd.ingest import iter_pages
from rasd.records import IngestError, RawPage


@pytest.fixture
def saudinewsnet_dir() -> Path:
    path = SHARED_DIR / "data" / "saudinewsnet"
    if not path.is_dir():
        pytest.skip(f"{path} not found: this test reads the shared SaudiNewsNet zips next to the repo (../shared)")
    return path


def test_one_daily_zip(saudinewsnet_dir: Path) -> None:
    archive = saudinewsnet_dir / "2015-07-23.zip"
    if not archive.exists():
        archive = sorted(saudinewsnet_dir.glob("*.zip"))[0]
    with zipfile.ZipFile(archive) as zf:
        (member,) = zf.namelist()
        raw = json.loads(zf.read(member))

    started = time.perf_counter()
    pages, errors = run([archive])
    elapsed = time.perf_counter() - started

    assert len(pages) + len(errors) == len(raw)
    # the only bad records are the ones with an empty "content"
    assert len(errors) == sum(1 for r in raw if not r["content"].strip())
    assert all("record has no body text" in e.reason for e in errors)

    first_good = next(i for i, r in enumerate(raw) if r["content"].strip())
    page = pages[0]
    record = raw[first_good]
    assert page.source == f"{archive}!{member}#{first_good}"
    assert page.kind == "record" and page.encoding == "utf-8"
    assert page.content == record["content"].strip()
    assert page.url == record["url"] == page.fields["url"]
    assert page.fields["outlet"] == record["source"]
    assert page.fields["date"] == record["date_extracted"]
    if record["title"]:
        assert page.fields["title"] == record["title"]
    assert len({p.hash for p in pages}) > 0.9 * len(pages)
    # ingest must be far faster than the 1000 articles/s the whole pipeline needs
    assert len(raw) / elapsed > 1000, f"{len(raw) / elapsed:.0f} records/s"


def test_whole_directory(saudinewsnet_dir: Path) -> None:
    """`rasd ingest <saudinewsnet dir>`: every article of every daily zip, README.txt skipped."""
    expected = 0
    for archive in sorted(saudinewsnet_dir.glob("*.zip")):
        with zipfile.ZipFile(archive) as zf:
            expected += sum(len(json.loads(zf.read(name))) for name in zf.namelist())
    started = time.perf_counter()
    pages = errors = 0
    for item in iter_pages([saudinewsnet_dir]):
        if isinstance(item, RawPage):
            pages += 1
            assert item.kind == "record" and ".zip!" in item.source
        else:
            assert isinstance(item, IngestError)
            assert "record has no body text" in item.reason, item
            errors += 1
    elapsed = time.perf_counter() - started
    assert pages + errors == expected
    assert errors < 0.02 * expected
    print(f"SaudiNewsNet ingest: {expected} records in {elapsed:.2f}s = {expected / elapsed:.0f} records/s")
