"""A small curated knowledge base of people, organisations and places.

The data lives in ``rasd/data/kb/*.tsv`` (UTF-8, one entry a line)::

    type  name  aliases  titles  surname  context  ref

* ``type``: PER, ORG, LOC, MISC, or BLOCK (phrases that contain a known name
  but are something else, e.g. مجلس الأمن القومي: matching them produces no
  span, and being longer they win over the shorter name);
* ``name``: the canonical display name; the entry's stable key is
  ``f"{type}:{name}"`` ("PER:دونالد ترامب");
* ``aliases``: ``|``-separated spellings, short forms, Latin names;
* ``titles``: ``|``-separated titles that refer to the person, each
  optionally with the years it was held: ``الرئيس الأميركي@2017-2021,2025-``;
* ``surname``: ``|``-separated surnames (and their spellings) that name the
  person on their own (بوتين); several people may share one;
* ``context``: ``|``-separated words that favour this entry when a name is
  ambiguous (عمان: the Jordanian capital when the text says الأردن);
* ``ref``: free-form provenance (ISO code, time zone, role).

An alias or surname written ``~x`` is *weak*: a common word as well as a
name (الشرع, الجزيرة, مالي). Weak names are only taken when the same text
also names the entity unambiguously, when a tagger proposed the span with
the entry's type, or, for organisations, when quoted or after a media word
(صحيفة، قناة، وكالة...).

Entries with the same key in several files are merged, so ``places.tsv``
adds variants to the CLDR-generated ``places_cldr.tsv``. Earlier files win
ties between ambiguous entries (people, then organisations, then places).

All matching is on ``normalize_key`` forms, one word at a time, with the
clitics و ف ب ل ك ال لل tolerated on the first word (:func:`readings`).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rasd.arabic import normalize_key, word_spans

__all__ = [
    "DATA_DIR",
    "KBEntry",
    "KBMatch",
    "KnowledgeBase",
    "INSTITUTION_NOUNS",
    "NAME_PRECEDERS",
    "Scan",
    "TITLE_HEADS",
    "Title",
    "TitleMatch",
    "cmp_word",
    "fold",
    "phrase_words",
    "readings",
    "skeleton",
    "words_match",
]

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "kb"
#: Load order (= priority between ambiguous entries). Other *.tsv files in
#: the directory are read after these.
FILES: tuple[str, ...] = ("people.tsv", "orgs.tsv", "places_cldr.tsv", "places.tsv")

TYPES = frozenset({"PER", "ORG", "LOC", "MISC"})

# ---------------------------------------------------------------------------
# Word-level keys
# ---------------------------------------------------------------------------

_CONJ = ("", "و", "ف")
_PREP = ("", "ب", "ل", "ك")


@lru_cache(maxsize=1 << 16)
def readings(key: str) -> tuple[tuple[str, bool, int, bool], ...]:
    """Every way to read a ``normalize_key``'d word as clitics + a bare word.

    Returns ``(bare, article, cut, ll)`` tuples: ``bare`` is the word without
    clitics or article, ``article`` tells whether ال (or لل) preceded it,
    ``cut`` is how many letters precede the article (or the bare word when
    there is none), ``ll`` whether the article was written لل (ل + ال).
    The whole word is always the first reading::

        والولايات -> (والولايات, F, 0), (ولايات, T, 1), ...
        باسطنبول  -> (باسطنبول, F, 0), (اسطنبول, F, 1), ...

    Readings that strip a conjunction or preposition must leave 3 letters
    (2 after an article), so short words are not mangled into other names.
    """
    out: dict[tuple[str, bool], tuple[str, bool, int, bool]] = {}

    def add(bare: str, art: bool, cut: int, ll: bool) -> None:
        if (bare, art) not in out:
            out[(bare, art)] = (bare, art, cut, ll)

    for conj in _CONJ:
        if conj and not key.startswith(conj):
            continue
        r1 = key[len(conj):]
        for prep in _PREP:
            if prep and not r1.startswith(prep):
                continue
            r2 = r1[len(prep):]
            cut = len(conj) + len(prep)
            if prep == "ل" and r2.startswith("ل") and len(r2) >= 3:  # لل = ل + ال
                add(r2[1:], True, cut, True)
            if r2.startswith("ال") and len(r2) >= 4:
                add(r2[2:], True, cut, False)
            if cut == 0 or len(r2) >= 3:
                add(r2, False, cut, False)
    return tuple(out.values())


def cmp_word(key: str) -> str:
    """A word's comparison key: ``normalize_key`` form without the article."""
    if key.startswith("ال") and len(key) >= 4:
        return key[2:]
    return key


