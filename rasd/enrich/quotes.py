"""Quote extraction with speaker attribution for Arabic news article bodies.

:func:`extract_quotes` finds

* direct quotes in «...», “...” or "..." (outermost pair; nesting and a quote
  left open until the end of its line are handled),
* indirect reported speech: a speech verb (قال، أكد، أشار إلى، شدد على ...)
  followed within a few words by إن/أن/بأن (or by عن/إلى/ب for أعرب/دعا/طالب),
  whose reported clause runs to the end of the sentence, to the next
  coordinated speech verb, to an "according to" phrase or to a direct quote,
* sentences attributed with بحسب/وفق/نقلا عن X when nothing else in the
  sentence is quoted,

and attributes each one to a speaker (an entity from the linking step, a
title phrase, or nobody) and, when the sentence says so, a medium.

Rules, in the order they are applied
------------------------------------
Direct quote acceptance (a quoted span is speech, not a name or scare quote):

1. It has 4+ words and is *introduced*: right after a colon; after a
   complementizer (أن/إن/بأن...) plus at most 2 words, with a speech verb
   earlier in the sentence (إلى أن بلاده «...»); at most 2 words after a
   speech verb (واقترح «...»، وقال بوتين «...»); after the preposition of
   دعا/طالب/أعرب (دعا في افتتاح الجلسة إلى «...»); or right after another
   accepted quote (»، و«).
2. Or it has 4+ words and is followed by an attribution: «...»، قال بوتين /
   «...»، بحسب X / «...»، على حد قوله.
3. Or it has 4+ words and is a whole sentence/paragraph (the last speaker
   goes on).
4. A span of 1-3 words is a quote only right after a colon that follows a
   speech verb (قال: «لا»). Everything else («تلغرام»، “الشرق الأوسط”،
   «زيادة نشاط ...» in the middle of a clause) is not a quote.

Speech verbs inside an accepted direct quote are ignored; a speech verb
inside a reported clause is part of it (قال إن الحكومة أكدت أن ...) unless a
comma or و/ف coordinates it (...، مضيفاً أن ...), which starts a new quote.

Speaker of a speech verb:

1. The subject right after the verb, skipping time words (أمس، اليوم،
   الاثنين، مؤخراً ...), adverbs, and prepositional phrases (في/خلال/عبر/على
   ... up to the next comma; a mention with a glued ل/ب, لبوتين, is one too).
   A linked mention there is the speaker (any type: الكرملين is an ORG
   speaker). A title phrase there (الرئيس الروسي، المتحدث باسم الكرملين ...)
   takes the PER mention that follows it inside the phrase or after one comma
   (apposition); a title with no name is resolved by ``resolve_title(title)``
   or, without it or when it returns None, by the same title followed by a
   PER mention elsewhere in the article (nearest before, else first after);
   unresolved, the title text itself is the speaker (``speaker_key`` None).
   Any other word there is an unknown subject: speaker None.
   With نقل (ونقلت الوكالة عن بيسكوف قوله إن) the speaker is the one after عن.
2. No subject after the verb, and the verb has no و/ف: a subject right
   before it (SVO): a mention (بوتين حذر، ترامب قد أعلن), a short quoted name
   («دي جيه آي» تقول), a title phrase opening the clause (إلا أن رئيس اللجنة،
   ...، قال), or whatever stands between كان and the verb (وكان كيري قال).
3. Otherwise the verb continues someone: after بدوره/من جهته, the last PER
   mentioned; else the speaker of the previous quote in the same sentence;
   else the first PER mentioned in the sentence before the verb (outside
   quotes and prepositional phrases: واتهم ... زيلينسكي ...، لكنه أكد); else
   the last speaker of the article. "According to X" quotes do not make X
   the last speaker.

Medium: the best-ranked medium phrase of the sentence outside the quoted
text and the source phrase (a named platform, also any «name» after تطبيق/
منصة/موقع, beats مؤتمر صحفي/مقابلة تلفزيونية, which beat بيان/كلمة/
تصريحات; the generic ones need في/خلال/عبر/ب in front). Ties go to the one
nearest the cue. The table is :data:`rasd.enrich.quote_lexicon.MEDIA`.

``cue`` is the cue word as written, without و/ف and diacritics (قال، أكد،
مضيفا، بحسب). ``speaker`` is the entity's canonical name.

Speed: one regex pass finds every lexicon word (speech verbs, complementizers,
"according to" words, media); everything else works on those few hits and on
the sentences that hold them.

Offsets index the ``text`` given; ``Quote.text == text[start:end]``.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from rasd.arabic import normalize_key, sentence_spans
from rasd.arabic.normalize import ARABIC_LETTER_CLASS, DIACRITIC_CLASS, TATWEEL
from rasd.enrich import quote_lexicon as lex
from rasd.records import Entity, Mention, Quote

__all__ = ["extract_quotes"]

# ---------------------------------------------------------------------------
# Regex building
# ---------------------------------------------------------------------------

_AR = ARABIC_LETTER_CLASS
# Marks allowed inside lexicon words: harakat, tanween, shadda, sukun, dagger
# alef, tatweel (a short class keeps the compiled tries small).
_MARKS = "[\u0640\u064b-\u0652\u0670]*"
# A word may start right after a non-letter, or after a letter that only
# ends words (ة، ى) or tanween: scraped text glues words (مساءًوقال، صلةأعرب).
_AR_NONFINAL = ARABIC_LETTER_CLASS.replace("\u0620-\u063f", "\u0620-\u0628\u062a-\u063f").replace(
    "\u0641-\u064a", "\u0641-\u0648\u064a"
)
_NONTANWEEN_MARKS = DIACRITIC_CLASS.replace("\u064b-\u065f", "\u064e-\u065f") + TATWEEL
_START = f"(?<![{_AR_NONFINAL}{_NONTANWEEN_MARKS}A-Za-z0-9])"
_END = f"(?![{_AR}A-Za-z0-9])"

_CHAR_CLASSES = {
    "ا": "[اأإآٱ]", "ي": "[يى]", "ه": "[هة]",
}
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ـ": None})


def _char_re(ch: str) -> str:
    if ch == " ":
        return r"\s+"
    if "\u0600" <= ch <= "\u06ff":
        return _CHAR_CLASSES.get(ch, re.escape(ch)) + _MARKS
    return re.escape(ch)


def _trie_re(words: Iterable[str]) -> str:
    """A regex matching any of ``words`` (folded), prefix-factored for speed."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in " ".join(word.translate(_FOLD).split()):
            node = node.setdefault(ch, {})
        node[""] = {}

    def gen(node: dict) -> str:
        alts = [_char_re(ch) + gen(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" in node:
            return f"(?:{body})?"
        return body

    return gen(trie)


def _key_set(words: Iterable[str]) -> frozenset[str]:
    return frozenset(normalize_key(w) for w in words)


# ---------------------------------------------------------------------------
# The lexicon: every word the scan looks for, classified by its key.
# ---------------------------------------------------------------------------

#: key -> ("verb", lemma) | ("source", None) | ("comp", None) |
#: ("media", (canon, rank)) | ("container", None)
_LEXICON: dict[str, tuple[str, object]] = {}
_SCAN_WORDS: list[str] = []


def _add(word: str, kind: str, info: object) -> None:
    _LEXICON.setdefault(normalize_key(word), (kind, info))
    _SCAN_WORDS.append(word)


for _lemma, _forms in lex.SPEECH_VERBS.items():
    for _form in _forms:
        _add(_form, "verb", _lemma)
for _word in lex.SOURCE_CUES:
    _add(_word, "source", None)
for _word in lex.COMPLEMENTIZERS:
    _add(_word, "comp", None)
for _canon, _fragments, _rank in lex.MEDIA:
    for _frag in _fragments:
        _add(_frag, "media", (_canon, _rank))
        if _rank >= 2 and " " not in _frag:
            _add("ب" + _frag, "media", (_canon, -_rank))  # ببيان: the lead is glued
for _word in lex.MEDIA_CONTAINERS:
    _add(_word, "container", None)

# One scan finds them all: a word start (a space, punctuation, or a glue
# point after ة/ى/tanween), an optional و/ف, a lexicon word, a word end.
# Starting on a consumed lead character lets the regex engine skip ahead with
# its first-character set instead of trying every position.
_LEAD = "[\\s()\\[\\]«»“”„\"'،؛,.:!؟?\\-–—/\u0629\u0649\u064b-\u064d]"
_WORD_BODY = f"(?P<pre>[وف]?)(?P<w>{_trie_re(_SCAN_WORDS)}){_END}"
_SCAN_RE = re.compile(_LEAD + _WORD_BODY)

_SOURCE_TAIL_RE = re.compile(
    r"\s*(?:لما\s+|ل" + _MARKS + r"\s*(?=\S))?(?:ما\s+)?"
    f"(?:{_trie_re(lex.SOURCE_VERBS)}{_END}\\s*)?"
)
_COMP_AT_RE = re.compile(f"{_START}(?:{_trie_re(lex.COMPLEMENTIZERS)}){_END}")
_INTRO_GAP_RE = re.compile(r"\s+(?:[^\s«»“”\"„:،,.؛;!؟?]+\s+){0,2}")
_PREP_RES: dict[str, re.Pattern[str]] = {
    lemma: re.compile(f"{_START}{_trie_re([prep])}" + (_END if len(prep) > 1 else f"(?=[{_AR}])"))
    for lemma, prep in lex.PREP_COMPLEMENT.items()
}
_PREP_INTRO_RES: dict[str, re.Pattern[str]] = {
    lemma: re.compile(
        f"{_START}{_trie_re([prep])}" + (
            "\\s+(?:[^\\s«»“”\"„:،,.؛;!؟?]+\\s+){0,2}$" if len(prep) > 1 else f"{_MARKS}\\s*$"
        )
    )
    for lemma, prep in lex.PREP_COMPLEMENT.items()
}
_NOT_COMP_BEFORE_RE = re.compile(f"{_START}(?:{_trie_re(lex.NOT_COMPLEMENT_BEFORE)}){_END}\\s*$")
_TURN_RE = re.compile(f"{_START}[وف]?(?:{_trie_re(lex.TURN_MARKERS)}){_END}[\\s،,]*$")
_MEDIA_LEAD_RE = re.compile(f"{_START}(?:{_trie_re(lex.MEDIA_LEADS)})\\s+$")
_CLAUSE_OPEN_RE = re.compile(
    "(?:^|[.؟?!:؛;]\\s*|" + _START + "(?:[وف]?(?:" + _trie_re(lex.CLAUSE_OPENERS) + ")|[وف])" + _END + "\\s*)$"
)
_KANA_SUBJECT_RE = re.compile(
    f"{_START}[وف]?(?:{_trie_re(('كان', 'كانت', 'كانوا'))}){_END}\\s+"
    f"([^\\s«»“”\"،,:.]+(?:\\s+[^\\s«»“”\"،,:.]+){{0,3}}?)\\s+(?:قد\\s+)?$"
)
_ADJECTIVES_RE = re.compile(f"(?:\\s+[اأإ]ل[{_AR}][{_AR}{DIACRITIC_CLASS}{TATWEEL}]*)*")
_QUOTED_BEFORE_RE = re.compile("[«“\"]([^«»“”\"\n]{1,40})[»”\"]$")
_QUOTED_NAME_RE = re.compile("\\s*[«“\"]([^«»“”\"\n]{1,30})[»”\"]")
_ON_SAYING_RE = re.compile(r"\s*[،,]?\s*على\s+حد\s+(?:قوله|قولها|قولهم|تعبيره|تعبيرها|وصفه|وصفها)")
_AFTER_QUOTE_GAP_RE = re.compile(r"[\s،,]*")
_COLON_END_RE = re.compile(r"[:：]\s*$")
_QUOTE_CHAIN_RE = re.compile(r"[»”\"]\s*[،,]?\s*و?\s*$")
_SVO_GAP_RE = re.compile(r"\s*(?:قد\s+|لقد\s+)?$")
_CLAUSE_CUT_RE = re.compile(r"[،,؛;]\s*(?:[^\s،,؛;]+\s+)?$")
_QMARK_RE = re.compile('[«»“”„"\n]')
_TOKEN_RE = re.compile(f"[{_AR}][{_AR}{DIACRITIC_CLASS}{TATWEEL}\u200c\u200d]*|[^\\W_]+|\\S")
_DIACRITICS_RE = re.compile(f"[{DIACRITIC_CLASS}{TATWEEL}]+")
_SPACE_RE = re.compile(r"\s+")
_TRIM = " \t\n\u00a0،,.؛;:!؟?-–—"

#: A quoted span shorter than this is speech only right after a colon; longer
#: ones need a speech cue (or a whole sentence of their own).
_MIN_QUOTE_WORDS = 4
_MAX_TITLE_WORDS = 4
_RELAY_LEMMAS = frozenset(lex.RELAY_VERBS)
# active participles: م- forms (مؤكدا، مشيرة) and فاعل forms (قائلا، لافتا)
_PARTICIPLE_KEYS = frozenset(
    normalize_key(form)
    for forms in lex.SPEECH_VERBS.values()
    for form in forms
    if form.startswith("م") and len(form) > 3
) | _key_set(lex.FAIL_PARTICIPLES)
_TITLE_STOP_KEYS = _key_set(lex.TITLE_STOPS)
_LAST_WORD_RE = re.compile(r"(\S+)\s+$")
_AN_RE = re.compile(f"{_START}عن{_END}")
_TIME_KEYS = _key_set(lex.TIME_WORDS)
_PREP_KEYS = _key_set(lex.PREPOSITIONS)
_TITLE_KEYS = _key_set(lex.TITLE_HEADS)
_SOURCE_HEAD_KEYS = _key_set(lex.SOURCE_HEADS)
_PP_PREFIXES = ("لل", "لوكال", "لصحيف", "لقناه", "لموقع", "لشبكه", "لاذاع", "لتلفزيون", "لمراسل", "لنظير")


_KEY_CACHE: dict[str, str] = {}


def _key(word: str) -> str:
    """normalize_key for single words, with a plain-dict cache (hot path)."""
    key = _KEY_CACHE.get(word)
    if key is None:
        if len(_KEY_CACHE) > 50_000:
            _KEY_CACHE.clear()
        key = _KEY_CACHE[word] = normalize_key(word)
    return key


def _classify(hit: _Hit) -> tuple[str, object]:
    return _LEXICON.get(_key(hit.w), ("", None))


def _clean_title(title: str) -> str:
    """A title phrase for display: no quote marks, single spaces."""
    return " ".join(title.translate(_NO_QUOTE_MARKS).split())


_NO_QUOTE_MARKS = str.maketrans("", "", "«»“”„\"")


def _is_cue_word(key: str) -> bool:
    kind = _LEXICON.get(key, ("",))[0] or (_LEXICON.get(key[1:], ("",))[0] if key[:1] in ("و", "ف") else "")
    return kind in ("verb", "source", "comp")


class _Hit(NamedTuple):
    """A lexicon word found by the scan (offsets in the text)."""

    lead: int  # the character before the word (-1 at the start of the text)
    start: int  # the word with its و/ف
    w_start: int  # the word without it
    end: int
    pre: str
    w: str


def _hit(m: re.Match[str], shift: int = 0) -> _Hit:
    pre, w = m.group("pre", "w")
    start = m.start("pre") - shift
    return _Hit(m.start() - shift, start, start + len(pre), m.end("w") - shift, pre, w)


def _scan(text: str) -> list[_Hit]:
    # the scan needs a lead character before each word: give the first one a space
    first = _word_at(text, 0)
    hits = [first] if first is not None else []
    hits.extend(_hit(m) for m in _SCAN_RE.finditer(text))
    return hits


def _word_at(text: str, pos: int) -> _Hit | None:
    """The lexicon word starting exactly at ``pos``, if any."""
    if pos <= 0:
        m = _SCAN_RE.match(" " + text[:64])
        return _hit(m, 1) if m is not None and m.start("pre") == 1 else None
    m = _SCAN_RE.match(text, pos - 1)
    return _hit(m) if m is not None and m.start("pre") == pos else None


_CUE_WORDS: dict[str, str] = {}


def _clean_cue(word: str) -> str:
    clean = _CUE_WORDS.get(word)
    if clean is None:
        clean = _SPACE_RE.sub(" ", _DIACRITICS_RE.sub("", word)).strip()
        if len(_CUE_WORDS) < 10_000:
            _CUE_WORDS[word] = clean
    return clean


# ---------------------------------------------------------------------------
# Working records
# ---------------------------------------------------------------------------


@dataclass
class _Cue:
    start: int  # including the و/ف prefix
    end: int
    pre: str
    word: str  # as written, without و/ف or diacritics
    lemma: str | None  # None for source cues
    # filled by the boundary pass
    bkind: str | None = None  # "comp" | "prep" | "colon" | "quote"
    bstart: int = -1
    bend: int = -1
    opens_quote: bool = False  # its clause is a direct quote (a flag, not the _Cand: no cycle via _Cand.gov)
    limit: int = -1  # where the search for its boundary stopped
    participle: bool = False  # مؤكداً، قائلاً: follows a clause, never "كان X"


@dataclass
class _Cand:
    open: int  # position of the opening mark
    close: int  # position of the closing mark (or line end)
    start: int  # inner text span, trimmed
    end: int
    words: int
    accepted: bool = False
    how: str = ""  # "gov" | "colon" | "trail" | "unit" | "chain"
    gov: _Cue | None = None
    prev: "_Cand | None" = None


@dataclass
class _Unit:
    start: int
    end: int
    quotes: list[tuple[int, int, str | None, str | None]] = field(default_factory=list)  # start, end, name, key


Speaker = tuple[str | None, str | None]


class _Article:
    """Per-call state: the text, sorted mentions, the running last speaker."""

    def __init__(self, text: str, entities: list[Entity], mentions: list[Mention],
                 resolve_title: Callable[[str], Entity | None] | None) -> None:
        self.text = text
        self.entities = {e.key: e for e in entities}
        self.mentions = sorted(mentions, key=lambda m: (m.start, -m.end))
        self.starts = [m.start for m in self.mentions]
        self.by_start = {m.start: m for m in reversed(self.mentions)}
        self.resolve_title_cb = resolve_title
        self.last: Speaker = (None, None)
        self.title_cache: dict[tuple[str, int], Speaker | None] = {}
        self.covered: list[tuple[int, int]] = []  # spans of emitted quote texts

    # -- mentions ----------------------------------------------------------
    def mention_at(self, pos: int) -> Mention | None:
        i = bisect_right(self.starts, pos) - 1
        while i >= 0:
            m = self.mentions[i]
            if m.start <= pos < m.end:
                return m
            if pos - m.start > 80:
                break
            i -= 1
        return None

    def speaker_of(self, m: Mention) -> Speaker:
        ent = self.entities.get(m.entity_key)
        if ent is not None:
            return ent.name, ent.key
        key = m.entity_key
        return (key.split(":", 1)[1] if ":" in key else m.surface), key

    def prepositional(self, m: Mention) -> bool:
        """Does the mention carry a glued ل/ب/ك (لبوتين، بالكرملين): an object, not a subject?"""
        surface = _key(m.surface)
        if surface[:1] in ("ل", "ب", "ك"):
            head = surface[:2]
        elif surface[:1] in ("و", "ف") and surface[1:2] in ("ل", "ب", "ك"):
            head = surface[1:3]
        else:
            return False
        ent = self.entities.get(m.entity_key)
        forms = [ent.name, *ent.aliases] if ent is not None else [m.entity_key.split(":", 1)[-1]]
        words = [word for form in forms for word in _key(form).split()]
        # the letter belongs to the name itself (بوتين، لافروف، فلاديمير)
        return not any(word.startswith(surface[:2]) or word.startswith(head) for word in words)

    def after_preposition(self, pos: int) -> bool:
        """Is the word before ``pos`` a preposition (مع بوتين، عن زيلينسكي)?"""
        m = _LAST_WORD_RE.search(self.text, max(0, pos - 16), pos)
        return m is not None and _key(m.group(1)) in _PREP_KEYS

    def entity_speaker(self, ent: Entity) -> Speaker:
        return ent.name, ent.key

    def is_covered(self, pos: int) -> bool:
        return any(a <= pos < b for a, b in self.covered)

    def per_mentions(self, lo: int, hi: int) -> list[Mention]:
        i, j = bisect_left(self.starts, lo), bisect_left(self.starts, hi)
        return [m for m in self.mentions[i:j] if m.type == "PER" and not self.is_covered(m.start)]

    # -- titles --------------------------------------------------------------
    def resolve_title(self, title: str, pos: int) -> Speaker:
        cached = self.title_cache.get((title, pos))
        if cached is not None:
            return cached
        result: Speaker = (_clean_title(title), None)
        ent = self.resolve_title_cb(result[0]) if self.resolve_title_cb and result[0] else None
        if ent is not None:
            result = self.entity_speaker(ent)
        else:
            before: Mention | None = None
            after: Mention | None = None
            text, i = self.text, self.text.find(title)
            while i >= 0:
                if i != pos:
                    j = _AFTER_QUOTE_GAP_RE.match(text, i + len(title)).end()
                    m = self.by_start.get(j)
                    if m is not None and m.type == "PER":
                        if i < pos:
                            before = m
                        elif after is None:
                            after = m
                i = text.find(title, i + 1)
            best = before or after
            if best is not None:
                result = self.speaker_of(best)
        self.title_cache[(title, pos)] = result
        return result


# ---------------------------------------------------------------------------
# Direct quote candidates
# ---------------------------------------------------------------------------


def _candidates(text: str) -> list[_Cand]:
    """Outermost quoted spans, line by line; an unclosed «/“ runs to the line end."""
    out: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []

    def flush(line_end: int) -> None:
        if stack and stack[0][0] != "straight":
            out.append((stack[0][1], line_end))
        stack.clear()

    def close(kind: str, pos: int) -> None:
        for k in range(len(stack) - 1, -1, -1):
            if stack[k][0] == kind:
                opened = stack[k][1]
                del stack[k:]
                if not stack:
                    out.append((opened, pos))
                return

    for m in _QMARK_RE.finditer(text):
        c, p = m.group(), m.start()
        if c == "\n":
            flush(p)
        elif c == "«":
            stack.append(("guil", p))
        elif c == "»":
            close("guil", p)
        elif c in "“„”":
            if stack and stack[-1][0] == "curly":
                close("curly", p)
            elif c == "”" and any(k == "curly" for k, _ in stack):
                close("curly", p)
            else:
                stack.append(("curly", p))
        else:  # straight "
            if any(k == "straight" for k, _ in stack):
                close("straight", p)
            else:
                stack.append(("straight", p))
    flush(len(text))

    cands = []
    for o, c in out:
        s, e = o + 1, c
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            cands.append(_Cand(o, c, s, e, len(text[s:e].split())))
    return cands


def _units(text: str, cands: list[_Cand], hot: list[int]) -> list[_Unit]:
    """Sentences of the lines holding a ``hot`` position (a cue or a quote),
    merged where a quote runs across a sentence boundary."""
    spans: list[tuple[int, int]] = []
    done = -1
    for p in hot:
        if p < done:
            continue
        line_start = text.rfind("\n", 0, p) + 1
        line_end = text.find("\n", p)
        if line_end < 0:
            line_end = len(text)
        spans.extend((s + line_start, e + line_start) for s, e in sentence_spans(text[line_start:line_end]))
        done = line_end + 1
    if not spans:
        return []
    starts = [s for s, _ in spans]
    joins = [False] * len(spans)  # joins[k]: unit k continues into unit k + 1
    for cand in cands:
        i = bisect_right(starts, cand.open) - 1
        j = bisect_right(starts, max(cand.open, cand.close - 1)) - 1
        for k in range(max(i, 0), j):
            joins[k] = True
    units: list[_Unit] = []
    begin = 0
    for k, (s, e) in enumerate(spans):
        if not joins[k] or k == len(spans) - 1:
            units.append(_Unit(spans[begin][0], e))
            begin = k + 1
    return units


# ---------------------------------------------------------------------------
# Speaker search
# ---------------------------------------------------------------------------


def _subject(art: _Article, a: int, b: int) -> tuple[str, object]:
    """Look for the subject of a speech verb in ``text[a:b]``.

    Returns ("entity", Mention) | ("title", (title_text, title_start)) |
    ("unknown", None) | ("none", None).
    """
    text = art.text
    title_start = -1
    title_end = -1
    title_words = 0
    definite = False
    title_done = False
    apposition = False
    in_pp = False
    skip_until = -1
    words = 0
    for m in _TOKEN_RE.finditer(text, a, b):
        p = m.start()
        if p < skip_until:
            continue
        tok = m.group()
        if not tok[0].isalnum():
            if tok in "،,؛;":
                if in_pp:
                    in_pp = False
                elif title_start >= 0:
                    if apposition:
                        break
                    apposition = True
                continue
            if tok in ":：":
                break
            continue
        words += 1
        if words > 14:
            break
        mention = art.mention_at(p)
        if mention is not None and not in_pp:
            if art.prepositional(mention):
                if title_start >= 0:
                    title_done = True
                in_pp = True
                skip_until = mention.end
                continue
            if title_start < 0 or mention.type == "PER":
                if title_done and mention.type != "PER":
                    break
                return "entity", mention
            if title_done or apposition:
                break
            skip_until = mention.end
            title_end = mention.end
            continue
        if in_pp:
            continue
        if apposition:
            break  # "title, X" where X is not a linked person
        key = _key(tok)
        if key in _TIME_KEYS or key.isdigit():
            if title_start >= 0:
                title_done = True
            continue
        if key in _PREP_KEYS or key.startswith(_PP_PREFIXES):
            if title_start >= 0:
                title_done = True
            in_pp = True
            continue
        if title_start < 0:
            if key in _TITLE_KEYS:
                title_start, title_end, title_words = p, m.end(), 1
                definite = key.startswith("ال")
                continue
            return "unknown", None
        if title_done or key in _TITLE_STOP_KEYS or _is_cue_word(key):
            break
        if definite and not key.startswith(("ال", "ب", "ل")):
            # الرئيس الروسي / المتحدث باسم ...: a definite title goes on with
            # adjectives (ال-) and ب/ل phrases; anything else is past its end
            # (الحكومة اليونانية آثاراً ...)
            break
        title_words += 1
        if title_words > _MAX_TITLE_WORDS:
            break
        title_end = m.end()
    if title_start >= 0:
        return "title", (text[title_start:title_end], title_start)
    return "none", None


class _Extractor:
    def __init__(self, art: _Article) -> None:
        self.art = art
        self.text = art.text
        self.out: list[Quote] = []

    # -- speaker resolution ----------------------------------------------------
    def explicit(self, cue: _Cue, region_end: int) -> tuple[str, Speaker]:
        """("entity"|"title"|"unknown"|"none", speaker) from the words after the cue."""
        kind, value = _subject(self.art, cue.end, max(cue.end, region_end))
        if kind == "entity":
            return kind, self.art.speaker_of(value)  # type: ignore[arg-type]
        if kind == "title":
            return kind, self.art.resolve_title(*value)  # type: ignore[misc]
        return kind, (None, None)

    def continuation(self, cue_start: int, unit: _Unit) -> Speaker:
        art, text = self.art, self.text
        if _TURN_RE.search(text, max(unit.start, cue_start - 24), cue_start):
            pers = art.per_mentions(0, cue_start)
            if pers:
                return art.speaker_of(pers[-1])
        if unit.quotes:
            return unit.quotes[-1][2], unit.quotes[-1][3]
        for m in art.per_mentions(unit.start, cue_start):
            if not art.prepositional(m) and not art.after_preposition(m.start):
                return art.speaker_of(m)
        return art.last

    def cue_speaker(self, cue: _Cue, region_end: int, unit: _Unit) -> Speaker:
        if cue.lemma is None:
            return self.source_speaker(cue, unit)[0]
        if cue.lemma in _RELAY_LEMMAS:
            about = _AN_RE.search(self.text, cue.end, max(cue.end, region_end))
            if about is not None:
                kind, value = _subject(self.art, about.end(), region_end)
                if kind == "entity":
                    return self.art.speaker_of(value)  # type: ignore[arg-type]
                if kind == "title":
                    return self.art.resolve_title(*value)  # type: ignore[misc]
        kind, speaker = self.explicit(cue, region_end)
        if kind != "none":
            return speaker
        if not cue.pre:
            lo = max(unit.start, cue.start - 12)
            gap = _SVO_GAP_RE.search(self.text, lo, cue.start)
            if gap is not None and gap.start() > unit.start:
                m = self.art.mention_at(gap.start() - 1)
                if m is not None and m.end == gap.start():
                    return self.art.speaker_of(m)
                named = _QUOTED_BEFORE_RE.search(self.text, max(unit.start, gap.start() - 50), gap.start())
                if named is not None and len(named.group(1).split()) <= 3:
                    inner = self.art.mention_at(named.start(1))
                    return self.art.speaker_of(inner) if inner is not None else (named.group(1).strip(), None)
            # إلا أن رئيس لجنة الأمن، مايكل ماكول، قال: a title subject before the verb
            if not cue.participle:
                fronted = self.fronted_subject(cue, unit)
                if fronted is not None:
                    return fronted
            # وكان كيري (قد) قال: an unlinked subject between كان and the verb
            kana = None if cue.participle else _KANA_SUBJECT_RE.search(
                self.text, max(unit.start, cue.start - 60), cue.start)
            if kana is not None:
                kind, value = _subject(self.art, kana.start(1), kana.end(1))
                if kind == "entity":
                    return self.art.speaker_of(value)  # type: ignore[arg-type]
                if kind == "title":
                    return self.art.resolve_title(*value)  # type: ignore[misc]
                return kana.group(1).strip(), None
        return self.continuation(cue.start, unit)

    def fronted_subject(self, cue: _Cue, unit: _Unit) -> Speaker | None:
        """A title phrase (with its name) right before a verb: SVO order."""
        text = self.text
        lo = max(unit.start, cue.start - 120)
        head = -1
        for tok in reversed(list(_TOKEN_RE.finditer(text, lo, cue.start))[-14:]):
            word = tok.group()
            if word in ".:«»“”\"!؟?" or (word[0].isalnum() and _is_cue_word(_key(word))):
                break  # the clause starts after this
            if word[0].isalnum() and _key(word) in _TITLE_KEYS:
                head = tok.start()  # keep the earliest: رئيس لجنة ... في مجلس النواب
        if head < 0 or not _CLAUSE_OPEN_RE.search(text, max(unit.start, head - 20), head) and head != unit.start:
            return None  # تركت الحكومة ...: the title is an object, not a fronted subject
        if len(text[head:cue.start].split()) > 10:
            return None
        kind, value = _subject(self.art, head, cue.start)
        if kind == "entity":
            return self.art.speaker_of(value)  # type: ignore[arg-type]
        if kind == "title":
            return self.art.resolve_title(*value)  # type: ignore[misc]
        return None

    def source_speaker(self, cue: _Cue, unit: _Unit) -> tuple[Speaker, int]:
        """The X of بحسب X: (speaker, end of the source phrase); end -1 if X is no source."""
        art, text = self.art, self.text
        pos = cue.end
        while pos < unit.end and text[pos].isspace():
            pos += 1
        m = art.mention_at(pos)
        if m is None:
            pos = _SOURCE_TAIL_RE.match(text, pos, unit.end).end()
            m = art.mention_at(pos)
        if m is not None:
            return art.speaker_of(m), m.end
        if pos < unit.end and text[pos] in "«“\"":
            close = text.find({"«": "»", "“": "”", '"': '"'}[text[pos]], pos + 1, unit.end)
            if close > pos and len(text[pos + 1:close].split()) <= 4:
                return (text[pos + 1:close].strip(), None), close + 1
            return (None, None), -1
        words = list(_TOKEN_RE.finditer(text, pos, min(unit.end, pos + 80)))
        if not words or _key(words[0].group()) not in _SOURCE_HEAD_KEYS:
            return (None, None), -1
        end = words[0].end()
        named = _QUOTED_NAME_RE.match(text, end, unit.end)
        if named is not None and len(named.group(1).split()) <= 4:
            # صحيفة «نيويورك تايمز»: the outlet's name
            inner = art.mention_at(named.start(1))
            if inner is not None:
                return art.speaker_of(inner), named.end()
            end = _ADJECTIVES_RE.match(text, named.end(), unit.end).end()  # «المدى» العراقي
            return (f"{words[0].group()} {named.group(1).strip()}", None), end
        definite = _key(words[0].group()).startswith("ال")
        for w in words[1:4]:
            if not w.group()[0].isalnum() or _COMP_AT_RE.match(text, w.start()):
                break
            if definite and not _key(w.group()).startswith("ال"):
                break  # بحسب التقرير أثار ...: the verb is not part of the source
            inner = art.mention_at(w.start())
            if inner is not None:
                return art.speaker_of(inner), inner.end
            end = w.end()
        return (text[pos:end], None), end

    # -- emission ----------------------------------------------------------------
    def emit(self, unit: _Unit, kind: str, start: int, end: int, speaker: Speaker,
             cue: str | None, medium: str | None = None, *, turn: bool = True) -> None:
        text = self.text
        while start < end and text[start] in _TRIM:
            start += 1
        while end > start and text[end - 1] in _TRIM:
            end -= 1
        if start >= end:
            return
        if kind == "indirect":
            if text[start] in "\"«“" and text.count({"«": "»", "“": "”"}.get(text[start], '"'), start + 1, end) == 0:
                start += 1  # an unclosed quote mark opening the clause
                while start < end and text[start] in _TRIM:
                    start += 1
            if len(text[start:end].split()) < 2:
                return
        name, key = speaker
        self.out.append(Quote(text=text[start:end], kind=kind, start=start, end=end,
                              speaker=name, speaker_key=key, cue=cue, medium=medium))
        unit.quotes.append((start, end, name, key))
        self.art.covered.append((start, end))
        if turn:  # "according to X" gives X no turn to speak
            self.art.last = (name, key)


def _medium_of(text: str, hit: _Hit, info: object) -> tuple[int, str, int] | None:
    """(position, canonical name, rank) for a media hit, or None if it is not one here."""
    canon, rank = info  # type: ignore[misc]
    if rank >= 2 and _MEDIA_LEAD_RE.search(text, max(0, hit.lead - 12), hit.start) is None:
        return None  # a bare بيان/كلمة is a noun, not where something was said
    return hit.w_start, canon, abs(rank)


def _cue_of(hit: _Hit, lemma: str | None) -> _Cue:
    word = _clean_cue(hit.w)
    cue = _Cue(hit.start, hit.end, hit.pre, word, lemma)
    cue.participle = _key(word) in _PARTICIPLE_KEYS
    return cue


def _comp_intro(text: str, comp_ends: list[int], lo: int, pos: int) -> bool:
    """Is there a complementizer at most two words before ``pos`` (and after ``lo``)?"""
    i = bisect_right(comp_ends, pos) - 1
    if i < 0 or comp_ends[i] < lo:
        return False
    m = _INTRO_GAP_RE.match(text, comp_ends[i], pos)
    return m is not None and m.end() == pos


def _trailing_cue(text: str, pos: int) -> _Cue | None:
    """A speech verb or source cue starting exactly at ``pos`` («...»، قال X)."""
    hit = _word_at(text, pos)
    if hit is None:
        return None
    kind, info = _classify(hit)
    if kind == "verb":
        return _cue_of(hit, info)  # type: ignore[arg-type]
    if kind == "source":
        return _cue_of(hit, None)
    return None


def extract_quotes(
    text: str,
    entities: list[Entity],
    mentions: list[Mention],
    *,
    resolve_title: Callable[[str], Entity | None] | None = None,
) -> list[Quote]:
    """Direct and indirect quotes of an article body, with speakers and media.

    ``entities``/``mentions`` come from the linking step (mention offsets index
    ``text``). ``resolve_title(title_text)`` may map a title-only speaker
    ("الرئيس الروسي") to an entity; without it (or when it returns None) the
    title is matched to a person named right after the same title elsewhere in
    the text. Returns quotes sorted by position; see the module docstring for
    the rules.
    """
    if not text:
        return []
    verb_cues: list[_Cue] = []
    source_cues: list[_Cue] = []
    comps: list[tuple[int, int]] = []  # complementizers without و/ف
    all_comp_ends: list[int] = []  # ends of all complementizers (وأن too)
    media: list[tuple[int, str, int]] = []
    for hit in _scan(text):
        kind, info = _classify(hit)
        if kind == "verb":
            verb_cues.append(_cue_of(hit, info))  # type: ignore[arg-type]
        elif kind == "comp":
            all_comp_ends.append(hit.end)
            if not hit.pre:
                comps.append((hit.w_start, hit.end))
        elif kind == "source":
            source_cues.append(_cue_of(hit, None))
        elif kind == "media":
            found = _medium_of(text, hit, info)
            if found is not None:
                media.append(found)
        elif kind == "container":
            q = _QUOTED_NAME_RE.match(text, hit.end)
            if q is not None and 0 < len(q.group(1).split()) <= 3:
                media.append((q.start(1), q.group(1).strip(), 0))
    if not verb_cues and not source_cues and not any(c in text for c in "«“\"”"):
        return []
    art = _Article(text, entities, mentions, resolve_title)
    ex = _Extractor(art)

    cands = _candidates(text)
    hot = sorted([c.start for c in verb_cues] + [c.start for c in source_cues] + [c.open for c in cands])
    units = _units(text, cands, hot)
    if not units:
        return []
    unit_starts = [u.start for u in units]
    media.sort()
    media_pos = [md[0] for md in media]
    comp_pos = [c[0] for c in comps]

    def unit_of(pos: int) -> _Unit | None:
        i = bisect_right(unit_starts, pos) - 1
        if i >= 0 and pos < units[i].end:
            return units[i]
        return None

    # --- 1. accept direct quotes (in order; cues inside accepted quotes drop out)
    accepted: list[_Cand] = []
    active: list[_Cue] = []
    ci = 0
    prev: _Cand | None = None
    for cand in cands:
        unit = unit_of(cand.open)
        # cues before this quote that are not inside an accepted quote
        while ci < len(verb_cues) and verb_cues[ci].start < cand.open:
            cue = verb_cues[ci]
            if not accepted or cue.start >= accepted[-1].close:
                active.append(cue)
            ci += 1
        if unit is None or cand.words == 0:
            continue
        gov = active[-1] if active and active[-1].start >= unit.start else None
        before = text[max(unit.start, cand.open - 120):cand.open]
        colon = _COLON_END_RE.search(before) is not None
        chained = (
            prev is not None and prev.accepted and prev.close >= unit.start
            and _QUOTE_CHAIN_RE.search(text, prev.close, cand.open) is not None
            and prev.close + 6 >= cand.open
        )
        if cand.words >= _MIN_QUOTE_WORDS:
            if chained:
                cand.how, cand.prev = "chain", prev
            elif gov is not None and len(text[gov.end:cand.open].split()) <= 2:
                cand.how = "gov"
            elif gov is not None and _comp_intro(text, all_comp_ends, max(unit.start, gov.end), cand.open):
                cand.how = "gov"
            elif gov is not None and gov.lemma in _PREP_INTRO_RES and _PREP_INTRO_RES[gov.lemma].search(
                text, max(gov.end, cand.open - 60), cand.open
            ):
                cand.how = "gov"  # دعا في افتتاح المحاكمة إلى «...»
            elif colon:
                cand.how = "gov" if gov is not None else "colon"
        elif colon and gov is not None:
            cand.how = "gov"
        if not cand.how and cand.words >= _MIN_QUOTE_WORDS:
            after = _AFTER_QUOTE_GAP_RE.match(text, cand.close + 1).end()
            if _ON_SAYING_RE.match(text, cand.close + 1):
                cand.how = "trail"
            elif after < unit.end and _trailing_cue(text, after) is not None:
                cand.how = "trail"
            elif text[unit.start:cand.open].strip(" و") == "":
                cand.how = "unit"
        if cand.how:
            cand.accepted = True
            cand.gov = gov if cand.how == "gov" else None
            accepted.append(cand)
        prev = cand
    for cue in verb_cues[ci:]:
        if not accepted or cue.start >= accepted[-1].close:
            active.append(cue)

    acc_opens = [c.open for c in accepted]

    # --- 2. boundaries of the speech verbs
    for k, cue in enumerate(active):
        unit = unit_of(cue.start)
        if unit is None:
            continue
        limit = min(unit.end, cue.end + 200)
        if k + 1 < len(active):
            limit = max(cue.end, min(limit, active[k + 1].start))
        cue.limit = limit
        best: tuple[int, int, str] | None = None
        for k2 in range(bisect_left(comp_pos, cue.end), len(comps)):
            c_start, c_end = comps[k2]
            if c_start >= limit:
                break
            if art.mention_at(c_start) is not None:
                continue
            if c_end - c_start <= 4 and _DIACRITICS_RE.sub("", text[c_start:c_end]).translate(_FOLD).lstrip("ب") == "ان" and _NOT_COMP_BEFORE_RE.search(
                text, max(cue.end, c_start - 12), c_start
            ):
                continue
            best = (c_start, c_end, "comp")
            break
        colon = text.find(":", cue.end, limit)
        if colon >= 0 and (best is None or colon < best[0]):
            best = (colon, colon + 1, "colon")
        prep = _PREP_RES.get(cue.lemma or "")
        if prep is not None:
            for m in prep.finditer(text, cue.end, best[0] if best else limit):
                if art.mention_at(m.start()) is None:
                    best = (m.start(), m.end(), "prep")
                    break
        i = bisect_left(acc_opens, cue.end)
        if i < len(accepted) and accepted[i].open < limit and (best is None or accepted[i].open < best[0]):
            best = (accepted[i].open, accepted[i].open, "quote")
        if best is None:
            continue
        cue.bstart, cue.bend, cue.bkind = best
        # a quote starting within two words of the clause start is that clause
        if i < len(accepted) and accepted[i].open >= cue.bend and accepted[i].gov is cue:
            if len(text[cue.bend:accepted[i].open].split()) <= 2:
                cue.opens_quote = True

    # --- 3. emit, unit by unit, in text order
    src_i = 0
    act_i = 0
    acc_i = 0
    for unit in units:
        events: list[tuple[int, int, object]] = []
        while act_i < len(active) and active[act_i].start < unit.end:
            cue = active[act_i]
            if cue.start >= unit.start:
                events.append((cue.start, 1, cue))
            act_i += 1
        while acc_i < len(accepted) and accepted[acc_i].open < unit.end:
            cand = accepted[acc_i]
            if cand.open >= unit.start:
                anchor = cand.gov.start if cand.gov is not None else cand.open
                events.append((anchor, 2, cand))
            acc_i += 1
        events.sort(key=lambda e: (e[0], e[1]))
        unit_cues = [e[2] for e in events if e[1] == 1]
        unit_srcs = []
        while src_i < len(source_cues) and source_cues[src_i].start < unit.end:
            if source_cues[src_i].start >= unit.start and not any(
                c.start <= source_cues[src_i].start < c.close for c in accepted
            ):
                unit_srcs.append(source_cues[src_i])
            src_i += 1
        unit_media = media[bisect_left(media_pos, unit.start):bisect_left(media_pos, unit.end)]

        covered_until = -1
        cue_speakers: dict[int, Speaker] = {}
        pending: list[tuple[Quote, int]] = []  # quote, anchor for medium lookup

        def speaker_for(cue: _Cue, region_end: int) -> Speaker:
            sp = cue_speakers.get(id(cue))
            if sp is None:
                sp = ex.cue_speaker(cue, region_end, unit)
                cue_speakers[id(cue)] = sp
            return sp

        for _, etype, obj in events:
            if etype == 1:
                cue = obj  # type: ignore[assignment]
                if cue.start < covered_until:
                    continue  # embedded in a reported clause
                if cue.bkind is None:
                    kind, sp = ex.explicit(cue, cue.limit)
                    if kind in ("entity", "title"):
                        art.last = sp
                    continue
                if cue.bkind == "quote" or cue.opens_quote:
                    continue  # the direct quote carries it
                sp = speaker_for(cue, cue.bstart)
                cs = cue.bend
                ce = unit.end
                j = bisect_left(acc_opens, cs)
                if j < len(accepted):
                    ce = min(ce, accepted[j].open)
                for other in unit_cues:
                    if other.start > cs and other.start < ce and other.bkind is not None:
                        tail = text[cs:other.start]
                        cut = _CLAUSE_CUT_RE.search(tail)
                        if cut is not None:
                            ce = cs + cut.start()
                            break
                        if other.pre:
                            ce = other.start
                            break
                for src in unit_srcs:
                    if cs < src.start < ce and text[cs:src.start].rstrip().endswith(("،", ",")):
                        ce = src.start
                        break
                n = len(ex.out)
                ex.emit(unit, "indirect", cs, ce, sp, cue.word)
                if len(ex.out) > n:
                    pending.append((ex.out[-1], cue.start))
                covered_until = max(covered_until, ce)
            else:
                cand = obj  # type: ignore[assignment]
                cue_word: str | None = None
                anchor = cand.open
                if cand.how == "gov" and cand.gov is not None:
                    gov = cand.gov
                    region_end = gov.bstart if 0 <= gov.bstart <= cand.open else cand.open
                    sp = speaker_for(gov, region_end)
                    cue_word, anchor = gov.word, gov.start
                elif cand.how == "chain" and cand.prev is not None:
                    prev_q = next((q for q in reversed(ex.out) if q.start >= cand.prev.start and q.kind == "direct"), None)
                    sp = (prev_q.speaker, prev_q.speaker_key) if prev_q else art.last
                    cue_word = prev_q.cue if prev_q else None
                elif cand.how == "trail":
                    after = _AFTER_QUOTE_GAP_RE.match(text, cand.close + 1).end()
                    if _ON_SAYING_RE.match(text, cand.close + 1):
                        sp = ex.continuation(cand.open, unit)
                        cue_word = "على حد قوله"
                    else:
                        tcue = _trailing_cue(text, after)
                        if tcue is not None and tcue.lemma is not None:
                            tcue = next((c for c in unit_cues if c.start == tcue.start), tcue)
                            end = tcue.bstart if tcue.bstart > tcue.end else (
                                tcue.limit if tcue.limit > tcue.end else min(unit.end, tcue.end + 120))
                            kind, sp = ex.explicit(tcue, end)
                            if kind == "none":
                                sp = ex.continuation(cand.open, unit)
                            cue_word, anchor = tcue.word, tcue.start
                        else:
                            scue = tcue  # a source cue: «...»، بحسب X
                            sp, _end = ex.source_speaker(scue, unit)
                            cue_word, anchor = scue.word, scue.start
                elif cand.how == "colon":
                    colon_pos = text.rfind(":", unit.start, cand.open)
                    before = text[unit.start:colon_pos].rstrip()
                    m = art.mention_at(unit.start + len(before) - 1) if before else None
                    sp = art.speaker_of(m) if m is not None else (None, None)
                else:  # "unit": a paragraph that is only a quote
                    sp = art.last
                n = len(ex.out)
                ex.emit(unit, "direct", cand.start, cand.end, sp, cue_word)
                if len(ex.out) > n:
                    pending.append((ex.out[-1], anchor))

        # --- "according to X" when nothing else in the sentence is quoted
        source_span = (-1, -1)
        if not unit.quotes:
            for src in unit_srcs:
                sp, x_end = ex.source_speaker(src, unit)
                if x_end < 0:
                    continue
                head = src.start - unit.start
                tail = unit.end - x_end
                if head >= tail:
                    s, e = unit.start, src.start
                else:
                    s, e = x_end, unit.end
                n = len(ex.out)
                ex.emit(unit, "indirect", s, e, sp, src.word, turn=False)
                if len(ex.out) > n:
                    pending.append((ex.out[-1], src.start))
                    source_span = (src.start, x_end)  # the source is no medium
                    break

        # --- media
        if pending and unit_media:
            spans = [(q.start, q.end) for q, _ in pending] + [source_span]
            outside = [md for md in unit_media if not any(a <= md[0] < b for a, b in spans)]
            if outside:
                for q, anchor in pending:
                    q.medium = min(outside, key=lambda md: (md[2], abs(md[0] - anchor)))[1]

    ex.out.sort(key=lambda q: (q.start, q.end))
    return ex.out
