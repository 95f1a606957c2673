"""The store: an embedded DuckDB file with a versioned schema.

Migrations are numbered and applied in order, each in its own transaction, when a store is opened
for writing; the `schema_version` table records which have run. Later stages add their tables
(events is migration 3) as further migrations: append to MIGRATIONS, never edit one that has
shipped. Documents are keyed on `doc_id` (a hash of where a document came from and what
it says), so inserting the same input twice adds nothing. Every run is recorded in `runs` with its
inputs, settings and counts; rejected inputs land in `rejections`. Coded events are keyed on
`event_id` the same way, one flat row each in `events`.

One Store is one DuckDB connection: use it from one thread at a time. DuckDB lets one process
open a file for writing; a second process gets a T401 naming the file.
"""

from __future__ import annotations

import json
import os
import socket
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb
import pyarrow as pa

from . import __version__
from .errors import StoreError
from .settings import Settings, public_values
from .types import (
    Actor,
    Document,
    Event,
    Metadata,
    OffsetMap,
    Place,
    Rejection,
    RunSummary,
    Span,
)

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

# The identity of a rejection as a number: the low 64 bits of an MD5 (stable across DuckDB
# versions, unlike hash()). Two different rejections share one with odds of about 1 in 10**13
# for a store of a million of them; the later would not be stored. (Comparing the strings too
# reads every stored one on each flush: five times slower at a million rows.)
_REJECTION_KEY = "md5_number_lower(location || chr(0) || code || chr(0) || message)"

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
    (
        3,
        # One row per coded event, actors and place flattened so that dyad and time-series
        # queries need no JSON. target_* and location_* are all NULL when there is none.
        # event_date is the first day `date` stands for; seq keeps insertion order.
        """
        CREATE TABLE events (
            event_id VARCHAR PRIMARY KEY,
            doc_id VARCHAR NOT NULL,
            run_id VARCHAR,
            source_text VARCHAR NOT NULL,
            source_start INTEGER NOT NULL,
            source_end INTEGER NOT NULL,
            source_country VARCHAR,
            source_sector VARCHAR,
            source_code VARCHAR NOT NULL,
            source_organization VARCHAR,
            source_organization_kind VARCHAR,
            source_name VARCHAR,
            source_role VARCHAR,
            source_entry VARCHAR NOT NULL,
            target_text VARCHAR,
            target_start INTEGER,
            target_end INTEGER,
            target_country VARCHAR,
            target_sector VARCHAR,
            target_code VARCHAR,
            target_organization VARCHAR,
            target_organization_kind VARCHAR,
            target_name VARCHAR,
            target_role VARCHAR,
            target_entry VARCHAR,
            cameo VARCHAR NOT NULL,
            cameo_root VARCHAR NOT NULL,
            plover_type VARCHAR NOT NULL,
            plover_mode VARCHAR NOT NULL,
            plover_context VARCHAR NOT NULL,
            goldstein DOUBLE NOT NULL,
            quad_class TINYINT NOT NULL,
            date VARCHAR NOT NULL,
            date_precision VARCHAR NOT NULL,
            date_source VARCHAR NOT NULL,
            event_date DATE,
            location_name VARCHAR,
            location_country VARCHAR,
            location_latitude DOUBLE,
            location_longitude DOUBLE,
            location_geonames_id BIGINT,
            location_feature VARCHAR,
            location_text VARCHAR,
            location_start INTEGER,
            location_end INTEGER,
            sentence VARCHAR NOT NULL,
            sentence_index INTEGER NOT NULL,
            sentence_start INTEGER NOT NULL,
            sentence_end INTEGER NOT NULL,
            trigger VARCHAR NOT NULL,
            trigger_start INTEGER NOT NULL,
            trigger_end INTEGER NOT NULL,
            modality VARCHAR NOT NULL,
            rule VARCHAR NOT NULL,
            confidence DOUBLE NOT NULL,
            mentions INTEGER NOT NULL,
            mention_sentences INTEGER[] NOT NULL,
            reciprocal BOOLEAN NOT NULL,
            coded_at TIMESTAMP NOT NULL,
            seq BIGINT NOT NULL
        );
        CREATE INDEX events_doc_id ON events (doc_id);
        CREATE INDEX events_dyad ON events (source_country, target_country);
        CREATE INDEX events_event_date ON events (event_date);
        """,
    ),
    (
        4,
        # Cross-document merging (thucydides.merge): one cluster per real-world event, the
        # events that support it, and its counts, refreshed when members are added.
        """
        CREATE TABLE event_clusters (
            cluster_id VARCHAR PRIMARY KEY,
            representative VARCHAR NOT NULL,
            num_mentions BIGINT NOT NULL,
            num_sources BIGINT NOT NULL,
            num_articles BIGINT NOT NULL,
            first_seen TIMESTAMP,
            last_seen TIMESTAMP,
            updated_at TIMESTAMP NOT NULL
        );
        CREATE TABLE event_cluster_members (
            event_id VARCHAR PRIMARY KEY,
            cluster_id VARCHAR NOT NULL,
            doc_id VARCHAR NOT NULL
        );
        CREATE INDEX event_cluster_members_cluster ON event_cluster_members (cluster_id);
        """,
    ),
    (
        5,
        """
        -- Every actor coded, with how often it acts and is acted upon.
        CREATE VIEW actors AS
        SELECT code, any_value(country) AS country, any_value(sector) AS sector,
               any_value(organization) AS organization, any_value(name) AS name,
               any_value(role) AS role, count(*) FILTER (WHERE side = 'source') AS as_source,
               count(*) FILTER (WHERE side = 'target') AS as_target
        FROM (
            SELECT 'source' AS side, source_code AS code, source_country AS country,
                   source_sector AS sector, source_organization AS organization,
                   source_name AS name, source_role AS role FROM events
            UNION ALL
            SELECT 'target', target_code, target_country, target_sector, target_organization,
                   target_name, target_role FROM events WHERE target_code IS NOT NULL
        ) GROUP BY code;
        -- The evidence of each merged event: every document and sentence that tells it.
        CREATE VIEW event_mentions AS
        SELECT coalesce(m.cluster_id, e.event_id) AS cluster_id, e.event_id, e.doc_id,
               d.publisher, d.url, d.published, e.sentence_index, e.sentence_start,
               e.sentence_end, e.sentence, e.trigger, e.trigger_start, e.trigger_end,
               e.source_start, e.source_end, e.target_start, e.target_end, e.mentions
        FROM events e
        LEFT JOIN event_cluster_members m ON m.event_id = e.event_id
        LEFT JOIN documents d ON d.doc_id = e.doc_id;
        """,
    ),
    (
        6,
        # Which spaCy pipeline (name, version, package) and which lexicons (a fingerprint of
        # their files) coded a run: `thucydides info` shows them.
        """
        ALTER TABLE runs ADD COLUMN model JSON;
        ALTER TABLE runs ADD COLUMN lexicon_version VARCHAR;
        """,
    ),
    (
        7,
        # The user's own record id and source on each document, so that output joins back to
        # their data. merged_events: one row per real-world event. Columns: every column of
        # `events` (those of the event chosen to stand for the group), plus cluster_id,
        # num_mentions (sentences telling it, over all documents), num_sources (distinct
        # publishers; a document without one is its own source), num_articles (distinct
        # documents), first_seen and last_seen (earliest and latest publication of a
        # supporting document, else when it was coded) and documents (the supporting doc_ids,
        # sorted). Groups are the clusters thucydides.merge.merge_events made (extract runs it);
        # an event not merged yet (stored by add_events alone) is a group of its own.
        """
        ALTER TABLE documents ADD COLUMN record_id VARCHAR;
        ALTER TABLE documents ADD COLUMN record_source VARCHAR;
        CREATE VIEW merged_events AS
            SELECT e.*,
                   c.cluster_id,
                   c.num_mentions,
                   c.num_sources,
                   c.num_articles,
                   c.first_seen,
                   c.last_seen,
                   m.documents
            FROM event_clusters c
            JOIN events e ON e.event_id = c.representative
            JOIN (SELECT cluster_id, list(doc_id ORDER BY doc_id) AS documents
                  FROM event_cluster_members GROUP BY cluster_id) m
              ON m.cluster_id = c.cluster_id
            UNION ALL BY NAME
            SELECT e.*,
                   e.event_id AS cluster_id,
                   CAST(e.mentions AS BIGINT) AS num_mentions,
                   CAST(1 AS BIGINT) AS num_sources,
                   CAST(1 AS BIGINT) AS num_articles,
                   coalesce(TRY_CAST(d.published AS TIMESTAMP),
                            CAST(d.published_date AS TIMESTAMP), e.coded_at) AS first_seen,
                   coalesce(TRY_CAST(d.published AS TIMESTAMP),
                            CAST(d.published_date AS TIMESTAMP), e.coded_at) AS last_seen,
                   [e.doc_id] AS documents
            FROM events e LEFT JOIN documents d ON d.doc_id = e.doc_id
            WHERE NOT EXISTS
                (SELECT 1 FROM event_cluster_members x WHERE x.event_id = e.event_id);
        """,
    ),
    (
        8,
        # How each run ended (RUN_STATUSES), and the process that ran it, so that a run whose
        # process died (kill -9, out of memory) is not shown as running forever. A run that
        # never finished before this migration ended without a word.
        """
        ALTER TABLE runs ADD COLUMN status VARCHAR;
        ALTER TABLE runs ADD COLUMN pid INTEGER;
        ALTER TABLE runs ADD COLUMN host VARCHAR;
        UPDATE runs SET status = CASE WHEN finished_at IS NULL THEN 'killed' ELSE 'finished' END;
        """,
    ),
    (
        9,
        # A rejection is its input and record (location), code and message: the same one from
        # a re-run of the same input is not stored again (add_rejections), and copies stored by
        # earlier versions go, the first kept. key is a hash of the three (_REJECTION_KEY): one
        # 8-byte column to look a batch up in, where comparing the strings costs ten times more.
        f"""
        ALTER TABLE rejections ADD COLUMN key UBIGINT;
        DELETE FROM rejections WHERE rowid NOT IN
            (SELECT min(rowid) FROM rejections GROUP BY location, code, message);
        UPDATE rejections SET key = {_REJECTION_KEY};
        """,
    ),
    (
        10,
        # The learned scorer's reasons for keeping an event (Event.evidence); "" for events the
        # rules alone coded, as every event before this migration was.
        """
        ALTER TABLE events ADD COLUMN evidence VARCHAR DEFAULT '';
        UPDATE events SET evidence = '' WHERE evidence IS NULL;
        """,
    ),
]
# runs.status: what became of a run. finished_at is set for all but running and killed.
RUN_STATUSES = {
    "running": "in progress",
    "finished": "done",
    "interrupted": "stopped by Ctrl-C (KeyboardInterrupt); run it again to go on",
    "failed": "stopped by an error (the store, a worker); run it again to go on",
    "killed": "its process died without a word (kill -9, out of memory, power cut); found so "
    "by a later open of the store; run it again to go on",
}

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
_REJECTION_BATCH = pa.schema(
    [(name, pa.string()) for name in ("run_id", "location", "stage", "code", "message")]
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


def _process_alive(pid: int | None, host: str | None) -> bool:
    """Whether process PID on HOST may still be running (this process always is)."""
    if pid is None or host != socket.gethostname():
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, as another user's
        return True
    return True


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


# Words in DuckDB's (and the OS's) messages -> what they mean for the user. DuckDB raises one
# IOException for all of them, with the OS's words in the message.
_UNWRITABLE = {
    "no space left on device": "the disk is full",
    "disk quota exceeded": "the disk quota is used up",
    "read-only file system": "the file system is read-only",
    "permission denied": "no permission",
    "operation not permitted": "no permission",
}
_DAMAGED = (
    "could not read enough bytes",  # truncated: a block past the end of the file
    "corrupt",
    "checksum",
    "invalid block",
    "failed to deserialize",
    "serialization error",
)


def store_failure(
    path: str,
    exc: BaseException,
    *,
    doing: str = "cannot open the store",
    code: str = "T401",
    writing: bool = True,
) -> StoreError:
    """EXC, raised while using the store at PATH, as one line naming PATH and the reason.

    A full disk or a file that may not be written is T405 (when WRITING: a read that may not
    read is T401), a truncated or corrupted file T404; anything else is CODE, after DOING
    ("cannot open the store", "query failed").
    """
    if isinstance(exc, StoreError):
        return exc
    reason = _first_line(exc)
    lowered = reason.lower()
    if isinstance(exc, OSError) and exc.strerror:
        lowered += " " + exc.strerror.lower()
    for words, meaning in _UNWRITABLE.items():
        if words not in lowered:
            continue
        if not writing and meaning == "no permission":
            return StoreError(f"{path}: cannot open the store: no permission to read it ({reason})")
        return StoreError(f"{path}: cannot write the store: {meaning} ({reason})", code="T405")
    if "is a directory" in lowered:
        return StoreError(f"{path}: cannot open the store: a directory, not a store file")
    if "not a valid duckdb database file" in lowered:
        # Garbage, another format, an empty file: the same fault as a store whose header is
        # damaged (which DuckDB words differently, by chance of what bytes 8-12 hold), so the
        # same code from every command.
        return StoreError(
            f"{path}: the store file is damaged or not a DuckDB store: {reason}; restore it "
            "from a copy or start a new store with another --db",
            code="T404",
        )
    if any(words in lowered for words in _DAMAGED):
        return StoreError(
            f"{path}: the store file is damaged (truncated or corrupted): {reason}; "
            "restore it from a copy or start a new store with another --db",
            code="T404",
        )
    return StoreError(f"{path}: {doing}: {reason}", code=code)


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
                if read_only and self._older_schema():
                    # A store from an older version: upgrade it once (a write), then read.
                    self.connection.close()
                    with Store(self.path):
                        pass
                    self.connection = duckdb.connect(self.path, read_only=True, config=config)
                self._check_version(read_only=read_only)
                if not read_only:
                    self._migrate()
                    self._mark_killed_runs()
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

    def _older_schema(self) -> bool:
        return "schema_version" in self._tables() and 0 < self.schema_version < MIGRATIONS[-1][0]

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
        run_id = uuid.uuid4().hex[:16]
        with self._failures():
            self.connection.execute(
                "INSERT INTO runs (run_id, started_at, version, inputs, settings, model, "
                "lexicon_version, status, pid, host) VALUES (?,?,?,?,?,?,?,?,?,?)",
                [
                    run_id,
                    _now(),
                    __version__,
                    list(inputs),
                    json.dumps(public_values(settings)),
                    json.dumps(model) if model is not None else None,
                    lexicon_version,
                    "running",
                    os.getpid(),
                    socket.gethostname(),
                ],
            )
        return run_id

    def finish_run(self, run_id: str, summary: RunSummary, status: str = "finished") -> None:
        """Record the end of a run: its counts so far, and STATUS (one of RUN_STATUSES:
        finished, or interrupted or failed for a run that stopped early)."""
        if status not in RUN_STATUSES:
            raise ValueError(f"run status {status!r}: one of {sorted(RUN_STATUSES)}")
        with self._failures():
            self.connection.execute(
                "UPDATE runs SET finished_at = ?, counts = ?, status = ? WHERE run_id = ?",
                [_now(), json.dumps(summary.to_record()), status, run_id],
            )

    def runs(self) -> list[dict[str, Any]]:
        """Every run, oldest first; settings and counts as dicts (counts None if unfinished).

        status is one of RUN_STATUSES; a run still marked running whose process is gone shows
        as killed here even in a read-only store (a store opened for writing records it so).
        """
        rows: list[dict[str, Any]] = self.query(
            "SELECT * FROM runs ORDER BY started_at, run_id"
        ).to_pylist()
        for row in rows:
            row["settings"] = json.loads(row["settings"])
            row["counts"] = json.loads(row["counts"]) if row["counts"] is not None else None
            row["model"] = json.loads(row["model"]) if row["model"] is not None else None
            if row["status"] == "running" and not _process_alive(row["pid"], row["host"]):
                row["status"] = "killed"
        return rows

    def _mark_killed_runs(self) -> None:
        """Runs left running by a process that is gone are marked killed. DuckDB admits one
        writing process, so a run of another process on another host cannot be going on
        either while this one writes."""
        columns = self.connection.execute(
            "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() "
            "AND schema_name = 'main' AND table_name = 'runs'"
        ).fetchall()
        if ("status",) not in columns:  # a schema of before migration 8 (tests pin old ones)
            return
        rows = self.connection.execute(
            "SELECT run_id, pid, host FROM runs WHERE status = 'running'"
        ).fetchall()
        dead = [run_id for run_id, pid, host in rows if not _process_alive(pid, host)]
        if dead:
            self.connection.execute(
                "UPDATE runs SET status = 'killed' WHERE list_contains(?, run_id)", [dead]
            )

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
        batch = _documents_batch(list(first.values()), signatures, run_id, _now())
        # A uniquely named view of the Arrow table: one INSERT for the whole batch.
        view = f"documents_batch_{uuid.uuid4().hex}"
        self.connection.register(view, batch)
        try:
            self._begin()
            try:
                (inserted,) = self.connection.execute(
                    f"INSERT OR IGNORE INTO documents ({_DOCUMENT_COLUMNS}, published_date, seq) "
                    f"SELECT {_DOCUMENT_COLUMNS}, {_PUBLISHED_DATE}, "
                    f"(SELECT coalesce(max(seq), 0) + 1 FROM documents) + position FROM {view}"
                ).fetchall()[0]
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
        return _document_from_row(rows[0]) if rows else None

    def iter_documents(self, batch_size: int = 1000) -> Iterator[Document]:
        """Every stored document, in the order they were added."""
        # A cursor of its own, so the caller may use the store while iterating.
        with self._failures():
            relation = self.connection.cursor().sql(f"SELECT * FROM documents {_INSERTION_ORDER}")
            for batch in relation.to_arrow_reader(batch_size):
                for row in batch.to_pylist():
                    yield _document_from_row(row)

    def known_signatures(self) -> Iterator[tuple[str, str, str, list[int]]]:
        """(doc_id, story_id, content_hash, minhash) of every stored document, in the order they
        were added, for seeding a DuplicateFinder. minhash is [] where none was stored."""
        with self._failures():
            result = self.connection.cursor().execute(
                "SELECT doc_id, coalesce(story_id, doc_id), content_hash, coalesce(minhash, []) "
                f"FROM documents {_INSERTION_ORDER}"
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
        batch = _events_batch(list(first.values()), run_id, _now())
        view = f"events_batch_{uuid.uuid4().hex}"
        self.connection.register(view, batch)
        try:
            self._begin()
            try:
                (inserted,) = self.connection.execute(
                    f"INSERT INTO events ({_EVENT_COLUMNS}, cameo_root, event_date, seq) "
                    f"SELECT {_EVENT_COLUMNS}, left(cameo, 2), {_EVENT_DATE}, "
                    f"(SELECT coalesce(max(seq), 0) + 1 FROM events) + position FROM {view} b "
                    "WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.event_id = b.event_id)"
                ).fetchall()[0]
                self._commit()
            except duckdb.Error as exc:
                with suppress(duckdb.Error):  # a failed write may have ended the transaction
                    self._rollback()
                raise store_failure(self.path, exc, doing="cannot write the store") from exc
        finally:
            with suppress(duckdb.Error):
                self.connection.unregister(view)
        return int(inserted)

    def get_events(self, doc_id: str | None = None) -> list[Event]:
        """The stored events (of DOC_ID, or all), by document, sentence and trigger."""
        if doc_id is None:
            rows = self.query(f"SELECT * FROM events {_EVENT_ORDER}").to_pylist()
        else:
            rows = self.query(
                f"SELECT * FROM events WHERE doc_id = ? {_EVENT_ORDER}", [doc_id]
            ).to_pylist()
        return [_event_from_row(row) for row in rows]

    def iter_events(self, batch_size: int = 1000) -> Iterator[Event]:
        """Every stored event, in get_events' order, read BATCH_SIZE rows at a time."""
        with self._failures():
            relation = self.connection.cursor().sql(f"SELECT * FROM events {_EVENT_ORDER}")
            for batch in relation.to_arrow_reader(batch_size):
                for row in batch.to_pylist():
                    yield _event_from_row(row)

    # -- rejections, queries --------------------------------------------------------------

    def add_rejections(self, run_id: str, rejections: Sequence[Rejection]) -> int:
        """Store the rejections not stored yet; returns how many were new.

        A rejection is known by its location (input and record), code and message: one that a
        re-run of the same input meets again keeps the row (and run_id) it was first stored
        with, so running the same input twice leaves one row per rejection, not two.
        """
        if not rejections:
            return 0
        first: dict[tuple[str, str, str], Rejection] = {}
        for rejection in rejections:
            first.setdefault((rejection.location, rejection.code, rejection.message), rejection)
        batch = pa.Table.from_pylist(
            [{"run_id": run_id, **r.to_record()} for r in first.values()],
            schema=_REJECTION_BATCH,
        )
        view = f"rejections_batch_{uuid.uuid4().hex}"
        with self._failures(doing="cannot write the store"):
            self.connection.register(view, batch)
            try:
                (inserted,) = self.connection.execute(
                    "INSERT INTO rejections (run_id, location, stage, code, message, key) "
                    "SELECT run_id, location, stage, code, message, key FROM "
                    f"(SELECT *, {_REJECTION_KEY} AS key FROM {view}) b "
                    "WHERE NOT EXISTS (SELECT 1 FROM rejections r WHERE r.key = b.key)"
                ).fetchall()[0]
            finally:
                with suppress(duckdb.Error):
                    self.connection.unregister(view)
        return int(inserted)

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
        from .analytics import dyad_series

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
        from .analytics import top

        return top(self, by=by, limit=limit, since=since, until=until, level=level)

    def network(self, since: str | None = None, until: str | None = None) -> pa.Table:
        """Directed country edges with counts and Goldstein sums (analytics.network)."""
        from .analytics import network

        return network(self, since=since, until=until)

    def export(self, fmt: str, path: str | Path, **filters: Any) -> int:
        """Write the merged events in FMT to PATH (export.export_events); returns the rows."""
        from .export import export_events

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
        # Only errors of those kinds are looked into: the SQL's own errors may quote its text.
        if isinstance(exc, duckdb.IOException) or type(exc) is duckdb.Error:
            failure = store_failure(self.path, exc, writing=not self.read_only)
            if failure.code in ("T404", "T405"):
                return failure
        return StoreError(f"{doing}: {_first_line(exc)}", code="T403")

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