_FOLD_TABLE = str.maketrans({"غ": "ج", "ق": "ج", "ؤ": "و", "ئ": "ي", "ء": None})
_DOUBLE_RE = re.compile(r"(.)\1+")
_INNER_VOWELS_RE = re.compile("[اوي]")


@lru_cache(maxsize=1 << 15)
def fold(word: str) -> str:
    """Spelling-variant fold of a key word: غ/ق -> ج, hamza seats dropped,
    doubled letters single (سيرغي/سيرجي, ماتفيينكو/ماتفينكو)."""
    return _DOUBLE_RE.sub(r"\1", normalize_key(word).translate(_FOLD_TABLE))


@lru_cache(maxsize=1 << 15)
def skeleton(word: str) -> str:
    """:func:`fold` without the inner long vowels ا و ي (first and last letters
    kept): ترامب/ترمب -> ترمب, زيلينسكي/زيلنسكي -> زلنسكي, أميركا/أمريكا -> امركا.
    For linking to an entity already known, never for merging full names."""
    f = fold(word)
    if len(f) <= 2:
        return f
    return f[0] + _INNER_VOWELS_RE.sub("", f[1:-1]) + f[-1]


def words_match(a: str, b: str, last: bool) -> bool:
    """Whether two comparison words are spellings of the same name word.

    Equal keys always match. A G-class/hamza fold needs 5+ letters (so
    قاسم/جاسم stay apart); a vowel skeleton needs 4+ consonants for a
    surname (``last``), 5+ for a first or middle name (so محمد/محمود and
    سعد/سعيد stay apart as first names).
    """
    if a == b:
        return True
    if len(a) >= 5 and len(b) >= 5 and fold(a) == fold(b):
        return True
    sa = skeleton(a)
    return sa == skeleton(b) and len(sa) >= (4 if last else 5)


def seq_match(a: Sequence[str], b: Sequence[str]) -> bool:
    """Word-by-word :func:`words_match` of two equal-length word sequences."""
    if len(a) != len(b):
        return False
    n = len(a)
    return all(words_match(x, y, i == n - 1) for i, (x, y) in enumerate(zip(a, b)))


_VARIANTS: tuple[tuple[str, str], ...] = (
    ("اميرك", "امريك"),  # أميركا/أمريكا, الأميركي/الأمريكي
    ("امريك", "اميرك"),
    ("عبد ال", "عبدال"),  # عبد العزيز/عبدالعزيز
    ("عبدال", "عبد ال"),
)


def phrase_words(phrase: str) -> list[tuple[str, ...]]:
    """Key words of a KB phrase, with its spelling variants (see _VARIANTS).

    Words are cut exactly as :func:`rasd.arabic.word_spans` cuts text, so a
    phrase and its occurrence in an article yield the same words.
    """
    words = [normalize_key(phrase[s:e]) for s, e in word_spans(phrase)]
    base = " ".join(w for w in words if w)
    if not base:
        return []
    found = {base: None}
    for src, dst in _VARIANTS:
        for v in list(found):
            if src in v:
                found[v.replace(src, dst)] = None
    return [tuple(v.split(" ")) for v in found]


# ---------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Title:
    """A title a person held ("الرئيس الروسي"), with the years it was held."""

    text: str
    periods: tuple[tuple[int | None, int | None], ...] = ()  # () = any time

    def valid(self, year: int | None) -> bool:
        """Held in ``year`` (always True when the year is unknown)."""
        if year is None or not self.periods:
            return True
        return any((lo is None or lo <= year) and (hi is None or year <= hi) for lo, hi in self.periods)

    @property
    def current(self) -> bool:
        """Held now: no periods given, or one of them is open-ended."""
        return not self.periods or any(hi is None for _lo, hi in self.periods)

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class KBEntry:
    key: str  # "PER:دونالد ترامب"
    name: str
    type: str  # PER | ORG | LOC | MISC
    aliases: tuple[str, ...] = ()  # display spellings, canonical name excluded
    titles: tuple[Title, ...] = ()
    surnames: tuple[str, ...] = ()
    context: tuple[str, ...] = ()  # normalize_key'd words favouring this entry
    ref: str = ""
    priority: int = 0  # lower wins ties

    @property
    def surname(self) -> str | None:
        return self.surnames[0] if self.surnames else None


