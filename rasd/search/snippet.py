"""Snippets: a window of the original text around the best match, matches marked.

The text shown is the article as published (never the folded index text);
each word whose folded form belongs to a matched phrase is wrapped in
\\x02…\\x03. Callers escape the snippet and turn the markers into <mark>.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from rasd.search.fold import fold_words, word_offsets

__all__ = ["MARK_END", "MARK_START", "highlight_spans", "lead", "make_snippet", "strip_markers"]

MARK_START, MARK_END = "\x02", "\x03"
SNIPPET_WORDS = 32  # words in the window (about 200 characters of Arabic)
CONTEXT_BEFORE = 6  # words kept before the first match of the window
LEAD_CHARS = 220  # length of the plain lead when nothing is highlighted

_MARKERS_RE = re.compile("[\x02\x03]")
_SPACE_RE = re.compile(r"\s+")

Phrase = tuple[str, ...]


def strip_markers(text: str) -> str:
    """Remove stray \\x02/\\x03 from scraped text, so no page can forge a highlight."""
    return _MARKERS_RE.sub("", text)


def _one_line(text: str) -> str:
    return _SPACE_RE.sub(" ", text).strip()


def highlight_spans(folded: Sequence[str], phrases: Sequence[Phrase]) -> list[tuple[int, int, int]]:
    """(first word, end word, phrase index) of every occurrence of a phrase in the folded words."""
    by_head: dict[str, list[tuple[int, Phrase]]] = {}
    for k, phrase in enumerate(phrases):
        if phrase:
            by_head.setdefault(phrase[0], []).append((k, phrase))
    found: list[tuple[int, int, int]] = []
    # the comprehension finds the few candidate positions at C speed; phrases are checked there only
    for i in [i for i, word in enumerate(folded) if word in by_head]:
        for k, phrase in by_head[folded[i]]:
            if len(phrase) == 1 or tuple(folded[i : i + len(phrase)]) == phrase:
                found.append((i, i + len(phrase), k))
    return found


def _best_window(hits: list[tuple[int, int, int]], group_of: Sequence[int]) -> int:
    """Index of the hit that starts the window covering the most distinct groups (then most hits)."""
    best, best_key = 0, (-1, -1)
    j = 0
    for i, (start, _, _) in enumerate(hits):
        while j < len(hits) and hits[j][1] <= start + SNIPPET_WORDS - CONTEXT_BEFORE:
            j += 1
        inside = hits[i:j]
        key = (len({group_of[h[2]] for h in inside}), len(inside))
        if key > best_key:
            best, best_key = i, key
    return best


def _marked_runs(hits: list[tuple[int, int, int]], lo: int, hi: int) -> dict[int, int]:
    """First word -> end word of each highlighted run inside [lo, hi); overlapping hits merge."""
    runs: dict[int, int] = {}
    start = end = -1
    for s, e, _ in sorted(h for h in hits if h[0] >= lo and h[1] <= hi):
        if s < end:  # overlaps the current run
            end = max(end, e)
            continue
        if end > start:
            runs[start] = end
        start, end = s, e
    if end > start:
        runs[start] = end
    return runs


def _render(text: str, spans: Sequence[tuple[int, int]], lo: int, hi: int, runs: dict[int, int]) -> str:
    """Original text from word `lo` to word `hi` (exclusive), each run (a phrase) wrapped once."""
    out: list[str] = []
    pos = spans[lo][0]
    i = lo
    while i < hi:
        end_word = runs.get(i)
        if end_word is None:
            end = spans[i][1]
            out.append(text[pos:end])
            i += 1
        else:
            start, end = spans[i][0], spans[end_word - 1][1]
            out.append(f"{text[pos:start]}{MARK_START}{text[start:end]}{MARK_END}")
            i = end_word
        pos = end
    return _one_line("".join(out))


def make_snippet(
    body: str, title: str | None, phrases: Sequence[Phrase], group_of: Sequence[int] | None = None
) -> str:
    """Window of `body` around the best match; the marked title when only the title matches.

    `group_of[k]` is the query group of phrase k (so a window with two
    different query words beats one repeating a word); default: one group each.
    """
    body = strip_markers(body or "")
    group_of = group_of if group_of is not None else range(len(phrases))
    words = fold_words(body)
    hits = highlight_spans(words, phrases) if phrases else []
    if not hits:
        title = strip_markers(title or "")
        title_words = fold_words(title)
        title_hits = highlight_spans(title_words, phrases) if phrases else []
        if title_hits:
            n = len(title_words)
            return _render(title, word_offsets(title, n), 0, n, _marked_runs(title_hits, 0, n))
        return lead(body)
    first = _best_window(hits, group_of)
    lo = max(0, hits[first][0] - CONTEXT_BEFORE)
    hi = min(len(words), lo + SNIPPET_WORDS)
    text = _render(body, word_offsets(body, hi), lo, hi, _marked_runs(hits, lo, hi))
    return ("… " if lo > 0 else "") + text + (" …" if hi < len(words) else "")


def lead(body: str, limit: int = LEAD_CHARS) -> str:
    """The start of the body on one line, cut at a word boundary (no highlight)."""
    text = _one_line(strip_markers(body or ""))
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit] + " …"
