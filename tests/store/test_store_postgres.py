"""PostgreSQL only: migrations, a missing driver or server, the story-state version, and two
concurrent `rasd ingest` processes plus a reader on one database."""
from __future__ import annotations

import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from rasd.store import SearchQuery, StoreError, open_store
from rasd.store.base import StoryUpdate
from rasd.store.postgres import PostgresStore
from rasd.store.postgres_schema import POSTGRES_MIGRATIONS, latest_version

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "rasd" / "data" / "sample"


def test_migrations_recorded_and_newer_schema_refused(pg_url: str):
    with open_store(pg_url) as s:
        assert isinstance(s, PostgresStore)
        assert s.schema_version() == latest_version() == len(POSTGRES_MIGRATIONS)
        rows = s.connection.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall()
        assert [r[0] for r in rows] == [m.version for m in POSTGRES_MIGRATIONS]
        s.connection.execute("INSERT INTO schema_migrations (version, name) VALUES (99, 'from the future')")
    with pytest.raises(StoreError, match="schema version 99.*upgrade rasd"):
        open_store(pg_url)


def test_missing_driver_says_how_to_install(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr("rasd.store.postgres.psycopg", None)
    with pytest.raises(StoreError, match=r"pip install 'rasd\[postgresql\]'"):
        open_store("postgresql://nobody@127.0.0.1:1/rasd")


def test_story_state_version_and_lock(pg_url: str):
    with open_store(pg_url) as s:
        assert s.story_state_version() == 0
        s.save_stories(StoryUpdate(state={"seq": 1}))
        assert s.story_state_version() == 1 and s.load_story_state() == {"seq": 1}
        s.clear_stories()
        assert s.story_state_version() == 2 and s.load_story_state() is None
        with s.story_lock(), s.story_lock():  # re-entrant
            with open_store(pg_url) as other:
                got = other.connection.execute("SELECT pg_try_advisory_lock(%s)", (0x7261_7364_0002,)).fetchone()[0]
                assert got is False  # held by `s`
        with open_store(pg_url) as other:
            assert other.connection.execute("SELECT pg_try_advisory_lock(%s)", (0x7261_7364_0002,)).fetchone()[0]


def _expected_article_ids() -> set[str]:
    from rasd.extract.evaluate import extract_corpus

    return {a.id for articles in extract_corpus(SAMPLE).values() for a in articles}


def test_two_concurrent_ingests_and_a_reader(pg_url: str):
    files = sorted(str(p) for p in SAMPLE.rglob("*") if p.is_file() and p.suffix != ".md")
    cut = len(files) * 3 // 5
    halves = [files[:cut], files[len(files) - cut :]]  # overlapping: the middle fifth is in both
    assert set(halves[0]) & set(halves[1])
    stop = threading.Event()
    reader_errors: list[BaseException] = []
    reads = [0]

    def reader() -> None:
        with open_store(pg_url) as s:
            while not stop.is_set():
                try:
                    s.search(SearchQuery(text="مسقط"))
                    s.article_page(limit=20)
                    s.corpus_counts()
                    s.iter_stories(limit=5)
                    reads[0] += 1
                except BaseException as exc:  # noqa: BLE001 - reported below
                    reader_errors.append(exc)
                    return

    thread = threading.Thread(target=reader)
    thread.start()
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "rasd", "ingest", *half, "--db", pg_url, "--workers", "1", "--batch-size", "3", "-q"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
        )
        for half in halves
    ]  # fmt: skip
    try:
        outs = [p.communicate(timeout=240) for p in procs]
    finally:
        stop.set()
        thread.join(timeout=60)
        for p in procs:
            p.kill()
    stored = skipped = 0
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0, f"ingest failed: {out}\n{err}"
        counts = re.search(r"pages stored: (\d+), articles stored: (\d+), skipped duplicates: (\d+)", out + err)
        assert counts, out + err
        stored += int(counts[1])
        skipped += int(counts[3])
    assert not reader_errors, reader_errors
    assert reads[0] > 0

    expected = _expected_article_ids()
    with open_store(pg_url) as s:
        conn = s.connection
        ids = [r[0] for r in conn.execute("SELECT id FROM articles").fetchall()]
        assert len(ids) == len(set(ids)) == len(expected) and set(ids) == expected  # nothing lost, no duplicate
        assert conn.execute("SELECT COUNT(*), COUNT(DISTINCT hash) FROM pages").fetchone() == (stored, stored)
        assert skipped > 0  # the overlap was stored once, by one of the two
        # every article in exactly one story, and that story exists
        assigned = conn.execute("SELECT article_id, story_id FROM story_articles").fetchall()
        assert sorted(a for a, _ in assigned) == sorted(ids)
        stories = s.iter_stories(limit=None)
        story_ids = [st["id"] for st in stories]
        assert len(story_ids) == len(set(story_ids)) == s.count_stories()
        assert {st for _, st in assigned} == set(story_ids)
        members = [a for st in stories for a in st["articles"]]
        assert sorted(members) == sorted(ids)  # the records partition the articles
        assert s.unclustered_article_ids() == []


def test_demo_on_postgresql_wants_an_empty_database(pg_url: str, capsys):
    from rasd.cli import main

    assert main(["demo", "--db", pg_url]) == 0
    with open_store(pg_url) as store:
        pages = store.count_pages()
    assert pages > 0
    capsys.readouterr()
    assert main(["demo", "--db", pg_url]) == 2  # refused: not ingested twice into a shared database
    assert "already holds" in capsys.readouterr().err
    with open_store(pg_url) as store:
        assert store.count_pages() == pages