@dataclass(frozen=True)
class _Payload:
    entry: str | None  # entry key; None for a BLOCK phrase
    weak: bool
    kind: str  # "name" | "alias" | "surname"


class _Phrase:
    """A phrase of the index: the words after the first, and what it names."""

    __slots__ = ("n", "payloads", "plus", "rest")

    def __init__(self, rest: tuple[str, ...], plus: bool) -> None:
        self.rest = rest
        self.n = len(rest) + 1
        self.plus = plus  # written with a trailing "+" (أوبك+)
        self.payloads: list = []


class _Group:
    """The phrases sharing a first word: one-word phrases, and longer ones
    by their second word (so وزير/رئيس, which start dozens of titles, cost
    one dict look-up instead of a loop)."""

    __slots__ = ("by_second", "singles")

    def __init__(self) -> None:
        self.singles: list[_Phrase] = []
        self.by_second: dict[str, list[_Phrase]] = {}


class _PhraseIndex:
    """First word (bare, article) -> phrases starting with it, longest first."""

    def __init__(self) -> None:
        self.first: dict[tuple[str, bool], list[_Phrase]] = {}
        self.groups: dict[tuple[str, bool], _Group] = {}
        self._all: dict[tuple, _Phrase] = {}

    def add(self, words: tuple[str, ...], plus: bool, payload) -> None:
        first = words[0]
        bare, art = (first[2:], True) if first.startswith("ال") and len(first) >= 4 else (first, False)
        k = (bare, art, words[1:], plus)
        ph = self._all.get(k)
        if ph is None:
            ph = self._all[k] = _Phrase(words[1:], plus)
            self.first.setdefault((bare, art), []).append(ph)
            g = self.groups.setdefault((bare, art), _Group())
            if ph.rest:
                g.by_second.setdefault(ph.rest[0], []).append(ph)
            else:
                g.singles.append(ph)
        if payload not in ph.payloads:
            ph.payloads.append(payload)

    def freeze(self) -> None:
        order = lambda p: (-p.n, not p.plus)  # noqa: E731
        for lst in self.first.values():
            lst.sort(key=order)
        for g in self.groups.values():
            g.singles.sort(key=order)
            for lst in g.by_second.values():
                lst.sort(key=order)

    def candidates(self, rds) -> tuple[tuple[_Group, int, bool], ...]:
        """Phrase groups whose first word is one of the readings ``rds`` of
        a token, as ``(group, cut, ll)``, least-stripped reading first."""
        groups = self.groups
        return tuple((groups[(bare, art)], cut, ll) for bare, art, cut, ll in rds if (bare, art) in groups)


@dataclass(slots=True)
class KBMatch:
    """A KB phrase found in a text: the span, and the entries it may name."""

    start: int
    end: int
    tok_start: int
    tok_end: int  # exclusive
    entries: tuple[KBEntry, ...]  # best first; several when ambiguous
    kind: str  # "name" | "alias" | "surname"
    weak: bool
    type: str


@dataclass(slots=True)
class TitleMatch:
    start: int
    end: int
    tok_start: int
    tok_end: int
    text: str  # the KB title as written in the KB (its key)
    holders: tuple[tuple[KBEntry, Title], ...]


#: Head words of a title (bare key: clitics and article off). A title the
#: KB does not know is learned from an article only when it starts with one.
TITLE_HEADS = frozenset(
    normalize_key(w)
    for w in (
        "رئيس", "رئيسة", "وزير", "وزيرة", "متحدث", "متحدثة", "ناطق", "ناطقة", "ولي",
        "ملك", "أمير", "سلطان", "أمين", "مستشار", "مستشارة", "نائب", "نائبة", "سفير",
        "سفيرة", "مندوب", "مندوبة", "مبعوث", "مبعوثة", "قائد", "زعيم", "زعيمة", "مرشد",
        "مدير", "مديرة", "حاكم", "محافظ", "عاهل", "مفوض", "مفوضة", "ممثل", "ممثلة",
        "منسق", "منسقة", "مساعد", "مساعدة", "سكرتير", "عمدة", "قاضي", "مسؤول", "مسؤولة",
        "مفتي", "بطريرك",
    )
)

