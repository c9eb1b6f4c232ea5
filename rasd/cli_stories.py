"""CLI commands for stories (registered by rasd.cli).

    rasd stories [--format table|json] [--order size|recent] [--limit N]
    rasd story ID [--format text|json]
    rasd compare ID [--format text|json]
    rasd recluster
    rasd similarity --pairs FILE.csv [--out FILE]
"""
from __future__ import annotations

import argparse
import csv
import json
import sys

from rasd import settings
from rasd.store import open_store


def register(sub, add_db) -> None:
    p = sub.add_parser("stories", help="stories: articles from many outlets grouped by event")
    add_db(p)
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("--order", choices=("size", "recent"), default="size", help="largest or latest first")
    p.add_argument("--limit", type=int, default=30, help="rows (0 = all; default: %(default)s)")
    p.set_defaults(func=cmd_stories)

    p = sub.add_parser("story", help="one story: headline, summary, timeline, outlets, entities, quotes")
    p.add_argument("id", help="story id (or a unique prefix; a merged-away id leads to the survivor)")
    add_db(p)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_story)

    p = sub.add_parser("compare", help="outlet by outlet: what each adds to a story and what it omits")
    p.add_argument("id", help="story id")
    add_db(p)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("recluster", help="rebuild all stories from the stored articles")
    add_db(p)
    p.add_argument("--workers", type=int, default=settings.WORKERS,
                   help="processes preparing the articles' text analysis (default: %(default)s)")
    p.set_defaults(func=cmd_recluster)

    p = sub.add_parser("similarity", help="score text pairs of a CSV with the story similarity")
    p.add_argument("--pairs", required=True, help="CSV with columns text1 and text2 (others are kept)")
    p.add_argument("--out", help="output CSV (default: stdout)")
    p.set_defaults(func=cmd_similarity)


def _story_or_error(store, ident: str, command: str):
    story = store.get_story(ident)
    if story is None:
        print(f"rasd {command}: no story with id {ident!r} (see `rasd stories`)", file=sys.stderr)
    return story


def list_fields(story: dict) -> dict:
    """The documented JSON shape of `rasd stories`."""
    return {
        "id": story["id"],
        "headline": story.get("headline"),
        "summary": story.get("summary"),
        "articles": story.get("articles", []),
        "outlets": story.get("outlets", []),
        "first_seen": story.get("first_seen"),
        "last_seen": story.get("last_seen"),
        "entities": [e.get("name") for e in story.get("entities", [])],
    }


def cmd_stories(args: argparse.Namespace) -> int:
    with open_store(args.db) as store:
        stories = store.iter_stories(limit=args.limit or None, order=args.order)
        total = store.count_stories()
    if args.format == "json":
        print(json.dumps([list_fields(s) for s in stories], ensure_ascii=False, indent=2))
        return 0
    print(f"{'id':<18} {'arts':>4} {'outlets':>7}  {'last seen':<16}  headline")
    for s in stories:
        print(f"{s['id']:<18} {len(s.get('articles', [])):>4} {len(s.get('outlets', [])):>7}  "
              f"{(s.get('last_seen') or '-')[:16]:<16}  {s.get('headline') or '-'}")  # fmt: skip
    if len(stories) < total:
        print(f"({len(stories)} of {total} stories; --limit 0 for all)")
    return 0


def render_story(s: dict) -> str:
    lines = [s.get("headline") or "-", f"{s['id']}  ·  {len(s.get('articles', []))} articles  ·  "
             f"{s.get('first_seen') or '?'} → {s.get('last_seen') or '?'}", ""]  # fmt: skip
    if s.get("merged_from"):
        lines.append(f"merged from: {', '.join(s['merged_from'])}")
    lines += ["── summary " + "─" * 50, *[f"  {x}" for x in s.get("summary_sentences", [])], ""]
    lines.append("── timeline " + "─" * 49)
    for t in s.get("timeline", []):
        kind = f" [{t['kind']}]" if t.get("kind") else ""
        lines.append(f"  {(t.get('published') or '-')[:16]:<16}  {t.get('outlet') or '-'}: {t.get('title') or '-'}"
                     f"{kind}  ({t['article_id']})")  # fmt: skip
    lines += ["", "── outlets " + "─" * 50]
    lines += [f"  {o['outlet']}: {o['articles']}" for o in s.get("outlet_counts", [])]
    lines += ["", "── entities " + "─" * 49]
    lines += [f"  {e['type']:<4} {e['name']} ({e.get('articles', '?')} articles)" for e in s.get("entities", [])]
    quotes = s.get("quotes_by_speaker", [])
    if quotes:
        lines += ["", "── quotes by speaker " + "─" * 40]
        for group in quotes:
            lines.append(f"  {group['speaker']}:")
            for q in group["quotes"][:8]:
                lines.append(f"    [{q['kind']}] {q['text'][:200]}")
    return "\n".join(lines)


def cmd_story(args: argparse.Namespace) -> int:
    with open_store(args.db) as store:
        story = _story_or_error(store, args.id, "story")
    if story is None:
        return 1
    print(json.dumps(story, ensure_ascii=False, indent=2) if args.format == "json" else render_story(story))
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from rasd.stories.compare import compare_outlets, format_comparison
    from rasd.stories.stage import story_doc

    with open_store(args.db) as store:
        story = _story_or_error(store, args.id, "compare")
        if story is None:
            return 1
        docs = [
            story_doc(a, store.get_enrichment(a.id), i)
            for i, a in enumerate(store.get_article(x) for x in story["articles"])
            if a is not None
        ]
    result = compare_outlets(docs)
    if args.format == "json":
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(story.get("headline") or story["id"])
        print(format_comparison(result))
    return 0


def cmd_recluster(args: argparse.Namespace) -> int:
    from rasd.stories.stage import recluster

    with open_store(args.db) as store:
        update = recluster(store, workers=max(1, args.workers))
        print(f"re-clustered {len(update.assignments)} articles into {store.count_stories()} stories "
              f"({len(update.merges)} merges)")  # fmt: skip
    return 0


def cmd_similarity(args: argparse.Namespace) -> int:
    from rasd.stories.similarity import similarity_of_texts

    try:
        with open(args.pairs, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            fields = list(reader.fieldnames or [])
            rows = list(reader)
    except OSError as exc:
        print(f"rasd similarity: error: cannot read {args.pairs}: {exc}", file=sys.stderr)
        return 2
    missing = [c for c in ("text1", "text2") if c not in fields]
    if missing:
        print(f"rasd similarity: error: {args.pairs} has no column(s) {', '.join(missing)} "
              f"(found: {', '.join(fields) or 'none'})", file=sys.stderr)  # fmt: skip
        return 2
    for row in rows:
        row["similarity"] = f"{similarity_of_texts(row['text1'] or '', row['text2'] or ''):.4f}"
    out = open(args.out, "w", encoding="utf-8", newline="") if args.out else sys.stdout
    try:
        writer = csv.DictWriter(out, fieldnames=[*fields, "similarity"] if "similarity" not in fields else fields)
        writer.writeheader()
        writer.writerows(rows)
    finally:
        if args.out:
            out.close()
    if args.out:
        print(f"scored {len(rows)} pairs → {args.out}", file=sys.stderr)
    return 0
