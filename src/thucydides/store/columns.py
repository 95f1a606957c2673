"""What the store's inserts hand DuckDB (Arrow batches, column by column) and how its rows come
back as records: the documents' and events' columns, and the SQL that derives the rest."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa

from ..errors import StoreError
from ..types import Actor, Document, Event, Metadata, OffsetMap, Place, Span

# What add_documents hands DuckDB, column by column. published_date is derived in SQL.
_DOCUMENT_BATCH = pa.schema(
    [
        ("doc_id", pa.string()),
        ("content_hash", pa.string()),
        ("source_path", pa.string()),
        ("location", pa.string()),
        ("media_type", pa.string()),
        ("url", pa.string()),
        ("title", pa.string()),
        ("publisher", pa.string()),
        ("author", pa.string()),
        ("wire_source", pa.string()),
        ("published", pa.string()),
        ("language", pa.string()),
        ("body", pa.string()),
        ("raw_text", pa.string()),
        ("paragraphs", pa.list_(pa.list_(pa.int32()))),  # [start, end] per paragraph
        ("offset_map", pa.list_(pa.list_(pa.int32()))),  # OffsetMap.to_list()
        ("repeated_paragraphs", pa.int32()),
        ("duplicate_of", pa.string()),
        ("duplicate_kind", pa.string()),
        ("similarity", pa.float64()),
        ("story_id", pa.string()),
        ("skip_reason", pa.string()),
        ("record_id", pa.string()),
        ("record_source", pa.string()),
        ("minhash", pa.list_(pa.uint64())),  # unsigned: inferred types would stop at 2**63
        ("run_id", pa.string()),
        ("added_at", pa.timestamp("us")),
        ("position", pa.int64()),  # within the batch; becomes seq
    ]
)
_DOCUMENT_COLUMNS = ", ".join(name for name in _DOCUMENT_BATCH.names if name != "position")
# Only a leading YYYY-MM-DD makes a date; anything else (or an impossible day) leaves it NULL
# rather than failing the whole batch.
_PUBLISHED_DATE = (
    "CASE WHEN regexp_matches(published, '^[0-9]{4}-[0-9]{2}-[0-9]{2}') "
    "THEN TRY_CAST(left(published, 10) AS DATE) END"
)
_INSERTION_ORDER = "ORDER BY seq"

# An actor's columns, after the "source_" or "target_" prefix, with their Arrow types.
_ACTOR_FIELDS: list[tuple[str, pa.DataType]] = [
    ("text", pa.string()),
    ("start", pa.int32()),
    ("end", pa.int32()),
    ("country", pa.string()),
    ("sector", pa.string()),
    ("code", pa.string()),  # Actor.code, stored for queries; derived again on reading
    ("organization", pa.string()),
    ("organization_kind", pa.string()),
    ("name", pa.string()),
    ("role", pa.string()),
    ("entry", pa.string()),
]
_PLACE_FIELDS: list[tuple[str, pa.DataType]] = [
    ("name", pa.string()),
    ("country", pa.string()),
    ("latitude", pa.float64()),
    ("longitude", pa.float64()),
    ("geonames_id", pa.int64()),
    ("feature", pa.string()),
    ("text", pa.string()),
    ("start", pa.int32()),
    ("end", pa.int32()),
]
# What add_events hands DuckDB. cameo_root and event_date are derived in SQL, seq from position.
_EVENT_BATCH = pa.schema(
    [
        ("event_id", pa.string()),
        ("doc_id", pa.string()),
        ("run_id", pa.string()),
        *[(f"source_{name}", kind) for name, kind in _ACTOR_FIELDS],
        *[(f"target_{name}", kind) for name, kind in _ACTOR_FIELDS],
        ("cameo", pa.string()),
        ("plover_type", pa.string()),
        ("plover_mode", pa.string()),
        ("plover_context", pa.string()),
        ("goldstein", pa.float64()),
        ("quad_class", pa.int8()),
        ("date", pa.string()),
        ("date_precision", pa.string()),
        ("date_source", pa.string()),
        *[(f"location_{name}", kind) for name, kind in _PLACE_FIELDS],
        ("sentence", pa.string()),
        ("sentence_index", pa.int32()),
        ("sentence_start", pa.int32()),
        ("sentence_end", pa.int32()),
        ("trigger", pa.string()),
        ("trigger_start", pa.int32()),
        ("trigger_end", pa.int32()),
        ("modality", pa.string()),
        ("rule", pa.string()),
        ("confidence", pa.float64()),
        ("mentions", pa.int32()),
        ("mention_sentences", pa.list_(pa.int32())),
        ("reciprocal", pa.bool_()),
        ("evidence", pa.string()),
        ("coded_at", pa.timestamp("us")),
        ("position", pa.int64()),  # within the batch; becomes seq
    ]
)
_EVENT_COLUMNS = ", ".join(name for name in _EVENT_BATCH.names if name != "position")
# The first day an ISO date at its precision stands for; anything else (including "") is NULL
# rather than a failed batch.
_EVENT_DATE = (
    "CASE WHEN regexp_matches(date, '^[0-9]{4}-[0-9]{2}-[0-9]{2}') "
    "THEN TRY_CAST(left(date, 10) AS DATE) "
    "WHEN regexp_matches(date, '^[0-9]{4}-[0-9]{2}$') THEN TRY_CAST(date || '-01' AS DATE) "
    "WHEN regexp_matches(date, '^[0-9]{4}$') THEN TRY_CAST(date || '-01-01' AS DATE) END"
)
# seq breaks ties so that a reciprocal pair comes back in the order it was coded.
_EVENT_ORDER = "ORDER BY doc_id, sentence_index, trigger_start, seq"


def now() -> datetime:
    """The time the store records (UTC, naive: DuckDB's TIMESTAMP)."""
    return datetime.now(UTC).replace(tzinfo=None)


def _documents_batch(
    docs: Sequence[Document],
    signatures: Mapping[str, Sequence[int]],
    run_id: str,
    added_at: datetime,
) -> pa.Table:
    """The documents as an Arrow table in _DOCUMENT_BATCH's shape, built column by column."""
    metas = [doc.metadata for doc in docs]
    minhashes = [signatures.get(doc.doc_id) for doc in docs]
    columns: dict[str, list[Any]] = {
        "doc_id": [d.doc_id for d in docs],
        "content_hash": [d.content_hash for d in docs],
        "source_path": [d.source_path for d in docs],
        "location": [d.location for d in docs],
        "media_type": [d.media_type for d in docs],
        "url": [m.url for m in metas],
        "title": [m.title for m in metas],
        "publisher": [m.publisher for m in metas],
        "author": [m.author for m in metas],
        "wire_source": [m.wire_source for m in metas],
        "published": [m.published for m in metas],
        "language": [m.language for m in metas],
        "body": [d.body for d in docs],
        "raw_text": [d.raw_text for d in docs],
        "paragraphs": [[[p.start, p.end] for p in d.paragraphs] for d in docs],
        "offset_map": [d.offset_map.to_list() for d in docs],
        "repeated_paragraphs": [d.repeated_paragraphs for d in docs],
        "duplicate_of": [d.duplicate_of for d in docs],
        "duplicate_kind": [d.duplicate_kind for d in docs],
        "similarity": [d.similarity for d in docs],
        "story_id": [d.story_id for d in docs],
        "skip_reason": [d.skip_reason for d in docs],
        "record_id": [d.record_id for d in docs],
        "record_source": [d.record_source for d in docs],
        "minhash": [list(m) if m is not None else None for m in minhashes],
        "run_id": [run_id] * len(docs),
        "added_at": [added_at] * len(docs),
        "position": list(range(len(docs))),
    }
    return pa.table(
        [pa.array(columns[f.name], type=f.type) for f in _DOCUMENT_BATCH], schema=_DOCUMENT_BATCH
    )


def _document_from_row(row: Mapping[str, Any]) -> Document:
    return Document(
        doc_id=row["doc_id"],
        content_hash=row["content_hash"],
        source_path=row["source_path"],
        location=row["location"],
        media_type=row["media_type"],
        raw_text=row["raw_text"],
        body=row["body"],
        paragraphs=tuple(Span(start, end) for start, end in row["paragraphs"]),
        offset_map=OffsetMap.from_list(row["offset_map"]),
        metadata=Metadata(
            title=row["title"],
            publisher=row["publisher"],
            author=row["author"],
            wire_source=row["wire_source"],
            published=row["published"],
            language=row["language"],
            url=row["url"],
        ),
        repeated_paragraphs=row["repeated_paragraphs"],
        duplicate_of=row["duplicate_of"],
        duplicate_kind=row["duplicate_kind"],
        similarity=row["similarity"],
        story_id=row["story_id"],
        skip_reason=row["skip_reason"],
        # .get: Parquet written by an older Spark run has no such columns
        record_id=row.get("record_id"),
        record_source=row.get("record_source"),
    )


def _optional_columns(
    prefix: str, items: Sequence[Actor | Place | None], fields: Sequence[tuple[str, pa.DataType]]
) -> dict[str, list[Any]]:
    """One column per field ("source_country", ...); NULL in every column where an item is None."""
    return {
        f"{prefix}_{name}": [getattr(item, name) if item is not None else None for item in items]
        for name, _ in fields
    }


def _events_batch(events: Sequence[Event], run_id: str | None, coded_at: datetime) -> pa.Table:
    """The events as an Arrow table in _EVENT_BATCH's shape, built column by column."""
    columns: dict[str, list[Any]] = {
        "event_id": [e.event_id for e in events],
        "doc_id": [e.doc_id for e in events],
        "run_id": [run_id] * len(events),
        **_optional_columns("source", [e.source for e in events], _ACTOR_FIELDS),
        **_optional_columns("target", [e.target for e in events], _ACTOR_FIELDS),
        "cameo": [e.cameo for e in events],
        "plover_type": [e.plover_type for e in events],
        "plover_mode": [e.plover_mode for e in events],
        "plover_context": [e.plover_context for e in events],
        "goldstein": [e.goldstein for e in events],
        "quad_class": [e.quad_class for e in events],
        "date": [e.date for e in events],
        "date_precision": [e.date_precision for e in events],
        "date_source": [e.date_source for e in events],
        **_optional_columns("location", [e.location for e in events], _PLACE_FIELDS),
        "sentence": [e.sentence for e in events],
        "sentence_index": [e.sentence_index for e in events],
        "sentence_start": [e.sentence_start for e in events],
        "sentence_end": [e.sentence_end for e in events],
        "trigger": [e.trigger for e in events],
        "trigger_start": [e.trigger_start for e in events],
        "trigger_end": [e.trigger_end for e in events],
        "modality": [e.modality for e in events],
        "rule": [e.rule for e in events],
        "confidence": [e.confidence for e in events],
        "mentions": [e.mentions for e in events],
        "mention_sentences": [list(e.mention_sentences) for e in events],
        "reciprocal": [e.reciprocal for e in events],
        "evidence": [e.evidence for e in events],
        "coded_at": [coded_at] * len(events),
        "position": list(range(len(events))),
    }
    return pa.table(
        [pa.array(columns[f.name], type=f.type) for f in _EVENT_BATCH], schema=_EVENT_BATCH
    )


def _actor_from_row(row: Mapping[str, Any], prefix: str) -> Actor | None:
    if row[f"{prefix}_text"] is None:  # Actor.text is never None: no actor
        return None
    return Actor(
        text=row[f"{prefix}_text"],
        start=row[f"{prefix}_start"],
        end=row[f"{prefix}_end"],
        country=row[f"{prefix}_country"],
        sector=row[f"{prefix}_sector"],
        organization=row[f"{prefix}_organization"],
        organization_kind=row[f"{prefix}_organization_kind"],
        name=row[f"{prefix}_name"],
        role=row[f"{prefix}_role"],
        entry=row[f"{prefix}_entry"],
    )


def _event_from_row(row: Mapping[str, Any]) -> Event:
    source = _actor_from_row(row, "source")
    if source is None:  # source_text is NOT NULL; only a hand-edited store gets here
        raise StoreError(f"event {row['event_id']!r} has no source actor", code="T403")
    location = None
    if row["location_name"] is not None:  # Place.name is never None: no place
        location = Place(**{name: row[f"location_{name}"] for name, _ in _PLACE_FIELDS})
    return Event(
        doc_id=row["doc_id"],
        event_id=row["event_id"],
        source=source,
        target=_actor_from_row(row, "target"),
        cameo=row["cameo"],
        plover_type=row["plover_type"],
        plover_mode=row["plover_mode"],
        plover_context=row["plover_context"],
        goldstein=row["goldstein"],
        quad_class=row["quad_class"],
        date=row["date"],
        date_precision=row["date_precision"],
        date_source=row["date_source"],
        location=location,
        sentence=row["sentence"],
        sentence_index=row["sentence_index"],
        sentence_start=row["sentence_start"],
        sentence_end=row["sentence_end"],
        trigger=row["trigger"],
        trigger_start=row["trigger_start"],
        trigger_end=row["trigger_end"],
        modality=row["modality"],
        rule=row["rule"],
        confidence=row["confidence"],
        mentions=row["mentions"],
        mention_sentences=tuple(row["mention_sentences"]),
        reciprocal=row["reciprocal"],
        evidence=row.get("evidence") or "",
    )
