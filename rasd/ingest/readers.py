"""Format readers: bytes (or a byte stream) of one document → RawPage / IngestError.

`read_bytes_as_pages` is the single entry point for an in-memory document (a
file's bytes, a zip member, stdin, an API upload). It never raises for bad
input: every problem becomes an IngestError with a human-readable reason.

Sources:
    text / HTML file           "path/page.html"
    JSON Lines record          "path/file.jsonl:LINE"      (1-based line number)
    JSON array element         "path/file.json#N"          (0-based index, as jq '.[N]')
    JSON single-object record  "path/file.json"
    CSV row                    "path/file.csv:LINE"        (1-based line where the row starts; the header is line 1)
    zip member                 "archive.zip!dir/member.json#N", nested "a.zip!b.zip!c.txt"
"""
from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import zipfile
import zlib
from typing import IO, Any, Iterable, Iterator
from urllib.parse import urljoin

from rasd.ingest.decode import DecodeError, decode_bytes
from rasd.ingest.fields import BODY_KEYS, key_list, norm_key, record_to_page
from rasd.ingest.sniff import binary_kind, format_for_name, is_zip_bytes, sniff_text_format
from rasd.records import IngestError, RawPage

__all__ = [
    "DEFAULT_MAX_BYTES",
    "read_bytes_as_pages",
    "read_zip",
    "stream_records",
    "human_size",
    "too_large_reason",
    "limit_text",
    "PrefixedStream",
    "STREAMABLE_FORMATS",
]

Item = RawPage | IngestError

DEFAULT_MAX_BYTES = 20_000_000  # 20 MB per document (per record for streamed JSONL/CSV)
MAX_ZIP_DEPTH = 2  # a zip, and zips inside it; deeper nesting is reported, not read
STREAMABLE_FORMATS = ("jsonl", "csv")  # formats read record by record when larger than max_bytes

# After this many leading lines that fail to parse with no record at all, a
# "JSON Lines" document is reported once as not being JSON Lines.
_JSONL_GIVE_UP = 5
_SAMPLE_BYTES = 64 * 1024


# --------------------------------------------------------------------------- helpers


def human_size(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f} MB"
    if n >= 1_000:
        return f"{n / 1_000:.1f} kB"
    return f"{n} bytes"


def limit_text(n: int) -> str:
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000} MB"
    return human_size(n)


def too_large_reason(size: int, max_bytes: int, what: str = "file", fmt: str | None = None) -> str:
    reason = (
        f"{what} is {human_size(size)}, larger than the {limit_text(max_bytes)} limit; "
        "split it or raise --max-bytes"
    )
    if fmt == "json":
        reason += " (JSON Lines files are streamed record by record and have no file size limit)"
    return reason


def _binary_reason(kind: str) -> str:
    return f"binary file ({kind}), not a text page"


def _json_error_reason(exc: json.JSONDecodeError, line_offset: int = 0) -> str:
    return f"invalid JSON at line {exc.lineno + line_offset}: {exc.msg} (column {exc.colno})"


def _decode(data: bytes, source: str, declared: str | None = None) -> tuple[str, str] | IngestError:
    try:
        return decode_bytes(data, declared=declared)
    except DecodeError as exc:
        if b"\x00" in data[:_SAMPLE_BYTES]:
            return IngestError(source, _binary_reason("contains NUL bytes"))
        return IngestError(source, exc.reason)


# --------------------------------------------------------------------------- entry point


def read_bytes_as_pages(
    data: bytes,
    source: str,
    *,
    name_hint: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    _depth: int = 0,
) -> Iterator[Item]:
    """Turn the bytes of one document into pages (several for JSON/JSONL/CSV/zip).

    `name_hint` (a file or member name) picks the reader by extension; without
    one, or for an unknown extension, the content is sniffed (zip, HTML, JSON,
    JSON Lines, else plain text). `max_bytes` limits zip members.
    """
    try:
        yield from _read_bytes(data, source, name_hint, max_bytes, _depth)
    except Exception as exc:  # never let one bad document stop a run
        yield IngestError(source, f"unexpected error while reading: {type(exc).__name__}: {exc}")


