"""Entity-level precision / recall / F1, seqeval-style (default, non-strict IOB2 chunking).

A predicted entity counts only if its (start, end, type) matches a gold entity exactly.
Chunking follows seqeval's default ``get_entities``: an ``I-X`` that follows ``O`` (or a
chunk of another type) starts a new chunk, exactly as seqeval does.
"""

from __future__ import annotations

from collections import Counter
from typing import Sequence


def _split(tag: str) -> tuple[str, str]:
    if tag in ("O", "", "."):
        return "O", "_"
    if len(tag) > 1 and tag[1] in "-_":
        return tag[0], tag[2:] or "_"
    return tag[0], "_"


def _end_of_chunk(prev_tag, tag, prev_type, type_) -> bool:
    if prev_tag in ("E", "S"):
        return True
    if prev_tag in ("B", "I") and tag in ("B", "S", "O"):
        return True
    return prev_tag not in ("O", ".") and prev_type != type_


def _start_of_chunk(prev_tag, tag, prev_type, type_) -> bool:
    if tag in ("B", "S"):
        return True
    if prev_tag in ("E", "S", "O") and tag in ("E", "I"):
        return True
    return tag not in ("O", ".") and prev_type != type_


def get_entities(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Return entity spans as (start, end_inclusive, type) from one BIO tag sequence."""
    if isinstance(tags, list) and tags.count("O") == len(tags):
        return []  # the common case, at C speed
    if all(t == "O" or t[:2] in ("B-", "I-") for t in tags):
        return _iob2_entities(tags)
    out: list[tuple[int, int, str]] = []
    prev_tag, prev_type, begin = "O", "_", 0
    for i, chunk in enumerate(list(tags) + ["O"]):
        tag, type_ = _split(chunk)
        if _end_of_chunk(prev_tag, tag, prev_type, type_):
            out.append((begin, i - 1, prev_type))
        if _start_of_chunk(prev_tag, tag, prev_type, type_):
            begin = i
        prev_tag, prev_type = tag, type_
    return out


def _iob2_entities(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """get_entities for plain O/B-x/I-x tags (the tagger's output): same spans, one pass.
    An I-x after O or after another type starts a chunk, as in seqeval."""
    out: list[tuple[int, int, str]] = []
    cur, begin = None, 0
    for i, tag in enumerate(tags):
        if tag == "O":
            if cur is not None:
                out.append((begin, i - 1, cur))
                cur = None
            continue
        type_ = tag[2:]
        if tag[0] == "B" or type_ != cur:
            if cur is not None:
                out.append((begin, i - 1, cur))
            cur, begin = type_, i
    if cur is not None:
        out.append((begin, len(tags) - 1, cur))
    return out


class Scores(dict):
    """{type: (precision, recall, f1, support)} plus key "micro"."""


def evaluate(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> Scores:
    """Compare lists of tag sequences (one per sentence). Returns per-type and micro scores."""
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold sentences vs {len(pred)} predicted")
    tp: Counter = Counter()
    n_gold: Counter = Counter()
    n_pred: Counter = Counter()
    for g, p in zip(gold, pred):
        if len(g) != len(p):
            raise ValueError("sentence length mismatch between gold and predicted tags")
        ge = set(get_entities(g))
        pe = set(get_entities(p))
        for e in ge:
            n_gold[e[2]] += 1
        for e in pe:
            n_pred[e[2]] += 1
        for e in ge & pe:
            tp[e[2]] += 1
    scores = Scores()
    for t in sorted(set(n_gold) | set(n_pred)):
        scores[t] = _prf(tp[t], n_pred[t], n_gold[t])
    scores["micro"] = _prf(sum(tp.values()), sum(n_pred.values()), sum(n_gold.values()))
    return scores


def _prf(tp: int, npred: int, ngold: int) -> tuple[float, float, float, int]:
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f, ngold


def format_report(scores: Scores) -> str:
    """Per-type lines, then a last line exactly ``micro F1: 0.xxx``."""
    lines = [f"{'type':<8}{'prec':>8}{'rec':>8}{'f1':>8}{'support':>9}"]
    for t, (p, r, f, n) in scores.items():
        if t == "micro":
            continue
        lines.append(f"{t:<8}{p:>8.3f}{r:>8.3f}{f:>8.3f}{n:>9d}")
    p, r, f, n = scores["micro"]
    lines.append(f"{'micro':<8}{p:>8.3f}{r:>8.3f}{f:>8.3f}{n:>9d}")
    lines.append(f"micro F1: {f:.3f}")
    return "\n".join(lines)
