"""Read / write CoNLL-style "token TAG" files (one token per line, blank line between sentences)."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator

Sentence = tuple[list[str], list[str]]


def iter_conll(lines: Iterable[str]) -> Iterator[Sentence]:
    """Yield (tokens, tags) per sentence from an iterable of lines.

    The tag is the last whitespace-separated field; lines with a single field get tag "O".
    Lines starting with "-DOCSTART-" are treated as sentence breaks.
    """
    toks: list[str] = []
    tags: list[str] = []
    for raw in lines:
        line = raw.rstrip("\r\n")
        if not line.strip() or line.startswith("-DOCSTART-"):
            if toks:
                yield toks, tags
                toks, tags = [], []
            continue
        parts = line.split()
        if len(parts) == 1:
            toks.append(parts[0])
            tags.append("O")
        else:
            toks.append(" ".join(parts[:-1]) if len(parts) > 2 else parts[0])
            tags.append(parts[-1])
    if toks:
        yield toks, tags


def read_conll(path: str | Path) -> list[Sentence]:
    with open(path, encoding="utf-8") as fh:
        return list(iter_conll(fh))


def write_conll(sentences: Iterable[Sentence], path: str | Path) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for toks, tags in sentences:
            for t, g in zip(toks, tags):
                fh.write(f"{t} {g}\n")
            fh.write("\n")
