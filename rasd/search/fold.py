"""Arabic folding for search: one function at index time and at query time.

A word is folded in two steps:

1. :func:`rasd.arabic.normalize_key`: no diacritics or tatweel, one alef
   (أ إ آ ٱ -> ا), ى -> ي, ة -> ه, Persian ی ک -> ي ك, Arabic-Indic digits
   -> 0-9, lowercase Latin.
2. For Arabic words, :func:`rasd.arabic.stem.strip_prefix_clitics`: the
   conjunction و, the article ال and the combinations وال، بال، فال، كال، لل،
   وبال… come off, and ب/ل/ك come off words long enough not to be names
   (باسطنبول -> اسطنبول, ومفاوضات/المفاوضات -> مفاوضات, but بوتين stays).
   Suffixes are kept: search matches words, not roots.

The index holds folded words only, so any two spellings that fold alike
match. Step 2 is conservative (بمصر keeps its ب, since short ب/ل-words are
often names), so the query side adds *variants*: for a query word it also
looks for the folded forms of the word with each clitic prefix in front
(:data:`QUERY_PREFIXES`), so "مصر" also finds "بمصر" and "لمصر", and "لبنان"
finds "للبنان". A variant the stemmer protects as a whole word (لجنة is not
ل + جنة) is left out, and bare ف/ك are not tried (فكرة, كمال are words of
their own far more often than ف/ك + word).
"""
from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any

from rasd.arabic.normalize import normalize_key
from rasd.arabic.stem import KEEP_WHOLE, PROTECTED_STEMS, strip_prefix_clitics
from rasd.arabic.tokenize import _WORD_RE

__all__ = [
    "QUERY_PREFIXES",
    "fold_spans",
    "fold_text",
    "fold_tokens",
    "fold_word",
    "fold_words",
    "is_arabic_word",
    "prepare_search_text",
    "search_text",
    "word_offsets",
    "word_variants",
]

#: Clitic prefixes tried in front of a query word (key form). Bare ف and ك
#: are left out on purpose (see the module doc); و, ال and their
#: combinations are listed because a query word the stemmer shortened
#: (بورسعيد -> ورسعيد) must still meet "البورسعيد" and "وبورسعيد".
QUERY_PREFIXES: tuple[str, ...] = (
    "و", "ب", "ل", "وب", "ول", "فب", "فل",
    "ال", "وال", "فال", "بال", "كال", "لل", "ولل", "فلل", "وبال", "فبال", "وكال", "فكال",
)  # fmt: skip

MIN_VARIANT_STEM = 3  # two-letter words get no variants (ب + two letters is mostly another word)
_CACHE_LIMIT = 200_000  # entries per memo (~30 MB each; a news vocabulary with clitics is larger)

# The word pattern of rasd.arabic.tokenize.word_spans (numbers, Arabic words,
# other words), shared so the index and the highlighter cut words alike.
WORD_RE = _WORD_RE


def is_arabic_word(word: str) -> bool:
    return bool(word) and "\u0600" <= word[0] <= "\u06ff"


# Every clitic form strip_prefix_clitics removes starts with one of these
# letters (و ف ب ك ل, or ا of ال): other words are their own fold.
_CLITIC_INITIALS = tuple("\u0648\u0641\u0628\u0643\u0644\u0627")


class _FoldCache(dict):
    """key-normalised word -> folded word (memo, bounded): token streams repeat."""

    def __missing__(self, key: str) -> str:
        folded = strip_prefix_clitics(key) if key.startswith(_CLITIC_INITIALS) else key
        if len(self) >= _CACHE_LIMIT:
            self.clear()
        self[key] = folded
        return folded


_fold_key = _FoldCache().__getitem__


