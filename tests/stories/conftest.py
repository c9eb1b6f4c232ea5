"""The sample corpus as StoryDocs grouped by gold story label, shared by the story tests."""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from rasd.enrich.stage import enrich_article, load_resources
from rasd.extract.evaluate import extract_corpus
from rasd.records import StoryDoc
from rasd.stories.stage import story_doc

SAMPLE = Path(__file__).resolve().parents[2] / "rasd" / "data" / "sample"


def load_stories() -> dict[str, list[StoryDoc]]:
    """StoryDocs per gold story label; each doc gets a `file` attribute for the tests."""
    pages = extract_corpus(SAMPLE)
    resources = load_resources()
    stories: dict[str, list[StoryDoc]] = defaultdict(list)
    gold_lines = (SAMPLE.parent / "sample_gold.jsonl").read_text(encoding="utf-8").splitlines()
    for seq, gold in enumerate(json.loads(line) for line in gold_lines if line.strip()):
        if gold.get("position") is None or not gold.get("story"):
            continue
        article = pages[gold["file"]][gold["position"]]
        doc = story_doc(article, enrich_article(article, resources), seq)
        doc.file = gold["file"]
        stories[gold["story"]].append(doc)
    return dict(stories)


@pytest.fixture(scope="session")
def stories() -> dict[str, list[StoryDoc]]:
    return load_stories()
