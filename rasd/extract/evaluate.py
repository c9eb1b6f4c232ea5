"""Score extraction against a gold file (the sample corpus ships one).

Gold lines (one per article): file, position, title, published, outlet, author,
section, dateline, agencies, tags, body_start, body_end, must_not_contain,
related; or {"file", "articles": 0} for a page with no article.
Each check is a pass/fail; the score per field is the share of articles that
pass it. `python -m rasd.extract.evaluate` prints the table.
"""
from __future__ import annotations

import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rasd.arabic import normalize_key
from rasd.extract import ExtractError, extract_page
from rasd.ingest import iter_pages
from rasd.records import Article, RawPage

FIELDS = ("found", "title", "published", "outlet", "author", "section", "dateline", "agencies", "tags",
          "body_start", "body_end", "clean", "related")  # fmt: skip


@dataclass
class GoldReport:
    passed: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    total: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    failures: list[str] = field(default_factory=list)

    def check(self, name: str, ok: bool, where: str, detail: str = "") -> None:
        self.total[name] += 1
        if ok:
            self.passed[name] += 1
        else:
            self.failures.append(f"{where}: {name} {detail}")

    def score(self, name: str) -> float:
        return self.passed[name] / self.total[name] if self.total[name] else 1.0

    def format(self) -> str:
        rows = [f"{name:>11}: {self.passed[name]:>3}/{self.total[name]:<3} {self.score(name):.3f}" for name in FIELDS]
        return "\n".join(rows)


def _key(value: str | None) -> str:
    return normalize_key(value or "").strip()


def extract_corpus(root: Path) -> dict[str, list[Article]]:
    """Articles per page key: "txt/a.txt", or "feeds/wire.jsonl#3" for the 3rd record of a feed."""
    pages: dict[str, list[Article]] = {}
    records: dict[str, int] = defaultdict(int)
    for page in iter_pages([root]):
        if not isinstance(page, RawPage):
            continue
        path, _, _ = page.source.partition(":") if page.kind == "record" else (page.source, "", "")
        key = Path(path).relative_to(root).as_posix()
        if page.kind == "record":
            records[key] += 1
            key = f"{key}#{records[key]}"
        try:
            pages[key] = extract_page(page)
        except ExtractError:
            pages[key] = []
    return pages


def evaluate(root: Path, gold_path: Path | None = None) -> GoldReport:
    gold_path = gold_path or root.parent / "sample_gold.jsonl"
    extracted = extract_corpus(root)
    report = GoldReport()
    for line in gold_path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        gold = json.loads(line)
        where = f"{gold['file']}[{gold.get('position')}]"
        articles = extracted.get(gold["file"])
        if gold.get("articles") == 0:
            report.check("found", not articles, where, "expected no article")
            continue
        pos = gold["position"]
        if not articles or pos >= len(articles):
            report.check("found", False, where, "article missing")
            continue
        report.check("found", True, where)
        _compare(report, where, gold, articles[pos])
    return report


def _compare(report: GoldReport, where: str, gold: dict, a: Article) -> None:
    def same(name: str, got, want) -> None:
        report.check(name, got == want, where, f"got {got!r} want {want!r}")

    same("title", _key(a.title), _key(gold["title"]))
    # Offsets are kept in our output ("+03:00"); the gold writes local time only.
    same("published", (a.published or "")[:16] or None, gold["published"])
    got, want = _key(a.outlet), _key(gold["outlet"])
    report.check("outlet", bool(got) and (got in want or want in got), where, f"got {got!r} want {want!r}")
    same("author", _key(a.author) or None, _key(gold["author"]) or None)
    same("section", _key(a.section) or None, _key(gold["section"]) or None)
    same("dateline", _key(a.dateline) or None, _key(gold["dateline"]) or None)
    same("agencies", sorted(map(_key, a.agencies)), sorted(map(_key, gold["agencies"])))
    same("tags", [_key(t) for t in a.tags], [_key(t) for t in gold["tags"]])
    report.check("body_start", a.body.startswith(gold["body_start"]), where, f"got {a.body[:40]!r}")
    report.check("body_end", a.body.endswith(gold["body_end"]), where, f"got {a.body[-30:]!r}")
    leaks = [s for s in gold["must_not_contain"] if s in a.body]
    report.check("clean", not leaks, where, f"leaks {leaks}")
    got_related = [(_key(r.title), r.published) for r in a.related]
    want_related = [(_key(r["title"]), r.get("published")) for r in gold.get("related") or []]
    same("related", got_related, want_related)


def main(argv: list[str] | None = None) -> int:
    from rasd import settings

    argv = sys.argv[1:] if argv is None else argv
    root = Path(argv[0]) if argv else Path(settings.SAMPLE_DIR)
    report = evaluate(root)
    print(report.format())
    if "-v" in argv or "--verbose" in argv:
        print("\n".join(report.failures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
