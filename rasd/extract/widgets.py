"""Widget lists inside a page: "أخبار ذات صلة", "الأكثر قراءة", "شاهد أيضاً"...

Scrapers flatten them into the body, often glued to the next word
("أخبار ذات صلةأعرب", "2:32 مساءًوقال"). A widget is parsed into its items
(title + date) and whatever body text was glued after it is handed back.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from rasd.extract import lines as ln
from rasd.extract.dates import find_dates
from rasd.records import RelatedItem

MAX_ITEMS = 20
MAX_ITEM_WORDS = 30
# Text glued after a widget with at least this many words is body, not an item.
MIN_BODY_WORDS = 12


@dataclass
class Widget:
    heading: str
    items: list[RelatedItem] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # the raw text taken out of the page
    body_rest: str | None = None  # body text that was glued after the widget
    next_index: int = 0  # first line after the widget


def _items_from_dated_text(text: str) -> tuple[list[RelatedItem], str]:
    """Split "title1 date1 title2 date2 rest" into items and the rest."""
    items: list[RelatedItem] = []
    pos = 0
    for m in find_dates(text):
        title = text[pos : m.start].strip(" -–—|،,:")
        if not title:
            if items and items[-1].published is None:
                items[-1].published, items[-1].published_raw = m.value, m.raw
            pos = m.end
            continue
        items.append(RelatedItem(title=title, published=m.value, published_raw=m.raw))
        pos = m.end
    return items, text[pos:].strip(" -–—|،,")


def parse_widget(lines: list[str], index: int, heading_end: int) -> Widget:
    """Parse the widget whose heading starts `lines[index]` and ends at `heading_end`."""
    line = lines[index]
    widget = Widget(heading=line[:heading_end].strip(), next_index=index + 1)
    rest = line[heading_end:].strip(" :：-–")
    if rest:
        items, tail = _items_from_dated_text(rest)
        if items:
            widget.items.extend(items)
            widget.removed.append(rest[: len(rest) - len(tail)].strip() if tail else rest)
            if tail:
                if ln.word_count(tail) >= 4:
                    widget.body_rest = tail
                else:
                    widget.removed.append(tail)
            widget.removed.insert(0, widget.heading)
            return widget
        if ln.word_count(rest) >= MIN_BODY_WORDS or ln.ends_sentence(rest):
            # Heading glued to the body's first words; the items were lost.
            widget.body_rest = rest
            widget.removed.insert(0, widget.heading)
            return widget
        widget.items.append(RelatedItem(title=rest))
        widget.removed.append(rest)
    widget.removed.insert(0, widget.heading)
    _collect_list_items(lines, widget)
    return widget


def _collect_list_items(lines: list[str], widget: Widget) -> None:
    """Consume item lines below a widget heading: titles, dates, teasers."""
    i = widget.next_index
    dated = False  # once items carry dates, an undated line ends the list
    while i < len(lines) and len(widget.items) < MAX_ITEMS:
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        if (
            ln.widget_heading(line)
            or ln.source_line(line)
            or ln.tags_line(line)
            or ln.about_author_line(line)
            or ln.copyright_line(line) is not None
        ):
            break
        line = ln.strip_list_number(line)
        date = ln.date_line(line)
        if date:
            if widget.items and widget.items[-1].published is None:
                widget.items[-1].published, widget.items[-1].published_raw = date.value, date.raw
                widget.removed.append(line)
                dated = True
                i += 1
                continue
            break
        lead = _leading_date(line)
        if lead and widget.items and widget.items[-1].published is None:
            # "2025-07-10وتعتمد …": the last item's date with the body glued on.
            widget.items[-1].published, widget.items[-1].published_raw = lead.value, lead.raw
            widget.removed.append(line[: lead.end])
            tail = line[lead.end :].strip()
            if tail:
                widget.body_rest = tail
                i += 1
                break
            i += 1
            continue
        if ln.is_teaser(line) and widget.items and ln.word_count(line) <= 60:
            widget.removed.append(line)
            i += 1
            continue
        if ln.is_share_line(line):
            widget.removed.append(line)
            i += 1
            continue
        items, tail = _items_from_dated_text(line)
        if items and tail and ln.word_count(items[0].title) <= MAX_ITEM_WORDS:
            # "title 24 أفريل 2025وأكد …": the last item, with the body glued on.
            widget.items.extend(items)
            widget.removed.append(lines[i][: len(lines[i]) - len(tail)])
            widget.body_rest = tail
            i += 1
            break
        if not ln.is_title_like(line, MAX_ITEM_WORDS) or line.rstrip().endswith((".", ":", "،")):
            break  # item titles may end with » or ؟, but not with a full stop
        if items and not tail:
            widget.items.extend(items)
            dated = True
        elif dated and not _next_is_date(lines, i + 1):
            break
        else:
            widget.items.append(RelatedItem(title=line.strip()))
        widget.removed.append(line)
        i += 1
    widget.next_index = i


def _leading_date(line: str):
    """The date a line starts with, if any."""
    if not line[:1].isdigit():
        return None
    matches = find_dates(line[:80])
    return matches[0] if matches and matches[0].start == 0 else None


def _next_is_date(lines: list[str], i: int) -> bool:
    while i < len(lines) and not lines[i].strip():
        i += 1
    return i < len(lines) and (ln.date_line(lines[i]) is not None or _leading_date(lines[i]) is not None)
