"""The store on both backends (the `store` fixture runs on SQLite and PostgreSQL): add_batch
idempotency, lookups, ordering, stats; SQLite migrations, url resolution and speed."""
from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import pytest

from rasd.records import Article, RawPage, RelatedItem, Removed
from rasd.store import DEFAULT_DB, BatchResult, SQLiteStore, Store, StoreError, open_store, resolve_url
from rasd.store.migrations import SQLITE_MIGRATIONS, Migration, latest_version, split_sql

LATEST = latest_version()


def make_page(i: int, n_articles: int = 1, *, published: str | None = "2024-03-01", outlet: str | None = "الجزيرة"):
    page = RawPage(source=f"dump/{i}.html", kind="html", content=f"<p>صفحة رقم {i}</p>", encoding="utf-8",
                   url=f"https://example.com/{i}")
    articles = [
        Article(
            page_id=page.page_id, position=pos, source=page.source, body=f"نص الخبر {i}/{pos} " * 20,
            title=f"عنوان {i}/{pos}", published=published, published_raw="١ مارس ٢٠٢٤", outlet=outlet,
            author="مراسلنا", section="سياسة", dateline="القاهرة", agencies=["واس", "أ ف ب"], tags=["مصر"],
            language="ar", url=page.url, related=[RelatedItem("خبر ذو صلة", "2024-02-29", "أمس")],
            removed=[Removed("widget", "الأكثر قراءة")],
        )
        for pos in range(n_articles)
    ]
    return page, articles


def make_batch(start: int, stop: int, n_articles: int = 1, **kw):
    pages, articles = [], []
    for i in range(start, stop):
        p, a = make_page(i, n_articles, **kw)
        pages.append(p)
        articles.extend(a)
    return pages, articles


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "rasd.db"


@pytest.fixture
def store(store_url: str):
    with open_store(store_url) as s:
        yield s


def in_transaction(store: Store) -> bool:
    conn = store.connection
    if isinstance(conn, sqlite3.Connection):
        return conn.in_transaction
    return conn.info.transaction_status != 0  # psycopg: 0 = idle


# -- migrations ----------------------------------------------------------------


def test_fresh_db_applies_all_migrations_and_pragmas(db: Path):
    with SQLiteStore(db) as s:
        assert s.applied_migrations == [m.version for m in SQLITE_MIGRATIONS]
        assert s.schema_version() == LATEST
        conn = s.connection
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 30000
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"schema_migrations", "pages", "articles"} <= tables
        indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        assert {"articles_published", "articles_outlet", "articles_page"} <= indexes
        rows = conn.execute("SELECT version, applied_at FROM schema_migrations").fetchall()
        assert [r[0] for r in rows] == [m.version for m in SQLITE_MIGRATIONS]
        assert all(r[1] for r in rows)


def test_reopen_up_to_date_applies_nothing(db: Path):
    SQLiteStore(db).close()
    with SQLiteStore(db) as s:
        assert s.applied_migrations == []
        assert s.connection.execute("SELECT COUNT(*) FROM schema_migrations").fetchone()[0] == len(SQLITE_MIGRATIONS)


def test_newer_schema_version_is_refused(db: Path):
    SQLiteStore(db).close()
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO schema_migrations VALUES (?, 'from the future', '2099-01-01')", (LATEST + 1,))
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match=rf"schema version {LATEST + 1}.*upgrade rasd"):
        SQLiteStore(db)
    with pytest.raises(StoreError, match="upgrade rasd"):
        open_store(str(db))


