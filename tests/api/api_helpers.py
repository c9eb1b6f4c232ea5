"""Constants and helpers shared by the API tests (imported as `api_helpers`)."""
from __future__ import annotations

import shutil
import warnings
from pathlib import Path

__all__ = ["SAMPLE", "XSS_IMG", "XSS_PAGE", "XSS_SCRIPT", "TestClient", "copy_db"]

with warnings.catch_warnings():  # starlette's notice about httpx vs httpx2; httpx is pinned
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

SAMPLE = Path(__file__).resolve().parents[2] / "rasd" / "data" / "sample"

# An article whose scraped title, body, outlet and quotes carry markup (see test_escaping).
XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_PAGE = f"""خبر عاجل {XSS_SCRIPT} عن ترامب {XSS_IMG}
الخميس، 1 يناير 2026 10:30 ص

قال الرئيس الأميركي دونالد ترامب إن المحادثات {XSS_SCRIPT} كانت جيدة جداً، وأضاف أن {XSS_IMG} الاتفاق قريب. وأكد ترامب في مؤتمر صحفي بالبيت الأبيض أن الطرفين سيلتقيان مجدداً الأسبوع المقبل لبحث تفاصيل الاتفاق.

وقال: «نحن قريبون جداً {XSS_SCRIPT} من اتفاق تاريخي».

المصدر: موقع {XSS_SCRIPT}"""


def copy_db(src: Path, dst: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        if Path(str(src) + suffix).exists():
            shutil.copyfile(str(src) + suffix, str(dst) + suffix)
    return dst
