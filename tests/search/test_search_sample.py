"""Search, more like this and the CLI over the sample corpus (every stage run)."""
from __future__ import annotations

import json
from collections import Counter

import pytest

from rasd.cli import main
from rasd.search.similar import more_like_this
from rasd.store import SearchHit, SearchQuery, open_store


def test_trump_by_any_spelling(sample_db):
    with open_store(sample_db) as store:
        by_short = store.search(SearchQuery(text="ترمب", limit=100))
        by_long = store.search(SearchQuery(text="ترامب", limit=100))
        by_entity = store.search(SearchQuery(entity="ترمب", limit=100))
        assert by_short.total == by_long.total >= 4
        assert {h.id for h in by_short.results} == {h.id for h in by_long.results}
        spellings = {part.split("\x03")[0] for h in by_short.results for part in h.snippet.split("\x02")[1:]}
        assert {"ترامب", "ترمب"} <= spellings  # both spellings, each shown as the article writes it
        # the articles with a mention of the entity all write one of its spellings
        assert 1 <= by_entity.total <= by_short.total
        assert {h.id for h in by_entity.results} <= {h.id for h in by_short.results}


def test_more_like_this_finds_the_same_story_first(sample_db, gold_story):
    sizes = Counter(gold_story.values())
    with open_store(sample_db) as store:
        results = {aid: more_like_this(store, aid, 5) for aid, label in gold_story.items() if sizes[label] > 1}
    first_right = sum(bool(hits) and gold_story.get(hits[0].id) == gold_story[aid] for aid, hits in results.items())
    assert len(results) >= 40
    assert first_right / len(results) >= 0.95, first_right
    for aid, hits in results.items():
        assert aid not in {h.id for h in hits} and len(hits) <= 5
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_more_like_this_errors(sample_db):
    with open_store(sample_db) as store:
        with pytest.raises(LookupError):
            more_like_this(store, "ffffffffffffffff")
        any_id = next(store.iter_articles(limit=1)).id
        with pytest.raises(ValueError):
            more_like_this(store, any_id, limit=0)


# -- CLI --------------------------------------------------------------------------------------


def test_cli_search_table(sample_db, capsys):
    assert main(["search", "ترمب", "--db", sample_db, "--limit", "3"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(tuple("123456789")) and "results (showing 1-3)" in out[0]
    assert any("[ترامب]" in line or "[ترمب]" in line for line in out[1:])
    first = out[1].split()
    assert len(first[0]) == 16 and first[1][:2] == "20"  # id, date


def test_cli_search_json_and_filters(sample_db, capsys):
    assert main(["search", "مسقط", "--db", sample_db, "--format", "json", "--from", "2025-03-04",
                 "--to", "2025-03-05", "--limit", "50"]) == 0  # fmt: skip
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"total", "results"} and data["total"] == len(data["results"]) > 0
    assert set(data["results"][0]) == set(SearchHit.__dataclass_fields__)
    assert all("2025-03-04" <= r["published"][:10] <= "2025-03-05" for r in data["results"])
    outlet = data["results"][0]["outlet"]
    assert main(["search", "--db", sample_db, "--format", "json", "--outlet", outlet]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["total"] >= 1 and {r["outlet"] for r in listed["results"]} == {outlet}


def test_cli_similar(sample_db, capsys):
    with open_store(sample_db) as store:
        aid = store.search(SearchQuery(text="مسقط")).results[0].id
    assert main(["similar", aid[:8], "--db", sample_db, "--format", "json", "--limit", "3"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert 1 <= len(hits) <= 3 and aid not in {h["id"] for h in hits}
    assert main(["similar", aid, "--db", sample_db, "--limit", "2"]) == 0
    assert len(capsys.readouterr().out.splitlines()) >= 2


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["search", "x", "--from", "4/3/2025"], 2, "date_from must be an ISO date"),
        (["search", "x", "--limit", "0"], 2, "limit must be between 1 and 100"),
        (["search", "x", "--limit", "500"], 2, "limit must be between 1 and 100"),
        (["search", "x", "--offset", "-3"], 2, "offset"),
        (["search", "x", "--from", "2025-03-05", "--to", "2025-03-01"], 2, "after"),
        (["search", "--entity", "لا أحد بهذا الاسم"], 1, "no entity named"),
        (["search", "--story", "s-nothing"], 1, "no story with id"),
        (["similar", "ffffffffffffffff"], 1, "no article with id"),
        (["similar", "ffffffffffffffff", "--limit", "0"], 2, "limit"),
    ],
)
def test_cli_errors(sample_db, capsys, args, code, message):
    assert main([*args, "--db", sample_db]) == code
    assert message in capsys.readouterr().err
