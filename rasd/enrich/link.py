"""Entity linking and alias resolution: one canonical entity per real-world entity.

Input: an article body and candidate spans ``(start, end, type)`` (from the
NER tagger, from :func:`find_kb_spans`, or both). Output: deduplicated
:class:`~rasd.records.Entity` records with stable keys, and
:class:`~rasd.records.Mention` records pointing into the body.

How a span becomes an entity, in order:

1. **Knowledge base.** The span's words (clitics و ف ب ل ك ال لل on the
   first word tolerated, ``normalize_key`` folding) are looked up as a KB
   name or alias; then again without leading honorifics (الأمير، الشيخ...);
   then by spelling skeleton (:func:`rasd.enrich.kb.words_match`: ترمب/ترامب,
   زيلنسكي/زيلينسكي, سيرجي/سيرغي), which only ever links to an entity the KB
   or the article already has.
2. **Short forms within the article.** A person mention that is the last
   (or first) word(s) of a longer person mention in the same article (بوتين
   / فلاديمير بوتين) joins that person; when several full names share it
   (جو بايدن, هانتر بايدن) it joins the one mentioned most recently before
   it (else the first one after). This goes before the KB's surname list.
   Full names are never merged with each other unless every word matches.
3. **Across articles**, a lone surname links through the KB when exactly
   one KB person has it; otherwise it stays its own entity keyed on it.
4. **Unknown entities** get ``f"{type}:{canonical}"``, the canonical name
   being the longest form seen in the article (display spelling of its first
   occurrence, clitics, diacritics and tatweel removed).
5. **Titles.** "الرئيس الروسي" is a mention of the person it stands for
   when the article (a) writes the title right before a name somewhere
   ("الرئيس الروسي فلاديمير بوتين"), or (b) names a person the KB gives that
   title (held in ``year`` when known). Titles the KB does not know are
   learned from (a) within the article. A title nobody in the article
   holds produces no mention.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rasd.arabic import normalize_key, word_spans
from rasd.arabic.normalize import strip_diacritics, strip_invisible, strip_tatweel
from rasd.arabic.stem import strip_prefix_clitics
from rasd.enrich.kb import (
    TITLE_HEADS,
    KBEntry,
    KnowledgeBase,
    Scan,
    cmp_word,
    gap_ok,
    readings,
    seq_match,
    skeleton,
    words_match,
)
from rasd.records import ENTITY_TYPES, Entity, Mention

__all__ = [
    "find_kb_spans",
    "link_mentions",
    "resolve_title",
    "title_spans",
]

Span = tuple[int, int, str]

#: Honorifics that may precede a name without being part of it.
HONORIFICS = frozenset(
    normalize_key(w)
    for w in (
        "الأمير", "الشيخ", "الملك", "السلطان", "السيد", "السيدة", "الدكتور", "الدكتورة", "د",
        "المهندس", "العماد", "اللواء", "الفريق", "المشير", "الجنرال", "العقيد", "الرئيس",
        "الرئيسة", "سمو", "صاحب", "السمو", "الملكي", "معالي", "فخامة", "جلالة", "الحاج",
        "الإمام", "البابا", "الأميرة", "أول", "الأستاذ", "الأستاذة", "المهندسة", "سماحة",
    )
)

#: Words that end a backward title scan (a title does not run through them).
_TITLE_STOPS = frozenset(
    normalize_key(w)
    for w in (
        "قال", "قالت", "أكد", "أكدت", "أعلن", "أعلنت", "أضاف", "أضافت", "أوضح", "أوضحت",
        "مع", "في", "على", "من", "إلى", "عن", "أن", "إن", "بين", "خلال", "بعد", "قبل",
        "نظير", "نظيره", "نظيرها", "نظيرته", "التقى", "التقت", "استقبل", "استقبلت", "و",
        "هو", "هي", "كان", "كانت", "الذي", "التي", "لدى", "عند", "حيث", "كما", "لكن",
        "أمس", "اليوم", "يوم", "إنه", "أنه", "قد", "لقد", "ثم", "أو", "أي", "كل", "بعض",
    )
)
_TITLE_MAX_WORDS = 7
_HONORIFIC_CMP = frozenset(cmp_word(h) for h in HONORIFICS)
_NASAB = frozenset({"بن", "ابن", "بنت"})

_APPOSITION_GAP_RE = re.compile(r"[ \t\u00a0]*[,،]?[ \t\u00a0]*")
_TRIM = " \t\n\r\u00a0.,،؛;:!?؟«»\"“”'‘’()[]{}-–—…"

# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------

# One-slot caches, so find_kb_spans + link_mentions on the same body
# tokenise and scan it once. Each slot holds one tuple, replaced whole (an
# atomic store), so threads never see one text's tokens with another's.
_TOKS_CACHE: list = [None]  # [(text, spans, strings, [bounds])]
_SCAN_CACHE: list = [None]  # [(text, kb, Scan)]


def _tokenized(text: str) -> tuple[list[tuple[int, int]], list[str]]:
    entry = _TOKS_CACHE[0]
    if entry is not None and (entry[0] is text or entry[0] == text):
        return entry[1], entry[2]
    toks = word_spans(text)
    strs = [text[s:e] for s, e in toks]
    _TOKS_CACHE[0] = (text, toks, strs, [None])
    return toks, strs


def _tokens(text: str) -> list[tuple[int, int]]:
    return _tokenized(text)[0]


def _token_strings(toks) -> list[str] | None:
    entry = _TOKS_CACHE[0]
    return entry[2] if entry is not None and entry[1] is toks else None


def _bounds(toks) -> tuple[list[int], list[int]]:
    """Token starts and ends (for bisect), cached with the tokens."""
    entry = _TOKS_CACHE[0]
    if entry is not None and entry[1] is toks and entry[3][0] is not None:
        return entry[3][0]
    b = ([s for s, _e in toks], [e for _s, e in toks])
    if entry is not None and entry[1] is toks:
        entry[3][0] = b
    return b


def _kb(kb: KnowledgeBase | None) -> KnowledgeBase:
    return kb if kb is not None else KnowledgeBase.load()


def _scan(text: str, kb: KnowledgeBase) -> Scan:
    """The KB scan of ``text``, shared by find_kb_spans/title_spans/link_mentions."""
    entry = _SCAN_CACHE[0]
    if entry is not None and entry[1] is kb and (entry[0] is text or entry[0] == text):
        return entry[2]
    toks, strs = _tokenized(text)
    scan = kb.scan(text, toks, strs)
    _SCAN_CACHE[0] = (text, kb, scan)
    return scan


_MARKS_RE = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u0640\u06d6-\u06ed]")
#: raw first letters that normalize_key folds to a key's first letter
_RAW_FIRSTS = {"ا": "اأإآٱٲٳ", "ي": "يىی", "ه": "هةۀہە", "ك": "كک"}


def _clean_display(text: str) -> str:
    """Display form for names: no diacritics, tatweel or invisibles, one space."""
    return " ".join(strip_invisible(strip_tatweel(strip_diacritics(text))).split())


def _cut_letters(display: str, n: int) -> str:
    """``display`` without its first ``n`` letters (marks do not count)."""
    if n <= 0:
        return display
    i = 0
    seen = 0
    while i < len(display) and seen < n:
        if not _MARKS_RE.match(display[i]):
            seen += 1
        i += 1
    while i < len(display) and _MARKS_RE.match(display[i]):
        i += 1
    return display[i:]


def _first_word_reading(key: str) -> tuple[str, bool, int, bool, tuple[tuple[str, int, bool], ...]]:
    """How to read the first word of a name the KB does not know:
    ``(bare, article, cut, ll, alternatives)``.

    Clitics come off as :func:`rasd.arabic.stem.strip_prefix_clitics` says,
    except that a conjunction is only a guess on a name (فارس, فادي, وسام
    start with ف/و): ف, and و leaving fewer than 4 letters, are left on.
    ``alternatives`` are the other clitic readings ``(form, cut, ll)``; the
    linker takes one when ``form`` occurs as a word of the same article
    (لسامر الخطيب ... سامر → سامر), see :func:`_resolve`.
    """
    stripped = strip_prefix_clitics(key) if key and "\u0621" <= key[0] <= "\u06ff" else key
    removed = key[: len(key) - len(stripped)]
    if removed.endswith("لل"):
        bare, art, cut, ll = stripped, True, len(removed) - 1, True
    elif removed.endswith("ال"):
        bare, art, cut, ll = stripped, True, len(removed) - 2, False
    else:
        bare, art, cut, ll = stripped, False, len(removed), False
    if cut:
        form = ("ا" + key[cut:]) if ll else key[cut:]
        if removed[0] == "ف" or (removed[0] == "و" and len(form) < 4):
            bare, art, cut, ll = cmp_word(key), key.startswith("ال"), 0, False
    alts: dict[tuple[int, bool], str] = {}
    if not cut:
        for _b, _a, c, l2 in readings(key):
            if c and (c, l2) not in alts:
                alts[(c, l2)] = ("ا" + key[c:]) if l2 else key[c:]
    return bare, art, cut, ll, tuple((f, c, l2) for (c, l2), f in sorted(alts.items()))


def _strip_display(display: str, cut: int, ll: bool) -> str:
    rest = _cut_letters(display, cut)
    return "ا" + rest if ll else rest


# ---------------------------------------------------------------------------
# Internal records
# ---------------------------------------------------------------------------


@dataclass
class _M:
    start: int
    end: int
    type: str
    t0: int  # token range
    t1: int
    keys: tuple[str, ...]  # normalize_key of each token as written
    words: tuple[str, ...] = ()  # comparison words: clitics + article off
    skel: tuple[str, ...] = ()  # their skeletons
    lead_conj: bool = False  # the name is glued to a conjunction (ومحمد)
    display: str = ""  # clean display, clitics off
    entry: KBEntry | None = None
    kind: str | None = None  # how the KB matched: name|alias|surname|skeleton|ambiguous
    exact: bool = False  # the whole span is a KB phrase
    cluster: _Cluster | None = None


@dataclass
class _Cluster:
    type: str
    entry: KBEntry | None = None
    mentions: list[_M] = field(default_factory=list)
    key: str = ""


@dataclass
class _Res:
    entry: KBEntry | None
    kind: str | None
    exact: bool
    cut: int  # clitic letters before the name (or its article) on the first name word
    ll: bool  # the article was written لل
    skip: int = 0  # leading honorific tokens (الأمير، الرئيس) not part of the name
    alts: tuple[tuple[str, int, bool], ...] = ()  # other clitic readings, see _first_word_reading
    choices: tuple[KBEntry, ...] = ()  # several KB entries (عمان): picked by article context


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------


def find_kb_spans(text: str, kb: KnowledgeBase | None = None) -> list[Span]:
    """Character spans ``(start, end, type)`` of the KB names in ``text``.

    Longest match on token boundaries; clitics on the first word are part of
    the span ("وبوتين", "باسطنبول"); weak names (common words) only when the
    text also names the entity plainly, or (organisations) when quoted or
    after صحيفة/قناة/وكالة...; BLOCK phrases give nothing.
    """
    kb = _kb(kb)
    return [(m.start, m.end, m.type) for m in _scan(text, kb).names]


def title_spans(text: str, kb: KnowledgeBase | None = None) -> list[tuple[int, int, str]]:
    """``(start, end, title)`` of the KB titles in ``text`` ("الرئيس الروسي"),
    ``title`` being the KB's spelling, for :func:`resolve_title`."""
    kb = _kb(kb)
    return [(t.start, t.end, t.text) for t in _scan(text, kb).titles]