def _read_bytes(data: bytes, source: str, name_hint: str | None, max_bytes: int, depth: int) -> Iterator[Item]:
    if not data:
        yield IngestError(source, "empty file")
        return
    fmt = format_for_name(name_hint)
    if fmt == "zip" or (fmt is None and is_zip_bytes(data) and binary_kind(data, name_hint) == "ZIP archive"):
        yield from read_zip(io.BytesIO(data), source, max_bytes=max_bytes, depth=depth + 1, raw_head=data[:64])
        return
    kind = binary_kind(data, name_hint)
    if kind is not None:
        yield IngestError(source, _binary_reason(kind))
        return

    if fmt == "html":
        decoded = _decode(data, source, declared=_declared_charset(data))
    else:
        decoded = _decode(data, source)
    if isinstance(decoded, IngestError):
        yield decoded
        return
    text, encoding = decoded
    if not text.strip():
        yield IngestError(source, "file has no text (only whitespace)")
        return

    if fmt is None:
        fmt = sniff_text_format(text)
        if fmt == "html":
            declared = _declared_charset(data)
            if declared and encoding not in ("utf-8", "utf-8-sig"):
                redone = _decode(data, source, declared=declared)
                if not isinstance(redone, IngestError):
                    text, encoding = redone
        # "json"/"jsonl" only when it starts like JSON ('{"', '[{', ...), so a
        # parse error is reported as such rather than read as a text page

    if fmt == "text":
        yield RawPage(source=source, kind="text", content=_normalise_newlines(text), encoding=encoding)
    elif fmt == "html":
        yield RawPage(source=source, kind="html", content=text, encoding=encoding, url=html_url(text))
    elif fmt == "json":
        yield from _read_json(text, source, encoding)
    elif fmt == "jsonl":
        yield from _read_jsonl_text(text, source, encoding)
    elif fmt == "csv":
        yield from _read_csv(io.StringIO(text, newline=""), source, encoding, name_hint, max_bytes)
    else:  # pragma: no cover - every format is handled above
        yield IngestError(source, f"unsupported format {fmt!r}")


def _normalise_newlines(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


# --------------------------------------------------------------------------- HTML

_HEAD_END = re.compile(r"</head\s*>|<body[\s>]", re.IGNORECASE)
_TAG = re.compile(r"<(link|meta|base)\b([^<>]*)>", re.IGNORECASE)
_ATTR = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)


def _declared_charset(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:8192])
    return m.group(1).decode("ascii", "ignore") if m else None


