"""Every record that crosses a stage boundary, and nothing else.

Records are frozen dataclasses of plain values so that they can cross process and Spark partition
boundaries and land in DuckDB, JSONL and Parquet unchanged.
"""

from __future__ import annotations

import bisect
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Hints:
    """What the container said about a document before we looked at its text."""

    record_id: str | None = None  # the id field of a JSONL/CSV record, or a WARC record id
    url: str | None = None
    date: str | None = None  # as given; parsed by metadata
    title: str | None = None
    publisher: str | None = None  # the `source` field of a JSONL/CSV record


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One document as a reader found it: decoded text (HTML or plain) plus where it came from."""

    source_path: str  # the file (or "-" for stdin) that held the document
    location: str  # human-readable place inside it: "file.txt", "file.jsonl:12", "crawl.warc.gz#3"
    media_type: str  # "text/plain" or "text/html"
    text: str  # decoded content; HTML markup still in for text/html
    encoding: str | None = None  # the encoding the bytes were decoded with
    hints: Hints = field(default_factory=Hints)


@dataclass(frozen=True, slots=True)
class Segment:
    """clean[clean_start:clean_end] was made from raw[raw_start:raw_end].

    Copied stretches have equal lengths; a replaced character ("``" -> '"') may not.
    """

    clean_start: int
    clean_end: int
    raw_start: int
    raw_end: int


@dataclass(frozen=True, slots=True)
class OffsetMap:
    """Maps offsets in a clean body back to the raw text it was cut from.

    Segments are sorted and contiguous in clean space; gaps in raw space are removed text.
    """

    segments: tuple[Segment, ...] = ()

    def to_raw(self, clean_start: int, clean_end: int) -> tuple[int, int]:
        """The raw span covering clean[clean_start:clean_end] (end exclusive)."""
        if not self.segments:
            return clean_start, clean_end
        if clean_end <= clean_start:
            pos = self._raw_position(clean_start, is_end=False)
            return pos, pos
        return (
            self._raw_position(clean_start, is_end=False),
            self._raw_position(clean_end, is_end=True),
        )

    def _raw_position(self, offset: int, *, is_end: bool) -> int:
        starts = [s.clean_start for s in self.segments]
        # An end offset belongs to the segment it closes, a start offset to the one it opens.
        index = (
            bisect.bisect_left(starts, offset) - 1
            if is_end
            else (bisect.bisect_right(starts, offset) - 1)
        )
        index = max(0, min(index, len(self.segments) - 1))
        seg = self.segments[index]
        if offset <= seg.clean_start:
            return seg.raw_start
        if offset >= seg.clean_end:
            return seg.raw_end
        if seg.clean_end - seg.clean_start == seg.raw_end - seg.raw_start:
            return seg.raw_start + (offset - seg.clean_start)
        # Inside a replaced stretch: snap outwards to its edges.
        return seg.raw_end if is_end else seg.raw_start

    def to_list(self) -> list[list[int]]:
        return [[s.clean_start, s.clean_end, s.raw_start, s.raw_end] for s in self.segments]

    @classmethod
    def from_list(cls, rows: list[list[int]]) -> OffsetMap:
        return cls(tuple(Segment(*row) for row in rows))


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the clean body: start/end offsets, end exclusive."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Metadata:
    title: str | None = None
    publisher: str | None = None
    author: str | None = None
    wire_source: str | None = None
    published: str | None = None  # ISO 8601: "2012-03-12T13:55:00" or "2012-03-12" without a time
    language: str | None = None  # ISO 639-1 code
    url: str | None = None


@dataclass(frozen=True, slots=True)
class CleanText:
    """What the cleaner makes of a raw text page: body, metadata lines found, and the offset map."""

    body: str  # paragraphs joined by a blank line
    paragraphs: tuple[Span, ...]
    offset_map: OffsetMap
    title_line: str | None = None
    byline: str | None = None  # the name in "By X", without the date glued to it
    date_line: str | None = None  # the text of the line that gave the publication date
    footer_names: tuple[str, ...] = ()  # names from "Articles by X" footers
    emails: tuple[str, ...] = ()  # author e-mails removed from the body
    author_line: str | None = None  # a signature line such as "Kim Ki-Hyun kimkihy@donga.com"
    removed_lines: tuple[str, ...] = ()  # boilerplate lines dropped, for inspection
    repeated_paragraphs: int = 0  # paragraphs dropped because the page repeated them


@dataclass(frozen=True, slots=True)
class Document:
    """A clean document: body, metadata, duplicate status and the map back to its raw text."""

    doc_id: str  # stable id: hash of where it came from and its clean content
    content_hash: str  # hash of the normalised body; equal bodies have equal hashes
    source_path: str
    location: str
    media_type: str
    raw_text: str  # the text offsets point into (for HTML: the extracted main text)
    body: str
    paragraphs: tuple[Span, ...]
    offset_map: OffsetMap
    metadata: Metadata
    repeated_paragraphs: int = 0
    duplicate_of: str | None = None  # doc_id of an earlier document with the same story
    duplicate_kind: str | None = None  # "exact" or "near"
    similarity: float | None = None  # estimated Jaccard similarity to duplicate_of
    story_id: str | None = None  # doc_id of the first document of its story
    skip_reason: str | None = None  # why later stages will not code it ("language: de")
    # What the user's record said, kept as given so that output joins back to their data.
    record_id: str | None = None  # the `id` field of a JSONL/CSV record, or a WARC-Record-ID
    record_source: str | None = None  # the `source` field of a JSONL/CSV record

    def paragraph_texts(self) -> list[str]:
        return [self.body[p.start : p.end] for p in self.paragraphs]

    def to_record(self) -> dict[str, Any]:
        """The flat JSON shape written to documents.jsonl."""
        meta = self.metadata
        return {
            "doc_id": self.doc_id,
            "record_id": self.record_id,
            "record_source": self.record_source,
            "source_path": self.source_path,
            "location": self.location,
            "url": meta.url,
            "title": meta.title,
            "publisher": meta.publisher,
            "author": meta.author,
            "wire_source": meta.wire_source,
            "published": meta.published,
            "language": meta.language,
            "media_type": self.media_type,
            "body": self.body,
            "paragraphs": len(self.paragraphs),
            "repeated_paragraphs": self.repeated_paragraphs,
            "content_hash": self.content_hash,
            "duplicate_of": self.duplicate_of,
            "duplicate_kind": self.duplicate_kind,
            "similarity": self.similarity,
            "story_id": self.story_id,
            "skip_reason": self.skip_reason,
        }


@dataclass(frozen=True, slots=True)
class Rejection:
    """An input that could not be used, and why. Nothing is dropped without one."""

    location: str  # "file.jsonl:12", "crawl.warc.gz#3", "page.html"
    stage: str  # "read", "clean", "store", ...
    code: str  # stable message code, e.g. "T104"
    message: str

    def __str__(self) -> str:
        return f"{self.location}: [{self.code}] {self.message}"

    def to_record(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class RunSummary:
    """Counts for the one-screen summary at the end of a run."""

    read: int = 0
    cleaned: int = 0
    stored: int = 0
    already_stored: int = 0
    exact_duplicates: int = 0
    near_duplicates: int = 0
    repeated_paragraphs: int = 0
    skipped_language: int = 0
    rejected: int = 0
    coded: int = 0  # documents the event coder read
    off_topic: int = 0  # documents not coded because they are about sport (off_topic.tsv)
    events: int = 0  # events it found
    # stored events that joined an event already told by another document (thucydides.merge)
    merged_events: int = 0
    seconds: float = 0.0
    rejections_by_code: dict[str, int] = field(default_factory=dict)
    # what coded the run: the spaCy pipeline (nlp.describe_model) and the lexicons' fingerprint
    model: dict[str, str] = field(default_factory=dict)
    lexicon_version: str = ""

    def to_record(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Token:
    """One word of a parsed sentence; offsets are into the document's clean body."""

    text: str
    start: int
    lemma: str
    pos: str  # universal part of speech: VERB, NOUN, PROPN ...
    tag: str  # fine-grained tag: VBD, NNP ...
    dep: str  # dependency label: nsubj, dobj, ROOT ...
    head: int  # index of the head token within the sentence (itself for the root)
    entity: str = ""  # named-entity label of the entity it is part of, "" if none