def resolve_title(
    title_text: str,
    entities_in_article: Sequence[Entity],
    kb: KnowledgeBase | None = None,
    year: int | None = None,
) -> Entity | None:
    """The entity among ``entities_in_article`` that the KB gives this title.

    ``None`` when nobody in the article holds it, or when several do and
    the year (or, without a year, who holds it now) does not decide.
    Titles learned from an apposition inside an article are resolved by
    :func:`link_mentions` itself (its title mentions carry the person).
    """
    kb = _kb(kb)
    holders = [(e, t) for e, t in kb.title_holders(title_text) if t.valid(year)]
    if not holders:
        return None
    by_key = {ent.key: ent for ent in entities_in_article}
    named = [(e, t) for e, t in holders if e.key in by_key]
    keys = list(dict.fromkeys(e.key for e, _t in named))
    if len(keys) == 1:
        return by_key[keys[0]]
    if len(keys) > 1 and year is None:
        current = list(dict.fromkeys(e.key for e, t in named if t.current))
        if len(current) == 1:
            return by_key[current[0]]
    return None


def link_mentions(
    text: str,
    spans: Sequence[Span],
    kb: KnowledgeBase | None = None,
    *,
    year: int | None = None,
) -> tuple[list[Entity], list[Mention]]:
    """Link candidate spans to entities (see the module doc for the rules).

    ``spans`` are character spans with a type (PER/ORG/LOC/MISC); they are
    snapped to whole tokens and overlaps are resolved (exact KB names first,
    then longer spans). ``year`` (the article's) picks between holders of a
    title. Returns entities in order of first mention and mentions sorted
    by position, ``text[m.start:m.end] == m.surface`` for each.
    """
    kb = _kb(kb)
    toks = _tokens(text)
    if not toks:
        return [], []
    mentions = _prepare(text, toks, spans, kb)
    clusters = _cluster(mentions)
    title_mentions = _titles(text, toks, mentions, clusters, _scan(text, kb), year)
    try:
        return _output(text, mentions, clusters, title_mentions)
    finally:
        for c in clusters:  # _M.cluster <-> _Cluster.mentions: let reference counting free them
            c.mentions = []


