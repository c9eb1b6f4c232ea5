"""Durability: an ingest process SIGKILLed mid-run loses nothing it reported and leaves no partial page.

The child is a small script (written to tmp_path) that stores batches in a loop
and prints "stored <n> upto <i>" after each commit (n = articles added by this
run, i = pages 0..i-1 processed). After killing it we reopen the database and
check that

* every article of every page it reported is stored;
* stored pages are exactly a prefix of batches (a batch is all or nothing);
* every stored page has all its articles, positions 0..k-1 contiguous, and no
  article lacks its page;
* running again completes the rest, without duplicates.
"""
from __future__ import annotations

import importlib.util
import os
import random
import signal
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest

import rasd
from rasd.store import SQLiteStore, open_store, resolve_url

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL")

REPO_ROOT = Path(rasd.__file__).resolve().parents[1]
N_PAGES = 6000
BATCH = 150  # pages per add_batch -> 40 batches, ~375 articles each

HELPER = r'''
import os
import signal
import sys

from rasd.records import Article, RawPage
from rasd.store import open_store

FILLER = "قال المتحدث باسم الوزارة إن الاجتماع سيعقد الأسبوع المقبل " * 6


def page(i):
    """Page i and its 1 + i % 4 articles (deterministic)."""
    p = RawPage(source=f"crawl/{i}.txt", kind="text", content=f"page {i}\n{FILLER}")
    arts = [
        Article(page_id=p.page_id, position=k, source=p.source, title=f"خبر {i}/{k}",
                body=f"{i}/{k} {FILLER}", published=f"2024-01-{1 + i % 28:02d}", agencies=["واس"])
        for k in range(1 + i % 4)
    ]
    return p, arts


def main(db, n_pages, batch):
    store = open_store(db)
    # Optional self-kill from inside a transaction: the N-th execution of a
    # statement starting with KILL_ON (e.g. the 3rd "COMMIT", or the 500th
    # article row of an executemany) SIGKILLs this process before it runs.
    kill_on, kill_at = os.environ.get("KILL_ON"), int(os.environ.get("KILL_AT", "0"))
    if kill_on:
        seen = [0]

        def trace(sql):
            if sql.lstrip().upper().startswith(kill_on):
                seen[0] += 1
                if seen[0] == kill_at:
                    os.kill(os.getpid(), signal.SIGKILL)

        store.connection.set_trace_callback(trace)
    added = 0
    for start in range(0, n_pages, batch):
        pages, arts = [], []
        for i in range(start, min(start + batch, n_pages)):
            p, a = page(i)
            pages.append(p)
            arts.extend(a)
        added += store.add_batch(pages, arts).articles_added
        print(f"stored {added} upto {start + len(pages)}", flush=True)
    store.close()
    print("done", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
'''


