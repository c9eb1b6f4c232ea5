"""Input paths (files, directories, zips, "-" for stdin) → RawPage / IngestError stream.

Size limit (`max_bytes`, default 20 MB): a file is stat()ed first and a file
larger than the limit is reported without being read — except JSON Lines and
CSV files (by extension), which are streamed record by record, so the limit
applies to each line / row instead and big dumps are fine. Zip archives are
never read whole: the limit applies to each member's uncompressed size (again
per record for .jsonl/.csv members). Stdin is read up to the limit, unless it
starts like JSON Lines, in which case it is streamed too.

Directories are walked recursively in sorted (name) order, depth first. Hidden
files and directories (".name") are skipped, and so are the dataset
documentation files README*, LICENSE*/LICENCE*, COPYING*, CHANGELOG* with a
.txt/.md/.rst or no extension (a dataset folder such as SaudiNewsNet ships a
README.txt that is not an article). Files given explicitly are always read.
Every other file is read; non-text files are reported as IngestErrors.
"""
from __future__ import annotations

import os
import re
import stat
import sys
from typing import BinaryIO, Iterable, Iterator

from rasd.ingest.readers import (
    DEFAULT_MAX_BYTES,
    STREAMABLE_FORMATS,
    PrefixedStream,
    limit_text,
    read_bytes_as_pages,
    read_zip,
    stream_records,
    too_large_reason,
)
from rasd.ingest.sniff import format_for_name
from rasd.records import IngestError, RawPage

__all__ = ["iter_pages", "STDIN_SOURCE"]

Item = RawPage | IngestError

STDIN_SOURCE = "<stdin>"

_DOC_FILE = re.compile(r"^(readme|licen[cs]e|copying|changelog)([_-][^.]*)?(\.(txt|md|rst|markdown))?$", re.IGNORECASE)
_JSONL_START = re.compile(rb"\s*\{[^\n]*\}\s*\n\s*\{")


def iter_pages(
    paths: Iterable[str | os.PathLike],
    *,
    stdin: BinaryIO | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[Item]:
    """Yield one RawPage per input document, or an IngestError per bad one; never raise for bad input."""
    for path in paths:
        raw = os.fspath(path)
        if isinstance(raw, bytes):
            raw = os.fsdecode(raw)
        if raw == "-":
            yield from _guard(STDIN_SOURCE, _read_stdin(stdin, max_bytes))
        else:
            yield from _guard(raw, _read_path(raw, max_bytes))


def _guard(source: str, items: Iterator[Item]) -> Iterator[Item]:
    try:
        yield from items
    except Exception as exc:  # a bug or an OS error mid-stream: report, go on with the next input
        yield IngestError(source, f"unexpected error while reading: {type(exc).__name__}: {exc}")


def _cannot_read(source: str, exc: OSError) -> IngestError:
    if exc.errno is not None and exc.strerror:
        return IngestError(source, f"cannot read: [Errno {exc.errno}] {exc.strerror}")
    return IngestError(source, f"cannot read: {exc}")


def _read_path(path: str, max_bytes: int) -> Iterator[Item]:
    try:
        st = os.stat(path)
    except OSError as exc:
        yield _cannot_read(path, exc)
        return
    if stat.S_ISDIR(st.st_mode):
        yield from _read_dir(path, max_bytes)
    elif stat.S_ISREG(st.st_mode):
        yield from _read_file(path, st.st_size, max_bytes)
    else:
        yield IngestError(path, "not a regular file (device, socket or pipe), skipped")


def _read_dir(path: str, max_bytes: int) -> Iterator[Item]:
    found = False
    skipped: list[str] = []
    for entry_path, is_dir, error in _walk(path, skipped, set()):
        found = True
        if error is not None:
            yield error
            continue
        if not is_dir:
            yield from _guard(entry_path, _read_path(entry_path, max_bytes))
    if not found:
        note = f" (skipped: {', '.join(skipped[:5])}{'…' if len(skipped) > 5 else ''})" if skipped else ""
        yield IngestError(path, f"directory contains no readable files{note}")


def _walk(top: str, skipped: list[str], seen: set[tuple[int, int]]) -> Iterator[tuple[str, bool, IngestError | None]]:
    """Files under `top`, depth first, sorted by name; yields (path, False, None) or an error.

    Symlinked directories are followed once (a link back up the tree is not a loop)."""
    try:
        st = os.stat(top)
        if (st.st_dev, st.st_ino) in seen:
            return
        seen.add((st.st_dev, st.st_ino))
        with os.scandir(top) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        yield top, True, _cannot_read(top, exc)
        return
    for entry in entries:
        if entry.name.startswith("."):
            skipped.append(entry.name)
            continue
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            yield from _walk(entry.path, skipped, seen)
        elif _DOC_FILE.match(entry.name):
            skipped.append(entry.name)
        else:
            yield entry.path, False, None


def _read_file(path: str, size: int, max_bytes: int) -> Iterator[Item]:
    name = os.path.basename(path)
    fmt = format_for_name(name)
    if size == 0:
        yield IngestError(path, "empty file")
        return
    if fmt == "zip":
        yield from read_zip(path, path, max_bytes=max_bytes)
        return
    if size > max_bytes:
        if fmt in STREAMABLE_FORMATS:
            try:
                fh = open(path, "rb")
            except OSError as exc:
                yield _cannot_read(path, exc)
                return
            with fh:
                yield from stream_records(fh, path, fmt, max_bytes=max_bytes, name_hint=name)
            return
        yield IngestError(path, too_large_reason(size, max_bytes, fmt=fmt))
        return
    try:
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        yield _cannot_read(path, exc)
        return
    if len(data) > max_bytes:  # grew since stat()
        yield IngestError(path, too_large_reason(len(data), max_bytes, fmt=fmt))
        return
    yield from read_bytes_as_pages(data, path, name_hint=name, max_bytes=max_bytes)


def _read_stdin(stdin: BinaryIO | None, max_bytes: int) -> Iterator[Item]:
    stream = stdin if stdin is not None else sys.stdin.buffer
    try:
        head = stream.read(64 * 1024)
    except OSError as exc:
        yield _cannot_read(STDIN_SOURCE, exc)
        return
    if isinstance(head, str):  # a text stream was passed
        rest = stream.read()
        yield from read_bytes_as_pages((head + rest).encode("utf-8"), STDIN_SOURCE, max_bytes=max_bytes)
        return
    if _JSONL_START.match(head):
        yield from stream_records(PrefixedStream(head, stream), STDIN_SOURCE, "jsonl", max_bytes=max_bytes)
        return
    data = head + stream.read(max(0, max_bytes + 1 - len(head)))
    if len(data) > max_bytes:
        yield IngestError(
            STDIN_SOURCE,
            f"input is larger than the {limit_text(max_bytes)} limit; split it or raise --max-bytes "
            "(JSON Lines input is streamed and has no size limit)",
        )
        return
    yield from read_bytes_as_pages(data, STDIN_SOURCE, max_bytes=max_bytes)