# ---------------------------------------------------------------------------
# Steps
# ---------------------------------------------------------------------------


def _prepare(text: str, toks, spans: Sequence[Span], kb: KnowledgeBase) -> list[_M]:
    starts, ends = _bounds(toks)
    seen: set[tuple[int, int, str]] = set()
    by_letter: dict[str, set[str]] = {}
    raw: list = []

    def article_has(word: str, raw_form: str | None = None) -> bool:
        """Whether ``word`` (a key) is a word of the article. With ``raw_form``
        (the word as written) a set of the raw tokens answers; otherwise only
        the tokens that can fold to its first letter are normalised, lazily."""
        if not raw:
            raw.append(_token_strings(toks) or [text[a:b] for a, b in toks])
        if raw_form is not None:
            if len(raw) == 1:
                raw.append(set(raw[0]))
            return raw_form in raw[1]
        c = word[:1]
        group = by_letter.get(c)
        if group is None:
            firsts = _RAW_FIRSTS.get(c, c)
            group = by_letter[c] = {normalize_key(t) for t in raw[0] if t[:1] in firsts}
        return word in group

    cands: list[_M] = []
    for span in spans:
        s, e, typ = int(span[0]), int(span[1]), str(span[2]).upper()
        if typ not in ENTITY_TYPES:
            typ = "MISC"
        s, e = max(0, s), min(len(text), e)
        while s < e and text[s] in _TRIM:
            s += 1
        while e > s and text[e - 1] in _TRIM:
            e -= 1
        if s >= e:
            continue
        t0 = bisect_right(ends, s)  # first token ending after s
        t1 = bisect_left(starts, e)  # tokens starting before e
        if t0 >= t1:
            continue
        k = (t0, t1, typ)
        if k in seen:
            continue
        seen.add(k)
        start, end = toks[t0][0], toks[t1 - 1][1]
        # a trailing "+" belongs to the name (أوبك+)
        if text[end:end + 1] == "+" and (e > end or kb.lookup(text[start:end + 1])):
            end += 1
        m = _M(start, end, typ, t0, t1, ())
        _resolve(m, text, kb, article_has, toks)
        cands.append(m)
    # Overlaps. A span inside another loses to it (هانتر بايدن over بايدن)
    # unless it is a full KB name and the container only adds a title or
    # honorifics in front (الرئيس الروسي فلاديمير بوتين: keep فلاديمير
    # بوتين; but الأمير فيصل بن سلمان over the surname بن سلمان). Otherwise exact KB
    # names first, then longer spans, then earlier ones.
    demoted: set[int] = set()
    by_start = sorted(cands, key=lambda m: (m.t0, -m.t1))
    nb = len(by_start)
    for a_i, a in enumerate(by_start):
        for b_i in range(a_i + 1, nb):
            b = by_start[b_i]
            if b.t0 >= a.t1:
                break
            if b.t1 > a.t1 or (b.t0, b.t1) == (a.t0, a.t1):
                continue  # partial overlap: decided by the sort below
            if b.t1 == a.t1 and b.kind in ("name", "alias", "skeleton") \
                    and _title_prefix(a.keys[: b.t0 - a.t0]):
                demoted.add(id(a))
            else:
                demoted.add(id(b))
    cands.sort(key=lambda m: (id(m) in demoted, not m.exact, -(m.t1 - m.t0), m.start))
    taken = bytearray(len(toks))
    kept: list[_M] = []
    for m in cands:
        if any(taken[m.t0:m.t1]):
            continue
        for i in range(m.t0, m.t1):
            taken[i] = 1
        kept.append(m)
    kept.sort(key=lambda m: m.start)
    return kept


