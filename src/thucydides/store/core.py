"""The Store: one DuckDB connection to a store file, and what callers do with it.

It composes the store's parts: the schema and its migrations (schema.py), run bookkeeping
(runs.py), rejection storage (rejections.py), the Arrow batches and rows of documents and events
(columns.py) and the mapping of DuckDB's failures to StoreErrors (failures.py). Transactions,
documents, events and queries are its own.

One Store is one DuckDB connection: use it from one thread at a time. DuckDB lets one process
open a file for writing; a second process gets a T401 naming the file.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb
import pyarrow as pa

from ..errors import StoreError
from ..settings import Settings
from ..types import Document, Event, Rejection, RunSummary
from . import columns, schema
from . import rejections as rejections_table
from . import runs as runs_table
from .failures import sql_failure, store_failure

# DuckDB settings of a sandboxed (query) connection; lock_configuration keeps SQL from undoing
# them with SET. The memory cap turns a runaway sort or join into an error, not a swapping host.
SANDBOX_CONFIG: Mapping[str, str | bool] = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "memory_limit": "2GB",
    "lock_configuration": True,
}


class Store:
    """A DuckDB store. Use as a context manager.

    PATH is a file (created with its directory when missing), ":memory:", or None for the
    default, Settings().db. READ_ONLY opens an existing store without migrating it (for queries
    while another process may be reading too).
    """

    read_only = False  # as opened; a subclass reading through a cursor (api.py) keeps this

    def __init__(
        self, path: str | Path | None = None, *, read_only: bool = False, sandbox: bool = False
    ) -> None:
        """Open the store at PATH (settings' db when None).

        sandbox=True (read-only) is for SQL from someone else: the connection cannot touch any
        file but the store (no read_text, glob, COPY, ATTACH), install or load extensions, or
        change those settings back (SANDBOX_CONFIG).
        """
        self.path = str(Settings().db if path is None else path)
        self._transactions = 0  # depth of open transaction() blocks
        if sandbox:
            read_only = True
        try:
            if self.path != ":memory:" and not read_only:
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            config: dict[str, str | bool | int | float | list[str]] = (
                dict(SANDBOX_CONFIG) if sandbox else {}
            )
            self.connection = duckdb.connect(self.path, read_only=read_only, config=config)
        except (duckdb.Error, OSError) as exc:
            raise store_failure(self.path, exc, writing=not read_only) from None
        self.read_only = read_only
        try:
            with self._failures():
                if read_only and schema.older_schema(self.connection):
                    # A store from an older version: upgrade it once (a write), then read.
                    self.connection.close()
                    with Store(self.path):
                        pass
                    self.connection = duckdb.connect(self.path, read_only=True, config=config)
                schema.check_version(self.connection, self.path, read_only=read_only)
                if not read_only:
                    schema.migrate(self.connection, self.path)
                    runs_table.mark_killed_runs(self.connection)
        except BaseException:
            self.connection.close()
            raise

    @contextmanager
    def _failures(self, doing: str = "store error", code: str = "T401") -> Iterator[None]:
        """DuckDB's errors inside as one-line StoreErrors naming the file (store_failure): a
        truncated file shows only when the missing blocks are read, a full disk on a write."""
        try:
            yield
        except duckdb.Error as exc:
            raise store_failure(
                self.path, exc, doing=doing, code=code, writing=not self.read_only
            ) from exc

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Writes inside commit together or not at all (extract: a flush's documents, events
        and rejections, so a killed run never leaves a document without its events)."""
        if self._transactions:
            self._transactions += 1  # nested: the outer one commits
            try:
                yield
            finally:
                self._transactions -= 1
            return
        with self._failures():
            self.connection.begin()
        self._transactions = 1
        try:
            yield
        except BaseException:
            self._transactions = 0
            with suppress(duckdb.Error):  # a failed write may have ended the transaction
                self.connection.rollback()
            raise
        self._transactions = 0
        with self._failures():  # a full disk shows here, when the WAL is written
            self.connection.commit()

    # The add_* methods' own transactions; inside transaction() the outer one decides.
    def _begin(self) -> None:
        if not self._transactions:
            self.connection.begin()

    def _commit(self) -> None:
        if not self._transactions:
            self.connection.commit()

    def _rollback(self) -> None:
        if not self._transactions:
            self.connection.rollback()

    # -- schema ---------------------------------------------------------------------------

    @property
    def schema_version(self) -> int:
        """The highest migration applied (0: none yet)."""
        return schema.schema_version(self.connection)

    def _tables(self) -> set[str]:
        return schema.tables(self.connection)

    # -- runs -----------------------------------------------------------------------------

    def begin_run(
        self,
        inputs: Sequence[str],
        settings: Settings,
        *,
        model: dict[str, str] | None = None,
        lexicon_version: str | None = None,
    ) -> str:
        """Record the start of a run (and, when it codes events, the MODEL and LEXICON_VERSION
        it codes with); returns its id."""
        with self._failures():
            return runs_table.begin_run(
                self.connection, inputs, settings, model=model, lexicon_version=lexicon_version
            )

    def finish_run(self, run_id: str, summary: RunSummary, status: str = "finished") -> None:
        """Record the end of a run: its counts so far, and STATUS (one of RUN_STATUSES:
        finished, or interrupted or failed for a run that stopped early)."""
        if status not in runs_table.RUN_STATUSES:
            raise ValueError(f"run status {status!r}: one of {sorted(runs_table.RUN_STATUSES)}")
        with self._failures():
            runs_table.finish_run(self.connection, run_id, summary, status)

    def runs(self) -> list[dict[str, Any]]:
        """Every run, oldest first; settings and counts as dicts (counts None if unfinished).

        status is one of RUN_STATUSES; a run still marked running whose process is gone shows
        as killed here even in a read-only store (a store opened for writing records it so).
        """
        return runs_table.decode_runs(self.query(runs_table.ALL_RUNS).to_pylist())

    # -- documents ------------------------------------------------------------------------

    def has_document(self, doc_id: str) -> bool:
        with self._failures():
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
        batch = columns._documents_batch(list(first.values()), signatures, run_id, columns.now())
        # A uniquely named view of the Arrow table: one INSERT for the whole batch.
        view = f"documents_batch_{uuid.uuid4().hex}"
        return self._insert_batch(
            view,
            batch,
            f"INSERT OR IGNORE INTO documents ({columns._DOCUMENT_COLUMNS}, "
            "published_date, seq) "
            f"SELECT {columns._DOCUMENT_COLUMNS}, {columns._PUBLISHED_DATE}, "
            f"(SELECT coalesce(max(seq), 0) + 1 FROM documents) + position FROM {view}",
        )

    def _insert_batch(self, view: str, batch: pa.RecordBatch | pa.Table, sql: str) -> int:
        """Run the INSERT ... SELECT SQL over BATCH registered as VIEW, in one transaction;
        returns how many rows it inserted."""
        self.connection.register(view, batch)
        try:
            self._begin()
            try:
                (inserted,) = self.connection.execute(sql).fetchall()[0]
                self._commit()
            except duckdb.Error as exc:
                with suppress(duckdb.Error):  # a failed write may have ended the transaction
                    self._rollback()
                raise store_failure(self.path, exc, doing="cannot write the store") from exc
        finally:
            with suppress(duckdb.Error):
                self.connection.unregister(view)
        return int(inserted)

    def get_document(self, doc_id: str) -> Document | None:
        rows = self.query("SELECT * FROM documents WHERE doc_id = ?", [doc_id]).to_pylist()
        return columns._document_from_row(rows[0]) if rows else None

    def iter_documents(self, batch_size: int = 1000) -> Iterator[Document]:
        """Every stored document, in the order they were added."""
        # A cursor of its own, so the caller may use the store while iterating.
        with self._failures():
            relation = self.connection.cursor().sql(
                f"SELECT * FROM documents {columns._INSERTION_ORDER}"
            )
            for batch in relation.to_arrow_reader(batch_size):
                for row in batch.to_pylist():
                    yield columns._document_from_row(row)

    def known_signatures(self) -> Iterator[tuple[str, str, str, list[int]]]:
        """(doc_id, story_id, content_hash, minhash) of every stored document, in the order they
        were added, for seeding a DuplicateFinder. minhash is [] where none was stored."""
        with self._failures():
            result = self.connection.cursor().execute(
                "SELECT doc_id, coalesce(story_id, doc_id), content_hash, coalesce(minhash, []) "
                f"FROM documents {columns._INSERTION_ORDER}"
            )
            while rows := result.fetchmany(4096):
                yield from rows

    # -- events ---------------------------------------------------------------------------

    def add_events(self, events: Sequence[Event], run_id: str | None) -> int:
        """Insert the events not stored yet, in one transaction; returns how many were new.

        An event_id already stored, or repeated within EVENTS, is skipped and not counted.
        """
        first: dict[str, Event] = {}
        for event in events:
            first.setdefault(event.event_id, event)
        if not first:
            return 0
        batch = columns._events_batch(list(first.values()), run_id, columns.now())
        view = f"events_batch_{uuid.uuid4().hex}"
        return self._insert_batch(
            view,
            batch,
            f"INSERT INTO events ({columns._EVENT_COLUMNS}, cameo_root, event_date, seq) "
            f"SELECT {columns._EVENT_COLUMNS}, left(cameo, 2), {columns._EVENT_DATE}, "
            f"(SELECT coalesce(max(seq), 0) + 1 FROM events) + position FROM {view} b "
            "WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.event_id = b.event_id)",
        )

    def get_events(self, doc_id: str | None = None) -> list[Event]:
        """The stored events (of DOC_ID, or all), by document, sentence and trigger."""
        if doc_id is None:
            rows = self.query(f"SELECT * FROM events {columns._EVENT_ORDER}").to_pylist()
        else:
            rows = self.query(
                f"SELECT * FROM events WHERE doc_id = ? {columns._EVENT_ORDER}", [doc_id]
            ).to_pylist()
        return [columns._event_from_row(row) for row in rows]

    def iter_events(self, batch_size: int = 1000) -> Iterator[Event]:
        """Every stored event, in get_events' order, read BATCH_SIZE rows at a time."""
        with self._failures():
            relation = self.connection.cursor().sql(f"SELECT * FROM events {columns._EVENT_ORDER}")
            for batch in relation.to_arrow_reader(batch_size):
                for row in batch.to_pylist():
                    yield columns._event_from_row(row)

    # -- rejections, queries --------------------------------------------------------------

    def add_rejections(self, run_id: str, rejections: Sequence[Rejection]) -> int:
        """Store the rejections not stored yet; returns how many were new.

        A rejection is known by its location (input and record), code and message: one that a
        re-run of the same input meets again keeps the row (and run_id) it was first stored
        with, so running the same input twice leaves one row per rejection, not two.
        """
        with self._failures(doing="cannot write the store"):
            return rejections_table.add_rejections(self.connection, run_id, rejections)

    def merged_events_sql(self) -> str:
        """SQL for one row per real-world event, with its evidence counts: the store's
        `merged_events` view (migration 7 says what its columns are).

        Exports and analytics read this relation; DuckDB users read the view directly.
        """
        return "SELECT * FROM merged_events"

    # -- the analytics and exports, as methods (thin: the work is in analytics.py, export.py) --

    def dyad(
        self,
        a: str,
        b: str,
        by: str = "month",
        since: str | None = None,
        until: str | None = None,
        *,
        level: str | None = None,
        fill: bool = False,
    ) -> pa.Table:
        """Events between A and B per period, both directions (analytics.dyad_series): a
        precision column per row, periods as dates, a zero-filled regular series with FILL."""
        from ..analytics import dyad_series

        return dyad_series(self, a, b, by=by, since=since, until=until, level=level, fill=fill)

    def top(
        self,
        by: str = "dyad",
        limit: int = 20,
        since: str | None = None,
        until: str | None = None,
        *,
        level: str | None = None,
    ) -> pa.Table:
        """The most frequent dyads, actors or CAMEO codes (analytics.top)."""
        from ..analytics import top

        return top(self, by=by, limit=limit, since=since, until=until, level=level)

    def network(self, since: str | None = None, until: str | None = None) -> pa.Table:
        """Directed country edges with counts and Goldstein sums (analytics.network)."""
        from ..analytics import network

        return network(self, since=since, until=until)

    def export(self, fmt: str, path: str | Path, **filters: Any) -> int:
        """Write the merged events in FMT to PATH (export.export_events); returns the rows."""
        from ..export import export_events

        return export_events(self, fmt, path, **filters)

    def count(self, table: str) -> int:
        """Rows in TABLE, which must be one of the store's tables."""
        with self._failures(doing="query failed", code="T403"):
            tables = self._tables()
            if table not in tables:  # table names cannot be parameters; allow only existing ones
                raise StoreError(f"unknown table {table!r}; one of {sorted(tables)}", code="T403")
            (row,) = self.connection.execute(f'SELECT count(*) FROM "{table}"').fetchall()
        return int(row[0])

    def query(self, sql: str, params: Sequence[Any] | Mapping[str, Any] | None = None) -> pa.Table:
        """The result of one SQL statement as an Arrow table (empty for statements without one).

        Errors become StoreError T403. Nothing stops SQL that writes: read-only use is the
        caller's to choose (open the Store with read_only=True), and for SQL from someone else
        open it with sandbox=True (no files, no extensions; what `thucydides query` does).
        """
        try:
            if params is not None and not isinstance(params, Mapping):
                params = list(params)
            relation = self.connection.sql(sql, params=params)
            if relation is None:  # a statement without a result (DDL, INSERT)
                return pa.table({})
            return relation.to_arrow_table()
        except duckdb.Error as exc:
            raise self.sql_failure(exc) from exc

    def sql_failure(self, exc: duckdb.Error, doing: str = "query failed") -> StoreError:
        """A failed statement as a one-line StoreError: T404 or T405 naming the file when the
        file is at fault (an I/O error, a failed checksum), else T403 with DuckDB's reason."""
        return sql_failure(self.path, exc, doing, writing=not self.read_only)

    # -- lifetime -------------------------------------------------------------------------

    def close(self) -> None:
        # Closing writes what the WAL holds into the file (a checkpoint): a full disk shows here.
        with self._failures(doing="cannot close the store"):
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
