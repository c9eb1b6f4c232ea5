"""Page segmentation: split a page dump into articles and walk each one's lines.

A page is a list of lines. It is first cut where a whole second article is
glued on after "إقرأ أيضاً:"; each piece is then walked line by line: header
lines (ticker, breadcrumb, title, date, credit) fill fields, widgets become
`related` items, footer lines (source, tags, author box) fill fields, and what
is left is the body. Everything taken out is kept in `removed`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from rasd.arabic import normalize_key
from rasd.extract import lines as ln
from rasd.extract.widgets import parse_widget
from rasd.records import RelatedItem, Removed

# A glued article's first body paragraph has at least this many words.
MIN_GLUED_BODY_WORDS = 25

_ZERO_WIDTH = re.compile("[\u200b-\u200f\u061c\ufeff\u2060]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


@dataclass
class Draft:
    """What the line walk found for one article, before it becomes an Article."""

    title: str | None = None
    published: str | None = None
    published_raw: str | None = None
    outlets: list[tuple[int, str]] = field(default_factory=list)  # (priority, name); lower wins
    author: str | None = None
    section: str | None = None
    dateline: str | None = None
    agencies: list[str] = field(default_factory=list)
    tags_raw: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    related: list[RelatedItem] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)

    def remove(self, kind: str, text: str) -> None:
        if text.strip():
            self.removed.append(Removed(kind=kind, text=text.strip()))

    def add_agencies(self, names: list[str]) -> None:
        for name in names:
            if name not in self.agencies:
                self.agencies.append(name)


def page_lines(text: str) -> list[str]:
    """Lines of a page with invisible characters and space runs cleaned."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = _ZERO_WIDTH.sub("", text)
    return [_SPACES.sub(" ", line).strip() for line in text.split("\n")]


def _next_nonblank(lines: list[str], start: int, count: int) -> list[str]:
    found: list[str] = []
    i = start
    while i < len(lines) and len(found) < count:
        if lines[i]:
            found.append(lines[i])
        i += 1
    return found


def _is_glued_article(lines: list[str], i: int, rest: str, end_seen: bool) -> bool:
    """Does the "اقرأ أيضاً" at line i introduce a whole article (not a link list)?

    Yes when a title is followed by the article's own credit or date line, or,
    once the main article has ended (source/tags/author seen), by a real paragraph.
    """
    following = _next_nonblank(lines, i + 1, 3)
    if rest:
        title, after = rest, following
    elif following:
        title, after = following[0], following[1:]
    else:
        return False
    if not ln.is_title_like(title) or not after:
        return False
    nxt = after[0]
    if ln.credit_line(nxt) or ln.date_line(nxt):
        return True
    return end_seen and ln.word_count(nxt) >= MIN_GLUED_BODY_WORDS and not ln.is_teaser(nxt)


def split_articles(lines: list[str]) -> list[tuple[list[str], str | None]]:
    """Cut the page where whole articles are glued on; returns (lines, heading) per article."""
    pieces: list[tuple[list[str], str | None]] = [([], None)]
    end_seen = False
    for i, line in enumerate(lines):
        if ln.source_line(line) or ln.tags_line(line) or ln.about_author_line(line):
            end_seen = True
        m = ln.glued_heading(line) if line else None
        if m and _is_glued_article(lines, i, m.group("rest").strip(), end_seen):
            rest = m.group("rest").strip()
            pieces.append(([rest] if rest else [], line[: m.start("rest")].strip()))
            end_seen = False
            continue
        pieces[-1][0].append(line)
    return pieces


def same_text(a: str, b: str) -> bool:
    """Equal after normalisation (a title repeated with other hamzas or spacing)."""
    if abs(len(a) - len(b)) > 0.2 * max(len(a), len(b)) + 3:
        return False  # cheap exit: most lines are nowhere near the title's length
    return normalize_key(a).strip(" .:") == normalize_key(b).strip(" .:")