def _variant(surface: str, sub: list[tuple[int, int]], keys: tuple[str, ...], res: _Res,
             cut: int, ll: bool) -> tuple[str, tuple[str, ...], tuple[str, ...], bool]:
    """(display, comparison words, skeletons, glued conjunction) of a name,
    its first ``res.skip`` tokens (honorifics) left out."""
    k = res.skip
    name_keys = keys[k:]
    display = _clean_display(_strip_display(surface[sub[k][0]:], cut, ll))
    bare0 = _cut_letters(name_keys[0], cut)
    if ll:
        bare0 = "ا" + bare0
    words = (cmp_word(bare0), *(cmp_word(x) for x in name_keys[1:]))
    conj = cut > 0 and name_keys[0][:1] in ("و", "ف")
    return display, words, tuple(skeleton(w) for w in words), conj


def _resolve(m: _M, text: str, kb: KnowledgeBase, article_has, toks=None) -> None:
    """KB resolution, comparison words and display form of one mention,
    memoized per (surface, type) in the KB. For a name the KB does not know,
    a clitic reading is taken when its bare word occurs in the article too."""
    surface = text[m.start:m.end]
    ck = (surface, m.type)
    hit = kb.resolve_cache.get(ck)
    if hit is None:
        if toks is not None:
            sub = [(a - m.start, b - m.start) for a, b in toks[m.t0:m.t1]]
        else:
            sub = word_spans(surface)
        keys = tuple(normalize_key(surface[a:b]) for a, b in sub)
        res = _resolve_words(keys, m.type, surface.endswith("+"), kb)
        default = _variant(surface, sub, keys, res, res.cut, res.ll)
        first_raw = surface[sub[res.skip][0]:sub[res.skip][1]]
        alts = tuple((form, _clean_display(_strip_display(first_raw, c, l2)),
                      _variant(surface, sub, keys, res, c, l2)) for form, c, l2 in res.alts)
        hit = (keys, res.entry, res.kind, res.exact, default, alts, res.choices)
        if len(kb.resolve_cache) > 200_000:
            kb.resolve_cache.clear()
        kb.resolve_cache[ck] = hit
    keys, entry, kind, exact, v, alts, choices = hit
    if choices:  # the entry whose context words the article has (عمان + الأردن: Amman)
        entry = min(choices, key=lambda e: (not any(article_has(c) for c in e.context), e.priority))
    m.keys, m.entry, m.kind, m.exact = keys, entry, kind, exact
    for form, raw_form, alt in alts:
        if article_has(form, raw_form):
            v = alt
            break
    m.display, m.words, m.skel, m.lead_conj = v