@dataclass(frozen=True, slots=True)
class Entity:
    text: str
    start: int  # offsets into the clean body
    end: int
    label: str  # spaCy's label: GPE, NORP, ORG, PERSON, DATE ...


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of a document with its parse: what the actor and event stages read."""

    doc_id: str
    index: int  # position in the document, from 0
    start: int  # offsets into the clean body
    end: int
    text: str
    tokens: tuple[Token, ...] = ()
    entities: tuple[Entity, ...] = ()


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts or is acted upon, as coded from one mention in a sentence."""

    text: str  # the mention as written ("Russia's deputy defense minister Anatoly Antonov")
    start: int  # offsets of the mention in the document's clean body
    end: int
    country: str | None  # ISO-3, or None for an organisation without one
    sector: str | None = None  # GOV, MIL, COP, JUD, LEG, REB, OPP, CVL, BUS, MED, ...
    organization: str | None = None  # organisation code from organizations.tsv ("NATO", "UNO")
    organization_kind: str | None = None  # IGO, NGO, MNC ...
    name: str | None = None  # a person's name when the mention names one
    role: str | None = None  # a person's office or title ("deputy defense minister")
    entry: str = ""  # the lexicon row(s) or rule that coded it ("countries.tsv:202", "coref")

    @property
    def code(self) -> str:
        """CAMEO-style code: country + sector ("RUSMIL"), or kind + organisation ("IGONATO")."""
        if self.organization:
            return f"{self.organization_kind or 'IGO'}{self.organization}"
        return f"{self.country or '---'}{self.sector or ''}"

    @property
    def key(self) -> str:
        """What evaluation and merging compare: the country, or the organisation's kind."""
        return self.country or self.organization_kind or "---"

    def to_record(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "country": self.country,
            "sector": self.sector,
            "code": self.code,
            "organization": self.organization,
            "organization_kind": self.organization_kind,
            "name": self.name,
            "role": self.role,
            "entry": self.entry,
        }


