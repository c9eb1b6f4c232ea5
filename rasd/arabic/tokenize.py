"""Tokens, word spans and sentences for Arabic (and mixed Arabic/Latin) text.

Everything works on the text as given (normally :func:`normalize_display`
output) and never rewrites it, so spans index straight into stored text.
Tokens keep their diacritics and tatweel; fold them with ``normalize_key``
when comparing.
"""
from __future__ import annotations

import re
from bisect import bisect_right

from rasd.arabic.normalize import ARABIC_LETTER_CLASS, ARABIC_MARK_CLASS, INVISIBLE_CLASS

__all__ = [
    "arabic_ratio",
    "is_arabic",
    "sentence_spans",
    "sentences",
    "tokenize",
    "word_spans",
]

_AR = ARABIC_LETTER_CLASS
_MARKS = ARABIC_MARK_CLASS
_AR_DIGITS = "\u0660-\u0669\u06f0-\u06f9"
# Variation selectors ride along with emoji; they are never tokens alone.
_SKIP = INVISIBLE_CLASS + "\ufe00-\ufe0f"

# Word-ish tokens, in priority order:
#  * numbers: any Unicode digits (ASCII, ٠-٩, ۰-۹) with inner . , ٫ ٬ groups
#    between digits, so 2,000 / 3.5 / ٣٫٥ / ١٬٠٠٠ are single tokens while a
#    sentence-final "2025." leaves the dot out;
#  * Arabic words: a letter, then letters, diacritics, tatweel, ZWNJ/ZWJ;
#  * other words: runs of non-Arabic letters/digits, joined by inner
#    apostrophes or hyphens (COVID-19, O'Brien, F-16).
_NUMBER = r"\d+(?:[.,\u066b\u066c]\d+)*"
_ARABIC_WORD = f"[{_AR}][{_AR}{_MARKS}]*"
_OTHER = f"[^\\W_{_AR}{_MARKS}{_AR_DIGITS}]"
_OTHER_WORD = f"{_OTHER}+(?:['\u2019\\-]{_OTHER}+)*"
_WORD_RE = re.compile(f"{_NUMBER}|{_ARABIC_WORD}|{_OTHER_WORD}")
# ...and anything else that is not space, a stray mark or an invisible
# character is a one-character punctuation/symbol token.
_TOKEN_RE = re.compile(f"{_NUMBER}|{_ARABIC_WORD}|{_OTHER_WORD}|[^\\s{_MARKS}{_SKIP}]")

# Letters for arabic_ratio: tatweel is a letter to Unicode (Lm) but carries
# no information, so it counts for neither side.
_ARABIC_LETTERS_RE = re.compile(f"[{_AR}]+")
_ANY_LETTERS_RE = re.compile("[^\\W\\d_\u0640]+")


def tokenize(text: str) -> list[str]:
    """Split text into word, number and punctuation tokens.

    >>> tokenize("قال: إن 2,000 شخص تظاهروا؟")
    ['قال', ':', 'إن', '2,000', 'شخص', 'تظاهروا', '؟']

    Clitics are not split (والمفاوضات is one token; see ``stem``), each
    punctuation character is its own token, whitespace and stray
    marks/invisible characters are dropped.
    """
    return _TOKEN_RE.findall(text)