def _title_prefix(keys: Sequence[str]) -> bool:
    """Words that are a title or honorifics, not part of a name."""
    if not keys:
        return False
    if _definite_honorific(keys[0]) and len(keys) > 1 and not _is_honorific(keys[1]) \
            and not keys[1].startswith("ال"):
        return False  # الأمير فيصل ...: an honorific and a first name
    return all(_is_honorific(k) for k in keys) or any(
        b in TITLE_HEADS for b, _a, _c, _l in readings(keys[0]))


@lru_cache(maxsize=1 << 12)
def _definite_honorific(key: str) -> bool:
    """الأمير، الملك، الرئيس (with the article): before a bare first name
    they are honorifics, not the head of a title."""
    return any(art and bare in _HONORIFIC_CMP for bare, art, _c, _l in readings(key))


def _resolve_words(keys: tuple[str, ...], typ: str, plus: bool, kb: KnowledgeBase) -> _Res:
    rest = keys[1:]
    # 1. the whole span is a KB phrase (first word read with clitics)
    for bare, art, cut, ll in readings(keys[0]):
        for ph in kb._names.first.get((bare, art), ()):
            if ph.rest != rest or ph.plus != plus:
                continue
            pays = [p for p in ph.payloads if p.entry is not None]
            if not pays:
                continue
            ents = {p.entry: kb.entries[p.entry] for p in pays}
            # weak names need the tagger's agreement on the type
            pays = [p for p in pays if not p.weak or ents[p.entry].type == typ]
            same = [p for p in pays if ents[p.entry].type == typ]
            if same:
                pays = same
            elif typ != "MISC":
                pays = [p for p in pays if p.kind != "surname"]
            if not pays:
                continue
            return _from_payloads(pays, kb, cut, ll, exact=True)
    base = _first_word_reading(keys[0])
    # 2. without leading honorifics (الأمير محمد بن سلمان); for a person the
    #    KB does not know they are left out of the name too (الأمير فيصل بن سلمان)
    n = 0
    if typ in ("PER", "MISC"):
        while n < len(keys) - 1 and _is_honorific(keys[n]):
            n += 1
    if n:
        inner = _resolve_words(keys[n:], typ, plus, kb)
        if inner.entry is not None or inner.kind == "ambiguous" or typ == "PER":
            return _Res(inner.entry, inner.kind, False, inner.cut, inner.ll, n + inner.skip,
                        inner.alts, inner.choices)
    # 3. spelling skeleton, to an entry the KB has
    bare0, _art, cut, ll, alts = base
    words = (cmp_word(bare0), *(cmp_word(k) for k in rest))
    hits = [(e, kind, weak) for e, kind, weak in kb.skeleton_lookup(words)
            if (e.type == typ or typ == "MISC") and (not weak or e.type == typ)]
    if hits:
        ents = list({e.key: e for e, _k, _w in hits}.values())
        kinds = {k for _e, k, _w in hits}
        if len(ents) == 1:
            return _Res(ents[0], "skeleton", False, cut, ll)
        if kinds == {"surname"}:
            return _Res(None, "ambiguous", False, cut, ll, 0, alts)
    return _Res(None, None, False, cut, ll, 0, alts)


@lru_cache(maxsize=1 << 15)
def _first_bare(key: str) -> str:
    """A word's comparison key after the conservative clitic strip."""
    return cmp_word(strip_prefix_clitics(key)) if key else key


