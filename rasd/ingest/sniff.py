"""Recognise what a file is: binary (by magic bytes), and which text format."""
from __future__ import annotations

import os
import re

__all__ = ["FORMAT_BY_EXT", "ZIP_MAGICS", "binary_kind", "format_for_name", "sniff_text_format", "is_zip_bytes"]

# Extension → reader. Anything else is sniffed from its content.
FORMAT_BY_EXT: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".shtml": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".jsonlines": "jsonl",
    ".csv": "csv",
    ".tsv": "csv",
    ".zip": "zip",
}

# ZIP containers that are documents, not archives of pages.
ZIP_DOCUMENT_EXTS = {
    ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp", ".epub", ".jar", ".apk", ".xpi", ".whl", ".kmz",
}

ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")

# (magic, name, weak): a weak magic is plain ASCII that a text could start
# with, so it only counts when a NUL byte follows within the first 64 bytes.
_MAGIC: tuple[tuple[bytes, str, bool], ...] = (
    (b"%PDF-", "PDF", False),
    (b"\x89PNG\r\n\x1a\n", "PNG", False),
    (b"\xff\xd8\xff", "JPEG", False),
    (b"GIF87a", "GIF", False),
    (b"GIF89a", "GIF", False),
    (b"PK\x03\x04", "ZIP archive", False),
    (b"PK\x05\x06", "ZIP archive", False),
    (b"PK\x07\x08", "ZIP archive", False),
    (b"\x7fELF", "ELF executable", False),
    (b"\x1f\x8b", "gzip-compressed", False),
    (b"\xfd7zXZ\x00", "xz-compressed", False),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed", False),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive", False),
    (b"Rar!\x1a\x07", "RAR archive", False),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office document", False),
    (b"SQLite format 3\x00", "SQLite database", False),
    (b"\x00asm", "WebAssembly", False),
    (b"\xca\xfe\xba\xbe", "Java class / Mach-O", False),
    (b"\xcf\xfa\xed\xfe", "Mach-O executable", False),
    (b"\xce\xfa\xed\xfe", "Mach-O executable", False),
    (b"\x1a\x45\xdf\xa3", "Matroska/WebM video", False),
    (b"II*\x00", "TIFF", False),
    (b"MM\x00*", "TIFF", False),
    (b"\x00\x00\x01\x00", "ICO", False),
    (b"OggS\x00", "Ogg audio", False),
    (b"ID3", "MP3", True),
    (b"fLaC", "FLAC audio", True),
    (b"MThd", "MIDI", True),
    (b"wOFF", "WOFF font", True),
    (b"wOF2", "WOFF2 font", True),
    (b"PAR1", "Parquet", True),
    (b"ARROW1", "Arrow", True),
    (b"MZ", "Windows executable", True),
    (b"BM", "BMP", True),
)
_BZIP2 = re.compile(rb"BZh[1-9]1AY&SY")


def binary_kind(data: bytes, name: str | None = None) -> str | None:
    """Name of the binary format `data` starts with, or None if it may be text."""
    head = data[:64]
    if head.startswith(b"RIFF") and len(head) >= 12:
        sub = head[8:12]
        return {b"WEBP": "WebP", b"WAVE": "WAV audio", b"AVI ": "AVI video"}.get(sub, "RIFF")
    if head[4:8] == b"ftyp":
        return "MP4/QuickTime video"
    if _BZIP2.match(head):
        return "bzip2-compressed"
    for magic, kind, weak in _MAGIC:
        if head.startswith(magic):
            if weak and b"\x00" not in head:
                continue
            if kind == "ZIP archive" and name:
                ext = os.path.splitext(name)[1].lower()
                if ext in ZIP_DOCUMENT_EXTS:
                    return f"ZIP-based {ext} document"
            return kind
    return None


def is_zip_bytes(data: bytes) -> bool:
    return data[:4] in ZIP_MAGICS


def format_for_name(name: str | None) -> str | None:
    """Reader for a file name by extension, or None when it must be sniffed."""
    if not name:
        return None
    return FORMAT_BY_EXT.get(os.path.splitext(name)[1].lower())


_HTML_START = re.compile(
    r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])",
    re.IGNORECASE | re.DOTALL,
)
_JSON_ARRAY_START = re.compile(r"\s*\[\s*[\{\"\]\[]")
_JSON_OBJECT_START = re.compile(r"\s*\{\s*(?:\"|\})")


def sniff_text_format(text: str) -> str:
    """Guess "html", "json", "jsonl" or "text" from the start of a decoded document.

    JSON/JSONL are only candidates here; the reader falls back to text when
    the content does not actually parse.
    """
    head = text[:4096]
    if _HTML_START.match(head):
        return "html"
    if _JSON_ARRAY_START.match(head):
        return "json"
    if _JSON_OBJECT_START.match(head):
        first, _, rest = text.lstrip().partition("\n")
        # one object per line → JSONL; a single (possibly pretty-printed) object → JSON
        if first.rstrip().endswith("}") and rest.lstrip().startswith("{"):
            return "jsonl"
        return "json"
    return "text"
