"""Quotes across a story's articles: the reports of one statement grouped together.

Used by the story record (quotes by speaker) and the outlet comparison (what
each outlet quotes that the others do not).
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import Iterable

from rasd.arabic import normalize_key
from rasd.records import Quote, StoryDoc
from rasd.stories.text import content_stems, outlet_key, timeline_order

__all__ = ["QuoteCluster", "QuoteItem", "quote_clusters", "quote_stems", "speaker_id"]


# ---------------------------------------------------------------------------
# Quotes: clusters of the same statement across articles
# ---------------------------------------------------------------------------


def speaker_id(quote: Quote) -> str | None:
    """Identity of a quote's speaker: the entity key, else the key-normalized name, else None."""
    if quote.speaker_key:
        return quote.speaker_key
    if quote.speaker:
        return "name:" + normalize_key(quote.speaker)
    return None


@dataclass
class QuoteItem:
    doc: StoryDoc
    quote: Quote
    stems: frozenset[str]
    key: str  # normalized text, for exact matches
    speaker: str | None
    speaker_stems: frozenset[str]


@dataclass
class QuoteCluster:
    items: list[QuoteItem]  # in timeline order; items[0] is the earliest report
    speaker: str | None  # speaker identity shared by the cluster (None: unattributed)
    speaker_name: str | None

    @cached_property
    def outlets(self) -> list[str]:
        """Outlet keys in order of first report."""
        seen: dict[str, None] = {}
        for item in self.items:
            seen.setdefault(outlet_key(item.doc.outlet), None)
        return list(seen)


def _speakers_compatible(a: QuoteItem, b: QuoteItem) -> bool:
    if a.speaker is None or b.speaker is None or a.speaker == b.speaker:
        return True
    if a.speaker.startswith("name:") or b.speaker.startswith("name:"):
        # A bare name or title ("الوزير العُماني") against a linked entity or another
        # name: the same person when the names share a word.
        return bool(a.speaker_stems & b.speaker_stems)
    return False  # two different linked entities


def _same_text(a: QuoteItem, b: QuoteItem, loose: bool) -> bool:
    if a.key == b.key:
        return True
    if not a.stems or not b.stems:
        return False
    inter = len(a.stems & b.stems)
    if not loose:  # near-identical: a syndicated copy with a word or two changed
        return inter / len(a.stems | b.stems) >= 0.75
    small = min(len(a.stems), len(b.stems))
    if inter < min(2, small):
        return False
    need = 0.5 if (a.speaker is not None and a.speaker == b.speaker) else 0.7
    return inter / small >= need


def quote_stems(doc: StoryDoc) -> list[tuple[Quote, list[str], frozenset[str]]]:
    """(quote, stems of its text, stems of its speaker) for the quotes with content (memoised)."""
    return doc.memo("quote_stems", doc.text_key(), _quote_rows)


def _quote_rows(doc: StoryDoc) -> list[tuple[Quote, list[str], frozenset[str]]]:
    rows = []
    for quote in doc.quotes:
        stems = content_stems(quote.text or "")
        if stems:
            rows.append((quote, stems, frozenset(content_stems(quote.speaker or ""))))
    return rows


def quote_clusters(docs: Iterable[StoryDoc], loose: bool = False) -> list[QuoteCluster]:
    """Group the quotes of ``docs`` that report the same statement.

    ``loose=False``: near-identical text (same normalized text, or stem-set
    Jaccard ≥ 0.75), as syndicated copies have. ``loose=True``: overlapping
    text (the smaller stem set at least half inside the other for the same
    named speaker, 70% when a speaker is unknown). Speakers must agree: same
    entity, or one of them unknown, or two names sharing a word. An
    unattributed copy of an attributed quote takes the speaker of the cluster.
    """
    ordered = timeline_order(list(docs))
    items: list[QuoteItem] = []
    for doc in ordered:
        for quote, stems, speaker_stems in quote_stems(doc):
            items.append(
                QuoteItem(
                    doc=doc,
                    quote=quote,
                    stems=frozenset(stems),
                    key=" ".join(stems),
                    speaker=speaker_id(quote),
                    speaker_stems=speaker_stems,
                )
            )
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Candidate pairs share a stem (inverted index): quotes are compared only
    # with quotes they could match.
    postings: dict[str, list[int]] = defaultdict(list)
    for i, item in enumerate(items):
        for stem in item.stems:
            postings[stem].append(i)
    for i, item in enumerate(items):
        seen: set[int] = set()
        for stem in item.stems:
            for j in postings[stem]:
                if j <= i or j in seen:
                    continue
                seen.add(j)
                if item.doc is items[j].doc:
                    continue  # one article does not repeat itself as a "copy"
                if find(i) != find(j) and _speakers_compatible(item, items[j]) and _same_text(item, items[j], loose):
                    parent[find(j)] = find(i)
    groups: dict[int, list[QuoteItem]] = defaultdict(list)
    for i, item in enumerate(items):
        groups[find(i)].append(item)
    clusters: list[QuoteCluster] = []
    for members in groups.values():
        speakers = Counter(m.speaker for m in members if m.speaker is not None)
        speaker = _best_speaker(speakers, members)
        names = Counter(
            m.quote.speaker for m in members if m.quote.speaker and (speaker is None or m.speaker == speaker)
        )
        name = names.most_common(1)[0][0] if names else None
        clusters.append(QuoteCluster(items=members, speaker=speaker, speaker_name=name))
    return clusters


def _best_speaker(speakers: Counter, members: list[QuoteItem]) -> str | None:
    if not speakers:
        return None
    # Linked entities beat bare names; then the most reports; then the earliest.
    first = {}
    for i, m in enumerate(members):
        if m.speaker is not None:
            first.setdefault(m.speaker, i)
    return min(speakers, key=lambda s: (s.startswith("name:"), -speakers[s], first[s]))