def _from_payloads(pays, kb: KnowledgeBase, cut: int, ll: bool, exact: bool) -> _Res:
    ents = list({p.entry: kb.entries[p.entry] for p in pays}.values())
    kinds = {p.kind for p in pays}
    if len(ents) == 1:
        kind = "name" if "name" in kinds else "alias" if "alias" in kinds else "surname"
        return _Res(ents[0], kind, exact, cut, ll)
    if kinds == {"surname"}:  # a surname several KB people share
        return _Res(None, "ambiguous", exact, cut, ll)
    named = sorted({kb.entries[p.entry] for p in pays if p.kind != "surname"} or ents,
                   key=lambda e: e.priority)
    return _Res(named[0], "alias", exact, cut, ll,
                choices=tuple(named) if any(e.context for e in named) else ())


def _affix_match(short: Sequence[str], full: Sequence[str]) -> int:
    """2 when ``short`` is the last words of the longer ``full`` (a surname),
    1 when it is its first words (a first name, or Chinese-style surname
    first: شي / شي جين بينغ), else 0."""
    n = len(short)
    if n >= len(full):
        return 0
    if all(words_match(a, b, i == n - 1) for i, (a, b) in enumerate(zip(short, full[-n:]))):
        return 2
    if all(words_match(a, b, False) for a, b in zip(short, full[:n])):
        return 1
    return 0


def _cluster(mentions: list[_M]) -> list[_Cluster]:
    clusters: list[_Cluster] = []
    by_key: dict[str, _Cluster] = {}
    per = [m for m in mentions if m.type == "PER" or (m.entry is not None and m.entry.type == "PER")]
    # Short person mentions: the last/first words of a longer one in the article.
    short: set[int] = set()
    for m in per:
        if m.kind in ("name", "alias") and len(m.words) > 1:
            continue  # a KB full name/alias is a full name
        for o in per:
            if o is not m and len(o.words) > len(m.words) and _affix_match(m.words, o.words):
                short.add(id(m))
                break

    def join(m: _M, c: _Cluster) -> None:
        m.cluster = c
        c.mentions.append(m)

    def new(m: _M, entry: KBEntry | None) -> _Cluster:
        c = _Cluster(entry.type if entry else m.type, entry)
        clusters.append(c)
        if entry is not None:
            by_key[entry.key] = c
        join(m, c)
        return c

    # unknown-name look-up: (type, word skeletons) -> [(words, cluster)]
    skel_index: dict[tuple, list[tuple[tuple[str, ...], _Cluster]]] = {}

    def remember(m: _M, c: _Cluster) -> None:
        skel_index.setdefault((c.type, m.skel), []).append((m.words, c))
        skel_index.setdefault(("*", m.skel), []).append((m.words, c))

    def place(m: _M) -> None:
        """KB entity, else an identical or variant-spelled entity already in
        the article, else a new one."""
        if m.entry is not None:
            c = by_key.get(m.entry.key)
            if c is None:
                c = new(m, m.entry)
            else:
                join(m, c)
            remember(m, c)
            return
        for words, c in skel_index.get(("*" if m.type == "MISC" else m.type, m.skel), ()):
            if words == m.words or seq_match(m.words, words):
                join(m, c)
                remember(m, c)
                return
        remember(m, new(m, None))

    # Pass A: full mentions, in order.
    for m in mentions:
        if id(m) not in short:
            place(m)
    # Pass B: short person mentions join the full name mentioned most
    # recently before them (else the first one after).
    for m in mentions:
        if id(m) not in short:
            continue
        found: dict[int, list[tuple[int, _Cluster]]] = {1: [], 2: []}
        for c in clusters:
            if c.type != "PER":
                continue
            for o in c.mentions:
                if id(o) in short or len(o.words) <= len(m.words):
                    continue
                how = _affix_match(m.words, o.words)
                if how:
                    found[how].append((o.start, c))
        # surname matches first; then the latest before, else the first after
        target = _nearest(found[2] or found[1], m.start)
        if target is not None:
            join(m, target)
        else:
            place(m)
    return clusters


@dataclass
class _TitleOcc:
    start: int
    end: int
    t0: int
    t1: int
    key: tuple[str, ...]  # comparison words of the title
    holders: tuple = ()  # KB (entry, Title) pairs; () for a learned title


def _head_bare(key: str) -> str:
    """A title's first word without clitics: the reading that is a title
    head when there is one (لرئيس -> رئيس), else the conservative strip."""
    for bare, _art, _cut, _ll in readings(key):
        if bare in TITLE_HEADS:
            return bare
    return _first_bare(key)


def _title_key(keys: Sequence[str]) -> tuple[str, ...]:
    return (_head_bare(keys[0]), *(cmp_word(k) for k in keys[1:]))


