"""Query text -> folded term groups -> a full-text match expression.

Syntax: words are ANDed; "a quoted phrase" (or «…») must appear as written
(words in order, each folded); nothing else is an operator, so any text a
user pastes is a valid query. Every word matches its clitic variants
(:func:`rasd.search.fold.word_variants`).

Entity-aware: a run of up to :data:`MAX_ALIAS_WORDS` unquoted words that is
an alias of a stored entity (``ترمب``, ``دونالد ترامب``, ``وترمب``) becomes
one group (a phrase) that also matches the entity's other *spellings* of
that name: ترمب finds ترامب, دونالد ترمب finds دونالد ترامب, بوتين finds
بوتن, عبدالعزيز finds عبد العزيز. A spelling is an alias that differs only by
long vowels (ا و ي) left out or by the spaces (:func:`is_spelling_of`). Other
aliases are not added: on real corpora the alias table also holds partial
names shared by many people (سلمان, بن سلمان, عبدالعزيز as an alias of King
Salman) and the odd wrong link, which would flood the results. The lookup
is a callable, so every backend can answer it from its own tables.

A group is a tuple of alternative *phrases* (tuples of folded words); the
same groups drive the match expression and the snippet highlighting.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from rasd.arabic.normalize import normalize_key
from rasd.arabic.stem import prefix_candidates
from rasd.search.fold import WORD_RE, fold_tokens, fold_word, word_variants

__all__ = ["MAX_QUERY_WORDS", "ParsedQuery", "TermGroup", "is_spelling_of", "parse_query"]

MAX_QUERY_WORDS = 32  # more than a pasted headline; longer text is refused, not silently cut
MAX_QUERY_CHARS = 1000
MAX_ALIAS_WORDS = 4  # longest entity alias looked up ("دونالد جون ترامب")
MIN_ALIAS_CHARS = 3  # shorter aliases ("UN", "إس") would match unrelated words

Phrase = tuple[str, ...]
#: alias key (normalize_key of a span) -> the aliases of the entity it names
AliasLookup = Callable[[list[str]], Mapping[str, Iterable[str]]]
_LONG_VOWELS = frozenset("\u0627\u0648\u064a")  # ا و ي (after folding: أ إ آ ى are ا ي)
MIN_SPELLING_CHARS = 3  # shorter words have too few letters left to tell two names apart

_PHRASE_RE = re.compile(r'"([^"]*)"|«([^»]*)»|([^"«»]+)')


@dataclass(frozen=True)
class TermGroup:
    """One query word, quoted phrase or entity name: it matches when any alternative occurs."""

    text: str  # as typed
    phrases: tuple[Phrase, ...]  # alternatives, each a sequence of folded words
    entity: bool = False  # expanded from an entity alias


@dataclass
class ParsedQuery:
    groups: list[TermGroup] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.groups

    def fts_match(self, any_group: bool = False) -> str:
        """SQLite FTS5 expression: groups ANDed (ORed with `any_group`), alternatives ORed,
        each alternative a quoted phrase."""
        return (" OR " if any_group else " AND ").join(
            "(" + " OR ".join('"' + " ".join(p).replace('"', '""') + '"' for p in g.phrases) + ")"
            for g in self.groups
        )

    def keep(self, wanted: Callable[[Phrase], bool]) -> ParsedQuery:
        """The query with only the alternatives `wanted` accepts (a group may end up empty)."""
        return ParsedQuery([TermGroup(g.text, tuple(p for p in g.phrases if wanted(p)), g.entity) for g in self.groups])

    def phrases(self) -> list[Phrase]:
        """Every alternative of every group (what the snippet highlights)."""
        return [p for g in self.groups for p in g.phrases]


def _prune(phrases: Iterable[Phrase]) -> tuple[Phrase, ...]:
    """Drop duplicates and any phrase containing a shorter alternative (it can add no match)."""
    unique = sorted(dict.fromkeys(p for p in phrases if p), key=len)
    kept: list[Phrase] = []
    for p in unique:
        if not any(_contains(p, q) for q in kept):
            kept.append(p)
    return tuple(kept)


def _contains(longer: Phrase, shorter: Phrase) -> bool:
    n = len(shorter)
    return any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))


def _phrase_alternatives(words: list[str]) -> list[Phrase]:
    """A run of words as typed -> phrases: the first word with its clitic variants, the rest folded."""
    rest = tuple(f for f in (fold_word(w) for w in words[1:]) if f)
    return [(v, *rest) for v in word_variants(words[0])] if words else []


def _vowel_variant(a: str, b: str) -> bool:
    """True when the folded words are equal, or one is the other with long vowels left out."""
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    if len(short) < MIN_SPELLING_CHARS or not short[0] >= "\u0621":  # Arabic words only
        return False
    rest = iter(long_)
    for ch in short:
        for c in rest:  # skip vowels of the longer word until the next letter of the shorter one
            if c == ch:
                break
            if c not in _LONG_VOWELS:
                return False
        else:
            return False
    return all(c in _LONG_VOWELS for c in rest)


def is_spelling_of(alias: str, words: list[str]) -> bool:
    """True when `alias` spells the same name as `words` (as typed): word by word equal up to
    long vowels (ترمب/ترامب, دونالد ترمب/دونالد ترامب), or equal once spaces are removed
    (عبد العزيز/عبدالعزيز)."""
    if normalize_key(alias).replace(" ", "") == normalize_key("".join(words)):
        return True
    target = [fold_word(w) for w in words]
    candidate = fold_tokens(alias)
    return len(target) == len(candidate) and all(map(_vowel_variant, target, candidate))


def _alias_phrases(alias: str) -> list[Phrase]:
    words = WORD_RE.findall(alias)
    if len("".join(fold_tokens(alias))) < MIN_ALIAS_CHARS:
        return []
    return _phrase_alternatives(words)


def _span_keys(words: list[str]) -> list[str]:
    """Alias keys a run of words may stand for: as written, and without the first word's clitics."""
    rest = " ".join(words[1:])
    keys = [normalize_key(" ".join(words))]
    for head in prefix_candidates(words[0])[1:]:
        keys.append(normalize_key(f"{head} {rest}".strip()))
    return list(dict.fromkeys(k for k in keys if len(k) >= MIN_ALIAS_CHARS))


