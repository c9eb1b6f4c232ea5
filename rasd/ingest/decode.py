"""Bytes → text, without guessing blindly.

Order of the checks (first one that succeeds wins):

1. a byte-order mark: UTF-8-sig, UTF-32 LE/BE, UTF-16 LE/BE;
2. UTF-16 without BOM, when the bytes hold NULs in a UTF-16 pattern (UTF-8 text
   never contains NUL bytes, so this comes before the UTF-8 check);
3. strict UTF-8 (no NUL bytes);
4. "lossy" UTF-8: clearly UTF-8 text with a handful of broken sequences (a file
   cut in the middle of a character, one corrupt byte); the broken bytes become
   U+FFFD and the encoding is reported as "utf-8 (lossy)";
5. a charset declared by the caller (e.g. an HTML <meta charset>);
6. windows-1256, when the non-ASCII characters it gives are overwhelmingly Arabic
   (and do not look like UTF-8 read as windows-1256);
7. windows-1252 when every non-ASCII character is a Western European letter or
   common typography and the words look like words;
8. charset-normalizer (single-byte news code pages only), accepted only if its
   text is plausible (printable, in a script we expect, words of one script
   with sane case, not mojibake).

Anything else raises DecodeError.
"""
from __future__ import annotations

import codecs
import re

__all__ = ["DecodeError", "decode_bytes", "encoding_label", "plausible_fraction", "words_plausible"]

UNKNOWN_ENCODING = "unknown text encoding (not UTF-8, UTF-16 or windows-1256)"

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    # UTF-32 first: its LE BOM starts with the UTF-16 LE BOM.
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)

# Characters we expect in a news page: ASCII printable and whitespace, Latin-1
# and Latin Extended-A/B, Greek, Cyrillic, Hebrew, Arabic (+ supplement,
# extended-A, presentation forms), general punctuation (incl. ZWNJ, LRM/RLM),
# currency and letterlike symbols, and the BOM / zero-width no-break space.
_IMPLAUSIBLE = re.compile(
    "[^\t\n\r\f\x20-\x7e"
    "\u00a0-\u024f"
    "\u0370-\u03ff\u0400-\u052f\u0590-\u05ff"
    "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff"
    "\u2000-\u206f\u20a0-\u20cf\u2100-\u214f\u2190-\u21ff\u2460-\u24ff\u25a0-\u25ff"
    "\ufb50-\ufdff\ufe70-\ufeff\ufffd]"
)
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# Arabic script as produced by windows-1256, plus the joiners/marks it encodes.
_ARABIC_ISH = re.compile("[\u0600-\u06ff\u200c-\u200f]")
_C0_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
_LATIN_EXT_LETTER = re.compile("[\u00c0-\u024f]")
_LETTER_ASCII = re.compile("[A-Za-z]")

_SAMPLE = 200_000  # characters inspected by the plausibility checks

# Word check for single-byte guesses: whitespace-separated tokens that hold a
# non-ASCII letter must look like words of ONE script (letters, optional inner
# hyphen/apostrophe/dot, non-letters around them) with sane letter case.
# Random bytes and mojibake give tokens that mix scripts, symbols and case
# ("ÐµÑ", "ќПіЛФ", "غوآOضEa").
_SCRIPTS = {  # name: (letters, combining marks, cased)
    "latin": ("A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f", "", True),
    "arabic": (
        "\u0621-\u063a\u0641-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06fa-\u06fc",
        "\u0640\u064b-\u065f\u0670\u200c\u200d",
        False,
    ),
    "cyrillic": ("\u0400-\u0481\u048a-\u052f", "\u0483-\u0489", True),
    "greek": ("\u0386\u0388-\u03ff", "", True),
    "hebrew": ("\u05d0-\u05ea\u05f0-\u05f2", "\u0591-\u05c7", False),
}
_NON_LETTER = r"(?:[\d_]|[^\w])"
_WORD_RES = [
    (
        re.compile(
            rf"^{_NON_LETTER}*?((?:[{letters}][{letters}{marks}]*)(?:[-'’.][{letters}][{letters}{marks}]*)*){_NON_LETTER}*$"
        ),
        cased,
    )
    for letters, marks, cased in _SCRIPTS.values()
]
_TOKEN_WITH_NON_ASCII_LETTER = re.compile(r"\S*[^\x00-\x7f\W\d_]\S*")
_WORD_SPLIT = re.compile(r"[-'’.]")


