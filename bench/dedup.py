"""Near-duplicate benchmark: NearDuplicateIndex over SaudiNewsNet.

Streams the 31k SaudiNewsNet articles in date order through
:class:`rasd.stories.dedup.NearDuplicateIndex` and prints:

* speed (docs/s of ``insert``, wall and CPU time, one process);
* the groups of articles that share an identical first 300 characters of
  content (empty contents skipped) and how many of them the index recalls:
  a prefix group is recalled when all its members end up in one
  near-duplicate group; pair recall counts member pairs in one group;
* how many near-duplicate groups it found overall;
* a random sample (seed 0) of 30 found pairs (article → its ``duplicate_of``)
  that are NOT in one prefix group, written to ``bench/out/dedup_sample.txt``
  with titles and first 200 characters, for a person to judge precision.

    python bench/dedup.py [--data ../shared/data/saudinewsnet] [--threshold 0.7]
                          [--shingle 3] [--window 14] [--limit N] [--sample 30]
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import sys
import time
import zipfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rasd.records import StoryDoc  # noqa: E402
from rasd.stories.dedup import (  # noqa: E402
    SHINGLE,
    TINY_WORDS,
    NearDuplicateIndex,
    jaccard,
    shingle_hashes,
    text_words,
)

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data" / "saudinewsnet"
OUT = REPO_ROOT / "bench" / "out" / "dedup_sample.txt"
PREFIX = 300


def load(data: Path, limit: int | None) -> list[dict]:
    """All records of the daily zips, in date order (ties: file, position)."""
    records = []
    for path in sorted(data.glob("*.zip")):
        with zipfile.ZipFile(path) as zf:
            for name in sorted(zf.namelist()):
                if not name.endswith(".json"):
                    continue
                for i, rec in enumerate(json.loads(zf.read(name))):
                    rec["_ref"] = f"{path.name}:{i}"
                    records.append(rec)
    records.sort(key=lambda r: r.get("date_extracted") or "")
    return records[:limit] if limit else records


def to_docs(records: list[dict]) -> list[StoryDoc]:
    return [
        StoryDoc(
            article_id=rec.get("url") or rec["_ref"],
            title=rec.get("title") or None,
            body=rec.get("content") or "",
            published=rec.get("date_extracted") or None,
            outlet=rec.get("source") or None,
            seq=i,
        )
        for i, rec in enumerate(records)
    ]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--threshold", type=float, default=0.7)
    ap.add_argument("--shingle", type=int, default=SHINGLE)
    ap.add_argument("--window", type=float, default=14.0, help="window_days (0: unlimited)")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--sample", type=int, default=30)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--misses", action="store_true", help="list the prefix groups not recalled")
    args = ap.parse_args()

    if not args.data.is_dir() or not any(args.data.glob("*.zip")):
        print(f"SKIP: SaudiNewsNet not found at {args.data} (expected the daily *.zip files "
              "of ../shared/data/saudinewsnet next to the repo)")
        return 0

    t0 = time.perf_counter()
    records = load(args.data, args.limit)
    docs = to_docs(records)
    print(f"loaded {len(docs):,} articles in {time.perf_counter() - t0:.1f}s")

    # Group merges (a new article bridging two groups) are applied to the
    # answers already given, as a caller storing duplicate_of would.
    merged: dict[str, str] = {}
    index = NearDuplicateIndex(threshold=args.threshold, window_days=args.window or None,
                               shingle=args.shingle, on_merge=merged.__setitem__)
    given: dict[str, str] = {}
    wall0, cpu0 = time.perf_counter(), time.process_time()
    for doc in docs:
        dup = index.insert(doc)
        given[doc.article_id] = dup or doc.article_id
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0

    def resolve(r: str) -> str:
        while r in merged:
            r = merged[r]
        return r

    root = {a: resolve(r) for a, r in given.items()}
    print(f"groups merged by bridging articles: {len(merged)}")
    words = sum(len(d.body.split()) for d in docs) / max(1, len(docs))
    print(f"insert: {len(docs) / wall:,.0f} docs/s wall, {len(docs) / cpu:,.0f} docs/s CPU "
          f"({len(docs):,} docs, {words:.0f} words on average; threshold {args.threshold}, "
          f"{args.shingle}-word shingles, window {args.window or 'none'} days, "
          f"{len(index):,} docs left in the index; load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs)")

    # Prefix groups: identical first 300 characters of content. The README's
    # count (739 / 1,867) includes the 133 empty contents as one group; the
    # strict definition skips "" only; the clean one also skips contents
    # that are only whitespace (" ", NBSPs), which have no text to match.
    # Recall is reported for the clean definition, and again without the
    # groups whose bodies are under TINY_WORDS words (an author's name, a
    # "contact us" line: not articles, and not copies of each other).
    empty = sum(not d.body for d in docs)
    blank = sum(bool(d.body) and not d.body.strip() for d in docs)

    def recall(label: str, subset: list[list[str]]) -> None:
        recalled = sum(len({root[a] for a in g}) == 1 for g in subset)
        pairs = [(a, b) for g in subset for a, b in itertools.combinations(g, 2)]
        pairs_hit = sum(root[a] == root[b] for a, b in pairs)
        print(f"  recall, {label}: groups {recalled}/{len(subset)} = "
              f"{recalled / max(1, len(subset)):.1%}, pairs {pairs_hit}/{len(pairs)} = "
              f"{pairs_hit / max(1, len(pairs)):.1%}")

    for label, keep in (("strict", lambda b: bool(b)), ("clean", lambda b: bool(b.strip()))):
        by_prefix: dict[str, list[str]] = defaultdict(list)
        for doc in docs:
            if keep(doc.body):
                by_prefix[doc.body[:PREFIX]].append(doc.article_id)
        groups = [ids for ids in by_prefix.values() if len(ids) > 1]
        members = sum(len(g) for g in groups)
        skipped = f"{empty} empty" + ("" if label == "strict" else f" + {blank} whitespace-only")
        print(f"prefix groups, {label} (first {PREFIX} chars, {skipped} contents skipped): "
              f"{len(groups)} groups / {members} articles")
        recall(label, groups)
    by_id = {d.article_id: d for d in docs}
    tiny = [g for g in groups if any(len(text_words(by_id[a].body)) < TINY_WORDS for a in g)]
    recall(f"clean without the {len(tiny)} groups of bodies under {TINY_WORDS} words",
           [g for g in groups if g not in tiny])
    if args.misses:
        for g in groups:
            if len({root[a] for a in g}) > 1:
                sh = [shingle_hashes(by_id[a].body, args.shingle) for a in g]
                js = [f"{jaccard(x, y):.2f}" for x, y in itertools.combinations(sh, 2)]
                print("  MISS", [(by_id[a].outlet, by_id[a].published[:10], len(text_words(by_id[a].body)))
                                 for a in g], "J:", " ".join(js))

    found: dict[str, list[str]] = defaultdict(list)
    for doc in docs:
        found[root[doc.article_id]].append(doc.article_id)
    dup_groups = [g for g in found.values() if len(g) > 1]
    print(f"near-duplicate groups found: {len(dup_groups)} groups / "
          f"{sum(len(g) for g in dup_groups)} articles")

    prefix_of = {a: i for i, g in enumerate(groups) for a in g}
    extra = [
        (doc.article_id, root[doc.article_id])
        for doc in docs
        if root[doc.article_id] != doc.article_id
        and (prefix_of.get(doc.article_id, -1) != prefix_of.get(root[doc.article_id], -2))
    ]
    print(f"found pairs (article → duplicate_of) outside any shared prefix group: {len(extra)}")
    sample = random.Random(0).sample(extra, min(args.sample, len(extra)))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as out:
        out.write(f"# {len(sample)} random (seed 0) near-duplicate pairs not sharing a {PREFIX}-char "
                  f"prefix, of {len(extra)}; threshold {args.threshold}, {args.shingle}-word shingles\n\n")
        for n, (a, b) in enumerate(sample, 1):
            da, db = by_id[a], by_id[b]
            j = jaccard(shingle_hashes(da.body, args.shingle),
                        shingle_hashes(db.body, args.shingle))
            out.write(f"=== pair {n}: shingle Jaccard {j:.2f}, "
                      f"{len(text_words(da.body))} vs {len(text_words(db.body))} words\n")
            for label, d in (("A", da), ("B", db)):
                body = " ".join(d.body.split())
                out.write(f"[{label}] {d.outlet} {d.published} {d.article_id}\n")
                out.write(f"    title: {d.title}\n    text:  {body[:200]}\n")
            out.write("\n")
    print(f"sample of {len(sample)} pairs written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