def test_later_migration_is_applied_once_on_reopen(db: Path):
    with SQLiteStore(db) as s:
        p, a = make_page(1)
        s.add_batch([p], a)
    extra = SQLITE_MIGRATIONS + [
        Migration(LATEST + 1, "topics", """
            CREATE TABLE topics (id INTEGER PRIMARY KEY, name TEXT NOT NULL);  -- a comment; with a semicolon
            CREATE TABLE topic_links (
                topic_id INTEGER NOT NULL REFERENCES topics(id),
                article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE
            );
        """),
    ]
    with SQLiteStore(db, migrations=extra) as s:
        assert s.applied_migrations == [LATEST + 1]
        assert s.count_articles() == 1
        s.connection.execute("INSERT INTO topics (name) VALUES ('مصر')")
    with SQLiteStore(db, migrations=extra) as s:
        assert s.applied_migrations == []
    # An older rasd (without the new migration) refuses the upgraded db.
    with pytest.raises(StoreError, match="newer|only knows"):
        SQLiteStore(db)


def test_failing_migration_rolls_back_entirely(db: Path):
    SQLiteStore(db).close()
    bad = SQLITE_MIGRATIONS + [
        Migration(LATEST + 1, "ok part", "CREATE TABLE scratch_one (id TEXT PRIMARY KEY)"),
        Migration(LATEST + 2, "broken", "CREATE TABLE scratch_two (id TEXT PRIMARY KEY); SELEKT nonsense"),
    ]
    with pytest.raises(StoreError, match="cannot migrate"):
        SQLiteStore(db, migrations=bad)
    with SQLiteStore(db) as s:
        assert s.schema_version() == LATEST
        names = {r[0] for r in s.connection.execute("SELECT name FROM sqlite_master")}
        assert "scratch_one" not in names and "scratch_two" not in names


def test_migration_versions_must_increase(db: Path):
    with pytest.raises(StoreError, match="strictly increasing"):
        SQLiteStore(db, migrations=[Migration(2, "b", "SELECT 1"), Migration(1, "a", "SELECT 1")])


def test_split_sql_keeps_triggers_and_strings_whole():
    script = """
        CREATE TABLE t (x TEXT DEFAULT ';');
        CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET x = 'a;b'; DELETE FROM t WHERE 0; END;
        -- trailing comment
    """
    stmts = split_sql(script)
    assert len(stmts) == 2
    assert stmts[1].startswith("CREATE TRIGGER") and stmts[1].endswith("END;")


def test_not_a_database_file(tmp_path: Path):
    junk = tmp_path / "notes.db"
    junk.write_text("this is not sqlite " * 100)
    with pytest.raises(StoreError, match="cannot open database"):
        SQLiteStore(junk)


def test_foreign_sqlite_db_with_clashing_table(tmp_path: Path):
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE pages (whatever INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="rasd database"):
        SQLiteStore(other)


# -- add_batch -----------------------------------------------------------------


def test_add_batch_round_trip_and_counts(store: Store):
    pages, articles = make_batch(0, 3, n_articles=2)
    res = store.add_batch(pages, articles)
    assert res == BatchResult(pages_added=3, pages_skipped=0, articles_added=6)
    assert store.count_pages() == 3 and store.count_articles() == 6
    for a in articles:
        got = store.get_article(a.id)
        assert got is not None
        assert got.to_dict() == a.to_dict()  # every field, incl. Arabic text and nested lists
    page = store.get_page(pages[0].page_id)
    assert page is not None
    assert {k: page[k] for k in ("hash", "source", "url", "kind", "encoding", "n_articles")} == {
        "hash": pages[0].hash, "source": "dump/0.html", "url": "https://example.com/0",
        "kind": "html", "encoding": "utf-8", "n_articles": 2,
    }
    assert page["ingested_at"].endswith("+00:00")


def test_add_batch_is_idempotent(store: Store):
    pages, articles = make_batch(0, 5, n_articles=2)
    assert store.add_batch(pages, articles) == BatchResult(5, 0, 10)
    assert store.add_batch(pages, articles) == BatchResult(0, 5, 0)
    # Overlapping batch: 5 old + 3 new pages; a page repeated inside the batch counts as skipped.
    p2, a2 = make_batch(3, 8, n_articles=2)
    res = store.add_batch(p2 + p2[-1:], a2)
    assert res == BatchResult(pages_added=3, pages_skipped=3, articles_added=6)
    assert store.count_pages() == 8 and store.count_articles() == 16
    rows = store.connection.execute("SELECT COUNT(*), COUNT(DISTINCT hash) FROM pages").fetchone()
    assert rows[0] == rows[1] == 8