def _sane_case(word: str) -> bool:
    for part in _WORD_SPLIT.split(word):
        if len(part) > 1 and not (part.islower() or part.isupper() or (part[0].isupper() and part[1:].islower())):
            return False
    return True


def words_plausible(text: str) -> float | None:
    """Share of the tokens with a non-ASCII letter that look like real words (None: no such token)."""
    tokens = _TOKEN_WITH_NON_ASCII_LETTER.findall(text[:50_000])
    if not tokens:
        return None
    clean = 0
    for token in tokens:
        if len(token) > 40:
            continue
        for regex, cased in _WORD_RES:
            m = regex.match(token)
            if m and (not cased or _sane_case(m.group(1))):
                clean += 1
                break
    return clean / len(tokens)


class DecodeError(ValueError):
    """The bytes are not text in an encoding we can identify."""

    def __init__(self, reason: str = UNKNOWN_ENCODING) -> None:
        super().__init__(reason)
        self.reason = reason


def plausible_fraction(text: str) -> float:
    """Share of the characters of `text` (sampled) that we expect in a news page."""
    sample = text[:_SAMPLE]
    if not sample:
        return 1.0
    return 1.0 - len(_IMPLAUSIBLE.findall(sample)) / len(sample)


def decode_bytes(data: bytes, *, declared: str | None = None) -> tuple[str, str]:
    """Decode `data` and return (text, encoding); raise DecodeError if unsure.

    `declared` is an optional charset announced by the document itself (HTML
    <meta charset>); it is trusted only after BOMs, UTF-16 and UTF-8 fail, and a
    declared Latin charset does not override clearly Arabic windows-1256 bytes.
    """
    if not data:
        return "", "utf-8"

    # 1. BOM
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec), label
            except UnicodeDecodeError as exc:
                raise DecodeError(f"invalid {label.upper()} text after its byte-order mark: {exc.reason}") from None

    has_nul = b"\x00" in data

    # 2. UTF-16 without BOM (NUL bytes in every other position for ASCII/Arabic)
    if has_nul:
        found = _try_utf16(data)
        if found is not None:
            return found
        raise DecodeError(UNKNOWN_ENCODING + "; it contains NUL bytes")

    # 3. strict UTF-8
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass

    # 4. UTF-8 with a few broken sequences
    lossy = _try_lossy_utf8(data)
    if lossy is not None:
        return lossy, "utf-8 (lossy)"

    # 5./6. declared charset, windows-1256
    arabic = _try_cp1256(data)
    if declared:
        codec = _codec_name(declared)
        if codec and codec not in ("utf-8", "utf-16", "utf-32"):
            latin = codec in ("latin-1", "iso8859-1", "cp1252", "ascii")
            if not (latin and arabic is not None):
                try:
                    text = data.decode(codec)
                except UnicodeDecodeError:
                    pass
                else:
                    if not _C0_CONTROLS.search(text[:_SAMPLE]):
                        return text, encoding_label(codec)
    if arabic is not None:
        return arabic, "windows-1256"

    # 7. Western European windows-1252 (charset-normalizer confuses it with
    #    Baltic/Central European pages on short texts), then charset-normalizer
    western = _try_cp1252(data)
    if western is not None:
        return western, "windows-1252"
    found = _try_charset_normalizer(data)
    if found is not None:
        return found
    raise DecodeError(UNKNOWN_ENCODING)


def _codec_name(label: str) -> str | None:
    """Python codec name for a charset label ("windows-1256" → "cp1256"), None if unknown."""
    try:
        return codecs.lookup(label.strip().strip("\"'").lower()).name
    except LookupError:
        return None


def encoding_label(codec: str) -> str:
    """The usual (WHATWG-style) label for a Python codec: cp1256 → windows-1256, iso8859-6 → iso-8859-6."""
    name = _codec_name(codec) or codec
    if re.fullmatch(r"cp125\d", name):
        return "windows-" + name[2:]
    m = re.fullmatch(r"iso8859-(\d+)", name)
    if m:
        return f"iso-8859-{m.group(1)}"
    return name