def _attrs(raw: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in _ATTR.finditer(raw):
        value = m.group(2) if m.group(2) is not None else m.group(3) if m.group(3) is not None else m.group(4)
        out.setdefault(m.group(1).lower(), html.unescape(value).strip())
    return out


def _absolute(url: str | None) -> bool:
    return bool(url) and (url.startswith(("http://", "https://", "//")))


def html_url(page: str) -> str | None:
    """The page's own URL from <link rel=canonical> or <meta property=og:url>, if absolute."""
    m = _HEAD_END.search(page, 0, 300_000)
    head = page[: m.start() if m else 300_000]
    canonical = og = base = None
    for tag in _TAG.finditer(head):
        name = tag.group(1).lower()
        attrs = _attrs(tag.group(2))
        if name == "link" and canonical is None and "canonical" in attrs.get("rel", "").lower().split():
            canonical = attrs.get("href") or None
        elif name == "meta" and og is None and (attrs.get("property") or attrs.get("name") or "").lower() == "og:url":
            og = attrs.get("content") or None
        elif name == "base" and base is None:
            base = attrs.get("href") or None
    for candidate in (canonical, og):
        if _absolute(candidate):
            return "https:" + candidate if candidate.startswith("//") else candidate
    root = og if _absolute(og) else base if _absolute(base) else None
    if canonical and root:
        return urljoin(root, canonical)
    return None


# --------------------------------------------------------------------------- JSON


def _read_json(text: str, source: str, encoding: str) -> Iterator[Item]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        # A ".json" file that is really JSON Lines: "Extra data" after line 1.
        if exc.msg == "Extra data":
            first = text.lstrip().split("\n", 1)[0]
            try:
                first_ok = isinstance(json.loads(first), dict)
            except (json.JSONDecodeError, RecursionError):
                first_ok = False
            if first_ok:
                yield from _read_jsonl_text(text, source, encoding)
                return
        yield IngestError(source, _json_error_reason(exc))
        return
    except RecursionError:
        yield IngestError(source, "invalid JSON: nested too deeply")
        return

    if isinstance(doc, list):
        yield from _records_from_list(doc, source, encoding, "JSON array")
        return
    if isinstance(doc, dict):
        for key in doc:
            if norm_key(key) in ("articles", "items", "data", "records", "results", "documents", "docs", "entries"):
                value = doc[key]
                if isinstance(value, list):
                    yield from _records_from_list(value, source, encoding, f'"{key}" list')
                    return
        page = record_to_page(doc, source, encoding)
        if isinstance(page, IngestError) and page.reason.startswith("record has no body text ("):
            yield IngestError(
                source,
                "JSON file holds no records: an object with neither a body field "
                f"({', '.join(BODY_KEYS[:3])}…) nor an articles/items/data list; "
                f"found keys: {key_list(doc)}" if doc else "JSON file holds no records (empty object)",
            )
            return
        yield page
        return
    kind = {"str": "string", "int": "number", "float": "number", "bool": "boolean", "NoneType": "null"}.get(type(doc).__name__, type(doc).__name__)
    yield IngestError(source, f"JSON file holds no records (it is a single {kind} value, not an object or array)")


def _records_from_list(items: list, source: str, encoding: str, what: str) -> Iterator[Item]:
    if not items:
        yield IngestError(source, f"JSON file holds no records (the {what} is empty)")
        return
    if not any(isinstance(item, dict) for item in items):
        kinds = sorted({type(i).__name__ for i in items})
        yield IngestError(source, f"JSON file holds no records (the {what} holds {', '.join(kinds)} values, not objects)")
        return
    for index, item in enumerate(items):
        yield record_to_page(item, f"{source}#{index}", encoding)


# --------------------------------------------------------------------------- JSON Lines


def _read_jsonl_text(text: str, source: str, encoding: str) -> Iterator[Item]:
    if text.lstrip()[:1] == "[":  # a JSON array saved as .jsonl
        try:
            json.loads(text)
        except (json.JSONDecodeError, RecursionError):
            pass
        else:
            yield from _read_json(text, source, encoding)
            return
    # split on "\n" only: JSON strings may legally hold U+2028 and friends
    lines = ((n, line) for n, line in enumerate(text.split("\n"), 1))
    yield from _jsonl_records(lines, source, lambda: encoding)


def _jsonl_records(lines: Iterable[tuple[int, str | IngestError]], source: str, encoding_of) -> Iterator[Item]:
    pending: list[IngestError] = []  # errors before the first good line
    seen_record = False
    any_line = False
    for lineno, line in lines:
        line_source = f"{source}:{lineno}"
        if isinstance(line, IngestError):
            item: Item = line
            any_line = True
        else:
            stripped = line.strip()
            if not stripped:
                continue
            any_line = True
            try:
                obj = json.loads(stripped)
            except json.JSONDecodeError as exc:
                item = IngestError(line_source, f"invalid JSON at line {lineno}: {exc.msg} (column {exc.colno})")
            except RecursionError:
                item = IngestError(line_source, f"invalid JSON at line {lineno}: nested too deeply")
            else:
                if isinstance(obj, dict):
                    item = record_to_page(obj, line_source, encoding_of())
                else:
                    kind = {"list": "array", "str": "string", "NoneType": "null"}.get(type(obj).__name__, type(obj).__name__)
                    item = IngestError(line_source, f"line {lineno} is not a JSON object (got {kind})")
        if not seen_record and isinstance(item, IngestError) and item.reason.startswith("invalid JSON"):
            pending.append(item)
            if len(pending) >= _JSONL_GIVE_UP:
                yield IngestError(
                    source,
                    f"not a JSON Lines file: its first {len(pending)} lines are not JSON "
                    f"(line {pending[0].source.rsplit(':', 1)[-1]}: {pending[0].reason.split(': ', 1)[-1]})",
                )
                return
            continue
        if not seen_record:
            seen_record = True
            yield from pending
            pending = []
        yield item
    yield from pending
    if not any_line:
        yield IngestError(source, "file has no text (only whitespace)")


# --------------------------------------------------------------------------- CSV


def _sniff_delimiter(header: str, name_hint: str | None) -> str:
    if name_hint and name_hint.lower().endswith(".tsv"):
        return "\t"
    counts = {d: 0 for d in (",", ";", "\t")}
    quoted = False
    for ch in header:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(stream: IO[str], source: str, encoding: str, name_hint: str | None, max_bytes: int) -> Iterator[Item]:
    if csv.field_size_limit() < max_bytes:
        csv.field_size_limit(max_bytes)
    header_line = stream.readline()
    header_lineno = 1
    while header_line and not header_line.strip():
        header_line = stream.readline()
        header_lineno += 1
    if not header_line:
        yield IngestError(source, "CSV file holds no records (no header row)")
        return
    delimiter = _sniff_delimiter(header_line, name_hint)
    try:
        header = next(csv.reader([header_line], delimiter=delimiter))
    except (csv.Error, StopIteration) as exc:
        yield IngestError(source, f"invalid CSV header: {exc}")
        return
    header = [h.strip().lstrip("\ufeff") for h in header]
    if not any(norm_key(h) in {norm_key(k) for k in BODY_KEYS} for h in header):
        yield IngestError(
            source,
            f"CSV file has no body column (expected one of: {', '.join(BODY_KEYS)}); header: {', '.join(header)}",
        )
        return
    reader = csv.reader(stream, delimiter=delimiter)
    line = header_lineno  # last line consumed so far
    rows = 0
    while True:
        start = line + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            line = reader.line_num + header_lineno
            yield IngestError(f"{source}:{start}", f"invalid CSV row: {exc}")
            continue
        line = reader.line_num + header_lineno
        if not any(cell.strip() for cell in row):
            continue
        rows += 1
        record: dict[Any, Any] = dict(zip(header, row))
        if len(row) > len(header):
            record[None] = row[len(header):]
        yield record_to_page(record, f"{source}:{start}", encoding)
    if rows == 0:
        yield IngestError(source, "CSV file holds no records (only a header row)")


# --------------------------------------------------------------------------- streaming (large JSONL / CSV)


def stream_records(fileobj: IO[bytes], source: str, fmt: str, *, max_bytes: int = DEFAULT_MAX_BYTES, name_hint: str | None = None) -> Iterator[Item]:
    """Read a JSON Lines or CSV byte stream record by record (max_bytes per line).

    The encoding is detected from the first 64 kB; UTF-16/32 streams are read
    through a text wrapper, ASCII-compatible ones line by line so that one bad
    line is reported on its own.
    """
    try:
        yield from _stream_records(fileobj, source, fmt, max_bytes, name_hint)
    except Exception as exc:  # never let one bad document stop a run
        yield IngestError(source, f"unexpected error while reading: {type(exc).__name__}: {exc}")


class PrefixedStream(io.RawIOBase):
    """A raw binary stream that replays `prefix` and then continues with `rest`."""

    def __init__(self, prefix: bytes, rest: IO[bytes]) -> None:
        self._prefix = memoryview(prefix)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        if self._prefix:
            n = min(len(buffer), len(self._prefix))
            buffer[:n] = self._prefix[:n]
            self._prefix = self._prefix[n:]
            return n
        chunk = self._rest.read(len(buffer))
        n = len(chunk)
        buffer[:n] = chunk
        return n


def _stream_records(fileobj: IO[bytes], source: str, fmt: str, max_bytes: int, name_hint: str | None) -> Iterator[Item]:
    head = fileobj.read(_SAMPLE_BYTES)
    if not head:
        yield IngestError(source, "empty file")
        return
    kind = binary_kind(head, name_hint)
    if kind is not None:
        yield IngestError(source, _binary_reason(kind))
        return
    if b"\x00" in head:  # UTF-16/32: keep whole code units
        sample = head[: len(head) - len(head) % 4]
    else:  # do not cut a multi-byte character in two
        cut = head.rfind(b"\n")
        sample = head[: cut + 1] if cut > 0 else head
    decoded = _decode(sample, source)
    if isinstance(decoded, IngestError):
        yield decoded
        return
    encoding = decoded[1]
    buffered = io.BufferedReader(PrefixedStream(head, fileobj), buffer_size=1 << 20)

    if fmt == "csv" or encoding.startswith(("utf-16", "utf-32")):
        text_encoding = {"utf-8 (lossy)": "utf-8"}.get(encoding, encoding)
        stream = io.TextIOWrapper(buffered, encoding=text_encoding, errors="replace", newline="")
        if fmt == "csv":
            yield from _read_csv(stream, source, encoding, name_hint, max_bytes)
        else:
            lines = ((n, line.rstrip("\r\n")) for n, line in enumerate(stream, 1))
            yield from _jsonl_records(lines, source, lambda: encoding)
        return

    line_encoding = {"encoding": encoding}

    def byte_lines() -> Iterator[tuple[int, str | IngestError]]:
        lineno = 0
        while True:
            raw = buffered.readline(max_bytes + 1)
            if not raw:
                return
            lineno += 1
            if len(raw) > max_bytes and not raw.endswith(b"\n"):
                size = len(raw)
                while True:  # skip the rest of the oversized line without keeping it
                    chunk = buffered.readline(1 << 20)
                    size += len(chunk)
                    if not chunk or chunk.endswith(b"\n"):
                        break
                yield lineno, IngestError(f"{source}:{lineno}", too_large_reason(size, max_bytes, what="line"))
                continue
            if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if not raw.strip():
                yield lineno, ""
                continue
            try:
                text, line_encoding["encoding"] = decode_bytes(raw)
            except DecodeError as exc:
                yield lineno, IngestError(f"{source}:{lineno}", exc.reason)
                continue
            yield lineno, text

    yield from _jsonl_records(byte_lines(), source, lambda: line_encoding["encoding"])


# --------------------------------------------------------------------------- zip


_ZIP_JUNK = ("__MACOSX/",)


def read_zip(
    target: str | os.PathLike | IO[bytes],
    source: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    depth: int = 1,
    raw_head: bytes | None = None,
) -> Iterator[Item]:
    """Read every member of a zip archive (a path or a binary file object) as a document.

    Members are read in archive order without extracting to disk; hidden files
    and __MACOSX/ are skipped. `max_bytes` applies to each member's uncompressed
    size (large JSONL/CSV members are streamed). Zips inside the zip are read too
    (one level); deeper ones are reported.
    """
    if depth > MAX_ZIP_DEPTH:
        yield IngestError(source, f"zip nested too deeply (only {MAX_ZIP_DEPTH - 1} level of zip inside a zip is read)")
        return
    try:
        archive = zipfile.ZipFile(target)
    except zipfile.BadZipFile:
        yield IngestError(source, _bad_zip_reason(target, raw_head))
        return
    except OSError as exc:
        yield IngestError(source, f"cannot read: [Errno {exc.errno}] {exc.strerror}" if exc.errno else f"cannot read: {exc}")
        return
    with archive:
        members = [
            info for info in archive.infolist()
            if not info.is_dir()
            and not any(part.startswith(".") for part in info.filename.split("/") if part)
            and not info.filename.startswith(_ZIP_JUNK)
        ]
        if not members:
            yield IngestError(source, "zip archive contains no readable files")
            return
        for info in members:
            member_source = f"{source}!{info.filename}"
            try:
                yield from _read_member(archive, info, member_source, max_bytes, depth)
            except Exception as exc:
                yield IngestError(member_source, _member_error_reason(exc))


def _bad_zip_reason(target: Any, raw_head: bytes | None) -> str:
    head = raw_head
    if head is None and isinstance(target, (str, os.PathLike)):
        try:
            with open(target, "rb") as fh:
                head = fh.read(64)
        except OSError:
            head = None
    kind = binary_kind(head) if head else None
    if kind and kind != "ZIP archive":
        return f"not a valid zip archive (it is a {kind} file)"
    if head and is_zip_bytes(head):
        return "not a valid zip archive (truncated or corrupt)"
    return "not a valid zip archive"


def _member_error_reason(exc: Exception) -> str:
    if isinstance(exc, RuntimeError) and "encrypted" in str(exc).lower():
        return "encrypted zip member (password protected), cannot read"
    if isinstance(exc, NotImplementedError):
        return f"unsupported zip member: {exc}"
    if isinstance(exc, (zipfile.BadZipFile, zlib.error, EOFError)):
        return f"corrupt zip member: {exc}"
    return f"cannot read zip member: {type(exc).__name__}: {exc}"


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, source: str, max_bytes: int, depth: int) -> Iterator[Item]:
    name = info.filename
    if info.file_size == 0:
        yield IngestError(source, "empty file")
        return
    fmt = format_for_name(name)
    if info.file_size > max_bytes:
        if fmt in STREAMABLE_FORMATS:
            with archive.open(info) as member:
                yield from stream_records(member, source, fmt, max_bytes=max_bytes, name_hint=name)
            return
        yield IngestError(source, too_large_reason(info.file_size, max_bytes, what="file (uncompressed)", fmt=fmt))
        return
    data = archive.read(info)
    yield from read_bytes_as_pages(data, source, name_hint=name, max_bytes=max_bytes, _depth=depth)
