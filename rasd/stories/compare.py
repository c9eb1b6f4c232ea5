"""What each outlet adds to a story, and what it leaves out.

    rows = compare_outlets(docs)        # docs: the StoryDocs of one story
    print(format_comparison(rows))

Per outlet (outlets in order of their first report):

* ``adds``: what this outlet has and no other outlet in the story has:
  sentences with no near match elsewhere (content-stem Jaccard ≥ 0.5 with a
  sentence or title of another outlet, or ≥ 0.7 of the sentence's stems inside
  one, counts as a match), quotes no other outlet reports (same speaker, or
  an unattributed one, with overlapping text), and entities by key.
  A sentence only counts as an addition when it carries something checkable
  that the other outlets do not have: a number, an entity, a quoted name
  («...») or a quote of its own. Generic prose (a content farm's paraphrase)
  has none and adds nothing. At most 5 sentences, the most informative.
* ``omits``: entities mentioned by at least half of the other outlets, and
  quotes reported by at least half of them, that this outlet lacks.
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict

from rasd.records import StoryDoc
from rasd.stories.quotes import QuoteCluster, quote_clusters
from rasd.stories.summary import Unit, doc_units
from rasd.stories.text import content_stems, outlet_key, time_key

__all__ = ["compare_outlets", "format_comparison"]

SHARED_JACCARD = 0.5  # a sentence matches another at this stem-set Jaccard...
SHARED_CONTAINMENT = 0.7  # ...or when this share of its stems is inside the other
MIN_SENTENCE_STEMS = 5  # shorter sentences are never reported as additions
MAX_ADD_SENTENCES = 5
MIN_QUOTE_STEMS = 3  # shorter unique quotes are fragments ("خطوة مهمة"), not reported
MIN_NOVEL_STEMS = 2  # an addition has at least this many stems found in no other outlet...
MIN_NOVEL_SHARE = 0.25  # ...and at least this share of its stems
MAX_ENTITIES = 10  # per list (adds / omits)
MAX_OMITTED_QUOTES = 10
_GUILLEMET = re.compile("«([^«»]{2,40})»|\u201c([^\u201c\u201d]{2,40})\u201d")
_NUMBER_TOKEN = re.compile(r"\d")


def compare_outlets(docs: list[StoryDoc]) -> list[dict]:
    """One row per outlet of the story: its articles, what it adds, what it omits.

    Row: ``{"outlet", "articles": [ids], "adds": {"sentences": [{"text",
    "article_id"}], "quotes": [{"speaker", "text", "kind", "article_id"}],
    "entities": [names]}, "omits": {"entities": [names], "quotes":
    [{"speaker", "text", "outlets": [names]}]}}``.
    """
    ordered = sorted(docs, key=time_key)
    groups: dict[str, list[int]] = {}
    for i, doc in enumerate(ordered):
        groups.setdefault(outlet_key(doc.outlet), []).append(i)
    names = _display_names(ordered)
    outlet_of = [outlet_key(d.outlet) for d in ordered]

    # Sentences (and titles, as match targets only), indexed by stem.
    units: list[Unit] = []
    candidates: list[Unit] = []
    for i, doc in enumerate(ordered):
        body_units = [u for u in doc_units(doc, i) if u.stems]
        units.extend(body_units)
        candidates.extend(u for u in body_units if len(set(u.stems)) >= MIN_SENTENCE_STEMS)
        if doc.title:
            stems = content_stems(doc.title)
            if stems:
                units.append(Unit(i, -1, 0, 0, doc.title, stems, 0))
    postings: dict[str, list[int]] = defaultdict(list)
    sets = [frozenset(u.stems) for u in units]
    for j, stems in enumerate(sets):
        for stem in stems:
            postings[stem].append(j)

    # Which outlets' text has each stem, to tell new facts from ones already reported.
    outlet_sets: dict[str, set[str]] = defaultdict(set)
    for u, stems in zip(units, sets):
        outlet_sets[outlet_of[u.doc_index]].update(stems)
    presence: Counter = Counter()
    for stems in outlet_sets.values():
        presence.update(stems)
    outlet_entities: dict[str, set[str]] = defaultdict(set)
    for doc, key in zip(ordered, outlet_of):
        outlet_entities[key].update(k for k, n in doc.entities.items() if n > 0)
    entity_stems = _entity_stems(ordered)

    clusters = quote_clusters(ordered, loose=True)
    sole_quotes: dict[str, list[QuoteCluster]] = defaultdict(list)
    for c in clusters:
        if len(c.outlets) == 1:
            sole_quotes[c.outlets[0]].append(c)
    units_of_doc: dict[int, list[Unit]] = defaultdict(list)
    for unit in units:
        if unit.position >= 0:
            units_of_doc[unit.doc_index].append(unit)
    candidates_of: dict[str, list[Unit]] = defaultdict(list)
    for unit in candidates:
        candidates_of[outlet_of[unit.doc_index]].append(unit)
    doc_index = {id(doc): i for i, doc in enumerate(ordered)}
    rows = []
    for key, members in groups.items():
        others = [k for k in groups if k != key]
        other_stems = _OtherText(presence, outlet_sets[key])
        other_entities = set().union(*(outlet_entities[k] for k in others)) if others else set()
        new_entities = {k: entity_stems[k] for k in outlet_entities[key] - other_entities}
        anchors = {
            id(u): _anchors(u, other_stems, new_entities)
            for i in members
            for u in units_of_doc[i]
        }

        def novel_enough(stems) -> bool:
            novel = sum(1 for stem in stems if stem not in other_stems)
            return novel >= MIN_NOVEL_STEMS and novel >= MIN_NOVEL_SHARE * len(stems)

        # Quotes no other outlet reports; they count when their speaker is known or
        # their sentence carries a new anchor (a bare unattributed paraphrase does not).
        unique_quotes = []
        quote_units: set[int] = set()
        for c in sole_quotes[key] if others else ():
            item = c.items[0]
            if len(item.stems) < MIN_QUOTE_STEMS or not novel_enough(item.stems):
                continue  # a fragment, or every word of it is in the other reports already
            if _is_shared(item.stems, units, sets, postings, outlet_of, key):
                continue  # reported by another outlet, only not as a quote we extracted
            around = [
                u
                for u in units_of_doc[doc_index[id(item.doc)]]
                if u.start < item.quote.end and item.quote.start < u.end
            ]
            if c.speaker_name or any(anchors.get(id(u)) for u in around):
                unique_quotes.append(c)
                quote_units.update(id(u) for u in around)

        # Sentences that no other outlet has, with something new to check.
        scored = []
        for unit in candidates_of[key] if others else ():
            own = frozenset(unit.stems)
            count = anchors.get(id(unit), 0) + (1 if id(unit) in quote_units else 0)
            if not count or not novel_enough(own):
                continue
            if _is_shared(own, units, sets, postings, outlet_of, key):
                continue
            novel = sum(1 for stem in own if stem not in other_stems)
            scored.append((2.0 * count + novel, unit))
        scored.sort(key=lambda x: (-x[0], x[1].doc_index, x[1].position))
        picked = sorted((u for _, u in scored[:MAX_ADD_SENTENCES]), key=lambda u: (u.doc_index, u.position))

        row_entities = outlet_entities[key]
        mentions: Counter = Counter()
        for i in members:
            mentions.update(ordered[i].entities)
        adds_entities = sorted(row_entities - other_entities, key=lambda k: (-mentions[k], k))[:MAX_ENTITIES]
        need = max(1, math.ceil(len(others) / 2))
        other_count = Counter(k for o in others for k in outlet_entities[o])
        omits_entities = sorted(
            (k for k, n in other_count.items() if n >= need and k not in row_entities),
            key=lambda k: (-other_count[k], k),
        )[:MAX_ENTITIES]

        rows.append(
            {
                "outlet": names[key],
                "articles": [ordered[i].article_id for i in members],
                "adds": {
                    "sentences": [{"text": u.text, "article_id": ordered[u.doc_index].article_id} for u in picked],
                    "quotes": [_quote_row(c, key) for c in unique_quotes],
                    "entities": [_entity_name(ordered, k) for k in adds_entities] if others else [],
                },
                "omits": {
                    "entities": [_entity_name(ordered, k) for k in omits_entities],
                    "quotes": [
                        {
                            "speaker": c.speaker_name,
                            "text": c.items[0].quote.text,
                            "outlets": [names[o] for o in c.outlets],
                        }
                        for c in sorted(
                            (c for c in clusters if key not in c.outlets and len(c.outlets) >= need and others),
                            key=lambda c: -len(c.outlets),
                        )[:MAX_OMITTED_QUOTES]
                    ],
                },
            }
        )
    return rows


def _display_names(ordered: list[StoryDoc]) -> dict[str, str]:
    spellings: dict[str, Counter] = defaultdict(Counter)
    for doc in ordered:
        spellings[outlet_key(doc.outlet)][doc.outlet or ""] += 1
    return {k: max(v, key=lambda n: (v[n], len(n))) or "?" for k, v in spellings.items()}


class _OtherText:
    """``stem in other``: does any outlet but this one use the stem?"""

    def __init__(self, presence: Counter, own: set[str]) -> None:
        self.presence = presence
        self.own = own

    def __contains__(self, stem: str) -> bool:
        return self.presence[stem] - (stem in self.own) > 0


def _is_shared(own, units, sets, postings, outlet_of, key) -> bool:
    """Does another outlet have a sentence (or title) that near-matches these stems?"""
    overlap: Counter = Counter()
    for stem in own:
        for j in postings[stem]:
            if outlet_of[units[j].doc_index] != key:
                overlap[j] += 1
    for j, inter in overlap.items():
        if inter / len(own) >= SHARED_CONTAINMENT:
            return True
        if inter / (len(own) + len(sets[j]) - inter) >= SHARED_JACCARD:
            return True
    return False


def _entity_stems(ordered: list[StoryDoc]) -> dict[str, frozenset[str]]:
    """Entity key → the content stems of its canonical name."""
    out: dict[str, frozenset[str]] = {}
    for doc in ordered:
        for key in doc.entities:
            if key not in out:
                name = doc.entity_names.get(key) or key.partition(":")[2]
                out[key] = frozenset(content_stems(name))
    return out


def _anchors(unit: Unit, other_stems: _OtherText, new_entities: dict[str, frozenset[str]]) -> int:
    """Checkable things in a sentence that the other outlets do not have: numbers,
    entities (by key; the sentence has every word of the name) and quoted names «...»."""
    own = set(unit.stems)
    numbers = {s for s in own if _NUMBER_TOKEN.search(s) and s not in other_stems}
    entities = [k for k, stems in new_entities.items() if stems and stems <= own]
    named = 0
    for m in _GUILLEMET.finditer(unit.text):
        stems = content_stems(m.group(1) or m.group(2))
        if stems and any(s not in other_stems for s in stems):
            named += 1
    return len(numbers) + len(entities) + named


def _quote_row(cluster: QuoteCluster, key: str) -> dict:
    item = next((m for m in cluster.items if outlet_key(m.doc.outlet) == key), cluster.items[0])
    return {
        "speaker": cluster.speaker_name,
        "text": item.quote.text,
        "kind": item.quote.kind,
        "article_id": item.doc.article_id,
    }


def _entity_name(ordered: list[StoryDoc], key: str) -> str:
    for doc in ordered:
        if key in doc.entity_names:
            return doc.entity_names[key]
    return key.partition(":")[2] or key


# ---------------------------------------------------------------------------
# Plain-text report
# ---------------------------------------------------------------------------


def format_comparison(result: list[dict], width: int = 160) -> str:
    """The comparison as plain text (Arabic labels, one block per outlet)."""
    if not result:
        return "لا توجد مقالات في هذه القصة."
    lines: list[str] = []
    for row in result:
        n = len(row["articles"])
        lines.append(f"■ {row['outlet']} ({n} {'مقال' if n == 1 else 'مقالات'})")
        adds, omits = row["adds"], row["omits"]
        if not (adds["sentences"] or adds["quotes"] or adds["entities"]):
            lines.append("  ينفرد بـ: لا شيء")
        else:
            lines.append("  ينفرد بـ:")
            for s in adds["sentences"]:
                lines.append(f"    • {_clip(s['text'], width)}")
            for q in adds["quotes"]:
                who = q["speaker"] or "(قائل غير محدد)"
                lines.append(f"    ❝ {who}: {_clip(q['text'], width)}")
            if adds["entities"]:
                lines.append(f"    أسماء: {'، '.join(adds['entities'])}")
        if omits["entities"] or omits["quotes"]:
            lines.append("  يغفل ما ذكره معظم الآخرين:")
            if omits["entities"]:
                lines.append(f"    أسماء: {'، '.join(omits['entities'])}")
            for q in omits["quotes"]:
                who = q["speaker"] or "(قائل غير محدد)"
                lines.append(f"    ❝ {who}: {_clip(q['text'], width)} — {'، '.join(q['outlets'])}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
