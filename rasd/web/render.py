"""HTML building blocks for the pages: highlighted article text, search snippets, the mentions chart,
Arabic dates and labels.

Scraped text is untrusted. Everything here escapes each piece of text with
`markupsafe.escape` before wrapping it in markup, and returns `Markup` only for
HTML it built itself; templates never mark scraped text as safe.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from itertools import pairwise
from typing import Any
from urllib.parse import quote as url_quote
from urllib.parse import urlencode

from markupsafe import Markup, escape

from rasd.api.queries import MARK_CLOSE, MARK_OPEN
from rasd.records import Mention, Quote

MONTHS_AR = ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر")
TYPE_LABELS = {"PER": "شخص", "ORG": "منظمة", "LOC": "مكان", "MISC": "أخرى"}
KIND_LABELS = {"original": "أصلي", "copy": "نسخة", "rewrite": "إعادة صياغة"}
QUOTE_KIND_LABELS = {"direct": "مباشر", "indirect": "غير مباشر"}
REMOVED_LABELS = {
    "widget": "قائمة جانبية", "breadcrumb": "مسار التنقل", "ticker": "شريط الأخبار", "share": "أزرار المشاركة",
    "author": "بيانات الكاتب", "source": "سطر المصدر", "tags": "الوسوم", "title": "عنوان مكرر",
    "dateline": "سطر المكان", "date": "سطر التاريخ", "credit": "سطر الاعتماد",
}  # fmt: skip
# Counted nouns by their plural: (singular, "one", dual, plural for 3–10, accusative singular for 11–99).
COUNT_FORMS = {
    "مقالات": ("مقال", "مقال واحد", "مقالان", "مقالات", "مقالاً"),
    "مصادر": ("مصدر", "مصدر واحد", "مصدران", "مصادر", "مصدراً"),
    "نتائج": ("نتيجة", "نتيجة واحدة", "نتيجتان", "نتائج", "نتيجة"),
    "إشارات": ("إشارة", "إشارة واحدة", "إشارتان", "إشارات", "إشارة"),
    "تصريحات": ("تصريح", "تصريح واحد", "تصريحان", "تصريحات", "تصريحاً"),
    "قصص": ("قصة", "قصة واحدة", "قصتان", "قصص", "قصة"),
}
_ISO = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?(?:[T ](\d{2}):(\d{2}))?")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\u00a0]*\n\s*")


# ---------------------------------------------------------------------------
# labels and dates


def ar_date(value: str | None, with_time: bool = True) -> str:
    """"2025-11-18T12:30" → "18 نوفمبر 2025، 12:30"; other strings unchanged; None → "—"."""
    if not value:
        return "—"
    m = _ISO.match(value)
    if not m:
        return value
    year, month, day, hour, minute = m.groups()
    if not 1 <= int(month) <= 12:
        return value
    text = f"{MONTHS_AR[int(month) - 1]} {year}"
    if day:
        text = f"{int(day)} {text}"
    if with_time and hour:
        text += f"، {hour}:{minute}"
    return text


def ar_count(n: int | None, plural: str) -> str:
    """A number with its noun in the right Arabic form: 1 → "مقال واحد", 2 → "مقالان", 5 → "5 مقالات",
    12 → "12 مقالاً", 100 → "100 مقال". `plural` is a key of COUNT_FORMS (others are left as "n plural")."""
    n = int(n or 0)
    forms = COUNT_FORMS.get(plural)
    if not forms:
        return f"{n} {plural}"
    singular, one, dual, few, many = forms
    if n == 1:
        return one
    if n == 2:
        return dual
    rest = n % 100
    if n == 0 or 3 <= rest <= 10:
        return f"{n} {few}"
    if 11 <= rest <= 99:
        return f"{n} {many}"
    return f"{n} {singular}"


def period_label(period: str) -> str:
    """A chart period ("2025", "2025-03", "2025-03-14") in Arabic."""
    return ar_date(period, with_time=False)


def type_label(entity_type: str | None) -> str:
    return TYPE_LABELS.get(entity_type or "", entity_type or "")


def kind_label(kind: str | None) -> str:
    return KIND_LABELS.get(kind or "", kind or "")


def quote_kind_label(kind: str | None) -> str:
    return QUOTE_KIND_LABELS.get(kind or "", kind or "")


def removed_label(kind: str | None) -> str:
    return REMOVED_LABELS.get(kind or "", kind or "")


def entity_url(name: str) -> str:
    """Path of an entity page; the name is percent-encoded (it may hold "/" or "?")."""
    return "/entities/" + url_quote(name, safe="")


def safe_url(url: str | None) -> str | None:
    """Only http(s) links are rendered as links (a scraped `javascript:` url stays text)."""
    if url and re.match(r"^https?://", url.strip(), re.IGNORECASE):
        return url.strip()
    return None


def percent(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)}٪"


def excerpt(text: str | None, limit: int = 220) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


# ---------------------------------------------------------------------------
# search snippets


def snippet_html(snippet: str | None) -> Markup:
    """Escape the snippet, then turn its \\x02…\\x03 markers into <mark>…</mark> (stray markers dropped)."""
    text = str(escape(snippet or ""))
    text = re.sub(f"{MARK_OPEN}([^{MARK_OPEN}{MARK_CLOSE}]*){MARK_CLOSE}", r"<mark>\1</mark>", text)
    return Markup(text.replace(MARK_OPEN, "").replace(MARK_CLOSE, ""))


# ---------------------------------------------------------------------------
# article body with entities and quotes highlighted


def _non_overlapping(spans: Iterable[tuple[int, int, Any]]) -> list[tuple[int, int, Any]]:
    kept: list[tuple[int, int, Any]] = []
    for start, end, item in sorted(spans, key=lambda s: (s[0], -s[1])):
        if not kept or start >= kept[-1][1]:
            kept.append((start, end, item))
    return kept


def _covering(spans: list[tuple[int, int, Any]], starts: list[int], pos: int) -> int | None:
    """Index of the span containing position `pos` (spans sorted, non-overlapping)."""
    i = bisect_right(starts, pos) - 1
    return i if i >= 0 and spans[i][0] <= pos < spans[i][1] else None


def _attr(value: Any) -> str:
    return str(escape(str(value)))


def highlight_body(body: str, mentions: list[Mention], quotes: list[Quote], names: dict[str, str]) -> Markup:
    """The article body as paragraphs, quotes wrapped in <span class="quote"> (id q-N, N = index in
    `quotes`) and entity mentions in links to their entity pages.

    Offsets come from the enrich stage (`Mention.start/end`, `Quote.start/end`); a span whose text
    does not match the body (a stale offset) is left out rather than highlighting the wrong words."""
    n = len(body)
    quote_spans = _non_overlapping(
        (q.start, q.end, (i, q)) for i, q in enumerate(quotes) if 0 <= q.start < q.end <= n and body[q.start : q.end] == q.text
    )
    mention_spans = _non_overlapping(
        (m.start, m.end, m) for m in mentions if 0 <= m.start < m.end <= n and body[m.start : m.end] == m.surface
    )
    breaks = [(m.start(), m.end()) for m in _PARAGRAPH_BREAK.finditer(body)]
    cuts = sorted({0, n, *(p for s in quote_spans + mention_spans for p in s[:2]), *(p for b in breaks for p in b)})
    q_starts = [s[0] for s in quote_spans]
    m_starts = [s[0] for s in mention_spans]
    b_starts = [b[0] for b in breaks]

    out: list[str] = ["<p>"]
    open_quote: int | None = None
    for a, b in pairwise(cuts):
        bi = bisect_right(b_starts, a) - 1
        if bi >= 0 and breaks[bi][0] <= a and b <= breaks[bi][1]:  # a paragraph break
            if open_quote is not None:
                out.append("</span>")
                open_quote = None
            out.append("</p><p>")
            continue
        qi = _covering(quote_spans, q_starts, a)
        if qi != open_quote:
            if open_quote is not None:
                out.append("</span>")
            if qi is not None:
                index, quote = quote_spans[qi][2]
                info = " · ".join(x for x in (quote.speaker, quote.cue, quote.medium) if x)
                out.append(
                    f'<span class="quote quote-{_attr(quote.kind)}" id="q-{index}" data-testid="quote-span" '
                    f'title="{_attr(info)}">'
                )
            open_quote = qi
        piece = str(escape(body[a:b])).replace("\n", "<br>")
        mi = _covering(mention_spans, m_starts, a)
        if mi is not None:
            mention = mention_spans[mi][2]
            name = names.get(mention.entity_key) or mention.surface
            piece = (
                f'<a class="mention type-{_attr(mention.type)}" href="{_attr(entity_url(name))}" '
                f'title="{_attr(type_label(mention.type) + ": " + name)}">{piece}</a>'
            )
        out.append(piece)
    if open_quote is not None:
        out.append("</span>")
    out.append("</p>")
    return Markup("".join(out).replace("<p></p>", ""))


# ---------------------------------------------------------------------------
# mentions over time


def bar_chart_svg(timeline: dict[str, Any], width: int = 680, height: int = 170) -> Markup:
    """A small inline SVG bar chart of mentions per period (no JS). Time runs right to left, like
    the page; the count axis is on the right."""
    periods = timeline.get("periods") or []
    if not periods:
        return Markup("")
    top = max(p["mentions"] for p in periods) or 1
    left, right, top_pad, bottom = 8, 34, 10, 28
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    axis_x = width - right
    slot = plot_w / len(periods)
    bar_w = max(1.0, slot * 0.72)
    label = _attr("الإشارات عبر الزمن")
    parts = [
        (
            f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" aria-label="{label}" '
            'xmlns="http://www.w3.org/2000/svg">'
        ),
        f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{axis_x}" y2="{top_pad + plot_h}" class="axis"/>',
        f'<text x="{axis_x + 6}" y="{top_pad + 8}" class="tick" text-anchor="start">{top}</text>',
        f'<text x="{axis_x + 6}" y="{top_pad + plot_h}" class="tick" text-anchor="start">0</text>',
    ]
    step = max(1, -(-len(periods) // 6))  # at most ~6 labels
    for i, p in enumerate(periods):
        h = plot_h * p["mentions"] / top
        slot_right = axis_x - i * slot  # period i occupies [slot_right - slot, slot_right]
        x = slot_right - slot + (slot - bar_w) / 2
        label = period_label(p["period"])
        parts.append(
            f'<rect x="{x:.1f}" y="{top_pad + plot_h - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" class="bar">'
            f"<title>{_attr(label)}: {p['mentions']}</title></rect>"
        )
        if i % step == 0:
            parts.append(
                f'<text x="{slot_right - slot / 2:.1f}" y="{height - 8}" class="tick" text-anchor="middle">'
                f"{_attr(label)}</text>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def query_string(params: dict[str, Any], **overrides: Any) -> str:
    """"?q=...&page=2" from the current parameters with some replaced (None/"" dropped)."""
    merged = {**params, **overrides}
    pairs = [(k, v) for k, v in merged.items() if v not in (None, "")]
    return "?" + urlencode(pairs) if pairs else ""