@pytest.fixture
def helper(tmp_path: Path):
    path = tmp_path / "ingest_helper.py"
    path.write_text(HELPER, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("ingest_helper", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.PATH = path
    return module


def spawn(helper, db: Path, env_extra: dict[str, str] | None = None) -> subprocess.Popen:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    env.update(env_extra or {})
    return subprocess.Popen(
        [sys.executable, str(helper.PATH), str(db), str(N_PAGES), str(BATCH)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )


def parse_last(lines: list[str]) -> int:
    """Pages processed according to the last "stored" line (0 if none)."""
    upto = 0
    for line in lines:
        if line.startswith("stored "):
            upto = int(line.split()[3])
    return upto


def expected_ids(helper, upto: int) -> dict[str, int]:
    """page_id -> number of articles, for pages 0..upto-1."""
    out = {}
    for i in range(upto):
        p, arts = helper.page(i)
        out[p.page_id] = len(arts)
    return out


def check_db(helper, db: Path, reported_upto: int) -> int:
    """Integrity checks; return the number of pages stored (a batch boundary >= reported_upto)."""
    with SQLiteStore(db) as store:  # reopening also recovers the WAL
        conn = store.connection
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        orphans = conn.execute(
            "SELECT COUNT(*) FROM articles a LEFT JOIN pages p ON p.id = a.page_id WHERE p.id IS NULL"
        ).fetchone()[0]
        assert orphans == 0
        per_page = {
            pid: (n_declared, n, lo, hi)
            for pid, n_declared, n, lo, hi in conn.execute(
                "SELECT p.id, p.n_articles, COUNT(a.id), MIN(a.position), MAX(a.position) "
                "FROM pages p LEFT JOIN articles a ON a.page_id = p.id GROUP BY p.id"
            )
        }
        n_pages = len(per_page)
        # Stored pages are exactly the first n_pages, and n_pages ends a batch.
        assert n_pages >= reported_upto
        assert n_pages % BATCH == 0 or n_pages == N_PAGES
        expected = expected_ids(helper, n_pages)
        assert set(per_page) == set(expected)
        for pid, (n_declared, n, lo, hi) in per_page.items():
            assert n == n_declared == expected[pid], pid
            assert (lo, hi) == (0, n - 1), pid  # positions contiguous from 0 (unique index => no dups)
        # Every article reported as stored is there, by id.
        for i in range(reported_upto):
            _, arts = helper.page(i)
            for a in arts:
                assert store.get_article(a.id) is not None
        assert store.count_articles() == sum(expected.values())
        seqs = conn.execute("SELECT COUNT(DISTINCT ingested_seq), COUNT(*) FROM articles").fetchone()
        assert seqs[0] == seqs[1]
        return n_pages


def check_store(helper, url: str, reported_upto: int) -> int:
    """The same guarantees through the Store interface only (any backend); pages stored."""
    with open_store(url) as store:
        n_pages = store.count_pages()
        assert n_pages >= reported_upto
        assert n_pages % BATCH == 0 or n_pages == N_PAGES  # whole batches only
        expected = expected_ids(helper, n_pages)
        positions: dict[str, list[int]] = defaultdict(list)
        for article in store.iter_articles(limit=None, order="ingested"):
            positions[article.page_id].append(article.position)
        assert set(positions) == set(expected)  # no article without its page, no page lost
        for pid, found in positions.items():
            assert sorted(found) == list(range(expected[pid])), pid
            assert store.get_page(pid)["n_articles"] == expected[pid], pid
        for i in range(reported_upto):  # every article reported as stored is there
            _, arts = helper.page(i)
            assert all(store.get_article(a.id) is not None for a in arts)
        return n_pages


def check(helper, db, reported_upto: int) -> int:
    """check_db (SQLite's own integrity checks too) or check_store, by backend."""
    n_pages = check_store(helper, str(db), reported_upto)
    if resolve_url(str(db))[0] == "sqlite":
        assert check_db(helper, Path(db), reported_upto) == n_pages
    return n_pages


def run_to_end(helper, db: Path, already: int) -> None:
    proc = spawn(helper, db)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    lines = out.splitlines()
    assert lines[-1] == "done"
    added = int(lines[-2].split()[1])
    total = sum(expected_ids(helper, N_PAGES).values())
    assert added == total - already  # the rerun only adds what was missing
    assert check(helper, db, N_PAGES) == N_PAGES
    with open_store(str(db)) as store:
        assert store.count_pages() == N_PAGES
        assert store.count_articles() == total


def stored_articles(db) -> int:
    with open_store(str(db)) as store:
        return store.count_articles()


def test_sigkill_at_random_moments_then_resume(helper, store_url: str):
    """On both backends: SIGKILL at random moments, check, resume to the end."""
    db = store_url
    rng = random.Random(20240301)
    frontier = 0
    for round_no in range(3):
        proc = spawn(helper, db)
        lines: list[str] = []
        fresh = 0
        want = rng.randint(1, 4)
        deadline = time.monotonic() + 120
        while fresh < want and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break  # the child exited (it should not have)
            lines.append(line.strip())
            if line.startswith("stored ") and int(line.split()[3]) > frontier:
                fresh += 1
        assert fresh == want, f"child stopped early: {lines[-3:]} {proc.stderr.read()}"
        time.sleep(rng.uniform(0, 0.05))  # land anywhere, usually inside a batch
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        # Lines printed before the kill that we had not read yet are reports too.
        lines += [x.strip() for x in proc.stdout.read().splitlines()]
        proc.stdout.close()
        proc.stderr.close()
        reported = parse_last(lines)
        frontier = check(helper, db, reported)
        assert frontier < N_PAGES, "the child finished before being killed; make the run longer"
    run_to_end(helper, db, stored_articles(db))


@pytest.mark.parametrize(
    "kill_on,kill_at,batches_kept",
    [
        ("COMMIT", 3, 2),  # killed just before the 3rd batch's COMMIT
        ("INSERT INTO ARTICLES", 1000, 2),  # mid-executemany of batch 3 (batches hold 375 articles)
        ("INSERT OR IGNORE INTO PAGES", 1, 0),  # inside the very first batch
    ],
)
def test_sigkill_inside_transaction_leaves_no_partial_batch(helper, tmp_path: Path, kill_on, kill_at, batches_kept):
    db = tmp_path / "crash.db"
    proc = spawn(helper, db, {"KILL_ON": kill_on, "KILL_AT": str(kill_at)})
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == -signal.SIGKILL, err
    lines = out.splitlines()
    assert len(lines) == batches_kept  # the child reported exactly the batches before the kill
    assert check_db(helper, db, parse_last(lines)) == batches_kept * BATCH
    run_to_end(helper, db, stored_articles(db))
