"""INGEST stage: input paths → a stream of RawPage (one per document) or IngestError.

    from rasd.ingest import iter_pages
    for item in iter_pages(["dump/", "feed.jsonl", "-"]):
        ...  # RawPage(kind="text" | "html" | "record") or IngestError(source, reason)

See walk.py (paths, directories, zips, stdin, size limit), readers.py (formats
and source naming), fields.py (record key mapping) and decode.py (encodings).
"""
from rasd.ingest.decode import DecodeError, decode_bytes
from rasd.ingest.fields import html_to_text, record_to_page
from rasd.ingest.readers import DEFAULT_MAX_BYTES, read_bytes_as_pages, read_zip
from rasd.ingest.walk import STDIN_SOURCE, iter_pages

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DecodeError",
    "STDIN_SOURCE",
    "decode_bytes",
    "html_to_text",
    "iter_pages",
    "read_bytes_as_pages",
    "read_zip",
    "record_to_page",
]