def _tok_key(text: str, toks, i: int) -> str:
    s, e = toks[i]
    return normalize_key(text[s:e])


def _titles(text: str, toks, mentions: list[_M], clusters: list[_Cluster],
            scan: Scan, year: int | None) -> list[tuple[int, int, _Cluster]]:
    """Title mentions ``(start, end, cluster)`` (rules in the module doc)."""
    person_tok = bytearray(len(toks))
    person_at: dict[int, _M] = {}
    for m in mentions:
        if m.cluster is not None and m.cluster.type == "PER":
            person_at[m.t0] = m
            for i in range(m.t0, m.t1):
                person_tok[i] = 1

    occs: list[_TitleOcc] = []
    for t in scan.titles:
        keys = [_tok_key(text, toks, i) for i in range(t.tok_start, t.tok_end)]
        occs.append(_TitleOcc(t.start, t.end, t.tok_start, t.tok_end, _title_key(keys), t.holders))
    if not occs and not person_at:
        return []

    # (a) appositions: a title written right before a person's name.
    occ_by_end = {o.t1: o for o in occs}
    appos: dict[tuple[int, int], _Cluster] = {}
    learned: dict[tuple[str, ...], list[tuple[int, _Cluster]]] = {}
    for t0 in sorted(person_at):
        m = person_at[t0]
        occ = _title_before(text, toks, m, occ_by_end, person_tok, scan.heads)
        if occ is None:
            continue
        if not occ.holders and (occ.start, occ.end) not in appos:
            occs.append(occ)
        appos[(occ.start, occ.end)] = m.cluster
        learned.setdefault(occ.key, []).append((occ.start, m.cluster))

    # Titles learned that way, repeated elsewhere in the article.
    if learned:
        by_first: dict[str, list[tuple[str, ...]]] = {}
        for key in learned:
            by_first.setdefault(key[0], []).append(key)
        have = {(o.start, o.end) for o in occs}
        n = len(toks)
        for i in scan.heads:  # learned titles start with a head word
            k0 = _tok_key(text, toks, i)
            firsts = {b for b, _a, _c, _l in readings(k0)}
            firsts.add(_first_bare(k0))
            for f in firsts & by_first.keys():
                for key in by_first[f]:
                    j = i + len(key)
                    if j > n:
                        continue
                    if all(gap_ok(text, toks[k - 1][1], toks[k][0])
                           and cmp_word(_tok_key(text, toks, k)) == w
                           for k, w in zip(range(i + 1, j), key[1:])):
                        span = (toks[i][0], toks[j - 1][1])
                        if span not in have:
                            have.add(span)
                            occs.append(_TitleOcc(span[0], span[1], i, j, key, ()))

    # Resolve: longest first, no overlaps, never over a person's name.
    occs.sort(key=lambda o: (-(o.t1 - o.t0), o.start))
    used = bytearray(len(toks))
    in_article = {c.entry.key: c for c in clusters if c.entry is not None}
    out: list[tuple[int, int, _Cluster]] = []
    for o in occs:
        if any(used[o.t0:o.t1]) or any(person_tok[o.t0:o.t1]):
            continue
        target = appos.get((o.start, o.end))
        if target is None and o.key in learned:
            target = _nearest(learned[o.key], o.start)
        if target is None and o.holders:
            named = list({id(c): c for c in (in_article.get(e.key) for e, t in o.holders if t.valid(year))
                          if c is not None}.values())
            if len(named) == 1:
                target = named[0]
            elif named:
                target = _nearest([(_position(c, o.start), c) for c in named], o.start)
        if target is None:
            continue
        for i in range(o.t0, o.t1):
            used[i] = 1
        out.append((o.start, o.end, target))
    return out


def _position(c: _Cluster, pos: int) -> int:
    """Where ``c`` was last mentioned before ``pos`` (else first mentioned)."""
    before = [m.start for m in c.mentions if m.start < pos]
    return max(before) if before else min(m.start for m in c.mentions)


def _nearest(items: list[tuple[int, _Cluster]], pos: int) -> _Cluster | None:
    """The cluster at the latest position before ``pos``, else the first after."""
    before = [(p, c) for p, c in items if p < pos]
    if before:
        return max(before, key=lambda x: x[0])[1]
    after = [(p, c) for p, c in items if p >= pos]
    if after:
        return min(after, key=lambda x: x[0])[1]
    return None


@lru_cache(maxsize=1 << 15)
def _is_honorific(key: str) -> bool:
    return cmp_word(key) in _HONORIFIC_CMP or _first_bare(key) in _HONORIFIC_CMP