class _ChunkCache(dict):
    """Whitespace-free chunk of text as written -> its folded words joined by spaces (memo, bounded).

    Indexing is on the ingest path, so a text is split on whitespace and each
    chunk ("وقال", "المفاوضاتُ،", "2,000") is folded once and then looked up:
    news vocabulary is Zipfian. Per chunk gives the same words as over the whole
    text: no word spans whitespace, and every folding rule is character-local.
    """

    def __missing__(self, chunk: str) -> str:
        key = normalize_key(chunk)
        if key.isalpha():  # one plain word (most chunks): no need for the word regex
            folded = _fold_key(key)
        else:
            folded = " ".join(filter(None, map(_fold_key, WORD_RE.findall(key))))
        if len(self) >= _CACHE_LIMIT:
            self.clear()
        self[chunk] = folded
        return folded


_fold_chunk = _ChunkCache().__getitem__


def fold_word(word: str) -> str:
    """One word as written -> its search form ("" for a word with no letters or digits left)."""
    return _fold_chunk(word)


def fold_text(text: str | None) -> str:
    """Folded words joined by spaces: the text stored in the full-text index."""
    if not text:
        return ""
    return " ".join(filter(None, map(_fold_chunk, text.split())))


# Where prepare_search_text keeps an article's folded text (not a dataclass
# field: exports and equality ignore it, pickling to and from workers keeps it).
_PREPARED = "_search_text"


def prepare_search_text(articles: Iterable[Any]) -> None:
    """Fold the title and body of each article now and keep them on it for the store's index.

    Called in the extraction workers: folding is the larger half of indexing,
    and the process that writes the store is the ingest bottleneck.
    """
    for a in articles:
        a.__dict__[_PREPARED] = (a.title, a.body, fold_text(a.title), fold_text(a.body))


def search_text(article: Any) -> tuple[str, str]:
    """(folded title, folded body) of an article: prepared ones are reused if the text is unchanged."""
    prepared = article.__dict__.get(_PREPARED)
    if prepared is not None and prepared[0] == article.title and prepared[1] == article.body:
        return prepared[2], prepared[3]
    return fold_text(article.title), fold_text(article.body)


def fold_tokens(text: str) -> list[str]:
    """Folded words of a text, in order (what the index holds)."""
    return fold_text(text).split()


def fold_words(text: str) -> list[str]:
    """The folded form of every word of the ORIGINAL text, one per word as written (for highlighting)."""
    return list(map(_fold_chunk, WORD_RE.findall(text)))


def word_offsets(text: str, stop: int) -> list[tuple[int, int]]:
    """(start, end) of the first `stop` words of the text (the words of fold_words)."""
    return [m.span() for m in itertools.islice(WORD_RE.finditer(text), stop)]


def fold_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, folded word) for every word of the ORIGINAL text."""
    return [(m.start(), m.end(), _fold_chunk(m.group())) for m in WORD_RE.finditer(text)]


_ARTICLES = ("ال", "لل")


def _kept_whole(word: str) -> bool:
    """True when the stemmer reads `word` as one word, never as clitic + word (لجنه, بريطانيا)."""
    return word in KEEP_WHOLE or any(word[:k] in PROTECTED_STEMS for k in range(3, len(word) + 1))


def word_variants(word: str) -> list[str]:
    """Folded forms that count as `word` in a query: its own, then with clitics in front.

    `word` is as typed by the user; the first item is ``fold_word(word)``.
    Besides the folded word, the key itself is tried as a base when the
    stemmer took a preposition or conjunction off it, in case that letter was
    a root letter (بورسعيد folds to ورسعيد, yet لبورسعيد folds to بورسعيد).
    """
    key = normalize_key(word).replace(" ", "")
    folded = _fold_chunk(word)
    if not folded:
        return []
    found: dict[str, None] = {folded: None}
    if not is_arabic_word(folded) or len(folded) < MIN_VARIANT_STEM:
        return list(found)
    bases = [folded]
    if key != folded and not key.startswith(_ARTICLES):
        bases.append(key)
    for base in bases:
        for prefix in QUERY_PREFIXES:
            variant = _fold_key(prefix + base)
            # A protected whole word is another word (لجنه is not ل + جنه).
            if variant == folded or not _kept_whole(variant):
                found[variant] = None
    return list(found)