def _try_utf16(data: bytes) -> tuple[str, str] | None:
    if len(data) < 2:
        return None
    even_nuls = data[0::2].count(0)
    odd_nuls = data[1::2].count(0)
    # ASCII in UTF-16 LE has NULs at odd positions; BE at even positions.
    order = ("utf-16-le", "utf-16-be") if odd_nuls >= even_nuls else ("utf-16-be", "utf-16-le")
    body = data if len(data) % 2 == 0 else data[:-1]
    for codec in order:
        try:
            text = body.decode(codec)
        except UnicodeDecodeError:
            continue
        if "\x00" in text[:_SAMPLE]:
            continue
        if plausible_fraction(text) >= 0.97 and not _C0_CONTROLS.search(text[:_SAMPLE]):
            return text, codec
    return None


def _try_lossy_utf8(data: bytes) -> str | None:
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    if bad <= 0:
        return text
    multibyte = len(_NON_ASCII.findall(text)) - bad
    # A few broken sequences inside plenty of valid multi-byte characters.
    if bad <= 3 + multibyte // 500 and multibyte >= 20 * bad:
        return text
    return None


def _try_cp1256(data: bytes) -> str | None:
    try:
        text = data.decode("cp1256")
    except UnicodeDecodeError:  # pragma: no cover - cp1256 maps all 256 bytes
        return None
    sample = text[:_SAMPLE]
    if _C0_CONTROLS.search(sample):
        return None
    non_ascii = _NON_ASCII.findall(sample)
    if not non_ascii:
        return None
    arabic = len(_ARABIC_ISH.findall(sample))
    if arabic < 0.85 * len(non_ascii):
        return None
    # UTF-8 Arabic read as windows-1256 is a run of ط/ظ (lead bytes D8/D9)
    # alternating with other characters; real Arabic uses them rarely.
    ta_za = sample.count("\u0637") + sample.count("\u0638")
    if arabic >= 20 and ta_za > 0.25 * arabic:
        return None
    words = words_plausible(sample)
    if words is None or words < 0.8:
        return None
    return text


_WESTERN = re.compile("[àâäáãåæçéèêëîïíìôöóòõøœùûüúÿñßÀÂÄÁÃÅÆÇÉÈÊËÎÏÍÌÔÖÓÒÕØŒÙÛÜÚŸÑ]")
_TYPOGRAPHY = re.compile("[«»“”‘’–—…•€£¥©®°·\u00a0]")


def _try_cp1252(data: bytes) -> str | None:
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:  # 0x81 0x8D 0x8F 0x90 0x9D are undefined
        return None
    sample = text[:_SAMPLE]
    if _C0_CONTROLS.search(sample):
        return None
    non_ascii = len(_NON_ASCII.findall(sample))
    if not non_ascii:
        return None
    known = len(_WESTERN.findall(sample)) + len(_TYPOGRAPHY.findall(sample))
    if known < 0.95 * non_ascii:
        return None
    words = words_plausible(sample)
    if words is not None and words < 0.9:
        return None
    latin_ext = len(_LATIN_EXT_LETTER.findall(sample))
    if latin_ext > 0.3 * (latin_ext + len(_LETTER_ASCII.findall(sample))):
        return None
    return text


def _try_charset_normalizer(data: bytes) -> tuple[str, str] | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - it is a dependency
        return None
    best = next((m for m in from_bytes(data) if m.encoding in _NORMALIZER_CODECS), None)
    if best is None:
        return None
    encoding = best.encoding
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    sample = text[:_SAMPLE]
    if _C0_CONTROLS.search(sample) or plausible_fraction(sample) < 0.98:
        return None
    # Mojibake check: real Latin-script text is mostly ASCII letters.
    latin_ext = len(_LATIN_EXT_LETTER.findall(sample))
    if latin_ext and latin_ext > 0.3 * (latin_ext + len(_LETTER_ASCII.findall(sample))):
        return None
    if best.chaos > 0.2:
        return None
    words = words_plausible(sample)
    if words is None or words < 0.9:
        return None
    return text, encoding_label(encoding)


# Single-byte code pages that news text plausibly comes in. charset-normalizer
# is only asked about these (EBCDIC, DOS and exotic Mac pages give confident
# nonsense on random bytes).
_NORMALIZER_CODECS = (
    "cp1252", "latin_1", "iso8859_15", "cp1250", "iso8859_2", "cp1251", "koi8_r", "koi8_u", "iso8859_5",
    "cp1253", "iso8859_7", "cp1254", "iso8859_9", "cp1255", "iso8859_8", "cp1256", "iso8859_6",
    "cp1257", "iso8859_13", "cp1258",
)
