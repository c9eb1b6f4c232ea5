"""CLI commands for search (registered by rasd.cli).

    rasd search QUERY... [--from DATE] [--to DATE] [--outlet X] [--entity X] [--story ID]
                         [--language L] [--limit N] [--offset N] [--format table|json]
    rasd similar ID [--limit N] [--format table|json]     (more like this)
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import sys

from rasd.search.snippet import MARK_END, MARK_START
from rasd.store import SearchHit, SearchQuery, open_store
from rasd.store.sqlite_search import MAX_LIMIT


def register(sub, add_db) -> None:
    p = sub.add_parser("search", help="Arabic-aware full-text search with filters (BM25 + recency)")
    p.add_argument("query", nargs="*", help='words (all must match; clitics and spellings folded), "a phrase"; '
                                            "empty: list the filtered articles, newest first")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="published on or after this day (YYYY-MM-DD)")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="published on or before this day (YYYY-MM-DD)")
    p.add_argument("--outlet", help="only this outlet (exact name, as `rasd articles` shows it)")
    p.add_argument("--entity", help="only articles mentioning this entity (any alias: ترمب)")
    p.add_argument("--story", dest="story_id", metavar="ID", help="only articles of this story")
    p.add_argument("--language", help="only this language (ISO 639-1: ar, en, ...)")
    p.add_argument("--limit", type=int, default=20, help=f"results (1-{MAX_LIMIT}; default: %(default)s)")
    p.add_argument("--offset", type=int, default=0, help="results to skip (paging)")
    p.add_argument("--format", choices=("table", "json"), default="table")
    add_db(p)
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("similar", help="more like this: the articles closest to one article (story similarity)")
    p.add_argument("id", help="article id (or a unique prefix of at least 4 characters)")
    p.add_argument("--limit", type=int, default=10, help="results (default: %(default)s)")
    p.add_argument("--format", choices=("table", "json"), default="table")
    add_db(p)
    p.set_defaults(func=cmd_similar)


def _marked(snippet: str, color: bool) -> str:
    if color:  # bold yellow on a terminal
        return snippet.replace(MARK_START, "\x1b[1;33m").replace(MARK_END, "\x1b[0m")
    return snippet.replace(MARK_START, "[").replace(MARK_END, "]")


def _print_hits(hits: list[SearchHit], show_score: bool) -> None:
    color = sys.stdout.isatty()
    for hit in hits:
        score = f"  {hit.score:.3f}" if show_score else ""
        print(f"{hit.id}  {(hit.published or '-')[:10]:<10}  {hit.outlet or '-'}: {hit.title or '-'}{score}")
        if hit.snippet:
            print(f"    {_marked(hit.snippet, color)}")


def _json(payload: object) -> None:
    print(json.dumps(payload, ensure_ascii=False, indent=2))


def cmd_search(args: argparse.Namespace) -> int:
    query = SearchQuery(
        text=" ".join(args.query), date_from=args.date_from, date_to=args.date_to, outlet=args.outlet,
        story_id=args.story_id, entity=args.entity, language=args.language, limit=args.limit, offset=args.offset,
    )  # fmt: skip
    with open_store(args.db) as store:
        try:
            result = store.search(query)
        except ValueError as exc:
            print(f"rasd search: error: {exc}", file=sys.stderr)
            return 2
        if result.total == 0:
            # Say why when a filter names nothing, rather than a bare "0 results".
            if args.entity and store.find_entity(args.entity) is None:
                print(f"rasd search: no entity named {args.entity!r} (see `rasd entities`)", file=sys.stderr)
                return 1
            if args.story_id and store.get_story(args.story_id) is None:
                print(f"rasd search: no story with id {args.story_id!r} (see `rasd stories`)", file=sys.stderr)
                return 1
    if args.format == "json":
        _json({"total": result.total, "results": [dataclasses.asdict(h) for h in result.results]})
        return 0
    shown = len(result.results)
    first = args.offset + 1 if shown else 0
    print(f"{result.total} result{'s' if result.total != 1 else ''}"
          + (f" (showing {first}-{args.offset + shown})" if shown else ""))  # fmt: skip
    _print_hits(result.results, show_score=False)
    return 0


def cmd_similar(args: argparse.Namespace) -> int:
    from rasd.search.similar import more_like_this

    with open_store(args.db) as store:
        try:
            hits = more_like_this(store, args.id, args.limit)
        except ValueError as exc:
            print(f"rasd similar: error: {exc}", file=sys.stderr)
            return 2
        except LookupError as exc:
            print(f"rasd similar: {exc.args[0]} (see `rasd articles`)", file=sys.stderr)
            return 1
    if args.format == "json":
        _json([dataclasses.asdict(h) for h in hits])
        return 0
    _print_hits(hits, show_score=True)
    return 0
