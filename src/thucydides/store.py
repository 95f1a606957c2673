"""The store: an embedded DuckDB file with a versioned schema.

Migrations are numbered and applied in order when a store is opened; the `schema_version` table
records which have run. Documents are keyed on `doc_id` (a hash of where a document came from and
what it says), so inserting the same input twice adds nothing. Every run is recorded in `runs`
with its inputs, settings and counts; rejected inputs land in `rejections`.
"""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb
import pyarrow as pa

from . import __version__
from .errors import StoreError
from .settings import Settings
from .types import Document, Metadata, OffsetMap, Rejection, RunSummary, Span

MIGRATIONS: list[tuple[int, str]] = [
    (
        1,
        """
        CREATE TABLE runs (
            run_id VARCHAR PRIMARY KEY,
            started_at TIMESTAMP NOT NULL,
            finished_at TIMESTAMP,
            version VARCHAR NOT NULL,
            inputs VARCHAR[] NOT NULL,
            settings JSON NOT NULL,
            counts JSON
        );
        CREATE TABLE documents (
            doc_id VARCHAR PRIMARY KEY,
            content_hash VARCHAR NOT NULL,
            source_path VARCHAR NOT NULL,
            location VARCHAR NOT NULL,
            media_type VARCHAR NOT NULL,
            url VARCHAR,
            title VARCHAR,
            publisher VARCHAR,
            author VARCHAR,
            wire_source VARCHAR,
            published VARCHAR,
            published_date DATE,
            language VARCHAR,
            body VARCHAR NOT NULL,
            raw_text VARCHAR NOT NULL,
            paragraphs INTEGER[][] NOT NULL,
            offset_map INTEGER[][] NOT NULL,
            repeated_paragraphs INTEGER NOT NULL,
            duplicate_of VARCHAR,
            duplicate_kind VARCHAR,
            similarity DOUBLE,
            story_id VARCHAR,
            skip_reason VARCHAR,
            minhash UBIGINT[],
            run_id VARCHAR NOT NULL,
            added_at TIMESTAMP NOT NULL
        );
        CREATE INDEX documents_content_hash ON documents (content_hash);
        CREATE TABLE rejections (
            run_id VARCHAR NOT NULL,
            location VARCHAR NOT NULL,
            stage VARCHAR NOT NULL,
            code VARCHAR NOT NULL,
            message VARCHAR NOT NULL
        );
        """,
    ),
]
TABLES = frozenset({"runs", "documents", "rejections", "schema_version"})
_DOCUMENT_COLUMNS = (
    "doc_id", "content_hash", "source_path", "location", "media_type", "url", "title",
    "publisher", "author", "wire_source", "published", "published_date", "language", "body",
    "raw_text", "paragraphs", "offset_map", "repeated_paragraphs", "duplicate_of",
    "duplicate_kind", "similarity", "story_id", "skip_reason", "minhash", "run_id", "added_at",
)  # fmt: skip


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Store:
    """A DuckDB store. Use as a context manager; one writer at a time (DuckDB's rule)."""

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = str(path)
        try:
            if self.path != ":memory:" and not read_only:
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self.connection = duckdb.connect(self.path, read_only=read_only)
        except (duckdb.Error, OSError) as exc:
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc)
            raise StoreError(f"{self.path}: cannot open the store: {first_line}") from None
        try:
            if not read_only:
                self._migrate()
        except Exception:
            self.connection.close()
            raise

    # -- schema ---------------------------------------------------------------------------

    @property
    def schema_version(self) -> int:
        (row,) = self.connection.execute("SELECT max(version) FROM schema_version").fetchall()
        return int(row[0]) if row[0] is not None else 0

    def _migrate(self) -> None:
        self.connection.execute(
            "CREATE TABLE IF NOT EXISTS schema_version "
            "(version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL)"
        )
        current = self.schema_version
        known = MIGRATIONS[-1][0]
        if current > known:
            raise StoreError(
                f"{self.path}: store schema version {current} is newer than this thucydides "
                f"{__version__} knows ({known}); upgrade thucydides",
                code="T402",
            )
        for version, sql in MIGRATIONS:
            if version <= current:
                continue
            self.connection.execute("BEGIN TRANSACTION")
            try:
                self.connection.execute(sql)
                self.connection.execute(
                    "INSERT INTO schema_version VALUES (?, ?)", [version, _now()]
                )
                self.connection.execute("COMMIT")
            except duckdb.Error:
                self.connection.execute("ROLLBACK")
                raise

    # -- runs -----------------------------------------------------------------------------

    def begin_run(self, inputs: Sequence[str], settings: Settings) -> str:
        run_id = uuid.uuid4().hex[:16]
        self.connection.execute(
            "INSERT INTO runs (run_id, started_at, version, inputs, settings) VALUES (?,?,?,?,?)",
            [run_id, _now(), __version__, list(inputs), json.dumps(dataclasses.asdict(settings))],
        )
        return run_id

    def finish_run(self, run_id: str, summary: RunSummary) -> None:
        self.connection.execute(
            "UPDATE runs SET finished_at = ?, counts = ? WHERE run_id = ?",
            [_now(), json.dumps(summary.to_record()), run_id],
        )

    def runs(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = self.query(
            "SELECT * FROM runs ORDER BY started_at"
        ).to_pylist()
        return rows

    # -- documents ------------------------------------------------------------------------

    def has_document(self, doc_id: str) -> bool:
        (row,) = self.connection.execute(
            "SELECT count(*) FROM documents WHERE doc_id = ?", [doc_id]
        ).fetchall()
        return bool(row[0])

    def add_documents(
        self, docs: Sequence[Document], signatures: Mapping[str, Sequence[int]], run_id: str
    ) -> int:
        """Insert the documents not stored yet, in one transaction; returns how many were new."""
        if not docs:
            return 0
        added_at = _now()
        rows: dict[str, list[Any]] = {name: [] for name in _DOCUMENT_COLUMNS}
        seen: set[str] = set()
        for doc in docs:
            if doc.doc_id in seen:
                continue
            seen.add(doc.doc_id)
            record = _document_row(doc, signatures.get(doc.doc_id), run_id, added_at)
            for name in _DOCUMENT_COLUMNS:
                rows[name].append(record[name])
        columns = {name: pa.array(values) for name, values in rows.items() if name != "minhash"}
        # Signatures are unsigned 64-bit; inferred types would stop at the signed range.
        columns["minhash"] = pa.array(rows["minhash"], type=pa.list_(pa.uint64()))
        batch = pa.table(columns)  # noqa: F841  (read by DuckDB's replacement scan below)
        before = self.count("documents")
        self.connection.execute("BEGIN TRANSACTION")
        try:
            self.connection.execute(
                f"INSERT INTO documents ({', '.join(_DOCUMENT_COLUMNS)}) "
                f"SELECT {', '.join(_cast(name) for name in _DOCUMENT_COLUMNS)} FROM batch "
                "WHERE doc_id NOT IN (SELECT doc_id FROM documents)"
            )
            self.connection.execute("COMMIT")
        except duckdb.Error:
            self.connection.execute("ROLLBACK")
            raise
        return self.count("documents") - before

    def get_document(self, doc_id: str) -> Document | None:
        table = self.query("SELECT * FROM documents WHERE doc_id = ?", [doc_id])
        rows = table.to_pylist()
        return _document_from_row(rows[0]) if rows else None

    def iter_documents(self, batch_size: int = 1000) -> Iterator[Document]:
        # A cursor of its own, so the caller may use the store while iterating.
        relation = self.connection.cursor().sql("SELECT * FROM documents ORDER BY added_at, doc_id")
        for batch in relation.to_arrow_reader(batch_size):
            for row in batch.to_pylist():
                yield _document_from_row(row)

    def known_signatures(self) -> Iterator[tuple[str, str, str, list[int]]]:
        """(doc_id, story_id, content_hash, minhash) of stored documents, oldest first."""
        result = self.connection.cursor().execute(
            "SELECT doc_id, coalesce(story_id, doc_id), content_hash, minhash FROM documents "
            "WHERE minhash IS NOT NULL ORDER BY added_at, doc_id"
        )
        while rows := result.fetchmany(2000):
            for doc_id, story_id, body_hash, minhash in rows:
                yield doc_id, story_id, body_hash, list(minhash)

    # -- rejections, queries --------------------------------------------------------------

    def add_rejections(self, run_id: str, rejections: Sequence[Rejection]) -> None:
        if rejections:
            self.connection.executemany(
                "INSERT INTO rejections VALUES (?, ?, ?, ?, ?)",
                [[run_id, r.location, r.stage, r.code, r.message] for r in rejections],
            )

    def count(self, table: str) -> int:
        if table not in TABLES:  # table names cannot be parameters; allow only ours
            raise StoreError(f"unknown table {table!r}; one of {sorted(TABLES)}")
        (row,) = self.connection.execute(f"SELECT count(*) FROM {table}").fetchall()
        return int(row[0])

    def query(self, sql: str, params: Sequence[Any] | None = None) -> pa.Table:
        try:
            relation = self.connection.sql(sql, params=list(params) if params else None)
            if relation is None:  # a statement without a result (DDL, INSERT)
                return pa.table({})
            return relation.to_arrow_table()
        except duckdb.Error as exc:
            raise StoreError(f"query failed: {str(exc).splitlines()[0]}", code="T403") from None

    # -- lifetime -------------------------------------------------------------------------

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def _cast(name: str) -> str:
    types = {
        "published_date": "DATE",
        "added_at": "TIMESTAMP",
        "minhash": "UBIGINT[]",
        "paragraphs": "INTEGER[][]",
        "offset_map": "INTEGER[][]",
    }
    return f"CAST({name} AS {types[name]})" if name in types else name


def _document_row(
    doc: Document, signature: Sequence[int] | None, run_id: str, added_at: datetime
) -> dict[str, Any]:
    meta = doc.metadata
    published_date = None
    if meta.published and len(meta.published) >= 10:
        published_date = meta.published[:10]
    return {
        "doc_id": doc.doc_id, "content_hash": doc.content_hash,
        "source_path": doc.source_path, "location": doc.location, "media_type": doc.media_type,
        "url": meta.url, "title": meta.title, "publisher": meta.publisher, "author": meta.author,
        "wire_source": meta.wire_source, "published": meta.published,
        "published_date": published_date, "language": meta.language, "body": doc.body,
        "raw_text": doc.raw_text,
        "paragraphs": [[p.start, p.end] for p in doc.paragraphs],
        "offset_map": doc.offset_map.to_list(),
        "repeated_paragraphs": doc.repeated_paragraphs, "duplicate_of": doc.duplicate_of,
        "duplicate_kind": doc.duplicate_kind, "similarity": doc.similarity,
        "story_id": doc.story_id, "skip_reason": doc.skip_reason,
        "minhash": list(signature) if signature is not None else None,
        "run_id": run_id, "added_at": added_at,
    }  # fmt: skip


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
    )
