"""Helpers shared by the search tests (imported by name: the test folder is on sys.path)."""
from __future__ import annotations

from rasd.records import Article, Enrichment, RawPage
from rasd.store import SQLiteStore


def make_doc(i: int, title: str | None, body: str, *, published: str | None = "2025-03-01",
             outlet: str | None = "صحيفة الفجر", language: str | None = "ar") -> tuple[RawPage, Article]:
    page = RawPage(source=f"doc{i}.txt", kind="text", content=f"{i}\n{title}\n{body}")
    article = Article(page_id=page.page_id, position=0, source=page.source, body=body, title=title,
                      published=published, outlet=outlet, language=language)  # fmt: skip
    return page, article


def add_docs(store: SQLiteStore, docs: list[tuple[RawPage, Article]],
             enrichments: list[Enrichment] | None = None) -> list[str]:
    store.add_batch([p for p, _ in docs], [a for _, a in docs], enrichments)
    return [a.id for _, a in docs]