@dataclass(slots=True)
class Scan:
    """Everything one pass over a text finds: KB names, KB titles, and the
    token positions of title head words (for titles learned in-article)."""

    names: list[KBMatch]
    titles: list[TitleMatch]
    heads: list[int]


_NO_INFO = ()

#: Nouns that start the name of an institution or place named after a
#: person (مركز الملك سلمان للإغاثة, جامعة الملك سعود, مطار الملك خالد):
#: a person's name right after one of them is not a mention of the person.
INSTITUTION_NOUNS = frozenset(
    normalize_key(w)
    for w in (
        "مركز", "جامعة", "مدينة", "مستشفى", "مطار", "مؤسسة", "جائزة", "شارع", "طريق",
        "مجمع", "قاعدة", "كلية", "مكتبة", "برنامج", "صندوق", "ميناء", "جسر", "حديقة",
        "مسجد", "جامع", "معهد", "أكاديمية", "مدرسة", "قصر", "ملعب", "استاد", "ستاد",
        "مبنى", "برج", "منتدى", "كرسي", "وقف", "حي", "ميدان", "قاعة", "مشروع", "مبادرة",
        "سد", "محطة", "منحة", "وسام", "قلادة", "دار", "مجلس", "هيئة", "مستشفيات",
    )
)

#: Words that may stand right before a nasab surname (بن سلمان, آل ثاني)
#: used alone: verbs of saying/meeting and particles. Any other word there
#: is taken to be the first name of someone else (فيصل بن سلمان).
NAME_PRECEDERS = frozenset(
    normalize_key(w)
    for w in (
        "قال", "قالت", "أكد", "أعلن", "أضاف", "أوضح", "أشار", "شدد", "اعتبر", "رأى", "دعا",
        "التقى", "استقبل", "بحث", "زار", "وصل", "غادر", "ترأس", "تلقى", "أجرى", "أبلغ",
        "هنأ", "وجه", "أمر", "أصدر", "افتتح", "رعى", "كشف", "حذر", "طالب", "رحب", "ناقش",
        "يلتقي", "يزور", "يستقبل", "يبحث", "يقول", "أن", "إن", "مع", "عن", "على", "إلى",
        "من", "في", "بين", "قبل", "بعد", "لدى", "عند", "أمام", "حول", "وأن", "بأن", "لأن",
        "كان", "كانت", "قد", "لقد", "سمو", "الأمير", "الشيخ", "الملك", "ولي", "العهد",
    )
)

# Characters allowed between two words of one phrase: spaces, and the dots
# and hyphens of بي.بي.سي / الكونغو - كينشاسا. No newline, no comma.
_GAP_RE = re.compile(r"[ \t\u00a0.\-\u2013_]*")
_QUOTES_BEFORE = frozenset('"“«(\'‘„')
_QUOTES_AFTER = frozenset('"”»)\'’')
#: Words after which a weak organisation name (الجزيرة, الشرق الأوسط) is taken.
MEDIA_CUES = frozenset(
    normalize_key(w)
    for w in (
        "صحيفة", "جريدة", "قناة", "وكالة", "موقع", "شبكة", "تلفزيون", "إذاعة", "مجلة",
        "صحيفتا", "قناتا", "وكالتا", "لصحيفة", "لقناة", "لوكالة", "لموقع", "لشبكة",
        "بحسب", "حسب", "وفق", "وفقا", "نقلا", "نقلت", "ذكرت", "أفادت", "أوردت",
    )
)


def gap_ok(text: str, end: int, start: int) -> bool:
    """True when text[end:start] may sit between two words of a phrase."""
    if start - end == 1 and text[end] == " ":
        return True
    return _GAP_RE.fullmatch(text, end, start) is not None


def _parse_periods(spec: str) -> tuple[tuple[int | None, int | None], ...]:
    periods = []
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        if "-" in part:
            lo, hi = part.split("-", 1)
            periods.append((int(lo) if lo else None, int(hi) if hi else None))
        else:
            periods.append((int(part), int(part)))
    return tuple(periods)


