"""Arabic text handling: normalization, tokenization, light stemming.

Display text goes through :func:`normalize_display` (cleanup only); anything
used for matching, search or hashing goes through :func:`normalize_key` or,
per word, :func:`light_stem`. Keys and stems are never shown to users.
"""
from rasd.arabic.normalize import normalize_display, normalize_key
from rasd.arabic.stem import light_stem, stem_tokens
from rasd.arabic.tokenize import (
    arabic_ratio,
    is_arabic,
    sentence_spans,
    sentences,
    tokenize,
    word_spans,
)

__all__ = [
    "arabic_ratio",
    "is_arabic",
    "light_stem",
    "normalize_display",
    "normalize_key",
    "sentence_spans",
    "sentences",
    "stem_tokens",
    "tokenize",
    "word_spans",
]