def test_articles_of_skipped_page_are_not_added(store: Store):
    page, arts = make_page(1, 1)
    store.add_batch([page], arts)
    # Same page again, now with an extra article: the page is known, so nothing is added.
    extra = Article(page_id=page.page_id, position=1, source=page.source, body="جديد")
    assert store.add_batch([page], arts + [extra]) == BatchResult(0, 1, 0)
    assert store.get_article(extra.id) is None
    # Articles alone for an already stored page are skipped too.
    assert store.add_batch([], [extra]).articles_added == 0


def test_empty_batch(store: Store):
    assert store.add_batch([], []) == BatchResult(0, 0, 0)
    page, _ = make_page(1)
    assert store.add_batch([page], []) == BatchResult(1, 0, 0)  # a page without articles
    assert store.get_page(page.page_id)["n_articles"] == 0


def test_bad_batch_is_rejected_atomically(store: Store):
    pages, articles = make_batch(0, 3)
    orphan = Article(page_id="0" * 16, position=0, source="x", body="يتيم")
    with pytest.raises(StoreError, match="neither in the batch nor stored"):
        store.add_batch(pages, articles + [orphan])
    dup = Article(page_id=pages[0].page_id, position=0, source="x", body="مكرر")
    with pytest.raises(StoreError, match="nothing stored"):
        store.add_batch(pages, articles + [dup])
    assert store.count_pages() == 0 and store.count_articles() == 0
    assert not in_transaction(store)
    assert store.add_batch(pages, articles) == BatchResult(3, 0, 3)  # still usable


def test_page_id_collision_is_an_error_not_a_silent_skip(store: Store):
    a = RawPage(source="a", kind="text", content="أ", hash="a" * 16 + "b" * 48)
    b = RawPage(source="b", kind="text", content="ب", hash="a" * 16 + "c" * 48)
    assert a.page_id == b.page_id and a.hash != b.hash
    with pytest.raises(StoreError, match="page id collision"):
        store.add_batch([a, b], [])  # within one batch
    assert store.count_pages() == 0
    store.add_batch([a], [])
    with pytest.raises(StoreError, match="page id collision"):
        store.add_batch([b], [])  # against a stored page
    assert store.get_page(a.page_id)["hash"] == a.hash


def test_list_items_may_be_plain_dicts(store: Store):
    page, (art,) = make_page(1)
    art.related = [{"title": "خبر", "published": None, "published_raw": None}]
    store.add_batch([page], [art])
    assert store.get_article(art.id).related == [RelatedItem("خبر")]


def test_has_page_and_known_hashes(store: Store):
    pages, articles = make_batch(0, 1200)
    store.add_batch(pages[:700], [a for a in articles if a.page_id in {p.page_id for p in pages[:700]}])
    assert store.has_page(pages[0].hash)
    assert not store.has_page(pages[900].hash)
    hashes = [p.hash for p in pages] + ["f" * 64]
    assert store.known_hashes(hashes) == {p.hash for p in pages[:700]}  # > one IN chunk
    assert store.known_hashes(iter([])) == set()
    assert store.known_hashes(p.hash for p in pages[:3]) == {p.hash for p in pages[:3]}


# -- lookups -------------------------------------------------------------------


def test_get_article_by_prefix(store: Store):
    pages, articles = make_batch(0, 700)
    store.add_batch(pages, articles)
    a = articles[0]
    assert store.get_article(a.id).id == a.id
    assert store.get_article(a.id[:8]).id == a.id
    assert store.get_article(a.id[:8].upper()).id == a.id
    assert store.get_article(a.id[:3]) is None  # too short for a prefix
    assert store.get_article("zzzzzz") is None
    assert store.get_article("") is None
    # 700 ids over 65536 4-char prefixes: find a shared prefix (birthday collision).
    seen: dict[str, str] = {}
    shared = None
    for art in articles:
        if art.id[:4] in seen:
            shared = art.id[:4]
            break
        seen[art.id[:4]] = art.id
    assert shared is not None
    with pytest.raises(StoreError, match="ambiguous"):
        store.get_article(shared)


