"""Near-duplicate and copy detection: MinHash + LSH over word shingles.

An article copied from another (agency wire reprinted by several outlets,
syndication, the same press release, a republished item with a new headline
or a trimmed last paragraph) is a *near-duplicate*. :class:`NearDuplicateIndex`
finds them in a stream of :class:`~rasd.records.StoryDoc`:

* **Text → set.** The body is folded with :func:`normalize_key` (diacritics,
  hamza/alef, ة/ه, digits, punctuation) and split into words; the set is its
  word *k*-shingles, ``SHINGLE = 3`` consecutive words. Measured on
  SaudiNewsNet (``bench/dedup.py``, 31k articles): k = 3, 4, 5, 6, 8 recall
  the same share of the shared-prefix groups (93-95%), but k = 3 finds 26%
  more copy pairs than k = 5, and the pairs only k = 3 finds were, in a read
  sample of 30, all the same source text lightly edited (an agency dateline
  added, أمس/اليوم, ة/ه, a sentence dropped). Arabic words carry their
  clitics (و، ب، ال), so three Arabic words are about as specific as four or
  five English ones.
* **Hashing, in bulk.** :func:`word_hashes` hashes every word of the text in
  one numpy pass (a polynomial hash of code points read off prefix sums, no
  Python call per word), shingle hashes are combined from word hashes, and
  the MinHash signature is computed over the whole shingle array at once,
  exactly as datasketch's ``MinHash.update_batch`` would (scheme
  ``affine32``, fixed ``seed``; a test checks the equality). Nothing depends
  on Python's per-process ``hash()`` randomisation.
* **Candidates.** A datasketch ``MinHashLSH`` built for a threshold a little
  below ``threshold`` (``LSH_SLACK``), so pairs whose true Jaccard is just
  above the threshold are not lost to estimation noise.
* **Verification.** Every candidate is checked with the *real* Jaccard of
  the two shingle sets (sorted hash arrays, ``np.intersect1d``): LSH and
  MinHash false positives never get through.
* **Short texts** (fewer than ``MIN_WORDS`` words) are too short for
  shingles; they match only when their normalised text is identical. Under
  ``TINY_WORDS`` words the title must be identical too (scraped pages whose
  "body" is just the columnist's name are not copies of each other).
* **Groups.** A document that matches earlier ones joins the group of the
  earliest-rooted of them, and ``insert`` returns that group's first member
  (its *root*): if B copies A and C copies B, C → A even when C and A are
  not similar enough by themselves. A document that matches members of two
  groups bridges them: the later-rooted group is merged into the earlier one
  and ``on_merge(old_root, new_root)`` tells the caller, whose stored
  answers for the old group are then stale (``group_of`` gives the current
  root of any document still in the index).
* **Time window.** With ``window_days`` set, two documents more than that far
  apart (by ``published``) are never matched, and ``insert`` drops documents
  older than the newest date seen minus the window, so memory stays bounded
  on an endless stream. ``remove_older_than`` does the same on demand.

Measured on SaudiNewsNet (2 shared cores, see ``bench/dedup.py``): about
3,100 docs/s of CPU time for ``insert`` on 284-word articles.

Everything is deterministic: the same documents inserted in the same order
give the same answers in every process.
"""
from __future__ import annotations

import hashlib
import heapq
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

import numpy as np
from datasketch import MinHash, MinHashLSH

from rasd.arabic import normalize_key
from rasd.records import StoryDoc

__all__ = [
    "LSH_SLACK",
    "MIN_WORDS",
    "SHINGLE",
    "TINY_WORDS",
    "NearDuplicateIndex",
    "jaccard",
    "parse_time",
    "shingle_hashes",
    "text_words",
    "word_hashes",
]

