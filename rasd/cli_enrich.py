"""CLI commands for entities, quotes and the NER model (registered by rasd.cli).

    rasd entities [--type PER] [--limit N] [--format table|json]
    rasd entity NAME                  (any alias: `rasd entity ترمب` shows دونالد ترامب)
    rasd quotes [--speaker NAME] [--limit N] [--format table|json]
    rasd eval ner FILE [--model DIR]
    rasd train-ner [--train FILE] [--out DIR] [--seed N]
"""
from __future__ import annotations

import argparse
import json
import sys

from rasd.records import ENTITY_TYPES
from rasd.store import open_store


def register(sub, add_db) -> None:
    p = sub.add_parser("entities", help="entities, most mentioned first")
    add_db(p)
    p.add_argument("--type", choices=ENTITY_TYPES, help="only this type")
    p.add_argument("--limit", type=int, default=50, help="rows (0 = all; default: %(default)s)")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(func=cmd_entities)

    p = sub.add_parser("entity", help="one entity by any of its names: aliases, articles, quotes")
    p.add_argument("name", help="canonical name, alias or key (e.g. ترمب, PER:دونالد ترامب)")
    add_db(p)
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(func=cmd_entity)

    p = sub.add_parser("quotes", help="quotes with their speakers, newest first")
    add_db(p)
    p.add_argument("--speaker", help="only quotes by this entity (any alias)")
    p.add_argument("--limit", type=int, default=50, help="rows (0 = all; default: %(default)s)")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(func=cmd_quotes)

    p = sub.add_parser("eval", help="evaluate a component on a gold file")
    eval_sub = p.add_subparsers(dest="component", required=True, metavar="COMPONENT")
    q = eval_sub.add_parser("ner", help='entity-level P/R/F1 on a CoNLL file ("token TAG" lines)')
    q.add_argument("file", help="CoNLL-style file: token TAG per line, blank line between sentences")
    q.add_argument("--model", help="model directory (default: the model shipped in the package)")
    q.set_defaults(func=cmd_eval_ner)

    p = sub.add_parser("train-ner", help="train the NER model on ANERcorp's train split")
    p.add_argument("args", nargs=argparse.REMAINDER, help="passed to the trainer (see rasd train-ner -- --help)")
    p.set_defaults(func=cmd_train_ner)


def _limit(n: int) -> int | None:
    return None if n == 0 else n


def cmd_entities(args: argparse.Namespace) -> int:
    with open_store(args.db) as store:
        rows = store.top_entities(type=args.type, limit=_limit(args.limit))
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    print(f"{'mentions':>8}  {'articles':>8}  type  name  (aliases)")
    for r in rows:
        others = [a for a in r["aliases"] if a != r["name"]]
        extra = f"  ({'، '.join(others[:6])})" if others else ""
        print(f"{r['mentions']:>8}  {r['articles']:>8}  {r['type']:<4}  {r['name']}{extra}")
    return 0


def cmd_entity(args: argparse.Namespace) -> int:
    with open_store(args.db) as store:
        entity = store.find_entity(args.name)
        if entity is None:
            print(f"rasd entity: no entity named {args.name!r} (see `rasd entities`)", file=sys.stderr)
            return 1
        articles = [store.get_article(i) for i in store.entity_articles(entity.key)]
        quotes = store.quotes(speaker_key=entity.key, limit=None)
    if args.format == "json":
        print(json.dumps({
            "key": entity.key, "name": entity.name, "type": entity.type, "aliases": entity.aliases,
            "articles": [{"id": a.id, "title": a.title, "outlet": a.outlet, "published": a.published} for a in articles],
            "quotes": [{"article_id": aid, "text": q.text, "kind": q.kind, "cue": q.cue, "medium": q.medium}
                       for aid, q in quotes],
        }, ensure_ascii=False, indent=2))  # fmt: skip
        return 0
    print(f"{entity.name}  [{entity.type}]  {entity.key}")
    print(f"aliases: {'، '.join(entity.aliases)}")
    print(f"\narticles ({len(articles)}):")
    for a in articles:
        print(f"  {a.id}  {(a.published or '-')[:10]:<10}  {a.outlet or '-'}: {a.title or '-'}")
    print(f"\nquotes ({len(quotes)}):")
    for aid, q in quotes:
        print(f"  [{q.kind}{', ' + q.medium if q.medium else ''}] «{q.text}»  ({q.cue or '-'}; {aid})")
    return 0


def cmd_quotes(args: argparse.Namespace) -> int:
    with open_store(args.db) as store:
        speaker_key = None
        if args.speaker:
            entity = store.find_entity(args.speaker)
            if entity is None:
                print(f"rasd quotes: no entity named {args.speaker!r}", file=sys.stderr)
                return 1
            speaker_key = entity.key
        rows = store.quotes(speaker_key=speaker_key, limit=_limit(args.limit))
    if args.format == "json":
        print(json.dumps([{"article_id": aid, "speaker": q.speaker, "text": q.text, "kind": q.kind, "cue": q.cue,
                           "medium": q.medium} for aid, q in rows], ensure_ascii=False, indent=2))  # fmt: skip
        return 0
    for aid, q in rows:
        medium = f" ({q.medium})" if q.medium else ""
        print(f"{q.speaker or '?'}{medium} [{q.kind}, {q.cue or '-'}]: {q.text}   — {aid}")
    return 0


def cmd_eval_ner(args: argparse.Namespace) -> int:
    from rasd.enrich.ner.evaluate import evaluate_file

    try:
        report = evaluate_file(args.file, model=args.model)
    except OSError as exc:
        print(f"rasd eval ner: error: cannot read {args.file}: {exc}", file=sys.stderr)
        return 2
    print(report)
    return 0


def cmd_train_ner(args: argparse.Namespace) -> int:
    from rasd.enrich.ner.train import main as train_main

    rest = [a for a in args.args if a != "--"]
    return int(train_main(rest) or 0)