def test_get_page_lookups(store: Store):
    pages, articles = make_batch(0, 2)
    store.add_batch(pages, articles)
    p = pages[1]
    assert store.get_page(p.page_id)["hash"] == p.hash
    assert store.get_page(p.hash)["id"] == p.page_id
    assert store.get_page(p.page_id[:6])["id"] == p.page_id
    assert store.get_page("0" * 16) is None
    assert store.get_page("0" * 64) is None


def test_ordering_limit_offset(store: Store):
    spec = [("2024-01-05", "a"), (None, "b"), ("2024-03-01", "c"), ("2023-12-31T23:00:00", "d"),
            ("2024-03-01", "e"), (None, "f")]
    for i, (published, outlet) in enumerate(spec):
        p, a = make_page(i, published=published, outlet=outlet)
        store.add_batch([p], a)
    by_pub = [a.outlet for a in store.iter_articles()]
    assert by_pub == ["c", "e", "a", "d", "b", "f"]  # newest first, ties by ingestion, undated last
    assert [a.outlet for a in store.iter_articles(order="ingested")] == list("abcdef")
    assert [a.outlet for a in store.iter_articles(limit=2, offset=1)] == ["e", "a"]
    assert [a.outlet for a in store.iter_articles(limit=0)] == []
    assert [a.outlet for a in store.iter_articles(offset=5, order="ingested")] == ["f"]
    with pytest.raises(StoreError, match="order"):
        store.iter_articles(order="title")
    with pytest.raises(StoreError):
        store.iter_articles(limit=-1)


def test_iter_articles_streams_many(store: Store):
    pages, articles = make_batch(0, 1300)
    store.add_batch(pages, articles)
    it = store.iter_articles(order="ingested")
    first = next(it)
    assert first.id == articles[0].id
    assert sum(1 for _ in it) == 1299


def test_stats(store: Store):
    empty = store.stats()
    assert empty["pages"] == 0 and empty["articles"] == 0 and empty["outlets"] == 0
    assert empty["first_published"] is None and empty["per_outlet"] == {}
    for i, (published, outlet, n) in enumerate(
        [("2024-01-05", "الجزيرة", 2), ("2023-06-01", "الأهرام", 1), (None, "الجزيرة", 1), ("2024-02-01", None, 1)]
    ):
        p, a = make_page(i, n, published=published, outlet=outlet)
        store.add_batch([p], a)
    st = store.stats()
    assert st["pages"] == 4 and st["articles"] == 5
    assert st["outlets"] == 2
    assert st["first_published"] == "2023-06-01" and st["last_published"] == "2024-02-01"
    assert st["per_outlet"] == {"الجزيرة": 3, "الأهرام": 1}
    assert list(st["per_outlet"]) == ["الجزيرة", "الأهرام"]  # largest first
    assert st["no_outlet"] == 1 and st["undated"] == 1
    assert st["schema_version"] == LATEST


def test_close_and_context_manager(db: Path):
    with open_store(str(db)) as s:
        assert isinstance(s, Store)
    with pytest.raises(StoreError, match="closed"):
        s.count_articles()
    s.close()  # idempotent


def test_two_connections_share_the_file(db: Path):
    with SQLiteStore(db) as a, SQLiteStore(db) as b:
        pages, articles = make_batch(0, 3)
        a.add_batch(pages, articles)
        assert b.count_articles() == 3
        assert b.add_batch(pages, articles) == BatchResult(0, 3, 0)


# -- open_store url resolution -------------------------------------------------


def test_default_path_is_rasd_db_in_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RASD_DB", raising=False)
    assert DEFAULT_DB == "rasd.db"
    assert resolve_url() == ("sqlite", os.path.join(".", "rasd.db"))
    with open_store() as s:
        assert isinstance(s, SQLiteStore)
        assert Path(s.path) == tmp_path / "rasd.db"
    assert (tmp_path / "rasd.db").exists()


