"""Command-line interface: a thin shell over the library.

    rasd ingest PATH... [--db DB] [--stages extract,enrich,stories]
    rasd articles [--db DB] [--limit N]
    rasd show ID [--db DB]
    rasd export [--db DB] [--format jsonl|csv|parquet] [--out FILE]
    rasd serve [--db DB] [--port 8000]
    rasd spark run INPUT... OUTPUT [--master local[*]] [--db URL]
    rasd demo [--db DB]
"""
from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
import unicodedata
from collections.abc import Sequence

from rasd import __version__, cli_enrich, cli_search, cli_serve, cli_spark, cli_stories, settings
from rasd.pipeline import RunSummary, parse_stages, run_ingest
from rasd.records import Article
from rasd.store import StoreError, open_store, resolve_url
from rasd.store.export import export_articles


def _add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", help=f"database path or URL (default: ${settings.DB_ENV} or ./{settings.DEFAULT_DB})")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rasd", description="rasd (رصد): Arabic-first news monitoring, offline.")
    parser.add_argument("--version", action="version", version=f"rasd {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("ingest", help="read pages (txt, html, json/jsonl/csv, zip, dirs, '-') into the store")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, directories, .zip archives, or - for stdin")
    _add_db(p)
    p.add_argument("--stages", default="all", help="comma-separated stages to run (default: all = extract,enrich,stories)")
    p.add_argument("--workers", type=int, default=settings.WORKERS, help="extraction processes (default: %(default)s)")
    p.add_argument("--batch-size", type=int, default=settings.BATCH_SIZE, help="pages per transaction")
    p.add_argument("--max-bytes", type=int, default=settings.MAX_BYTES, help="largest single document accepted")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("articles", help="list stored articles (id, outlet, date, title)")
    _add_db(p)
    p.add_argument("--limit", type=int, default=50, help="rows to show (0 = all; default: %(default)s)")
    p.add_argument("--offset", type=int, default=0)
    p.set_defaults(func=cmd_articles)

    p = sub.add_parser("show", help="show one article: clean text, metadata, related items, removed boilerplate")
    p.add_argument("id", help="article id (or a unique prefix of at least 4 characters)")
    _add_db(p)
    p.add_argument("--json", action="store_true", help="print the full record as JSON")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("export", help="export articles as JSONL (default), CSV or Parquet")
    _add_db(p)
    p.add_argument("--format", choices=("jsonl", "csv", "parquet"), default="jsonl")
    p.add_argument("--out", help="output file (default: stdout; required for parquet)")
    p.set_defaults(func=cmd_export)

    cli_enrich.register(sub, _add_db)
    cli_stories.register(sub, _add_db)
    cli_search.register(sub, _add_db)
    cli_serve.register(sub, _add_db)
    cli_spark.register(sub, _add_db)

    p = sub.add_parser("demo", help="ingest the bundled sample corpus into a fresh database and print an overview")
    p.add_argument("--db", help="database to (re)create (default: ./rasd-demo.db)")
    p.set_defaults(func=cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except StoreError as exc:
        print(f"rasd: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `rasd export | head`
        sys.stderr.close()
        return 0


# ---------------------------------------------------------------------------
# ingest


def cmd_ingest(args: argparse.Namespace) -> int:
    try:
        stages = parse_stages(args.stages)
    except ValueError as exc:
        print(f"rasd ingest: error: {exc}", file=sys.stderr)
        return 2
    bar = _progress_bar(args.quiet)
    with open_store(args.db) as store:
        summary = run_ingest(
            args.paths,
            store,
            stages=stages,
            batch_size=args.batch_size,
            workers=max(1, args.workers),
            stdin=sys.stdin.buffer if "-" in args.paths else None,
            max_bytes=args.max_bytes,
            on_batch=bar.update if bar else None,
        )
    if bar:
        bar.close()
    print_summary(summary)
    return 0 if summary.ok else 1


class _Bar:
    """tqdm progress on a terminal, counting pages as batches land."""

    def __init__(self) -> None:
        from tqdm import tqdm

        self._bar = tqdm(unit=" pages", file=sys.stderr, dynamic_ncols=True)
        self._done = 0

    def update(self, summary: RunSummary) -> None:
        done = summary.pages + summary.skipped + len(summary.errors)
        self._bar.update(done - self._done)
        self._bar.set_postfix(articles=summary.articles, errors=len(summary.errors), refresh=False)
        self._done = done

    def close(self) -> None:
        self._bar.close()


def _progress_bar(quiet: bool) -> _Bar | None:
    if quiet or not sys.stderr.isatty():
        return None
    return _Bar()


def print_summary(summary: RunSummary, out=None) -> None:
    out = out or sys.stdout
    print(
        f"pages stored: {summary.pages}, articles stored: {summary.articles}, "
        f"skipped duplicates: {summary.skipped}, errors: {len(summary.errors)}",
        file=out,
    )
    for error in summary.errors:
        print(f"  error: {error.source}: {error.reason}", file=out)


# ---------------------------------------------------------------------------
# reading


def _width(text: str) -> int:
    return sum(0 if unicodedata.combining(ch) else 1 for ch in text)


def _cell(text: str | None, width: int) -> str:
    text = (text or "-").replace("\n", " ")
    if _width(text) > width:
        text = text[: width - 1] + "…"
    return text + " " * max(0, width - _width(text))


def print_table(articles: Sequence[Article], out=None) -> None:
    out = out or sys.stdout
    print(f"{_cell('id', 16)}  {_cell('outlet', 22)}  {_cell('date', 16)}  title", file=out)
    for a in articles:
        date = (a.published or "")[:16]
        print(f"{_cell(a.id, 16)}  {_cell(a.outlet, 22)}  {_cell(date, 16)}  {a.title or '-'}", file=out)


def cmd_articles(args: argparse.Namespace) -> int:
    with open_store(args.db) as store:
        articles = list(store.iter_articles(limit=args.limit or None, offset=args.offset))
        total = store.count_articles()
    print_table(articles)
    if len(articles) < total:
        print(f"({len(articles)} of {total} articles; use --limit 0 for all)")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    with open_store(args.db) as store:
        article = store.get_article(args.id)
        if article is None:
            print(f"rasd show: no article with id {args.id!r} (see `rasd articles`)", file=sys.stderr)
            return 1
        entities = store.article_entities(article.id)
        quotes = store.get_enrichment(article.id).quotes
    if args.json:
        data = article.to_dict()
        data["entities"] = entities
        data["quotes"] = [q.__dict__ for q in quotes]
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print(render_article(article, entities, quotes))
    return 0


def render_article(a: Article, entities: list[dict] | None = None, quotes: list | None = None) -> str:
    rows = [
        ("id", a.id),
        ("title", a.title),
        ("published", f"{a.published}  ({a.published_raw})" if a.published_raw else a.published),
        ("outlet", a.outlet),
        ("author", a.author),
        ("section", a.section),
        ("dateline", a.dateline),
        ("agencies", "، ".join(a.agencies)),
        ("tags", "، ".join(a.tags)),
        ("language", a.language),
        ("source", f"{a.source} (article {a.position} on page {a.page_id})"),
        ("url", a.url),
    ]
    lines = [f"{k:>10}: {v}" for k, v in rows if v]
    lines += ["", "── body " + "─" * 60, a.body, ""]
    if entities:
        lines.append(f"── entities ({len(entities)}) " + "─" * 50)
        lines += [f"  {e['type']:<4} {e['name']}  ×{e['count']}" for e in entities]
        lines.append("")
    if quotes:
        lines.append(f"── quotes ({len(quotes)}) " + "─" * 52)
        for q in quotes:
            medium = f", {q.medium}" if q.medium else ""
            lines.append(f"  {q.speaker or '?'} [{q.kind}, {q.cue or '-'}{medium}]: {q.text}")
        lines.append("")
    if a.related:
        lines.append(f"── related ({len(a.related)}) " + "─" * 50)
        lines += [f"  • {r.title}" + (f"  [{r.published}]" if r.published else "") for r in a.related]
        lines.append("")
    if a.removed:
        lines.append(f"── removed from the page ({len(a.removed)}) " + "─" * 40)
        for r in a.removed:
            text = r.text.replace("\n", " ⏎ ")
            lines.append(f"  [{r.kind}] {text[:300]}{'…' if len(text) > 300 else ''}")
    return "\n".join(lines)


def cmd_export(args: argparse.Namespace) -> int:
    if args.format == "parquet" and not args.out:
        print("rasd export: error: --format parquet needs --out FILE", file=sys.stderr)
        return 2
    with open_store(args.db) as store:
        if args.out:
            count = export_articles(store, args.format, args.out)
            print(f"exported {count} articles to {args.out}", file=sys.stderr)
        else:
            export_articles(store, args.format, sys.stdout)
    return 0


# ---------------------------------------------------------------------------
# demo


def cmd_demo(args: argparse.Namespace) -> int:
    db = args.db or "rasd-demo.db"
    if resolve_url(db)[0] == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db + suffix):
                os.remove(db + suffix)
    else:  # a server database is not ours to drop: the demo wants an empty one
        from rasd.store.postgres import redact  # no password in the message

        with open_store(db) as store:
            if store.count_pages():
                print(f"rasd demo: {redact(db)} already holds {store.count_pages()} pages; give an empty "
                      "database (the demo recreates only SQLite files)", file=sys.stderr)
                return 2
    print(f"rasd demo: ingesting the sample corpus from {settings.SAMPLE_DIR}")
    with open_store(db) as store:
        summary = run_ingest([settings.SAMPLE_DIR], store, workers=1)
        print_summary(summary)
        print()
        stats = store.stats()
        print(f"{stats['articles']} articles from {stats['pages']} pages, {stats['outlets']} outlets, "
              f"published {stats.get('first_published')} … {stats.get('last_published')}")
        print()
        print_table(list(store.iter_articles(limit=15)))
        print("\nTop stories:")
        for story in store.iter_stories(limit=8):
            print(f"  {story['id']}  {len(story.get('articles', [])):>2} articles, "
                  f"{len(story.get('outlets', [])):>2} outlets  {story.get('headline') or '-'}")  # fmt: skip
    print()
    print(f"Next: rasd articles --db {db} | rasd stories --db {db} | rasd story ID --db {db} | "
          f"rasd entities --db {db} | rasd export --db {db}")
    # The last line: how to browse what was just built (`make serve` serves ./rasd-demo.db).
    command = f"rasd serve --db {shlex.quote(db)}, then http://127.0.0.1:8000/"
    print(f"Open the web UI: make serve  (or: {command})" if db == "rasd-demo.db" else f"Open the web UI: {command}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