def _word_groups(words: list[str], lookup: AliasLookup | None) -> list[TermGroup]:
    """Unquoted words -> groups, the longest entity aliases first (left to right)."""
    spans: dict[tuple[int, int], list[str]] = {}
    if lookup is not None:
        for i in range(len(words)):
            for n in range(1, min(MAX_ALIAS_WORDS, len(words) - i) + 1):
                spans[(i, i + n)] = _span_keys(words[i : i + n])
        found = lookup(sorted({k for keys in spans.values() for k in keys}))
    else:
        found = {}
    groups: list[TermGroup] = []
    i = 0
    while i < len(words):
        for n in range(min(MAX_ALIAS_WORDS, len(words) - i), 0, -1):
            aliases = next((found[k] for k in spans.get((i, i + n), ()) if k in found), None)
            if aliases is None:
                continue
            span = words[i : i + n]
            phrases = _phrase_alternatives(span)
            for alias in aliases:
                if is_spelling_of(alias, span):
                    phrases.extend(_alias_phrases(alias))
            groups.append(TermGroup(" ".join(words[i : i + n]), _prune(phrases), entity=True))
            i += n
            break
        else:
            phrases = _prune((v,) for v in word_variants(words[i]))
            if phrases:
                groups.append(TermGroup(words[i], phrases))
            i += 1
    return groups


def parse_query(text: str, lookup: AliasLookup | None = None) -> ParsedQuery:
    """Parse a user query; `lookup(keys)` maps alias keys to spellings (None: no entity expansion).

    Raises ValueError for a query longer than MAX_QUERY_CHARS or MAX_QUERY_WORDS words.
    """
    text = (text or "").strip()
    if len(text) > MAX_QUERY_CHARS:
        raise ValueError(f"query is too long ({len(text)} characters; at most {MAX_QUERY_CHARS})")
    parts: list[tuple[bool, list[str]]] = []  # (quoted, words as typed)
    for m in _PHRASE_RE.finditer(text):
        quoted = m.group(3) is None
        chunk = m.group(1) if m.group(1) is not None else m.group(2) if m.group(2) is not None else m.group(3)
        words = [w for w in WORD_RE.findall(chunk) if fold_word(w)]
        if words:
            parts.append((quoted, words))
    n_words = sum(len(w) for _, w in parts)
    if n_words > MAX_QUERY_WORDS:
        raise ValueError(f"query has too many words ({n_words}; at most {MAX_QUERY_WORDS})")
    groups: list[TermGroup] = []
    for quoted, words in parts:
        if quoted:
            groups.append(TermGroup(" ".join(words), _prune(_phrase_alternatives(words))))
        else:
            groups.extend(_word_groups(words, lookup))
    return ParsedQuery(groups)