def _split(field: str) -> list[str]:
    return [x.strip() for x in field.split("|") if x.strip()]


# ---------------------------------------------------------------------------
# The knowledge base
# ---------------------------------------------------------------------------


class KnowledgeBase:
    """Entries plus the phrase indexes used to find them in text."""

    def __init__(self, rows: Iterable[Sequence[str]] = ()) -> None:
        self.entries: dict[str, KBEntry] = {}
        self._names = _PhraseIndex()
        self._titles = _PhraseIndex()
        self._skel: dict[tuple[str, ...], list[tuple[str, tuple[str, ...], str, bool]]] = {}
        self._title_text: dict[tuple, str] = {}
        self.resolve_cache: dict = {}  # used by rasd.enrich.link
        self._tok_cache: dict[str, tuple] = {}
        self._heads: frozenset[str] = TITLE_HEADS
        self._build(rows)

    # -- loading ---------------------------------------------------------

    @classmethod
    def load(cls, path: str | Path | None = None) -> KnowledgeBase:
        """The KB in ``path`` (a directory of TSV files or one file).

        Default: the files shipped in ``rasd/data/kb``. Cached per path.
        """
        return _load_cached(str(Path(path).resolve()) if path is not None else str(DATA_DIR))

    @classmethod
    def from_files(cls, files: Iterable[str | Path]) -> KnowledgeBase:
        rows: list[list[str]] = []
        for f in files:
            with open(f, encoding="utf-8") as fh:
                for line in fh:
                    line = line.rstrip("\n\r")
                    if not line.strip() or line.lstrip().startswith("#"):
                        continue
                    fields = line.split("\t")
                    rows.append((fields + [""] * 7)[:7])
        return cls(rows)

    def _build(self, rows: Iterable[Sequence[str]]) -> None:
        merged: dict[str, dict] = {}
        blocks: list[str] = []
        for prio, row in enumerate(rows):
            typ, name, aliases, titles, surname, context, ref = (list(row) + [""] * 7)[:7]
            typ, name = typ.strip(), name.strip()
            if not name:
                continue
            if typ == "BLOCK":
                blocks += [name, *_split(aliases)]
                continue
            if typ not in TYPES:
                raise ValueError(f"knowledge base: unknown type {typ!r} for {name!r}")
            key = f"{typ}:{name}"
            e = merged.setdefault(
                key,
                {"name": name, "type": typ, "aliases": [], "weak": set(), "titles": [],
                 "surnames": [], "weak_surnames": set(), "context": [], "ref": [], "priority": prio},
            )
            for a in _split(aliases):
                weak = a.startswith("~")
                a = a.lstrip("~").strip()
                if weak:
                    e["weak"].add(a)
                if a != name and a not in e["aliases"]:
                    e["aliases"].append(a)
            for t in _split(titles):
                text, _, spec = t.partition("@")
                title = Title(text.strip(), _parse_periods(spec))
                if title not in e["titles"]:
                    e["titles"].append(title)
            for s in _split(surname):
                weak = s.startswith("~")
                s = s.lstrip("~").strip()
                if weak:
                    e["weak_surnames"].add(s)
                if s not in e["surnames"]:
                    e["surnames"].append(s)
            for c in _split(context):
                e["context"].append(normalize_key(c))
            if ref.strip():
                e["ref"].append(ref.strip())

        for key, e in merged.items():
            entry = KBEntry(
                key=key, name=e["name"], type=e["type"], aliases=tuple(e["aliases"]),
                titles=tuple(e["titles"]), surnames=tuple(e["surnames"]),
                context=tuple(dict.fromkeys(e["context"])), ref="; ".join(e["ref"]),
                priority=e["priority"],
            )
            self.entries[key] = entry
            phrases = [(entry.name, "name", entry.name in e["weak"])]
            phrases += [(a, "alias", a in e["weak"]) for a in entry.aliases]
            phrases += [(s, "surname", s in e["weak_surnames"]) for s in entry.surnames]
            for text, kind, weak in phrases:
                self._add_name(text, _Payload(key, weak, kind))
            for title in entry.titles:
                for words in phrase_words(title.text):
                    self._titles.add(words, False, (key, title))
                    self._title_text.setdefault(words, title.text)
        for text in blocks:
            self._add_name(text, _Payload(None, False, "name"))
        self._names.freeze()
        self._titles.freeze()
        # first words of the KB's titles are heads too (خادم الحرمين, سيد الكرملين)
        self._heads = TITLE_HEADS | {bare for (bare, _art) in self._titles.first}

    def _add_name(self, text: str, payload: _Payload) -> None:
        plus = text.rstrip().endswith("+")
        for words in phrase_words(text):
            self._names.add(words, plus, payload)
            if payload.entry is not None:
                cmp = tuple(cmp_word(w) for w in words)
                skel = tuple(skeleton(w) for w in cmp)
                lst = self._skel.setdefault(skel, [])
                item = (payload.entry, cmp, payload.kind, payload.weak)
                if item not in lst:
                    lst.append(item)

    # -- dictionary look-ups --------------------------------------------

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self):
        return iter(self.entries.values())

    def get(self, key: str) -> KBEntry | None:
        return self.entries.get(key)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for e in self.entries.values():
            out[e.type] = out.get(e.type, 0) + 1
        return out

    def _phrase_payloads(self, index: _PhraseIndex, words: Sequence[str], plus: bool = False):
        """Payloads of the index phrases equal to ``words`` (first word read
        with clitics), as ``(payload, phrase)`` pairs."""
        if not words:
            return []
        out = []
        rest = tuple(words[1:])
        for bare, art, _cut, _ll in readings(words[0]):
            for ph in index.first.get((bare, art), ()):
                if ph.rest == rest and ph.plus == plus:
                    out.extend(ph.payloads)
        return out

    def _sorted(self, keys: Iterable[str]) -> list[KBEntry]:
        uniq = dict.fromkeys(k for k in keys if k is not None)
        return sorted((self.entries[k] for k in uniq), key=lambda e: e.priority)

    def lookup(self, surface: str) -> list[KBEntry]:
        """Entries a surface form may name (after clitic stripping and
        normalisation), best first. Includes surnames, so "بوتين" finds
        Putin and "بارزاني" finds the three Barzanis. Weak names included."""
        words = [normalize_key(surface[s:e]) for s, e in word_spans(surface)]
        plus = surface.rstrip().endswith("+")
        return self._sorted(p.entry for p in self._phrase_payloads(self._names, words, plus))

    def titles(self, surface: str, year: int | None = None) -> list[KBEntry]:
        """People who hold (held, in ``year``) the title ``surface``."""
        words = [normalize_key(surface[s:e]) for s, e in word_spans(surface)]
        return self._sorted(k for k, t in self._phrase_payloads(self._titles, words) if t.valid(year))

    def title_holders(self, surface: str) -> list[tuple[KBEntry, Title]]:
        words = [normalize_key(surface[s:e]) for s, e in word_spans(surface)]
        seen = {}
        for k, t in self._phrase_payloads(self._titles, words):
            seen.setdefault((k, t), None)
        return [(self.entries[k], t) for k, t in seen]

    def skeleton_lookup(self, cmp_words: Sequence[str]) -> list[tuple[KBEntry, str, bool]]:
        """Entries with a name whose words match ``cmp_words`` under
        :func:`words_match` (spelling variants), as ``(entry, kind, weak)``."""
        skel = tuple(skeleton(w) for w in cmp_words)
        out = []
        for key, cmp, kind, weak in self._skel.get(skel, ()):
            if seq_match(cmp_words, cmp):
                out.append((self.entries[key], kind, weak))
        return out

    # -- finding names in text ------------------------------------------

    def _token_info(self, tok: str):
        """Per-token facts for the scanner, memoized per raw token:
        ``(name candidates, title candidates, is a title head)``, or an empty
        tuple for the vast majority of tokens that start nothing."""
        key = normalize_key(tok)
        rds = readings(key)
        nc = self._names.candidates(rds)
        tc = self._titles.candidates(rds)
        head = any(r[0] in self._heads for r in rds)
        info = (nc, tc, head) if (nc or tc or head) else _NO_INFO
        cache = self._tok_cache
        if len(cache) > 300_000:
            cache.clear()
        cache[tok] = info
        return info

    @staticmethod
    def _extend(cands, text: str, toks, strs, i: int, n: int, keys: dict[int, str]):
        """The longest candidate phrase matching at token ``i``: (j, phrase, end)."""
        e0 = toks[i][1]
        best = None
        for group, _cut, _ll in cands:
            if group.by_second and i + 1 < n and gap_ok(text, e0, toks[i + 1][0]):
                k2 = keys.get(i + 1)
                if k2 is None:
                    k2 = keys[i + 1] = normalize_key(strs[i + 1])
                for ph in group.by_second.get(k2, ()):
                    j = i + ph.n
                    if j > n or (best is not None and j <= best[0]):
                        continue
                    prev_end = toks[i + 1][1]
                    ok = True
                    for k in range(i + 2, j):
                        ts, te = toks[k]
                        if not gap_ok(text, prev_end, ts):
                            ok = False
                            break
                        kw = keys.get(k)
                        if kw is None:
                            kw = keys[k] = normalize_key(strs[k])
                        if kw != ph.rest[k - i - 1]:
                            ok = False
                            break
                        prev_end = te
                    if not ok:
                        continue
                    if ph.plus:
                        if text[prev_end:prev_end + 1] != "+":
                            continue
                        prev_end += 1
                    best = (j, ph, prev_end)
                    break
            if best is None:
                for ph in group.singles:
                    if ph.plus:
                        if text[e0:e0 + 1] != "+":
                            continue
                        best = (i + 1, ph, e0 + 1)
                    else:
                        best = (i + 1, ph, e0)
                    break
        return best

    def _raw_scan(self, text: str, toks: Sequence[tuple[int, int]], strs: Sequence[str] | None = None):
        """One pass: longest name matches, longest title matches (independent
        of each other), and title head positions."""
        if strs is None:
            strs = [text[s:e] for s, e in toks]
        names: list = []
        titles: list = []
        heads: list[int] = []
        cache = self._tok_cache
        infos = list(map(cache.get, strs))
        info_of = self._token_info
        extend = self._extend
        keys: dict[int, str] = {}
        n = len(toks)
        next_name = next_title = 0
        for i in [i for i, x in enumerate(infos) if x is not _NO_INFO]:
            info = infos[i]
            if info is None:
                info = info_of(strs[i])
                if not info:
                    continue
            nc, tc, head = info
            if head:
                heads.append(i)
            if nc and i >= next_name:
                r = extend(nc, text, toks, strs, i, n, keys)
                if r is not None:
                    names.append((i, *r))
                    next_name = r[0]
            if tc and i >= next_title:
                r = extend(tc, text, toks, strs, i, n, keys)
                if r is not None:
                    titles.append((i, *r))
                    next_title = r[0]
        return names, titles, heads

    def scan(self, text: str, toks: Sequence[tuple[int, int]] | None = None,
             strs: Sequence[str] | None = None) -> Scan:
        """KB names and titles in ``text`` (see :meth:`match`, :meth:`match_titles`).
        ``toks``/``strs``: its word spans and their strings, when known."""
        if toks is None:
            toks = word_spans(text)
        raw_names, raw_titles, heads = self._raw_scan(text, toks, strs)
        titles = []
        for i, j, ph, end in raw_titles:
            holders = tuple((self.entries[k], t) for k, t in ph.payloads)
            titles.append(TitleMatch(toks[i][0], end, i, j, holders[0][1].text, holders))
        return Scan(self._names_from_raw(text, toks, raw_names), titles, heads)

    def match(self, text: str, toks: Sequence[tuple[int, int]] | None = None) -> list[KBMatch]:
        """KB names in ``text``: longest match, token boundaries, clitics
        tolerated on the first word, weak names filtered (see module doc)."""
        return self.scan(text, toks).names

    def match_titles(self, text: str, toks: Sequence[tuple[int, int]] | None = None) -> list[TitleMatch]:
        """KB titles in ``text`` (longest match, clitics tolerated)."""
        return self.scan(text, toks).titles

    def _names_from_raw(self, text: str, toks, raw) -> list[KBMatch]:
        if not raw:
            return []
        strong: set[str] = set()
        for _i, _j, ph, _end in raw:
            for p in ph.payloads:
                if p.entry is not None and not p.weak:
                    strong.add(p.entry)
        words: set[str] | None = None
        out: list[KBMatch] = []
        for i, j, ph, end in raw:
            payloads = ph.payloads
            if any(p.entry is None for p in payloads):
                continue  # BLOCK phrase
            start = toks[i][0]
            if i > 0 and self._part_of_other_name(text, toks, i, payloads):
                continue
            if len(payloads) == 1 and not payloads[0].weak:
                entry = self.entries[payloads[0].entry]
                out.append(KBMatch(start, end, i, j, (entry,), payloads[0].kind, False, entry.type))
                continue
            chosen = [p for p in payloads if not p.weak]
            # weak person/place names: when the text names the entity plainly
            # too; weak organisation names (common words: سبق، اليوم، الوطن)
            # only when quoted or after a media word
            weak_ok = [p for p in payloads if p.weak and p.entry in strong
                       and self.entries[p.entry].type != "ORG"]
            cued = [p for p in payloads if p.weak and self.entries[p.entry].type == "ORG"
                    and self._cued(text, toks, i, start, end)]
            if cued:
                chosen = cued  # «الشرق الأوسط», صحيفة الشرق الأوسط: the outlet
            elif not chosen:
                chosen = weak_ok
            if not chosen:
                continue
            entries = self._sorted(p.entry for p in chosen)
            if len(entries) > 1 and any(e.context for e in entries):
                if words is None:
                    words = {normalize_key(text[s:e]) for s, e in toks}
                entries.sort(key=lambda e: (not any(c in words for c in e.context), e.priority))
            kinds = {p.kind for p in chosen if p.entry == entries[0].key}
            kind = "name" if "name" in kinds else "alias" if "alias" in kinds else "surname"
            out.append(KBMatch(start, end, i, j, tuple(entries), kind,
                               all(p.weak for p in chosen), entries[0].type))
        return out

    def _part_of_other_name(self, text: str, toks, i: int, payloads) -> bool:
        """A person's name inside another name: after an institution noun
        (مركز الملك سلمان), or a nasab surname after someone else's first
        name (فيصل بن سلمان, حمد بن جاسم آل ثاني)."""
        if not any(p.entry is not None and self.entries[p.entry].type == "PER" for p in payloads):
            return False
        ps, pe = toks[i - 1]
        if not gap_ok(text, pe, toks[i][0]) or "." in text[pe:toks[i][0]]:
            return False
        prev = normalize_key(text[ps:pe])
        rds = readings(prev)
        if any(r[0] in INSTITUTION_NOUNS for r in rds):
            return True
        first = normalize_key(text[toks[i][0]:toks[i][1]])
        if first in ("بن", "ابن", "ال", "ابو", "بنت") and all(p.kind == "surname" for p in payloads):
            if not prev or not ("\u0621" <= prev[0] <= "\u06ff"):
                return False
            return not any(r[0] in NAME_PRECEDERS or (r[1] and "ال" + r[0] in NAME_PRECEDERS)
                           for r in rds) and prev not in NAME_PRECEDERS
        return False

    def _cued(self, text: str, toks, i: int, start: int, end: int) -> bool:
        """Quoted/bracketed («الاتحاد», (واس), “الشرق الأوسط”) or right after
        a media word (صحيفة الاتحاد, بحسب الجزيرة)."""
        k = start - 1
        while k >= 0 and text[k] == " ":
            k -= 1
        opened = k >= 0 and text[k] in _QUOTES_BEFORE
        if opened:
            k = end
            while k < len(text) and text[k] == " ":
                k += 1
            if k < len(text) and (text[k] in _QUOTES_AFTER or text[k] in ",،"):
                return True
        if i > 0:
            ps, pe = toks[i - 1]
            if gap_ok(text, pe, start):
                for bare, art, _c, _l in readings(normalize_key(text[ps:pe])):
                    if not art and bare in MEDIA_CUES:
                        return True
        return False


@lru_cache(maxsize=8)
def _load_cached(path: str) -> KnowledgeBase:
    p = Path(path)
    if p.is_dir():
        known = [p / f for f in FILES if (p / f).exists()]
        extra = sorted(f for f in p.glob("*.tsv") if f.name not in FILES)
        files = known + extra
    else:
        files = [p]
    if not files:
        raise FileNotFoundError(f"no knowledge base files in {p}")
    return KnowledgeBase.from_files(files)
