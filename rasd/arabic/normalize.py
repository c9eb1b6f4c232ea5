"""Arabic text normalization: one small pure function per rule.

Two composites sit on top of the rules:

* :func:`normalize_display` is safe for stored body text. It only cleans up
  invisible characters and whitespace (and applies Unicode NFC, which never
  changes how text looks). Letters, digits and punctuation are left alone, so
  the text reads exactly as the outlet published it.
* :func:`normalize_key` folds aggressively for matching, search and hash keys:
  no diacritics or tatweel, one alef, ي for ى, ه for ة, ASCII digits and
  punctuation, lowercase Latin, single spaces. Its output is for comparing,
  never for showing.

Mapping tables are plain data (dicts of character -> replacement) so they can
be read, tested and extended without touching code. Every rule is applied
with C-level string operations (``str.replace``, ``str.translate``, compiled
regexes), never a per-character Python loop: keys are computed over whole
corpora.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from functools import lru_cache

__all__ = [
    "ALEF_VARIANTS",
    "ARABIC_DIGITS",
    "ARABIC_LETTER_CLASS",
    "ARABIC_MARK_CLASS",
    "DIACRITIC_CLASS",
    "INVISIBLE_CLASS",
    "PERSIAN_LETTERS",
    "PUNCTUATION_TO_ASCII",
    "TATWEEL",
    "fold_presentation_forms",
    "normalize_alef",
    "normalize_alef_maqsura",
    "normalize_digits",
    "normalize_display",
    "normalize_key",
    "normalize_persian_letters",
    "normalize_punctuation",
    "normalize_teh_marbuta",
    "normalize_whitespace",
    "strip_diacritics",
    "strip_invisible",
    "strip_tatweel",
]

# ---------------------------------------------------------------------------
# Character classes (regex class bodies, shared with tokenize.py)
# ---------------------------------------------------------------------------

#: Diacritics: Quranic honorifics and signs (U+0610-061A), harakat, tanween,
#: shadda, sukun and the other combining marks of the Arabic block
#: (U+064B-065F), superscript (dagger) alef U+0670, Quranic annotation marks
#: (U+06D6-06DC, 06DF-06E4, 06E7-06E8, 06EA-06ED) and the Extended-A marks
#: (U+08CA-08E1, 08E3-08FF). The small waw/yeh (U+06E5/06E6) are letters, and
#: the end-of-ayah/rub-el-hizb/sajdah signs are symbols, so they are kept.
DIACRITIC_CLASS = (
    "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4"
    "\u06e7\u06e8\u06ea-\u06ed\u08ca-\u08e1\u08e3-\u08ff"
)

#: Tatweel (kashida): a stretching character with no linguistic content.
TATWEEL = "\u0640"

#: Characters that may appear inside an Arabic word without being letters:
#: diacritics, tatweel and the zero-width (non-)joiners used in Persian/Urdu.
ARABIC_MARK_CLASS = DIACRITIC_CLASS + TATWEEL + "\u200c\u200d"

# Arabic presentation forms A and B (letters and ligatures only): what PDF
# extraction and old encodings produce instead of plain letters.
_PRESENTATION_CLASS = (
    "\ufb50-\ufbb1\ufbd3-\ufd3d\ufd50-\ufd8f\ufd92-\ufdc7\ufdf0-\ufdfb\ufe70-\ufe74\ufe76-\ufefc"
)

#: Arabic-script letters (Arabic, Supplement, Extended-A, presentation forms).
ARABIC_LETTER_CLASS = (
    "\u0620-\u063f\u0641-\u064a\u066e\u066f\u0671-\u06d3\u06d5\u06e5\u06e6"
    "\u06ee\u06ef\u06fa-\u06fc\u06ff\u0750-\u077f\u08a0-\u08c8" + _PRESENTATION_CLASS
)

#: Invisible formatting characters that scraped pages are full of: soft
#: hyphen, Arabic letter mark (U+061C), zero-width space/non-joiner/joiner,
#: LRM/RLM (U+200B-200F), bidi embeddings and isolates (U+202A-202E,
#: U+2066-2069), word joiner and invisible operators (U+2060-2064), BOM.
INVISIBLE_CLASS = "\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"

# Same minus ZWNJ/ZWJ, which change how letters join: Persian/Urdu words and
# emoji sequences (👨‍👩‍👧) render differently without them.
_INVISIBLE_KEEP_JOINERS_CLASS = INVISIBLE_CLASS.replace("\u200b-\u200f", "\u200b\u200e\u200f")
assert _INVISIBLE_KEEP_JOINERS_CLASS != INVISIBLE_CLASS

# ---------------------------------------------------------------------------
# Mapping tables (data)
# ---------------------------------------------------------------------------

#: Hamzated, madda and wasla alefs fold to bare alef: writers (and OCR, and
#: search users) drop or swap hamzas freely, so إسطنبول/اسطنبول must match.
ALEF_VARIANTS: Mapping[str, str] = {
    "\u0622": "\u0627",  # آ alef with madda above
    "\u0623": "\u0627",  # أ alef with hamza above
    "\u0625": "\u0627",  # إ alef with hamza below
    "\u0671": "\u0627",  # ٱ alef wasla
    "\u0672": "\u0627",  # ٲ alef with wavy hamza above
    "\u0673": "\u0627",  # ٳ alef with wavy hamza below
}

#: Alef maqsura is written for final yeh in Egyptian usage and vice versa.
ALEF_MAQSURA: Mapping[str, str] = {"\u0649": "\u064a"}  # ى -> ي

#: Teh marbuta is often typed as heh (and the two look alike at word end).
#: Folding ة -> ه is lossy (it merges e.g. gender marking), so it is for keys
#: only, never for stored or displayed text.
TEH_MARBUTA: Mapping[str, str] = {"\u0629": "\u0647"}  # ة -> ه

#: Persian-keyboard letters that stand in for Arabic ones in Arabic text.
PERSIAN_LETTERS: Mapping[str, str] = {
    "\u06cc": "\u064a",  # ی farsi yeh -> ي
    "\u06a9": "\u0643",  # ک keheh -> ك
    "\u06c0": "\u0647",  # ۀ heh with yeh above -> ه
    "\u06c1": "\u0647",  # ہ heh goal -> ه
    "\u06d5": "\u0647",  # ە ae -> ه
}

#: Arabic-Indic (٠-٩) and Extended/Persian (۰-۹) digits to ASCII, plus the
#: Arabic decimal (٫) and thousands (٬) separators, so ٢٠٢٥ and 2025 match.
ARABIC_DIGITS: Mapping[str, str] = {
    **{chr(0x0660 + i): str(i) for i in range(10)},
    **{chr(0x06F0 + i): str(i) for i in range(10)},
    "\u066b": ".",  # ٫ decimal separator
    "\u066c": ",",  # ٬ thousands separator
}

#: Arabic and typographic punctuation to ASCII. Display text keeps ، ؛ ؟ « »;
#: this is for keys, where "؟" and "?" should not make two keys differ.
PUNCTUATION_TO_ASCII: Mapping[str, str] = {
    "\u060c": ",",  # ، Arabic comma
    "\u061b": ";",  # ؛ Arabic semicolon
    "\u061f": "?",  # ؟ Arabic question mark
    "\u066a": "%",  # ٪ Arabic percent sign
    "\u066d": "*",  # ٭ Arabic five-pointed star
    "\u06d4": ".",  # ۔ Arabic full stop (Urdu)
    "\u00ab": '"',  # «
    "\u00bb": '"',  # »
    "\u201c": '"',  # “
    "\u201d": '"',  # ”
    "\u201e": '"',  # „
    "\u2033": '"',  # ″
    "\u2018": "'",  # ‘
    "\u2019": "'",  # ’
    "\u201a": "'",  # ‚
    "\u2032": "'",  # ′
    "\u2010": "-",  # ‐ hyphen
    "\u2011": "-",  # ‑ non-breaking hyphen
    "\u2012": "-",  # ‒ figure dash
    "\u2013": "-",  # – en dash
    "\u2014": "-",  # — em dash
    "\u2015": "-",  # ― horizontal bar
    "\u2212": "-",  # − minus sign
    "\u2026": "...",  # … ellipsis
    "\ufd3e": "(",  # ﴾ ornate left parenthesis
    "\ufd3f": ")",  # ﴿ ornate right parenthesis
}

# ---------------------------------------------------------------------------
# Compiled machinery (built once at import)
# ---------------------------------------------------------------------------

#: Every character ``str.isspace()`` accepts (what ``str.split()`` splits on)
#: except the plain space: tabs, newlines, NBSP, thin/figure spaces, U+2028...
_WHITESPACE: tuple[str, ...] = tuple(
    c for c in map(chr, range(0x3001)) if c.isspace() and c != " "
)
# Display text keeps line structure: CR, CRLF, NEL, VT, FF and the Unicode
# line/paragraph separators become "\n", the rest (_HSPACE) become spaces.
_LINE_BREAKS: tuple[tuple[str, str], ...] = (
    ("\r\n", "\n"), ("\r", "\n"), ("\u2028", "\n"), ("\u2029", "\n"),
    ("\x85", "\n"), ("\x0b", "\n"), ("\x0c", "\n"),
)
_HSPACE: tuple[str, ...] = tuple(
    c for c in _WHITESPACE if c not in "\n\r\u2028\u2029\x85\x0b\x0c"
)

_DIACRITICS_RE = re.compile(f"[{DIACRITIC_CLASS}]+")
_INVISIBLE_RE = re.compile(f"[{INVISIBLE_CLASS}]+")
_INVISIBLE_KEEP_JOINERS_RE = re.compile(f"[{_INVISIBLE_KEEP_JOINERS_CLASS}]+")
_PRESENTATION_RE = re.compile(f"[{_PRESENTATION_CLASS}]+")
# Everything normalize_key deletes, in one regex pass.
_KEY_DELETE_RE = re.compile(f"[{DIACRITIC_CLASS}{TATWEEL}{INVISIBLE_CLASS}]+")

_MULTI_SPACE_RE = re.compile(" {2,}")
_BLANK_LINES_RE = re.compile("\n{3,}")

# Decomposed hamza letters (و/ي + U+0654 hamza above) must be composed
# before the hamza mark is deleted as a diacritic; alef + hamza/madda
# needs nothing, since every alef folds to ا anyway.
_COMPOSE_HAMZA: tuple[tuple[str, str], ...] = (
    ("\u0648\u0654", "\u0624"),  # و + ٔ -> ؤ
    ("\u064a\u0654", "\u0626"),  # ي + ٔ -> ئ
    ("\u0649\u0654", "\u0626"),  # ى + ٔ -> ئ (not canonical, looks the same)
)

# Below this length one translate() call beats a chain of replace() calls.
_SHORT = 64


def _class_chars(body: str) -> list[str]:
    """Expand a regex class body (ranges like ``a-z`` and single chars) to its chars."""
    chars: list[str] = []
    for lo, hi, single in re.findall("(.)-(.)|(.)", body, re.S):
        if single:
            chars.append(single)
        else:
            chars.extend(chr(c) for c in range(ord(lo), ord(hi) + 1))
    return chars


def _replacer(mapping: Mapping[str, str]) -> Callable[[str], str]:
    """Build a fast ``text -> text`` function applying a char mapping.

    ``str.translate`` with a dict runs at only ~20-30 MB/s on non-Latin text
    (a dict lookup per character). A chain of ``str.replace`` calls, each a
    C-level scan that returns the string untouched when its char is absent,
    runs at hundreds of MB/s for tables this size. Short strings, where call
    overhead dominates, use one ``translate``; both give identical results.
    """
    items = tuple(mapping.items())
    table = str.maketrans(dict(mapping))

    def apply(text: str) -> str:
        if len(text) < _SHORT:
            return text.translate(table)
        for src, dst in items:
            text = text.replace(src, dst)
        return text

    return apply


_fold_alef = _replacer(ALEF_VARIANTS)
_fold_maqsura = _replacer(ALEF_MAQSURA)
_fold_teh_marbuta = _replacer(TEH_MARBUTA)
_fold_persian = _replacer(PERSIAN_LETTERS)
_fold_digits = _replacer(ARABIC_DIGITS)
_fold_punctuation = _replacer(PUNCTUATION_TO_ASCII)

# normalize_key applies all letter/digit/punctuation tables in one chain.
_KEY_FOLD_MAPPING: dict[str, str] = {
    **ALEF_VARIANTS,
    **ALEF_MAQSURA,
    **TEH_MARBUTA,
    **PERSIAN_LETTERS,
    **ARABIC_DIGITS,
    **PUNCTUATION_TO_ASCII,
}
_fold_key_chars = _replacer(_KEY_FOLD_MAPPING)

# Short-string path of normalize_key: every deletion and folding in a single
# translate call.
_KEY_SHORT_TABLE: dict[int, str | None] = {
    **{ord(c): None for c in _class_chars(DIACRITIC_CLASS + TATWEEL + INVISIBLE_CLASS)},
    **str.maketrans(_KEY_FOLD_MAPPING),
}


@lru_cache(maxsize=1 << 15)
def _short_key(text: str) -> str:
    """normalize_key for short strings (words, names, titles), memoized.

    translate() costs ~50 ns a character on Arabic text; news vocabulary is
    Zipfian, so most words hit the cache instead.
    """
    for src, dst in _COMPOSE_HAMZA:
        text = text.replace(src, dst)
    text = unicodedata.normalize("NFC", text)
    return " ".join(text.translate(_KEY_SHORT_TABLE).lower().split())


_INVISIBLE_KEEP_JOINERS_CHARS = tuple(_class_chars(_INVISIBLE_KEEP_JOINERS_CLASS))


def _collapse_spaces(text: str) -> str:
    """Turn every whitespace run into one space and strip the ends."""
    if len(text) < _SHORT:
        return " ".join(text.split())
    # str.split() allocates a string per word; replace() chains do not.
    for c in _WHITESPACE:
        text = text.replace(c, " ")
    if "  " in text:
        text = _MULTI_SPACE_RE.sub(" ", text)
    return text.strip(" ")


def _collapse_keep_newlines(text: str) -> str:
    """Collapse horizontal whitespace, trim lines, allow one blank line."""
    for src, dst in _LINE_BREAKS:
        text = text.replace(src, dst)
    for c in _HSPACE:
        text = text.replace(c, " ")
    if "  " in text:
        text = _MULTI_SPACE_RE.sub(" ", text)
    text = text.replace(" \n", "\n").replace("\n ", "\n")
    if "\n\n\n" in text:
        text = _BLANK_LINES_RE.sub("\n\n", text)
    return text.strip(" \n")


def _nfc(text: str) -> str:
    """Unicode NFC, paying for it only on the lines that need it.

    Full NFC runs at ~30 MB/s, but the quick check runs at ~1 GB/s and few
    lines of news text fail it (mostly shadda typed before the fatha). NFC
    never composes across a newline, so line-by-line gives the same result.
    """
    if unicodedata.is_normalized("NFC", text):
        return text
    if len(text) < 4096:
        return unicodedata.normalize("NFC", text)
    return "\n".join(
        line if unicodedata.is_normalized("NFC", line) else unicodedata.normalize("NFC", line)
        for line in text.split("\n")
    )


# ---------------------------------------------------------------------------
# Rules
# ---------------------------------------------------------------------------


def strip_diacritics(text: str) -> str:
    """Remove harakat, tanween, shadda, sukun, dagger alef and Quranic marks.

    News text is mostly unvocalized; the occasional shadda or tanween (أيضاً)
    would otherwise make the same word look different.
    """
    return _DIACRITICS_RE.sub("", text)


def strip_tatweel(text: str) -> str:
    """Remove tatweel (ـ), the decorative stretch in e.g. بـــوتين."""
    return text.replace(TATWEEL, "")


def strip_invisible(text: str, *, keep_joiners: bool = False) -> str:
    """Remove zero-width and bidi control characters (see INVISIBLE_CLASS).

    With ``keep_joiners`` ZWNJ/ZWJ survive, because they change how Persian
    and Urdu letters and emoji sequences render.
    """
    pattern = _INVISIBLE_KEEP_JOINERS_RE if keep_joiners else _INVISIBLE_RE
    return pattern.sub("", text)


def normalize_alef(text: str) -> str:
    """Fold أ إ آ ٱ (and the rare wavy-hamza alefs) to bare ا."""
    return _fold_alef(text)


def normalize_alef_maqsura(text: str) -> str:
    """Fold alef maqsura ى to yeh ي (مستشفى / مستشفي are the same word)."""
    return _fold_maqsura(text)


def normalize_teh_marbuta(text: str) -> str:
    """Fold teh marbuta ة to heh ه. Lossy: for KEYS only, never display."""
    return _fold_teh_marbuta(text)


def normalize_persian_letters(text: str) -> str:
    """Fold Persian-keyboard ی ک ۀ to Arabic ي ك ه (text typed on fa layouts)."""
    return _fold_persian(text)


def normalize_digits(text: str) -> str:
    """Map ٠-٩ and ۰-۹ to 0-9, and the ٫ ٬ separators to ``.`` and ``,``."""
    return _fold_digits(text)


def normalize_punctuation(text: str) -> str:
    """Map Arabic/typographic punctuation (، ؛ ؟ « » “ ” – …) to ASCII.

    For keys only: display text keeps the outlet's punctuation.
    """
    return _fold_punctuation(text)


def fold_presentation_forms(text: str) -> str:
    """NFKC-fold Arabic presentation forms (ﻻ ﺍﻟﺴﻼﻡ, from PDFs) to letters.

    Only presentation-form runs are touched: NFKC over the whole text would
    also rewrite ² … or full-width Latin, and is slow.
    """
    if not _PRESENTATION_RE.search(text):
        return text
    return _PRESENTATION_RE.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def normalize_whitespace(text: str, *, keep_newlines: bool = False) -> str:
    """Drop invisible characters and collapse whitespace.

    By default every run of whitespace (spaces, tabs, newlines, NBSP, thin
    spaces, ...) becomes one space and the ends are stripped: the form keys
    want. With ``keep_newlines`` line structure survives: CR/CRLF and
    U+2028/2029 become ``\n``, horizontal runs become one space, lines are
    trimmed and runs of blank lines shrink to one blank line.
    """
    text = _INVISIBLE_RE.sub("", text)
    if keep_newlines:
        return _collapse_keep_newlines(text)
    return _collapse_spaces(text)


# ---------------------------------------------------------------------------
# Composites
# ---------------------------------------------------------------------------


def normalize_display(text: str) -> str:
    """Clean text for storage/display without changing what it says.

    NFC composition (canonically equivalent: renders identically), removal
    of zero-width/bidi junk (keeping ZWNJ/ZWJ), whitespace collapse that
    keeps paragraph breaks. Letters, digits, diacritics, tatweel and
    punctuation are untouched.
    """
    text = _nfc(text)
    for c in _INVISIBLE_KEEP_JOINERS_CHARS:
        text = text.replace(c, "")
    return _collapse_keep_newlines(text)


def normalize_key(text: str) -> str:
    """Fold text aggressively into a matching/search/hash key.

    NFC, presentation forms -> letters, no diacritics/tatweel/invisibles,
    alef variants -> ا, ى -> ي, ة -> ه, Persian ی ک -> ي ك, ASCII digits and
    punctuation, lowercase, single spaces, stripped. Idempotent. Never show
    the result to users: it is lossy by design.
    """
    # NFKC-normal text has no presentation forms, and the quick check runs
    # at ~1 GB/s, so most texts skip the regex scan.
    if not unicodedata.is_normalized("NFKC", text):
        text = fold_presentation_forms(text)
    if len(text) < _SHORT:
        return _short_key(text)
    for src, dst in _COMPOSE_HAMZA:
        text = text.replace(src, dst)
    text = _KEY_DELETE_RE.sub("", text)
    # After the Arabic marks are gone NFC rarely has work left (Latin accents).
    text = _nfc(text)
    text = _fold_key_chars(text)
    return _collapse_spaces(text.lower())
