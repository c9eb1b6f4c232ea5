"""Typed records passed between pipeline stages.

Every stage is a plain function from records to records (ingest → RawPage,
extract → Article), with no hidden global state, so the same functions can run
per partition on Spark or behind the API.
"""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any


def content_hash(text: str) -> str:
    """Stable hash of a page's content (hex sha256), used as the page id."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class RawPage:
    """One input document, decoded to text, before any extraction.

    `kind` says how to read `content`: "text" (a plain page dump), "html",
    or "record" (a structured record whose fields are already split out in
    `fields`, e.g. a JSON object or CSV row with title/content/date/...).
    """

    source: str  # where it came from: path, "archive.zip!member", "file.jsonl:12", "<stdin>"
    kind: str  # "text" | "html" | "record"
    content: str  # the page text, the HTML, or the record's body
    encoding: str | None = None  # detected encoding of the bytes it came from
    url: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)  # record fields: title, date, outlet, author, ...
    hash: str = ""  # content hash; filled in by __post_init__ when empty

    def __post_init__(self) -> None:
        if not self.hash:
            # The hash covers the content and the metadata fields, so two records
            # with the same body but different titles are different pages.
            meta = "\x1f".join(f"{k}={self.fields[k]}" for k in sorted(self.fields))
            self.hash = content_hash(self.kind + "\x1e" + self.content + "\x1e" + meta)

    @property
    def page_id(self) -> str:
        return self.hash[:16]


@dataclass
class IngestError:
    """A document that could not be read; reported in the run summary."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


@dataclass
class RelatedItem:
    """An item of a widget list (related news, most read...) found on a page."""

    title: str
    published: str | None = None  # ISO 8601
    published_raw: str | None = None


@dataclass
class Removed:
    """A piece of the page kept out of the article body, and why."""

    kind: str  # "widget", "breadcrumb", "ticker", "share", "author", "source", "tags", "title", "dateline", "date", ...
    text: str


@dataclass
class Article:
    """A clean article extracted from a page (position 0 = the page's main article)."""

    page_id: str
    position: int
    source: str
    body: str
    title: str | None = None
    published: str | None = None  # ISO 8601 date or datetime
    published_raw: str | None = None
    outlet: str | None = None
    author: str | None = None
    section: str | None = None
    dateline: str | None = None
    agencies: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    language: str | None = None
    url: str | None = None
    related: list[RelatedItem] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)

    @property
    def id(self) -> str:
        return article_id(self.page_id, self.position)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["id"] = self.id
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Article":
        data = dict(data)
        data.pop("id", None)
        data["related"] = [RelatedItem(**r) for r in data.get("related") or []]
        data["removed"] = [Removed(**r) for r in data.get("removed") or []]
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})


def article_id(page_id: str, position: int) -> str:
    """Short stable id for the article at `position` on page `page_id`."""
    return hashlib.sha1(f"{page_id}:{position}".encode()).hexdigest()[:16]


# ---------------------------------------------------------------------------
# Enrichment records (entities, mentions, quotes)

ENTITY_TYPES: tuple[str, ...] = ("PER", "ORG", "LOC", "MISC")


@dataclass
class Entity:
    """One real-world entity, whatever its spellings.

    `key` is stable across articles and runs ("PER:دونالد ترامب"): it is built
    from the canonical name, so the same entity found in two articles, two
    processes or two Spark partitions gets the same key.
    """

    key: str
    name: str  # canonical display name
    type: str  # PER | ORG | LOC | MISC
    aliases: list[str] = field(default_factory=list)  # surface forms seen or known


@dataclass
class Mention:
    """A span of an article's body that names an entity."""

    start: int  # character offsets in Article.body
    end: int
    surface: str  # body[start:end], as written ("وبوتين" keeps its clitic)
    entity_key: str
    type: str


@dataclass
class Quote:
    """Something someone said, directly («...») or reported (قال إن ...)."""

    text: str
    kind: str  # "direct" | "indirect"
    start: int  # span of the quoted text in Article.body
    end: int
    speaker: str | None = None  # canonical entity name
    speaker_key: str | None = None
    cue: str | None = None  # the verb or phrase that introduced it: قال، أكد، بحسب...
    medium: str | None = None  # تلغرام، تروث سوشيال، مؤتمر صحفي، بيان...


@dataclass
class Enrichment:
    """What the enrich stage adds to one article."""

    article_id: str
    entities: list[Entity] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)


# ---------------------------------------------------------------------------
# Story records


@dataclass
class StoryDoc:
    """What the story stage needs of one article: its text, time, outlet and enrichment."""

    article_id: str
    title: str | None
    body: str
    published: str | None  # ISO 8601 (date or datetime, maybe with offset)
    outlet: str | None
    seq: int = 0  # ingest order, the tie-breaker and the order when `published` is missing
    entities: dict[str, int] = field(default_factory=dict)  # entity key → mentions in the article
    entity_types: dict[str, str] = field(default_factory=dict)  # entity key → PER/ORG/LOC/MISC
    entity_names: dict[str, str] = field(default_factory=dict)  # entity key → canonical name
    quotes: list[Quote] = field(default_factory=list)
    # What the story stage derives from the text (sentences, stems), memoised: a story's record
    # and lineage are rebuilt from its articles many times as it grows. Not part of the record.
    derived: dict = field(default_factory=dict, repr=False, compare=False)

    def memo(self, name: str, key: tuple, build):
        """`build(self)`, computed once per `key` (a fingerprint of the fields it reads, so a doc
        edited in place is recomputed)."""
        hit = self.derived.get(name)
        if hit is not None and hit[0] == key:
            return hit[1]
        value = build(self)
        self.derived[name] = (key, value)
        return value

    def text_key(self) -> tuple:
        """Fingerprint of what text analyses read. By value, so a memo computed in a worker
        process still holds after the doc is pickled to the main process."""
        return (self.title, self.body, tuple((q.start, q.end, q.kind, q.speaker_key) for q in self.quotes))

    def entity_key(self) -> tuple:
        return (tuple(self.entities), tuple(self.entity_types.items()), tuple(self.entity_names.items()))


@dataclass
class Lineage:
    """Where an article stands in its story: first report, copy of an earlier one, or rewrite."""

    article_id: str
    kind: str  # "original" | "copy" | "rewrite"
    novelty: float  # share of its sentences, quotes and entities not in earlier articles of the story
    duplicate_of: str | None = None  # earliest near-duplicate (copy group), when any
