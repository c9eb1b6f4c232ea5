"""The story stage over a real store: checkpoints, restarts, copies across batches (SQLite, and
PostgreSQL where the stage is shared between processes)."""
from __future__ import annotations

import json

from rasd.pipeline import parse_stages, run_ingest
from rasd.store import open_store
from rasd.stories.stage import StoryStage
from rasd.stories.summary import summary_sample

ORIGINAL = (
    "أعلنت وزارة الزراعة اليوم عن خطة جديدة لزراعة مليون شجرة نخيل في المناطق الجنوبية خلال ثلاث سنوات. "
    "وقال وزير الزراعة إن الخطة تهدف إلى حماية التربة من التصحر وتوفير فرص عمل للشباب في القرى. "
    "وأضاف أن الوزارة خصصت ميزانية قدرها مئتا مليون دينار للمشروع وأن العمل يبدأ في الربيع المقبل. "
    "وتشمل الخطة حفر آبار جديدة وبناء مشاتل حديثة وتدريب المزارعين على أساليب الري بالتنقيط."
)
OTHER = (
    "افتتح المتحف الوطني معرضا للخط العربي يضم مئة وعشرين لوحة لخطاطين من عشر دول عربية. "
    "وقالت مديرة المتحف إن المعرض يستمر شهرين ويرافقه برنامج من الورش للأطفال والطلاب. "
    "ويعرض المعرض مخطوطات نادرة تعود إلى القرن الثاني عشر استعارها المتحف من مكتبات خاصة."
)


def _write(path, records) -> str:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    return str(path)


def _records():
    return [
        {"title": "خطة لزراعة مليون نخلة", "content": ORIGINAL, "url": "https://a.example/1",
         "date": "2025-03-01T08:00:00", "outlet": "صحيفة الأولى"},
        {"title": "معرض للخط العربي في المتحف الوطني", "content": OTHER, "url": "https://b.example/2",
         "date": "2025-03-01T09:00:00", "outlet": "صحيفة الثانية"},
        # a syndicated copy of the first, one batch later
        {"title": "الزراعة: مليون نخلة في الجنوب", "content": ORIGINAL, "url": "https://c.example/3",
         "date": "2025-03-01T11:00:00", "outlet": "موقع الثالث"},
    ]


def test_records_wait_for_the_refresh_and_a_restart_finishes_them(tmp_path):
    db = str(tmp_path / "rasd.db")
    source = _write(tmp_path / "news.jsonl", _records())
    with open_store(db) as store:
        run_ingest([source], store, stages=parse_stages("extract,enrich"))
        stage = StoryStage(store, refresh_seconds=1e9)
        update = stage.update()
        assert len(update.assignments) == 3 and not update.records  # assigned, held until a checkpoint
        assert store.count_stories() == 0
        assert store.article_story(update.assignments[0][0])["story_id"] is None
        assert stage.update().assignments == []  # held articles are not clustered twice
    with open_store(db) as store:  # a killed run: the next one clusters the held articles again
        update = StoryStage(store, refresh_seconds=1e9).update(final=True)
        assert len(update.assignments) == 3 and len(update.records) == 2
        assert store.count_stories() == 2
        assert all(store.article_story(a)["story_id"] == s for a, s, _ in update.assignments)


def test_a_shared_store_saves_assignments_at_once_and_records_at_the_refresh(pg_url, tmp_path):
    """PostgreSQL: other processes may cluster too, so every update saves its assignments and
    the state under the story lock; the records still wait for the refresh (or the end)."""
    source = _write(tmp_path / "news.jsonl", _records())
    with open_store(pg_url) as store:
        run_ingest([source], store, stages=parse_stages("extract,enrich"))
        stage = StoryStage(store, refresh_seconds=1e9)
        assert stage.shared
        update = stage.update()
        assert len(update.assignments) == 3 and not update.records
        assert all(store.article_story(a)["story_id"] == s for a, s, _ in update.assignments)
        assert store.count_stories() == 0 and len(store.load_story_state()["dirty"]) == 2
        version = store.story_state_version()
        assert stage.update().assignments == [] and store.story_state_version() == version
    with open_store(pg_url) as store:  # a killed run: the next one refreshes the waiting records
        update = StoryStage(store, refresh_seconds=1e9).update(final=True)
        assert update.assignments == [] and len(update.records) == 2
        assert store.count_stories() == 2 and store.unclustered_article_ids() == []