def walk_article(lines: list[str], *, known_title: str | None = None) -> Draft:
    """Walk one article's lines, sorting each into fields, widgets, removed or body."""
    draft = Draft(title=known_title)
    state = "header"  # header → body → footer
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line:
            continue
        if ln.is_ticker(line):
            draft.remove("ticker", line)
            continue
        crumbs = ln.breadcrumb(line) if state == "header" else None
        if crumbs:
            if crumbs.site:
                draft.outlets.append((3, crumbs.site))
            if crumbs.parts and (len(crumbs.parts) >= 2 or ln.word_count(crumbs.parts[0]) <= 3):
                draft.section = draft.section or crumbs.parts[0]
            draft.remove("breadcrumb", line)
            continue
        value = ln.copyright_line(line)
        if value is not None:
            if value:
                draft.outlets.append((3, value))
            draft.remove("copyright", line)
            state = "footer" if state == "body" else state
            continue
        value = ln.read_more_line(line)
        if value:
            draft.outlets.append((3, value))
            draft.remove("read-more", line)
            continue
        if ln.is_link_line(line) or ln.is_signoff(line):
            draft.remove("link" if ln.is_link_line(line) else "signoff", line)
            continue
        heading = ln.widget_heading(line)
        if heading:
            widget = parse_widget(lines, i - 1, heading.end())
            draft.related.extend(widget.items)
            draft.remove("widget", "\n".join(widget.removed))
            i = widget.next_index
            if widget.body_rest:
                _add_paragraph(draft, widget.body_rest)
                state = "body"
            continue
        value = ln.source_line(line)
        if value:
            draft.outlets.append((0, value))
            draft.remove("source", line)
            state = "footer" if state == "body" else state
            continue
        value = ln.tags_line(line)
        if value:
            draft.tags_raw.append(value)
            draft.remove("tags", line)
            state = "footer" if state == "body" else state
            continue
        value = ln.about_author_line(line)
        if value and state != "header":
            draft.author = draft.author or value
            draft.remove("author", line)
            state = "footer"
            continue
        value = ln.author_line(line)
        if value:
            draft.author = draft.author or value
            draft.remove("author", line)
            continue
        value = ln.section_line(line)
        if value:
            draft.section = draft.section or value
            draft.remove("section", line)
            continue
        if ln.is_share_line(line):
            draft.remove("share", line)
            continue
        date = ln.date_line(line)
        if date:
            if draft.published is None and (state == "header" or date.label):
                draft.published, draft.published_raw = date.value, date.raw
            draft.remove("date", line)
            continue
        if state == "header":
            credit = ln.credit_line(line)
            if credit:
                _apply_credit(draft, credit)
                draft.remove("credit", line)
                continue
            if draft.title is None and _is_site_name(lines, i - 1):
                draft.outlets.append((3, line))
                draft.remove("site", line)
                continue
            if draft.title is None and ln.is_title_like(line):
                draft.title = line
                continue
        if draft.title and same_text(line, draft.title):
            draft.remove("title", line)
            continue
        if state == "footer":
            draft.remove("footer", line)
            continue
        if not draft.paragraphs:
            line = _strip_body_dateline(draft, line)
        _add_paragraph(draft, line)
        state = "body"
    return draft


def _add_paragraph(draft: Draft, text: str) -> None:
    if not draft.paragraphs:
        text = _strip_body_dateline(draft, text)
    if text:
        draft.paragraphs.append(text)


def _is_site_name(lines: list[str], i: int) -> bool:
    """A short first line naming the site ("الاقتصادية اليوم") above the breadcrumb or title."""
    if ln.word_count(lines[i]) > 3 or any(lines[j] for j in range(i)):
        return False
    following = _next_nonblank(lines, i + 1, 1)
    return bool(following) and (ln.breadcrumb(following[0]) is not None or ln.word_count(following[0]) >= 4)


def _apply_credit(draft: Draft, credit: ln.Credit) -> None:
    if credit.dateline and not draft.dateline:
        draft.dateline = credit.dateline
    if credit.authors and not draft.author:
        draft.author = credit.authors[0]
    for name in credit.outlets:
        draft.outlets.append((2, name))
    draft.add_agencies(credit.agencies)


def _strip_body_dateline(draft: Draft, paragraph: str) -> str:
    """Take "الرياض (رويترز) - " off the first paragraph into dateline/agencies."""
    found = ln.body_dateline(paragraph)
    if not found:
        return paragraph
    credit, offset = found
    _apply_credit(draft, credit)
    draft.remove("credit", paragraph[:offset])
    return paragraph[offset:].strip()
