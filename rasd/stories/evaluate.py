"""Score story clustering against the sample corpus gold (BCubed precision/recall/F1).

The sample corpus (rasd/data/sample) goes through the pipeline's extraction
and enrichment; each article is matched to its gold line by file and
position, whose ``story`` label is the gold cluster (``null`` = a singleton,
its own cluster). ``python -m rasd.stories.evaluate`` prints the scores.
"""
from __future__ import annotations

import json
import sys
from collections import defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from rasd.records import StoryDoc

__all__ = ["bcubed", "evaluate_sample", "sample_story_docs"]


def bcubed(predicted: Mapping[str, Hashable], gold: Mapping[str, Hashable]) -> dict[str, float]:
    """BCubed precision, recall and F1 of a predicted partition against a gold one.

    Both map item → cluster label; only items present in ``gold`` count
    (an item missing from ``predicted`` is its own cluster).
    """
    items = [i for i in gold]
    if not items:
        return {"precision": 1.0, "recall": 1.0, "f1": 1.0, "items": 0}
    pred = {i: predicted.get(i, ("__alone__", i)) for i in items}
    by_pred: dict[Hashable, set[str]] = defaultdict(set)
    by_gold: dict[Hashable, set[str]] = defaultdict(set)
    for i in items:
        by_pred[pred[i]].add(i)
        by_gold[gold[i]].add(i)
    p = r = 0.0
    for i in items:
        cp, cg = by_pred[pred[i]], by_gold[gold[i]]
        inter = len(cp & cg)
        p += inter / len(cp)
        r += inter / len(cg)
    p /= len(items)
    r /= len(items)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "items": len(items)}


@lru_cache(maxsize=2)
def _sample(root: str, gold_path: str) -> tuple[tuple[StoryDoc, ...], tuple[str | None, ...], tuple[str, ...]]:
    from rasd.enrich.stage import enrich_article, load_resources
    from rasd.extract.evaluate import extract_corpus
    from rasd.stories.similarity import story_doc

    gold: dict[tuple[str, int], str | None] = {}
    for line in Path(gold_path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        g = json.loads(line)
        if g.get("position") is None:
            continue
        gold[(g["file"], int(g["position"]))] = g.get("story")
    resources = load_resources()
    docs: list[StoryDoc] = []
    labels: list[str | None] = []
    keys: list[str] = []
    for key, articles in extract_corpus(Path(root)).items():  # ingest order
        for a in articles:
            if (key, a.position) not in gold:
                continue  # an article the gold does not know (an extraction error) is not scored
            docs.append(story_doc(a, enrich_article(a, resources), seq=len(docs)))
            labels.append(gold[(key, a.position)])
            keys.append(f"{key}[{a.position}]")
    return tuple(docs), tuple(labels), tuple(keys)


def sample_story_docs(root: str | Path | None = None, gold_path: str | Path | None = None,
                      with_keys: bool = False):
    """StoryDocs of the sample corpus in ingest order (seq 0..n-1) and their gold story labels.

    Labels are the gold ``story`` (None for a singleton). With ``with_keys``
    also returns "file[position]" per doc.
    """
    from rasd import settings

    root = Path(root or settings.SAMPLE_DIR)
    gold_path = Path(gold_path or root.parent / "sample_gold.jsonl")
    docs, labels, keys = _sample(str(root), str(gold_path))
    docs_l = [replace(d) for d in docs]  # fresh copies: callers may renumber seq
    return (docs_l, list(labels), list(keys)) if with_keys else (docs_l, list(labels))


def gold_partition(docs: list[StoryDoc], labels: list[str | None]) -> dict[str, str]:
    return {d.article_id: (lab if lab is not None else f"_single:{d.article_id}") for d, lab in zip(docs, labels)}


def evaluate_sample(root: str | Path | None = None, *, similarity=None, verbose: bool = False,
                    **clusterer_args) -> dict:
    """Cluster the sample corpus in batch and score it: BCubed precision/recall/F1 and more."""
    from rasd.stories.cluster import cluster_batch

    docs, labels, keys = sample_story_docs(root, with_keys=True)
    predicted = cluster_batch(docs, similarity=similarity, **clusterer_args)
    result = bcubed(predicted, gold_partition(docs, labels))
    result["stories"] = len(set(predicted.values()))
    result["gold_stories"] = len({lab if lab is not None else k for lab, k in zip(labels, keys)})
    if verbose:
        groups: dict[str, list[str]] = defaultdict(list)
        for d, lab, k in zip(docs, labels, keys):
            groups[predicted[d.article_id]].append(f"{k}={lab}")
        result["clusters"] = dict(groups)
    return result


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    verbose = "-v" in argv or "--verbose" in argv
    paths = [a for a in argv if not a.startswith("-")]
    result = evaluate_sample(paths[0] if paths else None, verbose=verbose)
    print(f"BCubed precision {result['precision']:.3f}  recall {result['recall']:.3f}  F1 {result['f1']:.3f}  "
          f"({result['items']} articles, {result['stories']} predicted stories, {result['gold_stories']} gold)")
    if verbose:
        for sid, members in sorted(result["clusters"].items()):
            print(sid, " ".join(members))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
