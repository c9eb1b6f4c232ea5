"""Encoding detection (rasd.ingest.decode)."""
from __future__ import annotations

import random

import pytest

from ingest_helpers import ARABIC
from rasd.ingest import DecodeError, decode_bytes

ENGLISH = "The minister said on Monday that the new hospital will open next year.\n"
FRENCH = "Le président est allé à la conférence économique, très intéressée. L'été «déjà» là."
RUSSIAN = "Президент поехал в город сегодня утром на конференцию по экономике."


@pytest.mark.parametrize(
    "text, codec, expected",
    [
        (ARABIC, "utf-8", "utf-8"),
        (ARABIC, "utf-8-sig", "utf-8-sig"),
        (ARABIC, "utf-16", "utf-16"),
        (ARABIC, "utf-16-le", "utf-16-le"),
        (ARABIC, "utf-16-be", "utf-16-be"),
        (ENGLISH, "utf-16-le", "utf-16-le"),
        (ENGLISH, "utf-16-be", "utf-16-be"),
        (ARABIC, "utf-32", "utf-32"),
        (ARABIC, "cp1256", "windows-1256"),
        ("مرحبا", "cp1256", "windows-1256"),
        (FRENCH, "cp1252", "windows-1252"),
        (RUSSIAN, "cp1251", "windows-1251"),
    ],
)
def test_decodes(text: str, codec: str, expected: str) -> None:
    decoded, encoding = decode_bytes(text.encode(codec))
    assert decoded == text
    assert encoding == expected


def test_utf8_with_a_truncated_or_broken_character_is_repaired() -> None:
    truncated = (ARABIC + " س").encode()[:-1]  # cut in the middle of the last letter
    text, encoding = decode_bytes(truncated)
    assert encoding == "utf-8 (lossy)" and text == ARABIC + " \ufffd"
    data = ARABIC.encode()
    broken = data[:61] + b"\xff" + data[61:]
    text, encoding = decode_bytes(broken)
    assert encoding == "utf-8 (lossy)" and text.count("\ufffd") == 1


def test_cp1256_html_with_ascii_markup() -> None:
    html = f'<html><head><meta charset="windows-1256"></head><body class="x"><p>{ARABIC}</p></body></html>'
    assert decode_bytes(html.encode("cp1256")) == (html, "windows-1256")


def test_declared_charset_is_used_after_utf8() -> None:
    text = "خبر عاجل"
    assert decode_bytes(text.encode("iso-8859-6"), declared="ISO-8859-6")[0] == text


def test_utf8_arabic_mojibake_is_not_taken_for_windows_1256() -> None:
    data = ARABIC.encode()
    damaged = b"".join(data[i : i + 7] + b"\xff" for i in range(0, len(data), 7))
    with pytest.raises(DecodeError):
        decode_bytes(damaged)


@pytest.mark.parametrize("seed", range(20))
def test_random_bytes_are_rejected(seed: int) -> None:
    rng = random.Random(seed)
    raw = rng.randbytes(2000)
    for blob in (raw, bytes(b for b in raw if b >= 0x20), bytes(b for b in raw if b >= 0x80), bytes(b for b in raw if b >= 0x80 or b == 0x20)):
        with pytest.raises(DecodeError) as info:
            decode_bytes(blob)
        assert "unknown text encoding" in info.value.reason


def test_empty() -> None:
    assert decode_bytes(b"") == ("", "utf-8")