#: Words per shingle (see the module doc for how it was chosen).
SHINGLE = 3
#: Below this many words a text is matched by its exact normalised form.
MIN_WORDS = 30
#: Below this many words the body alone says too little (scraped pages where
#: the "body" is just the author's name): the exact key is title + body.
TINY_WORDS = 8
#: The LSH index is tuned for ``threshold - LSH_SLACK`` so that true matches
#: just above the threshold survive MinHash estimation noise; the exact
#: Jaccard check removes the extra candidates.
LSH_SLACK = 0.1

_SCHEME = "affine32"
_DAY = 86400.0
# Word tokens of a normalize_key'd text: letters and digits (punctuation was
# already folded to ASCII, so \w never picks up Arabic punctuation).
_WORD_RE = re.compile(r"\w+")
# Odd 64-bit multipliers for the positions inside a shingle.
_POSITION_MULTIPLIERS = tuple(
    np.uint64(int.from_bytes(hashlib.blake2b(f"rasd-shingle-{i}".encode(), digest_size=8).digest(), "little") | 1)
    for i in range(16)
)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)
_LOW32 = np.uint64(0xFFFFFFFF)
# MurmurHash3 32-bit finalizer, as datasketch's affine32 scheme pre-mixes inputs.
_F16, _F13 = np.uint32(16), np.uint32(13)
_FM1, _FM2 = np.uint32(0x85EBCA6B), np.uint32(0xC2B2AE35)


def _build_word_table() -> np.ndarray:
    """Which BMP code points ``\\w`` matches (``str.isalnum()`` or ``_``)."""
    return np.fromiter((chr(c).isalnum() or c == 0x5F for c in range(0x10000)),
                       dtype=bool, count=0x10000)


_WORD_TABLE = _build_word_table()
# Polynomial hashing of code points mod 2^64: any odd base is invertible.
_BASE = np.uint64(0x9E3779B97F4A7C15)
_BASE_INV = np.uint64(pow(int(_BASE), -1, 1 << 64))
_powers = np.ones(1, dtype=np.uint64)
_inverse_powers = np.ones(1, dtype=np.uint64)


def _power_tables(n: int) -> tuple[np.ndarray, np.ndarray]:
    """BASE**i and BASE**-i (mod 2^64) for i <= n, grown on demand."""
    global _powers, _inverse_powers
    if len(_powers) <= n:
        m = max(n + 1, 2 * len(_powers), 1 << 14)
        with np.errstate(over="ignore"):
            _powers = np.cumprod(np.full(m, _BASE, dtype=np.uint64), dtype=np.uint64) * _BASE_INV
            _inverse_powers = np.cumprod(np.full(m, _BASE_INV, dtype=np.uint64), dtype=np.uint64) * _BASE
    return _powers, _inverse_powers