def _title_before(text: str, toks, m: _M, occ_by_end: dict[int, _TitleOcc],
                  person_tok: bytearray, heads: list[int]) -> _TitleOcc | None:
    """The title written right before the name of mention ``m`` (up to 3
    honorifics and one comma may sit between), KB-known or not. A
    conjunction breaks the apposition (وزير الداخلية، والأمير محمد)."""
    if m.lead_conj:
        return None
    t0 = m.t0
    end = t0
    skipped = 0
    while (end > 0 and skipped < 3 and end not in occ_by_end and not person_tok[end - 1]
           and _is_honorific(_tok_key(text, toks, end - 1))
           and _APPOSITION_GAP_RE.fullmatch(text, toks[end - 1][1], toks[end][0])):
        k = _tok_key(text, toks, end - 1)
        if k[:1] in ("و", "ف") and _first_bare(k) != cmp_word(k):
            return None  # والأمير ...: a new person, not an apposition
        end -= 1
        skipped += 1
    if end == 0 or not _APPOSITION_GAP_RE.fullmatch(text, toks[end - 1][1], toks[end][0]):
        return None
    occ = occ_by_end.get(end)
    if occ is not None:
        return occ
    h = bisect_left(heads, end - 1)
    if h == len(heads) or heads[h] != end - 1:
        h -= 1
    if h < 0 or heads[h] < end - _TITLE_MAX_WORDS or heads[h] >= end:
        return None  # no head word close enough
    # A title the KB does not know: a head word a few words back, and only
    # title-like words in between (no stop word, punctuation, name, nasab
    # بن, or honorific: وزير الخارجية الأستاذ عادل بن أحمد is not a title).
    j = end - 1
    while j >= 0 and end - j <= _TITLE_MAX_WORDS:
        if person_tok[j]:
            return None
        if j < end - 1 and not gap_ok(text, toks[j][1], toks[j + 1][0]):
            return None
        key = _tok_key(text, toks, j)
        if not key or not ("\u0621" <= key[0] <= "\u06ff") or key in _TITLE_STOPS \
                or _first_bare(key) in _TITLE_STOPS or key in _NASAB:
            return None
        if any(b in TITLE_HEADS for b, _a, _c, _l in readings(key)):
            if end - j < 2:
                return None  # a one-word title (الرئيس) is too vague to learn
            if _definite_honorific(key) and not _tok_key(text, toks, j + 1).startswith("ال"):
                return None  # الأمير فيصل: honorific + first name
            keys = [_tok_key(text, toks, i) for i in range(j, end)]
            return _TitleOcc(toks[j][0], toks[end - 1][1], j, end, _title_key(keys), ())
        if _is_honorific(key):
            return None
        j -= 1
    return None


def _output(text: str, mentions: list[_M], clusters: list[_Cluster],
            title_mentions: list[tuple[int, int, _Cluster]]) -> tuple[list[Entity], list[Mention]]:
    # Keys and canonical names.
    for c in clusters:
        if c.entry is not None:
            c.key = c.entry.key
            continue
        best = max(c.mentions, key=lambda m: (len(m.words), -m.start))
        c.key = f"{c.type}:{best.display}"
    # Two unknown clusters that ended up with the same key are one entity.
    merged: dict[str, _Cluster] = {}
    for c in clusters:
        if not c.mentions:
            continue
        o = merged.get(c.key)
        if o is None:
            merged[c.key] = c
        else:
            for m in c.mentions:
                m.cluster = o
            o.mentions.extend(c.mentions)
    out_mentions: list[tuple[int, int, str, str, _Cluster]] = []
    for m in mentions:
        c = merged[m.cluster.key]
        out_mentions.append((m.start, m.end, text[m.start:m.end], c.key, c))
    for s, e, c in title_mentions:
        c = merged[c.key]
        out_mentions.append((s, e, text[s:e], c.key, c))
    out_mentions.sort(key=lambda x: (x[0], x[1]))
    order: dict[str, int] = {}
    for s, _e, _surf, key, _c in out_mentions:
        order.setdefault(key, s)
    entities: list[Entity] = []
    for key in sorted(merged, key=lambda k: order.get(k, 1 << 30)):
        c = merged[key]
        seen = [m.display for m in sorted(c.mentions, key=lambda m: m.start) if m.display]
        if c.entry is not None:
            name = c.entry.name
            aliases = list(dict.fromkeys([*seen, *c.entry.aliases, *c.entry.surnames])) if seen \
                else [*c.entry.aliases, *c.entry.surnames]
        else:
            name = key.split(":", 1)[1]
            aliases = list(dict.fromkeys(seen))
        entities.append(Entity(key=key, name=name, type=c.type, aliases=[a for a in aliases if a != name] or []))
    mentions_out = [Mention(start=s, end=e, surface=surf, entity_key=key, type=c.type)
                    for s, e, surf, key, c in out_mentions]
    return entities, mentions_out