def test_a_checkpoint_saves_held_assignments_state_and_records_together(store_url, tmp_path):
    db = store_url
    source = _write(tmp_path / "news.jsonl", _records())
    with open_store(db) as store:
        run_ingest([source], store, stages=parse_stages("extract,enrich"))
        stage = StoryStage(store, refresh_seconds=0.0)  # every update is a checkpoint
        update = stage.update()
        assert len(update.assignments) == 3 and len(update.records) == 2
        assert store.load_story_state()["clusterer"]["n_seen"] == 3
        assert stage.update().assignments == []
    with open_store(db) as store:  # a restart resumes from the state: nothing left to cluster
        assert StoryStage(store).update(final=True).assignments == []
        assert store.count_stories() == 2


def test_a_copy_in_a_later_batch_points_to_its_original(store_url, tmp_path):
    db = store_url
    source = _write(tmp_path / "news.jsonl", _records())
    with open_store(db) as store:
        run_ingest([source], store, stages=parse_stages("all"), batch_size=1)  # one article per batch
        ids = [a.id for a in store.iter_articles()]
        by_url = {store.get_article(i).url: i for i in ids}
        first, copy = by_url["https://a.example/1"], by_url["https://c.example/3"]
        placed = store.article_story(copy)
        assert placed["story_id"] == store.article_story(first)["story_id"]
        assert placed["kind"] == "copy" and placed["duplicate_of"] == first
        assert store.article_story(first)["kind"] == "original"


def test_summary_sample_spreads_over_the_timeline():
    items = list(range(100))
    picked = summary_sample(items, limit=40)
    assert len(picked) == 40 and picked[0] == 0 and picked[-1] == 99 and picked == sorted(picked)
    assert summary_sample(items[:10], limit=40) == items[:10]


def test_recluster_in_chunks_with_workers_gives_the_same_stories(tmp_path, monkeypatch):
    """Chunks prepared in a process pool, and story records built there (several tasks, some
    taken back by this process): the same assignments, lineage and records as the stream."""
    from rasd import settings
    from rasd.stories import stage as stage_module

    db = str(tmp_path / "rasd.db")
    with open_store(db) as store:
        run_ingest([settings.SAMPLE_DIR], store, stages=parse_stages("all"))

        def snapshot():
            ids = [a.id for a in store.iter_articles(order="ingested")]
            return {i: store.article_story(i) for i in ids}, {s["id"]: s for s in store.iter_stories(limit=None)}

        streamed = snapshot()
        whole = stage_module.recluster(store)
        assert len(whole.assignments) == len(streamed[0])
        assert snapshot() == streamed  # one chunk, in process: what the stream gave
        monkeypatch.setattr(stage_module, "RECLUSTER_CHUNK", 7)
        monkeypatch.setattr(stage_module, "REFRESH_TASK_DOCS", 4)
        shipped = []
        submit = stage_module.ProcessPoolExecutor.submit

        def spy(pool, fn, *args):
            if fn is stage_module.build_records:
                shipped.append(len(args[0]))
            return submit(pool, fn, *args)

        monkeypatch.setattr(stage_module.ProcessPoolExecutor, "submit", spy)
        stage, update = stage_module.rebuild(store, workers=2)  # 8 chunks through a process pool
        assert snapshot() == streamed
        assert len(update.assignments) == len(streamed[0]) and stage.clustered == len(streamed[0])
        assert stage.cpu["cluster"] > 0
        assert len(shipped) > 1 and sum(shipped) == len(streamed[1])  # the records went through the pool


def test_a_checkpoint_is_due_when_the_pinned_docs_fill_the_cache(tmp_path, monkeypatch):
    """Docs clustered since the last refresh stay in memory until it: a fast bulk run refreshes
    when they reach the cache size, not only every refresh period (memory stays bounded)."""
    from rasd.stories import stage as stage_module

    source = _write(tmp_path / "news.jsonl", _records())
    with open_store(str(tmp_path / "rasd.db")) as store:
        run_ingest([source], store, stages=parse_stages("extract,enrich"))
        monkeypatch.setattr(stage_module, "DOC_CACHE_SIZE", 10)
        assert not StoryStage(store, refresh_seconds=1e9).update().records  # 3 pinned < 10: held
    with open_store(str(tmp_path / "rasd.db")) as store:
        monkeypatch.setattr(stage_module, "DOC_CACHE_SIZE", 3)
        stage = StoryStage(store, refresh_seconds=1e9)
        update = stage.update()
        assert len(update.records) == 2 and store.count_stories() == 2 and not stage._pinned