def test_env_var(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RASD_DB", str(tmp_path / "env" / "from_env.db"))
    with open_store() as s:
        assert Path(s.path) == tmp_path / "env" / "from_env.db"  # parent dir created
    # The argument wins over the env var.
    with open_store(str(tmp_path / "arg.db")) as s:
        assert Path(s.path) == tmp_path / "arg.db"
    monkeypatch.setenv("RASD_DB", "sqlite:///rel/x.db")
    with open_store() as s:
        assert Path(s.path) == tmp_path / "rel" / "x.db"
    monkeypatch.setenv("RASD_DB", "")  # empty means unset
    with open_store() as s:
        assert Path(s.path) == tmp_path / "rasd.db"


def test_url_forms(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    assert resolve_url("sqlite:///data/a.db") == ("sqlite", "data/a.db")
    assert resolve_url("sqlite:////abs/a.db") == ("sqlite", "/abs/a.db")
    assert resolve_url("sqlite:///:memory:") == ("sqlite", ":memory:")
    assert resolve_url("sqlite://") == ("sqlite", ":memory:")
    assert resolve_url(tmp_path / "p.db") == ("sqlite", str(tmp_path / "p.db"))
    with open_store(f"sqlite:///{tmp_path}/abs.db") as s:  # tmp_path is absolute -> four slashes
        assert Path(s.path) == tmp_path / "abs.db"
    with open_store(":memory:") as s:
        p, a = make_page(1)
        assert s.add_batch([p], a).articles_added == 1
        assert s.count_articles() == 1
    assert not list(tmp_path.glob(":memory:*"))
    assert resolve_url("postgresql://user@localhost/rasd") == ("postgresql", "postgresql://user@localhost/rasd")
    nobody = "postgresql://user:secret@127.0.0.1:1/rasd?connect_timeout=2"  # nothing listens on port 1
    with pytest.raises(StoreError, match="cannot connect to PostgreSQL") as err:
        open_store(nobody)
    assert "secret" not in str(err.value)
    monkeypatch.setenv("RASD_DB", "postgres://127.0.0.1:1/rasd")
    with pytest.raises(StoreError, match="cannot connect to PostgreSQL"):
        open_store()
    with pytest.raises(StoreError, match="unsupported database url"):
        open_store("mysql://localhost/rasd")
    with pytest.raises(StoreError, match="directory"):
        open_store(str(tmp_path))


# -- speed ---------------------------------------------------------------------


def test_insert_rate_30k_articles(db: Path):
    """30,000 articles of ~2 KB in batches of 500 pages must store at > 1000 articles/s."""
    words = "قال وزير الخارجية إن المحادثات كانت بناءة وأضاف أن الحكومة ستواصل جهودها للتوصل إلى اتفاق".split()
    filler = " ".join(words[i % len(words)] for i in range(190))  # ~2 KB of UTF-8
    n, batch = 30_000, 500
    pages, articles = [], []
    for i in range(n):
        p = RawPage(source=f"f{i}.html", kind="html", content=f"{i} {filler}")
        pages.append(p)
        articles.append(Article(
            page_id=p.page_id, position=0, source=p.source, body=f"{i} {filler}", title=f"عنوان {i}",
            published=f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}", outlet=f"outlet{i % 7}", agencies=["واس"],
            tags=["سياسة"], related=[RelatedItem("خبر", "2024-01-01")], removed=[Removed("widget", "x")],
        ))
    assert 1900 < len(articles[0].body.encode()) < 2300
    with SQLiteStore(db) as s:
        t0 = time.perf_counter()
        for i in range(0, n, batch):
            s.add_batch(pages[i : i + batch], articles[i : i + batch])
        elapsed = time.perf_counter() - t0
        assert s.count_articles() == n
    rate = n / elapsed
    print(f"\nstored {n} articles of ~2 KB in {elapsed:.2f}s: {rate:,.0f} articles/s")
    assert rate > 1000
