"""Token features for the Arabic NER CRF.

Everything here is a pure function of the tokens plus read-only resources (word clusters,
gazetteers, a train-split lexicon) that are shipped with the model. Per-word-type features are
memoised, so tagging cost is dominated by a few list concatenations per token.

The module carries its own tiny Arabic normalisation (alef / ya / ta-marbuta folding,
diacritics and tatweel removal, Arabic-Indic digits) so that it does not depend on anything
else in rasd.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Sequence

# --------------------------------------------------------------------------- normalisation

_DIACRITICS = dict.fromkeys(list(range(0x064B, 0x0653)) + [0x0670, 0x0640, 0x200C, 0x200D, 0x200E, 0x200F], None)
_FOLD = {
    ord("أ"): "ا",
    ord("إ"): "ا",
    ord("آ"): "ا",
    ord("ٱ"): "ا",
    ord("ى"): "ي",
    ord("ة"): "ه",
    ord("ؤ"): "و",
    ord("ئ"): "ي",
    ord("ک"): "ك",
    ord("ی"): "ي",
}
_FOLD.update(_DIACRITICS)
for _i in range(10):
    _FOLD[0x0660 + _i] = str(_i)
    _FOLD[0x06F0 + _i] = str(_i)
_DIGITS_RE = re.compile(r"\d")


def normalize(word: str) -> str:
    """Fold a token to a lookup key: no diacritics/tatweel, alef/ya/ta-marbuta folded, Latin lower-cased."""
    return word.translate(_FOLD).lower()


def cluster_key(word: str) -> str:
    """Key used for word clusters: normalised, every digit mapped to 0."""
    return _DIGITS_RE.sub("0", normalize(word))


_TOKEN_RE = re.compile(r"[\u0621-\u063A\u0641-\u064A\u0660-\u0669\u0671-\u06D3\u064B-\u0652\u0670\u0640]+|[A-Za-z]+|\d+(?:[.,]\d+)*|\S")


def tokenize(text: str) -> list[str]:
    """Simple ANERcorp-like tokenisation: Arabic words (clitics attached), Latin words, numbers, punctuation."""
    return _TOKEN_RE.findall(text)


# --------------------------------------------------------------------------- clitics

# proclitic sequences (normalised forms), longest first
_PROCLITICS = (
    "وبال", "وكال", "وفال", "ولل", "فبال", "فلل", "فال",
    "وال", "بال", "كال", "لل", "ال",
    "وب", "ول", "وك", "فب", "فل",
    "و", "ف", "ب", "ل", "ك",
)
_PRO_FIRST = frozenset(p[0] for p in _PROCLITICS)
_ENCLITICS = ("هما", "كما", "هم", "هن", "كم", "كن", "ها", "نا", "ه", "ك", "ي")


@lru_cache(maxsize=200_000)
def strip_proclitics(w: str) -> tuple[tuple[str, str], ...]:
    """All (proclitic, stem) readings of a normalised word, stem length >= 2, longest clitic first."""
    if not w or w[0] not in _PRO_FIRST:
        return ()
    return tuple((p, w[len(p):]) for p in _PROCLITICS if w.startswith(p) and len(w) - len(p) >= 2)


def light_stem(w: str) -> str:
    """Longest-proclitic strip (stem >= 3 letters); used only as a feature, never trusted alone."""
    for p in _PROCLITICS:
        if w.startswith(p) and len(w) - len(p) >= 3:
            return w[len(p):]
    return w


def strip_enclitic(w: str) -> str:
    for s in _ENCLITICS:
        if w.endswith(s) and len(w) - len(s) >= 3:
            return w[: -len(s)]
    return w


# --------------------------------------------------------------------------- shape

_AR = re.compile(r"^[\u0621-\u064A\u0671-\u06D3]+$")
_LATIN = re.compile(r"[A-Za-z]")


def shape(word: str) -> str:
    if _AR.match(word):
        return "ar"
    if word.isdigit():
        return "d" + str(min(len(word), 5))
    if any(c.isdigit() for c in word):
        return "dmix"
    if _LATIN.search(word):
        if word.isupper() and len(word) > 1:
            return "LAT_UP"
        if word[:1].isupper():
            return "LAT_Cap"
        return "lat"
    if len(word) == 1 and not word.isalnum():
        return "p" + word
    return "other"


# --------------------------------------------------------------------------- triggers

TRIGGERS: dict[str, str] = {}
for _w in (
    "الرئيس رئيس الملك الامير الأمير الشيخ السيد السيدة الوزير وزير وزيرة نائب الجنرال العقيد اللواء "
    "العميد المستشار المستشاره الدكتور د الدكتوره الاستاذ الأستاذ الامين الأمين المتحدث الناطق السفير "
    "الرئيسه المبعوث الزعيم البابا الامام الإمام المدرب اللاعب النجم الفنان الفنانه المطرب المطربه الكاتب "
    "الروائي الشاعر المخرج الممثل الممثله القاضي المحامي رئيسه مساعد مدير المدير قائد القائد الجنرال "
    "المرشح النائب السناتور السيناتور الحاخام المفتي العاهل ولي الاخ الأخ زوجه زوج ابن بن ابو أبو ام أم "
    "بنت عبد الشهيد المتهم السجين الاسير الأسير الراحل الفقيد المغني الصحفي المراسل"
).split():
    TRIGGERS[normalize(_w)] = "per"
for _w in (
    "مدينه المدينه بلده قريه منطقه محافظه ولايه اقليم إقليم عاصمه العاصمه جزيره جزر نهر بحر خليج جبل "
    "جبال صحراء مخيم حي شارع ميناء مطار دوله دول جمهوريه مملكه امارة اماره بلدة شمال جنوب شرق غرب وسط "
    "شمالي جنوبي شرقي غربي ضواحي قرب"
).split():
    TRIGGERS[normalize(_w)] = "loc"
for _w in (
    "شركه الشركه جامعه الجامعه وزاره الوزاره منظمه المنظمه حزب الحزب حركه الحركه مجلس المجلس وكاله "
    "الوكاله مؤسسه المؤسسه جمعيه الجمعيه اتحاد الاتحاد نادي النادي فريق الفريق بنك البنك مصرف المصرف "
    "صحيفه الصحيفه جريده الجريده قناه القناه تلفزيون اذاعه إذاعة هيئه الهيئه لجنه اللجنه مركز المركز "
    "معهد المعهد مجموعه المجموعه جيش الجيش محكمه المحكمه برلمان البرلمان منتخب المنتخب تنظيم التنظيم "
    "صندوق الصندوق مستشفى مدرسه كليه جبهه الجبهه"
).split():
    TRIGGERS[normalize(_w)] = "org"
for _w in "قال واضاف وأضاف اعلن أعلن صرح اكد أكد اشار أشار اوضح أوضح ذكر قالت اضافت أضافت اكدت أكدت".split():
    TRIGGERS[normalize(_w)] = "say"
for _w in "في من الى إلى عن على داخل الي نحو بين".split():
    TRIGGERS[normalize(_w)] = "prep"


# --------------------------------------------------------------------------- extractor


class Resources:
    """Read-only lookup tables used by the features (all keyed by normalised text)."""

    def __init__(
        self,
        clusters: dict[str, tuple[str, ...]] | None = None,
        gazetteer: dict[tuple[str, ...], set[str]] | None = None,
        lexicon: dict[str, str] | None = None,
        stem_lexicon: dict[str, str] | None = None,
    ):
        self.clusters = clusters or {}
        self.gazetteer = gazetteer or {}  # token tuple -> set of types
        self.gaz_first: dict[str, int] = {}
        for k in self.gazetteer:
            self.gaz_first[k[0]] = max(self.gaz_first.get(k[0], 0), len(k))
        # single-token gazetteer entries also reachable through clitic stripping
        self.gaz_single: dict[str, set[str]] = {k[0]: v for k, v in self.gazetteer.items() if len(k) == 1}
        self.lexicon = lexicon or {}
        self.stem_lexicon = stem_lexicon or {}


class FeatureExtractor:
    """Turns a token list into crfsuite attribute lists."""

    # which per-type features are copied to neighbours, by offset
    WINDOW = (-2, -1, 1, 2)

    def __init__(self, res: Resources | None = None, groups: Iterable[str] | None = None):
        self.res = res or Resources()
        self.groups = set(groups) if groups is not None else {
            "affix", "clitic", "shape", "cluster", "trigger", "gaz", "lex", "bigram",
        }
        self._cache: dict[str, tuple[list[str], dict[int, list[str]]]] = {}

    # ----------------------------------------------------------------- per-type
    def _clusters_for(self, n: str, stem: str) -> tuple[str, ...] | None:
        cl = self.res.clusters
        k = _DIGITS_RE.sub("0", n)
        if k in cl:
            return cl[k]
        for _p, s in strip_proclitics(k):
            if s in cl:
                return cl[s]
        return None

    def _type_features(self, word: str) -> tuple[list[str], dict[int, list[str]]]:
        g = self.groups
        n = normalize(word)
        f = ["b", "w=" + n]
        ctx = ["w=" + n]  # what neighbours see
        shp = shape(word)
        stem = light_stem(n) if shp == "ar" else n
        if "shape" in g:
            f.append("sh=" + shp)
            f.append("len=" + str(min(len(n), 8)))
            ctx.append("sh=" + shp)
            if word != n and shp.startswith("lat"):
                f.append("wraw=" + word)
        if "affix" in g and shp == "ar":
            for i in (1, 2, 3, 4):
                if len(n) > i:
                    f.append(f"p{i}=" + n[:i])
                    f.append(f"s{i}=" + n[-i:])
        if "clitic" in g and shp == "ar":
            f.append("st=" + stem)
            ctx.append("st=" + stem)
            if stem != n:
                f.append("pc=" + n[: len(n) - len(stem)])
                for i in (2, 3):
                    if len(stem) > i:
                        f.append(f"sp{i}=" + stem[:i])
                        f.append(f"ss{i}=" + stem[-i:])
            es = strip_enclitic(stem)
            if es != stem:
                f.append("est=" + es)
            if n.startswith("ال") or n.startswith("وال") or n.startswith("بال") or n.startswith("لل"):
                f.append("al")
        if "cluster" in g and self.res.clusters:
            c = self._clusters_for(n, stem)
            if c is None:
                f.append("c=UNK")
                ctx.append("c=UNK")
            else:
                for i, cid in enumerate(c):
                    f.append(f"c{i}={cid}")
                    ctx.append(f"c{i}={cid}")
        if "trigger" in g:
            t = TRIGGERS.get(n) or TRIGGERS.get(stem)
            if t:
                f.append("tr=" + t)
                ctx.append("tr=" + t)
        if "gaz" in g and self.res.gaz_single:
            types = self.res.gaz_single.get(n)
            if types is None and shp == "ar":
                for _p, s in strip_proclitics(n):
                    types = self.res.gaz_single.get(s)
                    if types:
                        f.append("gazst")
                        break
            if types:
                for t in sorted(types):
                    f.append("g1=" + t)
                    ctx.append("g1=" + t)
        if "lex" in g and self.res.lexicon:
            lx = self.res.lexicon.get(n)
            if lx:
                f.append("lx=" + lx)
                ctx.append("lx=" + lx)
            elif shp == "ar":
                for _p, s in strip_proclitics(n):
                    lx = self.res.stem_lexicon.get(s)
                    if lx:
                        f.append("lxs=" + lx)
                        ctx.append("lxs=" + lx)
                        break
        by_off = {o: [f"{o}:{x}" for x in ctx] for o in self.WINDOW}
        return f, by_off

    def type_features(self, word: str):
        r = self._cache.get(word)
        if r is None:
            r = self._type_features(word)
            if len(self._cache) < 200_000:
                self._cache[word] = r
        return r

    # ----------------------------------------------------------------- per-sentence
    def _gaz_spans(self, norms: Sequence[str]) -> list[list[str]]:
        out: list[list[str]] = [[] for _ in norms]
        gz = self.res.gazetteer
        first = self.res.gaz_first
        i, n = 0, len(norms)
        while i < n:
            maxlen = first.get(norms[i], 0)
            if maxlen < 2:
                i += 1
                continue
            hit = 0
            for L in range(min(maxlen, n - i), 1, -1):
                types = gz.get(tuple(norms[i : i + L]))
                if types:
                    for t in types:
                        out[i].append("gB=" + t)
                        for j in range(i + 1, i + L):
                            out[j].append("gI=" + t)
                    hit = L
                    break
            i += hit or 1
        return out

    def sent_features(self, tokens: Sequence[str]) -> list[list[str]]:
        n = len(tokens)
        tf = [self.type_features(t) for t in tokens]
        norms = [x[0][1][2:] for x in tf]  # "w=..." is always index 1
        out: list[list[str]] = []
        bigram = "bigram" in self.groups
        gaz_multi = self.res.gazetteer and "gaz" in self.groups
        spans = self._gaz_spans(norms) if gaz_multi else None
        for i in range(n):
            feats = list(tf[i][0])
            if i == 0:
                feats.append("BOS")
            else:
                feats += tf[i - 1][1][-1]
                if i > 1:
                    feats += tf[i - 2][1][-2]
            if i == n - 1:
                feats.append("EOS")
            else:
                feats += tf[i + 1][1][1]
                if i < n - 2:
                    feats += tf[i + 2][1][2]
            if bigram:
                prev = norms[i - 1] if i else "<s>"
                nxt = norms[i + 1] if i < n - 1 else "</s>"
                feats.append("bg-=" + prev + "|" + norms[i])
                feats.append("bg+=" + norms[i] + "|" + nxt)
            if spans is not None and spans[i]:
                feats += spans[i]
            out.append(feats)
        return out
