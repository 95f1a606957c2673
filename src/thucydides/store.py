"""The store: an embedded DuckDB file with a versioned schema.

Migrations are numbered and applied in order, each in its own transaction, when a store is opened
for writing; the `schema_version` table records which have run. Later stages add their tables
(events, actors, mentions, ...) as migrations 2, 3, ...: append to MIGRATIONS, never edit one
that has shipped. Documents are keyed on `doc_id` (a hash of where a document came from and what
it says), so inserting the same input twice adds nothing. Every run is recorded in `runs` with its
inputs, settings and counts; rejected inputs land in `rejections`.

One Store is one DuckDB connection: use it from one thread at a time. DuckDB lets one process
open a file for writing; a second process gets a T401 naming the file.
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
    (
        2,
        # Insertion order, explicit: DuckDB does not promise that rowid follows it (INSERT OR
        # IGNORE does not), and a re-run's duplicate verdicts depend on it. Rows from before
        # this migration keep the order rowid gives them.
        """
        ALTER TABLE documents ADD COLUMN seq BIGINT;
        UPDATE documents SET seq = rowid + 1;
        """,
    ),
]

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
_REJECTION_BATCH = pa.schema(
    [(name, pa.string()) for name in ("run_id", "location", "stage", "code", "message")]
)
_INSERTION_ORDER = "ORDER BY seq"


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class Store:
    """A DuckDB store. Use as a context manager.

    PATH is a file (created with its directory when missing), ":memory:", or None for the
    default, Settings().db. READ_ONLY opens an existing store without migrating it (for queries
    while another process may be reading too).
    """

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False) -> None:
        self.path = str(Settings().db if path is None else path)
        try:
            if self.path != ":memory:" and not read_only:
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self.connection = duckdb.connect(self.path, read_only=read_only)
        except (duckdb.Error, OSError) as exc:
            raise StoreError(f"{self.path}: cannot open the store: {_first_line(exc)}") from None
        try:
            self._check_version(read_only=read_only)
            if not read_only:
                self._migrate()
        except BaseException:
            self.connection.close()
            raise

    # -- schema ---------------------------------------------------------------------------

    @property
    def schema_version(self) -> int:
        """The highest migration applied (0: none yet)."""
        if "schema_version" not in self._tables():
            return 0
        (row,) = self.connection.execute("SELECT max(version) FROM schema_version").fetchall()
        return int(row[0]) if row[0] is not None else 0

    def _tables(self) -> set[str]:
        rows = self.connection.execute(
            "SELECT table_name FROM duckdb_tables() "
            "WHERE database_name = current_database() AND schema_name = 'main'"
        ).fetchall()
        return {row[0] for row in rows}

    def _check_version(self, *, read_only: bool) -> None:
        tables = self._tables()
        known = MIGRATIONS[-1][0]
        if "schema_version" not in tables:
            # Another program's database: adding our tables to it would be a surprise.
            if tables or read_only:
                raise StoreError(
                    f"{self.path}: cannot open the store: a DuckDB database, but not a "
                    "thucydides store (no schema_version table)"
                )
            return
        current = self.schema_version
        if current > known:
            raise StoreError(
                f"{self.path}: store schema version {current} is newer than this thucydides "
                f"{__version__} knows ({known}); upgrade thucydides",
                code="T402",
            )
        if read_only and current < known:
            raise StoreError(
                f"{self.path}: cannot open the store: schema version {current} is older than "
                f"{known}; open it once for writing (any thucydides command) to upgrade it"
            )

    def _migrate(self) -> None:
        self.connection.execute(
            "CREATE TABLE IF NOT EXISTS schema_version "
            "(version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL)"
        )
        current = self.schema_version
        for version, sql in MIGRATIONS:
            if version <= current:
                continue
            # A migration and its record commit together, or neither does.
            self.connection.begin()
            try:
                self.connection.execute(sql)
                self.connection.execute(
                    "INSERT INTO schema_version VALUES (?, ?)", [version, _now()]
                )
                self.connection.commit()
            except duckdb.Error as exc:
                self.connection.rollback()
                raise StoreError(
                    f"{self.path}: cannot open the store: migration {version} failed: "
                    f"{_first_line(exc)}"
                ) from None

    # -- runs -----------------------------------------------------------------------------

    def begin_run(self, inputs: Sequence[str], settings: Settings) -> str:
        """Record the start of a run; returns its id."""
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
        """Every run, oldest first; settings and counts as dicts (counts None if unfinished)."""
        rows: list[dict[str, Any]] = self.query(
            "SELECT * FROM runs ORDER BY started_at, run_id"
        ).to_pylist()
        for row in rows:
            row["settings"] = json.loads(row["settings"])
            row["counts"] = json.loads(row["counts"]) if row["counts"] is not None else None
        return rows

    # -- documents ------------------------------------------------------------------------

    def has_document(self, doc_id: str) -> bool:
        rows = self.connection.execute(
            "SELECT 1 FROM documents WHERE doc_id = ? LIMIT 1", [doc_id]
        ).fetchall()
        return bool(rows)

    def add_documents(
        self, docs: Sequence[Document], signatures: Mapping[str, Sequence[int]], run_id: str
    ) -> int:
        """Insert the documents not stored yet, in one transaction; returns how many were new.

        SIGNATURES maps doc_id to MinHash values (a document without one stores NULL). A doc_id
        already stored, or repeated within DOCS, is skipped and not counted.
        """
        first: dict[str, Document] = {}
        for doc in docs:
            first.setdefault(doc.doc_id, doc)
        if not first:
            return 0
        batch = _documents_batch(list(first.values()), signatures, run_id, _now())
        # A uniquely named view of the Arrow table: one INSERT for the whole batch.
        view = f"documents_batch_{uuid.uuid4().hex}"
        self.connection.register(view, batch)
        try:
            self.connection.begin()
            try:
                (inserted,) = self.connection.execute(
                    f"INSERT OR IGNORE INTO documents ({_DOCUMENT_COLUMNS}, published_date, seq) "
                    f"SELECT {_DOCUMENT_COLUMNS}, {_PUBLISHED_DATE}, "
                    f"(SELECT coalesce(max(seq), 0) + 1 FROM documents) + position FROM {view}"
                ).fetchall()[0]
                self.connection.commit()
            except duckdb.Error:
                self.connection.rollback()
                raise
        finally:
            self.connection.unregister(view)
        return int(inserted)

    def get_document(self, doc_id: str) -> Document | None:
        rows = self.query("SELECT * FROM documents WHERE doc_id = ?", [doc_id]).to_pylist()
        return _document_from_row(rows[0]) if rows else None

    def iter_documents(self, batch_size: int = 1000) -> Iterator[Document]:
        """Every stored document, in the order they were added."""
        # A cursor of its own, so the caller may use the store while iterating.
        relation = self.connection.cursor().sql(f"SELECT * FROM documents {_INSERTION_ORDER}")
        for batch in relation.to_arrow_reader(batch_size):
            for row in batch.to_pylist():
                yield _document_from_row(row)

    def known_signatures(self) -> Iterator[tuple[str, str, str, list[int]]]:
        """(doc_id, story_id, content_hash, minhash) of every stored document, in the order they
        were added, for seeding a DuplicateFinder. minhash is [] where none was stored."""
        result = self.connection.cursor().execute(
            "SELECT doc_id, coalesce(story_id, doc_id), content_hash, coalesce(minhash, []) "
            f"FROM documents {_INSERTION_ORDER}"
        )
        while rows := result.fetchmany(4096):
            yield from rows

    # -- rejections, queries --------------------------------------------------------------

    def add_rejections(self, run_id: str, rejections: Sequence[Rejection]) -> None:
        if not rejections:
            return
        batch = pa.Table.from_pylist(
            [{"run_id": run_id, **r.to_record()} for r in rejections], schema=_REJECTION_BATCH
        )
        view = f"rejections_batch_{uuid.uuid4().hex}"
        self.connection.register(view, batch)
        try:
            self.connection.execute(
                f"INSERT INTO rejections (run_id, location, stage, code, message) "
                f"SELECT run_id, location, stage, code, message FROM {view}"
            )
        finally:
            self.connection.unregister(view)

    def count(self, table: str) -> int:
        """Rows in TABLE, which must be one of the store's tables."""
        tables = self._tables()
        if table not in tables:  # table names cannot be parameters; allow only existing ones
            raise StoreError(f"unknown table {table!r}; one of {sorted(tables)}", code="T403")
        (row,) = self.connection.execute(f'SELECT count(*) FROM "{table}"').fetchall()
        return int(row[0])

    def query(self, sql: str, params: Sequence[Any] | Mapping[str, Any] | None = None) -> pa.Table:
        """The result of one SQL statement as an Arrow table (empty for statements without one).

        Errors become StoreError T403. Nothing stops SQL that writes: read-only use is the
        caller's to choose (open the Store with read_only=True).
        """
        try:
            if params is not None and not isinstance(params, Mapping):
                params = list(params)
            relation = self.connection.sql(sql, params=params)
            if relation is None:  # a statement without a result (DDL, INSERT)
                return pa.table({})
            return relation.to_arrow_table()
        except duckdb.Error as exc:
            raise StoreError(f"query failed: {_first_line(exc)}", code="T403") from None

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
    )
