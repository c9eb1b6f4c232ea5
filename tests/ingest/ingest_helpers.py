"""Small helpers shared by the ingest tests."""
from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path
from typing import Iterable

from rasd.ingest import iter_pages
from rasd.records import IngestError, RawPage

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED_DIR = Path(os.environ.get("RASD_SHARED", REPO_ROOT.parent / "shared"))

ARABIC = (
    "أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في مدينة الرياض بسعة مئتي سرير.\n"
    "وقال الوزير «إن المشروع يخدم أكثر من نصف مليون نسمة» – بحسب وكالة الأنباء (واس)."
)


def run(paths: Iterable, **kwargs) -> tuple[list[RawPage], list[IngestError]]:
    items = list(iter_pages([str(p) if isinstance(p, Path) else p for p in paths], **kwargs))
    pages = [i for i in items if isinstance(i, RawPage)]
    errors = [i for i in items if isinstance(i, IngestError)]
    assert len(pages) + len(errors) == len(items)
    return pages, errors


def write(path: Path, data: str | bytes, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return path


def jsonl(records: list) -> str:
    return "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n"


def make_zip(members: dict[str, bytes | str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            if name.endswith("/"):
                zf.writestr(zipfile.ZipInfo(name), b"")
            else:
                zf.writestr(name, data if isinstance(data, bytes) else data.encode("utf-8"))
    return buf.getvalue()