def word_hashes(key: str) -> np.ndarray:
    """64-bit hashes of the ``\\w+`` words of a normalize_key'd text, in order.

    Fully vectorised (no Python call per word): a word's hash is the
    polynomial hash of its code points, ``sum(c_j * BASE**(j - start))`` mod
    2^64, read off prefix sums, then mixed. The same word gets the same hash
    wherever it stands, in every process. Segmentation is exactly
    ``re.findall(r"\\w+", key)``.
    """
    cp = np.frombuffer(key.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    n = len(cp)
    if not n:
        return np.empty(0, dtype=np.uint64)
    word = np.zeros(n + 2, dtype=bool)
    bmp = cp < 0x10000
    word[1:-1] = _WORD_TABLE[np.where(bmp, cp, 0)]
    if not bmp.all():  # astral characters (emoji, rare scripts): ask Python
        for i in np.flatnonzero(~bmp):
            word[i + 1] = chr(int(cp[i])).isalnum()
    edges = np.diff(word.view(np.int8))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    powers, inverse = _power_tables(n)
    with np.errstate(over="ignore"):
        prefix = np.empty(n + 1, dtype=np.uint64)
        prefix[0] = 0
        np.cumsum(cp.astype(np.uint64) * powers[:n], out=prefix[1:])
        return _mix64((prefix[ends] - prefix[starts]) * inverse[starts])


def _mix64(h: np.ndarray) -> np.ndarray:
    """splitmix64 finalizer (a bijection on uint64; wraps on purpose)."""
    h = h ^ (h >> _S30)
    h = h * _M1
    h = h ^ (h >> _S27)
    h = h * _M2
    return h ^ (h >> _S31)


def text_words(text: str) -> list[str]:
    """The words of ``text`` in key form (normalize_key, punctuation dropped)."""
    return _WORD_RE.findall(normalize_key(text))


def _shingles(words: np.ndarray, k: int) -> np.ndarray:
    n = len(words) - k + 1
    if n <= 0:
        return np.empty(0, dtype=np.uint64)
    with np.errstate(over="ignore"):
        h = words[:n] * _POSITION_MULTIPLIERS[0]
        for i in range(1, k):
            h = h + words[i : i + n] * _POSITION_MULTIPLIERS[i]
        h = np.sort(_mix64(h))
    keep = np.empty(n, dtype=bool)  # np.unique, minus its overhead on small arrays
    keep[0] = True
    np.not_equal(h[1:], h[:-1], out=keep[1:])
    return h[keep]


def shingle_hashes(text: str, k: int = SHINGLE) -> np.ndarray:
    """Sorted unique 64-bit hashes of the word ``k``-shingles of ``text`` (key form)."""
    return _shingles(word_hashes(normalize_key(text)), k)


def _fmix32(h: np.ndarray) -> np.ndarray:
    h = h ^ (h >> _F16)
    h = h * _FM1
    h = h ^ (h >> _F13)
    h = h * _FM2
    return h ^ (h >> _F16)


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard of two sorted unique hash arrays."""
    if not len(a) and not len(b):
        return 1.0
    inter = len(np.intersect1d(a, b, assume_unique=True))
    return inter / (len(a) + len(b) - inter)


def parse_time(value: str | None) -> float | None:
    """ISO 8601 date/datetime (with or without offset) → POSIX seconds, UTC.

    Naive values are read as UTC. Returns None when missing or unreadable.
    """
    if not value:
        return None
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        try:
            when = datetime.fromisoformat(text[:10])
        except ValueError:
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.timestamp()


class _Group:
    """A near-duplicate group: its root (first member) and its live members."""

    __slots__ = ("root_id", "root_order", "members")

    def __init__(self, root_id: str, root_order: tuple) -> None:
        self.root_id = root_id
        self.root_order = root_order
        self.members: list[int] = []


@dataclass
class _Entry:
    key: int  # internal id (insertion counter): ints hash the same in every process
    article_id: str
    time: float | None  # published, POSIX seconds
    order: tuple  # what "earliest" means: (no date?, published, seq, insertion)
    group: _Group
    shingles: np.ndarray | None  # None for short texts
    short_key: str | None  # normalised text, for short texts


class NearDuplicateIndex:
    """Streaming near-duplicate index (see the module doc).

    ``threshold`` is the minimum Jaccard similarity of word-shingle sets for
    two texts to count as near-duplicates; ``num_perm`` and ``seed`` set the
    MinHash signature; ``window_days`` (None: unlimited) is the largest time
    gap between two matched documents and the memory horizon. ``shingle``
    and ``min_words`` override ``SHINGLE`` and ``MIN_WORDS`` (for measuring).

    Documents are expected roughly in publication order (a group's root is
    its first member *inserted*, the earliest one when the stream is sorted).
    When a new document matches members of two groups, it bridges them: the
    later-rooted group is merged into the earlier one, and ``on_merge(old_root,
    new_root)`` is called (when given) so that a caller who stored
    ``duplicate_of`` values can repoint everything that pointed at
    ``old_root`` (and ``old_root`` itself) to ``new_root``.
    """

    def __init__(self, threshold: float = 0.7, num_perm: int = 128, seed: int = 1,
                 window_days: float | None = 14, *, shingle: int = SHINGLE,
                 min_words: int = MIN_WORDS,
                 on_merge: Callable[[str, str], None] | None = None) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError("threshold must be in (0, 1]")
        self.threshold = threshold
        self.num_perm = num_perm
        self.seed = seed
        self.shingle = shingle
        self.min_words = max(min_words, shingle)
        self.window = None if window_days is None else float(window_days) * _DAY
        self.on_merge = on_merge
        self._lsh = MinHashLSH(threshold=max(0.05, threshold - LSH_SLACK), num_perm=num_perm)
        # Permutations (a, b) of datasketch's affine32 scheme for this seed.
        self._perms = MinHash(num_perm=num_perm, seed=seed, scheme=_SCHEME).permutations
        self._entries: dict[int, _Entry] = {}
        self._by_article: dict[str, int] = {}
        self._short: dict[str, list[int]] = {}
        self._heap: list[tuple[float, int]] = []  # (time, key): eviction order
        self._latest: float | None = None  # newest published time seen
        self._counter = 0

    # ------------------------------------------------------------------ API

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, article_id: str) -> bool:
        return article_id in self._by_article

    def insert(self, doc: StoryDoc) -> str | None:
        """Add ``doc``; return its group's root (first member), or None.

        The group is that of the earliest-rooted near-duplicate already in
        the index (groups it bridges are merged into it). None when nothing
        matches: ``doc`` starts a group of its own. Empty bodies are not
        indexed (None). Inserting an article_id again indexes nothing and
        returns its current root (None if it is a root).
        """
        known = self._by_article.get(doc.article_id)
        if known is not None:
            return self._answer(self._entries[known])
        time = parse_time(doc.published)
        if time is not None and self.window is not None and (
            self._latest is None or time > self._latest
        ):
            self._latest = time
            self._evict(time - self.window)
        prepared = self._prepare(doc)
        if prepared is None:
            return None
        shingles, short_key, minhash = prepared
        matches = self._matches(time, shingles, short_key, minhash, exclude=None)
        key = self._counter
        self._counter += 1
        order = (time is None, time or 0.0, doc.seq, key)
        if matches:
            group = self._join({id(e.group): e.group for e in matches}.values())
        else:
            group = _Group(doc.article_id, order)
        group.members.append(key)
        entry = _Entry(key, doc.article_id, time, order, group, shingles, short_key)
        self._entries[key] = entry
        self._by_article[doc.article_id] = key
        if short_key is not None:
            self._short.setdefault(short_key, []).append(key)
        else:
            self._lsh.insert(key, minhash, check_duplication=False)
        stamp = time if time is not None else self._latest
        if stamp is not None:
            heapq.heappush(self._heap, (stamp, key))
        return self._answer(entry)

    def query(self, doc: StoryDoc) -> list[str]:
        """article_ids of the near-duplicates of ``doc`` in the index (earliest first).

        Does not insert; ``doc`` itself (same article_id) is left out.
        """
        prepared = self._prepare(doc)
        if prepared is None:
            return []
        shingles, short_key, minhash = prepared
        exclude = self._by_article.get(doc.article_id)
        matches = self._matches(parse_time(doc.published), shingles, short_key, minhash, exclude)
        return [e.article_id for e in sorted(matches, key=lambda e: e.order)]

    def group_of(self, article_id: str) -> str | None:
        """Current group root of an article still in the index (itself for a root)."""
        key = self._by_article.get(article_id)
        return None if key is None else self._entries[key].group.root_id

    def remove_older_than(self, when: str) -> int:
        """Drop documents published before ``when`` (ISO 8601); return how many.

        Documents without a date are stamped with the newest date seen when
        they were inserted (never removed if no date had been seen yet).
        """
        limit = parse_time(when)
        if limit is None:
            raise ValueError(f"not an ISO 8601 date: {when!r}")
        return self._evict(limit)

    # ------------------------------------------------------------ internals

    @staticmethod
    def _answer(entry: _Entry) -> str | None:
        root = entry.group.root_id
        return None if root == entry.article_id else root

    def _join(self, groups) -> _Group:
        """The earliest-rooted of ``groups``, with the others merged into it."""
        ordered = sorted(groups, key=lambda g: (g.root_order, g.root_id))
        best = ordered[0]
        for other in ordered[1:]:
            for key in other.members:
                self._entries[key].group = best
            best.members.extend(other.members)
            other.members = []
            if self.on_merge is not None:
                self.on_merge(other.root_id, best.root_id)
        return best

    def _prepare(self, doc: StoryDoc) -> tuple[np.ndarray | None, str | None, MinHash | None] | None:
        """(shingles, short key, MinHash) of the doc; the hashing is memoised on the doc (an
        ingest worker computes it with `prepare`), the MinHash object is rebuilt here."""
        params = (self.num_perm, self.seed, self.shingle, self.min_words)
        prepared = doc.memo("dedup", (params, doc.title, doc.body), self._hash_doc)
        if prepared is None:
            return None
        shingles, short, hashvalues = prepared
        if hashvalues is None:
            return shingles, short, None
        return shingles, None, MinHash(seed=self.seed, hashvalues=hashvalues, permutations=self._perms,
                                       scheme=_SCHEME)

    def prepare(self, doc: StoryDoc) -> None:
        """Compute (and memoise on the doc) what `insert` needs; pure, for worker processes."""
        self._prepare(doc)

    def _hash_doc(self, doc: StoryDoc) -> tuple[np.ndarray | None, str | None, np.ndarray | None] | None:
        key = normalize_key(doc.body or "")
        words = word_hashes(key)
        if not len(words):
            return None
        if len(words) < self.min_words:
            short = " ".join(_WORD_RE.findall(key))
            if len(words) < TINY_WORDS:
                short = " ".join(text_words(doc.title or "")) + " | " + short
            return None, short, None
        shingles = _shingles(words, self.shingle)
        return shingles, None, self._minhash(shingles).hashvalues

    def _minhash(self, shingles: np.ndarray) -> MinHash:
        """MinHash of the shingle set, computed in one numpy pass.

        Identical to ``MinHash(num_perm, seed, scheme="affine32")`` fed the
        low 32 bits of each shingle hash through ``update_batch`` (a test
        checks it), without a Python call per shingle.
        """
        a, b = self._perms
        with np.errstate(over="ignore"):
            hv = _fmix32((shingles & _LOW32).astype(np.uint32))
            values = (hv[:, None] * a + b).min(axis=0)
        return MinHash(seed=self.seed, hashvalues=values, permutations=self._perms, scheme=_SCHEME)

    def _matches(self, time: float | None, shingles: np.ndarray | None, short_key: str | None,
                 minhash: MinHash | None, exclude: int | None) -> list[_Entry]:
        if short_key is not None:
            keys = self._short.get(short_key, [])
        else:
            keys = sorted(self._lsh.query(minhash))
        found = []
        for key in keys:
            if key == exclude:
                continue
            entry = self._entries[key]
            if (self.window is not None and time is not None and entry.time is not None
                    and abs(entry.time - time) > self.window):
                continue
            if shingles is not None and jaccard(shingles, entry.shingles) < self.threshold:
                continue
            found.append(entry)
        return found

    def _evict(self, limit: float) -> int:
        removed = 0
        heap = self._heap
        while heap and heap[0][0] < limit:
            _, key = heapq.heappop(heap)
            entry = self._entries.pop(key, None)
            if entry is None:
                continue
            removed += 1
            entry.group.members.remove(key)
            if self._by_article.get(entry.article_id) == key:
                del self._by_article[entry.article_id]
            if entry.short_key is not None:
                bucket = self._short[entry.short_key]
                bucket.remove(key)
                if not bucket:
                    del self._short[entry.short_key]
            else:
                self._lsh.remove(key)
        return removed