@dataclass(frozen=True, slots=True)
class Place:
    """Where an event happened, from a gazetteer."""

    name: str  # the gazetteer's name ("Moscow")
    country: str | None  # ISO-3
    latitude: float | None
    longitude: float | None
    geonames_id: int | None  # GeoNames id of the city, or of the country's capital for a country
    feature: str  # "city", "country", "region", "water", "island" or "place"
    text: str = ""  # the words in the sentence
    start: int = 0  # offsets in the clean body
    end: int = 0

    def to_record(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class EventDate:
    """A date resolved from the text against the publication date."""

    date: str  # ISO 8601 at its precision: "2012-03-15", "2012-03" or "2007"; "" when unknown
    # "day", "week" (date = the week's Monday), "month", "year", "decade" (date in EDTF, "199X")
    # or "unknown" (a past the text gives no time for: "has long accused")
    precision: str
    text: str = ""  # the words it was read from; "" when it is the publication date
    # "text"; "retelling" when a later sentence telling the same event dates it; "publication"
    # when the text gives no date; "background" for a past event the story recalls ("since
    # 2011", "for decades"): dated vaguely, and left out of what happened lately
    source: str = "text"


@dataclass(frozen=True, slots=True)
class Event:
    """One coded event with the evidence it came from."""

    doc_id: str
    event_id: str  # stable: a hash of doc_id, sentence, trigger and actor codes
    source: Actor
    target: Actor | None
    cameo: str  # CAMEO event code ("036", "0312", "057")
    plover_type: str  # PLOVER 2021 event type ("CONSULT")
    plover_mode: str  # PLOVER mode ("visit"), "" when none applies
    plover_context: str  # PLOVER context ("military"), "" when none is known
    goldstein: float
    quad_class: int  # 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material
    date: str
    date_precision: str
    date_source: str
    location: Place | None
    sentence: str
    sentence_index: int
    sentence_start: int  # offsets of the sentence in the clean body
    sentence_end: int
    trigger: str  # the words that triggered it
    trigger_start: int  # offsets of the trigger in the clean body
    trigger_end: int
    modality: str  # "asserted" or "intended" (future, planned, promised)
    rule: str  # the trigger lexicon row and the rule that found the actors
    confidence: float
    mentions: int = 1  # how many times the document tells it
    mention_sentences: tuple[int, ...] = ()  # indexes of every sentence that tells it
    reciprocal: bool = False  # one direction of an event between two actors acting together
    # The learned scorer's reasons (coder/learned.py): its most weighted features; "" from the
    # rules alone.
    evidence: str = ""

    def to_record(self) -> dict[str, Any]:
        """The flat JSON shape written to events.jsonl and printed by `thucydides code`."""
        return {
            "doc_id": self.doc_id,
            "event_id": self.event_id,
            "source": self.source.to_record(),
            "target": self.target.to_record() if self.target else None,
            "cameo": self.cameo,
            "plover": {
                "type": self.plover_type,
                "mode": self.plover_mode,
                "context": self.plover_context,
            },
            "goldstein": self.goldstein,
            "quad_class": self.quad_class,
            "date": self.date,
            "date_precision": self.date_precision,
            "date_source": self.date_source,
            "location": self.location.to_record() if self.location else None,
            "sentence": self.sentence,
            "sentence_index": self.sentence_index,
            "sentence_start": self.sentence_start,
            "sentence_end": self.sentence_end,
            "trigger": {"text": self.trigger, "start": self.trigger_start, "end": self.trigger_end},
            "modality": self.modality,
            "rule": self.rule,
            "confidence": self.confidence,
            "mentions": self.mentions,
            "mention_sentences": list(self.mention_sentences),
            "reciprocal": self.reciprocal,
            "evidence": self.evidence,
        }