def word_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` character offsets of the word and number tokens.

    Same segmentation as :func:`tokenize`, minus punctuation, so
    ``text[start:end]`` gives back each word exactly as written.
    """
    return [m.span() for m in _WORD_RE.finditer(text)]


# ---------------------------------------------------------------------------
# Sentences
# ---------------------------------------------------------------------------

_LINE_RE = re.compile("[^\n\r\u2028\u2029\x85]+")
# Quotes whose opening and closing marks differ can be paired reliably; a
# sentence boundary inside such a pair (on the same line) is not a boundary.
_QUOTE_RE = re.compile("«[^«»]*»|\u201c[^\u201c\u201d]*\u201d")
# A terminator run plus the closing quotes/brackets that belong to it.
_TERMINATOR_RE = re.compile("([.!?\u061f\u06d4\u203c\u2047-\u2049]+)([»\u201d\u2019\"')\\]]*)")
_ARABIC_LETTER_RE = re.compile(f"[{_AR}]")
_MARK_RE = re.compile(f"[{_MARKS}]")
# Latin abbreviations that are followed by a capitalised name, not a new
# sentence. Single letters (U.S., J. Smith, د. محمد, ق.م) are handled apart.
_ABBREVIATIONS = frozenset(
    {"mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs", "gen", "col", "lt",
     "sgt", "capt", "gov", "sen", "rep", "rev", "fig", "no", "vol", "pp", "approx"}
)


def _word_before(text: str, end: int, floor: int, limit: int = 8) -> str:
    """The run of letters/marks ending at ``end`` (at most ``limit`` chars).

    Only short words matter (abbreviations), so the walk stops early.
    """
    start = end
    while start > floor and end - start < limit and (
        text[start - 1].isalpha() or _is_mark(text[start - 1])
    ):
        start -= 1
    return text[start:end]


def _is_mark(char: str) -> bool:
    return _MARK_RE.match(char) is not None


def _inside_quote(quotes: list[tuple[int, int]], starts: list[int], pos: int) -> int | None:
    """End of the quote pair containing ``pos``, if any (pairs are sorted)."""
    i = bisect_right(starts, pos) - 1
    if i >= 0 and quotes[i][0] < pos < quotes[i][1]:
        return quotes[i][1]
    return None


def _is_boundary(text: str, m: re.Match[str], sentence_start: int, line_end: int,
                 quotes: list[tuple[int, int]], starts: list[int]) -> bool:
    """Decide whether the terminator match ``m`` ends a sentence."""
    term, closers = m.group(1), m.group(2)
    after = m.end()
    nxt = text[after] if after < line_end else ""
    # Glued to the next character with no closing quote: 3.5, example.com,
    # U.S.A, page?id=1 are not boundaries. Arabic letters are the exception:
    # scraped Arabic often loses the space after a period (انتهى.وقال).
    if not closers and nxt and not nxt.isspace() and not _ARABIC_LETTER_RE.match(nxt):
        return False
    if set(term) == {"."}:
        if len(term) > 1:  # "..." is a pause far more often than an ending
            return False
        # A list number ("1. مقدمة") is not a sentence of its own.
        if text[sentence_start:m.start()].strip().isdigit():
            return False
        word = _word_before(text, m.start(), sentence_start)
        # Single-letter "words" before a period are initials/abbreviations
        # (U.S., J. Smith, د. محمد, ق.م): Arabic has no one-letter words
        # standing alone, its one-letter particles are attached clitics.
        if sum(c.isalpha() for c in word) == 1 or word.lower() in _ABBREVIATIONS:
            return False
    # Inside a «...» pair only a terminator whose closers reach the closing
    # quote ends the sentence (and the split comes after the »).
    quote_end = _inside_quote(quotes, starts, m.start())
    return quote_end is None or after >= quote_end


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of sentences, trimmed of surrounding space.

    Splits after . ! ? ؟ (with any closing quotes/brackets that follow) and
    at every line break. Not a boundary: a dot inside a number (3.5), a dot
    glued to a following Latin letter or digit (example.com), a dot after a
    single letter or a common Latin abbreviation (U.S., د. محمد, Mr.), a
    list number ("1. مقدمة"), an ellipsis, or a terminator inside a «...» / “...” quote on the same line
    unless it is the last thing before the closing quote.
    """
    spans: list[tuple[int, int]] = []

    def emit(start: int, end: int) -> None:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            spans.append((start, end))

    for line in _LINE_RE.finditer(text):
        line_start, line_end = line.span()
        quotes = [q.span() for q in _QUOTE_RE.finditer(text, line_start, line_end)]
        starts = [q_start for q_start, _ in quotes]
        start = line_start
        for m in _TERMINATOR_RE.finditer(text, line_start, line_end):
            if _is_boundary(text, m, start, line_end, quotes, starts):
                emit(start, m.end())
                start = m.end()
        emit(start, line_end)
    return spans


def sentences(text: str) -> list[str]:
    """Sentences of ``text`` as strings (see :func:`sentence_spans`)."""
    return [text[start:end] for start, end in sentence_spans(text)]


# ---------------------------------------------------------------------------
# Script detection
# ---------------------------------------------------------------------------


def _letters(pattern: re.Pattern[str], text: str) -> int:
    # Count without a Python loop: the length lost by deleting the matches.
    return len(text) - len(pattern.sub("", text))


def arabic_ratio(text: str) -> float:
    """Share of the letters in ``text`` that are Arabic-script (0.0 if none).

    Digits, punctuation, marks and tatweel are not letters and do not count.
    """
    total = _letters(_ANY_LETTERS_RE, text)
    if not total:
        return 0.0
    return _letters(_ARABIC_LETTERS_RE, text) / total


def is_arabic(text: str, threshold: float = 0.5) -> bool:
    """True when at least ``threshold`` of the letters are Arabic-script."""
    return arabic_ratio(text) >= threshold
